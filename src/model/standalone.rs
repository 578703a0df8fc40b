//! Standalone pages: About, Contacts, a secure tip line, Privacy. They are
//! not news: no date, no section, in no list or feed; each has an address
//! under its language's home (`about/`, `ru/about/`), and may be linked
//! from the header or footer menu of every page of its language.

use crate::error::{collect_all, Error, Location, Result};
use crate::load::config::Config;
use crate::load::frontmatter::{self, MenuPlace, StandaloneMeta};
use crate::load::scan::{SourceFile, SourceKind};
use crate::urls::PagePath;
use crate::warning::Warning;
use std::path::{Path, PathBuf};

/// One standalone page, from `content/pages/<slug>[.<lang>].md`.
#[derive(Debug, Clone)]
pub struct Standalone {
    slug: String,
    lang: String,
    meta: StandaloneMeta,
    rel: String,
    display: PathBuf,
    body_md: String,
    body_line: usize,
    path: PagePath,
}

impl Standalone {
    pub fn slug(&self) -> &str {
        &self.slug
    }
    pub fn lang(&self) -> &str {
        &self.lang
    }
    pub fn title(&self) -> &str {
        &self.meta.title
    }
    pub fn description(&self) -> Option<&str> {
        self.meta.description.as_deref()
    }
    pub fn menu(&self) -> Option<MenuPlace> {
        self.meta.menu
    }
    /// Its source, content-relative (`pages/about.ru.md`), for links to it.
    pub fn rel(&self) -> &str {
        &self.rel
    }
    /// Its source as the writer sees it, for messages.
    pub fn display(&self) -> &Path {
        &self.display
    }
    pub fn body_md(&self) -> &str {
        &self.body_md
    }
    /// The file line its body starts on.
    pub fn body_line(&self) -> usize {
        self.body_line
    }
    pub fn path(&self) -> &PagePath {
        &self.path
    }
    /// What its menu entry is ordered by: weight, then title, then address.
    fn menu_order(&self) -> (i64, &str, &str) {
        (self.meta.weight.unwrap_or(0), &self.meta.title, self.path.as_str())
    }
}

/// Reads every standalone page (drafts only with `drafts`), sorted by
/// address. `home` gives each language's home address.
pub fn load(
    cfg: &Config,
    files: &[SourceFile],
    home: &dyn Fn(&str) -> PagePath,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Standalone>> {
    let sources = files.iter().filter_map(|f| match &f.kind {
        SourceKind::Standalone { slug, lang } => Some((f, slug, lang)),
        _ => None,
    });
    let parsed = collect_all(sources.map(|(f, slug, lang)| read(cfg, f, slug, lang.as_deref(), home)))?;
    let mut pages = Vec::new();
    for (page, w) in parsed {
        warnings.extend(w);
        if !page.meta.draft || cfg.drafts {
            pages.push(page);
        }
    }
    pages.sort_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
    Ok(pages)
}

fn read(
    cfg: &Config,
    f: &SourceFile,
    slug: &str,
    lang: Option<&str>,
    home: &dyn Fn(&str) -> PagePath,
) -> Result<(Standalone, Vec<Warning>)> {
    let text = crate::fs::read_to_string(&f.abs)?;
    let split = frontmatter::split(&text, &f.display)?;
    let (mut meta, w): (StandaloneMeta, _) = frontmatter::parse(&split, &f.display, frontmatter::STANDALONE_KEYS)?;
    let lang = lang.unwrap_or_else(|| cfg.default_language());
    meta.title = crate::markdown::typography::smarten(&meta.title, lang);
    meta.description = meta.description.map(|d| crate::markdown::typography::smarten(&d, lang));
    if cfg.language(lang).is_none() {
        let known: Vec<&str> = cfg.languages.iter().map(|l| l.code.as_str()).collect();
        return Err(Error::Content {
            loc: Location::file(&f.display),
            msg: format!(
                "`.{lang}.md`: `{lang}` is not a language of this site ({}); name the file {slug}.md or {slug}.<language>.md",
                known.join(", ")
            ),
        });
    }
    let clean = crate::urls::slugify(slug);
    if clean.is_empty() {
        return Err(Error::Content {
            loc: Location::file(&f.display),
            msg: format!("`{slug}` makes no address; give the file a name with letters or digits"),
        });
    }
    let page = Standalone {
        path: home(lang).join(&clean),
        slug: clean,
        lang: lang.to_string(),
        meta,
        rel: f.rel.clone(),
        display: f.display.clone(),
        body_md: split.body.to_string(),
        body_line: split.body_line,
    };
    Ok((page, w))
}

/// The pages of language `lang` in menu `place`, in menu order.
pub fn menu(pages: &[Standalone], lang: &str, place: MenuPlace) -> Vec<usize> {
    let mut ids: Vec<usize> =
        (0..pages.len()).filter(|&i| pages[i].lang == lang && pages[i].meta.menu == Some(place)).collect();
    ids.sort_by(|&a, &b| pages[a].menu_order().cmp(&pages[b].menu_order()));
    ids
}
