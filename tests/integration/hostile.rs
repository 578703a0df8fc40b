//! Hostile text in every field is escaped for where it lands: HTML text and
//! attributes, JSON-LD inside <script>, feeds, and JSON files. Nothing a
//! writer or an editor types can add markup, a script or a broken file.

use crate::common::{tree, TestSite};

const EVIL: &str = r#"</script><script>alert(1)</script>"' onmouseover=x <b>&amp; ]]>"#;

fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

#[test]
fn hostile_strings_in_every_field_stay_text() {
    let site = TestSite::fixture("basic");
    let e = yaml(EVIL);
    site.write("site.yaml", &format!(
        "title: {e}\nbase_url: \"https://test.example\"\ndefault_language: en\ncopyright: {e}\nlanguages:\n  en:\n    title: {e}\n    description: {e}\n    newsletter: {{title: {e}, text: {e}, action: \"https://list.example/sub\", button: {e}}}\n    donate: {{title: {e}, text: {e}, url: \"https://give.example/\", button: {e}}}\n  ru: {{title: {e}}}\nmirrors:\n  - {{url: \"https://m.example\", label: {e}}}\n"
    ));
    site.write("content/news/evil.md", &format!(
        "---\ntitle: {e}\ndate: 2025-06-01\nauthors: [{e}]\ntags: [{e}]\nsummary: {e}\nphoto: {{src: /images/wire.png, alt: {e}, caption: {e}, credit: {e}}}\nwire_credit: {e}\ndateline: {e}\n---\nBody.\n"
    ));
    site.built();
    let files = tree(&site.out());
    let mut checked = 0;
    let mut xml_files = 0;
    let mut index_files = 0;
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") {
            // The only scripts are the page's own JSON-LD (and the 404 page's
            // root finder, and the search page's own script).
            let allowed = text.matches("<script type=\"application/ld+json\">").count()
                + usize::from(path == "404.html" || path.ends_with("search/index.html"));
            assert_eq!(text.matches("<script").count(), allowed, "{path}: an injected <script>");
            assert!(!text.contains("<b>&amp;"), "{path}: injected markup");
            assert!(!text.contains(" onmouseover=x <b>"), "{path}: attribute breakout");
            if text.contains("application/ld+json") {
                let ld = &text[text.find("application/ld+json\">").unwrap()..];
                let ld = &ld[ld.find('>').unwrap() + 1..ld.find("</script>").unwrap()];
                let v: serde_json::Value =
                    serde_json::from_str(ld).unwrap_or_else(|err| panic!("{path}: JSON-LD {err}: {ld}"));
                if path == "news/evil/index.html" {
                    assert_eq!(v["headline"], evil_published(), "the title round-trips as data");
                }
            }
            checked += 1;
        } else if path.contains("search/parts/") {
            // The index hands its data to the script as JSON arguments:
            // hostile text stays a string in them.
            let args = text.split_once('(').and_then(|(_, rest)| rest.strip_suffix(");\n")).unwrap();
            let v: serde_json::Value =
                serde_json::from_str(&format!("[{args}]")).unwrap_or_else(|e| panic!("{path}: not data: {e}"));
            if path.ends_with("/d-0.js") && path.starts_with("search/") {
                assert!(
                    v[1].as_array().unwrap().iter().any(|row| row[1] == evil_published()),
                    "{path}: the title as data"
                );
            }
            index_files += 1;
        } else if path.ends_with(".json") {
            serde_json::from_slice::<serde_json::Value>(bytes).unwrap_or_else(|err| panic!("{path}: {err}"));
        } else if path.ends_with(".xml") {
            // An XML parser reads every feed and sitemap; hostile text is
            // text in it, never an element.
            let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path}: not XML: {e}"));
            let names: Vec<&str> = doc.descendants().filter(|n| n.is_element()).map(|n| n.tag_name().name()).collect();
            assert!(!names.iter().any(|n| ["script", "b"].contains(n)), "{path}: markup became elements");
            xml_files += 1;
        }
    }
    assert!(
        checked > 20 && xml_files > 8 && index_files > 3,
        "{checked} pages, {xml_files} XML, {index_files} index files"
    );
    // The text as published: with typographic quotes, and nothing else.
    let evil = evil_published();
    let rss = roxmltree::Document::parse(std::str::from_utf8(&files["rss.xml"]).unwrap()).unwrap();
    let item = rss.descendants().find(|n| {
        n.has_tag_name("item") && n.children().any(|c| c.has_tag_name("title") && c.text() == Some(evil.as_str()))
    });
    assert!(item.is_some(), "the hostile title reads back from the feed as the same text");
    let atom = roxmltree::Document::parse(std::str::from_utf8(&files["atom.xml"]).unwrap()).unwrap();
    assert!(atom.descendants().any(|n| n.has_tag_name("summary") && n.text() == Some(evil.as_str())));
}

fn evil_published() -> String {
    sitegen::markdown::typography::smarten(EVIL, "en")
}
