//! The sanitizer's cleaners (HTML fragments, documents, SVG): see `checks.rs`.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|text: &str| checks::sanitize(text));
