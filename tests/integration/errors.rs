//! Bad input: a clear message naming the file and line, a non-zero exit,
//! and the previous output left exactly as it was.
//!
//! The wording is a user interface: every message is pinned in full by an
//! insta snapshot (`snapshots/integration__errors__<name>.snap`), one per
//! case, read by eye when it changes.

use crate::common::{tree, TestSite};
use std::path::Path;

/// `text` with the tests' temporary folders written as `[TMP]`, so that no
/// snapshot holds a random or machine-specific path.
fn redact(text: &str, tmps: &[&Path]) -> String {
    let mut text = text.to_string();
    for tmp in tmps {
        // The canonical form first: it may be longer (`/private/var/…` on macOS).
        for dir in [tmp.canonicalize().unwrap(), tmp.to_path_buf()] {
            text = text.replace(&*dir.to_string_lossy(), "[TMP]");
        }
    }
    assert!(!text.contains(".tmp"), "a temporary path is left in: {text}");
    text
}

/// Whether `e` shows the error `msg` with its source line, at `place`
/// (`path:line`, or `path:line:col`).
fn shown_at(e: &str, place: &str, msg: &str) -> bool {
    e.contains(&format!("error: {msg}")) && e.contains(&format!("--> {place}"))
}

/// The stderr of a run, as UTF-8, with the site's temporary folder redacted.
fn stderr_of(out: &std::process::Output, site: &TestSite) -> String {
    redact(&String::from_utf8(out.stderr.clone()).unwrap(), &[site.root.parent().unwrap()])
}

/// Builds the good fixture, breaks it with `files`, builds again with the
/// binary (in the site folder, so paths are relative), and returns stderr.
/// Asserts exit 1 and an untouched output.
fn broken_build(files: &[(&str, &str)]) -> String {
    broken_build_with(|site| {
        for (path, text) in files {
            site.write(path, text);
        }
    })
}

/// As `broken_build`, with the site broken by `breaks`.
fn broken_build_with(breaks: impl FnOnce(&TestSite)) -> String {
    let site = TestSite::fixture("basic");
    site.built();
    let before = tree(&site.out());
    breaks(&site);
    let out = site.run(&["build"]);
    let stderr = stderr_of(&out, &site);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(out.stdout.is_empty(), "nothing claims success");
    assert!(tree(&site.out()) == before, "the previous site must stay untouched");
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sitegen-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "staging folder left behind: {leftovers:?}");
    stderr
}

const OK_HEAD: &str = "---\ntitle: \"T\"\ndate: 2025-01-01\n";

#[test]
fn invalid_yaml_names_file_and_line() {
    let e = broken_build(&[("content/news/bad.md", "---\ntitle: \"T\"\ndate: 2025-01-01\ntags: [a, b\n---\nx\n")]);
    insta::assert_snapshot!("invalid_yaml_names_file_and_line", e);
}

#[test]
fn missing_title_is_named() {
    let e = broken_build(&[("content/news/bad.md", "---\ndate: 2025-01-01\n---\nx\n")]);
    assert!(e.contains("content/news/bad.md"), "{e}");
    assert!(e.contains("`title` is missing"), "{e}");
    insta::assert_snapshot!("missing_title_is_named", e);
}

#[test]
fn impossible_date_names_line() {
    let e = broken_build(&[("content/news/bad.md", "---\ntitle: \"T\"\ndate: 2025-02-30\n---\nx\n")]);
    insta::assert_snapshot!("impossible_date_names_line", e);
}

#[test]
fn unclosed_front_matter() {
    let e = broken_build(&[("content/news/bad.md", "---\ntitle: \"T\"\ndate: 2025-01-01\nbody without fence\n")]);
    assert!(shown_at(&e, "content/news/bad.md:1:1", "front matter: front matter is not closed"), "{e}");
    insta::assert_snapshot!("unclosed_front_matter", e);
}

#[test]
fn mistyped_keys_are_errors() {
    let e = broken_build(&[("content/news/bad.md", "---\ntitle: 42\ndate: 2025-01-01\n---\nx\n")]);
    assert!(e.contains("content/news/bad.md:2:"), "{e}");
    insta::assert_snapshot!("mistyped_keys_are_errors-title_a_number", e);
    let e = broken_build(&[("content/news/bad.md", "---\ntitle: T\ndate: 2025-01-01\ntags: sanctions\n---\nx\n")]);
    assert!(e.contains("content/news/bad.md:4:") && e.contains("`tags` must be a list"), "{e}");
    insta::assert_snapshot!("mistyped_keys_are_errors-tags_a_string", e);
}

#[test]
fn missing_photo_names_the_line() {
    let e = broken_build(&[("content/news/bad.md", &format!("{OK_HEAD}photo: {{src: nowhere.jpg}}\n---\nx\n"))]);
    insta::assert_snapshot!("missing_photo_names_the_line", e);
}

#[test]
fn photo_that_is_not_an_image() {
    let e = broken_build(&[
        ("static/images/fake.jpg", "this is text"),
        ("content/news/bad.md", &format!("{OK_HEAD}photo: {{src: /images/fake.jpg}}\n---\nx\n")),
    ]);
    assert!(e.contains("content/news/bad.md:4:") && e.contains("is not an image a browser can show"), "{e}");
    insta::assert_snapshot!("photo_that_is_not_an_image", e);
}

#[test]
fn broken_links_name_article_and_line() {
    let e = broken_build(&[("content/news/bad.md", &format!("{OK_HEAD}---\nline one\n\n[x](/nowhere/)\n"))]);
    insta::assert_snapshot!("broken_links_name_article_and_line", e);
}

#[test]
fn every_bad_file_is_reported_at_once() {
    let e = broken_build(&[
        ("content/news/bad1.md", "---\ndate: 2025-01-01\n---\n"),
        ("content/world/bad2.md", "---\ntitle: T\ndate: never\n---\n"),
    ]);
    assert!(e.trim_end().ends_with("\nerror: 2 errors"), "{e}");
    let (a, b) = (e.find("--> content/news/bad1.md:").unwrap(), e.find("--> content/world/bad2.md:3").unwrap());
    assert!(a < b, "sorted by file");
    insta::assert_snapshot!("every_bad_file_is_reported_at_once", e);
}

/// Broken links, a missing photo, raw HTML naming a file that is not there and a
/// template that loads a script from elsewhere: one run reports them all.
#[test]
fn every_stage_s_errors_in_one_run() {
    let e = broken_build(&[
        ("content/news/links.md", &format!("{OK_HEAD}---\nSee [gone](../world/gone.md).\n")),
        ("content/news/photo.md", &format!("{OK_HEAD}photo: {{src: nowhere.jpg}}\n---\nText.\n")),
        ("content/news/raw.md", &format!("{OK_HEAD}---\n<img src='/images/nowhere.png' alt=''>\n")),
        ("templates/terms.html", "<!DOCTYPE html><title>t</title><script src=\"https://cdn.example/a.js\"></script>"),
    ]);
    for part in [
        "--> content/news/links.md:5",
        "--> content/news/photo.md:4",
        "--> content/news/raw.md:5:11",
        "--> templates/terms.html:1:45",
    ] {
        assert!(e.contains(part), "{part} missing from: {e}");
    }
    assert!(e.trim_end().ends_with("\nerror: 4 errors"), "{e}");
    insta::assert_snapshot!("every_stage_s_errors_in_one_run", e);
}

#[test]
fn template_error_names_page_and_template() {
    let e = broken_build(&[("templates/terms.html", "<main>\n  <p>{{ no_such_variable }}</p>\n</main>\n")]);
    assert!(e.starts_with("error: template: Variable `no_such_variable` not found in context\n"), "{e}");
    // The override's file and line, once, with the pages it broke.
    assert!(e.contains("--> templates/terms.html:2:9") && e.contains("2 |   <p>{{ no_such_variable }}</p>"), "{e}");
    assert!(
        e.contains("\n  = on 4 pages: authors/index.html, ru/authors/index.html, ru/tags/index.html, tags/index.html"),
        "{e}"
    );
    assert_eq!(e.matches("no_such_variable").count(), 2, "{e}");
    insta::assert_snapshot!("template_error_names_page_and_template", e);
}

/// A part sees only what it is given: the page's own title is not there,
/// and the error says where.
#[test]
fn a_part_template_cannot_read_the_page_s_own_fields() {
    let e = broken_build(&[("templates/header.html", "<header>\n  <h1>{{ page.title }}</h1>\n</header>\n")]);
    assert!(e.starts_with("error: template: Variable `page.title` not found in context\n"), "{e}");
    assert!(e.contains("--> templates/header.html:2:10"), "{e}");
    insta::assert_snapshot!("a_part_template_cannot_read_the_page_s_own_fields", e);
}

#[test]
fn template_syntax_error() {
    // Every template that does not parse, each blamed on its own file.
    let e = broken_build(&[("templates/terms.html", "<p>\n{% if %}"), ("templates/list.html", "{{ a + }}")]);
    assert!(e.contains("error: template: expected a value that can be negated\n"), "{e}");
    assert!(e.contains("--> templates/terms.html:2:7") && e.contains("--> templates/list.html:1:"), "{e}");
    assert!(!e.contains("theme"), "an override is not the theme: {e}");
    insta::assert_snapshot!("template_syntax_error", e);
}

#[test]
fn bad_site_yaml() {
    let e = broken_build(&[("site.yaml", "title: x\nbase_url: [\n")]);
    assert!(e.starts_with("error: config: base_url: invalid type") && e.contains("--> site.yaml:2:11"), "{e}");
    insta::assert_snapshot!("bad_site_yaml", e);
}

#[test]
fn missing_theme() {
    let site = TestSite::fixture("basic");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    let e = broken_build(&[("site.yaml", &format!("{yaml}theme: nosuch\n"))]);
    assert!(e.contains("theme `nosuch` not found"), "{e}");
    insta::assert_snapshot!("missing_theme", e);
}

#[test]
fn two_articles_at_one_address() {
    let e = broken_build(&[("content/news/copy.md", &format!("{OK_HEAD}slug: envoy-talks\n---\nx\n"))]);
    assert!(
        e.contains(
            "error: content/news/copy.md: has the same address /news/envoy-talks/ as content/news/alpha/index.md"
        ),
        "{e}"
    );
    insta::assert_snapshot!("two_articles_at_one_address", e);
}

#[test]
fn slug_with_a_path_is_refused() {
    let e = broken_build(&[("content/news/bad.md", &format!("{OK_HEAD}slug: ../../etc\n---\nx\n"))]);
    assert!(shown_at(&e, "content/news/bad.md:4", "front matter: `slug: ../../etc` must be a single name"), "{e}");
    insta::assert_snapshot!("slug_with_a_path_is_refused", e);
}

#[test]
fn unknown_language() {
    let e = broken_build(&[("content/news/bad.md", &format!("{OK_HEAD}lang: de\n---\nx\n"))]);
    assert!(
        shown_at(&e, "content/news/bad.md:4", "front matter: `lang: de` is not a language of this site (en, ru)"),
        "{e}"
    );
    insta::assert_snapshot!("unknown_language", e);
}

#[test]
fn output_over_the_sources_is_refused() {
    let site = TestSite::fixture("basic");
    for (target, case) in [(".", "dot"), ("content", "content"), ("content/news", "content_news")] {
        let out = site.run(&["build", "--output", target]);
        assert_eq!(out.status.code(), Some(1));
        let e = stderr_of(&out, &site);
        assert!(e.contains("refusing to write the site to"));
        insta::assert_snapshot!(format!("output_over_the_sources_is_refused-{case}"), e);
    }
    assert!(site.root.join("content/news/alpha/index.md").is_file());
}

#[test]
fn unknown_keys_warn_with_a_suggestion() {
    let site = TestSite::fixture("basic");
    site.write("content/news/typo.md", "---\ntitle: T\ndate: 2025-01-01\ntitel: x\n---\nx\n");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = stderr_of(&out, &site);
    insta::assert_snapshot!("unknown_keys_warn_with_a_suggestion", stderr);
}

#[test]
fn bom_crlf_and_empty_body_just_work() {
    let site = TestSite::fixture("basic");
    site.write("content/news/crlf.md", "\u{feff}---\r\ntitle: \"Windows\"\r\ndate: 2025-01-01\r\n---\r\nLine one.\r\n");
    site.write("content/news/only-fm.md", "---\ntitle: \"Only front matter\"\ndate: 2025-01-01\n---");
    site.built();
    assert!(site.page("news/crlf/index.html").contains("<p>Line one.</p>"));
    assert!(site.exists("news/only-fm/index.html"));
}

#[test]
fn invalid_utf8_is_named() {
    let site = TestSite::fixture("basic");
    std::fs::write(site.root.join("content/news/latin1.md"), b"---\ntitle: caf\xe9\ndate: 2025-01-01\n---\n").unwrap();
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let e = stderr_of(&out, &site);
    insta::assert_snapshot!("invalid_utf8_is_named", e);
}

#[test]
fn bad_command_line_exits_2() {
    let site = TestSite::fixture("basic");
    let out = site.run(&["build", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("bad_command_line_exits_2-unknown_flag", stderr_of(&out, &site));
    let out = site.run(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("bad_command_line_exits_2-unknown_command", stderr_of(&out, &site));
}

/// Raw HTML written from the site root is made relative (#13); one that
/// names no file of the site is a broken link at its line.
#[test]
fn root_relative_raw_html_that_leads_nowhere_fails() {
    let e =
        broken_build(&[("content/news/raw.md", &format!("{OK_HEAD}---\n<img src='/images/nowhere.png' alt=''>\n"))]);
    insta::assert_snapshot!("root_relative_raw_html_that_leads_nowhere_fails", e);
}

#[test]
fn third_party_script_in_a_template_fails() {
    let e = broken_build(&[(
        "templates/terms.html",
        "<!DOCTYPE html><title>t</title><script src=\"https://cdn.example/a.js\"></script>",
    )]);
    assert!(
        e.starts_with(
            "error: template: `<script src=\"https://cdn.example/a.js\">`: loads a resource from another host"
        ),
        "{e}"
    );
    assert!(e.contains("--> templates/terms.html:1:45"), "{e}");
    assert!(
        e.contains("\n  = on 4 pages: authors/index.html, ru/authors/index.html, ru/tags/index.html, tags/index.html"),
        "{e}"
    );
    insta::assert_snapshot!("third_party_script_in_a_template_fails", e);
}

#[test]
fn own_host_link_in_raw_html_is_made_relative_or_warned_of() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/news/abs.md",
        &format!("{OK_HEAD}---\n<a href=\"https://test.example/world/\">w</a> <a href=\"https://test.example/gone/\">g</a>\n"),
    );
    let report = site.built();
    let page = site.page("news/abs/index.html");
    assert!(page.contains(r#"<a href="../../world/index.html">w</a>"#), "{page}");
    let warned: Vec<String> = report.warnings.iter().map(|w| w.msg.clone()).collect();
    assert!(
        warned.iter().any(|w| w.starts_with("link to `https://test.example/gone/` names the primary address")),
        "{warned:?}"
    );
}

#[test]
fn stylesheet_loading_a_web_font_fails() {
    let e = broken_build(&[("static/extra.css", "@import url(https://fonts.example/css?family=X);\n")]);
    assert!(
        e.contains("extra.css: `url(https://fonts.example/css?family=X)`: CSS loads a resource from another host"),
        "{e}"
    );
    insta::assert_snapshot!("stylesheet_loading_a_web_font_fails", e);
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_or_in_a_loop_are_refused_and_inside_ones_followed() {
    use std::os::unix::fs::symlink;
    let site = TestSite::fixture("basic");
    // A link inside the site is followed.
    symlink(site.root.join("content/world/gamma.md"), site.root.join("content/news/gamma-link.md")).unwrap();
    site.built();
    assert!(site.exists("news/gamma-link/index.html"));
    std::fs::remove_file(site.root.join("content/news/gamma-link.md")).unwrap();

    let outside = site.root.parent().unwrap().join("secret.md");
    std::fs::write(&outside, "---\ntitle: s\ndate: 2025-01-01\n---\nsecret\n").unwrap();
    let site2 = TestSite::fixture("basic");
    site2.built();
    let before = tree(&site2.out());
    symlink(&outside, site2.root.join("content/news/leak.md")).unwrap();
    let err = site2.build().unwrap_err().to_string();
    assert!(
        err.contains("content/news/leak.md: a symbolic link to") && err.contains("outside the site's content/"),
        "{err}"
    );
    // The same through the binary, as a writer sees it; the link's target
    // is in the first site's temporary folder.
    let out = site2.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(tree(&site2.out()) == before, "the previous site must stay untouched");
    let e = String::from_utf8(out.stderr).unwrap();
    let e = redact(&e, &[site.root.parent().unwrap(), site2.root.parent().unwrap()]);
    insta::assert_snapshot!("symlinks_out_of_the_site_or_in_a_loop_are_refused_and_inside_ones_followed-outside", e);
    std::fs::remove_file(site2.root.join("content/news/leak.md")).unwrap();

    symlink(site2.root.join("content"), site2.root.join("content/news/loop")).unwrap();
    let err = site2.build().unwrap_err().to_string();
    assert!(err.contains("symbolic link loop"), "{err}");
    let out = site2.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(tree(&site2.out()) == before, "the previous site must stay untouched");
    insta::assert_snapshot!(
        "symlinks_out_of_the_site_or_in_a_loop_are_refused_and_inside_ones_followed-loop",
        stderr_of(&out, &site2)
    );
}

#[test]
fn tabs_in_yaml_name_the_line() {
    let e = broken_build(&[("content/news/bad.md", "---\ntitle: T\ndate: 2025-01-01\ntags:\n\t- a\n---\n")]);
    assert!(e.starts_with("error: front matter: a tab") && e.contains("--> content/news/bad.md:5:"), "{e}");
    insta::assert_snapshot!("tabs_in_yaml_name_the_line", e);
}

#[test]
fn file_names_with_spaces_capitals_and_cyrillic_get_readable_addresses() {
    let site = TestSite::fixture("basic");
    site.write("content/news/Big News Today.md", "---\ntitle: A\ndate: 2025-01-01\n---\n");
    site.write("content/news/Новости дня.md", "---\ntitle: B\ndate: 2025-01-01\n---\n");
    site.built();
    assert!(site.exists("news/big-news-today/index.html"));
    assert!(site.exists("news/novosti-dnya/index.html"));
}

#[test]
fn a_huge_article_builds() {
    let site = TestSite::fixture("basic");
    let body = "A long paragraph of testimony, transcribed in full. ".repeat(20) + "\n\n";
    site.write("content/news/huge.md", &format!("---\ntitle: Huge\ndate: 2025-01-01\n---\n{}", body.repeat(4000)));
    site.built();
    assert!(std::fs::metadata(site.out().join("news/huge/index.html")).unwrap().len() > 4_000_000);
}

#[test]
fn an_empty_file_is_named() {
    let e = broken_build(&[("content/news/empty.md", "")]);
    assert!(e.contains("content/news/empty.md:1:1: front matter: the file must start with front matter"), "{e}");
    insta::assert_snapshot!("an_empty_file_is_named", e);
}

#[test]
fn a_reserved_slug_is_refused() {
    let e = broken_build(&[("content/news/x.md", &format!("{OK_HEAD}slug: \"..\"\n---\n"))]);
    assert!(shown_at(&e, "content/news/x.md:4", "front matter: `slug: ..` must be a single name"), "{e}");
    insta::assert_snapshot!("a_reserved_slug_is_refused-dot_dot", e);
    let e = broken_build(&[("content/tags/x.md", &format!("{OK_HEAD}---\n"))]);
    assert!(e.contains("`tags` is reserved for the site's own pages"), "{e}");
    insta::assert_snapshot!("a_reserved_slug_is_refused-tags_section", e);
}

#[test]
fn a_theme_missing_a_template_is_named() {
    let site = TestSite::fixture("basic");
    site.built();
    let before = tree(&site.out());
    crate::common::copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/samizdat"),
        &site.root.join("themes/thin"),
    );
    std::fs::remove_file(site.root.join("themes/thin/templates/article.html")).unwrap();
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}theme: thin\n"));
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let e = stderr_of(&out, &site);
    assert!(e.contains("error: theme: theme `thin` has no templates/article.html"), "{e}");
    assert!(tree(&site.out()) == before);
    insta::assert_snapshot!("a_theme_missing_a_template_is_named", e);
}

#[test]
fn duplicate_front_matter_keys_are_errors() {
    let e = broken_build(&[("content/news/dup.md", "---\ntitle: A\ntitle: B\ndate: 2025-01-01\n---\n")]);
    // The second key is the one to remove (it was reported at line 2).
    assert!(e.contains("content/news/dup.md:3:") && e.contains("a second `title`"), "{e}");
    insta::assert_snapshot!("duplicate_front_matter_keys_are_errors", e);
}

// Bad input a newsroom hits that the tests above do not cover.

#[test]
fn a_month_that_does_not_exist() {
    let e = broken_build(&[("content/news/bad.md", "---\ntitle: \"T\"\ndate: 2025-13-01\n---\nx\n")]);
    assert!(e.contains("content/news/bad.md:3:"), "{e}");
    insta::assert_snapshot!("a_month_that_does_not_exist", e);
}

#[test]
fn a_date_not_in_iso_form() {
    let e = broken_build(&[("content/news/bad.md", "---\ntitle: \"T\"\ndate: 04/11/2025\n---\nx\n")]);
    assert!(e.contains("content/news/bad.md:3:"), "{e}");
    insta::assert_snapshot!("a_date_not_in_iso_form", e);
}

#[test]
fn a_missing_date() {
    let e = broken_build(&[("content/news/bad.md", "---\ntitle: \"T\"\n---\nx\n")]);
    assert!(e.contains("content/news/bad.md") && e.contains("`date`"), "{e}");
    insta::assert_snapshot!("a_missing_date", e);
}

#[test]
fn an_empty_title() {
    let e = broken_build(&[("content/news/bad.md", "---\ntitle: \"\"\ndate: 2025-01-01\n---\nx\n")]);
    assert!(e.contains("content/news/bad.md:2:"), "{e}");
    insta::assert_snapshot!("an_empty_title", e);
}

#[test]
fn an_unquoted_title_with_a_colon() {
    let e =
        broken_build(&[("content/news/bad.md", "---\ntitle: Breaking: talks collapse\ndate: 2025-01-01\n---\nx\n")]);
    assert!(e.contains("content/news/bad.md:2:"), "{e}");
    insta::assert_snapshot!("an_unquoted_title_with_a_colon", e);
}

#[test]
fn an_unquoted_title_starting_with_a_hash() {
    let e = broken_build(&[("content/news/bad.md", "---\ntitle: #1 story of the day\ndate: 2025-01-01\n---\nx\n")]);
    assert!(e.contains("content/news/bad.md:2:"), "{e}");
    insta::assert_snapshot!("an_unquoted_title_starting_with_a_hash", e);
}

#[test]
fn a_photo_given_as_a_plain_string() {
    let e = broken_build(&[("content/news/bad.md", &format!("{OK_HEAD}photo: photo.jpg\n---\nx\n"))]);
    assert!(e.contains("content/news/bad.md:4:"), "{e}");
    insta::assert_snapshot!("a_photo_given_as_a_plain_string", e);
}

#[test]
fn authors_given_as_a_string() {
    let e = broken_build(&[("content/news/bad.md", &format!("{OK_HEAD}authors: Jane Roe\n---\nx\n"))]);
    assert!(e.contains("content/news/bad.md:4:"), "{e}");
    insta::assert_snapshot!("authors_given_as_a_string", e);
}

#[test]
fn draft_given_as_yes() {
    let e = broken_build(&[("content/news/bad.md", &format!("{OK_HEAD}draft: yes\n---\nx\n"))]);
    assert!(e.contains("content/news/bad.md:4:"), "{e}");
    insta::assert_snapshot!("draft_given_as_yes", e);
}

#[test]
fn an_alias_leaving_the_site() {
    let e = broken_build(&[("content/news/bad.md", &format!("{OK_HEAD}aliases: [\"../old\"]\n---\nx\n"))]);
    assert!(e.contains("content/news/bad.md:4:"), "{e}");
    insta::assert_snapshot!("an_alias_leaving_the_site", e);
}

#[test]
fn toml_front_matter() {
    let e = broken_build(&[("content/news/bad.md", "+++\ntitle = \"T\"\ndate = 2025-01-01\n+++\nx\n")]);
    assert!(e.contains("content/news/bad.md:1:"), "{e}");
    insta::assert_snapshot!("toml_front_matter", e);
}

#[test]
fn an_article_outside_any_section_folder() {
    let e = broken_build(&[("content/stray.md", &format!("{OK_HEAD}---\nx\n"))]);
    assert!(e.contains("content/stray.md"), "{e}");
    insta::assert_snapshot!("an_article_outside_any_section_folder", e);
}

#[test]
fn an_image_in_the_body_that_does_not_exist() {
    let e = broken_build(&[("content/news/bad.md", &format!("{OK_HEAD}---\nline one\n\n![A chart](chart.png)\n"))]);
    assert!(e.contains("content/news/bad.md:7:"), "{e}");
    insta::assert_snapshot!("an_image_in_the_body_that_does_not_exist", e);
}

#[test]
fn a_link_to_an_article_file_that_does_not_exist() {
    let e = broken_build(&[("content/news/bad.md", &format!("{OK_HEAD}---\nSee [the other story](other.md).\n"))]);
    assert!(e.contains("content/news/bad.md:5:"), "{e}");
    insta::assert_snapshot!("a_link_to_an_article_file_that_does_not_exist", e);
}

#[test]
fn an_author_page_without_a_name() {
    let e = broken_build(&[("content/authors/bob.md", "---\nrole: Editor\n---\n")]);
    assert!(e.contains("content/authors/bob.md"), "{e}");
    insta::assert_snapshot!("an_author_page_without_a_name", e);
}

#[test]
fn a_tab_in_site_yaml() {
    let e = broken_build(&[(
        "site.yaml",
        "title: \"Test Times\"\nbase_url: \"https://test.example\"\nlanguages:\n\ten:\n\t\ttitle: \"Test Times\"\n",
    )]);
    assert!(e.contains("site.yaml"), "{e}");
    insta::assert_snapshot!("a_tab_in_site_yaml", e);
}

#[test]
fn a_duplicate_key_in_site_yaml() {
    let site = TestSite::fixture("basic");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    let e = broken_build(&[("site.yaml", &format!("{yaml}title: \"Again\"\n"))]);
    assert!(e.contains("site.yaml:20:") && e.contains("a second `title`"), "{e}");
    insta::assert_snapshot!("a_duplicate_key_in_site_yaml", e);
}

#[test]
fn site_yaml_without_base_url() {
    let e = broken_build(&[("site.yaml", "title: \"Test Times\"\ndefault_language: en\n")]);
    assert!(e.contains("site.yaml") && e.contains("base_url"), "{e}");
    insta::assert_snapshot!("site_yaml_without_base_url", e);
}

#[test]
fn no_site_yaml() {
    let e = broken_build_with(|site| std::fs::remove_file(site.root.join("site.yaml")).unwrap());
    assert!(e.contains("site.yaml"), "{e}");
    insta::assert_snapshot!("no_site_yaml", e);
}

#[test]
fn an_unknown_key_in_site_yaml_warns_with_a_suggestion() {
    let site = TestSite::fixture("basic");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}paginte: 3\n"));
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = stderr_of(&out, &site);
    assert!(stderr.contains("site.yaml:") && stderr.contains("`paginate`"), "{stderr}");
    insta::assert_snapshot!("an_unknown_key_in_site_yaml_warns_with_a_suggestion", stderr);
}

#[cfg(unix)]
#[test]
fn a_dangling_symbolic_link() {
    let e = broken_build_with(|site| {
        std::os::unix::fs::symlink("/nonexistent/sitegen-share/story.md", site.root.join("content/news/gone.md"))
            .unwrap()
    });
    assert!(e.contains("content/news/gone.md"), "{e}");
    insta::assert_snapshot!("a_dangling_symbolic_link", e);
}
