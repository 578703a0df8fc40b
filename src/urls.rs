//! Slugs and the site's URL scheme. Every internal URL in the output is made
//! relative to the page it is written on (`root` + site path), so one copy of
//! the site works on any host, under any prefix and from `file://`.

/// A page's place in the site: a directory path relative to the site root,
/// `""` for the home page or `"news/envoy-talks/"` (always ends in `/`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct PagePath(String);

impl PagePath {
    pub fn root() -> Self {
        PagePath(String::new())
    }

    /// Builds from segments, skipping empty ones: `["ru", "news"]` → `ru/news/`.
    pub fn from_segments<'a>(segments: impl IntoIterator<Item = &'a str>) -> Self {
        let mut s = String::new();
        for seg in segments.into_iter().filter(|s| !s.is_empty()) {
            s.push_str(seg);
            s.push('/');
        }
        PagePath(s)
    }

    pub fn join(&self, segment: &str) -> Self {
        PagePath(format!("{}{}/", self.0, segment))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The file that holds the page: `news/x/index.html`.
    pub fn file(&self) -> String {
        format!("{}index.html", self.0)
    }

    /// How many directories deep the page's file is.
    pub fn depth(&self) -> usize {
        self.0.matches('/').count()
    }

    /// The link to this page from the site root: a file link by default
    /// (works without directory indexes), a directory link with pretty URLs.
    pub fn link(&self, pretty: bool) -> String {
        if pretty {
            self.0.clone()
        } else {
            self.file()
        }
    }

    /// Parses a site path as written in Markdown (`/tags/x/`, `/news`,
    /// `/ru/news/index.html`) into the page it names.
    pub fn parse_site_path(path: &str) -> Self {
        let p = path.trim_start_matches('/');
        let p = p.strip_suffix("index.html").unwrap_or(p);
        let p = p.trim_end_matches('/');
        PagePath::from_segments(p.split('/'))
    }
}

/// A path as the user should see it in messages: `./content/x.md` is
/// shown as `content/x.md`.
pub fn shown(root: &std::path::Path, rel: impl AsRef<std::path::Path>) -> std::path::PathBuf {
    let p = root.join(rel);
    p.strip_prefix(".").map(std::path::Path::to_path_buf).unwrap_or(p)
}

/// A path without a leading `./`, for messages.
pub fn tidy(p: &std::path::Path) -> std::path::PathBuf {
    p.strip_prefix(".").map(std::path::Path::to_path_buf).unwrap_or_else(|_| p.to_path_buf())
}

/// Decodes `%XX` escapes; `None` if an escape is malformed or the result
/// is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The prefix that leads from a file at `depth` directories deep back to the
/// site root: `./`, `../`, `../../`.
pub fn root_prefix(depth: usize) -> String {
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// `https://example.org` + `news/x/` → `https://example.org/news/x/`.
/// Absolute URLs are only for places a standard demands them (canonical,
/// feeds, sitemap, Open Graph).
pub fn absolute(base_url: &str, site_path: &str) -> String {
    format!("{}/{}", base_url.trim_end_matches('/'), site_path.trim_start_matches('/'))
}

/// Readable Latin slugs: Russian letters by the common newsroom
/// transliteration (щ → shch, х → kh), other scripts through deunicode.
pub fn slugify(text: &str) -> String {
    let mut latin = String::with_capacity(text.len());
    // Composed first: «Й» typed as И + combining breve slugs as «Й» does.
    for ch in unicode_normalization::UnicodeNormalization::nfc(text) {
        let lower = ch.to_lowercase().next().unwrap_or(ch);
        match russian(lower) {
            Some(t) => latin.push_str(t),
            None if lower.is_ascii() => latin.push(lower),
            None => latin.push_str(&deunicode::deunicode_char(lower).unwrap_or("-").to_lowercase()),
        }
    }
    let mut slug = String::with_capacity(latin.len());
    for c in latin.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if c == '\'' || c == '’' {
            // "women's" → "womens", not "women-s"
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let mut slug = truncate_at_dash(slug, 80).to_string();
    if slug.is_empty() {
        slug.push('x');
    }
    slug
}

fn truncate_at_dash(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let cut = &s[..max];
    cut.rfind('-').map_or(cut, |i| &cut[..i])
}

fn russian(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' => "",
        'ы' => "y",
        'ь' => "",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

/// Whether a link target leaves the site (has a scheme or is
/// protocol-relative) and so is left alone.
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !url[..i].contains('/')
        }
        None => false,
    }
}

/// Whether a browser fetches `url` from another host: an absolute http(s)
/// or protocol-relative URL (schemes are case-insensitive).
pub fn is_remote(url: &str) -> bool {
    let b = url.trim().as_bytes();
    let starts = |p: &str| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    starts("http://") || starts("https://") || starts("//")
}

/// The host of a URL, as people name a site (`https://www.Example.org:8080/x`
/// → `example.org`): lowercase, without `www.`, user or port; for a text
/// with no `//`, its first segment.
pub fn host(url: &str) -> String {
    let rest = url.split_once("//").map_or(url, |(_, r)| r);
    let h = rest.split(['/', '?', '#']).next().unwrap_or("");
    let h = h.rsplit('@').next().unwrap_or(h).split(':').next().unwrap_or("").to_ascii_lowercase();
    h.strip_prefix("www.").map_or_else(|| h.clone(), str::to_string)
}

/// Splits `path#frag` or `path?q` into the path and the rest (with its sign).
pub fn split_fragment(url: &str) -> (&str, &str) {
    match url.find(['#', '?']) {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    }
}

/// Resolves `rel` against the directory `base` (both '/'-separated, no
/// leading slash); `None` if it climbs above the root.
pub fn resolve_relative(base_dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base_dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_remote_urls() {
        assert_eq!(host("https://www.Example.org:8080/x?y"), "example.org");
        assert_eq!(host("//cdn.example.net/a.jpg"), "cdn.example.net");
        assert_eq!(host("https://user@t.me/durov/1"), "t.me");
        assert_eq!(host("ipns://k51abc"), "k51abc");
        assert_eq!(host("example.org/path"), "example.org");
        assert!(is_remote(" HTTPS://x.org/a") && is_remote("//x.org") && is_remote("http://x"));
        assert!(!is_remote("/a") && !is_remote("a.jpg") && !is_remote("mailto:a@b.c"));
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Envoy Meets President for Talks"), "envoy-meets-president-for-talks");
        assert_eq!(slugify("Спорт"), "sport");
        assert_eq!(slugify("Щука и ёж: Хабаровск"), "shchuka-i-ezh-khabarovsk");
        assert_eq!(slugify("St. Petersburg"), "st-petersburg");
        assert_eq!(slugify("women's rights"), "womens-rights");
        assert_eq!(slugify("COVID-19"), "covid-19");
        assert_eq!(slugify("Zürich «Café»"), "zurich-cafe");
        assert_eq!(slugify("!!!"), "x");
        assert!(slugify(&"word ".repeat(40)).len() <= 80);
        // See: #19 (20): the same name in two Unicode forms is one slug.
        assert_eq!(slugify("Йод"), slugify("И\u{306}од"));
        assert_eq!(slugify("И\u{306}од"), "yod");
    }

    #[test]
    fn page_paths() {
        let p = PagePath::from_segments(["ru", "", "news"]);
        assert_eq!(p.as_str(), "ru/news/");
        assert_eq!(p.file(), "ru/news/index.html");
        assert_eq!(p.depth(), 2);
        assert_eq!(p.link(false), "ru/news/index.html");
        assert_eq!(p.link(true), "ru/news/");
        assert_eq!(PagePath::root().link(false), "index.html");
        assert_eq!(PagePath::parse_site_path("/tags/sanctions/"), PagePath::from_segments(["tags", "sanctions"]));
        assert_eq!(PagePath::parse_site_path("/news"), PagePath::from_segments(["news"]));
        assert_eq!(PagePath::parse_site_path("/"), PagePath::root());
        assert_eq!(PagePath::parse_site_path("/ru/index.html"), PagePath::from_segments(["ru"]));
    }

    #[test]
    fn roots() {
        assert_eq!(root_prefix(0), "./");
        assert_eq!(root_prefix(2), "../../");
        assert_eq!(absolute("https://x.org/", "/news/a/"), "https://x.org/news/a/");
    }

    #[test]
    fn external_links() {
        assert!(is_external("https://x.org"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("//cdn.example/x.js"));
        assert!(!is_external("/news/"));
        assert!(!is_external("../a.md"));
        assert!(!is_external("a/b:c"));
    }

    #[test]
    fn relative_resolution() {
        assert_eq!(resolve_relative("news", "../world/a.md").as_deref(), Some("world/a.md"));
        assert_eq!(resolve_relative("news", "./b.md").as_deref(), Some("news/b.md"));
        assert_eq!(resolve_relative("news", "../../a.md"), None);
        assert_eq!(split_fragment("a.md#x"), ("a.md", "#x"));
    }
}
