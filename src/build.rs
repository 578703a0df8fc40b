//! The build, as one list of steps: config → load → parse → site model →
//! render Markdown → render pages → feeds and assets → swap the output in.
//! `watch` calls this same function.

use crate::article::{self, Article};
use crate::config::{BuildOptions, Config};
use crate::error::{collect_all, Error, Result};
use crate::fingerprint::{of_bytes, Fp};
use crate::load::{self, SourceFile, SourceKind};
use crate::memo::{Built, Copied, Memo, Parsed};
use crate::output::Staging;
use crate::pages::{self, Job, Pages};
use crate::sink::Sink;
use crate::warning::Warning;
use crate::{assets, bodies, feeds, links, page_keys, render, site, theme};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct BuildReport {
    pub articles: usize,
    pub pages: usize,
    /// Pages rendered (the rest were kept from the previous build).
    pub rendered: usize,
    pub files: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    pub warnings: Vec<Warning>,
    pub output: std::path::PathBuf,
    /// Against the previous output: what a mirror sync will upload.
    pub changes: crate::output::Changes,
    /// The output folder's IPFS CID (CIDv1, UnixFS); not for a preview.
    pub cid: Option<String>,
    /// Wall time of each stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Records how long each stage took.
pub(crate) struct Stopwatch {
    pub last: Instant,
    pub laps: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

/// How the output is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Into a staging folder, swapped in at the end.
    Staging,
    /// Into the output itself, changed files only (the watch preview).
    InPlace,
}

/// Builds the site from nothing; with `opts.jobs`, on that many threads.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    on_threads(opts, || run(opts, &mut Memo::default(), Mode::Staging))
}

/// A watch session's build: reuses what is still valid in `memo` (parsed
/// articles, bodies, unchanged pages), updates the output in place, and
/// leaves in `memo` what the next one can reuse. Its output is byte for byte
/// what `build` writes.
/// `changed`, the files changed since the last build, if known, lets an
/// edit that moves nothing take the fast path (`patch`).
pub fn rebuild(opts: &BuildOptions, memo: &mut Memo, changed: Option<&[PathBuf]>) -> Result<BuildReport> {
    on_threads(opts, || {
        let patched = changed.and_then(|c| crate::patch::try_patch(opts, memo, c));
        let result = patched.unwrap_or_else(|| {
            if let Some(c) = changed {
                memo.forget(&opts.root.join("content"), c);
            }
            run(opts, memo, Mode::InPlace)
        });
        if result.is_err() {
            // The output is as before, but read it again rather than trust.
            memo.output = None;
        }
        result
    })
}

fn on_threads(opts: &BuildOptions, f: impl FnOnce() -> Result<BuildReport> + Send) -> Result<BuildReport> {
    match opts.jobs {
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map_err(|e| Error::Output(format!("cannot start {n} threads: {e}")))?;
            pool.install(f)
        }
        None => f(),
    }
}

fn run(opts: &BuildOptions, memo: &mut Memo, mode: Mode) -> Result<BuildReport> {
    // Whatever happens below, the kept model is no longer this site's.
    memo.state = None;
    let start = Instant::now();
    let mut clock = Stopwatch { last: start, laps: Vec::new() };
    // Warnings of the configuration and site model; those of each article
    // live in the memo with its parse and body.
    let (cfg, mut site_warnings) = Config::load(opts)?;
    // Held until this build has saved its cache and cleaned up: a second
    // build into the same output waits here, before it reads anything.
    let claim = crate::guard::claim(&cfg.output_dir, &cfg.root, opts.force)?;
    // The configuration holds every option that changes the output.
    let setup = Fp::new("setup").debug(&cfg).finish();
    // The sources are listed while the build cache is read.
    let (files, cached) = rayon::join(
        || load::scan(&cfg.root),
        || match mode {
            Mode::Staging if opts.no_cache => {
                crate::build_cache::remove(&cfg.output_dir);
                None
            }
            Mode::Staging if memo.setup.is_none() => Some(crate::build_cache::load(&cfg.output_dir)),
            _ => None,
        },
    );
    if let Some(cached) = cached {
        *memo = cached;
    }
    if memo.setup != Some(setup) {
        memo.reset(setup);
    }
    let files = files?;
    clock.lap("load");
    let articles = parse_articles(&files, &cfg, memo)?;
    clock.lap("front matter");
    let theme = theme::Theme::load(&cfg)?;
    let tera = render::load_templates(&theme)?;
    let names = |lang: &str, section: &str| theme.i18n(lang).ok()?.section_names.get(section).cloned();
    let mut site = site::assemble(cfg, articles, &files, &names, &mut site_warnings)?;
    let index = links::LinkIndex::new(&site, &files);
    clock.lap("site model");
    let mut bodies = bodies::render(&site, &index, &mut memo.bodies)?;
    clock.lap("markdown");
    let assets = assets::collect(&site, &theme, &files)?;
    assets::check_stylesheets(&assets.files, &site.config.base_url)?;
    let i18n = theme.i18n_of(&site.langs)?;
    let pages = Pages::new(&site, &bodies, i18n, &assets.renamed);
    let jobs = pages::plan(&site);
    let css = assets.inline_css()?;
    let keys = page_keys::keys(&pages, &theme, &css, &jobs);
    let target = &site.config.output_dir;
    let files_of: Vec<String> = jobs.iter().map(|&j| job_file(&pages, j)).collect();
    if mode == Mode::Staging && opts.car.is_none() {
        if let (Some(previous), Some(cid)) = (&memo.output, &memo.cid) {
            let size_of = |p: &str| previous.files.get(p).map(|e| e.size);
            let generated = || generated_files(&site, &bodies, &assets, &html_pages(&pages, &jobs), &size_of);
            let plan = crate::current::Planned {
                pages: &files_of,
                keys: &keys,
                keys_then: &memo.pages,
                assets: &assets,
                copied_then: &memo.assets,
            };
            if crate::current::output_is_current(previous, &plan, generated) {
                // The output is still the one the cache describes: then
                // there is nothing to write.
                let on_disk = std::fs::read(target.join(crate::manifest::JSON)).ok().map(|b| of_bytes(&b));
                if on_disk.is_some() && on_disk == memo.output_json {
                    clock.lap("output already current");
                    let report = BuildReport {
                        articles: site.articles.len(),
                        pages: jobs.len(),
                        rendered: 0,
                        files: previous.files.len() + 2,
                        bytes: previous.files.values().map(|e| e.size).sum(),
                        elapsed: start.elapsed(),
                        warnings: all_warnings(&site_warnings, memo, &bodies),
                        output: target.clone(),
                        changes: crate::output::Changes { unchanged: previous.files.len(), ..Default::default() },
                        cid: Some(cid.clone()),
                        timings: Vec::new(),
                    };
                    if !opts.no_cache {
                        if let Some(cache) = crate::build_cache::encode(target, memo, previous) {
                            cache.save(target, Some(cid));
                        }
                        clock.lap("save cache");
                    }
                    return Ok(BuildReport { elapsed: start.elapsed(), timings: clock.laps, ..report });
                }
            }
        }
    }
    let sink = match mode {
        Mode::Staging => Sink::Staging(Staging::new(&claim, target, memo.output.take().unwrap_or_default())?),
        Mode::InPlace => {
            let old = crate::in_place::holdings(target, memo.output.take());
            Sink::InPlace(crate::in_place::InPlace::new(target, old)?)
        }
    };
    let bytes = AtomicU64::new(0);
    let count = |n: u64| {
        bytes.fetch_add(n, Ordering::Relaxed);
        Ok(n)
    };
    clock.lap("prepare output");
    let previous = sink.previous();
    // Pages whose key is unchanged are kept (in parallel: a hard link
    // each); the rest are rendered.
    let kept_or_todo: Vec<Result<Option<Job>>> = jobs
        .par_iter()
        .zip(&files_of)
        .zip(&keys)
        .map(|((&job, file), key)| match previous.files.get(file) {
            Some(entry) if memo.pages.get(file) == Some(key) => sink.keep(file, entry).and_then(count).map(|_| None),
            _ => Ok(Some(job)),
        })
        .collect();
    let todo: Vec<Job> = collect_all(kept_or_todo)?.into_iter().flatten().collect();
    // Bodies reused from the build cache come without their HTML.
    let missing: Vec<usize> = todo
        .iter()
        .filter_map(|j| match *j {
            Job::Article(i) if pages.bodies.html[i].is_none() => Some(i),
            _ => None,
        })
        .collect();
    drop(pages);
    if !missing.is_empty() {
        bodies.fill(&site, &index, &missing, &mut memo.bodies)?;
    }
    if mode == Mode::Staging {
        // Every body this build shows is rendered: the sources (about as
        // large as the bodies) are freed before the pages are.
        for a in &mut site.articles {
            a.body_md = None;
        }
        memo.release_markdown();
    }
    let i18n = theme.i18n_of(&site.langs)?;
    let pages = Pages::new(&site, &bodies, i18n, &assets.renamed);
    render::render_all(&pages, &tera, &css, &todo, |p| sink.write(&p.file, p.html.as_bytes()).and_then(count))?;
    clock.lap("render, check, write pages");
    let copied = write_assets(&assets, &sink, &memo.assets, &count)?;
    clock.lap("assets");
    // Enclosure lengths are those of the published (stripped) photos.
    let generated = generated_files(&site, &bodies, &assets, &html_pages(&pages, &jobs), &|p: &str| sink.size_of(p));
    for f in &generated {
        count(sink.write(&f.file, f.xml.as_bytes())?)?;
    }
    clock.lap("feeds, sitemap");
    let (changes, manifest, previous_site) = sink.commit_leaving()?;
    clock.lap("manifest, swap");
    memo.pages = files_of.into_iter().zip(keys).collect();
    memo.assets = copied;
    let warnings = all_warnings(&site_warnings, memo, &bodies);
    let file_count = manifest.files.len() + 2;
    // Same files, same folder: the CID is the one computed last time.
    let same = changes.added == 0 && changes.changed == 0 && changes.removed == 0;
    let known_cid = memo.cid.take().filter(|_| same && opts.car.is_none());
    let save_cache = mode == Mode::Staging && !opts.no_cache;
    // The previous site is removed while the CID is computed and the
    // cache saved.
    let (removed, cid) = rayon::join(
        || previous_site.remove(),
        || -> Result<Option<String>> {
            let (cid, cache) = rayon::join(
                || match (mode, known_cid) {
                    (Mode::Staging, Some(known)) => Ok(Some(known)),
                    (Mode::Staging, None) => {
                        crate::ipfs::site_cid(target, &manifest, opts.car.as_deref()).map(|c| Some(c.to_string()))
                    }
                    // The preview is not published: no CID to compute.
                    (Mode::InPlace, _) => Ok(None),
                },
                || save_cache.then(|| crate::build_cache::encode(target, memo, &manifest)).flatten(),
            );
            let cid = cid?;
            if let Some(cache) = cache {
                cache.save(target, cid.as_deref());
            }
            clock.lap("IPFS CID, save cache");
            memo.output = Some(manifest);
            memo.cid = cid.clone();
            Ok(cid)
        },
    );
    removed?;
    let cid = cid?;
    clock.lap("previous output removed");
    let report = BuildReport {
        articles: site.articles.len(),
        pages: jobs.len(),
        rendered: todo.len(),
        files: file_count,
        bytes: bytes.into_inner(),
        elapsed: start.elapsed(),
        warnings,
        output: site.config.output_dir.clone(),
        changes,
        cid,
        timings: clock.laps,
    };
    if mode == Mode::InPlace {
        let dependents = crate::patch::dependents(&site);
        let renamed = assets.renamed;
        let pages = jobs.len();
        memo.state = Some(Built { site, bodies, theme, tera, renamed, css, files, pages, dependents, site_warnings });
    }
    Ok(report)
}

/// The site paths of the HTML pages, for the sitemap.
fn html_pages(pages: &Pages, jobs: &[Job]) -> Vec<crate::urls::PagePath> {
    jobs.iter().filter(|j| !matches!(j, Job::NotFound | Job::Alias(_))).map(|&j| pages.path(j)).collect()
}

/// The feeds, sitemap and the other files made from the site model.
fn generated_files(
    site: &site::Site,
    bodies: &bodies::Bodies,
    assets: &assets::Assets,
    html_pages: &[crate::urls::PagePath],
    size_of: &dyn Fn(&str) -> Option<u64>,
) -> Vec<feeds::FeedFile> {
    let mut generated = feeds::all(site, bodies, size_of);
    generated.extend(feeds::sitemap(site, html_pages));
    generated.push(feeds::robots(site));
    generated.push(feeds::FeedFile {
        file: "mirrors.json".into(),
        xml: crate::mirrors::bypass_json(&site.config.primary_url, &site.config.mirrors),
    });
    let onion = site.config.mirrors.iter().find(|m| m.kind == crate::mirrors::Kind::Onion);
    let fingerprinted: Vec<String> = assets.renamed.values().cloned().collect();
    generated
        .push(feeds::FeedFile { file: "_headers".into(), xml: crate::mirrors::headers_file(onion, &fingerprinted) });
    if !site.aliases.is_empty() {
        generated.push(feeds::FeedFile { file: "_redirects".into(), xml: render::redirects_file(site) });
    }
    generated
}

/// Every warning of the build, sorted: the site's, then each article's
/// parse and body warnings.
pub(crate) fn all_warnings(site_warnings: &[Warning], memo: &Memo, bodies: &bodies::Bodies) -> Vec<Warning> {
    let mut all = site_warnings.to_vec();
    for p in memo.parsed.values() {
        all.extend(p.warnings.iter().cloned());
    }
    all.extend(bodies.warnings.iter().cloned());
    all.sort();
    all
}

/// Parses every article file, reusing the memo's parse of files whose stamp
/// is unchanged; the memo then holds this build's parses.
fn parse_articles(files: &[SourceFile], cfg: &Config, memo: &mut Memo) -> Result<Vec<Article>> {
    let parsed = files
        .par_iter()
        .filter(|f| matches!(f.kind, SourceKind::Article { .. }))
        .map(|f| {
            // Stamped before reading: a save during the read shows next time.
            let stamp = crate::fs::stamp(&f.abs);
            match (stamp, memo.parsed.get(&f.rel)) {
                (Some(s), Some(p)) if p.stamp == s => Ok((f.rel.clone(), p.clone())),
                _ => {
                    let (article, w) = article::parse(f, cfg)?;
                    let stamp = stamp.ok_or_else(|| Error::io(&f.abs, std::io::ErrorKind::NotFound.into()))?;
                    Ok((f.rel.clone(), Parsed { stamp, article, warnings: w }))
                }
            }
        })
        .collect::<Vec<_>>();
    let parsed = collect_all(parsed)?;
    let mut articles = Vec::with_capacity(parsed.len());
    for (_, p) in &parsed {
        articles.extend(p.article.clone());
    }
    memo.parsed = parsed.into_iter().collect();
    Ok(articles)
}

/// Copies the published files; a file from disk whose source is unchanged
/// since the previous build is kept as it is. Returns what was copied from
/// where, for the next build.
fn write_assets(
    assets: &assets::Assets,
    sink: &Sink,
    before: &HashMap<String, Copied>,
    count: &(dyn Fn(u64) -> Result<u64> + Sync),
) -> Result<HashMap<String, Copied>> {
    let previous = sink.previous();
    let written: Vec<Result<Option<(String, Copied)>>> = assets
        .files
        .par_iter()
        .map(|(rel, origin)| match origin {
            assets::Origin::Disk(src) => {
                let stamp = crate::fs::stamp(src);
                let same = before.get(rel).is_some_and(|(from, was)| from == src && Some(*was) == stamp);
                match previous.files.get(rel) {
                    Some(entry) if same => sink.keep(rel, entry),
                    // Photos are published without their Exif/GPS metadata.
                    _ => crate::fs::read(src).and_then(|b| sink.write(rel, &publishable(src, rel, &b)?)),
                }
                .and_then(count)
                .map(|_| stamp.map(|s| (rel.clone(), (src.clone(), s))))
            }
            assets::Origin::Memory(b) => sink.write(rel, b).and_then(count).map(|_| None),
        })
        .collect();
    Ok(collect_all(written)?.into_iter().flatten().collect())
}

/// A file's bytes as published: an image without its metadata (see
/// `images`); one that cannot be read through is an error naming it.
fn publishable<'a>(src: &std::path::Path, rel: &str, bytes: &'a [u8]) -> Result<std::borrow::Cow<'a, [u8]>> {
    crate::images::publishable(rel, bytes)
        .map_err(|msg| Error::Content { loc: crate::error::Location::file(crate::urls::tidy(src)), msg })
}

/// The output file of a page.
pub(crate) fn job_file(pages: &Pages, job: Job) -> String {
    match job {
        Job::NotFound => "404.html".to_string(),
        _ => pages.path(job).file(),
    }
}
