//! HTML and SVG files published as they are (from `static/`, beside an
//! article, or from the theme): a reader opens them as pages, so they are
//! held to what pages are. The mirror check runs on each; with
//! `markdown.sanitize` the site's own files are cleaned first, as raw HTML
//! in an article is (the theme's are the operator's, like its templates).

use crate::error::{Error, Location};
use crate::model::site::Site;
use crate::render::{page_check, sanitize, templates};
use crate::urls::{self, PagePath};
use std::path::Path;

/// What a published file is to a browser, by its name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Html,
    Svg,
}

fn kind(path: &str) -> Option<Kind> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "xhtml" | "shtml" => Some(Kind::Html),
        "svg" => Some(Kind::Svg),
        _ => None,
    }
}

/// Whether a browser opens the published file `path` as a page.
pub fn is_document(path: &str) -> bool {
    kind(path).is_some()
}

/// Checks the published file `path` (its `bytes`, read from `source` in
/// the site or else the theme's) as pages are checked; with `sanitize` a
/// file of the site is cleaned first, and its clean bytes are given back.
/// Every problem in the file is an error.
pub fn check(path: &str, bytes: &[u8], source: Option<&Path>, site: &Site) -> Result<Option<Vec<u8>>, Vec<Error>> {
    let Some(kind) = kind(path) else { return Ok(None) };
    let cfg = site.config();
    let mut clean = None;
    if let (true, Some(src)) = (cfg.sanitize, source) {
        let refuse = |msg: String| vec![Error::Content { loc: Location::file(src.to_path_buf()), msg }];
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Err(refuse(
                "is not UTF-8 text, so markdown.sanitize cannot clean it; convert it (e.g. iconv -f cp1251 -t utf-8)"
                    .into(),
            ));
        };
        clean = Some(match kind {
            Kind::Html => sanitize::document(text),
            Kind::Svg => sanitize::svg(text).map_err(|e| refuse(format!("{e}; markdown.sanitize cannot clean it")))?,
        });
    }
    let text = clean.clone().unwrap_or_else(|| String::from_utf8_lossy(bytes).into_owned());
    let is_page = |p: &str| site.has_page(&PagePath::parse_site_path(urls::split_fragment(p).0));
    let shown = source.map_or_else(|| format!("theme file {path}"), |s| urls::tidy(s).display().to_string());
    let problems: Vec<Error> = page_check::check(&text, &cfg.base_url, &is_page)
        .into_iter()
        .map(|p| templates::reference_error(&shown, p))
        .collect();
    match problems.is_empty() {
        true => Ok(clean.map(String::into_bytes)),
        false => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_extension_in_any_case() {
        assert!(kind("a/b.HTML") == Some(Kind::Html) && kind("x.htm") == Some(Kind::Html));
        assert!(kind("logo.Svg") == Some(Kind::Svg));
        assert!(kind("photo.jpg").is_none() && kind("README").is_none() && kind("html").is_none());
    }
}
