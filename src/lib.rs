//! sitegen: Markdown news articles in, a self-contained static site out,
//! one that works on any mirror, under any path, and from disk.
//!
//! The folders follow the pipeline, each using only those above it:
//! `markdown` (a pure library) and `load` → `model` → `render` → `publish`
//! (the formats of a copy) → `output` → `cache` → `build` → `watch` →
//! `cli`. The files at the top hold what every stage uses. See
//! `docs/architecture.md`.

// used by every stage
pub mod error;
pub mod escape;
pub mod fingerprint;
pub mod fs;
pub mod pause;
pub mod urls;
pub mod warning;
// the pipeline
pub mod build;
pub mod cache;
pub mod cli;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod publish;
pub mod render;
pub mod report;
pub mod watch;

pub use error::{Error, Result};
pub use load::config::{BuildOptions, Config};
