//! A small static server for tests: serves a folder under a random
//! `/ipfs/<id>/` prefix on 127.0.0.1, as an IPFS gateway would; everything
//! outside the prefix, and any missing file, is a 404 (with the site's
//! 404.html when there is one).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

pub struct PrefixServer {
    pub addr: SocketAddr,
    /// `/ipfs/bafy…/`
    pub prefix: String,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl PrefixServer {
    pub fn start(dir: &Path) -> PrefixServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let prefix = format!("/ipfs/bafy{:x}{:x}/", nanos, std::process::id());
        let stop = Arc::new(AtomicBool::new(false));
        let (dir, p, s) = (dir.to_path_buf(), prefix.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = conn {
                    let (dir, p) = (dir.clone(), p.clone());
                    std::thread::spawn(move || serve(stream, &dir, &p));
                }
            }
        });
        PrefixServer { addr, prefix, stop, thread: Some(thread) }
    }

    /// `http://127.0.0.1:PORT/ipfs/…/<rel>`
    pub fn url(&self, rel: &str) -> String {
        format!("http://{}{}{rel}", self.addr, self.prefix)
    }
}

impl Drop for PrefixServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(mut stream: TcpStream, dir: &Path, prefix: &str) {
    // Read the whole request head: it may arrive in pieces.
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 65536 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let request = String::from_utf8_lossy(&buf);
    let mut words = request.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or("/"));
    let path = decode(target.split(['?', '#']).next().unwrap_or("/"));
    let (status, body, kind) = match lookup(dir, prefix, &path) {
        Some(file) => (200, std::fs::read(&file).unwrap_or_default(), content_type(&file)),
        None => (
            404,
            std::fs::read(dir.join("404.html")).unwrap_or_else(|_| b"not found".to_vec()),
            "text/html; charset=utf-8",
        ),
    };
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(&body);
    }
}

fn lookup(dir: &Path, prefix: &str, path: &str) -> Option<PathBuf> {
    let rel = path.strip_prefix(prefix)?;
    if rel.split('/').any(|s| s == ".." || s == ".") || rel.contains('\\') {
        return None;
    }
    let mut file = dir.join(rel);
    if rel.is_empty() || rel.ends_with('/') {
        file = file.join("index.html");
    }
    file.is_file().then_some(file)
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("xml") => "application/xml",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("jpg") => "image/jpeg",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

/// `GET` over HTTP/1.0: the status code and the body.
pub fn get(addr: SocketAddr, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").as_bytes()).unwrap();
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).unwrap();
    let head_end = resp.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let status = String::from_utf8_lossy(&resp[9..12]).parse().unwrap();
    (status, resp[head_end + 4..].to_vec())
}

/// Resolves `reference` against the page at URL path `page`.
pub fn resolve(page: &str, reference: &str) -> String {
    let r = reference.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in r.split('/') {
        match seg {
            "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}
