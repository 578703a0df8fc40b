//! Standalone pages (`content/pages/`): an address per language, the
//! site's header, footer and language switch, the menus, in the sitemap
//! and in no list or feed.

use crate::common::TestSite;

#[test]
fn each_language_gets_its_pages_with_the_site_around_them() {
    let site = TestSite::fixture("standalone");
    site.built();
    let about = site.page("about/index.html");
    assert!(about.contains("<h1 class=\"story__title\">About us</h1>"), "{about}");
    assert!(about.contains("<meta name=\"description\" content=\"Who we are.\">"));
    assert!(about.contains("<title>About us — Test Times</title>"));
    // An email autolink is a mailto: link, not a broken one.
    assert!(about.contains("<a href=\"mailto:editors@test.example\">editors@test.example</a>"), "{about}");
    assert!(about.contains("<a href=\"../news/index.html\">news</a>"), "{about}");
    // The language switch leads to the same page in Russian.
    assert!(about.contains("<a href=\"../ru/about/index.html\" hreflang=\"ru\" lang=\"ru\">"), "{about}");
    let ru = site.page("ru/about/index.html");
    assert!(ru.contains("<h1 class=\"story__title\">О\u{a0}редакции</h1>") && ru.contains("<html lang=\"ru\">"));
    assert!(ru.contains("<a href=\"../../about/index.html\" hreflang=\"en\" lang=\"en\">"), "{ru}");
    // A page with no Russian edition: the switch goes to the Russian home.
    assert!(site.page("privacy/index.html").contains("<a href=\"../ru/index.html\" hreflang=\"ru\""));
    // Drafts stay out.
    assert!(!site.exists("plans/index.html"));
}

#[test]
fn menus_link_the_pages_from_every_page_of_their_language_in_weight_order() {
    let site = TestSite::fixture("standalone");
    site.built();
    let home = site.page("index.html");
    let footer = &home[home.find("<footer").unwrap()..];
    let (privacy, about) = (footer.find(">Privacy</a>").unwrap(), footer.find(">About us</a>").unwrap());
    assert!(privacy < about, "weight 0 before weight 1: {footer}");
    assert!(footer.contains("<a href=\"./about/index.html\">About us</a>"), "{footer}");
    let header = &home[..home.find("<main").unwrap()];
    assert!(header.contains("<a href=\"./contacts/index.html\">Contacts</a>"), "{header}");
    assert!(!footer.contains("Contacts"), "a header page is not in the footer");
    let article = site.page("news/hearing/index.html");
    assert!(article.contains("<a href=\"../../about/index.html\">About us</a>"), "{article}");
    // A link to the page's file from an article leads to the page.
    assert!(article.contains("Read <a href=\"../../about/index.html\">about us</a>"), "{article}");
    // The page itself is marked current in the menu.
    assert!(site
        .page("about/index.html")
        .contains("<a href=\"../about/index.html\" aria-current=\"page\">About us</a>"));
    let ru_home = site.page("ru/index.html");
    assert!(ru_home.contains(">О\u{a0}редакции</a>") && !ru_home.contains(">About us</a>"), "{ru_home}");
}

#[test]
fn pages_are_in_the_sitemap_and_in_no_list_or_feed() {
    let site = TestSite::fixture("standalone");
    site.built();
    let sitemap = site.page("sitemap.xml");
    assert!(sitemap.contains(
        "<url><loc>https://test.example/about/</loc><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://test.example/about/\"/><xhtml:link rel=\"alternate\" hreflang=\"ru\" href=\"https://test.example/ru/about/\"/></url>"
    ), "{sitemap}");
    assert!(sitemap.contains("<loc>https://test.example/contacts/</loc>"));
    assert!(!sitemap.contains("plans"), "no draft in the sitemap");
    for file in ["rss.xml", "atom.xml", "ru/rss.xml"] {
        let feed = site.page(file);
        // Not an item (a story's text may link it).
        assert!(!feed.contains("<title>About us") && !feed.contains("<title>О\u{a0}редакции"), "{file}");
        assert!(!feed.contains("<link>https://test.example/about/</link>"), "{file}");
    }
    let main = crate::common::main_of(&site.page("index.html")).to_string();
    assert!(!main.contains("About us"), "not a card on the home page: {main}");
}

#[test]
fn drafts_are_built_on_request() {
    let site = TestSite::fixture("standalone");
    sitegen::build::build(&sitegen::BuildOptions { drafts: true, ..site.options() }).unwrap();
    assert!(site.page("plans/index.html").contains("Our secret plans"));
}

#[test]
fn a_page_may_not_take_a_section_s_address_or_another_page_s() {
    let site = TestSite::fixture("standalone");
    site.write("content/pages/news.md", "---\ntitle: News?\n---\nx\n");
    site.write("content/pages/about.en.md", "---\ntitle: About again\n---\nx\n");
    let e = failed_build(&site);
    assert!(e.contains("content/pages/news.md: /news/ is already the address of a section or list of the site"), "{e}");
    assert!(e.contains("content/pages/about.md: /about/ is already the address of content/pages/about.en.md"), "{e}");
    insta::assert_snapshot!("a_page_may_not_take_a_section_s_address_or_another_page_s", e);
    assert!(!site.out().exists(), "nothing written");
}

#[test]
fn a_page_needs_a_title_and_a_language_of_the_site() {
    let site = TestSite::fixture("standalone");
    site.write("content/pages/contacts.md", "---\nmenu: header\n---\nx\n");
    site.write("content/pages/about.de.md", "---\ntitle: Über uns\n---\nx\n");
    let e = failed_build(&site);
    assert!(e.contains("`title` is missing") && e.contains("`de` is not a language of this site"), "{e}");
    insta::assert_snapshot!("a_page_needs_a_title_and_a_language_of_the_site", e);
}

/// Builds `site`, which must fail; its error text.
fn failed_build(site: &TestSite) -> String {
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8_lossy(&out.stderr).into_owned()
}
