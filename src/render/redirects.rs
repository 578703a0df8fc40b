//! Pages at old addresses (`aliases:`) that send the reader on: a relative
//! meta refresh and a link, which work on any static host and from disk.

use crate::escape;
use crate::model::site::Site;
use crate::render::views::Urls;
use crate::urls::absolute;

/// The redirect page of alias `alias`.
pub fn page(site: &Site, alias: usize) -> String {
    let (from, to) = &site.aliases()[alias];
    let a = &site.articles()[*to];
    let u = Urls::new(from, site.config().pretty_urls);
    let target = escape::html(&u.page(&a.path));
    let title = escape::html(&a.title);
    let canonical = escape::html(&absolute(&site.config().base_url, a.path.as_str()));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p><a href=\"{target}\">{title}</a></p>\n</body>\n</html>\n",
        lang = a.lang
    )
}
