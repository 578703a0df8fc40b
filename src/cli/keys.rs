//! The commands of keys and signatures: `keygen`, `sign`, `verify`, and
//! what a signed build prints.

use super::args::{KeygenArgs, Root, SignArgs, VerifyArgs};
use crate::publish::verify;
use std::path::{Path, PathBuf};

/// `sitegen sign`: signs a built site's manifest after the fact.
pub(super) fn sign(args: &SignArgs) -> crate::Result<()> {
    use crate::publish::signing;
    let site = args.root.output(args.site.as_deref());
    // The site's own `public_key`, when the root holds a site that names one.
    let site_key = match args.root.root.join(crate::load::config::CONFIG_FILE).is_file() {
        true => {
            let opts = crate::load::config::BuildOptions { root: args.root.root.clone(), ..Default::default() };
            crate::load::config::Config::load(&opts)?.0.public_key
        }
        false => None,
    };
    let signer = signing::KeyFile::open_for_site(&args.root.at(&args.key), site_key.as_ref())?;
    let manifest_path = site.join(crate::publish::manifest::JSON);
    let manifest = crate::fs::read(&manifest_path)?;
    let sig_path = site.join(signing::SIG_FILE);
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

/// Says whose signature a signed build carries, checked again as a reader
/// would check it.
pub(super) fn print_signature(key: &std::path::Path, output: &std::path::Path) -> crate::Result<()> {
    use crate::publish::signing;
    let public = signing::KeyFile::open(key)?.public();
    let manifest = crate::fs::read(&output.join(crate::publish::manifest::JSON))?;
    let sig = crate::fs::read_to_string(&output.join(signing::SIG_FILE))?;
    let signed = signing::check(&public, &manifest, &sig).map_err(crate::Error::Key)?;
    let sequence = signed.map_or_else(|| "none".to_string(), |s| s.sequence.to_string());
    println!("Signed with key {} (sequence {sequence})", signing::fingerprint(&public));
    Ok(())
}

pub(super) fn keygen(args: &KeygenArgs) -> crate::Result<()> {
    let out = match &args.out {
        Some(out) => args.root.at(out),
        None => default_key_path()?,
    };
    // The key must never be published: not into the folders a build copies.
    if let Some(folder) = crate::load::scan::source_folders(&args.root.root)
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

pub(super) fn verify(args: &VerifyArgs) -> crate::Result<()> {
    let as_file = args.root.at(Path::new(&args.target));
    let html = as_file.extension().is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if html && as_file.is_file() && !args.target.contains("://") {
        if args.newer_than.is_some() || args.max_age.is_some() {
            return Err(crate::Error::Options(
                "--newer-than and --max-age are for a site's signed manifest, not an edition".into(),
            ));
        }
        return super::edition::verify(&args.root, &as_file, args.pubkey.as_deref());
    }
    let key = args.pubkey.as_deref().map(|k| public_key(&args.root, k)).transpose().map_err(crate::Error::Key)?;
    let newer_than = args.newer_than.as_deref().map(parse_point).transpose()?;
    let target = match args.target.contains("://") {
        true => verify::Target::open(&args.target)?,
        false => verify::Target::open(&args.root.at(Path::new(&args.target)).to_string_lossy())?,
    };
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

/// A public key given as `ed25519:…`, or as a file relative to the site.
pub(super) fn public_key(root: &Root, arg: &str) -> std::result::Result<ed25519_dalek::VerifyingKey, String> {
    match crate::publish::signing::is_key_text(arg) {
        true => crate::publish::signing::parse_public(arg),
        false => crate::publish::signing::parse_public(&root.at(Path::new(arg)).to_string_lossy()),
    }
}
