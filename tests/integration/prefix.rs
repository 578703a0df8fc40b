//! The built site served under a random path prefix, as from an IPFS
//! gateway (`/ipfs/<CID>/`, with `/` answering 404): every page loads, and
//! every reference on every page resolves inside the prefix.

use crate::common::{references, tree, TestSite};
use crate::gateway::{get, resolve, PrefixServer};
use std::collections::BTreeSet;

#[test]
fn every_reference_of_every_page_resolves_under_a_random_prefix() {
    let site = TestSite::sample();
    site.built();
    let server = PrefixServer::start(&site.out());
    assert_eq!(get(server.addr, "/").0, 404, "the gateway root is not the site");
    let pages: Vec<String> = tree(&site.out()).into_keys().filter(|p| p.ends_with(".html")).collect();
    let mut fetched = BTreeSet::new();
    let mut refs = 0;
    for rel in &pages {
        let page = format!("{}{rel}", server.prefix);
        let (status, body) = get(server.addr, &page);
        assert_eq!(status, 200, "{page}");
        for r in references(&String::from_utf8_lossy(&body)) {
            if r.contains("://") || r.starts_with("mailto:") || r.starts_with('#') {
                continue;
            }
            refs += 1;
            let target = resolve(&page, &r);
            assert!(target.starts_with(&server.prefix), "{rel}: {r} leaves the prefix ({target})");
            if fetched.insert(target.clone()) {
                assert_eq!(get(server.addr, &target).0, 200, "{rel}: {r} -> {target}");
            }
        }
    }
    assert!(pages.len() > 50 && refs > 1000, "{} pages, {refs} references", pages.len());
}
