//! `site.yaml` checked: the site's settings as the build uses them, with
//! defaults for all but the title and base URL. Every error names the line
//! of `site.yaml` it is about, or the command-line option.

use crate::error::{Error, Location, Result};
use crate::load::mirrors::{Mirror, MirrorConfig};
use crate::load::site_yaml::{Donate, Newsletter, RawConfig, KNOWN_KEYS};
use crate::warning::Warning;
use std::path::PathBuf;

pub use crate::load::options::BuildOptions;

pub use crate::load::site_yaml::CONFIG_FILE;
pub const DEFAULT_THEME: &str = "samizdat";

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

#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub output_dir: PathBuf,
    pub title: String,
    /// Without a trailing slash: `https://example.org`.
    pub base_url: String,
    pub description: Option<String>,
    pub copyright: Option<String>,
    /// Other addresses of the site; never the one this build is for, and
    /// none for a discreet mirror's build.
    pub mirrors: Vec<Mirror>,
    /// Every page is measured against this many KB compressed, and carries
    /// its stylesheet inline so that it is one request (`page_budget_kb`).
    pub page_budget_kb: Option<u32>,
    /// Days a signed mirror list is valid (`mirrors_valid_for`).
    pub mirrors_valid_for: u32,
    /// Every address but the primary and the discreet ones, whichever copy
    /// this build is for: the signed mirror list's.
    pub listed: Vec<Mirror>,
    /// The signed mirror list this build publishes, if any: decided by the
    /// build from the output's list and the key (`output::signed_list`).
    pub mirror_list: Option<crate::publish::mirror_list::Signed>,
    /// For a discreet mirror's build: the site's other addresses, which no
    /// file of the output may name (`output::hidden`).
    pub hidden_hosts: Vec<String>,
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
    /// Refuse an article whose raw HTML embeds media from another host,
    /// rather than show a placeholder (`remote_media: fail`).
    pub remote_media_fails: bool,
    /// The sizes photos are published in (`images:`).
    pub images: crate::image_sizes::Ladder,
    /// Whole stories in the language and section feeds (`feeds.full_text`).
    pub full_text_feeds: bool,
    /// The site's picture for link previews: a site path of a file in
    /// `static/` (`image:`).
    pub image: Option<String>,
    pub drafts: bool,
}

/// The mirrors listed in `mirrors_file` (a YAML list, as `mirrors:`), with
/// errors at their line in that file.
fn mirrors_file(
    root: &std::path::Path,
    name: &str,
    at: &dyn Fn(&[&str], String) -> Error,
) -> Result<(Vec<Mirror>, Vec<Warning>)> {
    if name.is_empty() || std::path::Path::new(name).is_absolute() || name.split(['/', '\\']).any(|s| s == "..") {
        return Err(at(&["mirrors_file"], format!("`mirrors_file: {name}` must be a file inside the site folder")));
    }
    let path = crate::urls::shown(root, name);
    if !path.is_file() {
        return Err(at(&["mirrors_file"], format!("`mirrors_file: {name}`: no such file")));
    }
    // It may name discreet mirrors: never a file a build publishes.
    let resolved = crate::fs::resolved(&path);
    if crate::load::scan::source_folders(root).iter().any(|f| resolved.starts_with(crate::fs::resolved(f))) {
        return Err(at(
            &["mirrors_file"],
            format!("`mirrors_file: {name}` is inside a folder the build publishes; keep it beside site.yaml"),
        ));
    }
    let text = crate::fs::read_to_string(&path)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let (raw, warnings): (Option<Vec<MirrorConfig>>, _) =
        crate::load::yaml::parse(text, &path, 1, crate::load::site_yaml::KNOWN_KEYS)
            .map_err(|e| Error::Config { loc: e.loc, msg: e.msg })?;
    let mut mirrors = Vec::new();
    let mut warnings = warnings;
    if raw.as_ref().is_none_or(|r| r.is_empty()) {
        // A rotation tool that crashed mid-write leaves it so.
        warnings.push(Warning {
            loc: Location::file(path.clone()),
            msg: "lists no mirror: only the addresses in site.yaml are published".into(),
        });
    }
    for (i, m) in raw.unwrap_or_default().into_iter().enumerate() {
        let line = crate::load::yaml::line_of(text, &[&i.to_string()]).unwrap_or(0);
        mirrors.push(Mirror::from_config(m).map_err(|msg| Error::Config { loc: Location::at(&path, line, 0), msg })?);
    }
    Ok((mirrors, warnings))
}

/// The most items a list page may have, and the most "Read more" items:
/// more would make pages no reader scrolls through.
const MAX_PAGINATE: usize = 1000;
const MAX_RELATED: usize = 50;

impl Config {
    pub fn load(opts: &BuildOptions) -> Result<(Config, Vec<Warning>)> {
        opts.check().map_err(Error::Options)?;
        let path = crate::urls::shown(&opts.root, CONFIG_FILE);
        if !path.is_file() {
            return Err(Error::Config {
                loc: Location::file(path),
                msg: "not found; a site needs a site.yaml with at least `title` and `base_url`".into(),
            });
        }
        let text = crate::fs::read_to_string(&path)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let (raw, warnings): (RawConfig, _) = crate::load::yaml::parse(text, &path, 1, KNOWN_KEYS)
            .map_err(|e| Error::Config { loc: e.loc, msg: e.msg })?;
        let at = |key: &[&str], msg: String| Error::Config {
            loc: Location::at(&path, crate::load::yaml::line_of(text, key).unwrap_or(0), 0),
            msg,
        };
        let (file_mirrors, more_warnings) = match &raw.mirrors_file {
            Some(name) => mirrors_file(&opts.root, name, &at)?,
            None => (Vec::new(), Vec::new()),
        };
        let cfg = Config::from_raw(raw, file_mirrors, opts, &at)?;
        Ok((cfg, warnings.into_iter().chain(more_warnings).collect()))
    }

    /// `bad(key, message)` makes the error about the key at that path.
    fn from_raw(
        raw: RawConfig,
        file_mirrors: Vec<Mirror>,
        opts: &BuildOptions,
        bad: &dyn Fn(&[&str], String) -> Error,
    ) -> Result<Config> {
        let primary_url = validate_base_url(&raw.base_url).map_err(|m| bad(&["base_url"], m))?;
        let mut mirrors = Vec::new();
        for (i, m) in raw.mirrors.into_iter().enumerate() {
            let i = i.to_string();
            mirrors.push(Mirror::from_config(m).map_err(|m| bad(&["mirrors", &i], m))?);
        }
        mirrors.extend(file_mirrors);
        let base_url = match (&opts.base_url, &opts.mirror) {
            (Some(url), _) => validate_base_url(url).map_err(|m| Error::Options(format!("--base-url: {m}")))?,
            (None, Some(name)) => {
                let m = mirrors.iter().find(|m| m.name.as_deref() == Some(name.as_str())).ok_or_else(|| {
                    let names: Vec<&str> = mirrors.iter().filter_map(|m| m.name.as_deref()).collect();
                    let files = match &raw.mirrors_file {
                        Some(file) => format!("{CONFIG_FILE} or {file}"),
                        None => CONFIG_FILE.to_string(),
                    };
                    Error::Options(format!(
                        "--mirror {name}: no mirror of that name in {files} (named mirrors: {})",
                        if names.is_empty() { "none".to_string() } else { names.join(", ") }
                    ))
                })?;
                validate_base_url(&m.url).map_err(|e| Error::Options(format!("--mirror {name}: {e}")))?
            }
            (None, None) => primary_url.clone(),
        };
        // A discreet mirror's copy names no other address of the site; the
        // others are offered the primary (an address that lasts) and the
        // other mirrors.
        let this = mirrors.iter().find(|m| m.url.trim_end_matches('/') == base_url);
        // Built for its address by name or by `--base-url` alike.
        let discreet = this.is_some_and(|m| m.discreet);
        let others: Vec<String> = std::iter::once(primary_url.clone())
            .chain(mirrors.iter().map(|m| m.url.clone()))
            .filter(|u| u.trim_end_matches('/') != base_url)
            .collect();
        // A discreet mirror is named by no copy: a censor reading any list
        // would find it.
        let listed: Vec<Mirror> = mirrors.iter().filter(|m| !m.discreet).cloned().collect();
        if discreet {
            mirrors.clear();
        } else if base_url != primary_url {
            let primary = MirrorConfig { url: primary_url.clone(), stable: true, ..Default::default() };
            mirrors.insert(0, Mirror::from_config(primary).map_err(|m| bad(&["base_url"], m))?);
        }
        mirrors.retain(|m| m.url.trim_end_matches('/') != base_url && !m.discreet);
        let hidden_hosts = if discreet { others } else { Vec::new() };
        if let Some(kb) = raw.page_budget_kb.filter(|kb| !(1..=10_000).contains(kb)) {
            return Err(bad(&["page_budget_kb"], format!("`page_budget_kb: {kb}` must be from 1 to 10000")));
        }
        if !(1..=366).contains(&raw.mirrors_valid_for) {
            return Err(bad(&["mirrors_valid_for"], "`mirrors_valid_for` must be from 1 to 366 days".into()));
        }
        let remote_media_fails = match raw.remote_media.as_deref() {
            None | Some("placeholder") => false,
            Some("fail") => true,
            Some(other) => {
                return Err(bad(&["remote_media"], format!("`remote_media: {other}` must be `placeholder` or `fail`")))
            }
        };
        let images = ladder(&raw.images).map_err(|m| bad(&["images"], m))?;
        if !(1..=MAX_PAGINATE).contains(&raw.paginate) {
            return Err(bad(&["paginate"], format!("`paginate` must be from 1 to {MAX_PAGINATE}")));
        }
        if raw.related > MAX_RELATED {
            return Err(bad(&["related"], format!("`related` must be at most {MAX_RELATED}")));
        }
        let mut codes: Vec<String> = raw.languages.keys().cloned().collect();
        if codes.is_empty() {
            codes.push(raw.default_language.clone());
        }
        if !codes.contains(&raw.default_language) {
            return Err(bad(
                &["default_language"],
                format!("`default_language: {}` is not among `languages` ({})", raw.default_language, codes.join(", ")),
            ));
        }
        for code in &codes {
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                return Err(bad(
                    &["languages", code],
                    format!("language code `{code}` must be lowercase letters, like `en` or `ru`"),
                ));
            }
            let lc = raw.languages.get(code);
            if let Some(n) = lc.and_then(|l| l.newsletter.as_ref()) {
                web_url(&n.action).map_err(|m| bad(&["languages", code, "newsletter", "action"], m))?;
            }
            if let Some(d) = lc.and_then(|l| l.donate.as_ref()) {
                web_url(&d.url).map_err(|m| bad(&["languages", code, "donate", "url"], m))?;
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
        // A file in static/, named as a link in an article names it: its
        // site path.
        let image = match raw.image.as_deref().map(|i| i.trim_start_matches('/')) {
            Some(i) => {
                let in_static = crate::urls::resolve_relative("", i)
                    .filter(|clean| opts.root.join("static").join(clean).is_file())
                    .ok_or_else(|| {
                        let msg = format!(
                            "`{i}` is not a file in static/ (write it as a path inside static/, like images/share.png)"
                        );
                        bad(&["image"], msg)
                    })?;
                Some(in_static)
            }
            None => None,
        };
        let public_key = match raw.public_key {
            Some(k) => Some(crate::publish::signing::parse_public(&k).map_err(|m| bad(&["public_key"], m))?),
            None => None,
        };
        Ok(Config {
            output_dir: opts.output.clone().unwrap_or_else(|| opts.root.join("public")),
            root: opts.root.clone(),
            title: raw.title,
            base_url,
            description: raw.description,
            copyright: raw.copyright,
            mirrors,
            mirrors_valid_for: raw.mirrors_valid_for,
            page_budget_kb: raw.page_budget_kb,
            listed,
            mirror_list: None,
            hidden_hosts,
            primary_url,
            onion_location_meta: raw.onion_location_meta,
            sanitize: raw.markdown.sanitize,
            remote_media_fails,
            images,
            full_text_feeds: raw.feeds.full_text,
            image,
            public_key,
            languages,
            theme: raw.theme,
            paginate: raw.paginate,
            pretty_urls: opts.pretty_urls.unwrap_or(raw.pretty_urls),
            related: raw.related,
            drafts: opts.drafts,
        })
    }

    /// Whether this build is a discreet mirror's (no tie to the others).
    pub fn is_discreet(&self) -> bool {
        !self.hidden_hosts.is_empty()
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

/// A link readers follow or a form posts to: `https://` or `http://` only
/// (a `javascript:` or `data:` URL would run in the reader's browser).
/// `images:` checked: every width a real screen's (16 to 8192 pixels),
/// a JPEG quality from 1 to 100, a `sizes` a browser can read.
fn ladder(raw: &crate::load::site_yaml::ImagesConfig) -> std::result::Result<crate::image_sizes::Ladder, String> {
    if raw.widths.is_empty() {
        return Err("`images.widths` needs at least one width".into());
    }
    if let Some(w) = raw.widths.iter().find(|w| !(16..=8192).contains(*w)) {
        return Err(format!("`images.widths`: {w} must be from 16 to 8192 pixels"));
    }
    if !(1..=100).contains(&raw.quality) {
        return Err(format!("`images.quality: {}` must be from 1 to 100", raw.quality));
    }
    let sizes = raw.body_sizes.trim();
    if sizes.is_empty() || sizes.contains(['"', '<', '>']) {
        return Err("`images.body_sizes` must be a `sizes` attribute, such as `(min-width: 42rem) 40rem, 100vw`".into());
    }
    Ok(crate::image_sizes::Ladder::new(raw.widths.clone(), raw.quality as u8, raw.publish_originals, sizes.into()))
}

fn web_url(url: &str) -> std::result::Result<(), String> {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => Ok(()),
        _ => Err(format!("`{url}` must be an https:// or http:// address")),
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

    /// The error's text, with the temporary folder left out.
    fn error(yaml: &str) -> String {
        load(yaml)
            .expect_err("an error")
            .to_string()
            .rsplit_once("site.yaml")
            .map(|(_, e)| format!("site.yaml{e}"))
            .unwrap()
    }

    #[test]
    fn errors_name_the_line_of_the_key() {
        assert_eq!(
            error("title: t\nbase_url: example.org\n"),
            "site.yaml:2: config: `base_url` must start with https:// or http:// (got `example.org`)"
        );
        assert_eq!(
            error("title: t\nbase_url: https://x.org\ndefault_language: de\nlanguages: {en: {}}\n"),
            "site.yaml:3: config: `default_language: de` is not among `languages` (en)"
        );
        assert_eq!(
            error("title: t\nbase_url: [\n"),
            "site.yaml:2:11: config: base_url: invalid type: sequence, expected a string"
        );
        let yaml = "title: t\nbase_url: https://x.org\nlanguages:\n  en:\n    donate:\n      title: Give\n      text: t\n      url: \"javascript:alert(1)\"\n";
        assert_eq!(error(yaml), "site.yaml:8: config: `javascript:alert(1)` must be an https:// or http:// address");
        let yaml = "title: t\nbase_url: https://x.org\nlanguages:\n  en: {}\n  ru: {newsletter: {title: a, text: b, action: \"data:text/html,x\"}}\n";
        assert_eq!(error(yaml), "site.yaml:5: config: `data:text/html,x` must be an https:// or http:// address");
    }

    #[test]
    fn absurd_numbers_are_errors_not_panics() {
        // See: #19 (16). `related: 18446744073709551615` panicked.
        assert_eq!(
            error("title: t\nbase_url: https://x.org\nrelated: 18446744073709551615\n"),
            "site.yaml:3: config: `related` must be at most 50"
        );
        assert_eq!(
            error("title: t\nbase_url: https://x.org\npaginate: 0\n"),
            "site.yaml:3: config: `paginate` must be from 1 to 1000"
        );
    }

    #[test]
    fn a_bad_base_url_on_the_command_line_is_blamed_on_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "title: t\nbase_url: https://x.org\n").unwrap();
        let opts = BuildOptions {
            root: dir.path().to_path_buf(),
            base_url: Some("mirror.example".into()),
            ..Default::default()
        };
        let e = Config::load(&opts).err().unwrap().to_string();
        assert_eq!(
            e,
            "command line: --base-url: `base_url` must start with https:// or http:// (got `mirror.example`)"
        );
    }
}
