//! Publication dates: ISO 8601 with an offset, or a bare date (midnight UTC).
//! The offset is kept, so an article filed in Moscow shows Moscow time.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

pub type Date = DateTime<FixedOffset>;

/// Parses `2025-04-11T18:20:00+03:00`, `2025-04-11 18:20:00+03:00`,
/// `2025-04-11T18:20:00Z`, `2025-04-11T18:20` (UTC) or `2025-04-11`.
pub fn parse(text: &str) -> Result<Date, String> {
    let d = parse_any(text)?;
    // Years before 1000 or past 9999 cannot be written in ISO 8601's four
    // digits, which feeds and sitemaps require (a year like -1 or 10000
    // once crashed the build).
    if !(1000..=9999).contains(&chrono::Datelike::year(&d)) {
        return Err(format!("`{}` has a year sitegen cannot publish; write a year from 1000 to 9999", text.trim()));
    }
    Ok(d)
}

fn parse_any(text: &str) -> Result<Date, String> {
    let t = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Ok(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(&t.replacen(' ', "T", 1)) {
        return Ok(d);
    }
    let utc = FixedOffset::east_opt(0).expect("zero offset");
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(utc.from_utc_datetime(&n));
        }
    }
    match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        Ok(d) => Ok(utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))),
        Err(e) if e.kind() == chrono::format::ParseErrorKind::OutOfRange => {
            let month: u32 = t.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
            let what = if (1..=12).contains(&month) { "no such day in that month" } else { "no such month" };
            Err(format!("`{t}` is not a real date ({what})"))
        }
        Err(_) => {
            Err(format!("`{t}` is not a date; write ISO 8601 such as `2025-04-11T18:20:00+03:00` or `2025-04-11`"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_forms() {
        assert_eq!(parse("2025-04-11T18:20:00+03:00").unwrap().to_rfc3339(), "2025-04-11T18:20:00+03:00");
        assert_eq!(parse("2025-04-11 18:20:00+03:00").unwrap().to_rfc3339(), "2025-04-11T18:20:00+03:00");
        assert_eq!(parse("2025-04-11T15:20:00Z").unwrap().to_rfc3339(), "2025-04-11T15:20:00+00:00");
        assert_eq!(parse("2025-04-11").unwrap().to_rfc3339(), "2025-04-11T00:00:00+00:00");
        assert_eq!(parse("2025-04-11T18:20").unwrap().to_rfc3339(), "2025-04-11T18:20:00+00:00");
    }

    #[test]
    fn years_outside_four_digits_are_errors() {
        // See: #19 (16), (20).
        for bad in ["-0001-01-01", "+10000-01-01", "0000-01-01", "0999-12-31T10:00:00Z"] {
            assert!(parse(bad).unwrap_err().contains("from 1000 to 9999"), "{bad}");
        }
        assert!(parse("1000-01-01").is_ok() && parse("9999-12-31T23:59:59+03:00").is_ok());
    }

    #[test]
    fn impossible_date_says_so() {
        assert!(parse("2025-02-30").unwrap_err().contains("not a real date (no such day in that month)"));
        assert!(parse("2025-13-01").unwrap_err().contains("not a real date (no such month)"));
        assert!(parse("yesterday").unwrap_err().contains("not a date"));
    }
}
