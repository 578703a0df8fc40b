//! Files for the hosts and tools that serve and find the copies:
//! `mirrors.json` for the Bypass Censorship extension, `_headers` and
//! `_redirects` for static hosts that read them (Netlify, Cloudflare
//! Pages).

use crate::load::mirrors::{host, Kind, Mirror};
use crate::model::site::Site;
use serde::Serialize;

/// The Bypass Censorship extension's list, at the output's root.
pub const MIRRORS_JSON: &str = "mirrors.json";

/// `mirrors.json` in the format of the Bypass Censorship extension: the
/// primary domain and its web and onion alternatives.
pub fn bypass_json(primary: &str, mirrors: &[Mirror]) -> String {
    #[derive(Serialize)]
    struct Alternative<'a> {
        proto: &'a str,
        #[serde(rename = "type")]
        kind: &'a str,
        url: &'a str,
        created_at: &'a str,
        updated_at: &'a str,
    }
    #[derive(Serialize)]
    struct Site<'a> {
        main_domain: String,
        available_mirrors: Vec<&'a str>,
        available_onions: Vec<&'a str>,
        available_alternatives: Vec<Alternative<'a>>,
    }
    #[derive(Serialize)]
    struct List<'a> {
        version: &'a str,
        sites: Vec<Site<'a>>,
    }
    let reachable = mirrors.iter().filter(|m| matches!(m.kind, Kind::Web | Kind::Onion));
    let alternatives = reachable
        .clone()
        .map(|m| {
            let since = m.since.as_deref().unwrap_or("");
            let proto = if m.url.starts_with("https://") { "https" } else { "http" };
            let kind = if m.kind == Kind::Onion { "tor" } else { "mirror" };
            Alternative { proto, kind, url: &m.url, created_at: since, updated_at: since }
        })
        .collect();
    let list = List {
        version: "2.0",
        sites: vec![Site {
            main_domain: host(primary),
            available_mirrors: reachable.clone().filter(|m| m.kind == Kind::Web).map(|m| m.url.as_str()).collect(),
            available_onions: reachable.filter(|m| m.kind == Kind::Onion).map(|m| m.url.as_str()).collect(),
            available_alternatives: alternatives,
        }],
    };
    let mut s = serde_json::to_string_pretty(&list).expect("serializes");
    s.push('\n');
    s
}

/// `_headers` for static hosts that read one (Netlify, Cloudflare Pages):
/// the onion address for Tor Browser, and long caching for files whose
/// names carry their content hash.
pub fn headers_file(onion: Option<&Mirror>, fingerprinted: &[String]) -> String {
    let mut s = String::new();
    if let Some(o) = onion {
        s.push_str(&format!("/*\n  Onion-Location: {}/:splat\n", o.url.trim_end_matches('/')));
    }
    for f in fingerprinted {
        s.push_str(&format!("/{f}\n  Cache-Control: public, max-age=31536000, immutable\n"));
    }
    s
}

/// `_redirects`: the site's old addresses as server redirects, for hosts
/// that read the file (the alias pages do the same anywhere else).
pub fn redirects_file(site: &Site) -> String {
    site.aliases()
        .iter()
        .map(|(from, i)| format!("/{} /{} 301\n", from.as_str(), site.articles()[*i].path.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::mirrors::MirrorConfig;

    fn m(url: &str) -> Mirror {
        Mirror::from_config(MirrorConfig { url: url.into(), ..Default::default() }).unwrap()
    }

    #[test]
    fn bypass_list_names_the_primary_domain() {
        let json = bypass_json(
            "https://www.Example.org",
            &[m("https://mirror.example/"), m("http://abc.onion"), m("ipns://x")],
        );
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["sites"][0]["main_domain"], "example.org");
        assert_eq!(v["sites"][0]["available_onions"][0], "http://abc.onion");
        let alts = v["sites"][0]["available_alternatives"].as_array().unwrap();
        assert_eq!(alts.len(), 2);
        assert_eq!(alts[1]["type"], "tor");
    }

    #[test]
    fn headers_carry_onion_and_caching() {
        let h = headers_file(Some(&m("http://abc.onion/")), &["site.0123456789.css".into()]);
        assert_eq!(h, "/*\n  Onion-Location: http://abc.onion/:splat\n/site.0123456789.css\n  Cache-Control: public, max-age=31536000, immutable\n");
    }
}
