//! Corrections: shown on the story, dated; in its JSON-LD; on a page per
//! language; and they update the story's time, so feed readers show it
//! again.

use crate::common::TestSite;

#[test]
fn a_corrected_story_shows_every_correction_dated_and_says_so_in_json_ld() {
    let site = TestSite::fixture("corrections");
    site.built();
    let page = site.page("news/hearing/index.html");
    assert!(page.contains("<p><strong>Correction, <time datetime=\"2026-12-02T10:00:00+03:00\">"), "{page}");
    assert!(page.contains("An earlier version misstated the date of the hearing.</p>"));
    assert!(page.contains("<time datetime=\"2026-12-03T08:30:00+03:00\">December 3, 2026, 08:30 UTC+3</time>:</strong> An earlier version misspelled the judge"), "{page}");
    let json = page.split("<script type=\"application/ld+json\">").nth(1).unwrap().split("</script>").next().unwrap();
    let ld: serde_json::Value = serde_json::from_str(json).unwrap();
    let c = ld["correction"].as_array().unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0]["@type"], "CorrectionComment");
    assert_eq!(c[0]["datePublished"], "2026-12-02T10:00:00+03:00");
    // The newest correction is the story's update.
    assert_eq!(ld["dateModified"], "2026-12-03T08:30:00+03:00");
    let atom = site.page("atom.xml");
    let entry = &atom[atom.find("<title>Court sets a date").unwrap()..];
    assert!(entry.contains("<updated>2026-12-03T08:30:00+03:00</updated>"), "{entry}");
    assert!(!site.page("news/quiet/index.html").contains("class=\"corrections\""));
}

#[test]
fn each_language_has_a_page_of_its_corrections_linked_from_every_page() {
    let site = TestSite::fixture("corrections");
    site.built();
    let en = site.page("corrections/index.html");
    let main = crate::common::main_of(&en);
    assert!(
        main.contains("<h2><a href=\"../news/hearing/index.html\">Court sets a date for the hearing</a></h2>"),
        "{main}"
    );
    // Newest correction first within the story.
    assert!(main.find("misspelled").unwrap() < main.find("misstated").unwrap());
    assert!(!main.contains("nothing to correct") && !main.contains("Суд"));
    let ru = crate::common::main_of(&site.page("ru/corrections/index.html")).to_string();
    assert!(ru.contains("Суд назначил дату слушания") && ru.contains("неверно указана дата"), "{ru}");
    assert!(site.page("index.html").contains("<a href=\"./corrections/index.html\">Corrections</a>"));
    assert!(site.page("ru/index.html").contains(">Исправления</a>"));
}

#[test]
fn a_correction_before_the_story_or_out_of_order_is_refused() {
    let site = TestSite::fixture("corrections");
    site.write(
        "content/news/bad.md",
        "---\ntitle: Bad\ndate: 2026-12-01\ncorrections:\n  - {date: 2026-11-01, text: \"Too early.\"}\n---\nx\n",
    );
    site.write(
        "content/news/worse.md",
        "---\ntitle: Worse\ndate: 2026-12-01\ncorrections:\n  - {date: 2026-12-03, text: \"b\"}\n  - {date: 2026-12-02, text: \"a\"}\n---\nx\n",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(e.contains("correction 1 (`2026-11-01`) is dated before the story (`2026-12-01`)"), "{e}");
    assert!(
        e.contains("correction 2 (`2026-12-02`) is older than the one before it; list corrections oldest first"),
        "{e}"
    );
    insta::assert_snapshot!("bad_corrections", e);
}
