//! Each page's key: a fingerprint of everything its template is given (the
//! views `render` builds), computed without building them. A page whose key
//! is the one it had in the previous build is the same page, and is kept
//! instead of rendered.
//!
//! What goes in mirrors `pages.rs` and `render.rs`: a field the views read
//! must be hashed here. The random-edit test in `tests/` holds the two
//! together by comparing incremental output with clean builds.

use crate::fingerprint::{Fp, Key};
use crate::pages::{Job, ListKind, Pages};
use crate::site::{page_count, LangTree};
use crate::theme::Theme;
use rayon::prelude::*;

/// The templates a page is rendered with: the page's own, and every
/// template that is not a page template (layouts, macros, partials), as
/// any of them may be used.
const PAGE_TEMPLATES: [&str; 5] = ["article.html", "list.html", "terms.html", "mirrors.html", "404.html"];

struct Env<'a> {
    pages: &'a Pages<'a>,
    global: Key,
    templates: [Key; 5],
    /// Per article: what a card of it shows (computed when asked if empty).
    cards: Vec<Key>,
    /// The set of all pages, for articles with raw HTML (whose links the
    /// page check reads).
    page_set: Key,
}

/// The key of each job, in order.
pub fn keys(pages: &Pages, theme: &Theme, css: &str, jobs: &[Job]) -> Vec<Key> {
    let env = env(pages, theme, css, true);
    jobs.par_iter().map(|&job| env.key(job)).collect()
}

/// The keys of a few jobs: cards are computed only for what they show.
pub fn keys_of(pages: &Pages, theme: &Theme, css: &str, jobs: &[Job]) -> Vec<Key> {
    let env = env(pages, theme, css, false);
    jobs.iter().map(|&job| env.key(job)).collect()
}

fn env<'a>(pages: &'a Pages<'a>, theme: &Theme, css: &str, all_cards: bool) -> Env<'a> {
    let site = pages.site;
    let mut g = Fp::new("global");
    g.debug(&site.config).debug(&theme.i18n).debug(pages.assets).str(css);
    for t in &site.langs {
        g.str(&t.code).str(t.home.as_str());
        for s in &t.sections {
            g.str(&s.name).str(&s.title).opt(s.description.as_deref()).str(s.path.as_str());
        }
    }
    let shared = theme.templates.iter().filter(|(n, _)| !PAGE_TEMPLATES.contains(&n.as_str()));
    let mut base = Fp::new("templates");
    for (name, text) in shared {
        base.str(name).str(text);
    }
    let base = base.finish();
    let templates =
        PAGE_TEMPLATES.map(|name| Fp::new(name).key(base).opt(theme.templates.get(name).map(String::as_str)).finish());
    let page_set = if pages.bodies.raw_html.iter().any(|r| *r) {
        let mut all: Vec<&str> = site.pages.iter().map(|p| p.as_str()).collect();
        all.sort_unstable();
        let mut fp = Fp::new("pages");
        all.iter().for_each(|p| {
            fp.str(p);
        });
        fp.finish()
    } else {
        0
    };
    let cards =
        if all_cards { (0..site.articles.len()).into_par_iter().map(|i| card(pages, i)).collect() } else { Vec::new() };
    Env { pages, global: g.finish(), templates, cards, page_set }
}

fn tree<'a>(pages: &'a Pages, lang: &str) -> &'a LangTree {
    pages.site.langs.iter().find(|t| t.code == lang).expect("article language has a tree")
}

/// What a card of article `i` shows (lists, "Read more").
pub fn card(pages: &Pages, i: usize) -> Key {
    let a = &pages.site.articles[i];
    let tree = tree(pages, &a.lang);
    let mut fp = Fp::new("card");
    fp.str(&a.title).str(a.path.as_str()).opt(a.summary.as_deref()).debug(&a.date).str(&a.lang).str(&a.section);
    for n in &a.authors {
        fp.str(n).str(tree.author(n).path.as_str());
    }
    fp.debug(&pages.bodies.photos[i]).debug(&a.photo);
    fp.finish()
}

impl Env<'_> {
    fn card(&self, i: usize) -> Key {
        self.cards.get(i).copied().unwrap_or_else(|| card(self.pages, i))
    }

    fn template(&self, name: &str) -> Key {
        self.templates[PAGE_TEMPLATES.iter().position(|t| *t == name).expect("a page template")]
    }

    fn key(&self, job: Job) -> Key {
        let path = self.pages.path(job);
        let mut fp = Fp::new("page");
        fp.str(path.as_str()).key(self.global);
        match job {
            Job::Article(i) => self.article(fp.key(self.template("article.html")), i),
            Job::List { lang, list, page } => self.list(fp.key(self.template("list.html")), lang, list, page),
            Job::Terms { lang, authors } => {
                fp.key(self.template("terms.html")).u64(lang as u64).u64(authors as u64);
                let tree = &self.pages.site.langs[lang];
                for t in if authors { &tree.authors } else { &tree.tags } {
                    fp.str(&t.name).str(t.path.as_str()).u64(t.articles.len() as u64);
                }
            }
            Job::Mirrors { lang } => {
                fp.key(self.template("mirrors.html")).u64(lang as u64);
            }
            Job::Alias(i) => {
                let (from, to) = &self.pages.site.aliases[i];
                let a = &self.pages.site.articles[*to];
                fp.str("alias").str(from.as_str()).str(a.path.as_str()).str(&a.title).str(&a.lang);
            }
            Job::NotFound => {
                fp.key(self.template("404.html"));
            }
        }
        fp.finish()
    }

    fn article(&self, fp: &mut Fp, i: usize) {
        let site = self.pages.site;
        let bodies = self.pages.bodies;
        let a = &site.articles[i];
        let tree = tree(self.pages, &a.lang);
        fp.key(self.card(i)).debug(&a.updated).opt(a.dateline.as_deref()).opt(a.wire_credit.as_deref());
        for n in &a.tags {
            let t = tree.tag(n);
            fp.str(&t.name).str(t.path.as_str());
        }
        fp.key(bodies.keys[i]).u64(bodies.raw_html[i] as u64);
        if bodies.raw_html[i] {
            fp.key(self.page_set);
        }
        for &j in &site.translations[i] {
            let o = &site.articles[j];
            fp.str("translation").str(&o.lang).str(&o.title).str(o.path.as_str());
        }
        for &j in &site.related[i] {
            fp.str("related").key(self.card(j));
        }
    }

    fn list(&self, fp: &mut Fp, lang: usize, list: ListKind, page: usize) {
        let tree = &self.pages.site.langs[lang];
        fp.u64(lang as u64).u64(page as u64);
        let ids = match list {
            ListKind::Home => {
                fp.str("home");
                &tree.articles
            }
            ListKind::Section(s) => {
                fp.str("section").str(&tree.sections[s].name);
                &tree.sections[s].articles
            }
            ListKind::Tag(t) => {
                let t = &tree.tags[t];
                fp.str("tag").str(&t.name).str(t.path.as_str());
                &t.articles
            }
            ListKind::Author(t) => {
                let t = &tree.authors[t];
                fp.str("author").str(&t.name).str(t.path.as_str());
                fp.debug(&self.pages.bodies.authors.get(&(t.slug.clone(), tree.code.clone())));
                &t.articles
            }
        };
        let per = self.pages.site.config.paginate;
        fp.u64(page_count(ids.len(), per) as u64);
        for &i in ids.iter().skip((page - 1) * per).take(per) {
            fp.key(self.card(i));
        }
    }
}
