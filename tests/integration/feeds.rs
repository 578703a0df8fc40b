//! Feeds, sitemap and robots.txt: absolute URLs, entries newest first.

use crate::common::TestSite;

#[test]
fn rss_has_absolute_links_and_enclosures() {
    let site = TestSite::fixture("feeds");
    site.built();
    let rss = site.page("rss.xml");
    assert!(rss.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\""));
    assert!(rss.contains("<link>https://test.example/</link>"));
    assert!(rss.contains("<guid isPermaLink=\"true\">https://test.example/news/envoy-talks/</guid>"));
    assert!(rss.contains("<pubDate>Fri, 11 Apr 2025 18:20:00 +0300</pubDate>"));
    assert!(rss.contains("<enclosure url=\"https://test.example/news/envoy-talks/photo.png\" length=\""));
    assert!(rss.contains("<dc:creator>Jane Roe</dc:creator>"));
    assert!(!rss.contains("Посланник"), "the English feed has English articles only");
    assert!(site.page("ru/rss.xml").contains("Посланник"));
}

#[test]
fn atom_updated_comes_from_content_not_the_clock() {
    let site = TestSite::fixture("feeds");
    site.built();
    let atom = site.page("atom.xml");
    assert!(atom.contains("<updated>2025-04-12T09:00:00+03:00</updated>\n<entry>"), "{atom}");
    assert!(atom.contains("<id>https://test.example/news/envoy-talks/</id>"));
    assert!(site.page("news/atom.xml").contains("Delta Story"));
    assert!(!site.page("news/atom.xml").contains("Beta Story"), "section feeds hold their section");
}

#[test]
fn feeds_escape_hostile_titles() {
    let site = TestSite::fixture("feeds");
    site.write(
        "content/news/hostile.md",
        "---\ntitle: \"<script>alert('x')</script> & ]]>\"\ndate: 2025-06-01\nsummary: \"</description><evil/>\"\n---\nBody.\n",
    );
    site.built();
    let rss = site.page("rss.xml");
    assert!(rss.contains("<title>&lt;script&gt;alert(‘x’)&lt;/script&gt; &amp; ]]&gt;</title>"), "{rss}");
    assert!(!rss.contains("<evil/>"));
    let html = site.page("news/hostile/index.html");
    assert!(html.contains("<h1 class=\"story__title\">&lt;script&gt;alert(‘x’)&lt;/script&gt; &amp; ]]&gt;</h1>"));
    let ld = html.lines().find(|l| l.starts_with("<script type=\"application/ld+json\">")).unwrap();
    assert_eq!(ld.matches("</script>").count(), 1, "JSON-LD cannot be closed early: {ld}");
}

#[test]
fn sitemap_lists_pages_and_robots_points_at_it() {
    let site = TestSite::fixture("feeds");
    site.built();
    let map = site.page("sitemap.xml");
    assert!(map.contains("<url><loc>https://test.example/</loc></url>"));
    assert!(map.contains("<loc>https://test.example/world/beta/</loc><lastmod>2025-03-01T00:00:00+00:00</lastmod>"));
    assert!(!map.contains("404"));
    assert_eq!(
        site.page("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://test.example/sitemap.xml\nSitemap: https://test.example/sitemap-news.xml\n"
    );
}

/// The language and section feeds carry whole stories, their links and
/// images absolute; every list has RSS, Atom and JSON Feed; each list page
/// links its own feeds.
#[test]
fn feeds_carry_whole_stories_and_every_list_has_its_own() {
    let site = TestSite::fixture("feeds");
    site.write(
        "content/news/linked.md",
        "---\ntitle: Linked\ndate: 2025-05-01\ntags: [courts]\nauthors: [Jane Roe]\nsummary: Short.\n---\nSee [the envoy](envoy-talks/index.md) and ![a chart](envoy-talks/photo.png \"Chart\").\n",
    );
    site.built();
    let rss = site.page("rss.xml");
    assert!(rss.contains("xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""));
    let encoded = rss.split("<content:encoded>").nth(1).unwrap().split("</content:encoded>").next().unwrap();
    assert!(
        encoded
            .contains("&lt;a href=&quot;https://test.example/news/envoy-talks/index.html&quot;&gt;the envoy&lt;/a&gt;"),
        "{encoded}"
    );
    // The bundle's photo, wherever the bundle publishes it, absolute.
    assert!(encoded.contains("news/envoy-talks/photo.png&quot;") && !encoded.contains("src=&quot;.."), "{encoded}");
    assert!(encoded.contains("&lt;img src=&quot;https://test.example/"), "{encoded}");
    assert!(site.page("news/atom.xml").contains("<content type=\"html\">"));
    // Tag and author feeds: summaries of their newest stories.
    for base in ["tags/courts/", "authors/jane-roe/"] {
        let rss = site.page(&format!("{base}rss.xml"));
        assert!(rss.contains("<title>Linked</title>") && !rss.contains("content:encoded>"), "{base}");
        assert!(site.exists(&format!("{base}atom.xml")) && site.exists(&format!("{base}feed.json")));
    }
    // JSON Feed 1.1: its required fields.
    for file in ["feed.json", "news/feed.json", "tags/courts/feed.json"] {
        let f: serde_json::Value = serde_json::from_str(&site.page(file)).unwrap();
        assert_eq!(f["version"], "https://jsonfeed.org/version/1.1", "{file}");
        assert!(f["title"].is_string() && f["feed_url"].as_str().unwrap().starts_with("https://test.example/"));
        for item in f["items"].as_array().unwrap() {
            assert!(item["id"].is_string(), "{file}: an item without id");
            assert!(item["content_html"].is_string() || item["content_text"].is_string(), "{file}: no content");
            assert!(item["url"].as_str().unwrap().starts_with("https://test.example/"));
        }
    }
    let json: serde_json::Value = serde_json::from_str(&site.page("feed.json")).unwrap();
    assert!(json["items"][0]["content_html"].as_str().unwrap().contains("https://test.example/news/envoy-talks/"));
    // Each list page names its own feeds in <head>; the home the site's.
    let section = site.page("news/index.html");
    assert!(section.contains("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"News — Test Times (RSS)\" href=\"../news/rss.xml\">"), "{section}");
    assert!(section.contains(
        "type=\"application/feed+json\" title=\"News — Test Times (JSON Feed)\" href=\"../news/feed.json\">"
    ));
    let tag = site.page("tags/courts/index.html");
    assert!(tag.contains("href=\"../../tags/courts/atom.xml\">"), "{tag}");
    assert!(site.page("index.html").contains("title=\"Test Times (RSS)\" href=\"./rss.xml\">"));
    // feedparser (6.0, the release on PyPI) reads RSS and Atom; it has no
    // JSON Feed reader yet, so the JSON is checked against the spec above.
    if let Some(()) = crate::clients::feedparser("feeds::feeds_carry_whole_stories_and_every_list_has_its_own") {
        let script = "import feedparser,sys\nfor p in sys.argv[1:]:\n    f=feedparser.parse(open(p,'rb').read())\n    assert not f.bozo and f.entries, (p, f.bozo, f.get('bozo_exception'))\n    assert f.entries[0].get('content') or f.entries[0].get('summary'), p\n    print(p, 'content' in f.entries[0])";
        let files: Vec<_> = ["rss.xml", "atom.xml", "tags/courts/rss.xml"].iter().map(|f| site.out().join(f)).collect();
        let out = std::process::Command::new("python3").args(["-c", script]).args(&files).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            said.contains("rss.xml True") && said.contains("atom.xml True"),
            "feedparser finds the whole story: {said}"
        );
    }
}

#[test]
fn full_text_false_gives_summaries() {
    let site = TestSite::fixture("feeds");
    site.configure("feeds: {full_text: false}\n");
    site.built();
    assert!(!site.page("rss.xml").contains("<content:encoded>"));
    assert!(!site.page("atom.xml").contains("<content type=\"html\">"));
    assert!(!site.page("feed.json").contains("content_html"));
}

/// The news sitemap lists the stories of the two days before "now", with
/// the publication's name and language; link previews get the site's
/// picture and the article's Open Graph properties.
#[test]
fn news_sitemap_and_the_metadata_platforms_read() {
    let site = TestSite::fixture("corrections");
    std::fs::create_dir_all(site.root.join("static/images")).unwrap();
    std::fs::copy(
        crate::common::fixtures().join("basic/static/images/wire.png"),
        site.root.join("static/images/share.png"),
    )
    .unwrap();
    site.configure("image: images/share.png\n");
    let out = site.run(&["build", "--now", "2026-12-03T03:00:00Z"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let news = site.page("sitemap-news.xml");
    let doc = roxmltree::Document::parse(&news).unwrap();
    const NEWS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().namespace() == Some(NEWS) && n.tag_name().name() == "title")
        .filter_map(|n| n.text())
        .collect();
    // The two stories of Dec 1 are within two days; Nov 20 is not.
    assert_eq!(titles, ["Суд назначил дату слушания", "Court sets a date for the hearing"]);
    let names: Vec<&str> =
        doc.descendants().filter(|n| n.has_tag_name((NEWS, "name"))).filter_map(|n| n.text()).collect();
    assert_eq!(names, ["Тест Таймс", "Test Times"]);
    assert!(doc.descendants().any(|n| n.has_tag_name((NEWS, "language")) && n.text() == Some("ru")));
    let article = site.page("news/hearing/index.html");
    for meta in [
        "<meta name=\"twitter:card\" content=\"summary_large_image\">",
        "<meta property=\"og:image\" content=\"https://test.example/images/share.png\">",
        "<meta property=\"article:published_time\" content=\"2026-12-01T09:00:00+03:00\">",
        "<meta property=\"article:modified_time\" content=\"2026-12-03T08:30:00+03:00\">",
        "<meta property=\"article:section\" content=\"News\">",
    ] {
        assert!(article.contains(meta), "{meta}");
    }
    assert!(site
        .page("index.html")
        .contains("<meta property=\"og:image\" content=\"https://test.example/images/share.png\">"));
    // A picture that is not in static/ is named.
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", &yaml.replace("image: images/share.png", "image: images/nope.png"));
    let e = String::from_utf8_lossy(&site.run(&["build"]).stderr).into_owned();
    assert!(e.contains("`images/nope.png` is not a file in static/"), "{e}");
}
