//! A newcomer's first hour: `init`, `new`, `check`, `serve`, and the flags
//! habits from Hugo and Zola bring (`-s/--root` on every command, paths
//! relative to it, `-o`, `-p`, `-D`, `-b`).

use crate::clients;
use crate::common::tree;
use std::path::Path;
use std::process::{Command, Output};

fn sitegen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitegen")).args(args).current_dir(dir).output().unwrap()
}

fn ok(out: &Output) -> String {
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stdout}\n{stderr}");
    stdout.into_owned()
}

#[test]
fn init_then_new_then_build_with_drafts_makes_a_valid_site() {
    let tmp = tempfile::tempdir().unwrap();
    let stdout = ok(&sitegen(tmp.path(), &["init", "paper", "--languages", "en,ru"]));
    assert!(stdout.contains("Made a new site in paper"), "{stdout}");
    let site = tmp.path().join("paper");
    let stdout = ok(&sitegen(&site, &["new", "news/court-hearing"]));
    assert!(stdout.contains("content/news/court-hearing.md (a draft"), "{stdout}");
    let text = std::fs::read_to_string(site.join("content/news/court-hearing.md")).unwrap();
    assert!(text.contains("title: \"Court hearing\"") && text.contains("draft: true") && text.contains("authors: []"));
    ok(&sitegen(&site, &["new", "news/sud", "--lang", "ru", "--bundle"]));
    assert!(site.join("content/news/sud/index.ru.md").is_file());
    // A draft is left out of a build, and in with --drafts (-D).
    ok(&sitegen(&site, &["build"]));
    assert!(!site.join("public/news/court-hearing/index.html").exists());
    // A language with no stories yet (its one story is a draft) says so,
    // and leads to the others.
    let ru = std::fs::read_to_string(site.join("public/ru/index.html")).unwrap();
    assert!(ru.contains("<p>А пока читайте нас:</p>"), "{ru}");
    assert!(ru.contains("<li><a href=\"../index.html\" hreflang=\"en\" lang=\"en\">English</a></li>"), "{ru}");
    ok(&sitegen(&site, &["build", "-D"]));
    assert!(site.join("public/news/court-hearing/index.html").is_file());
    assert!(site.join("public/ru/news/sud/index.html").is_file());
    // The About page in each language, linked from every page's footer.
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("<a href=\"./about/index.html\">About</a>"), "{home}");
    let ru = std::fs::read_to_string(site.join("public/ru/index.html")).unwrap();
    assert!(ru.contains("<a href=\"../ru/about/index.html\">О\u{a0}нас</a>"), "{ru}");
    crate::mirror::assert_links_resolve_at_least(&site.join("public"), 20);
    if let Some(jar) = clients::vnu_jar("start::init_then_new_then_build_with_drafts_makes_a_valid_site") {
        let out = Command::new("java")
            .arg("-jar")
            .arg(jar)
            .args(["--errors-only", "--skip-non-html", "--format", "text"])
            .arg(site.join("public"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_new_never_writes_over() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let out = sitegen(tmp.path(), &["init"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
    assert_eq!(std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(), "mine");
    let site = tmp.path().join("s");
    ok(&sitegen(tmp.path(), &["init", "s"]));
    ok(&sitegen(&site, &["new", "news/x"]));
    let out = sitegen(&site, &["new", "news/x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists; sitegen new never writes over a file"));
    for bad in [&["new", "../x"][..], &["new", "news/X Y"], &["new", "news/x", "--lang", "de"]] {
        assert_eq!(sitegen(&site, bad).status.code(), Some(1), "{bad:?}");
    }
}

#[test]
fn init_sample_copies_the_sample_site_which_builds() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&sitegen(tmp.path(), &["init", "--sample", "m"]));
    let stdout = ok(&sitegen(&tmp.path().join("m"), &["build"]));
    assert!(stdout.contains("Built 13 articles"), "{stdout}");
}

#[test]
fn check_writes_nothing_and_fails_on_a_broken_link() {
    let site = crate::common::TestSite::sample();
    let stdout = ok(&site.run(&["check"]));
    assert!(stdout.starts_with("Checked "), "{stdout}");
    assert!(!site.out().exists(), "check made public/");
    site.write("content/news/broken.md", "---\ntitle: Broken\ndate: 2025-01-01\n---\nSee [this](missing-story.md).\n");
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing-story.md"));
    assert!(!site.out().exists());
    let leftovers: Vec<_> = std::fs::read_dir(site.root.parent().unwrap()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "only the site folder: {leftovers:?}");
}

#[test]
fn every_command_takes_the_site_folder_and_paths_relative_to_it() {
    let site = crate::common::TestSite::fixture("signing");
    let parent = site.root.parent().unwrap();
    let s = site.root.file_name().unwrap().to_str().unwrap();
    ok(&sitegen(parent, &["keygen", "-s", s, "--out", "k.key"]));
    assert!(site.root.join("k.key").is_file(), "--out is relative to the site folder");
    ok(&sitegen(parent, &["build", "-s", s, "-o", "out", "-b", "https://other.example"]));
    assert!(site.root.join("out/index.html").is_file());
    assert!(std::fs::read_to_string(site.root.join("out/index.html")).unwrap().contains("https://other.example/"));
    ok(&sitegen(parent, &["build", "--root", s]));
    ok(&sitegen(parent, &["sign", "-s", s, "--key", "k.key"]));
    ok(&sitegen(parent, &["verify", "-s", s, "public", "--pubkey", "k.pub"]));
    ok(&sitegen(parent, &["archive", "-s", s, "--to", "dist"]));
    assert!(site.root.join("dist/site.zip").is_file());
    ok(&sitegen(parent, &["check", "-s", s]));
    ok(&sitegen(parent, &["new", "-s", s, "news/more"]));
    ok(&sitegen(parent, &["mirrors", "update", "-s", s, "--key", "k.key"]));
    let before = tree(&site.out());
    assert!(before.contains_key("mirrors.signed.json"));
}

#[test]
fn serve_is_watch_and_takes_port_zero() {
    use std::io::{BufRead, BufReader, Read, Write};
    let site = crate::common::TestSite::fixture("signing");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sitegen"))
        .args(["serve", "-p", "0", "-s"])
        .arg(&site.root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(i) = line.find("http://") {
            break line[i..].split_whitespace().next().unwrap().to_string();
        }
    };
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
}
