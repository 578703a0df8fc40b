//! Watch rebuilds against clean builds: after every step of a random
//! sequence of edits, the in-place preview must equal, byte for byte, what
//! `sitegen build` writes for the same files.

use crate::common::{tree, TestSite};
use sitegen::memo::Memo;
use sitegen::BuildOptions;
use std::path::PathBuf;

/// A small deterministic generator: the failing seed is in the message.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

struct Session {
    site: TestSite,
    root: PathBuf,
    memo: Memo,
    /// Generated articles, by content path.
    made: Vec<String>,
    step: usize,
}

const TAGS: [&str; 4] = ["economy", "elections", "Central Bank", "courts"];

impl Session {
    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    fn write(&self, rel: &str, text: &str) -> Vec<PathBuf> {
        self.site.write(rel, text);
        vec![self.path(rel)]
    }

    fn article(&self, title: &str, day: usize, tag: &str) -> String {
        format!(
            "---\ntitle: \"{title}\"\ndate: 2025-08-{:02}T10:00:00+03:00\nauthors: [\"Daniel Price\"]\ntags: [\"{tag}\"]\n\
             summary: \"Summary of {title}.\"\n---\nText of {title}, with a [link](../business/central-bank-holds-rate.md).\n",
            day % 28 + 1
        )
    }

    /// One random edit; returns the paths it touched.
    fn edit(&mut self, rng: &mut Rng) -> (String, Vec<PathBuf>) {
        let existing = [
            "content/business/central-bank-holds-rate.md",
            "content/news/internet-cut-before-vote.md",
            "content/world/baltic-grid.md",
            "content/culture/knigi-v-emigratsii.md",
        ];
        let pick = existing[rng.below(existing.len())];
        let n = self.step;
        match rng.below(11) {
            0 | 1 => {
                let text = self.read(pick) + &format!("\nA new paragraph, number {n}.\n");
                (format!("body of {pick}"), self.write(pick, &text))
            }
            2 => {
                let text = self.read(pick).replacen("title: \"", &format!("title: \"{n} "), 1);
                (format!("title of {pick}"), self.write(pick, &text))
            }
            3 => {
                let rel = format!("content/news/generated-{n}.md");
                let tag = TAGS[rng.below(TAGS.len())];
                self.made.push(rel.clone());
                (format!("new {rel}"), self.write(&rel, &self.article(&format!("Generated {n}"), n, tag)))
            }
            4 if !self.made.is_empty() => {
                let rel = self.made.remove(rng.below(self.made.len()));
                std::fs::remove_file(self.path(&rel)).unwrap();
                (format!("delete {rel}"), vec![self.path(&rel)])
            }
            5 if !self.made.is_empty() => {
                let i = rng.below(self.made.len());
                let (from, to) = (self.made[i].clone(), format!("content/world/moved-{n}.md"));
                std::fs::rename(self.path(&from), self.path(&to)).unwrap();
                self.made[i] = to.clone();
                (format!("rename {from} to {to}"), vec![self.path(&from), self.path(&to)])
            }
            6 if !self.made.is_empty() => {
                let rel = self.made[rng.below(self.made.len())].clone();
                let tag = TAGS[rng.below(TAGS.len())];
                let text = self.read(&rel);
                let start = text.find("tags: [").unwrap();
                let end = start + text[start..].find(']').unwrap() + 1;
                let text = format!("{}tags: [\"{tag}\"]{}", &text[..start], &text[end..]);
                (format!("tags of {rel}"), self.write(&rel, &text))
            }
            7 => {
                let text = self.read(pick);
                let start = text.find("date: ").unwrap() + "date: ".len();
                let text = format!("{}2025-06-{:02}{}", &text[..start], n % 28 + 1, &text[start + 10..]);
                (format!("date of {pick}"), self.write(pick, &text))
            }
            8 => {
                let theme = self.read("themes/samizdat/templates/list.html");
                let text = theme.replacen(
                    "<header class=\"list__header",
                    &format!("<p>v{n}</p><header class=\"list__header"),
                    1,
                );
                (format!("template, v{n}"), self.write("templates/list.html", &text))
            }
            9 => {
                let text =
                    self.read("site.yaml").replacen("title: \"The Meridian", &format!("title: \"{n} The Meridian"), 1);
                ("site.yaml".to_string(), self.write("site.yaml", &text))
            }
            _ => {
                let rel = "static/notes.txt";
                (format!("static file, v{n}"), self.write(rel, &format!("version {n}\n")))
            }
        }
    }
}

fn run_sequence(seed: u64, steps: usize) {
    let site = TestSite::sample();
    let root = site.root.canonicalize().unwrap();
    let preview = root.parent().unwrap().join("preview");
    let clean = root.parent().unwrap().join("clean");
    let opts = BuildOptions { root: root.clone(), output: Some(preview.clone()), ..Default::default() };
    let clean_opts = BuildOptions { output: Some(clean.clone()), ..opts.clone() };
    let mut s = Session { site, root, memo: Memo::default(), made: Vec::new(), step: 0 };
    let mut rng = Rng(seed);
    sitegen::build::rebuild(&opts, &mut s.memo, None).unwrap();
    for step in 0..steps {
        s.step = step;
        let (what, changed) = s.edit(&mut rng);
        // Sometimes the watcher knows what changed, sometimes not.
        let hint = (rng.below(4) != 0).then_some(changed.as_slice());
        let report = sitegen::build::rebuild(&opts, &mut s.memo, hint)
            .unwrap_or_else(|e| panic!("seed {seed}, step {step} ({what}): rebuild failed: {e}"));
        sitegen::build::build(&clean_opts).unwrap_or_else(|e| panic!("seed {seed}, step {step}: clean build: {e}"));
        let (a, b) = (tree(&preview), tree(&clean));
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "seed {seed}, step {step} ({what}): the preview has other files than a clean build"
        );
        for (k, v) in &a {
            assert!(v == &b[k], "seed {seed}, step {step} ({what}): {k} differs from a clean build");
        }
        assert!(report.rendered <= report.pages);
    }
}

#[test]
fn random_edit_sequences_give_what_a_clean_build_gives() {
    for seed in [0x5eed_0001, 0x5eed_0002, 0x5eed_0003] {
        run_sequence(seed, 24);
    }
}

#[test]
fn an_edit_that_moves_nothing_renders_only_the_pages_that_show_it() {
    let site = TestSite::sample();
    let root = site.root.canonicalize().unwrap();
    let opts =
        BuildOptions { root: root.clone(), output: Some(root.parent().unwrap().join("p")), ..Default::default() };
    let mut memo = Memo::default();
    let first = sitegen::build::rebuild(&opts, &mut memo, None).unwrap();
    assert_eq!(first.rendered, first.pages);
    let rel = "content/world/baltic-grid.md";
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    site.write(rel, &format!("{text}\nOne more sentence.\n"));
    let body_only = sitegen::build::rebuild(&opts, &mut memo, Some(&[root.join(rel)])).unwrap();
    assert_eq!(body_only.rendered, 1, "a body edit re-renders the article's page alone");
    assert_eq!(body_only.changes.changed, 1, "and writes that page alone: {:?}", body_only.changes);
    site.write(rel, &text.replacen("title: \"", "title: \"Updated: ", 1));
    let retitled = sitegen::build::rebuild(&opts, &mut memo, Some(&[root.join(rel)])).unwrap();
    assert!(
        retitled.rendered > 1 && retitled.rendered < retitled.pages / 2,
        "a new title re-renders the lists and related pages that show it, not the site: {} of {}",
        retitled.rendered,
        retitled.pages
    );
    let unchanged = sitegen::build::rebuild(&opts, &mut memo, None).unwrap();
    assert_eq!(unchanged.rendered, 0, "nothing changed, nothing rendered");
    assert_eq!(unchanged.changes.changed + unchanged.changes.added + unchanged.changes.removed, 0);
}

#[test]
fn a_build_from_its_cache_equals_a_build_from_nothing() {
    let site = TestSite::sample();
    let root = site.root.canonicalize().unwrap();
    let out = root.parent().unwrap().join("out");
    let fresh = root.parent().unwrap().join("fresh");
    let opts = BuildOptions { root: root.clone(), output: Some(out.clone()), ..Default::default() };
    let fresh_opts = BuildOptions { output: Some(fresh.clone()), no_cache: true, ..opts.clone() };
    let first = sitegen::build::build(&opts).unwrap();
    assert_eq!(first.rendered, first.pages);
    assert!(sitegen::build_cache::path(&out).is_file(), "the cache is left beside the output");
    assert!(!tree(&out).keys().any(|k| k.contains("sitegen-cache")), "and not in it");
    let before = tree(&out);
    let ino = |p: &std::path::Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
    let folder = ino(&out);
    let again = sitegen::build::build(&opts).unwrap();
    assert_eq!(again.rendered, 0, "nothing changed, nothing rendered");
    assert_eq!((again.changes.unchanged, again.files), (first.files - 2, first.files));
    assert_eq!(tree(&out), before);
    assert_eq!(ino(&out), folder, "an output already current is left as it is, not swapped");
    assert!(first.cid.is_some() && again.cid == first.cid, "the same files, the same CID (kept in the cache)");
    let rel = "content/world/baltic-grid.md";
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    site.write(rel, &text.replacen("title: \"", "title: \"Updated: ", 1));
    site.write("static/notes.txt", "new\n");
    for step in ["an edit", "a moved link target", "a template"] {
        if step == "a moved link target" {
            // A Russian article links to this one: its body, parsed from
            // the cache without its Markdown, is read again and re-rendered.
            let rel = "content/opinion/why-we-publish-on-mirrors.md";
            let text = std::fs::read_to_string(root.join(rel)).unwrap();
            site.write(rel, &text.replacen("---\ntitle:", "---\nslug: why-we-publish-everywhere\ntitle:", 1));
            let rel = "content/news/internet-cut-before-vote.md";
            let text = std::fs::read_to_string(root.join(rel)).unwrap();
            site.write(rel, &text.replace("/why-we-publish-on-mirrors/", "/why-we-publish-everywhere/"));
        }
        if step == "a template" {
            let list = std::fs::read_to_string(root.join("themes/samizdat/templates/list.html")).unwrap();
            site.write("templates/list.html", &list.replacen("<header", "<p>v2</p><header", 1));
        }
        let cached = sitegen::build::build(&opts).unwrap();
        assert!(cached.rendered > 0 && cached.rendered < cached.pages, "{step}: {} rendered", cached.rendered);
        let from_nothing = sitegen::build::build(&fresh_opts).unwrap();
        assert_eq!(tree(&out), tree(&fresh), "after {step}, the cached build differs from one from nothing");
        assert_eq!(cached.cid, from_nothing.cid, "after {step}");
        assert_eq!(sitegen::build::build(&opts).unwrap().cid, cached.cid, "after {step}, the CID from the cache");
    }
    // Someone changes the output: the cache no longer describes it.
    std::fs::write(out.join("manifest.json"), "{}").unwrap();
    let distrusted = sitegen::build::build(&opts).unwrap();
    assert_eq!(distrusted.rendered, distrusted.pages);
    sitegen::build::build(&BuildOptions { no_cache: true, ..opts.clone() }).unwrap();
    assert!(!sitegen::build_cache::path(&out).exists(), "--no-cache removes the cache");
}
