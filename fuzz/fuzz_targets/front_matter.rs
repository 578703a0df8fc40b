//! Splitting and parsing front matter never panics, and every error names
//! the file.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|text: &str| {
    let path = Path::new("content/news/fuzz.md");
    match sitegen::frontmatter::split(text, path) {
        Ok(split) => {
            let parsed: Result<(sitegen::frontmatter::ArticleMeta, _), _> =
                sitegen::frontmatter::parse(&split, path, sitegen::frontmatter::ARTICLE_KEYS);
            if let Err(e) = parsed {
                assert!(e.to_string().starts_with("content/news/fuzz.md"), "{e}");
            }
        }
        Err(e) => assert!(e.to_string().starts_with("content/news/fuzz.md:1:1"), "{e}"),
    }
    if let Ok(split) = sitegen::frontmatter::split(text, path) {
        let _ = sitegen::dates::parse(split.yaml);
    }
});
