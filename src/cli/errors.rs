//! How an error reaches a writer: for one that points at a line of a file,
//! that line with a caret under the problem, as rustc shows it (rendered by
//! annotate-snippets, in colour only on a terminal); every other error as
//! one line. Many errors are shown one after another, then counted; the
//! same template error on many pages is shown once, with the pages.

use crate::error::{Error, Location};
use std::io::IsTerminal;

/// The text to print on stderr for `e`.
pub fn render(e: &Error) -> String {
    let styled = std::io::stderr().is_terminal();
    match e {
        Error::Many(all) => {
            let mut out: Vec<String> = grouped(all).into_iter().map(|g| g.render(styled)).collect();
            if out.len() > 1 {
                out.push(format!("error: {} errors", out.len()));
            }
            out.join("\n")
        }
        e => one(e, styled),
    }
}

/// Errors in order, those with the same template problem on many pages
/// merged into one.
enum Shown<'a> {
    One(&'a Error),
    OnPages { first: &'a Error, pages: Vec<&'a str> },
}

impl Shown<'_> {
    fn render(&self, styled: bool) -> String {
        match self {
            Shown::One(e) => one(e, styled),
            Shown::OnPages { first: Error::Template { at, msg, .. }, pages } => {
                let more = if pages.len() > 5 { format!(", and {} more", pages.len() - 5) } else { String::new() };
                let list = pages.iter().take(5).copied().collect::<Vec<_>>().join(", ");
                let on = match pages.len() {
                    1 => format!("on page {list}"),
                    n => format!("on {n} pages: {list}{more}"),
                };
                let whole = Error::Template { at: at.clone(), msg: msg.clone(), page: None };
                match whole.located().is_some() {
                    true => format!("{}\n  = {on}", one(&whole, styled).trim_end()),
                    false => format!("error: {whole}\n  {on}"),
                }
            }
            Shown::OnPages { first, .. } => one(first, styled),
        }
    }
}

fn grouped(all: &[Error]) -> Vec<Shown<'_>> {
    let mut shown: Vec<Shown> = Vec::new();
    for e in all {
        let Error::Template { at, msg, page: Some(page) } = e else {
            shown.push(Shown::One(e));
            continue;
        };
        let same = |f: &Error| matches!(f, Error::Template { at: a, msg: m, .. } if a == at && m == msg);
        match shown.iter_mut().find_map(|s| match s {
            Shown::OnPages { first, pages } if same(first) => Some(pages),
            _ => None,
        }) {
            Some(pages) => pages.push(page),
            None => shown.push(Shown::OnPages { first: e, pages: vec![page] }),
        }
    }
    shown
}

fn one(e: &Error, styled: bool) -> String {
    let Some((loc, msg)) = e.located() else { return format!("error: {e}") };
    let Some((line, span)) = source_line(loc, &msg) else { return format!("error: {e}") };
    let origin = loc.path.display().to_string();
    let message = annotate_snippets::Level::Error.title(&msg).snippet(
        annotate_snippets::Snippet::source(&line)
            .line_start(loc.line)
            .origin(&origin)
            .annotation(annotate_snippets::Level::Error.span(span)),
    );
    let renderer = match styled {
        true => annotate_snippets::Renderer::styled(),
        false => annotate_snippets::Renderer::plain(),
    };
    // Its `--> path:line:col` line is what editors and CI logs link.
    let text = renderer.render(message).to_string();
    text
}

/// The line `loc` points at, and the span to mark in it: from its column to
/// the end of the word there; with no column, the first thing `msg` quotes
/// in backticks that the line holds (a link target, a date), else the value
/// of a `key: value` line, else the line's text.
fn source_line(loc: &Location, msg: &str) -> Option<(String, std::ops::Range<usize>)> {
    let text = std::fs::read(&loc.path).ok()?;
    let text = String::from_utf8_lossy(&text);
    let line = text.lines().nth(loc.line - 1)?.trim_end().to_string();
    let quoted = msg.split('`').skip(1).step_by(2).filter(|q| !q.is_empty());
    let (start, len) = match loc.col {
        0 => match quoted.filter_map(|q| line.find(q).map(|i| (i, q.len()))).next() {
            Some(found) => found,
            None => match line.find(": ") {
                Some(i) => (i + 2, line.len() - i - 2),
                None => (line.len() - line.trim_start().len(), line.trim_start().len()),
            },
        },
        c => {
            let start = line.char_indices().nth(c - 1).map_or(line.len(), |(i, _)| i);
            // To the end of the word: a space, or a quote or bracket that
            // closes an attribute.
            let word_end = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>');
            (start, line[start..].find(word_end).unwrap_or(line.len() - start))
        }
    };
    // An empty line or a place past its end: mark one column.
    let end = (start + len).max(start + 1);
    let line = if end > line.len() { format!("{line} ") } else { line };
    Some((line, start..end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_located_error_shows_its_line_and_a_caret() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("a.md");
        std::fs::write(&path, "---\ntitle: x\ndate: 2025-13-01\n---\n").unwrap();
        let e = Error::FrontMatter { loc: Location::at(&path, 3, 7), msg: "not a real date".into() };
        let text = one(&e, false);
        assert!(text.starts_with("error: front matter: not a real date\n"), "{text}");
        assert!(text.contains(&format!("--> {}:3:7", path.display())), "{text}");
        assert!(text.contains("3 | date: 2025-13-01\n") && text.contains("  |       ^^^^^^^^^^"), "{text}");
        // No line, or a file that cannot be read: the one-line form.
        let e = Error::FrontMatter { loc: Location::at(d.path().join("gone.md"), 3, 7), msg: "x".into() };
        assert_eq!(one(&e, false), format!("error: {e}"));
    }
}
