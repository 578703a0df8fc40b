//! Render: from the site model to checked pages. Renders every body
//! (`bodies`, reusing `body_memo`), plans the site's pages (`plan`), says
//! what each page shows of the articles (`depends`), builds each page's
//! views (`context`, `views`, the template `variables`; `parts`, the cards
//! and chrome rendered once for every page that shows them, with links
//! from the `root_mark`) and key
//! (`page_keys`), runs them through the theme's Tera templates
//! (`templates`; old addresses get `redirects` pages) and checks each page
//! as written (`page_check`, reading tags with `crate::html_tags`). Gives each
//! page's file and bytes; writes nothing.

pub mod bodies;
pub mod body_memo;
pub mod context;
pub mod depends;
pub mod page_check;
pub mod page_keys;
pub mod parts;
pub mod plan;
pub mod redirects;
pub mod root_mark;
pub mod sanitize;
pub mod templates;
pub mod variables;
pub mod views;
