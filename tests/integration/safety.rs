//! Nothing is lost: a folder sitegen did not build is never replaced, two
//! builds into one output do not mix, and a build killed at any moment
//! leaves either the complete old site or the complete new one.

use crate::common::TestSite;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn a_folder_sitegen_did_not_build_is_never_replaced() {
    let site = TestSite::fixture("basic");
    let mine = site.root.parent().unwrap().join("documents");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("thesis.txt"), "years of work").unwrap();
    let out = site.run(&["build", "--output", mine.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("refusing to replace") && e.contains("it has no manifest.json") && e.contains("--force"), "{e}");
    assert_eq!(std::fs::read_to_string(mine.join("thesis.txt")).unwrap(), "years of work");
    let forced = site.run(&["build", "--force", "--output", mine.to_str().unwrap()]);
    assert!(forced.status.success());
    assert!(!mine.join("thesis.txt").exists() && mine.join("manifest.json").is_file());
}

#[test]
fn two_builds_into_one_output_take_turns() {
    let site = TestSite::fixture("basic");
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_sitegen"))
            .arg("build")
            .current_dir(&site.root)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert_complete(&site.out());
}

/// Every file the output's manifest lists is there with its hash, and
/// nothing else is: a complete site, never a mix.
fn assert_complete(out: &std::path::Path) {
    let target = sitegen::verify::Target::open(out.to_str().unwrap()).unwrap();
    let report = sitegen::verify::verify(&target, None).unwrap();
    assert!(report.ok(), "{report:?}");
    assert!(report.checked > 20);
}

/// A site large enough that a build takes a while.
fn big_site() -> TestSite {
    let site = TestSite::fixture("basic");
    let body = "A paragraph of reporting with a [link](/tags/diplomacy/).\n\n".repeat(40);
    for i in 0..150 {
        site.write(
            &format!("content/world/story-{i:03}.md"),
            &format!("---\ntitle: \"Story {i}\"\ndate: 2024-01-01T{:02}:{:02}:00Z\ntags: [\"diplomacy\", \"t{}\"]\nauthors: [\"Writer {}\"]\n---\n{body}", i / 60, i % 60, i % 7, i % 5),
        );
    }
    site
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_complete_site() {
    let kills: usize = std::env::var("SITEGEN_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
    let site = big_site();
    site.built();
    let start = Instant::now();
    let status = site.run(&["build"]).status;
    assert!(status.success());
    let full = start.elapsed();
    let mut seed: u64 = 0x5eed;
    for i in 0..kills {
        // Each build changes the site, so old and new differ.
        site.write(
            "content/news/delta.md",
            &format!(
                "---\ntitle: \"Delta {i}\"\ndate: 2025-01-05T08:00:00+03:00\ntags: [\"diplomacy\"]\n---\nBody {i}.\n"
            ),
        );
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let delay = Duration::from_micros((seed >> 33) % (full.as_micros() as u64 + 1));
        let mut child = Command::new(env!("CARGO_BIN_EXE_sitegen"))
            .arg("build")
            .current_dir(&site.root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        assert_complete(&site.out());
    }
    // The next build cleans up after the killed ones.
    site.built();
    assert_complete(&site.out());
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sitegen-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A small JPEG (16×16 frame header) whose Exif segment holds a GPS position.
fn jpeg_with_gps() -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    j.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
    let exif = b"Exif\0\0GPSLatitude 55.7558 N GPSLongitude 37.6173 E";
    j.extend_from_slice(&[0xFF, 0xE1, 0x00, (exif.len() + 2) as u8]);
    j.extend_from_slice(exif);
    j.extend_from_slice(&[
        0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11,
        0x01,
    ]);
    j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0x34, 0xFF, 0xD9]);
    j
}

#[test]
fn published_photos_carry_no_gps_and_the_originals_are_untouched() {
    let site = TestSite::fixture("basic");
    let original = jpeg_with_gps();
    std::fs::write(site.root.join("content/news/alpha/source.jpg"), &original).unwrap();
    std::fs::write(site.root.join("static/images/street.jpg"), &original).unwrap();
    site.write("content/news/gps.md", "---\ntitle: \"From the scene\"\ndate: 2025-06-01\nphoto: {src: /images/street.jpg, caption: \"At the scene\"}\n---\n![x](alpha/source.jpg)\n");
    site.built();
    for published in ["images/street.jpg", "news/envoy-talks/source.jpg", "ru/news/envoy-talks/source.jpg"] {
        let bytes = std::fs::read(site.out().join(published)).unwrap();
        assert!(!bytes.windows(3).any(|w| w == b"GPS"), "{published} still has GPS");
        assert!(bytes.ends_with(&[0x12, 0x34, 0xFF, 0xD9]), "{published} lost its image data");
    }
    assert_eq!(std::fs::read(site.root.join("static/images/street.jpg")).unwrap(), original, "original untouched");
    let size = std::fs::metadata(site.out().join("images/street.jpg")).unwrap().len();
    assert!(
        site.page("rss.xml").contains(&format!("images/street.jpg\" length=\"{size}\"")),
        "enclosure length is the published size"
    );
}

#[test]
fn raw_html_passes_by_default_and_is_cleaned_with_sanitize() {
    let site = TestSite::fixture("basic");
    let article = "---\ntitle: \"Raw\"\ndate: 2025-06-01\n---\n## Heading\n\n<p onclick=\"steal()\">Text <iframe src=\"x.html\"></iframe><b>bold</b></p>\n\n<script>alert(1)</script>\n\n```rust\nlet x = 1;\n```\n";
    site.write("content/news/raw.md", article);
    site.built();
    let html = site.page("news/raw/index.html");
    assert!(html.contains("onclick=\"steal()\"") && html.contains("<script>alert(1)</script>"), "trusted by default");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}markdown: {{sanitize: true}}\n"));
    site.built();
    let html = site.page("news/raw/index.html");
    let body = &html[html.find("story__body").unwrap()..html.find("</article>").unwrap()];
    for gone in ["onclick", "<iframe", "alert(1)"] {
        assert!(!body.contains(gone), "{gone} in {body}");
    }
    for kept in ["<b>bold</b>", "<h2 id=\"heading\">", "class=\"hl-"] {
        assert!(body.contains(kept), "{kept} missing from {body}");
    }
}
