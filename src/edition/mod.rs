//! Editions that travel without a network (`sitegen edition`): one HTML
//! file per language with a period's articles in full, its styles inline and
//! its photos embedded within a size cap, sealed (`publish::seal`) and
//! signed; or, with `--email`, the same period as a newsletter message.
//!
//! Stages: the site modelled as a build would publish it now
//! (`build::model_only`) → the period's articles (`period`) → their bodies,
//! links from the root mark (`render::bodies::rooted`) → the theme's
//! edition template, through the article views (`view`) → links placed
//! (`links`) → photos fitted to the cap (`images`) → sealed. The email
//! takes the same stages to its two parts (`mail`).

pub mod images;
pub mod links;
pub mod mail;
pub mod period;
pub mod view;

use crate::build::Modelled;
use crate::error::{Error, Result};
use crate::load::config::BuildOptions;
use crate::publish::signing::{self, KeyFile};
use crate::render::context::PageContext;
use crate::render::root_mark::MARK;
use crate::warning::Warning;
use period::Period;
use std::path::PathBuf;
use view::{EditionView, MirrorLink};

type DateTime = chrono::DateTime<chrono::Utc>;

/// The default size cap of an edition, in KB: a file a messenger passes on
/// and a phone opens, about what one camera photo weighs.
pub const DEFAULT_MAX_KB: u32 = 1500;

/// What an edition is asked for.
pub struct Options {
    /// The site, the mirror its links lead to, and "now".
    pub build: BuildOptions,
    /// Default: the site's default language.
    pub lang: Option<String>,
    pub since: Option<DateTime>,
    pub until: Option<DateTime>,
    pub max_kb: u32,
    pub sign: Option<PathBuf>,
    pub discreet: bool,
    /// The newsletter message instead of the file.
    pub email: Option<Addresses>,
}

/// The email's sender and recipient, as given (`Name <a@b>` or `a@b`).
pub struct Addresses {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// An edition, made.
pub struct Made {
    /// The name it is written under unless `-o` says otherwise.
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub articles: usize,
    pub since: DateTime,
    pub until: DateTime,
    /// The width the photos were scaled to, if there were any.
    pub photo_width: Option<u32>,
    pub photos: usize,
    pub warnings: Vec<Warning>,
    pub signed_by: Option<String>,
}

pub fn make(opts: &Options) -> Result<Made> {
    let modelled = crate::build::model_only(&opts.build)?;
    let site = modelled.site();
    let signer = signer(opts, &modelled)?;
    let lang = language(opts, &modelled)?;
    let period = Period::choose(site, &lang, opts.since, opts.until, modelled.now())?;
    let bodies = crate::render::bodies::rooted(site, &modelled.link_index(), period.articles(), MARK)?;
    let ctx = PageContext::new(site, &bodies, modelled.theme(), None, &modelled.assets().renamed)?;
    let mut view = edition_view(&ctx, &modelled, &period, &lang, opts)?;
    let mut warnings = modelled.warnings().to_vec();
    if let (true, Some(key)) = (opts.discreet, &opts.sign) {
        warnings.push(Warning {
            loc: crate::error::Location::file(key.clone()),
            msg: "a signed discreet edition carries the site's public key in its seal: nothing on its first screen, title or name tells the outlet, but someone who reads the file's source and knows the key can; leave out --sign for readers whose phones are searched".into(),
        });
    }
    let (bytes, photos, photo_width) = match &opts.email {
        Some(addresses) => (mail::message(&ctx, &modelled, &mut view, addresses, &mut warnings)?.into_bytes(), 0, None),
        None => {
            let (html, fitted) = document(&modelled, &view, opts.max_kb, signer.as_ref(), &mut warnings)?;
            (html.into_bytes(), fitted.0, fitted.1)
        }
    };
    Ok(Made {
        file_name: view.file_name,
        bytes,
        articles: period.articles().len(),
        since: period.since(),
        until: period.until(),
        photo_width,
        photos,
        warnings,
        signed_by: signer.map(|s| signing::fingerprint(&s.public())),
    })
}

/// The key `--sign` names, refused unless it is the site's own.
fn signer(opts: &Options, modelled: &Modelled) -> Result<Option<KeyFile>> {
    let site_key = modelled.site().config().public_key.as_ref();
    opts.sign.as_deref().map(|path| KeyFile::open_for_site(path, site_key)).transpose()
}

fn language(opts: &Options, modelled: &Modelled) -> Result<String> {
    let langs = &modelled.site().config().languages;
    match &opts.lang {
        None => Ok(langs[0].code.clone()),
        Some(l) if langs.iter().any(|x| &x.code == l) => Ok(l.clone()),
        Some(l) => Err(Error::Options(format!(
            "--lang {l}: the site is in {}",
            langs.iter().map(|x| x.code.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

fn edition_view(
    ctx: &PageContext,
    modelled: &Modelled,
    period: &Period,
    lang: &str,
    opts: &Options,
) -> Result<EditionView> {
    let site = modelled.site();
    let cfg = site.config();
    let l = site.lang_index(lang);
    let i18n = ctx.i18n(l);
    // Shown in the newsroom's time: the offset of its newest story.
    let offset = *site.articles()[period.articles()[0]].date.offset();
    let local = |d: DateTime| d.with_timezone(&offset);
    let day = i18n.date(&local(period.until()));
    let heading = i18n.get("edition_heading").replace("{date}", &day);
    let period_text = format!("{} – {}", i18n.datetime(&local(period.since())), i18n.datetime(&local(period.until())));
    let site_title = cfg.languages[l].title.clone();
    let ymd = local(period.until()).format("%Y-%m-%d").to_string();
    let (title, file_name) = match (opts.discreet, &opts.email) {
        (true, _) => (i18n.get("edition_discreet_title").replace("{date}", &day), format!("notes-{ymd}.html")),
        (false, Some(_)) => {
            (format!("{site_title}: {heading}"), format!("{}-{lang}-{ymd}.eml", crate::urls::slugify(&cfg.title)))
        }
        (false, None) => {
            (format!("{site_title}: {heading}"), format!("{}-{lang}-{ymd}.html", crate::urls::slugify(&cfg.title)))
        }
    };
    // The address the links lead to first, as the edition's words say.
    let label = |url: &str| {
        let listed = cfg.listed.iter().chain(&cfg.mirrors).find(|m| m.url == url);
        listed.map_or_else(|| crate::load::mirrors::display_url(url), |m| m.label(lang))
    };
    let mut mirrors: Vec<MirrorLink> = Vec::new();
    for url in [&cfg.base_url, &cfg.primary_url].into_iter().chain(cfg.listed.iter().map(|m| &m.url)) {
        if !mirrors.iter().any(|m| &m.url == url) {
            mirrors.push(MirrorLink { label: label(url), url: url.clone() });
        }
    }
    Ok(EditionView {
        lang: lang.to_string(),
        title,
        masthead: (!opts.discreet).then_some(site_title),
        heading,
        period: period_text,
        discreet: opts.discreet,
        css: modelled.assets().inline_css()?,
        articles: view::articles(ctx, period)?,
        mirrors,
        site_url: cfg.base_url.clone(),
        public_key: cfg.public_key.as_ref().map(signing::public_to_text),
        fingerprint: cfg.public_key.as_ref().map(signing::fingerprint),
        file_name,
    })
}

/// The single-file edition: rendered, its links placed, its photos fitted
/// into what the text leaves of the cap, sealed. Gives the number of
/// photos and their width.
fn document(
    modelled: &Modelled,
    view: &EditionView,
    max_kb: u32,
    signer: Option<&KeyFile>,
    warnings: &mut Vec<Warning>,
) -> Result<(String, (usize, Option<u32>))> {
    let mut vars = tera::Context::new();
    vars.insert("edition", view);
    vars.insert("t", &modelled.theme().i18n(&view.lang)?.strings);
    let html = modelled.templates().render_document("edition.html", &vars, &view.file_name)?;
    // One file, one size of each photo: the one `images::fit` makes.
    let html = crate::html_tags::without_attrs(&html, "img", &["srcset", "sizes"]);
    let assets = &modelled.assets().files;
    let is_image = |p: &str| is_image_path(p) && assets.contains_key(p);
    let anchors = view.articles.iter().map(|a| (article_file(a), a.anchor.clone())).collect();
    let targets = links::Targets { anchors, is_image: &is_image, base_url: &view.site_url, embed_images: true };
    let (html, paths) = links::place(&html, &targets);
    nothing_loads(&html, view, modelled)?;
    let cap = max_kb as usize * 1024;
    let tokens: Vec<String> = (0..paths.len()).map(links::image_token).collect();
    let uses: Vec<usize> = tokens.iter().map(|t| html.matches(t.as_str()).count()).collect();
    let text_len = html.len() - tokens.iter().zip(&uses).map(|(t, n)| t.len() * n).sum::<usize>() + seal_size(cap);
    if text_len > cap {
        return Err(Error::Options(format!(
            "the edition's text alone is {} KB, over --max-kb {max_kb}: give a shorter period (--since) or a larger --max-kb",
            text_len.div_ceil(1024)
        )));
    }
    let wanted = paths
        .iter()
        .zip(&uses)
        .map(|(p, &n)| Ok(images::Wanted { site_path: p.clone(), bytes: assets[p].original()?, uses: n }))
        .collect::<Result<Vec<_>>>()?;
    let fitted = images::fit(&wanted, cap - text_len);
    let place = |what: &str, list: &[String]| {
        (!list.is_empty()).then(|| Warning {
            loc: crate::error::Location::file(PathBuf::from(&view.file_name)),
            msg: format!("{what}: {}", list.join(", ")),
        })
    };
    warnings.extend(place(
        &format!(
            "{} photo(s) left out to keep the edition under --max-kb {max_kb} (a grey box stands in)",
            fitted.left_out.len()
        ),
        &fitted.left_out,
    ));
    warnings.extend(place("not an image the edition can embed (a grey box stands in)", &fitted.unreadable));
    let mut html = html;
    for (token, uri) in tokens.iter().zip(&fitted.uris) {
        html = html.replace(token.as_str(), uri);
    }
    let sealed = crate::publish::seal::seal(&html, signer).map_err(|e| Error::Theme(format!("edition.html: {e}")))?;
    Ok((sealed, (paths.len(), fitted.width)))
}

/// Refuses an edition that would load anything (a writer's raw HTML with
/// a remote image or frame, a path from the root): opened from a phone's
/// downloads, it must ask nothing of any host, and a request to one tells
/// that host who is reading. Each finding names the story it is in.
pub(crate) fn nothing_loads(html: &str, view: &EditionView, modelled: &Modelled) -> Result<()> {
    let problems = crate::render::page_check::check(html, "", &|_| false);
    if problems.is_empty() {
        return Ok(());
    }
    let site = modelled.site();
    let errors = problems
        .into_iter()
        .map(|p| {
            let at = html.find(&p.url).unwrap_or(0);
            let story = view
                .articles
                .iter()
                .filter_map(|a| html[..at].rfind(&format!("id=\"{}\"", a.anchor)).map(|i| (i, a)))
                .max_by_key(|(i, _)| *i)
                .and_then(|(_, a)| site.articles().iter().find(|x| view::anchor_of(&x.path) == a.anchor));
            let loc = story.map_or_else(
                || crate::error::Location::file(PathBuf::from(&view.file_name)),
                |a| crate::error::Location::file(a.display.clone()),
            );
            Error::Content { loc, msg: format!("{} in the edition: {}", p.what, p.why) }
        })
        .collect();
    Err(Error::Many(errors))
}

/// An upper bound of the seal's size in a file of `cap` bytes.
fn seal_size(cap: usize) -> usize {
    600 + (cap / (16 * 1024) + 1) * 36
}

/// The site path of an article's page, as marked links name it.
fn article_file(a: &view::EditionArticle) -> String {
    a.article.url.strip_prefix(MARK).unwrap_or(&a.article.url).to_string()
}

fn is_image_path(p: &str) -> bool {
    let lower = p.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif"].iter().any(|e| lower.ends_with(e))
}
