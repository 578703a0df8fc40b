//! The fast path of a watch rebuild: articles edited in ways that move
//! nothing (same file, address, date, language, section, tags, authors,
//! translation key and aliases). The kept site model stays; the edited
//! articles are parsed and rendered again, and only the pages that can show
//! them are looked at: the article's own page and, where its card changed,
//! the lists, "Read more" lists, translations and redirects that show it.
//! Anything else (a new, deleted or moved file, a template, `site.yaml`)
//! takes the full rebuild.

use crate::article::{self, Article};
use crate::build::{all_warnings, BuildReport, Stopwatch};
use crate::config::BuildOptions;
use crate::error::Result;
use crate::fingerprint::Key;
use crate::in_place::InPlace;
use crate::load::SourceKind;
use crate::memo::{Built, Memo, Parsed};
use crate::pages::{Job, ListKind, Pages};
use crate::site::Site;
use crate::{bodies, feeds, links, page_keys, render};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

/// Per article: the articles whose pages show its card.
pub fn dependents(site: &Site) -> Vec<Vec<usize>> {
    let mut d = vec![Vec::new(); site.articles.len()];
    for (j, (related, translations)) in site.related.iter().zip(&site.translations).enumerate() {
        for &i in related.iter().chain(translations) {
            d[i].push(j);
        }
    }
    d
}

/// What an edit must leave alone to move nothing in the site model.
#[allow(clippy::type_complexity)]
fn structure(a: &Article) -> impl PartialEq + '_ {
    (
        (&a.rel, &a.display, &a.dir, a.bundle, &a.lang, &a.section, &a.slug, &a.path),
        (&a.date, &a.updated, &a.authors, &a.tags, &a.translation_key, &a.aliases, a.draft),
    )
}

/// Rebuilds after `changed` files by patching the kept site, or `None` when
/// the change needs a full rebuild.
pub fn try_patch(opts: &BuildOptions, memo: &mut Memo, changed: &[PathBuf]) -> Option<Result<BuildReport>> {
    let start = Instant::now();
    let st = memo.state.as_ref()?;
    memo.output.as_ref()?;
    let cfg = &st.site.config;
    let content = cfg.content_dir();
    let mut edited: Vec<(usize, Article, Parsed)> = Vec::new();
    for path in changed {
        let rel = path.strip_prefix(&content).ok()?.to_str()?.replace('\\', "/");
        let Some(file) = st.files.iter().find(|f| f.rel == rel) else {
            // A new file takes the full rebuild; an editor's temporary file
            // that is gone again changes nothing.
            if path.exists() {
                return None;
            }
            continue;
        };
        // A section index, an author file or a published file changes
        // what many pages show: the full rebuild works that out.
        if !matches!(file.kind, SourceKind::Article { .. }) {
            return None;
        }
        if edited.iter().any(|(_, a, _)| a.rel == rel) {
            continue;
        }
        let &id = st.site.by_source.get(&rel)?;
        // Parsed again even if its stamp is the same: the clock is coarser
        // than two quick saves.
        let stamp = crate::fs::stamp(&file.abs)?;
        let (article, warnings) = match article::parse(file, cfg) {
            Ok((Some(a), w)) => (a, w),
            Ok((None, _)) => return None,
            Err(e) => return Some(Err(e)),
        };
        if structure(&article) != structure(&st.site.articles[id]) {
            return None;
        }
        let parsed = Parsed { stamp, article: Some(article.clone()), warnings };
        edited.push((id, article, parsed));
    }
    let mut clock = Stopwatch { last: start, laps: Vec::new() };
    clock.lap("front matter");
    let index = links::LinkIndex::new(&st.site, &st.files);
    let refs: Vec<&Article> = edited.iter().map(|(_, a, _)| a).collect();
    let done = match bodies::render_edited(&index, &refs, &memo.bodies) {
        Ok(d) => d,
        Err(e) => return Some(Err(e)),
    };
    clock.lap("markdown");
    let mut st = memo.state.take().expect("checked above");
    let result = apply(opts, memo, &mut st, edited, done, start, clock);
    if result.is_ok() {
        memo.state = Some(st);
    } else {
        memo.output = None;
    }
    Some(result)
}

fn apply(
    opts: &BuildOptions,
    memo: &mut Memo,
    st: &mut Built,
    edited: Vec<(usize, Article, Parsed)>,
    done: Vec<bodies::Done>,
    start: Instant,
    mut clock: Stopwatch,
) -> Result<BuildReport> {
    let old_cards: Vec<Key> = {
        let pages = Pages::new(&st.site, &st.bodies, st.theme.i18n_of(&st.site.langs)?, &st.renamed);
        edited.iter().map(|(id, _, _)| page_keys::card(&pages, *id)).collect()
    };
    let ids: Vec<usize> = edited.iter().map(|(id, _, _)| *id).collect();
    for ((id, article, parsed), d) in edited.into_iter().zip(done) {
        st.bodies.apply(id, &article.rel, d, &mut memo.bodies);
        memo.parsed.insert(article.rel.clone(), parsed);
        st.site.articles[id] = article;
    }
    st.bodies.collect_warnings(&st.site, &memo.bodies);
    clock.lap("site model");
    let pages = Pages::new(&st.site, &st.bodies, st.theme.i18n_of(&st.site.langs)?, &st.renamed);
    let mut jobs = BTreeSet::new();
    for (&id, old) in ids.iter().zip(&old_cards) {
        jobs.insert(Job::Article(id));
        if page_keys::card(&pages, id) != *old {
            showing(&st.site, &st.dependents, id, &mut jobs);
        }
    }
    let jobs: Vec<Job> = jobs.into_iter().collect();
    let keys = page_keys::keys_of(&pages, &st.theme, &st.css, &jobs);
    clock.lap("page keys");
    let cfg = &st.site.config;
    let old = memo.output.take().unwrap_or_default();
    let _claim = crate::guard::claim(&cfg.output_dir, &cfg.root, opts.force)?;
    let sink = InPlace::patching(&cfg.output_dir, old)?;
    let mut todo = Vec::new();
    let mut new_keys = Vec::new();
    for (&job, &key) in jobs.iter().zip(&keys) {
        let file = crate::build::job_file(&pages, job);
        if memo.pages.get(&file) != Some(&key) {
            todo.push(job);
            new_keys.push((file, key));
        }
    }
    render::render_all(&pages, &st.tera, &st.css, &todo, |p| sink.write(&p.file, p.html.as_bytes()))?;
    clock.lap("render, check, write pages");
    // Feeds show titles, summaries and photos; sitemaps and the rest show
    // only what an edit that moves nothing leaves alone.
    for f in feeds::all(&st.site, &st.bodies, &|p: &str| sink.size_of(p)) {
        sink.write(&f.file, f.xml.as_bytes())?;
    }
    clock.lap("feeds");
    let (changes, manifest) = sink.commit()?;
    memo.pages.extend(new_keys);
    clock.lap("manifest");
    let warnings = all_warnings(&st.site_warnings, memo, &st.bodies);
    clock.lap("warnings");
    let report = BuildReport {
        articles: st.site.articles.len(),
        pages: st.pages,
        rendered: todo.len(),
        files: manifest.files.len() + 2,
        bytes: manifest.files.values().map(|e| e.size).sum(),
        elapsed: start.elapsed(),
        warnings,
        output: cfg.output_dir.clone(),
        changes,
        cid: None,
        timings: clock.laps,
    };
    memo.output = Some(manifest);
    Ok(report)
}

/// Adds the pages other than its own that show article `id`'s card.
fn showing(site: &Site, dependents: &[Vec<usize>], id: usize, jobs: &mut BTreeSet<Job>) {
    let a = &site.articles[id];
    jobs.extend(dependents[id].iter().map(|&j| Job::Article(j)));
    jobs.extend(site.aliases.iter().enumerate().filter(|(_, (_, to))| *to == id).map(|(k, _)| Job::Alias(k)));
    let lang = site.langs.iter().position(|t| t.code == a.lang).expect("article language has a tree");
    let tree = &site.langs[lang];
    let per = site.config.paginate;
    let mut list = |list: ListKind, ids: &[usize]| {
        if let Some(pos) = ids.iter().position(|&i| i == id) {
            jobs.insert(Job::List { lang, list, page: pos / per + 1 });
        }
    };
    list(ListKind::Home, &tree.articles);
    for (k, s) in tree.sections.iter().enumerate().filter(|(_, s)| s.name == a.section) {
        list(ListKind::Section(k), &s.articles);
    }
    for k in a.tags.iter().map(|n| tree.tag_id(n)) {
        list(ListKind::Tag(k), &tree.tags[k].articles);
    }
    for k in a.authors.iter().map(|n| tree.author_id(n)) {
        list(ListKind::Author(k), &tree.authors[k].articles);
    }
}
