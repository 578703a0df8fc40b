//! "Read more": for each article, others in its language that share the most
//! tags, newer first; topped up from its section. Deterministic: ties are
//! broken by the article order (date, then path).

use crate::article::Article;
use rayon::prelude::*;
use std::collections::HashMap;

/// `articles` must be in site order (newest first), so a lower id is newer.
pub fn related(articles: &[Article], n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new(); articles.len()];
    }
    let mut by_tag: HashMap<(&str, String), Vec<usize>> = HashMap::new();
    let mut by_section: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, a) in articles.iter().enumerate() {
        for t in &a.tags {
            by_tag.entry((&a.lang, t.to_lowercase())).or_default().push(i);
        }
        by_section.entry((&a.lang, &a.section)).or_default().push(i);
    }
    (0..articles.len())
        .into_par_iter()
        .map(|i| {
            let a = &articles[i];
            let mut score: HashMap<usize, u32> = HashMap::new();
            for t in &a.tags {
                for &j in &by_tag[&(a.lang.as_str(), t.to_lowercase())] {
                    if j != i {
                        *score.entry(j).or_default() += 1;
                    }
                }
            }
            let mut ranked: Vec<(u32, usize)> = score.into_iter().map(|(j, s)| (s, j)).collect();
            ranked.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
            let mut out: Vec<usize> = ranked.into_iter().take(n).map(|(_, j)| j).collect();
            for &j in &by_section[&(a.lang.as_str(), a.section.as_str())] {
                if out.len() >= n {
                    break;
                }
                if j != i && !out.contains(&j) {
                    out.push(j);
                }
            }
            out
        })
        .collect()
}
