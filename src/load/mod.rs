//! Load: from the site folder to checked inputs. Takes `site.yaml` and the
//! command line (`config`: the file as written in `site_yaml`, its `mirrors`,
//! the `options` of the command line, and the YAML reader `yaml`),
//! lists `content/` (`scan`), splits and parses front matter
//! (`frontmatter`, `dates`) into `article::Article`s, holds back those not yet
//! (or no longer) published (`schedule`), and reads the theme
//! (`theme`, `i18n`). Gives values; nothing here knows of pages.

pub mod article;
pub mod config;
pub mod dates;
pub mod frontmatter;
pub mod i18n;
pub mod mirrors;
pub mod options;
pub mod scan;
pub mod schedule;
pub mod site_yaml;
pub mod theme;
pub mod yaml;
