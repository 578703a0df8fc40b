//! The theme's words in each language (`themes/<name>/i18n/<lang>.yaml`) and
//! dates written as readers of that language write them.

use crate::load::dates::Date;
use chrono::{Datelike, Timelike};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
pub struct I18n {
    /// Month names as used inside a date ("апреля", not "апрель").
    pub months: Vec<String>,
    /// `{day}`, `{month}`, `{year}`: "{month} {day}, {year}".
    pub date_format: String,
    /// `{date}`, `{hour}`, `{minute}`, `{offset}`.
    pub datetime_format: String,
    /// The UI strings, by key.
    pub strings: BTreeMap<String, String>,
    /// Names of common sections in this language, for sections without an
    /// `_index.<lang>.md`.
    #[serde(default)]
    pub section_names: BTreeMap<String, String>,
}

impl I18n {
    pub fn parse(yaml: &str, name: &str) -> Result<I18n, String> {
        let i: I18n = serde_yaml::from_str(yaml).map_err(|e| format!("i18n/{name}: {e}"))?;
        if i.months.len() != 12 {
            return Err(format!("i18n/{name}: `months` must list 12 names"));
        }
        Ok(i)
    }

    pub fn date(&self, d: &Date) -> String {
        self.date_format
            .replace("{day}", &d.day().to_string())
            .replace("{month}", &self.months[d.month0() as usize])
            .replace("{year}", &d.year().to_string())
    }

    pub fn datetime(&self, d: &Date) -> String {
        let secs = d.offset().local_minus_utc();
        let offset = if secs == 0 {
            "UTC".to_string()
        } else if secs % 3600 == 0 {
            format!("UTC{:+}", secs / 3600)
        } else {
            format!("UTC{:+}:{:02}", secs / 3600, (secs.abs() % 3600) / 60)
        };
        self.datetime_format
            .replace("{date}", &self.date(d))
            .replace("{hour}", &format!("{:02}", d.hour()))
            .replace("{minute}", &format!("{:02}", d.minute()))
            .replace("{offset}", &offset)
    }

    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map_or(key, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ru() -> I18n {
        I18n::parse(
            "months: [января, февраля, марта, апреля, мая, июня, июля, августа, сентября, октября, ноября, декабря]\ndate_format: \"{day} {month} {year}\"\ndatetime_format: \"{date}, {hour}:{minute} ({offset})\"\nstrings: {read_more: Читайте также}\n",
            "ru.yaml",
        )
        .unwrap()
    }

    #[test]
    fn russian_dates_in_russian() {
        let d = crate::load::dates::parse("2025-04-11T18:20:00+03:00").unwrap();
        assert_eq!(ru().date(&d), "11 апреля 2025");
        assert_eq!(ru().datetime(&d), "11 апреля 2025, 18:20 (UTC+3)");
    }

    #[test]
    fn missing_string_falls_back_to_key() {
        assert_eq!(ru().get("read_more"), "Читайте также");
        assert_eq!(ru().get("nope"), "nope");
    }

    #[test]
    fn months_must_be_twelve() {
        assert!(I18n::parse("months: [a]\ndate_format: x\ndatetime_format: y\nstrings: {}\n", "x").is_err());
    }
}
