//! The real clients some tests drive: Chromium (through Python's
//! Playwright), the Nu HTML Checker, Python's feedparser and npm's
//! ipfs-car. `.ci/run` installs them and sets `SITEGEN_REAL_CLIENTS=required`,
//! so there a missing client fails its test. Elsewhere a test whose client
//! is missing does not run: it says so on the terminal at once (output a
//! passing test prints is hidden by `cargo test`, so the notice bypasses
//! it), and the test binary names every such test again as it exits.
//!
//! Each client is looked up one way, shared with `.ci/run`: an environment
//! variable if set, else the place `.ci/run` installs it or the `PATH`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// Tests that did not run for want of a client, for the note at exit.
static SKIPPED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Whether every real client must be present (`.ci/run` sets this).
fn required() -> bool {
    std::env::var("SITEGEN_REAL_CLIENTS").is_ok_and(|v| v == "required")
}

/// `found`, or (when the client is missing and not required) `None` after
/// telling the developer which test did not run.
fn need<T>(test: &str, what: &str, found: Option<T>) -> Option<T> {
    if found.is_some() {
        return found;
    }
    assert!(!required(), "{test}: {what} is missing, and SITEGEN_REAL_CLIENTS=required (see .ci/run)");
    let line = format!("SKIPPED {test}: {what} is not installed (.ci/run installs it)\n");
    // Straight to the terminal: `eprintln!` in a passing test is captured.
    let _ = std::io::stderr().write_all(line.as_bytes());
    let mut skipped = SKIPPED.lock().unwrap();
    if skipped.is_empty() {
        // SAFETY: registers a plain function with no captured state.
        unsafe { libc::atexit(note_skipped) };
    }
    skipped.push(test.to_string());
    None
}

/// Runs as the test binary exits, after its summary line.
extern "C" fn note_skipped() {
    let skipped = SKIPPED.lock().map(|s| s.clone()).unwrap_or_default();
    let line = format!(
        "note: {} real-client test(s) did not run, their clients missing: {}. Run .ci/run once to install them.\n",
        skipped.len(),
        skipped.join(", ")
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
}

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).flat_map(|dir| names.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

fn python_has(module: &str) -> bool {
    Command::new("python3").args(["-c", &format!("import {module}")]).status().is_ok_and(|s| s.success())
}

fn ci_tool(env: &str, rel: &str) -> Option<PathBuf> {
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci-tools/node_modules").join(rel);
    let path = std::env::var_os(env).map(PathBuf::from).unwrap_or(default);
    path.is_file().then_some(path)
}

/// Chromium (`SITEGEN_CHROMIUM`, else `chromium` or `chromium-browser` on
/// the `PATH`), with Python's Playwright to drive it.
pub fn chromium(test: &str) -> Option<PathBuf> {
    let exe = std::env::var_os("SITEGEN_CHROMIUM")
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .or_else(|| on_path(&["chromium", "chromium-browser"]));
    need(test, "Chromium with Python's playwright", exe.filter(|_| python_has("playwright")))
}

/// The Nu HTML Checker's jar (`VNU_JAR`, else npm's vnu-jar under
/// target/ci-tools), with `java` to run it.
pub fn vnu_jar(test: &str) -> Option<PathBuf> {
    let jar = ci_tool("VNU_JAR", "vnu-jar/build/dist/vnu.jar").filter(|_| on_path(&["java"]).is_some());
    need(test, "the Nu HTML Checker (vnu.jar and java)", jar)
}

/// Python's feedparser.
pub fn feedparser(test: &str) -> Option<()> {
    need(test, "Python's feedparser", python_has("feedparser").then_some(()))
}

/// npm's ipfs-car (`IPFS_CAR_JS`, else under target/ci-tools), with `node`.
pub fn ipfs_car(test: &str) -> Option<PathBuf> {
    let js = ci_tool("IPFS_CAR_JS", "ipfs-car/bin.js").filter(|_| on_path(&["node"]).is_some());
    need(test, "ipfs-car (npm) and node", js)
}

/// util-linux's `script`, which gives a command a terminal.
pub fn script(test: &str) -> Option<PathBuf> {
    need(test, "util-linux's script", on_path(&["script"]))
}
