//! Slugs are always readable ASCII path segments, and URL helpers never
//! climb above the site root.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sitegen::urls;

fuzz_target!(|text: &str| {
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
});
