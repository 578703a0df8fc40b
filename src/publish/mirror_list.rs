//! The signed mirror list, `mirrors.signed.json`: the site's addresses with
//! a sequence number that only grows, when the list was issued and when it
//! expires, signed with the newsroom's key. Mirror hostnames live about a
//! day and anyone can put up a look-alike; a reader's tool (or
//! `sitegen mirrors check`) trusts a list by its signature, prefers the
//! highest sequence it has seen, and distrusts one past its expiry.
//!
//! The file is `{"signed": "<the list as JSON text>", "signature":
//! "ed25519:<base64>"}`: the signature is over the exact bytes of `signed`,
//! so a checker needs no canonical JSON.

use crate::publish::signing::KeyFile;
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

pub const FILE: &str = "mirrors.signed.json";
const FORMAT: &str = "sitegen mirror list 1";

/// One address on the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub url: String,
    /// `web`, `onion`, `ipfs` or `archive`.
    pub kind: String,
    /// Lasts (named on every page), unlike the rotating ones.
    pub stable: bool,
}

/// What the list says, as signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct List {
    pub format: String,
    /// The primary address of the site the list is for.
    pub site: String,
    pub sequence: u64,
    /// RFC 3339, UTC.
    pub issued: String,
    pub expires: String,
    pub mirrors: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    signed: String,
    signature: String,
}

/// A signed list: the file's text and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub text: String,
    pub list: List,
}

impl Signed {
    /// Seconds since 1970 of the list's expiry.
    pub fn expires_at(&self) -> i64 {
        seconds(&self.list.expires)
    }

    pub fn issued_at(&self) -> i64 {
        seconds(&self.list.issued)
    }
}

fn seconds(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339).map_or(0, |t| t.timestamp())
}

fn rfc3339(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0).map(|t| t.to_rfc3339()).unwrap_or_default()
}

/// Issues the list of `mirrors` for `site` at `now` (seconds since 1970),
/// valid for `days`, with a sequence past `replaced`'s (a list this key
/// signed: the caller checks).
pub fn issue(key: &KeyFile, site: &str, mirrors: Vec<Entry>, replaced: Option<&List>, now: i64, days: u32) -> Signed {
    let sequence = (now.max(0) as u64).max(replaced.map_or(0, |r| r.sequence.saturating_add(1)));
    let list = List {
        format: FORMAT.into(),
        site: site.into(),
        sequence,
        issued: rfc3339(now),
        expires: rfc3339(now + i64::from(days) * 86_400),
        mirrors,
    };
    let signed = serde_json::to_string(&list).expect("a list serialises");
    let signature = key.sign_bytes(signed.as_bytes());
    let text = serde_json::to_string_pretty(&Envelope { signed, signature }).expect("an envelope serialises") + "\n";
    Signed { text, list }
}

/// Reads a list file without checking its signature.
pub fn read(text: &str) -> std::result::Result<Signed, String> {
    let envelope: Envelope = serde_json::from_str(text).map_err(|e| format!("not a signed mirror list: {e}"))?;
    let list: List = serde_json::from_str(&envelope.signed).map_err(|e| format!("its list is damaged: {e}"))?;
    if list.format != FORMAT {
        return Err(format!("an unknown list format `{}`", list.format));
    }
    Ok(Signed { text: text.to_string(), list })
}

/// Reads a list file and checks its signature with `key`.
pub fn check(key: &VerifyingKey, text: &str) -> std::result::Result<Signed, String> {
    let envelope: Envelope = serde_json::from_str(text).map_err(|e| format!("not a signed mirror list: {e}"))?;
    crate::publish::signing::check_bytes(key, envelope.signed.as_bytes(), &envelope.signature)
        .map_err(|e| format!("the mirror list's {e}"))?;
    read(text)
}

/// The list in the output folder `dir`, if it has one that reads.
pub fn read_in(dir: &std::path::Path) -> Option<Signed> {
    std::fs::read_to_string(dir.join(FILE)).ok().and_then(|t| read(&t).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> (tempfile::TempDir, KeyFile) {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("k");
        let secret = crate::publish::signing::generate().unwrap();
        std::fs::write(&path, crate::publish::signing::secret_to_text(&secret)).unwrap();
        let key = KeyFile::open(&path).unwrap();
        (d, key)
    }

    fn entries() -> Vec<Entry> {
        vec![Entry { url: "https://m.example".into(), kind: "web".into(), stable: false }]
    }

    #[test]
    fn an_issued_list_checks_and_its_sequence_grows() {
        let (_d, key) = key();
        let first = issue(&key, "https://site.example", entries(), None, 1_800_000_000, 3);
        assert_eq!(check(&key.public(), &first.text).unwrap(), first);
        assert_eq!(first.expires_at() - first.issued_at(), 3 * 86_400);
        // Issued again in the same second (or with the clock set back).
        let second = issue(&key, "https://site.example", entries(), Some(&first.list), 1_700_000_000, 3);
        assert_eq!(second.list.sequence, first.list.sequence + 1);
    }

    #[test]
    fn a_changed_list_or_another_key_fails() {
        let (_d, key) = key();
        let (_e, other) = self::key();
        let list = issue(&key, "https://site.example", entries(), None, 1_800_000_000, 3);
        let forged = list.text.replace("m.example", "fake.example");
        assert!(check(&key.public(), &forged).unwrap_err().contains("does not match"));
        assert!(check(&other.public(), &list.text).is_err());
        // The sequence is signed: a mirror cannot move it on.
        let moved = list.text.replace("sequence\\\":1800000000", "sequence\\\":1900000000");
        assert_ne!(moved, list.text);
        assert!(check(&key.public(), &moved).is_err());
        assert!(read("{}").is_err());
    }
}
