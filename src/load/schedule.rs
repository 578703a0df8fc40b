//! Scheduled publishing: which articles a build publishes at its "now".
//! An article dated after it, or whose `expires` has come, is left out of
//! the site before the model is made, so no page, list, feed, sitemap or
//! manifest can mention it. A preview (`--future`, and every watch
//! session) keeps them, marked.
//!
//! "Now" is a build option, not configuration: the build cache stays valid
//! from one build to the next, and `--now` makes a build reproducible.

use crate::error::Location;
use crate::load::article::{Article, Held};
use crate::load::dates::Date;
use crate::warning::Warning;
use chrono::{DateTime, Utc};

/// The moment a build publishes at, and whether it shows what is held.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    now: DateTime<Utc>,
    future: bool,
}

/// The next moment the site changes by itself, and the article that
/// changes then: for a cron job or CI schedule to build again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextChange {
    pub at: Date,
    /// The article's file, as the writer sees it.
    pub article: String,
    /// What happens then: `publishes`, `expires`, `stops being featured`.
    pub what: &'static str,
}

/// Every `NextChange::what`.
pub const WHATS: [&str; 3] = [PUBLISHES, EXPIRES, UNFEATURED];
const PUBLISHES: &str = "publishes";
const EXPIRES: &str = "expires";
const UNFEATURED: &str = "stops being featured";

impl Schedule {
    pub fn new(now: DateTime<Utc>, future: bool) -> Schedule {
        Schedule { now, future }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Why a published build at this moment leaves `a` out, if it does.
    pub fn held(&self, a: &Article) -> Option<Held> {
        if a.date > self.now {
            Some(Held::Scheduled)
        } else if a.expires.is_some_and(|e| e <= self.now) {
            Some(Held::Expired)
        } else {
            None
        }
    }

    /// The articles this build shows: the held ones left out, or (for a
    /// preview) kept and marked; and what is left out.
    pub fn apply(&self, articles: Vec<Article>) -> Applied {
        let next = self.next_change(&articles);
        let (mut shown, mut left_out) = (Vec::with_capacity(articles.len()), Vec::new());
        for mut a in articles {
            a.held = self.held(&a);
            // Featured no longer once its time is over.
            a.featured &= a.featured_until.is_none_or(|u| u > self.now);
            match a.held {
                Some(_) if !self.future => left_out.push(a),
                _ => shown.push(a),
            }
        }
        Applied { shown, left_out, next }
    }

    fn next_change(&self, articles: &[Article]) -> Option<NextChange> {
        let changes = articles.iter().flat_map(|a| {
            let publishes = (a.date > self.now).then_some((a.date, PUBLISHES));
            let expires = a.expires.filter(|e| *e > self.now).map(|e| (e, EXPIRES));
            let unfeatured = a.featured_until.filter(|u| a.featured && *u > self.now).map(|u| (u, UNFEATURED));
            let all = publishes.into_iter().chain(expires).chain(unfeatured);
            all.map(|(at, what)| (at, a.display.display().to_string(), what))
        });
        let (at, article, what) = changes.min_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)))?;
        Some(NextChange { at, article, what })
    }
}

/// What `Schedule::apply` gives.
pub struct Applied {
    pub shown: Vec<Article>,
    /// Scheduled or expired, left out of this build.
    pub left_out: Vec<Article>,
    pub next: Option<NextChange>,
}

/// Warnings for files a scheduled article uses that are published now,
/// before it: its photo or a body image in `static/` or beside it outside
/// a bundle (a bundle's files publish with its article; other files are
/// published as they are).
pub fn published_early(left_out: &[Article], content_dir: &std::path::Path) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for a in left_out.iter().filter(|a| a.held == Some(Held::Scheduled)) {
        let mut used: Vec<(usize, String)> = a.photo.iter().map(|p| (a.photo_line, p.src.clone())).collect();
        let body = a.markdown(content_dir).unwrap_or_default();
        let images = pulldown_cmark::Parser::new(&body).into_offset_iter().filter_map(|(e, at)| match e {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Image { dest_url, .. }) => {
                Some((a.body_line + body[..at.start].matches('\n').count(), dest_url.to_string()))
            }
            _ => None,
        });
        used.extend(images);
        for (line, src) in used {
            let outside = !a.bundle || src.starts_with('/') || src.contains("..");
            if outside && !crate::urls::is_external(&src) {
                warnings.push(Warning {
                    loc: Location::at(&a.display, line, 0),
                    msg: format!(
                        "scheduled for {}, but `{src}` is not in the article's bundle and is published now; make the article a bundle (a folder with index.md) and put the file beside it, to publish it with the story",
                        a.date.to_rfc3339()
                    ),
                });
            }
        }
    }
    warnings
}

/// Reads `--now`: ISO 8601 with an offset (`2026-12-01T12:00:00Z`), or a
/// bare date (midnight UTC), as front matter dates are read.
pub fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    crate::load::dates::parse(text)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| format!("--now {text}: {e}; give a time like 2026-12-01T12:00:00Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(date: &str, expires: Option<&str>) -> Article {
        let mut a = crate::load::article::tests::sample_article();
        a.date = crate::load::dates::parse(date).unwrap();
        a.expires = expires.map(|e| crate::load::dates::parse(e).unwrap());
        a
    }

    #[test]
    fn a_future_or_expired_article_is_left_out_and_the_next_change_named() {
        let now = parse_now("2026-12-01T12:00:00Z").unwrap();
        let arts = vec![
            article("2026-12-01T11:00:00Z", None),
            article("2026-12-02T07:00:00+03:00", None),
            article("2026-11-01T00:00:00Z", Some("2026-12-01T12:00:00Z")),
            article("2026-11-01T00:00:00Z", Some("2026-12-01T13:00:00Z")),
        ];
        let applied = Schedule::new(now, false).apply(arts.clone());
        assert_eq!(applied.shown.len(), 2, "the scheduled one and the one expired at this very moment are out");
        assert_eq!(applied.left_out.len(), 2);
        let next = applied.next.unwrap();
        assert_eq!(next.at.to_rfc3339(), "2026-12-01T13:00:00+00:00");
        assert_eq!(next.what, "expires");
        // A preview keeps them, marked.
        let shown = Schedule::new(now, true).apply(arts).shown;
        let held: Vec<_> = shown.iter().map(|a| a.held).collect();
        assert_eq!(held, [None, Some(Held::Scheduled), Some(Held::Expired), None]);
    }

    #[test]
    fn now_is_read_as_front_matter_dates_are() {
        assert_eq!(parse_now("2026-12-02").unwrap().to_rfc3339(), "2026-12-02T00:00:00+00:00");
        assert!(parse_now("tomorrow").unwrap_err().starts_with("--now tomorrow: "));
    }
}
