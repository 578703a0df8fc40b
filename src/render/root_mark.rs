//! Links written from a mark that stands for the site root. A page's
//! views write every link as the mark followed by the site path, and the
//! rendered page gets its own way back to the root (`./`, `../../`) in
//! place of each mark. So a part of a page (a story's card, the masthead)
//! renders the same at every depth, and is rendered once for all pages
//! that show it.

/// Private-use characters that no text or URL carries. Templates print it
/// as it is: HTML escaping leaves it alone.
pub const MARK: &str = "\u{E000}root\u{E001}";

/// `marked` with `root` in place of every mark; `None` when it has none.
pub fn place(marked: &str, root: &str) -> Option<String> {
    // The searcher is made once: `str::replace` builds one per call, and
    // this runs over every page.
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(MARK));
    let mut found = FINDER.find_iter(marked.as_bytes()).peekable();
    found.peek()?;
    let mut out = String::with_capacity(marked.len());
    let mut last = 0;
    for at in found {
        out.push_str(&marked[last..at]);
        out.push_str(root);
        last = at + MARK.len();
    }
    out.push_str(&marked[last..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mark_is_replaced_and_nothing_else() {
        let marked = format!("{MARK}a {MARK}{MARK}b \u{E000} c");
        assert_eq!(place(&marked, "../").unwrap(), "../a ../../b \u{E000} c");
        assert_eq!(place("no marks", "../"), None);
        assert_eq!(place("", "../"), None);
    }

    #[test]
    fn html_escaping_leaves_the_mark_alone() {
        assert_eq!(crate::escape::html(MARK), MARK);
    }
}
