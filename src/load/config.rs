//! `site.yaml`: the site's settings, validated, with defaults for all but the
//! title, base URL and languages.

use crate::error::{Error, Result};
use crate::warning::Warning;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "site.yaml";
pub const DEFAULT_THEME: &str = "samizdat";

const KNOWN_KEYS: &[&str] = &[
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
    "name",
    "kind",
    "label",
    "since",
    "onion_location_meta",
    "public_key",
    "markdown",
    "sanitize",
    "text",
    "action",
    "button",
    "url",
];

/// The file as written. `Config` is what the build uses.
#[derive(Deserialize)]
struct RawConfig {
    title: String,
    base_url: String,
    #[serde(default = "default_language")]
    default_language: String,
    #[serde(default)]
    languages: BTreeMap<String, LanguageConfig>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default = "default_paginate")]
    paginate: usize,
    #[serde(default)]
    pretty_urls: bool,
    #[serde(default = "default_related")]
    related: usize,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    copyright: Option<String>,
    #[serde(default)]
    mirrors: Vec<crate::load::mirrors::MirrorConfig>,
    #[serde(default = "yes")]
    onion_location_meta: bool,
    #[serde(default)]
    public_key: Option<String>,
    #[serde(default)]
    markdown: MarkdownConfig,
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

/// One language of the site, in output order (default language first).
#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    pub newsletter: Option<Newsletter>,
    pub donate: Option<Donate>,
    pub copyright: Option<String>,
}

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

#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub output_dir: PathBuf,
    pub title: String,
    /// Without a trailing slash: `https://example.org`.
    pub base_url: String,
    pub description: Option<String>,
    pub copyright: Option<String>,
    /// Other addresses of the site; never the one this build is for.
    pub mirrors: Vec<crate::load::mirrors::Mirror>,
    /// Whether pages carry `<meta http-equiv="onion-location">` when there is
    /// an onion mirror. Tor Browser reads it; the HTML standard does not
    /// list it, so the Nu HTML Checker reports it.
    pub onion_location_meta: bool,
    /// The key that signs the manifest (`ed25519:…`), shown on the mirrors
    /// page with its fingerprint.
    pub public_key: Option<ed25519_dalek::VerifyingKey>,
    /// The address `site.yaml` names, which stays a mirror when the site is
    /// built for another.
    pub primary_url: String,
    pub languages: Vec<Language>,
    pub theme: Option<String>,
    pub paginate: usize,
    pub pretty_urls: bool,
    pub related: usize,
    /// Clean raw HTML in articles (`markdown.sanitize`).
    pub sanitize: bool,
    pub drafts: bool,
}

impl Config {
    pub fn load(opts: &BuildOptions) -> Result<(Config, Vec<Warning>)> {
        let path = crate::urls::shown(&opts.root, CONFIG_FILE);
        if !path.is_file() {
            return Err(Error::Config {
                path,
                msg: "not found; a site needs a site.yaml with at least `title`, `base_url` and `languages`".into(),
            });
        }
        let text = crate::fs::read_to_string(&path)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let (raw, warnings): (RawConfig, _) = crate::load::yaml::parse(text, &path, 1, KNOWN_KEYS)
            .map_err(|e| Error::Config { path: e.loc.path.clone(), msg: format!("line {}: {}", e.loc.line, e.msg) })?;
        let cfg = Config::from_raw(raw, opts, &path)?;
        Ok((cfg, warnings))
    }

    fn from_raw(raw: RawConfig, opts: &BuildOptions, path: &Path) -> Result<Config> {
        let bad = |msg: String| Error::Config { path: path.to_path_buf(), msg };
        let primary_url = validate_base_url(&raw.base_url).map_err(bad)?;
        let mut mirrors = Vec::new();
        for m in raw.mirrors {
            mirrors.push(crate::load::mirrors::Mirror::from_config(m).map_err(bad)?);
        }
        let base_url = match (&opts.base_url, &opts.mirror) {
            (Some(url), _) => validate_base_url(url).map_err(bad)?,
            (None, Some(name)) => {
                let m = mirrors.iter().find(|m| m.name.as_deref() == Some(name.as_str())).ok_or_else(|| {
                    let names: Vec<&str> = mirrors.iter().filter_map(|m| m.name.as_deref()).collect();
                    bad(format!(
                        "no mirror named `{name}` (named mirrors: {})",
                        if names.is_empty() { "none".to_string() } else { names.join(", ") }
                    ))
                })?;
                validate_base_url(&m.url).map_err(bad)?
            }
            (None, None) => primary_url.clone(),
        };
        // Readers of this copy are offered the primary and the other mirrors.
        if base_url != primary_url {
            let primary = crate::load::mirrors::Mirror::from_config(crate::load::mirrors::MirrorConfig {
                url: primary_url.clone(),
                name: None,
                kind: None,
                label: None,
                since: None,
            })
            .map_err(bad)?;
            mirrors.insert(0, primary);
        }
        mirrors.retain(|m| m.url.trim_end_matches('/') != base_url);
        if raw.paginate == 0 {
            return Err(bad("`paginate` must be at least 1".into()));
        }
        let mut codes: Vec<String> = raw.languages.keys().cloned().collect();
        if codes.is_empty() {
            codes.push(raw.default_language.clone());
        }
        if !codes.contains(&raw.default_language) {
            return Err(bad(format!(
                "`default_language: {}` is not among `languages` ({})",
                raw.default_language,
                codes.join(", ")
            )));
        }
        for code in &codes {
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                return Err(bad(format!("language code `{code}` must be lowercase letters, like `en` or `ru`")));
            }
        }
        // Default language first, the others in code order: this order
        // reaches the output (language switcher, sitemap).
        codes.sort_by_key(|c| (c != &raw.default_language, c.clone()));
        let languages = codes
            .into_iter()
            .map(|code| {
                let lc = raw.languages.get(&code).cloned().unwrap_or_default();
                Language {
                    title: lc.title.unwrap_or_else(|| raw.title.clone()),
                    description: lc.description.or_else(|| raw.description.clone()),
                    newsletter: lc.newsletter,
                    donate: lc.donate,
                    copyright: lc.copyright.or_else(|| raw.copyright.clone()),
                    code,
                }
            })
            .collect();
        Ok(Config {
            output_dir: opts.output.clone().unwrap_or_else(|| opts.root.join("public")),
            root: opts.root.clone(),
            title: raw.title,
            base_url,
            description: raw.description,
            copyright: raw.copyright,
            mirrors,
            primary_url,
            onion_location_meta: raw.onion_location_meta,
            sanitize: raw.markdown.sanitize,
            public_key: match raw.public_key {
                Some(k) => Some(
                    crate::publish::signing::parse_public(&k)
                        .map_err(|e| Error::Config { path: path.to_path_buf(), msg: e })?,
                ),
                None => None,
            },
            languages,
            theme: raw.theme,
            paginate: raw.paginate,
            pretty_urls: opts.pretty_urls.unwrap_or(raw.pretty_urls),
            related: raw.related,
            drafts: opts.drafts,
        })
    }

    pub fn default_language(&self) -> &str {
        &self.languages[0].code
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
    pub fn static_dir(&self) -> PathBuf {
        self.root.join("static")
    }
    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }
}

fn validate_base_url(url: &str) -> std::result::Result<String, String> {
    let trimmed = url.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(|| format!("`base_url` must start with https:// or http:// (got `{url}`)"))?;
    if rest.is_empty() || rest.contains(char::is_whitespace) {
        return Err(format!("`base_url` has no host (got `{url}`)"));
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(yaml: &str) -> Result<Config> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), yaml).unwrap();
        let opts = BuildOptions { root: dir.path().to_path_buf(), ..Default::default() };
        Config::load(&opts).map(|(c, _)| c)
    }

    #[test]
    fn smallest_config_builds() {
        let c = load(
            "title: \"The Example Times\"\nbase_url: \"https://example.org/\"\ndefault_language: en\nlanguages:\n  en: {title: \"The Example Times\"}\n  ru: {title: \"Пример Таймс\"}\n",
        )
        .unwrap();
        assert_eq!(c.base_url, "https://example.org");
        assert_eq!(c.languages.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), ["en", "ru"]);
        assert_eq!(c.languages[1].title, "Пример Таймс");
        assert_eq!(c.paginate, 20);
        assert!(!c.pretty_urls);
    }

    #[test]
    fn default_language_comes_first() {
        let c = load("title: t\nbase_url: https://x.org\ndefault_language: ru\nlanguages: {en: {}, ru: {}}\n").unwrap();
        assert_eq!(c.default_language(), "ru");
    }

    #[test]
    fn bad_base_url_is_an_error() {
        let e = load("title: t\nbase_url: example.org\n").unwrap_err().to_string();
        assert!(e.contains("site.yaml: config: `base_url` must start with https://"), "{e}");
    }

    #[test]
    fn unknown_default_language_is_an_error() {
        let e = load("title: t\nbase_url: https://x.org\ndefault_language: de\nlanguages: {en: {}}\n").unwrap_err();
        assert!(e.to_string().contains("`default_language: de` is not among `languages` (en)"), "{e}");
    }

    #[test]
    fn yaml_error_names_line() {
        let e = load("title: t\nbase_url: [\n").unwrap_err().to_string();
        assert!(e.contains("site.yaml: config: line 2"), "{e}");
    }
}
