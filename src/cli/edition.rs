//! `sitegen edition`: the period's articles as one file a reader can pass
//! on, or as the newsletter message; and the check of such a file, for
//! `sitegen verify FILE.html`.

use super::args::{EditionArgs, Root};
use super::print_warnings;
use crate::edition::{self, Addresses, Options};
use crate::load::config::BuildOptions;
use std::path::{Path, PathBuf};

pub(super) fn edition(args: &EditionArgs) -> crate::Result<()> {
    let opts = Options {
        build: BuildOptions {
            root: args.root.root.clone(),
            mirror: args.mirror.clone(),
            now: args.now,
            ..BuildOptions::default()
        },
        lang: args.lang.clone(),
        since: args.since,
        until: args.until,
        max_kb: args.max_kb,
        sign: args.sign.as_deref().map(|k| args.root.at(k)),
        discreet: args.discreet,
        email: args.email.then(|| Addresses { from: args.from.clone(), to: args.to.clone() }),
    };
    if opts.max_kb < 64 {
        return Err(crate::Error::Options(format!("--max-kb {}: give at least 64 (KB)", opts.max_kb)));
    }
    let made = edition::make(&opts)?;
    // `-o` a folder: the edition goes in it, under its own name.
    let path = match args.output.as_deref().map(|o| args.root.at(o)) {
        Some(dir) if dir.is_dir() => dir.join(&made.file_name),
        Some(file) => file,
        None => args.root.root.join(&made.file_name),
    };
    write_replacing_own(&path, &made.bytes)?;
    print_warnings(&made.warnings);
    let photos = match (made.photos, made.photo_width) {
        (0, _) => String::new(),
        (n, Some(w)) => format!(", {n} photo{} at up to {w} px", if n == 1 { "" } else { "s" }),
        (n, None) => format!(", {n} image{}", if n == 1 { "" } else { "s" }),
    };
    println!(
        "Wrote {}: {} article{} from {} to {}, {} KB{photos}",
        crate::urls::tidy(&path).display(),
        made.articles,
        if made.articles == 1 { "" } else { "s" },
        made.since.format("%Y-%m-%d %H:%M UTC"),
        made.until.format("%Y-%m-%d %H:%M UTC"),
        made.bytes.len().div_ceil(1024),
    );
    if let Some(f) = &made.signed_by {
        println!("Signed with key {f}");
    }
    Ok(())
}

/// Writes `bytes` to `path` in one step (a reader never finds half a file),
/// replacing only a file an edition left there before: nothing else is lost
/// to a mistyped `-o`.
fn write_replacing_own(path: &Path, bytes: &[u8]) -> crate::Result<()> {
    if path.is_dir() {
        return Err(crate::Error::Options(format!("{}: is a folder; give a file name", path.display())));
    }
    if path.exists() {
        let old = crate::fs::read(path)?;
        let ours = memchr::memmem::find(&old, crate::publish::seal::OPEN.as_bytes()).is_some()
            || memchr::memmem::find(&old, b"boundary=\"=_sitegen_").is_some();
        if !ours {
            return Err(crate::Error::Options(format!(
                "{} exists and is not an edition sitegen made: remove it or give another -o",
                path.display()
            )));
        }
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    crate::fs::create_dir_all(&dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| crate::Error::io(&dir, e))?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(|e| crate::Error::io(path, e))?;
    // A file to pass on, readable as any other (the temporary file's
    // default is its owner's eyes only).
    #[cfg(unix)]
    std::fs::set_permissions(tmp.path(), std::os::unix::fs::PermissionsExt::from_mode(0o644))
        .map_err(|e| crate::Error::io(tmp.path(), e))?;
    tmp.persist(path).map_err(|e| crate::Error::io(path, e.error))?;
    Ok(())
}

/// `sitegen verify FILE.html`: the edition against its seal, and its
/// signature against `--pubkey` when given.
pub(super) fn verify(root: &Root, file: &Path, pubkey: Option<&str>) -> crate::Result<()> {
    use crate::publish::seal::{self, Broken};
    let key = pubkey.map(|k| super::keys::public_key(root, k)).transpose().map_err(crate::Error::Key)?;
    let bytes = crate::fs::read(file)?;
    let shown = file.display();
    match seal::check(&bytes, key.as_ref()) {
        Ok(c) => {
            println!("{shown}: intact, {} bytes as sealed (SHA-256 {})", c.bytes, c.sha256);
            match (c.signed_by, key) {
                (Some(k), Some(_)) => println!("Signature: good, key {}", crate::publish::signing::fingerprint(&k)),
                (Some(k), None) => println!(
                    "Signature: good for the key the file names ({}); give --pubkey to check it is the newsroom's",
                    crate::publish::signing::fingerprint(&k)
                ),
                (None, _) => println!("Signature: none (the file is not signed; anyone could have sealed it)"),
            }
            Ok(())
        }
        Err(Broken::Changed { ranges, sealed_len, len }) => {
            let at: Vec<String> = ranges.iter().take(5).map(|r| format!("bytes {}–{}", r.start, r.end - 1)).collect();
            let more = if ranges.len() > 5 { format!(" and {} more ranges", ranges.len() - 5) } else { String::new() };
            let length =
                if sealed_len != len { format!("; it was {sealed_len} bytes, it is {len}") } else { String::new() };
            Err(crate::Error::Verify(format!(
                "{shown} was changed after it was sealed: {}{more} differ{length}",
                at.join(", ")
            )))
        }
        Err(Broken::Signature(e)) => Err(crate::Error::Verify(format!("{shown}: the bytes are as sealed, but {e}"))),
        Err(Broken::Unsigned) => Err(crate::Error::Verify(format!("{shown} is not signed, so it cannot be the key's"))),
        Err(Broken::NoSeal(e)) => Err(crate::Error::Verify(format!("{shown}: {e}"))),
    }
}
