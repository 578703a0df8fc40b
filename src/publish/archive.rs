//! `site.zip` and `site.tar.gz`: the whole site as one file that readers
//! pass hand to hand and open from disk. Byte-identical for the same site:
//! entries sorted, times fixed (`SOURCE_DATE_EPOCH`, else 1980-01-01), modes
//! fixed, no owner names.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// 1980-01-01T00:00:00Z: the earliest time a zip file can hold.
const DEFAULT_EPOCH: i64 = 315_532_800;

pub struct Archives {
    pub zip: PathBuf,
    pub tar_gz: PathBuf,
    pub files: usize,
}

/// The build time recorded in archives: `SOURCE_DATE_EPOCH` if set (the
/// reproducible-builds convention), else a fixed date.
pub fn epoch() -> Result<i64> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => {
            v.trim().parse::<i64>().ok().filter(|&t| t >= DEFAULT_EPOCH).ok_or_else(|| {
                Error::Options(format!("SOURCE_DATE_EPOCH=`{v}` must be seconds since 1970, from 1980 on"))
            })
        }
        Err(_) => Ok(DEFAULT_EPOCH),
    }
}

/// Archives the built site in `site` as `<dir>/<name>.zip` and
/// `<dir>/<name>.tar.gz`, with every file under a folder `<name>/`.
pub fn write(site: &Path, dir: &Path, name: &str) -> Result<Archives> {
    // The name is a file name: `../../x` would put the archives elsewhere.
    if name.is_empty() || name.starts_with('.') || name.contains(['/', '\\']) || name.contains(char::is_control) {
        return Err(Error::Options(format!(
            "--name `{}` must be a plain name such as `site` (no folders, no leading dot)",
            name.escape_debug()
        )));
    }
    if !site.join(crate::publish::manifest::JSON).is_file() {
        return Err(Error::Archive(format!(
            "{} is not a site built by sitegen (no manifest.json); run `sitegen build` first",
            site.display()
        )));
    }
    let files = crate::fs::list_files(site)?;
    let epoch = epoch()?;
    crate::fs::create_dir_all(dir)?;
    let zip = dir.join(format!("{name}.zip"));
    let tar_gz = dir.join(format!("{name}.tar.gz"));
    write_atomically(&zip, |w| write_zip(w, site, name, &files, epoch))?;
    write_atomically(&tar_gz, |w| write_tar_gz(w, site, name, &files, epoch))?;
    Ok(Archives { zip, tar_gz, files: files.len() })
}

fn write_atomically(path: &Path, f: impl FnOnce(&mut std::fs::File) -> Result<()>) -> Result<()> {
    let tmp = path.with_extension("partial");
    let mut file = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
    let result = f(&mut file).and_then(|_| file.sync_all().map_err(|e| Error::io(&tmp, e)));
    match result {
        Ok(()) => crate::fs::rename(&tmp, path),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

fn write_zip(w: &mut std::fs::File, site: &Path, name: &str, files: &[String], epoch: i64) -> Result<()> {
    use zip::write::SimpleFileOptions;
    let when = zip_time(epoch);
    let zerr = |e: zip::result::ZipError| Error::Archive(format!("zip: {e}"));
    let mut z = zip::ZipWriter::new(w);
    let file_opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(when)
        .unix_permissions(0o644);
    let dir_opts = SimpleFileOptions::default().last_modified_time(when).unix_permissions(0o755);
    let mut dirs = std::collections::BTreeSet::new();
    for rel in files {
        // Folders first, so every unpacker creates them with the same mode.
        for parent in new_parents(rel, &mut dirs) {
            z.add_directory(format!("{name}/{parent}"), dir_opts).map_err(zerr)?;
        }
        z.start_file(format!("{name}/{rel}"), file_opts).map_err(zerr)?;
        let bytes = crate::fs::read(&site.join(rel))?;
        z.write_all(&bytes).map_err(|e| Error::io(site.join(rel), e))?;
    }
    z.finish().map_err(zerr)?;
    Ok(())
}

/// The folders of `rel` (`a/`, `a/b/`) not yet in `seen`, outermost first.
fn new_parents(rel: &str, seen: &mut std::collections::BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut end = 0;
    while let Some(i) = rel[end..].find('/') {
        end += i + 1;
        let parent = &rel[..end];
        if seen.insert(parent.to_string()) {
            out.push(parent.to_string());
        }
    }
    out
}

fn zip_time(epoch: i64) -> zip::DateTime {
    use chrono::{Datelike, Timelike};
    let t = chrono::DateTime::from_timestamp(epoch, 0).unwrap_or_default();
    zip::DateTime::from_date_and_time(
        t.year().clamp(1980, 2107) as u16,
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
    )
    .unwrap_or_default()
}

fn write_tar_gz(w: &mut std::fs::File, site: &Path, name: &str, files: &[String], epoch: i64) -> Result<()> {
    // No file name or time in the gzip header: only the content counts.
    let gz = flate2::GzBuilder::new().mtime(0).write(w, flate2::Compression::best());
    let mut t = tar::Builder::new(gz);
    t.mode(tar::HeaderMode::Deterministic);
    let header = |size: u64, mode: u32, kind: tar::EntryType| {
        let mut h = tar::Header::new_ustar();
        h.set_size(size);
        h.set_mode(mode);
        h.set_entry_type(kind);
        h.set_mtime(epoch as u64);
        h.set_uid(0);
        h.set_gid(0);
        h
    };
    let terr = |e: std::io::Error| Error::Archive(format!("tar: {e}"));
    let mut dirs = std::collections::BTreeSet::new();
    for rel in files {
        for parent in new_parents(rel, &mut dirs) {
            let mut h = header(0, 0o755, tar::EntryType::Directory);
            t.append_data(&mut h, format!("{name}/{parent}"), std::io::empty()).map_err(terr)?;
        }
        let bytes = crate::fs::read(&site.join(rel))?;
        let mut h = header(bytes.len() as u64, 0o644, tar::EntryType::Regular);
        t.append_data(&mut h, format!("{name}/{rel}"), bytes.as_slice()).map_err(terr)?;
    }
    t.into_inner().map_err(terr)?.finish().map_err(terr)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("news/a")).unwrap();
        std::fs::write(d.path().join("index.html"), "<p>home</p>").unwrap();
        std::fs::write(d.path().join("news/a/index.html"), "<p>a</p>").unwrap();
        std::fs::write(d.path().join("manifest.json"), "{}").unwrap();
        d
    }

    #[test]
    fn archives_are_byte_identical_whatever_the_file_times() {
        let s = site();
        let out1 = tempfile::tempdir().unwrap();
        write(s.path(), out1.path(), "site").unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
        std::fs::File::options().write(true).open(s.path().join("index.html")).unwrap().set_modified(later).unwrap();
        let out2 = tempfile::tempdir().unwrap();
        let a = write(s.path(), out2.path(), "site").unwrap();
        assert_eq!(a.files, 3);
        for f in ["site.zip", "site.tar.gz"] {
            assert_eq!(std::fs::read(out1.path().join(f)).unwrap(), std::fs::read(out2.path().join(f)).unwrap(), "{f}");
        }
    }

    #[test]
    fn refuses_a_folder_that_is_not_a_built_site() {
        let d = tempfile::tempdir().unwrap();
        let e = write(d.path(), d.path(), "site").err().unwrap().to_string();
        assert!(e.contains("is not a site built by sitegen"), "{e}");
    }
}
