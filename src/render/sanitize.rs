//! `markdown.sanitize`: what an untrusted writer's HTML may keep. Three
//! shapes of it: raw HTML in an article body or bio (a fragment), an HTML
//! file published beside an article or from `static/` (a document), and an
//! SVG file (XML). Each is cleaned by an allow-list, never by removing what
//! is known to be bad: what is not named here does not reach a reader.

use std::fmt::Write;

/// The deepest an element may be nested in a cleaned file. Browsers stop
/// nesting at 512 (Blink's parser); 256 is more than any real page or
/// drawing, and keeps the cleaners' work and stacks small.
pub const MAX_DEPTH: usize = 256;

/// Cleans a body or bio: scripts, event handlers, frames and styles go;
/// what sitegen's Markdown makes (heading anchors, code highlighting
/// classes, footnotes, tables) stays.
pub fn fragment(html: &str) -> String {
    builder().clean(&cap_nesting(html)).to_string()
}

fn builder() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["class", "id"]).add_tag_attributes("img", ["title"]).link_rel(None);
    b
}

/// Cleans a whole HTML file: its body as a fragment is, inside a new
/// document that keeps the title and language and nothing else of the
/// head (no scripts, styles, refreshes or `<base>`).
pub fn document(html: &str) -> String {
    let mut title = None;
    let mut lang = None;
    crate::html_tags::for_each_start_tag(html, |tag| {
        if tag.is("html") && lang.is_none() {
            lang = tag.get("lang").map(|l| l.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect());
        }
    });
    if let Some(start) = find_ci(html, "<title") {
        let rest = &html[start..];
        if let (Some(open_end), Some(close)) = (rest.find('>'), find_ci(rest, "</title")) {
            if open_end < close {
                // The title as text: no tag survives an empty allow-list.
                let text = ammonia::Builder::empty().clean(&rest[open_end + 1..close]).to_string();
                title = Some(text.trim().to_string());
            }
        }
    }
    let mut body = builder();
    body.add_clean_content_tags(["title"]);
    let mut out = String::from("<!DOCTYPE html>\n<html");
    if let Some(l) = lang.filter(|l: &String| !l.is_empty()) {
        let _ = write!(out, " lang=\"{l}\"");
    }
    out.push_str("><head><meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    let _ = write!(out, "<title>{}</title></head>\n<body>\n", title.unwrap_or_default());
    out.push_str(&body.clean(&cap_nesting(html)).to_string());
    out.push_str("\n</body></html>\n");
    out
}

/// Elements that never hold others.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link",
    "meta", "param", "source", "track", "wbr",
];

/// `html` with every tag nested deeper than `MAX_DEPTH` left out (with its
/// end tag), its text kept where it was. The HTML parser under the
/// sanitizer checks the open elements at each tag, so 100,000 nested list
/// items or `<div>`s took minutes; this pass is linear and leaves the
/// parser at most `MAX_DEPTH` to check. End tags close as a browser's
/// "any other end tag" does: the nearest open element of that name, or
/// nothing; a deeper count than the parser's only leaves out more.
fn cap_nesting(html: &str) -> std::borrow::Cow<'_, str> {
    use crate::html_tags::{for_each_tag, TagEvent};
    let mut open: Vec<String> = Vec::new();
    let mut deep: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut cut: Vec<std::ops::Range<usize>> = Vec::new();
    for_each_tag(html, |event| match event {
        TagEvent::Start(tag, span) => {
            let name = tag.name.to_ascii_lowercase();
            if VOID.contains(&name.as_str()) {
                return;
            }
            if open.len() >= MAX_DEPTH {
                *deep.entry(name).or_default() += 1;
                cut.push(span);
            } else {
                open.push(name);
            }
        }
        TagEvent::End(name, span) => {
            let name = name.to_ascii_lowercase();
            if let Some(n) = deep.get_mut(&name).filter(|n| **n > 0) {
                *n -= 1;
                cut.push(span);
            } else if let Some(at) = open.iter().rposition(|o| *o == name) {
                open.truncate(at);
            }
        }
    });
    if cut.is_empty() {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for span in cut {
        out.push_str(&html[at..span.start]);
        at = span.end;
    }
    out.push_str(&html[at..]);
    std::borrow::Cow::Owned(out)
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// SVG elements that draw, and nothing that runs, animates an attribute
/// (`<set href="javascript:…">`), or holds HTML (`foreignObject`).
const SVG_ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "symbol",
    "use",
    "title",
    "desc",
    "switch",
    "view",
    "a",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "image",
    "text",
    "tspan",
    "textPath",
    "style",
    "marker",
    "pattern",
    "clipPath",
    "mask",
    "linearGradient",
    "radialGradient",
    "stop",
    "filter",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feImage",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
];

/// Cleans an SVG file: only drawing elements of the SVG namespace, their
/// attributes without event handlers, and links that stay in the drawing
/// or the site (or images given inline). Editors' own namespaces go too:
/// Inkscape and Illustrator keep the author's name, paths on their disk
/// and sometimes the export's location there.
pub fn svg(text: &str) -> Result<String, String> {
    let opts = roxmltree::ParsingOptions { allow_dtd: true, nodes_limit: 1_000_000 };
    let doc = roxmltree::Document::parse_with_options(text, opts).map_err(|e| format!("is not an SVG file: {e}"))?;
    let root = doc.root_element();
    if !root.has_tag_name((SVG_NS, "svg")) {
        return Err("is not an SVG file: its outer element is not <svg> of the SVG namespace".into());
    }
    // Where the root's `xmlns:xlink` goes if a kept attribute needs it.
    let mut xlink_at = None;
    let mut uses_xlink = false;
    let mut out = String::with_capacity(text.len());
    // Elements dropped, open: everything inside one goes with it.
    let mut dropped = 0usize;
    let mut depth = 0usize;
    // Walked with a stack, not by recursion: a file's nesting never
    // reaches the call stack.
    let mut stack = vec![Edge::Open(root)];
    while let Some(edge) = stack.pop() {
        if let Edge::Open(n) = edge {
            if n.is_element() {
                stack.push(Edge::Close(n));
                stack.extend(n.children().rev().map(Edge::Open));
            }
        }
        match edge {
            Edge::Open(n) if n.is_element() => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!("nests elements more than {MAX_DEPTH} deep"));
                }
                let name = n.tag_name().name();
                if dropped > 0 || n.tag_name().namespace() != Some(SVG_NS) || !SVG_ELEMENTS.contains(&name) {
                    dropped += 1;
                    continue;
                }
                let _ = write!(out, "<{name}");
                if n == root {
                    let _ = write!(out, " xmlns=\"{SVG_NS}\"");
                    xlink_at = Some(out.len());
                }
                for a in n.attributes() {
                    let prefix = match a.namespace() {
                        None => "",
                        Some(XLINK_NS) => "xlink:",
                        Some(XML_NS) => "xml:",
                        Some(_) => continue,
                    };
                    if a.name().to_ascii_lowercase().starts_with("on") || !safe_value(name, a.name(), a.value()) {
                        continue;
                    }
                    uses_xlink |= prefix == "xlink:";
                    let _ = write!(out, " {prefix}{}=\"{}\"", a.name(), crate::escape::xml(a.value()));
                }
                out.push('>');
            }
            Edge::Close(n) => {
                depth -= 1;
                if dropped > 0 {
                    dropped -= 1;
                } else {
                    let _ = write!(out, "</{}>", n.tag_name().name());
                }
            }
            Edge::Open(n) if n.is_text() && dropped == 0 => {
                out.push_str(&crate::escape::xml(n.text().unwrap_or("")));
            }
            _ => {}
        }
    }
    if let (true, Some(at)) = (uses_xlink, xlink_at) {
        out.insert_str(at, &format!(" xmlns:xlink=\"{XLINK_NS}\""));
    }
    out.push('\n');
    Ok(out)
}

/// Whether an attribute's value may stay: a link must stay in the drawing
/// (`#id`) or the site (relative), or be a web link from `<a>`, or an
/// image given inline in `<image>`; no other value may name a scheme that
/// runs (`url(javascript:…)` in a presentation attribute).
fn safe_value(element: &str, attr: &str, value: &str) -> bool {
    let v: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    let v = v.to_ascii_lowercase();
    if attr == "href" {
        let scheme = v.split_once(':').map(|(s, _)| s).filter(|s| !s.contains(['/', '?', '#']));
        return match scheme {
            None => true,
            Some("http" | "https" | "mailto") => element == "a",
            Some("data") => element == "image" && v.starts_with("data:image/") && !v.starts_with("data:image/svg"),
            Some(_) => false,
        };
    }
    !(v.contains("javascript:") || v.contains("vbscript:") || v.contains("data:text"))
}

enum Edge<'a, 'input> {
    Open(roxmltree::Node<'a, 'input>),
    Close(roxmltree::Node<'a, 'input>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_keeps_markdown_output_and_loses_scripts() {
        let html = "<h2 id=\"a\" class=\"x\">T</h2><p onclick=\"x()\">p<script>alert(1)</script></p>";
        assert_eq!(fragment(html), "<h2 id=\"a\" class=\"x\">T</h2><p>p</p>");
    }

    #[test]
    fn a_document_keeps_its_title_language_and_body_only() {
        let html = "<!doctype html><html lang=\"ru\"><head><title>Итоги &amp; выводы</title>\
            <meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\"><base href=\"https://evil.example/\">\
            <script src=\"https://cdn.example/t.js\"></script><style>body{}</style></head>\
            <body><h1>Итоги</h1><p>Текст<img src=\"a.jpg\" onerror=\"x()\"></p><iframe src=\"https://x.example\"></iframe></body></html>";
        let out = document(html);
        assert_eq!(
            out,
            "<!DOCTYPE html>\n<html lang=\"ru\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>Итоги &amp; выводы</title></head>\n<body>\n<h1>Итоги</h1><p>Текст<img src=\"a.jpg\"></p>\n</body></html>\n"
        );
    }

    #[test]
    fn an_svg_keeps_its_drawing_and_loses_what_runs() {
        let svg_in = r##"<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY ns "http://www.w3.org/2000/svg">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:export-filename="/home/anna/leak.png"
     viewBox="0 0 10 10" onload="alert(1)">
  <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">Anna</rdf:RDF></metadata>
  <script>alert(2)</script>
  <style>path { fill: red }</style>
  <a xlink:href="javascript:alert(3)"><path d="M0 0L10 10"/></a>
  <a href="https://example.org/">x &amp; y</a>
  <use xlink:href="#p"/>
  <set attributeName="href" to="javascript:alert(4)"/>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><script>alert(5)</script></div></foreignObject>
  <rect style="fill:url(javascript:alert(6))" width="1" height="1"/>
</svg>"##;
        let out = svg(svg_in).unwrap();
        assert_eq!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\">\n  \n  \n  \
             <style>path { fill: red }</style>\n  <a><path d=\"M0 0L10 10\"></path></a>\n  \
             <a href=\"https://example.org/\">x &amp; y</a>\n  <use xlink:href=\"#p\"></use>\n  \n  \n  \
             <rect width=\"1\" height=\"1\"></rect>\n</svg>\n"
        );
        roxmltree::Document::parse(&out).expect("the cleaned SVG is XML");
    }

    #[test]
    fn nesting_is_capped_and_the_text_kept() {
        let depth = |html: &str| {
            let mut open = 0usize;
            let mut max = 0;
            crate::html_tags::for_each_tag(html, |e| match e {
                crate::html_tags::TagEvent::Start(..) => {
                    open += 1;
                    max = max.max(open);
                }
                crate::html_tags::TagEvent::End(..) => open -= 1,
            });
            max
        };
        let n = 100_000;
        let divs = format!("{}deep{}", "<div>".repeat(n), "</div>".repeat(n));
        let capped = cap_nesting(&divs);
        assert_eq!((depth(&capped), capped.contains("deep")), (MAX_DEPTH, true));
        // Stray end tags do not pretend to close anything.
        let stray = "<div></span>".repeat(n);
        assert_eq!(cap_nesting(&stray).matches("<div>").count(), MAX_DEPTH);
        let shallow = "<ul><li><p>a<br>b</p></li></ul>";
        assert!(matches!(cap_nesting(shallow), std::borrow::Cow::Borrowed(_)));
        let lists = format!("{}x{}", "<ul>\n<li>".repeat(n), "</li>\n</ul>".repeat(n));
        assert!(fragment(&lists).contains('x'));
        // Each of these took minutes before the cap (bench: sanitize_deep).
        assert!(fragment(&divs).contains("deep"));
    }

    #[test]
    fn svg_refuses_what_is_not_svg_or_too_deep() {
        assert!(svg("<html/>").unwrap_err().contains("outer element is not <svg>"));
        assert!(svg("not xml").unwrap_err().starts_with("is not an SVG file"));
        let deep = format!("<svg xmlns=\"{SVG_NS}\">{}{}</svg>", "<g>".repeat(300), "</g>".repeat(300));
        assert_eq!(svg(&deep).unwrap_err(), "nests elements more than 256 deep");
        let laughs = format!(
            "<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\">{}]><svg xmlns=\"{SVG_NS}\">&j;</svg>",
            (b'b'..=b'j')
                .map(|c| format!("<!ENTITY {} \"{}\">", c as char, format!("&{};", (c - 1) as char).repeat(10)))
                .collect::<String>()
        );
        assert!(svg(&laughs).is_err(), "a billion laughs is refused, not expanded");
    }
}
