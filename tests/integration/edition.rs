//! Editions that travel without a network (`sitegen edition`): one file a
//! reader opens from a phone's downloads with no connection, sealed and
//! signed; and the newsletter message. See #17.

use crate::clients;
use crate::common::{python_json, TestSite};
use std::process::{Command, Output};

const NOW: &str = "2026-12-02T09:00:00Z";

fn edition(site: &TestSite, args: &[&str]) -> Output {
    let mut all = vec!["edition", "--now", NOW];
    all.extend_from_slice(args);
    site.run(&all)
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn failed(out: Output, site: &TestSite) -> String {
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stderr).unwrap().replace(&site.root.display().to_string(), "<site>")
}

fn read(site: &TestSite, rel: &str) -> String {
    std::fs::read_to_string(site.root.join(rel)).unwrap()
}

#[test]
fn an_edition_carries_its_period_in_full_and_nothing_held_back() {
    let site = TestSite::fixture("edition");
    let said = ok(edition(&site, &["-o", "ed.html"]));
    assert!(said.starts_with("Wrote ed.html: 3 articles from 2026-11-20 12:00 UTC to 2026-12-02 09:00 UTC"), "{said}");
    let html = read(&site, "ed.html");
    for shown in [
        "Dam Breach Floods Three Villages",
        "Border Crossing Reopens After Two Weeks",
        // Older than a day: a default edition reaches back for ten.
        "A Quiet Novel About a Loud Decade",
        "A flooded street in the village of Dnipriany.",
        "Photo: AP / TASS",
        "AFP contributed reporting.",
        "An earlier version misstated the number of villages.",
        "KHERSON",
        "By Irina Volkova and Pavel Orlov",
    ] {
        assert!(html.contains(shown), "{shown} missing");
    }
    for never in ["Embargoed", "zanzibar-quetzal", "Unfinished Draft", "xylophone-marmalade", "Прорыв"] {
        assert!(!html.contains(never), "{never} leaked");
    }
    // Each story's anchors are its own; links between stories stay in the file.
    assert!(html.contains(r##"<a href="#news-dam-breach-what-officials-said">dam breach</a>"##));
    assert!(html.contains(r#"id="news-dam-breach-what-officials-said""#));
    assert!(html.contains(r##"href="#news-dam-breach-1""##) && html.contains(r#"id="news-dam-breach-1""#));
    assert!(html.contains(r##"<a href="#world-border">situation at the border</a>"##));
    // Everything it shows is inside it; links to the site name the mirror.
    assert_eq!(html.matches(r#"src="data:image/jpeg;base64,"#).count(), 2);
    assert!(!html.contains("src=\"http") && !html.contains("<link ") && !html.contains('\u{E000}'));
    assert!(html.contains(r#"<a href="https://ledger.example/news/dam-breach/index.html">This story online</a>"#));
    assert!(html.contains("<style>") && html.contains(".story__title"));

    let since = ok(edition(&site, &["--since", "2026-12-01", "-o", "since.html"]));
    assert!(since.contains(": 2 articles from 2026-12-01 00:00 UTC"), "{since}");
    assert!(!read(&site, "since.html").contains("A Quiet Novel"));
    ok(edition(&site, &["--lang", "ru", "-o", "ru.html"]));
    let ru = read(&site, "ru.html");
    assert!(ru.contains("<html lang=\"ru\">") && ru.contains("Прорыв дамбы затопил три села"));
    assert!(ru.contains("Выпуск за 2 декабря 2026") && !ru.contains("Dam Breach"));
}

/// Opens the edition from `file://` with the network off, follows every
/// contents link to its story and that story's link back, and reports
/// failed requests, images that did not render, and where each click led.
const BROWSE: &str = r#"
import json, sys
from playwright.sync_api import sync_playwright
chromium, url = sys.argv[1], sys.argv[2]
flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
report = {"failed": [], "requests": [], "visits": []}
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=chromium, args=flags)
    for width in (360, 1280):
        ctx = browser.new_context(viewport={"width": width, "height": 800}, offline=True)
        page = ctx.new_page()
        page.on("requestfailed", lambda r: report["failed"].append(r.url[:100]))
        page.on("request", lambda r: report["requests"].append(r.url[:40]))
        page.goto(url, wait_until="load")
        report["broken_images"] = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length")
        report["images"] = page.evaluate("document.images.length")
        report["overflow"] = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        links = page.eval_on_selector_all(".edition-contents a", "as => as.map(a => a.getAttribute('href'))")
        for href in links:
            page.click(f".edition-contents a[href='{href}']")
            here = page.evaluate("location.hash")
            visible = page.evaluate(f"(() => {{ const r = document.querySelector('{href}').getBoundingClientRect(); return r.top < window.innerHeight && r.bottom > 0; }})()")
            page.click(f"{href} .edition-back a[href='#top']")
            back = page.evaluate("location.hash")
            report["visits"].append([href, here, visible, back])
        ctx.close()
    browser.close()
print(json.dumps(report))
"#;

#[test]
fn the_edition_opens_from_disk_with_no_network_and_every_story_is_reachable_and_back() {
    let Some(chromium) = clients::chromium("edition_opens_offline") else { return };
    let site = TestSite::fixture("edition");
    ok(edition(&site, &["-o", "ed.html"]));
    let url = format!("file://{}", site.root.join("ed.html").display());
    let r = python_json(BROWSE, &[chromium.as_os_str(), url.as_ref()]);
    assert_eq!(r["failed"], serde_json::json!([]), "{r}");
    // The file itself and the images it carries: nothing else is asked for.
    let requests: Vec<&str> = r["requests"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(requests.iter().all(|u| u.starts_with("file://") || u.starts_with("data:")), "{requests:?}");
    assert_eq!((r["images"].as_u64(), r["broken_images"].as_u64()), (Some(2), Some(0)), "{r}");
    assert_eq!(r["overflow"], false, "{r}");
    let visits = r["visits"].as_array().unwrap();
    assert_eq!(visits.len(), 6, "{r}");
    for v in visits {
        assert_eq!(v[0], v[1], "{v}");
        assert_eq!(v[2], true, "{v}");
        assert_eq!(v[3], "#top", "{v}");
    }
}

/// A site whose `public_key` is the key `newsroom.key` beside it.
fn signed_site() -> (TestSite, String) {
    let site = TestSite::fixture("edition");
    ok(site.run(&["keygen", "--out", "newsroom.key"]));
    let public = read(&site, "newsroom.pub").trim().to_string();
    site.configure(&format!("public_key: \"{public}\"\n"));
    (site, public)
}

#[test]
fn verify_accepts_a_signed_edition_and_rejects_one_changed_byte() {
    let (site, public) = signed_site();
    let said = ok(edition(&site, &["--sign", "newsroom.key", "-o", "ed.html"]));
    assert!(said.contains("Signed with key "), "{said}");
    let checked = ok(site.run(&["verify", "ed.html", "--pubkey", &public]));
    assert!(checked.contains("ed.html: intact, ") && checked.contains("Signature: good, key "), "{checked}");
    // The key it names is checked even without --pubkey, and said to be unproven.
    assert!(ok(site.run(&["verify", "ed.html"])).contains("give --pubkey to check it is the newsroom's"));

    let mut bytes = std::fs::read(site.root.join("ed.html")).unwrap();
    let at = bytes.windows(12).position(|w| w == b"Rescue teams").unwrap();
    bytes[at] = b'r';
    std::fs::write(site.root.join("changed.html"), &bytes).unwrap();
    let e = failed(site.run(&["verify", "changed.html", "--pubkey", &public]), &site);
    let block = at / 16384 * 16384;
    assert!(e.contains(&format!("bytes {block}–{} differ", block + 16383)), "{e}");
    insta::assert_snapshot!(
        "edition_one_changed_byte",
        e.replace(&block.to_string(), "N").replace(&(block + 16383).to_string(), "M")
    );

    ok(site.run(&["keygen", "--out", "other.key"]));
    let other = read(&site, "other.pub").trim().to_string();
    let e = failed(site.run(&["verify", "ed.html", "--pubkey", &other]), &site);
    insta::assert_snapshot!("edition_signed_by_another_key", e);
    ok(edition(&site, &["-o", "unsigned.html"]));
    let e = failed(site.run(&["verify", "unsigned.html", "--pubkey", &public]), &site);
    insta::assert_snapshot!("edition_unsigned_with_pubkey", e);
    std::fs::write(site.root.join("plain.html"), "<!DOCTYPE html><title>x</title>").unwrap();
    let e = failed(site.run(&["verify", "plain.html"]), &site);
    insta::assert_snapshot!("edition_no_seal", e);
}

#[test]
fn a_discreet_edition_names_no_outlet_in_its_file_name_title_or_first_screen() {
    let site = TestSite::fixture("edition");
    let said = ok(edition(&site, &["--discreet", "--lang", "ru"]));
    assert!(said.starts_with("Wrote "), "{said}");
    let name = "notes-2026-12-02.html";
    assert!(said.contains(name), "{said}");
    let html = read(&site, name);
    assert!(html.contains("<title>Заметки, 2 декабря 2026</title>"), "{html}");
    let first_screen = &html[..html.find("<article").unwrap()];
    for outlet in ["Ledger", "ledger", "Леджер"] {
        assert!(!first_screen.contains(outlet), "{outlet} on the first screen");
    }
    // The ways back to the site are still at the end.
    assert!(html.contains("ledgerxsdk4wh7iunlvjt5elp3mrqpo27l7pttkz3yvdnhv5fd6ad.onion"));
}

#[test]
fn a_signed_discreet_edition_is_warned_of_the_key_it_carries() {
    let (site, _) = signed_site();
    let out = edition(&site, &["--discreet", "--sign", "newsroom.key", "-o", "d.html"]);
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    ok(out);
    insta::assert_snapshot!("edition_discreet_signed", said);
}

/// A camera-size JPEG (noise, so it compresses as badly as a photo) with
/// an Exif segment that holds a GPS position.
fn camera_photo(seed: u32) -> Vec<u8> {
    let mut state = seed;
    let img = image::RgbImage::from_fn(4000, 2667, |x, y| {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let n = (state >> 16) as u8 / 4;
        image::Rgb([(x / 16) as u8 / 2 + n, (y / 12) as u8 / 2 + n, 90 + n])
    });
    let mut jpeg = Vec::new();
    img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)).unwrap();
    let mut exif = b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude 55.7558N GPSLongitude 37.6173E".to_vec();
    exif.resize(200, 0);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[test]
fn camera_photos_shrink_to_fit_the_cap_and_carry_no_metadata() {
    let site = TestSite::fixture("edition");
    for i in 0..5 {
        let dir = format!("content/news/photo-{i}");
        site.write(
            &format!("{dir}/index.md"),
            &format!("---\ntitle: \"Photo story {i}\"\ndate: 2026-12-02T0{i}:00:00Z\nphoto:\n  src: camera.jpg\n  caption: \"Scene {i}\"\n---\nText {i}.\n"),
        );
        std::fs::write(site.root.join(dir).join("camera.jpg"), camera_photo(i)).unwrap();
    }
    let source = std::fs::metadata(site.root.join("content/news/photo-0/camera.jpg")).unwrap().len();
    assert!(source > 2_000_000, "the test photo is camera-size: {source} bytes");
    let said = ok(edition(&site, &["--max-kb", "700", "-o", "ed.html"]));
    assert!(said.contains("7 photos at up to "), "{said}");
    let bytes = std::fs::read(site.root.join("ed.html")).unwrap();
    assert!(bytes.len() <= 700 * 1024, "{} bytes", bytes.len());
    let html = String::from_utf8(bytes).unwrap();
    use base64::Engine;
    let mut photos = 0;
    for uri in html.split("src=\"data:image/jpeg;base64,").skip(1) {
        let data = base64::engine::general_purpose::STANDARD.decode(&uri[..uri.find('"').unwrap()]).unwrap();
        assert!(!data.windows(4).any(|w| w == b"Exif") && !data.windows(3).any(|w| w == b"GPS"));
        let decoded = image::load_from_memory(&data).unwrap();
        assert!(decoded.width() <= 960);
        photos += 1;
    }
    assert_eq!(photos, 7);
    ok(site.run(&["verify", "ed.html"]));
}

#[test]
fn the_same_sources_and_now_give_the_same_bytes_on_any_number_of_threads() {
    let site = TestSite::fixture("edition");
    let run = |threads: &str, name: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_sitegen"))
            .args(["edition", "--now", NOW, "-o", name])
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(&site.root)
            .output()
            .unwrap();
        ok(out);
        std::fs::read(site.root.join(name)).unwrap()
    };
    assert!(run("1", "one.html") == run("2", "two.html"));
    let email = |name: &str| {
        ok(edition(&site, &["--email", "-o", name]));
        std::fs::read(site.root.join(name)).unwrap()
    };
    assert!(email("a.eml") == email("b.eml"));
}

/// Parses an .eml with Python's `email` package, as mail software does.
const PARSE_EML: &str = r#"
import email, email.policy, json, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
parts = [p.get_content_type() for p in m.walk() if not p.is_multipart()]
print(json.dumps({"type": m.get_content_type(), "parts": parts, "subject": str(m["Subject"]),
    "from": str(m["From"]), "to": str(m["To"]),
    "html": m.get_body(("html",)).get_content(), "text": m.get_body(("plain",)).get_content()}))
"#;

#[test]
fn the_email_edition_has_a_text_and_an_html_part_no_image_and_links_to_the_chosen_mirror() {
    let site = TestSite::fixture("edition");
    let args = ["--email", "--mirror", "onion", "--to", "readers@lists.ledger.example", "-o", "morning.eml"];
    ok(edition(&site, &args));
    let m = python_json(PARSE_EML, &[site.root.join("morning.eml")]);
    assert_eq!(m["type"], "multipart/alternative");
    assert_eq!(m["parts"], serde_json::json!(["text/plain", "text/html"]));
    assert_eq!(m["subject"], "The Ledger: Edition of December 2, 2026");
    assert_eq!(m["from"], "The Ledger <newsletter@ledger.example>");
    assert_eq!(m["to"], "readers@lists.ledger.example");
    let html = m["html"].as_str().unwrap();
    assert!(!html.contains("<img") && !html.contains("src=") && !html.contains("data:"), "{html}");
    let onion = "http://ledgerxsdk4wh7iunlvjt5elp3mrqpo27l7pttkz3yvdnhv5fd6ad.onion/";
    let hrefs: Vec<&str> = html.split("href=\"").skip(1).map(|h| &h[..h.find('"').unwrap()]).collect();
    assert!(hrefs.len() >= 6, "{hrefs:?}");
    // Every link leads to the mirror, but a footnote's, within the message.
    let inside = |h: &str| h.strip_prefix('#').is_some_and(|id| html.contains(&format!("id=\"{id}\"")));
    assert!(hrefs.iter().all(|h| h.starts_with(onion) || inside(h)), "{hrefs:?}");
    assert!(html.contains("Dam Breach Floods Three Villages") && html.contains("AFP contributed reporting."));
    let text = m["text"].as_str().unwrap();
    assert!(text.contains("Water broke through the dam shortly after midnight"), "{text}");
    assert!(text.contains(&format!("{onion}news/dam-breach/index.html")), "{text}");
    assert!(!text.contains('\u{E000}') && !html.contains('\u{E000}'));

    let Some(jar) = clients::vnu_jar("email_html_is_valid") else { return };
    let file = site.root.join("part.html");
    std::fs::write(&file, html).unwrap();
    let v = Command::new("java").args(["-jar"]).arg(&jar).args(["--errors-only"]).arg(&file).output().unwrap();
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
}

#[test]
fn bad_requests_are_refused_with_what_to_do_and_nothing_lost() {
    let site = TestSite::fixture("edition");
    insta::assert_snapshot!("edition_unknown_language", failed(edition(&site, &["--lang", "de"]), &site));
    let e = failed(edition(&site, &["--since", "2026-12-02T08:00:00Z"]), &site);
    insta::assert_snapshot!("edition_empty_period", e);
    let config = read(&site, "site.yaml");
    let e = failed(edition(&site, &["-o", "site.yaml"]), &site);
    insta::assert_snapshot!("edition_output_not_an_edition", e);
    assert_eq!(read(&site, "site.yaml"), config);
    let e = failed(edition(&site, &["--email", "--from", "newsroom"]), &site);
    insta::assert_snapshot!("edition_bad_address", e);
    // An edition made before is replaced.
    ok(edition(&site, &["-o", "ed.html"]));
    ok(edition(&site, &["-o", "ed.html"]));
}

#[test]
fn embeds_travel_as_placeholders_and_an_edition_that_would_load_anything_is_refused() {
    let site = TestSite::fixture("edition");
    site.write(
        "content/news/embed.md",
        "---\ntitle: \"Embedded\"\ndate: 2026-12-02T07:00:00Z\n---\nLook:\n\n<iframe src=\"https://www.youtube.com/embed/abc\" title=\"The hearing\"></iframe>\n",
    );
    ok(edition(&site, &["-o", "ed.html"]));
    let html = read(&site, "ed.html");
    assert!(!html.contains("<iframe") && html.contains(r#"href="https://www.youtube.com/watch?v=abc""#));
    // A theme of the site's own that loads from another host: refused,
    // named, and nothing written.
    site.write(
        "templates/edition.html",
        "<!DOCTYPE html><html lang=\"en\"><head><title>x</title></head><body><img src=\"https://tracker.example/p.gif\" alt=\"\"></body></html>\n",
    );
    let e = failed(edition(&site, &["-o", "tracked.html"]), &site);
    insta::assert_snapshot!("edition_remote_loads", e);
    site.write(
        "templates/edition_email.html",
        "<!DOCTYPE html><html lang=\"en\"><head><title>x</title><link rel=\"stylesheet\" href=\"https://tracker.example/a.css\"></head><body></body></html>\n",
    );
    let e = failed(edition(&site, &["--email", "-o", "tracked.eml"]), &site);
    assert!(e.contains("error: the-ledger-en-2026-12-02.eml: "), "{e}");
    assert!(!site.root.join("tracked.html").exists() && !site.root.join("tracked.eml").exists());
}

#[test]
fn text_over_the_cap_is_refused_before_anything_is_written() {
    let site = TestSite::fixture("edition");
    let long = "A long paragraph of reporting that goes on. ".repeat(400);
    for i in 0..6 {
        site.write(
            &format!("content/news/long-{i}.md"),
            &format!("---\ntitle: \"Long {i}\"\ndate: 2026-12-02T0{i}:30:00Z\n---\n{long}\n"),
        );
    }
    let e = failed(edition(&site, &["--max-kb", "64", "-o", "ed.html"]), &site);
    insta::assert_snapshot!("edition_text_over_cap", e);
    assert!(!site.root.join("ed.html").exists());
}

#[test]
fn a_sites_own_edition_template_overrides_the_themes() {
    let site = TestSite::fixture("edition");
    site.write(
        "templates/edition.html",
        "<!DOCTYPE html><html lang=\"{{ edition.lang }}\"><head><title>{{ edition.title }}</title></head><body>\n<h1>Our own edition</h1>\n{% for a in edition.articles %}<h2 id=\"{{ a.anchor }}\">{{ a.title }}</h2>{% endfor %}\n</body></html>\n",
    );
    ok(edition(&site, &["-o", "own.html"]));
    let html = read(&site, "own.html");
    assert!(html.contains("<h1>Our own edition</h1>") && html.contains(r#"<h2 id="world-border">"#), "{html}");
    ok(site.run(&["verify", "own.html"]));
    // A broken override is an error at its line, and nothing is written.
    site.write("templates/edition.html", "<!DOCTYPE html>\n<p>{{ edition.nonesuch.x }}</p>\n</body>\n");
    let e = failed(edition(&site, &["-o", "broken.html"]), &site);
    assert!(e.contains("templates/edition.html:2"), "{e}");
    assert!(!site.root.join("broken.html").exists());
}
