//! The search index of one language, split into parts a query loads only
//! as it needs them: `meta.js` (how many documents, which term parts
//! exist), a term part per key (`k-<key>.js`: the stems that begin with
//! the key and the documents of each), and the documents in numbered
//! parts of `DOCS_PER_PART` (`d-<n>.js`: what a result shows). Every part
//! is a script that hands its data to `sitegenSearch`, so it loads from
//! `file://` where `fetch()` is refused.

use crate::escape::json_in_script;
use crate::search::text::BodyText;
use crate::search::words;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// The index's folder, beside the search page that loads it.
pub const FOLDER: &str = "parts/";

/// Documents in a document part: small, as the 20 results a query shows
/// are spread over the archive (each result may need a part of its own).
pub const DOCS_PER_PART: usize = 8;

/// A term part is split by one more letter of its key while its text is
/// larger than this: under the 16 KB a blocked connection still carries.
pub const PART_BYTES: usize = 12 * 1024;

/// How much a match counts by where the word is: in the title, in the
/// summary, tags or section, in the body.
const IN_TITLE: u8 = 3;
const IN_SUMMARY: u8 = 2;
const IN_BODY: u8 = 1;

/// One searchable article, newest first in the order given.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    /// The article's address, relative to the search page.
    pub link: String,
    pub title: String,
    /// The date (`2025-04-11`: the page writes it as its language does)
    /// and the section's name.
    pub date: String,
    pub section: String,
    /// The summary (or the body's first words) shown under the title.
    pub summary: String,
    /// Tags and authors' names: found like the summary, not shown.
    pub labels: String,
    /// The body's stems, found and not shown.
    pub body: &'a BodyText,
}

/// A term's documents, by id, with the weight of the term in each.
type Postings = Vec<(u32, u8)>;

/// A file of the index: its path inside the index folder and its text.
#[derive(Debug, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub text: String,
}

/// Every part of the index of `docs` (id = position: the newest first).
pub fn build(docs: &[Document<'_>]) -> Vec<Part> {
    // Stemming the fields is the work, done in parallel; merging into one
    // map is quick and in order. A body's stems are each there once, so
    // only the few stems of its fields need a map (of the best weight).
    let mut fields: Vec<FxHashMap<String, u8>> = docs
        .par_iter()
        .map(|d| {
            let mut best = FxHashMap::default();
            for (text, weight) in
                [(&d.title, IN_TITLE), (&d.summary, IN_SUMMARY), (&d.labels, IN_SUMMARY), (&d.section, IN_SUMMARY)]
            {
                words::each_distinct_stem(text, |s| {
                    let w = best.entry(s.to_string()).or_insert(0);
                    *w = (*w).max(weight);
                });
            }
            best
        })
        .collect();
    let mut terms: FxHashMap<Box<str>, Postings> = FxHashMap::default();
    let mut add = |term: &str, id: u32, weight: u8| match terms.get_mut(term) {
        Some(list) => list.push((id, weight)),
        None => {
            terms.insert(term.into(), vec![(id, weight)]);
        }
    };
    for (id, (d, fields)) in docs.iter().zip(&mut fields).enumerate() {
        let id = id as u32;
        // A field's stem found in the body is taken out of the map, so what
        // stays is only in the fields.
        for s in d.body.stems() {
            add(s, id, fields.remove(s).unwrap_or(IN_BODY));
        }
        for (s, w) in fields.drain() {
            add(&s, id, w);
        }
    }
    let mut terms: Vec<(Box<str>, Postings)> = terms.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let encoded: Vec<(String, String)> = terms.into_par_iter().map(|(t, p)| (t.into(), postings(&p))).collect();
    let mut keys = Vec::new();
    let mut parts = Vec::new();
    split(&encoded, 0, &mut keys, &mut parts);
    keys.sort();
    let mut out = vec![Part { name: "meta.js".into(), text: meta(docs.len(), &keys) }];
    out.extend(parts);
    out.par_extend(docs.par_chunks(DOCS_PER_PART).enumerate().map(|(n, chunk)| {
        let rows = json_in_script(&chunk.iter().map(row).collect::<Vec<_>>());
        Part { name: format!("d-{n}.js"), text: format!("sitegenSearch.docs({n},{rows});\n") }
    }));
    out
}

fn row<'a>(d: &'a Document) -> [&'a str; 5] {
    [&d.link, &d.title, &d.date, &d.section, &d.summary]
}

fn meta(docs: usize, keys: &[String]) -> String {
    #[derive(Serialize)]
    struct Meta<'a> {
        docs: usize,
        per: usize,
        keys: &'a [String],
    }
    format!("sitegenSearch.meta({});\n", json_in_script(&Meta { docs, per: DOCS_PER_PART, keys }))
}

/// Groups sorted terms by their first `len` characters into parts (from
/// none: a small site's index is one part), each group too large split
/// again by one more character. A key keeps the
/// terms no longer than itself; the script finds a term's part as the
/// longest key the term begins with.
fn split(terms: &[(String, String)], len: usize, keys: &mut Vec<String>, parts: &mut Vec<Part>) {
    let mut start = 0;
    while start < terms.len() {
        let key: String = terms[start].0.chars().take(len).collect();
        let end = start + terms[start..].iter().take_while(|(t, _)| t.starts_with(&key)).count();
        let group = &terms[start..end];
        let bytes: usize = group.iter().map(|(t, p)| t.len() + p.len() + 6).sum();
        let longer = group.iter().position(|(t, _)| t.chars().count() > len);
        match longer {
            Some(first_longer) if bytes > PART_BYTES => {
                // Terms equal to the key stay in its own part; the longer
                // ones go one character deeper.
                if first_longer > 0 {
                    push_part(&key, &group[..first_longer], keys, parts);
                }
                split(&group[first_longer..], len + 1, keys, parts);
            }
            _ => push_part(&key, group, keys, parts),
        }
        start = end;
    }
}

fn push_part(key: &str, group: &[(String, String)], keys: &mut Vec<String>, parts: &mut Vec<Part>) {
    let map: BTreeMap<&str, &str> = group.iter().map(|(t, p)| (t.as_str(), p.as_str())).collect();
    parts.push(Part {
        name: part_name(key),
        text: format!("sitegenSearch.terms({},{});\n", json_in_script(&key), json_in_script(&map)),
    });
    keys.push(key.to_string());
}

/// A term part's file name: the key's code points in hex, so that any
/// script's key makes a plain ASCII name (the script computes the same).
pub fn part_name(key: &str) -> String {
    let hex: Vec<String> = key.chars().map(|c| format!("{:x}", c as u32)).collect();
    format!("k-{}.js", hex.join("-"))
}

/// The alphabet of encoded postings (base64url): six bits a character,
/// five of value and one saying another character follows.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A term's documents as text: for each, the gap from the previous id
/// times four plus the weight, as variable-length base-32 numbers.
fn postings(docs: &[(u32, u8)]) -> String {
    let mut out = String::new();
    let mut prev = 0;
    for &(id, w) in docs {
        let mut v = ((id - prev) as u64) << 2 | w as u64;
        prev = id;
        loop {
            let low = (v & 31) as usize;
            v >>= 5;
            if v == 0 {
                out.push(DIGITS[low] as char);
                break;
            }
            out.push(DIGITS[low | 32] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc<'a>(title: &str, body: &'a BodyText) -> Document<'a> {
        Document {
            link: format!("../{}/", title.len()),
            title: title.into(),
            date: "1 May".into(),
            section: "News".into(),
            summary: String::new(),
            labels: String::new(),
            body,
        }
    }

    fn decode(s: &str) -> Vec<(u32, u8)> {
        let mut out = Vec::new();
        let (mut v, mut shift, mut id) = (0u64, 0, 0u32);
        for c in s.bytes() {
            let d = DIGITS.iter().position(|&x| x == c).unwrap() as u64;
            v |= (d & 31) << shift;
            shift += 5;
            if d < 32 {
                id += (v >> 2) as u32;
                out.push((id, (v & 3) as u8));
                (v, shift) = (0, 0);
            }
        }
        out
    }

    #[test]
    fn postings_round_trip_with_large_gaps() {
        let p = [(0, 3), (1, 1), (70_000, 2), (70_001, 1)];
        assert_eq!(decode(&postings(&p)), p);
    }

    #[test]
    fn a_term_weighs_most_where_it_counts_most() {
        let (a, b) = (BodyText::of_html("new sanctions"), BodyText::of_html("sanctioned rain"));
        let parts = build(&[doc("Sanctions", &a), doc("Weather", &b)]);
        let s = parts.iter().find(|p| p.name == part_name("")).unwrap();
        let json = s.text.trim_start_matches("sitegenSearch.terms(\"\",").trim_end_matches(");\n");
        let map: BTreeMap<String, String> = serde_json::from_str(json).unwrap();
        assert_eq!(decode(&map["sanction"]), [(0, IN_TITLE), (1, IN_BODY)]);
    }

    #[test]
    fn large_groups_split_by_one_more_letter_and_keep_their_short_terms() {
        let body: String = (0..3000).map(|i| format!("pa{i:05}x ")).collect::<String>() + " pa";
        let body = BodyText::of_html(&body);
        let parts = build(&[doc("t", &body)]);
        let meta = &parts[0].text;
        assert!(meta.contains("\"pa\"") && meta.contains("\"pa000\""), "{meta}");
        assert!(parts.iter().all(|p| p.text.len() < PART_BYTES + 200), "a part is too large");
    }

    #[test]
    fn documents_are_split_into_numbered_parts_and_cannot_close_the_script() {
        let empty = BodyText::default();
        let docs: Vec<Document> = (0..DOCS_PER_PART + 1).map(|i| doc(&format!("</script> {i}"), &empty)).collect();
        let parts = build(&docs);
        assert!(parts.iter().any(|p| p.name == "d-1.js"));
        assert!(parts.iter().all(|p| !p.text.contains("</script")));
    }

    #[test]
    fn part_names_are_ascii_whatever_the_script() {
        assert_eq!(part_name("пр"), "k-43f-440.js");
        assert_eq!(part_name("a1"), "k-61-31.js");
        assert_eq!(part_name(""), "k-.js");
    }
}
