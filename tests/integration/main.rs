//! Integration tests: build small fixture sites and check the output. One
//! test binary, so CI links once.

mod clients;
mod common;

mod architecture;
mod archive;
mod attacks;
mod browser;
mod budget;
mod build;
mod corrections;
mod edition;
mod errors;
mod feeds;
mod front;
mod fuzz_regressions;
mod gateway;
mod hostile;
mod imported;
mod incremental;
mod ipfs;
mod mirror;
mod mirrors;
mod nothing_changed;
mod photo_sizes;
mod photos;
mod prefix;
mod safety;
mod sample;
mod schedule;
mod search;
mod standalone;
mod start;
mod trust;
mod watch;
