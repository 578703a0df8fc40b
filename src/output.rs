//! Writing the site: everything goes into a staging folder beside the
//! output, which is swapped in only when the whole build succeeded. A failed
//! or killed build leaves the previous site untouched.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Prepares `<parent>/.<name>.sitegen-tmp-<pid>` for building `target`.
    pub fn new(target: &Path, root: &Path) -> Result<Staging> {
        check_target(target, root)?;
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        crate::fs::create_dir_all(parent)?;
        let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("public");
        let dir = parent.join(format!(".{name}.sitegen-tmp-{}", std::process::id()));
        crate::fs::remove_dir_all(&dir)?;
        crate::fs::create_dir_all(&dir)?;
        Ok(Staging { dir, target: target.to_path_buf(), committed: false })
    }

    /// Writes one file; two outputs at one path are an error, not a silent
    /// overwrite.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<u64> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        let shown = self.target.join(rel);
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Output(format!(
                    "two files would be written to {}: a page, a static file or an article file use the same path",
                    shown.display()
                ))
            } else {
                Error::io(&shown, e)
            }
        })?;
        f.write_all(bytes).map_err(|e| Error::io(&shown, e))?;
        Ok(bytes.len() as u64)
    }

    pub fn copy(&self, rel: &str, source: &Path) -> Result<u64> {
        let bytes = crate::fs::read(source)?;
        self.write(rel, &bytes)
    }

    /// Swaps the staging folder in for the output folder.
    pub fn commit(mut self) -> Result<()> {
        if self.target.exists() {
            exchange(&self.dir, &self.target)?;
            // The staging path now holds the previous site.
            crate::fs::remove_dir_all(&self.dir)?;
        } else {
            crate::fs::rename(&self.dir, &self.target)?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Atomically swaps two directories (Linux `renameat2(RENAME_EXCHANGE)`), so
/// there is no moment without a complete site; elsewhere two renames.
fn exchange(a: &Path, b: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let ca = CString::new(a.as_os_str().as_bytes()).map_err(|_| Error::Output("path with NUL".into()))?;
        let cb = CString::new(b.as_os_str().as_bytes()).map_err(|_| Error::Output("path with NUL".into()))?;
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
            return Err(Error::io(b, err));
        }
    }
    let old = a.with_extension("old");
    crate::fs::rename(b, &old)?;
    crate::fs::rename(a, b)?;
    crate::fs::rename(&old, a)
}

/// Refuses outputs that would replace the site's own sources.
fn check_target(target: &Path, root: &Path) -> Result<()> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
        // Resolve what exists, so `./site/../site` and symlinks compare right.
        let mut existing = p.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut out = existing.canonicalize().unwrap_or_else(|_| existing.to_path_buf());
        out.extend(rest.iter().rev());
        out
    };
    let (t, r) = (abs(target), abs(root));
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

    #[test]
    fn commit_swaps_and_drop_cleans() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("site");
        let out = d.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("old.txt"), "old").unwrap();
        let s = Staging::new(&out, &root).unwrap();
        s.write("a/b.txt", b"new").unwrap();
        assert!(s.write("a/b.txt", b"again").is_err());
        s.commit().unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a/b.txt")).unwrap(), "new");
        assert!(!out.join("old.txt").exists());
        let s = Staging::new(&out, &root).unwrap();
        let tmp = s.dir.clone();
        drop(s);
        assert!(!tmp.exists());
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }
}
