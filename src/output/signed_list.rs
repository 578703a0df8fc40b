//! Which signed mirror list (`publish::mirror_list`) a build publishes: the
//! output's own while it still lists the site's addresses (so a rebuild is
//! byte-identical), or one issued now with the build's key. A list issued
//! now needs `--sign`; without a key, a list the addresses no longer match
//! is left out, and the operator is told.

use crate::load::config::Config;
use crate::load::mirrors::{Kind, Mirror};
use crate::publish::mirror_list::{self, Entry, Signed};
use crate::publish::signing::KeyFile;
use crate::warning::Warning;

/// How a build treats the mirror list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issue {
    /// Keep the output's list while it lists the same addresses and has
    /// more than half its time left; else issue one (with a key).
    AsNeeded,
    /// Issue a new list whatever the output has (`sitegen mirrors update`).
    Now,
}

/// The list this build publishes, and a warning if it drops one.
pub fn decide(cfg: &Config, key: Option<&KeyFile>, issue: Issue, now: i64) -> (Option<Signed>, Option<Warning>) {
    if cfg.is_discreet() {
        return (None, None);
    }
    let entries = entries(cfg);
    let previous = mirror_list::read_in(&cfg.output_dir);
    // Signed with the build's key (else site.yaml's public_key, if any):
    // only such a list is kept, and only it may move the sequence on.
    let trusted = previous.as_ref().filter(|p| match key.map(KeyFile::public).or(cfg.public_key) {
        Some(k) => mirror_list::check(&k, &p.text).is_ok(),
        None => true,
    });
    let same = trusted.filter(|p| p.list.mirrors == entries && p.list.site == cfg.primary_url).cloned();
    let half = i64::from(cfg.mirrors_valid_for) * 86_400 / 2;
    match (key, same) {
        (Some(_), Some(p)) if issue == Issue::AsNeeded && p.expires_at() - now > half => (Some(p), None),
        (Some(k), _) => {
            let replaced = trusted.map(|p| &p.list);
            (Some(mirror_list::issue(k, &cfg.primary_url, entries, replaced, now, cfg.mirrors_valid_for)), None)
        }
        (None, Some(p)) => (Some(p), None),
        (None, None) => (None, previous.map(|_| dropped(cfg))),
    }
}

/// The addresses the list names: the primary, then the others as listed.
fn entries(cfg: &Config) -> Vec<Entry> {
    let primary = Entry { url: cfg.primary_url.clone(), kind: "web".into(), stable: true };
    std::iter::once(primary).chain(cfg.listed.iter().map(entry)).collect()
}

fn entry(m: &Mirror) -> Entry {
    let kind = match m.kind {
        Kind::Web => "web",
        Kind::Onion => "onion",
        Kind::Ipfs => "ipfs",
        Kind::Archive => "archive",
    };
    Entry { url: m.url.clone(), kind: kind.into(), stable: m.stable }
}

fn dropped(cfg: &Config) -> Warning {
    Warning {
        loc: crate::error::Location::file(crate::urls::tidy(&cfg.output_dir.join(mirror_list::FILE))),
        msg: "the site's addresses changed and this build has no key to sign a new list, so the signed mirror list is left out: build with --sign KEYFILE, or run `sitegen mirrors update --key KEYFILE`".into(),
    }
}
