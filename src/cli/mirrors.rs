//! `sitegen mirrors update` and `sitegen mirrors check`: the signed list
//! of the site's addresses, rotated without a rebuild, and each address
//! judged as a reader would reach it.

use super::args::{MirrorsCheckArgs, MirrorsUpdateArgs};
use super::print_warnings;
use crate::load::config::BuildOptions;
use crate::publish::verify;

/// `sitegen mirrors update`: a build that issues a new mirror list and may
/// change only the files that carry it.
pub(super) fn update(args: &MirrorsUpdateArgs) -> crate::Result<()> {
    let opts = BuildOptions {
        root: args.root.root.clone(),
        output: args.output.as_deref().map(|o| args.root.at(o)),
        sign: Some(args.root.at(&args.key)),
        mirrors_update: true,
        ..BuildOptions::default()
    };
    let report = crate::build::build(&opts)?;
    print_warnings(&report.warnings);
    let list = crate::publish::mirror_list::read_in(&report.output)
        .ok_or_else(|| crate::Error::Output("the build left no mirror list".into()))?;
    let c = &report.changes;
    println!(
        "Issued the mirror list: {} addresses, sequence {}, valid until {}; {} files changed, {} new, {} removed",
        list.list.mirrors.len(),
        list.list.sequence,
        list.list.expires,
        c.changed,
        c.added,
        c.removed
    );
    super::keys::print_signature(&args.root.at(&args.key), &report.output)
}

/// `sitegen mirrors check`: every address the site lists, judged against
/// the key and the local output.
pub(super) fn check(args: &MirrorsCheckArgs) -> crate::Result<()> {
    use crate::publish::mirror_check::{self, Local};
    let output = args.output.as_deref().map(|o| args.root.at(o));
    let opts = BuildOptions { root: args.root.root.clone(), output, ..BuildOptions::default() };
    let (cfg, _) = crate::load::config::Config::load(&opts)?;
    let key = match &args.pubkey {
        Some(k) => super::keys::public_key(&args.root, k).map_err(crate::Error::Key)?,
        None => cfg.public_key.ok_or_else(|| {
            crate::Error::Key(
                "give --pubkey, or set public_key in site.yaml: a mirror is judged by its signature".into(),
            )
        })?,
    };
    let local = Local::read(&cfg.output_dir, &key)?;
    let scope = match args.all {
        true => verify::Scope::All,
        false => mirror_check::sample()?,
    };
    let urls = std::iter::once(cfg.primary_url.clone()).chain(cfg.listed.iter().map(|m| m.url.clone()));
    let reports: Vec<mirror_check::Report> = urls.map(|u| mirror_check::check(&u, &key, &local, scope)).collect();
    if args.json {
        let json = serde_json::json!({
            "local": {"sequence": local.sequence, "list_sequence": local.list_sequence},
            "mirrors": reports,
        });
        println!("{}", serde_json::to_string_pretty(&json).unwrap_or_default());
    } else {
        for r in &reports {
            let state = serde_json::to_value(&r.state).ok().and_then(|v| v.as_str().map(str::to_string));
            let list = r.list_sequence.map_or(String::new(), |s| format!("; mirror list {s}"));
            println!("{:<14} {}  {}{list}", state.unwrap_or_default(), r.url, r.detail);
            for f in r.bad_files.iter().take(10) {
                println!("               does not match: {f}");
            }
        }
    }
    let bad = reports.iter().filter(|r| r.is_bad()).count();
    match bad {
        0 => Ok(()),
        n => Err(crate::Error::Verify(format!(
            "{n} of {} mirrors serve a copy readers must not trust (a bad signature or changed files)",
            reports.len()
        ))),
    }
}
