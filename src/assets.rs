//! Files published as they are: the theme's static files, the site's
//! `static/`, and files beside articles (published in the article's folder).

use crate::error::{Error, Result};
use crate::load::{self, SourceFile, SourceKind};
use crate::site::Site;
use crate::theme::Theme;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where a published file's bytes come from.
pub enum Origin {
    Disk(PathBuf),
    Memory(Vec<u8>),
}

/// Every asset by output path. Later sources override earlier ones: the
/// site's `static/` overrides the theme's files of the same name.
pub fn collect(site: &Site, theme: &Theme, files: &[SourceFile]) -> Result<BTreeMap<String, Origin>> {
    let mut out: BTreeMap<String, Origin> = BTreeMap::new();
    for (rel, bytes) in &theme.static_files {
        out.insert(rel.clone(), Origin::Memory(bytes.clone()));
    }
    out.insert("syntax.css".into(), Origin::Memory(crate::highlight::stylesheet().into_bytes()));
    let static_dir = site.config.static_dir();
    if static_dir.is_dir() {
        for entry in walkdir::WalkDir::new(&static_dir).sort_by_file_name() {
            let entry = entry.map_err(|e| Error::Output(format!("{}: {e}", static_dir.display())))?;
            let name = entry.file_name().to_string_lossy();
            if !entry.file_type().is_file() || load::is_ignored(&name) {
                continue;
            }
            let rel =
                entry.path().strip_prefix(&static_dir).expect("under static").to_string_lossy().replace('\\', "/");
            out.insert(rel, Origin::Disk(entry.path().to_path_buf()));
        }
    }
    let all_bundles = load::bundle_dirs(files);
    for f in files.iter().filter(|f| f.kind == SourceKind::Asset) {
        match bundle_of(&f.rel, &all_bundles) {
            // A bundle's files go into each of its articles' folders; a
            // bundle whose article is a draft publishes nothing.
            Some(dir) => {
                let rest = &f.rel[dir.len() + 1..];
                for &id in site.bundles.get(dir).map(Vec::as_slice).unwrap_or(&[]) {
                    let path = format!("{}{rest}", site.articles[id].path.as_str());
                    out.insert(path, Origin::Disk(f.abs.clone()));
                }
            }
            None => {
                out.insert(f.rel.clone(), Origin::Disk(f.abs.clone()));
            }
        }
    }
    Ok(out)
}

fn bundle_of<'a>(rel: &str, bundles: &'a std::collections::BTreeSet<String>) -> Option<&'a str> {
    let mut dir = rel;
    while let Some((parent, _)) = dir.rsplit_once('/') {
        if let Some(b) = bundles.get(parent) {
            return Some(b);
        }
        dir = parent;
    }
    None
}

/// Stylesheets get the same mirror check as pages: no `url(/…)`, no
/// fonts or images from another host.
pub fn check_stylesheets(assets: &BTreeMap<String, Origin>, base_url: &str) -> Result<()> {
    let mut errors = Vec::new();
    for (path, origin) in assets.iter().filter(|(p, _)| p.ends_with(".css")) {
        let bytes = match origin {
            Origin::Disk(p) => crate::fs::read(p)?,
            Origin::Memory(b) => b.clone(),
        };
        let css = String::from_utf8_lossy(&bytes);
        for p in crate::postprocess::check_css(&css, base_url) {
            errors.push(Err::<(), _>(crate::render::reference_error(path, p)));
        }
    }
    crate::error::collect_all(errors).map(|_| ())
}
