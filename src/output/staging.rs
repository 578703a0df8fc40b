//! Writing the site: everything goes into a staging folder beside the
//! output, which is swapped in only when the whole build succeeded. A failed
//! or killed build leaves the previous site untouched.

use crate::error::{Error, Result};
use crate::output::changes::{two_files, Changes};
use crate::output::lock::Claim;
use crate::publish::manifest::{self, Entry, Manifest};
use crate::publish::signing::SIG_FILE;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    committed: bool,
    written: Mutex<Manifest>,
    /// What the output held after the previous build, when known: files
    /// that can be kept (`keep`).
    pub previous: Manifest,
    /// Files taken from the previous output as hard links: same inode,
    /// same time already.
    linked: Mutex<std::collections::HashSet<String>>,
    /// Folders made so far: a site of 10,000 articles has as many folders,
    /// and asking the OS again for each file is two system calls.
    made: Mutex<std::collections::HashSet<PathBuf>>,
    /// Where the previous output is moved aside when the swap is two
    /// renames (`claim` puts it back if a build is killed between them).
    aside: PathBuf,
    /// Names no written file may contain (a discreet mirror's build:
    /// `forbid`).
    forbidden: crate::output::hidden::Hidden,
}

impl Staging {
    /// Prepares `<parent>/.<name>.sitegen-tmp-<pid>` for building `target`,
    /// which `claim` holds (and has checked may be replaced).
    pub(crate) fn new(claim: &Claim, target: &Path, previous: Manifest) -> Result<Staging> {
        let dir = claim.parent.join(format!("{}{}", claim.staging_prefix(), std::process::id()));
        crate::fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
            written: Mutex::default(),
            previous,
            linked: Mutex::default(),
            made: Mutex::default(),
            aside: claim.parent.join(format!("{}{}", claim.aside_prefix(), std::process::id())),
            forbidden: Default::default(),
        })
    }

    /// Refuses, from now on, any file that names one of the addresses
    /// `urls`.
    pub fn forbid(&mut self, urls: &[String]) {
        self.forbidden = crate::output::hidden::Hidden::of(urls);
    }

    /// The error for a file that names a forbidden host.
    fn check_hosts(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if self.forbidden.is_empty() {
            return Ok(());
        }
        match self.forbidden.found_in(bytes) {
            Some(host) => Err(Error::Content {
                loc: crate::error::Location::file(crate::urls::tidy(&self.target.join(rel))),
                msg: format!(
                    "names `{host}`, another address of the site: a discreet mirror's copy may name none of the others (remove the link from the source, or build without --mirror)"
                ),
            }),
            None => Ok(()),
        }
    }

    /// Writes one file; two outputs at one path are an error, not a silent
    /// overwrite.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<u64> {
        self.check_hosts(rel, bytes)?;
        let path = self.dir.join(rel);
        self.make_parent(&path)?;
        let shown = self.target.join(rel);
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                two_files(&shown)
            } else {
                Error::io(&shown, e)
            }
        })?;
        f.write_all(bytes).map_err(|e| Error::io(&shown, e))?;
        let entry = Entry { size: bytes.len() as u64, sha256: manifest::sha256_hex(bytes) };
        self.written.lock().expect("no panics while holding the lock").files.insert(rel.to_string(), entry);
        Ok(bytes.len() as u64)
    }

    /// Takes a file of the previous output as it is: a hard link, as the
    /// file is never written to again (a copy where links are refused).
    pub fn keep(&self, rel: &str, entry: &Entry) -> Result<u64> {
        let (from, to) = (self.target.join(rel), self.dir.join(rel));
        self.make_parent(&to)?;
        if std::fs::hard_link(&from, &to).is_ok() {
            self.linked.lock().expect("not poisoned").insert(rel.to_string());
        } else {
            std::fs::copy(&from, &to).map_err(|e| Error::io(&from, e))?;
        }
        let mut w = self.written.lock().expect("no panics while holding the lock");
        if w.files.contains_key(rel) {
            return Err(two_files(&self.target.join(rel)));
        }
        w.files.insert(rel.to_string(), entry.clone());
        Ok(entry.size)
    }

    fn make_parent(&self, path: &Path) -> Result<()> {
        let Some(parent) = path.parent() else { return Ok(()) };
        if self.made.lock().expect("not poisoned").contains(parent) {
            return Ok(());
        }
        crate::fs::create_dir_all(parent)?;
        self.made.lock().expect("not poisoned").insert(parent.to_path_buf());
        Ok(())
    }

    /// The output this staging folder will replace.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// What the output held before this build: known from the build cache
    /// (which checked it is this one), else read from its manifest.
    fn previous_manifest(&self) -> std::borrow::Cow<'_, Manifest> {
        match self.previous.files.is_empty() {
            false => std::borrow::Cow::Borrowed(&self.previous),
            true => std::borrow::Cow::Owned(manifest::read_in(&self.target).unwrap_or_default()),
        }
    }

    /// The files written so far whose bytes differ from the previous
    /// output's, and the previous output's files not written (yet).
    pub fn differences(&self) -> Vec<String> {
        let old = self.previous_manifest();
        let new = self.written.lock().expect("not poisoned");
        let changed = new.files.iter().filter(|(p, e)| old.files.get(*p) != Some(e)).map(|(p, _)| p);
        let gone = old.files.keys().filter(|p| !new.files.contains_key(*p));
        changed.chain(gone).cloned().collect()
    }

    /// The size of a file already written, if it was.
    pub fn size_of(&self, rel: &str) -> Option<u64> {
        self.written.lock().expect("not poisoned").files.get(rel).map(|e| e.size)
    }

    /// Writes the manifest, keeps the modification time of every file whose
    /// bytes did not change (so sync tools upload only what changed), and
    /// swaps the staging folder in for the output folder.
    pub fn commit(self) -> Result<(Changes, Manifest)> {
        let (changes, manifest, previous) = self.commit_leaving(|_| Ok(None))?;
        previous.remove()?;
        Ok((changes, manifest))
    }

    /// `commit`, leaving the removal of the previous site (tens of thousands
    /// of files) to the caller, who can do other work meanwhile. `sign`
    /// gives the signature of the manifest's bytes, if the site has one: it
    /// is swapped in with the site, never a moment after.
    pub fn commit_leaving(
        mut self,
        sign: impl FnOnce(&[u8]) -> Result<Option<String>>,
    ) -> Result<(Changes, Manifest, Leftover)> {
        let manifest = std::mem::take(&mut *self.written.lock().expect("not poisoned"));
        let (sums, json) = rayon::join(|| manifest.to_sums(), || manifest.to_json());
        self.write(manifest::SUMS, sums.as_bytes())?;
        self.write(manifest::JSON, json.as_bytes())?;
        if let Some(sig) = sign(json.as_bytes())? {
            self.write(SIG_FILE, sig.as_bytes())?;
        }
        let changes = self.keep_times(&manifest)?;
        crate::pause::point("swap");
        let leftover = if self.target.exists() {
            exchange(&self.dir, &self.target, &self.aside)?;
            // The staging path now holds the previous site.
            Leftover(Some(self.dir.clone()))
        } else {
            crate::fs::rename(&self.dir, &self.target)?;
            Leftover(None)
        };
        self.committed = true;
        crate::pause::point("swapped");
        Ok((changes, manifest, leftover))
    }

    /// Compares with the previous output's manifest and gives unchanged files
    /// their old modification time.
    fn keep_times(&self, new: &Manifest) -> Result<Changes> {
        let old = self.previous_manifest();
        let linked = std::mem::take(&mut *self.linked.lock().expect("not poisoned"));
        let mut c = Changes::default();
        let mut same: Vec<&str> = Vec::new();
        for (path, entry) in &new.files {
            match old.files.get(path) {
                Some(_) if linked.contains(path) => c.unchanged += 1,
                Some(e) if e == entry => same.push(path),
                Some(_) => c.changed += 1,
                None => c.added += 1,
            }
        }
        c.removed = old.files.keys().filter(|p| !new.files.contains_key(*p)).count();
        // The manifest files are not in the manifest; compare them directly.
        for name in [manifest::SUMS, manifest::JSON, SIG_FILE] {
            let (old, new) = (std::fs::read(self.target.join(name)).ok(), std::fs::read(self.dir.join(name)).ok());
            match (old, new) {
                (old, new) if old == new && new.is_some() => same.push(name),
                // The signature is counted as a file is: a sync uploads or
                // deletes it, and one lost is not "0 removed".
                (Some(_), None) if name == SIG_FILE => c.removed += 1,
                (None, Some(_)) if name == SIG_FILE => c.added += 1,
                (Some(_), Some(_)) if name == SIG_FILE => c.changed += 1,
                _ => {}
            }
        }
        use rayon::prelude::*;
        let kept: Vec<Result<bool>> = same
            .par_iter()
            .map(|path| {
                let Ok(mtime) = std::fs::metadata(self.target.join(path)).and_then(|m| m.modified()) else {
                    return Ok(false);
                };
                set_mtime(&self.dir.join(path), mtime)?;
                Ok(true)
            })
            .collect();
        for (path, kept) in same.iter().zip(crate::error::collect_all(kept)?) {
            let is_manifest = [manifest::SUMS, manifest::JSON, SIG_FILE].contains(path);
            match (kept, is_manifest) {
                (true, false) => c.unchanged += 1,
                (false, false) => c.changed += 1,
                _ => {}
            }
        }
        Ok(c)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// The previous site after a commit swapped it out: removed by `remove`,
/// or when dropped.
pub struct Leftover(Option<PathBuf>);

impl Leftover {
    pub fn none() -> Leftover {
        Leftover(None)
    }

    pub fn remove(mut self) -> Result<()> {
        self.0.take().map_or(Ok(()), |dir| crate::fs::remove_tree(&dir))
    }
}

impl Drop for Leftover {
    fn drop(&mut self) {
        if let Some(dir) = self.0.take() {
            let _ = crate::fs::remove_tree(&dir);
        }
    }
}

/// Sets a file's modification time by path, without opening it.
fn set_mtime(path: &Path, mtime: std::time::SystemTime) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let since = mtime.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        let times = [
            libc::timespec { tv_sec: 0, tv_nsec: libc::UTIME_OMIT },
            libc::timespec { tv_sec: since.as_secs() as libc::time_t, tv_nsec: since.subsec_nanos() as libc::c_long },
        ];
        let c =
            std::ffi::CString::new(path.as_os_str().as_bytes()).map_err(|_| Error::Output("path with NUL".into()))?;
        // SAFETY: a valid NUL-terminated path and two timespecs, as utimensat(2) expects.
        if unsafe { libc::utimensat(libc::AT_FDCWD, c.as_ptr(), times.as_ptr(), 0) } == 0 {
            return Ok(());
        }
        return Err(Error::io(path, std::io::Error::last_os_error()));
    }
    #[allow(unreachable_code)]
    {
        let file = std::fs::File::options().write(true).open(path).map_err(|e| Error::io(path, e))?;
        file.set_modified(mtime).map_err(|e| Error::io(path, e))
    }
}

/// Swaps the staging folder `staging` in for the output `target`:
/// atomically where the OS can (Linux `renameat2(RENAME_EXCHANGE)`), so
/// there is no moment without a complete site; elsewhere with two renames
/// through `aside`, a name the next build's `claim` recognises and puts
/// back should a kill fall between them.
fn exchange(staging: &Path, target: &Path, aside: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    if !crate::pause::no_exchange() {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let ca = CString::new(staging.as_os_str().as_bytes()).map_err(|_| Error::Output("path with NUL".into()))?;
        let cb = CString::new(target.as_os_str().as_bytes()).map_err(|_| Error::Output("path with NUL".into()))?;
        // SAFETY: both are valid NUL-terminated paths; AT_FDCWD resolves them
        // relative to the working directory as rename(2) would.
        let r = unsafe {
            libc::syscall(
                libc::SYS_renameat2,
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if r == 0 {
            return Ok(());
        }
        let err = std::io::Error::last_os_error();
        if !matches!(err.raw_os_error(), Some(libc::ENOSYS) | Some(libc::EINVAL)) {
            return Err(Error::io(target, err));
        }
    }
    crate::fs::rename(target, aside)?;
    crate::pause::point("between-renames");
    crate::fs::rename(staging, target)?;
    crate::fs::rename(aside, staging)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_swaps_and_drop_cleans() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("site");
        let out = d.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("old.txt"), "old").unwrap();
        assert!(crate::output::lock::claim(&out, &root, false).is_err(), "a folder sitegen did not build");
        let claim = crate::output::lock::claim(&out, &root, true).unwrap();
        let s = Staging::new(&claim, &out, Manifest::default()).unwrap();
        s.write("a/b.txt", b"new").unwrap();
        assert!(s.write("a/b.txt", b"again").is_err());
        let (changes, _) = s.commit().unwrap();
        assert_eq!(changes, Changes { added: 1, ..Changes::default() });
        assert_eq!(std::fs::read_to_string(out.join("a/b.txt")).unwrap(), "new");
        assert!(std::fs::read_to_string(out.join("SHA256SUMS")).unwrap().ends_with("  a/b.txt\n"));
        assert!(!out.join("old.txt").exists());
        let s = Staging::new(&claim, &out, Manifest::default()).unwrap();
        let tmp = s.dir.clone();
        drop(s);
        assert!(!tmp.exists());
        let left: Vec<String> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left.len(), 2, "the output and its lock file: {left:?}");
    }
}

#[cfg(test)]
mod time_tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn unchanged_files_keep_their_time() {
        let d = tempfile::tempdir().unwrap();
        let (root, out) = (d.path().join("site"), d.path().join("out"));
        let claim = crate::output::lock::claim(&out, &root, false).unwrap();
        let s = Staging::new(&claim, &out, Manifest::default()).unwrap();
        s.write("same.txt", b"same").unwrap();
        s.write("edit.txt", b"one").unwrap();
        s.write("gone.txt", b"x").unwrap();
        s.commit().unwrap();
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        for f in ["same.txt", "edit.txt", "manifest.json"] {
            std::fs::File::options().write(true).open(out.join(f)).unwrap().set_modified(old).unwrap();
        }
        let s = Staging::new(&claim, &out, Manifest::default()).unwrap();
        s.write("same.txt", b"same").unwrap();
        s.write("edit.txt", b"two").unwrap();
        s.write("new.txt", b"n").unwrap();
        let (c, _) = s.commit().unwrap();
        assert_eq!(c, Changes { added: 1, changed: 1, removed: 1, unchanged: 1 });
        let mtime = |f: &str| std::fs::metadata(out.join(f)).unwrap().modified().unwrap();
        assert_eq!(mtime("same.txt"), old);
        assert_ne!(mtime("edit.txt"), old);
        assert_ne!(mtime("manifest.json"), old, "the manifest changed");
    }
}
