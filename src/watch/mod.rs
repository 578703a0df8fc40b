//! `sitegen watch`: builds, serves the preview, and rebuilds on every save
//! (`rebuilds`, with the `fast_path` for edits that move nothing), through
//! the same stages as `sitegen build`. A broken file is shown in the
//! terminal and over the page (`preview`), and the last good site stays
//! served.

pub mod fast_path;
pub mod preview;
pub mod rebuilds;

use crate::error::{Error, Result};
use crate::load::config::BuildOptions;
use crate::warning::Warning;
use crate::watch::preview::Preview;
use crate::watch::rebuilds::Rebuilds;
use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct WatchOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Serve under a random `/ipfs/<id>/` path, as a gateway would.
    pub prefix: bool,
    /// Open the preview in the reader's browser.
    pub open: bool,
    /// Print each rebuild's stage timings.
    pub timings: bool,
}

/// Editors save in bursts (temp file, rename, chmod) that take a few
/// milliseconds: wait for this much quiet before building.
const QUIET: Duration = Duration::from_millis(15);

/// Whether a changed path can change the site: content, static files,
/// templates, themes, site.yaml and the other YAML files beside it (a
/// `mirrors_file`) do; the output, editors' temporary files and version
/// control do not.
pub fn affects_site(root: &Path, output: &Path, path: &Path) -> bool {
    if path.starts_with(output) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
    let Some(first) = parts.next() else { return false };
    let name = rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if crate::load::scan::is_ignored(&name) || first.starts_with('.') || first.contains("sitegen-tmp") {
        return false;
    }
    let top_yaml = parts.next().is_none() && (name.ends_with(".yaml") || name.ends_with(".yml"));
    matches!(first.as_str(), "content" | "static" | "templates" | "themes") || top_yaml
}

pub fn run(opts: WatchOptions) -> Result<()> {
    let root = opts.build.root.canonicalize().map_err(|e| Error::io(&opts.build.root, e))?;
    // Without --output: a folder of our own, a new name no one can guess,
    // made here (never one found in place), readable by this user alone
    // (drafts are in it). The site goes in `site/` inside it, because a
    // build swaps its output folder for a new one that would not keep 0700.
    let (private, output) = match &opts.build.output {
        Some(o) => {
            crate::output::preview_mark::claim(o)?;
            (None, o.clone())
        }
        None => {
            let mut folder = tempfile::Builder::new();
            folder.prefix("sitegen-preview-");
            // tempfile leaves a folder's mode to the umask.
            #[cfg(unix)]
            folder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
            let p = folder.tempdir().map_err(|e| Error::Preview(format!("cannot make a preview folder: {e}")))?.keep();
            let site = p.join("site");
            (Some(p), site)
        }
    };
    let build_opts = BuildOptions { root: root.clone(), output: Some(output.clone()), ..opts.build.clone() };
    let listener = bind(opts.bind, opts.port)?;
    let addr = listener.local_addr().map_err(|e| Error::Preview(format!("server: {e}")))?;
    let prefix = if opts.prefix { format!("/ipfs/{}/", random_id()) } else { "/".to_string() };
    let state = Arc::new(Preview::new(output.clone(), prefix.clone()));
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst))
            .map_err(|e| Error::Preview(format!("cannot catch Ctrl-C: {e}")))?;
    }
    let mut session = Session { builds: Rebuilds::new(build_opts), timings: opts.timings, shown: HashSet::new() };
    session.rebuild(&state, None);
    let url = format!("http://{addr}{prefix}");
    println!("Serving {} at {url} (Ctrl-C to stop)", root.display());
    println!("Preview folder: {}", output.display());
    if opts.open {
        // Best effort: a desktop without a browser still has the URL above.
        let _ =
            std::process::Command::new(if cfg!(target_os = "macos") { "open" } else { "xdg-open" }).arg(&url).spawn();
    }
    let server = {
        let (state, stop) = (state.clone(), stop.clone());
        std::thread::spawn(move || crate::watch::preview::serve(listener, state, stop))
    };
    let result = watch_loop(&root, &output, &mut session, &state, &stop);
    stop.store(true, Ordering::SeqCst);
    let _ = std::net::TcpStream::connect(addr);
    let _ = server.join();
    if let Some(private) = &private {
        let _ = std::fs::remove_dir_all(private);
    }
    println!("Stopped.");
    result
}

fn bind(ip: IpAddr, port: u16) -> Result<TcpListener> {
    TcpListener::bind(SocketAddr::new(ip, port)).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
            "; another program uses it: choose another with --port, or --port 0 for any free port"
        } else {
            ""
        };
        Error::Preview(format!("cannot serve on {ip}:{port}: {e}{hint}"))
    })
}

fn watch_loop(root: &Path, output: &Path, session: &mut Session, state: &Preview, stop: &AtomicBool) -> Result<()> {
    use notify::Watcher;
    let (tx, rx) = mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            if changes_content(&event.kind) {
                for p in event.paths {
                    let _ = tx.send(p);
                }
            }
        }
    })
    .map_err(|e| Error::Preview(format!("cannot watch files: {e}")))?;
    watcher
        .watch(root, notify::RecursiveMode::Recursive)
        .map_err(|e| Error::Preview(format!("cannot watch {}: {e}", root.display())))?;
    while !stop.load(Ordering::SeqCst) {
        let Ok(first) = rx.recv_timeout(Duration::from_millis(200)) else { continue };
        let mut changed = vec![first];
        // Collect the rest of the burst (a `git checkout` is hundreds).
        let deadline = Instant::now() + Duration::from_secs(2);
        while let Ok(p) = rx.recv_timeout(QUIET) {
            changed.push(p);
            if Instant::now() > deadline {
                break;
            }
        }
        let relevant: Vec<&PathBuf> = changed.iter().filter(|p| affects_site(root, output, p)).collect();
        if let Some(first) = relevant.first() {
            let shown = first.strip_prefix(root).unwrap_or(first).display().to_string();
            let more = if relevant.len() > 1 { format!(" and {} more", relevant.len() - 1) } else { String::new() };
            println!("Changed: {shown}{more}");
            let paths: Vec<PathBuf> = relevant.into_iter().cloned().collect();
            session.rebuild(state, Some(&paths));
        }
    }
    Ok(())
}

/// Writes, creations, removals and renames change what a build reads;
/// reads (the build's own) and metadata-only changes do not.
fn changes_content(kind: &notify::EventKind) -> bool {
    use notify::event::{EventKind, ModifyKind};
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Other | EventKind::Any => false,
    }
}

/// One watch session: its builds, and the warnings already shown.
struct Session {
    builds: Rebuilds,
    timings: bool,
    shown: HashSet<Warning>,
}

/// New warnings past this many are counted, not listed.
const WARNINGS_SHOWN: usize = 20;

impl Session {
    /// Builds and tells the open pages; errors are shown, never fatal.
    fn rebuild(&mut self, state: &Preview, changed: Option<&[PathBuf]>) {
        match self.builds.rebuild(changed) {
            Ok(report) => {
                state.built();
                // A writer needs what this save caused, not the archive's
                // thousand old warnings again.
                let new: Vec<&Warning> = report.warnings.iter().filter(|w| !self.shown.contains(*w)).collect();
                for w in new.iter().take(WARNINGS_SHOWN) {
                    eprintln!("{w}");
                }
                if new.len() > WARNINGS_SHOWN {
                    eprintln!("… and {} more new warnings", new.len() - WARNINGS_SHOWN);
                }
                self.shown = report.warnings.iter().cloned().collect();
                if self.timings {
                    crate::report::print_timings(&report.timings);
                }
                let c = &report.changes;
                println!(
                    "Built {} pages ({} rendered, {} photo copies encoded) in {} ms: {} files new, {} changed, {} removed{}",
                    report.pages,
                    report.rendered,
                    report.photos_encoded,
                    report.elapsed.as_millis(),
                    c.added,
                    c.changed,
                    c.removed,
                    match report.warnings.len() {
                        0 => String::new(),
                        n => format!("; {n} warnings"),
                    }
                );
            }
            Err(e) => {
                eprintln!("error: {e}");
                state.failed(&e.to_string());
            }
        }
    }
}

fn random_id() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        bytes = std::process::id().to_le_bytes().repeat(4).try_into().unwrap_or([7; 16]);
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("bafy{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_sources_trigger_a_build() {
        let root = Path::new("/site");
        let out = Path::new("/site/public");
        let yes = [
            "/site/content/news/a.md",
            "/site/static/x.png",
            "/site/templates/base.html",
            "/site/themes/t/static/site.css",
            "/site/site.yaml",
            "/site/mirrors.yaml",
        ];
        for p in yes {
            assert!(affects_site(root, out, Path::new(p)), "{p}");
        }
        let no = [
            "/site/public/index.html",
            "/site/content/news/.a.md.swp",
            "/site/content/news/a.md~",
            "/site/content/news/4913",
            "/site/.git/index",
            "/site/.public.sitegen-tmp-12/x",
            "/site/README.md",
            "/site/notes/list.yaml",
            "/elsewhere/content/a.md",
        ];
        for p in no {
            assert!(!affects_site(root, out, Path::new(p)), "{p}");
        }
    }
}
