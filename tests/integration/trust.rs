//! Keys, signatures and `verify`: a true copy passes, and every change,
//! missing file, added file or wrong key is caught, in a folder, a zip and
//! a mirror over HTTP.

use crate::common::TestSite;
use crate::gateway::PrefixServer;

/// Builds and signs the fixture; returns the site and the public key text.
fn signed_site() -> (TestSite, String) {
    let site = TestSite::fixture("signing");
    site.built();
    let out = site.run(&["keygen", "--out", "newsroom.key"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let public = std::fs::read_to_string(site.root.join("newsroom.pub")).unwrap().trim().to_string();
    assert!(public.starts_with("ed25519:"));
    let out = site.run(&["sign", "--key", "newsroom.key"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(site.exists("manifest.json.sig"));
    (site, public)
}

fn verify(site: &TestSite, target: &str, key: Option<&str>) -> (bool, String) {
    let mut args = vec!["verify", target];
    if let Some(k) = key {
        args.extend(["--pubkey", k]);
    }
    let out = site.run(&args);
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn a_true_copy_verifies_with_its_signature() {
    let (site, key) = signed_site();
    let (ok, text) = verify(&site, "public", Some(&key));
    assert!(ok, "{text}");
    assert!(text.contains("Signature: good, key "), "{text}");
    assert!(text.contains("0 missing, 0 changed, 0 extra"), "{text}");
}

#[test]
fn changed_missing_and_added_files_are_caught() {
    let (site, key) = signed_site();
    std::fs::write(site.out().join("news/story/index.html"), "<p>tampered</p>").unwrap();
    std::fs::remove_file(site.out().join("rss.xml")).unwrap();
    std::fs::write(site.out().join("news/injected.js"), "alert(1)").unwrap();
    let (ok, text) = verify(&site, "public", Some(&key));
    assert!(!ok);
    for line in ["changed: news/story/index.html", "missing: rss.xml", "extra: news/injected.js"] {
        assert!(text.contains(line), "{line} in {text}");
    }
    assert!(text.contains("error: verify: public is not a true copy"), "{text}");
}

#[test]
fn a_forged_manifest_or_another_key_fails_the_signature() {
    let (site, key) = signed_site();
    let other = site.run(&["keygen", "--out", "other.key"]);
    assert!(other.status.success());
    let other_key = std::fs::read_to_string(site.root.join("other.pub")).unwrap();
    let (ok, text) = verify(&site, "public", Some(other_key.trim()));
    assert!(!ok && text.contains("signature: the signature does not match"), "{text}");
    // A mirror that alters a page and makes the manifest (and SHA256SUMS)
    // match it: every file checks out, only the signature catches it.
    let manifest = std::fs::read_to_string(site.out().join("manifest.json")).unwrap();
    let page = "news/story/index.html";
    let forged_page = b"<p>A story the newsroom never published.</p>";
    std::fs::write(site.out().join(page), forged_page).unwrap();
    let mut m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let entry = m["files"].as_array_mut().unwrap().iter_mut().find(|f| f["path"] == page).unwrap();
    entry["size"] = forged_page.len().into();
    entry["sha256"] = sitegen::publish::manifest::sha256_hex(forged_page).into();
    std::fs::write(site.out().join("manifest.json"), serde_json::to_string_pretty(&m).unwrap() + "\n").unwrap();
    let sums = std::fs::read_to_string(site.out().join("SHA256SUMS")).unwrap();
    let sums: String = sums
        .lines()
        .map(|l| match l.ends_with(&format!("  {page}")) {
            true => format!("{}  {page}\n", sitegen::publish::manifest::sha256_hex(forged_page)),
            false => format!("{l}\n"),
        })
        .collect();
    std::fs::write(site.out().join("SHA256SUMS"), sums).unwrap();
    let (ok, text) = verify(&site, "public", None);
    assert!(ok, "without the key the forgery is a true copy of its own manifest: {text}");
    let (ok, text) = verify(&site, "public", Some(&key));
    assert!(!ok && text.contains("signature does not match"), "{text}");
}

#[test]
fn keygen_never_overwrites_a_key() {
    let (site, _) = signed_site();
    let out = site.run(&["keygen", "--out", "newsroom.key"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("newsroom.key exists; a key is never overwritten"));
}

#[test]
fn a_zip_copy_verifies() {
    let (site, key) = signed_site();
    let out = site.run(&["archive", "--to", "dist"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (ok, text) = verify(&site, "dist/site.zip", Some(&key));
    assert!(ok, "{text}");
}

#[test]
fn a_mirror_over_http_verifies_and_a_tampered_one_does_not() {
    let (site, key) = signed_site();
    let server = PrefixServer::start(&site.out());
    let (ok, text) = verify(&site, &server.url(""), Some(&key));
    assert!(ok, "{text}");
    assert!(text.contains("extra (not checked over HTTP)"), "{text}");
    std::fs::write(site.out().join("tags/index.html"), "x").unwrap();
    let (ok, text) = verify(&site, &server.url(""), Some(&key));
    assert!(!ok && text.contains("changed: tags/index.html"), "{text}");
}

#[test]
fn the_public_key_is_published_on_the_mirrors_page() {
    let (site, key) = signed_site();
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}public_key: \"{key}\"\n"));
    site.built();
    let html = site.page("mirrors/index.html");
    assert!(html.contains(&format!("<dd><code>{key}</code></dd>")));
    assert!(html.contains("<dt>Fingerprint</dt><dd><code>"));
}

/// The sequence a signature file states.
fn sequence(site: &TestSite) -> u64 {
    let sig = std::fs::read_to_string(site.out().join("manifest.json.sig")).unwrap();
    sig.lines().find_map(|l| l.strip_prefix("sequence: ")).unwrap().parse().unwrap()
}

fn run_ok(site: &TestSite, args: &[&str]) -> (String, String) {
    let out = site.run(args);
    let (stdout, stderr) = (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap());
    assert!(out.status.success(), "{args:?}: {stderr}");
    (stdout, stderr)
}

#[test]
fn build_sign_signs_and_rebuilds_keep_a_valid_signature() {
    let site = TestSite::fixture("signing");
    run_ok(&site, &["keygen", "--out", "newsroom.key"]);
    let key = std::fs::read_to_string(site.root.join("newsroom.pub")).unwrap().trim().to_string();
    let (stdout, _) = run_ok(&site, &["build", "--sign", "newsroom.key"]);
    assert!(stdout.contains("Signed with key "), "{stdout}");
    let (ok, text) = verify(&site, "public", Some(&key));
    assert!(ok, "{text}");
    let first = sequence(&site);
    // Nothing changed: the same signature, byte for byte.
    let sig = std::fs::read(site.out().join("manifest.json.sig")).unwrap();
    run_ok(&site, &["build", "--sign", "newsroom.key"]);
    assert_eq!(std::fs::read(site.out().join("manifest.json.sig")).unwrap(), sig);
    run_ok(&site, &["build", "--sign", "newsroom.key", "--no-cache"]);
    assert_eq!(std::fs::read(site.out().join("manifest.json.sig")).unwrap(), sig, "a clean build of the same site");
    // A change: signed anew, with a later sequence.
    let story = std::fs::read_to_string(site.root.join("content/news/story.md")).unwrap();
    site.write("content/news/story.md", &format!("{story}\nA correction.\n"));
    run_ok(&site, &["build", "--sign", "newsroom.key"]);
    let (ok, text) = verify(&site, "public", Some(&key));
    assert!(ok, "{text}");
    assert!(sequence(&site) > first);
    // A build without the key that changes nothing keeps the signature.
    run_ok(&site, &["build", "--no-cache"]);
    let (ok, text) = verify(&site, "public", Some(&key));
    assert!(ok, "{text}");
}

#[test]
fn a_build_that_drops_the_signature_says_so() {
    let site = TestSite::fixture("signing");
    run_ok(&site, &["keygen", "--out", "newsroom.key"]);
    run_ok(&site, &["build", "--sign", "newsroom.key"]);
    site.write("content/news/later.md", "---\ntitle: Later\ndate: 2026-12-01T10:00:00Z\n---\nText.\n");
    let (stdout, stderr) = run_ok(&site, &["build"]);
    assert!(!site.exists("manifest.json.sig"));
    assert!(stdout.contains("1 removed"), "the lost signature is counted: {stdout}");
    insta::assert_snapshot!("unsigned_rebuild_drops_the_signature", stderr);
}

#[test]
fn a_signature_the_build_made_is_inside_the_site_s_cid() {
    let Some(js) = crate::clients::ipfs_car("trust::a_signature_the_build_made_is_inside_the_site_s_cid") else {
        return;
    };
    let site = TestSite::fixture("signing");
    run_ok(&site, &["keygen", "--out", "newsroom.key"]);
    let cid = |stdout: &str| stdout.lines().find_map(|l| l.strip_prefix("CID: ")).unwrap().to_string();
    let (stdout, _) = run_ok(&site, &["build", "--sign", "newsroom.key"]);
    assert_eq!(cid(&stdout), crate::ipfs::reference_cid(&js, &site.out()));
    // Signed again by hand: the next build's CID covers the new signature.
    run_ok(&site, &["sign", "--key", "newsroom.key"]);
    let (stdout, _) = run_ok(&site, &["build"]);
    assert_eq!(cid(&stdout), crate::ipfs::reference_cid(&js, &site.out()));
}

#[test]
fn a_key_that_cannot_be_read_fails_before_the_output_is_touched() {
    let site = TestSite::fixture("signing");
    site.built();
    let before = crate::common::tree(&site.out());
    site.write("bad.key", "not a key\n");
    let out = site.run(&["build", "--sign", "bad.key"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("bad.key: not a sitegen secret key"), "{stderr}");
    assert_eq!(crate::common::tree(&site.out()), before);
}

#[test]
fn strict_refuses_a_build_that_would_drop_the_signature_and_a_key_not_the_site_s() {
    let site = TestSite::fixture("signing");
    run_ok(&site, &["keygen", "--out", "newsroom.key"]);
    run_ok(&site, &["keygen", "--out", "other.key"]);
    run_ok(&site, &["build", "--sign", "newsroom.key"]);
    let before = crate::common::tree(&site.out());
    site.write("content/news/later.md", "---\ntitle: Later\ndate: 2026-12-01T10:00:00Z\n---\nText.\n");
    let out = site.run(&["build", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the output was signed and this build changed it without a key")
    );
    assert_eq!(crate::common::tree(&site.out()), before, "signature and site as they were");
    // A failed build took files as hard links; the next strict build is
    // not fooled into calling them changed by hand.
    run_ok(&site, &["build", "--strict", "--sign", "newsroom.key"]);
    // With public_key set, only that key may sign.
    let key = std::fs::read_to_string(site.root.join("newsroom.pub")).unwrap();
    site.configure(&format!("public_key: \"{}\"\n", key.trim()));
    let out = site.run(&["build", "--sign", "other.key"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not the key of site.yaml's public_key"));
    // `sitegen sign` after the fact refuses it too, and leaves the signature.
    let sig = std::fs::read(site.out().join("manifest.json.sig")).unwrap();
    let out = site.run(&["sign", "--key", "other.key"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("other.key: not the key of site.yaml's public_key"));
    assert_eq!(std::fs::read(site.out().join("manifest.json.sig")).unwrap(), sig);
    run_ok(&site, &["sign", "--key", "newsroom.key"]);
}

#[test]
fn verify_refuses_a_manifest_that_names_a_file_outside_the_copy() {
    let site = TestSite::fixture("signing");
    site.built();
    std::fs::write(site.root.join("secret.txt"), "s").unwrap();
    let manifest = std::fs::read_to_string(site.out().join("manifest.json")).unwrap();
    let mut m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let sha = sitegen::publish::manifest::sha256_hex(b"s");
    m["files"].as_array_mut().unwrap().push(serde_json::json!({"path": "../secret.txt", "size": 1, "sha256": sha}));
    std::fs::write(site.out().join("manifest.json"), serde_json::to_string_pretty(&m).unwrap()).unwrap();
    let (ok, text) = verify(&site, "public", None);
    assert!(!ok && text.contains("refused: ../secret.txt (the manifest names a file outside the copy)"), "{text}");
}
