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
}

impl Urls {
    pub fn new(page: &PagePath, pretty: bool) -> Self {
        Urls { root: crate::urls::root_prefix(page.depth()), pretty }
    }
    pub fn page(&self, p: &PagePath) -> String {
        format!("{}{}", self.root, p.link(self.pretty))
    }
    pub fn file(&self, site_path: &str) -> String {
        format!("{}{}", self.root, site_path)
    }
}

#[derive(Serialize, Clone)]
pub struct LinkView {
    pub name: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct ImageView {
    pub url: String,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub width: usize,
    pub height: usize,
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
    pub related: Vec<CardView>,
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
    pub lead: Option<CardView>,
    pub top: Vec<CardView>,
    /// The page's stories (on a front page, without the lead and top).
    pub items: Vec<CardView>,
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

/// What every page gets, as `page`.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub lang: &'a str,
    /// From this page back to the site root; prefix it to a site path.
    pub root: &'a str,
    pub site_title: &'a str,
    pub site_description: Option<&'a str>,
    pub copyright: Option<&'a str>,
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
    pub home_url: String,
    pub tags_url: String,
    pub authors_url: String,
    /// This language's page of corrections.
    pub corrections_url: String,
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
    pub alternates: Vec<Alternate>,
    pub feeds: FeedLinks,
    /// The site's other addresses, labelled in this page's language.
    pub mirrors: Vec<MirrorView>,
    /// This language's page listing every mirror.
    /// The mirrors page, when the site has other addresses (none in a
    /// discreet mirror's copy).
    pub mirrors_url: Option<String>,
    /// This page on the onion service, for `<meta http-equiv=onion-location>`.
    pub onion_location: Option<String>,
    pub newsletter: Option<&'a crate::load::site_yaml::Newsletter>,
    pub donate: Option<&'a crate::load::site_yaml::Donate>,
    /// The theme's strings in this page's language.
    pub t: &'a BTreeMap<String, String>,
}
