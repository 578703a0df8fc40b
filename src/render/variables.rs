//! The variables each kind of page's template gets (listed for theme
//! authors in docs/templates.md): `page` for every page, and `article`,
//! `list`, `terms` or `mirrors`.

use crate::error::Result;
use crate::load::mirrors::Kind;
use crate::model::pagination::Pages;
use crate::publish::{manifest, signing};
use crate::render::context::PageContext;
use crate::render::depends::list_articles;
use crate::render::parts::Variant;
use crate::render::plan::{list_base, ListKind, Page};
use crate::render::views::*;
use crate::urls::{absolute, PagePath};
use tera::Context;

/// Finds the site root from wherever the 404 page is shown, by walking up
/// the path to the folder that holds SHA256SUMS, and makes it the base for
/// the page's links.
const ROOT_FINDER: &str = r#"<script>
(function () {
  var dirs = location.pathname.split("/").slice(0, -1);
  function probe(n) {
    if (n < 1 || !window.fetch) return;
    var root = dirs.slice(0, n).join("/") + "/";
    fetch(root + "SHA256SUMS", { method: "HEAD" }).then(function (r) {
      if (!r.ok) return probe(n - 1);
      var base = document.createElement("base");
      base.href = root;
      document.head.insertBefore(base, document.head.firstChild);
    }, function () { probe(n - 1); });
  }
  probe(dirs.length);
})();
</script>"#;

/// A page's template and what it is rendered with.
pub struct Vars {
    pub template: &'static str,
    pub context: Context,
    /// What the rendered page puts in place of each root mark: the root of
    /// the links its views were given.
    pub root: String,
}

/// The template of `page` and its variables. `css` is the stylesheet the
/// 404 page carries inline. Not for aliases, which have no template.
pub fn of(ctx: &PageContext, page: Page, css: &str) -> Result<Vars> {
    let path = ctx.path(page);
    let u = Urls::marked(&path, ctx.site().config().pretty_urls);
    let mut vars = Context::new();
    // With a page budget, every page carries its stylesheet: one request.
    let inline = ctx.site().config().page_budget_kb.is_some();
    vars.insert("inline_css", if inline { css } else { "" });
    let template = match page {
        Page::Article(i) => {
            article(ctx, i, &path, &u, &mut vars)?;
            "article.html"
        }
        Page::List { lang, list, page } => {
            list_page(ctx, lang, list, page, &path, &u, &mut vars)?;
            "list.html"
        }
        Page::Terms { lang, authors } => {
            terms(ctx, lang, authors, &path, &u, &mut vars)?;
            "terms.html"
        }
        Page::Mirrors { lang } => {
            mirrors(ctx, lang, &path, &u, &mut vars)?;
            "mirrors.html"
        }
        Page::Corrections { lang } => {
            corrections(ctx, lang, &path, &u, &mut vars)?;
            "corrections.html"
        }
        Page::Search { lang } => {
            search(ctx, lang, &path, &u, &mut vars)?;
            "search.html"
        }
        Page::Standalone(i) => {
            standalone(ctx, i, &path, &u, &mut vars)?;
            crate::render::page_keys::STANDALONE_TEMPLATE
        }
        Page::Alias(_) => unreachable!("aliases are rendered without a template"),
        Page::NotFound => {
            let t = ctx.i18n(0).get("not_found_title").to_string();
            let mut view = ctx.page_view(0, &path, &u, t, None);
            view.canonical = absolute(&ctx.site().config().base_url, "404.html");
            vars.insert("page", &ctx.with_chrome(view)?);
            // The 404 page may be shown at any depth, where relative links
            // do not reach: it carries its own styles, and a small script
            // finds the site root so its links work (reading needs no script).
            vars.insert("inline_css", css);
            vars.insert("root_finder", ROOT_FINDER);
            "404.html"
        }
    };
    Ok(Vars { template, context: vars, root: u.root })
}

fn article(ctx: &PageContext, i: usize, path: &PagePath, u: &Urls, vars: &mut Context) -> Result<()> {
    let site = ctx.site();
    let a = &site.articles()[i];
    let lang = site.lang_index(&a.lang);
    let title = format!("{} — {}", a.title, site.config().languages[lang].title);
    let mut view = ctx.page_view(lang, path, u, title, Some(&a.section));
    let photo = ctx.bodies().photos[i].as_ref();
    view.description = a.summary.clone();
    view.og_type = "article";
    if let Some(p) = photo {
        view.og_image = Some(absolute(&site.config().base_url, &p.site_path));
    }
    view.json_ld = Some(ctx.json_ld(a, photo));
    let tree = &site.langs()[lang];
    view.article_meta = Some(ArticleMetaView {
        published: a.date.to_rfc3339(),
        modified: a.updated.unwrap_or(a.date).to_rfc3339(),
        section: tree.section(&a.section).map_or_else(|| a.section.clone(), |s| s.title.clone()),
        tags: a.tags.iter().map(|n| tree.tag(n).name.clone()).collect(),
        authors: a.authors.iter().map(|n| absolute(&site.config().base_url, tree.author(n).path.as_str())).collect(),
    });
    set_editions(&mut view, &site.article_editions(i), &site.config().base_url, u);
    vars.insert("page", &ctx.with_chrome(view)?);
    vars.insert("article", &ctx.article_view(i, u)?);
    Ok(())
}

/// A page's `editions` (language, address) in every language it has: its
/// hreflang alternates, absolute as search engines read them, and the
/// language switch to each. Nothing for a page in one language.
fn set_editions(view: &mut PageView, editions: &[(&str, &PagePath)], base_url: &str, u: &Urls) {
    if editions.len() < 2 {
        return;
    }
    view.alternates = editions
        .iter()
        .map(|(lang, p)| Alternate { lang: lang.to_string(), href: absolute(base_url, p.as_str()) })
        .collect();
    for l in view.chrome.languages.iter_mut().filter(|l| !l.current) {
        if let Some((_, p)) = editions.iter().find(|(lang, _)| *lang == l.code) {
            l.url = u.page(p);
        }
    }
}

fn standalone(ctx: &PageContext, i: usize, path: &PagePath, u: &Urls, vars: &mut Context) -> Result<()> {
    let site = ctx.site();
    let p = &site.standalone()[i];
    let lang = site.lang_index(p.lang());
    let title = format!("{} — {}", p.title(), site.config().languages[lang].title);
    let mut view = ctx.page_view(lang, path, u, title, None);
    if let Some(d) = p.description() {
        view.description = Some(d.to_string());
    }
    set_editions(&mut view, &site.standalone_editions(i), &site.config().base_url, u);
    vars.insert("page", &ctx.with_chrome(view)?);
    let content = ctx.bodies().standalone[i].clone();
    vars.insert(
        "standalone",
        &StandaloneView { title: p.title().to_string(), description: p.description().map(str::to_string), content },
    );
    Ok(())
}

fn list_page(
    ctx: &PageContext,
    lang: usize,
    list: ListKind,
    page: usize,
    path: &PagePath,
    u: &Urls,
    vars: &mut Context,
) -> Result<()> {
    let site = ctx.site();
    let tree = &site.langs()[lang];
    let i18n = ctx.i18n(lang);
    let site_title = &site.config().languages[lang].title;
    let (kind, title, description, section, author) = match list {
        ListKind::Home => ("home", site_title.clone(), site.config().languages[lang].description.clone(), None, None),
        ListKind::Section(s) => {
            let s = &tree.sections[s];
            ("section", s.title.clone(), s.description.clone(), Some(s.name.as_str()), None)
        }
        ListKind::Tag(t) => ("tag", tree.tags[t].name.clone(), None, None, None),
        ListKind::Author(t) => {
            let t = &tree.authors[t];
            let key = (t.slug.clone(), tree.code.clone());
            let a = ctx.bodies().authors.get(&key).map(|p| AuthorView {
                role: p.role.clone(),
                bio: p.bio_html.clone(),
                photo: p.photo.as_ref().map(|img| ctx.image(img, Some(&t.name), None, None, u)),
            });
            ("author", t.name.clone(), None, None, a)
        }
    };
    let ids = list_articles(site, lang, list);
    let pages = Pages::new(ids.len(), site.config().paginate);
    let mut page_title = if kind == "home" { title.clone() } else { format!("{title} — {site_title}") };
    if page > 0 {
        page_title = format!("{page_title} ({} {page})", i18n.get("page"));
    }
    let mut view = ctx.page_view(lang, path, u, page_title, section);
    if kind == "home" && page == 0 {
        let homes: Vec<(&str, &PagePath)> = site.langs().iter().map(|t| (t.code.as_str(), &t.home)).collect();
        set_editions(&mut view, &homes, &site.config().base_url, u);
    }
    if description.is_some() {
        view.description = description.clone();
    }
    // A section's, tag's or author's page offers its own feeds.
    let base = list_base(site, lang, list);
    if kind != "home" {
        view.chrome.feeds = FeedLinks::of(&base, &format!("{title} — {site_title}"), u);
    }
    let (front, grid) = crate::render::depends::list_cards(site, lang, list, page);
    let lead = front.lead.map(|i| ctx.card(i, u, Variant { lead: true, kicker: true })).transpose()?;
    let top = front.top.iter().map(|&i| ctx.card(i, u, Variant::PLAIN)).collect::<Result<_>>()?;
    // A section's own pages need no section label on each card.
    let kicker = !matches!(list, ListKind::Section(_));
    let items = grid.iter().map(|&i| ctx.card(i, u, Variant { lead: false, kicker })).collect::<Result<_>>()?;
    let pagination = ctx.pagination(&base, pages, page, u);
    vars.insert("page", &ctx.with_chrome(view)?);
    vars.insert("list", &ListView { kind, title, description, lead, top, items, pagination, author });
    Ok(())
}

fn terms(ctx: &PageContext, lang: usize, authors: bool, path: &PagePath, u: &Urls, vars: &mut Context) -> Result<()> {
    let site = ctx.site();
    let tree = &site.langs()[lang];
    let (kind, terms) = if authors { ("authors", &tree.authors) } else { ("tags", &tree.tags) };
    let title = ctx.i18n(lang).get(kind).to_string();
    let view = ctx.page_view(lang, path, u, format!("{title} — {}", site.config().languages[lang].title), None);
    let terms = terms
        .iter()
        .map(|t| TermView { name: t.name.clone(), url: u.page(&t.path), count: t.articles.len() })
        .collect();
    vars.insert("page", &ctx.with_chrome(view)?);
    vars.insert("terms", &TermsView { kind, title, terms });
    Ok(())
}

fn corrections(ctx: &PageContext, lang: usize, path: &PagePath, u: &Urls, vars: &mut Context) -> Result<()> {
    let site = ctx.site();
    let title = ctx.i18n(lang).get("corrections").to_string();
    let view = ctx.page_view(lang, path, u, format!("{title} — {}", site.config().languages[lang].title), None);
    let items = crate::render::depends::corrected(site, lang)
        .into_iter()
        .map(|i| {
            let a = &site.articles()[i];
            CorrectedView { title: a.title.clone(), url: u.page(&a.path), corrections: ctx.corrections(a) }
        })
        .collect();
    vars.insert("page", &ctx.with_chrome(view)?);
    vars.insert("corrections", &CorrectionsView { title, items });
    Ok(())
}

fn search(ctx: &PageContext, lang: usize, path: &PagePath, u: &Urls, vars: &mut Context) -> Result<()> {
    let site = ctx.site();
    let title = ctx.i18n(lang).get("search").to_string();
    let view = ctx.page_view(lang, path, u, format!("{title} — {}", site.config().languages[lang].title), None);
    let tree = &site.langs()[lang];
    let sections = tree
        .sections
        .iter()
        .map(|s| NavItem { title: s.title.clone(), url: u.page(&s.path), current: false })
        .collect();
    vars.insert("page", &ctx.with_chrome(view)?);
    vars.insert(
        "search",
        &SearchView {
            title,
            script: u.file(crate::search::script::file_name()),
            parts: crate::search::index::FOLDER,
            sections,
        },
    );
    Ok(())
}

fn mirrors(ctx: &PageContext, lang: usize, path: &PagePath, u: &Urls, vars: &mut Context) -> Result<()> {
    let site = ctx.site();
    let title = ctx.i18n(lang).get("mirrors_title").to_string();
    let view = ctx.page_view(lang, path, u, format!("{title} — {}", site.config().languages[lang].title), None);
    let (mut web, mut onion, mut ipfs, mut archive) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for m in ctx.mirror_views(&site.langs()[lang].code) {
        match m.kind {
            Kind::Web => web.push(m),
            Kind::Onion => onion.push(m),
            Kind::Ipfs => ipfs.push(m),
            Kind::Archive => archive.push(m),
        }
    }
    let key = site.config().public_key.as_ref();
    let i18n = ctx.i18n(lang);
    let utc = |secs: i64| {
        let t = chrono::DateTime::from_timestamp(secs, 0).unwrap_or_default();
        i18n.datetime(&t.with_timezone(&chrono::FixedOffset::east_opt(0).expect("zero offset")))
    };
    let list = site.config().mirror_list.as_ref().map(|l| MirrorListView {
        issued: utc(l.issued_at()),
        expires: utc(l.expires_at()),
        expires_ms: l.expires_at() * 1000,
        sequence: l.list.sequence,
        url: u.file(crate::publish::mirror_list::FILE),
    });
    let newest = site.langs()[lang].articles.first().map(|&i| site.articles()[i].date);
    let mirrors = MirrorsView {
        web,
        onion,
        ipfs,
        archive,
        sha256sums: u.file(manifest::SUMS),
        manifest: u.file(manifest::JSON),
        public_key: key.map(signing::public_to_text),
        fingerprint: key.map(signing::fingerprint),
        list,
        newest: newest.map(|d| i18n.date(&d)),
    };
    vars.insert("page", &ctx.with_chrome(view)?);
    vars.insert("mirrors", &mirrors);
    Ok(())
}
