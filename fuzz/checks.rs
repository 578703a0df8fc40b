//! What each fuzz target checks, as plain functions: the targets in
//! `fuzz_targets/` call them under libFuzzer, and the main test suite
//! (`tests/integration/fuzz_regressions.rs`) calls them on every input
//! kept in `fuzz/regressions/<target>/`, so an input that ever crashed
//! stays a test.

// Each fuzz binary uses one check; the main suite uses them all.
#![allow(dead_code)]

use sitegen::markdown::{render, Resolver, Source};
use sitegen::urls::{self, PagePath};
use std::path::Path;

/// A target's checks, on its raw input.
pub type Check = fn(&[u8]);

/// The targets, by name, as the main test suite runs them.
pub const TARGETS: &[(&str, Check)] = &[
    ("front_matter", |b| with_text(b, front_matter)),
    ("markdown", |b| with_text(b, markdown)),
    ("page_check", |b| with_text(b, page_check)),
    ("slugs_and_urls", |b| with_text(b, slugs_and_urls)),
    ("image_metadata", image_metadata),
];

/// libFuzzer's `&str` targets skip inputs that are not UTF-8.
fn with_text(bytes: &[u8], check: fn(&str)) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        check(text);
    }
}

/// Splitting and parsing front matter never panics, and every error names
/// the file.
pub fn front_matter(text: &str) {
    let path = Path::new("content/news/fuzz.md");
    match sitegen::load::frontmatter::split(text, path) {
        Ok(split) => {
            let parsed: Result<(sitegen::load::frontmatter::ArticleMeta, _), _> =
                sitegen::load::frontmatter::parse(&split, path, sitegen::load::frontmatter::ARTICLE_KEYS);
            if let Err(e) = parsed {
                assert!(e.to_string().starts_with("content/news/fuzz.md"), "{e}");
            }
            let _ = sitegen::load::dates::parse(split.yaml);
        }
        Err(e) => assert!(e.to_string().starts_with("content/news/fuzz.md:1:1"), "{e}"),
    }
}

struct Half(PagePath);

impl Resolver for Half {
    fn article(&self, rel: &str) -> Option<&PagePath> {
        rel.len().is_multiple_of(2).then_some(&self.0)
    }
    fn page_exists(&self, p: &PagePath) -> bool {
        p.as_str().len().is_multiple_of(2)
    }
    fn asset(&self, _: &str, src: &str) -> Option<String> {
        src.len().is_multiple_of(2).then(|| src.trim_start_matches('/').to_string())
    }
    fn pretty_urls(&self) -> bool {
        false
    }
    fn base_url(&self) -> &str {
        "https://example.org"
    }
}

/// Markdown with the project's extensions (link checking, images, anchors,
/// highlighting, quotes) never panics, in English or Russian.
pub fn markdown(text: &str) {
    let resolver = Half(PagePath::from_segments(["news", "x"]));
    for lang in ["en", "ru"] {
        let src = Source { path: Path::new("content/news/fuzz.md"), first_line: 3, dir: "news", lang, root: "../../" };
        if let Err(errors) = render(text, &src, &resolver) {
            assert!(!errors.is_empty());
            for e in errors {
                assert!(e.to_string().starts_with("content/news/fuzz.md:"), "{e}");
            }
        }
    }
}

/// The mirror check reads any HTML or CSS without panicking, and the
/// preview server never maps a request to a path with `..`.
pub fn page_check(text: &str) {
    for p in sitegen::render::page_check::check(text, "https://example.org", &|p| p.len().is_multiple_of(2)) {
        assert!(!p.what.is_empty());
    }
    let _ = sitegen::render::page_check::check_css(text, "https://example.org");
    if let Some(rel) = sitegen::watch::preview::target_path(text, "/") {
        assert!(!rel.split('/').any(|s| s == ".." || s == "."), "{rel:?}");
        assert!(!rel.contains('\\'));
    }
}

/// Slugs are always readable ASCII path segments, and URL helpers never
/// climb above the site root.
pub fn slugs_and_urls(text: &str) {
    let slug = urls::slugify(text);
    assert!(!slug.is_empty() && slug.len() <= 80, "{slug:?}");
    assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{slug:?}");
    assert!(!slug.starts_with('-') && !slug.ends_with('-'), "{slug:?}");
    let page = urls::PagePath::parse_site_path(text);
    assert!(page.as_str().is_empty() || page.as_str().ends_with('/'));
    if let Some(resolved) = urls::resolve_relative("news/a", text) {
        assert!(!resolved.split('/').any(|s| s == ".."), "{resolved:?}");
    }
    let _ = urls::is_external(text);
    let _ = urls::split_fragment(text);
}

/// Stripping metadata never panics, and what it publishes is clean: the
/// same file stripped again comes out unchanged, as the same kind.
pub fn image_metadata(bytes: &[u8]) {
    for name in ["photo.jpg", "photo.bin"] {
        if let Ok(once) = sitegen::output::metadata::publishable(name, bytes) {
            let twice = sitegen::output::metadata::publishable(name, &once).expect("a published file reads again");
            assert_eq!(&*twice, &*once, "stripping is not a fixed point");
            assert_eq!(sitegen::output::metadata::kind_of(&once), sitegen::output::metadata::kind_of(bytes));
        }
    }
}
