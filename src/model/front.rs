//! The front page an editor controls: its lead is the newest `featured`
//! story (within `featured_until`), else the newest story with a photo,
//! else the newest; the next featured stories make the "top stories" row
//! under it. The rest of the first page is the newest stories, without
//! those two.

use crate::model::site::Site;

/// At most this many top stories under the lead: one row.
pub const TOP_STORIES: usize = 3;

/// What leads a language's front page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Front {
    pub lead: Option<usize>,
    pub top: Vec<usize>,
}

impl Front {
    /// Whether article `id` is the lead or a top story.
    pub fn holds(&self, id: usize) -> bool {
        self.lead == Some(id) || self.top.contains(&id)
    }
}

/// The front page of language tree `lang`.
pub fn front(site: &Site, lang: usize) -> Front {
    let ids = &site.langs()[lang].articles;
    let articles = site.articles();
    let mut featured = ids.iter().copied().filter(|&i| articles[i].featured);
    match featured.next() {
        Some(lead) => Front { lead: Some(lead), top: featured.take(TOP_STORIES).collect() },
        None => {
            let with_photo = ids.iter().copied().find(|&i| articles[i].photo.is_some());
            Front { lead: with_photo.or(ids.first().copied()), top: Vec::new() }
        }
    }
}
