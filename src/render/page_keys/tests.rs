//! Page keys against what each page's template is given. The fixture site
//! `tests/fixtures/basic` is built through the stages a build runs (config,
//! scan, front matter, site model, bodies, page context, keys); one field of
//! one article is changed, and the pages whose key changed must be exactly
//! the pages whose template variables changed (the `page`, `article`,
//! `list`, ... views as `render::variables` makes them; an alias page's
//! HTML), which are also written out by hand for each edit. A key that
//! misses a field leaves a stale page; a key that hashes a field its page
//! does not show re-renders pages for nothing. For edits that move nothing,
//! the pages the watch fast path looks at (`depends::pages_showing` of the
//! parts whose key changed) must be those same pages.

use super::*;
use crate::load::article;
use crate::load::config::{BuildOptions, Config};
use crate::load::scan::{self, SourceFile, SourceKind};
use crate::model::links::LinkIndex;
use crate::model::site::{self, Site};
use crate::render::bodies::{self, Bodies};
use crate::render::body_memo::BodyMemo;
use crate::render::depends::pages_showing;
use crate::render::{plan, redirects, variables};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const CSS: &str = "body { margin: 0 }";
const PARTS: [Part; 3] = [Part::Whole, Part::Card, Part::Link];

/// The fixture site as a build holds it before rendering pages.
struct Model {
    files: Vec<SourceFile>,
    site: Site,
    bodies: Bodies,
    theme: Theme,
}

/// What a page is given, and its key.
struct Shown {
    key: Key,
    template: &'static str,
    /// The template's variables as JSON; an alias page's HTML.
    view: String,
}

/// Every page of a model by output file, and every article's part keys by
/// source file.
struct Snapshot {
    pages: BTreeMap<String, Shown>,
    parts: BTreeMap<String, [Key; 3]>,
}

/// The site at `root`, from its files.
fn load(root: &Path) -> Model {
    let (cfg, _) = Config::load(&BuildOptions { root: root.to_path_buf(), ..Default::default() }).unwrap();
    let files = scan::scan(root).unwrap();
    let articles = files
        .iter()
        .filter(|f| matches!(f.kind, SourceKind::Article { .. }))
        .filter_map(|f| article::parse(f, &cfg).unwrap().0)
        .collect();
    let theme = Theme::load(&cfg).unwrap();
    let names = |lang: &str, section: &str| theme.i18n(lang).ok()?.section_names.get(section).cloned();
    let site = site::assemble(cfg, articles, &files, &names, &mut Vec::new()).unwrap();
    let bodies = render_bodies(&site, &files);
    Model { files, site, bodies, theme }
}

fn render_bodies(site: &Site, files: &[SourceFile]) -> Bodies {
    // Sizes as `output::photos` measures them, by each published place
    // (a bundle's files in each of its articles' folders; `static/`).
    let mut photos = crate::image_sizes::Measured::default();
    for f in files.iter().filter(|f| f.kind == SourceKind::Asset) {
        let Some(size) = crate::image_sizes::probe(&f.abs) else { continue };
        for a in site.articles().iter().filter(|a| a.bundle) {
            if let Some(rest) = f.rel.strip_prefix(&format!("{}/", a.dir)) {
                photos.insert(format!("{}{rest}", a.path.as_str()), size);
            }
        }
        photos.insert(f.rel.clone(), size);
    }
    let static_dir = site.config().static_dir();
    for entry in walkdir::WalkDir::new(&static_dir).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        if let Some(size) = crate::image_sizes::probe(entry.path()) {
            let rel = entry.path().strip_prefix(&static_dir).unwrap().to_string_lossy().replace('\\', "/");
            photos.insert(rel, size);
        }
    }
    bodies::render(site, &LinkIndex::new(site, files, &photos), &mut BodyMemo::default()).unwrap()
}

impl Model {
    /// Parses `rel` again and puts it in with `Site::replace_unmoved`;
    /// whether it was put in (its place in the site is the same).
    fn replace(&mut self, rel: &str) -> bool {
        let file = self.files.iter().find(|f| f.rel == rel).expect("a source file");
        let edited = article::parse(file, self.site.config()).unwrap().0.expect("not a draft");
        let id = self.site.article_at(rel).expect("an article");
        if !self.site.replace_unmoved(id, edited) {
            return false;
        }
        self.bodies = render_bodies(&self.site, &self.files);
        true
    }

    fn snapshot(&self) -> Snapshot {
        let assets = BTreeMap::new();
        let ctx = PageContext::new(&self.site, &self.bodies, &self.theme, None, &assets).unwrap();
        let pages = plan::plan(&self.site);
        let all = Keys::for_all(&ctx, &self.theme, CSS);
        let keys = all.of_all(&pages);
        let some = Keys::for_some(&ctx, &self.theme, CSS);
        assert_eq!(keys, some.of(&pages), "keys for all pages and for a few pages differ");
        let pages = pages
            .iter()
            .zip(keys)
            .map(|(&page, key)| {
                let (template, view) = match page {
                    Page::Alias(k) => ("", redirects::page(&self.site, k)),
                    _ => {
                        let vars = variables::of(&ctx, page, CSS).expect("no card template, nothing to fail");
                        (vars.template, vars.context.into_json().to_string())
                    }
                };
                (page.file(&self.site), Shown { key, template, view })
            })
            .collect();
        let parts = (self.site.articles().iter().enumerate())
            .map(|(id, a)| (a.rel.clone(), PARTS.map(|p| all.part(id, p))))
            .collect();
        Snapshot { pages, parts }
    }

    /// The files of the pages the watch fast path looks at after an edit
    /// to `rel`: those that show a part of it whose key changed.
    fn looked_at(&self, before: &Snapshot, after: &Snapshot, rel: &str) -> BTreeSet<String> {
        let id = self.site.article_at(rel).unwrap();
        let changed: Vec<(usize, Part)> =
            (0..3).filter(|&k| before.parts[rel][k] != after.parts[rel][k]).map(|k| (id, PARTS[k])).collect();
        let pages = pages_showing(&self.site, &plan::plan(&self.site), &changed);
        pages.iter().map(|p| p.file(&self.site)).collect()
    }
}

/// The files whose `what` differs between two snapshots (or that only one
/// has).
fn differing<T: PartialEq>(a: &Snapshot, b: &Snapshot, what: impl Fn(&Shown) -> T) -> BTreeSet<String> {
    let files: BTreeSet<&String> = a.pages.keys().chain(b.pages.keys()).collect();
    files
        .into_iter()
        .filter(|f| match (a.pages.get(*f), b.pages.get(*f)) {
            (Some(x), Some(y)) => what(x) != what(y),
            _ => true,
        })
        .cloned()
        .collect()
}

/// Replaces `from` by `to` in file `rel` of the site at `root`.
fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn set(files: &[&str]) -> BTreeSet<String> {
    files.iter().map(|f| f.to_string()).collect()
}

/// Edits article `rel` (content-relative) and gives the files whose key
/// changed, after checking them against the variables and the fast path.
/// `moves`: the edit changes the article's place in the site, so the model
/// is assembled again from the files; otherwise the edited article is put
/// in with `replace_unmoved`, which must equal assembling it again.
fn keys_changed_by(rel: &str, from: &str, to: &str, moves: bool) -> BTreeSet<String> {
    let (_tmp, root) = crate::fs::copy_fixture("basic");
    let mut model = load(&root);
    let before = model.snapshot();
    edit(&root, &format!("content/{rel}"), from, to);
    let replaced = model.replace(rel);
    assert_eq!(replaced, !moves, "{rel}: `{to}` moves the article: {moves}");
    let after_model = if moves { load(&root) } else { model };
    let after = after_model.snapshot();
    if !moves {
        let assembled = load(&root).snapshot();
        assert!(differing(&after, &assembled, |s| s.key).is_empty(), "replace_unmoved differs from assembling anew");
    }
    let keys = differing(&before, &after, |s| s.key);
    let views = differing(&before, &after, |s| (s.template, s.view.clone()));
    assert_eq!(keys, views, "{rel}: `{to}`: the pages whose key changed are not those whose variables changed");
    if !moves {
        let looked_at = after_model.looked_at(&before, &after, rel);
        assert_eq!(looked_at, keys, "{rel}: `{to}`: the fast path looks at other pages than those that changed");
    }
    keys
}

/// The pages that show alpha's card (`news/alpha/index.md`, the newest
/// English article): its own page, the lists it is on (on their first
/// page: two articles a page); no other "Read more", which lists only
/// earlier stories (it is the newest English one).
const ALPHA_CARD: [&str; 7] = [
    "news/envoy-talks/index.html",
    "index.html",
    "news/index.html",
    "tags/diplomacy/index.html",
    "tags/sport/index.html",
    "authors/jane-roe/index.html",
    "authors/john-doe/index.html",
];

fn alpha_card_and(more: &[&str]) -> BTreeSet<String> {
    let mut s = set(&ALPHA_CARD);
    s.extend(set(more));
    s
}

const ALPHA: &str = "news/alpha/index.md";
const ALPHA_PAGE: &str = "news/envoy-talks/index.html";

#[test]
fn a_title_changes_its_page_its_cards_and_its_translations_links() {
    let changed =
        keys_changed_by(ALPHA, "title: \"Envoy Meets President for Talks\"", "title: \"Envoy Leaves\"", false);
    assert_eq!(changed, alpha_card_and(&["ru/news/envoy-talks/index.html"]));
}

#[test]
fn a_title_changes_the_pages_at_old_addresses() {
    let changed = keys_changed_by("world/beta.md", "title: \"Beta Story\"", "title: \"Beta, Retold\"", false);
    let mut expected = set(&[
        "world/beta/index.html",
        "index.html",
        // The home's numbered page 2 holds it too (pages are numbered from
        // the oldest; the first page shows the newest two).
        "page/2/index.html",
        "world/index.html",
        "tags/diplomacy/index.html",
        "tags/sport/index.html",
        "authors/jane-roe/index.html",
        "2024/old-beta/index.html",
        "archive/beta.html/index.html",
    ]);
    // "Read more" of the newer English article that lists it.
    expected.extend(set(&["news/envoy-talks/index.html"]));
    assert_eq!(changed, expected);
}

#[test]
fn a_translation_title_changes_the_link_on_the_other_edition() {
    let changed = keys_changed_by(
        "news/alpha/index.ru.md",
        "title: \"Посланник встретился с президентом\"",
        "title: \"Посланник уехал\"",
        false,
    );
    // Its own page and cards (the Russian lists), and the English edition's
    // link to it; the author's slug is the author file's.
    let mut expected = set(&[ALPHA_PAGE, "ru/news/envoy-talks/index.html", "ru/index.html", "ru/news/index.html"]);
    expected.extend(set(&["ru/tags/sport/index.html", "ru/authors/jane-roe/index.html"]));
    assert_eq!(changed, expected);
}

#[test]
fn a_summary_changes_its_page_and_its_cards() {
    let changed = keys_changed_by(ALPHA, "summary: \"The lede shown in lists and feeds.\"", "summary: \"New.\"", false);
    assert_eq!(changed, alpha_card_and(&[]));
}

#[test]
fn a_photo_caption_changes_its_page_and_its_cards() {
    let changed = keys_changed_by(ALPHA, "caption: \"At the talks.\"", "caption: \"After the talks.\"", false);
    assert_eq!(changed, alpha_card_and(&[]));
}

#[test]
fn a_photo_alt_text_changes_its_page_and_its_cards() {
    let changed = keys_changed_by(ALPHA, "alt: \"Two delegations\"", "alt: \"Delegations\"", false);
    assert_eq!(changed, alpha_card_and(&[]));
}

/// Cards show a photo without its credit.
#[test]
fn a_photo_credit_changes_its_page_alone() {
    let changed = keys_changed_by(ALPHA, "credit: \"AP / TASS\"", "credit: \"Reuters\"", false);
    assert_eq!(changed, set(&[ALPHA_PAGE]));
}

#[test]
fn a_body_changes_its_page_alone() {
    let changed = keys_changed_by("news/delta.md", "Body of delta.", "Body of delta, longer.", false);
    assert_eq!(changed, set(&["news/delta/index.html"]));
}

#[test]
fn a_dateline_changes_its_page_alone() {
    let changed = keys_changed_by(ALPHA, "dateline: \"Moscow\"", "dateline: \"Geneva\"", false);
    assert_eq!(changed, set(&[ALPHA_PAGE]));
}

#[test]
fn a_wire_credit_changes_its_page_alone() {
    let changed = keys_changed_by(ALPHA, "wire_credit: \"AFP contributed reporting.\"", "wire_credit: \"AP.\"", false);
    assert_eq!(changed, set(&[ALPHA_PAGE]));
}

#[test]
fn an_updated_date_changes_its_page_alone() {
    let changed =
        keys_changed_by(ALPHA, "updated: 2025-04-12T09:00:00+03:00", "updated: 2025-04-13T09:00:00+03:00", true);
    assert_eq!(changed, set(&[ALPHA_PAGE]));
}

#[test]
fn a_date_changes_its_page_and_its_cards() {
    // A day later, still the oldest: the lists keep their order, and it
    // stays on their page 1 (numbered from the oldest).
    let changed =
        keys_changed_by("news/delta.md", "date: 2025-01-05T08:00:00+03:00", "date: 2025-01-06T08:00:00+03:00", true);
    let expected = set(&[
        "news/delta/index.html",
        "page/1/index.html",
        "news/page/1/index.html",
        "tags/diplomacy/page/1/index.html",
        // "Read more" of the articles that share its tag.
        "news/envoy-talks/index.html",
        "world/beta/index.html",
        "news/epsilon/index.html",
    ]);
    assert_eq!(changed, expected);
}

#[test]
fn authors_change_the_cards_and_the_author_pages() {
    let changed =
        keys_changed_by("world/beta.md", "authors: [\"Jane Roe\"]", "authors: [\"Jane Roe\", \"John Doe\"]", true);
    let expected = set(&[
        "world/beta/index.html",
        "index.html",
        "world/index.html",
        "tags/diplomacy/index.html",
        "tags/sport/index.html",
        "authors/jane-roe/index.html",
        "authors/john-doe/index.html",
        // John Doe now has three articles: a numbered page, and a new count.
        "authors/john-doe/page/1/index.html",
        // The home's numbered page 2 holds the oldest-first run it is in.
        "page/2/index.html",
        "authors/index.html",
        // "Read more" of the newer article that lists it.
        "news/envoy-talks/index.html",
    ]);
    assert_eq!(changed, expected);
}

#[test]
fn tags_change_the_tag_pages_and_read_more() {
    let changed = keys_changed_by("world/gamma.md", "tags: [\"Спорт\"]", "tags: [\"Спорт\", \"diplomacy\"]", true);
    let expected = set(&[
        "world/gamma/index.html",
        // Five articles: a new numbered page 2 holds its card, and page 1
        // now links to it as the newer page.
        "tags/diplomacy/index.html",
        "tags/diplomacy/page/1/index.html",
        "tags/diplomacy/page/2/index.html",
        "tags/index.html",
        // It now shares a tag with these newer ones: their "Read more"
        // takes it in (older ones list only what came before them).
        "news/envoy-talks/index.html",
        "world/beta/index.html",
    ]);
    assert_eq!(changed, expected);
}

#[test]
fn an_author_file_changes_that_authors_page() {
    let (_tmp, root) = crate::fs::copy_fixture("basic");
    let before = load(&root).snapshot();
    edit(&root, "content/authors/jane-roe.md", "covers **diplomacy**", "covers sport");
    let after = load(&root).snapshot();
    let keys = differing(&before, &after, |s| s.key);
    assert_eq!(keys, differing(&before, &after, |s| s.view.clone()));
    // The Russian page has its own file, `jane-roe.ru.md`.
    assert_eq!(keys, set(&["authors/jane-roe/index.html"]));
}

/// Every English page with a template (the 404 page is in English).
fn english_templated(s: &Snapshot) -> BTreeSet<String> {
    s.pages.iter().filter(|(f, p)| !p.template.is_empty() && !f.starts_with("ru/")).map(|(f, _)| f.clone()).collect()
}

#[test]
fn a_section_title_changes_every_page_with_the_navigation() {
    let (_tmp, root) = crate::fs::copy_fixture("basic");
    let before = load(&root).snapshot();
    edit(&root, "content/news/_index.md", "title: \"News\"", "title: \"Latest\"");
    let after = load(&root).snapshot();
    let views = differing(&before, &after, |s| s.view.clone());
    assert_eq!(views, english_templated(&before), "every English page shows the navigation");
    // The section titles of every language are in the key all pages share:
    // the Russian pages (whose navigation has "Новости") are keyed anew too.
    let keys = differing(&before, &after, |s| s.key);
    assert!(keys.is_superset(&views), "pages left stale: {:?}", views.difference(&keys).collect::<Vec<_>>());
}

#[test]
fn a_menu_page_s_title_changes_every_page_and_its_body_only_its_own() {
    let (_tmp, root) = crate::fs::copy_fixture("basic");
    std::fs::create_dir_all(root.join("content/pages")).unwrap();
    let about = root.join("content/pages/about.md");
    std::fs::write(&about, "---\ntitle: About\nmenu: footer\n---\nUs.\n").unwrap();
    let before = load(&root).snapshot();
    edit(&root, "content/pages/about.md", "Us.", "We.");
    let after = load(&root).snapshot();
    let only = BTreeSet::from(["about/index.html".to_string()]);
    assert_eq!(differing(&before, &after, |s| s.view.clone()), only);
    assert_eq!(differing(&before, &after, |s| s.key), only);
    edit(&root, "content/pages/about.md", "title: About", "title: About us");
    let renamed = load(&root).snapshot();
    let views = differing(&after, &renamed, |s| s.view.clone());
    assert_eq!(views, english_templated(&after), "every English page links it in its footer");
    assert!(differing(&after, &renamed, |s| s.key).is_superset(&views));
}

#[test]
fn a_template_changes_exactly_the_pages_rendered_with_it() {
    let (_tmp, root) = crate::fs::copy_fixture("basic");
    std::fs::create_dir_all(root.join("content/pages")).unwrap();
    std::fs::write(root.join("content/pages/about.md"), "---\ntitle: About\n---\nUs.\n").unwrap();
    let before = load(&root).snapshot();
    for name in PAGE_TEMPLATES.iter().copied().chain(["base.html", "macros.html"]) {
        let mut model = load(&root);
        model.theme.templates.get_mut(name).expect("a template of the theme").push_str("\n<!-- edited -->\n");
        let after = model.snapshot();
        assert!(differing(&before, &after, |s| s.view.clone()).is_empty(), "{name}: the variables are the same");
        let uses = |t: &str| t == name || (!PAGE_TEMPLATES.contains(&name) && !t.is_empty());
        let expected: BTreeSet<String> =
            before.pages.iter().filter(|(_, p)| uses(p.template)).map(|(f, _)| f.clone()).collect();
        assert!(!expected.is_empty(), "{name}");
        assert_eq!(differing(&before, &after, |s| s.key), expected, "{name}");
    }
}
