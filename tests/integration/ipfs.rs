//! The site's IPFS CID is the one `ipfs-car pack DIR --no-wrap` computes
//! (npm's ipfs-car, installed by `.ci/run`), for the sample site, a folder
//! of thousands of files (a sharded directory) and a file of several
//! chunks; and the CAR file holds every block.

use crate::clients;
use crate::common::TestSite;
use std::path::Path;
use std::process::Command;

/// `ipfs-car pack DIR --no-wrap`'s CID.
pub fn reference_cid(js: &Path, dir: &Path) -> String {
    let car = dir.parent().unwrap().join("reference.car");
    let out =
        Command::new("node").arg(js).arg("pack").arg(dir).args(["--no-wrap", "--output"]).arg(&car).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn the_build_prints_the_cid_ipfs_car_computes() {
    let Some(js) = clients::ipfs_car("ipfs::the_build_prints_the_cid_ipfs_car_computes") else { return };
    let site = TestSite::sample();
    let out = site.run(&["build"]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let printed = stdout.lines().find_map(|l| l.strip_prefix("CID: ")).expect("a CID line").to_string();
    assert!(printed.starts_with("bafy"));
    assert_eq!(printed, reference_cid(&js, &site.out()));
}

/// Three folders whose CIDs stand for the three shapes of UnixFS data:
/// a plain folder, a folder of more than 1,000 entries (a HAMT shard) and
/// a file of several 1 MiB chunks.
fn cid_fixtures(root: &Path) -> [std::path::PathBuf; 3] {
    let plain = root.join("plain");
    std::fs::create_dir_all(plain.join("news/a")).unwrap();
    std::fs::write(plain.join("index.html"), "<p>home</p>").unwrap();
    std::fs::write(plain.join("news/a/index.html"), "<p>a</p>").unwrap();
    std::fs::write(plain.join("news/ф.txt"), "файл").unwrap();
    let sharded = root.join("sharded");
    std::fs::create_dir_all(sharded.join("many")).unwrap();
    for i in 0..3000 {
        std::fs::write(sharded.join(format!("many/page-{i:05}.html")), format!("<p>{i}</p>")).unwrap();
    }
    std::fs::write(sharded.join("index.html"), "home").unwrap();
    let chunked = root.join("chunked");
    std::fs::create_dir_all(chunked.join("big")).unwrap();
    let big: Vec<u8> = (0..2_621_440u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(chunked.join("big/file.bin"), &big).unwrap();
    // ipfs-car packs a folder that holds a single file as that file alone.
    std::fs::write(chunked.join("index.html"), "home").unwrap();
    [plain, sharded, chunked]
}

/// What `ipfs-car pack DIR --no-wrap` (ipfs-car 3.1) printed for each
/// folder of `cid_fixtures`; the test below checks them again wherever
/// ipfs-car is installed.
const PINNED_CIDS: [&str; 3] = [PLAIN_CID, SHARDED_CID, CHUNKED_CID];
const PLAIN_CID: &str = "bafybeihvg3omf6lp2kggtgpqoznk5627hllagmhabwhbnm3cezjrobgtam";
const SHARDED_CID: &str = "bafybeigv7hvsp3dsaf2o23x4q3227qew4r3a7xywbbx4xb7m4tewgr756q";
const CHUNKED_CID: &str = "bafybeigqvbk37dkkebfvc7b4qoe6ubonqw4nm6fewj4x6p6ru7apea6gxa";

#[test]
fn cids_of_plain_sharded_and_chunked_folders_are_ipfs_car_s() {
    let tmp = tempfile::tempdir().unwrap();
    for (dir, pinned) in cid_fixtures(tmp.path()).iter().zip(PINNED_CIDS) {
        let cid = sitegen::publish::unixfs::folder_cid(dir, None).unwrap().to_string();
        assert_eq!(cid, pinned, "{}", dir.display());
    }
}

#[test]
fn pinned_cids_are_what_ipfs_car_computes_and_the_car_reads_back() {
    let test = "ipfs::pinned_cids_are_what_ipfs_car_computes_and_the_car_reads_back";
    let Some(js) = clients::ipfs_car(test) else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dirs = cid_fixtures(tmp.path());
    for (dir, pinned) in dirs.iter().zip(PINNED_CIDS) {
        assert_eq!(reference_cid(&js, dir), pinned, "{}", dir.display());
    }
    let car = tmp.path().join("sharded.car");
    let cid = sitegen::publish::unixfs::folder_cid(&dirs[1], Some(&car)).unwrap().to_string();
    let roots = Command::new("node").arg(&js).arg("roots").arg(&car).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&roots.stdout).trim(), cid);
    let ls = Command::new("node").arg(&js).arg("ls").arg(&car).output().unwrap();
    assert!(ls.status.success(), "{}", String::from_utf8_lossy(&ls.stderr));
    assert_eq!(String::from_utf8_lossy(&ls.stdout).lines().count(), 3000 + 3, "every file and folder is in the CAR");
}
