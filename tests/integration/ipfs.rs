//! The site's IPFS CID is the one `ipfs-car pack DIR --no-wrap` computes
//! (npm's ipfs-car, installed by `.ci/run`), for the sample site, a folder
//! of thousands of files (a sharded directory) and a file of several
//! chunks; and the CAR file holds every block.

use crate::common::TestSite;
use std::path::{Path, PathBuf};
use std::process::Command;

fn ipfs_car() -> Option<PathBuf> {
    let js = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/ci-tools/node_modules/ipfs-car/bin.js");
    if js.is_file() {
        return Some(js);
    }
    assert!(std::env::var_os("CI").is_none(), "CI must install ipfs-car (see .ci/run)");
    eprintln!("ipfs-car not installed: run .ci/run once to install it");
    None
}

/// `ipfs-car pack DIR --no-wrap`'s CID.
fn reference_cid(js: &Path, dir: &Path) -> String {
    let car = dir.parent().unwrap().join("reference.car");
    let out =
        Command::new("node").arg(js).arg("pack").arg(dir).args(["--no-wrap", "--output"]).arg(&car).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn the_build_prints_the_cid_ipfs_car_computes() {
    let Some(js) = ipfs_car() else { return };
    let site = TestSite::sample();
    let out = site.run(&["build"]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let printed = stdout.lines().find_map(|l| l.strip_prefix("CID: ")).expect("a CID line").to_string();
    assert!(printed.starts_with("bafy"));
    assert_eq!(printed, reference_cid(&js, &site.out()));
}

#[test]
fn sharded_folders_and_large_files_match_and_the_car_reads_back() {
    let Some(js) = ipfs_car() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    std::fs::create_dir_all(dir.join("many")).unwrap();
    std::fs::create_dir_all(dir.join("big")).unwrap();
    for i in 0..3000 {
        std::fs::write(dir.join(format!("many/page-{i:05}.html")), format!("<p>{i}</p>")).unwrap();
    }
    let big: Vec<u8> = (0..2_621_440u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(dir.join("big/file.bin"), &big).unwrap();
    std::fs::write(dir.join("index.html"), "home").unwrap();
    let car = tmp.path().join("site.car");
    let cid = sitegen::ipfs::folder_cid(&dir, Some(&car)).unwrap().to_string();
    assert_eq!(cid, reference_cid(&js, &dir));
    let roots = Command::new("node").arg(&js).arg("roots").arg(&car).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&roots.stdout).trim(), cid);
    let ls = Command::new("node").arg(&js).arg("ls").arg(&car).output().unwrap();
    assert!(ls.status.success(), "{}", String::from_utf8_lossy(&ls.stderr));
    assert_eq!(String::from_utf8_lossy(&ls.stdout).lines().count(), 3000 + 5, "every file and folder is in the CAR");
}
