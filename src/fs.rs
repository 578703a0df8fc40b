//! File-system helpers whose every failure carries the path, so no error
//! ever says just "No such file or directory": reading, writing, listing
//! and removing, and the stamps that tell whether a file changed. (Writers
//! with their own rules, such as the staging folder, call `std::fs` but map
//! every error to its path the same way.)

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

pub fn read_to_string(path: &Path) -> Result<String> {
    let bytes = read(path)?;
    utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        Error::Content {
            loc: crate::error::Location::at(path, line, 0),
            msg: "not valid UTF-8 text; save the file as UTF-8".into(),
        }
    })
}

/// `bytes` as a `String`, checked with SIMD: a build checks every article
/// it reads and every page it renders, 600 MB on a site of 10,000 stories,
/// where the standard library's byte-at-a-time check was 3% of the build.
pub fn utf8(bytes: Vec<u8>) -> std::result::Result<String, std::string::FromUtf8Error> {
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        // The standard check again, for its error (where the text breaks).
        return String::from_utf8(bytes);
    }
    // SAFETY: just checked to be UTF-8.
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))
}

pub fn remove_dir_all(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Every file under `dir`, hidden ones included, as sorted '/'-separated
/// relative paths: what a copy of the site holds.
pub fn list_files(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(path, e.into_io_error().unwrap_or_else(|| std::io::Error::other("cannot walk")))
        })?;
        if entry.file_type().is_file() {
            out.push(entry.path().strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/"));
        }
    }
    out.sort();
    Ok(out)
}

/// `path` made absolute, with links and `..` resolved as far as it exists
/// (the rest, not yet made, is appended as written): so that
/// `./site/../site/public` and a link to the site compare as the same place.
pub fn resolved(path: &Path) -> PathBuf {
    let abs =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let mut existing = abs.as_path();
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
}

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|e| Error::io(from, e))
}

/// What a file's metadata says about its bytes: if the stamp is the same,
/// the file is taken to be the same (as make and cargo do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub len: u64,
    pub modified_ns: u128,
    pub inode: u64,
}

/// Replaces the file `target` with `bytes` whole (written beside it, then
/// renamed over it), or leaves it as it was if that fails: for the files
/// that only make the next build faster, never read half written.
pub fn replace_or_leave(target: &Path, bytes: &[u8]) {
    let tmp = target.with_extension(format!("tmp-{}", std::process::id()));
    if std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, target)).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// When a file's inode last changed (nanoseconds since 1970): any write,
/// rename or link moves it, and no one can set it back, unlike the
/// modification time.
pub fn changed_ns(m: &std::fs::Metadata) -> i128 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        nanos(m.ctime(), m.ctime_nsec())
    }
    #[cfg(not(unix))]
    {
        let t = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        t.map_or(i128::MAX, |t| t.as_nanos() as i128)
    }
}

/// A kernel time (seconds and nanoseconds) in nanoseconds since 1970.
#[cfg(unix)]
fn nanos(secs: i64, nsec: i64) -> i128 {
    i128::from(secs) * 1_000_000_000 + i128::from(nsec)
}

/// A folder held open, to look up many files by their paths relative to
/// it: each lookup walks only the relative part. A build's check that
/// nothing changed stats every source and output file (650,000 for 100,000
/// articles), and most of each stat was the walk down the same long path.
pub struct Folder {
    path: PathBuf,
    #[cfg(unix)]
    fd: rustix::fd::OwnedFd,
}

impl Folder {
    pub fn open(path: &Path) -> Option<Folder> {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags};
            let fd = rustix::fs::open(path, OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty()).ok()?;
            Some(Folder { path: path.to_path_buf(), fd })
        }
        #[cfg(not(unix))]
        path.is_dir().then(|| Folder { path: path.to_path_buf() })
    }

    /// The stamp of the file at `rel` (following links).
    pub fn stamp(&self, rel: &str) -> Option<Stamp> {
        #[cfg(unix)]
        {
            let st = rustix::fs::statat(&self.fd, rel, rustix::fs::AtFlags::empty()).ok()?;
            let ns = |s: i64, n: i64| u128::try_from(s).ok().map(|s| s * 1_000_000_000 + n as u128);
            Some(Stamp {
                len: st.st_size as u64,
                modified_ns: ns(st.st_mtime, st.st_mtime_nsec as i64)?,
                inode: st.st_ino,
            })
        }
        #[cfg(not(unix))]
        stamp(&self.path.join(rel))
    }

    /// Whether `rel` is a plain file (not following a link), and when its
    /// inode last changed.
    pub fn changed(&self, rel: &str) -> Option<(bool, i128)> {
        #[cfg(unix)]
        {
            let st = rustix::fs::statat(&self.fd, rel, rustix::fs::AtFlags::SYMLINK_NOFOLLOW).ok()?;
            let plain = rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::RegularFile;
            Some((plain, nanos(st.st_ctime as i64, st.st_ctime_nsec as i64)))
        }
        #[cfg(not(unix))]
        std::fs::symlink_metadata(self.path.join(rel)).ok().map(|m| (m.is_file(), changed_ns(&m)))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The stamp of the file at `path` (following links); `None` if it is gone.
pub fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    let modified_ns = m.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let inode = 0;
    Some(Stamp { len: m.len(), modified_ns, inode })
}

/// Removes a folder, its top-level entries in parallel: a large site is
/// tens of thousands of files.
pub fn remove_tree(dir: &Path) -> Result<()> {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
        Err(_) => return Ok(()),
    };
    entries.par_iter().try_for_each(|p| match std::fs::symlink_metadata(p) {
        // Never follow a link out: remove the link itself.
        Ok(m) if m.is_dir() => remove_dir_all(p),
        Ok(_) => std::fs::remove_file(p).map_err(|e| Error::io(p, e)),
        Err(_) => Ok(()),
    })?;
    remove_dir_all(dir)
}

/// For unit tests: a copy of `tests/fixtures/<name>` in a new temporary
/// folder (kept while the `TempDir` lives), and the copy's canonical path.
#[cfg(test)]
pub(crate) fn copy_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(name);
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let root = tmp.path().canonicalize().expect("the temporary folder").join("site");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.expect("the fixture is readable");
        let to = root.join(entry.path().strip_prefix(&from).expect("under the fixture"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("a folder in the copy");
        } else {
            std::fs::copy(entry.path(), &to).expect("a file in the copy");
        }
    }
    (tmp, root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_looks_files_up_as_their_full_paths_would() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a/b.md");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, b"text").unwrap();
        let folder = Folder::open(dir.path()).unwrap();
        assert_eq!(folder.stamp("a/b.md"), stamp(&file));
        assert_eq!(folder.stamp("a/missing.md"), None);
        let m = std::fs::symlink_metadata(&file).unwrap();
        assert_eq!(folder.changed("a/b.md"), Some((true, changed_ns(&m))));
        assert_eq!(folder.changed("a").map(|(plain, _)| plain), Some(false), "a folder is no plain file");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&file, dir.path().join("link.md")).unwrap();
            assert_eq!(folder.stamp("link.md"), stamp(&file), "a link is followed for its stamp");
            assert_eq!(folder.changed("link.md").map(|(plain, _)| plain), Some(false), "but is no plain file");
        }
        assert!(Folder::open(&file).is_none(), "a file is no folder");
    }
}
