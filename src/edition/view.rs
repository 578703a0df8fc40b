//! What the edition's templates see (`edition.html`, `edition_email.html`,
//! `edition_email.txt`; listed for theme authors in docs/templates.md):
//! the articles as the article page sees them, with the anchor each has in
//! the file, and the edition's own fields.

use crate::edition::links;
use crate::edition::period::Period;
use crate::error::Result;
use crate::render::context::PageContext;
use crate::render::root_mark::MARK;
use crate::render::views::{ArticleView, Urls};
use serde::Serialize;

#[derive(Serialize)]
pub struct EditionView {
    pub lang: String,
    /// The document's `<title>`: neutral for a discreet edition.
    pub title: String,
    /// The outlet's name, shown on the first screen; none when discreet.
    pub masthead: Option<String>,
    /// "Edition of December 2, 2026".
    pub heading: String,
    /// The period covered, in words.
    pub period: String,
    pub discreet: bool,
    /// The theme's stylesheet, to print inline (`| safe`).
    pub css: String,
    pub articles: Vec<EditionArticle>,
    /// Every address of the site but the discreet ones, the primary first.
    pub mirrors: Vec<MirrorLink>,
    /// Where the edition's links to the site lead (the mirror chosen).
    pub site_url: String,
    pub public_key: Option<String>,
    pub fingerprint: Option<String>,
    /// The edition's own file name, for the command that verifies it.
    pub file_name: String,
}

#[derive(Serialize)]
pub struct MirrorLink {
    pub label: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct EditionArticle {
    /// The article's id in the file (`news-envoy-talks`): link `#anchor`.
    pub anchor: String,
    #[serde(flatten)]
    pub article: ArticleView,
    /// The body as plain text (the email's text part), when asked for.
    pub text: Option<String>,
    /// The article's address on the mirror the edition names.
    pub online: String,
}

/// Each article of `period` as the article page sees it, its links from
/// the root mark and its ids made its own.
pub fn articles(ctx: &PageContext, period: &Period) -> Result<Vec<EditionArticle>> {
    let site = ctx.site();
    let urls = Urls::marked(&crate::urls::PagePath::root(), false);
    period
        .articles()
        .iter()
        .map(|&i| {
            let a = &site.articles()[i];
            let anchor = anchor_of(&a.path);
            let mut article = ctx.article_view(i, &urls)?;
            // Markdown's links carry the mark percent-encoded, as any
            // other character outside ASCII in a URL.
            let body = article.body.replace(&links::encoded_mark(), MARK);
            article.body = links::own_anchors(&body, &anchor, a.path.as_str());
            let online = crate::urls::absolute(&site.config().base_url, &a.path.link(site.config().pretty_urls));
            Ok(EditionArticle { anchor, article, text: None, online })
        })
        .collect()
}

/// An article's id in the file, from its address (unique on the site).
pub fn anchor_of(path: &crate::urls::PagePath) -> String {
    path.as_str().trim_matches('/').replace('/', "-")
}
