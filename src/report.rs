//! What a build tells its caller: what it made, what changed since the
//! last build (what a mirror sync will upload), the site's CID, warnings,
//! and how long each stage took.

use crate::output::changes::Changes;
use crate::publish::manifest::Manifest;
use crate::warning::Warning;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct BuildReport {
    pub articles: usize,
    /// Pages the site has.
    pub pages: usize,
    /// Pages rendered (the rest were kept from the previous build).
    pub rendered: usize,
    /// Files in the output, the manifest's own two included.
    pub files: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    pub warnings: Vec<Warning>,
    pub output: PathBuf,
    /// Against the previous output: what a mirror sync will upload.
    pub changes: Changes,
    /// The output folder's IPFS CID (CIDv1, UnixFS); not for a preview.
    pub cid: Option<String>,
    /// Wall time of each stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// When the site next changes by itself (a scheduled story, an expiry).
    pub next_change: Option<crate::load::schedule::NextChange>,
    /// Photo copies encoded (the others were kept or found in the cache).
    pub photos_encoded: usize,
}

/// How many articles and pages a build had, and how many pages it rendered.
pub struct Tally {
    pub articles: usize,
    pub pages: usize,
    pub rendered: usize,
}

impl BuildReport {
    /// The report of a build that left `manifest` in `output`.
    pub fn new(
        tally: Tally,
        output: &Path,
        manifest: &Manifest,
        changes: Changes,
        cid: Option<String>,
        warnings: Vec<Warning>,
        clock: Stopwatch,
    ) -> BuildReport {
        let totals = (manifest.file_count(), manifest.total_size());
        BuildReport::of_totals(tally, output, totals, changes, cid, warnings, clock)
    }

    /// The report of a build that found its output as the last build left
    /// it, `files` files of `bytes` bytes (`Manifest::file_count` and
    /// `total_size`), and wrote nothing.
    pub fn unchanged(
        tally: Tally,
        output: &Path,
        (files, bytes): (usize, u64),
        cid: Option<String>,
        warnings: Vec<Warning>,
        clock: Stopwatch,
    ) -> BuildReport {
        let changes = Changes { unchanged: files.saturating_sub(2), ..Changes::default() };
        BuildReport::of_totals(tally, output, (files, bytes), changes, cid, warnings, clock)
    }

    fn of_totals(
        tally: Tally,
        output: &Path,
        (files, bytes): (usize, u64),
        changes: Changes,
        cid: Option<String>,
        warnings: Vec<Warning>,
        clock: Stopwatch,
    ) -> BuildReport {
        BuildReport {
            articles: tally.articles,
            pages: tally.pages,
            rendered: tally.rendered,
            files,
            bytes,
            elapsed: clock.start.elapsed(),
            warnings,
            output: output.to_path_buf(),
            changes,
            cid,
            next_change: None,
            photos_encoded: 0,
            timings: clock.laps,
        }
    }
}

/// Records how long each stage took.
pub struct Stopwatch {
    start: Instant,
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    pub fn start() -> Stopwatch {
        let now = Instant::now();
        Stopwatch { start: now, last: now, laps: Vec::new() }
    }

    /// Ends the stage `stage`, which began when the last one ended.
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

/// How long each stage took, one line each.
pub fn print_timings(timings: &[(&'static str, Duration)]) {
    for (stage, t) in timings {
        eprintln!("{:>8.1} ms  {stage}", t.as_secs_f64() * 1000.0);
    }
}
