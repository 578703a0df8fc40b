//! What a reader reads of an HTML body: its text, and the stems search
//! finds it by. A body is reduced to these once, as it is rendered, and
//! the build cache keeps them, so an index is built without rendering any
//! body again.

use crate::search::words;
use serde::{Deserialize, Serialize};

/// How much of a body's text stands in for a missing summary.
const LEAD_CHARS: usize = 200;

/// A body as search knows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyText {
    /// Every stem of the body, once each, in the order first found, one a
    /// line: compact, for a whole archive's worth is held at once.
    stems: Box<str>,
    /// The body's first words, shown in a result when there is no summary.
    lead: Box<str>,
}

impl BodyText {
    pub fn of_html(html: &str) -> BodyText {
        let text = plain(html);
        let mut stems = String::with_capacity(text.len() / 4);
        words::each_distinct_stem(&text, |stem| {
            stems.push_str(stem);
            stems.push('\n');
        });
        BodyText { stems: stems.into(), lead: lead(&text).into() }
    }

    pub fn stems(&self) -> impl Iterator<Item = &str> {
        self.stems.split('\n').filter(|s| !s.is_empty())
    }

    pub fn lead(&self) -> &str {
        &self.lead
    }
}

/// The first words of `body`, cut at a word's end, with an ellipsis if cut.
fn lead(body: &str) -> String {
    // Only the words up to the cut are joined: a body is long.
    let mut text = String::new();
    let mut chars = 0;
    for word in body.split_whitespace() {
        if chars > LEAD_CHARS {
            break;
        }
        if !text.is_empty() {
            text.push(' ');
            chars += 1;
        }
        text.push_str(word);
        chars += word.chars().count();
    }
    if chars <= LEAD_CHARS {
        return text;
    }
    let cut: String = text.chars().take(LEAD_CHARS).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end_matches(|c: char| !c.is_alphanumeric()))
}

/// The text of HTML: tags become spaces (a block's end is a word's end),
/// the contents of `script`, `style` and `template` are left out, and
/// character references are decoded. One pass that jumps from one `<` or
/// `&` to the next, allocating only the text.
pub fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(at) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if rest.as_bytes()[at] == b'&' {
            rest = match reference(after) {
                Some((c, len)) => {
                    out.push(c);
                    &after[len..]
                }
                None => {
                    out.push('&');
                    after
                }
            };
            continue;
        }
        out.push(' ');
        // A comment is the writer's note to themselves, never the reader's.
        if let Some(comment) = after.strip_prefix("!--") {
            rest = memchr::memmem::find(comment.as_bytes(), b"-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        let end = memchr::memchr(b'>', after.as_bytes()).map_or(after.len(), |e| e + 1);
        let tag = after[..end].trim_start();
        let name = &tag[..tag.bytes().take_while(u8::is_ascii_alphanumeric).count()];
        rest = &after[end..];
        if ["script", "style", "template"].iter().any(|n| n.eq_ignore_ascii_case(name)) {
            rest = &rest[closing_tag(rest, name)..];
        }
    }
    out.push_str(rest);
    out
}

/// Where `</name` (in any case) begins in `html`, or its end.
fn closing_tag(html: &str, name: &str) -> usize {
    let bytes = html.as_bytes();
    memchr::memchr_iter(b'<', bytes)
        .find(|&i| {
            let close = &bytes[i + 1..];
            close.first() == Some(&b'/')
                && close.len() > name.len()
                && close[1..=name.len()].eq_ignore_ascii_case(name.as_bytes())
        })
        .unwrap_or(html.len())
}

/// The character a reference (the text after its `&`) stands for, and the
/// length of the reference's name and `;`: numeric ones and the named ones
/// a body carries; an unknown name becomes a space rather than a word no
/// one wrote. `None` for an `&` that begins no reference.
fn reference(after: &str) -> Option<(char, usize)> {
    let len = after.bytes().take(11).take_while(|&b| b.is_ascii_alphanumeric() || b == b'#').count();
    if len == 0 || len > 10 || after.as_bytes().get(len) != Some(&b';') {
        return None;
    }
    let name = &after[..len];
    let c = if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
    } else if let Some(num) = name.strip_prefix('#') {
        num.parse().ok().and_then(char::from_u32)
    } else {
        Some(match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" | "rsquo" => '\'',
            "laquo" => '«',
            "raquo" => '»',
            "mdash" => '—',
            "ndash" => '–',
            "hellip" => '…',
            _ => ' ',
        })
    };
    Some((c.unwrap_or(' '), len + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_end_words_and_scripts_are_not_text() {
        let t = plain("<p>Санкции<br>против</p><script>var x = '<p>';</script><STYLE>p{}</STYLE>банков &amp; фирм&#x2019;s &nbsp;x");
        assert_eq!(t.split_whitespace().collect::<Vec<_>>(), ["Санкции", "против", "банков", "&", "фирм’s", "x"]);
    }

    #[test]
    fn a_body_keeps_its_stems_once_and_its_first_words() {
        let b = BodyText::of_html("<p>Sanctions and more sanctions.</p>");
        assert_eq!(b.stems().collect::<Vec<_>>(), ["sanction", "more"]);
        assert_eq!(b.lead(), "Sanctions and more sanctions.");
        let long = BodyText::of_html(&"слово ".repeat(100));
        assert!(long.lead().ends_with("слово…") && long.lead().chars().count() <= LEAD_CHARS + 1);
    }

    #[test]
    fn comments_are_never_text() {
        assert_eq!(
            plain("a<!-- source: Ivan, > call him -->b<!-- open").split_whitespace().collect::<Vec<_>>(),
            ["a", "b"]
        );
    }

    #[test]
    fn a_stray_ampersand_or_unclosed_tag_is_kept_or_dropped_safely() {
        assert_eq!(plain("AT&T <b"), "AT&T  ");
        assert_eq!(plain("a & b;"), "a & b;");
        assert_eq!(plain("&#xD800;&#99999999;&bogus;&toolongname1;"), "   &toolongname1;");
        assert_eq!(plain("x<SCRIPT>a</sCrIpT >y< style>b</style").split_whitespace().collect::<Vec<_>>(), ["x", "y"]);
    }
}
