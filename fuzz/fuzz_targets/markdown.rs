//! Markdown with the project's extensions (link checking, images, anchors,
//! highlighting, quotes) never panics, in English or Russian.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sitegen::markdown::{render, Resolver, Source};
use sitegen::urls::PagePath;
use std::path::Path;

struct Half(PagePath);

impl Resolver for Half {
    fn article(&self, rel: &str) -> Option<&PagePath> {
        (rel.len() % 2 == 0).then_some(&self.0)
    }
    fn page_exists(&self, p: &PagePath) -> bool {
        p.as_str().len() % 2 == 0
    }
    fn asset(&self, _: &str, src: &str) -> Option<String> {
        (src.len() % 2 == 0).then(|| src.trim_start_matches('/').to_string())
    }
    fn pretty_urls(&self) -> bool {
        false
    }
    fn base_url(&self) -> &str {
        "https://example.org"
    }
}

fuzz_target!(|text: &str| {
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
});
