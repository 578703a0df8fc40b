//! Search (#15): each language's search page and its index, built from the
//! same model in the same run, and searched by a reader's browser from
//! `file://` and under a gateway prefix. Fixture: `tests/fixtures/search`.

use crate::clients;
use crate::common::{python_json, tree, TestSite};
use crate::gateway::PrefixServer;
use sitegen::search::words;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every index file of a built site, by path.
fn index_files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(out)
        .into_iter()
        .filter(|(p, _)| p.contains("search/parts/") || (p.starts_with("search.") && p.ends_with(".js")))
        .collect()
}

#[test]
fn each_language_has_a_search_page_linked_from_every_page_and_an_index_in_the_manifest() {
    let site = TestSite::fixture("search");
    site.built();
    for (page, search) in [
        ("index.html", "./search/index.html"),
        ("news/sanctions-banks/index.html", "../../search/index.html"),
        ("ru/news/eksportery/index.html", "../../../ru/search/index.html"),
    ] {
        assert!(site.page(page).contains(&format!("href=\"{search}\"")), "{page} links its search page {search}");
    }
    let en = site.page("search/index.html");
    assert!(en.contains("<noscript>") && en.contains("href=\"../news/index.html\""), "without a script: the archive");
    assert!(site.page("ru/search/index.html").contains("data-parts=\"parts/\""));
    let manifest = std::fs::read_to_string(site.out().join("manifest.json")).unwrap();
    for f in index_files(&site.out()).keys() {
        assert!(manifest.contains(&format!("\"{f}\"")), "{f} is in the manifest");
    }
    assert!(site.exists("search/parts/meta.js") && site.exists("ru/search/parts/meta.js"));
}

#[test]
fn nothing_unpublished_reaches_the_index() {
    let site = TestSite::fixture("search");
    site.built();
    let all: String = index_files(&site.out())
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("sanction"), "the index holds the published words");
    // A draft, a story scheduled for later, and a comment in a body.
    for secret in ["zyxwvutsecret", "qqscheduledword", "Unpublished", "deputi", "driver"] {
        assert!(!all.contains(secret), "`{secret}` leaked into the index");
    }
}

#[test]
fn the_index_is_the_same_bytes_whatever_the_jobs() {
    let site = TestSite::sample();
    let mut one = site.options();
    one.threads = Some(1);
    sitegen::build::build(&one).unwrap();
    let first = index_files(&site.out());
    std::fs::remove_dir_all(site.out()).unwrap();
    let mut four = site.options();
    four.threads = Some(4);
    four.force = true;
    sitegen::build::build(&four).unwrap();
    assert!(first.len() > 4);
    assert!(first == index_files(&site.out()), "the index differs between --jobs 1 and --jobs 4");
}

/// Loads the search page at each URL with a query, waits for its answer,
/// and prints a JSON report: the status line, each result's title and
/// link (resolved), and every request the page made.
const SEARCH_SCRIPT: &str = r##"
import json, sys
from playwright.sync_api import sync_playwright
chromium, cases = sys.argv[1], json.loads(sys.argv[2])
flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
done = "(() => { const s = document.getElementById('search-status').textContent; return s && !s.endsWith('…'); })()"
report = []
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=chromium, args=flags)
    for url, typed in cases:
        page = browser.new_page(viewport={"width": 360, "height": 800})
        requests, errors = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url, wait_until="load")
        if typed is not None:
            page.fill("#search-q", typed)
            page.wait_for_function("document.getElementById('search-results').children.length > 0 || document.getElementById('search-status').textContent === document.getElementById('search-form').dataset.none", timeout=5000)
        page.wait_for_function(done, timeout=5000)
        results = [{"title": li.query_selector("a").inner_text(), "href": li.query_selector("a").evaluate("a => a.href")}
                   for li in page.query_selector_all("#search-results li")]
        report.append({"url": url, "status": page.inner_text("#search-status"), "results": results,
                       "none": page.eval_on_selector("#search-form", "f => f.dataset.none"),
                       "marks": [m.inner_text() for m in page.query_selector_all("mark")],
                       "wide": page.evaluate("document.documentElement.scrollWidth > window.innerWidth"),
                       "requests": requests, "errors": errors})
        page.close()
    browser.close()
print(json.dumps(report))
"##;

fn search(chromium: &Path, cases: &[(String, Option<&str>)]) -> Vec<serde_json::Value> {
    let cases = serde_json::to_string(cases).unwrap();
    python_json(SEARCH_SCRIPT, &[chromium.as_os_str(), cases.as_ref()]).as_array().unwrap().clone()
}

fn titles(r: &serde_json::Value) -> BTreeSet<String> {
    // Titles as written: typography's no-break spaces read as spaces.
    r["results"].as_array().unwrap().iter().map(|x| x["title"].as_str().unwrap().replace('\u{a0}', " ")).collect()
}

/// Checks one site's answers; `base` is the site's root URL (`file://`
/// or under the gateway's prefix): every request stays under it.
fn check_queries(chromium: &Path, base: &str, exists: &dyn Fn(&str) -> bool) {
    let en = format!("{base}search/index.html");
    let ru = format!("{base}ru/search/index.html");
    let q = |page: &str, q: &str| (format!("{page}?q={}", q.replace(' ', "+")), None);
    let cases = vec![
        q(&en, "sanction"),
        q(&ru, "санкции"),
        q(&ru, "NATO санкций"),
        q(&ru, "ЕЛКИ"),
        q(&en, "zyxwvutsecret"),
        (en.clone(), Some("sanctioned banks")),
        (ru.clone(), Some("санкц")),
    ];
    let report = search(chromium, &cases);
    let expect: [&[&str]; 7] = [
        &["New sanctions hit regional banks", "Tanker fleet keeps moving oil"],
        &["Новые санкции ударили по региональным банкам", "Экспортёры ищут обходные пути", "Санкционный режим продлён"],
        &["Экспортёры ищут обходные пути"],
        &["Санкционный режим продлён"],
        &[],
        &["New sanctions hit regional banks"],
        &["Новые санкции ударили по региональным банкам", "Экспортёры ищут обходные пути", "Санкционный режим продлён"],
    ];
    for (r, want) in report.iter().zip(expect) {
        let url = r["url"].as_str().unwrap();
        let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(titles(r), want, "{url}: {r:#}");
        assert_eq!(r["errors"], serde_json::json!([]), "{url}: script errors");
        assert_eq!(r["wide"], false, "{url}: wider than a 360 px screen");
        if want.is_empty() {
            assert_eq!(r["status"], r["none"], "{url}: says nothing was found");
        } else {
            assert!(r["status"].as_str().unwrap().contains(&want.len().to_string()), "{url}: a count: {}", r["status"]);
        }
        for req in r["requests"].as_array().unwrap() {
            let req = req.as_str().unwrap();
            assert!(req.starts_with(base), "{url} requested {req}, outside the site");
        }
        for res in r["results"].as_array().unwrap() {
            let href = res["href"].as_str().unwrap();
            assert!(exists(href.strip_prefix(base).unwrap_or(href)), "{url}: result link {href} leads nowhere");
        }
    }
    // The query's words are marked in what a result shows.
    assert!(report[0]["marks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m.as_str().unwrap().eq_ignore_ascii_case("sanctions")));
}

#[test]
fn russian_and_english_queries_find_inflected_forms_from_disk_and_under_a_prefix() {
    let test = "search::russian_and_english_queries_find_inflected_forms_from_disk_and_under_a_prefix";
    let Some(chromium) = clients::chromium(test) else { return };
    let site = TestSite::fixture("search");
    site.built();
    let out = site.out();
    let on_disk = |rel: &str| {
        let rel = rel.split(['?', '#']).next().unwrap();
        let p = out.join(rel);
        p.is_file() || p.join("index.html").is_file()
    };
    check_queries(&chromium, &format!("file://{}/", out.display()), &on_disk);
    let server = PrefixServer::start(&out);
    check_queries(&chromium, &server.url(""), &on_disk);
}

/// Prints, as JSON, the browser's stem of each word given.
const STEM_SCRIPT: &str = r#"
import json, sys
from playwright.sync_api import sync_playwright
chromium, url, words = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
flags = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=chromium, args=flags)
    page = browser.new_page()
    page.goto(url, wait_until="load")
    print(json.dumps(page.evaluate("ws => ws.map(w => window.sitegenSearch.words(w).join(' '))", words)))
    browser.close()
"#;

#[test]
fn the_browser_stems_every_word_of_the_sample_site_as_the_build_does() {
    let Some(chromium) = clients::chromium("search::the_browser_stems_every_word_of_the_sample_site_as_the_build_does")
    else {
        return;
    };
    let site = TestSite::sample();
    site.built();
    // Every word of every article and page as written, once each: folded,
    // split and stemmed by the build, then by the page's script.
    let mut text = String::new();
    for (path, bytes) in tree(&site.root.join("content")) {
        if path.ends_with(".md") {
            text.push_str(&String::from_utf8_lossy(&bytes));
            text.push('\n');
        }
    }
    let raw: BTreeSet<&str> = text.split_whitespace().collect();
    let raw: Vec<&str> = raw.into_iter().collect();
    assert!(raw.len() > 1000, "the sample site has {} words", raw.len());
    let words_file = site.root.join("words.json");
    std::fs::write(&words_file, serde_json::to_string(&raw).unwrap()).unwrap();
    let url = format!("file://{}", site.out().join("ru/search/index.html").display());
    let stems = python_json(STEM_SCRIPT, &[chromium.as_os_str(), url.as_ref(), words_file.as_os_str()]);
    let browser: Vec<String> = serde_json::from_value(stems).unwrap();
    let differ: Vec<String> = raw
        .iter()
        .zip(&browser)
        .filter_map(|(w, b)| {
            let build = words::stems(w).collect::<Vec<_>>().join(" ");
            (build != *b).then(|| format!("{w}: build `{build}`, browser `{b}`"))
        })
        .collect();
    assert!(differ.is_empty(), "{} of {} words stem differently:\n{}", differ.len(), raw.len(), differ.join("\n"));
}

#[test]
fn a_language_whose_stories_did_not_change_keeps_its_index_files() {
    let site = TestSite::fixture("search");
    site.built();
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    let ru = site.out().join("ru/search/parts/k-.js");
    std::fs::File::options().write(true).open(&ru).unwrap().set_modified(old).unwrap();
    let en_before = std::fs::read(site.out().join("search/parts/k-.js")).unwrap();
    let story = std::fs::read_to_string(site.root.join("content/world/weather.md")).unwrap();
    site.write("content/world/weather.md", &story.replace("Rain fell", "Snowmelt and rain fell"));
    site.built();
    let en_after = std::fs::read(site.out().join("search/parts/k-.js")).unwrap();
    assert!(
        en_before != en_after && String::from_utf8_lossy(&en_after).contains("\"snowmelt\""),
        "the edit is indexed"
    );
    let kept = std::fs::metadata(site.out().join("ru/search/parts/k-.js")).unwrap().modified().unwrap();
    assert_eq!(kept, old, "the Russian index was kept, not made again");
}
