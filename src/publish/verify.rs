//! `sitegen verify`: checks a copy of the site against its manifest, and
//! the manifest against the newsroom's signature. A copy is a folder, a zip
//! or a tar.gz (as `sitegen archive` makes them), or a mirror's
//! `http(s)://` address.
//!
//! A copy is hostile until proven otherwise: the signature is checked
//! before any other file is read; every file is read with the size its
//! manifest promises as a hard limit; and anything a copy holds that is not
//! exactly one listed file, once, is reported: an archive entry outside the
//! site's folder or named twice, a symbolic link, a file the manifest does
//! not list.

use crate::error::{Error, Result};
use crate::publish::manifest::{self, Manifest};
use crate::publish::signing::{self, Signed};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The largest manifest and signature read: a site of a million pages has
/// a manifest of about 200 MB.
const MANIFEST_LIMIT: u64 = 512 << 20;
const SIG_LIMIT: u64 = 64 << 10;

/// Where the copy is.
pub enum Target {
    Folder(PathBuf),
    Zip(ZipCopy),
    TarGz(PathBuf),
    Http { base: String, agent: ureq::Agent },
}

/// A zip's entries, by path inside the site, checked to lie in it once.
pub struct ZipCopy {
    archive: Mutex<zip::ZipArchive<std::fs::File>>,
    /// Site path → entry index.
    entries: BTreeMap<String, usize>,
    /// Entries that are not exactly one file of the site.
    refused: Vec<String>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub checked: usize,
    pub missing: Vec<String>,
    pub changed: Vec<String>,
    pub extra: Vec<String>,
    /// What the copy holds that is not a file of the site: a link, an
    /// archive entry outside its folder or twice, with why.
    pub refused: Vec<String>,
    /// Whether extra files could be looked for (not over HTTP).
    pub listed: bool,
    /// The key's fingerprint when the signature was checked and matched.
    pub signed_by: Option<String>,
    /// What the signature vouches for (`None` for a signature made before
    /// signatures carried a time, or when none was checked).
    pub signed: Option<Signed>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.missing.is_empty() && self.changed.is_empty() && self.extra.is_empty() && self.refused.is_empty()
    }
}

/// What reading a file of the copy found.
enum Found {
    Bytes(Vec<u8>),
    /// More bytes than the limit: not the file the manifest lists.
    TooLarge,
    Missing,
}

/// Files that describe the copy rather than belong to it.
const META: &[&str] = &[manifest::JSON, manifest::SUMS, signing::SIG_FILE];

impl Target {
    pub fn open(arg: &str) -> Result<Target> {
        if arg.starts_with("http://") || arg.starts_with("https://") {
            let agent = ureq::AgentBuilder::new().timeout(std::time::Duration::from_secs(30)).redirects(0).build();
            return Ok(Target::Http { base: format!("{}/", arg.trim_end_matches('/')), agent });
        }
        let path = Path::new(arg);
        if path.is_dir() {
            return Ok(Target::Folder(path.to_path_buf()));
        }
        if path.is_file() {
            let mut head = [0u8; 2];
            let _ = std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head));
            return match head {
                [0x1f, 0x8b] => Ok(Target::TarGz(path.to_path_buf())),
                _ => open_zip(path).map(Target::Zip),
            };
        }
        Err(Error::Verify(format!("{arg}: no such folder, zip or tar.gz file, or http(s) address")))
    }

    /// Site file `rel` if the copy has it, refused past `limit` bytes.
    pub fn fetch(&self, rel: &str, limit: u64) -> Result<Option<Vec<u8>>> {
        match self.read(rel, limit)? {
            Found::Bytes(b) => Ok(Some(b)),
            Found::Missing => Ok(None),
            Found::TooLarge => Err(Error::Verify(format!("{rel} is larger than {limit} bytes"))),
        }
    }

    /// Site file `rel`, read up to `limit` bytes.
    fn read(&self, rel: &str, limit: u64) -> Result<Found> {
        let take = |r: &mut dyn Read, what: &dyn Fn(std::io::Error) -> Error| -> Result<Found> {
            let mut bytes = Vec::new();
            r.take(limit + 1).read_to_end(&mut bytes).map_err(what)?;
            Ok(if bytes.len() as u64 > limit { Found::TooLarge } else { Found::Bytes(bytes) })
        };
        match self {
            Target::Folder(dir) => {
                let path = dir.join(rel);
                // A listed file that is a link is refused by `list`; never
                // read through it here.
                match std::fs::symlink_metadata(&path) {
                    Ok(m) if m.is_file() => {}
                    _ => return Ok(Found::Missing),
                }
                let mut f = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
                take(&mut f, &|e| Error::io(&path, e))
            }
            Target::Zip(z) => {
                let Some(&i) = z.entries.get(rel) else { return Ok(Found::Missing) };
                let mut archive = z.archive.lock().expect("not poisoned");
                let mut entry = archive.by_index(i).map_err(|e| Error::Verify(format!("{rel}: {e}")))?;
                take(&mut entry, &|e| Error::Verify(format!("{rel}: {e}")))
            }
            Target::TarGz(_) => unreachable!("a tar.gz is read in order, by verify_tar_gz"),
            Target::Http { base, agent } => {
                let url = format!("{base}{}", encode_path(rel));
                match agent.get(&url).call() {
                    // A copy answers for itself: a redirect elsewhere (to a
                    // blocked primary, say) is not the file.
                    Ok(resp) if (300..400).contains(&resp.status()) => Err(Error::Verify(format!(
                        "{url}: redirects to {}",
                        resp.header("location").unwrap_or("another address")
                    ))),
                    Ok(resp) => take(&mut resp.into_reader(), &|e| Error::Verify(format!("{url}: {e}"))),
                    Err(ureq::Error::Status(404 | 410, _)) => Ok(Found::Missing),
                    Err(e) => Err(Error::Verify(format!("{url}: {e}"))),
                }
            }
        }
    }

    /// Every file of the copy and everything refused in it, if it can be
    /// listed.
    fn list(&self) -> Result<Option<(Vec<String>, Vec<String>)>> {
        match self {
            Target::Folder(dir) => {
                let mut files = Vec::new();
                let mut refused = Vec::new();
                for entry in walkdir::WalkDir::new(dir).sort_by_file_name().min_depth(1) {
                    let entry = entry.map_err(|e| Error::Verify(format!("{}: {e}", dir.display())))?;
                    let rel = entry.path().strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
                    if entry.path_is_symlink() {
                        refused.push(format!("{rel} (a symbolic link)"));
                    } else if entry.file_type().is_file() {
                        files.push(rel);
                    }
                }
                Ok(Some((files, refused)))
            }
            Target::Zip(z) => Ok(Some((z.entries.keys().cloned().collect(), z.refused.clone()))),
            Target::TarGz(_) | Target::Http { .. } => Ok(None),
        }
    }
}

/// Which files of a copy are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    /// About this many, spread over the manifest, and the home page: what
    /// a monitor fetches from every mirror every hour.
    /// The files are drawn by `seed` (random for each check, so that a
    /// mirror cannot tell which files will be fetched).
    Sample {
        about: usize,
        seed: u64,
    },
}

impl Scope {
    /// Whether the file at `path`, one of `n`, is read.
    fn takes(self, n: usize, path: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Sample { about, seed } => {
                path == "index.html"
                    || (xxhash_rust::xxh3::xxh3_64_with_seed(path.as_bytes(), seed) % n.max(1) as u64) < about as u64
            }
        }
    }
}

/// Checks the copy; with `public_key`, the manifest's signature first.
pub fn verify(target: &Target, public_key: Option<&ed25519_dalek::VerifyingKey>) -> Result<Report> {
    verify_some(target, public_key, Scope::All)
}

/// `verify`, reading the files `scope` takes.
pub fn verify_some(target: &Target, public_key: Option<&ed25519_dalek::VerifyingKey>, scope: Scope) -> Result<Report> {
    if let Target::TarGz(path) = target {
        return verify_tar_gz(path, public_key);
    }
    let bytes = match target.read(manifest::JSON, MANIFEST_LIMIT)? {
        Found::Bytes(b) => b,
        Found::TooLarge => return Err(Error::Verify("the copy's manifest.json is too large to be one".into())),
        Found::Missing => return Err(Error::Verify("the copy has no manifest.json".into())),
    };
    let sig = match target.read(signing::SIG_FILE, SIG_LIMIT)? {
        Found::Bytes(b) => Some(b),
        _ => None,
    };
    check_files(target, &bytes, sig.as_deref(), public_key, scope)
}

/// `verify_some` with the copy's manifest (and signature) already fetched:
/// checks them, then the files `scope` takes.
pub fn check_files(
    target: &Target,
    bytes: &[u8],
    sig: Option<&[u8]>,
    public_key: Option<&ed25519_dalek::VerifyingKey>,
    scope: Scope,
) -> Result<Report> {
    let (manifest, mut report) = check_manifest(bytes, sig, public_key)?;
    // Mirrors answer in parallel; a folder or zip is quick either way.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(8).build().map_err(|e| Error::Verify(e.to_string()))?;
    // A manifest names files inside the copy: one that names a path out
    // of it (`../x`, `/etc/x`) is refused, never read.
    let (inside, outside): (Vec<_>, Vec<_>) = manifest.files.iter().partition(|(p, _)| is_inside(p));
    report
        .refused
        .extend(outside.into_iter().map(|(p, _)| format!("{p} (the manifest names a file outside the copy)")));
    let n = inside.len();
    let taken: Vec<(&String, &manifest::Entry)> = inside.into_iter().filter(|(p, _)| scope.takes(n, p)).collect();
    let results: Vec<Result<(String, Option<bool>)>> = pool.install(|| {
        taken
            .par_iter()
            .map(|&(path, entry)| {
                let same = match target.read(path, entry.size)? {
                    Found::Bytes(b) => Some(b.len() as u64 == entry.size && manifest::sha256_hex(&b) == entry.sha256),
                    Found::TooLarge => Some(false),
                    Found::Missing => None,
                };
                Ok((path.clone(), same))
            })
            .collect()
    });
    for r in results {
        let (path, same) = r?;
        tally(&mut report, path, same);
    }
    let sums = manifest.to_sums();
    if let Found::Bytes(b) = target.read(manifest::SUMS, sums.len() as u64)? {
        if b != sums.as_bytes() {
            report.changed.push(manifest::SUMS.to_string());
        }
    }
    if let Some((all, refused)) = target.list()? {
        report.listed = true;
        report.extra = extras(all.into_iter(), &manifest);
        report.refused.extend(refused);
    }
    Ok(report)
}

/// Parses the manifest, having checked its signature first if a key is
/// given: nothing else of a copy is read before.
fn check_manifest(
    bytes: &[u8],
    sig: Option<&[u8]>,
    public_key: Option<&ed25519_dalek::VerifyingKey>,
) -> Result<(Manifest, Report)> {
    let mut report = Report::default();
    if let Some(key) = public_key {
        let sig = sig.ok_or_else(|| {
            Error::Verify(format!(
                "the copy has no {}: it was not signed, or the signature was removed",
                signing::SIG_FILE
            ))
        })?;
        report.signed = signing::check(key, bytes, &String::from_utf8_lossy(sig))
            .map_err(|e| Error::Verify(format!("signature: {e}")))?;
        report.signed_by = Some(signing::fingerprint(key));
    }
    let manifest = Manifest::from_json(&String::from_utf8_lossy(bytes)).map_err(Error::Verify)?;
    Ok((manifest, report))
}

/// Whether a manifest path stays inside the copy: relative, '/'-separated,
/// with no empty, `.` or `..` segment.
fn is_inside(path: &str) -> bool {
    !path.contains(['\\', '\0']) && path.split('/').all(|s| !s.is_empty() && s != "." && s != "..")
}

fn tally(report: &mut Report, path: String, same: Option<bool>) {
    report.checked += 1;
    match same {
        None => report.missing.push(path),
        Some(false) => report.changed.push(path),
        Some(true) => {}
    }
}

fn extras(all: impl Iterator<Item = String>, manifest: &Manifest) -> Vec<String> {
    all.filter(|p| !manifest.files.contains_key(p) && !META.contains(&p.as_str())).collect()
}

/// The site path of archive entry `name`, if it lies inside the site's
/// folder (`top/`, or the root if the archive has none) as one plain path;
/// else why not.
fn site_path(name: &str, top: Option<&str>) -> std::result::Result<String, &'static str> {
    if name.contains('\\') {
        return Err("a backslash in its name");
    }
    let rel = match top {
        Some(t) => name.strip_prefix(t).and_then(|r| r.strip_prefix('/')).ok_or("outside the site's folder")?,
        None => name,
    };
    if rel.is_empty() || rel.starts_with('/') || rel.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
        return Err("outside the site's folder");
    }
    Ok(rel.to_string())
}

/// The top folder of an archive's entry names: the one that holds
/// `manifest.json` (as `sitegen archive` makes them), if it is not at the
/// root.
fn top_folder<'a>(names: impl Iterator<Item = &'a str> + Clone) -> Option<String> {
    if names.clone().any(|n| n == manifest::JSON) {
        return None;
    }
    names.filter_map(|n| n.strip_suffix(&format!("/{}", manifest::JSON))).find(|t| !t.contains('/')).map(str::to_string)
}

fn open_zip(path: &Path) -> Result<ZipCopy> {
    let bad = |e: zip::result::ZipError| Error::Verify(format!("{}: not a readable zip file: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let zip = zip::ZipArchive::new(file).map_err(bad)?;
    // Every name, duplicates included, from the central directory itself.
    let mut raw = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let names: Vec<String> = crate::publish::zip_names::entry_names(&mut raw)
        .map_err(|e| Error::Verify(format!("{}: not a readable zip file: {e}", path.display())))?
        .into_iter()
        .map(|n| String::from_utf8_lossy(&n).into_owned())
        .collect();
    let top = top_folder(names.iter().map(String::as_str));
    let mut entries = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut refused = Vec::new();
    for name in &names {
        let is_dir = name.ends_with('/');
        match site_path(name.trim_end_matches('/'), top.as_deref()) {
            _ if is_dir && top.as_deref() == Some(name.trim_end_matches('/')) => {}
            Err(why) => refused.push(format!("{} ({why})", name.escape_debug())),
            Ok(_) if is_dir => {}
            // An unzipper may take either copy: neither can be vouched for.
            Ok(rel) if !seen.insert(rel.clone()) => refused.push(format!("{rel} (twice in the archive)")),
            Ok(rel) => {
                let i = zip
                    .index_for_name(name)
                    .ok_or_else(|| Error::Verify(format!("{}: {name} not found", path.display())))?;
                entries.insert(rel, i);
            }
        }
    }
    for rel in refused.iter().filter_map(|r| r.strip_suffix(" (twice in the archive)")) {
        entries.remove(rel);
    }
    Ok(ZipCopy { archive: Mutex::new(zip), entries, refused })
}

/// A tar.gz is read in order: once for the manifest and signature (checked
/// first), once for the files.
fn verify_tar_gz(path: &Path, public_key: Option<&ed25519_dalek::VerifyingKey>) -> Result<Report> {
    let bad = |e: std::io::Error| Error::Verify(format!("{}: not a readable tar.gz file: {e}", path.display()));
    let entries = |f: &mut dyn FnMut(String, &mut dyn Read) -> Result<()>| -> Result<()> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
        for entry in tar.entries().map_err(bad)? {
            let mut entry = entry.map_err(bad)?;
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let kind = entry.header().entry_type();
            if kind.is_dir() {
                continue;
            }
            let name = if kind.is_file() { name } else { format!("{name}\0") };
            f(name, &mut entry)?;
        }
        Ok(())
    };
    let mut names = Vec::new();
    entries(&mut |name, _| {
        names.push(name);
        Ok(())
    })?;
    let top = top_folder(names.iter().map(String::as_str));
    let (mut json, mut sig) = (None, None);
    entries(&mut |name, r| {
        let limit = match site_path(&name, top.as_deref()).as_deref() {
            Ok(manifest::JSON) => MANIFEST_LIMIT,
            Ok(signing::SIG_FILE) => SIG_LIMIT,
            _ => return Ok(()),
        };
        let mut bytes = Vec::new();
        r.take(limit).read_to_end(&mut bytes).map_err(bad)?;
        if name.ends_with(signing::SIG_FILE) { &mut sig } else { &mut json }.replace(bytes);
        Ok(())
    })?;
    let json = json.ok_or_else(|| Error::Verify("the copy has no manifest.json".into()))?;
    let (manifest, mut report) = check_manifest(&json, sig.as_deref(), public_key)?;
    let mut seen = BTreeSet::new();
    let mut all = Vec::new();
    entries(&mut |name, r| {
        let rel = match site_path(name.trim_end_matches('\0'), top.as_deref()) {
            Ok(rel) if name.ends_with('\0') => {
                report.refused.push(format!("{rel} (not a plain file)"));
                return Ok(());
            }
            Ok(rel) => rel,
            Err(why) => {
                report.refused.push(format!("{} ({why})", name.escape_debug()));
                return Ok(());
            }
        };
        if !seen.insert(rel.clone()) {
            report.refused.push(format!("{rel} (twice in the archive)"));
            return Ok(());
        }
        if let Some(entry) = manifest.files.get(&rel) {
            let mut bytes = Vec::new();
            r.take(entry.size + 1).read_to_end(&mut bytes).map_err(bad)?;
            let same = bytes.len() as u64 == entry.size && manifest::sha256_hex(&bytes) == entry.sha256;
            tally(&mut report, rel.clone(), Some(same));
        } else if rel == manifest::SUMS {
            let sums = manifest.to_sums();
            let mut bytes = Vec::new();
            r.take(sums.len() as u64 + 1).read_to_end(&mut bytes).map_err(bad)?;
            if bytes != sums.as_bytes() {
                report.changed.push(manifest::SUMS.to_string());
            }
        }
        all.push(rel);
        Ok(())
    })?;
    for path in manifest.files.keys().filter(|p| !seen.contains(*p)) {
        tally(&mut report, path.clone(), None);
    }
    report.missing.sort();
    report.listed = true;
    report.extra = extras(all.into_iter(), &manifest);
    Ok(report)
}

/// Percent-encodes a path for a URL, keeping `/`.
fn encode_path(rel: &str) -> String {
    let mut out = String::with_capacity(rel.len());
    for b in rel.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_paths() {
        assert_eq!(encode_path("news/a b/ф.jpg"), "news/a%20b/%D1%84.jpg");
    }

    #[test]
    fn archive_entries_must_lie_in_the_site_folder() {
        let top = Some("site");
        assert_eq!(site_path("site/news/a/index.html", top), Ok("news/a/index.html".into()));
        for bad in ["README-FIRST.html", "../../.bashrc", "/etc/cron.d/x", "site\\index.html", "site/../x", "site/"] {
            assert!(site_path(bad, top).is_err(), "{bad}");
        }
        assert_eq!(site_path("index.html", None), Ok("index.html".into()));
        assert!(site_path("a//b", None).is_err());
    }
}
