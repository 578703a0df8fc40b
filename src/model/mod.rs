//! Model: the site as readers navigate it, built once from the loaded
//! articles and then only read. `site::assemble` groups articles per
//! language into sections, tags (`taxonomy`) and authors, links
//! translations, picks "Read more" lists (`related`), reads the standalone
//! pages (`standalone`), numbers list pages stably (`pagination`), picks
//! the front page's lead and top stories (`front`), and
//! knows every page address; `links` answers the Markdown renderer's questions from it.

pub mod front;
pub mod links;
pub mod pagination;
pub mod related;
pub mod site;
pub mod standalone;
pub mod taxonomy;
