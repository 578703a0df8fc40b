//! CAR (content-addressed archive) files: the site's IPFS blocks in one
//! file that `ipfs dag import` and pinning services accept.

use crate::error::{Error, Result};
use crate::publish::cid::{varint, Blocks, Cid, DAG_PB};
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

/// A CARv1 file written as blocks arrive; the root goes into the header at
/// the end (its length is known in advance, so the header is rewritten in
/// place).
pub struct CarWriter {
    file: std::io::BufWriter<std::fs::File>,
    seen: std::collections::HashSet<Vec<u8>>,
    path: std::path::PathBuf,
}

impl Blocks for CarWriter {
    fn put(&mut self, cid: &Cid, data: &[u8]) -> Result<()> {
        // Identical files are one block.
        if !self.seen.insert(cid.bytes().to_vec()) {
            return Ok(());
        }
        let mut head = Vec::new();
        varint(&mut head, (cid.bytes().len() + data.len()) as u64);
        let io = |e| Error::io(&self.path, e);
        self.file.write_all(&head).map_err(io)?;
        self.file.write_all(cid.bytes()).map_err(io)?;
        self.file.write_all(data).map_err(io)
    }
}

fn car_header(root: &Cid) -> Vec<u8> {
    // DAG-CBOR {"roots": [root], "version": 1}, keys in canonical order.
    let mut cbor = vec![0xa2, 0x65];
    cbor.extend_from_slice(b"roots");
    cbor.extend_from_slice(&[0x81, 0xd8, 0x2a, 0x58, (root.bytes().len() + 1) as u8, 0x00]);
    cbor.extend_from_slice(root.bytes());
    cbor.push(0x67);
    cbor.extend_from_slice(b"version");
    cbor.push(0x01);
    let mut out = Vec::new();
    varint(&mut out, cbor.len() as u64);
    out.extend(cbor);
    out
}

pub fn write_car(path: &Path, encode: impl FnOnce(&mut CarWriter) -> Result<Cid>) -> Result<Cid> {
    let tmp = path.with_extension("partial");
    let file = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
    let placeholder = Cid::new(DAG_PB, &[0; 32]);
    let mut w = CarWriter { file: std::io::BufWriter::new(file), seen: Default::default(), path: tmp.clone() };
    w.file.write_all(&car_header(&placeholder)).map_err(|e| Error::io(&tmp, e))?;
    let root = match encode(&mut w) {
        Ok(root) => root,
        Err(e) => {
            drop(w);
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    let mut file = w.file.into_inner().map_err(|e| Error::io(&tmp, e.into_error()))?;
    file.seek(SeekFrom::Start(0)).map_err(|e| Error::io(&tmp, e))?;
    file.write_all(&car_header(&root)).map_err(|e| Error::io(&tmp, e))?;
    file.sync_all().map_err(|e| Error::io(&tmp, e))?;
    crate::fs::rename(&tmp, path)?;
    Ok(root)
}
