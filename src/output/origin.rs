//! Where a published file's bytes come from: a file on disk, bytes made
//! in memory, or a photo's smaller copy made as it is written.

use crate::error::Result;
use std::path::PathBuf;

/// Where a published file's bytes come from.
pub enum Origin {
    Disk(PathBuf),
    Memory(Vec<u8>),
    /// A smaller copy of a photo (`output::photos`), made as it is written.
    Copy {
        source: PathBuf,
        width: u32,
        height: u32,
        quality: u8,
    },
}

impl Origin {
    /// The file's bytes as published (a photo's copy made now).
    pub fn bytes(&self) -> Result<Vec<u8>> {
        match self {
            Origin::Disk(p) => crate::fs::read(p),
            Origin::Memory(b) => Ok(b.clone()),
            Origin::Copy { source, width, height, quality } => {
                let bytes = crate::fs::read(source)?;
                let format = crate::output::photo_copies::Format::for_path(&source.to_string_lossy(), *quality);
                let made = crate::output::photo_copies::decode_upright(&bytes)
                    .and_then(|img| crate::output::photo_copies::copies(&img, &[(*width, *height)], format));
                made.map(|mut m| m.remove(0)).map_err(|e| crate::error::Error::Content {
                    loc: crate::error::Location::file(crate::urls::tidy(source)),
                    msg: format!("is not a photo that can be read: {e}"),
                })
            }
        }
    }

    /// The bytes the file is made from: a copy's original photo.
    pub fn original(&self) -> Result<Vec<u8>> {
        match self {
            Origin::Copy { source, .. } => crate::fs::read(source),
            other => other.bytes(),
        }
    }
}
