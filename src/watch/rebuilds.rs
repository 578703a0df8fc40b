//! A watch session's builds: the first builds everything; each save after
//! that reuses what is still valid (the memo of parses, bodies and page
//! keys, and the built site), takes the fast path for edits that move
//! nothing, and writes only changed files into the preview. Whatever it
//! reuses, the preview is byte for byte what `sitegen build` writes.

use crate::build::{self, Built, Mode};
use crate::cache::memo::Memo;
use crate::error::Result;
use crate::load::config::BuildOptions;
use crate::report::BuildReport;
use crate::watch::fast_path;
use std::path::PathBuf;

pub struct Rebuilds {
    opts: BuildOptions,
    memo: Memo,
    /// The last good build's site; `None` after a failed build.
    built: Option<Built>,
}

impl Rebuilds {
    /// The builds of a session; `opts.output` is the preview folder.
    pub fn new(opts: BuildOptions) -> Rebuilds {
        Rebuilds { opts, memo: Memo::default(), built: None }
    }

    /// Builds after `changed` files (absolute paths), if the watcher knows
    /// them: an edit that moves nothing takes the fast path.
    pub fn rebuild(&mut self, changed: Option<&[PathBuf]>) -> Result<BuildReport> {
        let result = build::on_threads(self.opts.threads, || self.attempt(changed));
        if result.is_err() {
            // The output is as before, but read it again rather than trust.
            self.memo.forget_output();
            self.built = None;
        }
        result
    }

    fn attempt(&mut self, changed: Option<&[PathBuf]>) -> Result<BuildReport> {
        if let (Some(built), Some(changed)) = (self.built.as_mut(), changed) {
            if let Some(result) = fast_path::try_apply(&self.opts, &mut self.memo, built, changed) {
                return result;
            }
        }
        self.built = None;
        if let Some(changed) = changed {
            self.memo.forget(&self.opts.root.join("content"), changed);
        }
        let done = build::run(&self.opts, &mut self.memo, Mode::Preview)?;
        self.built = done.built;
        Ok(done.report)
    }
}
