//! `sitegen check`: everything a build verifies, with nothing written to
//! the site folder: the build runs into a temporary folder outside it,
//! which is then removed. For CI and for a writer before publishing.

use super::args::CheckArgs;
use super::print_warnings;
use crate::load::config::BuildOptions;

pub(super) fn check(args: &CheckArgs) -> crate::Result<()> {
    let scratch = tempfile::Builder::new()
        .prefix("sitegen-check-")
        .tempdir()
        .map_err(|e| crate::Error::Output(format!("no temporary folder to check the build in: {e}")))?;
    let opts = BuildOptions {
        root: args.root.root.clone(),
        output: Some(scratch.path().join("site")),
        base_url: args.base_url.clone(),
        mirror: args.mirror.clone(),
        drafts: args.drafts,
        no_cache: true,
        strict: args.strict,
        now: args.schedule.now,
        future: args.schedule.future,
        ..BuildOptions::default()
    };
    let report = crate::build::build(&opts)?;
    print_warnings(&report.warnings);
    println!(
        "Checked {} articles and {} pages: no errors, {} warning{}",
        report.articles,
        report.pages,
        report.warnings.len(),
        if report.warnings.len() == 1 { "" } else { "s" }
    );
    Ok(())
}
