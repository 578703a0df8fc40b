//! The cache a `sitegen build` leaves beside its output, in
//! `.<name>.sitegen-cache` (never inside the folder that is published): each
//! page's key, the rendered bodies and the output's manifest. The next build
//! keeps every page whose key is unchanged, as a hard link to the file it
//! already wrote, instead of rendering it again. The cache holds only while
//! the output's manifest is the one it was saved with, and only for the
//! same sitegen; otherwise the build starts from nothing.

use crate::cache::memo::{Copied, Memo, Parsed};
use crate::fingerprint::Key;
use crate::output::budget::Cost;
use crate::publish::manifest::{self, Manifest};
use crate::publish::signing;
use crate::render::body_memo::BodyMemo;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Bumped when what is saved changes shape or meaning.
const FORMAT: u32 = 10;

/// The cache as read. Its fields are those of `Unsaved`, then the CID and
/// the seal time: postcard writes a struct as its fields one after another,
/// so these can be appended once known, while the rest was encoded
/// meanwhile.
#[derive(Deserialize)]
struct Saved {
    // Checked first, through `Header`.
    _format: u32,
    _sitegen: String,
    setup: Key,
    /// Fingerprint of the output's `manifest.json` when saved.
    manifest_json: Key,
    /// Fingerprint of its signature then, if it had one.
    signature: Option<Key>,
    output: Manifest,
    /// Article files parsed, by stamp; without their Markdown.
    parsed: HashMap<String, Parsed>,
    page_keys: HashMap<String, Key>,
    costs: HashMap<String, Cost>,
    copied: HashMap<String, Copied>,
    bodies: BodyMemo,
    cid: Option<String>,
    sealed_at: i128,
}

/// The first fields of a saved cache: enough to tell whether it describes
/// the output as it is, before the rest (megabytes on a large site) is read.
#[derive(Deserialize)]
struct Header {
    format: u32,
    sitegen: String,
    _setup: Key,
    manifest_json: Key,
}

/// The cache as written, but for the CID.
#[derive(Serialize)]
struct Unsaved<'a> {
    format: u32,
    sitegen: &'a str,
    setup: Key,
    manifest_json: Key,
    signature: Option<Key>,
    output: &'a Manifest,
    parsed: &'a HashMap<String, Parsed>,
    page_keys: &'a HashMap<String, Key>,
    costs: &'a HashMap<String, Cost>,
    copied: &'a HashMap<String, Copied>,
    bodies: &'a BodyMemo,
}

/// Where the cache of the output folder `output` lives.
pub fn path(output: &Path) -> PathBuf {
    crate::output::lock::cache_path(output)
}

/// The memo saved for `output`, if it still describes it; else an empty one.
pub fn load(output: &Path) -> Memo {
    // An output removed (or never finished) has no manifest: the cache
    // beside it describes nothing, and is not read.
    let Some(on_disk) = manifest::fingerprint_in(output) else { return Memo::default() };
    let Ok(bytes) = std::fs::read(path(output)) else { return Memo::default() };
    let describes =
        |h: &Header| h.format == FORMAT && h.sitegen == env!("CARGO_PKG_VERSION") && on_disk == h.manifest_json;
    if !postcard::take_from_bytes::<Header>(&bytes).is_ok_and(|(h, _)| describes(&h)) {
        return Memo::default();
    }
    let Ok(saved) = postcard::from_bytes::<Saved>(&bytes) else { return Memo::default() };
    Memo {
        setup: Some(saved.setup),
        parsed: saved.parsed,
        bodies: saved.bodies,
        page_keys: saved.page_keys,
        costs: saved.costs,
        copied: saved.copied,
        output: Some(saved.output),
        // The CID covers the signature: signed again since (`sitegen
        // sign`), the site's CID is computed anew.
        cid: saved.cid.filter(|_| signing::signature_key_in(output) == saved.signature),
        output_json: Some(saved.manifest_json),
        sealed_at: Some(saved.sealed_at),
    }
}

/// The cache of a build that just wrote `output` (whose manifest is
/// `manifest`), encoded but for the output's CID, which `Pending::save`
/// adds: the two are worked out at the same time.
pub fn encode(output: &Path, memo: &Memo, manifest: &Manifest) -> Option<Pending> {
    let setup = memo.setup?;
    let unsaved = Unsaved {
        format: FORMAT,
        sitegen: env!("CARGO_PKG_VERSION"),
        setup,
        // The file as written, as `load` will read it.
        manifest_json: manifest::fingerprint_in(output)?,
        signature: signing::signature_key_in(output),
        output: manifest,
        parsed: &memo.parsed,
        page_keys: &memo.page_keys,
        costs: &memo.costs,
        copied: &memo.copied,
        bodies: &memo.bodies,
    };
    postcard::to_stdvec(&unsaved).ok().map(Pending)
}

/// A cache encoded but for its last field, the CID.
pub struct Pending(Vec<u8>);

impl Pending {
    /// Saves the cache beside `output`, whose files have not changed since
    /// `sealed_at` (`Memo::seal`). A cache that cannot be written only
    /// makes the next build slower.
    pub fn save(self, output: &Path, cid: Option<&str>, sealed_at: i128) {
        let Ok(bytes) = postcard::to_extend(&cid, self.0) else { return };
        let Ok(bytes) = postcard::to_extend(&sealed_at, bytes) else { return };
        crate::fs::replace_or_leave(&path(output), &bytes);
    }
}

/// Removes the cache, and the record of the last build that comes with
/// it: `--no-cache` builds from nothing and leaves neither.
pub fn remove(output: &Path) {
    let _ = std::fs::remove_file(path(output));
    crate::cache::last_build::remove(output);
}
