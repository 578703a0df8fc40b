//! The words of a text as search knows them: folded (lower case, «ё» as
//! «е», stress marks dropped), split, stop words left out, and stemmed
//! with the Snowball algorithm of the word's script (Russian for Cyrillic,
//! English for Latin). The page's script does exactly the same to a query
//! (`search.js`, whose stop lists are these), so a word and its query meet.

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
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

/// The stems of `text`'s words, each once, in the order first found, as a
/// list: how the tests read `each_distinct_stem`.
#[cfg(test)]
fn distinct_stems(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_distinct_stem(text, |s| out.push(s.to_string()));
    out
}

/// Calls `each` with the stem of every word of `text` worth searching
/// for, once per stem, in the order first found (so the same text gives
/// the same order, whatever the thread saw before). One pass: ASCII is
/// read byte by byte and other characters are folded into the word being
/// read; each word is looked up in a cache per thread of the words seen
/// and their stems (an archive's words repeat from story to story), so a
/// word is stemmed once per thread, not once per use. The same stems as
/// `stems` (a test holds them equal); this is the hot path of indexing.
pub fn each_distinct_stem(text: &str, mut each: impl FnMut(&str)) {
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        cache.next_text();
        let mut end_word = |word: &mut String, cache: &mut StemCache| {
            if let Some(stem) = cache.first_use(word) {
                each(stem);
            }
            word.clear();
        };
        let mut word = String::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                i += 1;
                if b.is_ascii_alphanumeric() || b == b'\'' {
                    word.push(char::from(b.to_ascii_lowercase()));
                    continue;
                }
            } else if let Some(c) = russian_letter(bytes, i) {
                i += 2;
                word.push(c);
                continue;
            } else {
                let c = text[i..].chars().next().expect("a character starts here");
                i += c.len_utf8();
                // Dashes, quotes, spaces are no word's part whatever their
                // case (a test holds it), so need no folding.
                if c == '\u{2019}' || is_word_char(c) {
                    let start = word.len();
                    fold_into(c, &mut word);
                    if word[start..].chars().all(is_word_char) {
                        continue;
                    }
                    word.truncate(start);
                }
            }
            end_word(&mut word, &mut cache);
        }
        end_word(&mut word, &mut cache);
    })
}

/// The folded letter of the Russian alphabet whose two bytes begin at
/// `i`, if one does: Russian text's fast path, which `fold_into` agrees
/// with (a test holds them equal).
fn russian_letter(bytes: &[u8], i: usize) -> Option<char> {
    let (&lead, &next) = (bytes.get(i)?, bytes.get(i + 1)?);
    if !matches!(lead, 0xD0 | 0xD1) {
        return None;
    }
    match char::from_u32((u32::from(lead & 0x1F) << 6) | u32::from(next & 0x3F))? {
        c @ 'а'..='я' => Some(c),
        c @ 'А'..='Я' => char::from_u32(c as u32 + 0x20),
        'ё' | 'Ё' => Some('е'),
        _ => None,
    }
}

/// Words remembered per thread before the cache starts over: bounds its
/// memory (some tens of MB) whatever the archive's vocabulary.
const CACHED_WORDS: usize = 200_000;

thread_local! {
    static STEMS: RefCell<StemCache> = RefCell::new(StemCache::default());
}

/// Folded words and their stems, by number.
#[derive(Default)]
struct StemCache {
    /// A folded word (apostrophes not yet trimmed) → its stem's number, or
    /// `None` for a word not kept.
    words: FxHashMap<Box<str>, Option<u32>>,
    stems: Vec<Box<str>>,
    numbers: FxHashMap<Box<str>, u32>,
    /// Per stem number, the text it was last found in: a stem is handed
    /// on the first time a text uses it, with no set built per text.
    seen: Vec<u32>,
    /// The number of the text being read (starts at 1; 0 is "never").
    text: u32,
}

impl StemCache {
    /// Starts reading a new text; the cache starts over first if full
    /// (never in the middle of a text, whose stems are read by number).
    fn next_text(&mut self) {
        if self.words.len() >= CACHED_WORDS || self.text == u32::MAX {
            *self = StemCache::default();
        }
        self.text += 1;
    }

    /// `word`'s stem, if the word is kept and its stem was not yet found
    /// in this text.
    fn first_use(&mut self, word: &str) -> Option<&str> {
        let id = self.id(word)? as usize;
        if self.seen.len() <= id {
            self.seen.resize(id + 1, 0);
        }
        if self.seen[id] == self.text {
            return None;
        }
        self.seen[id] = self.text;
        Some(&self.stems[id])
    }

    fn id(&mut self, word: &str) -> Option<u32> {
        if word.is_empty() {
            return None;
        }
        if let Some(&id) = self.words.get(word) {
            return id;
        }
        let trimmed = word.trim_matches('\'');
        let id = (!trimmed.is_empty() && keep(trimmed)).then(|| {
            let stem = stem(trimmed);
            match self.numbers.get(stem.as_str()) {
                Some(&n) => n,
                None => {
                    let n = self.stems.len() as u32;
                    self.stems.push(stem.as_str().into());
                    self.numbers.insert(stem.into(), n);
                    n
                }
            }
        });
        self.words.insert(word.into(), id);
        id
    }
}

/// Lower case, «ё» as «е», typographic apostrophes as `'`, stress marks
/// (combining acute) dropped and the two combining marks Russian text
/// carries composed (й, ё).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_into(c, &mut out);
    }
    out
}

/// Appends `c` folded to `out` (which a combining mark may change: the
/// letter it follows).
fn fold_into(c: char, out: &mut String) {
    // Latin and Russian letters, most of any text, without Unicode's case
    // tables (the same answers, faster).
    match c {
        'A'..='Z' => out.push(c.to_ascii_lowercase()),
        '\0'..='\x7f' | 'а'..='я' => out.push(c),
        'А'..='Я' => out.push(char::from_u32(c as u32 + 0x20).expect("a Cyrillic letter")),
        'Ё' | 'ё' => out.push('е'),
        _ => fold_rare(c, out),
    }
}

fn fold_rare(c: char, out: &mut String) {
    for c in c.to_lowercase() {
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
}

/// Whether `c` belongs to a word: a letter, a digit, a combining mark or
/// an apostrophe (the script's `[\p{Alphabetic}\p{N}\u0300-\u036f']`).
pub fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | '\'' | 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё' => true,
        '\0'..='\x7f' => false,
        _ => c.is_alphabetic() || c.is_numeric() || ('\u{300}'..='\u{36f}').contains(&c),
    }
}

/// The words of folded text, apostrophes trimmed from their ends.
pub fn split(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !is_word_char(c)).map(|w| w.trim_matches('\'')).filter(|w| !w.is_empty())
}

/// Whether a folded word goes into the index: two characters or more, not
/// absurdly long, not a stop word.
pub fn keep(word: &str) -> bool {
    static STOP: OnceLock<FxHashSet<&str>> = OnceLock::new();
    let stop = STOP.get_or_init(|| STOP_EN.iter().chain(STOP_RU).copied().collect());
    let n = word.chars().count();
    (2..=MAX_WORD).contains(&n) && !stop.contains(word)
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
    fn the_quick_paths_agree_with_unicode() {
        for c in ('\0'..='\u{52f}').chain(['\u{1e9e}', '\u{130}', '\u{3a3}']) {
            let slow: String = c.to_lowercase().collect();
            let slow = slow.replace('ё', "е");
            let mut fast = fold(&c.to_string());
            if c == '\u{2019}' || c == '\u{2bc}' || c == '\u{301}' || c == '\u{306}' || c == '\u{308}' {
                continue;
            }
            fast = fast.replace('ё', "е");
            assert_eq!(fast, slow, "{c:?} folds as Unicode says");
            let unicode = c.is_alphabetic() || c.is_numeric() || ('\u{300}'..='\u{36f}').contains(&c) || c == '\'';
            assert_eq!(is_word_char(c), unicode, "{c:?}");
        }
    }

    #[test]
    fn a_character_that_is_no_word_part_folds_to_none() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            if c != '\u{2019}' && !is_word_char(c) {
                assert!(!fold(&c.to_string()).chars().any(is_word_char), "{c:?}");
            }
        }
    }

    #[test]
    fn the_russian_fast_path_folds_as_unicode() {
        for c in '\u{400}'..='\u{4ff}' {
            let mut bytes = [0; 4];
            let got = russian_letter(c.encode_utf8(&mut bytes).as_bytes(), 0);
            if let Some(got) = got {
                assert_eq!(got.to_string(), fold(&c.to_string()), "{c:?}");
                assert!(is_word_char(got));
            } else {
                assert!(!matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'), "{c:?}");
            }
        }
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
    fn distinct_stems_are_the_stems_of_the_text_once_each() {
        let texts = [
            "Russia\u{2019}s «ЁЛКИ» и\u{306}од за\u{301}мок 'quoted' don't '' x-ray 2024 Санкции, санкций; sanctions!",
            "İstanbul ΣΟΦΊΑ straße \u{2019}tis NATO-расширение e\u{301}te и\u{306} \u{306}a е\u{308}лка",
            "ÉTÉ Été été\u{a0}Zürich'S O'NEILL 'tis' '' 1,5 № 5 Ǆemal ǅemal x\u{301}y",
        ];
        for t in texts {
            let mut want: Vec<String> = Vec::new();
            for s in stems(t) {
                if !want.contains(&s) {
                    want.push(s);
                }
            }
            assert_eq!(distinct_stems(t), want, "{t}");
        }
    }

    #[test]
    fn a_text_with_more_words_than_the_cache_holds_keeps_its_stems() {
        let many: String = (0..CACHED_WORDS + 100).map(|i| format!("w{i}q ")).collect();
        let stems = distinct_stems(&format!("{many} санкции"));
        assert_eq!(stems.len(), CACHED_WORDS + 101);
        assert_eq!(stems.last().map(String::as_str), Some("санкц"));
        assert_eq!(distinct_stems("санкции sanctions"), ["санкц", "sanction"], "after the cache starts over");
    }

    #[test]
    fn distinct_stems_are_each_stem_once_in_the_order_first_found() {
        assert_eq!(distinct_stems("санкций Sanctions и санкции sanction"), ["санкц", "sanction"]);
        assert_eq!(distinct_stems("санкций"), ["санкц"], "and the same from the cache");
    }

    #[test]
    fn latin_and_cyrillic_in_one_text_each_get_their_stemmer() {
        assert_eq!(all("NATO расширяется 2024"), ["nato", "расширя", "2024"]);
    }
}
