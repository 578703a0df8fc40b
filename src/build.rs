//! The build, as one list of named stages: configuration → sources → front
//! matter → site model → bodies → published files → page plan → (is the
//! output already current?) → pages → published files → generated files →
//! commit → CID and cache. `sitegen build` runs it once (`Mode::Publish`);
//! a watch session runs it on saves (`Mode::Preview`), and for edits that
//! move nothing runs only its last stages (`watch::fast_path`), through the
//! same functions.

use crate::cache::last_build::{self, Inputs, LastBuild, Said};
use crate::cache::{current, disk, memo::Memo, memo::Parsed};
use crate::error::{collect_all, Error, Result};
use crate::fingerprint::{Fp, Key};
use crate::load::article::{self, Article};
use crate::load::config::{BuildOptions, Config};
use crate::load::scan::{self, SourceFile, SourceKind};
use crate::load::schedule::{self, NextChange, Schedule};
use crate::load::theme::Theme;
use crate::model::{links::LinkIndex, site, site::Site};
use crate::output::assets::{self, Assets};
use crate::output::budget::Budget;
use crate::output::generated::{self, search_index, GeneratedFile};
use crate::output::lock::{self, Claim};
use crate::output::photo_cache::PhotoCache;
use crate::output::signed_list;
pub use crate::output::sink::Mode;
use crate::output::sink::{Committed, Sink};
use crate::publish::manifest::Manifest;
use crate::publish::signing::{self, KeyFile};
use crate::publish::unixfs;
use crate::render::bodies::{self, Bodies};
use crate::render::context::PageContext;
use crate::render::page_keys::Keys;
use crate::render::plan::{self, Page};
use crate::render::templates;
use crate::report::{BuildReport, Stopwatch, Tally};
use crate::urls::PagePath;
use crate::warning::Warning;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

type DateTime = chrono::DateTime<chrono::Utc>;

/// Builds the site (from nothing but the build cache beside the output).
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    on_threads(opts.threads, || run(opts, &mut Memo::default(), Mode::Publish)).map(|done| done.report)
}

/// What a build gives: its report and, for a preview, the built site.
pub struct Done {
    pub report: BuildReport,
    pub built: Option<Built>,
}

/// One build. `memo` holds what the last build left (empty for a build
/// from nothing), and then what this one leaves.
pub fn run(opts: &BuildOptions, memo: &mut Memo, mode: Mode) -> Result<Done> {
    let mut clock = Stopwatch::start();
    let (mut cfg, mut warnings) = Config::load(opts)?;
    let signer = signing_key(opts, &cfg)?;
    let claim = lock::claim(&cfg.output_dir, &cfg.root, opts.force)?;
    mirror_list(&mut cfg, signer.as_ref(), opts, mode, &mut warnings)?;
    let now = schedule(opts);
    let (files, last) =
        rayon::join(|| scan::scan(&cfg.root), || last_build_holding(opts, mode, signer.as_ref(), &cfg, now.now()));
    let files = files?;
    let inputs = (mode == Mode::Publish && !opts.no_cache).then(|| Inputs::of(&cfg, opts, &files)).flatten();
    if let Some(said) = nothing_read_changed(last, inputs, &cfg.output_dir) {
        return as_last_time(said, &cfg, opts, clock);
    }
    load_cache(&cfg, memo, mode, opts.no_cache);
    clock.lap("load");
    let scheduled = now.apply(parse(&files, &cfg, memo)?);
    warnings.extend(schedule::published_early(&scheduled.left_out, &cfg.content_dir()));
    let (articles, next_change) = (scheduled.shown, scheduled.next);
    clock.lap("front matter");
    let theme = Theme::load(&cfg)?;
    let tera = templates::Templates::load(&theme)?;
    let mut site = model(cfg, articles, &files, &theme, &mut warnings)?;
    tera.check_standalone(&site)?;
    clock.lap("site model");
    let assets = assets::collect(&site, &theme, &files, &mut memo.bodies_mut().images)?;
    let links = LinkIndex::new(&site, &files, &assets.photos);
    let mut bodies = bodies::render(&site, &links, memo.bodies_mut())
        .map_err(|e| with_page_errors(e, &site, &links, &theme, &tera, &assets))?;
    fill_bodies(&site, &links, &mut bodies, &generated::feeds::full_text_articles(&site), memo)?;
    clock.lap("markdown");
    let plan = Plan::new(&site, &bodies, &theme, &assets)?;
    let budget = page_budget(&site, &assets, mode)?;
    if may_skip(opts, mode, signer.as_ref(), &site.config().output_dir)
        && output_is_current(&plan, &site, &bodies, &assets, memo, now.now())
    {
        clock.lap("output already current");
        warnings.extend(budget_warnings(&site, &plan, memo, budget)?);
        strict(opts, &all_warnings(&warnings, memo, &bodies))?;
        let done = already_current(&site, &plan, memo, all_warnings(&warnings, memo, &bodies), opts, clock)?;
        let sealed = memo.sealed_at();
        remember_build(&done.report, inputs.zip(sealed), &site, now.now(), next_change.as_ref());
        return Ok(done.next_change(next_change));
    }
    let touched = changed_by_hand(&site, memo, &mut warnings);
    let mut sink = Sink::open(mode, &claim, &site.config().output_dir, memo.take_output())?;
    sink.forbid(&site.config().hidden_hosts);
    clock.lap("prepare output");
    let todo = keep_unchanged(&plan, &sink, memo, &touched)?;
    fill_bodies(&site, &links, &mut bodies, &article_pages(&todo), memo)?;
    drop(links);
    release_sources(&mut site, memo, mode);
    let ctx = PageContext::new(&site, &bodies, &theme, Some(tera.parts()), &assets.renamed)?;
    write_pages(&ctx, &tera, &plan.css, &todo, &sink, budget.as_ref())?;
    // Its rendered cards (tens of megabytes on a large site) are let go
    // before the feeds are made, the build's peak of memory.
    drop(ctx);
    warnings.extend(budget_warnings(&site, &plan, memo, budget)?);
    clock.lap("render, check, write pages");
    let photos = PhotoCache::beside(&site.config().output_dir);
    let copied = write_assets(&assets, &sink, memo, &touched, &photos)?;
    clock.lap("assets");
    let indexed = plan.indexed(&site);
    let write = |f: &GeneratedFile| sink.write(&f.path, f.text.as_bytes()).map(|_| ());
    generated::write_all(&site, &bodies, &indexed, &assets.renamed, &|p| sink.size_of(p), now.now(), &write)?;
    clock.lap("feeds, sitemap");
    let index_keys = write_search_index(&site, &bodies, &sink, memo, &touched)?;
    clock.lap("search index");
    only_mirror_files_changed(opts, &site, &plan, &sink)?;
    warnings.extend(signature_dropped(signer.as_ref(), &site, &sink));
    strict(opts, &all_warnings(&warnings, memo, &bodies))?;
    clock.lap("checks");
    let committed = sink.commit(|json| signature(signer.as_ref(), &site.config().output_dir, json))?;
    clock.lap("manifest, swap");
    memo.remember_page_keys(plan.files.iter().cloned().zip(plan.keys.iter().copied()));
    memo.update_page_keys(index_keys);
    memo.remember_copies(copied);
    let changes = committed.changes.clone();
    let (cid, sealed) = finish(committed, mode, opts, &claim, memo, &mut clock)?;
    let output = memo.output().ok_or_else(|| Error::Output("the build left no manifest".into()))?;
    let tally = Tally { articles: site.articles().len(), pages: plan.pages.len(), rendered: todo.len() };
    let warnings_now = all_warnings(&warnings, memo, &bodies);
    let mut report = BuildReport::new(tally, &site.config().output_dir, output, changes, cid, warnings_now, clock);
    report.photos_encoded = photos.encoded();
    remember_build(&report, inputs.zip(sealed), &site, now.now(), next_change.as_ref());
    let built = (mode == Mode::Preview).then(|| Built {
        site,
        bodies,
        theme,
        tera,
        renamed: assets.renamed,
        css: plan.css,
        files,
        photos: assets.photos,
        site_warnings: std::mem::take(&mut warnings),
        pages: plan.pages,
        now: now.now(),
    });
    Ok(Done { report, built }.next_change(next_change))
}

impl Done {
    fn next_change(mut self, next: Option<NextChange>) -> Done {
        self.report.next_change = next;
        self
    }
}

/// The moment this build publishes at: `--now`, else the clock.
fn schedule(opts: &BuildOptions) -> Schedule {
    Schedule::new(opts.now.unwrap_or_else(chrono::Utc::now), opts.future)
}

/// `found` (the bodies' errors) and what the page check finds besides:
/// every page rendered and checked, nothing written, with the bodies as
/// far as they go, so that one failed run reports everything.
fn with_page_errors(
    found: Error,
    site: &Site,
    links: &LinkIndex,
    theme: &Theme,
    tera: &templates::Templates,
    assets: &Assets,
) -> Error {
    let bodies = bodies::render_despite_errors(site, links);
    let pages = || -> Result<usize> {
        let plan = Plan::new(site, &bodies, theme, assets)?;
        let ctx = PageContext::new(site, &bodies, theme, Some(tera.parts()), &assets.renamed)?;
        templates::render_all(&ctx, tera, &plan.css, &plan.pages, |_| Ok(0))
    };
    Error::with(found, pages().err())
}

/// Runs `f` on `threads` threads (default: one per core).
pub fn on_threads<T: Send>(threads: Option<usize>, f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    let max = crate::load::options::MAX_THREADS;
    if let Some(n) = threads.filter(|n| !(1..=max).contains(n)) {
        return Err(Error::Options(format!("--jobs {n}: give a number of threads from 1 to {max}")));
    }
    match threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| Error::Options(format!("cannot start {n} threads: {e}")))?
            .install(f),
        None => f(),
    }
}

/// Files someone changed in the output since the last build: written anew
/// from the sources, and the operator is told which.
fn changed_by_hand(site: &Site, memo: &Memo, warnings: &mut Vec<Warning>) -> BTreeSet<String> {
    let touched = memo.touched(&site.config().output_dir);
    warnings.extend(touched.iter().map(|f| Warning {
        loc: crate::error::Location::file(crate::urls::tidy(&site.config().output_dir.join(f))),
        msg: "was changed since the last build, not by sitegen; it is written again from the sources".into(),
    }));
    touched
}

/// The signed mirror list the build publishes (`output::signed_list`): the
/// output's while it holds, else one issued now with the key.
fn mirror_list(
    cfg: &mut Config,
    signer: Option<&KeyFile>,
    opts: &BuildOptions,
    mode: Mode,
    warnings: &mut Vec<Warning>,
) -> Result<()> {
    if mode == Mode::Preview {
        return Ok(());
    }
    // Asked under the output's lock, once an interrupted build is undone.
    if opts.mirrors_update && crate::publish::manifest::read_in(&cfg.output_dir).is_none() {
        return Err(Error::Output(format!(
            "{}: no built site to update; run `sitegen build --sign KEYFILE` first",
            crate::urls::tidy(&cfg.output_dir).display()
        )));
    }
    let issue = if opts.mirrors_update { signed_list::Issue::Now } else { signed_list::Issue::AsNeeded };
    let (list, dropped) = signed_list::decide(cfg, signer, issue, chrono::Utc::now().timestamp());
    cfg.mirror_list = list;
    warnings.extend(dropped);
    Ok(())
}

/// For `sitegen mirrors update`: refuses a build that would change more
/// than the files that carry the mirror list (the sources changed since
/// the output was built, or a stable address that every page names).
fn only_mirror_files_changed(opts: &BuildOptions, site: &Site, plan: &Plan, sink: &Sink) -> Result<()> {
    if !opts.mirrors_update {
        return Ok(());
    }
    let mut carriers: BTreeSet<String> =
        [generated::host_files::MIRRORS_JSON, crate::publish::mirror_list::FILE].map(String::from).into();
    carriers.extend(plan.pages.iter().zip(&plan.files).filter(|(p, _)| p.is_mirrors()).map(|(_, f)| f.clone()));
    let others: Vec<String> = sink.differences().into_iter().filter(|f| !carriers.contains(f)).collect();
    if others.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = others.iter().take(5).map(String::as_str).collect();
    Err(Error::Output(format!(
        "the mirror list cannot be updated alone: {} other file{} of {} would change too ({}{}), because the sources changed since the output was built or a stable address changed (every page names those); run `sitegen build --sign KEYFILE` instead",
        others.len(),
        if others.len() == 1 { "" } else { "s" },
        crate::urls::tidy(&site.config().output_dir).display(),
        shown.join(", "),
        if others.len() > shown.len() { ", …" } else { "" }
    )))
}

/// The key `--sign` names, if it is the site's (`public_key`, when set).
fn signing_key(opts: &BuildOptions, cfg: &Config) -> Result<Option<KeyFile>> {
    opts.sign.as_deref().map(|path| KeyFile::open_for_site(path, cfg.public_key.as_ref())).transpose()
}

/// Whether this build may find the output already current: a published
/// build without a CAR to write, a mirror list to issue, or a signature to
/// make.
fn may_skip(opts: &BuildOptions, mode: Mode, signer: Option<&KeyFile>, output: &std::path::Path) -> bool {
    mode == Mode::Publish && opts.car.is_none() && !opts.mirrors_update && signer.is_none_or(|s| signed_by(s, output))
}

/// The record of the last build of this output, if that output is as it
/// left it and time alone changed nothing since (`last_build`); for a
/// published build, which may then have nothing to do.
fn last_build_holding(
    opts: &BuildOptions,
    mode: Mode,
    signer: Option<&KeyFile>,
    cfg: &Config,
    now: DateTime,
) -> Option<LastBuild> {
    let output = &cfg.output_dir;
    may_skip(opts, mode, signer, output).then(|| LastBuild::holding(output, now)).flatten()
}

/// What the last build of `output` said, when it read the same `inputs`
/// (and `last` holds): then there is nothing to do.
fn nothing_read_changed(last: Option<LastBuild>, inputs: Option<Inputs>, output: &std::path::Path) -> Option<Said> {
    let said = last.zip(inputs).and_then(|(last, inputs)| last.said_for(inputs));
    if said.is_none() {
        // This build may change the output: until it has finished, the
        // record would vouch for an output it no longer describes.
        last_build::remove(output);
    }
    said
}

/// The report of a build that found nothing to do: the last build's.
fn as_last_time(said: Said, cfg: &Config, opts: &BuildOptions, mut clock: Stopwatch) -> Result<Done> {
    clock.lap("nothing read has changed");
    strict(opts, &said.warnings)?;
    let tally = Tally { articles: said.articles, pages: said.pages, rendered: 0 };
    let next = said.next_change();
    let report =
        BuildReport::unchanged(tally, &cfg.output_dir, (said.files, said.bytes), said.cid, said.warnings, clock);
    Ok(Done { report, built: None }.next_change(next))
}

/// Leaves the record of a published build that read `inputs` and whose
/// output was sealed then (`last_build`).
fn remember_build(
    report: &BuildReport,
    inputs_sealed: Option<(Inputs, i128)>,
    site: &Site,
    now: DateTime,
    next: Option<&NextChange>,
) {
    let Some((inputs, sealed)) = inputs_sealed else { return };
    let by_time = next.map(|n| n.at.with_timezone(&chrono::Utc)).into_iter();
    let until = by_time.chain(generated::news_sitemap::changes_after(site, now)).min();
    let r = report;
    let said = Said::new((r.articles, r.pages), (r.files, r.bytes), r.cid.clone(), r.warnings.clone(), next);
    let output = &site.config().output_dir;
    if let Some(record) = LastBuild::new(inputs, output, sealed, now, until, said) {
        record.save(output);
    }
}

/// For a published build, once every body it shows is rendered: the
/// sources (about as large as the bodies) are let go before the pages are
/// rendered. A preview keeps them for the next save.
fn release_sources(site: &mut Site, memo: &mut Memo, mode: Mode) {
    if mode == Mode::Publish {
        site.release_markdown();
        memo.release_markdown();
    }
}

/// Whether the output's signature is `signer`'s, over its manifest as it is.
fn signed_by(signer: &KeyFile, output: &std::path::Path) -> bool {
    let read = |name| std::fs::read(output.join(name)).ok();
    match (read(crate::publish::manifest::JSON), read(signing::SIG_FILE)) {
        (Some(json), Some(sig)) => signing::check(&signer.public(), &json, &String::from_utf8_lossy(&sig)).is_ok(),
        _ => false,
    }
}

/// The signature the new output carries for its manifest `json`: made with
/// `--sign`'s key, unless the output's signature already is that key's for
/// this manifest; without a key, the output's signature while it still
/// names this manifest (`signature_dropped` warned of the other case).
fn signature(signer: Option<&KeyFile>, output: &std::path::Path, json: &[u8]) -> Result<Option<String>> {
    let previous = std::fs::read(output.join(signing::SIG_FILE)).ok().map(|b| String::from_utf8_lossy(&b).into_owned());
    match (signer, previous) {
        (Some(s), Some(p)) if signing::check(&s.public(), json, &p).is_ok() => Ok(Some(p)),
        (Some(s), p) => s.sign(json, p.as_deref()).map(|(sig, _)| Some(sig)),
        (None, Some(p)) if signing::names_manifest(&p, json) => Ok(Some(p)),
        (None, _) => Ok(None),
    }
}

/// A warning when a build without a key changes a signed output: its
/// signature no longer matches and is removed, and a mirror that checks
/// signatures would refuse the copy. Known before the commit, so that
/// `--strict` refuses the build.
fn signature_dropped(signer: Option<&KeyFile>, site: &Site, sink: &Sink) -> Option<Warning> {
    let sig = site.config().output_dir.join(signing::SIG_FILE);
    if signer.is_some() || !sig.is_file() || sink.differences().is_empty() {
        return None;
    }
    Some(Warning {
        loc: crate::error::Location::file(crate::urls::tidy(&sig)),
        msg: "the output was signed and this build changed it without a key, so the signature is removed: mirrors that check signatures will refuse this copy until it is signed again (`sitegen build --sign KEYFILE`, or `sitegen sign`)".into(),
    })
}

/// Reads the build cache (for a `sitegen build` with nothing in memory
/// yet); the memo then starts for this configuration.
fn load_cache(cfg: &Config, memo: &mut Memo, mode: Mode, no_cache: bool) {
    if mode == Mode::Publish && !memo.is_started() {
        if no_cache {
            disk::remove(&cfg.output_dir);
        } else {
            *memo = disk::load(&cfg.output_dir);
        }
    }
    // The configuration holds every option that changes the output.
    memo.start(Fp::new("setup").debug(cfg).finish());
}

/// Parses every article file, reusing the memo's parse of files whose
/// stamp is unchanged; the memo then holds this build's parses.
fn parse(files: &[SourceFile], cfg: &Config, memo: &mut Memo) -> Result<Vec<Article>> {
    let _bar = crate::progress::stage("front matter", files.len());
    let parsed = files
        .par_iter()
        .inspect(|_| crate::progress::tick())
        .filter(|f| matches!(f.kind, SourceKind::Article { .. }))
        .map(|f| {
            // Stamped before reading: a save during the read shows next time.
            let stamp = crate::fs::stamp(&f.abs);
            match stamp.and_then(|s| memo.parse_of(&f.rel, s)) {
                Some(p) => Ok((f.rel.clone(), p.clone())),
                None => {
                    let (article, w) = article::parse(f, cfg)?;
                    let stamp = stamp.ok_or_else(|| Error::io(&f.abs, std::io::ErrorKind::NotFound.into()))?;
                    Ok((f.rel.clone(), Parsed { stamp, article, warnings: w }))
                }
            }
        })
        .collect::<Vec<_>>();
    let parsed = collect_all(parsed)?;
    let articles = parsed.iter().filter_map(|(_, p)| p.article.clone()).collect();
    memo.remember_parses(parsed);
    Ok(articles)
}

/// The site model, with section names from the theme.
fn model(
    cfg: Config,
    articles: Vec<Article>,
    files: &[SourceFile],
    theme: &Theme,
    warnings: &mut Vec<Warning>,
) -> Result<Site> {
    let names = |lang: &str, section: &str| theme.i18n(lang).ok()?.section_names.get(section).cloned();
    site::assemble(cfg, articles, files, &names, warnings)
}

/// Every page of the site, with its file and key.
pub struct Plan {
    pages: Vec<Page>,
    files: Vec<String>,
    keys: Vec<Key>,
    /// The stylesheet the 404 page carries inline.
    css: String,
}

impl Plan {
    fn new(site: &Site, bodies: &Bodies, theme: &Theme, assets: &Assets) -> Result<Plan> {
        let pages = plan::plan(site);
        let css = assets.inline_css()?;
        let ctx = PageContext::new(site, bodies, theme, None, &assets.renamed)?;
        let keys = Keys::for_all(&ctx, theme, &css).of_all(&pages);
        let files = pages.iter().map(|p| p.file(site)).collect();
        Ok(Plan { pages, files, keys, css })
    }

    /// The addresses of the pages readers reach, for the sitemap.
    fn indexed(&self, site: &Site) -> Vec<PagePath> {
        self.pages.iter().filter(|p| p.is_indexed()).map(|p| p.path(site)).collect()
    }
}

/// Whether the output already holds everything this build would write;
/// decided under the output's lock, while its manifest is still the one
/// the cache describes.
fn output_is_current(plan: &Plan, site: &Site, bodies: &Bodies, assets: &Assets, memo: &Memo, now: DateTime) -> bool {
    let Some(previous) = memo.output() else { return false };
    if memo.cid().is_none() {
        return false;
    }
    let size_of = |p: &str| previous.files.get(p).map(|e| e.size);
    let mut kept = Vec::new();
    let mut stale = Vec::new();
    for lang in 0..site.langs().len() {
        match kept_search_index(site, lang, search_index::key(site, bodies, lang), previous, memo) {
            Some(files) => kept.extend(files),
            None => stale.push(lang),
        }
    }
    let generated = || {
        let mut all = generated::all(site, bodies, &plan.indexed(site), &assets.renamed, &size_of, now);
        all.extend(stale.iter().flat_map(|&l| search_index::language(site, bodies, l)));
        all
    };
    current::output_is_current(memo, &site.config().output_dir, &plan.files, &plan.keys, assets, &kept, generated)
        && crate::publish::manifest::fingerprint_in(&site.config().output_dir) == memo.output_json()
}

/// The files of language `lang`'s search index in the output, if they
/// are what this build would make: each was made from what `key` says.
fn kept_search_index(site: &Site, lang: usize, key: Key, previous: &Manifest, memo: &Memo) -> Option<Vec<String>> {
    let folder = search_index::folder(site, lang);
    let files: Vec<String> = previous.files_under(&folder).cloned().collect();
    let same = !files.is_empty() && files.iter().all(|f| memo.page_key(f) == Some(key));
    same.then_some(files)
}

/// Each language's search index: kept from the output while its key is
/// the same and no file of it was touched, else made and written. Gives
/// each file's key, for the memo.
fn write_search_index(
    site: &Site,
    bodies: &Bodies,
    sink: &Sink,
    memo: &Memo,
    touched: &BTreeSet<String>,
) -> Result<Vec<(String, Key)>> {
    // Languages side by side: merging one's terms is sequential.
    let per_language = (0..site.langs().len()).into_par_iter().map(|lang| -> Result<Vec<(String, Key)>> {
        let key = search_index::key(site, bodies, lang);
        match kept_search_index(site, lang, key, sink.previous(), memo) {
            Some(files) if !files.iter().any(|f| touched.contains(f)) => {
                for f in &files {
                    sink.keep(f, &sink.previous().files[f])?;
                }
                Ok(files.into_iter().map(|f| (f, key)).collect())
            }
            _ => {
                let files = search_index::language(site, bodies, lang);
                write_generated(&files, sink)?;
                Ok(files.into_iter().map(|f| (f.path, key)).collect())
            }
        }
    });
    Ok(collect_all(per_language.collect::<Vec<_>>())?.into_iter().flatten().collect())
}

/// The report of a build that found nothing to write; it saves the cache
/// (the parses and bodies may have been read anew).
fn already_current(
    site: &Site,
    plan: &Plan,
    memo: &Memo,
    warnings: Vec<Warning>,
    opts: &BuildOptions,
    mut clock: Stopwatch,
) -> Result<Done> {
    let output = memo.output().expect("checked current");
    let cid = memo.cid().map(str::to_string);
    if !opts.no_cache {
        if let (Some(cache), Some(sealed)) = (disk::encode(&site.config().output_dir, memo, output), memo.sealed_at()) {
            // Nothing was written: the output is sealed as it was.
            cache.save(&site.config().output_dir, cid.as_deref(), sealed);
        }
        clock.lap("save cache");
    }
    let changes = crate::output::changes::Changes { unchanged: output.files.len(), ..Default::default() };
    let tally = Tally { articles: site.articles().len(), pages: plan.pages.len(), rendered: 0 };
    let report = BuildReport::new(tally, &site.config().output_dir, output, changes, cid, warnings, clock);
    Ok(Done { report, built: None })
}

/// Keeps every page whose key is the one it had in the output (in
/// parallel: a hard link each); gives the pages to render.
fn keep_unchanged(plan: &Plan, sink: &Sink, memo: &Memo, touched: &BTreeSet<String>) -> Result<Vec<Page>> {
    let previous = sink.previous();
    let kept_or_todo: Vec<Result<Option<Page>>> = (plan.pages.par_iter().zip(&plan.files).zip(&plan.keys))
        .map(|((&page, file), &key)| match previous.files.get(file) {
            Some(entry) if memo.page_key(file) == Some(key) && !touched.contains(file) => {
                sink.keep(file, entry).map(|_| None)
            }
            _ => Ok(Some(page)),
        })
        .collect();
    Ok(collect_all(kept_or_todo)?.into_iter().flatten().collect())
}

/// The articles whose pages are among `pages`.
fn article_pages(pages: &[Page]) -> Vec<usize> {
    pages.iter().filter_map(|p| if let Page::Article(i) = *p { Some(i) } else { None }).collect()
}

/// Renders the bodies of articles `ids` that the cache kept only the
/// fingerprint of: pages to render and full-text feeds need them.
fn fill_bodies(site: &Site, links: &LinkIndex, bodies: &mut Bodies, ids: &[usize], memo: &mut Memo) -> Result<()> {
    let missing: Vec<usize> = ids.iter().copied().filter(|&i| bodies.html[i].is_none()).collect();
    if missing.is_empty() {
        return Ok(());
    }
    bodies.fill(site, links, &missing, memo.bodies_mut())
}

/// Renders, checks and writes `pages`, measuring each against `budget`.
pub fn write_pages(
    ctx: &PageContext,
    tera: &templates::Templates,
    css: &str,
    pages: &[Page],
    sink: &Sink,
    budget: Option<&Budget>,
) -> Result<()> {
    templates::render_all(ctx, tera, css, pages, |p| {
        if let Some(b) = budget.filter(|_| p.file.ends_with(".html")) {
            b.measure(&p.file, p.html.as_bytes());
        }
        sink.write(&p.file, p.html.as_bytes())
    })
    .map(|_| ())
}

/// The page budget of a published build's site, if it has one.
fn page_budget(site: &Site, assets: &Assets, mode: Mode) -> Result<Option<Budget>> {
    match site.config().page_budget_kb.filter(|_| mode == Mode::Publish) {
        Some(kb) => {
            let css = assets.stylesheets()?;
            Ok(Some(Budget::new(kb, css.iter().map(|(n, b)| (n.as_str(), b.as_slice())))))
        }
        None => Ok(None),
    }
}

/// A warning for each page over the budget. Pages this build did not
/// render cost what they cost last time (the memo), or are measured in
/// the output; the memo then holds every page's cost.
fn budget_warnings(site: &Site, plan: &Plan, memo: &mut Memo, budget: Option<Budget>) -> Result<Vec<Warning>> {
    let Some(budget) = budget else { return Ok(Vec::new()) };
    let output = &site.config().output_dir;
    let limit = budget.limit();
    let unmeasured: Vec<&String> = {
        let done = budget.measured_files();
        plan.files.iter().filter(|f| f.ends_with(".html") && !done.contains(*f)).collect()
    };
    let known: Vec<Result<()>> = unmeasured
        .par_iter()
        .map(|f| match memo.cost_of(f) {
            Some(c) => {
                budget.record(f, c);
                Ok(())
            }
            None => crate::fs::read(&output.join(f)).map(|html| {
                budget.measure(f, &html);
            }),
        })
        .collect();
    collect_all(known)?;
    let costs = budget.into_costs();
    let warnings = crate::output::budget::warnings(limit, costs.iter(), output);
    memo.remember_costs(costs);
    Ok(warnings)
}

/// With `--strict`, any warning fails the build before it changes the
/// output.
fn strict(opts: &BuildOptions, warnings: &[Warning]) -> Result<()> {
    if !opts.strict || warnings.is_empty() {
        return Ok(());
    }
    let errors = warnings.iter().map(|w| Error::Content { loc: w.loc.clone(), msg: format!("{} (--strict)", w.msg) });
    Err(Error::Many(errors.collect()))
}

/// Writes the generated files.
pub fn write_generated(files: &[GeneratedFile], sink: &Sink) -> Result<()> {
    // Thousands of feeds, 90 MB on a site of 10,000 stories: hashed and
    // written in parallel, as pages are.
    let written: Vec<Result<u64>> = files.par_iter().map(|f| sink.write(&f.path, f.text.as_bytes())).collect();
    collect_all(written).map(|_| ())
}

/// Published files and where each was copied from.
type CopiedFrom = Vec<(String, crate::cache::memo::Copied)>;

/// Copies the published files; a file from disk whose source is unchanged
/// since the previous build is kept as it is, and so is a photo's copy.
/// Copies to make come from `photos` (the cache beside the output) or are
/// encoded, each photo decoded once. Returns what was copied from where,
/// for the next build.
fn write_assets(
    assets: &Assets,
    sink: &Sink,
    memo: &Memo,
    touched: &BTreeSet<String>,
    photos: &PhotoCache,
) -> Result<HashMap<String, crate::cache::memo::Copied>> {
    let previous = sink.previous();
    let _bar = crate::progress::stage("files, photos", assets.files.len());
    // The previous output's file, if `rel` is what `src` (now `stamp`) made.
    let unchanged = |rel: &String, src: &std::path::PathBuf, stamp: Option<crate::fs::Stamp>| {
        let same = memo.copied().get(rel).is_some_and(|(from, was)| from == src && Some(*was) == stamp);
        previous.files.get(rel).filter(|_| same && !touched.contains(rel))
    };
    let mut copies: BTreeMap<&std::path::PathBuf, Vec<(&String, u32, u32, u8)>> = BTreeMap::new();
    for (rel, origin) in &assets.files {
        if let assets::Origin::Copy { source, width, height, quality } = origin {
            copies.entry(source).or_default().push((rel, *width, *height, *quality));
        }
    }
    let files = assets.files.par_iter().inspect(|_| crate::progress::tick()).map(|(rel, origin)| match origin {
        assets::Origin::Disk(src) => {
            let stamp = crate::fs::stamp(src);
            match unchanged(rel, src, stamp) {
                Some(entry) => sink.keep(rel, entry),
                // Photos are published without their Exif/GPS metadata.
                None => crate::fs::read(src).and_then(|b| sink.write(rel, &publishable(src, rel, &b)?)),
            }
            .map(|_| stamp.map(|s| vec![(rel.clone(), (src.clone(), s))]))
        }
        assets::Origin::Memory(b) => sink.write(rel, b).map(|_| None),
        assets::Origin::Copy { .. } => Ok(None),
    });
    let photo_copies = copies.par_iter().map(|(src, wanted)| {
        let stamp = crate::fs::stamp(src);
        let mut make = Vec::new();
        for &(rel, w, h, quality) in wanted {
            match unchanged(rel, src, stamp) {
                Some(entry) => {
                    sink.keep(rel, entry)?;
                }
                None => make.push((rel, w, h, quality)),
            }
        }
        if let Some(&(first, _, _, quality)) = make.first() {
            let sizes: Vec<(u32, u32)> = make.iter().map(|&(_, w, h, _)| (w, h)).collect();
            let made = photos
                .copies(src, first, &sizes, quality)
                .map_err(|msg| Error::Content { loc: crate::error::Location::file(crate::urls::tidy(src)), msg })?;
            for ((rel, ..), bytes) in make.iter().zip(made) {
                sink.write(rel, &bytes)?;
            }
        }
        Ok(stamp.map(|s| wanted.iter().map(|(rel, ..)| ((*rel).clone(), ((*src).clone(), s))).collect()))
    });
    let written: Vec<Result<Option<CopiedFrom>>> = files.chain(photo_copies).collect();
    Ok(collect_all(written)?.into_iter().flatten().flatten().collect())
}

/// A file's bytes as published: an image without its metadata (see
/// `output::metadata`); one that cannot be read through, or a secret
/// (`output::secrets`), is an error naming it.
fn publishable<'a>(src: &std::path::Path, rel: &str, bytes: &'a [u8]) -> Result<std::borrow::Cow<'a, [u8]>> {
    let refused = |msg| Error::Content { loc: crate::error::Location::file(crate::urls::tidy(src)), msg };
    if let Some(kind) = crate::output::secrets::secret_kind(rel, bytes) {
        return Err(refused(crate::output::secrets::refuse(kind)));
    }
    crate::output::metadata::publishable(rel, bytes).map_err(refused)
}

/// After the commit: the previous site is removed while the site's CID is
/// computed and the build cache encoded and saved (a published build); the
/// memo then describes the new output. Gives the CID.
fn finish(
    committed: Committed,
    mode: Mode,
    opts: &BuildOptions,
    claim: &Claim,
    memo: &mut Memo,
    clock: &mut Stopwatch,
) -> Result<(Option<String>, Option<i128>)> {
    let Committed { changes, manifest, leftover } = committed;
    let target = claim.target();
    if mode == Mode::Publish {
        crate::output::preview_mark::published(target);
    }
    // Same files, same folder: the CID is the one computed last time.
    let same = changes.added == 0 && changes.changed == 0 && changes.removed == 0;
    let known_cid = memo.cid().filter(|_| same && opts.car.is_none()).map(str::to_string);
    let save_cache = mode == Mode::Publish && !opts.no_cache;
    let (removed, (cid, cache)) = rayon::join(
        || leftover.remove(),
        || {
            rayon::join(
                || match (mode, known_cid) {
                    (Mode::Publish, Some(known)) => Ok(Some(known)),
                    (Mode::Publish, None) => {
                        unixfs::site_cid(target, &manifest, opts.car.as_deref()).map(|c| Some(c.to_string()))
                    }
                    // The preview is not published: no CID to compute.
                    (Mode::Preview, _) => Ok(None),
                },
                || save_cache.then(|| disk::encode(target, memo, &manifest)).flatten(),
            )
        },
    );
    removed?;
    let cid = cid?;
    // Every change to the output is done (the previous site's names are
    // gone too): the cache is saved with the time that seals it.
    let sealed = cache.map(|cache| {
        let sealed = Memo::seal(&claim.lock_path());
        cache.save(target, cid.as_deref(), sealed);
        sealed
    });
    clock.lap("IPFS CID, save cache, previous output removed");
    memo.remember_output(manifest, cid.clone());
    Ok((cid, sealed))
}

/// Every warning of the build, sorted: the site's, then each article's
/// parse and body warnings.
pub fn all_warnings(site_warnings: &[Warning], memo: &Memo, bodies: &Bodies) -> Vec<Warning> {
    let mut all = site_warnings.to_vec();
    all.extend(memo.parse_warnings().cloned());
    all.extend(bodies.warnings.iter().cloned());
    all.sort();
    all
}

/// The site a build would publish at its "now", read and modelled with
/// nothing written: for the commands that make something else of it
/// (`sitegen edition`), through the build's own stages.
pub struct Modelled {
    site: Site,
    files: Vec<SourceFile>,
    theme: Theme,
    tera: templates::Templates,
    assets: Assets,
    now: DateTime,
    warnings: Vec<Warning>,
}

/// Configuration → sources → front matter → schedule → site model →
/// published files, as `run` does them.
pub fn model_only(opts: &BuildOptions) -> Result<Modelled> {
    let (cfg, mut warnings) = Config::load(opts)?;
    let mut memo = Memo::default();
    let files = scan::scan(&cfg.root)?;
    load_cache(&cfg, &mut memo, Mode::Preview, true);
    let now = schedule(opts);
    let scheduled = now.apply(parse(&files, &cfg, &mut memo)?);
    let theme = Theme::load(&cfg)?;
    let tera = templates::Templates::load(&theme)?;
    let site = model(cfg, scheduled.shown, &files, &theme, &mut warnings)?;
    let assets = assets::collect(&site, &theme, &files, &mut memo.bodies_mut().images)?;
    warnings.extend(memo.parse_warnings().cloned());
    Ok(Modelled { site, files, theme, tera, assets, now: now.now(), warnings })
}

impl Modelled {
    pub fn site(&self) -> &Site {
        &self.site
    }
    pub fn theme(&self) -> &Theme {
        &self.theme
    }
    pub fn templates(&self) -> &templates::Templates {
        &self.tera
    }
    pub fn assets(&self) -> &Assets {
        &self.assets
    }
    /// The moment the site is modelled at (`--now`, else the clock).
    pub fn now(&self) -> DateTime {
        self.now
    }
    /// Where every link of a body leads.
    pub fn link_index(&self) -> LinkIndex<'_> {
        LinkIndex::new(&self.site, &self.files, &self.assets.photos)
    }
    /// The configuration's and the front matter's warnings.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }
}

/// A whole built site, as a watch session keeps it for edits that move
/// nothing (`watch::fast_path`): everything a page's render reads.
pub struct Built {
    site: Site,
    bodies: Bodies,
    theme: Theme,
    tera: templates::Templates,
    /// Theme file → its fingerprinted name.
    renamed: BTreeMap<String, String>,
    css: String,
    files: Vec<SourceFile>,
    /// The size of each published image.
    photos: crate::image_sizes::Measured,
    /// Warnings of the configuration and site model.
    site_warnings: Vec<Warning>,
    pages: Vec<Page>,
    /// The moment it was built at (the news sitemap's two days end there).
    now: DateTime,
}

impl Built {
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The source file at content path `rel`.
    pub fn source(&self, rel: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.rel == rel)
    }

    /// Every page of the site.
    pub fn pages(&self) -> &[Page] {
        &self.pages
    }

    /// What every page's render reads.
    pub fn context(&self) -> Result<PageContext<'_>> {
        PageContext::new(&self.site, &self.bodies, &self.theme, Some(self.tera.parts()), &self.renamed)
    }

    /// Keys for a few pages of this site.
    pub fn keys<'a>(&'a self, ctx: &'a PageContext<'a>) -> Keys<'a> {
        Keys::for_some(ctx, &self.theme, &self.css)
    }

    /// Renders the bodies of edited articles against the site as it is.
    pub fn render_edited(&self, edited: &[&Article], memo: &Memo) -> Result<Vec<bodies::Done>> {
        bodies::render_edited(&LinkIndex::new(&self.site, &self.files, &self.photos), edited, memo.bodies())
    }

    /// Puts in edited article `id` and its rendered body; `false` (and
    /// nothing changed) if the article moved in the site.
    pub fn replace(&mut self, id: usize, article: Article, body: bodies::Done, memo: &mut Memo) -> bool {
        let rel = article.rel.clone();
        if !self.site.replace_unmoved(id, article) {
            return false;
        }
        self.bodies.apply(id, &rel, body, memo.bodies_mut());
        self.bodies.collect_warnings(&self.site, memo.bodies());
        true
    }

    /// Renders, checks and writes `pages` of this site.
    pub fn write_pages(&self, ctx: &PageContext, pages: &[Page], sink: &Sink) -> Result<()> {
        write_pages(ctx, &self.tera, &self.css, pages, sink, None)
    }

    /// The generated files an edit that moves nothing can change.
    pub fn changed_files(&self, size_of: &(dyn Fn(&str) -> Option<u64> + Sync)) -> Vec<GeneratedFile> {
        generated::changed_by_edits(&self.site, &self.bodies, size_of, self.now)
    }

    /// Language `lang`'s search index as it is now, and its key.
    pub fn search_index(&self, lang: usize) -> (Key, Vec<GeneratedFile>) {
        (search_index::key(&self.site, &self.bodies, lang), search_index::language(&self.site, &self.bodies, lang))
    }

    /// Every warning, as a build would report them now.
    pub fn warnings(&self, memo: &Memo) -> Vec<Warning> {
        all_warnings(&self.site_warnings, memo, &self.bodies)
    }
}

#[cfg(test)]
mod tests;
