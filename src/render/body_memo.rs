//! Article bodies kept between builds. A body is reused when its Markdown
//! and page are the same and every question its rendering asked of the rest
//! of the site (where does `other.md` go? is there a page at `/tags/x/`?
//! where is `photo.jpg` published?) gets the same answer now.

use crate::error::Error;
use crate::fingerprint::Key;
use crate::markdown::{self, Resolver, Source};
use crate::urls::PagePath;
use crate::warning::Warning;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// One question the Markdown renderer asked, with the answer it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum Query {
    Article(String, Option<PagePath>),
    PageExists(PagePath, bool),
    Asset(String, String, Option<String>),
    Image(String, String, Option<crate::image_sizes::Picture>),
}

/// A rendered body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Body {
    /// Not kept in the build cache (it would be most of it): a build that
    /// must render the page renders the body again.
    #[serde(skip)]
    pub html: Option<Arc<str>>,
    /// Fingerprint of the HTML, for page keys.
    pub key: Key,
    pub raw_html: bool,
    pub warnings: Vec<Warning>,
    /// What search finds the body by (`render::bodies` reads it from the
    /// final HTML, once, as the body is first rendered); kept in the build
    /// cache, so an index needs no body rendered again.
    pub text: Arc<crate::search::text::BodyText>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// Fingerprint of the Markdown and of where it is shown.
    pub input: Key,
    asked: Vec<Query>,
    pub body: Body,
}

/// An image's pixel size, valid while its file's stamp is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageSize {
    pub stamp: crate::fs::Stamp,
    pub width: usize,
    pub height: usize,
}

/// What the previous build rendered: bodies by article source, image sizes
/// by file.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct BodyMemo {
    pub articles: HashMap<String, Entry>,
    pub images: HashMap<PathBuf, ImageSize>,
}

impl Entry {
    /// Whether this body is still what rendering `input` would give.
    pub fn still_valid(&self, input: Key, resolver: &dyn Resolver) -> bool {
        self.input == input
            && self.asked.iter().all(|q| match q {
                Query::Article(rel, page) => resolver.article(rel) == page.as_ref(),
                Query::PageExists(p, yes) => resolver.page_exists(p) == *yes,
                Query::Asset(dir, src, at) => resolver.asset(dir, src) == *at,
                Query::Image(dir, src, sizes) => resolver.image(dir, src) == *sizes,
            })
    }
}

/// Renders `md`, noting each question asked of `resolver`.
pub fn render(md: &str, src: &Source, resolver: &dyn Resolver, input: Key) -> Result<Entry, Vec<Error>> {
    let recorder = Recorder { inner: resolver, asked: RefCell::new(Vec::new()) };
    let r = markdown::render(md, src, &recorder)?;
    let key = crate::fingerprint::of_bytes(r.html.as_bytes());
    let body =
        Body { html: Some(r.html.into()), key, raw_html: r.raw_html, warnings: r.warnings, text: Arc::default() };
    Ok(Entry { input, asked: recorder.asked.into_inner(), body })
}

struct Recorder<'a> {
    inner: &'a dyn Resolver,
    asked: RefCell<Vec<Query>>,
}

impl Resolver for Recorder<'_> {
    fn article(&self, content_rel: &str) -> Option<&PagePath> {
        let answer = self.inner.article(content_rel);
        self.asked.borrow_mut().push(Query::Article(content_rel.to_string(), answer.cloned()));
        answer
    }
    fn page_exists(&self, page: &PagePath) -> bool {
        let answer = self.inner.page_exists(page);
        self.asked.borrow_mut().push(Query::PageExists(page.clone(), answer));
        answer
    }
    fn asset(&self, dir: &str, src: &str) -> Option<String> {
        let answer = self.inner.asset(dir, src);
        self.asked.borrow_mut().push(Query::Asset(dir.to_string(), src.to_string(), answer.clone()));
        answer
    }
    // Configuration: a change to it starts a build from nothing.
    fn pretty_urls(&self) -> bool {
        self.inner.pretty_urls()
    }
    fn base_url(&self) -> &str {
        self.inner.base_url()
    }
    fn remote_media_fails(&self) -> bool {
        self.inner.remote_media_fails()
    }
    fn body_image_sizes(&self) -> &str {
        self.inner.body_image_sizes()
    }
    fn image(&self, dir: &str, src: &str) -> Option<crate::image_sizes::Picture> {
        let answer = self.inner.image(dir, src);
        self.asked.borrow_mut().push(Query::Image(dir.to_string(), src.to_string(), answer.clone()));
        answer
    }
}
