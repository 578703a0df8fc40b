//! Progress bars for the stages of a long build, drawn on stderr only when
//! a person watches it (the command line turns them on for a terminal);
//! in a pipe, a CI log or a test, nothing is drawn and `tick` costs one
//! atomic load.
//!
//! One stage runs at a time, so the bar is held here rather than passed
//! through every stage's signature: a stage starts it with `stage`, the
//! parallel loops deep inside call `tick` per item done.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::RwLock;

static ENABLED: AtomicBool = AtomicBool::new(false);
static BAR: RwLock<Option<ProgressBar>> = RwLock::new(None);

/// Fewer items than this finish before a bar would be read.
const WORTH_A_BAR: usize = 2_000;

/// Turns bars on for this process: the command line calls it when stderr
/// is a terminal.
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// A stage in progress; its bar is cleared when it is dropped, so the
/// build's report follows on a clean line.
#[must_use]
pub struct Stage(bool);

/// Starts stage `name` of `len` items.
pub fn stage(name: &'static str, len: usize) -> Stage {
    if !ENABLED.load(Ordering::Relaxed) || len < WORTH_A_BAR {
        return Stage(false);
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr_with_hz(8));
    let style = ProgressStyle::with_template("{prefix:>13} [{bar:32}] {pos}/{len} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(name);
    if let Ok(mut slot) = BAR.write() {
        *slot = Some(bar);
    }
    Stage(true)
}

/// One item of the current stage done.
pub fn tick() {
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    if let Ok(slot) = BAR.read() {
        if let Some(bar) = slot.as_ref() {
            bar.inc(1);
        }
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if !self.0 {
            return;
        }
        if let Ok(mut slot) = BAR.write() {
            if let Some(bar) = slot.take() {
                bar.finish_and_clear();
            }
        }
    }
}

/// Clears whatever bar is drawn: before an error is printed, or on Ctrl-C.
pub fn clear() {
    if let Ok(mut slot) = BAR.write() {
        if let Some(bar) = slot.take() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_terminal_nothing_is_drawn_and_ticks_are_free() {
        // Tests never call `enable`: a stage is inert however long.
        let s = stage("pages", 1_000_000);
        assert!(!s.0);
        tick();
        assert!(BAR.read().unwrap().is_none());
    }
}
