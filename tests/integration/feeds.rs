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
    assert_eq!(site.page("robots.txt"), "User-agent: *\nAllow: /\n\nSitemap: https://test.example/sitemap.xml\n");
}
