//! Typed YAML parsing shared by `site.yaml` and front matter: serde_yaml
//! errors are mapped to file lines, and unknown keys become warnings.

use crate::error::Location;
use crate::warning::{unknown_key, yaml_key_line, Warning};
use serde::de::DeserializeOwned;
use std::path::Path;

/// A YAML failure: where it is (line in the file) and what it says.
pub struct YamlError {
    pub loc: Location,
    pub msg: String,
}

/// Parses `yaml`, which starts at line `first_line` of `path`.
pub fn parse<T: DeserializeOwned>(
    yaml: &str,
    path: &Path,
    first_line: usize,
    known: &[&str],
) -> Result<(T, Vec<Warning>), YamlError> {
    let mut unknown = Vec::new();
    let de = serde_yaml::Deserializer::from_str(yaml);
    let value: Result<T, _> = serde_ignored::deserialize(de, |p| unknown.push(p.to_string()));
    match value {
        Ok(v) => {
            let warnings = unknown
                .into_iter()
                .map(|key| {
                    let line =
                        yaml_key_line(yaml, key.rsplit('.').next().unwrap_or(&key)).map_or(0, |l| l + first_line - 1);
                    let leaf = key.rsplit('.').next().unwrap_or(&key).to_string();
                    let msg = unknown_key(&leaf, known).replacen(&leaf, &key, 1);
                    Warning { loc: Location::at(path, line, 0), msg }
                })
                .collect();
            Ok((v, warnings))
        }
        Err(e) => {
            let (mut line, mut col) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            let msg = clean_message(&e.to_string());
            // serde_yaml reports a duplicate key where its mapping starts:
            // point at the second one, which is the one to remove.
            if let Some(key) = msg.strip_prefix("duplicate field `").and_then(|r| r.split('`').next()) {
                if let Some(second) = top_level_key_lines(yaml, key).nth(1) {
                    (line, col) = (second, 1);
                }
            }
            let loc = Location::at(path, if line == 0 { 0 } else { line + first_line - 1 }, col);
            Err(YamlError { loc, msg: plain_words(&msg, yaml, line) })
        }
    }
}

/// The 1-based line of the key at `path` in a YAML text, as `site.yaml`
/// is written: block mappings by indentation, `- ` list items (a number in
/// `path` is an item's index), and flow mappings (`{url: …}`) on the line
/// of their key. `None` if it is not found.
pub fn line_of(yaml: &str, path: &[&str]) -> Option<usize> {
    let mut depth = 0;
    let mut parent_indent: Option<usize> = None;
    let mut items = 0;
    for (n, line) in yaml.lines().enumerate() {
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if parent_indent.is_some_and(|p| indent <= p) {
            return None;
        }
        let segment = path[depth];
        let found = match segment.parse::<usize>() {
            Ok(i) if content.starts_with("- ") || content == "-" => {
                items += 1;
                items - 1 == i
            }
            Ok(_) => false,
            Err(_) => {
                let key = content.trim_start_matches("- ");
                key.strip_prefix(segment).is_some_and(|rest| rest.trim_start().starts_with(':'))
            }
        };
        if !found {
            continue;
        }
        // The rest of the path may be in a flow mapping on this line.
        let rest = &path[depth + 1..];
        if rest.is_empty() || rest.iter().all(|k| content.contains(&format!("{k}:"))) {
            return Some(n + 1);
        }
        depth += 1;
        items = 0;
        parent_indent = Some(indent);
    }
    None
}

/// The 1-based lines where `key:` starts a line at the top level.
fn top_level_key_lines<'a>(yaml: &'a str, key: &'a str) -> impl Iterator<Item = usize> + 'a {
    yaml.lines()
        .enumerate()
        .filter(move |(_, l)| l.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':')))
        .map(|(i, _)| i + 1)
}

/// serde_yaml's and serde's words as a writer reads them: what is wrong
/// and what to write instead. `line` is where the error was found (in the
/// YAML text), to look at what is on it.
fn plain_words(msg: &str, yaml: &str, line: usize) -> String {
    let on_line = yaml.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let field =
        |m: &str| m.split(": ").next().filter(|f| !f.contains(' ')).map(|f| format!("`{f}` ")).unwrap_or_default();
    if let Some(name) = msg.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
        return format!("`{name}` is missing: add a line `{name}: …`");
    }
    if msg.starts_with("duplicate field `") {
        return format!("{}; remove one of the two", msg.replacen("duplicate field", "a second", 1));
    }
    if msg.contains("found character that cannot start any token") && on_line.contains('\t') {
        return "a tab: YAML is indented with spaces only; replace the tab with spaces".into();
    }
    if msg.contains("mapping values are not allowed in this context") {
        return "a `: ` inside a value that is not in quotes: put the whole value in quotes".into();
    }
    if msg.contains("invalid type: unit value, expected text") {
        return format!(
            "{}is empty (in YAML, `#` starts a comment and nothing after it counts): put the text in quotes",
            field(msg)
        );
    }
    if msg.contains("expected a sequence") {
        return format!("{}must be a list in brackets, such as `[\"first\", \"second\"]`", field(msg));
    }
    if msg.contains("expected a boolean") {
        return format!("{}must be `true` or `false`", field(msg));
    }
    if msg.contains("expected struct PhotoMeta") {
        return format!("{}must be a mapping such as `{{src: photo.jpg, caption: \"…\", credit: \"…\"}}`", field(msg));
    }
    if let Some(i) = msg.find(", expected struct ") {
        return format!("{}, expected a mapping of `key: value` lines", &msg[..i]);
    }
    msg.to_string()
}

/// serde_yaml appends " at line X column Y" to its messages; the location is
/// printed in front already, so drop the duplicate.
fn clean_message(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct T {
        title: String,
    }

    #[test]
    fn error_line_is_offset_into_file() {
        let Err(e) = parse::<T>("a: 1\ntitle: {x: 1\n  y\n", Path::new("a.md"), 2, &["title"]) else {
            panic!("must fail")
        };
        assert_eq!(e.loc.path, Path::new("a.md"));
        // Found on the block's second line, the file's third.
        assert_eq!((e.loc.line, e.loc.col), (3, 8), "{}", e.msg);
        assert!(!e.msg.contains("at line"));
    }

    #[test]
    fn unknown_keys_warn_with_file_line() {
        let (t, w) = parse::<T>("title: x\ntitel: y\n", Path::new("a.md"), 2, &["title"]).ok().unwrap();
        assert_eq!(t.title, "x");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].to_string(), "a.md:3: warning: unknown key `titel` is ignored; did you mean `title`?");
    }

    #[test]
    fn lines_of_keys_in_blocks_lists_and_flow_mappings() {
        let yaml = "title: t\nlanguages:\n  en:\n    donate:\n      url: x\n  ru: {donate: {url: y}}\nmirrors:\n  - url: a\n  - {url: b}\n";
        assert_eq!(line_of(yaml, &["title"]), Some(1));
        assert_eq!(line_of(yaml, &["languages", "en", "donate", "url"]), Some(5));
        assert_eq!(line_of(yaml, &["languages", "ru", "donate", "url"]), Some(6));
        assert_eq!(line_of(yaml, &["mirrors", "1"]), Some(9));
        assert_eq!(line_of(yaml, &["languages", "de"]), None);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        assert!(parse::<T>("title: x\ntitle: y\n", Path::new("a.md"), 1, &[]).is_err());
    }
}
