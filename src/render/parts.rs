//! Parts of pages rendered once, through the theme's optional part
//! templates, and shown on every page that has them; their links are
//! written from the root mark (`root_mark`), so a part is the same at every
//! depth.
//!
//! - A story's card (`card.html`) looks the same on every list and "Read
//!   more" that shows it: rendered once per variant. On a site of 10,000
//!   stories that is about 20,000 card renders instead of 130,000 (each
//!   story is on a dozen pages), which was a third of the time spent
//!   rendering pages.
//! - The masthead and the footer (`header.html`, `footer.html`) differ only
//!   by language, the current section or menu page, the language switch's
//!   targets and the feeds offered: rendered once for each such chrome.

use crate::error::Result;
use crate::fingerprint::Key;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The theme's optional template for one card.
pub const CARD: &str = "card.html";
/// The theme's optional templates for the masthead and the footer.
pub const HEADER: &str = "header.html";
pub const FOOTER: &str = "footer.html";

/// How a card is shown where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variant {
    /// The front page's lead story.
    pub lead: bool,
    /// The section's label above the title: off on the section's own pages,
    /// where it would repeat the heading.
    pub kicker: bool,
}

impl Variant {
    /// A card in a grid: on a list, in the top stories, in "Read more".
    pub const PLAIN: Variant = Variant { lead: false, kicker: true };

    fn index(self) -> usize {
        usize::from(self.lead) * 2 + usize::from(self.kicker)
    }
}

/// The theme's part templates.
pub trait PartTemplates: Sync {
    /// Whether the theme has part template `name`.
    fn has(&self, name: &str) -> bool;
    /// Renders part template `name` (an error names no page: the page that
    /// shows the part adds itself, `Error::on_page`).
    fn render_part(&self, name: &str, vars: &tera::Context) -> Result<String>;
}

/// Each article's card HTML per variant, with root marks, filled as pages
/// ask for them (from any thread).
pub struct CardCache {
    slots: Vec<[OnceLock<String>; 4]>,
}

impl CardCache {
    pub fn new(articles: usize) -> CardCache {
        CardCache { slots: (0..articles).map(|_| Default::default()).collect() }
    }

    /// Article `id`'s card as `variant` (its links from the root mark);
    /// `render` makes it the first time.
    pub fn html(&self, id: usize, variant: Variant, render: impl FnOnce() -> Result<String>) -> Result<String> {
        let slot = &self.slots[id][variant.index()];
        match slot.get() {
            Some(html) => Ok(html.clone()),
            None => {
                let mut html = render()?;
                html.shrink_to_fit();
                Ok(slot.get_or_init(|| html).clone())
            }
        }
    }
}

/// A masthead and a footer, rendered (with root marks).
pub struct Chrome {
    pub header: Option<String>,
    pub footer: Option<String>,
}

/// Each distinct chrome, by the key of what it shows, filled as pages ask
/// for them (from any thread).
#[derive(Default)]
pub struct ChromeCache {
    rendered: Mutex<HashMap<Key, Arc<Chrome>>>,
}

impl ChromeCache {
    /// The chrome of key `key`; `render` makes it the first time (outside
    /// the lock, so two threads may both render a new one: the same bytes).
    pub fn get(&self, key: Key, render: impl FnOnce() -> Result<Chrome>) -> Result<Arc<Chrome>> {
        if let Some(done) = self.rendered.lock().expect("not poisoned").get(&key) {
            return Ok(done.clone());
        }
        let made = Arc::new(render()?);
        Ok(self.rendered.lock().expect("not poisoned").entry(key).or_insert(made).clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_is_rendered_once_per_variant() {
        let cache = CardCache::new(2);
        let renders = std::sync::atomic::AtomicUsize::new(0);
        let render = || {
            renders.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok("<a href=\"news/x/\">x</a>".to_string())
        };
        assert_eq!(cache.html(1, Variant::PLAIN, render).unwrap(), "<a href=\"news/x/\">x</a>");
        assert_eq!(cache.html(1, Variant::PLAIN, render).unwrap(), "<a href=\"news/x/\">x</a>");
        assert_eq!(renders.load(std::sync::atomic::Ordering::SeqCst), 1);
        let no_kicker = Variant { lead: false, kicker: false };
        cache.html(1, no_kicker, render).unwrap();
        cache.html(0, Variant::PLAIN, render).unwrap();
        assert_eq!(renders.load(std::sync::atomic::Ordering::SeqCst), 3);
    }

    #[test]
    fn a_failed_render_is_not_kept() {
        let cache = CardCache::new(1);
        let failed = cache.html(0, Variant::PLAIN, || Err(crate::error::Error::Theme("broken".into())));
        assert!(failed.is_err());
        assert_eq!(cache.html(0, Variant::PLAIN, || Ok("ok".into())).unwrap(), "ok");
    }

    #[test]
    fn a_chrome_is_rendered_once_per_key() {
        let cache = ChromeCache::default();
        let renders = std::sync::atomic::AtomicUsize::new(0);
        let render = |text: &str| {
            renders.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(Chrome { header: Some(text.to_string()), footer: None })
        };
        assert_eq!(cache.get(1, || render("a")).unwrap().header.as_deref(), Some("a"));
        assert_eq!(cache.get(1, || render("b")).unwrap().header.as_deref(), Some("a"));
        assert_eq!(cache.get(2, || render("b")).unwrap().header.as_deref(), Some("b"));
        assert_eq!(renders.load(std::sync::atomic::Ordering::SeqCst), 2);
        assert!(cache.get(3, || Err(crate::error::Error::Theme("broken".into()))).is_err());
        assert_eq!(cache.get(3, || render("c")).unwrap().header.as_deref(), Some("c"));
    }
}
