//! Camera-size photos are published as the sizes a page needs: copies at
//! each width of `images.widths`, offered by `srcset`, with no metadata;
//! the original stays home. The same bytes come out of every build, and a
//! rebuild encodes nothing. See: #13.

use crate::common::{references, tree, TestSite};

use std::collections::BTreeMap;

/// An Exif block (big-endian TIFF) with an orientation and a GPS tag
/// pointing at text a leak would show.
fn exif(orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0*\0\0\0\x08\0\x02".to_vec();
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0x26]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(b"GPS 55.7558 N 37.6173 E Moscow");
    let mut seg = vec![0xFF, 0xE1];
    seg.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    seg.extend_from_slice(b"Exif\0\0");
    seg.extend(tiff);
    seg
}

/// A noisy photo (noise compresses as badly as a real one) as a camera
/// writes it: JPEG with Exif and GPS.
pub fn camera_jpeg(w: u32, h: u32, orientation: u16, seed: u32) -> Vec<u8> {
    let mut s = seed;
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        s = s.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let n = (s >> 24) as u8 / 4;
        image::Rgb([(x / 8) as u8 ^ n, ((y / 8) as u8).wrapping_add(n), 120u8.wrapping_add(n)])
    });
    let mut plain = Vec::new();
    img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 92)).unwrap();
    let mut out = plain[..2].to_vec();
    out.extend(exif(orientation));
    out.extend_from_slice(&plain[2..]);
    out
}

fn transparent_png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        image::Rgba([(x % 256) as u8, (y % 256) as u8, 40, (x % 2 * 255) as u8])
    });
    let mut out = Vec::new();
    img.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out)).unwrap();
    out
}

pub fn site() -> TestSite {
    let site = TestSite::fixture("photo_sizes");
    let put = |rel: &str, bytes: Vec<u8>| std::fs::write(site.root.join("content").join(rel), bytes).unwrap();
    put("news/raid/photo.jpg", camera_jpeg(1800, 1200, 1, 1));
    put("news/raid/turned.jpg", camera_jpeg(900, 600, 6, 2));
    put("news/raid/chart.png", transparent_png(1200, 800));
    put("news/court/photo.jpg", camera_jpeg(1700, 1000, 1, 3));
    put("authors/jane.jpg", camera_jpeg(1000, 1000, 1, 4));
    site
}

/// The size a browser shows the image at (turned as its Exif says).
fn size_of(bytes: &[u8]) -> (usize, usize) {
    let (w, h) = sitegen::image_sizes::probe_bytes(bytes).unwrap();
    (w as usize, h as usize)
}

/// Every `srcset` candidate URL of every `<img>` in `html`, with its `w`.
fn srcset_candidates(html: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for part in html.split(" srcset=\"").skip(1) {
        let set = &part[..part.find('"').unwrap()];
        for c in set.split(", ") {
            let (url, w) = c.rsplit_once(' ').unwrap();
            out.push((url.replace("%20", " "), w.trim_end_matches('w').parse().unwrap()));
        }
    }
    out
}

#[test]
fn camera_photos_are_published_as_the_sizes_pages_need() {
    let site = site();
    let report = site.built();
    let out = tree(&site.out());
    // The lead photo: every step below its width, the original not at all.
    for w in [320, 480, 720, 1080, 1600] {
        let name = format!("news/raid/photo-{w}w.jpg");
        assert_eq!(size_of(&out[&name]), (w, (w * 2 + 1) / 3), "{name}");
    }
    assert!(!out.contains_key("news/raid/photo.jpg"), "an original wider than every copy is not published");
    assert!(!out.contains_key("news/court/photo.jpg"));
    // A portrait stored sideways comes out upright, at its shown size.
    assert_eq!(size_of(&out["news/raid/turned-320w.jpg"]), (320, 480));
    assert_eq!(size_of(&out["news/raid/turned.jpg"]), (600, 900), "600 wide as shown: published, stripped");
    let chart = image::load_from_memory(&out["news/raid/chart-720w.png"]).unwrap();
    assert!(chart.color().has_alpha(), "a PNG's copy keeps its transparency");
    // No copy carries the camera's metadata.
    for (path, bytes) in out.iter().filter(|(p, _)| p.ends_with(".jpg") || p.ends_with(".png")) {
        for secret in [&b"GPS"[..], b"Moscow", b"55.7558", b"Exif"] {
            let turned_original = path == "news/raid/turned.jpg" && secret == b"Exif";
            assert!(turned_original || !bytes.windows(secret.len()).any(|w| w == secret), "{path} holds {secret:?}");
        }
    }
    // Every page's candidates exist, are relative, and are the width they say.
    let mut offered = 0;
    for (page, bytes) in out.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        for (url, w) in srcset_candidates(&html) {
            assert!(!url.starts_with('/') && !url.contains("://"), "{page}: {url} is not relative");
            let target = normalize(dir, &url);
            let file = out.get(&target).unwrap_or_else(|| panic!("{page}: {url} leads nowhere"));
            assert_eq!(size_of(file).0, w, "{page}: {url}");
            offered += 1;
        }
        for r in references(&html).iter().filter(|r| !r.contains("://") && !r.starts_with('#')) {
            let target = normalize(dir, r.split(['#', '?']).next().unwrap());
            let target =
                if target.is_empty() || target.ends_with('/') { format!("{target}index.html") } else { target };
            assert!(out.contains_key(&target), "{page}: {r} leads nowhere");
        }
    }
    assert!(offered > 20, "pages offer sizes ({offered} candidates)");
    let article = site.page("news/raid/index.html");
    assert!(article.contains("sizes=\"(min-width: 64rem) 52rem"), "the lead photo says how wide it is shown");
    assert!(
        article.contains(r#"<img src="photo-1600w.jpg" alt="The same photo, in raw HTML">"#),
        "raw HTML finds the widest copy"
    );
    assert!(article.contains("srcset=\"../../news/raid/chart-320w.png 320w"), "a body image offers its sizes");
    assert!(article.contains("width=\"1200\" height=\"800\""), "a body image's size is its widest published");
    let author = site.page("authors/jane/index.html");
    assert!(author.contains("sizes=\"6rem\""), "the portrait offers sizes too");
    // raid: photo 5, turned 2 (600 wide as shown), chart 4; court 5; jane 3.
    assert_eq!(report.photos_encoded, 5 + 2 + 4 + 5 + 3, "each copy encoded once");
    // Nothing changed: nothing encoded.
    assert_eq!(site.built().photos_encoded, 0);
}

/// `url` (relative, from folder `dir`) as a site path.
fn normalize(dir: &str, url: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in url.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if url.ends_with('/') {
        format!("{joined}/")
    } else {
        joined
    }
}

#[test]
fn copies_are_the_same_bytes_from_any_folder_and_any_number_of_threads() {
    let a = site();
    let b = site();
    a.built();
    let one = sitegen::build::build(&sitegen::BuildOptions { threads: Some(1), ..b.options() }).unwrap();
    assert!(one.photos_encoded > 0, "a new folder has no cache: its copies are encoded anew");
    let copies = |t: BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        t.into_iter().filter(|(p, _)| p.ends_with(".jpg") || p.ends_with(".png")).collect()
    };
    let (ta, tb) = (copies(tree(&a.out())), copies(tree(&b.out())));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (p, bytes) in &ta {
        assert!(bytes == &tb[p], "{p} differs between --jobs 2 in one folder and --jobs 1 in another");
    }
    // A build from nothing but the cache of copies encodes none again.
    std::fs::remove_dir_all(a.out()).unwrap();
    assert_eq!(a.built().photos_encoded, 0);
}

#[test]
fn an_edit_to_an_article_encodes_no_photo() {
    let site = site();
    let root = site.root.canonicalize().unwrap();
    let opts = sitegen::BuildOptions { root: root.clone(), ..Default::default() };
    let mut watch = sitegen::watch::rebuilds::Rebuilds::new(opts);
    assert!(watch.rebuild(None).unwrap().photos_encoded > 0);
    let path = root.join("content/news/raid/index.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("Officers came at dawn.", "Officers came at dawn, with dogs.")).unwrap();
    let saved = watch.rebuild(Some(std::slice::from_ref(&path))).unwrap();
    assert_eq!(saved.photos_encoded, 0, "a body edit re-encodes nothing");
    assert_eq!(saved.rendered, 1);
    // A whole rebuild (what a new file or a template change runs) neither.
    std::fs::write(
        root.join("content/news/quiet/index.md"),
        "---\ntitle: \"Quiet, Still\"\ndate: 2025-06-03T12:00:00+03:00\n---\nStill nothing.\n",
    )
    .unwrap();
    assert_eq!(watch.rebuild(None).unwrap().photos_encoded, 0);
}

#[test]
fn originals_are_published_when_asked_and_settings_are_checked() {
    let site = self::site();
    site.configure("images:\n  widths: [640]\n  quality: 60\n  publish_originals: true\n");
    site.built();
    let out = tree(&site.out());
    assert!(out.contains_key("news/raid/photo.jpg") && out.contains_key("news/raid/photo-640w.jpg"));
    assert!(!out.contains_key("news/raid/photo-320w.jpg"), "only the widths asked for");
    let original = &out["news/raid/photo.jpg"];
    assert!(!original.windows(6).any(|w| w == b"Moscow"), "a published original is stripped too");
    let bad = self::site();
    bad.configure("images:\n  widths: [5]\n");
    let e = bad.build().unwrap_err().to_string();
    assert!(e.contains("`images.widths`: 5 must be from 16 to 8192 pixels"), "{e}");
}

#[test]
fn a_file_named_like_a_copy_is_refused() {
    let site = site();
    std::fs::write(site.root.join("content/news/raid/photo-320w.jpg"), camera_jpeg(40, 30, 1, 9)).unwrap();
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    insta::assert_snapshot!("photo_copy_name_taken", err);
}
