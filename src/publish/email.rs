//! An email message (RFC 5322, MIME) of one shape: `multipart/alternative`
//! with a plain-text and an HTML part, for `sitegen edition --email`.
//!
//! Written here rather than with a mail crate: the message must be byte for
//! byte the same for the same inputs (the boundary and Message-ID derive
//! from the content, the date is the edition's "now"), and a newsletter
//! handed to a list service has no recipient, which the builders we tried
//! refuse. One fixed shape is a page of code.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;

pub struct Mail<'a> {
    /// `Name <address>` or a bare address, as given.
    pub from: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub date: chrono::DateTime<chrono::Utc>,
    pub text: &'a str,
    pub html: &'a str,
}

impl Mail<'_> {
    /// The message, with CRLF line ends as RFC 5322 asks.
    pub fn to_eml(&self) -> String {
        let digest =
            crate::publish::manifest::sha256_hex(format!("{}\0{}\0{}", self.subject, self.text, self.html).as_bytes());
        let boundary = format!("=_sitegen_{}", &digest[..32]);
        let domain = address_domain(self.from).unwrap_or("sitegen.invalid");
        let mut out = String::new();
        let mut header = |name: &str, value: &str| {
            out.push_str(name);
            out.push_str(": ");
            out.push_str(value);
            out.push_str("\r\n");
        };
        header("From", &mailbox(self.from));
        header("To", &mailbox(self.to));
        header("Subject", &encode_words(self.subject));
        header("Date", &self.date.format("%a, %d %b %Y %H:%M:%S +0000").to_string());
        header("Message-ID", &format!("<{}@{domain}>", &digest[..40]));
        header("MIME-Version", "1.0");
        header("Content-Type", &format!("multipart/alternative;\r\n boundary=\"{boundary}\""));
        out.push_str("\r\n");
        out.push_str("This is a message in MIME format: a plain-text part, then an HTML part.\r\n");
        for (kind, body) in [("text/plain", self.text), ("text/html", self.html)] {
            out.push_str(&format!("\r\n--{boundary}\r\n"));
            out.push_str(&format!("Content-Type: {kind}; charset=utf-8\r\n"));
            out.push_str("Content-Transfer-Encoding: base64\r\n\r\n");
            let encoded = B64.encode(body.as_bytes());
            for line in encoded.as_bytes().chunks(76) {
                out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
                out.push_str("\r\n");
            }
        }
        out.push_str(&format!("\r\n--{boundary}--\r\n"));
        out
    }
}

/// Checks an address as given on the command line: `Name <a@b>` or `a@b`.
pub fn check_address(given: &str) -> Result<(), String> {
    let bad = || format!("`{given}` is not an email address (give `name@example.org` or `Name <name@example.org>`)");
    let addr = match given.rsplit_once('<') {
        Some((_, rest)) => rest.strip_suffix('>').ok_or_else(bad)?,
        None => given.trim(),
    };
    let (local, host) = addr.split_once('@').ok_or_else(bad)?;
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic() && !b"<>()[]\\,;:\"@".contains(&b));
    if !plain(local) || !plain(host) || !host.contains('.') || given.contains(['\r', '\n']) {
        return Err(bad());
    }
    Ok(())
}

fn address_domain(given: &str) -> Option<&str> {
    let addr = given.rsplit_once('<').map_or(given, |(_, r)| r.trim_end_matches('>'));
    addr.split_once('@').map(|(_, h)| h.trim())
}

/// `Name <a@b>` with the name encoded when it is not plain ASCII.
fn mailbox(given: &str) -> String {
    match given.rsplit_once('<') {
        Some((name, rest)) if !name.trim().is_empty() => {
            let name = name.trim().trim_matches('"');
            let shown = match name.is_ascii() && !name.contains(['"', '\\']) {
                true => format!("\"{name}\""),
                false => encode_words(name),
            };
            format!("{shown} <{rest}")
        }
        Some((_, rest)) => format!("<{rest}"),
        None => given.trim().to_string(),
    }
}

/// A header text as RFC 2047 encoded words (base64, UTF-8) when it is not
/// plain ASCII, each word short enough for a header line.
fn encode_words(text: &str) -> String {
    if text.is_ascii() && !text.contains("=?") {
        return text.to_string();
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        // 39 bytes of UTF-8 are 52 of base64: with `=?utf-8?B?` and `?=`,
        // a word and the header's name fit the 78 columns RFC 5322 asks.
        if chunk.len() + c.len_utf8() > 39 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    words.push(chunk);
    words.iter().map(|w| format!("=?utf-8?B?{}?=", B64.encode(w.as_bytes()))).collect::<Vec<_>>().join("\r\n ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail<'a>(subject: &'a str, html: &'a str) -> Mail<'a> {
        Mail {
            from: "Меридиан <news@meridian.example>",
            to: "readers@lists.meridian.example",
            subject,
            date: chrono::DateTime::parse_from_rfc3339("2026-12-02T07:00:00+03:00").unwrap().into(),
            text: "Hello",
            html,
        }
    }

    #[test]
    fn a_message_has_both_parts_and_encoded_headers() {
        let eml = mail("Утренний выпуск, 2 декабря", "<p>Hello</p>").to_eml();
        assert!(eml.contains("Subject: =?utf-8?B?"));
        assert!(eml.contains("From: =?utf-8?B?0JzQtdGA0LjQtNC40LDQvQ==?= <news@meridian.example>\r\n"));
        assert!(eml.contains("Date: Wed, 02 Dec 2026 04:00:00 +0000\r\n"));
        assert!(eml.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(eml.contains("Content-Type: text/html; charset=utf-8"));
        assert!(eml.lines().all(|l| l.trim_end_matches('\r').len() <= 78), "{eml}");
        assert!(eml.contains("@meridian.example>\r\n"));
    }

    #[test]
    fn the_same_content_gives_the_same_bytes_and_other_content_another_boundary() {
        let a = mail("Morning", "<p>a</p>").to_eml();
        assert_eq!(a, mail("Morning", "<p>a</p>").to_eml());
        let boundary = |eml: &str| eml.lines().find(|l| l.starts_with(" boundary=")).map(str::to_string);
        assert!(boundary(&a).is_some());
        assert_ne!(boundary(&a), boundary(&mail("Morning", "<p>b</p>").to_eml()));
    }

    #[test]
    fn long_subjects_become_several_short_words() {
        let s = "Очень длинный заголовок письма, который не помещается в одну строку заголовка";
        let enc = encode_words(s);
        assert!(enc.split("\r\n ").all(|w| w.len() <= 75 && w.starts_with("=?utf-8?B?")));
        let decoded: String =
            enc.split("\r\n ").map(|w| String::from_utf8(B64.decode(&w[10..w.len() - 2]).unwrap()).unwrap()).collect();
        assert_eq!(decoded, s);
    }

    #[test]
    fn addresses_are_checked() {
        assert!(check_address("news@meridian.example").is_ok());
        assert!(check_address("The Meridian <news@meridian.example>").is_ok());
        assert!(check_address("news").is_err());
        assert!(check_address("a@b.c\r\nBcc: x@y.z").is_err());
        assert!(check_address("Name <news@meridian.example").is_err());
    }
}
