//! Every command's flags, as clap reads them, and the build options they
//! make. Flags follow Hugo's and Zola's habits where they have one
//! (`-s/--root`, `-o/--output`, `-b/--base-url`, `-D/--drafts`,
//! `-p/--port`, `serve`); every path given is relative to `--root`.

use crate::load::config::BuildOptions;
use clap::Subcommand;
use std::path::{Path, PathBuf};

/// The site folder, which every command takes.
#[derive(clap::Args, Debug, Clone)]
pub struct Root {
    /// The site folder (holds site.yaml and content/); every other path
    /// given is relative to it.
    #[arg(long, short = 's', default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

impl Root {
    /// `path` as given on the command line: relative to the site folder.
    pub fn at(&self, path: &Path) -> PathBuf {
        if path.is_absolute() || self.root == Path::new(".") {
            path.to_path_buf()
        } else {
            self.root.join(path)
        }
    }

    /// The output folder: `output` as given, else `<root>/public`.
    pub fn output(&self, output: Option<&Path>) -> PathBuf {
        output.map_or_else(|| self.root.join("public"), |o| self.at(o))
    }
}

#[derive(clap::Args, Debug)]
pub struct MirrorsArgs {
    #[command(subcommand)]
    pub action: MirrorsAction,
}

#[derive(Subcommand, Debug)]
pub enum MirrorsAction {
    /// Issue a new signed mirror list (from site.yaml and its mirrors_file)
    /// into the built site, changing only the files that carry it: the
    /// mirrors pages, mirrors.json, mirrors.signed.json, the manifest and
    /// its signature.
    #[command(after_help = "Examples:
  sitegen mirrors update --key ~/keys/newsroom.key
  sitegen mirrors update -s site --key newsroom.key -o public-eu")]
    Update(MirrorsUpdateArgs),
    /// Fetch each listed mirror's manifest and signature and report whether
    /// it is reachable, genuine and current (exit 1 on a bad signature or a
    /// changed file).
    #[command(after_help = "Examples:
  sitegen mirrors check
  sitegen mirrors check --all --json > mirrors-report.json")]
    Check(MirrorsCheckArgs),
}

#[derive(clap::Args, Debug)]
pub struct MirrorsUpdateArgs {
    #[command(flatten)]
    pub root: Root,
    /// The built site (default: <root>/public).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// The secret key file made by `sitegen keygen`.
    #[arg(long, value_name = "KEYFILE")]
    pub key: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct MirrorsCheckArgs {
    #[command(flatten)]
    pub root: Root,
    /// The built site to compare the mirrors with (default: <root>/public).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// The newsroom's public key (default: site.yaml's public_key).
    #[arg(long)]
    pub pubkey: Option<String>,
    /// Fetch every file of each mirror, not a sample.
    #[arg(long)]
    pub all: bool,
    /// Print the report as JSON, for monitoring.
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct WatchArgs {
    #[command(flatten)]
    pub root: Root,
    /// Port to serve on; 0 picks a free one.
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; only 127.0.0.1 unless you say otherwise.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Serve under a random /ipfs/<id>/ path, so a link that would break on a
    /// mirror breaks while writing.
    #[arg(long)]
    pub prefix: bool,
    /// Show drafts (the default while watching).
    #[arg(long, short = 'D', overrides_with = "no_drafts")]
    pub drafts: bool,
    /// Leave drafts out.
    #[arg(long, overrides_with = "drafts")]
    pub no_drafts: bool,
    /// Where to write the preview (default: a temporary folder).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Open the preview in the browser.
    #[arg(long)]
    pub open: bool,
    /// Print how long each stage of each rebuild took.
    #[arg(long)]
    pub timings: bool,
}

#[derive(clap::Args, Debug)]
pub struct KeygenArgs {
    /// Where to write the secret key (default: ~/.config/sitegen/sitegen.key,
    /// outside any site); the public key goes beside it with the extension
    /// .pub (newsroom.key: newsroom.pub). It may not be inside the site's
    /// content/, static/, themes/ or templates/, which are published.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub root: Root,
}

#[derive(clap::Args, Debug)]
pub struct SignArgs {
    #[command(flatten)]
    pub root: Root,
    /// The secret key file made by `sitegen keygen`.
    #[arg(long)]
    pub key: PathBuf,
    /// The built site (default: <root>/public).
    #[arg(long)]
    pub site: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// A folder, a zip or tar.gz file, or a mirror's http(s):// address.
    pub target: String,
    #[command(flatten)]
    pub root: Root,
    /// The newsroom's public key (`ed25519:…`, or a file holding it): the
    /// manifest's signature must match it.
    #[arg(long)]
    pub pubkey: Option<String>,
    /// Refuse a copy signed no later than this: a sequence number, or a
    /// date or time (`2026-12-01`, `2026-12-01T12:00:00Z`). Needs --pubkey.
    #[arg(long, requires = "pubkey")]
    pub newer_than: Option<String>,
    /// Refuse a copy signed more than this many days ago. Needs --pubkey.
    #[arg(long, requires = "pubkey")]
    pub max_age: Option<f64>,
}

#[derive(clap::Args, Debug)]
pub struct ArchiveArgs {
    #[command(flatten)]
    pub root: Root,
    /// The built site (default: <root>/public).
    #[arg(long)]
    pub site: Option<PathBuf>,
    /// Where to write the archives (default: the site folder).
    #[arg(long, default_value = ".")]
    pub to: PathBuf,
    /// Name of the archives and of the folder inside them.
    #[arg(long, default_value = "site")]
    pub name: String,
}

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub root: Root,
    /// Where to write the site (default: <root>/public).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Build for another address (a mirror) than site.yaml's base_url.
    #[arg(long, short, conflicts_with = "mirror")]
    pub base_url: Option<String>,
    /// Build for the mirror of this name in site.yaml's `mirrors`.
    #[arg(long)]
    pub mirror: Option<String>,
    /// Link to directories (`news/x/`) instead of files: only for hosts that
    /// serve directory indexes.
    #[arg(long)]
    pub pretty_urls: bool,
    /// Replace the output folder even if sitegen did not build it.
    #[arg(long)]
    pub force: bool,
    /// Also write the site as a CAR file for IPFS (`ipfs dag import`, pinning services).
    #[arg(long)]
    pub car: Option<PathBuf>,
    /// Include articles marked `draft: true`.
    #[arg(long, short = 'D')]
    pub drafts: bool,
    /// Threads to use (default: one per core).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Print how long each stage of the build took.
    #[arg(long)]
    pub timings: bool,
    /// Render every page anew, ignoring the cache of the last build.
    #[arg(long)]
    pub no_cache: bool,
    /// Sign the site with this secret key (made by `sitegen keygen`): the
    /// signature is swapped in with the site, and its CID covers it.
    #[arg(long, value_name = "KEYFILE")]
    pub sign: Option<PathBuf>,
    /// Treat warnings as errors: the build fails, and the output is left as
    /// it was.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub schedule: ScheduleArgs,
}

/// When a build publishes.
#[derive(clap::Args, Debug)]
pub struct ScheduleArgs {
    /// Publish as at this moment (ISO 8601, e.g. 2026-12-01T12:00:00Z)
    /// instead of the clock's: articles dated later are left out, and the
    /// same sources with the same --now build byte for byte the same site.
    #[arg(long, value_name = "TIME", value_parser = crate::load::schedule::parse_now)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
    /// Include articles dated after "now" and expired ones, marked (for a
    /// preview; never for a mirror).
    #[arg(long)]
    pub future: bool,
}

impl BuildArgs {
    pub fn options(&self) -> BuildOptions {
        let r = &self.root;
        BuildOptions {
            root: r.root.clone(),
            output: self.output.as_deref().map(|o| r.at(o)),
            base_url: self.base_url.clone(),
            mirror: self.mirror.clone(),
            pretty_urls: self.pretty_urls.then_some(true),
            car: self.car.as_deref().map(|c| r.at(c)),
            force: self.force,
            drafts: self.drafts,
            threads: self.jobs,
            no_cache: self.no_cache,
            sign: self.sign.as_deref().map(|k| r.at(k)),
            mirrors_update: false,
            strict: self.strict,
            now: self.schedule.now,
            future: self.schedule.future,
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub root: Root,
    /// Check for another address (a mirror) than site.yaml's base_url.
    #[arg(long, short, conflicts_with = "mirror")]
    pub base_url: Option<String>,
    /// Check the copy for the mirror of this name.
    #[arg(long)]
    pub mirror: Option<String>,
    /// Include articles marked `draft: true`.
    #[arg(long, short = 'D')]
    pub drafts: bool,
    /// Treat warnings as errors (exit 1).
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub schedule: ScheduleArgs,
}

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// The folder to make the site in (default: the current folder, which
    /// must be empty).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The site's languages, the first the default.
    #[arg(long, default_value = "en", value_delimiter = ',')]
    pub languages: Vec<String>,
    /// Copy the full sample site (The Meridian) instead of a minimal one.
    #[arg(long)]
    pub sample: bool,
}

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// The article's section and slug: `news/my-story`.
    pub path: String,
    #[command(flatten)]
    pub root: Root,
    /// The article's language (default: the site's default language).
    #[arg(long)]
    pub lang: Option<String>,
    /// Make a folder for the article and its photos (`news/my-story/index.md`).
    #[arg(long)]
    pub bundle: bool,
}

#[derive(clap::Args, Debug)]
pub struct EditionArgs {
    #[command(flatten)]
    pub root: Root,
    /// The language of the edition (default: the site's default language).
    #[arg(long)]
    pub lang: Option<String>,
    /// The start of the period (a date or time, ISO 8601). Default: 24
    /// hours before its end, reaching back for at least the newest 10
    /// articles.
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    /// The end of the period (default: now).
    #[arg(long, value_name = "DATE", value_parser = parse_until)]
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    /// Where to write it: a file, or a folder to write it into under its
    /// own name (<title>-<lang>-<date>.html, or .eml; `notes-<date>.html`
    /// with --discreet). Default: the site folder.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The largest the file may be, in KB; photos shrink first.
    #[arg(long, value_name = "KB", default_value_t = crate::edition::DEFAULT_MAX_KB)]
    pub max_kb: u32,
    /// Sign the edition with this secret key (made by `sitegen keygen`).
    #[arg(long, value_name = "KEYFILE", conflicts_with = "email")]
    pub sign: Option<PathBuf>,
    /// A neutral file name and title, and no outlet name on the first
    /// screen, for a reader whose phone may be searched.
    #[arg(long, conflicts_with = "email")]
    pub discreet: bool,
    /// Write the newsletter message (.eml) instead: an HTML and a
    /// plain-text part, no images, every link to one mirror.
    #[arg(long)]
    pub email: bool,
    /// The message's sender (default: "<title> <newsletter@<host>>").
    #[arg(long, requires = "email", value_name = "ADDRESS")]
    pub from: Option<String>,
    /// The message's recipient (default: the sender, as list services and
    /// Bcc sending expect).
    #[arg(long, requires = "email", value_name = "ADDRESS")]
    pub to: Option<String>,
    /// Link to the mirror of this name in site.yaml's `mirrors` instead
    /// of base_url.
    #[arg(long)]
    pub mirror: Option<String>,
    /// Make the edition as at this moment (ISO 8601): the same sources
    /// and --now give the same bytes.
    #[arg(long, value_name = "TIME", value_parser = crate::load::schedule::parse_now)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
}

fn parse_since(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    crate::load::dates::parse(text).map(|d| d.to_utc()).map_err(|e| format!("{e}; give a date like 2026-12-01"))
}

fn parse_until(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    parse_since(text)
}
