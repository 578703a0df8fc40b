//! What each page shows of the articles, written once. The page keys hash
//! exactly this (with what a page shows of the site as a whole), and the
//! watch fast path reads it the other way round: the pages an edit to an
//! article reaches are those that show the part of it that changed.

use crate::model::front::{front, Front};
use crate::model::pagination::Pages;
use crate::model::site::Site;
use crate::render::plan::{ListKind, Page};

/// A part of an article that pages show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// Everything: its own page (body, photo, tags, dates, credits).
    Whole,
    /// Its card in lists and "Read more": title, address, summary, date,
    /// section, authors, photo.
    Card,
    /// A link to it, as an edition in another language or the target of
    /// an old address: title, address, language.
    Link,
    /// Its date alone: the mirrors page says how new the copy is by the
    /// newest story's.
    Date,
}

/// The articles page `page` shows, and what of each, in the order the
/// page shows them.
pub fn shown_on(site: &Site, page: Page, out: &mut Vec<(usize, Part)>) {
    match page {
        Page::Article(i) => {
            out.push((i, Part::Whole));
            out.extend(site.translations(i).iter().map(|&j| (j, Part::Link)));
            out.extend(site.related(i).iter().map(|&j| (j, Part::Card)));
        }
        Page::List { lang, list, page } => {
            let (front, grid) = list_cards(site, lang, list, page);
            let cards = front.lead.into_iter().chain(front.top).chain(grid);
            out.extend(cards.map(|i| (i, Part::Card)));
        }
        Page::Alias(k) => out.push((site.aliases()[k].1, Part::Link)),
        // It says how new the copy is: the newest story's date.
        Page::Mirrors { lang } => out.extend(site.langs()[lang].articles.first().map(|&i| (i, Part::Date))),
        // Each corrected story: its title and address.
        Page::Corrections { lang } => out.extend(corrected(site, lang).into_iter().map(|i| (i, Part::Link))),
        // The search page shows no article: its results come from the index.
        Page::Terms { .. } | Page::Search { .. } | Page::Standalone(_) | Page::NotFound => {}
    }
}

/// The articles of language `lang` with corrections, the most recently
/// corrected first (ties by the site's order).
pub fn corrected(site: &Site, lang: usize) -> Vec<usize> {
    let mut ids: Vec<usize> =
        site.langs()[lang].articles.iter().copied().filter(|&i| !site.articles()[i].corrections.is_empty()).collect();
    ids.sort_by_key(|&i| std::cmp::Reverse(site.articles()[i].corrections.last().map(|c| c.date)));
    ids
}

/// The cards of a list's page: on a language's front page (its home's
/// first page) the lead and top stories, and the newest stories without
/// them; on any other page, the page's stories.
pub fn list_cards(site: &Site, lang: usize, list: ListKind, page: usize) -> (Front, Vec<usize>) {
    let ids = list_articles(site, lang, list);
    let shown = &ids[Pages::new(ids.len(), site.config().paginate).items(page)];
    match (list, page) {
        (ListKind::Home, 0) => {
            let f = front(site, lang);
            let grid = shown.iter().copied().filter(|&i| !f.holds(i)).collect();
            (f, grid)
        }
        _ => (Front::default(), shown.to_vec()),
    }
}

/// The articles of a list, newest first.
pub fn list_articles(site: &Site, lang: usize, list: ListKind) -> &[usize] {
    let tree = &site.langs()[lang];
    match list {
        ListKind::Home => &tree.articles,
        ListKind::Section(s) => &tree.sections[s].articles,
        ListKind::Tag(t) => &tree.tags[t].articles,
        ListKind::Author(a) => &tree.authors[a].articles,
    }
}

/// The pages of `pages` that show a part of an article that changed:
/// `changed` holds (article, part) pairs.
pub fn pages_showing(site: &Site, pages: &[Page], changed: &[(usize, Part)]) -> Vec<Page> {
    use rayon::prelude::*;
    pages
        .par_iter()
        .filter(|&&page| {
            let mut shown = Vec::new();
            shown_on(site, page, &mut shown);
            shown.iter().any(|s| changed.contains(s))
        })
        .copied()
        .collect()
}
