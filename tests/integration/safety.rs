//! Nothing is lost: a folder sitegen did not build is never replaced, two
//! builds into one output do not mix, and a build killed at any moment
//! leaves either the complete old site or the complete new one.

use crate::common::{tree, TestSite};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn a_folder_sitegen_did_not_build_is_never_replaced() {
    let site = TestSite::fixture("basic");
    let mine = site.root.parent().unwrap().join("documents");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("thesis.txt"), "years of work").unwrap();
    let out = site.run(&["build", "--output", mine.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("refusing to replace") && e.contains("it has no manifest.json") && e.contains("--force"), "{e}");
    assert_eq!(std::fs::read_to_string(mine.join("thesis.txt")).unwrap(), "years of work");
    let forced = site.run(&["build", "--force", "--output", mine.to_str().unwrap()]);
    assert!(forced.status.success());
    assert!(!mine.join("thesis.txt").exists() && mine.join("manifest.json").is_file());
}

#[test]
fn a_folder_with_a_file_named_manifest_json_is_not_taken_for_sitegen_s() {
    // See: #19 (2). `echo '{}' > proj/manifest.json; sitegen build -o proj`
    // used to wipe `proj`.
    let site = TestSite::fixture("basic");
    let proj = site.root.parent().unwrap().join("proj");
    std::fs::create_dir_all(&proj).unwrap();
    for manifest in
        ["{}", "{\"version\": 1, \"files\": []}", "{\"version\": 1, \"generator\": \"other\", \"files\": []}"]
    {
        std::fs::write(proj.join("manifest.json"), manifest).unwrap();
        std::fs::write(proj.join("notes.txt"), "mine").unwrap();
        let out = site.run(&["build", "--output", proj.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{manifest}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to replace"), "{manifest}");
        assert_eq!(std::fs::read_to_string(proj.join("notes.txt")).unwrap(), "mine", "{manifest}");
    }
}

fn spawn_build(root: &Path, out: &Path, env: &[(&str, &str)]) -> std::process::Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sitegen"));
    cmd.args(["build", "--root"]).arg(root).arg("--output").arg(out);
    cmd.envs(env.iter().copied()).stdout(Stdio::null()).stderr(Stdio::piped());
    cmd.spawn().unwrap()
}

#[test]
fn two_builds_of_different_sites_into_one_output_take_turns() {
    // See: #19 (4). In 6 of 60 rounds the output held one site's pages
    // under the other's manifest.
    let a = TestSite::fixture("basic");
    let b = TestSite::fixture("basic");
    for (rel, title) in [("content/news/delta.md", "Other Delta"), ("content/world/beta.md", "Other Beta")] {
        let text = std::fs::read_to_string(b.root.join(rel)).unwrap();
        b.write(rel, &text.replacen("title: \"", &format!("title: \"{title} "), 1));
    }
    b.write("content/news/only-in-b.md", "---\ntitle: \"Only in B\"\ndate: 2025-02-01\n---\nB.\n");
    let reference = |site: &TestSite| {
        let out = site.root.parent().unwrap().join("reference");
        sitegen::build::build(&sitegen::BuildOptions { output: Some(out.clone()), no_cache: true, ..site.options() })
            .unwrap();
        tree(&out)
    };
    let (tree_a, tree_b) = (reference(&a), reference(&b));
    assert_ne!(tree_a, tree_b);
    let out = a.root.parent().unwrap().join("shared-out");
    let rounds: usize = std::env::var("SITEGEN_RACE_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(12);
    for round in 0..rounds {
        let (first, second) = if round % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let children = [spawn_build(&first.root, &out, &[]), spawn_build(&second.root, &out, &[])];
        for child in children {
            let o = child.wait_with_output().unwrap();
            assert!(o.status.success(), "round {round}: {}", String::from_utf8_lossy(&o.stderr));
        }
        let got = tree(&out);
        assert!(got == tree_a || got == tree_b, "round {round}: the output is neither site whole");
        assert_complete(&out);
    }
}

/// Every file the output's manifest lists is there with its hash, and
/// nothing else is: a complete site, never a mix.
fn assert_complete(out: &Path) {
    let target = sitegen::publish::verify::Target::open(out.to_str().unwrap()).unwrap();
    let report = sitegen::publish::verify::verify(&target, None).unwrap();
    assert!(report.ok(), "{report:?}");
    assert!(report.checked > 20);
}

/// A site large enough that a build takes a while.
fn big_site() -> TestSite {
    let site = TestSite::fixture("basic");
    let body = "A paragraph of reporting with a [link](/tags/diplomacy/).\n\n".repeat(40);
    for i in 0..150 {
        site.write(
            &format!("content/world/story-{i:03}.md"),
            &format!("---\ntitle: \"Story {i}\"\ndate: 2024-01-01T{:02}:{:02}:00Z\ntags: [\"diplomacy\", \"t{}\"]\nauthors: [\"Writer {}\"]\n---\n{body}", i / 60, i % 60, i % 7, i % 5),
        );
    }
    site
}

/// Gives the site's delta article version `i`, so every build differs from
/// the one before.
fn edit(site: &TestSite, i: usize) {
    site.write(
        "content/news/delta.md",
        &format!("---\ntitle: \"Delta {i}\"\ndate: 2025-01-05T08:00:00+03:00\ntags: [\"diplomacy\"]\n---\nBody {i}.\n"),
    );
}

/// The version of the delta article the output holds.
fn version(out: &Path) -> usize {
    let html = std::fs::read_to_string(out.join("news/delta/index.html")).unwrap();
    let at = html.find("<title>Delta ").expect("the delta page has its title") + "<title>Delta ".len();
    html[at..].split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap()
}

/// What a kill left: the old site whole, or the new one whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// The build was killed and the previous site is there, intact.
    KilledOldIntact,
    /// The build was killed after its swap: the new site is there, whole.
    KilledNewComplete,
    /// The build finished before the kill.
    Finished,
}

/// Runs a build of version `i` and kills it after `delay` or, with
/// `pause`, once it says it reached that pause point. Returns what the
/// output then holds, having checked that it is one whole site.
fn kill_build(site: &TestSite, i: usize, last: usize, delay: Duration, pause: Option<&str>) -> Outcome {
    use std::io::BufRead;
    edit(site, i);
    let env: Vec<(&str, &str)> = pause.map(|p| ("SITEGEN_PAUSE_AT", p)).into_iter().collect();
    let mut child = spawn_build(&site.root, &site.out(), &env);
    match pause {
        Some(p) => {
            let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
            let said = stderr.lines().map_while(Result::ok).any(|l| l == format!("sitegen: paused at {p}"));
            assert!(said, "the build never reached the pause point {p}");
        }
        None => std::thread::sleep(delay),
    }
    let _ = child.kill();
    let status = child.wait().unwrap();
    assert_complete(&site.out());
    let now = version(&site.out());
    match (status.success(), now) {
        (true, n) if n == i => Outcome::Finished,
        (false, n) if n == i => Outcome::KilledNewComplete,
        (false, n) if n == last => Outcome::KilledOldIntact,
        (ok, n) => panic!("build {i} (exit ok: {ok}) left version {n}; the output held {last} before"),
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_complete_site() {
    let kills: usize = std::env::var("SITEGEN_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(40).max(1);
    let mut seed: u64 = std::env::var("SITEGEN_KILL_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5eed);
    let first_seed = seed;
    let site = big_site();
    site.built();
    // The kills land in rebuilds after an edit: time those (run as the
    // kills run them), not a rebuild where nothing changed. A build killed
    // after its swap leaves no cache for the output it made, so the next
    // one renders every page: the window must cover that build too.
    let mut times: Vec<Duration> = (0..4)
        .map(|i| {
            edit(&site, 1000 + i);
            if i % 2 == 1 {
                std::fs::remove_file(sitegen::cache::disk::path(&site.out())).unwrap();
            }
            let start = Instant::now();
            assert!(spawn_build(&site.root, &site.out(), &[]).wait().unwrap().success());
            start.elapsed()
        })
        .collect();
    times.sort();
    let edited = times[3];
    let mut last = 1003;
    let mut outcomes = Vec::new();
    // One kill exactly before the swap and one exactly after it.
    for (i, pause) in [(2000, "swap"), (2001, "swapped")] {
        let outcome = kill_build(&site, i, last, Duration::ZERO, Some(pause));
        let expected = if pause == "swap" { Outcome::KilledOldIntact } else { Outcome::KilledNewComplete };
        assert_eq!(outcome, expected, "a kill at the pause point {pause}");
        last = if outcome == Outcome::KilledOldIntact { last } else { i };
        outcomes.push(outcome);
    }
    for i in 0..kills {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let delay = Duration::from_micros((seed >> 33) % (edited.as_micros() as u64 * 13 / 10 + 1));
        let outcome = kill_build(&site, i, last, delay, None);
        if outcome != Outcome::KilledOldIntact {
            last = i;
        }
        outcomes.push(outcome);
    }
    let count = |o: Outcome| outcomes.iter().filter(|x| **x == o).count();
    eprintln!(
        "kills (seed {first_seed:#x}, edited rebuild {edited:?}): {} old intact, {} new complete, {} finished first",
        count(Outcome::KilledOldIntact),
        count(Outcome::KilledNewComplete),
        count(Outcome::Finished)
    );
    assert!(count(Outcome::KilledOldIntact) > 1 && count(Outcome::KilledNewComplete) > 0, "{outcomes:?}");
    // The next build cleans up after the killed ones.
    site.built();
    assert_complete(&site.out());
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sitegen-tmp") || n.contains("sitegen-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_swap_without_an_atomic_exchange_survives_a_kill_between_its_renames() {
    let site = TestSite::fixture("basic");
    site.built();
    // The two-rename swap, whole.
    edit(&site, 1);
    let o = spawn_build(&site.root, &site.out(), &[("SITEGEN_NO_EXCHANGE", "1")]).wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(version(&site.out()), 1);
    assert_complete(&site.out());
    // Killed between its renames: the output folder is briefly gone, and
    // the next build puts the previous site back before anything else.
    let env = [("SITEGEN_NO_EXCHANGE", "1")];
    edit(&site, 2);
    let mut child = spawn_build(&site.root, &site.out(), &[env[0], ("SITEGEN_PAUSE_AT", "between-renames")]);
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    use std::io::BufRead;
    assert!(stderr.lines().map_while(Result::ok).any(|l| l == "sitegen: paused at between-renames"));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!site.out().exists(), "between the renames there is no output");
    let aside: Vec<PathBuf> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".public.sitegen-old-"))
        .collect();
    assert_eq!(aside.len(), 1, "the previous site is moved aside, not lost");
    assert_complete(&aside[0]);
    assert_eq!(version(&aside[0]), 1);
    // A build that then fails still finds the previous site back in place.
    site.write("content/news/broken.md", "no front matter\n");
    let o = spawn_build(&site.root, &site.out(), &env).wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_complete(&site.out());
    assert_eq!(version(&site.out()), 1, "the previous site, put back");
    std::fs::remove_file(site.root.join("content/news/broken.md")).unwrap();
    let o = spawn_build(&site.root, &site.out(), &env).wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_complete(&site.out());
    assert_eq!(version(&site.out()), 2);
    let left: Vec<String> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sitegen-old") || n.contains("sitegen-tmp") || n.ends_with(".old"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn raw_html_passes_by_default_and_is_cleaned_with_sanitize() {
    let site = TestSite::fixture("basic");
    let article = "---\ntitle: \"Raw\"\ndate: 2025-06-01\n---\n## Heading\n\n<p onclick=\"steal()\">Text <iframe src=\"x.html\"></iframe><b>bold</b></p>\n\n<script>alert(1)</script>\n\n```rust\nlet x = 1;\n```\n";
    site.write("content/news/raw.md", article);
    site.built();
    let html = site.page("news/raw/index.html");
    assert!(html.contains("onclick=\"steal()\"") && html.contains("<script>alert(1)</script>"), "trusted by default");
    site.configure("markdown: {sanitize: true}\n");
    site.built();
    let html = site.page("news/raw/index.html");
    let body = &html[html.find("story__body").unwrap()..html.find("</article>").unwrap()];
    for gone in ["onclick", "<iframe", "alert(1)"] {
        assert!(!body.contains(gone), "{gone} in {body}");
    }
    for kept in ["<b>bold</b>", "<h2 id=\"heading\">", "class=\"hl-"] {
        assert!(body.contains(kept), "{kept} missing from {body}");
    }
}
