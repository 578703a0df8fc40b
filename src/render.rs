//! Renders every page through Tera, in parallel. Pages are independent, so
//! each rayon worker builds its page's views and renders it; results are
//! collected in plan order.

use crate::error::{collect_all, Error, Result};
use crate::pages::{Job, ListKind, Pages};
use crate::postprocess;
use crate::site::page_count;
use crate::theme::Theme;
use crate::urls::{self, absolute, PagePath};
use crate::views::*;
use rayon::prelude::*;
use tera::{Context, Tera};

pub fn load_templates(theme: &Theme) -> Result<Tera> {
    let mut tera = Tera::default();
    // Tera's default also escapes `/`, which bloats every URL into
    // `..&#x2F;..&#x2F;`; these five are all HTML needs.
    tera.set_escape_fn(crate::highlight::escape);
    tera.add_raw_templates(theme.templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| Error::Theme(format!("template error: {}", chain(&e))))?;
    for required in ["article.html", "list.html", "terms.html", "mirrors.html", "404.html"] {
        if !theme.templates.contains_key(required) {
            return Err(Error::Theme(format!("theme `{}` has no templates/{required}", theme.name)));
        }
    }
    Ok(tera)
}

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

/// A rendered page: where it goes and its bytes.
pub struct RenderedPage {
    pub file: String,
    pub html: String,
}

/// Renders `jobs` in parallel and hands each page to `sink` (which writes
/// it), so finished pages do not pile up in memory.
pub fn render_all<F>(pages: &Pages, tera: &Tera, css: &str, jobs: &[Job], sink: F) -> Result<usize>
where
    F: Fn(RenderedPage) -> Result<u64> + Sync,
{
    let results: Vec<Result<u64>> =
        jobs.par_iter().map(|&job| render_one(pages, tera, css, job).and_then(&sink)).collect();
    collect_all(results).map(|v| v.len())
}

fn render_one(pages: &Pages, tera: &Tera, css: &str, job: Job) -> Result<RenderedPage> {
    let path = pages.path(job);
    if let Job::Alias(i) = job {
        return Ok(RenderedPage { file: path.file(), html: redirect_page(pages, i, &path) });
    }
    let pretty = pages.site.config.pretty_urls;
    let u = Urls::new(&path, pretty);
    let mut ctx = Context::new();
    let (template, file) = match job {
        Job::Article(i) => {
            article_context(pages, i, &path, &u, &mut ctx);
            ("article.html", path.file())
        }
        Job::List { lang, list, page } => {
            list_context(pages, lang, list, page, &path, &u, &mut ctx);
            ("list.html", path.file())
        }
        Job::Terms { lang, authors } => {
            terms_context(pages, lang, authors, &path, &u, &mut ctx);
            ("terms.html", path.file())
        }
        Job::Mirrors { lang } => {
            mirrors_context(pages, lang, &path, &u, &mut ctx);
            ("mirrors.html", path.file())
        }
        Job::Alias(_) => unreachable!("aliases are rendered without a template"),
        Job::NotFound => {
            let t = pages.i18n[0].get("not_found_title").to_string();
            let mut view = pages.page_view(0, &path, &u, t, None);
            view.canonical = absolute(&pages.site.config.base_url, "404.html");
            ctx.insert("page", &view);
            // The 404 page may be shown at any depth, where relative links
            // do not reach: it carries its own styles, and a small script
            // finds the site root so its links work (reading needs no script).
            ctx.insert("inline_css", css);
            ctx.insert("root_finder", ROOT_FINDER);
            ("404.html", "404.html".to_string())
        }
    };
    let html = tera.render(template, &ctx).map_err(|e| Error::Template {
        page: file.clone(),
        template: template.to_string(),
        msg: chain(&e),
    })?;
    let is_page = |p: &str| pages.site.pages.contains(&PagePath::parse_site_path(urls::split_fragment(p).0));
    let problems = postprocess::check(&html, &pages.site.config.base_url, &is_page);
    if !problems.is_empty() {
        // An article's raw HTML is the likely culprit: name its file too.
        let page = match job {
            Job::Article(i) => format!("{} ({file})", pages.site.articles[i].display.display()),
            _ => format!("{file} (template `{template}`)"),
        };
        return Err(Error::Many(problems.into_iter().map(|p| reference_error(&page, p)).collect()));
    }
    Ok(RenderedPage { file, html })
}

fn article_context(pages: &Pages, i: usize, path: &PagePath, u: &Urls, ctx: &mut Context) {
    let site = pages.site;
    let a = &site.articles[i];
    let lang = site.langs.iter().position(|t| t.code == a.lang).expect("tree for language");
    let title = format!("{} — {}", a.title, site.config.languages[lang].title);
    let mut view = pages.page_view(lang, path, u, title, Some(&a.section));
    let photo = pages.bodies.photos[i].as_ref();
    view.description = a.summary.clone();
    view.og_type = "article";
    view.og_image = photo.map(|p| absolute(&site.config.base_url, &p.site_path));
    view.json_ld = Some(pages.json_ld(a, photo));
    if !site.translations[i].is_empty() {
        view.alternates = std::iter::once(i)
            .chain(site.translations[i].iter().copied())
            .map(|j| {
                let o = &site.articles[j];
                Alternate { lang: o.lang.clone(), href: u.page(&o.path) }
            })
            .collect();
        // The language switcher goes to the other edition where there is one.
        for l in &mut view.languages {
            if let Some(&j) = site.translations[i].iter().find(|&&j| site.articles[j].lang == l.code) {
                l.url = u.page(&site.articles[j].path);
            }
        }
    }
    ctx.insert("page", &view);
    ctx.insert("article", &pages.article_view(i, u));
}

fn list_context(pages: &Pages, lang: usize, list: ListKind, page: usize, path: &PagePath, u: &Urls, ctx: &mut Context) {
    let site = pages.site;
    let tree = &site.langs[lang];
    let i18n = pages.i18n[lang];
    let site_title = &site.config.languages[lang].title;
    let (kind, title, description, ids, base, section, author) = match list {
        ListKind::Home => (
            "home",
            site_title.clone(),
            site.config.languages[lang].description.clone(),
            &tree.articles,
            tree.home.clone(),
            None,
            None,
        ),
        ListKind::Section(s) => {
            let s = &tree.sections[s];
            (
                "section",
                s.title.clone(),
                s.description.clone(),
                &s.articles,
                s.path.clone(),
                Some(s.name.as_str()),
                None,
            )
        }
        ListKind::Tag(t) => {
            let t = &tree.tags[t];
            ("tag", t.name.clone(), None, &t.articles, t.path.clone(), None, None)
        }
        ListKind::Author(t) => {
            let t = &tree.authors[t];
            let key = (t.slug.clone(), tree.code.clone());
            let a = pages.bodies.authors.get(&key).map(|p| AuthorView {
                role: p.role.clone(),
                bio: p.bio_html.clone(),
                photo: p.photo.as_ref().map(|img| pages.image(img, Some(&t.name), None, None, u)),
            });
            ("author", t.name.clone(), None, &t.articles, t.path.clone(), None, a)
        }
    };
    let per = site.config.paginate;
    let total = page_count(ids.len(), per);
    let mut page_title = if kind == "home" { title.clone() } else { format!("{title} — {site_title}") };
    if page > 1 {
        page_title = format!("{page_title} ({} {page})", i18n.get("page"));
    }
    let mut view = pages.page_view(lang, path, u, page_title, section);
    if kind == "home" && page == 1 {
        view.alternates =
            site.langs.iter().map(|t| Alternate { lang: t.code.clone(), href: u.page(&t.home) }).collect();
    }
    if description.is_some() {
        view.description = description.clone();
    }
    let items = ids.iter().skip((page - 1) * per).take(per).map(|&i| pages.card(i, u)).collect();
    let list_view =
        ListView { kind, title, description, items, pagination: pages.pagination(&base, page, total, u), author };
    ctx.insert("page", &view);
    ctx.insert("list", &list_view);
}

fn terms_context(pages: &Pages, lang: usize, authors: bool, path: &PagePath, u: &Urls, ctx: &mut Context) {
    let site = pages.site;
    let tree = &site.langs[lang];
    let i18n = pages.i18n[lang];
    let (kind, terms) = if authors { ("authors", &tree.authors) } else { ("tags", &tree.tags) };
    let title = i18n.get(kind).to_string();
    let view = pages.page_view(lang, path, u, format!("{title} — {}", site.config.languages[lang].title), None);
    let terms = terms
        .iter()
        .map(|t| TermView { name: t.name.clone(), url: u.page(&t.path), count: t.articles.len() })
        .collect();
    ctx.insert("page", &view);
    ctx.insert("terms", &TermsView { kind, title, terms });
}

/// A page at an old address that sends the reader on: a relative meta
/// refresh and a link, which work on any static host and from disk.
fn redirect_page(pages: &Pages, alias: usize, path: &PagePath) -> String {
    let site = pages.site;
    let a = &site.articles[site.aliases[alias].1];
    let u = Urls::new(path, site.config.pretty_urls);
    let target = crate::highlight::escape(&u.page(&a.path));
    let title = crate::highlight::escape(&a.title);
    let canonical = crate::highlight::escape(&absolute(&site.config.base_url, a.path.as_str()));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p><a href=\"{target}\">{title}</a></p>\n</body>\n</html>\n",
        lang = a.lang
    )
}

/// `_redirects` (Netlify, Cloudflare Pages): the same aliases as server
/// redirects, for hosts that read the file.
pub fn redirects_file(site: &crate::site::Site) -> String {
    site.aliases
        .iter()
        .map(|(from, i)| format!("/{} /{} 301\n", from.as_str(), site.articles[*i].path.as_str()))
        .collect()
}

fn mirrors_context(pages: &Pages, lang: usize, path: &PagePath, u: &Urls, ctx: &mut Context) {
    use crate::mirrors::Kind;
    let site = pages.site;
    let title = pages.i18n[lang].get("mirrors_title").to_string();
    let view = pages.page_view(lang, path, u, format!("{title} — {}", site.config.languages[lang].title), None);
    let all = pages.mirror_views(&site.langs[lang].code);
    let (mut web, mut onion, mut ipfs, mut archive) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for m in all {
        match m.kind {
            Kind::Web => web.push(m),
            Kind::Onion => onion.push(m),
            Kind::Ipfs => ipfs.push(m),
            Kind::Archive => archive.push(m),
        }
    }
    let mirrors = MirrorsView {
        web,
        onion,
        ipfs,
        archive,
        sha256sums: u.file(crate::manifest::SUMS),
        manifest: u.file(crate::manifest::JSON),
        public_key: site.config.public_key.as_ref().map(crate::signing::public_to_text),
        fingerprint: site.config.public_key.as_ref().map(crate::signing::fingerprint),
    };
    ctx.insert("page", &view);
    ctx.insert("mirrors", &mirrors);
}

pub fn reference_error(page: &str, p: postprocess::Problem) -> Error {
    Error::Reference { page: page.to_string(), what: p.what, why: p.why.to_string() }
}

/// A Tera error and its causes on one line: the cause usually names the
/// variable or line that is wrong.
fn chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}
