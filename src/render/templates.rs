//! Renders pages through the theme's Tera templates, in parallel, and
//! checks each page as written. Pages are independent, so each rayon worker
//! builds its page's variables (`variables`) and renders it; each finished
//! page goes straight to the caller's writer.

use crate::error::{collect_all, Error, Result};
use crate::load::theme::Theme;
use crate::render::context::PageContext;
use crate::render::page_check;
use crate::render::page_keys::PAGE_TEMPLATES;
use crate::render::plan::Page;
use crate::render::{redirects, variables};
use crate::urls::{self, PagePath};
use rayon::prelude::*;
use tera::Tera;

pub fn load(theme: &Theme) -> Result<Tera> {
    let mut tera = Tera::default();
    // Tera's default also escapes `/`, which bloats every URL into
    // `..&#x2F;..&#x2F;`; these five are all HTML needs.
    tera.set_escape_fn(crate::escape::html);
    tera.add_raw_templates(theme.templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| Error::Theme(format!("template error: {}", chain(&e))))?;
    for required in PAGE_TEMPLATES {
        if !theme.templates.contains_key(required) {
            return Err(Error::Theme(format!("theme `{}` has no templates/{required}", theme.name)));
        }
    }
    Ok(tera)
}

/// A rendered page: where it goes and its bytes.
pub struct RenderedPage {
    pub file: String,
    pub html: String,
}

/// Renders `pages` in parallel and hands each page to `write`, so finished
/// pages do not pile up in memory. `css` is the stylesheet the 404 page
/// carries inline.
pub fn render_all<F>(ctx: &PageContext, tera: &Tera, css: &str, pages: &[Page], write: F) -> Result<usize>
where
    F: Fn(RenderedPage) -> Result<u64> + Sync,
{
    let results: Vec<Result<u64>> =
        pages.par_iter().map(|&page| render_one(ctx, tera, css, page).and_then(&write)).collect();
    collect_all(results).map(|v| v.len())
}

fn render_one(ctx: &PageContext, tera: &Tera, css: &str, page: Page) -> Result<RenderedPage> {
    let site = ctx.site();
    let file = page.file(site);
    if let Page::Alias(i) = page {
        return Ok(RenderedPage { file, html: redirects::page(site, i) });
    }
    let (template, vars) = variables::of(ctx, page, css);
    let html = tera.render(template, &vars).map_err(|e| Error::Template {
        page: file.clone(),
        template: template.to_string(),
        msg: chain(&e),
    })?;
    let is_page = |p: &str| site.has_page(&PagePath::parse_site_path(urls::split_fragment(p).0));
    let problems = page_check::check(&html, &site.config().base_url, &is_page);
    if !problems.is_empty() {
        // An article's raw HTML is the likely culprit: name its file too.
        let source = match page {
            Page::Article(i) => format!("{} ({file})", site.articles()[i].display.display()),
            _ => format!("{file} (template `{template}`)"),
        };
        return Err(Error::Many(problems.into_iter().map(|p| reference_error(&source, p)).collect()));
    }
    Ok(RenderedPage { file, html })
}

/// A reference the page check refused, in the file or page `source`.
pub fn reference_error(source: &str, p: page_check::Problem) -> Error {
    Error::Reference { page: source.to_string(), what: p.what, why: p.why.to_string() }
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
