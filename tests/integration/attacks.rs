//! What an attacker or a careless operator tried, one test per finding of
//! issue #19, each failing on the code before its fix: leaks, lost work,
//! injection into generated files, and input that crashed the build.

use crate::common::{tree, TestSite};

/// Runs `sitegen` with `args` in the site folder: exit code, stdout, stderr.
fn run(site: &TestSite, args: &[&str]) -> (Option<i32>, String, String) {
    let out = site.run(args);
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

const HEAD: &str = "---\ntitle: \"T\"\ndate: 2025-01-01\n";

#[test]
fn out_of_range_values_are_errors_with_a_line_never_panics() {
    // See: #19 (16).
    for (date, line) in [("\"-0001-01-01\"", 3), ("\"+10000-01-01\"", 3), ("0000-06-01", 3)] {
        let site = TestSite::fixture("basic");
        site.write("content/news/bad.md", &format!("---\ntitle: \"T\"\ndate: {date}\n---\nx\n"));
        let (code, _, err) = run(&site, &["build"]);
        assert_eq!(code, Some(1), "{date}: {err}");
        assert!(err.starts_with(&format!("error: content/news/bad.md:{line}: front matter: ")), "{err}");
        assert!(err.contains("from 1000 to 9999") && !err.contains("panicked"), "{err}");
    }
    let site = TestSite::fixture("basic");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}related: 18446744073709551615\n"));
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!((code, err.trim()), (Some(1), "error: site.yaml:20: config: `related` must be at most 50"));
}

#[test]
fn control_characters_in_front_matter_never_reach_the_page() {
    // See: #19 (14).
    let site = TestSite::fixture("basic");
    site.write(
        "content/news/nul.md",
        "---\ntitle: \"Bre\\0aking\\u001b[31m news\"\ndate: 2025-06-01\ntags: [\"a\\u0007b\"]\n---\nx\n",
    );
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("content/news/nul.md:2: warning: `title` holds control characters (U+0000)"), "{err}");
    assert!(err.contains("content/news/nul.md:4: warning: `tags` holds control characters (U+0007)"), "{err}");
    let text_files =
        tree(&site.out()).into_iter().filter(|(p, _)| [".html", ".xml", ".json"].iter().any(|e| p.ends_with(e)));
    for (path, bytes) in text_files {
        assert!(!bytes.iter().any(|&b| b == 0 || b == 0x1b || b == 0x07), "{path} holds a control character");
    }
    assert!(site.page("news/nul/index.html").contains("Breaking[31m news"));
}

#[test]
fn names_must_be_text_and_dates_in_order() {
    // See: #19 (20).
    let site = TestSite::fixture("basic");
    site.write("content/news/bad.md", &format!("{HEAD}authors: [1, true]\n---\nx\n"));
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with("error: content/news/bad.md:4:") && err.contains("expected text (put it in quotes)"),
        "{err}"
    );
    site.write("content/news/bad.md", &format!("{HEAD}updated: 2024-12-31\n---\nx\n"));
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("content/news/bad.md:4: warning: `updated: 2024-12-31` is before `date: 2025-01-01`"),
        "{err}"
    );
}

#[test]
fn one_name_in_two_unicode_forms_is_one_tag() {
    // See: #19 (20): «Йод» composed and decomposed slugged as `yod` and `iod`.
    let site = TestSite::fixture("basic");
    site.write("content/news/a.md", &format!("{HEAD}tags: [\"Йод\"]\n---\nx\n"));
    site.write("content/news/b.md", &format!("{HEAD}tags: [\"И\u{306}од\"]\n---\nx\n"));
    site.built();
    let html = site.page("tags/yod/index.html");
    assert!(html.contains("news/a/index.html") && html.contains("news/b/index.html"), "one tag page lists both");
    assert!(!site.exists("tags/iod/index.html") && !site.exists("tags/yod-2/index.html"));
}

#[test]
fn config_urls_readers_follow_must_be_web_addresses() {
    // See: #19 (13).
    let site = TestSite::fixture("basic");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &yaml.replace("url: \"https://give.example/\"", "url: \"javascript:alert(document.cookie)\""),
    );
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err.trim(),
        "error: site.yaml:8: config: `javascript:alert(document.cookie)` must be an https:// or http:// address"
    );
}
