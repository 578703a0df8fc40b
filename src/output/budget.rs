//! The page budget (`page_budget_kb`): every page measured as a reader's
//! first request gets it. Since mid-2025 Russian ISPs freeze connections
//! to the big foreign hosts after about the first 16 KB, so a page whose
//! HTML and render-blocking stylesheet, compressed as a CDN serves them,
//! do not fit shows nothing. Pages are judged by gzip (level 6, what CDNs
//! commonly serve to clients without brotli) with brotli (quality 5)
//! reported beside it.

use crate::html_tags;
use crate::warning::Warning;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

/// What a page costs a reader's first request, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cost {
    /// The page, gzip-compressed.
    pub gzip: u64,
    /// The page, brotli-compressed (measured only for pages over budget).
    pub brotli: u64,
    /// Its render-blocking stylesheets, gzip-compressed.
    pub styles: u64,
}

impl Cost {
    /// What a reader without brotli downloads before the page shows.
    pub fn total(&self) -> u64 {
        self.gzip + self.styles
    }
}

pub fn gzip_len(bytes: &[u8]) -> u64 {
    gzip_len_at(bytes, 6)
}

fn gzip_len_at(bytes: &[u8], level: u32) -> u64 {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    e.write_all(bytes).expect("writing to memory");
    e.finish().expect("writing to memory").len() as u64
}

pub fn brotli_len(bytes: &[u8]) -> u64 {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 5, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory");
    out.len() as u64
}

/// Pages measured against a budget.
pub struct Budget {
    limit: u64,
    /// A stylesheet's file name → its gzip size.
    stylesheets: HashMap<String, u64>,
    measured: Mutex<Vec<(String, Cost)>>,
}

impl Budget {
    /// A budget of `kb` KB (1,024 bytes); `stylesheets` are the site's CSS
    /// files (published name, bytes).
    pub fn new<'a>(kb: u32, stylesheets: impl Iterator<Item = (&'a str, &'a [u8])>) -> Budget {
        let stylesheets = stylesheets
            .map(|(name, bytes)| (name.rsplit('/').next().unwrap_or(name).to_string(), gzip_len(bytes)))
            .collect();
        Budget { limit: u64::from(kb) * 1024, stylesheets, measured: Mutex::default() }
    }

    /// Measures the page at output path `file`.
    pub fn measure(&self, file: &str, html: &[u8]) -> Cost {
        let styles = self.blocking_styles(html);
        // A page within budget at the fastest level is within it at level 6
        // too (a higher level does not compress worse), and most pages are:
        // its cost is then that bound, measured three times as fast.
        let fast = gzip_len_at(html, 1);
        let gzip = if fast + styles <= self.limit { fast } else { gzip_len(html) };
        // Brotli is reported for pages over budget only: it costs as much
        // again to measure.
        let brotli = if gzip + styles > self.limit { brotli_len(html) } else { 0 };
        let cost = Cost { gzip, brotli, styles };
        self.measured.lock().expect("not poisoned").push((file.to_string(), cost));
        cost
    }

    /// The compressed size of the stylesheets `html` links (render-blocking:
    /// the page shows nothing until they arrive).
    fn blocking_styles(&self, html: &[u8]) -> u64 {
        // Pages with styles inline link none: no need to decode and walk
        // their tags.
        if self.stylesheets.is_empty() || !html.windows(10).any(|w| w.eq_ignore_ascii_case(b"stylesheet")) {
            return 0;
        }
        let mut total = 0;
        html_tags::for_each_start_tag(&String::from_utf8_lossy(html), |t| {
            let rel = t.get("rel").unwrap_or("");
            let is_style = t.is("link") && rel.split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case("stylesheet"));
            // Any medium a phone may match (`screen`, a width query) blocks
            // its first paint; only print and speech stylesheets do not.
            let blocking = t.get("media").is_none_or(|m| {
                let m = m.trim().to_ascii_lowercase();
                m != "print" && m != "speech"
            });
            if let (true, true, Some(href)) = (is_style, blocking, t.get("href")) {
                let name = href.split(['?', '#']).next().unwrap_or("").rsplit('/').next().unwrap_or("");
                total += self.stylesheets.get(name).copied().unwrap_or(0);
            }
        });
        total
    }

    /// Takes the cost of a page measured before.
    pub fn record(&self, file: &str, cost: Cost) {
        self.measured.lock().expect("not poisoned").push((file.to_string(), cost));
    }

    /// The pages measured or recorded so far.
    pub fn measured_files(&self) -> std::collections::HashSet<String> {
        self.measured.lock().expect("not poisoned").iter().map(|(f, _)| f.clone()).collect()
    }

    /// Every page measured, by output path.
    pub fn into_costs(self) -> HashMap<String, Cost> {
        self.measured.into_inner().expect("not poisoned").into_iter().collect()
    }

    pub fn limit(&self) -> u64 {
        self.limit
    }
}

/// A warning for every page of `costs` over `limit` bytes, in file order.
pub fn warnings<'a>(limit: u64, costs: impl Iterator<Item = (&'a String, &'a Cost)>, output: &Path) -> Vec<Warning> {
    let mut over: Vec<(&String, &Cost)> = costs.filter(|(_, c)| c.total() > limit).collect();
    over.sort_by(|a, b| a.0.cmp(b.0));
    over.into_iter()
        .map(|(file, c)| {
            let styles = match c.styles {
                0 => String::new(),
                s => format!(" with its stylesheets ({} KB)", kb(s)),
            };
            Warning {
                loc: crate::error::Location::file(crate::urls::tidy(&output.join(file))),
                msg: format!(
                    "{} KB compressed{styles} (gzip; brotli {} KB), over the page budget of {} KB: on a throttled link the page may not show at all",
                    kb(c.total()),
                    kb(c.brotli + c.styles),
                    limit / 1024,
                ),
            }
        })
        .collect()
}

/// Bytes as KB with one decimal.
fn kb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_and_its_blocking_stylesheet_count_together() {
        let css: String = (0..400).map(|i| format!(".c{i} {{ margin: {}px {}em; }}\n", i * 7 % 97, i % 13)).collect();
        assert!(gzip_len(css.as_bytes()) > 1024);
        let b = Budget::new(1, [("site.abc.css", css.as_bytes())].into_iter());
        let small = r#"<link rel="stylesheet" href="../site.abc.css"><p>Hi</p>"#;
        b.measure("a.html", small.as_bytes());
        b.measure("b.html", b"<p>Hi</p>");
        // A print stylesheet does not block the first paint; a screen one does.
        b.measure("c.html", br#"<link rel="stylesheet" media="print" href="site.abc.css"><p>Hi</p>"#);
        b.measure("d.html", br#"<link rel="preload stylesheet" media="screen" href="site.abc.css"><p>Hi</p>"#);
        let limit = b.limit();
        let costs = b.into_costs();
        let w = warnings(limit, costs.iter(), Path::new("public"));
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(w[0].loc.to_string(), "public/a.html");
        assert!(w[0].msg.contains("with its stylesheets") && w[0].msg.contains("over the page budget of 1 KB"));
    }

    #[test]
    fn gzip_and_brotli_shrink_text() {
        let text = "The talks began. ".repeat(1000);
        let (g, br) = (gzip_len(text.as_bytes()), brotli_len(text.as_bytes()));
        assert!(g < 1000 && br < 1000, "{g} {br}");
    }
}
