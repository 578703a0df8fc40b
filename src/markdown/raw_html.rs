//! The writer's raw HTML, made to work on every mirror as Markdown does:
//! a URL that names this site from its root (`/images/x.jpg`) or by its
//! primary address is made relative (and one that leads nowhere is a
//! broken link, at its line); media from another host (an `<iframe>`,
//! `<video>`, `<audio>`, `<embed>`, `<object>`, a remote `<img>` or poster,
//! a widget's `<script>`) becomes a placeholder that loads nothing
//! (`embeds`), with a warning, or an error under `remote_media: fail`.
//! Archives imported from other generators are full of both.

use super::embeds::{self, Embed};
use super::{broken, own_site_url, Resolver, Source};
use crate::error::{Error, Location};
use crate::html_tags::{self, TagEvent};
use crate::warning::Warning;

/// Elements whose whole content goes with them when they load from
/// another host.
const CONTAINERS: &[&str] = &["iframe", "video", "audio", "object", "script"];
/// Attributes that hold a URL the browser loads (or, `href`, follows).
const URL_ATTRS: &[&str] = &["href", "src", "poster", "data", "srcset"];

pub struct Fixed {
    pub html: String,
    pub warnings: Vec<Warning>,
    pub errors: Vec<Error>,
}

/// A tag as read, owned, with the bytes it spans.
struct T {
    start: bool,
    name: String,
    attrs: Vec<(String, String, std::ops::Range<usize>)>,
    range: std::ops::Range<usize>,
}

impl T {
    fn get(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _, _)| n == name).map(|(_, v, _)| v.as_str())
    }
}

fn tags(html: &str) -> Vec<T> {
    let mut out = Vec::new();
    html_tags::for_each_tag(html, |e| match e {
        TagEvent::Start(tag, range) => out.push(T {
            start: true,
            name: tag.name.to_ascii_lowercase(),
            attrs: tag
                .attrs
                .iter()
                .map(|&(n, v)| {
                    (
                        n.to_ascii_lowercase(),
                        html_tags::url_value(v).into_owned(),
                        html_tags::range_in(html, v, range.end),
                    )
                })
                .collect(),
            range,
        }),
        TagEvent::End(name, range) => {
            out.push(T { start: false, name: name.to_ascii_lowercase(), attrs: Vec::new(), range })
        }
    });
    out
}

/// `html` (a body that holds raw HTML) fixed; `md` is its source, for the
/// line of each finding.
pub fn fix(html: &str, md: &str, src: &Source, r: &dyn Resolver) -> Fixed {
    let tags = tags(html);
    let mut out = Fixed { html: String::new(), warnings: Vec::new(), errors: Vec::new() };
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let line_of = |needle: &str| {
        let at = if needle.is_empty() { None } else { md.find(needle) };
        src.first_line + at.map_or(0, |i| md[..i].matches('\n').count())
    };
    let mut i = 0;
    while i < tags.len() {
        let t = &tags[i];
        if !t.start {
            i += 1;
            continue;
        }
        let end = match CONTAINERS.contains(&t.name.as_str()) {
            true => matching_end(&tags, i),
            false => i,
        };
        let inside = &tags[i..=end];
        // The media itself before its poster: that is what the link leads to.
        let remote: Option<&str> = ["src", "data", "srcset", "poster"].iter().find_map(|want| {
            inside.iter().flat_map(|x| x.attrs.iter()).find_map(|(n, v, _)| {
                (n == want && crate::urls::is_remote(v.split([' ', ',']).next().unwrap_or(""))).then_some(v.as_str())
            })
        });
        let media = matches!(
            t.name.as_str(),
            "iframe" | "video" | "audio" | "object" | "embed" | "img" | "script" | "source" | "track"
        );
        match (media, remote) {
            (true, Some(url)) => {
                let url = url.split([' ', ',']).next().unwrap_or(url).to_string();
                let line = line_of(&url);
                let shown = shown_url(t, &url);
                let kind = if t.get("data-telegram-post").is_some() { "post" } else { kind(&t.name) };
                let what = format!("{} {kind} `{shown}`", embeds::provider(&shown));
                // A widget's script, or a <source> of a <picture> whose own
                // <img> still shows: left out, nothing in their place.
                let widget = (t.name == "script" && t.get("data-telegram-post").is_none())
                    || t.name == "source"
                    || t.name == "track";
                let loc = Location::at(src.path, line, 0);
                if r.remote_media_fails() {
                    out.errors.push(Error::Content {
                        loc,
                        msg: format!("{what} would load from a third party (`remote_media: fail`): put the file in the article's folder, or remove it"),
                    });
                } else if widget {
                    let stays = match t.name.as_str() {
                        "script" => "the post it draws stays as written, with its link",
                        _ => "the element it belongs to shows what it has of its own",
                    };
                    out.warnings.push(Warning {
                        loc,
                        msg: format!("{what} is left out: a page may load nothing from a third party ({stays})"),
                    });
                } else {
                    out.warnings.push(Warning {
                        loc,
                        msg: format!(
                            "{what} is shown as a placeholder with a link: a page may load nothing from a third party"
                        ),
                    });
                }
                let range = t.range.start..tags[end].range.end;
                let replacement = match (t.name.as_str(), t.get("data-telegram-post")) {
                    // A widget's script beside the post it draws (X, Instagram):
                    // the post's own quote stays and the script goes.
                    ("script", None) | ("source" | "track", _) => String::new(),
                    _ => {
                        let poster = local_poster(inside, src, r);
                        let title = t.get("title").or(t.get("alt")).or(t.get("aria-label"));
                        let block = t.name != "img";
                        embeds::placeholder(&Embed { url: shown, title, poster }, block)
                    }
                };
                edits.push((range, replacement));
                i = end + 1;
            }
            _ => {
                for (name, value, at) in &t.attrs {
                    if !URL_ATTRS.contains(&name.as_str()) {
                        continue;
                    }
                    match resolve_attr(name, value, src, r) {
                        Ok(Some(new)) => edits.push((at.clone(), crate::escape::html(&new))),
                        Ok(None) if name == "href" && super::own_host_path(value.trim(), r.base_url()).is_some() => {
                            out.warnings.push(super::origin_warning(src, line_of(value), value.trim()));
                        }
                        Ok(None) => {}
                        // As a broken Markdown link does, it leads nowhere:
                        // the error is reported once, here, at its line.
                        Err((url, why)) => {
                            out.errors.push(broken(src, line_of(&url), &url, why));
                            edits.push((at.clone(), "#".to_string()));
                        }
                    }
                }
                i += 1;
            }
        }
    }
    out.html = html_tags::replace_ranges(html, edits);
    out
}

/// The index of the end tag that closes the element started at `i` (its
/// own start tag, if it is never closed).
fn matching_end(tags: &[T], i: usize) -> usize {
    let name = &tags[i].name;
    let mut depth = 0;
    for (j, t) in tags.iter().enumerate().skip(i) {
        if t.name == *name {
            depth += if t.start { 1 } else { -1 };
            if depth == 0 {
                return j;
            }
        }
    }
    i
}

fn kind(tag: &str) -> &'static str {
    match tag {
        "source" | "track" => "source",
        "video" => "video",
        "audio" => "audio",
        "img" => "image",
        "script" => "widget",
        _ => "embed",
    }
}

/// The address a reader opens for the media: a player's page, a
/// Telegram post's.
fn shown_url(t: &T, url: &str) -> String {
    if let Some(post) = t.get("data-telegram-post") {
        return format!("https://t.me/{post}");
    }
    embeds::original(url)
}

/// A still to show: the element's `data-poster` (or a video's `poster`)
/// when it names a file of the site, beside the article or in `static/`.
fn local_poster(inside: &[T], src: &Source, r: &dyn Resolver) -> Option<String> {
    let given =
        inside.iter().find_map(|t| t.get("data-poster").or(t.get("poster")).filter(|p| !crate::urls::is_remote(p)))?;
    r.asset(src.dir, given).map(|site_path| format!("{}{site_path}", src.root))
}

/// A relative URL that may name a file: no scheme, not a fragment alone.
fn is_relative_file(url: &str) -> bool {
    !url.is_empty()
        && !url.starts_with('#')
        && !url.starts_with("//")
        && !crate::urls::is_external(url)
        && !url.contains(':')
}

/// An attribute's URL made relative when it names this site; the URL and
/// why when it leads nowhere.
fn resolve_attr(name: &str, value: &str, src: &Source, r: &dyn Resolver) -> Result<Option<String>, (String, String)> {
    if name == "srcset" {
        let mut changed = false;
        let mut parts = Vec::new();
        for candidate in value.split(',') {
            let mut words = candidate.split_whitespace();
            let Some(url) = words.next() else { continue };
            let rest: Vec<&str> = words.collect();
            let url = match own_site_url(url, src, r) {
                Some(Ok(rel)) => {
                    changed = true;
                    rel
                }
                Some(Err(why)) => return Err((url.to_string(), why)),
                None => url.to_string(),
            };
            parts.push(std::iter::once(url.as_str()).chain(rest.iter().copied()).collect::<Vec<_>>().join(" "));
        }
        return Ok(changed.then(|| parts.join(", ")));
    }
    match own_site_url(value.trim(), src, r) {
        Some(Ok(rel)) => Ok(Some(rel)),
        // A photo named relative to the article whose original is not
        // published: its widest copy, beside it.
        None if is_relative_file(value.trim()) => {
            let (path, fragment) = crate::urls::split_fragment(value.trim());
            let written = path.rsplit('/').next().unwrap_or(path);
            let name = crate::urls::percent_decode(written).unwrap_or_else(|| written.to_string());
            Ok(r.asset(src.dir, path).and_then(|site_path| {
                let published = site_path.rsplit('/').next().unwrap_or(&site_path);
                (published != name).then(|| format!("{}{published}{fragment}", &path[..path.len() - written.len()]))
            }))
        }
        // A link to the primary host at a path the site does not build
        // stays as written, as a Markdown link does (Markdown warns).
        Some(Err(_)) if name == "href" && !value.trim().starts_with('/') => Ok(None),
        Some(Err(why)) => Err((value.to_string(), why)),
        None => Ok(None),
    }
}
