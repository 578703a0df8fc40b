//! Pages, sections, taxonomies, languages and translations.

use crate::common::{main_of, TestSite};

#[test]
fn writes_every_kind_of_page() {
    let site = TestSite::fixture("basic");
    let report = site.built();
    assert_eq!(report.articles, 6, "the draft is left out");
    for page in [
        "index.html",
        "page/2/index.html",
        "news/index.html",
        "news/page/1/index.html",
        "news/envoy-talks/index.html",
        "news/envoy-talks/photo.png",
        "world/beta/index.html",
        "tags/index.html",
        "tags/diplomacy/index.html",
        "tags/diplomacy/page/1/index.html",
        "authors/index.html",
        "authors/jane-roe/index.html",
        "authors/john-doe/index.html",
        "ru/index.html",
        "ru/news/envoy-talks/index.html",
        "ru/news/envoy-talks/photo.png",
        "ru/tags/sport/index.html",
        "ru/authors/jane-roe/index.html",
        "404.html",
        "rss.xml",
        "atom.xml",
        "news/rss.xml",
        "ru/rss.xml",
        "ru/atom.xml",
        "sitemap.xml",
        "robots.txt",
        "mirrors/index.html",
        "ru/mirrors/index.html",
        "mirrors.json",
        "_headers",
        "manifest.json",
        "SHA256SUMS",
    ] {
        assert!(site.exists(page), "missing {page}");
    }
    let root: Vec<String> =
        std::fs::read_dir(site.out()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    for prefix in ["site.", "syntax.", "favicon."] {
        assert!(
            root.iter().any(|n| n.starts_with(prefix) && n.len() > prefix.len() + 11),
            "{prefix}<hash>.* in {root:?}"
        );
    }
    assert!(!site.exists("opinion/draft/index.html"));
}

#[test]
fn drafts_are_built_on_request() {
    let site = TestSite::fixture("drafts");
    let report = sitegen::build::build(&sitegen::BuildOptions { drafts: true, ..site.options() }).unwrap();
    assert_eq!(report.articles, 2, "the published article and the draft");
    assert!(site.exists("opinion/draft/index.html"));
}

#[test]
fn names_that_slug_alike_get_distinct_pages() {
    let site = TestSite::fixture("taxonomy");
    site.built();
    // "Sport"/"sport" are one tag; «Спорт» in the same (English) tree is another.
    let sport = site.page("tags/sport/index.html");
    assert!(sport.contains("<h1>Tag: Sport</h1>"), "first spelling is shown");
    assert!(sport.contains("Beta Story") && sport.contains("Envoy Meets President"));
    let cyrillic = site.page("tags/sport-2/index.html");
    assert!(cyrillic.contains("<h1>Tag: Спорт</h1>") && cyrillic.contains("Gamma Story"));
    assert!(!cyrillic.contains("Beta Story"));
}

#[test]
fn article_page_shows_the_whole_story() {
    let site = TestSite::fixture("article");
    site.built();
    let html = site.page("news/envoy-talks/index.html");
    insta::assert_snapshot!("article_main", main_of(&html));
}

#[test]
fn translations_link_both_ways_with_hreflang() {
    let site = TestSite::fixture("translations");
    site.built();
    let en = site.page("news/envoy-talks/index.html");
    let ru = site.page("ru/news/envoy-talks/index.html");
    // Absolute, as search engines read hreflang; the visible switch stays relative.
    assert!(en.contains(r#"<link rel="alternate" hreflang="ru" href="https://test.example/ru/news/envoy-talks/">"#));
    assert!(ru.contains(r#"<link rel="alternate" hreflang="en" href="https://test.example/news/envoy-talks/">"#));
    assert!(
        ru.contains(r#"<a href="../../../news/envoy-talks/index.html" hreflang="en" lang="en">English"#),
        "switcher goes to the other edition"
    );
    let sitemap = site.page("sitemap.xml");
    assert!(sitemap
        .contains(r#"<xhtml:link rel="alternate" hreflang="ru" href="https://test.example/ru/news/envoy-talks/"/>"#));
}

#[test]
fn russian_pages_speak_russian() {
    let site = TestSite::fixture("translations");
    site.built();
    let ru = site.page("ru/news/envoy-talks/index.html");
    assert!(ru.contains(r#"<html lang="ru">"#));
    assert!(ru.contains("11 апреля 2025, 18:30 UTC+3"), "date in Russian");
    assert!(ru.contains("«Переговоры» начались."), "Russian quotation marks");
    assert!(ru.contains(">Новости</a>"), "section title from _index.ru.md");
    assert!(ru.contains("Автор:"));
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!(
            "{}\ncopyright: \"© Test\"\n",
            yaml.replace("title: \"Тест Таймс\"", "title: \"Тест Таймс\"\n    copyright: \"© Тест\"")
        ),
    );
    site.built();
    assert!(
        site.page("ru/index.html").contains("<p class=\"footer__copyright\">© Тест</p>"),
        "the Russian rights line"
    );
    assert!(site.page("index.html").contains("<p class=\"footer__copyright\">© Test</p>"), "the site's, elsewhere");
    let author = site.page("ru/authors/jane-roe/index.html");
    assert!(author.contains("Джейн Роу пишет о\u{a0}дипломатии."), "bio from the .ru.md author file");
}

/// A list's own page shows the newest; its numbered pages hold runs
/// counted from the oldest, so publishing leaves them as they were.
#[test]
fn lists_show_the_newest_first_and_number_pages_from_the_oldest() {
    let site = TestSite::fixture("pagination");
    site.built();
    let news = site.page("news/index.html");
    let (first, second) = (news.find("Envoy Meets").unwrap(), news.find("Epsilon Story").unwrap());
    assert!(first < second);
    assert!(!news.contains("Delta Story"), "paginate: 2");
    assert!(news.contains(r#"<a class="pagination__next" href="../news/page/1/index.html" rel="next">"#), "{news}");
    let oldest = site.page("news/page/1/index.html");
    assert!(oldest.contains("Delta Story") && oldest.contains("Epsilon Story"), "{oldest}");
    assert!(oldest.contains(r#"<a class="pagination__prev" href="../../../news/index.html" rel="prev">"#), "{oldest}");
    assert!(!site.exists("news/page/2/index.html"));
    // Two more stories: page 1 keeps its articles (and its bytes, but for
    // the link to the new page 2 of newer ones).
    let before = crate::common::main_of(&oldest).to_string();
    for (slug, day) in [("zeta", "2025-06-01"), ("eta", "2025-06-02")] {
        site.write(&format!("content/news/{slug}.md"), &format!("---\ntitle: {slug}\ndate: {day}\n---\nx\n"));
    }
    site.built();
    let after = site.page("news/page/1/index.html");
    let cards = |html: &str| html.matches("class=\"card__title\"").count();
    assert_eq!(cards(&after), 2);
    assert!(after.contains("Delta Story") && after.contains("Epsilon Story"));
    assert_eq!(
        before.split("<nav class=\"pagination\"").next(),
        crate::common::main_of(&after).split("<nav class=\"pagination\"").next()
    );
    assert!(site.page("news/page/2/index.html").contains("Envoy Meets"));
}

#[test]
fn read_more_prefers_shared_tags() {
    let site = TestSite::fixture("related");
    site.built();
    let html = site.page("world/beta/index.html");
    let read_more = &html[html.find("read-more").expect("has Read more")..];
    // Beta shares two tags with Envoy, one with the newer Delta, none with
    // Gamma (which tops the list up from Beta's section); all are older.
    let envoy = read_more.find("Envoy Meets").unwrap();
    let delta = read_more.find("Delta Story").unwrap();
    assert!(envoy < delta, "shared tags count before dates");
    assert!(read_more.contains("Gamma Story"), "topped up from the section");
    // Envoy is the oldest: nothing earlier to list.
    assert!(!site.page("news/envoy-talks/index.html").contains("read-more"));
}

#[test]
fn author_pages_carry_bio_and_articles() {
    let site = TestSite::fixture("taxonomy");
    site.built();
    let html = site.page("authors/jane-roe/index.html");
    assert!(html.contains("Jane Roe covers <strong>diplomacy</strong>."));
    assert!(html.contains("Correspondent"));
    assert!(html.contains("Beta Story") && html.contains("Envoy Meets"));
    let byline = site.page("news/envoy-talks/index.html");
    assert!(byline.contains(r#"By <a href="../../authors/jane-roe/index.html" rel="author">Jane Roe</a> and <a href="../../authors/john-doe/index.html" rel="author">John Doe</a>"#));
}

#[test]
fn site_templates_override_the_theme() {
    let site = TestSite::fixture("theme");
    site.write("templates/terms.html", "<!DOCTYPE html><title>t</title><p>custom {{ terms.kind }}</p>\n");
    site.built();
    assert_eq!(site.page("tags/index.html"), "<!DOCTYPE html><title>t</title><p>custom tags</p>\n");
}

/// A site's own part templates: each card, the masthead and the footer
/// come from them, with links right at every depth.
#[test]
fn part_templates_render_cards_masthead_and_footer() {
    let site = TestSite::fixture("article");
    site.write("templates/card.html", "<p class=\"c\">{{ card.title }} {{ card.url }} {{ kicker }}</p>");
    site.write("templates/header.html", "<p class=\"h\"><a href=\"{{ page.home_url }}\">{{ page.site_title }}</a></p>");
    site.write("templates/footer.html", "<p class=\"f\">{{ page.feeds.rss }}</p>");
    site.built();
    let home = site.page("index.html");
    assert!(home.contains(r#"<p class="c">Delta Story ./news/delta/index.html true</p>"#), "{home}");
    assert!(home.contains(r#"<p class="h"><a href="./index.html">Test Times</a></p>"#), "{home}");
    assert!(home.contains(r#"<p class="f">./rss.xml</p>"#), "{home}");
    // A section's own page: no kicker, links from one folder down, and the
    // section's feeds in the footer.
    let news = site.page("news/index.html");
    assert!(news.contains(r#"<p class="c">Delta Story ../news/delta/index.html false</p>"#), "{news}");
    assert!(news.contains(r#"<p class="h"><a href="../index.html">Test Times</a></p>"#), "{news}");
    assert!(news.contains(r#"<p class="f">../news/rss.xml</p>"#), "{news}");
    let article = site.page("news/delta/index.html");
    assert!(article.contains(r#"<p class="h"><a href="../../index.html">Test Times</a></p>"#), "{article}");
    assert!(!article.contains('\u{E000}'), "no root mark is left: {article}");
    let ru = site.page("ru/index.html");
    assert!(ru.contains(r#"<p class="h"><a href="../ru/index.html">Тест Таймс</a></p>"#), "{ru}");
}

/// A theme without part templates gets each card's fields and writes its
/// chrome from `page`, as themes did before parts.
#[test]
fn a_theme_without_part_templates_gets_card_fields() {
    let site = TestSite::fixture("article");
    let theme = site.root.join("themes/plain");
    crate::common::copy_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/samizdat"), &theme);
    for part in ["card.html", "header.html", "footer.html"] {
        std::fs::remove_file(theme.join("templates").join(part)).unwrap();
    }
    site.write(
        "themes/plain/templates/list.html",
        "<!DOCTYPE html><title>t</title>{% for c in list.items %}<a href=\"{{ c.url }}\">{{ c.title }}</a>{% endfor %}\
         {% for s in page.nav %}<a href=\"{{ s.url }}\">{{ s.title }}</a>{% endfor %}{{ page.header | default(value=\"-\") }}\n",
    );
    site.write(
        "themes/plain/templates/base.html",
        "<!DOCTYPE html><title>t</title>{% block main %}{% endblock main %}\n",
    );
    site.write(
        "themes/plain/templates/article.html",
        "<!DOCTYPE html><title>t</title>{% for c in article.related %}<a href=\"{{ c.url }}\">{{ c.title }}</a>{% endfor %}\n",
    );
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}theme: plain\n"));
    site.built();
    let news = site.page("news/index.html");
    assert!(news.contains(r#"<a href="../news/delta/index.html">Delta Story</a>"#), "{news}");
    assert!(news.contains(r#"<a href="../world/index.html">World</a>"#), "{news}");
    assert!(news.ends_with("-\n"), "no header without header.html: {news}");
}

#[test]
fn a_folder_with_only_config_and_content_builds_with_the_built_in_theme() {
    let site = TestSite::fixture("theme");
    assert!(!site.root.join("themes").exists());
    site.built();
    assert!(site.page("index.html").contains("class=\"masthead\""));
}

#[test]
fn pretty_urls_link_to_directories() {
    let site = TestSite::fixture("article");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}pretty_urls: true\n"));
    site.built();
    let html = site.page("news/envoy-talks/index.html");
    assert!(html.contains(r#"href="../../world/beta/#more""#), "{}", main_of(&html));
}

#[test]
fn base_url_override_changes_only_absolute_places() {
    let site = TestSite::fixture("mirrors");
    site.built();
    let before = crate::common::tree(&site.out());
    let opts = sitegen::BuildOptions { base_url: Some("http://mirror.onion/".into()), ..site.options() };
    sitegen::build::build(&opts).unwrap();
    let after = crate::common::tree(&site.out());
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    let html = String::from_utf8(after["news/envoy-talks/index.html"].clone()).unwrap();
    assert!(html.contains(r#"<link rel="canonical" href="http://mirror.onion/news/envoy-talks/">"#));
    // The primary address now appears only as a mirror to try.
    assert!(html.contains(r#"<a href="https://test.example" rel="nofollow">test.example</a>"#));
    // Every line of every file that differs names one of the two addresses:
    // nothing but absolute URLs (and the list of mirrors) changed.
    let mut differing = 0;
    for (path, old) in &before {
        if path == "manifest.json" || path == "SHA256SUMS" || path == "mirrors.json" || old == &after[path] {
            continue;
        }
        differing += 1;
        let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(&after[path]));
        let names_an_address = |l: &str| l.contains("test.example") || l.contains("mirror.onion");
        // A line that changed, or was added, now names an address; a line
        // removed named one.
        for change in similar::TextDiff::from_lines(&old, &new).iter_all_changes() {
            let line = change.value();
            match change.tag() {
                similar::ChangeTag::Equal => {}
                similar::ChangeTag::Insert => {
                    assert!(names_an_address(line), "{path}: a line not about the address: + {line}")
                }
                similar::ChangeTag::Delete => {}
            }
        }
    }
    // Every page (17, with the two pages of corrections and the two search
    // pages), feed (12: RSS, Atom and JSON Feed of each list), the sitemap
    // and robots.txt; not the search index, which holds no address.
    assert_eq!(differing, 31, "{differing} files changed");
    // The extension's list: the same site, with the primary as one more mirror.
    let json = |t: &std::collections::BTreeMap<String, Vec<u8>>| {
        serde_json::from_slice::<serde_json::Value>(&t["mirrors.json"]).unwrap()["sites"][0].clone()
    };
    let (old, new) = (json(&before), json(&after));
    assert_eq!(old["main_domain"], new["main_domain"]);
    let mut grown = old["available_mirrors"].as_array().unwrap().clone();
    grown.insert(0, "https://test.example".into());
    assert_eq!(new["available_mirrors"], serde_json::Value::Array(grown));
}

#[test]
fn list_pages_say_what_they_list_and_section_pages_do_not_repeat_their_label() {
    let site = TestSite::sample();
    site.built();
    assert!(site.page("tags/courts/index.html").contains("<h1>Tag: courts</h1>"));
    assert!(site.page("ru/tags/knigi/index.html").contains("<h1>Тег: книги</h1>"));
    let news = site.page("news/index.html");
    assert!(!crate::common::main_of(&news).contains("class=\"kicker\""), "no News label on News's own cards");
    assert!(crate::common::main_of(&site.page("index.html")).contains("class=\"kicker\""));
    let article = site.page("news/journalist-sentenced/index.html");
    assert!(article.contains("<span class=\"credit\">Photo: Staff photo</span>"));
    let main = crate::common::main_of(&article);
    let (more, appeal) = (main.find("class=\"read-more\"").unwrap(), main.find("class=\"appeal ").unwrap());
    assert!(more < appeal, "appeals after Read more");
}

/// On a terminal, long stages show a progress bar, cleared before the
/// report; in a pipe or a log, nothing but the report.
#[test]
fn progress_bars_only_on_a_terminal() {
    let Some(script) = crate::clients::script("progress_bars_only_on_a_terminal") else { return };
    let site = TestSite::fixture("basic");
    for i in 0..2_100 {
        site.write(&format!("content/news/n{i}.md"), &format!("---\ntitle: N{i}\ndate: 2025-01-01\n---\nText {i}.\n"));
    }
    let command = format!("{} build", env!("CARGO_BIN_EXE_sitegen"));
    let out = std::process::Command::new(script)
        .args(["-qec", &command, "/dev/null"])
        .current_dir(&site.root)
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    for stage in ["front matter [", "markdown [", "pages ["] {
        assert!(shown.contains(stage), "no bar for {stage} in: {shown}");
    }
    assert!(shown.contains("\x1b[2KBuilt 2"), "the bar is cleared before the report: {shown}");
    site.write("content/news/one-more.md", "---\ntitle: One more\ndate: 2025-01-02\n---\nText.\n");
    let out = site.run(&["build"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains('[') && !stderr.contains('\r'), "no bar without a terminal: {stderr}");
}

/// Titles, summaries and captions get the typography of their language,
/// the same in the page, its <title>, the feeds and JSON-LD.
#[test]
fn one_typography_everywhere() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/news/quotes.md",
        "---\ntitle: 'Editor \"convicted\" - she''ll appeal...'\ndate: 2025-06-01\nsummary: \"The 'false information' case\"\n---\nBody.\n",
    );
    site.write(
        "content/news/kavychki.md",
        "---\ntitle: 'Суд в Москве: \"виновен\" - он обжалует'\ndate: 2025-06-02\nlang: ru\n---\nТекст.\n",
    );
    site.built();
    let en = "Editor “convicted” — she’ll appeal…";
    let page = site.page("news/quotes/index.html");
    assert!(page.contains(&format!("<title>{en} — Test Times</title>")), "{page}");
    assert!(page.contains(&format!("<h1 class=\"story__title\">{en}</h1>")));
    assert!(page.contains("<p class=\"lede\">The ‘false information’ case</p>"));
    assert!(page.contains(&format!("\"headline\":\"{en}\"")), "JSON-LD");
    assert!(site.page("rss.xml").contains(&format!("<title>{en}</title>")));
    let ru = "Суд в\u{a0}Москве: «виновен» — он\u{a0}обжалует";
    assert!(site.page("ru/news/kavychki/index.html").contains(&format!("<h1 class=\"story__title\">{ru}</h1>")));
    assert!(site.page("ru/atom.xml").contains(&format!("<title>{ru}</title>")));
}

/// A site in one language has no hreflang alternates: there is nothing
/// for a search engine to choose between.
#[test]
fn one_language_needs_no_hreflang() {
    let site = TestSite::fixture("schedule");
    site.built();
    for page in ["index.html", "news/council-meets/index.html"] {
        assert!(!site.page(page).contains("hreflang"), "{page}");
    }
}
