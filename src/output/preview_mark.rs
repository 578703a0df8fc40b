//! Keeps previews and deploy folders apart. A watch session's preview
//! holds drafts and scheduled stories, so it must never be written into a
//! folder `sitegen build` made for the mirrors: a sync after it would
//! publish them, and its rebuild would drop the folder's signature. A
//! preview's folder is marked beside it (`.<name>.sitegen-preview`, never
//! in the folder itself); a published build into it removes the mark.

use crate::error::{Error, Result};
use crate::publish::{manifest, signing};
use std::path::{Path, PathBuf};

/// The mark beside preview folder `output`.
pub fn path(output: &Path) -> PathBuf {
    crate::output::lock::beside(output, "sitegen-preview")
}

/// Takes `output` for a preview: refused if `sitegen build` made it (a
/// manifest without the preview mark) or it is signed; else marked.
pub fn claim(output: &Path) -> Result<()> {
    let shown = output.display();
    if output.join(signing::SIG_FILE).is_file() {
        return Err(Error::Output(format!(
            "{shown} holds a signed build (manifest.json.sig); a preview there would drop the signature and put drafts and scheduled stories in a folder meant for mirrors. Preview into another --output, or leave --output out for a private folder"
        )));
    }
    if output.join(manifest::JSON).is_file() && !path(output).is_file() {
        return Err(Error::Output(format!(
            "{shown} was made by `sitegen build` for the mirrors; a preview there would put drafts and scheduled stories in it. Preview into another --output, or leave --output out for a private folder"
        )));
    }
    crate::fs::write(&path(output), b"A sitegen watch session's preview: drafts and scheduled stories are in it.\n")
}

/// `output` is now a published build's: its preview mark goes.
pub fn published(output: &Path) {
    let _ = std::fs::remove_file(path(output));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_built_folder_is_refused_a_new_or_preview_folder_taken() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("public");
        claim(&out).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(manifest::JSON), "{}").unwrap();
        claim(&out).expect("a preview's own folder, marked, is taken again");
        published(&out);
        let e = claim(&out).unwrap_err().to_string();
        assert!(e.contains("was made by `sitegen build` for the mirrors"), "{e}");
        std::fs::write(path(&out), "").unwrap();
        std::fs::write(out.join(signing::SIG_FILE), "sig").unwrap();
        assert!(claim(&out).unwrap_err().to_string().contains("holds a signed build"));
    }
}
