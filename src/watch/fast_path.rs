//! The fast path of a watch rebuild: articles edited in ways that move
//! nothing (`Article::placement` is the same). The kept site stays; the
//! edited articles are parsed and their bodies rendered again, and only
//! the pages that show a part of them that changed are looked at (as
//! `render::depends` says what each page shows). Anything else (a new,
//! deleted or moved file, a section or author file, a template,
//! `site.yaml`) takes the full rebuild.

use crate::build::Built;
use crate::cache::memo::{Memo, Parsed};
use crate::error::Result;
use crate::load::article::{self, Article};
use crate::load::config::BuildOptions;
use crate::load::scan::SourceKind;
use crate::output::lock;
use crate::output::sink::Sink;
use crate::render::depends::{pages_showing, Part};
use crate::report::{BuildReport, Stopwatch, Tally};
use std::path::PathBuf;

/// An article as edited: its id, its new parse.
struct Edit {
    id: usize,
    article: Article,
    parsed: Parsed,
}

/// Rebuilds after `changed` files by patching the kept site, or `None` when
/// the change needs a full rebuild.
pub fn try_apply(
    opts: &BuildOptions,
    memo: &mut Memo,
    built: &mut Built,
    changed: &[PathBuf],
) -> Option<Result<BuildReport>> {
    let mut clock = Stopwatch::start();
    memo.output()?;
    let edits = match edits(built, changed)? {
        Ok(edits) => edits,
        Err(e) => return Some(Err(e)),
    };
    clock.lap("front matter");
    let refs: Vec<&Article> = edits.iter().map(|e| &e.article).collect();
    let bodies = match built.render_edited(&refs, memo) {
        Ok(b) => b,
        Err(e) => return Some(Err(e)),
    };
    clock.lap("markdown");
    apply(opts, memo, built, edits, bodies, clock).transpose()
}

/// The articles `changed` edits, each parsed again; `None` if a change is
/// not such an edit.
fn edits(built: &Built, changed: &[PathBuf]) -> Option<Result<Vec<Edit>>> {
    let cfg = built.site().config();
    let content = cfg.content_dir();
    let mut edits: Vec<Edit> = Vec::new();
    for path in changed {
        let rel = path.strip_prefix(&content).ok()?.to_str()?.replace('\\', "/");
        let Some(file) = built.source(&rel) else {
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
        if edits.iter().any(|e| e.article.rel == rel) {
            continue;
        }
        let id = built.site().article_at(&rel)?;
        // Parsed again even if its stamp is the same: the clock is coarser
        // than two quick saves.
        let stamp = crate::fs::stamp(&file.abs)?;
        let (article, warnings) = match article::parse(file, cfg) {
            Ok((Some(a), w)) => (a, w),
            Ok((None, _)) => return None,
            Err(e) => return Some(Err(e)),
        };
        if article.placement() != built.site().articles()[id].placement() {
            return None;
        }
        let parsed = Parsed { stamp, article: Some(article.clone()), warnings };
        edits.push(Edit { id, article, parsed });
    }
    Some(Ok(edits))
}

fn apply(
    opts: &BuildOptions,
    memo: &mut Memo,
    built: &mut Built,
    edits: Vec<Edit>,
    bodies: Vec<crate::render::bodies::Done>,
    mut clock: Stopwatch,
) -> Result<Option<BuildReport>> {
    const PARTS: [Part; 4] = [Part::Whole, Part::Card, Part::Link, Part::Date];
    let part_keys = |built: &Built, ids: &[usize]| -> Result<Vec<[u128; 4]>> {
        let ctx = built.context()?;
        let keys = built.keys(&ctx);
        Ok(ids.iter().map(|&id| PARTS.map(|p| keys.part(id, p))).collect())
    };
    let ids: Vec<usize> = edits.iter().map(|e| e.id).collect();
    let before = part_keys(built, &ids)?;
    for (edit, body) in edits.into_iter().zip(bodies) {
        memo.remember_parse(edit.article.rel.clone(), edit.parsed);
        let replaced = built.replace(edit.id, edit.article, body, memo);
        debug_assert!(replaced, "placement checked in `edits`");
    }
    let after = part_keys(built, &ids)?;
    let mut changed: Vec<(usize, Part)> = Vec::new();
    for ((&id, old), new) in ids.iter().zip(&before).zip(&after) {
        changed.extend(PARTS.iter().zip(old.iter().zip(new)).filter(|(_, (o, n))| o != n).map(|(&p, _)| (id, p)));
    }
    clock.lap("site model");
    // The search index of each edited story's language. One whose parts
    // would not be the same files (an edit that splits a part) takes the
    // full build, which removes the files it no longer has.
    let mut langs: Vec<usize> =
        ids.iter().map(|&i| built.site().lang_index(&built.site().articles()[i].lang)).collect();
    langs.sort_unstable();
    langs.dedup();
    let Some(previous) = memo.output() else { return Ok(None) };
    let mut index = Vec::new();
    let mut index_keys = Vec::new();
    for lang in langs {
        let (key, files) = built.search_index(lang);
        let folder = crate::output::generated::search_index::folder(built.site(), lang);
        let before: Vec<&String> = previous.files_under(&folder).collect();
        let mut after: Vec<&String> = files.iter().map(|f| &f.path).collect();
        after.sort_unstable();
        if before != after {
            return Ok(None);
        }
        index_keys.extend(files.iter().map(|f| (f.path.clone(), key)));
        index.extend(files);
    }
    clock.lap("search index");
    let ctx = built.context()?;
    let site = built.site();
    let pages = pages_showing(site, built.pages(), &changed);
    let keys = built.keys(&ctx).of(&pages);
    clock.lap("page keys");
    let target = &site.config().output_dir;
    let claim = lock::claim(target, &site.config().root, opts.force)?;
    let sink = Sink::patch(claim.target(), memo.take_output().unwrap_or_default())?;
    let mut todo = Vec::new();
    let mut new_keys = Vec::new();
    for (&page, &key) in pages.iter().zip(&keys) {
        let file = page.file(site);
        if memo.page_key(&file) != Some(key) {
            todo.push(page);
            new_keys.push((file, key));
        }
    }
    built.write_pages(&ctx, &todo, &sink)?;
    clock.lap("render, check, write pages");
    crate::build::write_generated(&built.changed_files(&|p| sink.size_of(p)), &sink)?;
    crate::build::write_generated(&index, &sink)?;
    clock.lap("feeds, search index");
    let committed = sink.commit(|_| Ok(None))?;
    memo.update_page_keys(new_keys);
    memo.update_page_keys(index_keys);
    clock.lap("manifest");
    let warnings = built.warnings(memo);
    let tally = Tally { articles: site.articles().len(), pages: built.pages().len(), rendered: todo.len() };
    let report = BuildReport::new(tally, target, &committed.manifest, committed.changes, None, warnings, clock);
    memo.remember_output(committed.manifest, None);
    Ok(Some(report))
}

#[cfg(test)]
mod tests;
