//! The cache a `sitegen build` leaves beside its output, in
//! `.<name>.sitegen-cache` (never inside the folder that is published): each
//! page's key, the rendered bodies and the output's manifest. The next build
//! keeps every page whose key is unchanged, as a hard link to the file it
//! already wrote, instead of rendering it again. The cache holds only while
//! the output's manifest is the one it was saved with, and only for the
//! same sitegen; otherwise the build starts from nothing.

use crate::body_memo::BodyMemo;
use crate::fingerprint::{of_bytes, Key};
use crate::manifest::{self, Manifest};
use crate::memo::{Copied, Memo};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Bumped when what is saved changes shape or meaning.
const FORMAT: u32 = 3;

#[derive(Serialize, Deserialize)]
struct Saved {
    format: u32,
    sitegen: String,
    setup: Key,
    /// Fingerprint of the output's `manifest.json` when saved.
    manifest_json: Key,
    output: Manifest,
    cid: Option<String>,
    /// Article files parsed, by stamp; without their Markdown.
    parsed: HashMap<String, crate::memo::Parsed>,
    pages: HashMap<String, Key>,
    assets: HashMap<String, Copied>,
    bodies: BodyMemo,
}

/// Where the cache of the output folder `output` lives.
pub fn path(output: &Path) -> PathBuf {
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = output.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    parent.join(format!(".{name}.sitegen-cache"))
}

/// The memo saved for `output`, if it still describes it; else an empty one.
pub fn load(output: &Path) -> Memo {
    let Ok(bytes) = std::fs::read(path(output)) else { return Memo::default() };
    let Ok(saved) = postcard::from_bytes::<Saved>(&bytes) else { return Memo::default() };
    let on_disk = std::fs::read(output.join(manifest::JSON)).map(|b| of_bytes(&b)).ok();
    if saved.format != FORMAT || saved.sitegen != env!("CARGO_PKG_VERSION") || on_disk != Some(saved.manifest_json) {
        return Memo::default();
    }
    Memo {
        setup: Some(saved.setup),
        pages: saved.pages,
        assets: saved.assets,
        bodies: saved.bodies,
        output: Some(saved.output),
        cid: saved.cid,
        parsed: saved.parsed,
        ..Memo::default()
    }
}

/// Saves what the build that just wrote `output` leaves for the next one.
/// A cache that cannot be written only makes the next build slower.
pub fn save(output: &Path, memo: Memo) {
    let (Some(setup), Some(manifest)) = (memo.setup, memo.output) else { return };
    // The file as written, as `load` will read it.
    let Ok(json) = std::fs::read(output.join(manifest::JSON)) else { return };
    let saved = Saved {
        format: FORMAT,
        sitegen: env!("CARGO_PKG_VERSION").to_string(),
        setup,
        manifest_json: of_bytes(&json),
        output: manifest,
        cid: memo.cid,
        parsed: memo.parsed,
        pages: memo.pages,
        assets: memo.assets,
        bodies: memo.bodies,
    };
    let Ok(bytes) = postcard::to_stdvec(&saved) else { return };
    let target = path(output);
    let tmp = target.with_extension(format!("tmp-{}", std::process::id()));
    if std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, &target)).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Removes the cache: `--no-cache` builds from nothing and leaves none.
pub fn remove(output: &Path) {
    let _ = std::fs::remove_file(path(output));
}
