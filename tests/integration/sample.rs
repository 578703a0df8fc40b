//! The repository's sample site builds cleanly, its pages pass the Nu HTML
//! Checker and its feeds parse with feedparser (real clients: see
//! `clients.rs`).

use crate::clients;
use crate::common::TestSite;
use std::process::Command;

#[test]
fn sample_site_builds_without_warnings() {
    let site = TestSite::sample();
    let report = site.built();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(report.articles >= 12);
    let ru = std::fs::read_dir(site.out().join("ru/news")).unwrap().count();
    assert!(ru >= 2);
}

#[test]
fn sample_pages_are_valid_html() {
    let Some(jar) = clients::vnu_jar("sample::sample_pages_are_valid_html") else { return };
    let site = TestSite::sample();
    site.built();
    // Tor Browser reads the onion address from <meta http-equiv="onion-location">,
    // which the HTML standard does not list: the one message filtered out.
    let out = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--skip-non-html", "--format", "text"])
        .args(["--filterpattern", ".*Bad value .onion-location. for attribute .http-equiv. on element .meta.*"])
        .arg(site.out())
        .output()
        .expect("java runs");
    let report = String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("Document checking completed"), "vnu did not run:\n{report}");
    // Any message left (Error, Fatal Error, IO Error) fails, and so does
    // the checker's own exit status.
    let messages: Vec<&str> = report.lines().filter(|l| l.contains("Error:")).collect();
    assert!(messages.is_empty() && out.status.success(), "invalid HTML ({}):\n{report}", out.status);
}

#[test]
fn sample_feeds_parse_with_feedparser() {
    let Some(()) = clients::feedparser("sample::sample_feeds_parse_with_feedparser") else { return };
    let site = TestSite::sample();
    site.built();
    let script = r#"
import feedparser, pathlib, sys
bad = []
feeds = sorted(p for p in pathlib.Path(sys.argv[1]).rglob("*.xml") if p.name in ("rss.xml", "atom.xml"))
for p in feeds:
    f = feedparser.parse(p.read_bytes())
    if f.bozo or not f.entries:
        bad.append(f"{p}: bozo={f.bozo} {f.get('bozo_exception')} entries={len(f.entries)}")
    for e in f.entries:
        if not (e.get("title") and e.get("link", "").startswith("https://") and e.get("published_parsed")):
            bad.append(f"{p}: entry without title, absolute link or date: {e.get('title')}")
print(len(feeds))
if bad:
    sys.exit("\n".join(bad))
"#;
    let out = Command::new("python3").args(["-c", script]).arg(site.out()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let n: usize = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    assert!(n >= 10, "only {n} feeds");
}
