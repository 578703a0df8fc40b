//! What a build is asked for on the command line (or by a watch session):
//! the options that are not in `site.yaml`.

use std::path::PathBuf;

/// How this build was asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Build for the mirror of this name in `site.yaml`.
    pub mirror: Option<String>,
    pub pretty_urls: Option<bool>,
    /// Replace an output folder that sitegen did not build.
    pub force: bool,
    /// Also write the site as a CAR file here (for IPFS).
    pub car: Option<PathBuf>,
    pub drafts: bool,
    /// Threads to render on (`--jobs`); default one per core.
    pub threads: Option<usize>,
    /// Build from nothing, ignoring (and removing) the build cache.
    pub no_cache: bool,
    /// Sign the manifest with the secret key in this file (`--sign`).
    pub sign: Option<PathBuf>,
    /// `sitegen mirrors update`: issue a new signed mirror list, and change
    /// nothing but the files that carry it.
    pub mirrors_update: bool,
    /// Warnings are errors: the build fails and the output is left as it
    /// was (`--strict`).
    pub strict: bool,
    /// The moment the build publishes at (`--now`); default: the clock.
    pub now: Option<chrono::DateTime<chrono::Utc>>,
    /// Keep scheduled and expired articles, marked (`--future`; watch).
    pub future: bool,
}

/// The most threads a build starts: more than any machine it runs on has
/// cores to give, and a mistyped `--jobs 20000` would start them all.
pub const MAX_THREADS: usize = 256;

impl BuildOptions {
    /// Refuses options that would damage the sources or the machine: a
    /// thread count out of range, a CAR file written over a source, the
    /// configuration, the output or a file that is not a CAR.
    pub fn check(&self) -> Result<(), String> {
        if let Some(n) = self.threads.filter(|n| !(1..=MAX_THREADS).contains(n)) {
            return Err(format!("--jobs {n}: give a number of threads from 1 to {MAX_THREADS}"));
        }
        if let Some(car) = &self.car {
            let shown = car.display();
            let car_at = crate::fs::resolved(car);
            let output = self.output.clone().unwrap_or_else(|| self.root.join("public"));
            let mut forbidden = crate::load::scan::source_folders(&self.root);
            forbidden.push(output);
            if car_at == crate::fs::resolved(&self.root.join(crate::load::site_yaml::CONFIG_FILE))
                || forbidden.iter().any(|f| car_at.starts_with(crate::fs::resolved(f)))
            {
                return Err(format!(
                    "--car {shown}: the CAR file may not go into the site's sources, output or site.yaml"
                ));
            }
            // A CAR opens with a short header naming its "roots".
            let head = |path: &std::path::Path| -> std::io::Result<Vec<u8>> {
                use std::io::Read;
                let mut head = Vec::new();
                std::fs::File::open(path)?.take(64).read_to_end(&mut head)?;
                Ok(head)
            };
            let is_car = |bytes: &[u8]| bytes.windows(5).take(16).any(|w| w == b"roots");
            if car.is_dir() || head(car).is_ok_and(|b| !b.is_empty() && !is_car(&b)) {
                return Err(format!("--car {shown}: it exists and is not a CAR file; it is never overwritten"));
            }
        }
        Ok(())
    }
}
