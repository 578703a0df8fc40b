//! The theme: templates, static files and i18n strings. A theme folder under
//! `themes/` is read from disk; the default theme is also compiled into the
//! binary, so a folder with only `site.yaml` and `content/` builds. Templates
//! in the site's own `templates/` override the theme's by name.

use crate::error::{Error, Result};
use crate::load::config::{Config, DEFAULT_THEME};
use crate::load::i18n::I18n;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/samizdat/", $path)))),*]
    };
}

/// The default theme's files, relative to `themes/samizdat/`.
pub const EMBEDDED: &[(&str, &[u8])] = embed!(
    "i18n/en.yaml",
    "i18n/ru.yaml",
    "static/favicon.svg",
    "static/site.css",
    "templates/404.html",
    "templates/article.html",
    "templates/base.html",
    "templates/card.html",
    "templates/corrections.html",
    "templates/edition.html",
    "templates/edition_email.html",
    "templates/edition_email.txt",
    "templates/footer.html",
    "templates/header.html",
    "templates/list.html",
    "templates/macros.html",
    "templates/mirrors.html",
    "templates/page.html",
    "templates/search.html",
    "templates/terms.html",
);

pub struct Theme {
    pub name: String,
    pub templates: BTreeMap<String, String>,
    /// The file each template came from, as errors name it: the site's
    /// override in `templates/`, the theme folder's file, or the built-in
    /// theme's.
    pub template_files: BTreeMap<String, PathBuf>,
    /// Copied to the output root, by path.
    pub static_files: BTreeMap<String, Vec<u8>>,
    pub i18n: BTreeMap<String, I18n>,
}

impl Theme {
    pub fn load(cfg: &Config) -> Result<Theme> {
        let name = cfg.theme.clone().unwrap_or_else(|| DEFAULT_THEME.to_string());
        let dir = cfg.root.join("themes").join(&name);
        let files = if dir.is_dir() {
            read_dir_files(&dir)?
        } else if name == DEFAULT_THEME {
            EMBEDDED.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect()
        } else {
            return Err(Error::Theme(format!(
                "theme `{name}` not found: no folder {} (remove `theme:` from site.yaml to use the built-in `{DEFAULT_THEME}`)",
                dir.display()
            )));
        };
        let mut theme = Theme::from_files(&name, files)?;
        let theme_dir = match dir.is_dir() {
            true => crate::urls::tidy(&dir),
            false => PathBuf::from(format!("<built-in theme {name}>")),
        };
        for (t, file) in theme.template_files.iter_mut() {
            *file = theme_dir.join("templates").join(t);
        }
        let overrides = cfg.templates_dir();
        if overrides.is_dir() {
            for (rel, bytes) in read_dir_files(&overrides)? {
                let path = crate::urls::tidy(&overrides.join(&rel));
                theme.templates.insert(rel.clone(), utf8(bytes, &path)?);
                theme.template_files.insert(rel, path);
            }
        }
        Ok(theme)
    }

    fn from_files(name: &str, files: BTreeMap<String, Vec<u8>>) -> Result<Theme> {
        let mut theme = Theme {
            name: name.to_string(),
            templates: BTreeMap::new(),
            template_files: BTreeMap::new(),
            static_files: BTreeMap::new(),
            i18n: BTreeMap::new(),
        };
        for (rel, bytes) in files {
            if let Some(t) = rel.strip_prefix("templates/") {
                theme.templates.insert(t.to_string(), utf8(bytes, Path::new(&rel))?);
                theme.template_files.insert(t.to_string(), PathBuf::from(&rel));
            } else if let Some(s) = rel.strip_prefix("static/") {
                theme.static_files.insert(s.to_string(), bytes);
            } else if let Some(file) = rel.strip_prefix("i18n/") {
                if let Some(lang) = file.strip_suffix(".yaml") {
                    let text = utf8(bytes, Path::new(&rel))?;
                    let i = I18n::parse(&text, file).map_err(|e| Error::Theme(format!("{name}: {e}")))?;
                    theme.i18n.insert(lang.to_string(), i);
                }
            }
        }
        Ok(theme)
    }

    /// The strings of each of `languages`, in that order.
    pub fn i18n_of<'a>(&self, languages: impl IntoIterator<Item = &'a str>) -> Result<Vec<&I18n>> {
        languages.into_iter().map(|code| self.i18n(code)).collect()
    }

    /// The strings for `lang`, falling back to English, then any.
    pub fn i18n(&self, lang: &str) -> Result<&I18n> {
        self.i18n
            .get(lang)
            .or_else(|| self.i18n.get("en"))
            .or_else(|| self.i18n.values().next())
            .ok_or_else(|| Error::Theme(format!("theme `{}` has no i18n/<lang>.yaml files", self.name)))
    }
}

fn utf8(bytes: Vec<u8>, path: &Path) -> Result<String> {
    String::from_utf8(bytes).map_err(|_| Error::Theme(format!("{}: not valid UTF-8", path.display())))
}

/// Every file under `dir`, keyed by '/'-separated relative path.
fn read_dir_files(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut out = BTreeMap::new();
    for (abs, rel) in crate::load::scan::walk(dir, &[dir.to_path_buf()])? {
        out.insert(rel, crate::fs::read(&abs)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compiled-in copy must list exactly the files of themes/samizdat.
    #[test]
    fn embedded_theme_matches_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes").join(DEFAULT_THEME);
        let on_disk: Vec<String> = read_dir_files(&dir).unwrap().into_keys().collect();
        let embedded: Vec<String> = EMBEDDED.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(embedded, on_disk);
    }

    #[test]
    fn embedded_theme_parses() {
        let files = EMBEDDED.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect();
        let t = Theme::from_files(DEFAULT_THEME, files).unwrap();
        assert!(t.templates.contains_key("article.html"));
        assert_eq!(t.i18n.keys().collect::<Vec<_>>(), ["en", "ru"]);
    }

    /// A string missing in one language would fail rendering there.
    #[test]
    fn every_language_has_every_string() {
        let files = EMBEDDED.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect();
        let t = Theme::from_files(DEFAULT_THEME, files).unwrap();
        let keys = |l: &str| t.i18n[l].strings.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys("en"), keys("ru"));
    }
}
