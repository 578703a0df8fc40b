//! Links inside an edition, which is one file and no site: each article's
//! anchors are made its own (two stories' footnote 1 must not meet), and
//! every link to the site, written from the root mark by the views and
//! bodies, becomes an anchor in the file (an article the edition carries),
//! an image to embed, or the page's address on the mirror the edition
//! names (read when the reader is online again).

use crate::html_tags::{self, TagEvent};
use crate::render::root_mark::MARK;
use std::collections::{BTreeMap, HashMap};

/// Stands for an image's data URI until the images are sized to fit.
pub fn image_token(n: usize) -> String {
    format!("\u{E000}img{n}\u{E001}")
}

/// The root mark as it is written in a URL that was percent-encoded.
pub fn encoded_mark() -> String {
    MARK.bytes()
        .map(|b| match b.is_ascii_alphanumeric() {
            true => (b as char).to_string(),
            false => format!("%{b:02X}"),
        })
        .collect()
}

/// Where the edition's links go.
pub struct Targets<'a> {
    /// Site path of an article page (`news/x/index.html`) → its anchor.
    pub anchors: HashMap<String, String>,
    /// Site paths of the images the edition may embed.
    pub is_image: &'a dyn Fn(&str) -> bool,
    /// The mirror's address, without a trailing slash.
    pub base_url: &'a str,
    /// Links to images are links too (the email, which embeds nothing).
    pub embed_images: bool,
}

/// `body` (an article's HTML, its links from the mark) with its ids and
/// in-page links prefixed by `anchor`, and the links its writer gave
/// relative to the article's folder `dir` written from the mark too.
pub fn own_anchors(body: &str, anchor: &str, dir: &str) -> String {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    html_tags::for_each_tag(body, |event| {
        let TagEvent::Start(tag, _) = event else { return };
        for &(name, value) in &tag.attrs {
            if value.is_empty() {
                continue;
            }
            let range = html_tags::range_in(body, value, 0);
            let decoded = html_tags::url_value(value);
            let new = if name.eq_ignore_ascii_case("id") || name.eq_ignore_ascii_case("name") {
                Some(format!("{anchor}-{decoded}"))
            } else if is_link(name) {
                match decoded.as_ref() {
                    v if v.starts_with(MARK) || crate::urls::is_external(v) => None,
                    v if v.starts_with('#') => Some(format!("#{anchor}-{}", &v[1..])),
                    v => {
                        let (path, rest) = crate::urls::split_fragment(v);
                        crate::urls::resolve_relative(dir, path).map(|p| format!("{MARK}{p}{rest}"))
                    }
                }
            } else {
                None
            };
            if let Some(new) = new {
                edits.push((range, crate::escape::html(&new)));
            }
        }
    });
    html_tags::replace_ranges(body, edits)
}

fn is_link(attr: &str) -> bool {
    ["href", "src", "poster"].iter().any(|a| attr.eq_ignore_ascii_case(a))
}

/// `html` with every marked link placed (`Targets`), and the site paths of
/// the image tokens it now holds, by token number.
pub fn place(html: &str, targets: &Targets) -> (String, Vec<String>) {
    let mut images: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        let after = &rest[at + MARK.len()..];
        let end =
            after.find(|c: char| matches!(c, '"' | '\'' | '<' | '>' | ')') || c.is_whitespace()).unwrap_or(after.len());
        let url = &after[..end];
        // Marked URLs are as the views and bodies wrote them: HTML-escaped.
        let (path, frag) = crate::urls::split_fragment(url);
        let decoded = path.replace("&amp;", "&");
        if let Some(anchor) = targets.anchors.get(&decoded) {
            match frag.strip_prefix('#') {
                Some(f) if !f.is_empty() => out.push_str(&format!("#{anchor}-{f}")),
                _ => out.push_str(&format!("#{anchor}")),
            }
        } else if targets.embed_images && frag.is_empty() && (targets.is_image)(&decoded) {
            let next = images.len();
            let n = *images.entry(decoded).or_insert(next);
            out.push_str(&image_token(n));
        } else {
            out.push_str(&crate::urls::absolute(targets.base_url, path));
            out.push_str(frag);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    let mut by_number: Vec<(usize, String)> = images.into_iter().map(|(p, n)| (n, p)).collect();
    by_number.sort();
    (out, by_number.into_iter().map(|(_, p)| p).collect())
}

/// `html` without its `<img>` elements: the email carries no image, and a
/// remote one is a tracking pixel by another name.
pub fn without_images(html: &str) -> String {
    let mut edits = Vec::new();
    html_tags::for_each_tag(html, |event| match event {
        TagEvent::Start(tag, range) if tag.is("img") || tag.is("source") || tag.is("picture") => {
            edits.push((range, crate::escape::html(&html_tags::url_value(tag.get("alt").unwrap_or("")))));
        }
        TagEvent::End(name, range) if name.eq_ignore_ascii_case("picture") => edits.push((range, String::new())),
        _ => {}
    });
    html_tags::replace_ranges(html, edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets<'a>(is_image: &'a dyn Fn(&str) -> bool) -> Targets<'a> {
        Targets {
            anchors: [("news/a/index.html".to_string(), "a-a".to_string())].into(),
            is_image,
            base_url: "https://mirror.example",
            embed_images: true,
        }
    }

    #[test]
    fn ids_and_fragments_become_the_articles_own() {
        let body =
            r##"<p id="x"><a href="#fn1">1</a> <a href="../b/index.html#t">b</a> <a href="https://e.org/">e</a></p>"##;
        let out = own_anchors(body, "a-a", "news/a");
        assert_eq!(
            out,
            format!(
                r##"<p id="a-a-x"><a href="#a-a-fn1">1</a> <a href="{MARK}news/b/index.html#t">b</a> <a href="https://e.org/">e</a></p>"##
            )
        );
    }

    #[test]
    fn marked_links_become_anchors_images_or_the_mirrors_addresses() {
        let is_image = |p: &str| p.ends_with(".jpg");
        let html = format!(
            r#"<a href="{MARK}news/a/index.html">a</a><a href="{MARK}news/a/index.html#fn">f</a><img src="{MARK}news/a/p.jpg"><img src="{MARK}news/a/p.jpg"><a href="{MARK}tags/x/index.html">t</a>"#
        );
        let (out, images) = place(&html, &targets(&is_image));
        assert_eq!(
            out,
            format!(
                r##"<a href="#a-a">a</a><a href="#a-a-fn">f</a><img src="{0}"><img src="{0}"><a href="https://mirror.example/tags/x/index.html">t</a>"##,
                image_token(0)
            )
        );
        assert_eq!(images, vec!["news/a/p.jpg".to_string()]);
    }

    #[test]
    fn the_email_loses_its_images_but_keeps_their_words() {
        assert_eq!(without_images(r#"<p>a <img src="x.jpg" alt="A map"> b</p>"#), "<p>a A map b</p>");
    }
}
