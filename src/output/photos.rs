//! Which sizes of each photo the site publishes. Every image among the
//! published files is measured (from its header; a size is remembered
//! while the file's stamp is unchanged, so a rebuild reads no header), the
//! copies `image_sizes` names for it are added to the published files, and
//! an original wider than every copy is taken out, unless
//! `images.publish_originals` keeps it.

use crate::error::{Error, Location, Result};
use crate::image_sizes::{Ladder, Measured};
use crate::output::origin::Origin;
use crate::render::body_memo::ImageSize;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Image files whose size a page may need: those a browser shows.
pub fn is_image(site_path: &str) -> bool {
    let lower = site_path.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"].iter().any(|e| lower.ends_with(e))
}

/// Measures the images in `files` (sizes in `known` reused while their
/// file is unchanged; `known` then holds this build's), and adds each
/// photo's copies.
pub fn add_copies(
    files: &mut BTreeMap<String, Origin>,
    ladder: &Ladder,
    known: &mut HashMap<PathBuf, ImageSize>,
) -> Result<Measured> {
    let mut sources: Vec<PathBuf> = files
        .iter()
        .filter(|(rel, _)| is_image(rel))
        .filter_map(|(_, o)| match o {
            Origin::Disk(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    sources.sort();
    sources.dedup();
    let sizes: HashMap<PathBuf, ImageSize> = sources
        .into_par_iter()
        .filter_map(|src| {
            let stamp = crate::fs::stamp(&src)?;
            let size = match known.get(&src) {
                Some(k) if k.stamp == stamp => *k,
                _ => {
                    let (w, h) = crate::image_sizes::probe(&src)?;
                    ImageSize { stamp, width: w as usize, height: h as usize }
                }
            };
            Some((src, size))
        })
        .collect();
    let mut measured = Measured::default();
    let mut copies = Vec::new();
    for (rel, origin) in files.iter() {
        let Origin::Disk(src) = origin else { continue };
        let Some(size) = sizes.get(src) else { continue };
        let (w, h) = (size.width as u32, size.height as u32);
        measured.insert(rel.clone(), (w, h));
        for c in ladder.copies(rel, w, h) {
            let copy =
                Origin::Copy { source: src.clone(), width: c.width, height: c.height, quality: ladder.quality() };
            copies.push((rel.clone(), c.site_path, copy));
        }
    }
    for (rel, name, copy) in copies {
        if let Some(Origin::Disk(taken)) = files.get(&name) {
            return Err(Error::Content {
                loc: Location::file(crate::urls::tidy(taken)),
                msg: format!(
                    "`{name}` is the name sitegen gives a smaller copy of `{rel}`; rename this file (or the photo)"
                ),
            });
        }
        files.insert(name, copy);
    }
    files.retain(|rel, _| measured.get(rel).is_none_or(|(w, _)| ladder.publishes_original(rel, w)));
    *known = sizes;
    Ok(measured)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(dir: &std::path::Path, name: &str, w: u32, h: u32) -> PathBuf {
        let p = dir.join(name);
        image::RgbImage::new(w, h).save(&p).unwrap();
        p
    }

    #[test]
    fn wide_photos_are_replaced_by_their_copies_small_ones_kept() {
        let d = tempfile::tempdir().unwrap();
        let mut files = BTreeMap::new();
        files.insert("a/wide.jpg".to_string(), Origin::Disk(jpeg(d.path(), "wide.jpg", 2000, 1000)));
        files.insert("b/small.jpg".to_string(), Origin::Disk(jpeg(d.path(), "small.jpg", 400, 300)));
        files.insert("notes.txt".to_string(), Origin::Memory(b"x".to_vec()));
        let mut known = HashMap::new();
        let m = add_copies(&mut files, &Ladder::default(), &mut known).unwrap();
        assert_eq!(m.get("a/wide.jpg"), Some((2000, 1000)));
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "a/wide-1080w.jpg",
                "a/wide-1600w.jpg",
                "a/wide-320w.jpg",
                "a/wide-480w.jpg",
                "a/wide-720w.jpg",
                "b/small-320w.jpg",
                "b/small.jpg",
                "notes.txt"
            ]
        );
        assert_eq!(known.len(), 2, "sizes are remembered for the next build");
    }

    #[test]
    fn a_file_named_like_a_copy_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let mut files = BTreeMap::new();
        files.insert("p.jpg".to_string(), Origin::Disk(jpeg(d.path(), "p.jpg", 400, 300)));
        files.insert("p-320w.jpg".to_string(), Origin::Disk(jpeg(d.path(), "p-320w.jpg", 10, 10)));
        let e = add_copies(&mut files, &Ladder::default(), &mut HashMap::new()).unwrap_err().to_string();
        assert!(e.contains("`p-320w.jpg` is the name sitegen gives a smaller copy of `p.jpg`"), "{e}");
    }
}
