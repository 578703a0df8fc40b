//! The command line: every command and its flags, turned into the options
//! of the stage that runs it, and what each command prints when done.

mod args;
mod check;
mod edition;
pub mod errors;
mod keys;
mod mirrors;
mod sample;
mod start;

use crate::load::config::BuildOptions;
pub use args::*;
use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "sitegen", version, about = "A static site generator for news sites read through mirrors")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Make a new site that builds: site.yaml and a first story (or, with
    /// --sample, the full sample site).
    #[command(after_help = "Examples:
  sitegen init my-site --languages en,ru
  sitegen init --sample meridian")]
    Init(InitArgs),
    /// Start an article: its front matter filled in, held back as a draft.
    #[command(after_help = "Examples:
  sitegen new news/court-hearing
  sitegen new news/sud-nad-zhurnalistom --lang ru --bundle")]
    New(NewArgs),
    /// Build the site into the output folder (default: public/).
    #[command(after_help = "Examples:
  sitegen build
  sitegen build -s site -o /srv/www --sign ~/keys/newsroom.key
  sitegen build --mirror eu --car site.car")]
    Build(BuildArgs),
    /// Check everything a build checks (front matter, links, photos,
    /// templates, the mirror rules) without writing anything; exit 1 on an
    /// error, or on a warning with --strict.
    #[command(after_help = "Examples:
  sitegen check
  sitegen check --strict -s site")]
    Check(CheckArgs),
    /// Build, serve a live preview, and rebuild on every save (also:
    /// `serve`).
    #[command(
        visible_alias = "serve",
        after_help = "Examples:
  sitegen serve
  sitegen watch -p 8080 --prefix --open"
    )]
    Watch(WatchArgs),
    /// Pack the built site as <name>.zip and <name>.tar.gz, to pass by hand.
    #[command(after_help = "Examples:
  sitegen archive --name meridian --to dist")]
    Archive(ArchiveArgs),
    /// Make an Ed25519 key pair for signing the site's manifest.
    #[command(after_help = "Examples:
  sitegen keygen                         # ~/.config/sitegen/sitegen.key and sitegen.pub
  sitegen keygen --out ~/keys/newsroom.key   # newsroom.key and newsroom.pub")]
    Keygen(KeygenArgs),
    /// Sign the built site's manifest (writes manifest.json.sig).
    #[command(after_help = "Examples:
  sitegen sign --key ~/keys/newsroom.key
  sitegen sign -s site --key newsroom.key --site public-eu")]
    Sign(SignArgs),
    /// Check a copy (folder, zip or http(s) address) against its manifest,
    /// or an edition (FILE.html) against its seal.
    #[command(after_help = "Examples:
  sitegen verify https://mirror.example --pubkey ed25519:…
  sitegen verify dist/site.zip --pubkey newsroom.pub --max-age 7")]
    Verify(VerifyArgs),
    /// Rotate the signed mirror list, or check the mirrors it names.
    Mirrors(MirrorsArgs),
    /// Write the latest articles as one HTML file that opens with no
    /// network (to pass on by messenger or USB), or as a newsletter email.
    #[command(after_help = "Examples:
  sitegen edition                                  # the last 24 hours, default language
  sitegen edition --lang ru --sign ~/keys/newsroom.key
  sitegen edition --lang ru --discreet --max-kb 800
  sitegen edition --email --mirror onion -o morning.eml
  sitegen verify the-meridian-ru-2026-12-02.html --pubkey newsroom.pub")]
    Edition(EditionArgs),
}

/// Warnings past this many are counted, not listed: a generated archive can
/// have thousands of the same kind.
const WARNINGS_SHOWN: usize = 20;

pub(crate) fn print_warnings(warnings: &[crate::warning::Warning]) {
    for w in warnings.iter().take(WARNINGS_SHOWN) {
        eprintln!("{w}");
    }
    if warnings.len() > WARNINGS_SHOWN {
        eprintln!("… and {} more warnings", warnings.len() - WARNINGS_SHOWN);
    }
}

/// Runs the command; the caller prints the error and sets the exit code.
pub fn run(cli: Cli) -> crate::Result<()> {
    // Bars are for a person at a terminal, never for a log.
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        crate::progress::enable();
    }
    match cli.command {
        Command::Init(args) => start::init(&args),
        Command::New(args) => start::new(&args),
        Command::Check(args) => check::check(&args),
        Command::Keygen(args) => keys::keygen(&args),
        Command::Watch(args) => crate::watch::run(crate::watch::WatchOptions {
            build: BuildOptions {
                output: args.output.as_deref().map(|o| args.root.at(o)),
                root: args.root.root,
                drafts: args.drafts || !args.no_drafts,
                // A preview shows what is scheduled, marked as such.
                future: true,
                ..BuildOptions::default()
            },
            bind: args.bind,
            port: args.port,
            prefix: args.prefix,
            open: args.open,
            timings: args.timings,
        }),
        Command::Sign(args) => keys::sign(&args),
        Command::Verify(args) => keys::verify(&args),
        Command::Edition(args) => edition::edition(&args),
        Command::Mirrors(MirrorsArgs { action: MirrorsAction::Update(args) }) => mirrors::update(&args),
        Command::Mirrors(MirrorsArgs { action: MirrorsAction::Check(args) }) => mirrors::check(&args),
        Command::Archive(args) => {
            let site = args.root.output(args.site.as_deref());
            let a = crate::publish::archive::write(&site, &args.root.at(&args.to), &args.name)?;
            println!("Packed {} files into {} and {}", a.files, a.zip.display(), a.tar_gz.display());
            Ok(())
        }
        Command::Build(args) => {
            let report = crate::build::build(&args.options())?;
            print_warnings(&report.warnings);
            if args.timings {
                crate::report::print_timings(&report.timings);
            }
            let c = &report.changes;
            println!(
                "Built {} articles into {} pages ({} files, {:.1} MB) in {} in {:.2} s; {} new, {} changed, {} removed, {} unchanged; {} photo copies encoded",
                report.articles,
                report.pages,
                report.files,
                report.bytes as f64 / 1e6,
                report.output.display(),
                report.elapsed.as_secs_f64(),
                c.added,
                c.changed,
                c.removed,
                c.unchanged,
                report.photos_encoded
            );
            if let Some(cid) = &report.cid {
                println!("CID: {cid}");
            }
            if let Some(n) = &report.next_change {
                // For a cron job or CI schedule: when to build again.
                println!("Next scheduled change: {} ({} {}); build again then", n.at.to_rfc3339(), n.article, n.what);
            }
            if let Some(key) = &args.sign {
                keys::print_signature(key, &report.output)?;
            }
            Ok(())
        }
    }
}
