//! What an attacker or a careless operator tried, one test per finding of
//! issue #19, each failing on the code before its fix: leaks, lost work,
//! injection into generated files, and input that crashed the build.

use crate::common::{tree, TestSite};

/// Runs `sitegen` with `args` in the site folder: exit code, stdout, stderr.
fn run(site: &TestSite, args: &[&str]) -> (Option<i32>, String, String) {
    let out = site.run(args);
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

const HEAD: &str = "---\ntitle: \"T\"\ndate: 2025-01-01\n";

#[test]
fn out_of_range_values_are_errors_with_a_line_never_panics() {
    // See: #19 (16).
    for (date, line) in [("\"-0001-01-01\"", 3), ("\"+10000-01-01\"", 3), ("0000-06-01", 3)] {
        let site = TestSite::fixture("basic");
        site.write("content/news/bad.md", &format!("---\ntitle: \"T\"\ndate: {date}\n---\nx\n"));
        let (code, _, err) = run(&site, &["build"]);
        assert_eq!(code, Some(1), "{date}: {err}");
        assert!(err.starts_with(&format!("error: content/news/bad.md:{line}: front matter: ")), "{err}");
        assert!(err.contains("from 1000 to 9999") && !err.contains("panicked"), "{err}");
    }
    let site = TestSite::fixture("basic");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}related: 18446744073709551615\n"));
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!((code, err.trim()), (Some(1), "error: site.yaml:20: config: `related` must be at most 50"));
}

#[test]
fn control_characters_in_front_matter_never_reach_the_page() {
    // See: #19 (14).
    let site = TestSite::fixture("basic");
    site.write(
        "content/news/nul.md",
        "---\ntitle: \"Bre\\0aking\\u001b[31m news\"\ndate: 2025-06-01\ntags: [\"a\\u0007b\"]\n---\nx\n",
    );
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("content/news/nul.md:2: warning: `title` holds control characters (U+0000)"), "{err}");
    assert!(err.contains("content/news/nul.md:4: warning: `tags` holds control characters (U+0007)"), "{err}");
    let text_files =
        tree(&site.out()).into_iter().filter(|(p, _)| [".html", ".xml", ".json"].iter().any(|e| p.ends_with(e)));
    for (path, bytes) in text_files {
        assert!(!bytes.iter().any(|&b| b == 0 || b == 0x1b || b == 0x07), "{path} holds a control character");
    }
    assert!(site.page("news/nul/index.html").contains("Breaking[31m news"));
}

#[test]
fn names_must_be_text_and_dates_in_order() {
    // See: #19 (20).
    let site = TestSite::fixture("basic");
    site.write("content/news/bad.md", &format!("{HEAD}authors: [1, true]\n---\nx\n"));
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with("error: content/news/bad.md:4:") && err.contains("expected text (put it in quotes)"),
        "{err}"
    );
    site.write("content/news/bad.md", &format!("{HEAD}updated: 2024-12-31\n---\nx\n"));
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("content/news/bad.md:4: warning: `updated: 2024-12-31` is before `date: 2025-01-01`"),
        "{err}"
    );
}

#[test]
fn one_name_in_two_unicode_forms_is_one_tag() {
    // See: #19 (20): «Йод» composed and decomposed slugged as `yod` and `iod`.
    let site = TestSite::fixture("basic");
    site.write("content/news/a.md", &format!("{HEAD}tags: [\"Йод\"]\n---\nx\n"));
    site.write("content/news/b.md", &format!("{HEAD}tags: [\"И\u{306}од\"]\n---\nx\n"));
    site.built();
    let html = site.page("tags/yod/index.html");
    assert!(html.contains("news/a/index.html") && html.contains("news/b/index.html"), "one tag page lists both");
    assert!(!site.exists("tags/iod/index.html") && !site.exists("tags/yod-2/index.html"));
}

#[test]
fn config_urls_readers_follow_must_be_web_addresses() {
    // See: #19 (13).
    let site = TestSite::fixture("basic");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &yaml.replace("url: \"https://give.example/\"", "url: \"javascript:alert(document.cookie)\""),
    );
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err.trim(),
        "error: site.yaml:8: config: `javascript:alert(document.cookie)` must be an https:// or http:// address"
    );
}

#[test]
fn front_matter_and_file_names_cannot_add_lines_to_line_based_files() {
    // See: #19 (12). An alias with a newline added a forced rule that
    // redirected the whole site on Netlify or Cloudflare Pages.
    let site = TestSite::fixture("basic");
    site.write("content/news/al.md", &format!("{HEAD}aliases: [\"old\\n/*  /news/al/  301!\\nx\"]\n---\nx\n"));
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with("error: content/news/al.md:4: front matter: alias `old\\n/*  /news/al/  301!\\nx` must be"),
        "{err}"
    );
    site.write("content/news/al.md", &format!("{HEAD}aliases: [\"old path\"]\n---\nx\n"));
    assert_eq!(run(&site, &["build"]).0, Some(1), "an alias with a space writes a broken line");
    std::fs::remove_file(site.root.join("content/news/al.md")).unwrap();
    // An onion address with a line break injected lines into _headers.
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    let onion = "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion";
    site.write("site.yaml", &yaml.replace(onion, &format!("{onion}\\n/*\\n  X-Evil: 1")));
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("the address may not hold spaces or line breaks"), "{err}");
    site.write("site.yaml", &yaml);
    // A published file whose name holds a line break: SHA256SUMS escapes it
    // as GNU sha256sum does, and `sha256sum -c` checks the copy.
    site.write("static/odd\nname.txt", "x");
    site.built();
    let sums = site.page("SHA256SUMS");
    assert!(sums.lines().any(|l| l.starts_with('\\') && l.ends_with("  odd\\nname.txt")), "{sums}");
    let check =
        std::process::Command::new("sha256sum").args(["-c", "--quiet", "SHA256SUMS"]).current_dir(site.out()).output();
    let check = check.expect("sha256sum runs");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
}

#[test]
fn the_signing_key_cannot_be_published() {
    // See: #19 (6), #16: a symbolic link to the key, the key itself in
    // static/, keygen writing into the site.
    let site = TestSite::fixture("basic");
    let (code, _, err) = run(&site, &["keygen", "--out", "static/x.key"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("is inside") && err.contains("which is published"), "{err}");
    assert!(!site.root.join("static/x.key").exists());
    assert_eq!(run(&site, &["keygen", "--out", "sitegen.key"]).0, Some(0));
    std::os::unix::fs::symlink("../sitegen.key", site.root.join("static/x.txt")).unwrap();
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("static/x.txt: a symbolic link to") && err.contains("outside the site's content/"), "{err}");
    std::fs::remove_file(site.root.join("static/x.txt")).unwrap();
    std::fs::copy(site.root.join("sitegen.key"), site.root.join("static/notes.txt")).unwrap();
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(1));
    assert!(err.starts_with("error: static/notes.txt: is a sitegen secret key: it must never be published"), "{err}");
    std::fs::remove_file(site.root.join("static/notes.txt")).unwrap();
    site.write("content/news/alpha/deploy.env", "API_TOKEN=abc\n");
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("content/news/alpha/deploy.env: is an environment file"), "{err}");
    assert!(!site.out().exists(), "nothing was published");
    // By default the key goes outside any site.
    let home = site.root.parent().unwrap().join("home");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sitegen"))
        .arg("keygen")
        .current_dir(&site.root)
        .env("HOME", &home)
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(home.join(".config/sitegen/sitegen.key").is_file() && home.join(".config/sitegen/sitegen.pub").is_file());
}

#[test]
fn a_secret_key_given_as_the_public_key_is_never_printed() {
    // See: #19 (7).
    let site = TestSite::fixture("basic");
    site.built();
    assert_eq!(run(&site, &["keygen", "--out", "newsroom.key"]).0, Some(0));
    let secret = std::fs::read_to_string(site.root.join("newsroom.key")).unwrap();
    let b64 = secret.split_whitespace().nth(1).unwrap().to_string();
    for key in ["newsroom.key", secret.trim()] {
        let (code, out, err) = run(&site, &["verify", "public", "--pubkey", key]);
        assert_eq!(code, Some(1));
        assert!(!out.contains(&b64) && !err.contains(&b64), "the secret key was printed: {err}");
        assert!(err.contains("secret key"), "{err}");
    }
}
