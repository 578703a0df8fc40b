//! What writing an output records, whichever way it is written: how it
//! changed against the previous output, and the error both writers give
//! when two files claim one path.

use crate::error::Error;
use std::path::Path;

/// What a commit changed compared with the previous output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
}

/// Two outputs at one path are an error, not a silent overwrite.
pub fn two_files(path: &Path) -> Error {
    Error::Output(format!(
        "two files would be written to {}: a page, a static file or an article file use the same path",
        path.display()
    ))
}
