//! What a published build leaves beside its output, in
//! `.<name>.sitegen-last`, so that the next build can tell in a moment that
//! it has nothing to do: a fingerprint of everything the build read (the
//! configuration and the stamp of every file under `content/`, `static/`,
//! `themes/` and `templates/`), the moment it published at and the first
//! moment at which time alone changes the site (a scheduled story, an
//! expiry, the news sitemap's window), the output's manifest and seal, and
//! what its report said.
//!
//! The build cache answers the same question, but only after it is read
//! (tens of megabytes on a large site) and the sources are parsed, the
//! bodies looked up and the feeds made again to compare: most of a second
//! at 10,000 articles, seconds at 100,000. This record is read first; when
//! anything differs the build goes on as before, so a wrong "yes" is the
//! only way it can fail, and every input it cannot vouch for says "no".

use crate::fingerprint::{Fp, Key};
use crate::load::config::{BuildOptions, Config};
use crate::load::scan::SourceFile;
use crate::load::schedule::NextChange;
use crate::publish::{manifest, signing};
use crate::warning::Warning;
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Bumped when what is saved changes shape or meaning.
const FORMAT: u32 = 1;

/// The fingerprint of everything a build reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inputs(Key);

impl Inputs {
    /// Of the configuration (which holds `site.yaml`, the mirrors file and
    /// every option that changes the output), the sitegen program, the
    /// content files `files`
    /// and every file under the site's `static/`, `themes/` and
    /// `templates/`, each by its path and stamp. `None` when a file cannot
    /// be stamped: the build then reads everything and says why.
    pub fn of(cfg: &Config, opts: &BuildOptions, files: &[SourceFile]) -> Option<Inputs> {
        use crate::fs::{Folder, Stamp};
        let mut fp = Fp::new("inputs");
        fp.debug(cfg).u64(u64::from(opts.future)).u64(u64::from(opts.drafts));
        let add = |fp: &mut Fp, rel: &str, s: Stamp| {
            fp.str(rel).u64(s.len).key(s.modified_ns).u64(s.inode);
        };
        // sitegen itself, with its built-in theme: a new build of it may
        // write other bytes under the same version number.
        add(&mut fp, "sitegen", std::env::current_exe().ok().and_then(|p| crate::fs::stamp(&p))?);
        let content = Folder::open(&cfg.root.join("content"))?;
        let stamps: Vec<Option<Stamp>> = files.par_iter().map(|f| content.stamp(&f.rel)).collect();
        fp.str("content");
        for (f, stamp) in files.iter().zip(stamps) {
            add(&mut fp, &f.rel, stamp?);
        }
        let fences = crate::load::scan::source_folders(&cfg.root);
        for dir in ["static", "themes", "templates"] {
            let path = cfg.root.join(dir);
            if !path.exists() {
                continue;
            }
            let top = Folder::open(&path)?;
            // A link out of the sources is the build's error to report.
            let found = crate::load::scan::walk(top.path(), &fences).ok()?;
            let stamps: Vec<Option<Stamp>> = found.par_iter().map(|(_, rel)| top.stamp(rel)).collect();
            fp.str(dir);
            for ((_, rel), stamp) in found.iter().zip(stamps) {
                add(&mut fp, rel, stamp?);
            }
        }
        Some(Inputs(fp.finish()))
    }
}

/// What the last published build's report said, to say it again.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Said {
    pub articles: usize,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub cid: Option<String>,
    pub warnings: Vec<Warning>,
    next_change: Option<(crate::load::dates::Date, String, String)>,
}

impl Said {
    /// What a report said: its counts, CID and warnings, and the next
    /// scheduled change `next`.
    pub fn new(
        (articles, pages): (usize, usize),
        (files, bytes): (usize, u64),
        cid: Option<String>,
        warnings: Vec<Warning>,
        next: Option<&NextChange>,
    ) -> Said {
        let next_change = next.map(|n| (n.at, n.article.clone(), n.what.to_string()));
        Said { articles, pages, files, bytes, cid, warnings, next_change }
    }

    /// The next scheduled change, as the report names it.
    pub fn next_change(&self) -> Option<NextChange> {
        let (at, article, what) = self.next_change.as_ref()?;
        let what = crate::load::schedule::WHATS.iter().find(|w| *w == what)?;
        Some(NextChange { at: *at, article: article.clone(), what })
    }
}

/// The record, as saved.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct LastBuild {
    format: u32,
    sitegen: String,
    inputs: Key,
    /// The stamp of the output's `manifest.json` (its inode tells it from
    /// any other folder's), and the fingerprint of its signature.
    manifest: crate::fs::Stamp,
    signature: Option<Key>,
    /// The output's seal (`Memo::seal`): no file of it changed since.
    sealed_at: i128,
    /// The moment the build published at, and the first moment after it at
    /// which time alone changes the output (microseconds since 1970).
    published_at: i64,
    until: Option<i64>,
    said: Said,
}

/// Where the record of the output folder `output` lives.
pub fn path(output: &Path) -> PathBuf {
    crate::output::lock::beside(output, "sitegen-last")
}

/// Removes the record: the output is about to change, or the build cache
/// is given up (`--no-cache`).
pub fn remove(output: &Path) {
    let _ = std::fs::remove_file(path(output));
}

impl LastBuild {
    /// The record of a build of `inputs` into `output` (sealed at
    /// `sealed_at`), published at `now` and right until `until`.
    pub fn new(
        inputs: Inputs,
        output: &Path,
        sealed_at: i128,
        now: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
        said: Said,
    ) -> Option<LastBuild> {
        Some(LastBuild {
            format: FORMAT,
            sitegen: env!("CARGO_PKG_VERSION").to_string(),
            inputs: inputs.0,
            manifest: crate::fs::stamp(&output.join(manifest::JSON))?,
            signature: signing::signature_key_in(output),
            sealed_at,
            published_at: now.timestamp_micros(),
            until: until.map(|u| u.timestamp_micros()),
            said,
        })
    }

    /// Saves it beside `output`; one that cannot be written only makes the
    /// next build slower.
    pub fn save(&self, output: &Path) {
        if let Ok(bytes) = postcard::to_stdvec(self) {
            crate::fs::replace_or_leave(&path(output), &bytes);
        }
    }

    /// The record beside `output`, if there is one this sitegen wrote.
    pub fn load(output: &Path) -> Option<LastBuild> {
        let bytes = std::fs::read(path(output)).ok()?;
        let last: LastBuild = postcard::from_bytes(&bytes).ok()?;
        (last.format == FORMAT && last.sitegen == env!("CARGO_PKG_VERSION")).then_some(last)
    }

    /// The record beside `output`, if the output is as its build left it
    /// (its manifest, signature and files) and `now` is a moment from that
    /// build's own up to the next change by time: a build at `now` of the
    /// same inputs would write exactly what it wrote.
    pub fn holding(output: &Path, now: DateTime<Utc>) -> Option<LastBuild> {
        let last = LastBuild::load(output)?;
        let now = now.timestamp_micros();
        let holds = last.published_at <= now
            && last.until.is_none_or(|u| now < u)
            && crate::fs::stamp(&output.join(manifest::JSON)) == Some(last.manifest)
            && signing::signature_key_in(output) == last.signature
            && untouched(output, last.sealed_at);
        holds.then_some(last)
    }

    /// What the last build said, if it read `inputs`.
    pub fn said_for(self, inputs: Inputs) -> Option<Said> {
        (self.inputs == inputs.0).then_some(self.said)
    }
}

/// Whether every file of the output in `dir` (those `SHA256SUMS` lists, the
/// manifest's own two and the signature) is there, and none changed since
/// the seal: a file's inode change time moves with any write, and cannot
/// be set back.
fn untouched(dir: &Path, sealed_at: i128) -> bool {
    let Ok(sums) = std::fs::read_to_string(dir.join(manifest::SUMS)) else { return false };
    let mut files = Vec::with_capacity(sums.len() / 100 + 3);
    for line in sums.lines() {
        // An escaped name (a backslash or a line break in it) is left to
        // the build cache's check, which reads the manifest.
        match line.split_once("  ") {
            Some((_, name)) if !line.starts_with('\\') => files.push(name),
            _ => return false,
        }
    }
    files.extend([manifest::JSON, manifest::SUMS]);
    let Some(output) = crate::fs::Folder::open(dir) else { return false };
    let as_sealed = |f: &str| output.changed(f).is_some_and(|(plain, changed)| plain && changed < sealed_at);
    let signature = dir.join(signing::SIG_FILE);
    (!signature.exists() || as_sealed(signing::SIG_FILE)) && files.par_iter().all(|f| as_sealed(f))
}
