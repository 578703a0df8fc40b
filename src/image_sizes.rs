//! The sizes a photo is published in, and their names: a pure function of
//! the photo's own size and `images:` in `site.yaml`, so the Markdown
//! renderer, the templates' views and the file writer agree on every
//! `srcset` candidate without waiting for a single pixel to be encoded.
//!
//! A JPEG or PNG wider than a step of the ladder (`images.widths`) gets a
//! copy at that step, named after it (`photo.jpg` → `photo-720w.jpg`),
//! beside the original's published place. The original itself is
//! published only while it is no wider than the widest step (it then is
//! the widest candidate) or when `images.publish_originals` asks for it: a
//! camera's 4000-pixel, 3.5 MB file is what a reader on a throttled link
//! must never be sent.

use std::collections::HashMap;
use std::path::Path;

/// `images:` in `site.yaml`, checked.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub struct Ladder {
    widths: Vec<u32>,
    quality: u8,
    publish_originals: bool,
    body_sizes: String,
}

/// Widths made by default: a phone's column at one and two device pixels
/// per CSS pixel, a tablet's, a laptop's, and a wide screen's lead photo.
pub const DEFAULT_WIDTHS: &[u32] = &[320, 480, 720, 1080, 1600];
/// JPEG quality: photographs show no loss at 75 on a screen, and a copy
/// costs half of what it would at 90.
pub const DEFAULT_QUALITY: u8 = 75;
/// How wide a body image is shown: the built-in theme's text column
/// (40rem) on a wide screen, the whole screen on a phone.
pub const DEFAULT_BODY_SIZES: &str = "(min-width: 42rem) 40rem, calc(100vw - 2rem)";

impl Default for Ladder {
    fn default() -> Self {
        Ladder {
            widths: DEFAULT_WIDTHS.to_vec(),
            quality: DEFAULT_QUALITY,
            publish_originals: false,
            body_sizes: DEFAULT_BODY_SIZES.into(),
        }
    }
}

/// One published size of a photo.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Candidate {
    /// Site-relative, no leading slash.
    pub site_path: String,
    pub width: u32,
    pub height: u32,
}

/// The sizes an image is published in, as a page offers them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Picture {
    /// Narrowest first; never empty.
    candidates: Vec<Candidate>,
}

impl Picture {
    /// The widest size: a page's `src`, a feed's enclosure.
    pub fn widest(&self) -> &Candidate {
        self.candidates.last().expect("a picture has a size")
    }

    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    /// Whether a browser has sizes to choose from (a `srcset` is worth
    /// writing).
    pub fn has_choice(&self) -> bool {
        self.candidates.len() > 1
    }
}

impl Ladder {
    /// The picture of a `width` × `height` image published at `site_path`.
    pub fn picture(&self, site_path: &str, width: u32, height: u32) -> Picture {
        Picture { candidates: self.candidates(site_path, width, height) }
    }

    /// `widths` sorted and without repeats; the caller has checked that
    /// each is from 16 to 8192 and the quality from 1 to 100.
    pub fn new(mut widths: Vec<u32>, quality: u8, publish_originals: bool, body_sizes: String) -> Ladder {
        widths.sort_unstable();
        widths.dedup();
        Ladder { widths, quality, publish_originals, body_sizes }
    }

    pub fn quality(&self) -> u8 {
        self.quality
    }

    /// The `sizes` attribute of images in article bodies.
    pub fn body_sizes(&self) -> &str {
        &self.body_sizes
    }

    /// Whether copies are made of the file at `site_path`: JPEG and PNG
    /// photos. GIF (perhaps animated), SVG (drawn), WebP and AVIF (already
    /// made for the web) are published as they are.
    pub fn derives(site_path: &str) -> bool {
        matches!(extension(site_path).as_deref(), Some("jpg" | "jpeg" | "png"))
    }

    /// Whether the original file is published beside its copies.
    pub fn publishes_original(&self, site_path: &str, width: u32) -> bool {
        !Ladder::derives(site_path) || self.publish_originals || width <= self.widest()
    }

    fn widest(&self) -> u32 {
        self.widths.last().copied().unwrap_or(u32::MAX)
    }

    /// The copies made of a `width` × `height` photo at `site_path` (as it
    /// is shown, turned as its Exif says), narrowest first.
    pub fn copies(&self, site_path: &str, width: u32, height: u32) -> Vec<Candidate> {
        if !Ladder::derives(site_path) {
            return Vec::new();
        }
        let steps = self.widths.iter().filter(|&&w| w < width);
        steps
            .map(|&w| Candidate {
                site_path: copy_path(site_path, w),
                width: w,
                height: scaled_height(width, height, w),
            })
            .collect()
    }

    /// Every size a page may offer of the photo, narrowest first: the
    /// copies, then the original if it is published and no wider than the
    /// widest step. Never empty: the last is the widest, a page's `src`.
    pub fn candidates(&self, site_path: &str, width: u32, height: u32) -> Vec<Candidate> {
        let mut all = self.copies(site_path, width, height);
        if all.is_empty() || width <= self.widest() {
            all.push(Candidate { site_path: site_path.to_string(), width, height });
        }
        all
    }
}

/// `news/a/photo.jpg` at 720 pixels: `news/a/photo-720w.jpg`.
pub fn copy_path(site_path: &str, width: u32) -> String {
    let (dir, name) = site_path.rsplit_once('/').map_or(("", site_path), |(d, n)| (d, n));
    let (stem, ext) = name.rsplit_once('.').filter(|(s, _)| !s.is_empty()).unwrap_or((name, ""));
    let sep = if dir.is_empty() { "" } else { "/" };
    let dot = if ext.is_empty() { "" } else { "." };
    format!("{dir}{sep}{stem}-{width}w{dot}{ext}")
}

/// The height of a copy `to` wide of a `width` × `height` picture, rounded
/// to the nearest pixel, never zero.
pub fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    let exact = (height as u64 * to as u64 * 2 + width as u64) / (2 * width.max(1) as u64);
    (exact as u32).max(1)
}

fn extension(site_path: &str) -> Option<String> {
    let name = site_path.rsplit('/').next()?;
    name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())
}

/// A `srcset` of `candidates`, each URL given by `url` (a space in it,
/// which would end the URL, written `%20`).
pub fn srcset(candidates: &[Candidate], url: impl Fn(&str) -> String) -> String {
    let each = candidates.iter().map(|c| format!("{} {}w", url(&c.site_path).replace(' ', "%20"), c.width));
    each.collect::<Vec<_>>().join(", ")
}

/// The size of every published photo by its original's site path, as a
/// browser shows it (turned as its Exif orientation says).
#[derive(Debug, Default, Clone)]
pub struct Measured {
    sizes: HashMap<String, (u32, u32)>,
}

impl Measured {
    pub fn insert(&mut self, site_path: String, size: (u32, u32)) {
        self.sizes.insert(site_path, size);
    }

    pub fn get(&self, site_path: &str) -> Option<(u32, u32)> {
        self.sizes.get(site_path).copied()
    }
}

/// An image file's width and height as shown, read from its header: the
/// Exif orientation of a JPEG turned sideways swaps them. `None` for a
/// file with no size to read (SVG, not an image).
pub fn probe(path: &Path) -> Option<(u32, u32)> {
    use std::io::Read;
    // A header with a camera's Exif (and its thumbnail) fits in 128 KB.
    let mut head = Vec::with_capacity(16 * 1024);
    std::fs::File::open(path).ok()?.take(128 * 1024).read_to_end(&mut head).ok()?;
    probe_bytes(&head).or_else(|| {
        let size = imagesize::size(path).ok()?;
        upright(&head, (size.width as u32, size.height as u32))
    })
}

/// [`probe`] of a file's first bytes (or all of them).
pub fn probe_bytes(head: &[u8]) -> Option<(u32, u32)> {
    let size = imagesize::blob_size(head).ok()?;
    upright(head, (size.width as u32, size.height as u32))
}

fn upright(head: &[u8], (w, h): (u32, u32)) -> Option<(u32, u32)> {
    Some(match jpeg_orientation(head) {
        Some(5..=8) => (h, w),
        _ => (w, h),
    })
}

/// The Exif orientation of the JPEG whose first bytes are `b`.
pub fn jpeg_orientation(b: &[u8]) -> Option<u16> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut at = 2;
    while at + 4 <= b.len() && b[at] == 0xFF {
        let marker = b[at + 1];
        let len = u16::from_be_bytes([b[at + 2], b[at + 3]]) as usize;
        // Metadata comes before the picture: its first scan ends the search.
        if marker == 0xDA || len < 2 {
            return None;
        }
        let payload = b.get(at + 4..(at + 2 + len).min(b.len()))?;
        if marker == 0xE1 && payload.starts_with(b"Exif\0") {
            return exif_orientation(payload.get(6..)?);
        }
        at += 2 + len;
    }
    None
}

/// The orientation an Exif block (`tiff`, after `Exif\0\0`) records.
pub fn exif_orientation(tiff: &[u8]) -> Option<u16> {
    let little = tiff.starts_with(b"II*\0");
    if !little && !tiff.starts_with(b"MM\0*") {
        return None;
    }
    let u16_at = |at: usize| -> Option<u16> {
        let x: [u8; 2] = tiff.get(at..at + 2)?.try_into().ok()?;
        Some(if little { u16::from_le_bytes(x) } else { u16::from_be_bytes(x) })
    };
    let u32_at = |at: usize| -> Option<usize> {
        let x: [u8; 4] = tiff.get(at..at + 4)?.try_into().ok()?;
        Some(if little { u32::from_le_bytes(x) } else { u32::from_be_bytes(x) } as usize)
    };
    let ifd = u32_at(4)?;
    let count = u16_at(ifd)? as usize;
    (0..count.min(512)).map(|i| ifd + 2 + 12 * i).find(|&e| u16_at(e) == Some(0x0112)).and_then(|e| u16_at(e + 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_named_after_their_width_beside_the_original() {
        assert_eq!(copy_path("news/a/photo.jpg", 720), "news/a/photo-720w.jpg");
        assert_eq!(copy_path("photo.JPG", 320), "photo-320w.JPG");
        assert_eq!(copy_path("a.b/photo", 320), "a.b/photo-320w");
        assert_eq!(copy_path("img/.hidden", 320), "img/.hidden-320w");
    }

    #[test]
    fn a_camera_photo_gets_every_step_and_is_not_published_itself() {
        let l = Ladder::default();
        let c = l.candidates("a/p.jpg", 4000, 2667);
        let widths: Vec<u32> = c.iter().map(|c| c.width).collect();
        assert_eq!(widths, DEFAULT_WIDTHS);
        assert_eq!(c[0], Candidate { site_path: "a/p-320w.jpg".into(), width: 320, height: 213 });
        assert!(!l.publishes_original("a/p.jpg", 4000));
        let kept = Ladder::new(vec![320], 75, true, String::new());
        assert!(kept.publishes_original("a/p.jpg", 4000));
        assert_eq!(
            kept.candidates("a/p.jpg", 4000, 3000).len(),
            1,
            "a published original wider than every step is in no srcset"
        );
    }

    #[test]
    fn a_small_photo_is_its_own_widest_size() {
        let l = Ladder::default();
        let c = l.candidates("p.png", 500, 500);
        assert_eq!(c.iter().map(|c| c.width).collect::<Vec<_>>(), [320, 480, 500]);
        assert_eq!(c[2].site_path, "p.png");
        assert!(l.publishes_original("p.png", 500));
        assert_eq!(l.candidates("tiny.jpg", 64, 40).len(), 1);
        assert_eq!(l.candidates("anim.gif", 4000, 40).len(), 1, "a GIF is never copied");
        assert!(l.publishes_original("anim.gif", 4000));
    }

    #[test]
    fn heights_keep_the_shape() {
        assert_eq!(scaled_height(4000, 2667, 720), 480);
        assert_eq!(scaled_height(4000, 1, 320), 1);
        assert_eq!(scaled_height(3, 2, 2), 1);
    }

    #[test]
    fn srcset_lists_each_width() {
        let l = Ladder::new(vec![480, 320], 75, false, String::new());
        let s = srcset(&l.candidates("p.jpg", 1000, 500), |p| format!("../{p}"));
        assert_eq!(s, "../p-320w.jpg 320w, ../p-480w.jpg 480w");
    }

    #[test]
    fn reads_the_orientation_of_either_byte_order() {
        let be = b"MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0";
        assert_eq!(exif_orientation(be), Some(6));
        let le = b"II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x08\0\0\0\0\0\0\0";
        assert_eq!(exif_orientation(le), Some(8));
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
        jpeg.extend_from_slice(&((2 + 6 + be.len()) as u16).to_be_bytes());
        jpeg.extend_from_slice(b"Exif\0\0");
        jpeg.extend_from_slice(be);
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0, 2]);
        assert_eq!(jpeg_orientation(&jpeg), Some(6));
        assert_eq!(jpeg_orientation(b"\x89PNG"), None);
        assert_eq!(exif_orientation(b"garbage"), None);
    }
}
