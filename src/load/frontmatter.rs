//! Splits a Markdown file into its YAML front matter and body, and parses
//! the front matter into typed structs. Lines are kept so that errors point
//! at the line in the file, not in the YAML block.

use crate::error::{Error, Location, Result};
use crate::warning::Warning;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The parts of a source file. `*_line` are 1-based lines in the file.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub yaml_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

/// Finds the `---` fences. A UTF-8 BOM and CRLF line ends are accepted.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let missing = || Error::FrontMatter {
        loc: Location::at(path, 1, 1),
        msg: "the file must start with front matter between `---` lines, with at least `title:` and `date:`".into(),
    };
    let rest = text.strip_prefix("---").ok_or_else(missing)?;
    let rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n')).ok_or_else(missing)?;
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end_matches(['\r', '\n']) == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(Split { yaml, yaml_line: 2, body, body_line: i + 3 });
        }
        offset += line.len();
    }
    Err(Error::FrontMatter {
        loc: Location::at(path, 1, 1),
        msg: "front matter is not closed: add a line with `---` after it".into(),
    })
}

/// Parses a front-matter block into `T`, mapping YAML errors to file lines.
pub fn parse<T: DeserializeOwned>(split: &Split, path: &Path, known: &[&str]) -> Result<(T, Vec<Warning>)> {
    // An empty block is an empty mapping, so missing keys are reported by name.
    let yaml = if split.yaml.trim().is_empty() { "{}" } else { split.yaml };
    crate::load::yaml::parse(yaml, path, split.yaml_line, known).map_err(|e| {
        // YAML finds an unclosed `[` or `"` only at the end of the block:
        // point at the block's last line, not at the `---` after it.
        let last = split.yaml_line + split.yaml.lines().count().max(1) - 1;
        let loc = if e.loc.line > last { Location::at(path, last, 0) } else { e.loc };
        Error::FrontMatter { loc, msg: e.msg }
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Photo {
    pub src: String,
    #[serde(default)]
    pub alt: Option<String>,
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub credit: Option<String>,
    /// Where the crop of a card or a capped lead keeps the subject: a CSS
    /// `object-position` (`top`, `center`, `bottom`, `30% 20%`).
    #[serde(default)]
    pub focus: Option<String>,
}

/// `photo:` as front matter must write it: its texts as text. (The build
/// cache keeps `Photo` itself, in a format that has no YAML's leniency.)
#[derive(Deserialize)]
struct PhotoMeta {
    src: String,
    #[serde(default, deserialize_with = "strict_opt_string")]
    alt: Option<String>,
    #[serde(default, deserialize_with = "strict_opt_string")]
    caption: Option<String>,
    #[serde(default, deserialize_with = "strict_opt_string")]
    credit: Option<String>,
    #[serde(default, deserialize_with = "strict_opt_string")]
    focus: Option<String>,
}

fn strict_photo<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Photo>, D::Error> {
    let meta: Option<PhotoMeta> = Deserialize::deserialize(d)?;
    Ok(meta.map(|m| Photo { src: m.src, alt: m.alt, caption: m.caption, credit: m.credit, focus: m.focus }))
}

/// `photo.focus` as a CSS `object-position`: a keyword, or two
/// percentages (`x% y%`), nothing a stylesheet could be smuggled in by.
pub fn focus(text: &str) -> Result<String, String> {
    let t = text.trim().to_ascii_lowercase();
    if ["top", "center", "bottom", "left", "right"].contains(&t.as_str()) {
        return Ok(if t == "top" || t == "bottom" {
            format!("50% {}", if t == "top" { "0%" } else { "100%" })
        } else {
            t
        });
    }
    let parts: Vec<&str> = t.split_whitespace().collect();
    let percent =
        |p: &str| p.strip_suffix('%').and_then(|n| n.parse::<f32>().ok()).filter(|n| (0.0..=100.0).contains(n));
    match parts.as_slice() {
        [x, y] if percent(x).is_some() && percent(y).is_some() => Ok(format!("{x} {y}")),
        _ => {
            Err(format!("photo.focus `{text}` must be top, center, bottom, left, right or two percentages (`30% 20%`)"))
        }
    }
}

/// One correction as written: `{date: …, text: "…"}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionMeta {
    pub date: DateText,
    #[serde(deserialize_with = "strict_string")]
    pub text: String,
}

/// An article's front matter: the keys other tools generate, exactly.
#[derive(Debug, Clone, Deserialize)]
pub struct ArticleMeta {
    #[serde(deserialize_with = "strict_string")]
    pub title: String,
    pub date: DateText,
    #[serde(default)]
    pub updated: Option<DateText>,
    /// From then on the article is left out of the site.
    #[serde(default)]
    pub expires: Option<DateText>,
    /// Corrections published on the article, oldest first.
    #[serde(default)]
    pub corrections: Vec<CorrectionMeta>,
    /// A candidate for the front page's lead.
    #[serde(default)]
    pub featured: bool,
    #[serde(default)]
    pub featured_until: Option<DateText>,
    #[serde(default, deserialize_with = "strict_strings")]
    pub authors: Vec<String>,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default, deserialize_with = "strict_strings")]
    pub tags: Vec<String>,
    #[serde(default, deserialize_with = "strict_opt_string")]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "strict_photo")]
    pub photo: Option<Photo>,
    #[serde(default, deserialize_with = "strict_opt_string")]
    pub wire_credit: Option<String>,
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub translation_key: Option<String>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub draft: bool,
    /// The place the story was filed from: "KYIV".
    #[serde(default, deserialize_with = "strict_opt_string")]
    pub dateline: Option<String>,
    /// Old addresses that should lead here (`old/path`, `/2019/05/x/`).
    #[serde(default)]
    pub aliases: Vec<String>,
}

pub const ARTICLE_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "expires",
    "corrections",
    "text",
    "featured",
    "featured_until",
    "authors",
    "section",
    "tags",
    "summary",
    "photo",
    "wire_credit",
    "lang",
    "translation_key",
    "slug",
    "draft",
    "dateline",
    "aliases",
    "src",
    "alt",
    "caption",
    "credit",
    "focus",
];

/// A string that must be written as one: YAML would otherwise turn
/// `title: 42` or `title: yes` into text silently.
fn strict_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("text (put it in quotes)")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    d.deserialize_any(V)
}

/// Text, as `strict_string` requires it.
#[derive(Deserialize)]
struct Text(#[serde(deserialize_with = "strict_string")] String);

/// A list of texts (`authors: [1, true]` is an error, not "1" and "true").
fn strict_strings<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let texts: Vec<Text> = Deserialize::deserialize(d)?;
    Ok(texts.into_iter().map(|t| t.0).collect())
}

/// Text, or nothing.
fn strict_opt_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text: Option<Text> = Deserialize::deserialize(d)?;
    Ok(text.map(|t| t.0))
}

/// Dates are read as text so that YAML never reinterprets them; `dates.rs`
/// parses them and reports the line.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct DateText(pub String);

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SectionMeta {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Position in the navigation; lower comes first.
    #[serde(default)]
    pub order: Option<i64>,
}

pub const SECTION_KEYS: &[&str] = &["title", "description", "order"];

#[derive(Debug, Clone, Deserialize)]
pub struct AuthorMeta {
    pub name: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub photo: Option<String>,
}

pub const AUTHOR_KEYS: &[&str] = &["name", "role", "photo"];

/// A standalone page's front matter (`content/pages/about.md`): only the
/// title is required.
#[derive(Debug, Clone, Deserialize)]
pub struct StandaloneMeta {
    #[serde(deserialize_with = "strict_string")]
    pub title: String,
    /// For the search engines' snippet and the page's description.
    #[serde(default, deserialize_with = "strict_opt_string")]
    pub description: Option<String>,
    /// Which menu links the page, if any.
    #[serde(default)]
    pub menu: Option<MenuPlace>,
    /// Order in its menu; lower comes first, then by title.
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
}

/// Where a page is linked from every page of its language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MenuPlace {
    Header,
    Footer,
}

pub const STANDALONE_KEYS: &[&str] = &["title", "description", "menu", "weight", "draft"];

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("content/a.md")
    }

    #[test]
    fn splits_front_matter() {
        let s = split("---\ntitle: x\n---\nbody\n", p()).unwrap();
        assert_eq!(s, Split { yaml: "title: x\n", yaml_line: 2, body: "body\n", body_line: 4 });
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let s = split("\u{feff}---\r\ntitle: x\r\n---\r\nbody\r\n", p()).unwrap();
        assert_eq!(s.yaml, "title: x\r\n");
        assert_eq!(s.body, "body\r\n");
    }

    #[test]
    fn only_front_matter_is_fine() {
        let s = split("---\ntitle: x\n---", p()).unwrap();
        assert_eq!(s.body, "");
    }

    #[test]
    fn unclosed_is_an_error_at_line_1() {
        let e = split("---\ntitle: x\n", p()).unwrap_err().to_string();
        assert_eq!(e, "content/a.md:1:1: front matter: front matter is not closed: add a line with `---` after it");
    }

    #[test]
    fn missing_is_an_error() {
        assert!(split("# Just markdown\n", p()).is_err());
        assert!(split("", p()).is_err());
    }

    #[test]
    fn type_errors_name_the_line() {
        let text = "---\ntitle: x\ndate: 2025-01-01\ntags: sanctions\n---\n";
        let s = split(text, p()).unwrap();
        let e = parse::<ArticleMeta>(&s, p(), ARTICLE_KEYS).unwrap_err().to_string();
        assert!(e.starts_with("content/a.md:4:"), "{e}");
        assert!(e.contains("`tags` must be a list"), "{e}");
    }

    #[test]
    fn missing_title_is_named() {
        let s = split("---\ndate: 2025-01-01\n---\n", p()).unwrap();
        let e = parse::<ArticleMeta>(&s, p(), ARTICLE_KEYS).unwrap_err().to_string();
        assert!(e.contains("`title` is missing"), "{e}");
    }

    #[test]
    fn number_title_is_an_error() {
        let s = split("---\ntitle: 42\ndate: 2025-01-01\n---\n", p()).unwrap();
        assert!(parse::<ArticleMeta>(&s, p(), ARTICLE_KEYS).is_err());
    }

    #[test]
    fn lists_of_names_must_be_text() {
        // See: #19 (20): `authors: [1, true]` was accepted as "1" and "true".
        let s = split("---\ntitle: x\ndate: 2025-01-01\nauthors: [1, true]\n---\n", p()).unwrap();
        let e = parse::<ArticleMeta>(&s, p(), ARTICLE_KEYS).unwrap_err().to_string();
        assert!(e.starts_with("content/a.md:4:") && e.contains("expected text (put it in quotes)"), "{e}");
        let s = split("---\ntitle: x\ndate: 2025-01-01\nphoto: {src: a.jpg, credit: 42}\n---\n", p()).unwrap();
        let e = parse::<ArticleMeta>(&s, p(), ARTICLE_KEYS).unwrap_err().to_string();
        assert!(e.starts_with("content/a.md:4:") && e.contains("expected text (put it in quotes)"), "{e}");
        let s =
            split("---\ntitle: x\ndate: 2025-01-01\nauthors: [\"Jane Roe\"]\ndateline: \"Kyiv\"\n---\n", p()).unwrap();
        assert!(parse::<ArticleMeta>(&s, p(), ARTICLE_KEYS).is_ok());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut y = String::from("---\ntitle: x\ndate: 2025-01-01\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (i, prev) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().enumerate() {
            let name = ["b", "c", "d", "e", "f", "g", "h", "i"][i];
            y.push_str(&format!(
                "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
        }
        y.push_str("tags: *i\n---\n");
        let s = split(&y, p()).unwrap();
        assert!(parse::<ArticleMeta>(&s, p(), ARTICLE_KEYS).is_err());
    }
}
