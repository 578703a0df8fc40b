//! Each language's search index (`search/parts/` beside its search page)
//! and the page's script (`search.<hash>.js` at the root), made from the
//! site model and the texts the bodies were reduced to as they rendered.

use super::GeneratedFile;
use crate::model::site::Site;
use crate::render::bodies::Bodies;
use crate::search::index::{self, Document};
use crate::search::script;
use crate::urls::root_prefix;

/// The script and every language's index.
pub fn files(site: &Site, bodies: &Bodies) -> Vec<GeneratedFile> {
    let mut out = vec![GeneratedFile { path: script::file_name().to_string(), text: script::text().to_string() }];
    let pretty = site.config().pretty_urls;
    for tree in site.langs() {
        let page = tree.home.join("search");
        let root = root_prefix(page.depth());
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
        out.extend(
            index::build(&docs)
                .into_iter()
                .map(|p| GeneratedFile { path: format!("{}{}{}", page.as_str(), index::FOLDER, p.name), text: p.text }),
        );
    }
    out
}
