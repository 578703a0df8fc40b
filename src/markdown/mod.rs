//! Markdown to HTML: a library that knows nothing of the site. It takes a
//! body, where it comes from (`Source`) and a `Resolver` that answers
//! "where does this link go?", and gives HTML, warnings and every broken
//! link with its line. Code is highlighted with CSS classes
//! (`highlight`).

pub mod embeds;
pub mod highlight;
pub mod raw_html;
pub mod typography;

use crate::error::{Error, Location};
use crate::urls::{self, PagePath};
use crate::warning::Warning;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::path::Path;

/// What rendering needs to know about the rest of the site.
pub trait Resolver {
    /// The page made from a content file (`news/other.md`).
    fn article(&self, content_rel: &str) -> Option<&PagePath>;
    /// Whether the site has a page at this path.
    fn page_exists(&self, page: &PagePath) -> bool;
    /// A file's site path, looked up relative to `dir` in content/, then in
    /// `static/` (a leading `/` means `static/`).
    fn asset(&self, dir: &str, src: &str) -> Option<String>;
    fn pretty_urls(&self) -> bool;
    /// The primary address, without a trailing slash.
    fn base_url(&self) -> &str;
    /// Whether media from another host in raw HTML is an error rather
    /// than a placeholder (`remote_media: fail`).
    fn remote_media_fails(&self) -> bool {
        false
    }
    /// The sizes the image file `src` names (as `asset` finds it) is
    /// published in; `None` when it has no size to read (SVG) or is no
    /// image.
    fn image(&self, _dir: &str, _src: &str) -> Option<crate::image_sizes::Picture> {
        None
    }
    /// The `sizes` attribute of images in a body: how wide the theme
    /// shows them.
    fn body_image_sizes(&self) -> &str {
        crate::image_sizes::DEFAULT_BODY_SIZES
    }
}

/// Rendered Markdown and what the writer should know about it.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub warnings: Vec<Warning>,
    /// The writer used raw HTML: only then can the body hold a reference
    /// that the page check has to look at.
    pub raw_html: bool,
}

/// Where the Markdown comes from and where its HTML will be shown.
pub struct Source<'a> {
    pub path: &'a Path,
    /// The file line the body starts on.
    pub first_line: usize,
    /// The content folder of the file, for relative links (`news/envoy`).
    pub dir: &'a str,
    pub lang: &'a str,
    /// From the page showing the HTML back to the site root (`../../`).
    pub root: &'a str,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `md`; every broken link or missing image is reported, not only
/// the first.
pub fn render(md: &str, src: &Source, resolver: &dyn Resolver) -> Result<Rendered, Vec<Error>> {
    match render_despite_errors(md, src, resolver) {
        (rendered, errors) if errors.is_empty() => Ok(rendered),
        (_, errors) => Err(errors),
    }
}

/// Renders `md` whatever is broken in it (a broken link leads nowhere,
/// `#`), with every error found: a failing build still checks the pages
/// around it, so that one run reports everything.
pub fn render_despite_errors(md: &str, src: &Source, resolver: &dyn Resolver) -> (Rendered, Vec<Error>) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut raw_html = false;
    let mut events: Vec<Event> = Vec::new();
    let mut ids = HashSet::new();
    let mut code: Option<(String, String)> = None;
    let mut heading_start: Option<usize> = None;
    let mut paragraph: Option<(usize, usize)> = None;
    for (event, range) in Parser::new_ext(md, options()).into_offset_iter() {
        let line = || src.first_line + md[..range.start].matches('\n').count();
        match event {
            Event::Start(Tag::Paragraph) => {
                paragraph = Some((events.len(), line()));
                events.push(event);
            }
            Event::End(TagEnd::Paragraph) => {
                let whole = paragraph.take().and_then(|(start, at)| {
                    let block = block_of(&events[start + 1..], src)?;
                    Some((start, at, block))
                });
                match whole {
                    Some((start, at, Block::Media(url))) => {
                        events.truncate(start);
                        warnings.push(media_warning(src, at, &url));
                        let e = embeds::Embed { url: url.clone(), title: None, poster: None };
                        events.push(Event::Html(format!("{}\n", embeds::placeholder(&e, true)).into()));
                    }
                    Some((start, _, Block::Figure(html))) => {
                        events.truncate(start);
                        events.push(Event::Html(html.into()));
                    }
                    None => events.push(event),
                }
            }
            // `<press@example.org>`: the renderer writes it as a `mailto:`.
            Event::Start(Tag::Link { link_type: LinkType::Email, .. }) => events.push(event),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest = match rewrite_link(&dest_url, src, resolver) {
                    Ok(Link::Url(url)) => url,
                    Ok(Link::Origin(url)) => {
                        warnings.push(origin_warning(src, line(), &url));
                        url
                    }
                    Err(why) => {
                        errors.push(broken(src, line(), &dest_url, why));
                        "#".to_string()
                    }
                };
                events.push(Event::Start(Tag::Link { link_type, dest_url: dest.into(), title, id }));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, .. }) => {
                let dest = rewrite_image(&dest_url, src, resolver);
                // The image's sizes ride in `id` (a reference label, unused
                // once resolved) to `images_with_sizes`, which writes the tag.
                let size = match dest.is_ok() {
                    true => resolver.image(src.dir, &dest_url).map(|p| sizes_label(&p, src.root, resolver)),
                    false => None,
                };
                let dest = dest.unwrap_or_else(|why| {
                    errors.push(broken(src, line(), &dest_url, why));
                    "#".to_string()
                });
                let id = size.unwrap_or_default().into();
                events.push(Event::Start(Tag::Image { link_type, dest_url: dest.into(), title, id }));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(t) if code.is_some() => code.as_mut().expect("in code").1.push_str(&t),
            Event::End(TagEnd::CodeBlock) => {
                let (lang, text) = code.take().unwrap_or_default();
                events.push(Event::Html(highlight::code_block(&text, &lang).into()));
            }
            Event::Start(Tag::Heading { .. }) => {
                heading_start = Some(events.len());
                events.push(event);
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = heading_start.take() {
                    set_heading_id(&mut events, start, level, &mut ids);
                }
                events.push(event);
            }
            Event::Text(t) if src.lang == "ru" => {
                let quoted = russian_quotes(t);
                let bound = match typography::bind_short_words(&quoted) {
                    std::borrow::Cow::Borrowed(_) => quoted,
                    std::borrow::Cow::Owned(s) => s.into(),
                };
                events.push(Event::Text(bound))
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                raw_html = true;
                events.push(event);
            }
            e => events.push(e),
        }
    }
    let mut html = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, images_with_sizes(events).into_iter());
    if raw_html {
        let fixed = raw_html::fix(&html, md, src, resolver);
        html = fixed.html;
        warnings.extend(fixed.warnings);
        errors.extend(fixed.errors);
    }
    (Rendered { html, warnings, raw_html }, errors)
}

/// Each image as an `<img>` with its width and height (the page keeps its
/// place while it loads, and does not jump), loaded when it comes near
/// (`lazy`) and decoded off the main thread.
fn images_with_sizes(events: Vec<Event>) -> Vec<Event> {
    let mut out = Vec::with_capacity(events.len());
    let mut open: Option<(CowStr, CowStr, CowStr, String)> = None;
    for e in events {
        match (e, &mut open) {
            (Event::Start(Tag::Image { dest_url, title, id, .. }), None) => {
                open = Some((dest_url, title, id, String::new()));
            }
            (Event::End(TagEnd::Image), Some(_)) => {
                let (dest, title, size, alt) = open.take().expect("an image is open");
                out.push(Event::Html(img_tag(&dest, &alt, &title, &size).into()));
            }
            (Event::Text(t) | Event::Code(t), Some(img)) => img.3.push_str(&t),
            (_, Some(_)) => {}
            (e, None) => out.push(e),
        }
    }
    out
}

/// What `img_tag` needs of a picture, in one string: `{w}x{h}`, then,
/// if there are sizes to choose from, `\n{srcset}\n{sizes}`.
fn sizes_label(p: &crate::image_sizes::Picture, root: &str, resolver: &dyn Resolver) -> String {
    let widest = p.widest();
    let mut label = format!("{}x{}", widest.width, widest.height);
    if p.has_choice() {
        let srcset = crate::image_sizes::srcset(p.candidates(), |path| format!("{root}{path}"));
        label.push_str(&format!("\n{srcset}\n{}", resolver.body_image_sizes()));
    }
    label
}

/// `<img>` with `size` (from `sizes_label`, or empty) and lazy loading.
fn img_tag(src: &str, alt: &str, title: &str, size: &str) -> String {
    use crate::escape::html;
    let mut tag = format!("<img src=\"{}\" alt=\"{}\"", html(src), html(alt));
    if !title.is_empty() {
        tag.push_str(&format!(" title=\"{}\"", html(title)));
    }
    let mut parts = size.split('\n');
    if let Some((w, h)) = parts.next().and_then(|s| s.split_once('x')) {
        tag.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
    }
    if let (Some(srcset), Some(sizes)) = (parts.next(), parts.next()) {
        tag.push_str(&format!(" srcset=\"{}\" sizes=\"{}\"", html(srcset), html(sizes)));
    }
    tag.push_str(" loading=\"lazy\" decoding=\"async\">");
    tag
}

/// What a paragraph that holds one thing alone becomes.
enum Block {
    /// A known provider's media page (`https://youtu.be/…`): a placeholder.
    Media(String),
    /// An image with a title: a figure with its caption and credit.
    Figure(String),
}

/// A paragraph's events (between its start and end) as a `Block`, if it
/// is one.
fn block_of(inner: &[Event], src: &Source) -> Option<Block> {
    match inner {
        [Event::Text(t)] if embeds::is_media_page(t.trim()) => Some(Block::Media(t.trim().to_string())),
        [Event::Start(Tag::Link { link_type: LinkType::Autolink, dest_url, .. }), .., Event::End(TagEnd::Link)]
            if embeds::is_media_page(dest_url) =>
        {
            Some(Block::Media(dest_url.to_string()))
        }
        [Event::Start(Tag::Image { dest_url, title, id, .. }), alt @ .., Event::End(TagEnd::Image)]
            if !title.trim().is_empty() =>
        {
            let alt: String = alt
                .iter()
                .map(|e| match e {
                    Event::Text(t) | Event::Code(t) => t.as_ref(),
                    _ => "",
                })
                .collect();
            Some(Block::Figure(figure(dest_url, &alt, title, id, src.lang)))
        }
        _ => None,
    }
}

/// `![alt](src "Caption | Credit: AP / TASS")` as a figure: the caption,
/// then the credit as the lead photo's is shown.
fn figure(src: &str, alt: &str, title: &str, size: &str, lang: &str) -> String {
    use crate::escape::html;
    let (caption, credit) = split_credit(title);
    let mut out = format!("<figure class=\"figure\">{}<figcaption>", img_tag(src, alt, "", size));
    if !caption.is_empty() {
        out.push_str(&html(&typography::smarten(caption, lang)));
    }
    if let Some(c) = credit {
        if !caption.is_empty() {
            out.push(' ');
        }
        out.push_str(&format!("<span class=\"credit\">{}</span>", html(c)));
    }
    out.push_str("</figcaption></figure>\n");
    out
}

/// "Caption | Credit: AP / TASS" → ("Caption", Some("AP / TASS")); the
/// label may be written in any case, and in Russian (`Фото:`).
fn split_credit(title: &str) -> (&str, Option<&str>) {
    if let Some((caption, rest)) = title.rsplit_once('|') {
        let rest = rest.trim();
        for label in ["credit:", "фото:"] {
            let head = rest.char_indices().nth(label.chars().count()).map_or(rest.len(), |(i, _)| i);
            if rest[..head].to_lowercase() == label {
                return (caption.trim(), Some(rest[head..].trim()));
            }
        }
    }
    (title.trim(), None)
}

fn media_warning(src: &Source, line: usize, url: &str) -> Warning {
    Warning {
        loc: Location::at(src.path, line, 0),
        msg: format!(
            "{} link `{url}` alone on its line is shown as a placeholder with a link: a page may load nothing from a third party",
            embeds::provider(url)
        ),
    }
}

/// A URL of the writer's raw HTML that names this site from its root
/// (`/images/x.jpg`) or by its primary address, made page-relative as a
/// Markdown link is; `None` for any other URL, which stays as written.
pub fn own_site_url(dest: &str, src: &Source, r: &dyn Resolver) -> Option<Result<String, String>> {
    let site_path = match dest.starts_with('/') && !dest.starts_with("//") {
        true => dest.to_string(),
        false => own_host_path(dest, r.base_url())?,
    };
    Some(rewrite_site_link(&site_path, src, r))
}

/// A link to the primary address at a path the site does not build.
fn origin_warning(src: &Source, line: usize, url: &str) -> Warning {
    Warning {
        loc: Location::at(src.path, line, 0),
        msg: format!(
            "link to `{url}` names the primary address but no page of this site; on mirrors it leads readers to the blocked origin"
        ),
    }
}

/// Where a link in an article goes.
enum Link {
    /// Relative, or outside the site: use as is.
    Url(String),
    /// The primary host at a path this site does not build: kept absolute
    /// (there is nothing to make it relative to), with a warning.
    Origin(String),
}

fn broken(src: &Source, line: usize, target: &str, why: String) -> Error {
    Error::BrokenLink { loc: Location::at(src.path, line, 0), target: target.to_string(), why }
}

/// Gives a heading without an explicit `{#id}` one made from its text,
/// unique within the article.
fn set_heading_id(events: &mut [Event], start: usize, level: HeadingLevel, ids: &mut HashSet<String>) {
    let text: String = events[start + 1..]
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    if let Event::Start(Tag::Heading { id, classes, attrs, .. }) = &events[start] {
        let base = match id {
            Some(id) => id.to_string(),
            None => urls::slugify(&text),
        };
        let mut unique = base.clone();
        let mut n = 1;
        while !ids.insert(unique.clone()) {
            unique = format!("{base}-{n}");
            n += 1;
        }
        events[start] = Event::Start(Tag::Heading {
            level,
            id: Some(unique.into()),
            classes: classes.clone(),
            attrs: attrs.clone(),
        });
    }
}

/// Russian typography: «ёлочки» instead of “English” quotes.
fn russian_quotes(t: CowStr) -> CowStr {
    if t.contains(['“', '”']) {
        t.replace('“', "«").replace('”', "»").into()
    } else {
        t
    }
}

/// A link in an article: external ones stay, site paths and `.md` files
/// become page-relative links to pages that must exist.
fn rewrite_link(dest: &str, src: &Source, r: &dyn Resolver) -> Result<Link, String> {
    if let Some(site_path) = own_host_path(dest, r.base_url()) {
        // An absolute link to this very site works on mirrors only if made
        // relative.
        return Ok(match rewrite_link(&site_path, src, r) {
            Ok(link) => link,
            Err(_) => Link::Origin(dest.to_string()),
        });
    }
    if dest.is_empty() || dest.starts_with('#') || urls::is_external(dest) {
        return Ok(Link::Url(dest.to_string()));
    }
    rewrite_site_link(dest, src, r).map(Link::Url)
}

/// `https://example.org/news/` → `/news/` when `base` is `https://example.org`.
fn own_host_path(dest: &str, base: &str) -> Option<String> {
    if base.is_empty() || !dest.get(..base.len()).is_some_and(|d| d.eq_ignore_ascii_case(base)) {
        return None;
    }
    let rest = &dest[base.len()..];
    match rest.chars().next() {
        None => Some("/".into()),
        Some('/') => Some(rest.to_string()),
        Some('#' | '?') => Some(format!("/{rest}")),
        _ => None,
    }
}

fn rewrite_site_link(dest: &str, src: &Source, r: &dyn Resolver) -> Result<String, String> {
    let (path, frag) = urls::split_fragment(dest);
    if let Some(site_path) = path.strip_prefix('/') {
        if has_file_extension(site_path) && !site_path.ends_with(".html") {
            return r
                .asset("", path)
                .map(|a| format!("{}{a}{frag}", src.root))
                .ok_or_else(|| "no such file in static/".to_string());
        }
        let page = PagePath::parse_site_path(site_path);
        return if r.page_exists(&page) {
            Ok(format!("{}{}{frag}", src.root, page.link(r.pretty_urls())))
        } else {
            Err("no page at that address".into())
        };
    }
    if path.ends_with(".md") {
        let target = urls::resolve_relative(src.dir, path).ok_or("points outside content/")?;
        return r
            .article(&target)
            .map(|p| format!("{}{}{frag}", src.root, p.link(r.pretty_urls())))
            .ok_or_else(|| format!("no article at content/{target}"));
    }
    r.asset(src.dir, path)
        .map(|a| format!("{}{a}{frag}", src.root))
        .ok_or_else(|| "not a page or file of this site; link to an article's .md file or a /site/path/".into())
}

fn rewrite_image(dest: &str, src: &Source, r: &dyn Resolver) -> Result<String, String> {
    if urls::is_external(dest) {
        return Err("images must be part of the site (put the file beside the article or in static/); \
                    a remote image would load from a third party"
            .into());
    }
    r.asset(src.dir, dest)
        .map(|a| format!("{}{a}", src.root))
        .ok_or_else(|| "image not found beside the article or in static/".into())
}

fn has_file_extension(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    last.contains('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;
    impl Resolver for Fake {
        fn article(&self, rel: &str) -> Option<&PagePath> {
            static P: std::sync::OnceLock<PagePath> = std::sync::OnceLock::new();
            (rel == "news/other.md").then(|| P.get_or_init(|| PagePath::from_segments(["news", "other"])))
        }
        fn page_exists(&self, p: &PagePath) -> bool {
            p.as_str() == "tags/sanctions/"
        }
        fn asset(&self, dir: &str, src: &str) -> Option<String> {
            match (dir, src) {
                (_, "/images/a.jpg") => Some("images/a.jpg".into()),
                ("news/envoy", "photo.jpg") => Some("news/envoy/photo.jpg".into()),
                ("news/envoy", "wide%20photo.jpg") => Some("news/envoy/wide photo-1600w.jpg".into()),
                _ => None,
            }
        }
        fn pretty_urls(&self) -> bool {
            false
        }
        fn base_url(&self) -> &str {
            "https://example.org"
        }
        fn image(&self, dir: &str, src: &str) -> Option<crate::image_sizes::Picture> {
            let ladder = crate::image_sizes::Ladder::new(vec![400, 1600], 75, false, String::new());
            match (dir, src) {
                ("news/envoy", "photo.jpg") => Some(ladder.picture("news/envoy/photo.jpg", 300, 200)),
                ("news/envoy", "wide%20photo.jpg") => Some(ladder.picture("news/envoy/wide photo.jpg", 3000, 2000)),
                _ => None,
            }
        }
    }

    fn src(lang: &'static str) -> Source<'static> {
        Source {
            path: Path::new("content/news/envoy/index.md"),
            first_line: 5,
            dir: "news/envoy",
            lang,
            root: "../../",
        }
    }

    fn md(text: &str) -> String {
        render(text, &src("en"), &Fake).unwrap().html
    }

    #[test]
    fn internal_links_become_relative_file_links() {
        assert_eq!(
            md("[a](/tags/sanctions/) [b](../other.md#x) [c](https://x.org/)"),
            "<p><a href=\"../../tags/sanctions/index.html\">a</a> <a href=\"../../news/other/index.html#x\">b</a> <a href=\"https://x.org/\">c</a></p>\n"
        );
    }

    #[test]
    fn own_host_links_become_relative_or_warn() {
        let r =
            render("[a](https://EXAMPLE.org/tags/sanctions/) [b](https://example.org/reports/2024)", &src("en"), &Fake)
                .unwrap();
        assert_eq!(
            r.html,
            "<p><a href=\"../../tags/sanctions/index.html\">a</a> <a href=\"https://example.org/reports/2024\">b</a></p>\n"
        );
        assert_eq!(r.warnings.len(), 1);
        assert!(r.warnings[0]
            .to_string()
            .starts_with("content/news/envoy/index.md:5: warning: link to `https://example.org/reports/2024`"));
        assert_eq!(own_host_path("https://example.org.evil/x", "https://example.org"), None);
        // See: fuzz/regressions/markdown/own-host-prefix-ending-inside-a-letter.md
        assert_eq!(own_host_path("https://exampleя.org/x", "https://example.org"), None);
    }

    #[test]
    fn broken_links_are_all_reported_with_lines() {
        let errs = render("ok\n\n[a](/nope/)\n\n[b](gone.md)\n", &src("en"), &Fake).unwrap_err();
        let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(msgs.len(), 2);
        assert!(msgs[0].starts_with("content/news/envoy/index.md:7: broken link to `/nope/`"), "{}", msgs[0]);
        assert!(msgs[1].starts_with("content/news/envoy/index.md:9: broken link to `gone.md`"), "{}", msgs[1]);
    }

    #[test]
    fn images_resolve_in_bundle_and_static() {
        assert_eq!(
            md("![x](photo.jpg) ![y](/images/a.jpg)"),
            "<p><img src=\"../../news/envoy/photo.jpg\" alt=\"x\" width=\"300\" height=\"200\" loading=\"lazy\" decoding=\"async\"> <img src=\"../../images/a.jpg\" alt=\"y\" loading=\"lazy\" decoding=\"async\"></p>\n"
        );
    }

    #[test]
    fn a_wide_photo_offers_its_sizes() {
        assert_eq!(
            md("![x](wide%20photo.jpg)"),
            "<p><img src=\"../../news/envoy/wide photo-1600w.jpg\" alt=\"x\" width=\"1600\" height=\"1067\" srcset=\"../../news/envoy/wide%20photo-400w.jpg 400w, ../../news/envoy/wide%20photo-1600w.jpg 1600w\" sizes=\"(min-width: 42rem) 40rem, calc(100vw - 2rem)\" loading=\"lazy\" decoding=\"async\"></p>\n"
        );
    }

    #[test]
    fn a_titled_image_alone_is_a_figure_with_its_credit() {
        assert_eq!(
            md("![A map](photo.jpg 'The \"dam\" area | Credit: AP / TASS')"),
            "<figure class=\"figure\"><img src=\"../../news/envoy/photo.jpg\" alt=\"A map\" width=\"300\" height=\"200\" loading=\"lazy\" decoding=\"async\"><figcaption>The “dam” area <span class=\"credit\">AP / TASS</span></figcaption></figure>\n"
        );
        assert_eq!(split_credit("Сцена | Фото: ТАСС"), ("Сцена", Some("ТАСС")));
        assert_eq!(split_credit("A | B"), ("A | B", None));
        // Inside a line, a titled image stays an image with its title.
        assert!(md("See ![x](photo.jpg \"t\") here").contains("title=\"t\""));
    }

    #[test]
    fn a_known_providers_address_alone_is_a_placeholder() {
        let r = render("https://youtu.be/abc\n\nhttps://example.org/x\n", &src("en"), &Fake).unwrap();
        assert!(
            r.html.starts_with(
                "<figure class=\"embed embed--youtube\"><a class=\"embed__link\" href=\"https://youtu.be/abc\">"
            ),
            "{}",
            r.html
        );
        assert!(r.html.contains("<p>https://example.org/x</p>"));
        assert_eq!(r.warnings.len(), 1);
        assert!(render("![x](https://cdn.example/a.jpg)", &src("en"), &Fake).is_err());
    }

    #[test]
    fn headings_get_unique_anchors() {
        assert_eq!(
            md("## Reaction\n\n## Reaction\n\n## Own {#mine}\n"),
            "<h2 id=\"reaction\">Reaction</h2>\n<h2 id=\"reaction-1\">Reaction</h2>\n<h2 id=\"mine\">Own</h2>\n"
        );
    }

    #[test]
    fn quotes_follow_the_language() {
        assert_eq!(md("\"Talks\" -- went"), "<p>“Talks” – went</p>\n");
        let ru = render("\"Переговоры\" продолжатся", &src("ru"), &Fake).unwrap().html;
        assert_eq!(ru, "<p>«Переговоры» продолжатся</p>\n");
    }

    #[test]
    fn raw_html_is_noticed() {
        assert!(!render("plain *text*\n\n```\ncode\n```\n", &src("en"), &Fake).unwrap().raw_html);
        assert!(render("a <b>bold</b> move", &src("en"), &Fake).unwrap().raw_html);
    }

    #[test]
    fn code_is_highlighted() {
        let h = md("```rust\nlet x = 1;\n```\n");
        assert!(h.contains("<pre class=\"code\"><code class=\"language-rust\">"), "{h}");
    }

    #[test]
    fn tables_footnotes_strikethrough() {
        let h = md("|a|b|\n|-|-|\n|1|2|\n\n~~no~~ yes[^1]\n\n[^1]: note\n");
        assert!(h.contains("<table>") && h.contains("<del>no</del>") && h.contains("footnote"), "{h}");
    }
}
