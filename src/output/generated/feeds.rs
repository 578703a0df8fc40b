//! The feeds of every list: RSS 2.0, Atom and JSON Feed 1.1 beside each
//! other (`rss.xml`, `atom.xml`, `feed.json`) for each language, section,
//! tag and author. With the sitemap, the places where standards require
//! absolute URLs. The language and section feeds carry whole stories
//! (`feeds.full_text`), their links and images made absolute: for a reader
//! whose only way in is a feed app, the feed is the site. Tag and author
//! feeds carry summaries of their newest stories: thousands of lists with
//! whole stories would outweigh the site.

use crate::error::{collect_all, Result};
use crate::escape::xml;
use crate::load::article::Article;
use crate::model::site::Site;
use crate::output::generated::GeneratedFile;
use crate::render::bodies::Bodies;
use crate::urls::{absolute, PagePath};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fmt::Write;

/// Items per language or section feed: enough for a reader who checks daily.
const FEED_ITEMS: usize = 30;
/// Items per tag or author feed.
const LIST_FEED_ITEMS: usize = 10;

/// One list's feed: its address, title and newest stories.
struct Spec<'a> {
    lang: usize,
    base: &'a PagePath,
    title: String,
    ids: &'a [usize],
    full_text: bool,
}

/// The feed of every list of the site.
fn specs(site: &Site) -> Vec<Spec<'_>> {
    let full = site.config().full_text_feeds;
    let mut out = Vec::new();
    for (lang, tree) in site.langs().iter().enumerate() {
        let site_title = &site.config().languages[lang].title;
        let take = |ids: &[usize], n: usize| ids.len().min(n);
        out.push(Spec {
            lang,
            base: &tree.home,
            title: site_title.clone(),
            ids: &tree.articles[..take(&tree.articles, FEED_ITEMS)],
            full_text: full,
        });
        for s in &tree.sections {
            let ids = &s.articles[..take(&s.articles, FEED_ITEMS)];
            out.push(Spec {
                lang, base: &s.path, title: format!("{} — {site_title}", s.title), ids, full_text: full
            });
        }
        for t in tree.tags.iter().chain(&tree.authors) {
            let ids = &t.articles[..take(&t.articles, LIST_FEED_ITEMS)];
            out.push(Spec {
                lang, base: &t.path, title: format!("{} — {site_title}", t.name), ids, full_text: false
            });
        }
    }
    out
}

/// The articles whose whole text a feed carries: their bodies must be
/// rendered before the feeds are written.
pub fn full_text_articles(site: &Site) -> Vec<usize> {
    let mut ids: Vec<usize> = specs(site).iter().filter(|s| s.full_text).flat_map(|s| s.ids.iter().copied()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// `size_of` gives the published size of a file (for enclosures).
pub fn all(site: &Site, bodies: &Bodies, size_of: &(dyn Fn(&str) -> Option<u64> + Sync)) -> Vec<GeneratedFile> {
    let whole = whole_texts(site, bodies);
    // Thousands of lists, each with three feeds: in parallel, in order.
    specs(site).par_iter().flat_map_iter(|spec| list_feeds(site, bodies, &whole, spec, size_of)).collect()
}

/// Every feed, handed to `write` as soon as it is made (in parallel): the
/// feeds of a site of 10,000 stories are 90 MB, and are never all in
/// memory at once.
pub fn write_each(
    site: &Site,
    bodies: &Bodies,
    size_of: &(dyn Fn(&str) -> Option<u64> + Sync),
    write: &(dyn Fn(&GeneratedFile) -> Result<()> + Sync),
) -> Result<()> {
    let whole = whole_texts(site, bodies);
    let written: Vec<Result<()>> = specs(site)
        .par_iter()
        .map(|spec| list_feeds(site, bodies, &whole, spec, size_of).iter().try_for_each(write))
        .collect();
    collect_all(written).map(|_| ())
}

/// The full-text stories' bodies with absolute links: a story in the
/// language's feed and its section's is made absolute once.
fn whole_texts(site: &Site, bodies: &Bodies) -> HashMap<usize, String> {
    full_text_articles(site)
        .par_iter()
        .filter_map(|&i| {
            let body = bodies.html[i].as_deref()?;
            Some((i, absolute_html(body, &site.articles()[i].path, &site.config().base_url)))
        })
        .collect()
}

/// The three feeds of one list; `whole` holds the full-text stories.
fn list_feeds(
    site: &Site,
    bodies: &Bodies,
    whole: &HashMap<usize, String>,
    spec: &Spec,
    size_of: &(dyn Fn(&str) -> Option<u64> + Sync),
) -> [GeneratedFile; 3] {
    let lang = &site.config().languages[spec.lang];
    let items: Vec<&Article> = spec.ids.iter().map(|&i| &site.articles()[i]).collect();
    let photos = spec.ids.iter().map(|&i| bodies.photos[i].as_ref()).collect::<Vec<_>>();
    let html: Vec<Option<&str>> =
        spec.ids.iter().map(|i| whole.get(i).map(String::as_str).filter(|_| spec.full_text)).collect();
    let f = Feed {
        site,
        base: spec.base,
        title: &spec.title,
        description: lang.description.as_deref().unwrap_or(&lang.title),
        lang: &site.langs()[spec.lang].code,
        items: &items,
        photos: &photos,
        html: &html,
        size_of,
    };
    [
        GeneratedFile { path: format!("{}rss.xml", spec.base.as_str()), text: f.rss() },
        GeneratedFile { path: format!("{}atom.xml", spec.base.as_str()), text: f.atom() },
        GeneratedFile { path: format!("{}feed.json", spec.base.as_str()), text: f.json() },
    ]
}

/// A body's HTML with every relative `href` and `src` made absolute to
/// the primary address (seen from the article's page `page`): a feed app
/// shows it away from the site. The attributes are found by the page
/// check's tokenizer, so text that only looks like one stays text.
pub fn absolute_html(html: &str, page: &PagePath, base_url: &str) -> String {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    crate::html_tags::for_each_start_tag(html, |tag| {
        for &(name, value) in &tag.attrs {
            if value.is_empty() || !(name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src")) {
                continue;
            }
            let absolute = absolute_ref(value, page, base_url);
            if absolute != value {
                edits.push((crate::html_tags::range_in(html, value, 0), absolute));
            }
        }
    });
    crate::html_tags::replace_ranges(html, edits)
}

/// `value`, a reference on page `page`, as an absolute URL; external ones
/// and other schemes as they are.
fn absolute_ref(value: &str, page: &PagePath, base_url: &str) -> String {
    if value.is_empty() || crate::urls::is_external(value) {
        return value.to_string();
    }
    let (path, fragment) = crate::urls::split_fragment(value);
    let site_path = match path {
        "" => page.as_str().to_string(),
        p => {
            let mut resolved = crate::urls::resolve_relative(page.as_str(), p).unwrap_or_default();
            if p.ends_with('/') && !resolved.is_empty() {
                resolved.push('/');
            }
            resolved
        }
    };
    // `fragment` keeps its `#` or `?`.
    format!("{}{fragment}", absolute(base_url, &site_path))
}

struct Feed<'a> {
    site: &'a Site,
    base: &'a PagePath,
    title: &'a str,
    description: &'a str,
    lang: &'a str,
    items: &'a [&'a Article],
    photos: &'a [Option<&'a crate::render::bodies::Image>],
    /// Per item: the whole story, absolute, when the feed carries it.
    html: &'a [Option<&'a str>],
    size_of: &'a dyn Fn(&str) -> Option<u64>,
}

impl Feed<'_> {
    fn url(&self, p: &str) -> String {
        absolute(&self.site.config().base_url, p)
    }

    fn rss(&self) -> String {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n");
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
        for ((a, photo), html) in self.items.iter().zip(self.photos).zip(self.html) {
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
            if let Some(h) = html {
                let _ = writeln!(x, "<content:encoded>{}</content:encoded>", xml(h));
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
        for (a, html) in self.items.iter().zip(self.html) {
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
            if let Some(h) = html {
                let _ = writeln!(x, "<content type=\"html\">{}</content>", xml(h));
            }
            x.push_str("</entry>\n");
        }
        x.push_str("</feed>\n");
        x
    }
}

impl Feed<'_> {
    /// JSON Feed 1.1 (jsonfeed.org/version/1.1).
    fn json(&self) -> String {
        let items: Vec<serde_json::Value> = self
            .items
            .iter()
            .zip(self.photos)
            .zip(self.html)
            .map(|((a, photo), html)| {
                let link = self.url(a.path.as_str());
                let mut item = serde_json::json!({
                    "id": link,
                    "url": link,
                    "title": a.title,
                    "date_published": a.date.to_rfc3339(),
                    "date_modified": a.updated.unwrap_or(a.date).to_rfc3339(),
                    "language": a.lang,
                });
                if !a.authors.is_empty() {
                    item["authors"] = a.authors.iter().map(|n| serde_json::json!({"name": n})).collect();
                }
                if !a.tags.is_empty() {
                    item["tags"] = a.tags.clone().into();
                }
                if let Some(s) = &a.summary {
                    item["summary"] = s.clone().into();
                }
                if let Some(p) = photo {
                    item["image"] = self.url(&p.site_path).into();
                }
                // Every item needs content: the story, else its summary or
                // title as text.
                match html {
                    Some(h) => item["content_html"] = (*h).into(),
                    None => item["content_text"] = a.summary.clone().unwrap_or_else(|| a.title.clone()).into(),
                }
                item
            })
            .collect();
        let feed = serde_json::json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": self.title,
            "description": self.description,
            "home_page_url": self.url(self.base.as_str()),
            "feed_url": self.url(&format!("{}feed.json", self.base.as_str())),
            "language": self.lang,
            "items": items,
        });
        let mut text = serde_json::to_string_pretty(&feed).expect("a JSON value serializes");
        text.push('\n');
        text
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_references_become_absolute_to_the_primary_address() {
        let page = PagePath::from_segments(["news", "envoy"]);
        let html = "<p><a href=\"../../tags/x/index.html\">t</a> <img src='photo.jpg' alt=''> <a href=\"#n\">n</a> <a href=\"https://e.org/\">e</a> <a href=\"mailto:a@b\">m</a> <a href=\"../other/\">o</a></p>";
        assert_eq!(
            absolute_html(html, &page, "https://x.org"),
            "<p><a href=\"https://x.org/tags/x/index.html\">t</a> <img src='https://x.org/news/envoy/photo.jpg' alt=''> <a href=\"https://x.org/news/envoy/#n\">n</a> <a href=\"https://e.org/\">e</a> <a href=\"mailto:a@b\">m</a> <a href=\"https://x.org/news/other/\">o</a></p>"
        );
        // Text that only looks like an attribute is left alone.
        assert_eq!(absolute_html("<p>href=x src=\"y\"</p>", &page, "https://x.org"), "<p>href=x src=\"y\"</p>");
    }
}
