//! Published photos carry no Exif, GPS, XMP, IPTC, comments or embedded
//! thumbnails: a source's location or a camera's serial number in a photo
//! can put a person in prison. Only the copies in the output are stripped;
//! the originals in `content/` and `static/` are left untouched.
//!
//! The format is read from the bytes, never from the file name (a phone
//! JPEG saved as `photo.png` is a JPEG). Each format is walked segment by
//! segment and only what a browser needs to draw the picture is kept:
//! colour profiles stay (colours would shift), and a JPEG keeps its Exif
//! orientation alone (a portrait phone photo would turn on its side). A
//! file that claims to be an image and cannot be read through is an error,
//! never published as it is. What `exiftool -all=` removes, this removes.
//!
//! Written by hand: the crates that edit these containers (img-parts and
//! the like) keep what comes after a JPEG's end (the second image of a
//! phone's MPF file, with its own Exif) and fall back to the original
//! bytes on anything they cannot parse.

use std::borrow::Cow;

/// What a file turned out to be, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    WebP,
    Gif,
    /// AVIF and HEIC (ISO base media files).
    Heif,
    Tiff,
    /// Anything else: not an image of a kind that carries metadata.
    Other,
}

pub fn kind_of(b: &[u8]) -> Kind {
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Kind::Jpeg
    } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Kind::Png
    } else if b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        Kind::WebP
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Kind::Gif
    } else if b.len() >= 12 && &b[4..8] == b"ftyp" && HEIF_BRANDS.iter().any(|x| &b[8..12] == *x) {
        Kind::Heif
    } else if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        Kind::Tiff
    } else {
        Kind::Other
    }
}

const HEIF_BRANDS: &[&[u8; 4]] = &[b"avif", b"avis", b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1"];

/// File extensions that promise an image of a kind above.
const IMAGE_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "jpe", "jfif", "pjpeg", "pjp", "png", "apng", "webp", "gif", "avif", "heic", "heif", "tif", "tiff",
];

/// The bytes to publish for the file `name` (for the extension check):
/// images without their metadata, other files as they are. `Err` says
/// why an image cannot be published.
pub fn publishable<'a>(name: &str, bytes: &'a [u8]) -> Result<Cow<'a, [u8]>, String> {
    let stripped = match kind_of(bytes) {
        Kind::Jpeg => jpeg(bytes),
        Kind::Png => png(bytes),
        Kind::WebP => webp(bytes),
        Kind::Gif => gif(bytes),
        Kind::Heif => heif(bytes).map(|()| None),
        Kind::Tiff => Err("a TIFF file carries its camera data in its structure and cannot be published \
                           safely; export it as JPEG, PNG or WebP"
            .into()),
        Kind::Other => {
            let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
            if IMAGE_EXTENSIONS.contains(&ext.as_str()) {
                return Err(format!("is named .{ext} but is not a JPEG, PNG, WebP, GIF or AVIF image"));
            }
            Ok(None)
        }
    }?;
    Ok(stripped.map_or(Cow::Borrowed(bytes), Cow::Owned))
}

fn be16(b: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?) as usize)
}

fn be32(b: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize)
}

fn le32(b: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize)
}

/// `Some(new bytes)` if anything was removed, `None` if the image is clean.
type Stripped = Result<Option<Vec<u8>>, String>;

fn changed(out: Vec<u8>, original: &[u8]) -> Option<Vec<u8>> {
    (out != original).then_some(out)
}

/// JPEG: markers from SOI to the first EOI. Kept: JFIF headers, ICC
/// profiles, Adobe colour transforms, tables, frames and scans, and the
/// Exif orientation. Dropped: every other APPn (Exif, XMP, IPTC, MPF,
/// JFXX thumbnails, maker data), comments, and all that follows EOI.
fn jpeg(b: &[u8]) -> Stripped {
    let bad = |what: &str| Err(format!("is not a readable JPEG ({what})"));
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..2]);
    let (mut at, mut frame, mut scan) = (2, false, false);
    loop {
        if b.get(at) != Some(&0xFF) {
            return bad("a segment does not start where the one before it ends");
        }
        while b.get(at) == Some(&0xFF) {
            at += 1;
        }
        let Some(&marker) = b.get(at) else { return bad("it ends in a marker") };
        at += 1;
        match marker {
            0xD9 if frame && scan => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Ok(changed(out, b));
            }
            0xD9 => return bad("it ends before any picture"),
            0x01 | 0xD0..=0xD7 => out.extend_from_slice(&[0xFF, marker]),
            _ => {
                let Some(len) = be16(b, at).filter(|&l| l >= 2 && at + l <= b.len()) else {
                    return bad("a segment runs past the end of the file");
                };
                let segment = &b[at - 2..at + len];
                let payload = &b[at + 2..at + len];
                at += len;
                match marker {
                    0xC0..=0xCF if marker != 0xC4 && marker != 0xC8 && marker != 0xCC => {
                        frame = true;
                        out.extend_from_slice(segment);
                    }
                    0xDA => {
                        scan = true;
                        out.extend_from_slice(segment);
                        let end = scan_end(b, at).ok_or("is not a readable JPEG (it is cut off inside its picture)")?;
                        out.extend_from_slice(&b[at..end]);
                        at = end;
                    }
                    0xE0 if payload.starts_with(b"JFIF\0") => out.extend_from_slice(segment),
                    0xE1 if payload.starts_with(b"Exif\0") => {
                        out.extend(orientation_only(payload.get(6..).unwrap_or_default()))
                    }
                    0xE2 if payload.starts_with(b"ICC_PROFILE\0") => out.extend_from_slice(segment),
                    0xEE if payload.starts_with(b"Adobe") => out.extend_from_slice(segment),
                    0xE0..=0xEF | 0xFE => {}
                    _ => out.extend_from_slice(segment),
                }
            }
        }
    }
}

/// Where the entropy-coded data after a scan header ends: at the first
/// marker that is not a stuffed byte or a restart marker.
fn scan_end(b: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let i = at + memchr::memchr(0xFF, b.get(at..)?)?;
        match b.get(i + 1)? {
            0x00 | 0xD0..=0xD7 | 0xFF => at = i + 1,
            _ => return Some(i),
        }
    }
}

/// A minimal Exif segment holding the orientation alone, if the Exif
/// (`tiff`, after `Exif\0\0`) says the picture is turned; nothing else of
/// the camera's data.
fn orientation_only(tiff: &[u8]) -> Vec<u8> {
    let orientation = crate::image_sizes::exif_orientation(tiff);
    match orientation {
        Some(o @ 2..=8) => {
            // Big-endian TIFF: header, one IFD of one SHORT entry, no next IFD.
            let mut seg = vec![0xFF, 0xE1, 0x00, 0x22];
            seg.extend_from_slice(b"Exif\0\0MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01");
            seg.extend_from_slice(&[0, o as u8, 0, 0, 0, 0, 0, 0]);
            seg
        }
        _ => Vec::new(),
    }
}

/// PNG: chunks up to IEND; text, Exif and time chunks dropped.
fn png(b: &[u8]) -> Stripped {
    const DROP: &[&[u8; 4]] = &[b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"];
    let mut out = b[..8].to_vec();
    let mut at = 8;
    loop {
        let len = be32(b, at).ok_or("is not a readable PNG (cut off between chunks)")?;
        let end = at
            .checked_add(12 + len)
            .filter(|&e| e <= b.len())
            .ok_or("is not a readable PNG (a chunk runs past the end)")?;
        let kind = &b[at + 4..at + 8];
        if !DROP.iter().any(|d| kind == *d) {
            out.extend_from_slice(&b[at..end]);
        }
        at = end;
        if kind == b"IEND" {
            return Ok(changed(out, b));
        }
    }
}

/// WebP: RIFF chunks; EXIF and XMP dropped, and their flags cleared in
/// the extended header.
fn webp(b: &[u8]) -> Stripped {
    let bad = "is not a readable WebP (a chunk runs past the end)";
    let riff_end = le32(b, 4).and_then(|n| n.checked_add(8)).filter(|&e| e <= b.len()).ok_or(bad)?;
    let mut body = Vec::with_capacity(b.len());
    let mut at = 12;
    while at < riff_end {
        let len = le32(b, at + 4).ok_or(bad)?;
        let end = (at + 8).checked_add(len + (len & 1)).filter(|&e| e <= riff_end).ok_or(bad)?;
        match &b[at..at + 4] {
            b"EXIF" | b"XMP " => {}
            b"VP8X" if len >= 1 => {
                let start = body.len();
                body.extend_from_slice(&b[at..end]);
                // Flags: bit 3 Exif, bit 2 XMP.
                body[start + 8] &= !0b0000_1100;
            }
            _ => body.extend_from_slice(&b[at..end]),
        }
        at = end;
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend(body);
    Ok(changed(out, b))
}

/// GIF: blocks up to the trailer; comments and application data dropped,
/// but for the loop count of animations.
fn gif(b: &[u8]) -> Stripped {
    let bad = || "is not a readable GIF (cut off)".to_string();
    let table = |flags: u8| if flags & 0x80 != 0 { 3 << ((flags & 7) + 1) } else { 0 };
    let mut at = 13 + table(*b.get(10).ok_or_else(bad)?);
    let mut out = b.get(..at).ok_or_else(bad)?.to_vec();
    // The end of the sub-blocks starting at `from`.
    let sub_blocks = |mut from: usize| -> Option<usize> {
        loop {
            let n = *b.get(from)? as usize;
            from += 1 + n;
            if n == 0 {
                return (from <= b.len()).then_some(from);
            }
        }
    };
    loop {
        match b.get(at).ok_or_else(bad)? {
            0x3B => {
                out.push(0x3B);
                return Ok(changed(out, b));
            }
            0x2C => {
                let flags = *b.get(at + 9).ok_or_else(bad)?;
                let data = at + 10 + table(flags) + 1;
                let end = sub_blocks(data).ok_or_else(bad)?;
                out.extend_from_slice(&b[at..end]);
                at = end;
            }
            0x21 => {
                let label = *b.get(at + 1).ok_or_else(bad)?;
                let end = sub_blocks(at + 2).ok_or_else(bad)?;
                let app = b.get(at + 3..at + 14).unwrap_or_default();
                let keep = match label {
                    0xFE => false,
                    0xFF => app == b"NETSCAPE2.0" || app == b"ANIMEXTS1.0",
                    _ => true,
                };
                if keep {
                    out.extend_from_slice(&b[at..end]);
                }
                at = end;
            }
            _ => return Err(bad()),
        }
    }
}

/// AVIF and HEIC: refused if their item list holds Exif or XMP (which
/// cannot be cut out without rewriting every offset in the file).
fn heif(b: &[u8]) -> Result<(), String> {
    let meta = boxes(b).find(|(kind, _)| kind == b"meta").map(|(_, body)| body);
    let Some(meta) = meta.and_then(|m| m.get(4..)) else { return Ok(()) };
    let Some(iinf) = boxes(meta).find(|(kind, _)| kind == b"iinf").map(|(_, body)| body) else { return Ok(()) };
    let version = *iinf.first().unwrap_or(&0);
    let entries = iinf.get(if version == 0 { 6 } else { 8 }..).unwrap_or_default();
    for (kind, infe) in boxes(entries) {
        let v = *infe.first().unwrap_or(&0);
        let type_at = match v {
            2 => 8,
            3 => 10,
            _ => continue,
        };
        if matches!(infe.get(type_at..type_at + 4), Some(b"Exif") | Some(b"mime")) && kind == b"infe" {
            return Err("carries Exif or XMP metadata, which sitegen cannot remove from an AVIF or HEIC file; \
                        export the photo as JPEG or WebP"
                .into());
        }
    }
    Ok(())
}

/// The boxes of an ISO base media file: (type, body).
fn boxes(b: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let size = be32(b, at)?;
        let kind = b.get(at + 4..at + 8)?;
        let (start, end) = match size {
            0 => (at + 8, b.len()),
            1 => (at + 16, at.checked_add(u64::from_be_bytes(b.get(at + 8..at + 16)?.try_into().ok()?) as usize)?),
            n if n >= 8 => (at + 8, at.checked_add(n)?),
            _ => return None,
        };
        let body = b.get(start..end)?;
        at = end;
        Some((kind, body))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG with an Exif segment (orientation 6), a comment and a
    /// trailing second image; its frame and scan are minimal.
    fn jpeg_with(exif_orientation: u8) -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        j.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        let mut tiff = b"II*\0\x08\0\0\0\x02\0".to_vec();
        tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, exif_orientation, 0, 0, 0]);
        tiff.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 0x26, 0, 0, 0]);
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        let seg_len = (tiff.len() + 8) as u16;
        j.extend_from_slice(&[0xFF, 0xE1]);
        j.extend_from_slice(&seg_len.to_be_bytes());
        j.extend_from_slice(b"Exif\0\0");
        j.extend_from_slice(&tiff);
        j.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x0A]);
        j.extend_from_slice(b"GPS 55 N");
        j.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x10, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00]);
        j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0xFF, 0x00, 0x34]);
        j.extend_from_slice(&[0xFF, 0xD9]);
        j
    }

    fn markers(j: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut at = 2;
        while at + 2 <= j.len() && j[at] == 0xFF {
            let m = j[at + 1];
            out.push(m);
            if m == 0xD9 {
                break;
            }
            let len = be16(j, at + 2).unwrap();
            at += 2 + len;
            if m == 0xDA {
                at = scan_end(j, at).unwrap();
            }
        }
        out
    }

    #[test]
    fn jpeg_keeps_the_picture_and_the_orientation_alone() {
        let mut original = jpeg_with(6);
        original.extend(jpeg_with(1));
        let out = publishable("x.png", &original).unwrap().into_owned();
        assert_eq!(markers(&out), [0xE0, 0xE1, 0xC0, 0xDA, 0xD9]);
        assert!(!out.windows(3).any(|w| w == b"GPS"), "comment dropped");
        assert!(out.ends_with(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD9]), "scan kept whole, nothing after EOI");
        let tiff = |j: &[u8]| j[j.windows(6).position(|w| w == b"Exif\0\0").unwrap() + 6..].to_vec();
        let exif = tiff(&out);
        assert_eq!(orientation_only(&exif), orientation_only(&tiff(&jpeg_with(6))), "the orientation survives");
        assert_eq!(&orientation_only(&exif)[28..30], [0, 6]);
        assert!(!exif.windows(2).any(|w| w == [0x88, 0x25] || w == [0x25, 0x88]), "no GPS IFD pointer");
    }

    #[test]
    fn an_upright_jpeg_loses_its_exif_entirely() {
        let out = publishable("x.jpg", &jpeg_with(1)).unwrap().into_owned();
        assert_eq!(markers(&out), [0xE0, 0xC0, 0xDA, 0xD9]);
        assert!(matches!(publishable("x.jpg", &out).unwrap(), Cow::Borrowed(_)), "a clean file passes as it is");
    }

    #[test]
    fn broken_and_disguised_files_are_errors() {
        let j = jpeg_with(1);
        assert!(publishable("x.jpg", &j[..j.len() - 2]).is_err(), "no end of image");
        assert!(publishable("x.jpg", &j[..40]).is_err(), "cut inside a segment");
        assert!(publishable("x.jpg", b"not a jpeg").is_err());
        assert!(publishable("x.webp", b"RIFF\xff\xff\xff\xffWEBP").is_err());
        assert!(publishable("x.tif", b"II*\0\x08\0\0\0").is_err());
        assert!(matches!(publishable("notes.txt", b"plain"), Ok(Cow::Borrowed(_))));
    }

    #[test]
    fn gif_comments_and_application_data_go() {
        let mut g = b"GIF89a\x01\0\x01\0\0\0\0".to_vec();
        g.extend_from_slice(b"\x21\xFE\x05GPS x\0");
        g.extend_from_slice(b"\x21\xFF\x0bXMP DataXMP\x03abc\0");
        g.extend_from_slice(b"\x21\xFF\x0bNETSCAPE2.0\x03\x01\0\0\0");
        g.extend_from_slice(b"\x2C\0\0\0\0\x01\0\x01\0\0\x02\x02\x4C\x01\0\x3B");
        let out = publishable("a.gif", &g).unwrap().into_owned();
        assert!(!out.windows(3).any(|w| w == b"GPS") && !out.windows(3).any(|w| w == b"XMP"));
        assert!(out.windows(11).any(|w| w == b"NETSCAPE2.0") && out.ends_with(b"\x3B"));
    }
}
