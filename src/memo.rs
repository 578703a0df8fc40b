//! What one build leaves for the next in a watch session: parsed articles,
//! rendered bodies, each page's key and the output's manifest. A build with
//! an empty memo is a clean build; whatever the memo holds, the output is
//! the same as a clean build's.

use crate::article::Article;
use crate::bodies::Bodies;
use crate::body_memo::BodyMemo;
use crate::fingerprint::Key;
use crate::fs::Stamp;
use crate::load::SourceFile;
use crate::manifest::Manifest;
use crate::site::Site;
use crate::theme::Theme;
use crate::warning::Warning;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

#[derive(Default)]
pub struct Memo {
    /// Fingerprint of `site.yaml` and the build options: when it changes,
    /// nothing else here holds.
    pub setup: Option<Key>,
    /// Article source → its parse, while the file's stamp is unchanged.
    pub parsed: HashMap<String, Parsed>,
    pub bodies: BodyMemo,
    /// Output file → the key of the page written there.
    pub pages: HashMap<String, Key>,
    /// Output file → the source file copied there, and its stamp then.
    pub assets: HashMap<String, Copied>,
    /// What the output folder holds; `None` when not known for sure.
    pub output: Option<Manifest>,
    /// The IPFS CID of `output`, once a build computed it.
    pub cid: Option<String>,
    /// Fingerprint of the output's `manifest.json` as the build cache found
    /// it.
    pub output_json: Option<Key>,
    /// The last good build's site, kept by watch sessions for edits that
    /// move nothing (`patch`); `None` after a failed build.
    pub state: Option<Built>,
}

/// A whole built site, as the next rebuild can reuse it.
pub struct Built {
    pub site: Site,
    pub bodies: Bodies,
    pub theme: Theme,
    pub tera: tera::Tera,
    /// Theme file → its fingerprinted name.
    pub renamed: BTreeMap<String, String>,
    /// The stylesheet the 404 page carries inline.
    pub css: String,
    pub files: Vec<SourceFile>,
    /// How many pages the site has.
    pub pages: usize,
    /// Per article: the articles whose pages show it ("Read more",
    /// translations).
    pub dependents: Vec<Vec<usize>>,
    /// Warnings of the configuration and site model.
    pub site_warnings: Vec<Warning>,
}

/// A file copied into the output from `.0`, whose stamp was `.1`.
pub type Copied = (PathBuf, Stamp);

#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Parsed {
    pub stamp: Stamp,
    /// `None` for a draft left out.
    pub article: Option<Article>,
    pub warnings: Vec<Warning>,
}

impl Memo {
    /// Drops what was kept of the files at `changed` (absolute paths): a
    /// file saved twice within the clock's granularity keeps its stamp.
    pub fn forget(&mut self, content_dir: &std::path::Path, changed: &[PathBuf]) {
        for path in changed {
            if let Some(rel) = path.strip_prefix(content_dir).ok().and_then(|r| r.to_str()) {
                self.parsed.remove(&rel.replace('\\', "/"));
            }
            self.bodies.images.remove(path);
        }
        self.assets.retain(|_, (source, _)| !changed.contains(source));
    }

    /// Frees the Markdown of every parsed article: a one-shot build reads
    /// each source once, and its cache keeps only fingerprints.
    pub fn release_markdown(&mut self) {
        for a in self.parsed.values_mut().filter_map(|p| p.article.as_mut()) {
            a.body_md = None;
        }
    }

    /// Starts over (a new configuration), except for what the output holds.
    pub fn reset(&mut self, setup: Key) {
        let output = self.output.take();
        *self = Memo { setup: Some(setup), output, ..Memo::default() };
    }
}
