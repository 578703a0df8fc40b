//! What a build is asked for on the command line (or by a watch session):
//! the options that are not in `site.yaml`.

use std::path::PathBuf;

/// How this build was asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Build for the mirror of this name in `site.yaml`.
    pub mirror: Option<String>,
    pub pretty_urls: Option<bool>,
    /// Replace an output folder that sitegen did not build.
    pub force: bool,
    /// Also write the site as a CAR file here (for IPFS).
    pub car: Option<PathBuf>,
    pub drafts: bool,
    /// Threads to render on (`--jobs`); default one per core.
    pub threads: Option<usize>,
    /// Build from nothing, ignoring (and removing) the build cache.
    pub no_cache: bool,
}
