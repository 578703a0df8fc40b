//! A build that finds nothing it reads changed since the last build of its
//! output, that output as the build left it, and no moment of the schedule
//! or of the news sitemap's window passed since, stops at once and says
//! what the last build said (`cache::last_build`). Anything else, and the
//! build reads and writes as always.

use crate::common::{tree, TestSite};
use sitegen::report::BuildReport;

/// The stage a build that stops at once reports.
const STOPPED: &str = "nothing read has changed";

fn stopped(r: &BuildReport) -> bool {
    r.timings.iter().any(|(stage, _)| *stage == STOPPED)
}

fn options_at(site: &TestSite, now: &str) -> sitegen::BuildOptions {
    let now = chrono::DateTime::parse_from_rfc3339(now).unwrap().with_timezone(&chrono::Utc);
    sitegen::BuildOptions { now: Some(now), ..site.options() }
}

fn at(site: &TestSite, now: &str) -> sitegen::Result<BuildReport> {
    sitegen::build::build(&options_at(site, now))
}

fn built_at(site: &TestSite, now: &str) -> BuildReport {
    at(site, now).unwrap_or_else(|e| panic!("build at {now} failed: {e}"))
}

/// The fixture, with a story that warns (a misspelt key) and one scheduled
/// for 18:00 UTC on 12 April 2025.
fn site() -> TestSite {
    let site = TestSite::fixture("basic");
    site.write(
        "content/news/warned.md",
        "---\ntitle: \"Warned Story\"\ndate: 2025-03-02\ntitel: \"typo\"\n---\nText.\n",
    );
    site.write("content/news/later.md", "---\ntitle: \"Later Story\"\ndate: 2025-04-12T18:00:00Z\n---\nText.\n");
    site
}

/// On 12 April 2025 at noon UTC, the newest story (11 April, 15:20 UTC) is
/// in the news sitemap's two days, and the scheduled one is due at 18:00.
const NOON: &str = "2025-04-12T12:00:00Z";

#[test]
fn a_rebuild_with_nothing_changed_says_what_the_last_build_said_and_writes_nothing() {
    let site = site();
    let first = built_at(&site, NOON);
    assert!(!stopped(&first));
    assert!(first.warnings.iter().any(|w| w.msg.contains("titel")), "{:?}", first.warnings);
    let before = tree(&site.out());
    let again = built_at(&site, "2025-04-12T13:00:00Z");
    assert!(stopped(&again), "{:?}", again.timings);
    assert_eq!(tree(&site.out()), before);
    assert_eq!(
        (again.articles, again.pages, again.files, again.bytes, &again.cid),
        (first.articles, first.pages, first.files, first.bytes, &first.cid)
    );
    assert_eq!(again.rendered, 0);
    assert_eq!(again.warnings, first.warnings, "its warnings are said again");
    assert_eq!(again.next_change, first.next_change);
    assert_eq!(again.next_change.as_ref().map(|n| n.what), Some("publishes"));
    assert_eq!((again.changes.added, again.changes.changed, again.changes.removed), (0, 0, 0));
    assert_eq!(again.changes.unchanged, first.files - 2);
    // `--strict` fails on the warnings it says again, as on the build's own.
    let strict = sitegen::BuildOptions { strict: true, ..options_at(&site, "2025-04-12T13:30:00Z") };
    let e = sitegen::build::build(&strict).unwrap_err().to_string();
    assert!(e.contains("titel") && e.contains("(--strict)"), "{e}");
    assert_eq!(tree(&site.out()), before, "a failed strict build leaves the output");
}

/// A change made to the site's files.
type Change = dyn Fn(&TestSite);

#[test]
fn a_change_to_anything_a_build_reads_makes_it_build() {
    let site = site();
    built_at(&site, NOON);
    let changes: [(&str, &Change); 5] = [
        ("an article saved again, unchanged", &|s| {
            let p = s.root.join("content/world/beta.md");
            let text = std::fs::read(&p).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(10));
            std::fs::write(&p, text).unwrap();
        }),
        ("a new file in static/", &|s| {
            s.write("static/robots-extra.txt", "x");
        }),
        ("a template of the theme overridden", &|s| {
            let footer = std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/samizdat/templates/footer.html"),
            )
            .unwrap();
            s.write("templates/footer.html", &format!("{footer}<!-- overridden -->\n"));
        }),
        ("site.yaml", &|s| {
            let yaml = std::fs::read_to_string(s.root.join("site.yaml")).unwrap();
            s.write("site.yaml", &yaml.replace("paginate: 2", "paginate: 3"));
        }),
        ("an author's page", &|s| {
            s.write("content/authors/jane-roe.md", "---\nname: Jane Roe\nrole: Editor at large\n---\nBio.\n");
        }),
    ];
    for (what, change) in changes {
        change(&site);
        let report = built_at(&site, NOON);
        assert!(!stopped(&report), "{what}: the build stopped at once");
        assert!(stopped(&built_at(&site, NOON)), "{what}: a second build had something to do");
    }
    assert!(site.page("index.html").contains("<!-- overridden -->"));
    // An option that changes what is published: drafts shown.
    let drafts = sitegen::BuildOptions { drafts: true, ..options_at(&site, NOON) };
    assert!(!stopped(&sitegen::build::build(&drafts).unwrap()), "--drafts");
    assert!(!stopped(&built_at(&site, NOON)), "without --drafts again");
}

#[test]
fn an_output_changed_since_is_built_again() {
    let site = site();
    built_at(&site, NOON);
    let before = tree(&site.out());
    let page = site.out().join("news/delta/index.html");
    std::fs::write(&page, "defaced").unwrap();
    let report = built_at(&site, NOON);
    assert!(!stopped(&report));
    assert_eq!(tree(&site.out()), before, "the page is written again");
    std::fs::remove_file(site.out().join("rss.xml")).unwrap();
    assert!(!stopped(&built_at(&site, NOON)));
    assert_eq!(tree(&site.out()), before, "the feed is written again");
    // `--no-cache` leaves no record: the next build reads everything.
    let fresh = sitegen::BuildOptions { no_cache: true, ..site.options() };
    sitegen::build::build(&fresh).unwrap();
    assert!(!stopped(&built_at(&site, NOON)));
}

#[test]
fn time_alone_changes_the_site_when_a_story_is_due_or_leaves_the_news_sitemap() {
    let site = site();
    built_at(&site, NOON);
    assert!(!site.exists("news/later/index.html"));
    assert!(stopped(&built_at(&site, "2025-04-12T17:59:59Z")));
    // Due at 18:00: published.
    assert!(!stopped(&built_at(&site, "2025-04-12T18:00:00Z")));
    assert!(site.exists("news/later/index.html"));
    let news = || site.page("sitemap-news.xml");
    let alpha = "<loc>https://test.example/news/envoy-talks/</loc>";
    assert!(news().contains(alpha), "{}", news());
    assert!(stopped(&built_at(&site, "2025-04-13T15:19:00Z")));
    // Two days after 11 April, 15:20 UTC, the story leaves the news sitemap.
    assert!(!stopped(&built_at(&site, "2025-04-13T15:21:00Z")));
    assert!(!news().contains(alpha), "{}", news());
    // An earlier moment than the last build's is never taken on trust.
    assert!(!stopped(&built_at(&site, "2025-04-12T12:00:00Z")));
    assert!(!site.exists("news/later/index.html"), "the scheduled story is held back again");
}
