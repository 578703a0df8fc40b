//! RSS 2.0 and Atom feeds (per language and per section), `sitemap.xml` and
//! `robots.txt`: the places where standards require absolute URLs, so the
//! only writers of the primary base URL besides `<link rel=canonical>`.

use crate::article::Article;
use crate::bodies::Bodies;
use crate::site::Site;
use crate::urls::{absolute, PagePath};
use std::fmt::Write;

/// Items per feed: enough for a reader who checks daily.
const FEED_ITEMS: usize = 30;
/// The sitemap protocol's limit per file.
const SITEMAP_URLS: usize = 50_000;

pub struct FeedFile {
    pub file: String,
    pub xml: String,
}

/// `size_of` gives the published size of a file (for enclosures).
pub fn all(site: &Site, bodies: &Bodies, size_of: &dyn Fn(&str) -> Option<u64>) -> Vec<FeedFile> {
    let mut out = Vec::new();
    for (l, tree) in site.langs.iter().enumerate() {
        let title = &site.config.languages[l].title;
        let desc = site.config.languages[l].description.as_deref().unwrap_or(title);
        let feeds = std::iter::once((&tree.home, title.clone(), &tree.articles))
            .chain(tree.sections.iter().map(|s| (&s.path, format!("{} — {title}", s.title), &s.articles)));
        for (base, feed_title, ids) in feeds {
            let items: Vec<&Article> = ids.iter().take(FEED_ITEMS).map(|&i| &site.articles[i]).collect();
            let photos: Vec<Option<&crate::bodies::Image>> =
                ids.iter().take(FEED_ITEMS).map(|&i| bodies.photos[i].as_ref()).collect();
            let f = Feed {
                site,
                base,
                title: &feed_title,
                description: desc,
                lang: &tree.code,
                items: &items,
                photos: &photos,
                size_of,
            };
            out.push(FeedFile { file: format!("{}rss.xml", base.as_str()), xml: f.rss() });
            out.push(FeedFile { file: format!("{}atom.xml", base.as_str()), xml: f.atom() });
        }
    }
    out
}

struct Feed<'a> {
    site: &'a Site,
    base: &'a PagePath,
    title: &'a str,
    description: &'a str,
    lang: &'a str,
    items: &'a [&'a Article],
    photos: &'a [Option<&'a crate::bodies::Image>],
    size_of: &'a dyn Fn(&str) -> Option<u64>,
}

impl Feed<'_> {
    fn url(&self, p: &str) -> String {
        absolute(&self.site.config.base_url, p)
    }

    fn rss(&self) -> String {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n");
        let _ = writeln!(x, "<title>{}</title>", esc(self.title));
        let _ = writeln!(x, "<link>{}</link>", esc(&self.url(self.base.as_str())));
        let _ = writeln!(x, "<description>{}</description>", esc(self.description));
        let _ = writeln!(x, "<language>{}</language>", esc(self.lang));
        let _ = writeln!(
            x,
            "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
            esc(&self.url(&format!("{}rss.xml", self.base.as_str())))
        );
        if let Some(a) = self.items.first() {
            let _ = writeln!(x, "<lastBuildDate>{}</lastBuildDate>", a.updated.unwrap_or(a.date).to_rfc2822());
        }
        for (a, photo) in self.items.iter().zip(self.photos) {
            let link = self.url(a.path.as_str());
            x.push_str("<item>\n");
            let _ = writeln!(x, "<title>{}</title>", esc(&a.title));
            let _ = writeln!(x, "<link>{}</link>", esc(&link));
            let _ = writeln!(x, "<guid isPermaLink=\"true\">{}</guid>", esc(&link));
            let _ = writeln!(x, "<pubDate>{}</pubDate>", a.date.to_rfc2822());
            for author in &a.authors {
                let _ = writeln!(x, "<dc:creator>{}</dc:creator>", esc(author));
            }
            for t in &a.tags {
                let _ = writeln!(x, "<category>{}</category>", esc(t));
            }
            if let Some(s) = &a.summary {
                let _ = writeln!(x, "<description>{}</description>", esc(s));
            }
            if let Some(p) = photo {
                let len = (self.size_of)(&p.site_path).unwrap_or(p.bytes);
                let _ = writeln!(
                    x,
                    "<enclosure url=\"{}\" length=\"{len}\" type=\"{}\"/>",
                    esc(&self.url(&p.site_path)),
                    mime(&p.site_path)
                );
            }
            x.push_str("</item>\n");
        }
        x.push_str("</channel>\n</rss>\n");
        x
    }

    fn atom(&self) -> String {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        let _ = writeln!(x, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">", esc(self.lang));
        let home = self.url(self.base.as_str());
        let _ = writeln!(x, "<title>{}</title>", esc(self.title));
        let _ = writeln!(x, "<subtitle>{}</subtitle>", esc(self.description));
        let _ = writeln!(x, "<id>{}</id>", esc(&home));
        let _ = writeln!(x, "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", esc(&home));
        let _ = writeln!(
            x,
            "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
            esc(&self.url(&format!("{}atom.xml", self.base.as_str())))
        );
        // The feed's time comes from its content, never from the clock, so
        // builds are reproducible.
        let updated = self.items.iter().map(|a| a.updated.unwrap_or(a.date)).max();
        let _ = writeln!(
            x,
            "<updated>{}</updated>",
            updated.map_or("1970-01-01T00:00:00+00:00".to_string(), |d| d.to_rfc3339())
        );
        for a in self.items {
            let link = self.url(a.path.as_str());
            x.push_str("<entry>\n");
            let _ = writeln!(x, "<title>{}</title>", esc(&a.title));
            let _ = writeln!(x, "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", esc(&link));
            let _ = writeln!(x, "<id>{}</id>", esc(&link));
            let _ = writeln!(x, "<published>{}</published>", a.date.to_rfc3339());
            let _ = writeln!(x, "<updated>{}</updated>", a.updated.unwrap_or(a.date).to_rfc3339());
            let authors: Vec<&str> =
                if a.authors.is_empty() { vec![self.title] } else { a.authors.iter().map(String::as_str).collect() };
            for author in authors {
                let _ = writeln!(x, "<author><name>{}</name></author>", esc(author));
            }
            for t in &a.tags {
                let _ = writeln!(x, "<category term=\"{}\"/>", esc(t));
            }
            if let Some(s) = &a.summary {
                let _ = writeln!(x, "<summary>{}</summary>", esc(s));
            }
            x.push_str("</entry>\n");
        }
        x.push_str("</feed>\n");
        x
    }
}

/// `sitemap.xml` over `pages` (site paths of every HTML page), with
/// translations as hreflang alternates; split into an index past 50,000.
pub fn sitemap(site: &Site, pages: &[PagePath]) -> Vec<FeedFile> {
    let mut alternates: std::collections::HashMap<&PagePath, Vec<(&str, &PagePath)>> = Default::default();
    let mut lastmod: std::collections::HashMap<&PagePath, String> = Default::default();
    for (i, a) in site.articles.iter().enumerate() {
        lastmod.insert(&a.path, a.updated.unwrap_or(a.date).to_rfc3339());
        if !site.translations[i].is_empty() {
            let mut alts = vec![(a.lang.as_str(), &a.path)];
            alts.extend(site.translations[i].iter().map(|&j| (site.articles[j].lang.as_str(), &site.articles[j].path)));
            alternates.insert(&a.path, alts);
        }
    }
    let base = &site.config.base_url;
    let chunks: Vec<&[PagePath]> = pages.chunks(SITEMAP_URLS).collect();
    let mut files = Vec::new();
    for (n, chunk) in chunks.iter().enumerate() {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
        for p in *chunk {
            let _ = write!(x, "<url><loc>{}</loc>", esc(&absolute(base, p.as_str())));
            if let Some(m) = lastmod.get(p) {
                let _ = write!(x, "<lastmod>{m}</lastmod>");
            }
            for (lang, alt) in alternates.get(p).into_iter().flatten() {
                let _ = write!(
                    x,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}\"/>",
                    esc(&absolute(base, alt.as_str()))
                );
            }
            x.push_str("</url>\n");
        }
        x.push_str("</urlset>\n");
        let name = if chunks.len() == 1 { "sitemap.xml".to_string() } else { format!("sitemap-{}.xml", n + 1) };
        files.push(FeedFile { file: name, xml: x });
    }
    if chunks.len() > 1 {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for f in &files {
            let _ = writeln!(x, "<sitemap><loc>{}</loc></sitemap>", esc(&absolute(base, &f.file)));
        }
        x.push_str("</sitemapindex>\n");
        files.push(FeedFile { file: "sitemap.xml".into(), xml: x });
    }
    files
}

pub fn robots(site: &Site) -> FeedFile {
    FeedFile {
        file: "robots.txt".into(),
        xml: format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", absolute(&site.config.base_url, "sitemap.xml")),
    }
}

fn mime(path: &str) -> &'static str {
    match path.rsplit('.').next().map(str::to_ascii_lowercase).as_deref() {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// XML text and attribute escaping.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_xml() {
        assert_eq!(esc("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&apos;");
    }
}
