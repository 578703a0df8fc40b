//! Whether the output already holds, byte for byte, everything a build would
//! write: then the build writes nothing at all (no staging folder, no links,
//! no swap). Decided from the build cache before anything is written: each
//! page's key, each copied file's source stamp, and the digests of the files
//! made in memory.

use crate::cache::memo::Memo;
use crate::fingerprint::Key;
use crate::output::assets::{Assets, Origin};
use crate::output::generated::GeneratedFile;
use crate::publish::manifest::{sha256_hex, Entry};
use rayon::prelude::*;

/// Whether the output `memo` describes (in folder `target`) already holds
/// what this build would write: each page (`files`, `keys`), each published
/// file (`assets`) and each generated file, and no file of it was changed
/// since the last build sealed it. `kept` are generated files known to be
/// what this build would make (a search index whose key is unchanged): they
/// need only be there. `generated` is called only once the
/// pages and published files are found current: after an edit they seldom
/// are, and the feeds would be made twice.
pub fn output_is_current(
    memo: &Memo,
    target: &std::path::Path,
    files: &[String],
    keys: &[Key],
    assets: &Assets,
    kept: &[String],
    generated: impl FnOnce() -> Vec<GeneratedFile>,
) -> bool {
    let Some(previous) = memo.output.as_ref() else { return false };
    let same_bytes = |e: &Entry, b: &[u8]| e.size == b.len() as u64 && e.sha256 == sha256_hex(b);
    let pages = files
        .iter()
        .zip(keys)
        .all(|(file, key)| previous.files.contains_key(file) && memo.page_keys.get(file) == Some(key));
    let copied = pages
        && assets.files.par_iter().all(|(rel, origin)| match (origin, previous.files.get(rel)) {
            (_, None) => false,
            (Origin::Disk(src) | Origin::Copy { source: src, .. }, Some(_)) => {
                memo.copied.get(rel).is_some_and(|(from, stamp)| from == src && crate::fs::stamp(src) == Some(*stamp))
            }
            (Origin::Memory(b), Some(e)) => same_bytes(e, b),
        });
    if !copied {
        return false;
    }
    let generated = generated();
    previous.files.len() == files.len() + assets.files.len() + kept.len() + generated.len()
        && kept.iter().all(|f| previous.files.contains_key(f))
        && generated.par_iter().all(|f| previous.files.get(&f.path).is_some_and(|e| same_bytes(e, f.text.as_bytes())))
        && memo.sealed_at.is_some()
        && memo.touched(target).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::manifest::Manifest;
    use std::collections::{BTreeMap, HashMap};

    fn entry(bytes: &[u8]) -> Entry {
        Entry { size: bytes.len() as u64, sha256: sha256_hex(bytes) }
    }

    #[test]
    fn current_only_when_every_file_would_come_out_the_same() {
        let mut previous = Manifest::default();
        previous.files.insert("a/index.html".into(), entry(b"page"));
        previous.files.insert("site.css".into(), entry(b"css"));
        previous.files.insert("rss.xml".into(), entry(b"<rss/>"));
        let dir = tempfile::tempdir().unwrap();
        for f in ["a/index.html", "site.css", "rss.xml", "manifest.json", "SHA256SUMS", "mark"] {
            crate::fs::write(&dir.path().join(f), b"x").unwrap();
        }
        let mut memo = Memo { page_keys: HashMap::from([("a/index.html".to_string(), 7)]), ..Memo::default() };
        memo.output = Some(previous.clone());
        memo.sealed_at = Some(Memo::seal(&dir.path().join("mark")));
        let files = vec!["a/index.html".to_string()];
        let assets = |css: &[u8]| Assets {
            files: BTreeMap::from([("site.css".to_string(), Origin::Memory(css.to_vec()))]),
            renamed: BTreeMap::new(),
            photos: Default::default(),
        };
        let feed = |xml: &str| vec![GeneratedFile { path: "rss.xml".into(), text: xml.into() }];
        let is_current = |memo: &Memo, keys: &[Key], css: &[u8], xml: &str| {
            output_is_current(memo, dir.path(), &files, keys, &assets(css), &[], || feed(xml))
        };
        assert!(is_current(&memo, &[7], b"css", "<rss/>"));
        assert!(!is_current(&memo, &[8], b"css", "<rss/>"), "a page's key changed");
        let css = assets(b"css");
        assert!(!output_is_current(&memo, dir.path(), &files, &[8], &css, &[], || unreachable!(
            "feeds made though a page changed"
        )));
        assert!(!is_current(&memo, &[7], b"css2", "<rss/>"), "a stylesheet changed");
        assert!(!is_current(&memo, &[7], b"css", "<rss></rss>"), "a feed changed");
        // See: #19 (5). Someone appends to a page after the build: its
        // inode changed since the seal, whatever its size and time say.
        let page = dir.path().join("a/index.html");
        let mtime = std::fs::metadata(&page).unwrap().modified().unwrap();
        std::fs::write(&page, b"y").unwrap();
        std::fs::File::options().write(true).open(&page).unwrap().set_modified(mtime).unwrap();
        assert!(!is_current(&memo, &[7], b"css", "<rss/>"), "a file changed since the seal");
        memo.sealed_at = Some(Memo::seal(&dir.path().join("mark")));
        assert!(is_current(&memo, &[7], b"css", "<rss/>"));
        previous.files.insert("gone.html".into(), entry(b"x"));
        memo.output = Some(previous);
        assert!(!is_current(&memo, &[7], b"css", "<rss/>"), "the output holds a file the build no longer makes");
    }
}
