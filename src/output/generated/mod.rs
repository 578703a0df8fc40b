//! The files made from the site model rather than rendered through a
//! template: feeds, the sitemaps (`sitemap`, `news_sitemap`), `robots.txt`,
//! and the files for hosts and extensions (`mirrors.json`, `_headers`,
//! `_redirects`), the search script, and each language's search index
//! (`search_index`, written by a stage of its own). Adding a generated
//! file means adding it here; the build writes whatever `all` returns.

pub mod feeds;
pub mod host_files;
pub mod news_sitemap;
pub mod search_index;
pub mod sitemap;

use crate::error::Result;
use crate::load::mirrors::Kind;
use crate::model::site::Site;

use crate::render::bodies::Bodies;
use crate::urls::PagePath;
use std::collections::BTreeMap;

/// A file made in memory: where it goes in the output and its text.
pub struct GeneratedFile {
    pub path: String,
    pub text: String,
}

/// Every generated file but the search index (`search_index`, made per
/// language and kept while its key is unchanged). `pages` are the site
/// paths of the pages readers reach (for the sitemap), `renamed` the theme
/// files and their fingerprinted names (cached for ever by `_headers`), and
/// `size_of` gives the published size of a file (for feed enclosures);
/// `now` is the build's moment (the news sitemap lists the last two days
/// before it).
pub fn all(
    site: &Site,
    bodies: &Bodies,
    pages: &[PagePath],
    renamed: &BTreeMap<String, String>,
    size_of: &(dyn Fn(&str) -> Option<u64> + Sync),
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<GeneratedFile> {
    let mut out = feeds::all(site, bodies, size_of);
    out.extend(but_feeds(site, pages, renamed, now));
    out
}

/// Every file `all` makes, each handed to `write` as soon as it is made: a
/// build never holds all its feeds at once.
pub fn write_all(
    site: &Site,
    bodies: &Bodies,
    pages: &[PagePath],
    renamed: &BTreeMap<String, String>,
    size_of: &(dyn Fn(&str) -> Option<u64> + Sync),
    now: chrono::DateTime<chrono::Utc>,
    write: &(dyn Fn(&GeneratedFile) -> Result<()> + Sync),
) -> Result<()> {
    feeds::write_each(site, bodies, size_of, write)?;
    but_feeds(site, pages, renamed, now).iter().try_for_each(write)
}

/// The generated files other than feeds.
fn but_feeds(
    site: &Site,
    pages: &[PagePath],
    renamed: &BTreeMap<String, String>,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<GeneratedFile> {
    let cfg = site.config();
    let mut out = vec![news_sitemap::news_sitemap(site, now), search_index::script()];
    out.extend(sitemap::sitemap(site, pages));
    out.push(sitemap::robots(site));
    if !cfg.is_discreet() {
        out.push(GeneratedFile {
            path: host_files::MIRRORS_JSON.into(),
            text: host_files::bypass_json(&cfg.primary_url, &cfg.mirrors),
        });
    }
    if let Some(list) = &cfg.mirror_list {
        out.push(GeneratedFile { path: crate::publish::mirror_list::FILE.into(), text: list.text.clone() });
    }
    let onion = cfg.mirrors.iter().find(|m| m.kind == Kind::Onion);
    let fingerprinted: Vec<String> = renamed.values().cloned().collect();
    out.push(GeneratedFile { path: "_headers".into(), text: host_files::headers_file(onion, &fingerprinted) });
    if !site.aliases().is_empty() {
        out.push(GeneratedFile { path: "_redirects".into(), text: host_files::redirects_file(site) });
    }
    out
}

/// The files that show what an edit that moves nothing can change (titles,
/// summaries, photos, bodies): the feeds and the news sitemap (and the
/// search index of the edited story's language: `search_index::language`).
/// The sitemap and the rest show only what such an edit leaves alone.
pub fn changed_by_edits(
    site: &Site,
    bodies: &Bodies,
    size_of: &(dyn Fn(&str) -> Option<u64> + Sync),
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<GeneratedFile> {
    let mut out = feeds::all(site, bodies, size_of);
    out.push(news_sitemap::news_sitemap(site, now));
    out
}
