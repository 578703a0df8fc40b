//! The library's error type. Every variant that comes from an input names the
//! file (and the line where there is one), because the reader of these
//! messages is a writer on deadline who must know which file to open.

use std::fmt;
use std::path::PathBuf;

/// A place in a source file: `content/news/x.md:12:5`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Location {
    pub path: PathBuf,
    /// 1-based; 0 when the whole file is meant.
    pub line: usize,
    /// 1-based; 0 when unknown.
    pub col: usize,
}

/// Ordered by the path's bytes, then line and column: cheaper than
/// comparing path components, and as stable.
impl Ord for Location {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let (a, b) = (self.path.as_os_str().as_encoded_bytes(), other.path.as_os_str().as_encoded_bytes());
        a.cmp(b).then(self.line.cmp(&other.line)).then(self.col.cmp(&other.col))
    }
}

impl PartialOrd for Location {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Location {
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location { path: path.into(), line: 0, col: 0 }
    }
    pub fn at(path: impl Into<PathBuf>, line: usize, col: usize) -> Self {
        Location { path: path.into(), line, col }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.col > 0 {
                write!(f, ":{}", self.col)?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{loc}: config: {msg}")]
    Config { loc: Location, msg: String },
    #[error("{loc}: front matter: {msg}")]
    FrontMatter { loc: Location, msg: String },
    #[error("{loc}: {msg}")]
    Content { loc: Location, msg: String },
    #[error("{loc}: broken link to `{target}`: {why}")]
    BrokenLink { loc: Location, target: String, why: String },
    /// A template that does not parse, or fails on a page (`page`); `at`
    /// is the template's file, its line when it could be found.
    #[error("{at}: template: {msg}{}", page.as_ref().map(|p| format!(" (on page {p})")).unwrap_or_default())]
    Template { at: Location, msg: String, page: Option<String> },
    #[error("{page}: `{what}`: {why}")]
    Reference { page: String, what: String, why: String },
    #[error("theme: {0}")]
    Theme(String),
    /// The output folder: refused, busy, or not writable as asked.
    #[error("output: {0}")]
    Output(String),
    /// The watch session: its preview server, its watching of files.
    #[error("preview: {0}")]
    Preview(String),
    /// A signing key: reading, writing or making one.
    #[error("key: {0}")]
    Key(String),
    /// Packing the site as zip and tar.gz.
    #[error("archive: {0}")]
    Archive(String),
    /// A command-line option or environment setting.
    #[error("command line: {0}")]
    Options(String),
    /// A copy of the site that does not match its manifest or signature.
    #[error("verify: {0}")]
    Verify(String),
    #[error("{}", list(.0))]
    Many(Vec<Error>),
}

fn list(errors: &[Error]) -> String {
    let mut s = format!("{} error{}:", errors.len(), if errors.len() == 1 { "" } else { "s" });
    for e in errors {
        s.push_str("\n  ");
        s.push_str(&e.to_string().replace('\n', "\n    "));
    }
    s
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    /// The place in a file this error points at (with a line), and its
    /// message without the place: what `cli::errors` shows with the line.
    pub fn located(&self) -> Option<(&Location, String)> {
        let (loc, msg) = match self {
            Error::Config { loc, msg } => (loc, format!("config: {msg}")),
            Error::FrontMatter { loc, msg } => (loc, format!("front matter: {msg}")),
            Error::Content { loc, msg } => (loc, msg.clone()),
            Error::BrokenLink { loc, target, why } => (loc, format!("broken link to `{target}`: {why}")),
            Error::Template { at, msg, .. } => (at, format!("template: {msg}")),
            _ => return None,
        };
        (loc.line > 0).then_some((loc, msg))
    }

    /// A template error met while rendering page `file`, as shown on it: a
    /// part rendered for many pages fails on each of them.
    pub fn on_page(self, file: &str) -> Error {
        match self {
            Error::Template { at, msg, .. } => Error::Template { at, msg, page: Some(file.to_string()) },
            e => e,
        }
    }

    /// Sort key so that many errors print in a stable, file-ordered way.
    fn sort_key(&self) -> String {
        self.to_string()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Turns many results into one: all the values, or every error at once
/// (sorted), so a writer fixes every broken file in one go.
pub fn collect_all<T>(results: impl IntoIterator<Item = Result<T>>) -> Result<Vec<T>> {
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(v) => ok.push(v),
            Err(e) => errors.push(e),
        }
    }
    match errors.is_empty() {
        true => Ok(ok),
        false => Err(Error::merged(errors)),
    }
}

impl Error {
    /// `first` and `more` as one error: sorted, each shown once.
    pub fn with(first: Error, more: impl IntoIterator<Item = Error>) -> Error {
        Error::merged(std::iter::once(first).chain(more).collect())
    }

    /// Several errors (at least one; a `Many` among them is opened) as one,
    /// sorted, each shown once.
    pub(crate) fn merged(mut errors: Vec<Error>) -> Error {
        errors = errors
            .into_iter()
            .flat_map(|e| match e {
                Error::Many(es) => es,
                e => vec![e],
            })
            .collect();
        errors.sort_by_cached_key(Error::sort_key);
        errors.dedup_by_key(|e| e.sort_key());
        match errors.len() {
            1 => errors.pop().expect("one error"),
            _ => Error::Many(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_display() {
        assert_eq!(Location::at("content/a.md", 3, 7).to_string(), "content/a.md:3:7");
        assert_eq!(Location::at("content/a.md", 3, 0).to_string(), "content/a.md:3");
        assert_eq!(Location::file("content/a.md").to_string(), "content/a.md");
    }

    #[test]
    fn collect_all_reports_every_error_sorted() {
        let rs: Vec<Result<u8>> = vec![
            Ok(1),
            Err(Error::Content { loc: Location::file("b.md"), msg: "x".into() }),
            Err(Error::Content { loc: Location::file("a.md"), msg: "y".into() }),
        ];
        let e = collect_all(rs).unwrap_err();
        assert_eq!(e.to_string(), "2 errors:\n  a.md: y\n  b.md: x");
    }

    #[test]
    fn collect_all_passes_values_in_order() {
        let rs: Vec<Result<u8>> = vec![Ok(1), Ok(2)];
        assert_eq!(collect_all(rs).unwrap(), vec![1, 2]);
    }
}
