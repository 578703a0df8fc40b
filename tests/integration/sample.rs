//! The repository's sample site builds cleanly, its pages pass the Nu HTML
//! Checker and its feeds parse with feedparser. `.ci/run` installs both
//! checkers; locally they run once `.ci/run` has been run.

use crate::common::TestSite;
use std::path::PathBuf;
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

/// A checker installed by `.ci/run`; `None` (with a note) outside CI when it
/// is missing, a failure in CI.
fn tool(found: Option<PathBuf>, what: &str) -> Option<PathBuf> {
    if found.is_none() {
        assert!(std::env::var_os("CI").is_none(), "CI must install {what} (see .ci/run)");
        eprintln!("{what} not installed: run .ci/run once to install it");
    }
    found
}

fn vnu_jar() -> Option<PathBuf> {
    let default =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/ci-tools/node_modules/vnu-jar/build/dist/vnu.jar");
    let jar = std::env::var_os("VNU_JAR").map(PathBuf::from).unwrap_or(default);
    tool(jar.is_file().then_some(jar), "the Nu HTML Checker (vnu.jar)")
}

#[test]
fn sample_pages_are_valid_html() {
    let Some(jar) = vnu_jar() else { return };
    let site = TestSite::sample();
    site.built();
    let out = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--skip-non-html", "--format", "text"])
        .arg(site.out())
        .output()
        .expect("java runs");
    let report = String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    // Tor Browser reads the onion address from <meta http-equiv="onion-location">,
    // which the HTML standard does not list; it is the one error allowed.
    let errors: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("Error:"))
        .filter(|l| !l.contains("Bad value “onion-location” for attribute “http-equiv” on element “meta”"))
        .collect();
    assert!(report.contains("Document checking completed"), "vnu did not run:\n{report}");
    assert!(errors.is_empty(), "invalid HTML:\n{report}");
}

#[test]
fn sample_feeds_parse_with_feedparser() {
    let has = Command::new("python3").args(["-c", "import feedparser"]).status().is_ok_and(|s| s.success());
    if tool(has.then(PathBuf::new), "python3 with feedparser").is_none() {
        return;
    }
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
