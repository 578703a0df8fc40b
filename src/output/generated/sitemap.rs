//! `sitemap.xml` (an index of several past 50,000 pages, with each
//! article's editions as hreflang alternates) and `robots.txt`, which
//! points to it: absolute URLs, as the protocol requires.

use crate::escape::xml;
use crate::model::site::Site;
use crate::output::generated::GeneratedFile;
use crate::urls::{absolute, PagePath};
use std::fmt::Write;

/// The sitemap protocol's limit per file.
const SITEMAP_URLS: usize = 50_000;

/// `sitemap.xml` over `pages` (site paths of every HTML page), with
/// translations as hreflang alternates; split into an index past 50,000.
pub fn sitemap(site: &Site, pages: &[PagePath]) -> Vec<GeneratedFile> {
    let mut alternates: std::collections::HashMap<&PagePath, Vec<(&str, &PagePath)>> = Default::default();
    let mut lastmod: std::collections::HashMap<&PagePath, String> = Default::default();
    for a in site.articles() {
        lastmod.insert(&a.path, a.updated.unwrap_or(a.date).to_rfc3339());
    }
    let editions = (0..site.articles().len())
        .filter(|&i| !site.translations(i).is_empty())
        .map(|i| site.article_editions(i))
        .chain((0..site.standalone().len()).map(|i| site.standalone_editions(i)));
    for e in editions.filter(|e| e.len() > 1) {
        alternates.insert(e[0].1, e);
    }
    let base = &site.config().base_url;
    let chunks: Vec<&[PagePath]> = pages.chunks(SITEMAP_URLS).collect();
    let mut files = Vec::new();
    for (n, chunk) in chunks.iter().enumerate() {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
        for p in *chunk {
            let _ = write!(x, "<url><loc>{}</loc>", xml(&absolute(base, p.as_str())));
            if let Some(m) = lastmod.get(p) {
                let _ = write!(x, "<lastmod>{m}</lastmod>");
            }
            for (lang, alt) in alternates.get(p).into_iter().flatten() {
                let _ = write!(
                    x,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}\"/>",
                    xml(&absolute(base, alt.as_str()))
                );
            }
            x.push_str("</url>\n");
        }
        x.push_str("</urlset>\n");
        let name = if chunks.len() == 1 { "sitemap.xml".to_string() } else { format!("sitemap-{}.xml", n + 1) };
        files.push(GeneratedFile { path: name, text: x });
    }
    if chunks.len() > 1 {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for f in &files {
            let _ = writeln!(x, "<sitemap><loc>{}</loc></sitemap>", xml(&absolute(base, &f.path)));
        }
        x.push_str("</sitemapindex>\n");
        files.push(GeneratedFile { path: "sitemap.xml".into(), text: x });
    }
    files
}

pub fn robots(site: &Site) -> GeneratedFile {
    GeneratedFile {
        path: "robots.txt".into(),
        text: format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\nSitemap: {}\n",
            absolute(&site.config().base_url, "sitemap.xml"),
            absolute(&site.config().base_url, crate::output::generated::news_sitemap::FILE)
        ),
    }
}
