//! The site model: articles grouped per language into sections, tags and
//! authors, with translations and "Read more" lists. Assembled once,
//! sequentially and deterministically, then only read.

use crate::error::{collect_all, Error, Location, Result};
use crate::load::article::Article;
use crate::load::config::Config;
use crate::load::frontmatter::{self, AuthorMeta, MenuPlace, SectionMeta};
use crate::load::scan::{SourceFile, SourceKind};
use crate::model::pagination::{page_path, Pages};
use crate::model::standalone::{self, Standalone};
use crate::model::taxonomy::{self, Term};
use crate::urls::PagePath;
use crate::warning::Warning;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Section {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub order: i64,
    pub path: PagePath,
    pub articles: Vec<usize>,
}

/// An author file (`content/authors/<slug>[.<lang>].md`).
#[derive(Debug, Clone)]
pub struct AuthorFile {
    pub slug: String,
    pub lang: Option<String>,
    pub meta: AuthorMeta,
    pub display: PathBuf,
    pub bio_md: String,
    pub bio_line: usize,
}

/// One language's tree of pages.
#[derive(Debug, Clone)]
pub struct LangTree {
    pub code: String,
    pub home: PagePath,
    /// Newest first.
    pub articles: Vec<usize>,
    pub sections: Vec<Section>,
    pub tags: Vec<Term>,
    pub authors: Vec<Term>,
    tag_index: HashMap<String, usize>,
    author_index: HashMap<String, usize>,
}

impl LangTree {
    pub fn tag(&self, name: &str) -> &Term {
        &self.tags[self.tag_id(name)]
    }
    pub fn author(&self, name: &str) -> &Term {
        &self.authors[self.author_id(name)]
    }
    /// The index in `tags` of the tag `name` (any case).
    pub fn tag_id(&self, name: &str) -> usize {
        self.tag_index[&name.to_lowercase()]
    }
    /// The index in `authors` of the author `name` (any case).
    pub fn author_id(&self, name: &str) -> usize {
        self.author_index[&name.to_lowercase()]
    }
    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }
}

/// The site model. Read-only once assembled, but for two changes that move
/// nothing any page shows of the others: a one-shot build lets go of the
/// Markdown of bodies it has rendered (`release_markdown`), and the watch
/// fast path puts in an edited article whose place in the site is the same
/// (`replace_unmoved`).
pub struct Site {
    config: Config,
    /// Newest first, ties by path: ids are indices into this.
    articles: Vec<Article>,
    langs: Vec<LangTree>,
    /// Per article: its other-language editions, in language order.
    translations: Vec<Vec<usize>>,
    /// Per article: the "Read more" list.
    related: Vec<Vec<usize>>,
    author_files: Vec<AuthorFile>,
    /// Every page the site has, so links can be checked.
    page_paths: HashSet<PagePath>,
    /// Article source (content-relative) → its id.
    by_source: HashMap<String, usize>,
    /// Content-relative bundle folder → the article pages that own it.
    bundles: BTreeMap<String, Vec<usize>>,
    /// Old addresses and the article each leads to, sorted by address.
    aliases: Vec<(PagePath, usize)>,
    /// About, Contacts and the like, sorted by address.
    standalone: Vec<Standalone>,
}

impl Site {
    pub fn config(&self) -> &Config {
        &self.config
    }
    /// Every article, newest first; an article's id is its index here.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }
    /// The language trees, in the site's language order.
    pub fn langs(&self) -> &[LangTree] {
        &self.langs
    }
    /// The index of language `code`'s tree; every article's language has one.
    pub fn lang_index(&self, code: &str) -> usize {
        self.langs.iter().position(|t| t.code == code).expect("an article's language has a tree")
    }
    /// The tree of language `code`.
    pub fn tree(&self, code: &str) -> &LangTree {
        &self.langs[self.lang_index(code)]
    }
    /// Article `id`'s editions in other languages.
    pub fn translations(&self, id: usize) -> &[usize] {
        &self.translations[id]
    }
    /// Article `id`'s "Read more" list.
    pub fn related(&self, id: usize) -> &[usize] {
        &self.related[id]
    }
    pub fn author_files(&self) -> &[AuthorFile] {
        &self.author_files
    }
    /// Whether the site has a page at `path`.
    pub fn has_page(&self, path: &PagePath) -> bool {
        self.page_paths.contains(path)
    }
    /// Every page address, in no order.
    pub fn page_paths(&self) -> impl Iterator<Item = &PagePath> {
        self.page_paths.iter()
    }
    /// The id of the article made from content file `rel`.
    pub fn article_at(&self, rel: &str) -> Option<usize> {
        self.by_source.get(rel).copied()
    }
    /// The articles whose bundle is content folder `dir`.
    pub fn bundle(&self, dir: &str) -> Option<&[usize]> {
        self.bundles.get(dir).map(Vec::as_slice)
    }
    /// Old addresses and the article each leads to, sorted by address.
    pub fn aliases(&self) -> &[(PagePath, usize)] {
        &self.aliases
    }
    /// The standalone pages, sorted by address; a page's id is its index.
    pub fn standalone(&self) -> &[Standalone] {
        &self.standalone
    }
    /// The standalone page made from content file `rel`.
    pub fn standalone_at(&self, rel: &str) -> Option<&Standalone> {
        self.standalone.iter().find(|p| p.rel() == rel)
    }
    /// The standalone pages of language `lang` in menu `place`, in order.
    pub fn menu(&self, lang: &str, place: MenuPlace) -> Vec<usize> {
        standalone::menu(&self.standalone, lang, place)
    }
    /// Article `id`'s editions, itself first: (language, address) each.
    pub fn article_editions(&self, id: usize) -> Vec<(&str, &PagePath)> {
        let edition = |i: usize| (self.articles[i].lang.as_str(), &self.articles[i].path);
        std::iter::once(id).chain(self.translations[id].iter().copied()).map(edition).collect()
    }
    /// Standalone page `id`'s editions (the same file name in each
    /// language), itself first.
    pub fn standalone_editions(&self, id: usize) -> Vec<(&str, &PagePath)> {
        let slug = self.standalone[id].slug();
        let others = (0..self.standalone.len()).filter(|&j| j != id && self.standalone[j].slug() == slug);
        std::iter::once(id).chain(others).map(|j| (self.standalone[j].lang(), self.standalone[j].path())).collect()
    }

    /// Lets go of every article's Markdown (a one-shot build, once every
    /// body it shows is rendered): about as much memory as the bodies.
    pub fn release_markdown(&mut self) {
        for a in &mut self.articles {
            a.body_md = None;
        }
    }

    /// Puts in the edited article `id` if its place in the site is the same
    /// (`Article::placement`): then no list, tag, author, translation or
    /// alias changes, only what the article itself shows. `false`, and the
    /// site unchanged, if it moved.
    pub fn replace_unmoved(&mut self, id: usize, article: Article) -> bool {
        let unmoved = article.placement() == self.articles[id].placement();
        if unmoved {
            self.articles[id] = article;
        }
        unmoved
    }
}

/// Section names a theme offers per language: (lang, section) → title.
pub type SectionNames<'a> = &'a dyn Fn(&str, &str) -> Option<String>;

pub fn assemble(
    cfg: Config,
    mut articles: Vec<Article>,
    files: &[SourceFile],
    section_names: SectionNames,
    warnings: &mut Vec<Warning>,
) -> Result<Site> {
    articles.sort_by(|a, b| a.recency_key().cmp(&b.recency_key()));
    check_unique_paths(&articles)?;
    let section_files = load_section_files(files, warnings)?;
    let author_files = load_author_files(files, warnings)?;
    let langs: Vec<LangTree> = cfg
        .languages
        .iter()
        .map(|l| lang_tree(&cfg, &l.code, &articles, &section_files, &author_files, section_names))
        .collect();
    let translations = translations(&cfg, &articles)?;
    let related = crate::model::related::related(&articles, cfg.related);
    let by_source = articles.iter().enumerate().map(|(i, a)| (a.rel.clone(), i)).collect();
    let mut bundles: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate().filter(|(_, a)| a.bundle) {
        bundles.entry(a.dir.clone()).or_default().push(i);
    }
    let mut site = Site {
        config: cfg,
        articles,
        langs,
        translations,
        related,
        author_files,
        page_paths: HashSet::new(),
        by_source,
        bundles,
        aliases: Vec::new(),
        standalone: Vec::new(),
    };
    site.page_paths = all_pages(&site);
    let home = |lang: &str| site.tree(lang).home.clone();
    let standalone = standalone::load(&site.config, files, &home, warnings)?;
    site.page_paths.extend(free_addresses(&site, &standalone)?);
    site.standalone = standalone;
    site.aliases = check_aliases(&site)?;
    Ok(site)
}

fn check_unique_paths(articles: &[Article]) -> Result<()> {
    let mut seen: HashMap<&PagePath, &Article> = HashMap::new();
    let mut errors = Vec::new();
    for a in articles {
        if let Some(other) = seen.insert(&a.path, a) {
            let (first, second) = if other.rel < a.rel { (other, a) } else { (a, other) };
            errors.push(Error::Content {
                loc: Location::file(&second.display),
                msg: format!(
                    "has the same address /{} as {}; give one of them another `slug:`",
                    a.path.as_str(),
                    first.display.display()
                ),
            });
        }
    }
    collect_all(errors.into_iter().map(Err::<(), _>)).map(|_| ())
}

fn load_section_files(
    files: &[SourceFile],
    warnings: &mut Vec<Warning>,
) -> Result<BTreeMap<(String, Option<String>), SectionMeta>> {
    let results = files.iter().filter_map(|f| match &f.kind {
        SourceKind::SectionIndex { section, lang } => Some((f, section, lang)),
        _ => None,
    });
    let parsed = collect_all(results.map(|(f, section, lang)| {
        let text = crate::fs::read_to_string(&f.abs)?;
        let split = frontmatter::split(&text, &f.display)?;
        let (meta, w): (SectionMeta, _) = frontmatter::parse(&split, &f.display, frontmatter::SECTION_KEYS)?;
        Ok(((crate::urls::slugify(section), lang.clone()), meta, w))
    }))?;
    Ok(parsed
        .into_iter()
        .map(|(k, m, w)| {
            warnings.extend(w);
            (k, m)
        })
        .collect())
}

fn load_author_files(files: &[SourceFile], warnings: &mut Vec<Warning>) -> Result<Vec<AuthorFile>> {
    let results = files.iter().filter_map(|f| match &f.kind {
        SourceKind::Author { slug, lang } => Some((f, slug, lang)),
        _ => None,
    });
    let parsed = collect_all(results.map(|(f, slug, lang)| {
        let text = crate::fs::read_to_string(&f.abs)?;
        let split = frontmatter::split(&text, &f.display)?;
        let (meta, w): (AuthorMeta, _) = frontmatter::parse(&split, &f.display, frontmatter::AUTHOR_KEYS)?;
        let file = AuthorFile {
            slug: crate::urls::slugify(slug),
            lang: lang.clone(),
            meta,
            display: f.display.clone(),
            bio_md: split.body.to_string(),
            bio_line: split.body_line,
        };
        Ok((file, w))
    }))?;
    Ok(parsed
        .into_iter()
        .map(|(f, w)| {
            warnings.extend(w);
            f
        })
        .collect())
}

fn lang_tree(
    cfg: &Config,
    code: &str,
    articles: &[Article],
    section_files: &BTreeMap<(String, Option<String>), SectionMeta>,
    author_files: &[AuthorFile],
    section_names: SectionNames,
) -> LangTree {
    let prefix = if code == cfg.default_language() { "" } else { code };
    let home = PagePath::from_segments([prefix]);
    let ids: Vec<usize> = (0..articles.len()).filter(|&i| articles[i].lang == code).collect();
    let mut by_section: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &i in &ids {
        by_section.entry(&articles[i].section).or_default().push(i);
    }
    let mut sections: Vec<Section> = by_section
        .into_iter()
        .map(|(name, list)| {
            // This language's _index file first, then the theme's name for
            // the section in this language, then the default _index file.
            let own = section_files.get(&(name.to_string(), Some(code.to_string())));
            let default = section_files.get(&(name.to_string(), None));
            let own = own.or(default.filter(|_| code == cfg.default_language()));
            let meta = own.or(default);
            let title = own
                .and_then(|m| m.title.clone())
                .or_else(|| section_names(code, name))
                .or_else(|| default.and_then(|m| m.title.clone()))
                .unwrap_or_else(|| title_case(name));
            Section {
                name: name.to_string(),
                title,
                description: own.and_then(|m| m.description.clone()),
                order: meta.and_then(|m| m.order).unwrap_or(i64::MAX),
                path: home.join(name),
                articles: list,
            }
        })
        .collect();
    sections.sort_by(|a, b| (a.order, &a.name).cmp(&(b.order, &b.name)));
    let tag_pairs = ids.iter().flat_map(|&i| articles[i].tags.iter().map(move |t| (t.clone(), i)));
    let tags = taxonomy::terms(tag_pairs, &home.join("tags"), &BTreeMap::new());
    let fixed: BTreeMap<String, String> = author_files.iter().map(|f| (f.meta.name.clone(), f.slug.clone())).collect();
    let author_pairs = ids.iter().flat_map(|&i| articles[i].authors.iter().map(move |t| (t.clone(), i)));
    let authors = taxonomy::terms(author_pairs, &home.join("authors"), &fixed);
    let index = |terms: &[Term]| terms.iter().enumerate().map(|(i, t)| (t.name.to_lowercase(), i)).collect();
    LangTree {
        code: code.to_string(),
        tag_index: index(&tags),
        author_index: index(&authors),
        home,
        articles: ids,
        sections,
        tags,
        authors,
    }
}

fn title_case(name: &str) -> String {
    let spaced = name.replace('-', " ");
    let mut c = spaced.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Links the editions of one story (same `translation_key`) both ways.
fn translations(cfg: &Config, articles: &[Article]) -> Result<Vec<Vec<usize>>> {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        if let Some(k) = &a.translation_key {
            groups.entry(k).or_default().push(i);
        }
    }
    let lang_pos = |code: &str| cfg.languages.iter().position(|l| l.code == code).unwrap_or(usize::MAX);
    let mut out = vec![Vec::new(); articles.len()];
    let mut errors = Vec::new();
    for (key, mut ids) in groups {
        ids.sort_by_key(|&i| (lang_pos(&articles[i].lang), articles[i].rel.clone()));
        for pair in ids.windows(2) {
            let (a, b) = (&articles[pair[0]], &articles[pair[1]]);
            if a.lang == b.lang {
                errors.push(Error::Content {
                    loc: Location::file(&b.display),
                    msg: format!(
                        "`translation_key: {key}` is also used by {} in the same language ({}); each language may have one edition",
                        a.display.display(),
                        a.lang
                    ),
                });
            }
        }
        for &i in &ids {
            out[i] = ids.iter().copied().filter(|&j| j != i).collect();
        }
    }
    collect_all(errors.into_iter().map(Err::<(), _>))?;
    Ok(out)
}

/// The addresses of the standalone pages, none of them taken by a section,
/// a list or another page.
fn free_addresses(site: &Site, pages: &[Standalone]) -> Result<Vec<PagePath>> {
    let mut seen: HashMap<&PagePath, &Standalone> = HashMap::new();
    let errors = pages.iter().filter_map(|p| {
        let taken = match seen.insert(p.path(), p) {
            Some(other) => Some(format!("the address of {}", other.display().display())),
            None => site.has_page(p.path()).then(|| "the address of a section or list of the site".to_string()),
        };
        taken.map(|what| {
            Err::<(), _>(Error::Content {
                loc: Location::file(p.display()),
                msg: format!("/{} is already {what}; rename the file", p.path().as_str()),
            })
        })
    });
    collect_all(errors)?;
    Ok(pages.iter().map(|p| p.path().clone()).collect())
}

/// Aliases may not take the address of a page or of another alias.
fn check_aliases(site: &Site) -> Result<Vec<(PagePath, usize)>> {
    let mut seen: BTreeMap<PagePath, usize> = BTreeMap::new();
    let mut errors = Vec::new();
    for (i, a) in site.articles.iter().enumerate() {
        for alias in &a.aliases {
            let taken = if site.has_page(alias) {
                Some("a page of the site".to_string())
            } else {
                seen.get(alias).map(|&j| format!("an alias of {}", site.articles[j].display.display()))
            };
            match taken {
                Some(what) => errors.push(Err::<(), _>(Error::Content {
                    loc: Location::file(&a.display),
                    msg: format!("alias /{} is already {what}", alias.as_str()),
                })),
                None => {
                    seen.insert(alias.clone(), i);
                }
            }
        }
    }
    collect_all(errors)?;
    Ok(seen.into_iter().collect())
}

/// Every page the build will write, so links in articles can be checked.
fn all_pages(site: &Site) -> HashSet<PagePath> {
    let per = site.config.paginate;
    let mut pages = HashSet::new();
    let mut add_list = |base: &PagePath, n: usize| {
        for p in Pages::new(n, per).all() {
            pages.insert(page_path(base, p));
        }
    };
    for t in &site.langs {
        add_list(&t.home, t.articles.len());
        for s in &t.sections {
            add_list(&s.path, s.articles.len());
        }
        add_list(&t.home.join("tags"), 0);
        add_list(&t.home.join("authors"), 0);
        add_list(&t.home.join("mirrors"), 0);
        add_list(&t.home.join("corrections"), 0);
        for term in t.tags.iter().chain(&t.authors) {
            add_list(&term.path, term.articles.len());
        }
    }
    pages.extend(site.articles.iter().map(|a| a.path.clone()));
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_titles_default_from_name() {
        assert_eq!(title_case("news"), "News");
        assert_eq!(title_case("long-reads"), "Long reads");
    }
}
