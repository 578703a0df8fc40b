//! The preview server of `sitegen watch`: serves the last good build on
//! 127.0.0.1, injects the live-reload script into HTML as it responds (build
//! output never contains it), pushes reloads and build errors to open pages
//! over Server-Sent Events, and serves nothing outside the output folder.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// What the watcher tells the server, and the open event streams.
pub struct Preview {
    pub dir: PathBuf,
    /// `/`, or a random `/ipfs/<id>/` to catch links that break on mirrors.
    pub prefix: String,
    error: Mutex<Option<String>>,
    clients: Mutex<Vec<TcpStream>>,
}

impl Preview {
    pub fn new(dir: PathBuf, prefix: String) -> Self {
        Preview { dir, prefix, error: Mutex::new(None), clients: Mutex::new(Vec::new()) }
    }

    /// A build succeeded: clear any error and reload every open page.
    pub fn built(&self) {
        *self.error.lock().expect("not poisoned") = None;
        self.broadcast("reload", "1");
    }

    /// A build failed: the last good site stays served, with the error shown
    /// over it.
    pub fn failed(&self, message: &str) {
        *self.error.lock().expect("not poisoned") = Some(message.to_string());
        self.broadcast("build-error", &serde_json::to_string(message).expect("a string serializes"));
    }

    fn broadcast(&self, event: &str, data: &str) {
        let msg = format!("event: {event}\ndata: {data}\n\n");
        // A page that went away is dropped from the list.
        self.clients
            .lock()
            .expect("not poisoned")
            .retain_mut(|c| c.write_all(msg.as_bytes()).and_then(|_| c.flush()).is_ok());
    }

    pub fn error(&self) -> Option<String> {
        self.error.lock().expect("not poisoned").clone()
    }
}

/// Accepts connections until `stop` is set.
pub fn serve(listener: TcpListener, state: Arc<Preview>, stop: Arc<AtomicBool>) {
    for conn in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        if let Ok(stream) = conn {
            let state = state.clone();
            std::thread::spawn(move || {
                let _ = handle(stream, &state);
            });
        }
    }
}

const EVENTS: &str = "__sitegen/events";

fn handle(mut stream: TcpStream, state: &Preview) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let Some((method, target)) = read_request(&mut stream)? else { return Ok(()) };
    if method != "GET" && method != "HEAD" {
        return respond(&mut stream, 405, "text/plain", b"method not allowed\n", false);
    }
    let head = method == "HEAD";
    let Some(rel) = target_path(&target, &state.prefix) else {
        return not_found(&mut stream, state, head);
    };
    if rel == EVENTS {
        return open_events(stream, state);
    }
    match resolve(&state.dir, &rel) {
        Some(file) => {
            let body = std::fs::read(&file)?;
            let kind = content_type(&file);
            if kind.starts_with("text/html") {
                let html = inject(&String::from_utf8_lossy(&body), state);
                respond(&mut stream, 200, kind, html.as_bytes(), head)
            } else {
                respond(&mut stream, 200, kind, &body, head)
            }
        }
        None => not_found(&mut stream, state, head),
    }
}

fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<(String, String)>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk)?;
        if n == 0 || buf.len() > 32 * 1024 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf);
    let mut words = text.split_whitespace();
    Ok(match (words.next(), words.next()) {
        (Some(m), Some(t)) => Some((m.to_string(), t.to_string())),
        _ => None,
    })
}

/// The request target as a path inside the site, or `None` for anything
/// outside the prefix or trying to climb out (`..`, encoded or not,
/// backslashes, NUL).
pub fn target_path(target: &str, prefix: &str) -> Option<String> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let decoded = crate::urls::percent_decode(path)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let rel = decoded.strip_prefix(prefix).or_else(|| (decoded == prefix.trim_end_matches('/')).then_some(""))?;
    if rel.split('/').any(|s| s == ".." || s == ".") {
        return None;
    }
    Some(rel.to_string())
}

/// The file for a site path; `index.html` for folders. Symlinks that lead
/// out of the output folder are refused.
fn resolve(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut file = dir.join(rel);
    if rel.is_empty() || rel.ends_with('/') || file.is_dir() {
        file = file.join("index.html");
    }
    let real = file.canonicalize().ok()?;
    let root = dir.canonicalize().ok()?;
    (real.starts_with(&root) && real.is_file()).then_some(real)
}

fn not_found(stream: &mut TcpStream, state: &Preview, head: bool) -> std::io::Result<()> {
    match std::fs::read_to_string(state.dir.join("404.html")) {
        Ok(html) => respond(stream, 404, "text/html; charset=utf-8", inject(&html, state).as_bytes(), head),
        Err(_) => {
            let page = inject("<!DOCTYPE html><title>Not found</title><p>Not found.</p>", state);
            respond(stream, 404, "text/html; charset=utf-8", page.as_bytes(), head)
        }
    }
}

fn respond(stream: &mut TcpStream, status: u16, kind: &str, body: &[u8], head: bool) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let headers = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(headers.as_bytes())?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

fn open_events(mut stream: TcpStream, state: &Preview) -> std::io::Result<()> {
    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n")?;
    stream.flush()?;
    state.clients.lock().expect("not poisoned").push(stream);
    Ok(())
}

/// Adds the live-reload script, and the error overlay while a build is
/// broken, before `</body>`.
fn inject(html: &str, state: &Preview) -> String {
    let overlay = state
        .error()
        .map(|e| {
            format!(
                "<script>window.__sitegenError = {};</script>",
                crate::escape::json_in_script(&serde_json::Value::from(e.as_str()))
            )
        })
        .unwrap_or_default();
    let script = RELOAD_SCRIPT.replace("EVENTS_URL", &format!("{}{EVENTS}", state.prefix));
    let add = format!("{overlay}{script}");
    match html.rfind("</body>") {
        Some(i) => format!("{}{add}{}", &html[..i], &html[i..]),
        None => format!("{html}{add}"),
    }
}

/// Reloads on a new build; shows a build error over the page until fixed.
const RELOAD_SCRIPT: &str = r#"<script>
(function () {
  function overlay(message) {
    var box = document.getElementById("sitegen-error") || document.createElement("div");
    box.id = "sitegen-error";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#2b0a0a;color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;padding:16px 20px;" +
      "border-top:4px solid #e5484d;white-space:pre-wrap;box-shadow:0 -8px 24px rgba(0,0,0,.4)";
    box.textContent = "sitegen: the last change did not build; this is the last good version.\n\n" + message;
    document.body.appendChild(box);
  }
  if (window.__sitegenError) overlay(window.__sitegenError);
  var events = new EventSource("EVENTS_URL");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("build-error", function (e) { overlay(JSON.parse(e.data)); });
})();
</script>
"#;

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("txt") | None => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("pdf") => "application/pdf",
        Some("mp4") => "video/mp4",
        Some("mp3") => "audio/mpeg",
        Some("car") => "application/vnd.ipld.car",
        Some(_) => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_site_are_refused() {
        assert_eq!(target_path("/news/a/", "/").as_deref(), Some("news/a/"));
        assert_eq!(target_path("/?x=1", "/").as_deref(), Some(""));
        for bad in
            ["/../etc/passwd", "/%2e%2e/etc/passwd", "/news/%2E%2E/%2e%2e/x", "/a%5c..%5cb", "/a\\b", "/%00", "/%zz"]
        {
            assert_eq!(target_path(bad, "/"), None, "{bad}");
        }
    }

    #[test]
    fn the_prefix_is_required() {
        let p = "/ipfs/bafyx/";
        assert_eq!(target_path("/ipfs/bafyx/news/", p).as_deref(), Some("news/"));
        assert_eq!(target_path("/ipfs/bafyx", p).as_deref(), Some(""));
        assert_eq!(target_path("/news/", p), None);
    }

    #[test]
    fn symlinks_out_of_the_site_are_refused() {
        let d = tempfile::tempdir().unwrap();
        let site = d.path().join("site");
        std::fs::create_dir_all(site.join("news")).unwrap();
        std::fs::write(site.join("news/index.html"), "x").unwrap();
        std::fs::write(d.path().join("secret.txt"), "s").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(d.path().join("secret.txt"), site.join("leak.txt")).unwrap();
        assert!(resolve(&site, "news/").is_some());
        assert!(resolve(&site, "news").is_some());
        #[cfg(unix)]
        assert!(resolve(&site, "leak.txt").is_none());
    }

    #[test]
    fn content_types() {
        for (f, t) in [
            ("a.xml", "application/xml"),
            ("a.json", "application/json"),
            ("a.webp", "image/webp"),
            ("a.avif", "image/avif"),
            ("a.woff2", "font/woff2"),
        ] {
            assert_eq!(content_type(Path::new(f)), t);
        }
    }

    #[test]
    fn script_goes_before_body_end_and_errors_cannot_break_out() {
        let state = Preview::new(PathBuf::from("/x"), "/".into());
        state.failed("bad </script><b>x");
        let html = inject("<body><p>a</p></body>", &state);
        assert!(html.starts_with("<body><p>a</p><script>window.__sitegenError = "));
        assert!(html.ends_with("</body>"));
        assert!(!html.contains("</script><b>"));
    }
}
