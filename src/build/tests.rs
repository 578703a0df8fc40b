//! `on_threads`, and a build's report against what it left on disk: a first
//! build, a rebuild with nothing changed, and rebuilds after edits, each
//! from the build cache beside the output as `sitegen build` runs them.

use super::*;
use crate::output::changes::Changes;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[test]
fn on_threads_runs_on_that_many_threads() {
    assert_eq!(on_threads(Some(3), || Ok(rayon::current_num_threads())).unwrap(), 3);
    // No count: the pool the caller is on.
    let own = rayon::current_num_threads();
    assert_eq!(on_threads(None, || Ok(rayon::current_num_threads())).unwrap(), own);
    // Counts outside 1..=256 are refused before a thread starts.
    for n in [0, 257, 20_000] {
        let e = on_threads(Some(n), || -> Result<()> { panic!("ran with {n} threads") }).unwrap_err();
        assert_eq!(e.to_string(), format!("command line: --jobs {n}: give a number of threads from 1 to 256"));
    }
    let e = on_threads(Some(2), || -> Result<()> { Err(Error::Options("inner".into())) }).unwrap_err();
    assert_eq!(e.to_string(), Error::Options("inner".into()).to_string(), "the work's error, as it was");
}

/// Threads that cannot be started are an error that names the count. The
/// address space of a child process (this test, run again) is limited so
/// that a few threads' stacks fill it; the limit would starve the tests
/// beside it in this process.
#[test]
#[cfg(target_os = "linux")]
fn on_threads_names_a_count_it_cannot_start() {
    const CHILD: &str = "SITEGEN_TEST_THREADS_CHILD";
    if std::env::var_os(CHILD).is_some() {
        let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
        let pages: u64 = statm.split_whitespace().next().unwrap().parse().unwrap();
        // SAFETY: sysconf only reads a setting.
        let page_size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as u64;
        let limit = pages * page_size + (64 << 20);
        let rlim = libc::rlimit { rlim_cur: limit, rlim_max: libc::RLIM_INFINITY };
        // SAFETY: setrlimit reads the struct it is given; this process is
        // the child run for this test alone.
        assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_AS, &rlim) }, 0);
        let max = crate::load::options::MAX_THREADS;
        let e = on_threads(Some(max), || Ok(())).unwrap_err().to_string();
        assert!(e.contains(&format!("cannot start {max} threads")), "{e}");
        return;
    }
    let name = "build::tests::on_threads_names_a_count_it_cannot_start";
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--test-threads=1", "--nocapture"])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The fixture copied, built into `out` beside it.
struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
}

impl Site {
    fn new() -> Site {
        let (tmp, root) = crate::fs::copy_fixture("basic");
        let out = root.parent().unwrap().join("out");
        Site { _tmp: tmp, root, out }
    }

    fn build(&self) -> BuildReport {
        build(&BuildOptions { root: self.root.clone(), output: Some(self.out.clone()), ..Default::default() }).unwrap()
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    /// Every output file, its bytes and its modification time.
    fn files(&self) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
        let list = crate::fs::list_files(&self.out).unwrap();
        list.into_iter()
            .map(|f| {
                let p = self.out.join(&f);
                (f, (std::fs::read(&p).unwrap(), std::fs::metadata(&p).unwrap().modified().unwrap()))
            })
            .collect()
    }
}

/// The changes from `a` to `b` as a report counts them (without the
/// manifest's two files), and the pages among them.
fn changes(
    a: &BTreeMap<String, (Vec<u8>, std::time::SystemTime)>,
    b: &BTreeMap<String, (Vec<u8>, std::time::SystemTime)>,
) -> (Changes, BTreeSet<String>) {
    let listed = |f: &&String| *f != "manifest.json" && *f != "SHA256SUMS";
    let mut c = Changes::default();
    let mut pages = BTreeSet::new();
    for f in b.keys().filter(listed) {
        match a.get(f) {
            None => c.added += 1,
            Some(x) if x.0 != b[f].0 => c.changed += 1,
            Some(_) => {
                c.unchanged += 1;
                continue;
            }
        }
        if f.ends_with(".html") {
            pages.insert(f.clone());
        }
    }
    c.removed = a.keys().filter(listed).filter(|f| !b.contains_key(*f)).count();
    (c, pages)
}

/// What a report says of the output, against the output.
fn check_totals(report: &BuildReport, site: &Site) {
    let files = site.files();
    assert_eq!(report.files, files.len(), "files");
    let listed: u64 = (files.iter())
        .filter(|(f, _)| *f != "manifest.json" && *f != "SHA256SUMS")
        .map(|(_, (b, _))| b.len() as u64)
        .sum();
    assert_eq!(report.bytes, listed, "bytes");
    assert_eq!(report.output, site.out);
}

fn folder_inode(p: &Path) -> u64 {
    std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap())
}

#[test]
fn a_first_build_reports_what_it_wrote() {
    let site = Site::new();
    let report = site.build();
    check_totals(&report, &site);
    let (c, pages) = changes(&BTreeMap::new(), &site.files());
    assert_eq!(report.changes, c);
    assert_eq!(c.added, report.files - 2, "every file is new but the manifest's two");
    assert_eq!(report.rendered, report.pages, "every page rendered");
    assert_eq!(pages.len(), report.pages, "every page is an HTML file");
    assert_eq!(report.articles, 6, "the draft is left out");
    assert!(report.cid.is_some());
}

#[test]
fn a_rebuild_with_nothing_changed_renders_nothing_and_leaves_the_output() {
    let site = Site::new();
    let first = site.build();
    let before = site.files();
    let inode = folder_inode(&site.out);
    let again = site.build();
    assert_eq!(again.rendered, 0);
    assert_eq!(again.pages, first.pages);
    assert_eq!(again.changes, Changes { unchanged: first.files - 2, ..Default::default() });
    check_totals(&again, &site);
    assert_eq!(site.files(), before, "every file as it was, not even written again");
    assert_eq!(folder_inode(&site.out), inode, "the output folder is the same folder");
    assert_eq!(again.cid, first.cid);
}

#[test]
fn a_rebuild_after_edits_renders_and_reports_what_changed() {
    let site = Site::new();
    site.build();
    // A body: its page alone.
    let before = site.files();
    site.edit("content/news/delta.md", "Body of delta.", "Body of delta, longer.");
    let report = site.build();
    let (c, pages) = changes(&before, &site.files());
    assert_eq!(report.changes, c);
    // Its page, the six feeds of the language and the section (RSS, Atom,
    // JSON Feed), which carry it whole, and the search index's two parts
    // (its words and its lead).
    assert_eq!((c.added, c.changed, c.removed), (0, 9, 0));
    assert_eq!(pages, BTreeSet::from(["news/delta/index.html".to_string()]));
    assert_eq!(report.rendered, 1);
    check_totals(&report, &site);
    // A title: its page, the lists, "Read more" and the feeds.
    let before = site.files();
    site.edit("content/world/gamma.md", "title: \"Gamma Story\"", "title: \"Gamma, Retold\"");
    let report = site.build();
    let (c, pages) = changes(&before, &site.files());
    assert_eq!(report.changes, c);
    assert_eq!(report.rendered, pages.len(), "pages rendered: exactly those that changed");
    assert!(pages.len() > 3 && c.changed > pages.len(), "{pages:?}, {c:?}");
    check_totals(&report, &site);
    // A deleted article: its page is removed, and the lists change.
    let before = site.files();
    std::fs::remove_file(site.root.join("content/news/epsilon.md")).unwrap();
    let report = site.build();
    let after = site.files();
    let (c, _) = changes(&before, &after);
    assert_eq!(report.changes, c);
    assert!(c.removed >= 1 && !after.contains_key("news/epsilon/index.html"), "{c:?}");
    check_totals(&report, &site);
    // A preview build gives its site to the watch session; a build does not.
    let opts = BuildOptions { root: site.root.clone(), output: Some(site.out.clone()), ..Default::default() };
    assert!(run(&opts, &mut Memo::default(), Mode::Publish).unwrap().built.is_none());
    let preview = BuildOptions { output: Some(site.root.parent().unwrap().join("preview")), ..opts };
    let done = run(&preview, &mut Memo::default(), Mode::Preview).unwrap();
    assert_eq!(done.built.expect("a preview keeps its site").pages().len(), done.report.pages);
}
