//! The sample site (The Meridian), compiled into the binary for
//! `sitegen init --sample`: an installed `sitegen` has no source folder to
//! copy it from. A test keeps this list equal to the files on disk.

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $path)))),*]
    };
}

/// The sample site's files, by path inside it.
pub const FILES: &[(&str, &[u8])] = embed!(
    "site.yaml",
    "mirrors.yaml",
    "content/pages/about.md",
    "content/pages/about.ru.md",
    "content/pages/tips.md",
    "content/pages/tips.ru.md",
    "content/authors/anna-sokolova.jpg",
    "content/authors/anna-sokolova.md",
    "content/authors/anna-sokolova.ru.md",
    "content/authors/daniel-price.jpg",
    "content/authors/daniel-price.md",
    "content/authors/marta-kovalenko.jpg",
    "content/authors/marta-kovalenko.md",
    "content/authors/marta-kovalenko.ru.md",
    "content/business/_index.md",
    "content/business/_index.ru.md",
    "content/business/central-bank-holds-rate.md",
    "content/business/tsb-sokhranil-stavku.md",
    "content/culture/_index.md",
    "content/culture/_index.ru.md",
    "content/culture/exiled-theatre-opens-season.md",
    "content/culture/knigi-v-emigratsii.md",
    "content/investigations/_index.md",
    "content/investigations/_index.ru.md",
    "content/investigations/how-we-verified-the-depot-fire.md",
    "content/news/_index.md",
    "content/news/_index.ru.md",
    "content/news/envoy-talks/envoy.jpg",
    "content/news/envoy-talks/index.md",
    "content/news/envoy-talks/index.ru.md",
    "content/news/internet-cut-before-vote.md",
    "content/news/journalist-sentenced.md",
    "content/news/kak-obkhodit-blokirovki.md",
    "content/opinion/_index.md",
    "content/opinion/_index.ru.md",
    "content/opinion/draft-column.md",
    "content/opinion/why-we-publish-on-mirrors.md",
    "content/world/_index.md",
    "content/world/_index.ru.md",
    "content/world/baltic-grid.md",
    "content/world/tbilisi-new-arrivals.md",
    "static/images/2025/bookshelf.jpg",
    "static/images/2025/courtroom.jpg",
    "static/images/2025/dark-city.jpg",
    "static/images/2025/depot.jpg",
    "static/images/2025/night-city.jpg",
    "static/images/2025/power-lines.jpg",
    "static/images/2025/rate-chart.jpg",
    "static/images/2025/stage.jpg",
    "static/images/2025/tbilisi.jpg",
);

#[cfg(test)]
mod tests {
    #[test]
    fn every_file_of_the_sample_site_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk: Vec<String> = vec!["site.yaml".into(), "mirrors.yaml".into()];
        for top in ["content", "static"] {
            for e in walkdir::WalkDir::new(root.join(top)).sort_by_file_name() {
                let e = e.unwrap();
                if e.file_type().is_file() {
                    on_disk.push(e.path().strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
                }
            }
        }
        let mut embedded: Vec<String> = super::FILES.iter().map(|(p, _)| p.to_string()).collect();
        on_disk.sort();
        embedded.sort();
        assert_eq!(embedded, on_disk, "add or remove the file in src/cli/sample.rs");
    }
}
