//! `sitegen archive` writes a zip and a tar.gz that other tools read: GNU
//! tar unpacks the tar.gz and Python's zipfile tests and unpacks the zip,
//! and what comes out is, file for file, what the manifest lists. See:
//! #11 (7).

use crate::common::{tree, TestSite};
use std::path::Path;
use std::process::Command;

/// The unpacked `site/` folder holds exactly the manifest's files (and the
/// manifest files themselves), each with its size and hash.
fn assert_matches_manifest(unpacked: &Path, what: &str) {
    let files = tree(unpacked);
    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let listed = manifest["files"].as_array().unwrap();
    for f in listed {
        let path = f["path"].as_str().unwrap();
        let bytes = files.get(path).unwrap_or_else(|| panic!("{what}: {path} missing"));
        assert_eq!(bytes.len() as u64, f["size"].as_u64().unwrap(), "{what}: {path} size");
        assert_eq!(sitegen::publish::manifest::sha256_hex(bytes), f["sha256"].as_str().unwrap(), "{what}: {path} hash");
    }
    assert_eq!(files.len(), listed.len() + 2, "{what}: files beyond the manifest and its two files");
    assert!(listed.len() > 50, "{what}: {} files", listed.len());
}

#[test]
fn the_archives_unpack_with_other_tools_to_what_the_manifest_lists() {
    let site = TestSite::sample();
    site.built();
    let out = site.run(&["archive", "--to", "dist"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let dist = site.root.join("dist");

    let tar_dest = site.root.join("from-tar");
    std::fs::create_dir_all(&tar_dest).unwrap();
    let tar = Command::new("tar").arg("-xzf").arg(dist.join("site.tar.gz")).arg("-C").arg(&tar_dest).output();
    let tar = tar.expect("GNU tar runs");
    assert!(tar.status.success(), "tar: {}", String::from_utf8_lossy(&tar.stderr));
    assert_matches_manifest(&tar_dest.join("site"), "tar.gz");

    let zip_dest = site.root.join("from-zip");
    let script = "import sys, zipfile\n\
                  z = zipfile.ZipFile(sys.argv[1])\n\
                  bad = z.testzip()\n\
                  assert bad is None, 'bad CRC in ' + bad\n\
                  z.extractall(sys.argv[2])\n";
    let py = Command::new("python3").args(["-c", script]).arg(dist.join("site.zip")).arg(&zip_dest).output();
    let py = py.expect("python3 runs");
    assert!(py.status.success(), "zipfile: {}", String::from_utf8_lossy(&py.stderr));
    assert_matches_manifest(&zip_dest.join("site"), "zip");
}
