//! The fast path, through a watch session's `Rebuilds` on a copy of
//! `tests/fixtures/basic`: after each save the preview must be byte for
//! byte what a build from nothing writes; an edit that moves nothing must
//! take the fast path and render exactly the pages whose bytes change (and
//! they are written out by hand here), and an edit that moves an article,
//! or touches anything but an article, must take the full rebuild.

use crate::build;
use crate::load::config::BuildOptions;
use crate::report::BuildReport;
use crate::watch::rebuilds::Rebuilds;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A watch session on a copy of the fixture.
struct Session {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    preview: PathBuf,
    builds: Rebuilds,
}

#[derive(Debug, PartialEq, Eq)]
enum Way {
    Fast,
    Full,
}

/// Which way a rebuild went, by its first stage: the fast path parses the
/// edited articles ("front matter"), a build lists the sources ("load").
fn way(report: &BuildReport) -> Way {
    match report.timings.first().map(|t| t.0) {
        Some("front matter") => Way::Fast,
        Some("load") => Way::Full,
        other => panic!("a rebuild that starts with {other:?}"),
    }
}

/// Every file under `dir` and its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    crate::fs::list_files(dir).unwrap().into_iter().map(|f| (f.clone(), std::fs::read(dir.join(&f)).unwrap())).collect()
}

/// The files added, changed or removed from `a` to `b`, and how many of
/// each, leaving out the manifest's two files (a build's report does not
/// count them).
fn diff(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> (BTreeSet<String>, (usize, usize, usize)) {
    let listed = |f: &&String| *f != "manifest.json" && *f != "SHA256SUMS";
    let added: Vec<&String> = b.keys().filter(listed).filter(|f| !a.contains_key(*f)).collect();
    let changed: Vec<&String> = b.keys().filter(listed).filter(|f| a.get(*f).is_some_and(|x| *x != b[*f])).collect();
    let removed: Vec<&String> = a.keys().filter(listed).filter(|f| !b.contains_key(*f)).collect();
    let counts = (added.len(), changed.len(), removed.len());
    (added.into_iter().chain(changed).chain(removed).cloned().collect(), counts)
}

fn set(files: &[&str]) -> BTreeSet<String> {
    files.iter().map(|f| f.to_string()).collect()
}

impl Session {
    fn start() -> Session {
        let (tmp, root) = crate::fs::copy_fixture("basic");
        let preview = root.parent().unwrap().join("preview");
        let mut builds =
            Rebuilds::new(BuildOptions { root: root.clone(), output: Some(preview.clone()), ..Default::default() });
        let first = builds.rebuild(None).unwrap();
        assert_eq!((way(&first), first.rendered), (Way::Full, first.pages));
        Session { _tmp: tmp, root, preview, builds }
    }

    /// Replaces `from` by `to` in `rel` (under the site folder); its path.
    fn edit(&self, rel: &str, from: &str, to: &str) -> PathBuf {
        let path = self.root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        path
    }

    /// Rebuilds after `changed`; checks the preview against a build from
    /// nothing and the report's counts against the disk. Gives the report
    /// and the files that changed.
    fn rebuild(&mut self, changed: &[PathBuf]) -> (BuildReport, BTreeSet<String>) {
        let before = tree(&self.preview);
        let report = self.builds.rebuild(Some(changed)).unwrap_or_else(|e| panic!("rebuild: {e}"));
        let after = tree(&self.preview);
        let reference = self.root.parent().unwrap().join("from-nothing");
        let opts = BuildOptions {
            root: self.root.clone(),
            output: Some(reference.clone()),
            no_cache: true,
            ..Default::default()
        };
        build::build(&opts).unwrap();
        let fresh = tree(&reference);
        std::fs::remove_dir_all(&reference).unwrap();
        let (differs, _) = diff(&after, &fresh);
        assert!(differs.is_empty(), "the preview differs from a build from nothing in {differs:?}");
        assert_eq!(after, fresh, "the manifest differs from a build from nothing's");
        let (files, counts) = diff(&before, &after);
        let c = &report.changes;
        assert_eq!((c.added, c.changed, c.removed), counts, "the report's counts are not what changed on disk");
        (report, files)
    }

    /// An edit that moves nothing: it takes the fast path and renders
    /// exactly `pages`, which change on disk with `feeds` and nothing else.
    fn fast(&mut self, changed: &[PathBuf], pages: &[&str], feeds: &[&str]) {
        let written: Vec<&str> = pages.iter().chain(feeds).copied().collect();
        self.fast_writing(changed, pages, &written);
    }

    /// An edit that moves nothing: it takes the fast path, renders exactly
    /// `rendered` and changes exactly `written` on disk. A build then finds
    /// nothing to do: the fast path left the memo that build would.
    fn fast_writing(&mut self, changed: &[PathBuf], rendered: &[&str], written: &[&str]) {
        let (report, files) = self.rebuild(changed);
        assert_eq!(way(&report), Way::Fast, "{changed:?}");
        assert_eq!(files, set(written), "{changed:?}: the files changed on disk");
        assert_eq!(report.rendered, rendered.len(), "{changed:?}: the pages rendered");
        let again = self.builds.rebuild(None).unwrap();
        assert_eq!((way(&again), again.rendered), (Way::Full, 0), "{changed:?}: a build after the fast path");
        let c = &again.changes;
        assert_eq!((c.added, c.changed, c.removed), (0, 0, 0), "{changed:?}: a build after the fast path");
    }

    /// A change that takes the full rebuild; the files it changed.
    fn full(&mut self, changed: &[PathBuf]) -> BTreeSet<String> {
        let (report, files) = self.rebuild(changed);
        assert_eq!(way(&report), Way::Full, "{changed:?}");
        assert!(!files.is_empty(), "{changed:?}");
        files
    }
}

const ALPHA: &str = "content/news/alpha/index.md";
const ALPHA_PAGE: &str = "news/envoy-talks/index.html";

/// The pages that show alpha's card: its own, the lists it is first on (no
/// "Read more": those list earlier stories, and it is the newest).
const ALPHA_CARD: [&str; 7] = [
    ALPHA_PAGE,
    "index.html",
    "news/index.html",
    "tags/diplomacy/index.html",
    "tags/sport/index.html",
    "authors/jane-roe/index.html",
    "authors/john-doe/index.html",
];

/// The search index of the language at `home` that an edit to one of its
/// articles changes (the fixture's index is one part of terms and one of
/// documents), with `files`.
fn and_index(home: &str, mut files: Vec<String>) -> Vec<String> {
    files.extend(["search/parts/d-0.js", "search/parts/k-.js"].map(|f| format!("{home}{f}")));
    files
}

/// The three feeds (RSS, Atom, JSON Feed) of each list at `bases`.
fn feeds(bases: &[&str]) -> Vec<String> {
    bases.iter().flat_map(|b| ["rss.xml", "atom.xml", "feed.json"].map(|f| format!("{b}{f}"))).collect()
}

/// The lists alpha is in, whose feeds show its title: the English site's,
/// its section's, its tags' and its authors'.
const ALPHA_LISTS: [&str; 6] =
    ["", "news/", "tags/diplomacy/", "tags/sport/", "authors/jane-roe/", "authors/john-doe/"];

/// The feeds that carry whole stories: the language's and the section's.
const FULL_TEXT: [&str; 2] = ["", "news/"];

#[test]
fn a_title_renders_its_page_its_cards_and_its_translations_link() {
    let mut s = Session::start();
    let p = s.edit(ALPHA, "title: \"Envoy Meets President for Talks\"", "title: \"Envoy Leaves\"");
    let mut pages = ALPHA_CARD.to_vec();
    pages.push("ru/news/envoy-talks/index.html");
    s.fast(&[p], &pages, &refs(&and_index("", feeds(&ALPHA_LISTS))));
}

#[test]
fn a_title_renders_the_pages_at_old_addresses() {
    let mut s = Session::start();
    let p = s.edit("content/world/beta.md", "title: \"Beta Story\"", "title: \"Beta, Retold\"");
    let pages = [
        "world/beta/index.html",
        "2024/old-beta/index.html",
        "archive/beta.html/index.html",
        "index.html",
        "page/2/index.html",
        "world/index.html",
        "tags/diplomacy/index.html",
        "tags/sport/index.html",
        "authors/jane-roe/index.html",
        "news/envoy-talks/index.html",
    ];
    s.fast(
        &[p],
        &pages,
        &refs(&and_index("", feeds(&["", "world/", "tags/diplomacy/", "tags/sport/", "authors/jane-roe/"]))),
    );
}

#[test]
fn a_translation_title_renders_the_other_editions_link() {
    let mut s = Session::start();
    let p = s.edit(
        "content/news/alpha/index.ru.md",
        "title: \"Посланник встретился с президентом\"",
        "title: \"Посланник уехал\"",
    );
    let pages = [
        ALPHA_PAGE,
        "ru/news/envoy-talks/index.html",
        "ru/index.html",
        "ru/news/index.html",
        "ru/tags/sport/index.html",
        "ru/authors/jane-roe/index.html",
    ];
    s.fast(
        &[p],
        &pages,
        &refs(&and_index("ru/", feeds(&["ru/", "ru/news/", "ru/tags/sport/", "ru/authors/jane-roe/"]))),
    );
}

#[test]
fn a_summary_renders_its_page_and_its_cards() {
    let mut s = Session::start();
    let p = s.edit(ALPHA, "summary: \"The lede shown in lists and feeds.\"", "summary: \"New.\"");
    s.fast(&[p], &ALPHA_CARD, &refs(&and_index("", feeds(&ALPHA_LISTS))));
}

/// The theme's cards show the photo with an empty `alt` and no caption,
/// but the card's variables have both: the pages showing the card are
/// rendered again, and their bytes stay the same.
#[test]
fn a_photo_caption_renders_its_page_and_its_cards() {
    let mut s = Session::start();
    let p = s.edit(ALPHA, "caption: \"At the talks.\"", "caption: \"After the talks.\"");
    s.fast_writing(&[p], &ALPHA_CARD, &[ALPHA_PAGE]);
}

#[test]
fn a_photo_credit_renders_its_page_alone() {
    let mut s = Session::start();
    let p = s.edit(ALPHA, "credit: \"AP / TASS\"", "credit: \"Reuters\"");
    s.fast(&[p], &[ALPHA_PAGE], &[]);
}

#[test]
fn a_body_renders_its_page_alone() {
    let mut s = Session::start();
    let p = s.edit("content/news/delta.md", "Body of delta.", "Body of delta, longer.");
    // With the feeds that carry whole stories.
    s.fast(&[p], &["news/delta/index.html"], &refs(&and_index("", feeds(&FULL_TEXT))));
}

#[test]
fn a_dateline_and_a_wire_credit_render_their_page_alone() {
    let mut s = Session::start();
    let p = s.edit(ALPHA, "dateline: \"Moscow\"", "dateline: \"Geneva\"");
    s.fast(&[p], &[ALPHA_PAGE], &[]);
    let p = s.edit(ALPHA, "wire_credit: \"AFP contributed reporting.\"", "wire_credit: \"AP.\"");
    s.fast(&[p], &[ALPHA_PAGE], &[]);
}

#[test]
fn two_articles_saved_together_render_what_either_shows() {
    let mut s = Session::start();
    let a = s.edit("content/news/delta.md", "Body of delta.", "Body of delta, longer.");
    let b = s.edit("content/news/epsilon.md", "Body of epsilon.", "Body of epsilon, longer.");
    s.fast(
        &[a, b.clone(), b],
        &["news/delta/index.html", "news/epsilon/index.html"],
        &refs(&and_index("", feeds(&FULL_TEXT))),
    );
}

#[test]
fn a_save_that_changes_nothing_renders_nothing() {
    let mut s = Session::start();
    let p = s.edit("content/news/delta.md", "Body of delta.", "Body of delta.");
    // An editor's temporary file, gone again by the time of the build.
    let gone = s.root.join("content/news/.delta.md.swp");
    s.fast(&[p, gone], &[], &[]);
}

#[test]
fn edits_that_move_an_article_take_the_full_rebuild() {
    let mut s = Session::start();
    let delta = "content/news/delta.md";
    let edits = [
        (delta, "date: 2025-01-05T08:00:00+03:00", "date: 2025-01-06T08:00:00+03:00"),
        (ALPHA, "updated: 2025-04-12T09:00:00+03:00", "updated: 2025-04-13T09:00:00+03:00"),
        ("content/world/gamma.md", "tags: [\"Спорт\"]", "tags: [\"Спорт\", \"diplomacy\"]"),
        ("content/world/beta.md", "authors: [\"Jane Roe\"]", "authors: [\"Jane Roe\", \"John Doe\"]"),
        ("content/world/beta.md", "aliases: [\"/2024/old-beta/\", ", "aliases: ["),
        (delta, "title: \"Delta Story\"", "slug: delta-story\ntitle: \"Delta Story\""),
        ("content/news/alpha/index.ru.md", "translation_key: alpha-2025\n", ""),
        ("content/opinion/draft.md", "draft: true", "draft: false"),
    ];
    for (rel, from, to) in edits {
        let p = s.edit(rel, from, to);
        s.full(&[p]);
    }
    // The old address is gone; nothing else shows it.
    assert!(!s.preview.join("2024/old-beta/index.html").exists());
}

#[test]
fn new_and_deleted_files_take_the_full_rebuild() {
    let mut s = Session::start();
    let new = s.root.join("content/news/zeta.md");
    std::fs::write(&new, "---\ntitle: \"Zeta\"\ndate: 2025-05-01\n---\nZeta.\n").unwrap();
    assert!(s.full(std::slice::from_ref(&new)).contains("news/zeta/index.html"));
    let gone = s.root.join("content/news/epsilon.md");
    std::fs::remove_file(&gone).unwrap();
    assert!(s.full(&[gone]).contains("news/epsilon/index.html"));
}

#[test]
fn section_author_and_static_files_take_the_full_rebuild() {
    let mut s = Session::start();
    let p = s.edit("content/news/_index.md", "title: \"News\"", "title: \"Latest\"");
    assert!(s.full(&[p]).contains("index.html"));
    let p = s.edit("content/authors/jane-roe.md", "covers **diplomacy**", "covers sport");
    assert!(s.full(&[p]).contains("authors/jane-roe/index.html"));
    // With an article edit that moves nothing in the same save.
    let p = s.root.join("static/notes.txt");
    std::fs::write(&p, "Notes.\n").unwrap();
    let a = s.edit("content/news/delta.md", "Body of delta.", "Body of delta, longer.");
    let mut changed = vec!["notes.txt".to_string(), "news/delta/index.html".to_string()];
    changed.extend(and_index("", feeds(&FULL_TEXT)));
    assert_eq!(s.full(&[a, p]), set(&refs(&changed)));
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}
