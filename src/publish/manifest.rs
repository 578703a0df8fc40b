//! The manifest of a built site: every file's path, size and SHA-256, as
//! `manifest.json` and as `SHA256SUMS` (the format `sha256sum -c` reads), so
//! a mirror operator can verify a copy with stock tools.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub const JSON: &str = "manifest.json";
pub const SUMS: &str = "SHA256SUMS";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub size: u64,
    pub sha256: String,
}

/// Path → entry, sorted by path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub files: BTreeMap<String, Entry>,
}

/// The fingerprint of the `manifest.json` in folder `dir`, as written; the
/// build cache is valid only for the manifest it was saved with.
pub fn fingerprint_in(dir: &std::path::Path) -> Option<crate::fingerprint::Key> {
    std::fs::read(dir.join(JSON)).ok().map(|b| crate::fingerprint::of_bytes(&b))
}

/// How every `manifest.json` sitegen writes begins.
const OPENING: &str = "{\n  \"version\": 1,\n  \"generator\": \"sitegen\",\n  \"files\": [";

/// Whether the file at `path` begins as the manifests sitegen writes do.
pub fn written_by_sitegen(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; OPENING.len()];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && head == OPENING.as_bytes()
}

/// The manifest in folder `dir`, if there is one of sitegen's shape.
pub fn read_in(dir: &std::path::Path) -> Option<Manifest> {
    std::fs::read_to_string(dir.join(JSON)).ok().and_then(|text| Manifest::from_json(&text).ok())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

impl Manifest {
    /// The files under folder `folder` (ending in `/`), in order.
    pub fn files_under<'a>(&'a self, folder: &'a str) -> impl Iterator<Item = &'a String> + 'a {
        self.files
            .range::<str, _>((std::ops::Bound::Included(folder), std::ops::Bound::Unbounded))
            .map(|(p, _)| p)
            .take_while(move |p| p.starts_with(folder))
    }

    /// The manifest as pretty-printed JSON (serde_json's layout), written
    /// by hand: a large site's manifest is rewritten on every watch save.
    pub fn to_json(&self) -> String {
        let mut s = String::with_capacity(64 + self.files.len() * 160);
        s.push_str(OPENING);
        for (i, (path, e)) in self.files.iter().enumerate() {
            s.push_str(if i == 0 { "\n    {\n      \"path\": " } else { ",\n    {\n      \"path\": " });
            s.push_str(&serde_json::to_string(path).expect("a string serializes"));
            s.push_str(",\n      \"size\": ");
            s.push_str(&e.size.to_string());
            s.push_str(",\n      \"sha256\": \"");
            s.push_str(&e.sha256);
            s.push_str("\"\n    }");
        }
        s.push_str(if self.files.is_empty() { "]\n}\n" } else { "\n  ]\n}\n" });
        s
    }

    pub fn from_json(text: &str) -> Result<Manifest, String> {
        #[derive(Deserialize)]
        struct File {
            path: String,
            size: u64,
            sha256: String,
        }
        #[derive(Deserialize)]
        struct Doc {
            files: Vec<File>,
        }
        let doc: Doc = serde_json::from_str(text).map_err(|e| format!("{JSON}: {e}"))?;
        Ok(Manifest {
            files: doc.files.into_iter().map(|f| (f.path, Entry { size: f.size, sha256: f.sha256 })).collect(),
        })
    }

    /// For a `manifest.json` text of sitegen's shape (version 1, a list of
    /// files with their sizes and hashes): the generator it names, if any.
    /// `None` for any other text.
    pub fn generator(text: &str) -> Option<Option<String>> {
        // Each file's three keys are required, their values skipped unread:
        // on a site of 100,000 articles the list is 60 MB, read before
        // every build, and copying each value was most of the time.
        use serde::de::IgnoredAny;
        #[derive(Deserialize)]
        struct File {
            #[serde(rename = "path")]
            _path: IgnoredAny,
            #[serde(rename = "size")]
            _size: IgnoredAny,
            #[serde(rename = "sha256")]
            _sha256: IgnoredAny,
        }
        #[derive(Deserialize)]
        struct Doc {
            version: u32,
            #[serde(default)]
            generator: Option<String>,
            #[serde(rename = "files")]
            _files: Vec<File>,
        }
        serde_json::from_str::<Doc>(text).ok().filter(|d| d.version == 1).map(|d| d.generator)
    }

    /// The files in a folder this manifest describes: those it lists and
    /// its own two (`manifest.json`, `SHA256SUMS`).
    pub fn file_count(&self) -> usize {
        self.files.len() + 2
    }

    /// The bytes of the files it lists.
    pub fn total_size(&self) -> u64 {
        self.files.values().map(|e| e.size).sum()
    }

    /// `SHA256SUMS`, as GNU sha256sum writes it: a name holding a
    /// backslash or a line break has them escaped, and its line starts
    /// with a backslash, so no file name can add a line.
    pub fn to_sums(&self) -> String {
        let mut s = String::with_capacity(self.files.len() * 120);
        for (p, e) in &self.files {
            let escape = p.contains(['\\', '\n', '\r']);
            if escape {
                s.push('\\');
            }
            s.push_str(&e.sha256);
            s.push_str("  ");
            if escape {
                s.push_str(&p.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r"));
            } else {
                s.push_str(p);
            }
            s.push('\n');
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_under_a_folder_are_those_below_it_only() {
        let mut m = Manifest::default();
        for f in ["search/index.html", "search/parts/a.js", "search/parts/b.js", "search/partsx.js", "t.js"] {
            m.files.insert(f.into(), Entry { size: 0, sha256: String::new() });
        }
        assert_eq!(m.files_under("search/parts/").collect::<Vec<_>>(), ["search/parts/a.js", "search/parts/b.js"]);
    }

    #[test]
    fn json_round_trips_and_sums_match_sha256sum() {
        let mut m = Manifest::default();
        m.files.insert("b.txt".into(), Entry { size: 3, sha256: sha256_hex(b"abc") });
        m.files.insert("a/index.html".into(), Entry { size: 0, sha256: sha256_hex(b"") });
        assert_eq!(Manifest::from_json(&m.to_json()).unwrap(), m);
        assert_eq!(
            m.to_sums(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a/index.html\n\
             ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  b.txt\n"
        );
    }

    #[test]
    fn names_with_line_breaks_are_escaped_as_gnu_sha256sum_does() {
        // See: #19 (12).
        let mut m = Manifest::default();
        m.files.insert("a\nb8  index.html".into(), Entry { size: 0, sha256: sha256_hex(b"") });
        m.files.insert("c\\d".into(), Entry { size: 0, sha256: sha256_hex(b"") });
        let sums = m.to_sums();
        assert_eq!(sums.lines().count(), 2, "{sums}");
        assert!(sums.starts_with("\\e3b0") && sums.contains("  a\\nb8  index.html\n"), "{sums}");
        assert!(
            sums.contains("\\e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  c\\\\d\n"),
            "{sums}"
        );
    }

    #[test]
    fn a_manifest_sitegen_wrote_is_known_by_its_opening() {
        let dir = tempfile::tempdir().unwrap();
        let file = |text: &str| {
            let p = dir.path().join("manifest.json");
            std::fs::write(&p, text).unwrap();
            written_by_sitegen(&p)
        };
        let mut m = Manifest::default();
        assert!(file(&m.to_json()), "an empty site's");
        m.files.insert("index.html".into(), Entry { size: 1, sha256: sha256_hex(b"x") });
        assert!(file(&m.to_json()));
        assert!(!file(r#"{"name": "My App", "start_url": "/"}"#), "a web app's manifest");
        assert!(!file("{\n  \"version\": 1,\n  \"files\": []}"), "no generator named");
        assert!(!file("{"), "too short");
        assert!(!written_by_sitegen(&dir.path().join("missing.json")));
    }

    #[test]
    fn json_is_laid_out_as_serde_json_pretty_prints_it() {
        let mut m = Manifest::default();
        #[derive(Serialize)]
        struct File<'a> {
            path: &'a str,
            size: u64,
            sha256: &'a str,
        }
        #[derive(Serialize)]
        struct Doc<'a> {
            version: u32,
            generator: &'a str,
            files: Vec<File<'a>>,
        }
        let pretty = |m: &Manifest| {
            let files = m.files.iter().map(|(p, e)| File { path: p, size: e.size, sha256: &e.sha256 }).collect();
            serde_json::to_string_pretty(&Doc { version: 1, generator: "sitegen", files }).unwrap() + "\n"
        };
        assert_eq!(m.to_json(), pretty(&m));
        m.files.insert("новости/\"q\"\\x.html".into(), Entry { size: 7, sha256: sha256_hex(b"x") });
        m.files.insert("a.css".into(), Entry { size: 0, sha256: sha256_hex(b"") });
        assert_eq!(m.to_json(), pretty(&m));
    }
}
