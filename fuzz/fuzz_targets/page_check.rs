//! The mirror check reads any HTML or CSS without panicking, and the
//! preview server never maps a request to a path with `..`.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|text: &str| checks::page_check(text));
