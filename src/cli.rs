//! The command line: every command and its flags, turned into the options
//! of the stage that runs it, and what each command prints when done.

use crate::load::config::BuildOptions;
use crate::publish::verify;
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
    /// Build, serve a live preview, and rebuild on every save.
    Watch(WatchArgs),
    /// Pack the built site as <name>.zip and <name>.tar.gz, to pass by hand.
    Archive(ArchiveArgs),
    /// Make an Ed25519 key pair for signing the site's manifest.
    Keygen(KeygenArgs),
    /// Sign the built site's manifest (writes manifest.json.sig).
    Sign(SignArgs),
    /// Check a copy (folder, zip or http(s) address) against its manifest.
    Verify(VerifyArgs),
    /// Rotate the signed mirror list, or check the mirrors it names.
    Mirrors(MirrorsArgs),
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
    Update(MirrorsUpdateArgs),
    /// Fetch each listed mirror's manifest and signature and report whether
    /// it is reachable, genuine and current (exit 1 on a bad signature or a
    /// changed file).
    Check(MirrorsCheckArgs),
}

#[derive(clap::Args, Debug)]
pub struct MirrorsUpdateArgs {
    /// The site folder: holds site.yaml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The built site (default: <root>/public).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// The secret key file made by `sitegen keygen`.
    #[arg(long, value_name = "KEYFILE")]
    pub key: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct MirrorsCheckArgs {
    /// The site folder: holds site.yaml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
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
    /// The site folder: holds site.yaml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Port to serve on; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; only 127.0.0.1 unless you say otherwise.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Serve under a random /ipfs/<id>/ path, so a link that would break on a
    /// mirror breaks while writing.
    #[arg(long)]
    pub prefix: bool,
    /// Show drafts (the default while watching).
    #[arg(long, overrides_with = "no_drafts")]
    pub drafts: bool,
    /// Leave drafts out.
    #[arg(long, overrides_with = "drafts")]
    pub no_drafts: bool,
    /// Where to write the preview (default: a temporary folder).
    #[arg(long)]
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
    /// outside any site); the public key goes beside it, as <FILE>.pub.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The site folder: the key may not be written into its content/,
    /// static/, themes/ or templates/, which are published.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct SignArgs {
    /// The secret key file made by `sitegen keygen`.
    #[arg(long)]
    pub key: PathBuf,
    /// The built site.
    #[arg(long, default_value = "public")]
    pub site: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// A folder, a zip or tar.gz file, or a mirror's http(s):// address.
    pub target: String,
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
    /// Replace the output folder even if sitegen did not build it.
    #[arg(long)]
    pub force: bool,
    /// Also write the site as a CAR file for IPFS (`ipfs dag import`, pinning services).
    #[arg(long)]
    pub car: Option<PathBuf>,
    /// Include articles marked `draft: true`.
    #[arg(long)]
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
}

impl BuildArgs {
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            mirror: self.mirror.clone(),
            pretty_urls: self.pretty_urls.then_some(true),
            car: self.car.clone(),
            force: self.force,
            drafts: self.drafts,
            threads: self.jobs,
            no_cache: self.no_cache,
            sign: self.sign.clone(),
            mirrors_update: false,
            strict: self.strict,
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
        Command::Keygen(args) => keygen(&args),
        Command::Watch(args) => crate::watch::run(crate::watch::WatchOptions {
            build: BuildOptions {
                root: args.root,
                output: args.output,
                drafts: args.drafts || !args.no_drafts,
                ..BuildOptions::default()
            },
            bind: args.bind,
            port: args.port,
            prefix: args.prefix,
            open: args.open,
            timings: args.timings,
        }),
        Command::Sign(args) => {
            use crate::publish::signing;
            let signer = signing::KeyFile::open(&args.key)?;
            let manifest_path = args.site.join(crate::publish::manifest::JSON);
            let manifest = crate::fs::read(&manifest_path)?;
            let sig_path = args.site.join(signing::SIG_FILE);
            let replaced = std::fs::read_to_string(&sig_path).ok();
            let (sig, signed) = signer.sign(&manifest, replaced.as_deref())?;
            crate::fs::write(&sig_path, sig.as_bytes())?;
            println!(
                "Signed {} with key {} (sequence {})",
                manifest_path.display(),
                signing::fingerprint(&signer.public()),
                signed.sequence
            );
            Ok(())
        }
        Command::Verify(args) => verify(&args),
        Command::Mirrors(MirrorsArgs { action: MirrorsAction::Update(args) }) => mirrors_update(&args),
        Command::Mirrors(MirrorsArgs { action: MirrorsAction::Check(args) }) => mirrors_check(&args),
        Command::Archive(args) => {
            let a = crate::publish::archive::write(&args.site, &args.to, &args.name)?;
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
            if let Some(cid) = &report.cid {
                println!("CID: {cid}");
            }
            if let Some(key) = &args.sign {
                print_signature(key, &report.output)?;
            }
            Ok(())
        }
    }
}

/// `sitegen mirrors update`: a build that issues a new mirror list and may
/// change only the files that carry it.
fn mirrors_update(args: &MirrorsUpdateArgs) -> crate::Result<()> {
    let opts = BuildOptions {
        root: args.root.clone(),
        output: args.output.clone(),
        sign: Some(args.key.clone()),
        mirrors_update: true,
        ..BuildOptions::default()
    };
    let output = opts.output.clone().unwrap_or_else(|| opts.root.join("public"));
    if crate::publish::manifest::read_in(&output).is_none() {
        return Err(crate::Error::Output(format!(
            "{}: no built site to update; run `sitegen build --sign KEYFILE` first",
            output.display()
        )));
    }
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
    print_signature(&args.key, &report.output)
}

/// Says whose signature a signed build carries, checked again as a reader
/// would check it.
fn print_signature(key: &std::path::Path, output: &std::path::Path) -> crate::Result<()> {
    use crate::publish::signing;
    let public = signing::KeyFile::open(key)?.public();
    let manifest = crate::fs::read(&output.join(crate::publish::manifest::JSON))?;
    let sig = crate::fs::read_to_string(&output.join(signing::SIG_FILE))?;
    let signed = signing::check(&public, &manifest, &sig).map_err(crate::Error::Key)?;
    let sequence = signed.map_or_else(|| "none".to_string(), |s| s.sequence.to_string());
    println!("Signed with key {} (sequence {sequence})", signing::fingerprint(&public));
    Ok(())
}

/// `sitegen mirrors check`: every address the site lists, judged against
/// the key and the local output.
fn mirrors_check(args: &MirrorsCheckArgs) -> crate::Result<()> {
    use crate::publish::mirror_check::{self, Local};
    let opts = BuildOptions { root: args.root.clone(), output: args.output.clone(), ..BuildOptions::default() };
    let (cfg, _) = crate::load::config::Config::load(&opts)?;
    let key = match &args.pubkey {
        Some(k) => crate::publish::signing::parse_public(k).map_err(crate::Error::Key)?,
        None => cfg.public_key.ok_or_else(|| {
            crate::Error::Key(
                "give --pubkey, or set public_key in site.yaml: a mirror is judged by its signature".into(),
            )
        })?,
    };
    let local = Local::read(&cfg.output_dir, &key)?;
    let scope = if args.all { verify::Scope::All } else { verify::Scope::Sample(mirror_check::SAMPLE) };
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

fn keygen(args: &KeygenArgs) -> crate::Result<()> {
    let out = match &args.out {
        Some(out) => out.clone(),
        None => default_key_path()?,
    };
    // The key must never be published: not into the folders a build copies.
    if let Some(folder) = crate::load::scan::source_folders(&args.root)
        .iter()
        .find(|f| crate::fs::resolved(&out).starts_with(crate::fs::resolved(f)))
    {
        return Err(crate::Error::Key(format!(
            "{} is inside {}, which is published; write the key outside the site",
            out.display(),
            folder.display()
        )));
    }
    let public_path = out.with_extension("pub");
    for p in [&out, &public_path] {
        if p.exists() {
            return Err(crate::Error::Key(format!("{} exists; a key is never overwritten", p.display())));
        }
    }
    let key = crate::publish::signing::generate()?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        crate::fs::create_dir_all(parent)?;
    }
    write_private(&out, crate::publish::signing::secret_to_text(&key).as_bytes())?;
    let public = crate::publish::signing::public_to_text(&key.verifying_key());
    crate::fs::write(&public_path, format!("{public}\n").as_bytes())?;
    println!("Secret key: {} (keep it off the web server and out of the site folder)", out.display());
    println!("Public key: {public} (also in {})", public_path.display());
    println!("Fingerprint: {}", crate::publish::signing::fingerprint(&key.verifying_key()));
    println!("Add `public_key: \"{public}\"` to site.yaml to publish it on the mirrors page.");
    Ok(())
}

/// `$XDG_CONFIG_HOME/sitegen/sitegen.key`, else `~/.config/sitegen/sitegen.key`.
fn default_key_path() -> crate::Result<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .ok_or_else(|| crate::Error::Key("no home folder to keep the key in; give --out FILE".into()))?;
    Ok(config.join("sitegen").join("sitegen.key"))
}

/// Creates a file only its owner can read.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> crate::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path).map_err(|e| crate::Error::io(path, e))?;
    f.write_all(bytes).map_err(|e| crate::Error::io(path, e))
}

fn verify(args: &VerifyArgs) -> crate::Result<()> {
    let key =
        args.pubkey.as_deref().map(crate::publish::signing::parse_public).transpose().map_err(crate::Error::Key)?;
    let newer_than = args.newer_than.as_deref().map(parse_point).transpose()?;
    let target = verify::Target::open(&args.target)?;
    let r = verify::verify(&target, key.as_ref())?;
    for (what, list) in [("missing", &r.missing), ("changed", &r.changed), ("extra", &r.extra), ("refused", &r.refused)]
    {
        for p in list {
            println!("{what}: {p}");
        }
    }
    let mut stale = None;
    match (&r.signed_by, &r.signed) {
        (Some(f), Some(s)) => {
            let when = chrono::DateTime::from_timestamp(s.at, 0).map(|t| t.to_rfc3339()).unwrap_or_default();
            println!("Signature: good, key {f}; sequence {}, signed {when}", s.sequence);
            let age_days = (chrono::Utc::now().timestamp() - s.at) as f64 / 86_400.0;
            if let Some(max) = args.max_age.filter(|&max| age_days > max) {
                stale = Some(format!("signed {age_days:.1} days ago, more than --max-age {max}"));
            }
            match newer_than {
                Some(Point::Sequence(n)) if s.sequence <= n => {
                    stale = Some(format!("sequence {} is not newer than {n}", s.sequence))
                }
                Some(Point::Time(t)) if s.at <= t => stale = Some(format!("signed {when}, not after the time given")),
                _ => {}
            }
        }
        (Some(f), None) => {
            println!("Signature: good, key {f}; it carries no time or sequence (signed by an older sitegen)");
            if args.max_age.is_some() || newer_than.is_some() {
                stale = Some("its signature carries no time or sequence to compare".into());
            }
        }
        _ => println!("Signature: not checked (give --pubkey to check it)"),
    }
    let extra = if r.listed { r.extra.len().to_string() } else { "not checked over HTTP".to_string() };
    println!(
        "{} files checked: {} missing, {} changed, {} extra ({extra}), {} refused",
        r.checked,
        r.missing.len(),
        r.changed.len(),
        r.extra.len(),
        r.refused.len()
    );
    if !r.ok() {
        return Err(crate::Error::Verify(format!("{} is not a true copy", args.target)));
    }
    match stale {
        Some(why) => Err(crate::Error::Verify(format!("{} is an old copy: {why}", args.target))),
        None => Ok(()),
    }
}

/// A point to compare a signature with: its sequence, or its time.
enum Point {
    Sequence(u64),
    Time(i64),
}

fn parse_point(text: &str) -> crate::Result<Point> {
    if let Ok(n) = text.trim().parse::<u64>() {
        return Ok(Point::Sequence(n));
    }
    crate::load::dates::parse(text)
        .map(|d| Point::Time(d.timestamp()))
        .map_err(|e| crate::Error::Options(format!("--newer-than: {e}, or a sequence number")))
}
