//! The site as an IPFS object, without running a node: the CID (CIDv1,
//! UnixFS) of the output folder, and a CAR file that `ipfs dag import` and
//! pinning services accept. The encoding follows the one `ipfs-car pack
//! DIR --no-wrap` uses, so both give the same CID for the same folder: raw
//! leaves, 1 MiB chunks, balanced files 1024 links wide, and folders of
//! more than 1,000 entries sharded into a HAMT (256-wide, murmur3-x64-64).

use crate::error::{Error, Result};
use crate::publish::cid::{varint, Blocks, Cid, Discard, DAG_PB, RAW};
use std::collections::BTreeMap;
use std::path::Path;

const CHUNK: usize = 1 << 20;
const WIDTH: usize = 1024;
const SHARD_THRESHOLD: usize = 1000;
const MURMUR3_X64_64: u64 = 0x22;
const FANOUT: u64 = 256;

/// A link to a DAG: its root and the bytes of all its blocks (UnixFS Tsize).
#[derive(Debug, Clone)]
struct Link {
    cid: Cid,
    dag_size: u64,
}

/// A file's content: its bytes, or (for a file of one chunk, whose CID is
/// its SHA-256) just the digest, already known from the manifest.
pub enum Content<'a> {
    Bytes(&'a [u8]),
    Digest { sha256: [u8; 32], size: u64 },
}

fn file(content: Content, blocks: &mut dyn Blocks) -> Result<Link> {
    let bytes = match content {
        Content::Digest { sha256, size } if size as usize <= CHUNK => {
            return Ok(Link { cid: Cid::new(RAW, &sha256), dag_size: size });
        }
        Content::Digest { .. } => unreachable!("files over one chunk are read whole"),
        Content::Bytes(b) => b,
    };
    if bytes.len() <= CHUNK {
        let cid = Cid::of(RAW, bytes);
        blocks.put(&cid, bytes)?;
        return Ok(Link { cid, dag_size: bytes.len() as u64 });
    }
    // (link, content bytes) per node of the current level.
    let mut level: Vec<(Link, u64)> = Vec::new();
    for chunk in bytes.chunks(CHUNK) {
        let cid = Cid::of(RAW, chunk);
        blocks.put(&cid, chunk)?;
        level.push((Link { cid, dag_size: chunk.len() as u64 }, chunk.len() as u64));
    }
    while level.len() > 1 {
        let mut next = Vec::new();
        for group in level.chunks(WIDTH) {
            let filesize: u64 = group.iter().map(|(_, n)| n).sum();
            let mut data = Vec::new();
            field_varint(&mut data, 1, 2); // Type: File
            field_varint(&mut data, 3, filesize);
            for (_, n) in group {
                field_varint(&mut data, 4, *n);
            }
            let links: Vec<(&str, &Link)> = group.iter().map(|(l, _)| ("", l)).collect();
            next.push((node(&data, &links, blocks)?, filesize));
        }
        level = next;
    }
    Ok(level.pop().expect("a file of over one chunk has a root").0)
}

/// Encodes a dag-pb node (links first, then data), stores it, and links it.
fn node(data: &[u8], links: &[(&str, &Link)], blocks: &mut dyn Blocks) -> Result<Link> {
    let mut b = Vec::new();
    for (name, link) in links {
        let mut l = Vec::new();
        field_bytes(&mut l, 1, link.cid.bytes());
        field_bytes(&mut l, 2, name.as_bytes());
        field_varint(&mut l, 3, link.dag_size);
        field_bytes(&mut b, 2, &l);
    }
    field_bytes(&mut b, 1, data);
    let cid = Cid::of(DAG_PB, &b);
    blocks.put(&cid, &b)?;
    let dag_size = b.len() as u64 + links.iter().map(|(_, l)| l.dag_size).sum::<u64>();
    Ok(Link { cid, dag_size })
}

fn directory(entries: Vec<(String, Link)>, blocks: &mut dyn Blocks) -> Result<Link> {
    if entries.len() > SHARD_THRESHOLD {
        let mut root = Shard::default();
        for (name, link) in entries {
            root.insert(name, link, 0);
        }
        return root.write(blocks);
    }
    let mut sorted = entries;
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut data = Vec::new();
    field_varint(&mut data, 1, 1); // Type: Directory
    let links: Vec<(&str, &Link)> = sorted.iter().map(|(n, l)| (n.as_str(), l)).collect();
    node(&data, &links, blocks)
}

/// A HAMT shard: each of 256 slots holds one entry or a deeper shard.
#[derive(Default)]
struct Shard {
    slots: BTreeMap<u8, Slot>,
}

enum Slot {
    Entry(String, Link),
    Shard(Shard),
}

/// The slot of `name` at `depth`: one byte of its murmur3-x64-64 hash.
fn slot(name: &str, depth: usize) -> u8 {
    let mut input = name.as_bytes().to_vec();
    // Past the 8 bytes of one hash, the name is hashed again with a counter
    // byte appended, as the UnixFS HAMT does.
    let frame = depth / 8;
    if frame > 0 {
        input.push(frame as u8);
    }
    let h = murmur3::murmur3_x64_128(&mut input.as_slice(), 0).expect("hashing a slice cannot fail");
    let h1 = (h as u64).to_be_bytes();
    h1[depth % 8]
}

impl Shard {
    fn insert(&mut self, name: String, link: Link, depth: usize) {
        let i = slot(&name, depth);
        match self.slots.remove(&i) {
            None => {
                self.slots.insert(i, Slot::Entry(name, link));
            }
            Some(Slot::Entry(other, other_link)) => {
                let mut child = Shard::default();
                child.insert(other, other_link, depth + 1);
                child.insert(name, link, depth + 1);
                self.slots.insert(i, Slot::Shard(child));
            }
            Some(Slot::Shard(mut child)) => {
                child.insert(name, link, depth + 1);
                self.slots.insert(i, Slot::Shard(child));
            }
        }
    }

    fn write(self, blocks: &mut dyn Blocks) -> Result<Link> {
        let mut bitfield = [0u8; 32];
        let mut links: Vec<(String, Link)> = Vec::new();
        for (i, slot) in self.slots {
            bitfield[31 - i as usize / 8] |= 1 << (i % 8);
            match slot {
                Slot::Entry(name, link) => links.push((format!("{i:02X}{name}"), link)),
                Slot::Shard(child) => links.push((format!("{i:02X}"), child.write(blocks)?)),
            }
        }
        let start = bitfield.iter().position(|&b| b != 0).unwrap_or(32);
        let mut data = Vec::new();
        field_varint(&mut data, 1, 5); // Type: HAMTShard
        if start < 32 {
            field_bytes(&mut data, 2, &bitfield[start..]);
        }
        field_varint(&mut data, 5, MURMUR3_X64_64);
        field_varint(&mut data, 6, FANOUT);
        let refs: Vec<(&str, &Link)> = links.iter().map(|(n, l)| (n.as_str(), l)).collect();
        node(&data, &refs, blocks)
    }
}

/// A folder of files, by '/'-separated path.
pub struct Tree<'a> {
    files: BTreeMap<String, Content<'a>>,
}

impl<'a> Tree<'a> {
    pub fn new() -> Self {
        Tree { files: BTreeMap::new() }
    }

    pub fn add(&mut self, path: &str, content: Content<'a>) {
        self.files.insert(path.to_string(), content);
    }

    /// Encodes the whole folder; its root's CID.
    pub fn encode(self, blocks: &mut dyn Blocks) -> Result<Cid> {
        #[derive(Default)]
        struct Dir<'a> {
            files: Vec<(String, Content<'a>)>,
            dirs: BTreeMap<String, Dir<'a>>,
        }
        fn put<'a>(d: &mut Dir<'a>, parts: &[&str], c: Content<'a>) {
            match parts {
                [name] => d.files.push((name.to_string(), c)),
                [first, rest @ ..] => put(d.dirs.entry(first.to_string()).or_default(), rest, c),
                [] => {}
            }
        }
        fn write(d: Dir, blocks: &mut dyn Blocks) -> Result<Link> {
            let mut entries = Vec::new();
            for (name, sub) in d.dirs {
                entries.push((name, write(sub, blocks)?));
            }
            for (name, c) in d.files {
                entries.push((name, file(c, blocks)?));
            }
            directory(entries, blocks)
        }
        let mut root = Dir::default();
        for (path, c) in self.files {
            let parts: Vec<&str> = path.split('/').collect();
            put(&mut root, &parts, c);
        }
        Ok(write(root, blocks)?.cid)
    }
}

impl Default for Tree<'_> {
    fn default() -> Self {
        Tree::new()
    }
}

/// The CID of a built site, from its manifest: a file of one chunk is
/// linked by the SHA-256 the manifest already holds, so only larger files
/// (and the manifest files themselves) are read. With `car`, every block is
/// also written to that CAR file.
pub fn site_cid(dir: &Path, manifest: &crate::publish::manifest::Manifest, car: Option<&Path>) -> Result<Cid> {
    if car.is_some() {
        return folder_cid(dir, car);
    }
    let mut read: Vec<(String, Vec<u8>)> = Vec::new();
    let mut known: Vec<(String, [u8; 32], u64)> = Vec::new();
    for (path, e) in &manifest.files {
        if path.split('/').any(|s| s.starts_with('.')) {
            continue;
        }
        match hex32(&e.sha256) {
            Some(d) if e.size as usize <= CHUNK => known.push((path.clone(), d, e.size)),
            _ => read.push((path.clone(), crate::fs::read(&dir.join(path))?)),
        }
    }
    for name in [crate::publish::manifest::JSON, crate::publish::manifest::SUMS] {
        read.push((name.to_string(), crate::fs::read(&dir.join(name))?));
    }
    // The signature is part of the site: a copy fetched by CID carries it.
    let sig = crate::publish::signing::SIG_FILE;
    match std::fs::read(dir.join(sig)) {
        Ok(bytes) => read.push((sig.to_string(), bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(crate::Error::io(dir.join(sig), e)),
    }
    let mut tree = Tree::new();
    for (p, d, size) in &known {
        tree.add(p, Content::Digest { sha256: *d, size: *size });
    }
    for (p, b) in &read {
        tree.add(p, Content::Bytes(b));
    }
    tree.encode(&mut Discard)
}

fn hex32(hex: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if hex.len() != 64 {
        return None;
    }
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// The CID of a folder on disk, reading every file (what `ipfs-car` sees:
/// names starting with `.` are left out).
pub fn folder_cid(dir: &Path, car: Option<&Path>) -> Result<Cid> {
    let mut contents: Vec<(String, Vec<u8>)> = Vec::new();
    let walker = walkdir::WalkDir::new(dir).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')) {
        let entry = entry.map_err(|e| Error::Output(format!("{}: {e}", dir.display())))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
            contents.push((rel, crate::fs::read(entry.path())?));
        }
    }
    let mut tree = Tree::new();
    for (rel, bytes) in &contents {
        tree.add(rel, Content::Bytes(bytes));
    }
    match car {
        None => tree.encode(&mut Discard),
        Some(path) => crate::publish::car::write_car(path, |blocks| tree.encode(blocks)),
    }
}

fn field_varint(out: &mut Vec<u8>, field: u64, v: u64) {
    varint(out, field << 3);
    varint(out, v);
}

fn field_bytes(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
    varint(out, (field << 3) | 2);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_cid_of_known_bytes() {
        // The CID every IPFS implementation gives the bytes "hello world\n"
        // as a raw block.
        let cid = Cid::of(RAW, b"hello world\n");
        assert_eq!(cid.to_string(), "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
    }

    #[test]
    fn empty_directory() {
        // The well-known CID of an empty UnixFS directory.
        let cid = Tree::new().encode(&mut Discard).unwrap();
        assert_eq!(cid.to_string(), "bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354");
    }
}
