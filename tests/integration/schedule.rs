//! Scheduled publishing: an article dated after the build's "now", or
//! past its `expires`, is in no file of the output; `--future` shows it,
//! marked; `--now` makes a build reproducible.

use crate::common::{tree, TestSite};

const NOW: &str = "2026-12-01T12:00:00Z";

/// Every output file (and the CAR) that holds any of `needles`.
fn files_holding(site: &TestSite, car: &std::path::Path, needles: &[&str]) -> Vec<String> {
    let mut files: Vec<(String, Vec<u8>)> = tree(&site.out()).into_iter().collect();
    files.push(("site.car".into(), std::fs::read(car).unwrap()));
    let mut found = Vec::new();
    for (name, bytes) in files {
        for n in needles {
            if name.contains(n) || bytes.windows(n.len()).any(|w| w == n.as_bytes()) {
                found.push(format!("{name}: {n}"));
            }
        }
    }
    found
}

const HELD: [&str; 6] =
    ["Zanzibar verdict", "ivanov-verdict", "Quetzal report", "embargoed-report", "quetzal-depot", "Xylophone notice"];

#[test]
fn a_scheduled_or_expired_article_is_in_no_file_of_the_output() {
    let site = TestSite::fixture("schedule");
    let car = site.root.join("site.car");
    let out = site.run(&["build", "--now", NOW, "--car", "site.car"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(site.exists("news/council-meets/index.html") && site.exists("news/winter-schedule/index.html"));
    let leaks = files_holding(&site, &car, &HELD);
    assert!(leaks.is_empty(), "held back articles leaked: {leaks:?}");
    // The tag only the scheduled story has is not made yet.
    assert!(!site.exists("tags/courts/index.html"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Next scheduled change: 2026-12-01T18:00:00+00:00 (content/news/embargoed-report/index.md publishes); build again then"),
        "{stdout}"
    );
    // The photo in static/ of the story due tomorrow goes out now: said.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/news/ivanov-verdict.md:5: warning: scheduled for 2026-12-02T07:00:00+03:00, but `/images/courtroom-zanzibar.png` is not in the article's bundle and is published now"),
        "{stderr}"
    );
}

#[test]
fn the_same_now_builds_the_same_bytes_and_a_later_now_publishes() {
    let site = TestSite::fixture("schedule");
    let build = |now: &str, out: &str| {
        let o = site.run(&["build", "--now", now, "-o", out]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        tree(&site.root.join(out))
    };
    let first = build(NOW, "one");
    assert_eq!(first, build(NOW, "two"), "byte-identical with the same --now");
    // The morning after, into the same output (its build cache kept): the
    // scheduled stories are out, with their photo, and the old notice stays
    // out.
    let later = build("2026-12-02T08:00:00+03:00", "one");
    assert!(later.contains_key("news/ivanov-verdict/index.html"));
    assert!(later.contains_key("news/embargoed-report/quetzal-depot.png"));
    assert!(later.contains_key("tags/courts/index.html"));
    assert!(!later.keys().any(|k| k.contains("old-notice")));
    let home = String::from_utf8_lossy(&later["index.html"]).into_owned();
    assert!(home.find("Zanzibar verdict").unwrap() < home.find("Quetzal report").unwrap(), "newest first");
    // And the ferry timetable is gone in the new year.
    assert!(!build("2027-01-01T00:00:00Z", "one").keys().any(|k| k.contains("winter-schedule")));
}

#[test]
fn future_shows_them_marked_for_a_preview() {
    let site = TestSite::fixture("schedule");
    let out = site.run(&["build", "--now", NOW, "--future"]);
    assert!(out.status.success());
    let page = site.page("news/ivanov-verdict/index.html");
    assert!(page.contains("<p class=\"status status--scheduled\">Scheduled: not published yet</p>"), "{page}");
    let old = site.page("news/old-notice/index.html");
    assert!(old.contains("<p class=\"status status--expired\">Expired: no longer published</p>"));
    let home = site.page("index.html");
    assert!(home.contains("status--scheduled"));
    let published = site.page("news/council-meets/index.html");
    let own = &published[..published.find("read-more").unwrap()];
    assert!(!own.contains("status--"), "a published story is not marked: {own}");
}

#[test]
fn a_bad_now_or_expiry_is_named() {
    let site = TestSite::fixture("schedule");
    let out = site.run(&["build", "--now", "tomorrow"]);
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(e.contains("--now tomorrow: ") && e.contains("give a time like 2026-12-01T12:00:00Z"), "{e}");
    site.write("content/news/bad.md", "---\ntitle: Bad\ndate: 2026-11-01\nexpires: 2026-10-01\n---\nx\n");
    let out = site.run(&["build", "--now", NOW]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr).into_owned();
    insta::assert_snapshot!("an_expiry_before_the_date", e);
}
