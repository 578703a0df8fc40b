//! Stable page numbers. A list's first page (its own address) shows the
//! newest items; the pages after it are numbered from the oldest, each
//! holding a fixed run of items, so a page keeps its articles when new ones
//! are published: a publish rewrites the first page, and a numbered page
//! only when a run fills up. Mirrors then upload a few files per publish,
//! not every page of every list.
//!
//! With `n` items and `per` a page, run `k` (1 = oldest) holds the items at
//! oldest-first positions `(k-1)·per .. k·per`. Only full runs not wholly
//! on the first page get a page: `numbered = ⌈n/per⌉ − 1`. A list has as
//! many pages as before; the first page and the newest numbered one may
//! share a few items.

use crate::urls::PagePath;
use std::ops::Range;

/// The pages of one list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pages {
    items: usize,
    per: usize,
}

impl Pages {
    pub fn new(items: usize, per: usize) -> Pages {
        Pages { items, per: per.max(1) }
    }

    /// The numbered pages: 1 ..= this (none for a list that fits on one).
    pub fn numbered(&self) -> usize {
        self.items.div_ceil(self.per).saturating_sub(1)
    }

    /// Every page: 0 is the first (the list's own address), then 1 ..=
    /// `numbered`.
    pub fn all(&self) -> Range<usize> {
        0..self.numbered() + 1
    }

    /// What page `current` links to. Far from the newest page none of it
    /// depends on how many pages there are: a publish leaves such pages as
    /// they are.
    pub fn links(&self, current: usize) -> Links {
        let numbered = self.numbered();
        if numbered == 0 {
            return Links::default();
        }
        let (newer, older) = match current {
            0 => (None, Some(numbered)),
            k => (Some(if k == numbered { 0 } else { k + 1 }), (k > 1).then(|| k - 1)),
        };
        // The first page shows the three newest numbers; a numbered page two
        // on each side of itself; page 1, the oldest, always.
        let (top, bottom) = match current {
            0 => (numbered, numbered.saturating_sub(2).max(1)),
            k => ((k + 2).min(numbered), k.saturating_sub(2).max(1)),
        };
        let mut window: Vec<Option<usize>> = Vec::new();
        if top < numbered {
            window.push(None);
        }
        window.extend((bottom..=top).rev().map(Some));
        if bottom > 2 {
            window.push(None);
        }
        if bottom > 1 {
            window.push(Some(1));
        }
        Links { newer, older, window }
    }

    /// The items page `page` shows, as positions in the newest-first list.
    pub fn items(&self, page: usize) -> Range<usize> {
        let n = self.items;
        match page {
            0 => 0..n.min(self.per),
            k => n.saturating_sub(k * self.per)..n.saturating_sub((k - 1) * self.per),
        }
    }
}

/// The pages one list page links to: the newer page, the older one, and
/// the numbers shown, newest first (`None` a gap).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    pub newer: Option<usize>,
    pub older: Option<usize>,
    pub window: Vec<Option<usize>>,
}

/// A list's page `page`: 0 → `news/`, 3 → `news/page/3/`.
pub fn page_path(base: &PagePath, page: usize) -> PagePath {
    match page {
        0 => base.clone(),
        k => base.join("page").join(&k.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_pages_hold_the_same_items_as_the_list_grows() {
        // 11 items, 5 a page: the first page shows the newest 5 (positions
        // 0..5 newest first); page 2 the oldest-first run 5..10, page 1 0..5.
        let p = Pages::new(11, 5);
        assert_eq!(p.numbered(), 2);
        assert_eq!(p.items(0), 0..5);
        assert_eq!(p.items(2), 1..6);
        assert_eq!(p.items(1), 6..11);
        // One more item: every numbered page shows the same articles (their
        // newest-first positions moved by one, as the list did).
        let q = Pages::new(12, 5);
        assert_eq!(q.numbered(), 2);
        assert_eq!((q.items(2).start - 1, q.items(1).start - 1), (p.items(2).start, p.items(1).start));
        // Sixteen: the run 10..15 is full and not wholly on the first page.
        assert_eq!(Pages::new(16, 5).numbered(), 3);
        assert_eq!(Pages::new(15, 5).numbered(), 2, "the newest full run is the first page");
        assert_eq!(Pages::new(0, 5).all(), 0..1, "an empty list has its first page");
        assert_eq!(Pages::new(3, 5).all(), 0..1);
    }

    #[test]
    fn addresses() {
        let base = PagePath::from_segments(["news"]);
        assert_eq!(page_path(&base, 0).as_str(), "news/");
        assert_eq!(page_path(&base, 3).as_str(), "news/page/3/");
    }
}
