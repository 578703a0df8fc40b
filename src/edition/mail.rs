//! The email edition: the period's articles as a newsletter message, an
//! HTML part (the theme's `edition_email.html`: inline styles and table
//! layout, which mail clients render) and a plain-text part
//! (`edition_email.txt`, the bodies as text), with no image at all and no
//! tracking: every link leads to the one mirror the edition names.

use crate::build::Modelled;
use crate::edition::view::EditionView;
use crate::edition::{links, Addresses};
use crate::error::{Error, Result};
use crate::render::context::PageContext;
use crate::warning::Warning;

/// Gmail shows only the first 102 KB of a message's HTML, then a link.
const CLIPPED_AFTER: usize = 102 * 1024;

/// The message, as an `.eml` file's text.
pub fn message(
    ctx: &PageContext,
    modelled: &Modelled,
    view: &mut EditionView,
    addresses: &Addresses,
    warnings: &mut Vec<Warning>,
) -> Result<String> {
    let cfg = ctx.site().config();
    let host = crate::load::mirrors::host(&cfg.primary_url);
    let from = addresses
        .from
        .clone()
        .unwrap_or_else(|| format!("{} <newsletter@{host}>", view.masthead.as_deref().unwrap_or(&cfg.title)));
    let to = addresses.to.clone().unwrap_or_else(|| from.clone());
    for a in [&from, &to] {
        crate::publish::email::check_address(a).map_err(Error::Options)?;
    }
    let no_image = |_: &str| false;
    let targets = links::Targets {
        anchors: Default::default(),
        is_image: &no_image,
        base_url: &view.site_url,
        embed_images: false,
    };
    for a in &mut view.articles {
        let body = links::without_images(&links::place(&a.article.body, &targets).0);
        a.text = Some(as_text(&body)?);
        a.article.body = body;
    }
    let mut vars = tera::Context::new();
    vars.insert("edition", &*view);
    vars.insert("t", &modelled.theme().i18n(&view.lang)?.strings);
    let templates = modelled.templates();
    let html = templates.render_document("edition_email.html", &vars, &view.file_name)?;
    let html = links::without_images(&links::place(&html, &targets).0);
    super::nothing_loads(&html, view, modelled)?;
    let text = templates.render_document("edition_email.txt", &vars, &view.file_name)?;
    let text = links::place(&text, &targets).0;
    if html.len() > CLIPPED_AFTER {
        warnings.push(Warning {
            loc: crate::error::Location::file(std::path::PathBuf::from(&view.file_name)),
            msg: format!(
                "the message's HTML is {} KB: Gmail shows only the first 102 KB, then a link to the rest (give a shorter period with --since)",
                html.len().div_ceil(1024)
            ),
        });
    }
    let mail = crate::publish::email::Mail {
        from: &from,
        to: &to,
        subject: &view.title,
        date: modelled.now(),
        text: &text,
        html: &html,
    };
    Ok(mail.to_eml())
}

/// An article body as plain text, 72 columns, links as numbered notes.
fn as_text(html: &str) -> Result<String> {
    html2text::config::plain()
        .string_from_read(html.as_bytes(), 72)
        .map_err(|e| Error::Output(format!("an article's text part: {e}")))
}
