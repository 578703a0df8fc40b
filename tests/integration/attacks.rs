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
        assert!(err.starts_with("error: front matter: "), "{err}");
        assert!(err.contains(&format!("--> content/news/bad.md:{line}:")), "{err}");
        assert!(err.contains("from 1000 to 9999") && !err.contains("panicked"), "{err}");
    }
    let site = TestSite::fixture("basic");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}related: 18446744073709551615\n"));
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(1));
    assert!(err.starts_with("error: config: `related` must be at most 50\n  --> site.yaml:20:"), "{err}");
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
    assert!(err.contains("--> content/news/bad.md:4:") && err.contains("expected text (put it in quotes)"), "{err}");
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
    assert!(
        err.starts_with(
            "error: config: `javascript:alert(document.cookie)` must be an https:// or http:// address\n --> site.yaml:8:"
        ),
        "{err}"
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
        err.starts_with("error: front matter: alias `old\\n/*  /news/al/  301!\\nx` must be")
            && err.contains("--> content/news/al.md:4:"),
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

#[test]
fn a_file_changed_in_the_output_is_written_again_not_kept() {
    // See: #19 (5): `echo '<script>' >> public/mirrors/index.html; sitegen
    // build` reported 0 changed, kept the bad file and its clean hash.
    let site = TestSite::fixture("basic");
    site.built();
    let clean = site.page("mirrors/index.html");
    let page = site.out().join("mirrors/index.html");
    let mtime = std::fs::metadata(&page).unwrap().modified().unwrap();
    // Same length and time put back: only the inode's change time tells.
    let tampered = clean.replacen("<title>", "<TITLE>", 1);
    std::fs::write(&page, &tampered).unwrap();
    std::fs::File::options().write(true).open(&page).unwrap().set_modified(mtime).unwrap();
    let report = site.built();
    assert_eq!(site.page("mirrors/index.html"), clean, "the page is written again");
    let told = report.warnings.iter().map(|w| w.to_string()).find(|w| w.contains("mirrors/index.html"));
    assert!(
        told.is_some_and(|w| w.contains("was changed since the last build, not by sitegen")),
        "{:?}",
        report.warnings
    );
    let target = sitegen::publish::verify::Target::open(site.out().to_str().unwrap()).unwrap();
    assert!(sitegen::publish::verify::verify(&target, None).unwrap().ok());
    // And a kept static file the same way.
    site.write("static/notes.txt", "mine");
    site.built();
    std::fs::write(site.out().join("notes.txt"), "evil").unwrap();
    site.built();
    assert_eq!(site.page("notes.txt"), "mine");
}

#[test]
fn command_line_paths_cannot_hit_the_sources_or_leave_their_folder() {
    // See: #19 (19).
    let site = TestSite::fixture("basic");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    let (code, _, err) = run(&site, &["build", "--car", "site.yaml"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("--car site.yaml: the CAR file may not go into"), "{err}");
    assert_eq!(std::fs::read_to_string(site.root.join("site.yaml")).unwrap(), yaml, "site.yaml untouched");
    site.write("notes.txt", "mine");
    let (code, _, err) = run(&site, &["build", "--car", "notes.txt"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("it exists and is not a CAR file"), "{err}");
    let (code, _, err) = run(&site, &["build", "--jobs", "20000"]);
    assert_eq!(
        (code, err.trim()),
        (Some(1), "error: command line: --jobs 20000: give a number of threads from 1 to 256")
    );
    site.built();
    let (code, _, err) = run(&site, &["archive", "--to", "dist", "--name", "../../x"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("--name `../../x` must be a plain name"), "{err}");
    assert!(!site.root.parent().unwrap().join("x.zip").exists() && !site.root.join("x.zip").exists());
    // A link from static/ to the output would copy the site into itself.
    std::os::unix::fs::symlink(site.out(), site.root.join("static/mirror")).unwrap();
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("static/mirror: a symbolic link to"), "{err}");
}

#[test]
fn the_preview_writes_long_names_and_never_through_a_planted_link() {
    // See: #19 (3), (19): the preview could not write a 249-byte name that
    // build publishes, and wrote through a link planted at its temporary name.
    let site = TestSite::fixture("basic");
    let long = format!("static/{}.txt", "n".repeat(245));
    site.write(&long, "long");
    let preview = site.root.parent().unwrap().join("preview");
    let opts = sitegen::BuildOptions { output: Some(preview.clone()), ..site.options() };
    let mut watch = sitegen::watch::rebuilds::Rebuilds::new(opts);
    watch.rebuild(None).unwrap();
    assert_eq!(std::fs::read_to_string(preview.join(&long[7..])).unwrap(), "long");
    // Whatever is planted where the next file goes, the file is written
    // beside it and renamed over it, never through it.
    let victim = site.root.parent().unwrap().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    std::fs::remove_file(preview.join("rss.xml")).unwrap();
    std::os::unix::fs::symlink(&victim, preview.join("rss.xml")).unwrap();
    site.write("content/news/delta.md", "---\ntitle: \"Delta again\"\ndate: 2025-01-05\n---\nx\n");
    watch.rebuild(None).unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(!std::fs::symlink_metadata(preview.join("rss.xml")).unwrap().file_type().is_symlink());
}

/// A signed build of the basic fixture; the public key.
fn signed(site: &TestSite) -> String {
    site.built();
    assert_eq!(run(site, &["keygen", "--out", "newsroom.key"]).0, Some(0));
    assert_eq!(run(site, &["sign", "--key", "newsroom.key"]).0, Some(0));
    std::fs::read_to_string(site.root.join("newsroom.pub")).unwrap().trim().to_string()
}

#[test]
fn an_older_signed_copy_can_be_told_from_a_newer_one() {
    // See: #19 (8): the signed manifest had no version, build time or
    // expiry, so a hostile mirror could serve an old site for ever.
    let site = TestSite::fixture("basic");
    let key = signed(&site);
    let old = site.root.parent().unwrap().join("old-copy");
    crate::common::copy_dir(&site.out(), &old);
    let (code, out, _) = run(&site, &["verify", "public", "--pubkey", &key]);
    assert_eq!(code, Some(0), "{out}");
    let seq: u64 = out.split("sequence ").nth(1).unwrap().split(',').next().unwrap().parse().unwrap();
    // The next signature of the site has a greater sequence, even signed
    // within the same second.
    site.write("content/news/delta.md", "---\ntitle: \"Delta, corrected\"\ndate: 2025-01-05\n---\nx\n");
    site.built();
    assert_eq!(run(&site, &["sign", "--key", "newsroom.key"]).0, Some(0));
    let (_, out, _) = run(&site, &["verify", "public", "--pubkey", &key]);
    let newer: u64 = out.split("sequence ").nth(1).unwrap().split(',').next().unwrap().parse().unwrap();
    assert!(newer > seq, "{newer} after {seq}");
    // A reader who has seen the newer copy refuses the old one.
    let old = old.to_str().unwrap();
    let (code, _, err) = run(&site, &["verify", old, "--pubkey", &key, "--newer-than", &seq.to_string()]);
    assert_eq!(code, Some(1));
    assert!(err.contains("is an old copy: sequence") && err.contains("is not newer than"), "{err}");
    assert_eq!(run(&site, &["verify", old, "--pubkey", &key, "--newer-than", &(seq - 1).to_string()]).0, Some(0));
    let (code, _, err) = run(&site, &["verify", old, "--pubkey", &key, "--newer-than", "2099-01-01"]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(run(&site, &["verify", old, "--pubkey", &key, "--max-age", "1"]).0, Some(0));
    // Signed times are whole seconds: a second later it is older than 0 days.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (code, _, err) = run(&site, &["verify", old, "--pubkey", &key, "--max-age", "0"]);
    assert!(code == Some(1) && err.contains("more than --max-age 0"), "{err}");
}

/// `python3` writing a zip from (name, bytes) pairs: the entries a hostile
/// archive holds.
fn write_zip(path: &std::path::Path, entries: &[(&str, Vec<u8>)]) {
    let owned: Vec<(String, Vec<u8>)> = entries.iter().map(|(n, b)| (n.to_string(), b.clone())).collect();
    write_zip_from(path, &owned, &[]);
}

/// As `write_zip`, with the entries in `files` read from those files (in
/// the Python process, not this one).
fn write_zip_from(path: &std::path::Path, entries: &[(String, Vec<u8>)], files: &[(&str, &std::path::Path)]) {
    let script = "import sys, zipfile, json\nz = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)\n\
                  for name, path in json.loads(sys.argv[2]):\n    z.writestr(name, open(path, 'rb').read())\nz.close()\n";
    let dir = tempfile::tempdir().unwrap();
    let mut list: Vec<(String, String)> = Vec::new();
    for (i, (name, bytes)) in entries.iter().enumerate() {
        match files.iter().find(|(n, _)| n == name) {
            Some((_, file)) => list.push((name.clone(), file.to_string_lossy().into_owned())),
            None => {
                let p = dir.path().join(i.to_string());
                std::fs::write(&p, bytes).unwrap();
                list.push((name.clone(), p.to_string_lossy().into_owned()));
            }
        }
    }
    let out = std::process::Command::new("python3")
        .args(["-W", "ignore", "-c", script])
        .arg(path)
        .arg(serde_json::to_string(&list).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_zip_or_folder_may_hold_nothing_but_the_files_listed_once() {
    // See: #19 (9), (10).
    let site = TestSite::fixture("basic");
    let key = signed(&site);
    let files = tree(&site.out());
    let mut entries: Vec<(String, Vec<u8>)> = files.iter().map(|(k, v)| (format!("site/{k}"), v.clone())).collect();
    for extra in ["README-FIRST.html", "../../.bashrc", "/etc/cron.d/x", "site\\index.html"] {
        entries.push((extra.to_string(), b"evil".to_vec()));
    }
    // A second index.html: an unzipper may extract either.
    entries.push(("site/index.html".to_string(), b"<p>evil</p>".to_vec()));
    let zip = site.root.join("hostile.zip");
    write_zip(&zip, &entries.iter().map(|(n, b)| (n.as_str(), b.clone())).collect::<Vec<_>>());
    let (code, out, _) = run(&site, &["verify", "hostile.zip", "--pubkey", &key]);
    assert_eq!(code, Some(1), "{out}");
    for line in [
        "refused: README-FIRST.html (outside the site's folder)",
        "refused: ../../.bashrc (outside the site's folder)",
        "refused: /etc/cron.d/x (outside the site's folder)",
        "refused: site\\\\index.html (a backslash in its name)",
        "refused: index.html (twice in the archive)",
    ] {
        assert!(out.contains(line), "{line} in {out}");
    }
    // A folder with a symbolic link added is not a true copy either.
    std::os::unix::fs::symlink("/etc/passwd", site.out().join("breaking.html")).unwrap();
    let (code, out, _) = run(&site, &["verify", "public", "--pubkey", &key]);
    assert_eq!(code, Some(1));
    assert!(out.contains("refused: breaking.html (a symbolic link)"), "{out}");
}

/// Runs `sitegen` and gives its exit code and peak memory (KiB), as
/// measured by a small Python process that starts it (a child of this
/// test process would count the test's own memory, copied at the fork).
fn run_measured(site: &TestSite, args: &[&str]) -> (i32, i64) {
    let script = "import resource, subprocess, sys\n\
                  code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n\
                  print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n";
    let out = std::process::Command::new("python3")
        .args(["-c", script, env!("CARGO_BIN_EXE_sitegen")])
        .args(args)
        .current_dir(&site.root)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let mut words = text.split_whitespace().map(|w| w.parse::<i64>().unwrap());
    (words.next().unwrap() as i32, words.next().unwrap())
}

#[test]
fn verify_reads_no_more_of_a_file_than_its_manifest_promises() {
    // See: #19 (11): a 1 MB zip made verify use 2.6 GB before the
    // signature was checked.
    let site = TestSite::fixture("basic");
    let key = signed(&site);
    // robots.txt, listed as under 100 bytes, unpacks to 300 MB of zeros.
    let bomb = site.root.join("zeros");
    std::fs::File::create(&bomb).unwrap().set_len(300 << 20).unwrap();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for (k, v) in tree(&site.out()) {
        entries.push((format!("site/{k}"), if k == "robots.txt" { Vec::new() } else { v }));
    }
    let zip = site.root.join("bomb.zip");
    write_zip_from(&zip, &entries, &[("site/robots.txt", &bomb)]);
    assert!(std::fs::metadata(&zip).unwrap().len() < 2 << 20, "a small zip");
    let (code, peak_kib) = run_measured(&site, &["verify", "bomb.zip", "--pubkey", &key]);
    assert_eq!(code, 1);
    assert!(peak_kib < 100 << 10, "verify used {} MiB", peak_kib >> 10);
}

#[test]
fn the_archives_tar_gz_verifies_and_a_changed_byte_is_caught() {
    // See: #16: verify rejected the .tar.gz that archive writes.
    let site = TestSite::fixture("basic");
    let key = signed(&site);
    assert_eq!(run(&site, &["archive", "--to", "dist"]).0, Some(0));
    let (code, out, err) = run(&site, &["verify", "dist/site.tar.gz", "--pubkey", &key]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("0 missing, 0 changed, 0 extra"), "{out}");
    // The same archive with one byte of one page changed.
    let dir = site.root.join("unpacked");
    std::fs::create_dir_all(&dir).unwrap();
    let tar = |args: &[&str]| assert!(std::process::Command::new("tar").args(args).status().unwrap().success());
    tar(&["-xzf", site.root.join("dist/site.tar.gz").to_str().unwrap(), "-C", dir.to_str().unwrap()]);
    let page = dir.join("site/world/beta/index.html");
    let mut bytes = std::fs::read(&page).unwrap();
    bytes[100] ^= 1;
    std::fs::write(&page, bytes).unwrap();
    tar(&["-czf", site.root.join("changed.tar.gz").to_str().unwrap(), "-C", dir.to_str().unwrap(), "site"]);
    let (code, out, _) = run(&site, &["verify", "changed.tar.gz", "--pubkey", &key]);
    assert_eq!(code, Some(1));
    assert!(out.contains("changed: world/beta/index.html"), "{out}");
}

#[test]
fn html_and_svg_files_beside_articles_or_in_static_are_checked_and_cleaned() {
    // See: #19 (15). Before, these were published as they were: the page
    // check read only rendered pages, and sanitize only article bodies.
    let site = TestSite::fixture("basic");
    site.write(
        "static/legacy/old.html",
        "<!doctype html><html><head><script src=\"https://tracker.example/t.js\"></script></head><body>x</body></html>",
    );
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err.trim(),
        "error: static/legacy/old.html: `<script src=\"https://tracker.example/t.js\">`: loads a resource from another \
         host: nothing may load from a third party"
    );
    // With sanitize the site's own files are cleaned, not refused; an SVG
    // that is not XML cannot be cleaned and is named.
    site.configure("markdown: {sanitize: true}\n");
    site.write(
        "content/news/alpha/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script><rect width=\"1\" height=\"1\"/></svg>",
    );
    site.write("content/news/alpha/embed.html", "<p>Poll<script>steal()</script><img src=x onerror=steal()></p>");
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(0), "{err}");
    let out = tree(&site.out());
    let placed: Vec<&String> = out.keys().filter(|p| p.ends_with("chart.svg") || p.ends_with("embed.html")).collect();
    assert!(placed.len() >= 2, "{placed:?}");
    for p in placed.into_iter().chain([&"legacy/old.html".to_string()]) {
        let text = String::from_utf8_lossy(&out[p]);
        assert!(!text.contains("<script") && !text.contains("onload") && !text.contains("onerror"), "{p}: {text}");
    }
    let chart = out.iter().find(|(p, _)| p.ends_with("chart.svg")).map(|(_, b)| String::from_utf8_lossy(b)).unwrap();
    assert_eq!(chart, "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"></rect></svg>\n");
    assert!(String::from_utf8_lossy(&out["legacy/old.html"]).contains("<body>\nx\n</body>"));
    site.write("content/news/alpha/broken.svg", "<svg><g></svg>");
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("content/news/alpha/broken.svg: is not an SVG file:"), "{err}");
}

#[test]
fn sanitizing_deep_nesting_keeps_the_text_and_caps_the_depth() {
    // See: #19 (17). Each of these articles took 26 to 150 s with
    // sanitize on (bench: hot_paths sanitize_deep, now 15-40 ms).
    let site = TestSite::fixture("basic");
    site.configure("markdown: {sanitize: true}\n");
    let n = 100_000;
    site.write("content/news/lists.md", &format!("{HEAD}---\n{}lists-end\n", "- ".repeat(n)));
    site.write("content/news/quotes.md", &format!("{HEAD}---\n{}quotes-end\n", "> ".repeat(n)));
    site.write("content/news/divs.md", &format!("{HEAD}---\n{}divs-end{}\n", "<div>".repeat(n), "</div>".repeat(n)));
    let (code, _, err) = run(&site, &["build"]);
    assert_eq!(code, Some(0), "{err}");
    let out = tree(&site.out());
    for name in ["lists", "quotes", "divs"] {
        let (_, page) = out.iter().find(|(p, _)| p.ends_with(&format!("/{name}/index.html"))).expect(name);
        let page = String::from_utf8_lossy(page);
        assert!(page.contains(&format!("{name}-end")), "{name}: the text is kept");
        let opened = ["<ul>", "<li>", "<blockquote>", "<div>"].iter().map(|t| page.matches(t).count()).sum::<usize>();
        assert!(opened < 600, "{name}: {opened} elements");
    }
}
