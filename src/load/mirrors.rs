//! The site's other addresses as `site.yaml` lists them: web mirrors, an
//! onion service, IPFS names and a downloadable archive, checked and with
//! their kinds and labels. Readers see them on the mirrors page and in a
//! block on every page (`render`); `output::generated` writes them for Tor
//! Browser (`_headers`) and the Bypass Censorship extension (`mirrors.json`).

pub use crate::urls::host;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Web,
    Onion,
    Ipfs,
    Archive,
}

/// A label in one language for all, or per language.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Label {
    One(String),
    PerLanguage(BTreeMap<String, String>),
}

/// A mirror as written in `site.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MirrorConfig {
    pub url: String,
    /// For `sitegen build --mirror NAME`.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub kind: Option<Kind>,
    #[serde(default)]
    pub label: Option<Label>,
    /// When the mirror went up (for `mirrors.json`), ISO 8601.
    #[serde(default)]
    pub since: Option<String>,
    /// An address that lasts (an onion or IPNS name): named on every page.
    /// The others rotate and are named only on the mirrors page.
    #[serde(default)]
    pub stable: bool,
    /// Its build (`--mirror NAME`) carries no tie to the site's other
    /// addresses.
    #[serde(default)]
    pub discreet: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mirror {
    pub url: String,
    pub name: Option<String>,
    pub kind: Kind,
    pub labels: BTreeMap<String, String>,
    pub label: Option<String>,
    pub since: Option<String>,
    pub stable: bool,
    pub discreet: bool,
}

impl Mirror {
    pub fn from_config(c: MirrorConfig) -> Result<Mirror, String> {
        let url = c.url.trim().to_string();
        // A mirror's address goes into `_headers` and `mirrors.json` too:
        // a space or a line break in it would start a new line there.
        if url.contains(|c: char| c.is_whitespace() || c.is_control()) {
            return Err(format!("mirror `{}`: the address may not hold spaces or line breaks", url.escape_debug()));
        }
        let scheme_ok = ["https://", "http://", "ipfs://", "ipns://"].iter().any(|s| url.starts_with(s));
        if !scheme_ok {
            return Err(format!("mirror `{url}`: the address must start with https://, http://, ipfs:// or ipns://"));
        }
        let kind = c.kind.unwrap_or_else(|| infer_kind(&url));
        if let Some(s) = &c.since {
            crate::load::dates::parse(s).map_err(|e| format!("mirror `{url}`: `since`: {e}"))?;
        }
        let (labels, label) = match c.label {
            Some(Label::One(s)) => (BTreeMap::new(), Some(s)),
            Some(Label::PerLanguage(m)) => (m, None),
            None => (BTreeMap::new(), None),
        };
        if c.discreet && c.name.is_none() {
            return Err(format!("mirror `{url}`: a discreet mirror needs a `name`, to build it with `--mirror NAME`"));
        }
        Ok(Mirror { url, name: c.name, kind, labels, label, since: c.since, stable: c.stable, discreet: c.discreet })
    }

    /// The label for readers of `lang`, else the address itself.
    pub fn label(&self, lang: &str) -> String {
        self.labels.get(lang).or(self.label.as_ref()).cloned().unwrap_or_else(|| display_url(&self.url))
    }

    /// The address of site path `path` (`news/x/`) on this mirror, for web
    /// and onion mirrors.
    pub fn page_url(&self, path: &str) -> String {
        crate::urls::absolute(&self.url, path)
    }
}

fn infer_kind(url: &str) -> Kind {
    let host = url.split("://").nth(1).unwrap_or("").split('/').next().unwrap_or("");
    if host.ends_with(".onion") {
        Kind::Onion
    } else if url.starts_with("ipfs://")
        || url.starts_with("ipns://")
        || url.contains("/ipfs/")
        || url.contains("/ipns/")
    {
        Kind::Ipfs
    } else if [".zip", ".tar.gz", ".tgz"].iter().any(|e| url.ends_with(e)) {
        Kind::Archive
    } else {
        Kind::Web
    }
}

/// `https://mirror.example/` → `mirror.example`.
pub fn display_url(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(url: &str) -> Mirror {
        Mirror::from_config(MirrorConfig { url: url.into(), ..Default::default() }).unwrap()
    }

    #[test]
    fn kinds_are_inferred() {
        assert_eq!(m("https://mirror.example/").kind, Kind::Web);
        assert_eq!(m("http://abcdefghijklmnop.onion/").kind, Kind::Onion);
        assert_eq!(m("ipns://news.example").kind, Kind::Ipfs);
        assert_eq!(m("https://gw.example/ipns/k51abc/").kind, Kind::Ipfs);
        assert_eq!(m("https://files.example/site.zip").kind, Kind::Archive);
    }

    #[test]
    fn bad_scheme_is_refused() {
        let e = Mirror::from_config(MirrorConfig { url: "mirror.example".into(), ..Default::default() });
        assert!(e.unwrap_err().contains("must start with https://"));
    }

    #[test]
    fn labels_by_language() {
        let mut x = m("https://mirror.example/");
        assert_eq!(x.label("ru"), "mirror.example");
        x.labels.insert("ru".into(), "Зеркало".into());
        assert_eq!(x.label("ru"), "Зеркало");
        assert_eq!(x.label("en"), "mirror.example");
    }
}
