//! Typography for the short texts that are not Markdown (titles,
//! summaries, captions, credits, corrections), so they read like the
//! bodies beside them: typographic quotes of the language (“…” and ‘…’ in
//! English, «…» in Russian), apostrophes, dashes from ` - ` and `--`, an
//! ellipsis from `...`, and in Russian a no-break space after one- and
//! two-letter words, so «в», «и», «на» never end a line.
//!
//! Done here, once, at load: every place that shows the text (the page,
//! its `<title>`, the feeds, JSON-LD) shows the same characters. Bodies get
//! the same through pulldown-cmark's smart punctuation and `bind_short_words`.

const NBSP: char = '\u{a0}';

/// `text` with typographic punctuation for language `lang`. Each step runs
/// only when its characters are there: this runs on several texts of
/// every article, and most titles need none of it.
pub fn smarten(text: &str, lang: &str) -> String {
    let ru = lang == "ru";
    let mut s = std::borrow::Cow::Borrowed(text);
    if s.contains('.') && s.contains("...") {
        s = s.replace("...", "…").into();
    }
    if s.contains('-') {
        s = s.replace(" -- ", " — ").replace("---", "—").replace("--", "–").replace(" - ", " — ").into();
    }
    if s.contains(['"', '\'']) {
        s = quotes(&s, ru).into();
    }
    match ru {
        true => bind_short_words(&s).into_owned(),
        false => s.into_owned(),
    }
}

/// Straight quotes turned: a quote opens at the start, after a space, or
/// after an opening bracket or dash; otherwise it closes.
fn quotes(text: &str, ru: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut before: Option<char> = None;
    for c in text.chars() {
        let opens = before.is_none_or(|b| b.is_whitespace() || "([{«„“‘—–-/".contains(b));
        match c {
            '"' => out.push(match (ru, opens) {
                (true, true) => '«',
                (true, false) => '»',
                (false, true) => '“',
                (false, false) => '”',
            }),
            '\'' => out.push(if opens { '‘' } else { '’' }),
            c => out.push(c),
        }
        before = Some(c);
    }
    out
}

/// Russian running text with a no-break space after each word of one or two
/// letters («в доме», «на рынке»), so a line never ends on one. Borrowed
/// when there is none: this runs on every run of text of every Russian body.
pub fn bind_short_words(text: &str) -> std::borrow::Cow<'_, str> {
    // One pass: the text is copied in runs between the spaces replaced,
    // and only once the first is found.
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut word = Word::default();
    for (i, c) in text.char_indices() {
        if c == ' ' && word.is_short() {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len() + 8));
            out.push_str(&text[copied..i]);
            out.push(NBSP);
            copied = i + 1;
            word = Word::default();
            continue;
        }
        word.push(c);
    }
    match out {
        Some(mut out) => {
            out.push_str(&text[copied..]);
            std::borrow::Cow::Owned(out)
        }
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// The word being read: how many Cyrillic letters, or a Latin one seen
/// ("to" in an English quote is left alone). Letters are told by their
/// code points: `char::is_alphabetic` on Cyrillic costs a table lookup.
#[derive(Default)]
struct Word {
    letters: usize,
    latin: bool,
}

impl Word {
    fn push(&mut self, c: char) {
        match c {
            '\u{400}'..='\u{4ff}' => self.letters += 1,
            c if c.is_ascii_alphabetic() => self.latin = true,
            _ => *self = Word::default(),
        }
    }
    fn is_short(&self) -> bool {
        !self.latin && (1..=2).contains(&self.letters)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_quotes_apostrophes_dashes_and_ellipses() {
        assert_eq!(
            smarten(r#"Editor "convicted" of spreading 'false information' - she'll appeal..."#, "en"),
            "Editor “convicted” of spreading ‘false information’ — she’ll appeal…"
        );
        assert_eq!(smarten("1990--2000, a---b", "en"), "1990–2000, a—b");
        assert_eq!(smarten(r#"("Quoted")"#, "en"), "(“Quoted”)");
    }

    #[test]
    fn russian_guillemets_dashes_and_no_break_spaces() {
        assert_eq!(
            smarten(r#"Суд в Москве признал "виновным" редактора - он обжалует"#, "ru"),
            "Суд в\u{a0}Москве признал «виновным» редактора — он\u{a0}обжалует"
        );
        assert_eq!(bind_short_words("Он и я на рынке"), "Он\u{a0}и\u{a0}я\u{a0}на\u{a0}рынке");
        assert_eq!(bind_short_words("a to b"), "a to b", "Latin words are left alone");
        assert_eq!(bind_short_words("в доме, и "), "в\u{a0}доме, и\u{a0}");
        assert!(
            matches!(bind_short_words("Москва сегодня"), std::borrow::Cow::Borrowed(_)),
            "nothing to bind, nothing copied"
        );
        assert_eq!(smarten("Сделка с ООО", "ru"), "Сделка с\u{a0}ООО");
    }
}
