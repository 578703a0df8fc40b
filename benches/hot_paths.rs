//! `cargo bench`: the steps every page goes through, timed on realistic
//! inputs. The whole-site comparison with Hugo is bench/compare.py.

use sitegen::markdown::{self, Resolver, Source};
use sitegen::urls::PagePath;
use std::path::Path;

fn main() {
    divan::main();
}

const ARTICLE: &str = include_str!("../content/investigations/how-we-verified-the-depot-fire.md");

/// Every link resolves: what a site without broken links looks like.
struct AllExist(PagePath);

impl Resolver for AllExist {
    fn article(&self, _: &str) -> Option<&PagePath> {
        Some(&self.0)
    }
    fn page_exists(&self, _: &PagePath) -> bool {
        true
    }
    fn asset(&self, _: &str, src: &str) -> Option<String> {
        Some(src.trim_start_matches('/').to_string())
    }
    fn pretty_urls(&self) -> bool {
        false
    }
    fn base_url(&self) -> &str {
        "https://example.org"
    }
}

#[divan::bench]
fn front_matter() -> usize {
    let path = Path::new("content/a.md");
    let split = sitegen::frontmatter::split(divan::black_box(ARTICLE), path).unwrap();
    let (meta, _): (sitegen::frontmatter::ArticleMeta, _) =
        sitegen::frontmatter::parse(&split, path, sitegen::frontmatter::ARTICLE_KEYS).unwrap();
    meta.tags.len()
}

/// Markdown with internal links, a table, footnotes and a highlighted code
/// block (the syntax set loads once, outside the timing).
#[divan::bench]
fn markdown_with_highlighting(b: divan::Bencher) {
    let body = sitegen::frontmatter::split(ARTICLE, Path::new("a.md")).unwrap().body.repeat(4);
    let resolver = AllExist(PagePath::from_segments(["news", "other"]));
    let src = Source { path: Path::new("a.md"), first_line: 1, dir: "news", lang: "en", root: "../../" };
    markdown::render(&body, &src, &resolver).unwrap();
    b.bench(|| markdown::render(divan::black_box(&body), &src, &resolver).unwrap().html.len());
}

/// The mirror check that reads every page as written.
#[divan::bench]
fn check_page_references(b: divan::Bencher) {
    let page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/integration/snapshots/integration__build__article_main.snap"
    ))
    .unwrap();
    let page = page.repeat(3);
    b.bench(|| sitegen::postprocess::check(divan::black_box(&page), "https://example.org", &|_| true).len());
}

/// The whole pipeline on the small fixture site: load, parse, model,
/// Markdown, render every page, feeds, write, manifest, CID.
#[divan::bench(sample_count = 20)]
fn build_fixture_site(b: divan::Bencher) {
    let tmp = std::env::temp_dir().join(format!("sitegen-bench-{}", std::process::id()));
    let opts = sitegen::BuildOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"),
        output: Some(tmp.join("out")),
        ..Default::default()
    };
    b.bench(|| sitegen::build::build(&opts).unwrap().pages);
    let _ = std::fs::remove_dir_all(&tmp);
}
