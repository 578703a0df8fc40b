//! Splitting and parsing front matter never panics, and every error names
//! the file.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|text: &str| checks::front_matter(text));
