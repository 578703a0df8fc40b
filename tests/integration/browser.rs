//! A reader's browser: headless Chromium (Debian's, driven by Playwright)
//! opens the unpacked archive from `file://` and the site under a gateway
//! prefix, and no request may fail. `.ci/run` installs both (see
//! `clients.rs` for what happens where they are missing).

use crate::clients;
use crate::common::{python_json, TestSite};
use crate::gateway::PrefixServer;
use std::path::Path;

/// Loads each URL and prints a JSON report: failed requests and 4xx/5xx
/// responses (except a navigation expected to 404), and, for a 404 page,
/// where its home link points once its script has run.
const SCRIPT: &str = r#"
import json, sys
from playwright.sync_api import sync_playwright
chromium, urls = sys.argv[1], json.loads(sys.argv[2])
problems, home_links = [], {}
flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=chromium, args=flags)
    for url, expect_404 in urls:
        page = browser.new_page()
        # Only the 404 page probes for the site root, and its probes of
        # folders above the site may fail by design; on any other page a
        # failed SHA256SUMS request is a problem like any other.
        probe = lambda r, e=expect_404: e and r.url.endswith("SHA256SUMS")
        page.on("requestfailed", lambda r: probe(r) or problems.append(f"{r.url}: {r.failure}"))
        page.on("response", lambda r, u=url, e=expect_404: (r.status >= 400 and not (e and r.url == u) and not probe(r)) and problems.append(f"{r.url}: HTTP {r.status}"))
        page.goto(url, wait_until="load")
        if "/2025/04/11/envoy-meets-president/" in url:
            # An alias: its meta refresh must land on the article.
            page.wait_for_url("**/news/envoy-talks/index.html", timeout=5000)
            page.wait_for_load_state("load")
        if expect_404:
            page.wait_for_function("document.querySelector('base') !== null", timeout=5000)
            home_links[url] = page.eval_on_selector(".masthead__title", "a => a.href")
        page.close()
    browser.close()
print(json.dumps({"problems": problems, "home_links": home_links}))
"#;

fn load(chromium: &Path, urls: &[(String, bool)]) -> serde_json::Value {
    python_json(SCRIPT, &[chromium.as_os_str(), serde_json::to_string(urls).unwrap().as_ref()])
}

const SAMPLE_PAGES: &[&str] = &[
    "index.html",
    "page/1/index.html",
    "news/envoy-talks/index.html",
    "ru/news/envoy-talks/index.html",
    "investigations/how-we-verified-the-depot-fire/index.html",
    "tags/sanctions/index.html",
    "authors/marta-kovalenko/index.html",
    "mirrors/index.html",
    "2025/04/11/envoy-meets-president/index.html",
];

#[test]
fn unpacked_archive_works_from_disk() {
    let Some(chromium) = clients::chromium("browser::unpacked_archive_works_from_disk") else { return };
    let site = TestSite::sample();
    site.built();
    let dest = site.root.join("unpacked");
    let a = sitegen::publish::archive::write(&site.out(), &site.root, "site").unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&a.zip).unwrap()).unwrap();
    zip.extract(&dest).unwrap();
    let urls: Vec<(String, bool)> =
        SAMPLE_PAGES.iter().map(|p| (format!("file://{}", dest.join("site").join(p).display()), false)).collect();
    let report = load(&chromium, &urls);
    assert_eq!(report["problems"], serde_json::json!([]), "failed loads from file://");
}

#[test]
fn pages_load_under_a_gateway_prefix_and_404_finds_home_at_any_depth() {
    let test = "browser::pages_load_under_a_gateway_prefix_and_404_finds_home_at_any_depth";
    let Some(chromium) = clients::chromium(test) else { return };
    let site = TestSite::sample();
    site.built();
    let server = PrefixServer::start(&site.out());
    let mut urls: Vec<(String, bool)> = SAMPLE_PAGES.iter().map(|p| (server.url(p), false)).collect();
    // A missing page at the site root, one folder down, and deep down: the
    // 404 page must find the root from each.
    let missing = ["gone.html", "news/gone/", "no/such/deep/page/here/"].map(|p| server.url(p));
    urls.extend(missing.iter().map(|m| (m.clone(), true)));
    let report = load(&chromium, &urls);
    assert_eq!(report["problems"], serde_json::json!([]), "failed loads under the prefix");
    for m in &missing {
        assert_eq!(report["home_links"][m], server.url("index.html"), "the 404 page's home link at {m}");
    }
}

/// Opens each URL in a phone-sized window (360×800, one device pixel per
/// CSS pixel), scrolls to the end so every lazy image loads, and prints
/// the bytes of each image fetched, by URL, from the network log.
const WEIGHT_SCRIPT: &str = r#"
import json, sys
from playwright.sync_api import sync_playwright
chromium, urls = sys.argv[1], json.loads(sys.argv[2])
flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
out = {}
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=chromium, args=flags)
    for url in urls:
        context = browser.new_context(viewport={"width": 360, "height": 800}, device_scale_factor=1)
        page = context.new_page()
        images = {}
        def finished(request, images=images):
            if request.resource_type == "image":
                sizes = request.sizes()
                images[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        page.on("requestfinished", finished)
        page.goto(url, wait_until="load")
        for _ in range(400):
            page.evaluate("window.scrollBy(0, 400)")
            page.wait_for_timeout(30)
            if page.evaluate("window.scrollY + window.innerHeight >= document.documentElement.scrollHeight"):
                break
        page.wait_for_load_state("networkidle")
        out[url] = images
        context.close()
    browser.close()
print(json.dumps(out))
"#;

/// Camera photos (4000×2667, with GPS) on a front page of many stories:
/// a phone fetches copies its screen needs, never an original. See: #13.
#[test]
fn a_phone_fetches_little_of_camera_size_photos() {
    let Some(chromium) = clients::chromium("browser::a_phone_fetches_little_of_camera_size_photos") else { return };
    let site = crate::photo_sizes::site();
    let photos: Vec<Vec<u8>> = (0..3).map(|i| crate::photo_sizes::camera_jpeg(4000, 2667, 1, 10 + i)).collect();
    for i in 0..30 {
        let dir = format!("content/world/story-{i:02}");
        site.write(
            &format!("{dir}/index.md"),
            &format!(
                "---\ntitle: \"Story number {i}\"\ndate: 2025-05-{:02}T10:00:00+03:00\ntags: [t{}]\nsummary: \"What happened, in one line.\"\nphoto: {{src: photo.jpg, alt: \"Scene {i}\", credit: \"AP / TASS\"}}\n---\nA paragraph of the story.\n\n![A second photo](second.jpg)\n\nMore text.\n",
                1 + i % 28,
                i % 3
            ),
        );
        std::fs::write(site.root.join(&dir).join("photo.jpg"), &photos[i as usize % 3]).unwrap();
        std::fs::write(site.root.join(&dir).join("second.jpg"), &photos[(i as usize + 1) % 3]).unwrap();
    }
    site.built();
    let server = PrefixServer::start(&site.out());
    let (home, article) = (server.url("index.html"), server.url("world/story-05/index.html"));
    let urls = serde_json::to_string(&[&home, &article]).unwrap();
    let report = python_json(WEIGHT_SCRIPT, &[chromium.as_os_str(), urls.as_ref()]);
    for (url, cap_kb) in [(&home, 400), (&article, 250)] {
        let images = report[url].as_object().unwrap();
        assert!(images.len() >= 3, "{url}: the page's photos were fetched: {images:?}");
        let total: u64 = images.values().map(|v| v.as_u64().unwrap()).sum();
        eprintln!("{url}: {} images, {} KB", images.len(), total / 1024);
        assert!(total <= cap_kb * 1024, "{url}: {} KB of images, over {cap_kb} KB: {images:#?}", total / 1024);
        for u in images.keys() {
            assert!(!u.ends_with("/photo.jpg") && !u.ends_with("/second.jpg"), "{url} fetched an original: {u}");
        }
    }
}
