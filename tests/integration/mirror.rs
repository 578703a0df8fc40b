//! The output works on any mirror: every reference is relative and
//! resolves, the base URL appears only where standards need it, and builds
//! are byte-identical.

use crate::common::{references, tree, TestSite};
use std::path::Path;

/// Checks every reference of every HTML page of a built site.
fn assert_links_resolve(out: &Path) {
    assert_links_resolve_at_least(out, 100);
}

/// Checks every reference of every HTML page of a built site, and that
/// there were at least `min`.
pub fn assert_links_resolve_at_least(out: &Path, min: usize) {
    let files = tree(out);
    let mut checked = 0;
    for (rel, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        let dir = Path::new(rel).parent().unwrap();
        for r in references(&html) {
            if r.contains("://") || r.starts_with("mailto:") || r.starts_with('#') {
                continue;
            }
            assert!(!r.starts_with('/'), "{rel}: root-relative reference {r}");
            let path = r.split(['#', '?']).next().unwrap();
            assert!(!path.ends_with('/') && !path.is_empty(), "{rel}: directory link {r} (file:// shows a listing)");
            let target = normalize(&dir.join(path));
            assert!(files.contains_key(&target), "{rel}: {r} -> {target} does not exist");
            checked += 1;
        }
    }
    assert!(checked > min, "only {checked} references checked");
}

fn normalize(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                assert!(parts.pop().is_some(), "{} climbs above the site root", p.display());
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn every_reference_is_relative_and_resolves() {
    let site = TestSite::fixture("basic");
    site.built();
    assert_links_resolve(&site.out());
}

#[test]
fn sample_site_references_resolve() {
    let site = TestSite::sample();
    site.built();
    assert_links_resolve(&site.out());
}

#[test]
fn base_url_only_where_standards_demand_it() {
    let site = TestSite::fixture("basic");
    site.built();
    for (rel, bytes) in tree(&site.out()) {
        let text = String::from_utf8_lossy(&bytes);
        if !rel.ends_with(".html") {
            continue;
        }
        for line in text.lines().filter(|l| l.contains("test.example")) {
            let allowed = line.starts_with("<link rel=\"canonical\"")
                || line.starts_with("<link rel=\"alternate\" hreflang=")
                || line.starts_with("<meta property=\"og:")
                || line.starts_with("<meta property=\"article:author\"")
                || line.starts_with("<script type=\"application/ld+json\">");
            assert!(allowed, "{rel}: absolute URL outside canonical/og/JSON-LD: {line}");
        }
    }
}

/// The build's own page check, run again over every page and stylesheet
/// as written: a theme or an article cannot slip past it in the output.
#[test]
fn nothing_loads_from_a_third_party() {
    let site = TestSite::sample();
    site.built();
    let files = tree(&site.out());
    let is_page = |p: &str| files.contains_key(&format!("{}index.html", p.trim_start_matches('/')));
    let mut checked = 0;
    for (rel, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        let problems = if rel.ends_with(".html") {
            sitegen::render::page_check::check(&text, "https://meridian.example", &is_page)
        } else if rel.ends_with(".css") {
            sitegen::render::page_check::check_css(&text, "https://meridian.example")
        } else {
            continue;
        };
        assert!(problems.is_empty(), "{rel}: {problems:?}");
        checked += 1;
    }
    assert!(checked > 50, "{checked}");
}

#[test]
fn builds_are_identical_across_threads_and_folders() {
    let a = TestSite::sample();
    let b = TestSite::sample();
    sitegen::build::build(&sitegen::BuildOptions { threads: Some(1), ..a.options() }).unwrap();
    // Touch every source so file times differ too.
    std::thread::sleep(std::time::Duration::from_millis(20));
    for e in walkdir::WalkDir::new(b.root.join("content")).into_iter().map(Result::unwrap) {
        if e.file_type().is_file() {
            let bytes = std::fs::read(e.path()).unwrap();
            std::fs::write(e.path(), bytes).unwrap();
        }
    }
    sitegen::build::build(&sitegen::BuildOptions { threads: Some(2), ..b.options() }).unwrap();
    let (ta, tb) = (tree(&a.out()), tree(&b.out()));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between builds");
    }
}

#[test]
fn no_page_needs_javascript() {
    let site = TestSite::sample();
    site.built();
    // 404.html may run a small script to find the site root; it reads
    // without. A mirrors page with a signed list may run one line that
    // shows a warning once the list has expired; its dates are in the text.
    // Signed with a key of the test's own, not the sample's public_key.
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    let yaml: String = yaml.lines().filter(|l| !l.starts_with("public_key:")).map(|l| format!("{l}\n")).collect();
    site.write("site.yaml", &yaml);
    let key = site.root.join("k.key");
    std::fs::write(&key, sitegen::publish::signing::secret_to_text(&sitegen::publish::signing::generate().unwrap()))
        .unwrap();
    let out = site.run(&["build", "--sign", "k.key"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (rel, bytes) in tree(&site.out()).iter().filter(|(p, _)| p.ends_with(".html") && *p != "404.html") {
        let text = String::from_utf8_lossy(bytes);
        // Search runs in the browser: its page loads sitegen's script from
        // the site itself, and without it says so and offers the archive.
        if rel.trim_start_matches("ru/") == "search/index.html" {
            let noscript = &text[text.find("<noscript>").unwrap_or_else(|| panic!("{rel}: no <noscript>"))..];
            assert!(noscript.contains("tags/index.html") && noscript.contains("<a href="), "{rel}: archive links");
            continue;
        }
        let mut scripts = 0;
        let mirrors_page = rel.trim_start_matches("ru/") == "mirrors/index.html";
        sitegen::html_tags::for_each_start_tag(&text, |t| {
            if t.is("script") {
                scripts += 1;
                assert!(t.get("src").is_none(), "{rel}: a script loaded from a file");
                if !mirrors_page {
                    assert_eq!(t.get("type"), Some("application/ld+json"), "{rel}: a script that is not JSON-LD data");
                }
            }
        });
        assert!(scripts <= 1, "{rel}: {scripts} scripts");
        if mirrors_page {
            assert_eq!(scripts, 1, "{rel}");
            assert!(text.contains("valid until") || text.contains("действует до"), "{rel}: the dates are in the text");
        }
    }
}

#[test]
fn a_rebuild_keeps_the_time_of_unchanged_files_for_sync_tools() {
    let site = TestSite::fixture("related");
    site.built();
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    for f in ["world/gamma/index.html", "world/beta/index.html"] {
        std::fs::File::options().write(true).open(site.out().join(f)).unwrap().set_modified(old).unwrap();
    }
    site.write(
        "content/news/delta.md",
        "---\ntitle: \"Delta Story, corrected\"\ndate: 2025-02-15\ntags: [\"diplomacy\"]\n---\nBody.\n",
    );
    let report = site.built();
    let mtime = |f: &str| std::fs::metadata(site.out().join(f)).unwrap().modified().unwrap();
    assert_eq!(mtime("world/gamma/index.html"), old, "unchanged page keeps its time");
    assert_ne!(mtime("world/beta/index.html"), old, "its Read more list shows the new title");
    assert!(report.changes.changed > 0 && report.changes.unchanged > 0, "{:?}", report.changes);
    assert_eq!(report.changes.added + report.changes.removed, 0);
}
