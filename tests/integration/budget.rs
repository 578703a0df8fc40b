//! The page budget (`page_budget_kb`): with it, every page carries its
//! stylesheet inline (one request), each page is measured compressed as a
//! CDN serves it, pages over the budget are listed as warnings, and
//! `--strict` makes them errors that leave the output as it was.

use crate::common::{tree, TestSite};
use sitegen::output::budget::{brotli_len, gzip_len};

fn run(site: &TestSite, args: &[&str]) -> (bool, String) {
    let out = site.run(args);
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_1500_word_article_with_a_lead_photo_is_one_request_within_14_kb() {
    let site = TestSite::fixture("budget");
    let (ok, stderr) = run(&site, &["build"]);
    assert!(ok, "{stderr}");
    let html = site.page("news/long-read/index.html");
    assert!(html.contains("<style>") && !html.contains("rel=\"stylesheet\""), "the stylesheet is inline");
    assert!(html.contains("AP / TASS") && html.contains("AFP contributed reporting."));
    let (gzip, brotli) = (gzip_len(html.as_bytes()), brotli_len(html.as_bytes()));
    assert!(gzip <= 14 * 1024 && brotli < gzip, "gzip {gzip} B, brotli {brotli} B");
    assert!(!stderr.contains("news/long-read/index.html"), "{stderr}");
}

#[test]
fn pages_over_the_budget_are_listed_and_strict_makes_them_errors() {
    let site = TestSite::fixture("budget");
    let (ok, stderr) = run(&site, &["build"]);
    assert!(ok);
    let over: Vec<&str> = stderr.lines().filter(|l| l.contains("over the page budget")).collect();
    assert_eq!(over.len(), 1, "{stderr}");
    let line = over[0];
    assert!(line.starts_with("public/news/very-long-read/index.html: warning: "), "{line}");
    let kb: f64 = line.split(": warning: ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let html = site.page("news/very-long-read/index.html");
    assert_eq!(format!("{kb:.1}"), format!("{:.1}", gzip_len(html.as_bytes()) as f64 / 1024.0));
    let brotli = line.split("brotli ").nth(1).unwrap().split(' ').next().unwrap();
    insta::assert_snapshot!("over_budget", line.replace(&format!("{kb:.1}"), "[GZIP]").replace(brotli, "[BROTLI]"));

    // A rebuild that renders nothing still reports it (the costs are kept).
    let (_, again) = run(&site, &["build"]);
    assert!(again.contains(line), "{again}");

    // --strict: an error, and the output as it was.
    let before = tree(&site.out());
    site.write("content/news/later.md", "---\ntitle: Later\ndate: 2026-12-01\n---\nShort.\n");
    let out = site.run(&["build", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.starts_with("error: public/news/very-long-read/index.html: ") && e.contains("(--strict)"), "{e}");
    assert_eq!(tree(&site.out()), before, "nothing written");
}

#[test]
fn every_article_of_the_sample_fits_a_14_kb_budget() {
    let site = TestSite::sample();
    site.configure("page_budget_kb: 14\n");
    let (ok, stderr) = run(&site, &["build"]);
    assert!(ok, "{stderr}");
    let over: Vec<&str> = stderr.lines().filter(|l| l.contains("over the page budget")).collect();
    assert!(over.is_empty(), "{over:#?}");
    for (path, bytes) in tree(&site.out()).iter().filter(|(p, _)| p.ends_with("index.html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(!html.contains("rel=\"stylesheet\" href=\"") || html.contains("syntax"), "{path} links a stylesheet");
    }
}
