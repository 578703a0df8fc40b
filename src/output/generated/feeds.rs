//! RSS 2.0 and Atom feeds, per language and per section: with the sitemap,
//! the places where standards require absolute URLs.

use crate::escape::xml;
use crate::load::article::Article;
use crate::model::site::Site;
use crate::output::generated::GeneratedFile;
use crate::render::bodies::Bodies;
use crate::urls::{absolute, PagePath};
use std::fmt::Write;

/// Items per feed: enough for a reader who checks daily.
const FEED_ITEMS: usize = 30;

/// `size_of` gives the published size of a file (for enclosures).
pub fn all(site: &Site, bodies: &Bodies, size_of: &dyn Fn(&str) -> Option<u64>) -> Vec<GeneratedFile> {
    let mut out = Vec::new();
    for (l, tree) in site.langs().iter().enumerate() {
        let title = &site.config().languages[l].title;
        let desc = site.config().languages[l].description.as_deref().unwrap_or(title);
        let feeds = std::iter::once((&tree.home, title.clone(), &tree.articles))
            .chain(tree.sections.iter().map(|s| (&s.path, format!("{} — {title}", s.title), &s.articles)));
        for (base, feed_title, ids) in feeds {
            let items: Vec<&Article> = ids.iter().take(FEED_ITEMS).map(|&i| &site.articles()[i]).collect();
            let photos: Vec<Option<&crate::render::bodies::Image>> =
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
            out.push(GeneratedFile { path: format!("{}rss.xml", base.as_str()), text: f.rss() });
            out.push(GeneratedFile { path: format!("{}atom.xml", base.as_str()), text: f.atom() });
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
    photos: &'a [Option<&'a crate::render::bodies::Image>],
    size_of: &'a dyn Fn(&str) -> Option<u64>,
}

impl Feed<'_> {
    fn url(&self, p: &str) -> String {
        absolute(&self.site.config().base_url, p)
    }

    fn rss(&self) -> String {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n");
        let _ = writeln!(x, "<title>{}</title>", xml(self.title));
        let _ = writeln!(x, "<link>{}</link>", xml(&self.url(self.base.as_str())));
        let _ = writeln!(x, "<description>{}</description>", xml(self.description));
        let _ = writeln!(x, "<language>{}</language>", xml(self.lang));
        let _ = writeln!(
            x,
            "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
            xml(&self.url(&format!("{}rss.xml", self.base.as_str())))
        );
        if let Some(a) = self.items.first() {
            let _ = writeln!(x, "<lastBuildDate>{}</lastBuildDate>", a.updated.unwrap_or(a.date).to_rfc2822());
        }
        for (a, photo) in self.items.iter().zip(self.photos) {
            let link = self.url(a.path.as_str());
            x.push_str("<item>\n");
            let _ = writeln!(x, "<title>{}</title>", xml(&a.title));
            let _ = writeln!(x, "<link>{}</link>", xml(&link));
            let _ = writeln!(x, "<guid isPermaLink=\"true\">{}</guid>", xml(&link));
            let _ = writeln!(x, "<pubDate>{}</pubDate>", a.date.to_rfc2822());
            for author in &a.authors {
                let _ = writeln!(x, "<dc:creator>{}</dc:creator>", xml(author));
            }
            for t in &a.tags {
                let _ = writeln!(x, "<category>{}</category>", xml(t));
            }
            if let Some(s) = &a.summary {
                let _ = writeln!(x, "<description>{}</description>", xml(s));
            }
            if let Some(p) = photo {
                let len = (self.size_of)(&p.site_path).unwrap_or(p.bytes);
                let _ = writeln!(
                    x,
                    "<enclosure url=\"{}\" length=\"{len}\" type=\"{}\"/>",
                    xml(&self.url(&p.site_path)),
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
        let _ = writeln!(x, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">", xml(self.lang));
        let home = self.url(self.base.as_str());
        let _ = writeln!(x, "<title>{}</title>", xml(self.title));
        let _ = writeln!(x, "<subtitle>{}</subtitle>", xml(self.description));
        let _ = writeln!(x, "<id>{}</id>", xml(&home));
        let _ = writeln!(x, "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", xml(&home));
        let _ = writeln!(
            x,
            "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
            xml(&self.url(&format!("{}atom.xml", self.base.as_str())))
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
            let _ = writeln!(x, "<title>{}</title>", xml(&a.title));
            let _ = writeln!(x, "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", xml(&link));
            let _ = writeln!(x, "<id>{}</id>", xml(&link));
            let _ = writeln!(x, "<published>{}</published>", a.date.to_rfc3339());
            let _ = writeln!(x, "<updated>{}</updated>", a.updated.unwrap_or(a.date).to_rfc3339());
            let authors: Vec<&str> =
                if a.authors.is_empty() { vec![self.title] } else { a.authors.iter().map(String::as_str).collect() };
            for author in authors {
                let _ = writeln!(x, "<author><name>{}</name></author>", xml(author));
            }
            for t in &a.tags {
                let _ = writeln!(x, "<category term=\"{}\"/>", xml(t));
            }
            if let Some(s) = &a.summary {
                let _ = writeln!(x, "<summary>{}</summary>", xml(s));
            }
            x.push_str("</entry>\n");
        }
        x.push_str("</feed>\n");
        x
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
