//! Slugs are always readable ASCII path segments, and URL helpers never
//! climb above the site root.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|text: &str| checks::slugs_and_urls(text));
