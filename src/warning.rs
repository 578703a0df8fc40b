//! Warnings: problems that do not stop a build but that a writer should see,
//! such as a misspelt front-matter key.

use crate::error::Location;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Warning {
    pub loc: Location,
    pub msg: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: warning: {}", self.loc, self.msg)
    }
}

/// "unknown key `titel`; did you mean `title`?" — the closest known key if
/// it is close enough to be a likely typo.
pub fn unknown_key(key: &str, known: &[&str]) -> String {
    let best =
        known.iter().map(|k| (strsim::damerau_levenshtein(key, k), *k)).filter(|(d, k)| *d <= 2.max(k.len() / 4)).min();
    match best {
        Some((_, k)) => format!("unknown key `{key}` is ignored; did you mean `{k}`?"),
        None => format!("unknown key `{key}` is ignored"),
    }
}

/// The 1-based line of a top-level `key:` in a YAML text, if found.
pub fn yaml_key_line(yaml: &str, key: &str) -> Option<usize> {
    let top = key.split('.').next().unwrap_or(key);
    yaml.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(top).is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_key() {
        let m = unknown_key("titel", &["title", "tags"]);
        assert_eq!(m, "unknown key `titel` is ignored; did you mean `title`?");
    }

    #[test]
    fn no_suggestion_for_distant_key() {
        assert_eq!(unknown_key("colour", &["title"]), "unknown key `colour` is ignored");
    }

    #[test]
    fn finds_key_line() {
        assert_eq!(yaml_key_line("a: 1\n  titel : x\n", "titel"), Some(2));
        assert_eq!(yaml_key_line("a: 1\n", "b"), None);
    }
}
