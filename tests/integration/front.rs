//! The front page an editor controls: the newest featured story leads,
//! the next featured ones are the top stories, and without any the newest
//! story with a photo leads; the lead row never leaves a hole.

use crate::common::TestSite;

fn build(site: &TestSite, now: &str) -> String {
    let out = site.run(&["build", "--now", now]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The titles of `class`'s cards in `html`, in order.
fn titles_in<'a>(html: &'a str, class: &str) -> Vec<&'a str> {
    html.split(class)
        .skip(1)
        .filter_map(|card| card.split("class=\"card__title\"><a href=\"").nth(1))
        .filter_map(|rest| rest.split("\">").nth(1)?.split("</a>").next())
        .collect()
}

#[test]
fn the_newest_featured_story_leads_and_the_next_ones_are_the_top_stories() {
    let site = TestSite::fixture("front");
    let stdout = build(&site, "2026-12-02T12:00:00Z");
    let home = site.page("index.html");
    let main = crate::common::main_of(&home);
    assert_eq!(titles_in(main, "<article class=\"card card--lead"), ["Featured lead"]);
    let top = main.split("<section class=\"top-stories\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(top.contains("<h2 class=\"top-stories__title\" id=\"top-stories\">Top stories</h2>"));
    assert_eq!(titles_in(top, "<article class=\"card"), ["First top story", "Second top story"]);
    // The rest, newest first, without those three; featured until
    // yesterday is an ordinary story now.
    let rest = main.split("</section>").nth(1).unwrap();
    assert_eq!(
        titles_in(rest, "<article class=\"card"),
        ["Newest story, no photo", "Featured until yesterday", "A plain story"]
    );
    // Its featured_until is the next change.
    assert!(
        stdout.contains("Next scheduled change: 2026-12-03T00:00:00+00:00 (content/news/lead.md stops being featured)"),
        "{stdout}"
    );
    // A section page is simply newest first.
    let news = crate::common::main_of(&site.page("news/index.html")).to_string();
    assert_eq!(titles_in(&news, "<article class=\"card")[0], "Newest story, no photo");
}

#[test]
fn without_a_featured_story_the_newest_with_a_photo_leads() {
    let site = TestSite::fixture("front");
    build(&site, "2026-12-02T12:00:00Z");
    let ru = site.page("ru/index.html");
    let main = crate::common::main_of(&ru);
    assert_eq!(titles_in(main, "<article class=\"card card--lead"), ["С\u{a0}фото"]);
    assert!(!main.contains("top-stories"));
    assert_eq!(titles_in(main, "<article class=\"card card--text\""), ["Свежая без фото"]);
    // After featured_until, and with no featured story left, the English
    // lead is the newest story with a photo.
    for f in ["top-one", "top-two", "was-featured"] {
        let p = site.root.join(format!("content/news/{f}.md"));
        let text = std::fs::read_to_string(&p).unwrap().replace("featured: true\n", "");
        std::fs::write(p, text).unwrap();
    }
    build(&site, "2026-12-04T00:00:00Z");
    let main = crate::common::main_of(&site.page("index.html")).to_string();
    assert_eq!(titles_in(&main, "<article class=\"card card--lead"), ["Featured lead"], "the newest with a photo");
    site.write(
        "content/news/lead.md",
        "---\ntitle: \"Featured lead\"\ndate: 2026-12-01T09:00:00Z\n---\nNo photo now.\n",
    );
    site.write("content/news/top-two.md", "---\ntitle: \"Second top story\"\ndate: 2026-11-29T09:00:00Z\n---\nNone.\n");
    build(&site, "2026-12-04T00:00:00Z");
    // No story has a photo: the newest leads, across the whole row.
    let main = crate::common::main_of(&site.page("index.html")).to_string();
    assert!(main.contains("<article class=\"card card--lead card--text\">"), "{main}");
    assert_eq!(titles_in(&main, "<article class=\"card card--lead"), ["Newest story, no photo"]);
}
