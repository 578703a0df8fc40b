//! Renders every article body and author bio in parallel, now that every
//! page's address is known, and finds each lead photo.

use crate::error::{collect_all, Error, Location, Result};
use crate::links::{FileRef, LinkIndex};
use crate::markdown::{self, Source};
use crate::site::Site;
use crate::urls::{root_prefix, PagePath};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// A published image with its size, so pages reserve its space and do not
/// jump while it loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub site_path: String,
    pub width: usize,
    pub height: usize,
    /// File size, for feed enclosures.
    pub bytes: u64,
}

#[derive(Debug, Clone, Default)]
pub struct AuthorPage {
    pub bio_html: Option<String>,
    pub role: Option<String>,
    pub photo: Option<Image>,
}

pub struct Bodies {
    pub html: Vec<String>,
    /// Per article: the body has the writer's raw HTML.
    pub raw_html: Vec<bool>,
    pub warnings: Vec<crate::warning::Warning>,
    pub photos: Vec<Option<Image>>,
    /// (author slug, language) → what the author's page shows.
    pub authors: BTreeMap<(String, String), AuthorPage>,
}

/// `sources` are the articles' Markdown bodies, in site order.
pub fn render(site: &Site, index: &LinkIndex, sources: &[String]) -> Result<Bodies> {
    let results: Vec<Result<(markdown::Rendered, Option<Image>)>> =
        site.articles.par_iter().zip(sources).map(|(a, md)| render_article(index, a, md)).collect();
    let mut warnings = Vec::new();
    let mut raw_html = Vec::new();
    let (html, photos) = collect_all(results)?
        .into_iter()
        .map(|(r, photo)| {
            warnings.extend(r.warnings);
            raw_html.push(r.raw_html);
            (r.html, photo)
        })
        .unzip();
    let authors = render_authors(site, index)?;
    Ok(Bodies { html, raw_html, warnings, photos, authors })
}

fn render_article(
    index: &LinkIndex,
    a: &crate::article::Article,
    md: &str,
) -> Result<(markdown::Rendered, Option<Image>)> {
    let root = root_prefix(a.path.depth());
    let resolver = index.for_page(&a.path, a.bundle.then_some(a.dir.as_str()));
    let src = Source { path: &a.display, first_line: a.body_line, dir: &a.dir, lang: &a.lang, root: &root };
    let body = markdown::render(md, &src, &resolver).map(|mut r| {
        if index.sanitize() {
            r.html = sanitize(&r.html);
        }
        r
    });
    let photo = a.photo.as_ref().map(|p| {
        let loc = Location::at(&a.display, a.photo_line, 0);
        let file = resolver.file(&a.dir, &p.src).ok_or_else(|| Error::Content {
            loc: loc.clone(),
            msg: format!("photo `{}` not found beside the article or in static/", p.src),
        })?;
        image(file, &loc)
    });
    match (body, photo.transpose()) {
        (Ok(html), Ok(photo)) => Ok((html, photo)),
        (Err(mut errs), photo) => {
            errs.extend(photo.err());
            Err(Error::Many(errs))
        }
        (Ok(_), Err(e)) => Err(e),
    }
}

/// Cleans HTML (`markdown.sanitize`): scripts, event handlers, frames and
/// styles go; what sitegen's Markdown makes (heading anchors, code
/// highlighting classes, footnotes, tables) stays.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["class", "id"])
        .add_tag_attributes("img", ["title"])
        .link_rel(None)
        .clean(html)
        .to_string()
}

/// Reads the image's size from its header; a file that is not an image a
/// browser can show is an error.
pub fn image(file: FileRef, loc: &Location) -> Result<Image> {
    let size = imagesize::size(&file.source).map_err(|_| Error::Content {
        loc: loc.clone(),
        msg: format!("`{}` is not an image a browser can show (JPEG, PNG, GIF, WebP or AVIF)", display(&file.source)),
    })?;
    let bytes = std::fs::metadata(&file.source).map(|m| m.len()).unwrap_or(0);
    Ok(Image { site_path: file.site_path, width: size.width, height: size.height, bytes })
}

fn display(p: &Path) -> String {
    crate::urls::tidy(p).display().to_string()
}

fn render_authors(site: &Site, index: &LinkIndex) -> Result<BTreeMap<(String, String), AuthorPage>> {
    let mut jobs = Vec::new();
    for tree in &site.langs {
        for term in &tree.authors {
            let file = site
                .author_files
                .iter()
                .filter(|f| f.slug == term.slug)
                .min_by_key(|f| (f.lang.as_deref() != Some(tree.code.as_str()), f.lang.is_some()));
            if let Some(f) = file {
                jobs.push((tree.code.as_str(), &term.path, f));
            }
        }
    }
    let results: Vec<Result<((String, String), AuthorPage)>> = jobs
        .par_iter()
        .map(|(lang, path, f)| {
            let root = root_prefix(path.depth());
            let resolver = index.for_page(path, None);
            let src = Source { path: &f.display, first_line: f.bio_line, dir: "authors", lang, root: &root };
            let mut bio = markdown::render(&f.bio_md, &src, &resolver).map_err(Error::Many)?.html;
            if index.sanitize() {
                bio = sanitize(&bio);
            }
            let photo = match &f.meta.photo {
                Some(p) => {
                    let loc = Location::file(&f.display);
                    let file = resolver.file("authors", p).ok_or_else(|| Error::Content {
                        loc: loc.clone(),
                        msg: format!("photo `{p}` not found in content/authors/ or static/"),
                    })?;
                    Some(image(file, &loc)?)
                }
                None => None,
            };
            let page =
                AuthorPage { bio_html: (!bio.trim().is_empty()).then_some(bio), role: f.meta.role.clone(), photo };
            Ok(((slug_of(path), lang.to_string()), page))
        })
        .collect();
    Ok(collect_all(results)?.into_iter().collect())
}

fn slug_of(path: &PagePath) -> String {
    path.as_str().trim_end_matches('/').rsplit('/').next().unwrap_or("").to_string()
}
