//! The seal of a single-file edition (`sitegen edition`): the file's
//! SHA-256, a hash of every 16 KiB block of it (so a check can say where a
//! file was changed, not only that it was), and, with a key, an Ed25519
//! signature, all in one inert `<script type="application/json">` element
//! before `</body>`. What is hashed is the file with that element empty, so
//! the seal covers every other byte, the element's own tags included.

use crate::publish::signing::{self, KeyFile};
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The seal element's start tag, as written and as looked for.
pub const OPEN: &str = r#"<script type="application/json" id="sitegen-seal">"#;
const CLOSE: &str = "</script>";
const FORMAT: &str = "sitegen-edition-seal-1";
/// Small enough to say where a change is, large enough that the list of
/// block hashes stays a few KB for a 1.5 MB file.
const BLOCK: usize = 16 * 1024;

#[derive(Serialize, Deserialize)]
struct SealData {
    format: String,
    bytes: usize,
    sha256: String,
    block_size: usize,
    /// The first 16 bytes of each block's SHA-256, hex.
    blocks: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    public_key: Option<String>,
    /// Over `statement(sha256)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signature: Option<String>,
}

/// `html` with its seal: hashes, and a signature when `signer` is given.
/// `html` must have a `</body>`.
pub fn seal(html: &str, signer: Option<&KeyFile>) -> Result<String, String> {
    let at = html.rfind("</body>").ok_or("the edition has no </body> to put its seal before")?;
    let unsealed = format!("{}{OPEN}{CLOSE}\n{}", &html[..at], &html[at..]);
    let sha256 = crate::publish::manifest::sha256_hex(unsealed.as_bytes());
    let data = SealData {
        format: FORMAT.into(),
        bytes: unsealed.len(),
        blocks: blocks(unsealed.as_bytes()),
        block_size: BLOCK,
        public_key: signer.map(|s| signing::public_to_text(&s.public())),
        signature: signer.map(|s| s.sign_bytes(statement(&sha256).as_bytes())),
        sha256,
    };
    let json = serde_json::to_value(&data).map_err(|e| e.to_string())?;
    let text = crate::escape::json_in_script(&json);
    Ok(format!("{}{OPEN}{text}{CLOSE}\n{}", &html[..at], &html[at..]))
}

/// What a sealed file says of itself, checked.
#[derive(Debug)]
pub struct Checked {
    pub sha256: String,
    pub bytes: usize,
    /// The key that signed it, when signed (checked against `--pubkey`
    /// when one was given, else only against the key the file names).
    pub signed_by: Option<VerifyingKey>,
}

/// Why a sealed file is not what was sealed.
#[derive(Debug, PartialEq)]
pub enum Broken {
    /// Not a sealed edition at all, or its seal unreadable.
    NoSeal(String),
    /// Bytes changed: the ranges of the blocks that differ (byte offsets),
    /// and the file's length then and now.
    Changed { ranges: Vec<std::ops::Range<usize>>, sealed_len: usize, len: usize },
    /// The bytes are as sealed, the signature is not the key's.
    Signature(String),
    /// `--pubkey` was given and the file is not signed.
    Unsigned,
}

/// Checks `bytes` against their seal, and the signature against `key`
/// (when given: then a file signed by another key, or not at all, fails).
pub fn check(bytes: &[u8], key: Option<&VerifyingKey>) -> Result<Checked, Broken> {
    let (unsealed, data) = open(bytes)?;
    if data.format != FORMAT {
        return Err(Broken::NoSeal(format!("the seal is of format `{}`, not {FORMAT}", data.format)));
    }
    if crate::publish::manifest::sha256_hex(&unsealed) != data.sha256 || unsealed.len() != data.bytes {
        return Err(Broken::Changed {
            ranges: changed_blocks(&unsealed, &data),
            sealed_len: data.bytes,
            len: unsealed.len(),
        });
    }
    let named = match (&data.public_key, &data.signature) {
        (Some(k), Some(sig)) => {
            let named = signing::parse_public(k)
                .map_err(|e| Broken::Signature(format!("the key it names is unreadable: {e}")))?;
            let public = key.copied().unwrap_or(named);
            signing::check_bytes(&public, statement(&data.sha256).as_bytes(), sig).map_err(|e| {
                Broken::Signature(match e.starts_with("signature does not match") {
                    true => "its signature is not this key's".into(),
                    false => format!("its {e}"),
                })
            })?;
            Some(public)
        }
        _ if key.is_some() => return Err(Broken::Unsigned),
        _ => None,
    };
    Ok(Checked { sha256: data.sha256, bytes: data.bytes, signed_by: named })
}

/// The file as it was sealed (the seal element emptied), and the seal.
fn open(bytes: &[u8]) -> Result<(Vec<u8>, SealData), Broken> {
    let finder = memchr::memmem::rfind(bytes, OPEN.as_bytes());
    let start = finder.ok_or_else(|| {
        Broken::NoSeal(
            "the file carries no seal (it was not made by `sitegen edition`, or its seal was removed)".into(),
        )
    })? + OPEN.len();
    let len = memchr::memmem::find(&bytes[start..], CLOSE.as_bytes())
        .ok_or_else(|| Broken::NoSeal("the seal is not closed".into()))?;
    let data: SealData = serde_json::from_slice(&bytes[start..start + len])
        .map_err(|e| Broken::NoSeal(format!("the seal is unreadable: {e}")))?;
    let mut unsealed = bytes[..start].to_vec();
    unsealed.extend_from_slice(&bytes[start + len..]);
    Ok((unsealed, data))
}

/// What the signature signs: the format, so a signature over one kind of
/// thing cannot be replayed as another's, and the file's hash.
fn statement(sha256: &str) -> String {
    format!("{FORMAT}\nsha256:{sha256}\n")
}

fn blocks(bytes: &[u8]) -> Vec<String> {
    bytes.chunks(BLOCK).map(block_hash).collect()
}

fn block_hash(chunk: &[u8]) -> String {
    Sha256::digest(chunk)[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The byte ranges (as sealed) of the blocks whose hash differs now; past
/// the end of the shorter of the two, everything.
fn changed_blocks(now: &[u8], data: &SealData) -> Vec<std::ops::Range<usize>> {
    let size = data.block_size.max(1);
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let count = data.blocks.len().max(now.len().div_ceil(size));
    for i in 0..count {
        let chunk = now.get(i * size..((i + 1) * size).min(now.len()));
        let same = matches!((chunk, data.blocks.get(i)), (Some(c), Some(h)) if block_hash(c) == *h);
        if same {
            continue;
        }
        let range = i * size..((i + 1) * size).min(data.bytes.max(now.len()));
        match out.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => out.push(range),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> String {
        format!("<!doctype html><html><head><title>x</title></head><body>{body}</body></html>\n")
    }

    fn key() -> (tempfile::TempDir, KeyFile) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.key");
        std::fs::write(&path, signing::secret_to_text(&signing::generate().unwrap())).unwrap();
        let k = KeyFile::open(&path).unwrap();
        (dir, k)
    }

    #[test]
    fn a_sealed_file_checks_and_names_its_key() {
        let (_d, k) = key();
        let sealed = seal(&page("hello"), Some(&k)).unwrap();
        let c = check(sealed.as_bytes(), Some(&k.public())).unwrap();
        assert_eq!(c.signed_by, Some(k.public()));
        let c = check(sealed.as_bytes(), None).unwrap();
        assert_eq!(c.signed_by, Some(k.public()));
        assert!(sealed.ends_with("</script>\n</body></html>\n"));
    }

    #[test]
    fn one_changed_byte_is_found_in_its_block() {
        let body = "a".repeat(100_000);
        let sealed = seal(&page(&body), None).unwrap();
        let mut bytes = sealed.into_bytes();
        bytes[40_000] = b'b';
        match check(&bytes, None) {
            Err(Broken::Changed { ranges, .. }) => assert_eq!(ranges, vec![32_768..49_152]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn another_key_an_unsigned_file_and_no_seal_are_refused() {
        let (_d, k) = key();
        let (_e, other) = key();
        let sealed = seal(&page("x"), Some(&k)).unwrap();
        assert!(matches!(check(sealed.as_bytes(), Some(&other.public())), Err(Broken::Signature(_))));
        let unsigned = seal(&page("x"), None).unwrap();
        assert_eq!(check(unsigned.as_bytes(), Some(&k.public())).unwrap_err(), Broken::Unsigned);
        assert!(check(unsigned.as_bytes(), None).unwrap().signed_by.is_none());
        assert!(matches!(check(page("x").as_bytes(), None), Err(Broken::NoSeal(_))));
    }

    #[test]
    fn a_signature_moved_to_changed_bytes_fails() {
        let (_d, k) = key();
        let sealed = seal(&page("the truth"), Some(&k)).unwrap();
        let forged = sealed.replace("the truth", "the tale!");
        assert!(matches!(check(forged.as_bytes(), None), Err(Broken::Changed { .. })));
    }
}
