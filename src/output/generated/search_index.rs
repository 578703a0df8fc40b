//! Each language's search index (`search/parts/` beside its search page)
//! and the page's script (`search.<hash>.js` at the root), made from the
//! site model and the texts the bodies were reduced to as they rendered.
//! A language's index has a key, what it is made from, so a build whose
//! key is unchanged keeps the files rather than making them again.

use super::GeneratedFile;
use crate::fingerprint::{Fp, Key};
use crate::model::site::Site;
use crate::render::bodies::Bodies;
use crate::search::index::{self, Document};
use crate::search::script;
use crate::urls::root_prefix;

/// The search page's script, the same for every language.
pub fn script() -> GeneratedFile {
    GeneratedFile { path: script::file_name().to_string(), text: script::text().to_string() }
}

/// The folder of language `lang`'s index: every file under it is the
/// index's.
pub fn folder(site: &Site, lang: usize) -> String {
    format!("{}{}", site.langs()[lang].home.join("search").as_str(), index::FOLDER)
}

/// What language `lang`'s index is made from: each story's address,
/// title, date, section, summary, tags, authors and body (by its
/// fingerprint: the body's text is a function of it), and the index's own
/// format (the script's name carries its hash).
pub fn key(site: &Site, bodies: &Bodies, lang: usize) -> Key {
    let tree = &site.langs()[lang];
    let mut fp = Fp::new("search index");
    fp.str(script::file_name()).str(tree.home.as_str()).u64(site.config().pretty_urls as u64);
    fp.u64(index::DOCS_PER_PART as u64).u64(index::PART_BYTES as u64);
    for &i in &tree.articles {
        let a = &site.articles()[i];
        fp.str(a.path.as_str()).str(&a.title).str(&a.date.to_rfc3339()).str(&a.section).opt(a.summary.as_deref());
        fp.debug(&a.tags).debug(&a.authors).key(bodies.keys[i]);
    }
    for s in &tree.sections {
        fp.str(&s.name).str(&s.title);
    }
    fp.finish()
}

/// Language `lang`'s index.
pub fn language(site: &Site, bodies: &Bodies, lang: usize) -> Vec<GeneratedFile> {
    let tree = &site.langs()[lang];
    let root = root_prefix(tree.home.join("search").depth());
    let pretty = site.config().pretty_urls;
    let docs: Vec<Document> = tree
        .articles
        .iter()
        .map(|&i| {
            let a = &site.articles()[i];
            let text = &bodies.texts[i];
            Document {
                link: format!("{root}{}", a.path.link(pretty)),
                title: a.title.clone(),
                date: a.date.format("%Y-%m-%d").to_string(),
                section: tree.section(&a.section).map(|s| s.title.clone()).unwrap_or_default(),
                summary: a.summary.clone().unwrap_or_else(|| text.lead().to_string()),
                labels: a.tags.iter().chain(&a.authors).map(String::as_str).collect::<Vec<_>>().join(" "),
                body: text,
            }
        })
        .collect();
    let folder = folder(site, lang);
    index::build(&docs)
        .into_iter()
        .map(|p| GeneratedFile { path: format!("{folder}{}", p.name), text: p.text })
        .collect()
}
