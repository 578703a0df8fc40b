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
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") {
            // The only scripts are the page's own JSON-LD (and the 404 page's root finder).
            let allowed =
                text.matches("<script type=\"application/ld+json\">").count() + usize::from(path == "404.html");
            assert_eq!(text.matches("<script").count(), allowed, "{path}: an injected <script>");
            assert!(!text.contains("<b>&amp;"), "{path}: injected markup");
            assert!(!text.contains(" onmouseover=x <b>"), "{path}: attribute breakout");
            if text.contains("application/ld+json") {
                let ld = &text[text.find("application/ld+json\">").unwrap()..];
                let ld = &ld[ld.find('>').unwrap() + 1..ld.find("</script>").unwrap()];
                let v: serde_json::Value =
                    serde_json::from_str(ld).unwrap_or_else(|err| panic!("{path}: JSON-LD {err}: {ld}"));
                if path == "news/evil/index.html" {
                    assert_eq!(v["headline"], EVIL, "the title round-trips as data");
                }
            }
            checked += 1;
        } else if path.ends_with(".json") {
            serde_json::from_slice::<serde_json::Value>(bytes).unwrap_or_else(|err| panic!("{path}: {err}"));
        } else if path.ends_with(".xml") {
            assert!(!text.contains("<script>") && !text.contains("<b>"), "{path}: raw markup in XML");
            assert!(!text.contains("]]>") || text.contains("]]&gt;"), "{path}");
        }
    }
    assert!(checked > 20);
    let rss = String::from_utf8_lossy(&files["rss.xml"]);
    assert!(rss.contains(
        "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos; onmouseover=x &lt;b&gt;&amp;amp; ]]&gt;"
    ));
}
