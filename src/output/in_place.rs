//! Writing a watch preview in place. Only files whose bytes changed are
//! written; each goes to a temporary name first and all are renamed into
//! place at the end, so a build that fails half-way changes nothing and the
//! preview server never serves half a file.

use crate::error::{Error, Result};
use crate::output::changes::{two_files, Changes};
use crate::publish::manifest::{self, Entry, Manifest};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub struct InPlace {
    pub dir: PathBuf,
    /// What the folder holds now.
    old: Manifest,
    written: Mutex<Manifest>,
    /// (temporary file, final path) for each file written.
    pending: Mutex<Vec<(PathBuf, PathBuf)>>,
    committed: bool,
    /// Files not written are kept (a patch), rather than removed.
    keep_rest: bool,
    /// Temporary files made so far, for their names.
    made: std::sync::atomic::AtomicUsize,
}

/// What a folder holds, as the previous build left it or (`None`) as read
/// from its manifest; files outside the manifest count as changed.
pub fn holdings(dir: &Path, known: Option<Manifest>) -> Manifest {
    if let Some(m) = known {
        return m;
    }
    let mut m = manifest::read_in(dir).unwrap_or_default();
    for rel in crate::fs::list_files(dir).unwrap_or_default() {
        // Not vouched for by a manifest: an entry no file can match.
        m.files.entry(rel).or_insert(Entry { size: u64::MAX, sha256: String::new() });
    }
    m
}

impl InPlace {
    /// Writes into `target`, which the caller's claim holds.
    pub fn new(target: &Path, old: Manifest) -> Result<InPlace> {
        crate::fs::create_dir_all(target)?;
        Ok(InPlace {
            dir: target.to_path_buf(),
            old,
            written: Mutex::default(),
            pending: Mutex::default(),
            committed: false,
            keep_rest: false,
            made: Default::default(),
        })
    }

    /// Like `new`, for a build that writes only what changed and keeps
    /// every other file.
    pub fn patching(target: &Path, old: Manifest) -> Result<InPlace> {
        let mut w = InPlace::new(target, old)?;
        w.keep_rest = true;
        Ok(w)
    }

    pub fn previous(&self) -> &Manifest {
        &self.old
    }

    fn record(&self, rel: &str, entry: Entry) -> Result<()> {
        let mut w = self.written.lock().expect("not poisoned");
        if w.files.contains_key(rel) {
            return Err(two_files(&self.dir.join(rel)));
        }
        w.files.insert(rel.to_string(), entry);
        Ok(())
    }

    /// Writes one file, unless the folder already holds these bytes.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<u64> {
        let entry = Entry { size: bytes.len() as u64, sha256: manifest::sha256_hex(bytes) };
        let same = self.old.files.get(rel) == Some(&entry);
        self.record(rel, entry)?;
        if !same {
            let path = self.dir.join(rel);
            // A short name, whatever the file's (a 249-byte name that a
            // build publishes must fit with its prefix), made anew: a link
            // planted at that name is never followed.
            let n = self.made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let tmp = path.with_file_name(format!(".sitegen-new-{}-{n}", std::process::id()));
            if let Some(parent) = tmp.parent() {
                crate::fs::create_dir_all(parent)?;
            }
            write_new(&tmp, bytes)?;
            self.pending.lock().expect("not poisoned").push((tmp, path));
        }
        Ok(bytes.len() as u64)
    }

    /// Keeps a file of the previous build as it is; `entry` is its entry
    /// in `previous()`.
    pub fn keep(&self, rel: &str, entry: &Entry) -> Result<u64> {
        self.record(rel, entry.clone())?;
        Ok(entry.size)
    }

    /// The size of a file written, or in a patch, kept.
    pub fn size_of(&self, rel: &str) -> Option<u64> {
        let written = self.written.lock().expect("not poisoned").files.get(rel).map(|e| e.size);
        written.or_else(|| self.old.files.get(rel).filter(|_| self.keep_rest).map(|e| e.size))
    }

    /// Moves the new files into place, removes what the site no longer
    /// has, and writes the manifest.
    pub fn commit(mut self) -> Result<(Changes, Manifest)> {
        let written = std::mem::take(&mut *self.written.lock().expect("not poisoned"));
        let pending = std::mem::take(&mut *self.pending.lock().expect("not poisoned"));
        pending.par_iter().try_for_each(|(tmp, path)| crate::fs::rename(tmp, path))?;
        let mut c = Changes::default();
        for (rel, e) in &written.files {
            match self.old.files.get(rel) {
                Some(old) if old == e => c.unchanged += 1,
                Some(_) => c.changed += 1,
                None => c.added += 1,
            }
        }
        let manifest = if self.keep_rest {
            let mut all = std::mem::take(&mut self.old);
            c.unchanged = all.files.len() - c.changed;
            all.files.extend(written.files);
            all
        } else {
            written
        };
        let gone: Vec<&String> = self
            .old
            .files
            .keys()
            .filter(|p| !manifest.files.contains_key(*p) && *p != manifest::SUMS && *p != manifest::JSON)
            .collect();
        c.removed = gone.len();
        for rel in gone {
            let path = self.dir.join(rel);
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io(&path, e)),
                _ => remove_empty_parents(&self.dir, &path),
            }
        }
        // The manifest files change exactly when an entry did.
        let stale = c.added + c.changed + c.removed > 0
            || !self.dir.join(manifest::JSON).is_file()
            || !self.dir.join(manifest::SUMS).is_file();
        if stale {
            // Overwritten, not replaced: the files are megabytes on a large
            // site, and rewriting their pages is cheaper than new ones.
            for (name, text) in [(manifest::SUMS, manifest.to_sums()), (manifest::JSON, manifest.to_json())] {
                overwrite(&self.dir.join(name), text.as_bytes())?;
            }
        }
        self.committed = true;
        Ok((c, manifest))
    }
}

/// Writes a file that must not exist yet (not even as a link).
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| Error::io(path, e))?;
    f.write_all(bytes).map_err(|e| Error::io(path, e))
}

/// Writes over a file in place, never through a symbolic link.
fn overwrite(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut opts, libc::O_NOFOLLOW);
    let mut f = opts.open(path).map_err(|e| Error::io(path, e))?;
    f.write_all(bytes).and_then(|_| f.set_len(bytes.len() as u64)).map_err(|e| Error::io(path, e))
}

/// Removes the folders a removed file leaves empty, up to the output.
fn remove_empty_parents(top: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir.filter(|d| d.starts_with(top) && *d != top) {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

impl Drop for InPlace {
    fn drop(&mut self) {
        if !self.committed {
            if let Ok(pending) = self.pending.get_mut() {
                for (tmp, _) in pending.iter() {
                    let _ = std::fs::remove_file(tmp);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_changes_and_removes_what_is_gone() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        let w = InPlace::new(&out, holdings(&out, None)).unwrap();
        w.write("a.html", b"a").unwrap();
        w.write("dir/b.html", b"b").unwrap();
        assert!(w.write("a.html", b"again").is_err(), "one path, two files");
        let (c, m) = w.commit().unwrap();
        assert_eq!(c.added, 2);
        let old_time = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
        std::fs::File::options().write(true).open(out.join("a.html")).unwrap().set_modified(old_time).unwrap();

        let w = InPlace::new(&out, m).unwrap();
        w.write("a.html", b"a").unwrap();
        w.write("c.html", b"c").unwrap();
        let (c, _) = w.commit().unwrap();
        assert_eq!(c, Changes { added: 1, changed: 0, removed: 1, unchanged: 1 });
        assert_eq!(std::fs::metadata(out.join("a.html")).unwrap().modified().unwrap(), old_time, "not rewritten");
        assert!(!out.join("dir").exists(), "emptied folders go too");
        let sums = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
        assert!(sums.contains("  c.html") && !sums.contains("b.html"), "{sums}");
    }

    #[test]
    fn a_failed_build_changes_nothing() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        let w = InPlace::new(&out, holdings(&out, None)).unwrap();
        w.write("a.html", b"a").unwrap();
        w.commit().unwrap();
        let w = InPlace::new(&out, holdings(&out, None)).unwrap();
        w.write("a.html", b"new").unwrap();
        drop(w);
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "a");
        let names: Vec<String> =
            std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert_eq!(names.len(), 3, "a.html and the manifests, no temporary files: {names:?}");
    }
}
