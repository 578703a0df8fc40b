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
    ("zip_entries", zip_entries),
    ("line_files", |b| with_text(b, line_files)),
    ("signature", |b| with_text(b, signature)),
    ("sanitize", |b| with_text(b, sanitize)),
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

/// Reading a zip's central directory never panics, never reads more names
/// than the file could hold, and agrees with the zip crate (what `sitegen
/// archive` writes with, and what many unzippers do) on which names a zip
/// holds whenever both read it: a name one reader sees and the other not is
/// a file verify would pass unchecked.
pub fn zip_entries(bytes: &[u8]) {
    let Ok(names) = sitegen::publish::zip_names::entry_names(&mut std::io::Cursor::new(bytes)) else { return };
    // A central directory entry is at least 46 bytes and its name.
    assert!(names.iter().map(|n| 46 + n.len()).sum::<usize>() <= bytes.len());
    if let Ok(mut z) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        let theirs: std::collections::BTreeSet<Vec<u8>> =
            (0..z.len()).filter_map(|i| z.by_index_raw(i).ok().map(|f| f.name_raw().to_vec())).collect();
        let ours: std::collections::BTreeSet<Vec<u8>> = names.iter().cloned().collect();
        if theirs.len() == z.len() {
            assert!(theirs.is_subset(&ours), "the zip crate reads names sitegen does not: {theirs:?} vs {ours:?}");
        }
    }
}

/// Values that end up in line-based files (`_redirects`, `_headers`,
/// `SHA256SUMS`) are either refused or make exactly the lines they should:
/// no alias, mirror address or file name can add a line or a field.
pub fn line_files(text: &str) {
    if let Ok(path) = sitegen::load::article::alias_path(text) {
        let line = format!("/{} /news/x/ 301", path.as_str());
        assert_eq!(line.split_whitespace().count(), 3, "{line:?}");
        assert!(!line.contains(|c: char| c.is_control()), "{line:?}");
    }
    let config = sitegen::load::mirrors::MirrorConfig { url: text.to_string(), ..Default::default() };
    if let Ok(m) = sitegen::load::mirrors::Mirror::from_config(config) {
        let headers = sitegen::output::generated::host_files::headers_file(Some(&m), &[]);
        assert_eq!(headers.lines().count(), 2, "{headers:?}");
        assert_eq!(headers.lines().nth(1).map(|l| l.split_whitespace().count()), Some(2), "{headers:?}");
    }
    let mut manifest = sitegen::publish::manifest::Manifest::default();
    let entry = sitegen::publish::manifest::Entry { size: 1, sha256: "0".repeat(64) };
    manifest.files.insert(text.to_string(), entry);
    let sums = manifest.to_sums();
    assert_eq!(sums.matches('\n').count(), 1, "{sums:?}");
    assert!(!sums.contains('\r'), "{sums:?}");
    // As GNU sha256sum reads the line back: the same name.
    let line = sums.strip_suffix('\n').unwrap();
    let read = match line.strip_prefix('\\') {
        Some(escaped) => unescape_sums(&escaped[66..]),
        None => line[66..].to_string(),
    };
    assert_eq!(read, text);
}

/// GNU sha256sum's escapes in a name: `\\`, `\n` and `\r`.
fn unescape_sums(name: &str) -> String {
    let mut out = String::new();
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

/// A signature file is read without panicking; nothing but the genuine
/// statement verifies: the signature below with the input spliced in
/// anywhere verifies only if it still says the same sequence, time and
/// manifest.
pub fn signature(text: &str) {
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let public = key.verifying_key();
    let manifest = b"{\"version\":1}";
    let genuine = sitegen::publish::signing::sign(&key, manifest, Some(41), 1_700_000_000);
    let vouched = sitegen::publish::signing::check(&public, manifest, &genuine).unwrap().unwrap();
    if let Ok(Some(s)) = sitegen::publish::signing::check(&public, manifest, text) {
        assert_eq!(s, vouched, "{text:?}");
    }
    let at = text.bytes().next().map_or(0, |b| b as usize % (genuine.len() + 1));
    let at = (0..=at).rev().find(|&i| genuine.is_char_boundary(i)).unwrap_or(0);
    let spliced = format!("{}{text}{}", &genuine[..at], &genuine[at..]);
    match sitegen::publish::signing::check(&public, manifest, &spliced) {
        Ok(Some(s)) => assert_eq!(s, vouched, "{spliced:?}"),
        Ok(None) => panic!("a spliced signature read as an old one-line signature: {spliced:?}"),
        Err(e) => assert!(!e.contains('\n'), "{e:?}"),
    }
    let _ = sitegen::publish::signing::check(&public, text.as_bytes(), &genuine);
}

/// `markdown.sanitize`'s cleaners never panic and what they give is clean:
/// no script, no event handler, and cleaning it again changes nothing (an
/// SVG stays XML).
pub fn sanitize(text: &str) {
    use sitegen::render::sanitize;
    let runs = |html: &str| {
        let mut found = None;
        sitegen::html_tags::for_each_start_tag(html, |tag| {
            let handler = tag.attrs.iter().find(|(n, _)| n.len() > 2 && n[..2].eq_ignore_ascii_case("on"));
            if tag.is("script") || tag.is("iframe") || tag.is("object") || tag.is("embed") || handler.is_some() {
                found = Some(format!("<{} {:?}>", tag.name, tag.attrs));
            }
        });
        found
    };
    let fragment = sanitize::fragment(text);
    assert_eq!(runs(&fragment), None, "{fragment:?}");
    let document = sanitize::document(text);
    assert_eq!(runs(&document), None, "{document:?}");
    if let Ok(svg) = sanitize::svg(text) {
        assert_eq!(runs(&svg), None, "{svg:?}");
        assert_eq!(sanitize::svg(&svg).as_deref(), Ok(svg.as_str()), "cleaning is not a fixed point");
    }
}
