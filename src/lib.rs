//! sitegen: Markdown news articles in, a self-contained static site out,
//! one that works on any mirror, under any path, and from disk.
//!
//! The modules follow the pipeline.

// config and input
pub mod cli;
pub mod config;
pub mod error;
pub mod fs;
pub mod warning;
pub mod yaml;
// load and parse
pub mod article;
pub mod dates;
pub mod frontmatter;
pub mod load;
// site model
pub mod related;
pub mod site;
pub mod taxonomy;
pub mod urls;
// Markdown
pub mod bodies;
pub mod body_memo;
pub mod highlight;
pub mod links;
pub mod markdown;
// render
pub mod fingerprint;
pub mod i18n;
pub mod page_keys;
pub mod pages;
pub mod postprocess;
pub mod render;
pub mod tags;
pub mod theme;
pub mod views;
// write
pub mod archive;
pub mod assets;
pub mod build;
pub mod build_cache;
pub mod car;
pub mod current;
pub mod feeds;
pub mod guard;
pub mod images;
pub mod in_place;
pub mod ipfs;
pub mod manifest;
pub mod mirrors;
pub mod output;
pub mod pause;
pub mod sink;
// watch and preview
pub mod memo;
pub mod patch;
pub mod serve;
pub mod signing;
pub mod verify;
pub mod watch;

pub use config::{BuildOptions, Config};
pub use error::{Error, Result};
