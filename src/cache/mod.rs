//! Cache: what one build leaves for the next. The memo of parses, bodies,
//! page keys and copied files (`memo`), kept in memory by a watch session
//! and on disk beside the output by `sitegen build` (`disk`), and the check
//! that the output already holds what a build would write (`current`); and
//! the small record that lets a build with nothing to do stop before
//! reading any of them (`last_build`).

pub mod current;
pub mod disk;
pub mod last_build;
pub mod memo;
