//! Escaping text for where it lands: HTML text and attributes, XML (feeds,
//! sitemaps), and JSON inside a `<script>` element. One function per place,
//! used by every writer of that place.

/// HTML escaping for text and attribute values. Runs of plain text are
/// copied whole: Tera calls this for every value a template prints.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[plain..i]);
        out.push_str(entity);
        plain = i + 1;
    }
    out.push_str(&s[plain..]);
    out
}

/// XML text and attribute escaping. Control characters are dropped: XML
/// 1.0 allows none but tab and line ends, even escaped.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// JSON for inside `<script>`: `<`, `>` and `&` escaped, so no string in it
/// can close the element or open a comment.
pub fn json_in_script(v: &impl serde::Serialize) -> String {
    let text = serde_json::to_string(v).expect("serializes");
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_html() {
        assert_eq!(html("a<b>&\"c'd — ё"), "a&lt;b&gt;&amp;&quot;c&#39;d — ё");
        assert_eq!(html("plain"), "plain");
        assert_eq!(html(""), "");
    }

    #[test]
    fn escapes_xml() {
        assert_eq!(xml("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&apos;");
    }

    #[test]
    fn script_json_cannot_close_the_element() {
        let s = json_in_script(&serde_json::json!({"headline": "</script><script>alert(1)</script>", "x": "<!--"}));
        assert!(!s.contains("</script") && !s.contains("<!--"), "{s}");
        assert!(s.contains("\\u003c/script\\u003e"));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["headline"], "</script><script>alert(1)</script>");
    }
}
