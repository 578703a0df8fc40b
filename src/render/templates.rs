//! Renders pages through the theme's Tera templates, in parallel, and
//! checks each page as written. Pages are independent, so each rayon worker
//! builds its page's variables (`variables`) and renders it; each finished
//! page goes straight to the caller's writer.

use crate::error::{collect_all, Error, Location, Result};
use crate::load::theme::Theme;
use crate::render::context::PageContext;
use crate::render::page_check;
use crate::render::page_keys::{PAGE_TEMPLATES, STANDALONE_TEMPLATE};
use crate::render::parts::PartTemplates;
use crate::render::plan::Page;
use crate::render::{redirects, root_mark, variables};
use crate::urls::{self, PagePath};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use tera::Tera;

/// The theme's templates, ready to render, with the file and text of each
/// so that an error can point at its line.
pub struct Templates {
    tera: Tera,
    files: BTreeMap<String, (PathBuf, String)>,
}

impl Templates {
    pub fn load(theme: &Theme) -> Result<Templates> {
        let files: BTreeMap<String, (PathBuf, String)> = theme
            .templates
            .iter()
            .map(|(name, text)| {
                let file = theme.template_files.get(name).cloned().unwrap_or_else(|| PathBuf::from(name));
                (name.clone(), (file, text.clone()))
            })
            .collect();
        let mut tera = Tera::default();
        // Tera's default also escapes `/`, which bloats every URL into
        // `..&#x2F;..&#x2F;`; these five are all HTML needs.
        tera.set_escape_fn(crate::escape::html);
        if let Err(e) = tera.add_raw_templates(theme.templates.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
            return Err(Templates { tera, files }.load_error(&e));
        }
        for required in PAGE_TEMPLATES.iter().filter(|t| **t != STANDALONE_TEMPLATE) {
            if !theme.templates.contains_key(*required) {
                return Err(Error::Theme(format!("theme `{}` has no templates/{required}", theme.name)));
            }
        }
        Ok(Templates { tera, files })
    }

    /// The theme's part templates (cards, masthead, footer), for the
    /// pages to render once each.
    pub fn parts(&self) -> &dyn PartTemplates {
        self
    }

    /// Refuses a site with standalone pages whose theme cannot show them.
    pub fn check_standalone(&self, site: &crate::model::site::Site) -> Result<()> {
        match site.standalone().first() {
            Some(p) if !self.files.contains_key(STANDALONE_TEMPLATE) => Err(Error::Theme(format!(
                "{} is a standalone page, and the theme has no templates/{STANDALONE_TEMPLATE} to show it (copy the one of the built-in theme)",
                p.display().display()
            ))),
            _ => Ok(()),
        }
    }

    /// Renders template `name` into a document of its own (an edition),
    /// named `shown_as` in errors; a theme without it is told where to get
    /// one.
    pub fn render_document(&self, name: &str, vars: &tera::Context, shown_as: &str) -> Result<String> {
        if !self.files.contains_key(name) {
            return Err(Error::Theme(format!(
                "the theme has no templates/{name} (copy the one of the built-in theme into templates/)"
            )));
        }
        self.render(name, vars, shown_as)
    }

    /// Every template that does not parse, each at its line; or, when all
    /// parse, what Tera said about them together (a missing parent), at
    /// the template it names.
    fn load_error(&self, e: &tera::Error) -> Error {
        let syntax: Vec<Error> = self
            .files
            .iter()
            .filter_map(|(name, (file, text))| {
                let e = tera::Template::new(name, None, text).err()?;
                let (line, col, msg) = syntax_error(&chain(&e));
                Some(Error::Template { at: Location::at(file, line, col), msg, page: None })
            })
            .collect();
        if !syntax.is_empty() {
            return Error::merged(syntax);
        }
        let msg = chain(e);
        let file = quoted_names(&msg, '\'').find_map(|n| self.files.get(n)).map(|(f, _)| f.clone());
        match file {
            Some(file) => Error::Template { at: Location::file(file), msg, page: None },
            None => Error::Theme(format!("template error: {msg}")),
        }
    }

    /// Renders template `name` for page `file`; an error points at the
    /// template line it most likely comes from.
    fn render(&self, name: &str, vars: &tera::Context, file: &str) -> Result<String> {
        // As Tera starts: a part kept for the whole build (a card) must not
        // carry a page's worth of spare capacity.
        let mut out = Vec::with_capacity(2048);
        let rendered = self.tera.render_to(name, vars, &mut out);
        let rendered = rendered.and_then(|_| crate::fs::utf8(out).map_err(|e| tera::Error::msg(e.to_string())));
        rendered.map_err(|e| {
            // The innermost cause says what is wrong; "while rendering 'x'"
            // names the template it happened in.
            let mut inner: &dyn std::error::Error = &e;
            while let Some(next) = inner.source() {
                inner = next;
            }
            let cause = inner.to_string();
            let cause = cause.as_str();
            let within = cause.rsplit("while rendering '").next().filter(|_| cause.contains("while rendering '"));
            let within = within.and_then(|w| w.split('\'').next()).unwrap_or(name);
            let shown = cause.split(" while rendering '").next().unwrap_or(cause).to_string();
            let needle = quoted_names(&shown, '`').next().unwrap_or("");
            Error::Template { at: self.locate(within, needle), msg: shown, page: Some(file.to_string()) }
        })
    }

    /// Where `needle` is first written in template `name` or the templates
    /// it extends, else in any template; else the file of `name`.
    fn locate(&self, name: &str, needle: &str) -> Location {
        let chain = std::iter::once(name.to_string())
            .chain(self.tera.get_template(name).map(|t| t.parents.clone()).unwrap_or_default());
        let order: Vec<String> = chain.chain(self.files.keys().cloned()).collect();
        if !needle.is_empty() {
            for candidate in &order {
                let Some((file, text)) = self.files.get(candidate) else { continue };
                if let Some((line, col)) = line_of(text, needle) {
                    return Location::at(file, line, col);
                }
            }
        }
        let file = self.files.get(name).map_or_else(|| PathBuf::from(name), |(f, _)| f.clone());
        Location::file(file)
    }
}

impl PartTemplates for Templates {
    fn has(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    fn render_part(&self, name: &str, vars: &tera::Context) -> Result<String> {
        self.render(name, vars, "")
    }
}

/// The line and column (1-based) where `needle` is first written in `text`.
fn line_of(text: &str, needle: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, l)| l.find(needle).map(|at| (i + 1, l[..at].chars().count() + 1)))
}

/// The names quoted between `quote`s in `msg`, in order.
fn quoted_names(msg: &str, quote: char) -> impl Iterator<Item = &str> {
    msg.split(quote).skip(1).step_by(2).filter(|n| !n.is_empty())
}

/// Line, column and message of a Tera parse error: its text holds
/// ` --> 3:7` and a line `= expected …`.
fn syntax_error(text: &str) -> (usize, usize, String) {
    let place = text.split(" --> ").nth(1).and_then(|rest| {
        let (l, c) = rest.split_whitespace().next()?.split_once(':')?;
        Some((l.parse().ok()?, c.parse().ok()?))
    });
    let said = text.lines().find_map(|l| l.trim_start().strip_prefix("= ")).unwrap_or(text).trim().to_string();
    let (line, col) = place.unwrap_or((0, 0));
    (line, col, said)
}

/// A rendered page: where it goes and its bytes.
pub struct RenderedPage {
    pub file: String,
    pub html: String,
}

/// Renders `pages` in parallel and hands each page to `write`, so finished
/// pages do not pile up in memory. `css` is the stylesheet the 404 page
/// carries inline.
pub fn render_all<F>(ctx: &PageContext, tera: &Templates, css: &str, pages: &[Page], write: F) -> Result<usize>
where
    F: Fn(RenderedPage) -> Result<u64> + Sync,
{
    let _bar = crate::progress::stage("pages", pages.len());
    let results: Vec<Result<u64>> = pages
        .par_iter()
        .map(|&page| {
            crate::progress::tick();
            render_one(ctx, tera, css, page).and_then(&write)
        })
        .collect();
    collect_all(results).map(|v| v.len())
}

fn render_one(ctx: &PageContext, tera: &Templates, css: &str, page: Page) -> Result<RenderedPage> {
    let site = ctx.site();
    let file = page.file(site);
    if let Page::Alias(i) = page {
        return Ok(RenderedPage { file, html: redirects::page(site, i) });
    }
    let vars = variables::of(ctx, page, css).map_err(|e| e.on_page(&file))?;
    let template = vars.template;
    let html = tera.render(template, &vars.context, &file)?;
    let html = root_mark::place(&html, &vars.root).unwrap_or(html);
    let is_page = |p: &str| site.has_page(&PagePath::parse_site_path(urls::split_fragment(p).0));
    let problems = page_check::check(&html, &site.config().base_url, &is_page);
    if !problems.is_empty() {
        // An article's raw HTML is the likely culprit: name its file too;
        // on any other page, the template line that writes the reference.
        let refused = |p: page_check::Problem| match page {
            Page::Article(i) => in_article(&site.articles()[i].display, &file, p),
            _ => Error::Template {
                at: tera.locate(template, &p.url),
                msg: format!("`{}`: {}", p.what, p.why),
                page: Some(file.clone()),
            },
        };
        return Err(Error::Many(problems.into_iter().map(refused).collect()));
    }
    Ok(RenderedPage { file, html })
}

/// A reference the page check refused on the page of the article in
/// `path`: at the article's line that writes it, when one does.
fn in_article(path: &std::path::Path, page: &str, p: page_check::Problem) -> Error {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    match line_of(&text, &p.url).filter(|_| !p.url.is_empty()) {
        Some((line, col)) => {
            Error::Content { loc: Location::at(path, line, col), msg: format!("`{}`: {}", p.what, p.why) }
        }
        None => reference_error(&format!("{} ({page})", path.display()), p),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(files: &[(&str, &str)]) -> Theme {
        let mut t = Theme {
            name: "t".into(),
            templates: BTreeMap::new(),
            template_files: BTreeMap::new(),
            static_files: BTreeMap::new(),
            i18n: BTreeMap::new(),
        };
        for (name, text) in files {
            t.templates.insert(name.to_string(), text.to_string());
            t.template_files.insert(name.to_string(), PathBuf::from(format!("templates/{name}")));
        }
        t
    }

    #[test]
    fn a_missing_parent_is_blamed_on_the_template_that_extends_it() {
        let Err(e) = Templates::load(&theme(&[("a.html", "{% extends \"nope.html\" %}")])) else { panic!() };
        assert!(e.to_string().starts_with("templates/a.html: template: "), "{e}");
        assert!(e.to_string().contains("nope.html"), "{e}");
    }

    #[test]
    fn a_render_error_points_at_the_line_in_the_parent_that_has_it() {
        let base = "<html>\n{% block main %}{% endblock %}\n<p>{{ site.nme }}</p>\n</html>";
        let child = "{% extends \"base.html\" %}{% block main %}x{% endblock %}";
        let mut files: Vec<(&str, &str)> = vec![("base.html", base), ("child.html", child)];
        for name in PAGE_TEMPLATES.iter().copied() {
            if !files.iter().any(|&(n, _)| n == name) {
                files.push((name, ""));
            }
        }
        let t = Templates::load(&theme(&files)).unwrap();
        let e = t.render("child.html", &tera::Context::new(), "x/index.html").unwrap_err();
        let Error::Template { at, msg, page } = e else { panic!() };
        assert_eq!(at, Location::at("templates/base.html", 3, 7));
        assert!(msg.starts_with("Variable `site.nme` not found"), "{msg}");
        assert_eq!(page.as_deref(), Some("x/index.html"));
    }

    #[test]
    fn parse_errors_give_line_column_and_what_was_expected() {
        let text = " --> 2:7\n  |\n2 | {% if %}\n  |       ^---\n  |\n  = expected a value that can be negated";
        assert_eq!(syntax_error(text), (2, 7, "expected a value that can be negated".into()));
    }
}
