//! The site's pages: every page a build writes, each named by what it shows
//! (`Page`), in a fixed order, with its address and file.

use crate::model::pagination::{page_path, Pages};
use crate::model::site::Site;
use crate::urls::PagePath;

/// One page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Page {
    Article(usize),
    /// A page of a list in language tree `lang`: 0 its first (newest),
    /// then its stable numbered pages (`model::pagination`).
    List {
        lang: usize,
        list: ListKind,
        page: usize,
    },
    /// All tags or all authors of a language.
    Terms {
        lang: usize,
        authors: bool,
    },
    /// A language's page of mirrors.
    Mirrors {
        lang: usize,
    },
    /// A language's page of every correction.
    Corrections {
        lang: usize,
    },
    /// A language's search page (its index is a generated file).
    Search {
        lang: usize,
    },
    /// A standalone page (About, Contacts), index into `Site::standalone`.
    Standalone(usize),
    /// A redirect from an old address (index into `Site::aliases`).
    Alias(usize),
    NotFound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ListKind {
    Home,
    Section(usize),
    Tag(usize),
    Author(usize),
}

/// Every page of the site, in a fixed order.
pub fn plan(site: &Site) -> Vec<Page> {
    let per = site.config().paginate;
    let mut pages: Vec<Page> = (0..site.articles().len()).map(Page::Article).collect();
    for (l, t) in site.langs().iter().enumerate() {
        let mut lists = vec![(ListKind::Home, t.articles.len())];
        lists.extend(t.sections.iter().enumerate().map(|(i, s)| (ListKind::Section(i), s.articles.len())));
        lists.extend(t.tags.iter().enumerate().map(|(i, s)| (ListKind::Tag(i), s.articles.len())));
        lists.extend(t.authors.iter().enumerate().map(|(i, s)| (ListKind::Author(i), s.articles.len())));
        for (list, n) in lists {
            pages.extend(Pages::new(n, per).all().map(|page| Page::List { lang: l, list, page }));
        }
        pages.push(Page::Terms { lang: l, authors: false });
        pages.push(Page::Terms { lang: l, authors: true });
        pages.push(Page::Corrections { lang: l });
        pages.push(Page::Search { lang: l });
        // A discreet mirror's copy has no page of the others.
        if !site.config().is_discreet() {
            pages.push(Page::Mirrors { lang: l });
        }
    }
    pages.extend((0..site.standalone().len()).map(Page::Standalone));
    pages.extend((0..site.aliases().len()).map(Page::Alias));
    pages.push(Page::NotFound);
    pages
}

impl Page {
    /// The page's address.
    pub fn path(self, site: &Site) -> PagePath {
        match self {
            Page::Article(i) => site.articles()[i].path.clone(),
            Page::List { lang, list, page } => page_path(&list_base(site, lang, list), page),
            Page::Terms { lang, authors } => site.langs()[lang].home.join(if authors { "authors" } else { "tags" }),
            Page::Mirrors { lang } => site.langs()[lang].home.join("mirrors"),
            Page::Corrections { lang } => site.langs()[lang].home.join("corrections"),
            Page::Search { lang } => site.langs()[lang].home.join("search"),
            Page::Standalone(i) => site.standalone()[i].path().clone(),
            Page::Alias(i) => site.aliases()[i].0.clone(),
            Page::NotFound => PagePath::root(),
        }
    }

    /// The file the page is written to: its address's `index.html`, and
    /// `404.html` for the page shown where there is none.
    pub fn file(self, site: &Site) -> String {
        match self {
            Page::NotFound => "404.html".to_string(),
            page => page.path(site).file(),
        }
    }

    /// Whether the page is a language's mirrors page.
    pub fn is_mirrors(self) -> bool {
        matches!(self, Page::Mirrors { .. })
    }

    /// Whether the page is a page readers reach (for the sitemap): not a
    /// redirect, not the 404 page.
    pub fn is_indexed(self) -> bool {
        !matches!(self, Page::NotFound | Page::Alias(_))
    }
}

/// The address of a list's first page.
pub fn list_base(site: &Site, lang: usize, list: ListKind) -> PagePath {
    let t = &site.langs()[lang];
    match list {
        ListKind::Home => t.home.clone(),
        ListKind::Section(i) => t.sections[i].path.clone(),
        ListKind::Tag(i) => t.tags[i].path.clone(),
        ListKind::Author(i) => t.authors[i].path.clone(),
    }
}
