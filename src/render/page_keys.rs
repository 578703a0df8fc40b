//! Each page's key: a fingerprint of everything its template is given,
//! computed without building the views. A page whose key is the one it had
//! in the previous build is the same page, and is kept instead of rendered.
//!
//! A key is made of what the page shows of the site as a whole (the
//! configuration, the theme, the language trees), what it shows of its own
//! (a list's title and page count, a term index), and the key of each part
//! of an article it shows, as `depends::shown_on` lists them. What a view
//! reads must be hashed here: the random-edit test in `tests/` compares
//! watch rebuilds with builds from nothing after every edit, and the unit
//! tests below change each field and expect exactly the pages that show it.

use crate::fingerprint::{Fp, Key};
use crate::load::theme::Theme;
use crate::model::pagination::Pages;
use crate::render::context::PageContext;
use crate::render::depends::{list_articles, shown_on, Part};
use crate::render::plan::{ListKind, Page};
use rayon::prelude::*;

/// The templates a page is rendered with: the page's own, and every
/// template that is not a page template (layouts, macros, partials), as
/// any of them may be used.
pub const PAGE_TEMPLATES: [&str; 8] = [
    "article.html",
    "list.html",
    "terms.html",
    "mirrors.html",
    "corrections.html",
    "search.html",
    "404.html",
    STANDALONE_TEMPLATE,
];

/// The template of standalone pages: a theme needs it only when the site
/// has such pages.
pub const STANDALONE_TEMPLATE: &str = "page.html";

/// What the keys of one build share.
pub struct Keys<'a> {
    ctx: &'a PageContext<'a>,
    global: Key,
    templates: [Key; 8],
    /// Per article: the key of its card, when computed for all at once.
    cards: Vec<Key>,
    /// The set of all pages, for articles with raw HTML (whose links the
    /// page check reads).
    page_set: Key,
}

impl<'a> Keys<'a> {
    /// For keying every page: every card is computed, in parallel.
    pub fn for_all(ctx: &'a PageContext<'a>, theme: &Theme, css: &str) -> Keys<'a> {
        let mut keys = Keys::for_some(ctx, theme, css);
        keys.cards = (0..ctx.site().articles().len()).into_par_iter().map(|i| card(ctx, i)).collect();
        keys
    }

    /// For keying a few pages: cards are computed as they are needed.
    pub fn for_some(ctx: &'a PageContext<'a>, theme: &Theme, css: &str) -> Keys<'a> {
        let site = ctx.site();
        let mut g = Fp::new("global");
        g.debug(site.config()).debug(&theme.i18n).debug(ctx.assets()).str(css);
        for t in site.langs() {
            g.str(&t.code).str(t.home.as_str());
            for s in &t.sections {
                g.str(&s.name).str(&s.title).opt(s.description.as_deref()).str(s.path.as_str());
            }
        }
        // Every page links the standalone pages of its menus, and its
        // language switch the same page's other editions.
        for p in site.standalone() {
            g.str(p.path().as_str()).str(p.title()).debug(&p.menu()).str(p.lang());
        }
        g.debug(&ctx.bodies().site_image);
        let shared = theme.templates.iter().filter(|(n, _)| !PAGE_TEMPLATES.contains(&n.as_str()));
        let mut base = Fp::new("templates");
        for (name, text) in shared {
            base.str(name).str(text);
        }
        let base = base.finish();
        let templates = PAGE_TEMPLATES
            .map(|name| Fp::new(name).key(base).opt(theme.templates.get(name).map(String::as_str)).finish());
        let page_set = if ctx.bodies().raw_html.iter().any(|r| *r) {
            let mut all: Vec<&str> = site.page_paths().map(|p| p.as_str()).collect();
            all.sort_unstable();
            let mut fp = Fp::new("pages");
            all.iter().for_each(|p| {
                fp.str(p);
            });
            fp.finish()
        } else {
            0
        };
        Keys { ctx, global: g.finish(), templates, cards: Vec::new(), page_set }
    }

    /// The key of each page, in order (in parallel).
    pub fn of_all(&self, pages: &[Page]) -> Vec<Key> {
        pages.par_iter().map(|&page| self.page(page)).collect()
    }

    /// The key of each page, in order.
    pub fn of(&self, pages: &[Page]) -> Vec<Key> {
        pages.iter().map(|&page| self.page(page)).collect()
    }

    fn template(&self, name: &str) -> Key {
        self.templates[PAGE_TEMPLATES.iter().position(|t| *t == name).expect("a page template")]
    }

    /// What page `page` shows.
    pub fn page(&self, page: Page) -> Key {
        let mut fp = Fp::new("page");
        fp.str(self.ctx.path(page).as_str()).key(self.global);
        self.own(&mut fp, page);
        let mut shown = Vec::new();
        shown_on(self.ctx.site(), page, &mut shown);
        for (id, part) in shown {
            fp.u64(part as u64).key(self.part(id, part));
        }
        fp.finish()
    }

    /// What a part of article `id` shows.
    pub fn part(&self, id: usize, part: Part) -> Key {
        match part {
            Part::Card => self.cards.get(id).copied().unwrap_or_else(|| card(self.ctx, id)),
            Part::Link => link(self.ctx, id),
            Part::Whole => self.whole(id),
            Part::Date => Fp::new("date").debug(&self.ctx.site().articles()[id].date).finish(),
        }
    }

    /// What a page shows that is not an article: its template, and a
    /// list's or index's own title, terms and page count.
    fn own(&self, fp: &mut Fp, page: Page) {
        let site = self.ctx.site();
        match page {
            Page::Article(_) => {
                fp.key(self.template("article.html"));
            }
            Page::List { lang, list, page } => {
                fp.key(self.template("list.html")).u64(lang as u64).u64(page as u64);
                let tree = &site.langs()[lang];
                match list {
                    ListKind::Home => fp.str("home"),
                    ListKind::Section(s) => fp.str("section").str(&tree.sections[s].name),
                    ListKind::Tag(t) => fp.str("tag").str(&tree.tags[t].name).str(tree.tags[t].path.as_str()),
                    ListKind::Author(a) => {
                        let t = &tree.authors[a];
                        let about = self.ctx.bodies().authors.get(&(t.slug.clone(), tree.code.clone()));
                        fp.str("author").str(&t.name).str(t.path.as_str()).debug(&about)
                    }
                };
                // The links to other pages: on a numbered page far from the
                // newest, the same however many are published after it.
                let pages = Pages::new(list_articles(site, lang, list).len(), site.config().paginate);
                fp.debug(&pages.links(page));
            }
            Page::Terms { lang, authors } => {
                fp.key(self.template("terms.html")).u64(lang as u64).u64(authors as u64);
                let tree = &site.langs()[lang];
                for t in if authors { &tree.authors } else { &tree.tags } {
                    fp.str(&t.name).str(t.path.as_str()).u64(t.articles.len() as u64);
                }
            }
            Page::Mirrors { lang } => {
                fp.key(self.template("mirrors.html")).u64(lang as u64);
            }
            Page::Corrections { lang } => {
                fp.key(self.template("corrections.html")).u64(lang as u64);
                for i in crate::render::depends::corrected(site, lang) {
                    fp.debug(&site.articles()[i].corrections);
                }
            }
            Page::Search { lang } => {
                fp.key(self.template("search.html")).u64(lang as u64).str(crate::search::script::file_name());
                let tree = &site.langs()[lang];
                for s in &tree.sections {
                    fp.str(&s.title).str(s.path.as_str());
                }
            }
            Page::Standalone(i) => {
                let p = &site.standalone()[i];
                fp.key(self.template(STANDALONE_TEMPLATE)).opt(p.description());
                fp.str(&self.ctx.bodies().standalone[i]);
            }
            Page::Alias(k) => {
                fp.str("alias").str(site.aliases()[k].0.as_str());
            }
            Page::NotFound => {
                fp.key(self.template("404.html"));
            }
        }
    }

    /// What an article's own page shows of it.
    fn whole(&self, i: usize) -> Key {
        let site = self.ctx.site();
        let bodies = self.ctx.bodies();
        let a = &site.articles()[i];
        let tree = site.tree(&a.lang);
        let mut fp = Fp::new("whole");
        fp.key(self.part(i, Part::Card)).debug(&a.updated).opt(a.dateline.as_deref()).opt(a.wire_credit.as_deref());
        fp.debug(&a.photo);
        for n in &a.tags {
            let t = tree.tag(n);
            fp.str(&t.name).str(t.path.as_str());
        }
        fp.key(bodies.keys[i]).u64(bodies.raw_html[i] as u64);
        if bodies.raw_html[i] {
            fp.key(self.page_set);
        }
        fp.finish()
    }
}

/// What a card of article `i` shows (lists, "Read more").
fn card(ctx: &PageContext, i: usize) -> Key {
    let site = ctx.site();
    let a = &site.articles()[i];
    let tree = site.tree(&a.lang);
    let mut fp = Fp::new("card");
    fp.str(&a.title).str(a.path.as_str()).opt(a.summary.as_deref()).debug(&a.date).str(&a.lang).str(&a.section);
    for n in &a.authors {
        fp.str(n).str(tree.author(n).path.as_str());
    }
    // The photo as a card shows it: no credit, which only its page shows.
    let photo = a.photo.as_ref().map(|p| (&p.alt, &p.caption, &p.focus));
    fp.debug(&ctx.bodies().photos[i]).debug(&photo);
    fp.opt(crate::render::views::status(a));
    fp.finish()
}

/// What a link to article `i` shows (a translation, an old address).
fn link(ctx: &PageContext, i: usize) -> Key {
    let a = &ctx.site().articles()[i];
    Fp::new("link").str(&a.lang).str(&a.title).str(a.path.as_str()).finish()
}

#[cfg(test)]
mod tests;
