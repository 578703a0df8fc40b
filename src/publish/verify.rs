//! `sitegen verify`: checks a copy of the site against its manifest (and
//! the manifest against the newsroom's signature). A copy is a folder, a
//! zip file, or a mirror's `http(s)://` address.

use crate::error::{Error, Result};
use crate::publish::manifest::{self, Manifest};
use crate::publish::signing;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the copy is.
pub enum Target {
    Folder(PathBuf),
    /// A zip's files by path, under its top folder if it has one.
    Zip(BTreeMap<String, Vec<u8>>),
    Http {
        base: String,
        agent: ureq::Agent,
    },
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub checked: usize,
    pub missing: Vec<String>,
    pub changed: Vec<String>,
    pub extra: Vec<String>,
    /// Whether extra files could be looked for (not over HTTP).
    pub listed: bool,
    /// The key's fingerprint when the signature was checked and matched.
    pub signed_by: Option<String>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.missing.is_empty() && self.changed.is_empty() && self.extra.is_empty()
    }
}

/// Files that describe the copy rather than belong to it.
const META: &[&str] = &[manifest::JSON, manifest::SUMS, signing::SIG_FILE];

impl Target {
    pub fn open(arg: &str) -> Result<Target> {
        if arg.starts_with("http://") || arg.starts_with("https://") {
            let agent = ureq::AgentBuilder::new().timeout(std::time::Duration::from_secs(30)).build();
            return Ok(Target::Http { base: format!("{}/", arg.trim_end_matches('/')), agent });
        }
        let path = Path::new(arg);
        if path.is_dir() {
            return Ok(Target::Folder(path.to_path_buf()));
        }
        if path.is_file() {
            return read_zip(path).map(Target::Zip);
        }
        Err(Error::Verify(format!("{arg}: no such folder, zip file or http(s) address")))
    }

    /// A file of the copy, or `None` if it is not there.
    fn read(&self, rel: &str) -> Result<Option<Vec<u8>>> {
        match self {
            Target::Folder(dir) => match std::fs::read(dir.join(rel)) {
                Ok(b) => Ok(Some(b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(Error::io(dir.join(rel), e)),
            },
            Target::Zip(files) => Ok(files.get(rel).cloned()),
            Target::Http { base, agent } => {
                let url = format!("{base}{}", encode_path(rel));
                match agent.get(&url).call() {
                    Ok(resp) => {
                        let mut bytes = Vec::new();
                        std::io::Read::read_to_end(&mut resp.into_reader(), &mut bytes)
                            .map_err(|e| Error::Verify(format!("{url}: {e}")))?;
                        Ok(Some(bytes))
                    }
                    Err(ureq::Error::Status(404 | 410, _)) => Ok(None),
                    Err(e) => Err(Error::Verify(format!("{url}: {e}"))),
                }
            }
        }
    }

    /// Every file of the copy, if it can be listed.
    fn list(&self) -> Result<Option<Vec<String>>> {
        match self {
            Target::Folder(dir) => crate::fs::list_files(dir).map(Some),
            Target::Zip(files) => Ok(Some(files.keys().cloned().collect())),
            Target::Http { .. } => Ok(None),
        }
    }
}

/// Checks the copy; with `public_key`, the manifest's signature first.
pub fn verify(target: &Target, public_key: Option<&ed25519_dalek::VerifyingKey>) -> Result<Report> {
    let bytes = target.read(manifest::JSON)?.ok_or_else(|| Error::Verify("the copy has no manifest.json".into()))?;
    let mut report = Report::default();
    if let Some(key) = public_key {
        let sig = target.read(signing::SIG_FILE)?.ok_or_else(|| {
            Error::Verify(format!(
                "the copy has no {}: it was not signed, or the signature was removed",
                signing::SIG_FILE
            ))
        })?;
        signing::check(key, &bytes, &String::from_utf8_lossy(&sig))
            .map_err(|e| Error::Verify(format!("signature: {e}")))?;
        report.signed_by = Some(signing::fingerprint(key));
    }
    let manifest = Manifest::from_json(&String::from_utf8_lossy(&bytes)).map_err(Error::Verify)?;
    // Mirrors answer in parallel; a folder or zip is quick either way.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(8).build().map_err(|e| Error::Verify(e.to_string()))?;
    let results: Vec<Result<(String, Option<bool>)>> = pool.install(|| {
        manifest
            .files
            .par_iter()
            .map(|(path, entry)| {
                let found = target.read(path)?;
                let same = found.map(|b| b.len() as u64 == entry.size && manifest::sha256_hex(&b) == entry.sha256);
                Ok((path.clone(), same))
            })
            .collect()
    });
    for r in results {
        let (path, same) = r?;
        report.checked += 1;
        match same {
            None => report.missing.push(path),
            Some(false) => report.changed.push(path),
            Some(true) => {}
        }
    }
    if let Some(sums) = target.read(manifest::SUMS)? {
        if sums != manifest.to_sums().into_bytes() {
            report.changed.push(manifest::SUMS.to_string());
        }
    }
    if let Some(all) = target.list()? {
        report.listed = true;
        report.extra =
            all.into_iter().filter(|p| !manifest.files.contains_key(p) && !META.contains(&p.as_str())).collect();
    }
    Ok(report)
}

/// A zip's files, relative to its single top folder if the manifest is
/// inside one (as `sitegen archive` makes them).
fn read_zip(path: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let bad = |e: zip::result::ZipError| Error::Verify(format!("{}: not a readable zip file: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut zip = zip::ZipArchive::new(file).map_err(bad)?;
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(bad)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map_err(bad)?.to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).map_err(|e| Error::io(path, e))?;
        files.insert(name, bytes);
    }
    let top = files
        .keys()
        .find_map(|k| k.strip_suffix(&format!("/{}", manifest::JSON)).filter(|p| !p.contains('/')).map(str::to_string));
    Ok(match top {
        Some(t) if !files.contains_key(manifest::JSON) => {
            let prefix = format!("{t}/");
            files.into_iter().filter_map(|(k, v)| k.strip_prefix(&prefix).map(|r| (r.to_string(), v))).collect()
        }
        _ => files,
    })
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
}
