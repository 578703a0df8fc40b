//! The smaller copies of a photo (`image_sizes` names and sizes them):
//! decoded once, turned upright as its Exif says, scaled down step by step
//! from the widest, and encoded as the original's format. A copy carries
//! nothing but pixels: no Exif, GPS, XMP, IPTC or comment survives
//! decoding.
//!
//! Same bytes in, same bytes out, on any machine and at any `--jobs`: the
//! `image` crate decodes, scales (Catmull-Rom, in plain `f32` code that no
//! CPU feature changes) and encodes (its own JPEG and PNG encoders) with no
//! randomness, no clock and no threads of its own. Pure Rust, so nothing
//! depends on the system's libjpeg.

use image::{DynamicImage, ImageDecoder, RgbImage};

/// The pixels of `bytes`, turned as the camera's Exif orientation says
/// (a copy has no Exif to say it).
pub fn decode_upright(bytes: &[u8]) -> image::ImageResult<DynamicImage> {
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format()?;
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut img = DynamicImage::from_decoder(decoder)?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// The image's pixels over white: JPEG has no transparency, and a
/// transparent PNG's hidden pixels are often black.
pub fn on_white(img: &DynamicImage) -> RgbImage {
    if let DynamicImage::ImageRgb8(rgb) = img {
        return rgb.clone();
    }
    let rgba = img.to_rgba8();
    let mut out = RgbImage::new(rgba.width(), rgba.height());
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = p[3] as u32;
        for c in 0..3 {
            o[c] = ((p[c] as u32 * a + 255 * (255 - a) + 127) / 255) as u8;
        }
    }
    out
}

/// What a copy is encoded as: the original's format, so a chart drawn as
/// a PNG keeps its sharp edges and its transparency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg { quality: u8 },
    Png,
}

impl Format {
    /// The format of copies of the file at `site_path`, by its extension
    /// (as the browser will be told by the server).
    pub fn for_path(site_path: &str, quality: u8) -> Format {
        if site_path.to_ascii_lowercase().ends_with(".png") {
            Format::Png
        } else {
            Format::Jpeg { quality }
        }
    }
}

/// Copies of `img` at each of `sizes` (width, height), in that order.
pub fn copies(img: &DynamicImage, sizes: &[(u32, u32)], format: Format) -> image::ImageResult<Vec<Vec<u8>>> {
    match format {
        Format::Jpeg { quality } => cascade(on_white(img), sizes, |px| {
            let mut out = Vec::new();
            px.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality))?;
            Ok(out)
        }),
        Format::Png if img.color().has_alpha() => cascade(img.to_rgba8(), sizes, png),
        Format::Png => cascade(img.to_rgb8(), sizes, png),
    }
}

fn png<P: image::PixelWithColorType>(px: &image::ImageBuffer<P, Vec<P::Subpixel>>) -> image::ImageResult<Vec<u8>>
where
    [P::Subpixel]: image::EncodableLayout,
{
    let mut out = Vec::new();
    px.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out))?;
    Ok(out)
}

/// Scales widest first, each step from the one before: a 4000-pixel photo
/// is read at full size once, not once per copy.
fn cascade<P>(
    full: image::ImageBuffer<P, Vec<u8>>,
    sizes: &[(u32, u32)],
    encode: impl Fn(&image::ImageBuffer<P, Vec<u8>>) -> image::ImageResult<Vec<u8>>,
) -> image::ImageResult<Vec<Vec<u8>>>
where
    P: image::Pixel<Subpixel = u8> + 'static,
{
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sizes[i].0));
    let mut out = vec![Vec::new(); sizes.len()];
    let widest = sizes.iter().map(|s| s.0).max().unwrap_or(0);
    let mut from = full;
    // Halved by averaging while still twice as wide as the widest copy:
    // exact integer sums that cost little and filter as well as anything,
    // where a filter over a 4000-pixel row costs most of the build.
    while widest > 0 && from.width() >= 2 * widest && from.height() >= 4 {
        from = halved(&from);
    }
    for i in order {
        let (w, h) = sizes[i];
        if (w, h) != from.dimensions() {
            from = scaled(&from, w, h)?;
        }
        out[i] = encode(&from)?;
    }
    Ok(out)
}

/// `img` scaled to `w` × `h` with a Catmull-Rom filter, by the
/// `fast_image_resize` crate's fixed-point convolution (a fifth of the
/// `image` crate's time), always on its plain-Rust path: the SIMD paths
/// picked by CPU could round otherwise on another machine, and mirrors
/// compare copies by hash.
fn scaled<P>(img: &image::ImageBuffer<P, Vec<u8>>, w: u32, h: u32) -> image::ImageResult<image::ImageBuffer<P, Vec<u8>>>
where
    P: image::Pixel<Subpixel = u8> + 'static,
{
    use fast_image_resize as fir;
    let kind = if P::CHANNEL_COUNT == 4 { fir::PixelType::U8x4 } else { fir::PixelType::U8x3 };
    let failed = |e: String| {
        image::ImageError::Parameter(image::error::ParameterError::from_kind(
            image::error::ParameterErrorKind::Generic(e),
        ))
    };
    let src = fir::images::Image::from_vec_u8(img.width(), img.height(), img.as_raw().clone(), kind)
        .map_err(|e| failed(e.to_string()))?;
    let mut dst = fir::images::Image::new(w, h, kind);
    let mut resizer = fir::Resizer::new();
    // SAFETY: the plain-Rust path runs on every CPU; only a SIMD
    // extension the CPU lacks would be unsound.
    unsafe { resizer.set_cpu_extensions(fir::CpuExtensions::None) };
    let options = fir::ResizeOptions::new().resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::CatmullRom));
    resizer.resize(&src, &mut dst, &options).map_err(|e| failed(e.to_string()))?;
    image::ImageBuffer::from_raw(w, h, dst.into_vec()).ok_or_else(|| failed("a scaled copy of the wrong size".into()))
}

/// `img` at half its width and height, each pixel the rounded mean of
/// the four it replaces (an odd last row or column is left out).
fn halved<P>(img: &image::ImageBuffer<P, Vec<u8>>) -> image::ImageBuffer<P, Vec<u8>>
where
    P: image::Pixel<Subpixel = u8> + 'static,
{
    let n = P::CHANNEL_COUNT as usize;
    let (w, h) = (img.width() as usize / 2, img.height() as usize / 2);
    let stride = img.width() as usize * n;
    let src = img.as_raw();
    let mut out = vec![0u8; w * h * n];
    for (y, row) in out.chunks_exact_mut(w * n).enumerate() {
        let top = &src[2 * y * stride..][..stride];
        let bottom = &src[(2 * y + 1) * stride..][..stride];
        for x in 0..w {
            for c in 0..n {
                let (l, r) = (2 * x * n + c, (2 * x + 1) * n + c);
                let sum = top[l] as u16 + top[r] as u16 + bottom[l] as u16 + bottom[r] as u16;
                row[x * n + c] = ((sum + 2) / 4) as u8;
            }
        }
    }
    image::ImageBuffer::from_raw(w as u32, h as u32, out).expect("the buffer has the size it was made with")
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::RgbaImage;

    /// A noisy JPEG (noise compresses as badly as a photo does) with an
    /// Exif block saying "turned 90°" and a GPS position.
    fn camera_jpeg(w: u32, h: u32) -> Vec<u8> {
        let mut seed = 7u32;
        let img = RgbImage::from_fn(w, h, |x, _| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            image::Rgb([(seed >> 16) as u8, (x % 256) as u8, 90])
        });
        let mut plain = Vec::new();
        img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)).unwrap();
        let tiff: &[u8] =
            b"MM\0*\0\0\0\x08\0\x02\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\x88\x25\0\x04\0\0\0\x01\0\0\0\0\0\0\0\0GPS55N37E";
        let mut seg = vec![0xFF, 0xE1];
        seg.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
        seg.extend_from_slice(b"Exif\0\0");
        seg.extend_from_slice(tiff);
        let mut out = plain[..2].to_vec();
        out.extend(seg);
        out.extend_from_slice(&plain[2..]);
        out
    }

    #[test]
    fn copies_are_upright_small_clean_and_the_same_every_time() {
        let src = camera_jpeg(300, 200);
        assert_eq!(crate::image_sizes::probe_bytes(&src), Some((200, 300)), "turned: shown 200 wide");
        let img = decode_upright(&src).unwrap();
        assert_eq!((img.width(), img.height()), (200, 300));
        let sizes = [(50, 75), (100, 150)];
        let made = copies(&img, &sizes, Format::Jpeg { quality: 75 }).unwrap();
        for (bytes, &(w, h)) in made.iter().zip(&sizes) {
            let back = image::load_from_memory(bytes).unwrap();
            assert_eq!((back.width(), back.height()), (w, h));
            assert!(!bytes.windows(4).any(|x| x == b"Exif" || x == b"GPS5"), "no metadata survives");
        }
        assert_eq!(made, copies(&decode_upright(&src).unwrap(), &sizes, Format::Jpeg { quality: 75 }).unwrap());
    }

    #[test]
    fn halving_averages_each_square_of_four() {
        let img = RgbImage::from_fn(5, 3, |x, y| image::Rgb([(x * 10 + y) as u8, 0, 255]));
        let half = halved(&img);
        assert_eq!(half.dimensions(), (2, 1));
        assert_eq!(half.get_pixel(1, 0), &image::Rgb([26, 0, 255]), "(20+21+30+31)/4, rounded");
    }

    #[test]
    fn a_png_keeps_its_transparency() {
        let img = DynamicImage::ImageRgba8(RgbaImage::from_pixel(40, 20, image::Rgba([10, 20, 30, 0])));
        let made = copies(&img, &[(20, 10)], Format::Png).unwrap();
        let back = image::load_from_memory(&made[0]).unwrap();
        assert!(back.color().has_alpha() && back.width() == 20);
        assert_eq!(on_white(&img).get_pixel(0, 0), &image::Rgb([255, 255, 255]));
    }
}
