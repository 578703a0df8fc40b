//! Answers "where does this link or image go?" for the Markdown renderer:
//! pages by site path or source file, files beside an article or in
//! `static/`.

use crate::load::scan::{SourceFile, SourceKind};
use crate::markdown::Resolver;
use crate::model::site::Site;
use crate::urls::{self, PagePath};
use std::collections::HashSet;
use std::path::PathBuf;

/// A file the site publishes: where it is now and where it will be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRef {
    pub source: PathBuf,
    /// Site-relative, no leading slash: `news/envoy/photo.jpg`.
    pub site_path: String,
}

pub struct LinkIndex<'a> {
    site: &'a Site,
    photos: &'a crate::image_sizes::Measured,
    content_assets: HashSet<&'a str>,
    static_dir: PathBuf,
    content_dir: PathBuf,
}

impl<'a> LinkIndex<'a> {
    /// `photos`: the size of each published image (`output::photos`).
    pub fn new(site: &'a Site, files: &'a [SourceFile], photos: &'a crate::image_sizes::Measured) -> Self {
        LinkIndex {
            site,
            photos,
            content_assets: files.iter().filter(|f| f.kind == SourceKind::Asset).map(|f| f.rel.as_str()).collect(),
            static_dir: site.config().static_dir(),
            content_dir: site.config().content_dir(),
        }
    }

    pub fn content_dir(&self) -> &std::path::Path {
        &self.content_dir
    }

    pub fn sanitize(&self) -> bool {
        self.site.config().sanitize
    }

    /// The same index seen from one page: bundle files resolve into that
    /// page's own folder.
    pub fn for_page(&'a self, page: &'a PagePath, bundle_dir: Option<&'a str>) -> PageResolver<'a> {
        PageResolver { index: self, page, bundle_dir }
    }

    /// The sizes the image at `site_path` is published in.
    pub fn picture(&self, site_path: &str) -> Option<crate::image_sizes::Picture> {
        let (w, h) = self.photos.get(site_path)?;
        Some(self.site.config().images.picture(site_path, w, h))
    }

    /// Where the file at `site_path` is found on the site: a photo whose
    /// original is not published, at its widest copy.
    pub fn published(&self, site_path: String) -> String {
        match self.picture(&site_path) {
            Some(p) => p.widest().site_path.clone(),
            None => site_path,
        }
    }

    /// Finds `src` relative to content folder `dir`, then in `static/`.
    pub fn file(&self, dir: &str, src: &str, own: Option<(&str, &PagePath)>) -> Option<FileRef> {
        let (path, _) = urls::split_fragment(src);
        // `%20` in a Markdown link names a file with a space.
        let path = urls::percent_decode(path).unwrap_or_else(|| path.to_string());
        if let Some(abs) = path.strip_prefix('/') {
            return self.static_file(abs);
        }
        if let Some(rel) = urls::resolve_relative(dir, &path) {
            if self.content_assets.contains(rel.as_str()) {
                return Some(FileRef {
                    source: self.content_dir.join(&rel),
                    site_path: self.content_site_path(&rel, own),
                });
            }
        }
        self.static_file(&path)
    }

    fn static_file(&self, rel: &str) -> Option<FileRef> {
        let clean = urls::resolve_relative("", rel)?;
        let source = self.static_dir.join(&clean);
        source.is_file().then_some(FileRef { source, site_path: clean })
    }

    /// Where a content file is published: inside its bundle's page folder,
    /// else at the same path.
    fn content_site_path(&self, rel: &str, own: Option<(&str, &PagePath)>) -> String {
        if let Some((dir, page)) = own {
            if let Some(rest) = rel.strip_prefix(dir).and_then(|r| r.strip_prefix('/')) {
                return format!("{}{rest}", page.as_str());
            }
        }
        // Another article's bundle: published in that article's folder.
        let mut dir = rel;
        while let Some((parent, _)) = dir.rsplit_once('/') {
            if let Some(ids) = self.site.bundle(parent) {
                let rest = &rel[parent.len() + 1..];
                return format!("{}{rest}", self.site.articles()[ids[0]].path.as_str());
            }
            dir = parent;
        }
        rel.to_string()
    }
}

pub struct PageResolver<'a> {
    index: &'a LinkIndex<'a>,
    page: &'a PagePath,
    bundle_dir: Option<&'a str>,
}

impl PageResolver<'_> {
    pub fn file(&self, dir: &str, src: &str) -> Option<FileRef> {
        self.index.file(dir, src, self.bundle_dir.map(|d| (d, self.page)))
    }
}

impl Resolver for PageResolver<'_> {
    fn article(&self, content_rel: &str) -> Option<&PagePath> {
        let site = self.index.site;
        match site.article_at(content_rel) {
            Some(i) => Some(&site.articles()[i].path),
            None => site.standalone_at(content_rel).map(|p| p.path()),
        }
    }
    fn page_exists(&self, page: &PagePath) -> bool {
        self.index.site.has_page(page)
    }
    fn asset(&self, dir: &str, src: &str) -> Option<String> {
        self.file(dir, src).map(|f| self.index.published(f.site_path))
    }
    fn pretty_urls(&self) -> bool {
        self.index.site.config().pretty_urls
    }
    fn base_url(&self) -> &str {
        &self.index.site.config().base_url
    }
    fn remote_media_fails(&self) -> bool {
        self.index.site.config().remote_media_fails
    }
    fn image(&self, dir: &str, src: &str) -> Option<crate::image_sizes::Picture> {
        self.index.picture(&self.file(dir, src)?.site_path)
    }
    fn body_image_sizes(&self) -> &str {
        self.index.site.config().images.body_sizes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(urls::percent_decode("a%20b.jpg").as_deref(), Some("a b.jpg"));
        assert_eq!(urls::percent_decode("%D1%84.jpg").as_deref(), Some("ф.jpg"));
        assert_eq!(urls::percent_decode("100%"), None);
        assert_eq!(urls::percent_decode("%фф"), None);
    }
}
