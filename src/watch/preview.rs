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
        match conn {
            Ok(stream) => {
                let state = state.clone();
                std::thread::spawn(move || {
                    let _ = handle(stream, &state);
                });
            }
            // Out of file descriptors, say: wait rather than spin.
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
}

const EVENTS: &str = "__sitegen/events";

/// Pages open at once that get reload events; the oldest go past this.
const MAX_EVENT_STREAMS: usize = 32;

fn handle(mut stream: TcpStream, state: &Preview) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let Some(request) = read_request(&mut stream)? else { return Ok(()) };
    let (method, target) = (request.method, request.target);
    // A page on another site can point its own name at 127.0.0.1 (DNS
    // rebinding) and read the preview, drafts and all: only requests that
    // name this machine by an address or as localhost are answered, as
    // webpack-dev-server and Vite do.
    if !request.host.as_deref().is_some_and(is_local_host) {
        return respond(
            &mut stream,
            403,
            "text/plain",
            b"this preview answers only localhost and IP addresses\n",
            false,
        );
    }
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

/// What the server reads of a request.
struct Request {
    method: String,
    target: String,
    host: Option<String>,
}

fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Request>> {
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
    let mut lines = text.split("\r\n");
    let mut words = lines.next().unwrap_or("").split_whitespace();
    let (Some(method), Some(target)) = (words.next(), words.next()) else { return Ok(None) };
    let host = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("host"))
        .map(|(_, value)| value.trim().to_string());
    Ok(Some(Request { method: method.to_string(), target: target.to_string(), host }))
}

/// Whether a `Host` header names this machine: `localhost` (or a name
/// under it) or an IP address, with any port. A DNS name could be an
/// attacker's, rebound to 127.0.0.1.
fn is_local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').filter(|(_, port)| port.parse::<u16>().is_ok()).map_or(host, |(h, _)| h),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name.parse::<std::net::IpAddr>().is_ok()
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
        403 => "Forbidden",
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
    let mut clients = state.clients.lock().expect("not poisoned");
    // Pages that went away hold a socket each until dropped here: without
    // this, a thousand reloads used up the descriptors and the server
    // stopped answering.
    clients.retain(is_open);
    if clients.len() >= MAX_EVENT_STREAMS {
        clients.remove(0);
    }
    clients.push(stream);
    Ok(())
}

/// Whether the page at the other end of an event stream is still there:
/// it never sends anything, so end of stream means it closed.
fn is_open(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let open = match stream.peek(&mut [0u8; 1]) {
        Ok(0) => false,
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::WouldBlock,
    };
    open && stream.set_nonblocking(false).is_ok()
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
    fn only_local_names_and_addresses_are_answered() {
        for ok in ["127.0.0.1:1111", "localhost", "localhost:8080", "[::1]:1111", "192.168.1.5:1111", "app.localhost"] {
            assert!(is_local_host(ok), "{ok}");
        }
        for bad in ["evil.example", "evil.example:1111", "127.0.0.1.evil.example", "localhost.evil.example", ""] {
            assert!(!is_local_host(bad), "{bad}");
        }
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
