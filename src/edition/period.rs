//! Which articles an edition carries: those of one language published in
//! its period, newest first. Without `--since`, the period is the 24 hours
//! before "now" (or `--until`), reaching back far enough for the newest
//! ten: a reader cut off for a day gets a full paper even on a slow one.

use crate::error::{Error, Result};
use crate::model::site::Site;

type DateTime = chrono::DateTime<chrono::Utc>;

/// The fewest articles a default edition carries.
pub const AT_LEAST: usize = 10;

/// The period an edition covers, and its articles.
pub struct Period {
    since: DateTime,
    until: DateTime,
    articles: Vec<usize>,
}

impl Period {
    /// Article ids of language `lang` in the period; an empty period is an
    /// error that says what it held.
    pub fn choose(
        site: &Site,
        lang: &str,
        since: Option<DateTime>,
        until: Option<DateTime>,
        now: DateTime,
    ) -> Result<Period> {
        let until = until.unwrap_or(now);
        if let Some(s) = since.filter(|s| *s >= until) {
            return Err(Error::Options(format!("--since {s} is not before the end of the period ({until})")));
        }
        let tree = site.tree(lang);
        let mut published: Vec<usize> = tree
            .articles
            .iter()
            .copied()
            .filter(|&i| site.articles()[i].date.with_timezone(&chrono::Utc) <= until)
            .collect();
        // Newest first; the site's own order breaks ties, so the same
        // sources give the same edition.
        published.sort_by_key(|&i| site.articles()[i].recency_key());
        let day_before = until - chrono::Duration::hours(24);
        let start = since.unwrap_or(day_before);
        let in_period =
            published.iter().take_while(|&&i| site.articles()[i].date.with_timezone(&chrono::Utc) >= start).count();
        let count = match since {
            Some(_) => in_period,
            None => in_period.max(AT_LEAST.min(published.len())),
        };
        let articles: Vec<usize> = published[..count].to_vec();
        let Some(&oldest) = articles.last() else {
            return Err(Error::Options(format!(
                "no {lang} article was published between {start} and {until}: give another --since, --until or --lang"
            )));
        };
        let since = start.min(site.articles()[oldest].date.with_timezone(&chrono::Utc));
        Ok(Period { since, until, articles })
    }

    pub fn since(&self) -> DateTime {
        self.since
    }

    pub fn until(&self) -> DateTime {
        self.until
    }

    /// Newest first.
    pub fn articles(&self) -> &[usize] {
        &self.articles
    }
}
