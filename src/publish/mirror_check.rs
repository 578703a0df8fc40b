//! `sitegen mirrors check`: each mirror the site lists, fetched over HTTP(S)
//! as a reader would reach it, and judged against the newsroom's key and
//! the local output: reachable or not, genuine (its manifest signed with
//! the key, and the files fetched matching it), and current (the same
//! manifest as the local output, or an older or newer one by its
//! signature's sequence). Mirror hostnames rotate daily and look-alike
//! copies exist: a monitor runs this every hour.

use crate::error::{Error, Result};
use crate::publish::manifest;
use crate::publish::mirror_list;
use crate::publish::signing;
use crate::publish::verify::{self, Scope, Target};
use ed25519_dalek::VerifyingKey;
use serde::Serialize;

/// What the local output is, to compare each mirror with.
pub struct Local {
    /// SHA-256 of its `manifest.json`.
    pub manifest_sha256: String,
    /// Its signature's sequence, if signed.
    pub sequence: Option<u64>,
    /// Its signed mirror list's sequence, if any.
    pub list_sequence: Option<u64>,
}

impl Local {
    /// The local output in `dir`, as signed with `key`.
    pub fn read(dir: &std::path::Path, key: &VerifyingKey) -> Result<Local> {
        let manifest = crate::fs::read(&dir.join(manifest::JSON))?;
        let sig = std::fs::read_to_string(dir.join(signing::SIG_FILE)).ok();
        let sequence = sig.and_then(|s| signing::check(key, &manifest, &s).ok().flatten()).map(|s| s.sequence);
        let list_sequence = mirror_list::read_in(dir).map(|l| l.list.sequence);
        Ok(Local { manifest_sha256: manifest::sha256_hex(&manifest), sequence, list_sequence })
    }
}

/// How a mirror stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Serves the same signed site as the local output.
    Current,
    /// Genuine, but an older build than the local output.
    Stale,
    /// Genuine, and a newer build than the local output.
    Newer,
    /// Its manifest is not signed with the key (or not signed at all).
    BadSignature,
    /// Its signature is good but files it serves do not match the manifest.
    Tampered,
    /// No answer, or no site there.
    Unreachable,
    /// Not an address this check can fetch (an onion service needs Tor, an
    /// `ipfs://` name an IPFS node, an archive a download).
    NotChecked,
}

/// One mirror's report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub url: String,
    pub state: State,
    /// Why, in words.
    pub detail: String,
    /// Its signature's sequence, when it has a good one.
    pub sequence: Option<u64>,
    /// Its signed mirror list's sequence, when it has one signed with the key.
    pub list_sequence: Option<u64>,
    pub files_checked: usize,
    /// Files that do not match the manifest, or are missing.
    pub bad_files: Vec<String>,
}

impl Report {
    /// Whether this mirror serves something a reader must not trust.
    pub fn is_bad(&self) -> bool {
        matches!(self.state, State::BadSignature | State::Tampered)
    }
}

/// About how many files of each mirror are fetched without `--all`.
pub const SAMPLE: usize = 20;

/// A sample of about `SAMPLE` files drawn anew for this check: a mirror
/// that alters files cannot tell which ones will be fetched.
pub fn sample() -> Result<Scope> {
    let mut seed = [0u8; 8];
    getrandom::fill(&mut seed).map_err(|e| Error::Verify(format!("no randomness to draw a sample: {e}")))?;
    Ok(Scope::Sample { about: SAMPLE, seed: u64::from_le_bytes(seed) })
}

/// Checks the mirror at `url`.
pub fn check(url: &str, key: &VerifyingKey, local: &Local, scope: Scope) -> Report {
    let mut report = Report {
        url: url.to_string(),
        state: State::NotChecked,
        detail: String::new(),
        sequence: None,
        list_sequence: None,
        files_checked: 0,
        bad_files: Vec::new(),
    };
    if let Some(why) = not_fetchable(url) {
        report.detail = why.into();
        return report;
    }
    match fetch_and_judge(url, key, local, scope, &mut report) {
        Ok(()) => {}
        Err(Judged(state, detail)) => {
            report.state = state;
            report.detail = detail;
        }
    }
    report
}

/// Why an address cannot be fetched here, if it cannot.
fn not_fetchable(url: &str) -> Option<&'static str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', ':', '?', '#']).next().unwrap_or("").to_ascii_lowercase();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        Some("not an http(s) address: check it through an IPFS node")
    } else if host.ends_with(".onion") {
        Some("an onion service: check it through Tor (torsocks sitegen verify URL)")
    } else if [".zip", ".tar.gz", ".tgz"].iter().any(|e| url.ends_with(e)) {
        Some("an archive: download it and run sitegen verify on the file")
    } else {
        None
    }
}

/// A verdict reached before the end.
struct Judged(State, String);

fn fetch_and_judge(
    url: &str,
    key: &VerifyingKey,
    local: &Local,
    scope: Scope,
    r: &mut Report,
) -> std::result::Result<(), Judged> {
    let unreachable = |e: Error| Judged(State::Unreachable, e.to_string());
    let target = Target::open(url).map_err(unreachable)?;
    let manifest = target
        .fetch(manifest::JSON, 512 << 20)
        .map_err(unreachable)?
        .ok_or_else(|| Judged(State::Unreachable, "serves no manifest.json: not a copy of the site".into()))?;
    // Once it served a manifest, a mirror that fails to serve the rest is
    // judged by what it would not show: an error is no excuse.
    let sig = target
        .fetch(signing::SIG_FILE, 64 << 10)
        .map_err(|e| Judged(State::BadSignature, format!("its signature could not be fetched: {e}")))?;
    let sig =
        sig.ok_or_else(|| Judged(State::BadSignature, "serves no manifest.json.sig: its copy is not signed".into()))?;
    let signed = signing::check(key, &manifest, &String::from_utf8_lossy(&sig))
        .map_err(|e| Judged(State::BadSignature, format!("signature: {e}")))?;
    r.sequence = signed.as_ref().map(|s| s.sequence);
    if let Ok(Some(list)) = target.fetch(mirror_list::FILE, 1 << 20) {
        r.list_sequence = mirror_list::check(key, &String::from_utf8_lossy(&list)).ok().map(|l| l.list.sequence);
    }
    // The manifest fetched once and checked above is the one its files are
    // checked against.
    let files = verify::check_files(&target, &manifest, Some(&sig), Some(key), scope).map_err(|e| match e {
        Error::Verify(m) if m.starts_with("signature") => Judged(State::BadSignature, m),
        e => Judged(State::Tampered, format!("a file could not be fetched: {e}")),
    })?;
    r.files_checked = files.checked;
    r.bad_files = files.missing.iter().chain(&files.changed).chain(&files.refused).cloned().collect();
    if !r.bad_files.is_empty() {
        return Err(Judged(
            State::Tampered,
            format!("{} of {} files fetched do not match its manifest", r.bad_files.len(), files.checked),
        ));
    }
    let (state, detail) = if manifest::sha256_hex(&manifest) == local.manifest_sha256 {
        (State::Current, "the same signed site as the local output".to_string())
    } else {
        match (r.sequence, local.sequence) {
            (Some(theirs), Some(ours)) if theirs > ours => {
                (State::Newer, format!("a newer build (sequence {theirs}) than the local output ({ours})"))
            }
            (Some(theirs), Some(ours)) => {
                (State::Stale, format!("an older build (sequence {theirs}) than the local output ({ours})"))
            }
            _ => (State::Stale, "genuine, but not the local output's build".to_string()),
        }
    };
    r.state = state;
    r.detail = detail;
    Ok(())
}
