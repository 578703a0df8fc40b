//! The mirror check reads any HTML or CSS without panicking, and the
//! preview server never maps a request to a path with `..`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for p in sitegen::postprocess::check(text, "https://example.org", &|p| p.len() % 2 == 0) {
        assert!(!p.what.is_empty());
    }
    let _ = sitegen::postprocess::check_css(text, "https://example.org");
    if let Some(rel) = sitegen::serve::target_path(text, "/") {
        assert!(!rel.split('/').any(|s| s == ".." || s == "."), "{rel:?}");
        assert!(!rel.contains('\\'));
    }
});
