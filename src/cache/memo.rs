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
    /// Output file → the source file copied there, and its stamp then.
    pub(super) copied: HashMap<String, Copied>,
    /// What the output folder holds; `None` when not known for sure.
    pub(super) output: Option<Manifest>,
    /// The IPFS CID of `output`, once a build computed it.
    pub(super) cid: Option<String>,
    /// Fingerprint of the output's `manifest.json` as the build cache found
    /// it.
    pub(super) output_json: Option<Key>,
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
