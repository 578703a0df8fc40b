//! What one build leaves for the next: parsed articles (by file stamp),
//! rendered bodies, each page's key, what was copied from where, and the
//! output's manifest. A build with an empty memo is a build from nothing;
//! whatever the memo holds, the output is the same as that build's. A
//! watch session keeps its memo in memory; `sitegen build` keeps it on
//! disk beside the output (`disk`).

use crate::fingerprint::Key;
use crate::fs::Stamp;
use crate::load::article::Article;
use crate::publish::manifest::Manifest;
use crate::render::body_memo::BodyMemo;
use crate::warning::Warning;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Default)]
pub struct Memo {
    /// Fingerprint of `site.yaml` and the build options: when it changes,
    /// nothing else here holds.
    pub(super) setup: Option<Key>,
    /// Article source → its parse, while the file's stamp is unchanged.
    pub(super) parsed: HashMap<String, Parsed>,
    pub(super) bodies: BodyMemo,
    /// Output file → the key of the page written there.
    pub(super) page_keys: HashMap<String, Key>,
    /// Output page → what it costs a reader's first request, when the site
    /// has a page budget (`output::budget`).
    pub(super) costs: HashMap<String, crate::output::budget::Cost>,
    /// Output file → the source file copied there, and its stamp then.
    pub(super) copied: HashMap<String, Copied>,
    /// What the output folder holds; `None` when not known for sure.
    pub(super) output: Option<Manifest>,
    /// The IPFS CID of `output`, once a build computed it.
    pub(super) cid: Option<String>,
    /// Fingerprint of the output's `manifest.json` as the build cache found
    /// it.
    pub(super) output_json: Option<Key>,
    /// The seal of the output (`seal`: a kernel file time, nanoseconds since
    /// 1970), as the build cache found it: a file of the output whose inode
    /// changed at or after it was changed by someone else.
    pub(super) sealed_at: Option<i128>,
}

/// A file copied into the output from `.0`, whose stamp was `.1`.
pub type Copied = (PathBuf, Stamp);

/// An article file as parsed, valid while its stamp is the same.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Parsed {
    pub stamp: Stamp,
    /// `None` for a draft left out.
    pub article: Option<Article>,
    pub warnings: Vec<Warning>,
}

impl Memo {
    /// Starts a build with configuration fingerprint `setup`: a memo made
    /// under another configuration starts over, keeping only what it knows
    /// of the output.
    pub fn start(&mut self, setup: Key) {
        if self.setup != Some(setup) {
            let output = self.output.take();
            *self = Memo { setup: Some(setup), output, ..Memo::default() };
        }
    }

    /// Whether a build ran with this memo before (in memory or from disk).
    pub fn is_started(&self) -> bool {
        self.setup.is_some()
    }

    /// The parse of content file `rel` if its file still has `stamp`.
    pub fn parse_of(&self, rel: &str, stamp: Stamp) -> Option<&Parsed> {
        self.parsed.get(rel).filter(|p| p.stamp == stamp)
    }

    /// The parses of this build, in place of the last build's.
    pub fn remember_parses(&mut self, parses: impl IntoIterator<Item = (String, Parsed)>) {
        self.parsed = parses.into_iter().collect();
    }

    /// One more parse (an article edited in a watch session).
    pub fn remember_parse(&mut self, rel: String, parse: Parsed) {
        self.parsed.insert(rel, parse);
    }

    /// The warnings of every parse, in no order.
    pub fn parse_warnings(&self) -> impl Iterator<Item = &Warning> {
        self.parsed.values().flat_map(|p| &p.warnings)
    }

    pub fn bodies(&self) -> &BodyMemo {
        &self.bodies
    }

    pub fn bodies_mut(&mut self) -> &mut BodyMemo {
        &mut self.bodies
    }

    /// The key of the page in output file `file`, as last written.
    pub fn page_key(&self, file: &str) -> Option<Key> {
        self.page_keys.get(file).copied()
    }

    /// The pages of a whole build, in place of the last build's.
    pub fn remember_page_keys(&mut self, keys: impl IntoIterator<Item = (String, Key)>) {
        self.page_keys = keys.into_iter().collect();
    }

    /// What the page at output path `file` cost when last measured.
    pub fn cost_of(&self, file: &str) -> Option<crate::output::budget::Cost> {
        self.costs.get(file).copied()
    }

    /// The costs of every page of a build, in place of the last build's.
    pub fn remember_costs(&mut self, costs: HashMap<String, crate::output::budget::Cost>) {
        self.costs = costs;
    }

    /// Pages rewritten by a patch; the others keep their keys.
    pub fn update_page_keys(&mut self, keys: impl IntoIterator<Item = (String, Key)>) {
        self.page_keys.extend(keys);
    }

    /// Files copied into the output, and from where.
    pub fn copied(&self) -> &HashMap<String, Copied> {
        &self.copied
    }

    pub fn remember_copies(&mut self, copied: HashMap<String, Copied>) {
        self.copied = copied;
    }

    /// What the output holds, if known for sure.
    pub fn output(&self) -> Option<&Manifest> {
        self.output.as_ref()
    }

    /// What the output holds, for a build that will change it.
    pub fn take_output(&mut self) -> Option<Manifest> {
        self.output.take()
    }

    /// The output a build left, and its CID if computed.
    pub fn remember_output(&mut self, manifest: Manifest, cid: Option<String>) {
        self.output = Some(manifest);
        self.cid = cid;
    }

    /// After a failed build: the output is as before, but it is read again
    /// rather than trusted.
    pub fn forget_output(&mut self) {
        self.output = None;
        self.cid = None;
    }

    /// The CID of the output, if a build computed it.
    pub fn cid(&self) -> Option<&str> {
        self.cid.as_deref()
    }

    /// The fingerprint of `manifest.json` when the cache was read.
    pub fn output_json(&self) -> Option<Key> {
        self.output_json
    }

    /// The time a build that has just finished changing its output seals it
    /// with: later than the change time of everything the build did to it,
    /// earlier than that of anything done after. The kernel stamps inodes
    /// with a coarse clock (a tick of a few milliseconds): `mark`, a file
    /// beside the output, is touched until the stamp moves past the tick of
    /// the build's last change, and the new tick is the seal.
    pub fn seal(mark: &Path) -> i128 {
        let touch = || {
            std::fs::File::options()
                .write(true)
                .open(mark)
                .and_then(|f| f.set_modified(std::time::SystemTime::now()))
                .ok()
                .and_then(|_| changed_at(mark))
        };
        let Some(first) = touch() else { return i128::MAX };
        let give_up = std::time::Instant::now() + std::time::Duration::from_millis(100);
        while std::time::Instant::now() < give_up {
            match touch() {
                Some(now) if now > first => return now,
                _ => std::thread::sleep(std::time::Duration::from_micros(200)),
            }
        }
        first + 1
    }

    /// When the output was sealed, if the build cache says.
    pub fn sealed_at(&self) -> Option<i128> {
        self.sealed_at
    }

    /// Whether the output file at `path` is as the last build left it: its
    /// inode has not changed since the output was sealed. Size and time
    /// can be put back by anyone who can write the file; the inode's
    /// change time cannot. Always true without a seal (a watch session's
    /// preview, which it rewrites from its own memo).
    pub fn untouched(&self, path: &Path) -> bool {
        let Some(sealed) = self.sealed_at else { return true };
        changed_at(path).is_some_and(|c| c < sealed)
    }

    /// The files of the output (in folder `dir`) that something other than
    /// sitegen changed since the last build sealed it, or that are gone:
    /// they are written anew, never kept. A file whose inode changed
    /// (`untouched` says no) but whose bytes are still those the manifest
    /// lists is not counted: a build that failed after taking files as
    /// hard links changed their inodes, not them.
    pub fn touched(&self, dir: &Path) -> std::collections::BTreeSet<String> {
        use rayon::prelude::*;
        let (Some(_), Some(output)) = (self.sealed_at, &self.output) else { return Default::default() };
        let own = [crate::publish::manifest::JSON, crate::publish::manifest::SUMS];
        let files: Vec<&str> = output.files.keys().map(String::as_str).chain(own).collect();
        files
            .into_par_iter()
            .filter(|f| !self.untouched(&dir.join(f)) && !self.as_built(dir, f, output))
            .map(str::to_string)
            .collect()
    }

    /// Whether the file `rel` of the output in `dir` is a plain file with
    /// the bytes the last build wrote there.
    fn as_built(&self, dir: &Path, rel: &str, output: &Manifest) -> bool {
        let path = dir.join(rel);
        let listed = output.files.get(rel);
        // A file of another size is not read (a photo is megabytes).
        let plain =
            std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file() && listed.is_none_or(|e| e.size == m.len()));
        if !plain {
            return false;
        }
        let Ok(bytes) = std::fs::read(&path) else { return false };
        match listed {
            Some(e) => e.size == bytes.len() as u64 && crate::publish::manifest::sha256_hex(&bytes) == e.sha256,
            None if rel == crate::publish::manifest::JSON => {
                Some(crate::fingerprint::of_bytes(&bytes)) == self.output_json
            }
            None => rel == crate::publish::manifest::SUMS && bytes == output.to_sums().as_bytes(),
        }
    }

    /// Drops what was kept of the files at `changed` (absolute paths): a
    /// file saved twice within the clock's granularity keeps its stamp.
    pub fn forget(&mut self, content_dir: &Path, changed: &[PathBuf]) {
        for path in changed {
            if let Some(rel) = path.strip_prefix(content_dir).ok().and_then(|r| r.to_str()) {
                self.parsed.remove(&rel.replace('\\', "/"));
            }
            self.bodies.images.remove(path);
        }
        self.copied.retain(|_, (source, _)| !changed.contains(source));
    }

    /// Frees the Markdown of every parsed article: a one-shot build reads
    /// each source once, and its cache keeps only fingerprints.
    pub fn release_markdown(&mut self) {
        for a in self.parsed.values_mut().filter_map(|p| p.article.as_mut()) {
            a.body_md = None;
        }
    }
}

/// When the inode of `path` (not followed) last changed, in nanoseconds
/// since 1970.
fn changed_at(path: &Path) -> Option<i128> {
    std::fs::symlink_metadata(path).ok().map(|m| crate::fs::changed_ns(&m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{self, Mode};
    use crate::load::config::BuildOptions;
    use std::collections::{BTreeMap, BTreeSet};

    /// What a memo holds, comparable.
    #[derive(Debug, PartialEq)]
    struct Held {
        setup: Option<Key>,
        parsed: BTreeMap<String, Stamp>,
        bodies: BTreeSet<String>,
        images: BTreeSet<PathBuf>,
        page_keys: BTreeMap<String, Key>,
        copied: BTreeMap<String, Copied>,
        output: Option<Manifest>,
        cid: Option<String>,
        output_json: Option<Key>,
    }

    fn held(m: &Memo) -> Held {
        Held {
            setup: m.setup,
            parsed: m.parsed.iter().map(|(k, p)| (k.clone(), p.stamp)).collect(),
            bodies: m.bodies.articles.keys().cloned().collect(),
            images: m.bodies.images.keys().cloned().collect(),
            page_keys: m.page_keys.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            copied: m.copied.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            output: m.output.clone(),
            cid: m.cid.clone(),
            output_json: m.output_json,
        }
    }

    /// The memo a watch session's first build leaves for the fixture (its
    /// folder, and the memo with a CID and manifest fingerprint as the
    /// build cache gives them).
    fn after_a_build() -> (tempfile::TempDir, PathBuf, Memo) {
        let (tmp, root) = crate::fs::copy_fixture("basic");
        let opts = BuildOptions { root: root.clone(), output: Some(root.join("public")), ..Default::default() };
        let mut memo = Memo::default();
        assert!(!memo.is_started());
        build::run(&opts, &mut memo, Mode::Preview).unwrap();
        assert!(memo.is_started());
        memo.cid = Some("bafy".into());
        memo.output_json = Some(7);
        let h = held(&memo);
        assert!(h.parsed.len() == 7 && h.bodies.len() == 6 && h.images.len() == 2, "{h:?}");
        assert!(!h.page_keys.is_empty() && h.copied.len() == 3 && h.output.is_some(), "{h:?}");
        (tmp, root, memo)
    }

    #[test]
    fn start_keeps_everything_under_the_same_setup() {
        let (_tmp, _root, mut memo) = after_a_build();
        let before = held(&memo);
        memo.start(memo.setup.unwrap());
        assert_eq!(held(&memo), before);
    }

    #[test]
    fn start_under_another_setup_keeps_only_the_output() {
        let (_tmp, _root, mut memo) = after_a_build();
        let before = held(&memo);
        let other = before.setup.unwrap() ^ 1;
        memo.start(other);
        let after = held(&memo);
        let expected = Held {
            setup: Some(other),
            parsed: BTreeMap::new(),
            bodies: BTreeSet::new(),
            images: BTreeSet::new(),
            page_keys: BTreeMap::new(),
            copied: BTreeMap::new(),
            output: before.output,
            cid: None,
            output_json: None,
        };
        assert_eq!(after, expected);
    }

    #[test]
    fn a_parse_is_given_for_the_same_stamp_only() {
        let (_tmp, root, mut memo) = after_a_build();
        let rel = "news/delta.md";
        let path = root.join("content").join(rel);
        let stamp = crate::fs::stamp(&path).unwrap();
        assert_eq!(memo.parse_of(rel, stamp).map(|p| p.stamp), Some(stamp));
        assert!(memo.parse_of("news/zeta.md", stamp).is_none(), "another file");
        for other in [
            Stamp { len: stamp.len + 1, ..stamp },
            Stamp { modified_ns: stamp.modified_ns + 1, ..stamp },
            Stamp { inode: stamp.inode + 1, ..stamp },
        ] {
            assert!(memo.parse_of(rel, other).is_none(), "{other:?}");
        }
        // The file saved again: a new stamp, no parse.
        std::fs::write(&path, std::fs::read_to_string(&path).unwrap() + "More.\n").unwrap();
        assert!(memo.parse_of(rel, crate::fs::stamp(&path).unwrap()).is_none());
        // One parse remembered: the others stay.
        let mut parsed = memo.parsed[rel].clone();
        parsed.stamp = crate::fs::stamp(&path).unwrap();
        memo.remember_parse(rel.to_string(), parsed.clone());
        assert!(memo.parse_of(rel, parsed.stamp).is_some());
        assert_eq!(memo.parsed.len(), 7);
        // A build's parses replace the last build's.
        memo.remember_parses([(rel.to_string(), parsed)]);
        assert_eq!(memo.parsed.keys().collect::<Vec<_>>(), [rel]);
    }

    #[test]
    fn forget_drops_what_was_kept_of_the_changed_files() {
        let (_tmp, root, mut memo) = after_a_build();
        let before = held(&memo);
        let content = root.join("content");
        let photo = content.join("news/alpha/photo.png");
        let wire = root.join("static/images/wire.png");
        let changed = [content.join("news/delta.md"), photo.clone(), root.join("site.yaml")];
        memo.forget(&content, &changed);
        let after = held(&memo);
        let mut parsed = before.parsed.clone();
        parsed.remove("news/delta.md");
        assert_eq!(after.parsed, parsed, "the parse of the changed article goes, the others stay");
        assert_eq!(before.images, BTreeSet::from([photo.clone(), wire.clone()]));
        assert_eq!(after.images, BTreeSet::from([wire.clone()]), "the changed image's size goes");
        let sources = |h: &Held| h.copied.iter().map(|(to, (from, _))| (to.clone(), from.clone())).collect::<Vec<_>>();
        let wire_copy = ("images/wire.png".to_string(), wire);
        assert_eq!(sources(&before).len(), 3, "the photo is copied for both editions");
        assert_eq!(sources(&after), [wire_copy], "both copies of the changed photo go");
        let rest = |h: Held| (h.setup, h.bodies, h.page_keys, h.output, h.cid, h.output_json);
        assert_eq!(rest(after), rest(before), "bodies are checked by their input, not dropped");
        // Paths it does not hold change nothing.
        let before = held(&memo);
        memo.forget(&content, &[content.join("news/zeta.md"), root.join("elsewhere.md")]);
        assert_eq!(held(&memo), before);
    }

    #[test]
    fn release_markdown_lets_go_of_every_body_and_nothing_else() {
        let (_tmp, root, mut memo) = after_a_build();
        let articles = || memo.parsed.values().filter_map(|p| p.article.as_ref());
        assert_eq!(articles().filter(|a| a.body_md.is_some()).count(), 6, "a preview keeps the Markdown");
        let before = held(&memo);
        let delta = memo.parsed["news/delta.md"].article.clone().unwrap();
        memo.release_markdown();
        assert!(memo.parsed.values().filter_map(|p| p.article.as_ref()).all(|a| a.body_md.is_none()));
        assert_eq!(held(&memo), before);
        // The body is read again from the file when needed.
        let released = memo.parsed["news/delta.md"].article.clone().unwrap();
        assert_eq!(released.markdown(&root.join("content")).unwrap(), delta.body_md.unwrap());
    }

    #[test]
    fn page_keys_of_a_build_replace_and_of_a_patch_add() {
        let mut memo = Memo::default();
        memo.remember_page_keys([("a.html".to_string(), 1), ("b.html".to_string(), 2)]);
        memo.update_page_keys([("b.html".to_string(), 3), ("c.html".to_string(), 4)]);
        assert_eq!(
            (memo.page_key("a.html"), memo.page_key("b.html"), memo.page_key("c.html")),
            (Some(1), Some(3), Some(4))
        );
        memo.remember_page_keys([("c.html".to_string(), 5)]);
        assert_eq!((memo.page_key("a.html"), memo.page_key("c.html")), (None, Some(5)));
    }

    #[test]
    fn a_failed_build_forgets_the_output() {
        let (_tmp, _root, mut memo) = after_a_build();
        memo.forget_output();
        assert!(memo.output().is_none() && memo.cid().is_none());
        let output = Manifest::default();
        memo.remember_output(output.clone(), Some("bafy2".into()));
        assert_eq!((memo.output(), memo.cid()), (Some(&output), Some("bafy2")));
        assert_eq!(memo.take_output(), Some(output));
        assert!(memo.output().is_none());
    }
}
