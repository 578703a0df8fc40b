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

pub fn sign(key: &SigningKey, manifest: &[u8]) -> String {
    format!("{PREFIX}{}\n", B64.encode(key.sign(manifest).to_bytes()))
}

/// Checks `sig_text` (a `manifest.json.sig`) over `manifest`.
pub fn check(key: &VerifyingKey, manifest: &[u8], sig_text: &str) -> std::result::Result<(), String> {
    let b64 = sig_text.trim().strip_prefix(PREFIX).ok_or("the signature file is not an ed25519 signature")?;
    let bytes: [u8; 64] =
        B64.decode(b64).ok().and_then(|b| b.try_into().ok()).ok_or("the signature is not 64 bytes of base64")?;
    key.verify(manifest, &ed25519_dalek::Signature::from_bytes(&bytes))
        .map_err(|_| "the signature does not match the manifest and this key".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_and_check_round_trip() {
        let key = generate().unwrap();
        let public = parse_public(&public_to_text(&key.verifying_key())).unwrap();
        let sig = sign(&key, b"manifest");
        assert!(check(&public, b"manifest", &sig).is_ok());
        assert!(check(&public, b"tampered", &sig).is_err());
        let other = generate().unwrap().verifying_key();
        assert!(check(&other, b"manifest", &sig).is_err());
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
}
