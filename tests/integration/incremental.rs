//! Watch rebuilds against builds from nothing: after every step of a
//! random sequence of edits, the in-place preview must equal, byte for
//! byte, what `sitegen build --no-cache` writes for the same files into a
//! fresh folder. Both sides must not share anything (no memo, no build
//! cache, no earlier output): the page keys, the body memo and the fast
//! path are what this test checks.
//!
//! `SITEGEN_EDIT_SEED=0x…` replays one sequence (the failing seed is in
//! every message), `SITEGEN_EDIT_STEPS=N` sets its length and
//! `SITEGEN_EDIT_SEQUENCES=N` how many seeds follow the first; without
//! them CI runs a fixed set.

use crate::common::{tree, TestSite};
use sitegen::watch::rebuilds::Rebuilds;
use sitegen::BuildOptions;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A small deterministic generator: the failing seed is in the message.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

struct Session {
    site: TestSite,
    root: PathBuf,
    /// Generated articles, by content path.
    made: Vec<String>,
    step: usize,
}

const TAGS: [&str; 5] = ["economy", "elections", "Central Bank", "courts", "Баltic-mix"];
const AUTHORS: [&str; 4] = ["Daniel Price", "Anna Sokolova", "Marta Kovalenko", "A. New Writer"];
/// Articles that are edited but never deleted (other articles link to them).
const EXISTING: [&str; 5] = [
    "content/business/central-bank-holds-rate.md",
    "content/news/internet-cut-before-vote.md",
    "content/world/baltic-grid.md",
    "content/culture/knigi-v-emigratsii.md",
    "content/news/envoy-talks/index.md",
];

/// `text` with front-matter key `key` set to `value` (a YAML value), or
/// removed with `None`; added before the closing fence if missing.
fn set_key(text: &str, key: &str, value: Option<&str>) -> String {
    let end = 4 + text[4..].find("\n---").expect("front matter closes") + 1;
    let (head, body) = text.split_at(end);
    let prefix = format!("{key}:");
    let mut lines: Vec<String> = head.lines().filter(|l| !l.starts_with(&prefix)).map(str::to_string).collect();
    if let Some(v) = value {
        lines.push(format!("{key}: {v}"));
    }
    format!("{}\n{body}", lines.join("\n"))
}

/// The value of front-matter key `key`, as written.
fn get_key<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let prefix = format!("{key}: ");
    text.lines().take_while(|l| *l != "---" || l.is_empty()).find_map(|l| l.strip_prefix(prefix.as_str()))
}

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

    /// Sets a front-matter key of an article.
    fn set(&self, rel: &str, key: &str, value: Option<&str>) -> Vec<PathBuf> {
        self.write(rel, &set_key(&self.read(rel), key, value))
    }

    /// Any article the session may edit: a sample one or a generated one.
    fn any_article(&self, rng: &mut Rng) -> String {
        let i = rng.below(EXISTING.len() + self.made.len());
        EXISTING.get(i).map_or_else(|| self.made[i - EXISTING.len()].clone(), |s| s.to_string())
    }

    /// One random edit: what it was, and the paths it touched.
    fn edit(&mut self, rng: &mut Rng) -> (String, Vec<PathBuf>) {
        let n = self.step;
        let any = self.any_article(rng);
        let pick = *rng.pick(&EXISTING);
        match rng.below(24) {
            0 | 1 => {
                let text = self.read(&any) + &format!("\nA new paragraph, number {n}.\n");
                (format!("body of {any}"), self.write(&any, &text))
            }
            2 => {
                let text = self.read(&any).replacen("title: \"", &format!("title: \"{n} "), 1);
                (format!("title of {any}"), self.write(&any, &text))
            }
            3 | 4 => {
                let rel = format!("content/news/generated-{n}.md");
                let tag = *rng.pick(&TAGS);
                self.made.push(rel.clone());
                (format!("new {rel}"), self.write(&rel, &self.article(&format!("Generated {n}"), n, tag)))
            }
            5 if !self.made.is_empty() => {
                let rel = self.made.remove(rng.below(self.made.len()));
                std::fs::remove_file(self.path(&rel)).unwrap();
                (format!("delete {rel}"), vec![self.path(&rel)])
            }
            6 if !self.made.is_empty() => {
                let i = rng.below(self.made.len());
                let (from, to) = (self.made[i].clone(), format!("content/world/moved-{n}.md"));
                std::fs::rename(self.path(&from), self.path(&to)).unwrap();
                self.made[i] = to.clone();
                (format!("rename {from} to {to}"), vec![self.path(&from), self.path(&to)])
            }
            7..=9 => {
                // Replace, add or drop tags: the lists, tag pages and "Read
                // more" lists of many pages move.
                let mut tags: Vec<&str> = (0..rng.below(3)).map(|_| *rng.pick(&TAGS)).collect();
                if any.contains("envoy-talks") {
                    // Two articles link to its tag page.
                    tags.push("sanctions");
                }
                tags.dedup();
                let list = tags.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ");
                (format!("tags of {any}: [{list}]"), self.set(&any, "tags", Some(&format!("[{list}]"))))
            }
            10 => {
                let text = self.read(pick);
                let start = text.find("date: ").unwrap() + "date: ".len();
                let text = format!("{}2025-06-{:02}{}", &text[..start], n % 28 + 1, &text[start + 10..]);
                (format!("date of {pick}"), self.write(pick, &text))
            }
            11 => {
                let authors: Vec<String> =
                    (0..1 + rng.below(2)).map(|_| format!("\"{}\"", rng.pick(&AUTHORS))).collect();
                let value = format!("[{}]", authors.join(", "));
                (format!("authors of {any}: {value}"), self.set(&any, "authors", Some(&value)))
            }
            12 => {
                let value = (rng.below(3) != 0).then(|| format!("\"Summary, version {n}.\""));
                (format!("summary of {any}: {value:?}"), self.set(&any, "summary", value.as_deref()))
            }
            13 => {
                let photo = match rng.below(3) {
                    0 => None,
                    1 => {
                        Some(format!("{{src: /images/2025/stage.jpg, alt: \"Stage {n}\", caption: \"Caption {n}.\"}}"))
                    }
                    _ => Some("{src: /images/2025/courtroom.jpg, credit: \"AP / TASS\"}".to_string()),
                };
                (format!("photo of {pick}: {photo:?}"), self.set(pick, "photo", photo.as_deref()))
            }
            14 if !self.made.is_empty() => {
                let rel = self.made[rng.below(self.made.len())].clone();
                let draft = get_key(&self.read(&rel), "draft") != Some("true");
                (format!("draft: {draft} on {rel}"), self.set(&rel, "draft", draft.then_some("true")))
            }
            15 => {
                let value = (rng.below(2) == 0).then(|| format!("key-{}", rng.below(3)));
                let rel = *rng
                    .pick(&["content/business/central-bank-holds-rate.md", "content/culture/knigi-v-emigratsii.md"]);
                (format!("translation_key of {rel}: {value:?}"), self.set(rel, "translation_key", value.as_deref()))
            }
            16 => {
                let rel =
                    *rng.pick(&["content/world/_index.md", "content/world/_index.ru.md", "content/news/_index.md"]);
                let text = self.read(rel).replacen("title: \"", &format!("title: \"{n} "), 1);
                (format!("section title in {rel}"), self.write(rel, &text))
            }
            17 => {
                let rel = *rng.pick(&["content/authors/daniel-price.md", "content/authors/anna-sokolova.ru.md"]);
                let text = self.read(rel) + &format!("\nAnother line of biography, {n}.\n");
                (format!("author page {rel}"), self.write(rel, &text))
            }
            18 => {
                let value = format!("[\"archive/{n}/old-address\"]");
                (format!("aliases of {any}: {value}"), self.set(&any, "aliases", Some(&value)))
            }
            19 => {
                let target = *rng.pick(&["../news/journalist-sentenced.md", "/world/", "/tags/", "/authors/"]);
                let text = self.read(&any) + &format!("\nSee [this]({target}), {n}.\n");
                (format!("link to {target} in {any}"), self.write(&any, &text))
            }
            20 => {
                // A page template, or a part rendered once for many pages.
                let (name, before) = *rng.pick(&[
                    ("list.html", "<header class=\"list__header"),
                    ("card.html", "<h2 class=\"card__title"),
                    ("header.html", "<header class=\"masthead"),
                ]);
                let theme = self.read(&format!("themes/samizdat/templates/{name}"));
                let text = theme.replacen(before, &format!("<p>v{n}</p>{before}"), 1);
                (format!("template {name}, v{n}"), self.write(&format!("templates/{name}"), &text))
            }
            21 => {
                let text = self.read("site.yaml").replacen("title: \"", &format!("title: \"{n} "), 1);
                ("site.yaml".to_string(), self.write("site.yaml", &text))
            }
            _ => {
                let rel = "static/notes.txt";
                (format!("static file, v{n}"), self.write(rel, &format!("version {n}\n")))
            }
        }
    }
}

/// Files added, changed and removed from `before` to `after`, leaving out
/// the manifest files (which a build's report does not count).
fn diff(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> (usize, usize, usize) {
    let listed = |k: &String| k != "manifest.json" && k != "SHA256SUMS";
    let added = after.keys().filter(|k| listed(k) && !before.contains_key(*k)).count();
    let changed = after.iter().filter(|(k, v)| listed(k) && before.get(*k).is_some_and(|b| b != *v)).count();
    let removed = before.keys().filter(|k| listed(k) && !after.contains_key(*k)).count();
    (added, changed, removed)
}

/// A build from nothing: no memo, no cache, a folder of its own.
fn build_from_nothing(root: &Path, out: &Path) -> BTreeMap<String, Vec<u8>> {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        no_cache: true,
        ..Default::default()
    };
    sitegen::build::build(&opts).unwrap_or_else(|e| panic!("build from nothing: {e}"));
    let files = tree(out);
    std::fs::remove_dir_all(out).unwrap();
    files
}

fn run_sequence(seed: u64, steps: usize) {
    let site = TestSite::sample();
    let root = site.root.canonicalize().unwrap();
    let preview = root.parent().unwrap().join("preview");
    let opts = BuildOptions { root: root.clone(), output: Some(preview.clone()), ..Default::default() };
    let mut s = Session { site, root: root.clone(), made: Vec::new(), step: 0 };
    let mut rng = Rng(seed);
    let replay = format!("SITEGEN_EDIT_SEED={seed:#x} SITEGEN_EDIT_STEPS={steps}");
    let mut watch = Rebuilds::new(opts);
    watch.rebuild(None).unwrap();
    for step in 0..steps {
        s.step = step;
        let (what, changed) = s.edit(&mut rng);
        let before = tree(&preview);
        // Sometimes the watcher knows what changed, sometimes not.
        let hint = (rng.below(4) != 0).then_some(changed.as_slice());
        let report =
            watch.rebuild(hint).unwrap_or_else(|e| panic!("{replay}: step {step} ({what}): rebuild failed: {e}"));
        let reference = root.parent().unwrap().join(format!("from-nothing-{step}"));
        let b = build_from_nothing(&root, &reference);
        let a = tree(&preview);
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{replay}: step {step} ({what}): the preview has other files than a build from nothing"
        );
        // The pages first: a differing page is the news, the manifest's
        // difference follows from it.
        let manifest_last = a.iter().filter(|(k, _)| *k != "SHA256SUMS" && *k != "manifest.json").chain(a.iter());
        for (k, v) in manifest_last {
            assert!(v == &b[k], "{replay}: step {step} ({what}): {k} differs from a build from nothing");
        }
        let c = &report.changes;
        assert_eq!(
            (c.added, c.changed, c.removed),
            diff(&before, &a),
            "{replay}: step {step} ({what}): the report's counts are not what changed on disk"
        );
    }
}

fn env_number(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim();
    Some(match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).unwrap_or_else(|e| panic!("{name}={v}: {e}")),
        None => v.parse().unwrap_or_else(|e| panic!("{name}={v}: {e}")),
    })
}

#[test]
fn random_edit_sequences_give_what_a_build_from_nothing_gives() {
    let steps = env_number("SITEGEN_EDIT_STEPS").unwrap_or(30) as usize;
    let seeds: Vec<u64> = match env_number("SITEGEN_EDIT_SEED") {
        Some(first) => (0..env_number("SITEGEN_EDIT_SEQUENCES").unwrap_or(1)).map(|i| first + i).collect(),
        None => vec![0x5eed_0001, 0x5eed_0002, 0x5eed_0003, 0x5eed_0004],
    };
    for seed in seeds {
        run_sequence(seed, steps);
    }
}

#[test]
fn an_edit_that_moves_nothing_renders_only_the_pages_that_show_it() {
    let site = TestSite::sample();
    let root = site.root.canonicalize().unwrap();
    let opts =
        BuildOptions { root: root.clone(), output: Some(root.parent().unwrap().join("p")), ..Default::default() };
    let mut watch = Rebuilds::new(opts);
    let first = watch.rebuild(None).unwrap();
    assert_eq!(first.rendered, first.pages);
    let rel = "content/world/baltic-grid.md";
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    site.write(rel, &format!("{text}\nOne more sentence.\n"));
    let body_only = watch.rebuild(Some(&[root.join(rel)])).unwrap();
    assert_eq!(body_only.rendered, 1, "a body edit re-renders the article's page alone");
    // With the six feeds (the language's and the section's, in three
    // formats) that carry the story whole, and the search index's part
    // that holds the new words (the story has a summary: the part of
    // documents is unchanged).
    assert_eq!(body_only.changes.changed, 8, "and writes that page, its feeds and index: {:?}", body_only.changes);
    site.write(rel, &text.replacen("title: \"", "title: \"Updated: ", 1));
    let retitled = watch.rebuild(Some(&[root.join(rel)])).unwrap();
    assert!(
        retitled.rendered > 1 && retitled.rendered < retitled.pages / 2,
        "a new title re-renders the lists and related pages that show it, not the site: {} of {}",
        retitled.rendered,
        retitled.pages
    );
    let unchanged = watch.rebuild(None).unwrap();
    assert_eq!(unchanged.rendered, 0, "nothing changed, nothing rendered");
    assert_eq!(unchanged.changes.changed + unchanged.changes.added + unchanged.changes.removed, 0);
}

/// An output deleted by hand leaves its cache beside it: the next build
/// does not read it (it describes nothing now) and builds from nothing.
#[test]
fn a_cache_beside_a_deleted_output_is_not_used() {
    let site = TestSite::fixture("article");
    let first = site.built();
    std::fs::remove_dir_all(site.out()).unwrap();
    assert!(sitegen::cache::disk::path(&site.out()).is_file());
    let again = site.built();
    // Every file new but the manifest and SHA256SUMS, which are not counted.
    assert_eq!((again.rendered, again.changes.added), (first.rendered, first.files - 2), "all built anew");
    assert_eq!(again.cid, first.cid);
    assert!(sitegen::cache::disk::load(&site.out()).output().is_some(), "and a cache of the new output is left");
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
    assert!(sitegen::cache::disk::path(&out).is_file(), "the cache is left beside the output");
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
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    std::fs::write(out.join("manifest.json"), manifest.replacen("\"size\": ", "\"size\": 1", 1)).unwrap();
    let distrusted = sitegen::build::build(&opts).unwrap();
    assert_eq!(distrusted.rendered, distrusted.pages);
    sitegen::build::build(&BuildOptions { no_cache: true, ..opts.clone() }).unwrap();
    assert!(!sitegen::cache::disk::path(&out).exists(), "--no-cache removes the cache");
}
