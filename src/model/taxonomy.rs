//! Tags and authors: names grouped into terms with URL slugs. Two different
//! names that slug alike in one language («Спорт» and "sport") get distinct,
//! deterministic URLs rather than overwriting each other.

use crate::urls::PagePath;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub path: PagePath,
    /// Article ids, newest first.
    pub articles: Vec<usize>,
}

/// Groups `(name, article)` pairs (articles given newest first) into terms
/// under `base` (`tags/` or `ru/authors/`). Names equal but for case are one
/// term, shown as first written. `fixed` pins slugs (author files).
pub fn terms(
    pairs: impl IntoIterator<Item = (String, usize)>,
    base: &PagePath,
    fixed: &BTreeMap<String, String>,
) -> Vec<Term> {
    let mut by_key: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for (name, id) in pairs {
        let entry = by_key.entry(name.to_lowercase()).or_insert_with(|| (name.clone(), Vec::new()));
        if entry.1.last() != Some(&id) {
            entry.1.push(id);
        }
    }
    // Slug → names wanting it; BTreeMap keeps it deterministic.
    let mut wanted: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, (name, _)) in &by_key {
        let slug = fixed.get(name).cloned().unwrap_or_else(|| crate::urls::slugify(name));
        wanted.entry(slug).or_default().push(key.clone());
    }
    let mut slugs: BTreeMap<String, String> = BTreeMap::new();
    for (slug, mut keys) in wanted {
        // The name spelled exactly like its slug keeps it, then Latin names,
        // then the rest in order; later ones get -2, -3.
        keys.sort_by_key(|k| (k != &slug, !k.is_ascii(), k.clone()));
        for (i, key) in keys.into_iter().enumerate() {
            let s = if i == 0 { slug.clone() } else { format!("{slug}-{}", i + 1) };
            slugs.insert(key, s);
        }
    }
    let mut out: Vec<Term> = by_key
        .into_iter()
        .map(|(key, (name, articles))| {
            let slug = slugs.remove(&key).expect("every key has a slug");
            Term { path: base.join(&slug), name, slug, articles }
        })
        .collect();
    // A later slug may equal an earlier collision's suffix ("sport-2"): rare,
    // but it must not overwrite; suffix again until unique.
    let mut taken = std::collections::BTreeSet::new();
    out.sort_by(|a, b| a.slug.cmp(&b.slug));
    for t in &mut out {
        let mut n = 2;
        let base_slug = t.slug.clone();
        while !taken.insert(t.slug.clone()) {
            t.slug = format!("{base_slug}-{n}");
            n += 1;
        }
        t.path = base.join(&t.slug);
    }
    out.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.slug.cmp(&b.slug)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(pairs: &[(&str, usize)]) -> Vec<(String, String, Vec<usize>)> {
        let pairs = pairs.iter().map(|(n, i)| (n.to_string(), *i));
        terms(pairs, &PagePath::from_segments(["tags"]), &BTreeMap::new())
            .into_iter()
            .map(|t| (t.name, t.slug, t.articles))
            .collect()
    }

    #[test]
    fn colliding_names_get_distinct_slugs() {
        let t = names(&[("Спорт", 0), ("sport", 1), ("Sport", 2)]);
        assert_eq!(
            t,
            vec![
                ("sport".to_string(), "sport".to_string(), vec![1, 2]),
                ("Спорт".to_string(), "sport-2".to_string(), vec![0]),
            ]
        );
    }

    #[test]
    fn order_of_input_does_not_change_slugs() {
        let a = names(&[("Спорт", 0), ("sport", 1)]);
        let b = names(&[("sport", 0), ("Спорт", 1)]);
        let slugs =
            |v: &Vec<(String, String, Vec<usize>)>| v.iter().map(|x| (x.0.clone(), x.1.clone())).collect::<Vec<_>>();
        assert_eq!(slugs(&a), slugs(&b));
    }

    #[test]
    fn fixed_slugs_win() {
        let mut fixed = BTreeMap::new();
        fixed.insert("Jane Roe".to_string(), "jroe".to_string());
        let t = terms([("Jane Roe".to_string(), 0)], &PagePath::from_segments(["authors"]), &fixed);
        assert_eq!(t[0].path.as_str(), "authors/jroe/");
    }

    #[test]
    fn suffix_clash_is_resolved() {
        let t = names(&[("sport", 0), ("Спорт", 1), ("sport 2", 2)]);
        let mut slugs: Vec<String> = t.into_iter().map(|x| x.1).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), 3);
    }
}
