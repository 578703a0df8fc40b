//! Renders every article body and author bio in parallel, now that every
//! page's address is known, and finds each lead photo.

use crate::error::{collect_all, Error, Location, Result};
use crate::fingerprint::{Fp, Key};
use crate::markdown::{self, Resolver, Source};
use crate::model::links::{FileRef, LinkIndex};
use crate::model::site::Site;
use crate::render::body_memo::{self, BodyMemo};
use crate::urls::{root_prefix, PagePath};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// A published image with its size, so pages reserve its space and do not
/// jump while it loads, and the smaller sizes a browser may choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Its widest published size: a page's `src`, a feed's enclosure.
    pub site_path: String,
    pub width: usize,
    pub height: usize,
    /// The original's file size, for a feed enclosure whose published
    /// size is not known.
    pub bytes: u64,
    /// Every size, narrowest first, when there is more than one.
    pub sizes: Vec<crate::image_sizes::Candidate>,
}

#[derive(Debug, Clone, Default)]
pub struct AuthorPage {
    pub bio_html: Option<String>,
    pub role: Option<String>,
    pub photo: Option<Image>,
}

pub struct Bodies {
    /// Per article: the HTML, if rendered in this build or kept; `fill`
    /// renders it for pages that need it.
    pub html: Vec<Option<Arc<str>>>,
    /// Per article: the HTML's fingerprint.
    pub keys: Vec<Key>,
    /// Per article: the body has the writer's raw HTML.
    pub raw_html: Vec<bool>,
    pub warnings: Vec<crate::warning::Warning>,
    pub photos: Vec<Option<Image>>,
    /// Per article: what search finds its body by.
    pub texts: Vec<Arc<crate::search::text::BodyText>>,
    /// (author slug, language) → what the author's page shows.
    pub authors: BTreeMap<(String, String), AuthorPage>,
    /// Per standalone page: its HTML.
    pub standalone: Vec<String>,
    /// The site's picture (`image:`) as published: a wide photo's widest
    /// copy.
    pub site_image: Option<String>,
}

/// One article's body and lead photo, and whether they were rendered anew.
pub struct Done {
    entry: Option<body_memo::Entry>,
    body: body_memo::Body,
    photo: Option<Image>,
}

/// Renders every article's body, reusing those in `memo` that are still
/// valid; `memo` then holds this build's.
pub fn render(site: &Site, index: &LinkIndex, memo: &mut BodyMemo) -> Result<Bodies> {
    let _bar = crate::progress::stage("markdown", site.articles().len());
    let results: Vec<Result<Done>> = site
        .articles()
        .par_iter()
        .map(|a| {
            crate::progress::tick();
            render_article(index, a, memo)
        })
        .collect();
    let done = collect_all(results)?;
    // Reused bodies stay in the memo; those of articles gone leave it.
    let mut kept = std::collections::HashMap::with_capacity(done.len());
    for (a, d) in site.articles().iter().zip(&done) {
        if d.entry.is_none() {
            kept.insert(a.rel.clone(), memo.articles.remove(&a.rel).expect("a reused body is in the memo"));
        }
    }
    memo.articles = kept;
    let mut bodies = Bodies::blank(done.len(), render_authors(site, index)?, render_standalone(site, index)?);
    bodies.site_image = site_image(site, index);
    for (i, (a, d)) in site.articles().iter().zip(done).enumerate() {
        bodies.apply(i, &a.rel, d, memo);
    }
    bodies.collect_warnings(site, memo);
    Ok(bodies)
}

/// Every body rendered whatever is broken in it (broken links lead
/// nowhere, a missing photo is left out), for the page check of a build
/// that already failed: its errors are those `render` reported.
pub fn render_despite_errors(site: &Site, index: &LinkIndex) -> Bodies {
    let done: Vec<(body_memo::Body, Option<Image>)> = site
        .articles()
        .par_iter()
        .map(|a| {
            let root = root_prefix(a.path.depth());
            let resolver = index.for_page(&a.path, a.bundle.then_some(a.dir.as_str()));
            let src = Source { path: &a.display, first_line: a.body_line, dir: &a.dir, lang: &a.lang, root: &root };
            let md = a.markdown(index.content_dir()).unwrap_or_default();
            let (r, _) = markdown::render_despite_errors(&md, &src, &resolver);
            let html = if index.sanitize() { crate::render::sanitize::fragment(&r.html) } else { r.html };
            let key = crate::fingerprint::of_bytes(html.as_bytes());
            let photo = a.photo.as_ref().and_then(|p| {
                let file = resolver.file(&a.dir, &p.src)?;
                image(index, file, &Location::file(&a.display)).ok()
            });
            let text = Default::default();
            (body_memo::Body { html: Some(html.into()), key, raw_html: r.raw_html, warnings: Vec::new(), text }, photo)
        })
        .collect();
    let mut bodies = Bodies {
        html: Vec::with_capacity(done.len()),
        keys: Vec::with_capacity(done.len()),
        raw_html: Vec::with_capacity(done.len()),
        warnings: Vec::new(),
        photos: Vec::with_capacity(done.len()),
        texts: vec![Default::default(); done.len()],
        site_image: site_image(site, index),
        authors: render_authors(site, index).unwrap_or_default(),
        standalone: site
            .standalone()
            .iter()
            .map(|p| {
                markdown::render_despite_errors(
                    p.body_md(),
                    &standalone_source(p, &root_prefix(p.path().depth())),
                    &index.for_page(p.path(), None),
                )
                .0
                .html
            })
            .collect(),
    };
    for (body, photo) in done {
        bodies.html.push(body.html);
        bodies.keys.push(body.key);
        bodies.raw_html.push(body.raw_html);
        bodies.photos.push(photo);
    }
    bodies
}

/// Renders the bodies of edited articles that moved nothing, against the
/// site as it is; `apply` then puts them in.
pub fn render_edited(
    index: &LinkIndex,
    edited: &[&crate::load::article::Article],
    memo: &BodyMemo,
) -> Result<Vec<Done>> {
    let results: Vec<Result<Done>> = edited.par_iter().map(|a| render_article(index, a, memo)).collect();
    collect_all(results)
}

impl Bodies {
    /// No body yet for any of `n` articles.
    fn blank(n: usize, authors: BTreeMap<(String, String), AuthorPage>, standalone: Vec<String>) -> Bodies {
        Bodies {
            html: vec![None; n],
            keys: vec![0; n],
            raw_html: vec![false; n],
            warnings: Vec::new(),
            photos: vec![None; n],
            texts: vec![Default::default(); n],
            authors,
            standalone,
            site_image: None,
        }
    }

    /// Renders the HTML of articles `ids` that only have a fingerprint (a
    /// body reused from the build cache), as their pages are rendered.
    pub fn fill(&mut self, site: &Site, index: &LinkIndex, ids: &[usize], memo: &mut BodyMemo) -> Result<()> {
        let fresh = BodyMemo::default();
        let render = |&i: &usize| {
            let a = &site.articles()[i];
            render_at(index, a, &fresh, &root_prefix(a.path.depth()))
        };
        let done: Vec<Result<Done>> = ids.par_iter().map(render).collect();
        for (&i, mut d) in ids.iter().zip(collect_all(done)?) {
            // The same body the cache kept: its text is already known.
            d.keep_text(&self.texts[i]);
            self.apply(i, &site.articles()[i].rel, d, memo);
        }
        Ok(())
    }

    /// Puts article `id`'s new body in, and keeps it in `memo`.
    pub fn apply(&mut self, id: usize, rel: &str, done: Done, memo: &mut BodyMemo) {
        self.html[id] = done.body.html.clone();
        self.keys[id] = done.body.key;
        self.raw_html[id] = done.body.raw_html;
        self.photos[id] = done.photo;
        self.texts[id] = done.body.text.clone();
        if let Some(entry) = done.entry {
            memo.articles.insert(rel.to_string(), entry);
        }
    }

    /// Gathers the body warnings again from `memo`, in site order.
    pub fn collect_warnings(&mut self, site: &Site, memo: &BodyMemo) {
        self.warnings = site
            .articles()
            .iter()
            .filter_map(|a| memo.articles.get(&a.rel))
            .flat_map(|e| e.body.warnings.clone())
            .collect();
    }
}

/// The bodies and lead photos of articles `ids` only, every link to the
/// site written from `root` (`render_rooted`); the other articles have
/// neither.
pub fn rooted(site: &Site, index: &LinkIndex, ids: &[usize], root: &str) -> Result<Bodies> {
    let done: Vec<Result<(String, Option<Image>)>> =
        ids.par_iter().map(|&i| render_rooted(index, &site.articles()[i], root)).collect();
    let mut bodies = Bodies::blank(site.articles().len(), BTreeMap::new(), Vec::new());
    bodies.site_image = site_image(site, index);
    for (&i, (html, photo)) in ids.iter().zip(collect_all(done)?) {
        bodies.keys[i] = crate::fingerprint::of_bytes(html.as_bytes());
        bodies.html[i] = Some(html.into());
        bodies.photos[i] = photo;
    }
    Ok(bodies)
}

/// Article `a`'s body with every link to the site written from `root` (a
/// mark that an edition, which is not at the article's address, puts its
/// own links in place of), and its lead photo; nothing is kept.
pub fn render_rooted(
    index: &LinkIndex,
    a: &crate::load::article::Article,
    root: &str,
) -> Result<(String, Option<Image>)> {
    let done = render_at(index, a, &BodyMemo::default(), root)?;
    let html = done.body.html.map(|h| h.to_string()).unwrap_or_default();
    Ok((html, done.photo))
}

fn render_article(index: &LinkIndex, a: &crate::load::article::Article, memo: &BodyMemo) -> Result<Done> {
    render_at(index, a, memo, &root_prefix(a.path.depth())).map(Done::with_text)
}

impl Done {
    /// A body rendered anew gets what search finds it by, read from its
    /// final HTML (a reused one has it from the memo; an edition's body
    /// needs none).
    fn with_text(mut self) -> Done {
        if let (Some(entry), Some(html)) = (&mut self.entry, &self.body.html) {
            let text = Arc::new(crate::search::text::BodyText::of_html(html));
            entry.body.text = text.clone();
            self.body.text = text;
        }
        self
    }

    /// A body rendered again only for its HTML keeps the text it had.
    fn keep_text(&mut self, text: &Arc<crate::search::text::BodyText>) {
        if let Some(entry) = &mut self.entry {
            entry.body.text = text.clone();
        }
        self.body.text = text.clone();
    }
}

fn render_at(index: &LinkIndex, a: &crate::load::article::Article, memo: &BodyMemo, root: &str) -> Result<Done> {
    let resolver = index.for_page(&a.path, a.bundle.then_some(a.dir.as_str()));
    let src = Source { path: &a.display, first_line: a.body_line, dir: &a.dir, lang: &a.lang, root };
    let input = Fp::new("body")
        .key(a.body_fp)
        .debug(&src.path)
        .u64(src.first_line as u64)
        .str(src.dir)
        .str(src.lang)
        .str(root)
        .str(a.path.as_str())
        .u64(a.bundle as u64)
        .u64(index.sanitize() as u64)
        .u64(resolver.pretty_urls() as u64)
        .str(resolver.base_url())
        .finish();
    let body = match memo.articles.get(&a.rel) {
        Some(e) if e.still_valid(input, &resolver) => Ok((None, e.body.clone())),
        _ => a
            .markdown(index.content_dir())
            .map_err(|e| vec![e])
            .and_then(|md| body_memo::render(&md, &src, &resolver, input))
            .map(|mut e| {
                if let (true, Some(html)) = (index.sanitize(), &e.body.html) {
                    let clean = crate::render::sanitize::fragment(html);
                    e.body.key = crate::fingerprint::of_bytes(clean.as_bytes());
                    e.body.html = Some(clean.into());
                }
                let body = e.body.clone();
                (Some(e), body)
            }),
    };
    let photo = a.photo.as_ref().map(|p| {
        let loc = Location::at(&a.display, a.photo_line, 0);
        let file = resolver.file(&a.dir, &p.src).ok_or_else(|| Error::Content {
            loc: loc.clone(),
            msg: format!("photo `{}` not found beside the article or in static/", p.src),
        })?;
        image(index, file, &loc)
    });
    match (body, photo.transpose()) {
        (Ok((entry, body)), Ok(photo)) => Ok(Done { entry, body, photo }),
        (Err(mut errs), photo) => {
            errs.extend(photo.err());
            Err(Error::Many(errs))
        }
        (Ok(_), Err(e)) => Err(e),
    }
}

/// The image's published sizes (measured by `output::photos`); a file
/// that is not an image a browser can show is an error.
pub fn image(index: &LinkIndex, file: FileRef, loc: &Location) -> Result<Image> {
    let picture = index.picture(&file.site_path).ok_or_else(|| Error::Content {
        loc: loc.clone(),
        msg: format!("`{}` is not an image a browser can show (JPEG, PNG, GIF, WebP or AVIF)", display(&file.source)),
    })?;
    let bytes = std::fs::metadata(&file.source).map(|m| m.len()).unwrap_or(0);
    let widest = picture.widest();
    Ok(Image {
        site_path: widest.site_path.clone(),
        width: widest.width as usize,
        height: widest.height as usize,
        bytes,
        sizes: if picture.has_choice() { picture.candidates().to_vec() } else { Vec::new() },
    })
}

fn site_image(site: &Site, index: &LinkIndex) -> Option<String> {
    site.config().image.as_ref().map(|i| index.published(i.clone()))
}

fn display(p: &Path) -> String {
    crate::urls::tidy(p).display().to_string()
}

fn render_authors(site: &Site, index: &LinkIndex) -> Result<BTreeMap<(String, String), AuthorPage>> {
    let mut jobs = Vec::new();
    for tree in site.langs() {
        for term in &tree.authors {
            let file = site
                .author_files()
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
                bio = crate::render::sanitize::fragment(&bio);
            }
            let photo = match &f.meta.photo {
                Some(p) => {
                    let loc = Location::file(&f.display);
                    let file = resolver.file("authors", p).ok_or_else(|| Error::Content {
                        loc: loc.clone(),
                        msg: format!("photo `{p}` not found in content/authors/ or static/"),
                    })?;
                    Some(image(index, file, &loc)?)
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

/// Renders each standalone page's body: few and small, so every build.
fn render_standalone(site: &Site, index: &LinkIndex) -> Result<Vec<String>> {
    let results = site.standalone().par_iter().map(|p| {
        let root = root_prefix(p.path().depth());
        let html = markdown::render(p.body_md(), &standalone_source(p, &root), &index.for_page(p.path(), None))
            .map_err(Error::Many)?
            .html;
        Ok(if index.sanitize() { crate::render::sanitize::fragment(&html) } else { html })
    });
    collect_all(results.collect::<Vec<_>>())
}

fn standalone_source<'a>(p: &'a crate::model::standalone::Standalone, root: &'a str) -> Source<'a> {
    Source {
        path: p.display(),
        first_line: p.body_line(),
        dir: crate::load::scan::STANDALONE_DIR,
        lang: p.lang(),
        root,
    }
}

fn slug_of(path: &PagePath) -> String {
    path.as_str().trim_end_matches('/').rsplit('/').next().unwrap_or("").to_string()
}
