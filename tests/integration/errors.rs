//! Bad input: a clear message naming the file and line, a non-zero exit,
//! and the previous output left exactly as it was.

use crate::common::{tree, TestSite};

/// Builds the good fixture, breaks it with `files`, builds again with the
/// binary, and returns stderr. Asserts exit 1 and an untouched output.
fn broken_build(files: &[(&str, &str)]) -> String {
    let site = TestSite::fixture("basic");
    site.built();
    let before = tree(&site.out());
    for (path, text) in files {
        site.write(path, text);
    }
    let out = site.run(&["build"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
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
    assert_eq!(e.trim(), "error: content/news/bad.md:4: front matter: did not find expected ',' or ']'");
}

#[test]
fn missing_title_is_named() {
    let e = broken_build(&[("content/news/bad.md", "---\ndate: 2025-01-01\n---\nx\n")]);
    assert!(e.contains("content/news/bad.md"), "{e}");
    assert!(e.contains("missing field `title`"), "{e}");
}

#[test]
fn impossible_date_names_line() {
    let e = broken_build(&[("content/news/bad.md", "---\ntitle: \"T\"\ndate: 2025-02-30\n---\nx\n")]);
    assert_eq!(
        e.trim(),
        "error: content/news/bad.md:3: front matter: `2025-02-30` is not a real date (no such day in that month)"
    );
}

#[test]
fn unclosed_front_matter() {
    let e = broken_build(&[("content/news/bad.md", "---\ntitle: \"T\"\ndate: 2025-01-01\nbody without fence\n")]);
    assert!(e.contains("content/news/bad.md:1:1: front matter: front matter is not closed"), "{e}");
}

#[test]
fn mistyped_keys_are_errors() {
    let e = broken_build(&[("content/news/bad.md", "---\ntitle: 42\ndate: 2025-01-01\n---\nx\n")]);
    assert!(e.contains("content/news/bad.md:2:"), "{e}");
    let e = broken_build(&[("content/news/bad.md", "---\ntitle: T\ndate: 2025-01-01\ntags: sanctions\n---\nx\n")]);
    assert!(e.contains("content/news/bad.md:4:") && e.contains("expected a sequence"), "{e}");
}

#[test]
fn missing_photo_names_the_line() {
    let e = broken_build(&[("content/news/bad.md", &format!("{OK_HEAD}photo: {{src: nowhere.jpg}}\n---\nx\n"))]);
    assert_eq!(
        e.trim(),
        "error: content/news/bad.md:4: photo `nowhere.jpg` not found beside the article or in static/"
    );
}

#[test]
fn photo_that_is_not_an_image() {
    let e = broken_build(&[
        ("static/images/fake.jpg", "this is text"),
        ("content/news/bad.md", &format!("{OK_HEAD}photo: {{src: /images/fake.jpg}}\n---\nx\n")),
    ]);
    assert!(e.contains("content/news/bad.md:4:") && e.contains("is not an image a browser can show"), "{e}");
}

#[test]
fn broken_links_name_article_and_line() {
    let e = broken_build(&[("content/news/bad.md", &format!("{OK_HEAD}---\nline one\n\n[x](/nowhere/)\n"))]);
    assert_eq!(e.trim(), "error: content/news/bad.md:7: broken link to `/nowhere/`: no page at that address");
}

#[test]
fn every_bad_file_is_reported_at_once() {
    let e = broken_build(&[
        ("content/news/bad1.md", "---\ndate: 2025-01-01\n---\n"),
        ("content/world/bad2.md", "---\ntitle: T\ndate: never\n---\n"),
    ]);
    assert!(e.starts_with("error: 2 errors:"), "{e}");
    let (a, b) = (e.find("content/news/bad1.md").unwrap(), e.find("content/world/bad2.md").unwrap());
    assert!(a < b, "sorted by file");
}

#[test]
fn template_error_names_page_and_template() {
    let e = broken_build(&[("templates/terms.html", "<p>{{ no_such_variable }}</p>")]);
    assert!(e.contains("tags/index.html: template `terms.html`:"), "{e}");
    assert!(e.contains("no_such_variable"), "{e}");
}

#[test]
fn template_syntax_error() {
    let e = broken_build(&[("templates/terms.html", "{% if %}")]);
    assert!(e.contains("error: theme: template error:") && e.contains("terms.html"), "{e}");
}

#[test]
fn bad_site_yaml() {
    let e = broken_build(&[("site.yaml", "title: x\nbase_url: [\n")]);
    assert!(e.starts_with("error: site.yaml:2:11: config: "), "{e}");
}

#[test]
fn missing_theme() {
    let site = TestSite::fixture("basic");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    let e = broken_build(&[("site.yaml", &format!("{yaml}theme: nosuch\n"))]);
    assert!(e.contains("theme `nosuch` not found"), "{e}");
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
}

#[test]
fn slug_with_a_path_is_refused() {
    let e = broken_build(&[("content/news/bad.md", &format!("{OK_HEAD}slug: ../../etc\n---\nx\n"))]);
    assert!(e.contains("content/news/bad.md:4: front matter: `slug: ../../etc` must be a single name"), "{e}");
}

#[test]
fn unknown_language() {
    let e = broken_build(&[("content/news/bad.md", &format!("{OK_HEAD}lang: de\n---\nx\n"))]);
    assert!(
        e.contains("content/news/bad.md:4: front matter: `lang: de` is not a language of this site (en, ru)"),
        "{e}"
    );
}

#[test]
fn output_over_the_sources_is_refused() {
    let site = TestSite::fixture("basic");
    for target in [".", "content", "content/news"] {
        let out = site.run(&["build", "--output", target]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to write the site to"));
    }
    assert!(site.root.join("content/news/alpha/index.md").is_file());
}

#[test]
fn unknown_keys_warn_with_a_suggestion() {
    let site = TestSite::fixture("basic");
    site.write("content/news/typo.md", "---\ntitle: T\ndate: 2025-01-01\ntitel: x\n---\nx\n");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.trim(), "content/news/typo.md:4: warning: unknown key `titel` is ignored; did you mean `title`?");
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
    let e = String::from_utf8(out.stderr).unwrap();
    assert_eq!(e.trim(), "error: content/news/latin1.md:2: not valid UTF-8 text; save the file as UTF-8");
}

#[test]
fn bad_command_line_exits_2() {
    let site = TestSite::fixture("basic");
    assert_eq!(site.run(&["build", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(site.run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn root_relative_raw_html_in_an_article_fails() {
    let e = broken_build(&[("content/news/raw.md", &format!("{OK_HEAD}---\n<img src='/images/wire.png' alt=''>\n"))]);
    assert_eq!(
        e.trim(),
        "error: content/news/raw.md (news/raw/index.html): `<img src=\"/images/wire.png\">`: root-relative reference: breaks under a path prefix and from file://; use a relative URL"
    );
}

#[test]
fn third_party_script_in_a_template_fails() {
    let e = broken_build(&[(
        "templates/terms.html",
        "<!DOCTYPE html><title>t</title><script src=\"https://cdn.example/a.js\"></script>",
    )]);
    assert!(e.contains("tags/index.html (template `terms.html`): `<script src=\"https://cdn.example/a.js\">`: loads a resource from another host"), "{e}");
}

#[test]
fn own_host_link_in_an_article_fails() {
    let e = broken_build(&[(
        "content/news/abs.md",
        &format!("{OK_HEAD}---\n<a href=\"https://test.example/world/\">w</a>\n"),
    )]);
    assert!(e.contains("absolute URL of the primary host"), "{e}");
}

#[test]
fn stylesheet_loading_a_web_font_fails() {
    let e = broken_build(&[("static/extra.css", "@import url(https://fonts.example/css?family=X);\n")]);
    assert!(
        e.contains("extra.css: `url(https://fonts.example/css?family=X)`: CSS loads a resource from another host"),
        "{e}"
    );
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
    symlink(&outside, site2.root.join("content/news/leak.md")).unwrap();
    let err = site2.build().unwrap_err().to_string();
    assert!(
        err.contains("content/news/leak.md: a symbolic link to") && err.contains("outside the site's content/"),
        "{err}"
    );
    std::fs::remove_file(site2.root.join("content/news/leak.md")).unwrap();

    symlink(site2.root.join("content"), site2.root.join("content/news/loop")).unwrap();
    let err = site2.build().unwrap_err().to_string();
    assert!(err.contains("symbolic link loop"), "{err}");
}

#[test]
fn tabs_in_yaml_name_the_line() {
    let e = broken_build(&[("content/news/bad.md", "---\ntitle: T\ndate: 2025-01-01\ntags:\n\t- a\n---\n")]);
    assert!(e.starts_with("error: content/news/bad.md:5:"), "{e}");
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
}

#[test]
fn a_reserved_slug_is_refused() {
    let e = broken_build(&[("content/news/x.md", &format!("{OK_HEAD}slug: \"..\"\n---\n"))]);
    assert!(e.contains("content/news/x.md:4: front matter: `slug: ..` must be a single name"), "{e}");
    let e = broken_build(&[("content/tags/x.md", &format!("{OK_HEAD}---\n"))]);
    assert!(e.contains("`tags` is reserved for the site's own pages"), "{e}");
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
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("error: theme: theme `thin` has no templates/article.html"), "{e}");
    assert!(tree(&site.out()) == before);
}

#[test]
fn duplicate_front_matter_keys_are_errors() {
    let e = broken_build(&[("content/news/dup.md", "---\ntitle: A\ntitle: B\ndate: 2025-01-01\n---\n")]);
    assert!(e.contains("content/news/dup.md:") && e.contains("duplicate"), "{e}");
}
