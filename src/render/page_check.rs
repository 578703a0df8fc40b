//! Checks every page as written: the guarantees that make a copy work on
//! any mirror are enforced on the output itself, whatever a theme or an
//! article's raw HTML contains. A page fails the build if it
//! - refers to a site path from the root (`/css/x.css`): breaks under a
//!   prefix such as `/ipfs/<CID>/` and from `file://`;
//! - refers to the primary host by absolute URL, except in
//!   `<link rel=canonical>` and `<link rel=alternate hreflang>` (search
//!   engines read only absolute ones; no reader follows them): sends
//!   mirror readers to the blocked origin
//!   (a plain link to a path the site does not build is let through: there
//!   is nothing relative to point it at; Markdown warns about it);
//! - loads a resource (script, style, image, font, frame, media) from
//!   another host: tracks readers and breaks offline. Links are fine.

use crate::html_tags::{self, Tag};

/// Attributes that hold URLs (`ping` a list of them, sent on a click).
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "srcset",
    "imagesrcset",
    "poster",
    "data",
    "action",
    "formaction",
    "background",
    "xlink:href",
    "ping",
    "manifest",
];

/// One bad reference in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The reference as written: `<img src="/a.jpg">`, `url(/a.png)`.
    pub what: String,
    pub url: String,
    pub why: &'static str,
}

/// All problems in `html`. `base_url` is the primary host, without a
/// trailing slash; `is_page` tells whether a site path (`/news/`) is a page
/// of this site.
pub fn check(html: &str, base_url: &str, is_page: &dyn Fn(&str) -> bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    html_tags::for_each_start_tag(html, |tag| {
        // What inline styles and <style> elements load is checked as a
        // stylesheet is.
        let styles = tag.attrs.iter().filter(|(n, _)| n.eq_ignore_ascii_case("style")).map(|&(_, v)| v);
        for css in styles.map(html_tags::url_value).chain(tag.text.map(Into::into)) {
            problems.extend(check_css(&css, base_url));
        }
        for &(attr, raw) in &tag.attrs {
            // Most values are plain relative URLs and are passed over
            // without further work.
            let Some(attr) = URL_ATTRS.iter().find(|a| a.eq_ignore_ascii_case(attr)) else { continue };
            let value = html_tags::url_value(raw);
            if !suspicious(&value) {
                continue;
            }
            let urls: Vec<&str> = match *attr {
                "srcset" | "imagesrcset" => value.split(',').filter_map(|c| c.split_whitespace().next()).collect(),
                "ping" => value.split_whitespace().collect(),
                _ => vec![value.trim()],
            };
            for url in urls {
                if let Some(why) = judge(tag, attr, url, base_url, is_page) {
                    problems.push(Problem {
                        what: format!("<{} {attr}=\"{url}\">", tag.name.to_ascii_lowercase()),
                        url: url.to_string(),
                        why,
                    });
                }
            }
        }
    });
    problems
}

/// Whether a value could hold a root-relative or absolute reference (the
/// only kinds the check is about).
fn suspicious(value: &str) -> bool {
    value.contains("//") || value.split([',', ' ']).any(|part| part.trim_start().starts_with('/'))
}

fn judge(el: &Tag, attr: &str, url: &str, base_url: &str, is_page: &dyn Fn(&str) -> bool) -> Option<&'static str> {
    let lower = url.to_ascii_lowercase();
    if url.starts_with('/') && !url.starts_with("//") {
        return Some("root-relative reference: breaks under a path prefix and from file://; use a relative URL");
    }
    let rel = el.get("rel").unwrap_or_default().to_ascii_lowercase();
    if !base_url.is_empty()
        && (lower == base_url.to_ascii_lowercase() || lower.starts_with(&format!("{}/", base_url.to_ascii_lowercase())))
    {
        let for_crawlers = rel.split_whitespace().any(|r| r == "canonical")
            || (rel.split_whitespace().any(|r| r == "alternate") && el.get("hreflang").is_some());
        if el.is("link") && for_crawlers {
            return None;
        }
        let path = &url[base_url.len()..];
        if !loads(el, attr, &rel) && !is_page(if path.is_empty() { "/" } else { path }) {
            return None;
        }
        return Some(
            "absolute URL of the primary host: sends mirror readers to the blocked address; use a relative URL",
        );
    }
    if crate::urls::is_remote(url) && loads(el, attr, &rel) {
        return Some("loads a resource from another host: nothing may load from a third party");
    }
    None
}

/// Whether the browser fetches this attribute's URL on its own (as opposed
/// to following a link the reader clicks).
fn loads(el: &Tag, attr: &str, rel: &str) -> bool {
    match (el.name.to_ascii_lowercase().as_str(), attr) {
        // A ping is sent when the link is followed: a request to a tracker.
        (_, "ping") => true,
        ("a" | "area", _) | ("form", _) | (_, "action") => false,
        ("link", "href") => {
            // Alternates, canonical and the like are links, not loads.
            !rel.split_whitespace().all(|r| {
                matches!(
                    r,
                    "alternate"
                        | "canonical"
                        | "author"
                        | "license"
                        | "me"
                        | "help"
                        | "search"
                        | "next"
                        | "prev"
                        | "bookmark"
                )
            })
        }
        ("button" | "input", "formaction") => false,
        _ => true,
    }
}

/// The same check for a stylesheet: `url(...)` and `@import`.
pub fn check_css(css: &str, base_url: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    let lower = css.to_ascii_lowercase();
    for (marker, skip) in [("url(", 4), ("@import", 7)] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(marker) {
            let start = from + i + skip;
            let rest = css[start..].trim_start().trim_start_matches(['"', '\'', '(']);
            let end = rest.find(['"', '\'', ')', ';', ' ']).unwrap_or(rest.len());
            let url = &rest[..end];
            let bad = if url.starts_with('/') && !url.starts_with("//") {
                Some("root-relative reference in CSS; use a path relative to the stylesheet")
            } else if crate::urls::is_remote(url) {
                if !base_url.is_empty() && url.starts_with(base_url) {
                    Some("absolute URL of the primary host in CSS; use a relative path")
                } else {
                    Some("CSS loads a resource from another host: nothing may load from a third party")
                }
            } else {
                None
            };
            if let Some(why) = bad {
                let what = if marker == "url(" { format!("url({url})") } else { format!("@import {url}") };
                out.push(Problem { what, url: url.into(), why });
            }
            from = start;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://example.org";

    fn urls(html: &str) -> Vec<String> {
        check(html, BASE, &|p| p.starts_with("/a/")).into_iter().map(|p| p.what).collect()
    }

    #[test]
    fn a_scheme_in_capitals_still_loads_from_another_host() {
        // Browsers read schemes case-insensitively: `HTTPS://` loads too.
        let css = check_css("a { background: url(HTTPS://t.example/x.png) }", "https://example.org");
        assert_eq!(css.len(), 1);
        assert!(css[0].why.starts_with("CSS loads a resource from another host"));
        let html = check(r#"<img src="HTTPS://t.example/x.png">"#, "https://example.org", &|_| true);
        assert_eq!(html.len(), 1);
    }

    #[test]
    fn relative_references_pass() {
        assert!(urls(r#"<a href="../x/index.html">x</a><img src="a.jpg" srcset="a.jpg 1x, b.jpg 2x">"#).is_empty());
    }

    #[test]
    fn root_relative_fails_in_any_quoting() {
        assert_eq!(
            urls(r#"<link rel=stylesheet href=/css/x.css><img src='/a.jpg'><a href="/news/">n</a>"#),
            ["<link href=\"/css/x.css\">", "<img src=\"/a.jpg\">", "<a href=\"/news/\">"]
        );
        assert_eq!(urls(r#"<img srcset="ok.jpg 1x, /bad.jpg 2x">"#), ["<img srcset=\"/bad.jpg\">"]);
        assert_eq!(urls(r#"<img srcset="ok.jpg 1x,    /bad.jpg 2x">"#), ["<img srcset=\"/bad.jpg\">"]);
        assert_eq!(urls(r#"<IMG SRC="&#47;a.jpg"><a href="x.html">/x</a>"#), ["<img src=\"/a.jpg\">"]);
    }

    #[test]
    fn own_host_only_in_canonical() {
        assert!(urls(r#"<link rel="canonical" href="https://example.org/a/">"#).is_empty());
        assert!(urls(r#"<link rel="alternate" hreflang="ru" href="https://example.org/ru/a/">"#).is_empty());
        assert_eq!(urls(r#"<a href="https://EXAMPLE.org/a/">a</a>"#), ["<a href=\"https://EXAMPLE.org/a/\">"]);
        assert!(urls(r#"<a href="https://example.org.evil/">a</a>"#).is_empty(), "another host, a plain link");
        assert!(urls(r#"<a href="https://example.org/reports/">r</a>"#).is_empty(), "not a page of the site");
        assert_eq!(
            urls(r#"<img src="https://example.org/reports/x.png">"#),
            ["<img src=\"https://example.org/reports/x.png\">"]
        );
    }

    #[test]
    fn third_party_loads_fail_links_pass() {
        assert_eq!(
            urls(
                r#"<script src="https://cdn.example/x.js"></script><iframe src="//v.example/e"></iframe><link rel="preconnect" href="https://fonts.example">"#
            ),
            [
                "<script src=\"https://cdn.example/x.js\">",
                "<iframe src=\"//v.example/e\">",
                "<link href=\"https://fonts.example\">"
            ]
        );
        assert!(
            urls(r#"<a href="https://other.example/">o</a><form action="https://list.example/sub"></form>"#).is_empty()
        );
        assert!(urls(r#"<link rel="alternate" hreflang="ru" href="https://ru.example/">"#).is_empty());
        assert_eq!(
            urls("<script src=\"ht\ntps://cdn.example/x.js\"></script>"),
            ["<script src=\"https://cdn.example/x.js\">"]
        );
        assert!(urls(r#"<script>document.write('<img src="https://t.example/p.gif">')</script>"#).is_empty());
    }

    #[test]
    fn inline_styles_style_elements_svg_links_and_pings_are_checked() {
        assert_eq!(
            urls(concat!(
                r#"<div style="background:url(&quot;https://t.example/p.png&quot;)">"#,
                r#"<style>b{background:url(/x.png)}</style>"#,
                r#"<svg><style>@import "https://fonts.example/a.css";</style><use xlink:href="https://s.example/i.svg#a"/></svg>"#,
                r#"<a href="ok.html" ping="ok.html https://t.example/ping">x</a>"#,
            )),
            [
                "url(https://t.example/p.png)",
                "url(/x.png)",
                "@import https://fonts.example/a.css",
                "<use xlink:href=\"https://s.example/i.svg#a\">",
                "<a ping=\"https://t.example/ping\">"
            ]
        );
        assert!(urls(r#"<p style="color:red"><style>p{background:url(a.png)}</style>"#).is_empty());
    }

    #[test]
    fn css_urls() {
        let p = check_css(
            "a{background:url(/img/a.png)} @import 'https://fonts.example/x.css'; b{background:url(\"ok.png\")}",
            BASE,
        );
        let found: Vec<&str> = p.iter().map(|p| p.url.as_str()).collect();
        assert_eq!(found, ["/img/a.png", "https://fonts.example/x.css"]);
    }
}
