//! What templates see: plain, documented, serializable views of the model
//! (listed for theme authors in docs/templates.md). Every URL in a view is
//! already relative to the page being rendered, so a theme cannot produce a
//! link that breaks on a mirror.

use crate::urls::PagePath;
use serde::Serialize;
use std::collections::BTreeMap;

/// Makes page-relative URLs for one page.
pub struct Urls {
    /// From the page back to the site root: `./`, `../../`.
    pub root: String,
    pub pretty: bool,
    /// What links start with: the root, or the root mark for a page
    /// rendered through templates (`root_mark`).
    from: String,
}

impl Urls {
    /// Links from the page itself.
    pub fn new(page: &PagePath, pretty: bool) -> Self {
        let root = crate::urls::root_prefix(page.depth());
        Urls { from: root.clone(), root, pretty }
    }
    /// Links from the root mark, which the rendered page replaces with
    /// `root` (`root_mark::place`).
    pub fn marked(page: &PagePath, pretty: bool) -> Self {
        let root = crate::urls::root_prefix(page.depth());
        Urls { root, pretty, from: crate::render::root_mark::MARK.to_string() }
    }
    pub fn page(&self, p: &PagePath) -> String {
        format!("{}{}", self.from, p.link(self.pretty))
    }
    pub fn file(&self, site_path: &str) -> String {
        format!("{}{}", self.from, site_path)
    }
}

#[derive(Serialize, Clone)]
pub struct LinkView {
    pub name: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct ImageView {
    /// Its widest size: the `src`.
    pub url: String,
    /// Every size, for `srcset` (the theme writes `sizes`: how wide it
    /// shows the image); `None` when there is one size.
    pub srcset: Option<String>,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub width: usize,
    pub height: usize,
    /// Where a crop keeps the subject (`photo.focus`): a CSS
    /// `object-position`, for `style="object-position: …"`.
    pub focus: Option<String>,
}

/// An article as a list shows it: no body.
#[derive(Serialize)]
pub struct CardView {
    pub title: String,
    pub url: String,
    pub summary: Option<String>,
    pub date_iso: String,
    pub date: String,
    pub section: LinkView,
    pub authors: Vec<LinkView>,
    pub photo: Option<ImageView>,
    /// In a preview: `draft`, `scheduled` or `expired`, for a mark.
    pub status: Option<&'static str>,
    /// The mark's words in the article's language (`status_<status>`).
    pub status_label: Option<String>,
}

/// A card on a page: rendered by the theme's `card.html` (print `html`
/// with `| safe`), or, for a theme without one, the card's fields.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Card {
    Rendered { html: String },
    Fields(Box<CardView>),
}

/// What a preview marks an article as: a draft, or one a published build
/// at this moment would leave out.
pub fn status(a: &crate::load::article::Article) -> Option<&'static str> {
    use crate::load::article::Held;
    match (a.draft, a.held) {
        (true, _) => Some("draft"),
        (false, Some(Held::Scheduled)) => Some("scheduled"),
        (false, Some(Held::Expired)) => Some("expired"),
        (false, None) => None,
    }
}

#[derive(Serialize)]
pub struct TranslationView {
    pub lang: String,
    /// The language's own name: "Русский".
    pub language: String,
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct ArticleView {
    pub title: String,
    pub url: String,
    pub summary: Option<String>,
    pub date_iso: String,
    /// "April 11, 2025, 18:20 (UTC+3)" in the article's language.
    pub date: String,
    pub updated_iso: Option<String>,
    pub updated: Option<String>,
    pub dateline: Option<String>,
    pub authors: Vec<LinkView>,
    pub section: LinkView,
    pub tags: Vec<LinkView>,
    pub photo: Option<ImageView>,
    /// Rendered Markdown; print with `| safe`.
    pub body: String,
    pub has_code: bool,
    pub wire_credit: Option<String>,
    pub translations: Vec<TranslationView>,
    pub related: Vec<Card>,
    /// Oldest first.
    pub corrections: Vec<CorrectionView>,
    /// As `CardView::status`.
    pub status: Option<&'static str>,
    pub status_label: Option<String>,
}

/// A correction, dated in the article's language.
#[derive(Serialize)]
pub struct CorrectionView {
    pub date_iso: String,
    pub date: String,
    pub text: String,
}

/// One article's corrections, on a language's page of corrections.
#[derive(Serialize)]
pub struct CorrectedView {
    pub title: String,
    pub url: String,
    pub corrections: Vec<CorrectionView>,
}

/// A language's search page: its script, the folder of its index beside
/// it, and the sections to browse when the script cannot run.
#[derive(Serialize)]
pub struct SearchView {
    pub title: String,
    pub script: String,
    pub parts: &'static str,
    pub sections: Vec<NavItem>,
}

/// A language's page of every correction: the newest first.
#[derive(Serialize)]
pub struct CorrectionsView {
    pub title: String,
    pub items: Vec<CorrectedView>,
}

#[derive(Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

#[derive(Serialize)]
pub struct Pagination {
    /// 0 on the list's first page (its newest items), else the page's
    /// number; pages are numbered from the oldest, so each keeps its items.
    pub current: usize,
    /// The first page, from a numbered one.
    pub latest: Option<String>,
    /// The page of newer items, and of older ones.
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Page numbers, newest first: around the current one, and page 1;
    /// `null` marks a gap.
    pub pages: Vec<Option<PageLink>>,
}

#[derive(Serialize)]
pub struct AuthorView {
    pub role: Option<String>,
    pub bio: Option<String>,
    pub photo: Option<ImageView>,
}

/// Home, section, tag and author pages.
#[derive(Serialize)]
pub struct ListView {
    /// `home`, `section`, `tag` or `author`.
    pub kind: &'static str,
    pub title: String,
    pub description: Option<String>,
    /// On a front page: the lead story, and the top stories under it.
    pub lead: Option<Card>,
    pub top: Vec<Card>,
    /// The page's stories (on a front page, without the lead and top).
    pub items: Vec<Card>,
    pub pagination: Pagination,
    pub author: Option<AuthorView>,
}

#[derive(Serialize)]
pub struct TermView {
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// An article's Open Graph `article:` properties.
#[derive(Serialize)]
pub struct ArticleMetaView {
    pub published: String,
    pub modified: String,
    /// The section's title.
    pub section: String,
    pub tags: Vec<String>,
    /// Absolute URLs of the authors' pages.
    pub authors: Vec<String>,
}

/// A standalone page: About, Contacts.
#[derive(Serialize)]
pub struct StandaloneView {
    pub title: String,
    pub description: Option<String>,
    /// HTML.
    pub content: String,
}

/// The index of all tags or all authors.
#[derive(Serialize)]
pub struct TermsView {
    /// `tags` or `authors`.
    pub kind: &'static str,
    pub title: String,
    pub terms: Vec<TermView>,
}

#[derive(Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
    pub current: bool,
}

#[derive(Serialize)]
pub struct LanguageLink {
    pub code: String,
    pub name: String,
    pub url: String,
    pub current: bool,
}

#[derive(Serialize)]
pub struct Alternate {
    pub lang: String,
    /// Relative like every link; the sitemap carries the absolute
    /// alternates that search engines read.
    pub href: String,
}

#[derive(Serialize)]
pub struct FeedLinks {
    /// What the feeds follow: the site, or the list the page is.
    pub title: String,
    pub rss: String,
    pub atom: String,
    pub json: String,
}

impl FeedLinks {
    /// The feeds of the list at `base`, titled `title`, seen through `u`.
    pub fn of(base: &crate::urls::PagePath, title: &str, u: &Urls) -> FeedLinks {
        let file = |name: &str| u.file(&format!("{}{name}", base.as_str()));
        FeedLinks { title: title.to_string(), rss: file("rss.xml"), atom: file("atom.xml"), json: file("feed.json") }
    }
}

/// Another address of the site, for readers who cannot reach this one.
#[derive(Serialize)]
pub struct MirrorView {
    /// `web`, `onion`, `ipfs` or `archive`.
    pub kind: crate::load::mirrors::Kind,
    pub label: String,
    /// Absolute: it is another host.
    pub url: String,
    /// An address that lasts (named on every page).
    pub stable: bool,
}

/// The mirrors page: every address, and how to check a copy.
#[derive(Serialize)]
pub struct MirrorsView {
    pub web: Vec<MirrorView>,
    pub onion: Vec<MirrorView>,
    pub ipfs: Vec<MirrorView>,
    pub archive: Vec<MirrorView>,
    /// The list of file hashes of this copy, relative.
    pub sha256sums: String,
    pub manifest: String,
    /// The signing key (`ed25519:…`) and its fingerprint, if the site has one.
    pub public_key: Option<String>,
    pub fingerprint: Option<String>,
    /// The signed mirror list this copy carries, if any.
    pub list: Option<MirrorListView>,
    /// The date of the newest story in this language: how old the copy is.
    pub newest: Option<String>,
}

/// The signed mirror list, as the mirrors page shows it.
#[derive(Serialize)]
pub struct MirrorListView {
    /// In the reader's language, UTC.
    pub issued: String,
    pub expires: String,
    /// Milliseconds since 1970, for the page's optional expiry check.
    pub expires_ms: i64,
    pub sequence: u64,
    /// The list's address, relative.
    pub url: String,
}

/// What every page gets, as `page`: its own part, and the chrome it shares
/// with the other pages of its language (flattened into `page`).
#[derive(Serialize)]
pub struct PageView<'a> {
    /// From this page back to the site root; prefix it to a site path.
    pub root: &'a str,
    /// The `<title>`.
    pub title: String,
    pub description: Option<String>,
    /// Absolute URL on the primary host (for `rel=canonical` and `og:url`).
    pub canonical: String,
    pub og_type: &'static str,
    /// Absolute URL of the page's image, for Open Graph.
    pub og_image: Option<String>,
    /// JSON-LD, already escaped for a `<script>` element.
    pub json_ld: Option<String>,
    /// On an article: its Open Graph `article:` properties.
    pub article_meta: Option<ArticleMetaView>,
    pub alternates: Vec<Alternate>,
    /// This page on the onion service, for `<meta http-equiv=onion-location>`.
    pub onion_location: Option<String>,
    /// The masthead and the footer as the theme's `header.html` and
    /// `footer.html` render them: absent for a theme without them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub footer: Option<String>,
    #[serde(flatten)]
    pub chrome: ChromeView<'a>,
}

/// What a page's masthead and footer show, the same on many pages: what
/// `header.html` and `footer.html` get as `page`.
#[derive(Serialize)]
pub struct ChromeView<'a> {
    pub lang: &'a str,
    pub site_title: &'a str,
    pub site_description: Option<&'a str>,
    pub copyright: Option<&'a str>,
    pub home_url: String,
    pub tags_url: String,
    pub authors_url: String,
    /// This language's page of corrections.
    pub corrections_url: String,
    /// This language's search page.
    pub search_url: String,
    pub stylesheet: String,
    pub syntax_stylesheet: String,
    pub favicon: String,
    /// Every theme file by its name (`site.css`), as a URL to its
    /// fingerprinted copy (`site.0f3a9c1b2d.css`).
    pub assets: std::collections::BTreeMap<String, String>,
    pub nav: Vec<NavItem>,
    /// The standalone pages linked from the header and from the footer.
    pub menu_header: Vec<NavItem>,
    pub menu_footer: Vec<NavItem>,
    pub languages: Vec<LanguageLink>,
    pub feeds: FeedLinks,
    /// The site's other addresses, labelled in this page's language.
    pub mirrors: Vec<MirrorView>,
    /// The mirrors page, when the site has other addresses (none in a
    /// discreet mirror's copy).
    pub mirrors_url: Option<String>,
    pub newsletter: Option<&'a crate::load::site_yaml::Newsletter>,
    pub donate: Option<&'a crate::load::site_yaml::Donate>,
    /// The theme's strings in this page's language.
    pub t: &'a BTreeMap<String, String>,
}

impl ChromeView<'_> {
    /// What tells one chrome from another in a build: the language (which
    /// decides every field not named here), and what differs between its
    /// pages. Its links start from the root mark, so depth does not count.
    pub fn key(&self) -> crate::fingerprint::Key {
        let mut fp = crate::fingerprint::Fp::new("chrome");
        fp.str(self.lang);
        for item in self.nav.iter().chain(&self.menu_header).chain(&self.menu_footer) {
            fp.u64(u64::from(item.current));
        }
        for l in &self.languages {
            fp.str(&l.url).u64(u64::from(l.current));
        }
        fp.str(&self.feeds.title).str(&self.feeds.rss).str(&self.feeds.atom).str(&self.feeds.json);
        fp.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static STRINGS: BTreeMap<String, String> = BTreeMap::new();

    fn chrome(lang: &'static str, current: bool, switch_to: &str, rss: &str) -> ChromeView<'static> {
        let link = |url: &str, current| NavItem { title: "World".into(), url: url.into(), current };
        ChromeView {
            lang,
            site_title: "Times",
            site_description: None,
            copyright: None,
            home_url: "R/index.html".into(),
            tags_url: "R/tags/index.html".into(),
            authors_url: "R/authors/index.html".into(),
            corrections_url: "R/corrections/index.html".into(),
            search_url: "R/search/index.html".into(),
            stylesheet: "R/site.css".into(),
            syntax_stylesheet: "R/syntax.css".into(),
            favicon: "R/favicon.svg".into(),
            assets: BTreeMap::new(),
            nav: vec![link("R/world/index.html", current)],
            menu_header: Vec::new(),
            menu_footer: vec![link("R/about/index.html", false)],
            languages: vec![LanguageLink {
                code: "ru".into(),
                name: "Русский".into(),
                url: switch_to.into(),
                current: false,
            }],
            feeds: FeedLinks {
                title: "Times".into(),
                rss: rss.into(),
                atom: "R/atom.xml".into(),
                json: "R/feed.json".into(),
            },
            mirrors: Vec::new(),
            mirrors_url: None,
            newsletter: None,
            donate: None,
            t: &STRINGS,
        }
    }

    #[test]
    fn a_chrome_s_key_tells_apart_what_differs_between_pages() {
        let home = chrome("en", false, "R/ru/index.html", "R/rss.xml").key();
        assert_eq!(home, chrome("en", false, "R/ru/index.html", "R/rss.xml").key());
        assert_ne!(home, chrome("ru", false, "R/ru/index.html", "R/rss.xml").key(), "language");
        assert_ne!(home, chrome("en", true, "R/ru/index.html", "R/rss.xml").key(), "current section");
        assert_ne!(home, chrome("en", false, "R/ru/news/x/index.html", "R/rss.xml").key(), "language switch");
        assert_ne!(home, chrome("en", false, "R/ru/index.html", "R/world/rss.xml").key(), "feeds");
    }
}
