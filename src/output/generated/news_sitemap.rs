//! `sitemap-news.xml`: the stories of the last two days before the build's
//! "now", with the publication's name and language, as news aggregators
//! read them (the Google News sitemap extension). Absolute URLs, as every
//! sitemap's.

use crate::escape::xml;
use crate::model::site::Site;
use crate::output::generated::GeneratedFile;
use crate::urls::absolute;
use chrono::{DateTime, Utc};
use std::fmt::Write;

pub const FILE: &str = "sitemap-news.xml";

/// How far back a news sitemap reaches, and the most stories it may list.
const DAYS: i64 = 2;
const MOST: usize = 1000;

/// The first moment after `now` at which the news sitemap lists other
/// stories with nothing else changed: a story reaches its window's end, or
/// a scheduled one (kept by a preview) its date.
pub fn changes_after(site: &Site, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let window = chrono::Duration::days(DAYS);
    let change = |a: &crate::load::article::Article| {
        let date = a.date.with_timezone(&Utc);
        if date > now {
            Some(date)
        } else {
            Some(date + window).filter(|end| *end > now)
        }
    };
    site.articles().iter().filter_map(change).min()
}

pub fn news_sitemap(site: &Site, now: DateTime<Utc>) -> GeneratedFile {
    let cfg = site.config();
    let since = now - chrono::Duration::days(DAYS);
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
    );
    // Newest first, as the site lists them; a scheduled story a preview
    // shows is not news yet.
    let recent = site.articles().iter().filter(|a| a.date > since && a.date <= now && a.held.is_none());
    for a in recent.take(MOST) {
        let name = &cfg.language(&a.lang).map_or(&cfg.title, |l| &l.title);
        let _ = writeln!(
            x,
            "<url><loc>{}</loc><news:news><news:publication><news:name>{}</news:name><news:language>{}</news:language></news:publication><news:publication_date>{}</news:publication_date><news:title>{}</news:title></news:news></url>",
            xml(&absolute(&cfg.base_url, a.path.as_str())),
            xml(name),
            xml(&a.lang),
            a.date.to_rfc3339(),
            xml(&a.title)
        );
    }
    x.push_str("</urlset>\n");
    GeneratedFile { path: FILE.into(), text: x }
}
