//! Markdown with the project's extensions (link checking, images, anchors,
//! highlighting, quotes) never panics, in English or Russian.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|text: &str| checks::markdown(text));
