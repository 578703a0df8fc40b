//! sitegen: Markdown news articles in, a self-contained static site out,
//! one that works on any mirror, under any path, and from disk.
//!
//! The folders follow the pipeline; each uses only those before it here:
//! `markdown` and `publish` (libraries: Markdown to HTML, the formats of a
//! published copy), then `load` → `model` → `render` → `output` → `cache`
//! → `report`, `build` → `watch` → `cli`. The files at the top hold what
//! every stage uses. `docs/architecture.md` is the map;
//! `tests/integration/architecture.rs` checks the order.

// used by every stage
pub mod error;
pub mod escape;
pub mod fingerprint;
pub mod fs;
pub mod html_tags;
pub mod image_sizes;
pub mod pause;
pub mod progress;
pub mod urls;
pub mod warning;
// the pipeline
pub mod build;
pub mod cache;
pub mod cli;
pub mod edition;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod publish;
pub mod render;
pub mod report;
pub mod search;
pub mod watch;

pub use error::{Error, Result};
pub use load::config::{BuildOptions, Config};
