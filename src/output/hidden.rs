//! The names a discreet mirror's copy may not contain: the hosts of the
//! site's other addresses (and, for an address on a shared IPFS gateway,
//! its content or IPNS name rather than the gateway's host). A file is
//! searched as a browser would read it: percent-escapes and HTML character
//! references decoded, compatibility forms folded (fullwidth letters, the
//! ideographic full stop), soft hyphens dropped, case ignored, and each
//! host in both its Unicode and its punycode form. A name counts only where
//! it stands alone: `quietmeridian.example` does not contain
//! `meridian.example`, but `lists.meridian.example` does.

use unicode_normalization::UnicodeNormalization;

/// The names to look for.
#[derive(Debug, Default)]
pub struct Hidden {
    names: Vec<String>,
}

impl Hidden {
    /// The names of the addresses `urls`.
    pub fn of(urls: &[String]) -> Hidden {
        let mut names: Vec<String> = urls.iter().flat_map(|u| names_of(u)).filter(|n| n.len() > 3).collect();
        names.sort();
        names.dedup();
        Hidden { names }
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The first name `bytes` contains, if any.
    pub fn found_in(&self, bytes: &[u8]) -> Option<&str> {
        if self.names.is_empty() {
            return None;
        }
        let raw = String::from_utf8_lossy(bytes).to_lowercase();
        let read = readable(&raw);
        self.names.iter().find(|n| stands_in(&raw, n) || stands_in(&read, n)).map(String::as_str)
    }
}

/// What identifies an address: its host in both forms, or the name after
/// `/ipfs/` or `/ipns/` (the gateway host is shared by everyone).
fn names_of(url: &str) -> Vec<String> {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or("").trim_start_matches("www.").to_lowercase();
    if scheme == "ipfs" || scheme == "ipns" {
        return vec![host];
    }
    let path = rest.get(rest.find('/').unwrap_or(rest.len())..).unwrap_or("");
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    while let Some(s) = segments.next() {
        if s == "ipfs" || s == "ipns" {
            return segments.next().map(|n| vec![n.to_lowercase()]).unwrap_or_default();
        }
    }
    let mut forms = vec![host.clone()];
    if let Ok(ascii) = idna::domain_to_ascii(&host) {
        forms.push(ascii);
    }
    let (unicode, ok) = idna::domain_to_unicode(&host);
    if ok.is_ok() {
        forms.push(unicode);
    }
    forms
}

/// Whether `name` occurs in `text` with no letter, digit or dash on either
/// side (a dot before it is a subdomain: it counts).
fn stands_in(text: &str, name: &str) -> bool {
    let part = |c: char| c.is_alphanumeric() || c == '-';
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(part) && !after.is_some_and(part)
    })
}

/// `text` as a browser reads a link in it: escapes decoded, compatibility
/// forms folded, soft hyphens dropped, lowercase.
fn readable(text: &str) -> String {
    let decoded = percent_decode_lossy(&decode_references(text));
    decoded
        .nfkc()
        .filter(|&c| c != '\u{ad}')
        .map(|c| if matches!(c, '\u{3002}' | '\u{ff0e}' | '\u{ff61}') { '.' } else { c })
        .collect::<String>()
        .to_lowercase()
}

/// HTML character references (`&#46;`, `&#x2E;`, `&period;`, `&shy;`)
/// decoded; others left as written.
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(|c: char| !c.is_ascii_alphanumeric() && c != '#').map_or(rest.len(), |e| e + 1);
        let body = &rest[1..end];
        let c = match body.strip_prefix('#') {
            Some(n) => match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => n.parse().ok(),
            }
            .and_then(char::from_u32),
            None => match body {
                "period" => Some('.'),
                "shy" => Some('\u{ad}'),
                "sol" => Some('/'),
                "colon" => Some(':'),
                "hyphen" | "dash" => Some('-'),
                _ => None,
            },
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `%XX` escapes decoded where they make UTF-8; others left as written.
fn percent_decode_lossy(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hidden() -> Hidden {
        Hidden::of(&[
            "https://meridian.example".into(),
            "https://зеркало.example/".into(),
            "https://dweb.link/ipns/k51qzi5uqu5dl".into(),
            "ipns://k51abcdefgh".into(),
        ])
    }

    #[test]
    fn every_written_form_of_a_host_is_found() {
        let h = hidden();
        for text in [
            "https://MERIDIAN.example/x",
            "https://meridian%2Eexample/",
            "meridian&#46;example",
            "meridian&period;example",
            "meri&#x64;ian.example",
            "meri\u{ad}dian.example",
            "meridian\u{3002}example",
            "ｍｅｒｉｄｉａｎ.example",
            "lists.meridian.example",
            "https://xn--80ajfngsk.example/",
            "ЗЕРКАЛО.example",
            "https://dweb.link/ipns/k51qzi5uqu5dl/",
            "k51abcdefgh",
        ] {
            assert!(h.found_in(text.as_bytes()).is_some(), "{text}");
        }
    }

    #[test]
    fn a_name_inside_another_word_or_a_shared_gateway_is_not_a_tie() {
        let h = hidden();
        for text in ["quietmeridian.example", "meridian.examples", "https://dweb.link/ipfs/bafyother", "plain text"] {
            assert_eq!(h.found_in(text.as_bytes()), None, "{text}");
        }
    }
}
