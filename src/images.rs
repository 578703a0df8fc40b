//! Published photos carry no Exif, GPS or other embedded metadata: a
//! source's location or camera serial can end up in a photo. The originals
//! in `content/` and `static/` are left untouched; only the copies in the
//! output are stripped. Colour profiles are kept, so colours do not shift.

use img_parts::{jpeg::Jpeg, png::Png, webp::WebP, Bytes, ImageEXIF};
use std::borrow::Cow;

/// JPEG APP1 (Exif, XMP) and APP13 (IPTC/Photoshop) segments.
const JPEG_APP1: u8 = 0xE1;
const JPEG_APP13: u8 = 0xED;
/// PNG chunks that hold metadata: Exif, and text (where XMP lives).
const PNG_METADATA: &[&[u8; 4]] = &[b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"];

/// The image without its metadata, or the bytes unchanged if the file is not
/// a JPEG, PNG or WebP, holds no metadata, or cannot be parsed.
pub fn strip_metadata<'a>(path: &str, bytes: &'a [u8]) -> Cow<'a, [u8]> {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let stripped = match ext.as_str() {
        "jpg" | "jpeg" => strip_jpeg(bytes),
        "png" => strip_png(bytes),
        "webp" => strip_webp(bytes),
        _ => None,
    };
    match stripped {
        Some(b) => Cow::Owned(b),
        None => Cow::Borrowed(bytes),
    }
}

fn strip_jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut jpeg = Jpeg::from_bytes(Bytes::copy_from_slice(bytes)).ok()?;
    let before = jpeg.segments().len();
    jpeg.segments_mut().retain(|s| s.marker() != JPEG_APP1 && s.marker() != JPEG_APP13);
    (jpeg.segments().len() != before).then(|| jpeg.encoder().bytes().to_vec())
}

fn strip_png(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut png = Png::from_bytes(Bytes::copy_from_slice(bytes)).ok()?;
    let before = png.chunks().len();
    png.chunks_mut().retain(|c| !PNG_METADATA.contains(&&c.kind()));
    (png.chunks().len() != before).then(|| png.encoder().bytes().to_vec())
}

fn strip_webp(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut webp = WebP::from_bytes(Bytes::copy_from_slice(bytes)).ok()?;
    let had = webp.exif().is_some() || webp.chunk_by_id(*b"XMP ").is_some();
    if !had {
        return None;
    }
    webp.set_exif(None);
    webp.remove_chunks_by_id(*b"XMP ");
    Some(webp.encoder().bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG with SOI, an APP0 (JFIF), an APP1 Exif segment holding a GPS
    /// marker, a minimal scan and EOI.
    fn jpeg_with_exif() -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        j.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        let exif = b"Exif\0\0GPS-55.7558N-37.6173E";
        j.extend_from_slice(&[0xFF, 0xE1, 0x00, (exif.len() + 2) as u8]);
        j.extend_from_slice(exif);
        j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0x34, 0xFF, 0xD9]);
        j
    }

    #[test]
    fn jpeg_exif_is_removed_and_the_rest_kept() {
        let original = jpeg_with_exif();
        let out = strip_metadata("photo.JPG", &original);
        assert!(!out.windows(3).any(|w| w == b"GPS"), "GPS survived");
        assert!(out.windows(4).any(|w| w == b"JFIF"), "JFIF header kept");
        assert!(out.ends_with(&[0x12, 0x34, 0xFF, 0xD9]), "image data kept");
        assert!(original.windows(3).any(|w| w == b"GPS"), "the original is not touched");
    }

    #[test]
    fn clean_files_and_other_types_pass_unchanged() {
        let once = strip_metadata("a.jpg", &jpeg_with_exif()).into_owned();
        assert!(matches!(strip_metadata("a.jpg", &once), Cow::Borrowed(_)));
        assert!(matches!(strip_metadata("a.svg", b"<svg/>"), Cow::Borrowed(_)));
        assert!(matches!(strip_metadata("a.jpg", b"not a jpeg"), Cow::Borrowed(_)));
    }
}
