//! `sitegen watch` as a writer uses it: started on a free port, edited
//! while it runs, and read back over HTTP, with bounded waits.

use crate::common::{tree, TestSite};
use crate::gateway::get;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Watch {
    child: Child,
    addr: SocketAddr,
    prefix: String,
    preview: std::path::PathBuf,
    events: Arc<Mutex<String>>,
}

impl Watch {
    fn start(site: &TestSite, extra: &[&str]) -> Watch {
        Watch::start_limited(site, extra, None)
    }

    /// With `files`, the process may have that many open files at most (as
    /// on a desktop whose limit is 1,024).
    fn start_limited(site: &TestSite, extra: &[&str], files: Option<u64>) -> Watch {
        let preview = site.root.parent().unwrap().join("preview");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sitegen"));
        cmd.args(["watch", "--root"]).arg(&site.root).args(["--port", "0", "--output"]).arg(&preview).args(extra);
        if let Some(n) = files {
            use std::os::unix::process::CommandExt;
            // SAFETY: only setrlimit, which is async-signal-safe, between fork and exec.
            unsafe {
                cmd.pre_exec(move || {
                    let limit = libc::rlimit { rlim_cur: n, rlim_max: n };
                    match libc::setrlimit(libc::RLIMIT_NOFILE, &limit) {
                        0 => Ok(()),
                        _ => Err(std::io::Error::last_os_error()),
                    }
                });
            }
        }
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let url = loop {
            let line = lines.next().expect("watch prints its address").unwrap();
            if let Some(i) = line.find("http://") {
                break line[i..].split_whitespace().next().unwrap().to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        let rest = url.trim_start_matches("http://");
        let (host, prefix) = rest.split_at(rest.find('/').unwrap());
        let w = Watch {
            child,
            addr: host.parse().unwrap(),
            prefix: prefix.to_string(),
            preview,
            events: Default::default(),
        };
        w.listen();
        w
    }

    /// Collects the server-sent events in the background.
    fn listen(&self) {
        let mut s = TcpStream::connect(self.addr).unwrap();
        s.write_all(format!("GET {}__sitegen/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", self.prefix).as_bytes())
            .unwrap();
        let events = self.events.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = s.read(&mut buf) {
                if n == 0 {
                    break;
                }
                events.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        wait("the event stream to open", || self.events.lock().unwrap().contains(": connected"));
    }

    fn page(&self, rel: &str) -> (u16, String) {
        let (status, body) = get(self.addr, &format!("{}{rel}", self.prefix));
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    fn reloads(&self) -> usize {
        self.events.lock().unwrap().matches("event: reload").count()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait(what: &str, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn edits_new_deleted_and_renamed_articles_show_up_and_reload() {
    let site = TestSite::fixture("watch");
    let w = Watch::start(&site, &[]);
    assert!(w.page("world/beta/index.html").1.contains("Back to"));
    assert!(w.page("opinion/draft/index.html").0 == 200, "drafts are shown while watching");

    let before = w.reloads();
    let beta = std::fs::read_to_string(site.root.join("content/world/beta.md")).unwrap();
    site.write("content/world/beta.md", &beta.replace("Back to", "Edited: back to"));
    wait("the edit", || w.page("world/beta/index.html").1.contains("Edited: back to"));
    wait("a reload event", || w.reloads() > before);

    site.write("content/news/new.md", "---\ntitle: \"Brand New\"\ndate: 2025-06-01\n---\nNew.\n");
    wait("the new article", || w.page("news/new/index.html").0 == 200);
    assert!(w.page("index.html").1.contains("Brand New"), "lists show it too");

    std::fs::rename(site.root.join("content/news/new.md"), site.root.join("content/news/renamed.md")).unwrap();
    wait("the rename", || w.page("news/renamed/index.html").0 == 200 && w.page("news/new/index.html").0 == 404);

    std::fs::remove_file(site.root.join("content/news/renamed.md")).unwrap();
    wait("the deletion", || w.page("news/renamed/index.html").0 == 404);
}

/// The preview shows drafts and scheduled stories, each marked; it is
/// never written into a folder `sitegen build` made for the mirrors.
#[test]
fn the_preview_marks_drafts_and_scheduled_stories_and_keeps_out_of_a_deploy_folder() {
    let site = TestSite::fixture("watch");
    site.write("content/news/far.md", "---\ntitle: \"Far Future\"\ndate: 2099-01-01T00:00:00Z\n---\nLater.\n");
    {
        let w = Watch::start(&site, &[]);
        let (status, far) = w.page("news/far/index.html");
        assert_eq!(status, 200);
        assert!(far.contains("<p class=\"status status--scheduled\">Scheduled: not published yet</p>"), "{far}");
        let draft = w.page("opinion/draft/index.html").1;
        assert!(draft.contains("<p class=\"status status--draft\">Draft: not published</p>"), "{draft}");
    }
    let built = site.run(&["build"]);
    assert!(built.status.success());
    assert!(!site.exists("news/far/index.html"), "a build leaves it out");
    let before = tree(&site.out());
    let out = Command::new(env!("CARGO_BIN_EXE_sitegen"))
        .args(["watch", "--port", "0", "--output", "public"])
        .current_dir(&site.root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("error: output: public was made by `sitegen build` for the mirrors"), "{e}");
    assert_eq!(tree(&site.out()), before, "the deploy folder is as it was");
}

#[test]
fn template_and_config_changes_rebuild() {
    let site = TestSite::fixture("watch");
    let w = Watch::start(&site, &[]);
    site.write("templates/terms.html", "<!DOCTYPE html><title>t</title><body><p>custom {{ terms.kind }}</p></body>\n");
    wait("the template", || w.page("tags/index.html").1.contains("custom tags"));
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", &yaml.replace("title: \"Test Times\"", "title: \"Renamed Times\""));
    wait("the config", || w.page("index.html").1.contains("Renamed Times"));
}

#[test]
fn a_broken_article_shows_an_overlay_and_the_fix_clears_it() {
    let site = TestSite::fixture("watch");
    let w = Watch::start(&site, &[]);
    site.write("content/news/bad.md", "---\ntitle: \"Bad\"\ndate: 2025-02-30\n---\n");
    wait("the error event", || w.events.lock().unwrap().contains("event: build-error"));
    let events = w.events.lock().unwrap().clone();
    assert!(events.contains("content/news/bad.md:3: front matter: `2025-02-30` is not a real date"), "{events}");
    let (status, html) = w.page("world/beta/index.html");
    assert_eq!(status, 200, "the last good site stays served");
    assert!(html.contains("window.__sitegenError = ") && html.contains("is not a real date"));
    let before = w.reloads();
    site.write("content/news/bad.md", "---\ntitle: \"Fixed\"\ndate: 2025-02-28\n---\n");
    wait("the fix", || w.reloads() > before);
    assert!(!w.page("world/beta/index.html").1.contains("window.__sitegenError = "), "the overlay is gone");
    assert_eq!(w.page("news/bad/index.html").0, 200);
}

#[test]
fn the_preview_serves_only_the_site() {
    let site = TestSite::fixture("watch");
    std::fs::write(site.root.parent().unwrap().join("secret.txt"), "secret").unwrap();
    let w = Watch::start(&site, &[]);
    for bad in
        ["../secret.txt", "%2e%2e/secret.txt", "%2E%2E%2Fsecret.txt", "..%5csecret.txt", "news/..%2f..%2fsecret.txt"]
    {
        let (status, body) = w.page(bad);
        assert_eq!(status, 404, "{bad}");
        assert!(!body.contains("secret"), "{bad}");
    }
    let (status, body) = w.page("does/not/exist/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the site's 404 page");
    let mut s = TcpStream::connect(w.addr).unwrap();
    s.write_all(b"HEAD /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut head = String::new();
    s.read_to_string(&mut head).unwrap();
    assert!(head.starts_with("HTTP/1.1 200 OK") && head.ends_with("\r\n\r\n"), "HEAD: headers only");
}

#[test]
fn after_edits_the_preview_equals_a_clean_build_and_carries_no_reload_script() {
    let site = TestSite::fixture("watch");
    let w = Watch::start(&site, &[]);
    let beta = std::fs::read_to_string(site.root.join("content/world/beta.md")).unwrap();
    for i in 0..3 {
        site.write("content/world/beta.md", &beta.replace("Back to", &format!("Version {i}: back to")));
        site.write(
            &format!("content/news/extra-{i}.md"),
            &format!("---\ntitle: \"Extra {i}\"\ndate: 2025-07-0{}\n---\n", i + 1),
        );
        wait("the edit", || w.page("world/beta/index.html").1.contains(&format!("Version {i}:")));
    }
    std::fs::remove_file(site.root.join("content/news/extra-0.md")).unwrap();
    wait("the deletion", || w.page("news/extra-0/index.html").0 == 404);
    let clean = site.root.parent().unwrap().join("clean");
    let out = site.run(&["build", "--drafts", "--output", clean.to_str().unwrap()]);
    assert!(out.status.success());
    let (a, b) = (tree(&w.preview), tree(&clean));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs from a clean build");
        assert!(!String::from_utf8_lossy(v).contains("EventSource"), "{k} has the reload script on disk");
    }
}

#[test]
fn prefix_mode_serves_under_a_gateway_path() {
    let site = TestSite::fixture("watch");
    let w = Watch::start(&site, &["--prefix"]);
    assert!(w.prefix.starts_with("/ipfs/bafy") && w.prefix.ends_with('/'), "{}", w.prefix);
    assert_eq!(w.page("index.html").0, 200);
    assert_eq!(get(w.addr, "/index.html").0, 404, "nothing outside the prefix");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = TestSite::fixture("watch");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = site.run(&["watch", "--port", &port]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains(&format!("cannot serve on 127.0.0.1:{port}")) && e.contains("--port 0 for any free port"),
        "{e}"
    );
}

#[test]
fn ctrl_c_stops_cleanly_and_removes_the_temporary_preview() {
    let site = TestSite::fixture("watch");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sitegen"))
        .args(["watch", "--port", "0", "--root"])
        .arg(&site.root)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let preview = loop {
        let line = lines.next().unwrap().unwrap();
        if let Some(folder) = line.strip_prefix("Preview folder: ") {
            break std::path::PathBuf::from(folder);
        }
    };
    assert!(preview.is_dir());
    // See: #19 (3). The site is in a fresh folder no one can guess (it was
    // sitegen-preview-<pid>, reused if it existed), readable by this user
    // alone: drafts are in it.
    assert_eq!(preview.file_name().unwrap(), "site");
    let preview = preview.parent().unwrap().to_path_buf();
    let name = preview.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("sitegen-preview-") && name != format!("sitegen-preview-{}", child.id()), "{name}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&preview).unwrap().permissions().mode() & 0o777, 0o700);
    // SAFETY: sending SIGINT to our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(lines.any(|l| l.unwrap() == "Stopped."));
    assert!(!preview.exists());
}

/// A raw request with its own `Host`; the status code of the answer.
fn status_with_host(addr: SocketAddr, host: &str, path: &str) -> u16 {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes()).unwrap();
    let mut head = [0u8; 12];
    s.read_exact(&mut head).unwrap();
    String::from_utf8_lossy(&head[9..12]).parse().unwrap()
}

#[test]
fn the_preview_answers_only_requests_that_name_this_machine() {
    // See: #19 (18): a page elsewhere could rebind its own name to
    // 127.0.0.1 and read the preview, drafts and all.
    let site = TestSite::fixture("watch");
    let w = Watch::start(&site, &[]);
    let page = format!("{}index.html", w.prefix);
    assert_eq!(status_with_host(w.addr, &w.addr.to_string(), &page), 200);
    assert_eq!(status_with_host(w.addr, &format!("localhost:{}", w.addr.port()), &page), 200);
    assert_eq!(status_with_host(w.addr, "evil.example", &page), 403);
    assert_eq!(status_with_host(w.addr, &format!("evil.example:{}", w.addr.port()), &page), 403);
}

#[test]
fn event_streams_opened_and_closed_by_the_thousand_leak_nothing() {
    // See: #19 (18): after 1,100 streams opened and closed the server
    // answered nothing and spun at full CPU until the next rebuild.
    let site = TestSite::fixture("watch");
    let w = Watch::start_limited(&site, &[], Some(256));
    for i in 0..1100 {
        let mut s = TcpStream::connect(w.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let request = format!("GET {}__sitegen/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", w.prefix);
        s.write_all(request.as_bytes()).unwrap();
        let mut head = [0u8; 12];
        s.read_exact(&mut head).unwrap_or_else(|e| panic!("stream {i} got no answer: {e}"));
    }
    let start = Instant::now();
    assert_eq!(w.page("index.html").0, 200);
    assert!(start.elapsed() < Duration::from_secs(5), "the preview still answers at once");
    // Still the pages that stay open get their reload.
    let before = w.reloads();
    site.write("content/news/story.md", "---\ntitle: \"Still here\"\ndate: 2025-01-02\n---\nx\n");
    wait("a reload after the streams closed", || w.reloads() > before);
}
