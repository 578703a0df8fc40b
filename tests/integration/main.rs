//! Integration tests: build small fixture sites and check the output. One
//! test binary, so CI links once.

mod common;

mod build;
mod errors;
mod feeds;
mod mirror;
mod mirrors;
mod sample;
