//! CIDs (CIDv1, SHA-256) and where the blocks they name go: the shared
//! vocabulary of the UnixFS encoding (`unixfs`) and the CAR writer (`car`).

use crate::error::Result;
use sha2::{Digest, Sha256};

/// The raw codec: a block that is a file's bytes.
pub const RAW: u64 = 0x55;
/// The dag-pb codec: a UnixFS node.
pub const DAG_PB: u64 = 0x70;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cid(Vec<u8>);

impl Cid {
    pub fn new(codec: u64, digest: &[u8]) -> Cid {
        let mut b = Vec::with_capacity(36);
        varint(&mut b, 1);
        varint(&mut b, codec);
        b.extend_from_slice(&[0x12, 0x20]);
        b.extend_from_slice(digest);
        Cid(b)
    }

    pub fn of(codec: u64, data: &[u8]) -> Cid {
        Cid::new(codec, &Sha256::digest(data))
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Display for Cid {
    /// Base32 multibase (`bafy…`), as IPFS prints CIDv1.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
        let mut s = String::from("b");
        let (mut acc, mut bits) = (0u32, 0);
        for &byte in &self.0 {
            acc = (acc << 8) | byte as u32;
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                s.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
            }
        }
        if bits > 0 {
            s.push(ALPHABET[((acc << (5 - bits)) & 31) as usize] as char);
        }
        f.write_str(&s)
    }
}

/// Where blocks go: nowhere (CID only) or a CAR file.
pub trait Blocks {
    fn put(&mut self, cid: &Cid, data: &[u8]) -> Result<()>;
}

pub struct Discard;

impl Blocks for Discard {
    fn put(&mut self, _: &Cid, _: &[u8]) -> Result<()> {
        Ok(())
    }
}

pub fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}
