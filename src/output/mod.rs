//! Output: writing the site. Takes the rendered pages and the model; gives
//! the output folder, whole. The output's lock (`lock`), the staging folder
//! swapped in at the end (`staging`) or the watch preview written in place
//! (`in_place`), both behind `sink`; the mark that keeps previews out of
//! deploy folders (`preview_mark`); the published files (`assets`, photos
//! stripped of their metadata by `metadata`, secrets refused by `secrets`,
//! HTML and SVG files checked as pages are by `documents`) and the files
//! made from the model (`generated`: `feeds`, `sitemap`, `host_files`).

pub mod assets;
pub mod budget;
pub mod changes;
pub mod documents;
pub mod generated;
pub mod hidden;
pub mod in_place;
pub mod lock;
pub mod metadata;
pub mod origin;
pub mod photo_cache;
pub mod photo_copies;
pub mod photos;
pub mod preview_mark;
pub mod secrets;
pub mod signed_list;
pub mod sink;
pub mod staging;
