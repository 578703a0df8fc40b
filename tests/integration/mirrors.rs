//! Mirrors: the list readers see, the onion address for Tor Browser, the
//! extension's mirrors.json, and builds for a named mirror.

use crate::common::TestSite;

const ONION: &str = "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion";

#[test]
fn every_page_names_the_stable_mirrors_and_the_mirrors_page() {
    let site = TestSite::fixture("mirrors");
    site.built();
    let html = site.page("news/envoy-talks/index.html");
    let block = format!("If this site is blocked, try: <a href=\"{ONION}\" rel=\"nofollow\">");
    assert!(html.contains(&block), "{html}");
    assert!(html.contains("<a href=\"../../mirrors/index.html\">All ways to reach us</a>"));
    // The rotating mirrors (from mirrors.yaml) are on the mirrors page only.
    assert!(!html.contains("mirror-one.example"));
    assert!(site
        .page("mirrors/index.html")
        .contains("<a href=\"https://mirror-one.example\" rel=\"nofollow\">Mirror one</a>"));
    let ru = site.page("ru/mirrors/index.html");
    assert!(ru.contains(">Зеркало один</a>"), "labels per language");
}

#[test]
fn mirrors_page_groups_by_kind() {
    let site = TestSite::fixture("mirrors");
    site.built();
    let html = site.page("mirrors/index.html");
    let (web, tor, archive) = (
        html.find("Web mirrors").unwrap(),
        html.find("<h2>Tor</h2>").unwrap(),
        html.find("Download the whole site").unwrap(),
    );
    assert!(web < tor && tor < archive);
    assert!(!html.contains("<h2>IPFS</h2>"), "no IPFS mirror configured");
    assert!(html.contains("<a href=\"../SHA256SUMS\">SHA256SUMS</a>"));
}

#[test]
fn tor_browser_learns_the_onion_address_of_each_page() {
    let site = TestSite::fixture("mirrors");
    site.built();
    let html = site.page("news/envoy-talks/index.html");
    assert!(html.contains(&format!("<meta http-equiv=\"onion-location\" content=\"{ONION}/news/envoy-talks/\">")));
    let headers = site.page("_headers");
    assert!(headers.starts_with(&format!("/*\n  Onion-Location: {ONION}/:splat\n")));
    assert!(headers.contains("  Cache-Control: public, max-age=31536000, immutable\n"));
}

#[test]
fn onion_meta_can_be_turned_off() {
    let site = TestSite::fixture("mirrors");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}onion_location_meta: false\n"));
    site.built();
    assert!(!site.page("index.html").contains("onion-location"));
}

#[test]
fn mirrors_json_is_what_the_extension_reads() {
    let site = TestSite::fixture("mirrors");
    site.built();
    let v: serde_json::Value = serde_json::from_str(&site.page("mirrors.json")).unwrap();
    let s = &v["sites"][0];
    assert_eq!(s["main_domain"], "test.example");
    assert_eq!(s["available_mirrors"], serde_json::json!(["https://mirror-one.example"]));
    assert_eq!(s["available_onions"], serde_json::json!([ONION]));
    assert_eq!(s["available_alternatives"][1]["url"], "https://mirror-one.example");
    assert_eq!(s["available_alternatives"][1]["created_at"], "2024-01-01");
}

#[test]
fn a_named_mirror_build_points_at_the_mirror_and_lists_the_primary() {
    let site = TestSite::fixture("mirrors");
    let out = site.run(&["build", "--mirror", "one"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = site.page("index.html");
    assert!(html.contains("<link rel=\"canonical\" href=\"https://mirror-one.example/\">"));
    assert!(
        html.contains("try: <a href=\"https://test.example\" rel=\"nofollow\">test.example</a>"),
        "the primary lasts"
    );
    assert!(!html.contains("href=\"https://mirror-one.example\" rel=\"nofollow\""), "a copy does not offer itself");
    let onion = site.run(&["build", "--mirror", "onion"]);
    assert!(onion.status.success());
    assert!(!site.page("index.html").contains("onion-location"), "the onion copy does not redirect to itself");
}

#[test]
fn unknown_mirror_name_is_an_error() {
    let site = TestSite::fixture("mirrors");
    let out = site.run(&["build", "--mirror", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        e.trim(),
        "error: command line: --mirror nope: no mirror of that name in site.yaml or mirrors.yaml (named mirrors: onion, one)"
    );
}

#[test]
fn aliases_redirect_relatively_and_in_redirects_file() {
    let site = TestSite::fixture("aliases");
    site.built();
    let html = site.page("2024/old-beta/index.html");
    assert!(html.contains("<meta http-equiv=\"refresh\" content=\"0; url=../../world/beta/index.html\">"), "{html}");
    assert!(html.contains("<a href=\"../../world/beta/index.html\">Beta Story</a>"));
    assert!(html.contains("<link rel=\"canonical\" href=\"https://test.example/world/beta/\">"));
    assert!(site.exists("archive/beta.html/index.html"));
    assert_eq!(site.page("_redirects"), "/2024/old-beta/ /world/beta/ 301\n/archive/beta.html/ /world/beta/ 301\n");
    assert!(!site.page("sitemap.xml").contains("old-beta"));
}

#[test]
fn alias_over_a_page_or_outside_the_site_is_refused() {
    let site = TestSite::fixture("aliases");
    site.write("content/news/a.md", "---\ntitle: A\ndate: 2025-01-01\naliases: [\"world/beta\"]\n---\n");
    let e = site.build().unwrap_err().to_string();
    assert!(e.ends_with("content/news/a.md: alias /world/beta/ is already a page of the site"), "{e}");
    site.write("content/news/a.md", "---\ntitle: A\ndate: 2025-01-01\naliases: [\"../../etc\"]\n---\n");
    let e = site.build().unwrap_err().to_string();
    assert!(e.contains("content/news/a.md:4: front matter: alias `../../etc` must be a path inside the site"), "{e}");
}

/// The fixture with a discreet mirror, `quiet`, in its rotating list.
fn with_a_discreet_mirror() -> TestSite {
    let site = TestSite::fixture("mirrors");
    let list = std::fs::read_to_string(site.root.join("mirrors.yaml")).unwrap();
    site.write(
        "mirrors.yaml",
        &format!("{list}- url: \"https://quiet-copy.example\"\n  name: quiet\n  discreet: true\n"),
    );
    site
}

#[test]
fn a_discreet_mirror_s_copy_names_no_other_address() {
    let site = with_a_discreet_mirror();
    let out = site.run(&["build", "--mirror", "quiet"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tree = crate::common::tree(&site.out());
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
        for other in ["test.example", "mirror-one.example", ".onion", "files.example"] {
            assert!(!text.contains(other), "{path} names {other}");
        }
    }
    for gone in ["mirrors/index.html", "ru/mirrors/index.html", "mirrors.json"] {
        assert!(!tree.contains_key(gone), "{gone}");
    }
    let html = site.page("news/envoy-talks/index.html");
    assert!(html.contains("<link rel=\"canonical\" href=\"https://quiet-copy.example/news/envoy-talks/\">"));
    assert!(!html.contains("mirrors-block") && !html.contains("onion-location"));
    // No other copy names it either: a censor reading any list would find it.
    site.built();
    let tree = crate::common::tree(&site.out());
    assert!(tree.values().all(|b| !String::from_utf8_lossy(b).contains("quiet-copy")));
}

#[test]
fn a_discreet_mirror_s_build_refuses_a_page_that_names_another_address() {
    let site = with_a_discreet_mirror();
    site.write(
        "content/news/linking.md",
        "---\ntitle: Linking\ndate: 2024-05-01\n---\nSee [our site](https://test.example/news/envoy-talks/).\n",
    );
    let out = site.run(&["build", "--mirror", "quiet"]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains("error: public/news/linking/index.html: names `test.example`, another address of the site"),
        "{e}"
    );
    assert!(!site.out().exists(), "nothing written");
}

#[test]
fn a_discreet_mirror_needs_a_name() {
    let site = TestSite::fixture("mirrors");
    site.write("mirrors.yaml", "- url: \"https://a.example\"\n- url: \"https://quiet.example\"\n  discreet: true\n");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.starts_with(
            "error: config: mirror `https://quiet.example`: a discreet mirror needs a `name`, to build it with `--mirror NAME`\n --> mirrors.yaml:2:"
        ),
        "{e}"
    );
}

#[test]
fn a_missing_mirrors_file_is_named() {
    let site = TestSite::fixture("mirrors");
    std::fs::remove_file(site.root.join("mirrors.yaml")).unwrap();
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.starts_with("error: config: `mirrors_file: mirrors.yaml`: no such file\n --> site.yaml:9:"), "{e}");
}

/// The mirrors fixture with `n` more stories, across sections and tags.
fn with_stories(n: usize) -> TestSite {
    let site = TestSite::fixture("mirrors");
    for i in 0..n {
        let section = ["news", "world", "opinion"][i % 3];
        let text = format!(
            "---\ntitle: \"Story {i}\"\ndate: 2024-{:02}-{:02}T{:02}:00:00Z\ntags: [t{}, t{}]\n---\nBody of story {i}.\n",
            1 + i % 12,
            1 + i % 28,
            i % 24,
            i % 7,
            i % 11
        );
        site.write(&format!("content/{section}/story-{i}.md"), &text);
    }
    site
}

fn signed_list_sequence(site: &TestSite) -> u64 {
    let text = site.page("mirrors.signed.json");
    let list = sitegen::publish::mirror_list::read(&text).unwrap();
    list.list.sequence
}

#[test]
fn mirrors_update_changes_only_the_files_that_carry_the_list() {
    let site = with_stories(1000);
    let keygen = site.run(&["keygen", "--out", "newsroom.key"]);
    assert!(keygen.status.success());
    let key = std::fs::read_to_string(site.root.join("newsroom.pub")).unwrap().trim().to_string();
    let out = site.run(&["build", "--sign", "newsroom.key"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let before = crate::common::tree(&site.out());
    let sequence = signed_list_sequence(&site);
    // Rotation: the web mirror is replaced by a new one.
    site.write("mirrors.yaml", "- url: \"https://mirror-two.example\"\n  since: 2026-12-02\n");
    let out = site.run(&["mirrors", "update", "--key", "newsroom.key"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("Issued the mirror list: 4 addresses"), "{stdout}");
    let after = crate::common::tree(&site.out());
    let changed: Vec<&str> = after
        .keys()
        .chain(before.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .map(String::as_str)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        changed,
        [
            "SHA256SUMS",
            "manifest.json",
            "manifest.json.sig",
            "mirrors.json",
            "mirrors.signed.json",
            "mirrors/index.html",
            "ru/mirrors/index.html"
        ]
    );
    assert!(signed_list_sequence(&site) > sequence);
    assert!(site.page("mirrors/index.html").contains("mirror-two.example"));
    let list = sitegen::publish::mirror_list::check(
        &sitegen::publish::signing::parse_public(&key).unwrap(),
        &site.page("mirrors.signed.json"),
    );
    assert!(list.is_ok_and(|l| l.list.mirrors.iter().any(|m| m.url == "https://mirror-two.example")));
    let verify = site.run(&["verify", "public", "--pubkey", &key]);
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stdout));
}

#[test]
fn mirrors_update_refuses_when_more_than_the_list_would_change() {
    let site = with_stories(3);
    assert!(site.run(&["keygen", "--out", "newsroom.key"]).status.success());
    assert!(site.run(&["build", "--sign", "newsroom.key"]).status.success());
    let before = crate::common::tree(&site.out());
    site.write("content/news/story-0.md", "---\ntitle: \"Story 0, edited\"\ndate: 2024-01-01\n---\nNew text.\n");
    let out = site.run(&["mirrors", "update", "--key", "newsroom.key"]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("error: output: the mirror list cannot be updated alone:"), "{e}");
    assert!(e.contains("other files of public would change too (atom.xml, feed.json, index.html,"), "{e}");
    assert_eq!(crate::common::tree(&site.out()), before, "nothing changed");
}

#[test]
fn a_build_without_a_key_keeps_the_list_while_it_holds_and_says_when_it_drops_it() {
    let site = with_stories(0);
    assert!(site.run(&["keygen", "--out", "newsroom.key"]).status.success());
    assert!(site.run(&["build", "--sign", "newsroom.key"]).status.success());
    let list = site.page("mirrors.signed.json");
    // An unsigned rebuild of the same addresses keeps the list as it was.
    let out = site.run(&["build", "--no-cache"]);
    assert!(out.status.success());
    assert_eq!(site.page("mirrors.signed.json"), list);
    // Other addresses and no key: no list, and a warning.
    site.write("mirrors.yaml", "- url: \"https://mirror-three.example\"\n");
    let out = site.run(&["build"]);
    assert!(out.status.success());
    assert!(!site.exists("mirrors.signed.json"));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains("public/mirrors.signed.json: warning: the site's addresses changed and this build has no key"),
        "{e}"
    );
}

#[test]
fn mirrors_check_tells_a_true_copy_from_a_stale_and_a_tampered_one() {
    use crate::gateway::PrefixServer;
    let site = TestSite::fixture("mirrors");
    let dirs = tempfile::tempdir().unwrap();
    let (good, stale, bad) = (dirs.path().join("good"), dirs.path().join("stale"), dirs.path().join("bad"));
    let servers = [&good, &stale, &bad].map(|d| PrefixServer::start(d));
    let list: String = servers.iter().map(|s| format!("- url: \"{}\"\n", s.url(""))).collect();
    site.write("mirrors.yaml", &list);
    assert!(site.run(&["keygen", "--out", "newsroom.key"]).status.success());
    let key = std::fs::read_to_string(site.root.join("newsroom.pub")).unwrap().trim().to_string();
    // The primary is a closed local port: unreachable at once.
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &(yaml.replace("https://test.example", "http://127.0.0.1:9") + &format!("public_key: \"{key}\"\n")),
    );
    assert!(site.run(&["build", "--sign", "newsroom.key"]).status.success());
    crate::common::copy_dir(&site.out(), &stale);
    site.write("content/news/later.md", "---\ntitle: Later\ndate: 2025-05-01\n---\nText.\n");
    assert!(site.run(&["build", "--sign", "newsroom.key"]).status.success());
    crate::common::copy_dir(&site.out(), &good);
    crate::common::copy_dir(&site.out(), &bad);
    std::fs::write(bad.join("index.html"), "<p>Not what the newsroom published.</p>").unwrap();

    let out = site.run(&["mirrors", "check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let line =
        |url: &str| stdout.lines().find(|l| l.contains(url)).unwrap_or_else(|| panic!("{url} in {stdout}")).to_string();
    assert!(line("http://127.0.0.1:9").starts_with("unreachable "), "{stdout}");
    assert!(line(&servers[0].url("")).starts_with("current "), "{stdout}");
    assert!(line(&servers[1].url("")).starts_with("stale "), "{stdout}");
    assert!(line(&servers[2].url("")).starts_with("tampered "), "{stdout}");
    assert!(stdout.contains("does not match: index.html"), "{stdout}");
    assert!(line(".onion").starts_with("not_checked "), "{stdout}");
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("1 of 6 mirrors serve a copy readers must not trust"), "{e}");

    let out = site.run(&["mirrors", "check", "--json", "--all"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let states: Vec<&str> = v["mirrors"].as_array().unwrap().iter().map(|m| m["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["unreachable", "not_checked", "not_checked", "current", "stale", "tampered"]);
    assert!(v["mirrors"][3]["files_checked"].as_u64().unwrap() > 20, "--all fetches every file");

    // A copy that serves its manifest but not its signature is not trusted.
    std::fs::remove_file(stale.join("manifest.json.sig")).unwrap();
    let out = site.run(&["mirrors", "check", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["mirrors"][4]["state"], "bad_signature", "{v}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_discreet_mirror_built_by_its_address_is_as_quiet_and_its_list_stays_out_of_published_folders() {
    let site = with_a_discreet_mirror();
    let out = site.run(&["build", "--base-url", "https://quiet-copy.example"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!site.exists("mirrors.json") && !site.exists("mirrors/index.html"));
    assert!(!site.page("index.html").contains("mirror-one.example"));
    // The list of mirrors (discreet ones too) is never published itself.
    let list = std::fs::read_to_string(site.root.join("mirrors.yaml")).unwrap();
    site.write("static/mirrors.yaml", &list);
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", &yaml.replace("mirrors_file: mirrors.yaml", "mirrors_file: static/mirrors.yaml"));
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is inside a folder the build publishes"));
}
