//! Where a build's files go: a staging folder swapped in at the end
//! (`sitegen build`), or the watch preview, updated in place.

use crate::error::Result;
use crate::in_place::InPlace;
use crate::manifest::{Entry, Manifest};
use crate::output::{Changes, Leftover, Staging};

pub enum Sink {
    Staging(Staging),
    InPlace(InPlace),
}

impl Sink {
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

    pub fn commit(self) -> Result<(Changes, Manifest)> {
        match self {
            Sink::Staging(s) => s.commit(),
            Sink::InPlace(s) => s.commit(),
        }
    }

    /// `commit`, leaving the removal of a swapped-out site to the caller.
    pub fn commit_leaving(self) -> Result<(Changes, Manifest, Leftover)> {
        match self {
            Sink::Staging(s) => s.commit_leaving(),
            Sink::InPlace(s) => s.commit().map(|(c, m)| (c, m, Leftover::none())),
        }
    }
}
