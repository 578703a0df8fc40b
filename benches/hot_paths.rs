//! `cargo bench`: the steps every page goes through, timed on realistic
//! inputs, and whole builds of the small fixture site (from nothing, and
//! the rebuild where nothing changed). The whole-site comparison with Hugo
//! is bench/compare.py.

use sitegen::markdown::{self, Resolver, Source};
use sitegen::urls::PagePath;
use std::path::{Path, PathBuf};

fn main() {
    divan::main();
}

const ARTICLE: &str = include_str!("../content/investigations/how-we-verified-the-depot-fire.md");

/// What a newsroom's article holds beyond running text: links to other
/// articles and site pages, a table, footnotes and a code block.
const EXTRAS: &str = "
See our [earlier report](../news/other.md#timeline), the [sanctions tag](/tags/sanctions/)
and the [court papers](https://court.example/case/123) for the background.[^1]

| Date       | Event                         | Source        |
|------------|-------------------------------|---------------|
| 2025-03-01 | Fire reported at the depot    | Local channel |
| 2025-03-02 | Satellite image shows damage  | Planet Labs   |
| 2025-03-04 | Ministry denies any incident  | Press service |

```python
for frame in video.frames():
    if frame.shadow_angle() > threshold:
        print(frame.timestamp)
```

[^1]: The documents were obtained by our correspondent and checked with two sources.
";

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
    let split = sitegen::load::frontmatter::split(divan::black_box(ARTICLE), path).unwrap();
    let (meta, _): (sitegen::load::frontmatter::ArticleMeta, _) =
        sitegen::load::frontmatter::parse(&split, path, sitegen::load::frontmatter::ARTICLE_KEYS).unwrap();
    meta.tags.len()
}

/// An article body with internal links, a table, footnotes and a
/// highlighted code block (the syntax set loads once, outside the timing).
#[divan::bench]
fn markdown_with_links_table_and_code(b: divan::Bencher) {
    let body = sitegen::load::frontmatter::split(ARTICLE, Path::new("a.md")).unwrap().body.to_string() + EXTRAS;
    let resolver = AllExist(PagePath::from_segments(["news", "other"]));
    let src = Source { path: Path::new("a.md"), first_line: 1, dir: "news", lang: "en", root: "../../" };
    let html = markdown::render(&body, &src, &resolver).unwrap().html;
    assert!(html.contains("<table>") && html.contains("../../news/other/index.html#timeline"), "{html}");
    b.bench(|| markdown::render(divan::black_box(&body), &src, &resolver).unwrap().html.len());
}

/// What search finds an article by: its rendered body reduced to its
/// distinct stems and its first words (done for every body a build
/// renders anew). An English body, and a Russian one of the same length.
#[divan::bench(args = ["en", "ru"])]
fn search_text_of_body(b: divan::Bencher, lang: &str) {
    let body = sitegen::load::frontmatter::split(ARTICLE, Path::new("a.md")).unwrap().body.to_string() + EXTRAS;
    let resolver = AllExist(PagePath::from_segments(["news", "other"]));
    let src = Source { path: Path::new("a.md"), first_line: 1, dir: "news", lang: "en", root: "../../" };
    let mut html = markdown::render(&body, &src, &resolver).unwrap().html;
    if lang == "ru" {
        html = russian(&html);
    }
    let text = sitegen::search::text::BodyText::of_html(&html);
    assert!(text.stems().count() > 100, "{html}");
    b.bench(|| sitegen::search::text::BodyText::of_html(divan::black_box(&html)).stems().count());
}

/// `html` with its letters outside tags put into Cyrillic, one for one, so
/// words stay words of about the same length and as many.
fn russian(html: &str) -> String {
    let latin = "abcdefghijklmnopqrstuvwxyz";
    // One Cyrillic letter per Latin one: `z` too.
    let cyrillic: Vec<char> = "абвгдежзиклмнопрстуфхцшыяю".chars().collect();
    let mut in_tag = false;
    html.chars()
        .map(|c| {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ => {}
            }
            match latin.find(c.to_ascii_lowercase()) {
                Some(i) if !in_tag && c.is_ascii_alphabetic() => cyrillic[i],
                _ => c,
            }
        })
        .collect()
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic")
}

/// A scratch folder for one benchmark, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("sitegen-bench-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The mirror check over a whole article page as the build writes it.
/// `markdown.sanitize` on hostile nesting (#19.17): 100,000 nested list
/// items, blockquotes and `<div>`s (each about 200-500 KB of HTML), which
/// took 26 to 150 s before nesting was capped. Target: under 1 s each.
#[divan::bench(args = ["lists", "quotes", "divs"], sample_count = 3)]
fn sanitize_deep(b: divan::Bencher, shape: &str) {
    let n = 100_000;
    let html = match shape {
        "lists" => format!("{}x{}", "<ul>\n<li>".repeat(n), "</li>\n</ul>".repeat(n)),
        "quotes" => format!("{}<p>x</p>{}", "<blockquote>\n".repeat(n), "</blockquote>\n".repeat(n)),
        _ => format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n)),
    };
    b.bench(|| sitegen::render::sanitize::fragment(divan::black_box(&html)).len());
}

#[divan::bench]
fn check_article_page(b: divan::Bencher) {
    let scratch = Scratch::new("page");
    let opts = sitegen::BuildOptions { root: fixture(), output: Some(scratch.0.join("out")), ..Default::default() };
    sitegen::build::build(&opts).unwrap();
    let page = std::fs::read_to_string(scratch.0.join("out/news/envoy-talks/index.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("</html>"));
    b.bench(|| sitegen::render::page_check::check(divan::black_box(&page), "https://test.example", &|_| true).len());
}

/// The whole pipeline on the small fixture site, from nothing each time (a
/// fresh output folder, no cache): load, parse, model, Markdown, render
/// every page, feeds, write, manifest, swap, CID.
#[divan::bench(sample_count = 20)]
fn build_from_nothing(b: divan::Bencher) {
    let scratch = Scratch::new("clean");
    let mut n = 0;
    b.with_inputs(|| {
        n += 1;
        let output = scratch.0.join(format!("out-{n}"));
        sitegen::BuildOptions { root: fixture(), output: Some(output), no_cache: true, ..Default::default() }
    })
    .bench_local_values(|opts| {
        let report = sitegen::build::build(&opts).unwrap();
        assert_eq!(report.rendered, report.pages);
        report.pages
    });
}

/// A rebuild where nothing changed: the cache finds the output current and
/// nothing is rendered or written.
#[divan::bench(sample_count = 20)]
fn rebuild_nothing_changed(b: divan::Bencher) {
    let scratch = Scratch::new("again");
    let opts = sitegen::BuildOptions { root: fixture(), output: Some(scratch.0.join("out")), ..Default::default() };
    sitegen::build::build(&opts).unwrap();
    b.bench(|| {
        let report = sitegen::build::build(&opts).unwrap();
        assert_eq!(report.rendered, 0);
        report.pages
    });
}
