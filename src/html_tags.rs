//! The start tags of a page and their attributes, read the way a browser's
//! tokenizer reads them (HTML Living Standard, §13.2.5), for the mirror
//! check. It only reads: no tree, no output, no allocation per tag beyond
//! its attribute list, so checking every page costs little next to
//! rendering it.
//!
//! Where a shortcut is taken it is one that reads more markup as tags than
//! a browser would, never less: a check built on it can only be stricter.
//! - `<script>` ends at the first `</script`, even inside its escaped
//!   `<!-- <script>` form;
//! - `<noscript>` is read as markup: with scripting off, browsers show it.

use std::borrow::Cow;

/// A start tag: its name as written and its attributes in order.
#[derive(Debug)]
pub struct Tag<'a> {
    pub name: &'a str,
    pub attrs: Vec<(&'a str, &'a str)>,
    /// For `<style>` (also inside `<svg>`, where it is still CSS): its text
    /// up to `</style`, for the check of what the stylesheet loads.
    pub text: Option<&'a str>,
}

impl<'a> Tag<'a> {
    /// Whether the tag is `name` (ASCII case-insensitive, as HTML is).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The first attribute called `name`, as a browser keeps only the first.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.attrs.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|&(_, v)| v)
    }
}

/// Elements whose content is text up to their end tag, not markup.
const RAW_TEXT: &[&str] = &["script", "style", "xmp", "iframe", "noembed", "noframes", "title", "textarea"];

/// Calls `each` for every start tag in `html`, in document order.
pub fn for_each_start_tag<'a>(html: &'a str, mut each: impl FnMut(&Tag<'a>)) {
    for_each_tag(html, |event| {
        if let TagEvent::Start(tag, _) = event {
            each(tag);
        }
    });
}

/// A tag as met in document order, with the bytes it spans.
pub enum TagEvent<'t, 'a> {
    Start(&'t Tag<'a>, std::ops::Range<usize>),
    /// An end tag's name as written.
    End(&'a str, std::ops::Range<usize>),
}

/// Calls `each` for every start and end tag in `html`, in document order.
pub fn for_each_tag<'a>(html: &'a str, mut each: impl FnMut(TagEvent<'_, 'a>)) {
    let b = html.as_bytes();
    let mut at = 0;
    // Inside <svg> or <math>, `style` and `script` hold markup.
    let mut foreign = 0usize;
    while let Some(off) = memchr::memchr(b'<', &b[at..]) {
        let lt = at + off;
        let next = b.get(lt + 1).copied();
        match next {
            Some(c) if c.is_ascii_alphabetic() => {
                let (tag, end) = read_tag(html, lt + 1);
                at = end;
                if tag.is("svg") || tag.is("math") {
                    foreign += 1;
                } else if foreign == 0 && tag.is("plaintext") {
                    each(TagEvent::Start(&tag, lt..end));
                    return;
                }
                let raw = foreign == 0 && RAW_TEXT.iter().any(|r| tag.is(r));
                let mut tag = tag;
                if tag.is("style") {
                    tag.text = Some(&html[at..end_of_raw_text(b, at, tag.name)]);
                }
                each(TagEvent::Start(&tag, lt..end));
                if raw {
                    at = end_of_raw_text(b, at, tag.name);
                }
            }
            Some(b'/') if b.get(lt + 2).is_some_and(u8::is_ascii_alphabetic) => {
                // End tags may carry attributes; browsers drop them.
                let (tag, end) = read_tag(html, lt + 2);
                if foreign > 0 && (tag.is("svg") || tag.is("math")) {
                    foreign -= 1;
                }
                at = end;
                each(TagEvent::End(tag.name, lt..end));
            }
            Some(b'!') => at = end_of_declaration(b, lt + 2),
            // `</>` is dropped; `</3`, `<?…>` are bogus comments up to `>`.
            Some(b'/') | Some(b'?') => at = memchr::memchr(b'>', &b[lt + 1..]).map_or(b.len(), |i| lt + 1 + i + 1),
            _ => at = lt + 1,
        }
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// Reads a tag from its name (at `from`) to its `>`; returns the tag and
/// the position after it.
fn read_tag(html: &str, from: usize) -> (Tag<'_>, usize) {
    let b = html.as_bytes();
    let mut i = from;
    while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    let mut tag = Tag { name: &html[from..i], attrs: Vec::new(), text: None };
    loop {
        // Before an attribute name: spaces and stray slashes.
        while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (tag, b.len());
        }
        if b[i] == b'>' {
            return (tag, i + 1);
        }
        // A name may start with `=`; it ends at space, `/`, `>` or `=`.
        let start = i;
        i += 1;
        while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let name = &html[start..i];
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            tag.attrs.push((name, ""));
            continue;
        }
        i += 1;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        let value = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |n| i + 1 + n);
                let v = &html[i + 1..end];
                i = (end + 1).min(b.len());
                v
            }
            Some(b'>') | None => "",
            Some(_) => {
                let start = i;
                while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                    i += 1;
                }
                &html[start..i]
            }
        };
        tag.attrs.push((name, value));
    }
}

/// The position after the end tag `</name` that closes raw text begun at
/// `from` (the end of the document if there is none).
fn end_of_raw_text(b: &[u8], from: usize, name: &str) -> usize {
    let n = name.len();
    let mut at = from;
    while let Some(off) = memchr::memmem::find(&b[at..], b"</") {
        let lt = at + off;
        let after = lt + 2 + n;
        if b.len() >= after
            && b[lt + 2..after].eq_ignore_ascii_case(name.as_bytes())
            && b.get(after).is_none_or(|&c| is_space(c) || c == b'/' || c == b'>')
        {
            return lt;
        }
        at = lt + 2;
    }
    b.len()
}

/// The position after a comment, doctype, CDATA section or bogus comment
/// whose `<!` ends just before `from`.
fn end_of_declaration(b: &[u8], from: usize) -> usize {
    let rest = &b[from..];
    if let Some(comment) = rest.strip_prefix(b"--") {
        // `<!-->` and `<!--->` are complete, empty comments.
        if comment.starts_with(b">") {
            return from + 3;
        }
        if comment.starts_with(b"->") {
            return from + 4;
        }
        let body = from + 2;
        let mut at = body;
        while let Some(off) = memchr::memmem::find(&b[at..], b"--") {
            let dash = at + off;
            if b[dash + 2..].starts_with(b">") {
                return dash + 3;
            }
            if b[dash + 2..].starts_with(b"!>") {
                return dash + 4;
            }
            at = dash + 1;
        }
        return b.len();
    }
    memchr::memchr(b'>', rest).map_or(b.len(), |i| from + i + 1)
}

/// Where `value`, an attribute value of a tag read from `html` (a slice of
/// it), lies in `html`; an empty value (which may not be) lies at `or`.
pub fn range_in(html: &str, value: &str, or: usize) -> std::ops::Range<usize> {
    if value.is_empty() {
        return or..or;
    }
    let at = value.as_ptr() as usize - html.as_ptr() as usize;
    at..at + value.len()
}

/// `text` with each range replaced by its text; edits are applied in order
/// of their start, and one that overlaps an earlier one is dropped.
pub fn replace_ranges(text: &str, mut edits: Vec<(std::ops::Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len() + edits.iter().map(|(_, t)| t.len()).sum::<usize>());
    let mut last = 0;
    for (range, new) in edits {
        if range.start < last {
            continue;
        }
        out.push_str(&text[last..range.start]);
        out.push_str(&new);
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
}

/// `html` with the attributes `names` taken out of every `tag` start tag
/// (an edition's `<img>` loses its `srcset`: it embeds one size).
pub fn without_attrs(html: &str, tag: &str, names: &[&str]) -> String {
    let mut edits = Vec::new();
    for_each_tag(html, |event| {
        let TagEvent::Start(t, range) = event else { return };
        if !t.is(tag) || !t.attrs.iter().any(|(n, _)| names.iter().any(|x| n.eq_ignore_ascii_case(x))) {
            return;
        }
        let mut new = format!("<{}", t.name);
        for (n, v) in t.attrs.iter().filter(|(n, _)| !names.iter().any(|x| n.eq_ignore_ascii_case(x))) {
            let q = if v.contains('"') { '\'' } else { '"' };
            new.push_str(&format!(" {n}={q}{v}{q}"));
        }
        new.push('>');
        edits.push((range, new));
    });
    replace_ranges(html, edits)
}

/// An attribute value as the browser hands it to the URL parser: character
/// references decoded (the ones that can spell a URL's structure), then
/// tabs and newlines removed, as the URL parser does.
pub fn url_value(raw: &str) -> Cow<'_, str> {
    if !raw.contains(['&', '\t', '\n', '\r']) {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match reference(after) {
            Some((c, used)) => {
                out.push(c);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.retain(|c| !matches!(c, '\t' | '\n' | '\r'));
    Cow::Owned(out)
}

/// A character reference after its `&`: the character and the bytes it
/// took. Numeric ones, and the named ones for characters that give a URL
/// its shape; any other name is left as written.
fn reference(s: &str) -> Option<(char, usize)> {
    if let Some(num) = s.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (num, 10, 1),
        };
        let len = digits.bytes().take_while(|c| c.is_ascii_digit() || (radix == 16 && c.is_ascii_hexdigit())).count();
        if len == 0 {
            return None;
        }
        let n = u32::from_str_radix(&digits[..len], radix).unwrap_or(0xFFFD);
        let c = char::from_u32(n).filter(|&c| c != '\0').unwrap_or('\u{FFFD}');
        let semi = usize::from(digits[len..].starts_with(';'));
        return Some((c, skip + len + semi));
    }
    const NAMED: &[(&str, char)] = &[
        ("sol;", '/'),
        ("colon;", ':'),
        ("period;", '.'),
        ("amp;", '&'),
        ("amp", '&'),
        ("Tab;", '\t'),
        ("NewLine;", '\n'),
        ("quot;", '"'),
        ("apos;", '\''),
        ("lt;", '<'),
        ("gt;", '>'),
        ("num;", '#'),
        ("quest;", '?'),
        ("equals;", '='),
        ("commat;", '@'),
    ];
    NAMED.iter().find(|(name, _)| s.starts_with(name)).map(|&(name, c)| (c, name.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_start_tag(html, |t| {
            let attrs: Vec<String> = t.attrs.iter().map(|(n, v)| format!("{n}={v}")).collect();
            out.push(format!("{}[{}]", t.name, attrs.join(" ")));
        });
        out
    }

    #[test]
    fn attributes_in_every_quoting() {
        assert_eq!(
            tags(r#"<a href="x y" id='q"' data-x=1 hidden><IMG SRC = a.jpg/>"#),
            ["a[href=x y id=q\" data-x=1 hidden=]", "IMG[SRC=a.jpg/]"]
        );
        assert_eq!(tags("<br/><p/class=x>"), ["br[]", "p[class=x]"]);
    }

    #[test]
    fn comments_doctype_and_end_tags_hold_no_start_tags() {
        assert_eq!(
            tags("<!DOCTYPE html><!-- <img src=/a> --><!--><b><!---><i></i x=1><? <u> ><!x <s> ><t>"),
            ["b[]", "i[]", "t[]"]
        );
        assert_eq!(tags("<!-- a --!><em>"), ["em[]"]);
        assert_eq!(tags("a < b and 3<4 <em>"), ["em[]"]);
    }

    #[test]
    fn raw_text_is_skipped_up_to_its_own_end_tag() {
        assert_eq!(
            tags("<script>if (a<b) x('<img src=/a>')</scripts></SCRIPT ><style>a{}</style><p>"),
            ["script[]", "style[]", "p[]"]
        );
        assert_eq!(tags("<title><a href=/x></title><textarea><b></textarea>"), ["title[]", "textarea[]"]);
        assert_eq!(tags("<script>never closed <img src=/a>"), ["script[]"]);
    }

    #[test]
    fn noscript_and_foreign_content_are_read_as_markup() {
        assert_eq!(tags("<noscript><img src=/a></noscript>"), ["noscript[]", "img[src=/a]"]);
        assert_eq!(
            tags("<svg><style><image href=/a></style></svg><style><i></style>"),
            ["svg[]", "style[]", "image[href=/a]", "style[]"]
        );
    }

    /// Any text, however broken, is read to its end without a panic, and
    /// markup that closes every open context (quote, comment, raw text)
    /// brings the reader back to reading tags: no page can hide what
    /// follows it from the check.
    #[test]
    fn arbitrary_markup_is_read_through() {
        const CLOSE: &str = "\"'>-->]]></script></style></title></textarea></xmp></iframe></noembed></noframes>";
        const PIECES: &[&str] = &[
            "<", ">", "/", "!", "--", "\"", "'", "=", " ", "a", "script", "</script", "svg", "&#x2F;", "&", "é", "\n",
        ];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..3000 {
            let mut page = String::new();
            for _ in 0..(seed % 60) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                page.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            }
            page.push_str(CLOSE);
            page.push_str("<p data-end=1>");
            let mut last = String::new();
            for_each_start_tag(&page, |t| {
                for (_, v) in &t.attrs {
                    let _ = url_value(v);
                }
                last = format!("{}{:?}", t.name, t.attrs);
            });
            assert_eq!(last, "p[(\"data-end\", \"1\")]", "{page}");
        }
    }

    #[test]
    fn url_values_decode_references_and_drop_newlines() {
        assert_eq!(url_value("&#47;css&sol;x.css"), "/css/x.css");
        assert_eq!(url_value("h\ttt&#x70;s&colon;//cdn.example/x.js"), "https://cdn.example/x.js");
        assert_eq!(url_value("a.html?x=1&amp;y=2&copy;"), "a.html?x=1&y=2&copy;");
        assert_eq!(url_value("plain.html"), "plain.html");
    }

    #[test]
    fn attributes_are_taken_out_of_the_named_tags_only() {
        let html =
            r#"<p srcset="x"><img src="a.jpg" srcset="a-1w.jpg 1w" SIZES="1vw" alt='say "hi"'> <img src=b.jpg></p>"#;
        assert_eq!(
            without_attrs(html, "img", &["srcset", "sizes"]),
            r#"<p srcset="x"><img src="a.jpg" alt='say "hi"'> <img src=b.jpg></p>"#
        );
    }
}
