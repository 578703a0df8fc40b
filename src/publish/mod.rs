//! Publish: the formats of a published copy, used by the build and by the
//! tools that move and check copies. The manifest of every file's hash
//! (`manifest`), its Ed25519 signature (`signing`), the IPFS CID and CAR
//! file (`unixfs`, `car`, sharing `cid`), zip and tar.gz archives
//! (`archive`), the check of a copy against them (`verify`, reading
//! every name of a zip with `zip_names`), the signed list of the site's
//! addresses (`mirror_list`), and the formats of an edition that travels
//! without the site: its seal (`seal`) and the email message (`email`).

pub mod archive;
pub mod car;
pub mod cid;
pub mod email;
pub mod manifest;
pub mod mirror_check;
pub mod mirror_list;
pub mod seal;
pub mod signing;
pub mod unixfs;
pub mod verify;
pub mod zip_names;
