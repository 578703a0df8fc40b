//! Photo copies kept between builds, beside the output folder (never in
//! it): `.<output>.sitegen-photos/`. A copy is found by the SHA-256
//! of its source's bytes, its size, its format and the encoder's version,
//! so a rebuild, a build into a new folder or a watch save encodes only
//! photos whose bytes changed; renaming or moving a photo encodes nothing.
//!
//! Each copy is written under a temporary name and renamed into place, so
//! an interrupted build leaves no half-written file to be served later;
//! two builds that make the same copy write the same bytes.

use crate::output::photo_copies::{self, Format};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bumped whenever the encoder or the scaler would make other bytes.
const VERSION: u32 = 1;

pub struct PhotoCache {
    dir: PathBuf,
    /// Copies encoded by this build (not found in the cache).
    encoded: AtomicUsize,
}

impl PhotoCache {
    /// The cache of the output folder `output`.
    pub fn beside(output: &Path) -> PhotoCache {
        PhotoCache { dir: crate::output::lock::beside(output, "sitegen-photos"), encoded: AtomicUsize::new(0) }
    }

    pub fn encoded(&self) -> usize {
        self.encoded.load(Ordering::Relaxed)
    }

    /// The bytes of the copies of `source` (published at `site_path`) at
    /// `sizes`, from the cache or made now (the photo decoded once).
    pub fn copies(
        &self,
        source: &Path,
        site_path: &str,
        sizes: &[(u32, u32)],
        quality: u8,
    ) -> Result<Vec<Vec<u8>>, String> {
        let bytes = std::fs::read(source).map_err(|e| format!("cannot be read: {e}"))?;
        let format = Format::for_path(site_path, quality);
        // SHA-256, not a fast hash: a photo made to collide with another
        // would be published as that other photo's copies.
        let key = crate::publish::manifest::sha256_hex(&bytes);
        let names: Vec<PathBuf> = sizes.iter().map(|&(w, h)| self.dir.join(entry_name(&key, w, h, format))).collect();
        let mut found: Vec<Option<Vec<u8>>> = names.iter().map(|n| std::fs::read(n).ok()).collect();
        let missing: Vec<usize> = (0..sizes.len()).filter(|&i| found[i].is_none()).collect();
        if !missing.is_empty() {
            let img =
                photo_copies::decode_upright(&bytes).map_err(|e| format!("is not a photo that can be read: {e}"))?;
            let wanted: Vec<(u32, u32)> = missing.iter().map(|&i| sizes[i]).collect();
            let made = photo_copies::copies(&img, &wanted, format).map_err(|e| format!("cannot be scaled: {e}"))?;
            self.encoded.fetch_add(made.len(), Ordering::Relaxed);
            for (&i, copy) in missing.iter().zip(made) {
                // A cache that cannot be written costs time, never the build.
                let _ = self.store(&names[i], &copy);
                found[i] = Some(copy);
            }
        }
        Ok(found.into_iter().map(|f| f.expect("every copy found or made")).collect())
    }

    fn store(&self, name: &Path, bytes: &[u8]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(&self.dir)?;
        std::io::Write::write_all(&mut tmp, bytes)?;
        tmp.persist(name).map_err(|e| e.error)?;
        Ok(())
    }
}

fn entry_name(key: &str, w: u32, h: u32, format: Format) -> String {
    let kind = match format {
        Format::Jpeg { quality } => format!("q{quality}.jpg"),
        Format::Png => "png".into(),
    };
    format!("{key}-{w}x{h}-v{VERSION}.{kind}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 7]));
        let mut out = Vec::new();
        img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)).unwrap();
        out
    }

    #[test]
    fn a_copy_is_encoded_once_whatever_the_photo_is_called() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a.jpg"), d.path().join("b.jpg"));
        std::fs::write(&a, jpeg(64, 32)).unwrap();
        std::fs::write(&b, jpeg(64, 32)).unwrap();
        let cache = PhotoCache::beside(&d.path().join("public"));
        let first = cache.copies(&a, "x/a.jpg", &[(32, 16), (16, 8)], 75).unwrap();
        assert_eq!(cache.encoded(), 2);
        let again = PhotoCache::beside(&d.path().join("public"));
        assert_eq!(
            again.copies(&b, "y/b.jpg", &[(16, 8), (32, 16)], 75).unwrap(),
            vec![first[1].clone(), first[0].clone()]
        );
        assert_eq!(again.encoded(), 0, "the same bytes under another name are not encoded again");
        assert!(d.path().join(".public.sitegen-photos").is_dir());
        assert!(cache.copies(&d.path().join("gone.jpg"), "gone.jpg", &[(8, 8)], 75).is_err());
    }
}
