//! Before any output is written: the folder is not the site's own sources,
//! not someone else's files, and no other build is writing it.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// A build's hold on its output folder, from before it reads the build
/// cache until after it has saved the cache and cleaned up: two builds
/// into one output take turns through every step that reads or writes it.
pub struct Claim {
    /// The folder that holds the output (and its lock file).
    pub parent: PathBuf,
    /// The output folder's name.
    pub name: String,
    /// The output folder.
    target: PathBuf,
    /// Held while this build owns the output; the OS releases it when the
    /// process ends, however it ends.
    _lock: std::fs::File,
}

impl Claim {
    /// The output folder this claim holds.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The lock file beside the output.
    pub fn lock_path(&self) -> PathBuf {
        self.parent.join(format!(".{}.sitegen-lock", self.name))
    }

    /// The prefix of this output's staging folders (`.public.sitegen-tmp-`).
    pub fn staging_prefix(&self) -> String {
        format!(".{}.sitegen-tmp-", self.name)
    }

    /// The prefix of a previous output moved aside by a swap done with two
    /// renames (`.public.sitegen-old-`).
    pub fn aside_prefix(&self) -> String {
        format!(".{}.sitegen-old-", self.name)
    }
}

/// Checks that `target` may be written (not the sources; without `force`,
/// nobody else's files), takes its lock, and tidies what killed builds
/// left: their staging folders, and a previous output moved aside by a
/// swap that was cut between its two renames (put back in place).
pub fn claim(target: &Path, root: &Path, force: bool) -> Result<Claim> {
    check_target(target, root)?;
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    crate::fs::create_dir_all(parent)?;
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("public").to_string();
    let lock = lock(&parent.join(format!(".{name}.sitegen-lock")), target)?;
    let claim = Claim { parent: parent.to_path_buf(), name, target: target.to_path_buf(), _lock: lock };
    tidy(&claim, target)?;
    check_replaceable(target, force)?;
    Ok(claim)
}

/// Under the lock, what killed builds left beside the output is ours.
fn tidy(claim: &Claim, target: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(&claim.parent) else { return Ok(()) };
    let (staging, aside) = (claim.staging_prefix(), claim.aside_prefix());
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(&aside) && std::fs::symlink_metadata(target).is_err() {
            // The complete previous site, moved aside just before a kill.
            crate::fs::rename(&e.path(), target)?;
        } else if name.starts_with(&staging) || name.starts_with(&aside) {
            crate::fs::remove_tree(&e.path())?;
        }
    }
    Ok(())
}

/// Takes the output's lock, waiting (and saying so) while another build
/// holds it, so two builds never write one output at once.
fn lock(path: &Path, target: &Path) -> Result<std::fs::File> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        // SAFETY: flock on a descriptor we own, for the life of `file`.
        let try_lock = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if try_lock != 0 {
            eprintln!("waiting: another sitegen build is writing {}", target.display());
            // SAFETY: as above; this call blocks until the other build ends.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
                return Err(Error::io(path, std::io::Error::last_os_error()));
            }
        }
    }
    Ok(file)
}

/// A folder sitegen did not build is someone's files. Sitegen's own output
/// is known by its manifest: `manifest.json` in sitegen's shape, naming
/// sitegen as its generator, never a file's name alone.
fn check_replaceable(target: &Path, force: bool) -> Result<()> {
    let meta = match std::fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(_) => return Ok(()),
    };
    if !meta.is_dir() {
        return Err(Error::Output(format!("{} exists and is not a folder; choose another --output", target.display())));
    }
    let empty = std::fs::read_dir(target).map(|mut d| d.next().is_none()).unwrap_or(false);
    if !empty && !force && !built_by_sitegen(target) {
        return Err(Error::Output(format!(
            "refusing to replace {}: it is not a folder built by sitegen (it has no manifest.json written by sitegen); \
             move it away, choose another --output, or pass --force to replace it",
            target.display()
        )));
    }
    Ok(())
}

/// Whether `dir` holds a site sitegen built: its `manifest.json` is of
/// sitegen's shape and names sitegen as its generator. (An output of a
/// sitegen from before the generator was named counts while its build
/// cache is beside it.)
fn built_by_sitegen(dir: &Path) -> bool {
    let path = dir.join(crate::publish::manifest::JSON);
    // Sitegen's manifest opens with its generator: read that, not the list
    // of files after it (60 MB for 100,000 articles, before every build).
    if crate::publish::manifest::written_by_sitegen(&path) {
        return true;
    }
    let Ok(text) = std::fs::read_to_string(&path) else { return false };
    match crate::publish::manifest::Manifest::generator(&text) {
        Some(Some(g)) => g == "sitegen",
        Some(None) => cache_path(dir).is_file(),
        None => false,
    }
}

/// Where the build cache of the output folder `output` lives: beside it,
/// never in the folder that is published (`.<name>.sitegen-cache`).
pub fn cache_path(output: &Path) -> PathBuf {
    beside(output, "sitegen-cache")
}

/// A hidden file beside the output folder `output`: `.<name>.<what>`.
pub fn beside(output: &Path, what: &str) -> PathBuf {
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = output.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    parent.join(format!(".{name}.{what}"))
}

/// Refuses outputs that would replace the site's own sources.
pub(crate) fn check_target(target: &Path, root: &Path) -> Result<()> {
    let (t, r) = (crate::fs::resolved(target), crate::fs::resolved(root));
    let forbidden = [r.clone(), r.join("content"), r.join("static"), r.join("templates"), r.join("themes")];
    if t == r || forbidden.iter().any(|f| f.starts_with(&t) || (t.starts_with(f) && f != &r)) {
        return Err(Error::Output(format!(
            "refusing to write the site to {}: it is, or holds, the site's own sources; choose another --output",
            target.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_root_and_sources() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        for bad in
            [root.to_path_buf(), root.join("content"), root.join("content/news"), root.parent().unwrap().to_path_buf()]
        {
            assert!(check_target(&bad, root).is_err(), "{}", bad.display());
        }
        assert!(check_target(&root.join("public"), root).is_ok());
    }
}
