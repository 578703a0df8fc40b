//! "Read more": for each article, others in its language published before
//! it that share the most tags, the newest of them first; topped up from its
//! section. Only earlier stories, so that publishing a story changes no
//! other story's page: a mirror uploads the new story and its lists, not
//! the hundred stories whose "Read more" it would have entered.
//! Deterministic: ties are broken by the article order (date, then path).
//! Tags are compared without case, as their pages are.
//!
//! Counting shared tags article by article would read every other article
//! of each tag, which grows with the square of the archive: a tag on
//! thousands of articles is held as a bitset instead, and the counts of all
//! such tags are added 64 articles at a time. Rare tags keep a short list.

use crate::load::article::Article;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// `articles` must be in site order (newest first), so a lower id is newer.
pub fn related(articles: &[Article], n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new(); articles.len()];
    }
    let mut langs: HashMap<&str, Lang> = HashMap::new();
    // Each article's place in its language, and its tags by index there.
    let mut place = Vec::with_capacity(articles.len());
    let mut tags_of: Vec<Vec<usize>> = Vec::with_capacity(articles.len());
    for (i, a) in articles.iter().enumerate() {
        let lang = langs.entry(&a.lang).or_default();
        let at = lang.ids.len();
        lang.ids.push(i);
        lang.by_section.entry(&a.section).or_default().push(at);
        let mut own: Vec<usize> = a
            .tags
            .iter()
            .map(|t| {
                let key = t.to_lowercase();
                let next = lang.tag_index.len();
                let tag = *lang.tag_index.entry(key).or_insert(next);
                if tag == lang.members.len() {
                    lang.members.push(Vec::new());
                }
                tag
            })
            .collect();
        own.sort_unstable();
        own.dedup();
        for &t in &own {
            lang.members[t].push(at);
        }
        place.push(at);
        tags_of.push(own);
    }
    for lang in langs.values_mut() {
        lang.index_common_tags();
    }
    (0..articles.len())
        .into_par_iter()
        .map_init(Scratch::default, |scratch, i| {
            let lang = &langs[articles[i].lang.as_str()];
            let mut out = lang.most_shared(place[i], &tags_of[i], n, scratch);
            for &j in &lang.by_section[articles[i].section.as_str()] {
                if out.len() >= n {
                    break;
                }
                if j > place[i] && !out.contains(&j) {
                    out.push(j);
                }
            }
            out.into_iter().map(|j| lang.ids[j]).collect()
        })
        .collect()
}

/// One language's articles, by place (0 = newest).
#[derive(Default)]
struct Lang<'a> {
    ids: Vec<usize>,
    by_section: HashMap<&'a str, Vec<usize>>,
    tag_index: HashMap<String, usize>,
    /// Per tag: the places of its articles, ascending.
    members: Vec<Vec<usize>>,
    /// Per tag on at least one article in 64: its articles as a bitset.
    bits: Vec<Option<Vec<u64>>>,
}

/// Per-thread buffers, reused from article to article.
#[derive(Default)]
struct Scratch {
    /// Bit-sliced counters: plane `p` holds bit `p` of each article's count
    /// of shared common tags.
    planes: Vec<Vec<u64>>,
    carry: Vec<u64>,
    level: Vec<u64>,
    rare: BTreeMap<usize, usize>,
}

impl Lang<'_> {
    fn words(&self) -> usize {
        self.ids.len().div_ceil(64)
    }

    /// A bitset costs a word per 64 articles: worth it once a tag's list is
    /// at least that long.
    fn index_common_tags(&mut self) {
        let words = self.words();
        self.bits = self
            .members
            .iter()
            .map(|m| {
                (m.len() >= words.max(1)).then(|| {
                    let mut b = vec![0u64; words];
                    for &p in m {
                        b[p / 64] |= 1 << (p % 64);
                    }
                    b
                })
            })
            .collect();
    }

    /// Up to `n` places after `me` (older) sharing tags with it: most shared
    /// first, then newest first.
    fn most_shared(&self, me: usize, tags: &[usize], n: usize, s: &mut Scratch) -> Vec<usize> {
        let common: Vec<&Vec<u64>> = tags.iter().filter_map(|&t| self.bits[t].as_ref()).collect();
        // Rare tags: counted one by one (older places only).
        s.rare.clear();
        for &t in tags.iter().filter(|&&t| self.bits[t].is_none()) {
            for &p in self.members[t].iter().filter(|&&p| p > me) {
                *s.rare.entry(p).or_default() += 1;
            }
        }
        let words = self.words();
        let depth = (usize::BITS - common.len().leading_zeros()) as usize;
        s.planes.resize_with(depth, Vec::new);
        for plane in &mut s.planes {
            plane.clear();
            plane.resize(words, 0);
        }
        // Adds each bitset into the counters, whole planes at a time (loops
        // the compiler turns into vector instructions).
        for b in &common {
            s.carry.clear();
            s.carry.extend_from_slice(b);
            for plane in s.planes.iter_mut() {
                for (p, c) in plane.iter_mut().zip(s.carry.iter_mut()) {
                    let sum = *p ^ *c;
                    *c &= *p;
                    *p = sum;
                }
            }
        }
        let count_of = |p: usize| -> usize {
            s.planes.iter().enumerate().map(|(bit, plane)| (((plane[p / 64] >> (p % 64)) & 1) as usize) << bit).sum()
        };
        // Articles with a rare tag in common: their whole count.
        let rare: Vec<(usize, usize)> = s.rare.iter().map(|(&p, &c)| (p, c + count_of(p))).collect();
        let mut out = Vec::with_capacity(n);
        for level in (1..=tags.len()).rev() {
            // Places at this level, newest first: those counted by bitsets
            // alone (not `me`, not the rare ones) merged with the rare ones.
            let mut from_rare = rare.iter().filter(|&&(_, c)| c == level).map(|&(p, _)| p).peekable();
            let skip = |p: usize| p <= me || s.rare.contains_key(&p);
            if level <= common.len() {
                // The articles whose count is `level`, as a bitset.
                s.level.clear();
                s.level.resize(words, !0);
                for (bit, plane) in s.planes.iter().enumerate() {
                    let set = (level >> bit) & 1 == 1;
                    for (m, &p) in s.level.iter_mut().zip(plane) {
                        *m &= if set { p } else { !p };
                    }
                }
                for (w, &word) in s.level.iter().enumerate() {
                    let mut word = word;
                    while word != 0 {
                        let p = w * 64 + word.trailing_zeros() as usize;
                        word &= word - 1;
                        if skip(p) {
                            continue;
                        }
                        while let Some(r) = from_rare.next_if(|&r| r < p) {
                            out.push(r);
                            if out.len() == n {
                                return out;
                            }
                        }
                        out.push(p);
                        if out.len() == n {
                            return out;
                        }
                    }
                }
            }
            for r in from_rare {
                out.push(r);
                if out.len() == n {
                    return out;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, article by article: count shared tags, sort, top up.
    fn by_definition(tags: &[(&str, &str, Vec<String>)], n: usize) -> Vec<Vec<usize>> {
        (0..tags.len())
            .map(|i| {
                let (lang, section, own) = &tags[i];
                let mut scored: Vec<(usize, usize)> = (0..tags.len())
                    .filter(|&j| j > i && tags[j].0 == *lang)
                    .map(|j| {
                        let theirs: Vec<String> = tags[j].2.iter().map(|t| t.to_lowercase()).collect();
                        let mut mine: Vec<String> = own.iter().map(|t| t.to_lowercase()).collect();
                        mine.sort();
                        mine.dedup();
                        (mine.iter().filter(|t| theirs.contains(t)).count(), j)
                    })
                    .filter(|&(c, _)| c > 0)
                    .collect();
                scored.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
                let mut out: Vec<usize> = scored.into_iter().take(n).map(|(_, j)| j).collect();
                for (j, (l, sec, _)) in tags.iter().enumerate() {
                    if out.len() >= n {
                        break;
                    }
                    if j > i && l == lang && sec == section && !out.contains(&j) {
                        out.push(j);
                    }
                }
                out
            })
            .collect()
    }

    fn articles(spec: &[(&str, &str, Vec<String>)]) -> Vec<Article> {
        spec.iter()
            .enumerate()
            .map(|(i, (lang, section, tags))| {
                let slug = format!("a{i}");
                Article {
                    rel: format!("{section}/{slug}.md"),
                    display: format!("content/{section}/{slug}.md").into(),
                    dir: section.to_string(),
                    bundle: false,
                    lang: lang.to_string(),
                    section: section.to_string(),
                    path: crate::urls::PagePath::from_segments([*section, slug.as_str()]),
                    slug,
                    title: format!("Article {i}"),
                    summary: None,
                    date: crate::load::dates::parse("2024-05-01").unwrap(),
                    updated: None,
                    expires: None,
                    corrections: Vec::new(),
                    featured: false,
                    featured_until: None,
                    held: None,
                    authors: Vec::new(),
                    tags: tags.clone(),
                    photo: None,
                    photo_line: 0,
                    wire_credit: None,
                    dateline: None,
                    translation_key: None,
                    aliases: Vec::new(),
                    draft: false,
                    body_md: Some("".into()),
                    body_line: 1,
                    body_at: 0,
                    body_fp: 0,
                }
            })
            .collect()
    }

    #[test]
    fn most_shared_tags_first_then_newest_then_section() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let spec = vec![
            ("en", "news", t(&["a", "b"])),
            ("en", "news", t(&["c"])),
            ("en", "arts", t(&["A", "b"])),
            ("ru", "news", t(&["a", "b"])),
            ("en", "news", t(&["a"])),
            ("en", "arts", t(&[])),
        ];
        let got = related(&articles(&spec), 3);
        assert_eq!(got[0], [2, 4, 1], "two shared, one shared, then the section");
        assert_eq!(got[3], Vec::<usize>::new(), "alone in its language");
        assert_eq!(got[4], Vec::<usize>::new(), "nothing older shares a tag or its section");
        assert_eq!(got, by_definition(&spec, 3));
    }

    /// Publishing a story (the newest) changes no other story's "Read more".
    #[test]
    fn a_new_story_enters_no_older_story_s_read_more() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut spec = vec![
            ("en", "news", t(&["a", "b"])),
            ("en", "news", t(&["a"])),
            ("en", "arts", t(&["b"])),
            ("en", "news", t(&[])),
        ];
        let before = related(&articles(&spec), 2);
        spec.insert(0, ("en", "news", t(&["a", "b"])));
        let after = related(&articles(&spec), 2);
        assert_eq!(after[0], [1, 2], "the new story's own: the older ones sharing most");
        for (old, was) in before.iter().enumerate() {
            assert_eq!(after[old + 1], was.iter().map(|j| j + 1).collect::<Vec<_>>(), "story {old}");
        }
    }

    /// Random archives, small and large enough for bitsets, against the
    /// definition.
    #[test]
    fn equals_the_definition_on_random_archives() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for &(len, vocab) in &[(12, 4), (90, 6), (300, 40), (700, 9)] {
            let spec: Vec<(&str, &str, Vec<String>)> = (0..len)
                .map(|_| {
                    let lang = if next(5) == 0 { "ru" } else { "en" };
                    let section = ["news", "arts", "sport"][next(3) as usize];
                    // Common tags from `vocab`, and rare ones (kept as lists).
                    let tags = (0..next(6))
                        .map(|k| if k % 2 == 0 { format!("T{}", next(vocab)) } else { format!("r{}", next(len * 2)) })
                        .collect();
                    (lang, section, tags)
                })
                .collect();
            for n in [1, 4] {
                assert_eq!(
                    related(&articles(&spec), n),
                    by_definition(&spec, n),
                    "{len} articles, {vocab} tags, n={n}"
                );
            }
        }
    }
}
