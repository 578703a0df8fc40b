//! The edition's photos, embedded as `data:` URIs and shrunk together until
//! the file fits its size cap: every photo is scaled to the same width
//! (narrower each round) and re-encoded as JPEG, which also leaves behind
//! every byte of the camera's metadata (Exif, GPS, XMP). Only when even the
//! narrowest photos do not fit are the costliest left out, each replaced by
//! a grey box of its shape, so the text is never what gives way.
//!
//! Same bytes in, same bytes out: decoding, scaling (the `image` crate's
//! triangle filter) and its JPEG encoder involve no randomness, no clock
//! and no thread-count-dependent order.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use image::RgbImage;
use rayon::prelude::*;

/// Widths tried, widest first: a phone's screen at twice its density,
/// down to a thumbnail that still shows what the photo is of.
const WIDTHS: &[u32] = &[960, 800, 640, 520, 420, 340, 270, 210, 160];

/// One image the edition shows: its bytes as published, and how many
/// times the file shows it (each use carries its own copy of the URI).
pub struct Wanted {
    pub site_path: String,
    pub bytes: Vec<u8>,
    pub uses: usize,
}

/// The URIs, by the order of `Wanted`, and what giving way cost.
pub struct Fitted {
    pub uris: Vec<String>,
    /// The width every photo got, if any was scaled.
    pub width: Option<u32>,
    /// Site paths of the images left out (replaced by a grey box).
    pub left_out: Vec<String>,
    /// Site paths of files that are not an image this can read.
    pub unreadable: Vec<String>,
}

enum Decoded {
    Photo(RgbImage),
    /// Drawn, not photographed: embedded as it is, never scaled.
    Svg(Vec<u8>),
    Unreadable,
}

/// Embeds `wanted` in at most `budget` bytes of URIs, all uses counted.
pub fn fit(wanted: &[Wanted], budget: usize) -> Fitted {
    let decoded: Vec<Decoded> = wanted.par_iter().map(|w| decode(&w.site_path, &w.bytes)).collect();
    let mut uris = Vec::new();
    let mut width = None;
    for &w in WIDTHS {
        uris = decoded.par_iter().map(|d| encode(d, w)).collect();
        width = Some(w);
        if cost(&uris, wanted) <= budget {
            break;
        }
    }
    let mut left_out = Vec::new();
    // Costliest first, then by path: the same inputs leave out the same.
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(uris[i].len() * wanted[i].uses), wanted[i].site_path.clone()));
    for i in order {
        if cost(&uris, wanted) <= budget {
            break;
        }
        uris[i] = placeholder(&decoded[i]);
        left_out.push(wanted[i].site_path.clone());
    }
    let unreadable = wanted
        .iter()
        .zip(&decoded)
        .filter(|(_, d)| matches!(d, Decoded::Unreadable))
        .map(|(w, _)| w.site_path.clone())
        .collect();
    let any_photo = decoded.iter().any(|d| matches!(d, Decoded::Photo(_)));
    Fitted { uris, width: width.filter(|_| any_photo), left_out, unreadable }
}

fn cost(uris: &[String], wanted: &[Wanted]) -> usize {
    uris.iter().zip(wanted).map(|(u, w)| u.len() * w.uses).sum()
}

fn decode(site_path: &str, bytes: &[u8]) -> Decoded {
    if site_path.to_ascii_lowercase().ends_with(".svg") {
        return Decoded::Svg(bytes.to_vec());
    }
    // A camera's sideways portrait is turned upright as its Exif says.
    match crate::output::photo_copies::decode_upright(bytes) {
        // Scaled once to the widest width tried: every round starts there.
        Ok(img) => {
            let rgb = crate::output::photo_copies::on_white(&img);
            Decoded::Photo(narrowed(&rgb, WIDTHS[0]).unwrap_or(rgb))
        }
        Err(_) => Decoded::Unreadable,
    }
}

/// `img` scaled to `width`, its height in proportion; `None` when it is
/// no wider already.
fn narrowed(img: &RgbImage, width: u32) -> Option<RgbImage> {
    if img.width() <= width {
        return None;
    }
    let height = ((img.height() as u64 * width as u64) / img.width() as u64).max(1) as u32;
    Some(image::imageops::resize(img, width, height, image::imageops::FilterType::Triangle))
}

fn encode(d: &Decoded, width: u32) -> String {
    match d {
        Decoded::Photo(rgb) => {
            let scaled = narrowed(rgb, width);
            // Smaller photos are looked at less closely.
            let quality = if width >= 420 { 70 } else { 60 };
            let mut out = Vec::new();
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
            match scaled.as_ref().unwrap_or(rgb).write_with_encoder(encoder) {
                Ok(()) => format!("data:image/jpeg;base64,{}", B64.encode(&out)),
                Err(_) => placeholder(d),
            }
        }
        Decoded::Svg(bytes) => format!("data:image/svg+xml;base64,{}", B64.encode(bytes)),
        Decoded::Unreadable => placeholder(d),
    }
}

/// A light grey box of the image's shape, for an image left out.
fn placeholder(d: &Decoded) -> String {
    let (w, h) = match d {
        Decoded::Photo(p) => (p.width().max(1), p.height().max(1)),
        _ => (4, 3),
    };
    format!("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {w} {h}'%3E%3Crect width='{w}' height='{h}' fill='%23ddd'/%3E%3C/svg%3E")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(w: u32, h: u32) -> Vec<u8> {
        // Noise compresses badly, as photos do.
        let mut seed = 12345u32;
        let img = RgbImage::from_fn(w, h, |_, _| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            image::Rgb([(seed >> 16) as u8, (seed >> 8) as u8, seed as u8])
        });
        let mut out = Vec::new();
        img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)).unwrap();
        out
    }

    fn wanted(n: usize) -> Vec<Wanted> {
        (0..n).map(|i| Wanted { site_path: format!("p{i}.jpg"), bytes: photo(1600, 1000), uses: 1 }).collect()
    }

    #[test]
    fn photos_shrink_until_they_fit_and_come_out_the_same_each_time() {
        let w = wanted(3);
        let roomy = fit(&w, 10_000_000);
        assert_eq!(roomy.width, Some(960));
        let tight = fit(&w, 200_000);
        assert!(tight.uris.iter().map(String::len).sum::<usize>() <= 200_000);
        assert!(tight.width.unwrap() < 960 && tight.left_out.is_empty());
        assert_eq!(tight.uris, fit(&w, 200_000).uris);
    }

    #[test]
    fn when_nothing_fits_the_costliest_give_way_to_grey_boxes() {
        let w = wanted(3);
        let f = fit(&w, 5_000);
        assert!(!f.left_out.is_empty());
        assert!(f.uris.iter().map(String::len).sum::<usize>() <= 5_000);
        assert!(f.uris.iter().any(|u| u.starts_with("data:image/svg+xml,")));
    }

    #[test]
    fn a_file_that_is_no_image_is_named() {
        let w = vec![Wanted { site_path: "x.jpg".into(), bytes: b"not a jpeg".to_vec(), uses: 1 }];
        assert_eq!(fit(&w, 1000).unreadable, vec!["x.jpg".to_string()]);
    }
}
