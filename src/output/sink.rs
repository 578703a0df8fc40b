//! Where a build's files go: a staging folder swapped in at the end
//! (`sitegen build`), or the watch preview, updated in place.

use crate::error::Result;
use crate::output::changes::Changes;
use crate::output::in_place::holdings;
use crate::output::in_place::InPlace;
use crate::output::lock::Claim;
use crate::output::staging::{Leftover, Staging};
use crate::publish::manifest::{Entry, Manifest};
use std::path::Path;

/// How a build writes its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `sitegen build`: into a staging folder swapped in at the end, with
    /// the build cache beside the output and the site's CID.
    Publish,
    /// A watch session's preview: in place, changed files only; no cache
    /// on disk, no CID; the built site is kept for the next save.
    Preview,
}

/// Where a build's files go.
pub enum Sink {
    Staging(Staging),
    InPlace(InPlace),
}

/// What a commit left: the changes, the new manifest, and the previous
/// site swapped out (removed by its owner, while other work goes on).
pub struct Committed {
    pub changes: Changes,
    pub manifest: Manifest,
    pub leftover: Leftover,
}

impl Sink {
    /// The sink of a build in `mode` into `target`, which `claim` holds;
    /// `previous` is what the output holds, if known.
    pub fn open(mode: Mode, claim: &Claim, target: &Path, previous: Option<Manifest>) -> Result<Sink> {
        Ok(match mode {
            Mode::Publish => Sink::Staging(Staging::new(claim, target, previous.unwrap_or_default())?),
            Mode::Preview => Sink::InPlace(InPlace::new(target, holdings(target, previous))?),
        })
    }

    /// From now on, refuses any file that names one of `hosts` (a discreet
    /// mirror's build); a preview is not published and is not checked.
    pub fn forbid(&mut self, hosts: &[String]) {
        if let Sink::Staging(s) = self {
            s.forbid(hosts);
        }
    }

    /// The files whose bytes differ from the previous output's (a published
    /// build's; a preview's are not compared).
    pub fn differences(&self) -> Vec<String> {
        match self {
            Sink::Staging(s) => s.differences(),
            Sink::InPlace(_) => Vec::new(),
        }
    }

    /// A sink that writes a few files into the preview and keeps the rest.
    pub fn patch(target: &Path, previous: Manifest) -> Result<Sink> {
        InPlace::patching(target, previous).map(Sink::InPlace)
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<u64> {
        match self {
            Sink::Staging(s) => s.write(rel, bytes),
            Sink::InPlace(s) => s.write(rel, bytes),
        }
    }

    /// Takes the previous build's file at `rel`, whose entry was `entry`.
    pub fn keep(&self, rel: &str, entry: &Entry) -> Result<u64> {
        match self {
            Sink::Staging(s) => s.keep(rel, entry),
            Sink::InPlace(s) => s.keep(rel, entry),
        }
    }

    pub fn size_of(&self, rel: &str) -> Option<u64> {
        match self {
            Sink::Staging(s) => s.size_of(rel),
            Sink::InPlace(s) => s.size_of(rel),
        }
    }

    /// What the output held before this build, as far as it is known.
    pub fn previous(&self) -> &Manifest {
        match self {
            Sink::Staging(s) => &s.previous,
            Sink::InPlace(s) => s.previous(),
        }
    }

    /// Writes the manifest and, for a published build, the signature `sign`
    /// gives for it (a preview is never signed); puts the new site in place.
    pub fn commit(self, sign: impl FnOnce(&[u8]) -> Result<Option<String>>) -> Result<Committed> {
        let (changes, manifest, leftover) = match self {
            Sink::Staging(s) => s.commit_leaving(sign)?,
            Sink::InPlace(s) => s.commit().map(|(c, m)| (c, m, Leftover::none()))?,
        };
        Ok(Committed { changes, manifest, leftover })
    }
}
