//! The search page's script: `search.js` with the stop lists and word
//! limit of `words` written in, so the browser and the build can never
//! disagree on them. Published once at the site's root under a name that
//! carries its hash (it is the same file for every language).

use crate::search::words::{MAX_WORD, STOP_EN, STOP_RU};
use std::sync::OnceLock;

const SOURCE: &str = include_str!("search.js");

/// The script's text.
pub fn text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let stop: Vec<&str> = STOP_EN.iter().chain(STOP_RU).copied().collect();
        SOURCE
            .replace("/*STOP*/", &serde_json::to_string(&stop).expect("serializes"))
            .replace("/*MAX_WORD*/", &MAX_WORD.to_string())
    })
}

/// The script's site path: `search.<hash>.js`, cached for ever like the
/// theme's fingerprinted files.
pub fn file_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let key = crate::fingerprint::Fp::new("search.js").str(text()).finish();
        format!("search.{}.js", &format!("{key:032x}")[..10])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stop_lists_are_written_in() {
        assert!(!text().contains("/*STOP*/") && !text().contains("/*MAX_WORD*/"));
        assert!(text().contains("\"the\"") && text().contains("\"что\""));
        assert!(file_name().starts_with("search.") && file_name().ends_with(".js"));
    }
}
