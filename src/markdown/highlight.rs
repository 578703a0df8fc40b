//! Code highlighting with syntect: CSS classes rather than inline styles, so
//! one stylesheet (`syntax.css`, light and dark) serves every page. The
//! syntax set is loaded once, and only if some article has code.

use std::sync::OnceLock;
use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// HTML for a fenced code block. Unknown languages come out as plain,
/// escaped text.
pub fn code_block(code: &str, lang: &str) -> String {
    let lang = lang.split([',', ' ']).next().unwrap_or("").trim();
    let mut html = String::with_capacity(code.len() * 2);
    let set = syntaxes();
    let syntax = (!lang.is_empty()).then(|| set.find_syntax_by_token(lang)).flatten();
    let lang_class =
        if lang.is_empty() { String::new() } else { format!(" class=\"language-{}\"", crate::escape::html(lang)) };
    html.push_str(&format!("<pre class=\"code\"><code{lang_class}>"));
    match syntax {
        Some(syntax) => {
            let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
            for line in LinesWithEndings::from(code) {
                // A line syntect cannot parse falls back to plain text below.
                if gen.parse_html_for_line_which_includes_newline(line).is_err() {
                    html.push_str(&crate::escape::html(code));
                    html.push_str("</code></pre>\n");
                    return html;
                }
            }
            html.push_str(&gen.finalize());
        }
        None => html.push_str(&crate::escape::html(code)),
    }
    html.push_str("</code></pre>\n");
    html
}

/// The stylesheet for the classes above: a light theme, and a dark one under
/// `prefers-color-scheme: dark`.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let light = css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], CLASS_STYLE).unwrap_or_default();
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], CLASS_STYLE).unwrap_or_default();
    format!("/* Code highlighting (syntect). */\n{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_language_with_classes() {
        let h = code_block("fn main() {}\n", "rust");
        assert!(h.starts_with("<pre class=\"code\"><code class=\"language-rust\">"), "{h}");
        assert!(h.contains("class=\"hl-"), "{h}");
        assert!(!h.contains("style="), "{h}");
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        let h = code_block("<b>&</b>\n", "nosuchlang");
        assert_eq!(
            h,
            "<pre class=\"code\"><code class=\"language-nosuchlang\">&lt;b&gt;&amp;&lt;/b&gt;\n</code></pre>\n"
        );
    }

    #[test]
    fn stylesheet_has_both_schemes() {
        let css = stylesheet();
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
