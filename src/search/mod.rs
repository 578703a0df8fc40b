//! Full-text search that works wherever a copy of the site lands: a
//! library that knows nothing of the site. `words` folds, splits and stems
//! text (Snowball, Russian and English); `index` builds one language's
//! index as parts loaded by `<script>` (no `fetch()`, which `file://`
//! refuses); `script` is the page's JavaScript, which stems a query the
//! same way and loads only the parts the query needs.

pub mod index;
pub mod script;
pub mod text;
pub mod words;
