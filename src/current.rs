//! Whether the output already holds, byte for byte, everything a build would
//! write: then the build writes nothing at all (no staging folder, no links,
//! no swap). Decided from the build cache before anything is written: each
//! page's key, each copied file's source stamp, and the digests of the files
//! made in memory.

use crate::assets::{Assets, Origin};
use crate::feeds::FeedFile;
use crate::fingerprint::Key;
use crate::manifest::{sha256_hex, Entry, Manifest};
use crate::memo::Copied;
use rayon::prelude::*;
use std::collections::HashMap;

/// What this build would write, against what the output holds (`previous`).
pub struct Planned<'a> {
    /// Each page's output file and key; `keys_then` has the keys of the
    /// pages in the output.
    pub pages: &'a [String],
    pub keys: &'a [Key],
    pub keys_then: &'a HashMap<String, Key>,
    pub assets: &'a Assets,
    /// Files copied into the output, and their sources' stamps then.
    pub copied_then: &'a HashMap<String, Copied>,
}

/// `generated` makes the feeds and the other generated files. It is called
/// only once the pages and copied files are found current: after an edit
/// they seldom are, and the feeds would be made twice.
pub fn output_is_current(previous: &Manifest, plan: &Planned, generated: impl FnOnce() -> Vec<FeedFile>) -> bool {
    let same_bytes = |e: &Entry, b: &[u8]| e.size == b.len() as u64 && e.sha256 == sha256_hex(b);
    let pages = plan
        .pages
        .iter()
        .zip(plan.keys)
        .all(|(file, key)| previous.files.contains_key(file) && plan.keys_then.get(file) == Some(key));
    let copied = pages
        && plan.assets.files.par_iter().all(|(rel, origin)| match (origin, previous.files.get(rel)) {
            (_, None) => false,
            (Origin::Disk(src), Some(_)) => plan
                .copied_then
                .get(rel)
                .is_some_and(|(from, stamp)| from == src && crate::fs::stamp(src) == Some(*stamp)),
            (Origin::Memory(b), Some(e)) => same_bytes(e, b),
        });
    if !copied {
        return false;
    }
    let generated = generated();
    previous.files.len() == plan.pages.len() + plan.assets.files.len() + generated.len()
        && generated.par_iter().all(|f| previous.files.get(&f.file).is_some_and(|e| same_bytes(e, f.xml.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn entry(bytes: &[u8]) -> Entry {
        Entry { size: bytes.len() as u64, sha256: sha256_hex(bytes) }
    }

    #[test]
    fn current_only_when_every_file_would_come_out_the_same() {
        let mut previous = Manifest::default();
        previous.files.insert("a/index.html".into(), entry(b"page"));
        previous.files.insert("site.css".into(), entry(b"css"));
        previous.files.insert("rss.xml".into(), entry(b"<rss/>"));
        let pages = vec!["a/index.html".to_string()];
        let keys_then: HashMap<String, Key> = [("a/index.html".to_string(), 7)].into_iter().collect();
        let assets = |css: &[u8]| Assets {
            files: BTreeMap::from([("site.css".to_string(), Origin::Memory(css.to_vec()))]),
            renamed: BTreeMap::new(),
        };
        let feed = |xml: &str| vec![FeedFile { file: "rss.xml".into(), xml: xml.into() }];
        let copied = HashMap::new();
        let is_current = |previous: &Manifest, keys: &[Key], css: &[u8], xml: &str| {
            let assets = assets(css);
            let plan = Planned { pages: &pages, keys, keys_then: &keys_then, assets: &assets, copied_then: &copied };
            output_is_current(previous, &plan, || feed(xml))
        };
        assert!(is_current(&previous, &[7], b"css", "<rss/>"));
        assert!(!is_current(&previous, &[8], b"css", "<rss/>"), "a page's key changed");
        let css = assets(b"css");
        let changed = Planned { pages: &pages, keys: &[8], keys_then: &keys_then, assets: &css, copied_then: &copied };
        assert!(!output_is_current(&previous, &changed, || unreachable!("feeds made though a page changed")));
        assert!(!is_current(&previous, &[7], b"css2", "<rss/>"), "a stylesheet changed");
        assert!(!is_current(&previous, &[7], b"css", "<rss></rss>"), "a feed changed");
        previous.files.insert("gone.html".into(), entry(b"x"));
        assert!(!is_current(&previous, &[7], b"css", "<rss/>"), "the output holds a file the build no longer makes");
    }
}
