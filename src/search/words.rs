//! The words of a text as search knows them: folded (lower case, «ё» as
//! «е», stress marks dropped), split, stop words left out, and stemmed
//! with the Snowball algorithm of the word's script (Russian for Cyrillic,
//! English for Latin). The page's script does exactly the same to a query
//! (`search.js`, whose stop lists are these), so a word and its query meet.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::OnceLock;

/// Words too common to find anything by: left out of the index and out
/// of queries. Short on purpose: a word that narrows a search stays.
pub const STOP_EN: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "he", "in", "is", "it", "its", "of",
    "on", "or", "that", "the", "to", "was", "were", "will", "with",
];
pub const STOP_RU: &[&str] = &[
    "а", "в", "во", "да", "для", "до", "же", "и", "из", "или", "к", "как", "ко", "на", "не", "но", "о", "об", "от",
    "по", "с", "со", "то", "у", "что", "это", "он", "она", "они", "мы", "вы", "я",
];

/// Words longer than this (in characters) are addresses or hashes, not
/// words anyone types.
pub const MAX_WORD: usize = 40;

/// The stems of every word of `text` worth searching for, in order.
pub fn stems(text: &str) -> impl Iterator<Item = String> + '_ {
    let folded = fold(text);
    let words: Vec<String> = split(&folded).map(str::to_string).collect();
    words.into_iter().filter_map(|w| keep(&w).then(|| stem(&w)))
}

/// Lower case, «ё» as «е», typographic apostrophes as `'`, stress marks
/// (combining acute) dropped and the two combining marks Russian text
/// carries composed (й, ё).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ё' => out.push('е'),
            '\u{2019}' | '\u{02BC}' => out.push('\''),
            '\u{0301}' => {}
            '\u{0306}' if out.ends_with('и') => {
                out.pop();
                out.push('й');
            }
            '\u{0308}' if out.ends_with('е') => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether `c` belongs to a word: a letter, a digit, a combining mark or
/// an apostrophe (the script's `[\p{Alphabetic}\p{N}\u0300-\u036f']`).
pub fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric() || ('\u{300}'..='\u{36f}').contains(&c) || c == '\''
}

/// The words of folded text, apostrophes trimmed from their ends.
pub fn split(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !is_word_char(c)).map(|w| w.trim_matches('\'')).filter(|w| !w.is_empty())
}

/// Whether a folded word goes into the index: two characters or more, not
/// absurdly long, not a stop word.
pub fn keep(word: &str) -> bool {
    let n = word.chars().count();
    (2..=MAX_WORD).contains(&n) && !STOP_EN.contains(&word) && !STOP_RU.contains(&word)
}

/// The stem of a folded word: Russian Snowball for a word with a Cyrillic
/// letter, English (Porter2) for one with a Latin letter, the word itself
/// otherwise (numbers, other scripts).
pub fn stem(word: &str) -> String {
    static RU: OnceLock<Stemmer> = OnceLock::new();
    static EN: OnceLock<Stemmer> = OnceLock::new();
    if word.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c)) {
        RU.get_or_init(|| Stemmer::create(Algorithm::Russian)).stem(word).into_owned()
    } else if word.bytes().any(|b| b.is_ascii_lowercase()) {
        EN.get_or_init(|| Stemmer::create(Algorithm::English)).stem(word).into_owned()
    } else {
        word.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        stems(text).collect()
    }

    #[test]
    fn inflected_forms_meet_at_one_stem() {
        assert_eq!(all("санкции санкций санкциям"), ["санкц", "санкц", "санкц"]);
        assert_eq!(all("Sanctions sanction sanctioned"), ["sanction", "sanction", "sanction"]);
    }

    #[test]
    fn case_yo_stress_and_apostrophes_fold() {
        assert_eq!(fold("ЁЛКА За\u{301}мок"), "елка замок");
        assert_eq!(fold("и\u{306}од"), "йод");
        assert_eq!(all("Russia\u{2019}s"), ["russia"]);
    }

    #[test]
    fn stop_words_and_single_letters_are_left_out() {
        assert_eq!(all("the war in Ukraine и в Москве x"), ["war", "ukrain", "москв"]);
    }

    #[test]
    fn latin_and_cyrillic_in_one_text_each_get_their_stemmer() {
        assert_eq!(all("NATO расширяется 2024"), ["nato", "расширя", "2024"]);
    }
}
