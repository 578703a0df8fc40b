//! Archives imported from other generators: raw HTML with embeds from
//! other hosts, links and images written from the site root or with the
//! site's own address, bare media addresses, titled images. They build, and
//! their pages still load nothing from a third party. See #13.

use crate::clients;
use crate::common::TestSite;
use std::process::Command;

fn build_err(site: &TestSite) -> String {
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn an_imported_archive_builds_with_embeds_as_placeholders_and_links_made_relative() {
    let site = TestSite::fixture("imported");
    let report = site.built();
    let root = site.root.display().to_string();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string().replace(&root, "<site>")).collect();
    insta::assert_snapshot!("imported_embed_warnings", warnings.join("\n"));
    let page = site.page("news/interview/index.html");
    let body = crate::common::main_of(&page);
    for gone in ["<iframe", "<script", "<video", "youtube.com/embed", "cdn.example.net/poster.jpg", "src=\"https://"] {
        assert!(!body.contains(gone), "{gone} left in {body}");
    }
    assert!(body.contains(r#"<figure class="embed embed--youtube"><a class="embed__link" href="https://www.youtube.com/watch?v=abc123XYZ"><img class="embed__poster" src="../../news/interview/poster.jpg" alt="" loading="lazy"><span class="embed__provider">YouTube</span> <span class="embed__title">Interview with the envoy</span>"#), "{body}");
    assert!(body.contains(r#"href="https://vimeo.com/76979871""#));
    assert!(body.contains(r#"href="https://cdn.example.net/clip.mp4""#));
    assert!(body.contains(r#"href="https://t.me/durov/43""#));
    assert!(body.contains(
        r#"<blockquote class="twitter-tweet"><p>The talks went well.</p><a href="https://twitter.com/envoy/status/1">"#
    ));
    assert!(body.contains(
        r#"<span class="embed embed--wireexamplecom"><a class="embed__link" href="https://wire.example.com/chart.png">"#
    ));
    assert!(body.contains(r#"href="https://www.youtube.com/watch?v=zzz999""#));
    assert!(body.contains(r#"<audio controls src="recording.wav"></audio>"#));
    assert!(site.exists("news/interview/recording.wav"));
    assert!(body.contains(r#"<figure class="figure"><img src="../../news/interview/arrival.png" alt="The envoy arrives" width="320" height="200" loading="lazy" decoding="async"><figcaption>The envoy arrives at the ministry <span class="credit">AP / TASS</span></figcaption></figure>"#), "{body}");
    assert!(body.contains(r#"<a href="mailto:press@imported.example">press@imported.example</a>"#));
    let links = site.page("news/links/index.html");
    let body = crate::common::main_of(&links);
    assert!(body.contains(r#"<a href="../../news/interview/index.html">the interview</a>"#), "{body}");
    assert!(body.contains(r#"<a href="../../about/index.html">about page</a>"#));
    assert!(body.contains(r#"<a href="../../index.html">front page</a>"#));
    assert!(body.contains(r#"<img src="../../images/logo.png" alt="Logo" width="40" height="40">"#));
    // A <picture>'s remote source goes; its own image stays.
    assert!(body.contains(r#"<picture><img src="../../images/logo.png" alt="Logo again"></picture>"#), "{body}");
}

#[test]
fn remote_media_fail_refuses_the_article_at_each_embeds_line() {
    let site = TestSite::fixture("imported");
    site.configure("remote_media: fail\n");
    let e = build_err(&site);
    assert!(e.contains("content/news/interview/index.md:7"), "{e}");
    insta::assert_snapshot!("imported_remote_media_fail", e.replace(&site.root.display().to_string(), "<site>"));
    site.write("site.yaml", "title: \"X\"\nbase_url: \"https://imported.example\"\nremote_media: sometimes\n");
    insta::assert_snapshot!("imported_remote_media_bad_value", build_err(&site));
}

#[test]
fn a_url_from_the_site_root_that_leads_nowhere_is_an_error_at_its_line() {
    let site = TestSite::fixture("imported");
    site.write(
        "content/news/broken.md",
        "---\ntitle: \"Broken\"\ndate: 2024-05-03\n---\nText.\n\n<a href=\"/nowhere/\">gone</a>\n\n<img src=\"/images/missing.png\" alt=\"\">\n",
    );
    insta::assert_snapshot!("imported_root_relative_nowhere", build_err(&site));
}

#[test]
fn photo_focus_sets_the_crop_of_cards_and_the_lead() {
    let site = TestSite::fixture("imported");
    site.write(
        "content/news/portrait/index.md",
        "---\ntitle: \"Portrait\"\ndate: 2024-05-04\nphoto: {src: arrival.png, alt: \"A face\", focus: top}\n---\nText.\n",
    );
    std::fs::copy(
        site.root.join("content/news/interview/arrival.png"),
        site.root.join("content/news/portrait/arrival.png"),
    )
    .unwrap();
    site.built();
    let page = site.page("news/portrait/index.html");
    assert!(page.contains(r#"alt="A face" width="320" height="200" style="object-position: 50% 0%">"#), "{page}");
    assert!(site.page("index.html").contains(r#"style="object-position: 50% 0%""#));
    site.write(
        "content/news/portrait/index.md",
        "---\ntitle: \"Portrait\"\ndate: 2024-05-04\nphoto: {src: arrival.png, focus: \"url(x)\"}\n---\nText.\n",
    );
    insta::assert_snapshot!("imported_bad_focus", build_err(&site));
}

/// Loads a page from `file://` and reports every request and the audio
/// element's state once it has loaded.
const LOAD: &str = r#"
import json, sys
from playwright.sync_api import sync_playwright
chromium, url = sys.argv[1], sys.argv[2]
flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=chromium, args=flags)
    page = browser.new_page()
    requests, failed = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(url, wait_until="load")
    page.wait_for_function("document.querySelector('audio').readyState >= 1", timeout=5000)
    audio = page.evaluate("(() => { const a = document.querySelector('audio'); return {error: a.error && a.error.code, duration: a.duration}; })()")
    browser.close()
print(json.dumps({"requests": requests, "failed": failed, "audio": audio}))
"#;

#[test]
fn an_imported_page_asks_no_other_host_and_its_audio_plays_from_disk() {
    let Some(chromium) = clients::chromium("imported_page_offline") else { return };
    let site = TestSite::fixture("imported");
    site.built();
    let url = format!("file://{}", site.out().join("news/interview/index.html").display());
    let out = Command::new("python3").args(["-c", LOAD]).arg(&chromium).arg(&url).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let requests = r["requests"].as_array().unwrap();
    assert!(requests.iter().all(|u| u.as_str().unwrap().starts_with("file://")), "{r}");
    assert_eq!(r["failed"], serde_json::json!([]), "{r}");
    assert_eq!(r["audio"]["error"], serde_json::Value::Null, "{r}");
    assert_eq!(r["audio"]["duration"], 1, "{r}");
}
