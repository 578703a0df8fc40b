//! Published photos lose their metadata and keep their pictures. The
//! fixture's photos were written by a real encoder (Pillow, see
//! `tests/fixtures/photos/make.py`) with Exif, GPS, XMP, IPTC, comments,
//! colour profiles, a phone's second image after the first, and a JPEG
//! named `.png`; the test reads the segments and chunks of every published
//! copy. See: #11 (6), #19 (1).

use crate::common::{tree, TestSite};

/// Words only the metadata holds (camera, serial number, photographer,
/// place, GPS text in XMP and comments).
const SECRETS: &[&[u8]] =
    &[b"GPS", b"Canon", b"032024001234", b"Jane Photographer", b"Moscow", b"xpacket", b"55.7558", b"55,45"];

/// A JPEG's segments, as (marker, the first bytes of its payload), and
/// how many bytes follow its end.
fn jpeg_segments(b: &[u8]) -> (Vec<(u8, Vec<u8>)>, usize) {
    assert_eq!(&b[..2], [0xFF, 0xD8], "starts as a JPEG");
    let mut out = Vec::new();
    let mut at = 2;
    loop {
        assert_eq!(b[at], 0xFF, "a marker at {at}");
        let marker = b[at + 1];
        if marker == 0xD9 {
            return (out, b.len() - at - 2);
        }
        let len = u16::from_be_bytes([b[at + 2], b[at + 3]]) as usize;
        out.push((marker, b[at + 4..at + 2 + len.min(14)].to_vec()));
        at += 2 + len;
        if marker == 0xDA {
            while !(b[at] == 0xFF && b[at + 1] != 0 && !(0xD0..=0xD7).contains(&b[at + 1])) {
                at += 1;
            }
        }
    }
}

fn png_chunks(b: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 8;
    while at < b.len() {
        let len = u32::from_be_bytes(b[at..at + 4].try_into().unwrap()) as usize;
        out.push(String::from_utf8_lossy(&b[at + 4..at + 8]).into_owned());
        at += 12 + len;
    }
    out
}

fn webp_chunks(b: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 12;
    while at < b.len() {
        let len = u32::from_le_bytes(b[at + 4..at + 8].try_into().unwrap()) as usize;
        out.push(String::from_utf8_lossy(&b[at..at + 4]).into_owned());
        at += 8 + len + (len & 1);
    }
    out
}

/// What a JPEG may keep: the JFIF header, the colour profile, tables,
/// the frame and the scan; an Exif segment only to say it is turned.
fn assert_clean_jpeg(name: &str, b: &[u8], original: &[u8], turned: bool) {
    let (segments, trailing) = jpeg_segments(b);
    assert_eq!(trailing, 0, "{name}: bytes after the end of the image");
    for (marker, head) in &segments {
        let ok = match marker {
            0xE0 => head.starts_with(b"JFIF\0"),
            0xE2 => head.starts_with(b"ICC_PROFILE\0"),
            0xE1 => turned && head.starts_with(b"Exif\0\0"),
            0xDB | 0xC0 | 0xC4 | 0xDA => true,
            _ => false,
        };
        assert!(ok, "{name}: segment {marker:02X} {:?} published", String::from_utf8_lossy(head));
    }
    let exif: Vec<&(u8, Vec<u8>)> = segments.iter().filter(|(m, _)| *m == 0xE1).collect();
    assert_eq!(exif.len(), usize::from(turned), "{name}: the orientation alone, and only when turned");
    let icc = |segments: &[(u8, Vec<u8>)]| segments.iter().any(|(m, h)| *m == 0xE2 && h.starts_with(b"ICC"));
    assert_eq!(icc(&segments), icc(&jpeg_segments(original).0), "{name}: the colour profile is kept");
    assert_eq!(segments.iter().filter(|(m, _)| *m == 0xDA).count(), 1, "{name}: the scan is kept");
}

#[test]
fn published_photos_carry_no_metadata_and_keep_their_pictures() {
    let site = TestSite::fixture("photos");
    let originals = tree(&site.root);
    site.built();
    let out = tree(&site.out());
    let scene = "news/scene/";
    let source = |name: &str| {
        let rel = name.strip_prefix("news/").map_or(format!("static/{name}"), |r| format!("content/news/{r}"));
        originals[&rel].clone()
    };
    // Named .jfif and .png, but JPEGs: read as what they are.
    for (name, turned) in [
        ("images/camera.jpg", false),
        ("images/portrait.jpg", true),
        ("news/scene/phone.jpg", false),
        ("news/scene/camera.jfif", false),
        ("news/scene/disguised.png", false),
    ] {
        assert_clean_jpeg(name, &out[name], &source(name), turned);
    }
    let portrait = &out["images/portrait.jpg"];
    let exif = jpeg_segments(portrait).0.into_iter().find(|(m, _)| *m == 0xE1).unwrap();
    assert!(exif.1.starts_with(b"Exif\0\0MM\0*"), "a minimal Exif of its own");
    assert_eq!(png_chunks(&out[&format!("{scene}camera.png")]), ["IHDR", "iCCP", "IDAT", "IEND"]);
    let webp = &out[&format!("{scene}camera.webp")];
    assert_eq!(webp_chunks(webp), ["VP8X", "ICCP", "VP8 "]);
    assert_eq!(webp[20] & 0b1100, 0, "the extended header no longer announces Exif or XMP");
    assert_eq!(u32::from_le_bytes(webp[4..8].try_into().unwrap()) as usize + 8, webp.len(), "RIFF size");
    for (path, bytes) in out.iter().filter(|(p, _)| !p.ends_with(".html") && !p.ends_with(".xml")) {
        for secret in SECRETS {
            assert!(!bytes.windows(secret.len()).any(|w| w == *secret), "{path} still holds {secret:?}");
        }
    }
    // Every picture still decodes to its size.
    for name in ["images/camera.jpg", "news/scene/camera.png", "news/scene/camera.webp", "news/scene/camera.gif"] {
        let size = imagesize::blob_size(&out[name]).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!((size.width, size.height), (32, 24), "{name}");
    }
    // The originals are the newsroom's: untouched.
    let sources = |t: std::collections::BTreeMap<String, Vec<u8>>| {
        t.into_iter().filter(|(k, _)| k.starts_with("content/") || k.starts_with("static/")).collect::<Vec<_>>()
    };
    assert!(sources(tree(&site.root)) == sources(originals), "a source file changed");
    let size = out["news/scene/phone.jpg"].len();
    assert!(site.page("rss.xml").contains(&format!("phone.jpg\" length=\"{size}\"")), "enclosure: published size");
}

#[test]
fn a_photo_that_cannot_be_read_through_is_an_error_never_published() {
    let site = TestSite::fixture("photos");
    std::fs::copy(site.root.join("broken/truncated.jpg"), site.root.join("static/images/truncated.jpg")).unwrap();
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim(),
        "error: static/images/truncated.jpg: is not a readable JPEG (a segment runs past the end of the file)"
    );
    assert!(!site.out().exists(), "nothing published");
}
