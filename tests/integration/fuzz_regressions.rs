//! Every input that ever made a fuzz target fail, kept in
//! `fuzz/regressions/<target>/`, run through the target's checks (shared
//! with `fuzz/fuzz_targets/` through `fuzz/checks.rs`). A crash found by
//! `cargo fuzz` is copied there with the fix, so it stays fixed.

#[path = "../../fuzz/checks.rs"]
mod checks;

#[test]
fn inputs_that_once_crashed_a_fuzz_target_pass_its_checks() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut ran = 0;
    for (name, check) in checks::TARGETS {
        let dir = root.join(name);
        assert!(dir.is_dir(), "fuzz/regressions/{name}/ (keep it, even empty but for its README)");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == "README.md") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let result = std::panic::catch_unwind(|| check(&bytes));
            assert!(result.is_ok(), "fuzz/regressions/{name}/{} fails again", path.file_name().unwrap().display());
            ran += 1;
        }
    }
    assert!(ran >= checks::TARGETS.len(), "only {ran} inputs");
}
