//! An article: its front matter checked and turned into typed fields, its
//! URL decided. The body is rendered later, once every URL in the site is
//! known, so links between articles can be checked.

use crate::error::{Error, Location, Result};
use crate::fingerprint::{of_bytes, Key};
use crate::load::config::Config;
use crate::load::dates::{self, Date};
use crate::load::frontmatter::{self, ArticleMeta, Photo};
use crate::load::scan::{SourceFile, SourceKind};
use crate::markdown::typography;
use crate::urls::{self, PagePath};
use crate::warning::Warning;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// First path segments the site's own pages use; no section may take them.
pub const RESERVED_SECTIONS: &[&str] = &["tags", "authors", "page", "mirrors", "corrections", "search", "assets"];

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Article {
    /// Content-relative source (`news/envoy/index.md`).
    pub rel: String,
    /// `content/news/envoy/index.md`, for messages.
    pub display: PathBuf,
    /// Content folder holding the file, for relative links and images.
    pub dir: String,
    pub bundle: bool,
    pub lang: String,
    pub section: String,
    pub slug: String,
    pub path: PagePath,
    pub title: String,
    pub summary: Option<String>,
    pub date: Date,
    pub updated: Option<Date>,
    /// From then on the article is left out (`expires:`).
    pub expires: Option<Date>,
    /// Oldest first. `updated` is at least the newest one's date.
    pub corrections: Vec<Correction>,
    /// A candidate for the front page's lead (`featured:`); the build
    /// clears it once `featured_until` has come.
    pub featured: bool,
    pub featured_until: Option<Date>,
    /// Set by the build for an article a preview shows though a published
    /// build would not (scheduled, or expired): the preview marks it.
    #[serde(skip)]
    pub held: Option<Held>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub photo: Option<Photo>,
    /// Line of `photo:` in the file, for "photo not found".
    pub photo_line: usize,
    pub wire_credit: Option<String>,
    pub dateline: Option<String>,
    pub translation_key: Option<String>,
    /// Old addresses that redirect here, as page paths.
    pub aliases: Vec<PagePath>,
    pub draft: bool,
    /// The Markdown body; shared, as the memo of a watch session keeps it.
    /// `None` once a one-shot build has rendered it, and in an article kept
    /// in the build cache: `markdown` reads it again if it is needed.
    #[serde(skip)]
    pub body_md: Option<Arc<str>>,
    pub body_line: usize,
    /// Where the body starts in the file, in bytes.
    pub body_at: usize,
    /// Fingerprint of the body: whether a rendered body still holds is
    /// known without the text.
    pub body_fp: Key,
}

/// A correction published on an article.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Correction {
    pub date: Date,
    pub text: String,
}

/// Why a published build would leave an article out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Held {
    /// Its date is after the build's "now".
    Scheduled,
    /// Its `expires` is at or before "now".
    Expired,
}

impl Article {
    /// The Markdown body, read again from the file under `content_dir` if
    /// it was let go. A file changed since it was parsed is an error, not
    /// a page rendered from the wrong text.
    pub fn markdown(&self, content_dir: &Path) -> Result<Arc<str>> {
        if let Some(md) = &self.body_md {
            return Ok(md.clone());
        }
        let text = crate::fs::read_to_string(&content_dir.join(&self.rel))?;
        match text.get(self.body_at..) {
            Some(body) if of_bytes(body.as_bytes()) == self.body_fp => Ok(body.into()),
            _ => Err(Error::Content {
                loc: Location::file(&self.display),
                msg: "changed while the site was being built; build again".into(),
            }),
        }
    }
}

/// Reads and checks one article file. `Ok(None)` for a draft left out.
pub fn parse(file: &SourceFile, cfg: &Config) -> Result<(Option<Article>, Vec<Warning>)> {
    let text = crate::fs::read_to_string(&file.abs).map_err(|e| relabel(e, file))?;
    let split = frontmatter::split(&text, &file.display)?;
    let (mut meta, mut warnings): (ArticleMeta, _) =
        frontmatter::parse(&split, &file.display, frontmatter::ARTICLE_KEYS)?;
    if meta.draft && !cfg.drafts {
        return Ok((None, warnings));
    }
    let at = |key: &str| {
        let line = crate::warning::yaml_key_line(split.yaml, key).map_or(0, |l| l + split.yaml_line - 1);
        Location::at(&file.display, line, 0)
    };
    clean_text(&mut meta, &mut |key, msg| warnings.push(Warning { loc: at(key), msg }));
    let bad = |key: &str, msg: String| Error::FrontMatter { loc: at(key), msg };
    if meta.title.trim().is_empty() {
        return Err(bad("title", "`title` is empty".into()));
    }
    let date = dates::parse(&meta.date.0).map_err(|m| bad("date", m))?;
    let optional = |key: &str, d: &Option<frontmatter::DateText>| {
        d.as_ref().map(|d| dates::parse(&d.0)).transpose().map_err(|m| bad(key, m))
    };
    let updated = optional("updated", &meta.updated)?;
    let expires = optional("expires", &meta.expires)?;
    let featured_until = optional("featured_until", &meta.featured_until)?;
    let corrections = corrections(&meta, &date, &at)?;
    if let Some(p) = &mut meta.photo {
        if let Some(f) = &p.focus {
            let focus =
                crate::load::frontmatter::focus(f).map_err(|msg| Error::FrontMatter { loc: at("photo"), msg })?;
            p.focus = Some(focus);
        }
    }
    // A correction updates the story: readers' feed apps show it again.
    let updated = updated.max(corrections.last().map(|c| c.date));
    if expires.is_some_and(|e| e <= date) {
        let written = meta.expires.as_ref().map_or("", |d| d.0.as_str());
        return Err(bad(
            "expires",
            format!("`expires: {written}` is not after `date: {}`: the story would never be published", meta.date.0),
        ));
    }
    if updated.is_some_and(|u| u < date) {
        warnings.push(Warning {
            loc: at("updated"),
            msg: format!(
                "`updated: {}` is before `date: {}`: readers would see a story updated before it was published",
                meta.updated.as_ref().map_or("", |d| d.0.as_str()),
                meta.date.0
            ),
        });
    }
    let lang = meta.lang.clone().unwrap_or_else(|| cfg.default_language().to_string());
    if cfg.language(&lang).is_none() {
        let known: Vec<&str> = cfg.languages.iter().map(|l| l.code.as_str()).collect();
        return Err(bad("lang", format!("`lang: {lang}` is not a language of this site ({})", known.join(", "))));
    }
    let bundle = matches!(file.kind, SourceKind::Article { bundle: true });
    let dir = file.dir().to_string();
    let folder_section = dir.split('/').next().unwrap_or("");
    let section = match meta.section.as_deref().or((!folder_section.is_empty()).then_some(folder_section)) {
        Some(s) => urls::slugify(s),
        None => {
            return Err(Error::Content {
                loc: Location::file(&file.display),
                msg: "an article needs a section: put it in content/<section>/ or set `section:`".into(),
            })
        }
    };
    if RESERVED_SECTIONS.contains(&section.as_str()) || cfg.language(&section).is_some() {
        return Err(bad(
            "section",
            format!("`{section}` is reserved for the site's own pages; choose another section name"),
        ));
    }
    let slug = article_slug(&meta, file, bundle).map_err(|m| bad("slug", m))?;
    let lang_prefix = if lang == cfg.default_language() { "" } else { lang.as_str() };
    let path = PagePath::from_segments([lang_prefix, section.as_str(), slug.as_str()]);
    for (key, list) in [("authors", &meta.authors), ("tags", &meta.tags)] {
        if list.iter().any(|s| s.trim().is_empty()) {
            return Err(bad(key, format!("`{key}` has an empty entry")));
        }
    }
    let aliases = meta
        .aliases
        .iter()
        .map(|a| alias_path(a))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|m| bad("aliases", m))?;
    smarten(&mut meta, &lang);
    let corrections: Vec<Correction> =
        corrections.into_iter().map(|c| Correction { text: typography::smarten(&c.text, &lang), ..c }).collect();
    let article = Article {
        rel: file.rel.clone(),
        display: file.display.clone(),
        dir,
        bundle,
        lang,
        section,
        slug,
        path,
        title: meta.title,
        summary: meta.summary.filter(|s| !s.trim().is_empty()),
        date,
        updated,
        expires,
        corrections,
        featured: meta.featured,
        featured_until,
        held: None,
        authors: dedup(meta.authors),
        tags: dedup(meta.tags),
        photo_line: at("photo").line,
        photo: meta.photo,
        wire_credit: meta.wire_credit,
        dateline: meta.dateline,
        translation_key: meta.translation_key,
        aliases,
        draft: meta.draft,
        body_md: Some(split.body.into()),
        body_line: split.body_line,
        body_at: split.body.as_ptr() as usize - text.as_ptr() as usize,
        body_fp: of_bytes(split.body.as_bytes()),
    };
    Ok((Some(article), warnings))
}

/// The texts readers see, with the typography of the language (titles
/// and summaries read like the bodies beside them).
fn smarten(meta: &mut ArticleMeta, lang: &str) {
    let fix = |t: &mut String| *t = typography::smarten(t, lang);
    fix(&mut meta.title);
    for t in [&mut meta.summary, &mut meta.wire_credit, &mut meta.dateline].into_iter().flatten() {
        fix(t);
    }
    if let Some(p) = &mut meta.photo {
        for t in [&mut p.caption, &mut p.credit, &mut p.alt].into_iter().flatten() {
            fix(t);
        }
    }
}

/// The corrections of `meta`, checked: each dated no earlier than the
/// story, oldest first, with text.
fn corrections(meta: &ArticleMeta, date: &Date, at: &dyn Fn(&str) -> Location) -> Result<Vec<Correction>> {
    let bad = |msg: String| Error::FrontMatter { loc: at("corrections"), msg };
    let mut out: Vec<Correction> = Vec::new();
    for (i, c) in meta.corrections.iter().enumerate() {
        let when = dates::parse(&c.date.0).map_err(|m| bad(format!("correction {}: {m}", i + 1)))?;
        if c.text.trim().is_empty() {
            return Err(bad(format!("correction {} has no text", i + 1)));
        }
        if when < *date {
            return Err(bad(format!(
                "correction {} (`{}`) is dated before the story (`{}`)",
                i + 1,
                c.date.0,
                meta.date.0
            )));
        }
        if out.last().is_some_and(|last| when < last.date) {
            return Err(bad(format!(
                "correction {} (`{}`) is older than the one before it; list corrections oldest first",
                i + 1,
                c.date.0
            )));
        }
        out.push(Correction { date: when, text: c.text.trim().to_string() });
    }
    Ok(out)
}

/// Front-matter text as it is published: Unicode composed (NFC: «Йод»
/// typed on two keyboards is one tag with one address), and without the
/// control characters a pasted wire story can carry (a NUL, an escape
/// code), which are dropped with a warning naming the field.
fn clean_text(meta: &mut ArticleMeta, warn: &mut dyn FnMut(&str, String)) {
    let mut clean = |key: &str, text: &mut String| {
        let is_bad = |c: char| c.is_control() && !matches!(c, '\n' | '\t');
        if let Some(c) = text.chars().find(|&c| is_bad(c)) {
            warn(key, format!("`{key}` holds control characters (U+{:04X}); they are left out", c as u32));
            text.retain(|c| !is_bad(c));
        }
        if !unicode_normalization::is_nfc(text) {
            *text = unicode_normalization::UnicodeNormalization::nfc(text.as_str()).collect();
        }
    };
    clean("title", &mut meta.title);
    for (key, field) in [
        ("summary", &mut meta.summary),
        ("wire_credit", &mut meta.wire_credit),
        ("dateline", &mut meta.dateline),
        ("section", &mut meta.section),
        ("slug", &mut meta.slug),
        ("translation_key", &mut meta.translation_key),
    ] {
        if let Some(text) = field {
            clean(key, text);
        }
    }
    for (key, list) in [("authors", &mut meta.authors), ("tags", &mut meta.tags), ("aliases", &mut meta.aliases)] {
        list.iter_mut().for_each(|text| clean(key, text));
    }
    if let Some(p) = &mut meta.photo {
        for text in [&mut p.alt, &mut p.caption, &mut p.credit].into_iter().flatten() {
            clean("photo", text);
        }
    }
}

/// The slug: front matter `slug`, else the file name (the folder's for a
/// bundle). A slug from front matter must be one path segment.
fn article_slug(meta: &ArticleMeta, file: &SourceFile, bundle: bool) -> std::result::Result<String, String> {
    if let Some(s) = &meta.slug {
        if s.contains('/') || s.contains('\\') || s.split('.').all(|p| p.is_empty()) || s.trim().is_empty() {
            return Err(format!("`slug: {s}` must be a single name such as `envoy-talks` (no `/` or `..`)"));
        }
        return Ok(urls::slugify(s));
    }
    let name = if bundle {
        file.dir().rsplit('/').next().unwrap_or("")
    } else {
        let file_name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
        file_name.strip_suffix(".md").unwrap_or(file_name)
    };
    Ok(urls::slugify(name))
}

/// An alias as a page path: site path segments only, no `..`, no scheme.
pub fn alias_path(alias: &str) -> std::result::Result<PagePath, String> {
    let trimmed = alias.trim().trim_matches('/');
    let trimmed = trimmed.strip_suffix("index.html").unwrap_or(trimmed).trim_end_matches('/');
    // An alias also becomes a line of `_redirects`: no whitespace or control
    // character may end its path, and no `*` or `:` may make it a pattern.
    let bad_char = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '\\' | '?' | '#' | ':' | '*' | '!');
    let bad_segment = |s: &str| s.is_empty() || s == "." || s == ".." || s.contains(bad_char);
    if trimmed.is_empty() || trimmed.split('/').any(bad_segment) {
        return Err(format!(
            "alias `{}` must be a path inside the site such as `2019/05/old-slug` (no `..`, spaces, `?`, `#`, `*`, `!` or scheme)",
            alias.escape_debug()
        ));
    }
    Ok(PagePath::from_segments(trimmed.split('/')))
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.retain(|s| seen.insert(s.trim().to_string()));
    v.iter_mut().for_each(|s| *s = s.trim().to_string());
    v
}

fn relabel(e: Error, file: &SourceFile) -> Error {
    match e {
        Error::Content { loc, msg } => Error::Content { loc: Location { path: file.display.clone(), ..loc }, msg },
        Error::Io { source, .. } => Error::Io { path: file.display.clone(), source },
        e => e,
    }
}

impl Article {
    /// What places the article in the site: its file, address, language,
    /// section, dates, authors, tags, translations, aliases and draft
    /// status. An edit that leaves it the same moves nothing in the site
    /// model; only what the article shows changes.
    #[allow(clippy::type_complexity)]
    pub fn placement(&self) -> impl PartialEq + '_ {
        (
            (&self.rel, &self.display, &self.dir, self.bundle, &self.lang, &self.section, &self.slug, &self.path),
            (&self.date, &self.updated, &self.authors, &self.tags, &self.translation_key, &self.aliases, self.draft),
            (&self.expires, self.held, &self.corrections, self.featured, &self.featured_until),
            // Whether it has a photo: the front page's lead is the newest that does.
            self.photo.is_some(),
        )
    }

    /// Newest first; ties broken by path so the order is total.
    pub fn recency_key(&self) -> (std::cmp::Reverse<Date>, &PagePath) {
        (std::cmp::Reverse(self.date), &self.path)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::load::config::BuildOptions;

    /// A parsed article with every key set, for other modules' tests.
    pub(crate) fn sample_article() -> Article {
        let (_tmp, root, cfg) = site();
        parse_at(&root, &cfg, "news/story.md", STORY)
    }

    const STORY: &str = "---
title: \"Story\"
date: 2025-03-01T10:00:00Z
updated: 2025-03-02T10:00:00Z
authors: [\"Jane Roe\"]
tags: [\"diplomacy\"]
summary: \"The lede.\"
photo: {src: /images/wire.png, alt: \"Alt\", caption: \"Caption.\", credit: \"AP\"}
wire_credit: \"AFP contributed.\"
dateline: \"Moscow\"
translation_key: story
aliases: [\"old/story\"]
---
The body.
";

    /// A copy of the fixture site, with drafts built (so a draft parses).
    fn site() -> (tempfile::TempDir, PathBuf, Config) {
        let (tmp, root) = crate::fs::copy_fixture("basic");
        let (cfg, _) = Config::load(&BuildOptions { root: root.clone(), drafts: true, ..Default::default() }).unwrap();
        (tmp, root, cfg)
    }

    /// `text` written to `content/<rel>` and parsed.
    fn parse_at(root: &Path, cfg: &Config, rel: &str, text: &str) -> Article {
        crate::fs::write(&root.join("content").join(rel), text.as_bytes()).unwrap();
        let files = crate::load::scan::scan(root).unwrap();
        let file = files.iter().find(|f| f.rel == rel).unwrap();
        parse(file, cfg).unwrap().0.unwrap()
    }

    #[test]
    fn placement_is_the_same_after_edits_that_move_nothing() {
        let (_tmp, root, cfg) = site();
        let rel = "news/story.md";
        let base = parse_at(&root, &cfg, rel, STORY);
        let edits = [
            ("title: \"Story\"", "title: \"Another story\""),
            ("summary: \"The lede.\"", "summary: \"Another lede.\""),
            ("summary: \"The lede.\"\n", ""),
            ("The body.", "Another body, longer."),
            ("src: /images/wire.png", "src: /images/other.png"),
            ("alt: \"Alt\"", "alt: \"Other\""),
            ("caption: \"Caption.\"", "caption: \"Other.\""),
            ("credit: \"AP\"", "credit: \"Reuters\""),
            ("wire_credit: \"AFP contributed.\"", "wire_credit: \"AP contributed.\""),
            ("dateline: \"Moscow\"", "dateline: \"Kyiv\""),
        ];
        for (from, to) in edits {
            let edited = parse_at(&root, &cfg, rel, &STORY.replacen(from, to, 1));
            assert!(edited.placement() == base.placement(), "`{from}` → `{to}` moved the article");
        }
    }

    #[test]
    fn placement_differs_after_edits_that_move_the_article() {
        let (_tmp, root, cfg) = site();
        let rel = "news/story.md";
        let base = parse_at(&root, &cfg, rel, STORY);
        let edits = [
            ("date: 2025-03-01T10:00:00Z", "date: 2025-03-01T11:00:00Z"),
            ("updated: 2025-03-02T10:00:00Z", "updated: 2025-03-03T10:00:00Z"),
            ("tags: [\"diplomacy\"]", "tags: [\"diplomacy\", \"sport\"]"),
            ("tags: [\"diplomacy\"]", "tags: [\"Diplomacy\"]"),
            ("authors: [\"Jane Roe\"]", "authors: [\"John Doe\"]"),
            ("title:", "lang: ru\ntitle:"),
            ("title:", "slug: other-story\ntitle:"),
            ("title:", "section: world\ntitle:"),
            ("aliases: [\"old/story\"]", "aliases: [\"old/story\", \"older/story\"]"),
            ("translation_key: story", "translation_key: other"),
            ("title:", "draft: true\ntitle:"),
            ("title:", "expires: 2026-01-01\ntitle:"),
        ];
        for (from, to) in edits {
            let text = STORY.replacen(from, to, 1);
            assert_ne!(text, STORY, "`{from}` is in the story");
            let edited = parse_at(&root, &cfg, rel, &text);
            assert!(edited.placement() != base.placement(), "`{from}` → `{to}` did not move the article");
        }
        // The same text in another file.
        let moved = parse_at(&root, &cfg, "news/story-2.md", STORY);
        assert!(moved.placement() != base.placement(), "another file");
    }

    #[test]
    fn markdown_reads_the_body_back_from_the_file() {
        let (_tmp, root, cfg) = site();
        let content = root.join("content");
        let mut a = parse_at(&root, &cfg, "news/story.md", STORY);
        assert_eq!(a.markdown(&content).unwrap().as_ref(), "The body.\n");
        a.body_md = None;
        assert_eq!(a.markdown(&content).unwrap().as_ref(), "The body.\n", "read again from the file");
    }

    #[test]
    fn markdown_of_a_file_changed_since_it_was_parsed_is_an_error() {
        let (_tmp, root, cfg) = site();
        let content = root.join("content");
        let path = content.join("news/story.md");
        let kept = parse_at(&root, &cfg, "news/story.md", STORY);
        let mut released = kept.clone();
        released.body_md = None;
        for changed in
            [STORY.replace("The body.", "The new body."), STORY.replace("title:", "slug: s\ntitle:"), "---".into()]
        {
            std::fs::write(&path, &changed).unwrap();
            let e = released.markdown(&content).unwrap_err().to_string();
            assert!(e.contains("content/news/story.md") && e.contains("changed while the site was being built"), "{e}");
            // The body still held is the one parsed.
            assert_eq!(kept.markdown(&content).unwrap().as_ref(), "The body.\n");
        }
        std::fs::remove_file(&path).unwrap();
        assert!(released.markdown(&content).is_err(), "a file gone");
    }
}
