//! Media from another host shown without loading it: a YouTube or Telegram
//! embed, a remote video or image becomes a still placeholder, the
//! provider's name, the title when known, a local poster when there is one,
//! and a plain link to the original. The reader leaves the site only by
//! following it; until then no third party learns who is reading.

use crate::escape;

/// What a placeholder stands for.
pub struct Embed<'a> {
    /// Where the original is, as a reader opens it (a YouTube embed's
    /// player address becomes its watch page).
    pub url: String,
    pub title: Option<&'a str>,
    /// A page-relative URL of a local image to show.
    pub poster: Option<String>,
}

/// Hosts whose media people embed, by the name readers know them by.
const PROVIDERS: &[(&str, &str)] = &[
    ("youtube.com", "YouTube"),
    ("youtube-nocookie.com", "YouTube"),
    ("youtu.be", "YouTube"),
    ("vimeo.com", "Vimeo"),
    ("t.me", "Telegram"),
    ("telegram.org", "Telegram"),
    ("twitter.com", "X (Twitter)"),
    ("x.com", "X (Twitter)"),
    ("instagram.com", "Instagram"),
    ("facebook.com", "Facebook"),
    ("tiktok.com", "TikTok"),
    ("soundcloud.com", "SoundCloud"),
    ("rutube.ru", "Rutube"),
    ("vk.com", "VK"),
    ("vkvideo.ru", "VK Video"),
    ("google.com", "Google"),
    ("spotify.com", "Spotify"),
];

/// The provider's name for a URL: a known one, else its host.
pub fn provider(url: &str) -> String {
    let h = crate::urls::host(url);
    known_provider(&h).map_or(h, str::to_string)
}

fn known_provider(host: &str) -> Option<&'static str> {
    PROVIDERS.iter().find(|(d, _)| host == *d || host.ends_with(&format!(".{d}"))).map(|(_, n)| *n)
}

/// Whether a bare URL alone on a line is a known provider's media page,
/// shown as a placeholder like an embed.
pub fn is_media_page(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://")) && known_provider(&crate::urls::host(url)).is_some()
}

/// The page a reader opens for an embedded player's address.
pub fn original(src: &str) -> String {
    let src = if src.starts_with("//") { format!("https:{src}") } else { src.to_string() };
    let h = crate::urls::host(&src);
    let path = src.split_once("//").map(|(_, r)| r.split_once('/').map_or("", |(_, p)| p)).unwrap_or("");
    let id = |prefix: &str| path.strip_prefix(prefix).map(|rest| rest.split(['?', '#', '/']).next().unwrap_or(""));
    match h.as_str() {
        "youtube.com" | "youtube-nocookie.com" => match id("embed/") {
            Some(v) if !v.is_empty() => format!("https://www.youtube.com/watch?v={v}"),
            _ => src,
        },
        "player.vimeo.com" => match id("video/") {
            Some(v) if !v.is_empty() => format!("https://vimeo.com/{v}"),
            _ => src,
        },
        _ => src,
    }
}

/// The placeholder's HTML: a figure (block) or a link (inside a line).
pub fn placeholder(e: &Embed, block: bool) -> String {
    let name = provider(&e.url);
    let slug: String = name.to_ascii_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
    let host = crate::urls::host(&e.url);
    let mut inner = String::new();
    if let Some(p) = &e.poster {
        inner.push_str(&format!("<img class=\"embed__poster\" src=\"{}\" alt=\"\" loading=\"lazy\">", escape::html(p)));
    }
    inner.push_str(&format!("<span class=\"embed__provider\">{}</span>", escape::html(&name)));
    if let Some(t) = e.title.filter(|t| !t.trim().is_empty()) {
        inner.push_str(&format!(" <span class=\"embed__title\">{}</span>", escape::html(t.trim())));
    }
    inner.push_str(&format!(" <span class=\"embed__host\">{} ↗</span>", escape::html(&host)));
    let link = format!("<a class=\"embed__link\" href=\"{}\">{inner}</a>", escape::html(&e.url));
    match block {
        true => format!("<figure class=\"embed embed--{slug}\">{link}</figure>"),
        false => format!("<span class=\"embed embed--{slug}\">{link}</span>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn players_lead_to_their_pages() {
        assert_eq!(original("https://www.youtube.com/embed/abc123?start=5"), "https://www.youtube.com/watch?v=abc123");
        assert_eq!(original("//www.youtube-nocookie.com/embed/xyz"), "https://www.youtube.com/watch?v=xyz");
        assert_eq!(original("https://player.vimeo.com/video/42"), "https://vimeo.com/42");
        assert_eq!(original("https://maps.example/embed?x=1"), "https://maps.example/embed?x=1");
    }

    #[test]
    fn providers_are_named_and_unknown_hosts_shown() {
        assert_eq!(provider("https://m.youtube.com/watch?v=1"), "YouTube");
        assert_eq!(provider("https://t.me/durov/123"), "Telegram");
        assert_eq!(provider("https://cdn.example.org/v.mp4"), "cdn.example.org");
        assert!(is_media_page("https://youtu.be/abc"));
        assert!(!is_media_page("https://example.org/news"));
    }

    #[test]
    fn a_placeholder_loads_nothing_and_escapes_what_it_shows() {
        let e = Embed { url: "https://www.youtube.com/watch?v=a&b".into(), title: Some("<Interview>"), poster: None };
        let html = placeholder(&e, true);
        assert_eq!(
            html,
            "<figure class=\"embed embed--youtube\"><a class=\"embed__link\" href=\"https://www.youtube.com/watch?v=a&amp;b\"><span class=\"embed__provider\">YouTube</span> <span class=\"embed__title\">&lt;Interview&gt;</span> <span class=\"embed__host\">youtube.com ↗</span></a></figure>"
        );
    }
}
