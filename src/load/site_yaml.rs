//! `site.yaml` as written: its keys, their types and defaults, parsed with
//! unknown keys reported. `config::Config` is what the build uses, checked.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The site's configuration file, in the site folder.
pub const CONFIG_FILE: &str = "site.yaml";

pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "base_url",
    "default_language",
    "languages",
    "theme",
    "paginate",
    "pretty_urls",
    "related",
    "description",
    "newsletter",
    "donate",
    "copyright",
    "mirrors",
    "mirrors_file",
    "mirrors_valid_for",
    "page_budget_kb",
    "stable",
    "discreet",
    "name",
    "kind",
    "label",
    "since",
    "onion_location_meta",
    "public_key",
    "markdown",
    "sanitize",
    "feeds",
    "full_text",
    "image",
    "text",
    "action",
    "button",
    "url",
    "remote_media",
    "images",
    "widths",
    "quality",
    "publish_originals",
    "body_sizes",
];

/// The file as written. `Config` is what the build uses.
#[derive(Deserialize)]
pub struct RawConfig {
    pub title: String,
    pub base_url: String,
    #[serde(default = "default_language")]
    pub default_language: String,
    #[serde(default)]
    pub languages: BTreeMap<String, LanguageConfig>,
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default = "default_paginate")]
    pub paginate: usize,
    #[serde(default)]
    pub pretty_urls: bool,
    #[serde(default = "default_related")]
    pub related: usize,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub copyright: Option<String>,
    #[serde(default)]
    pub mirrors: Vec<crate::load::mirrors::MirrorConfig>,
    /// A file of more mirrors (a YAML list, as `mirrors`), which rotation
    /// tooling rewrites without touching `site.yaml`.
    #[serde(default)]
    pub mirrors_file: Option<String>,
    /// Measure every page against this many KB compressed (`output::budget`).
    #[serde(default)]
    pub page_budget_kb: Option<u32>,
    /// Days a signed mirror list is valid from its issue.
    #[serde(default = "default_valid_for")]
    pub mirrors_valid_for: u32,
    #[serde(default = "yes")]
    pub onion_location_meta: bool,
    #[serde(default)]
    pub public_key: Option<String>,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// `placeholder` (default) or `fail`: what an article's media from
    /// another host (an embed, a remote video) becomes.
    #[serde(default)]
    pub remote_media: Option<String>,
    #[serde(default)]
    pub feeds: FeedsConfig,
    #[serde(default)]
    pub images: ImagesConfig,
    /// The site's picture for link previews (Open Graph), a file in static/.
    #[serde(default)]
    pub image: Option<String>,
}

/// What the feeds carry.
#[derive(Debug, Clone, Deserialize)]
pub struct FeedsConfig {
    /// Whole stories in the language and section feeds (readers whose
    /// only link is a feed app read them there); `false`: summaries.
    #[serde(default = "yes")]
    pub full_text: bool,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig { full_text: true }
    }
}

/// The sizes photos are published in (`image_sizes`).
#[derive(Debug, Clone, Deserialize)]
pub struct ImagesConfig {
    #[serde(default = "default_widths")]
    pub widths: Vec<u32>,
    #[serde(default = "default_quality")]
    pub quality: u32,
    #[serde(default)]
    pub publish_originals: bool,
    #[serde(default = "default_body_sizes")]
    pub body_sizes: String,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: default_widths(),
            quality: default_quality(),
            publish_originals: false,
            body_sizes: default_body_sizes(),
        }
    }
}

fn default_widths() -> Vec<u32> {
    crate::image_sizes::DEFAULT_WIDTHS.to_vec()
}
fn default_quality() -> u32 {
    crate::image_sizes::DEFAULT_QUALITY as u32
}
fn default_body_sizes() -> String {
    crate::image_sizes::DEFAULT_BODY_SIZES.into()
}

/// How articles' Markdown is turned into HTML.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MarkdownConfig {
    /// Clean raw HTML in articles with a sanitizer (writers are trusted by
    /// default, so raw HTML passes as written).
    #[serde(default)]
    pub sanitize: bool,
}

fn yes() -> bool {
    true
}

fn default_language() -> String {
    "en".into()
}
fn default_paginate() -> usize {
    20
}
fn default_related() -> usize {
    4
}
fn default_valid_for() -> u32 {
    3
}

/// Per-language settings: the masthead, and the optional newsletter and
/// donation blocks, which a newsroom words differently for each audience.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct LanguageConfig {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub newsletter: Option<Newsletter>,
    #[serde(default)]
    pub donate: Option<Donate>,
    /// The footer's rights line in this language; else the site's.
    #[serde(default)]
    pub copyright: Option<String>,
}

/// A sign-up form: a plain HTML form posting to the mail provider, so it
/// needs no script.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Newsletter {
    pub title: String,
    pub text: String,
    /// Where the form posts (the mail provider's sign-up URL).
    pub action: String,
    #[serde(default)]
    pub button: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Donate {
    pub title: String,
    pub text: String,
    pub url: String,
    #[serde(default)]
    pub button: Option<String>,
}
