//! Ed25519 keys and signatures over the manifest, so readers and mirror
//! operators can tell a true copy from a tampered one. Keys are short text:
//! `ed25519:<base64>` for a public key (fits in site.yaml and on a page),
//! and a one-line secret key file that never leaves the newsroom.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};
use std::path::Path;

use crate::error::{Error, Result};

pub const SIG_FILE: &str = "manifest.json.sig";
pub const SECRET_TAG: &str = "sitegen-secret-key-ed25519";
const PREFIX: &str = "ed25519:";

/// A new key pair from the operating system's randomness.
pub fn generate() -> Result<SigningKey> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| Error::Key(format!("no randomness for a key: {e}")))?;
    Ok(SigningKey::from_bytes(&seed))
}

pub fn secret_to_text(key: &SigningKey) -> String {
    format!("{SECRET_TAG} {}\n", B64.encode(key.to_bytes()))
}

pub fn public_to_text(key: &VerifyingKey) -> String {
    format!("{PREFIX}{}", B64.encode(key.to_bytes()))
}

/// The fingerprint people compare by eye: 16 bytes of the key's SHA-256.
pub fn fingerprint(key: &VerifyingKey) -> String {
    let digest = Sha256::digest(key.to_bytes());
    digest[..16].chunks(2).map(|c| format!("{:02x}{:02x}", c[0], c[1])).collect::<Vec<_>>().join(" ")
}

pub fn read_secret(path: &Path) -> Result<SigningKey> {
    let text = crate::fs::read_to_string(path)?;
    let bad = || Error::Key(format!("{}: not a sitegen secret key (made by `sitegen keygen`)", path.display()));
    let b64 = text.trim().strip_prefix(SECRET_TAG).ok_or_else(bad)?.trim();
    let bytes: [u8; 32] = B64.decode(b64).ok().and_then(|b| b.try_into().ok()).ok_or_else(bad)?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// Whether a key argument is key text (`ed25519:…`, or a secret key given
/// by mistake) rather than the path of a file holding one.
pub fn is_key_text(arg: &str) -> bool {
    arg.trim().starts_with(PREFIX) || arg.trim().starts_with(SECRET_TAG)
}

/// A public key given as `ed25519:…` or as the path of a file holding it.
/// Errors never repeat what was read: given a secret key by mistake, they
/// must not print it into a terminal or a CI log.
pub fn parse_public(arg: &str) -> std::result::Result<VerifyingKey, String> {
    let (text, what) = if arg.trim().starts_with(PREFIX) {
        (arg.to_string(), "the public key given".to_string())
    } else if arg.trim().starts_with(SECRET_TAG) {
        return Err("that is a secret key; give the public key (`ed25519:…`, in the .pub file keygen wrote)".into());
    } else {
        let text = std::fs::read_to_string(arg).map_err(|e| format!("public key file `{arg}`: {e}"))?;
        (text, format!("public key file `{arg}`"))
    };
    if text.trim().starts_with(SECRET_TAG) {
        return Err(format!(
            "{what} holds a secret key; give the public key (`ed25519:…`, in the .pub file keygen wrote), and keep the secret one off this machine's logs"
        ));
    }
    let b64 = text.trim().strip_prefix(PREFIX).ok_or_else(|| format!("{what} does not start with `{PREFIX}`"))?;
    let bytes: [u8; 32] = B64
        .decode(b64.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| format!("{what} is not `{PREFIX}` and 32 bytes of base64"))?;
    VerifyingKey::from_bytes(&bytes).map_err(|e| format!("{what}: {e}"))
}

/// What a signature vouches for beside the manifest: when it was made and
/// its sequence number, which only grows from one signature of a site to
/// the next. A mirror can serve an old copy whole and with a good
/// signature; these let a reader refuse copies older than one they have
/// seen, or older than some days (as apt's `Valid-Until` and minisign's
/// trusted comment do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub sequence: u64,
    /// Seconds since 1970, UTC.
    pub at: i64,
}

const SIG_HEADER: &str = "sitegen signature 2";

/// The text of `manifest.json.sig` for `manifest`, signed at `now`
/// (seconds since 1970). Its sequence is `now`, or one more than the
/// key's `last` sequence if that is later (two signatures in a second, a
/// clock set back).
pub fn sign(key: &SigningKey, manifest: &[u8], last: Option<u64>, now: i64) -> String {
    let sequence = (now.max(0) as u64).max(last.map_or(0, |p| p.saturating_add(1)));
    let statement = statement(&Signed { sequence, at: now }, &crate::publish::manifest::sha256_hex(manifest));
    format!("{statement}{PREFIX}{}\n", B64.encode(key.sign(statement.as_bytes()).to_bytes()))
}

/// The signed lines: what they vouch for, each on a line of its own.
fn statement(s: &Signed, manifest_sha256: &str) -> String {
    let at = chrono::DateTime::from_timestamp(s.at, 0).map(|t| t.to_rfc3339()).unwrap_or_default();
    format!("{SIG_HEADER}\nsequence: {}\nsigned: {at}\nmanifest-sha256: {manifest_sha256}\n", s.sequence)
}

/// A signature file's statement, its manifest hash and its signature.
fn parse_statement(text: &str) -> std::result::Result<(Signed, String, String), String> {
    let lines: Vec<&str> = text.lines().collect();
    let field = |i: usize, name: &str| {
        lines.get(i).and_then(|l| l.strip_prefix(name)).map(str::trim).ok_or("the signature file is damaged")
    };
    if lines.first() != Some(&SIG_HEADER) || lines.len() != 5 {
        return Err("the signature file is damaged".into());
    }
    let sequence = field(1, "sequence:")?.parse().map_err(|_| "the signature's sequence is not a number")?;
    let at = chrono::DateTime::parse_from_rfc3339(field(2, "signed:")?)
        .map_err(|_| "the signature's time is not a time")?
        .timestamp();
    Ok((Signed { sequence, at }, field(3, "manifest-sha256:")?.to_string(), lines[4].to_string()))
}

/// Checks an `ed25519:<base64>` signature of `message`.
pub fn check_bytes(key: &VerifyingKey, message: &[u8], sig: &str) -> std::result::Result<(), String> {
    let b64 = sig.trim().strip_prefix(PREFIX).ok_or("signature is not an ed25519 signature")?;
    let bytes: [u8; 64] =
        B64.decode(b64).ok().and_then(|b| b.try_into().ok()).ok_or("signature is not 64 bytes of base64")?;
    key.verify(message, &ed25519_dalek::Signature::from_bytes(&bytes))
        .map_err(|_| "signature does not match it and this key".to_string())
}

/// Checks `sig_text` (a `manifest.json.sig`) over `manifest`; gives what it
/// vouches for. A signature made by a sitegen before signatures carried a
/// time is checked too, and vouches for no time (`None`).
pub fn check(key: &VerifyingKey, manifest: &[u8], sig_text: &str) -> std::result::Result<Option<Signed>, String> {
    let no_match = || "the signature does not match the manifest and this key".to_string();
    let verify = |message: &[u8], sig: &str| {
        check_bytes(key, message, sig).map_err(|e| match e.starts_with("signature does not match") {
            true => no_match(),
            false => format!("the {e}"),
        })
    };
    if !sig_text.starts_with(SIG_HEADER) {
        return verify(manifest, sig_text).map(|()| None);
    }
    let (signed, sha256, sig) = parse_statement(sig_text)?;
    verify(statement(&signed, &sha256).as_bytes(), &sig)?;
    if sha256 != crate::publish::manifest::sha256_hex(manifest) {
        return Err(no_match());
    }
    Ok(Some(signed))
}

/// A secret key, with the file beside it (`<key>.sequence`) that keeps the
/// last sequence it signed: a rebuilt site has no signature to count on
/// from, so the key remembers.
pub struct KeyFile {
    key: SigningKey,
    counter: std::path::PathBuf,
}

impl KeyFile {
    /// The key in `path` (made by `sitegen keygen`).
    pub fn open(path: &Path) -> Result<KeyFile> {
        let key = read_secret(path)?;
        Ok(KeyFile { key, counter: std::path::PathBuf::from(format!("{}.sequence", path.display())) })
    }

    /// The key in `path`, refused unless it is the site's `public_key`
    /// (when the site states one): a signature by another key would only
    /// tell readers the copy is bad.
    pub fn open_for_site(path: &Path, site_key: Option<&VerifyingKey>) -> Result<KeyFile> {
        let key = KeyFile::open(path)?;
        match site_key {
            Some(public) if *public != key.public() => Err(Error::Key(format!(
                "{}: not the key of site.yaml's public_key (fingerprint {}, the key's {}): readers would find the signature bad",
                path.display(),
                fingerprint(public),
                fingerprint(&key.public())
            ))),
            _ => Ok(key),
        }
    }

    pub fn public(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// An Ed25519 signature of `message`, as `ed25519:<base64>`.
    pub fn sign_bytes(&self, message: &[u8]) -> String {
        format!("{PREFIX}{}", B64.encode(self.key.sign(message).to_bytes()))
    }

    /// Signs `manifest` now, with a sequence past the key's last one and
    /// past `replaced`'s (the signature this one takes the place of).
    pub fn sign(&self, manifest: &[u8], replaced: Option<&str>) -> Result<(String, Signed)> {
        let kept = std::fs::read_to_string(&self.counter).ok().and_then(|t| t.trim().parse::<u64>().ok());
        // Only a signature this key made may move the sequence on: a number
        // written into an output by anyone else is not counted from.
        let last = kept.max(replaced.and_then(|r| self.sequence_signed(r)));
        let sig = sign(&self.key, manifest, last, chrono::Utc::now().timestamp());
        let signed = check(&self.public(), manifest, &sig)
            .ok()
            .flatten()
            .ok_or_else(|| Error::Key("a signature just made does not check; the key file may be damaged".into()))?;
        crate::fs::write(&self.counter, format!("{}\n", signed.sequence).as_bytes())?;
        Ok((sig, signed))
    }
}

/// The fingerprint of the signature in folder `dir`, if it has one: the
/// site's CID covers it, so a CID kept by the build cache holds only while
/// the signature is the same.
pub fn signature_key_in(dir: &Path) -> Option<crate::fingerprint::Key> {
    std::fs::read(dir.join(SIG_FILE)).ok().map(|b| crate::fingerprint::of_bytes(&b))
}

/// Whether the signature text `sig` names `manifest` by its hash, whoever
/// signed it: a signature that still vouches for the site as it is.
pub fn names_manifest(sig: &str, manifest: &[u8]) -> bool {
    parse_statement(sig).is_ok_and(|(_, sha256, _)| sha256 == crate::publish::manifest::sha256_hex(manifest))
}

impl KeyFile {
    /// The sequence a signature text states, if this key signed it (over
    /// whatever manifest).
    fn sequence_signed(&self, sig: &str) -> Option<u64> {
        let (signed, sha256, signature) = parse_statement(sig).ok()?;
        check_bytes(&self.public(), statement(&signed, &sha256).as_bytes(), &signature).ok()?;
        Some(signed.sequence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_and_check_round_trip() {
        let key = generate().unwrap();
        let public = parse_public(&public_to_text(&key.verifying_key())).unwrap();
        let sig = sign(&key, b"manifest", None, 1_764_600_000);
        assert_eq!(check(&public, b"manifest", &sig), Ok(Some(Signed { sequence: 1_764_600_000, at: 1_764_600_000 })));
        assert!(check(&public, b"tampered", &sig).is_err());
        let other = generate().unwrap().verifying_key();
        assert!(check(&other, b"manifest", &sig).is_err());
        // Time and sequence are signed: neither can be moved on.
        let forged = sig.replace("sequence: 1764600000", "sequence: 1864600000");
        assert!(check(&public, b"manifest", &forged).is_err());
        let forged = sig.replace("signed: 2025", "signed: 2026");
        assert!(check(&public, b"manifest", &forged).is_err());
    }

    #[test]
    fn the_sequence_only_grows() {
        let key = generate().unwrap();
        // The clock went back an hour: the sequence still grows.
        let second = sign(&key, b"m2", Some(2000), 2000 - 3600);
        let public = key.verifying_key();
        assert_eq!(check(&public, b"m2", &second).unwrap().unwrap().sequence, 2001);
    }

    #[test]
    fn signatures_of_an_older_sitegen_still_verify_without_a_time() {
        let key = generate().unwrap();
        let old = format!("{PREFIX}{}\n", B64.encode(key.sign(b"manifest").to_bytes()));
        assert_eq!(check(&key.verifying_key(), b"manifest", &old), Ok(None));
    }

    #[test]
    fn secret_key_file_round_trips() {
        let d = tempfile::tempdir().unwrap();
        let key = generate().unwrap();
        let path = d.path().join("k");
        std::fs::write(&path, secret_to_text(&key)).unwrap();
        assert_eq!(read_secret(&path).unwrap().to_bytes(), key.to_bytes());
        std::fs::write(&path, "hello").unwrap();
        assert!(read_secret(&path).is_err());
    }

    #[test]
    fn fingerprint_is_eight_groups() {
        let f = fingerprint(&generate().unwrap().verifying_key());
        assert_eq!(f.split(' ').count(), 8);
        assert_eq!(f.len(), 8 * 4 + 7);
    }

    #[test]
    fn bad_public_keys_say_why() {
        assert!(parse_public("ed25519:abc").unwrap_err().contains("32 bytes of base64"));
        assert!(parse_public("/no/such/file").unwrap_err().contains("public key file `/no/such/file`"));
    }

    #[test]
    fn a_secret_key_given_as_public_is_never_printed() {
        // See: #19 (7).
        let d = tempfile::tempdir().unwrap();
        let secret = secret_to_text(&generate().unwrap());
        let path = d.path().join("newsroom.key");
        std::fs::write(&path, &secret).unwrap();
        let b64 = secret.split_whitespace().nth(1).unwrap();
        for arg in [path.to_str().unwrap(), secret.trim()] {
            let e = parse_public(arg).unwrap_err();
            assert!(e.contains("secret key") && !e.contains(b64), "{e}");
        }
    }

    #[test]
    fn a_signer_counts_past_its_last_sequence_and_the_replaced_signature() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("k");
        std::fs::write(&path, secret_to_text(&generate().unwrap())).unwrap();
        let signer = KeyFile::open(&path).unwrap();
        let (first, s1) = signer.sign(b"m1", None).unwrap();
        assert!(names_manifest(&first, b"m1") && !names_manifest(&first, b"m2"));
        let (_, s2) = signer.sign(b"m2", None).unwrap();
        assert!(s2.sequence > s1.sequence, "{s1:?} {s2:?}");
        // A copy signed further on (another machine's counter) is passed.
        let ahead = sign(&signer.key, b"m2", Some(s2.sequence + 100), 0);
        std::fs::remove_file(d.path().join("k.sequence")).unwrap();
        let (_, s3) = signer.sign(b"m3", Some(&ahead)).unwrap();
        assert_eq!(s3.sequence, s2.sequence + 102);
        // A sequence someone else wrote (another key, or edited) is not
        // counted from, and the largest one signed does not overflow.
        let other = generate().unwrap();
        let forged = sign(&other, b"m3", Some(u64::MAX - 1), 0);
        let edited = ahead.replace(&format!("sequence: {}", s2.sequence + 101), "sequence: 18446744073709551614");
        for replaced in [forged, edited] {
            let (_, s) = signer.sign(b"m4", Some(&replaced)).unwrap();
            assert!(s.sequence < u64::MAX / 2, "{s:?}");
        }
        let top = sign(&signer.key, b"m", Some(u64::MAX), 0);
        assert_eq!(check(&signer.public(), b"m", &top).unwrap().unwrap().sequence, u64::MAX);
    }
}
