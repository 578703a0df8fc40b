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
    /// Every stem of the body, sorted, once each, one a line: compact, for
    /// a whole archive's worth is held at once.
    stems: Box<str>,
    /// The body's first words, shown in a result when there is no summary.
    lead: Box<str>,
}

impl BodyText {
    pub fn of_html(html: &str) -> BodyText {
        let text = plain(html);
        BodyText { stems: words::distinct_stems(&text).join("\n").into(), lead: lead(&text).into() }
    }

    pub fn stems(&self) -> impl Iterator<Item = &str> {
        self.stems.split('\n').filter(|s| !s.is_empty())
    }

    pub fn lead(&self) -> &str {
        &self.lead
    }
}

/// The first words of `text`, cut at a word's end, with an ellipsis if cut.
fn lead(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= LEAD_CHARS {
        return text;
    }
    let cut: String = text.chars().take(LEAD_CHARS).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end_matches(|c: char| !c.is_alphanumeric()))
}

/// The text of HTML: tags become spaces (a block's end is a word's end),
/// the contents of `script`, `style` and `template` are left out, and
/// character references are decoded.
pub fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        decode_into(&rest[..lt], &mut out);
        out.push(' ');
        let after = &rest[lt..];
        // A comment is the writer's note to themselves, never the reader's.
        if let Some(comment) = after.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        let end = after.find('>').map_or(after.len(), |e| e + 1);
        let tag = after[1..end.saturating_sub(1).max(1)].trim_start();
        let name: String =
            tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
        rest = &after[end..];
        if matches!(name.as_str(), "script" | "style" | "template") {
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            let skip = lower.find(&close).unwrap_or(rest.len());
            rest = &rest[skip..];
        }
    }
    decode_into(rest, &mut out);
    out
}

/// Appends `text` with its character references decoded: numeric ones and
/// the named ones a body carries; an unknown name becomes a space rather
/// than a word no one wrote.
fn decode_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after
            .find(';')
            .filter(|&s| s > 0 && s <= 10 && after[..s].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'#'));
        let Some(semi) = semi else {
            out.push('&');
            rest = after;
            continue;
        };
        let name = &after[..semi];
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
        out.push(c.unwrap_or(' '));
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
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
        assert_eq!(b.stems().collect::<Vec<_>>(), ["more", "sanction"]);
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
    }
}
