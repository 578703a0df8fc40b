//! The command line: `sitegen build` and its flags.

use crate::config::BuildOptions;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "sitegen", version, about = "A static site generator for news sites read through mirrors")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into the output folder (default: public/).
    Build(BuildArgs),
    /// Pack the built site as <name>.zip and <name>.tar.gz, to pass by hand.
    Archive(ArchiveArgs),
}

#[derive(clap::Args, Debug)]
pub struct ArchiveArgs {
    /// The built site (default: public/).
    #[arg(long, default_value = "public")]
    pub site: PathBuf,
    /// Where to write the archives.
    #[arg(long, default_value = ".")]
    pub to: PathBuf,
    /// Name of the archives and of the folder inside them.
    #[arg(long, default_value = "site")]
    pub name: String,
}

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// The site folder: holds site.yaml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (default: <root>/public).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Build for another address (a mirror) than site.yaml's base_url.
    #[arg(long, conflicts_with = "mirror")]
    pub base_url: Option<String>,
    /// Build for the mirror of this name in site.yaml's `mirrors`.
    #[arg(long)]
    pub mirror: Option<String>,
    /// Link to directories (`news/x/`) instead of files: only for hosts that
    /// serve directory indexes.
    #[arg(long)]
    pub pretty_urls: bool,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Threads to use (default: one per core).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Print how long each stage of the build took.
    #[arg(long)]
    pub timings: bool,
}

impl BuildArgs {
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            mirror: self.mirror.clone(),
            pretty_urls: self.pretty_urls.then_some(true),
            drafts: self.drafts,
            jobs: self.jobs,
        }
    }
}

/// Warnings past this many are counted, not listed: a generated archive can
/// have thousands of the same kind.
const WARNINGS_SHOWN: usize = 20;

fn print_warnings(warnings: &[crate::warning::Warning]) {
    for w in warnings.iter().take(WARNINGS_SHOWN) {
        eprintln!("{w}");
    }
    if warnings.len() > WARNINGS_SHOWN {
        eprintln!("… and {} more warnings", warnings.len() - WARNINGS_SHOWN);
    }
}

/// Runs the command; the caller prints the error and sets the exit code.
pub fn run(cli: Cli) -> crate::Result<()> {
    match cli.command {
        Command::Archive(args) => {
            let a = crate::archive::write(&args.site, &args.to, &args.name)?;
            println!("Packed {} files into {} and {}", a.files, a.zip.display(), a.tar_gz.display());
            Ok(())
        }
        Command::Build(args) => {
            let report = crate::build::build(&args.options())?;
            print_warnings(&report.warnings);
            if args.timings {
                for (stage, t) in &report.timings {
                    eprintln!("{:>8.1} ms  {stage}", t.as_secs_f64() * 1000.0);
                }
            }
            let c = &report.changes;
            println!(
                "Built {} articles into {} pages ({} files, {:.1} MB) in {} in {:.2} s; {} new, {} changed, {} removed, {} unchanged",
                report.articles,
                report.pages,
                report.files,
                report.bytes as f64 / 1e6,
                report.output.display(),
                report.elapsed.as_secs_f64(),
                c.added,
                c.changed,
                c.removed,
                c.unchanged
            );
            Ok(())
        }
    }
}
