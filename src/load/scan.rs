//! Finds the site's source files: walks `content/` in a fixed order and sorts
//! each file into what it is (article, section index, author, asset).

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// `news/x.md` or the bundle `news/x/index.md`.
    Article { bundle: bool },
    /// `news/_index.md` or `news/_index.ru.md`: a section's title and order.
    SectionIndex { section: String, lang: Option<String> },
    /// `authors/jane-roe.md` or `authors/jane-roe.ru.md`.
    Author { slug: String, lang: Option<String> },
    /// `pages/about.md` or `pages/about.ru.md`: a page outside the news
    /// (About, Contacts, Privacy).
    Standalone { slug: String, lang: Option<String> },
    /// Any other file: an image beside an article, a PDF.
    Asset,
}

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to `content/`, '/'-separated: `news/envoy/index.md`.
    pub rel: String,
    /// As the writer sees it, for messages: `content/news/envoy/index.md`.
    pub display: PathBuf,
    pub abs: PathBuf,
    pub kind: SourceKind,
}

impl SourceFile {
    /// The content-relative folder the file sits in (`news/envoy`).
    pub fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(d, _)| d)
    }
}

/// Lists `content/` sorted by path, so everything downstream sees one order.
pub fn scan(root: &Path) -> Result<Vec<SourceFile>> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Error::Content {
            loc: crate::error::Location::file(&content),
            msg: "no content folder; articles go in content/<section>/<slug>.md".into(),
        });
    }
    let files = walk(&content, &source_folders(root))?
        .into_iter()
        .map(|(abs, rel)| SourceFile {
            kind: classify(&rel),
            display: crate::urls::shown(root, Path::new("content").join(&rel)),
            abs,
            rel,
        })
        .collect();
    Ok(files)
}

/// The folders a symbolic link in the sources may lead into: the site's
/// `content/`, `static/`, `themes/` and `templates/`. Never the site folder
/// as a whole, which holds `site.yaml`, signing keys and the output.
pub fn source_folders(root: &Path) -> Vec<PathBuf> {
    ["content", "static", "themes", "templates"].iter().map(|d| root.join(d)).collect()
}

/// Every file under `dir` (absolute path, '/'-separated relative path),
/// sorted, without hidden and temporary files. Symbolic links are followed
/// while they lead into one of `allowed` (`source_folders`, or a theme's own
/// folder); a link that leads elsewhere, or in a loop, is an error:
/// sitegen publishes nothing from outside the sources.
///
/// The folders directly in `dir` (the sections) are walked side by side:
/// a walk waits on the kernel for every folder, and an archive's content
/// is a hundred thousand files.
pub fn walk(dir: &Path, allowed: &[PathBuf]) -> Result<Vec<(PathBuf, String)>> {
    use rayon::prelude::*;
    let fences: Vec<PathBuf> = allowed.iter().filter_map(|a| a.canonicalize().ok()).collect();
    let mut top = Vec::new();
    let mut folders = Vec::new();
    walk_from(dir, dir, &fences, true, |found| match found {
        Found::File(abs, rel) => top.push(Some((abs, rel))),
        Found::Folder(abs) => {
            top.push(None);
            folders.push(abs);
        }
    })?;
    let walked: Vec<Result<Vec<(PathBuf, String)>>> = folders
        .par_iter()
        .map(|f| {
            let mut files = Vec::new();
            walk_from(dir, f, &fences, false, |found| {
                if let Found::File(abs, rel) = found {
                    files.push((abs, rel));
                }
            })?;
            Ok(files)
        })
        .collect();
    let mut walked = walked.into_iter();
    let mut out = Vec::new();
    for entry in top {
        match entry {
            Some(file) => out.push(file),
            None => out.extend(walked.next().expect("a walk per folder")?),
        }
    }
    Ok(out)
}

/// What a walk finds: a file, or (walking one level) a folder to walk.
enum Found {
    File(PathBuf, String),
    Folder(PathBuf),
}

/// Walks `start` (under `dir`, which relative paths start from) in name
/// order: one level if `shallow`, giving its folders to walk, else all.
fn walk_from(dir: &Path, start: &Path, fences: &[PathBuf], shallow: bool, mut found: impl FnMut(Found)) -> Result<()> {
    // In name order: the entries of one folder share the folder's path, so
    // their paths' bytes sort as their names do, without `file_name`
    // parsing each path again for every comparison (a tenth of a walk).
    let by_name = |a: &walkdir::DirEntry, b: &walkdir::DirEntry| a.path().as_os_str().cmp(b.path().as_os_str());
    let mut walker = walkdir::WalkDir::new(start).follow_links(true).sort_by(by_name);
    if shallow {
        walker = walker.max_depth(1);
    }
    for entry in
        walker.into_iter().filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_str().unwrap_or("")))
    {
        let entry = entry.map_err(|e| {
            let path = e.path().map_or(start.to_path_buf(), Path::to_path_buf);
            let msg = match (e.loop_ancestor(), e.io_error()) {
                (Some(a), _) => {
                    // A folder walked on its own knows its ancestors by
                    // their real paths: named as the walk of `dir` names them.
                    let real_dir = dir.canonicalize().ok();
                    let inside = real_dir.as_deref().and_then(|d| a.strip_prefix(d).ok());
                    let a =
                        inside.map_or(
                            a.to_path_buf(),
                            |r| if r.as_os_str().is_empty() { dir.into() } else { dir.join(r) },
                        );
                    format!("symbolic link loop: it leads back to {}; remove the link", crate::urls::tidy(&a).display())
                }
                (None, Some(io)) => io.to_string(),
                (None, None) => e.to_string(),
            };
            Error::Content { loc: crate::error::Location::file(crate::urls::tidy(&path)), msg }
        })?;
        // A folder's own link was checked where it was found, one level up.
        if entry.path_is_symlink() && entry.depth() > 0 {
            let real = entry.path().canonicalize().map_err(|e| Error::io(entry.path(), e))?;
            if !fences.iter().any(|f| real.starts_with(f)) {
                return Err(Error::Content {
                    loc: crate::error::Location::file(crate::urls::tidy(entry.path())),
                    msg: format!(
                        "a symbolic link to {}, outside the site's content/, static/, themes/ and templates/; \
                         sitegen publishes nothing from elsewhere: copy the file in instead",
                        real.display()
                    ),
                });
            }
        }
        if shallow && entry.depth() == 1 && entry.file_type().is_dir() {
            found(Found::Folder(entry.path().to_path_buf()));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel_path = entry.path().strip_prefix(dir).expect("walkdir stays under its root");
        let Some(rel) = rel_path.to_str().map(|s| s.replace('\\', "/")) else {
            return Err(Error::Content {
                loc: crate::error::Location::file(entry.path()),
                msg: "file name is not valid UTF-8; rename the file".into(),
            });
        };
        found(Found::File(entry.path().to_path_buf(), rel));
    }
    Ok(())
}

/// Hidden files and editors' temporary files are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with("#")
        || name == "4913"
}

/// The content folder of standalone pages.
pub const STANDALONE_DIR: &str = "pages";

fn classify(rel: &str) -> SourceKind {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let Some(stem) = name.strip_suffix(".md") else {
        return SourceKind::Asset;
    };
    let (base, lang) = match stem.rsplit_once('.') {
        Some((b, l)) if !l.is_empty() && l.chars().all(|c| c.is_ascii_lowercase()) => (b, Some(l.to_string())),
        _ => (stem, None),
    };
    if base == "_index" {
        return SourceKind::SectionIndex { section: dir.to_string(), lang };
    }
    if dir == "authors" {
        return SourceKind::Author { slug: base.to_string(), lang };
    }
    if dir == STANDALONE_DIR {
        return SourceKind::Standalone { slug: base.to_string(), lang };
    }
    SourceKind::Article { bundle: base == "index" && !dir.is_empty() }
}

/// Files under a bundle folder (one that holds `index.md`), keyed by folder.
pub fn bundle_dirs(files: &[SourceFile]) -> std::collections::BTreeSet<String> {
    files.iter().filter(|f| f.kind == SourceKind::Article { bundle: true }).map(|f| f.dir().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies() {
        assert_eq!(classify("news/a.md"), SourceKind::Article { bundle: false });
        assert_eq!(classify("news/a/index.md"), SourceKind::Article { bundle: true });
        assert_eq!(
            classify("news/_index.ru.md"),
            SourceKind::SectionIndex { section: "news".into(), lang: Some("ru".into()) }
        );
        assert_eq!(classify("authors/jane.md"), SourceKind::Author { slug: "jane".into(), lang: None });
        assert_eq!(
            classify("pages/about.ru.md"),
            SourceKind::Standalone { slug: "about".into(), lang: Some("ru".into()) }
        );
        // A bundle folder under pages/ is still an article's.
        assert_eq!(classify("pages/x/index.md"), SourceKind::Article { bundle: true });
        assert_eq!(classify("news/a/photo.jpg"), SourceKind::Asset);
        assert_eq!(classify("index.md"), SourceKind::Article { bundle: false });
        assert_eq!(classify("news/a/index.ru.md"), SourceKind::Article { bundle: true });
    }

    #[test]
    fn ignores_editor_files() {
        for n in [".x.md.swp", "a.md~", "4913", ".git", "#a.md#"] {
            assert!(is_ignored(n), "{n}");
        }
        assert!(!is_ignored("a.md"));
    }
}
