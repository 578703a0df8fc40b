//! The build, as one list of steps: config → load → parse → site model →
//! render Markdown → render pages → feeds and assets → swap the output in.
//! `watch` calls this same function.

use crate::article;
use crate::config::{BuildOptions, Config};
use crate::error::{collect_all, Error, Result};
use crate::load::{self, SourceKind};
use crate::output::Staging;
use crate::pages::{self, Job, Pages};
use crate::warning::Warning;
use crate::{assets, bodies, feeds, links, render, site, theme};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct BuildReport {
    pub articles: usize,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    pub warnings: Vec<Warning>,
    pub output: std::path::PathBuf,
    /// Against the previous output: what a mirror sync will upload.
    pub changes: crate::output::Changes,
    /// The output folder's IPFS CID (CIDv1, UnixFS).
    pub cid: String,
    /// Wall time of each stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Records how long each stage took.
struct Stopwatch {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

/// Builds the site; with `opts.jobs`, on that many threads.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    match opts.jobs {
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map_err(|e| Error::Output(format!("cannot start {n} threads: {e}")))?;
            pool.install(|| build_here(opts))
        }
        None => build_here(opts),
    }
}

fn build_here(opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let mut clock = Stopwatch { last: start, laps: Vec::new() };
    let (cfg, mut warnings) = Config::load(opts)?;
    let files = load::scan(&cfg.root)?;
    clock.lap("load");
    let parsed = files
        .par_iter()
        .filter(|f| matches!(f.kind, SourceKind::Article { .. }))
        .map(|f| article::parse(f, &cfg))
        .collect::<Vec<_>>();
    let mut articles = Vec::new();
    for (a, w) in collect_all(parsed)? {
        articles.extend(a);
        warnings.extend(w);
    }
    clock.lap("front matter");
    let theme = theme::Theme::load(&cfg)?;
    let tera = render::load_templates(&theme)?;
    let names = |lang: &str, section: &str| theme.i18n(lang).ok()?.section_names.get(section).cloned();
    let mut site = site::assemble(cfg, articles, &files, &names, &mut warnings)?;
    let sources: Vec<String> = site.articles.iter_mut().map(|a| std::mem::take(&mut a.body_md)).collect();
    let index = links::LinkIndex::new(&site, &files);
    clock.lap("site model");
    let bodies = bodies::render(&site, &index, &sources)?;
    drop(sources);
    warnings.extend(bodies.warnings.iter().cloned());
    clock.lap("markdown");
    let assets = assets::collect(&site, &theme, &files)?;
    assets::check_stylesheets(&assets.files, &site.config.base_url)?;
    let i18n = site.langs.iter().map(|t| theme.i18n(&t.code)).collect::<Result<Vec<_>>>()?;
    let pages = Pages { site: &site, bodies: &bodies, i18n, assets: &assets.renamed };
    let jobs = pages::plan(&site);

    let staging = Staging::new(&site.config.output_dir, &site.config.root, opts.force)?;
    let bytes = AtomicU64::new(0);
    let count = |n: u64| {
        bytes.fetch_add(n, Ordering::Relaxed);
        Ok(n)
    };
    clock.lap("prepare output");
    let css = assets.inline_css()?;
    let page_count =
        render::render_all(&pages, &tera, &css, &jobs, |p| staging.write(&p.file, p.html.as_bytes()).and_then(count))?;
    clock.lap("render, check, write pages");
    let written: Vec<Result<u64>> = assets
        .files
        .par_iter()
        .map(|(rel, origin)| match origin {
            // Photos are published without their Exif/GPS metadata.
            assets::Origin::Disk(src) => {
                crate::fs::read(src).and_then(|b| staging.write(rel, &crate::images::strip_metadata(rel, &b)))
            }
            assets::Origin::Memory(b) => staging.write(rel, b),
        })
        .map(|r| r.and_then(count))
        .collect();
    collect_all(written)?;
    clock.lap("assets");
    let html_pages: Vec<_> =
        jobs.iter().filter(|j| !matches!(j, Job::NotFound | Job::Alias(_))).map(|&j| pages.path(j)).collect();
    // Enclosure lengths are those of the published (stripped) photos.
    let mut generated = feeds::all(&site, &bodies, &|p: &str| staging.size_of(p));
    generated.extend(feeds::sitemap(&site, &html_pages));
    generated.push(feeds::robots(&site));
    generated.push(feeds::FeedFile {
        file: "mirrors.json".into(),
        xml: crate::mirrors::bypass_json(&site.config.primary_url, &site.config.mirrors),
    });
    let onion = site.config.mirrors.iter().find(|m| m.kind == crate::mirrors::Kind::Onion);
    let fingerprinted: Vec<String> = assets.renamed.values().cloned().collect();
    generated
        .push(feeds::FeedFile { file: "_headers".into(), xml: crate::mirrors::headers_file(onion, &fingerprinted) });
    if !site.aliases.is_empty() {
        generated.push(feeds::FeedFile { file: "_redirects".into(), xml: render::redirects_file(&site) });
    }
    for f in &generated {
        count(staging.write(&f.file, f.xml.as_bytes())?)?;
    }
    clock.lap("feeds, sitemap");
    let (changes, manifest) = staging.commit()?;
    clock.lap("manifest, swap");
    let cid = crate::ipfs::site_cid(&site.config.output_dir, &manifest, opts.car.as_deref())?;
    clock.lap("IPFS CID");
    warnings.sort();
    Ok(BuildReport {
        articles: site.articles.len(),
        pages: page_count,
        files: page_count + generated.len() + assets.files.len() + 2,
        bytes: bytes.into_inner(),
        elapsed: start.elapsed(),
        warnings,
        output: site.config.output_dir.clone(),
        changes,
        cid: cid.to_string(),
        timings: clock.laps,
    })
}
