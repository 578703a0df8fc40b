//! Files published as they are: the theme's static files, the site's
//! `static/`, and files beside articles (published in the article's folder).

use crate::error::Result;
use crate::load::scan::{self, SourceFile, SourceKind};
use crate::load::theme::Theme;
use crate::model::site::Site;
use crate::output::documents;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub use crate::output::origin::Origin;

/// The published files, and the theme files renamed after their content.
pub struct Assets {
    pub files: BTreeMap<String, Origin>,
    /// Original name → name with its content hash (`site.css` →
    /// `site.0f3a9c1b2d.css`).
    pub renamed: BTreeMap<String, String>,
    /// The size of each image, by its original's site path.
    pub photos: crate::image_sizes::Measured,
}

impl Assets {
    /// Every stylesheet published, by published name, with its bytes.
    pub fn stylesheets(&self) -> Result<Vec<(String, Vec<u8>)>> {
        let css = self.files.iter().filter(|(rel, _)| rel.ends_with(".css"));
        css.map(|(rel, o)| o.bytes().map(|b| (rel.clone(), b))).collect()
    }

    /// The theme's stylesheet, for pages that must carry their styles
    /// inline (the 404 page, shown at any depth).
    pub fn inline_css(&self) -> Result<String> {
        let name = self.renamed.get("site.css").map_or("site.css", String::as_str);
        match self.files.get(name) {
            Some(o) => Ok(String::from_utf8_lossy(&o.bytes()?).into_owned()),
            None => Ok(String::new()),
        }
    }
}

/// Every published file by output path, with the theme's files
/// fingerprinted and every stylesheet checked as pages are.
/// Image sizes in `known` are reused while their file is unchanged;
/// `known` then holds this build's.
pub fn collect(
    site: &Site,
    theme: &Theme,
    files: &[SourceFile],
    known: &mut std::collections::HashMap<PathBuf, crate::render::body_memo::ImageSize>,
) -> Result<Assets> {
    let mut out = gather(site, theme, files)?;
    check_documents(&mut out, site)?;
    let photos = crate::output::photos::add_copies(&mut out, &site.config().images, known)?;
    let mut names: Vec<String> = theme.static_files.keys().cloned().collect();
    names.push("syntax.css".into());
    let renamed = fingerprint(&mut out, &names)?;
    check_stylesheets(&out, &site.config().base_url)?;
    Ok(Assets { files: out, renamed, photos })
}

/// Later sources override earlier ones: the site's `static/` overrides the
/// theme's files of the same name.
fn gather(site: &Site, theme: &Theme, files: &[SourceFile]) -> Result<BTreeMap<String, Origin>> {
    let mut out: BTreeMap<String, Origin> = BTreeMap::new();
    for (rel, bytes) in &theme.static_files {
        // A theme's files are published too: never a secret, images
        // without their metadata.
        let refused = |e: String| crate::error::Error::Theme(format!("{}: static/{rel} {e}", theme.name));
        if let Some(kind) = crate::output::secrets::secret_kind(rel, bytes) {
            return Err(refused(crate::output::secrets::refuse(kind)));
        }
        let clean = crate::output::metadata::publishable(rel, bytes).map_err(refused)?;
        out.insert(rel.clone(), Origin::Memory(clean.into_owned()));
    }
    out.insert("syntax.css".into(), Origin::Memory(crate::markdown::highlight::stylesheet().into_bytes()));
    let static_dir = site.config().static_dir();
    if static_dir.is_dir() {
        for (abs, rel) in scan::walk(&static_dir, &scan::source_folders(&site.config().root))? {
            out.insert(rel, Origin::Disk(abs));
        }
    }
    let all_bundles = scan::bundle_dirs(files);
    for f in files.iter().filter(|f| f.kind == SourceKind::Asset) {
        match bundle_of(&f.rel, &all_bundles) {
            // A bundle's files go into each of its articles' folders; a
            // bundle whose article is a draft publishes nothing.
            Some(dir) => {
                let rest = &f.rel[dir.len() + 1..];
                for &id in site.bundle(dir).unwrap_or(&[]) {
                    let path = format!("{}{rest}", site.articles()[id].path.as_str());
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

/// Renames `names` to carry a hash of their bytes, so mirrors and CDNs can
/// cache them forever. Stylesheets are done last, after their `url()`
/// references to other renamed files are rewritten.
fn fingerprint(out: &mut BTreeMap<String, Origin>, names: &[String]) -> Result<BTreeMap<String, String>> {
    let mut renamed = BTreeMap::new();
    let (css, other): (Vec<&String>, Vec<&String>) =
        names.iter().filter(|n| out.contains_key(*n)).partition(|n| n.ends_with(".css"));
    for name in other.into_iter().chain(css) {
        let origin = out.remove(name).expect("filtered on presence");
        let mut bytes = origin.bytes()?;
        if name.ends_with(".css") {
            bytes = rewrite_css_urls(&String::from_utf8_lossy(&bytes), name, &renamed).into_bytes();
        }
        let hash = &crate::publish::manifest::sha256_hex(&bytes)[..10];
        let new = match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.ends_with('/') && !stem.is_empty() => format!("{stem}.{hash}.{ext}"),
            _ => format!("{name}.{hash}"),
        };
        out.insert(new.clone(), Origin::Memory(bytes));
        renamed.insert(name.clone(), new);
    }
    Ok(renamed)
}

/// Points `url(x)` in the stylesheet `css_path` at renamed files.
fn rewrite_css_urls(css: &str, css_path: &str, renamed: &BTreeMap<String, String>) -> String {
    let dir = css_path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = css.to_string();
    for (old, new) in renamed {
        let from_css = relative_to(dir, old);
        let to_css = relative_to(dir, new);
        for q in ["", "\"", "'"] {
            out = out.replace(&format!("url({q}{from_css}{q})"), &format!("url({q}{to_css}{q})"));
        }
    }
    out
}

/// `path` (site-relative) as seen from folder `dir` (site-relative).
fn relative_to(dir: &str, path: &str) -> String {
    if dir.is_empty() {
        return path.to_string();
    }
    match path.strip_prefix(&format!("{dir}/")) {
        Some(rest) => rest.to_string(),
        None => format!("{}{path}", "../".repeat(dir.split('/').count())),
    }
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

/// HTML and SVG files are checked as pages are, and with `sanitize` the
/// site's own are replaced by their clean text; every problem of every
/// file is reported at once.
fn check_documents(files: &mut BTreeMap<String, Origin>, site: &Site) -> Result<()> {
    let mut errors = Vec::new();
    for (path, origin) in files.iter_mut().filter(|(p, _)| documents::is_document(p)) {
        let source = match origin {
            Origin::Disk(src) => Some(src.clone()),
            _ => None,
        };
        match documents::check(path, &origin.bytes()?, source.as_deref(), site) {
            Ok(Some(clean)) => *origin = Origin::Memory(clean),
            Ok(None) => {}
            Err(e) => errors.extend(e.into_iter().map(Err::<(), _>)),
        }
    }
    crate::error::collect_all(errors).map(|_| ())
}

/// Stylesheets get the same mirror check as pages: no `url(/…)`, no
/// fonts or images from another host.
fn check_stylesheets(assets: &BTreeMap<String, Origin>, base_url: &str) -> Result<()> {
    let mut errors = Vec::new();
    for (path, origin) in assets.iter().filter(|(p, _)| p.ends_with(".css")) {
        let bytes = origin.bytes()?;
        let css = String::from_utf8_lossy(&bytes);
        for p in crate::render::page_check::check_css(&css, base_url) {
            errors.push(Err::<(), _>(crate::render::templates::reference_error(path, p)));
        }
    }
    crate::error::collect_all(errors).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_and_rewrites_css_references() {
        let mut out = BTreeMap::new();
        out.insert("site.css".to_string(), Origin::Memory(b"a{background:url(img/bg.png)}".to_vec()));
        out.insert("img/bg.png".to_string(), Origin::Memory(b"png".to_vec()));
        out.insert("images/photo.jpg".to_string(), Origin::Memory(b"jpg".to_vec()));
        let renamed = fingerprint(&mut out, &["site.css".into(), "img/bg.png".into()]).unwrap();
        let bg = &renamed["img/bg.png"];
        assert!(bg.starts_with("img/bg.") && bg.ends_with(".png") && bg.len() == "img/bg..png".len() + 10, "{bg}");
        let css = &renamed["site.css"];
        let Origin::Memory(bytes) = &out[css] else { panic!() };
        assert_eq!(String::from_utf8_lossy(bytes), format!("a{{background:url({bg})}}"));
        assert!(out.contains_key("images/photo.jpg"), "content images keep their names");
        assert!(!out.contains_key("site.css"));
    }

    #[test]
    fn relative_paths_between_folders() {
        assert_eq!(relative_to("", "a/b.png"), "a/b.png");
        assert_eq!(relative_to("css", "css/b.png"), "b.png");
        assert_eq!(relative_to("css", "img/b.png"), "../img/b.png");
    }
}
