//! A fixture site copied to a temporary folder, built through the library,
//! with helpers to read the output and to run the binary.

use sitegen::report::BuildReport;
use sitegen::BuildOptions;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs a Python script (`python3 -c`) with `args`, which must succeed, and
/// reads the JSON it prints: how the tests drive real clients (Chromium
/// through Playwright, the standard library's parsers).
pub fn python_json<A: AsRef<std::ffi::OsStr>>(script: &str, args: &[A]) -> serde_json::Value {
    let out = Command::new("python3").arg("-c").arg(script).args(args).output().expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

pub struct TestSite {
    _tmp: tempfile::TempDir,
    pub root: PathBuf,
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

impl TestSite {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> TestSite {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        copy_dir(&fixtures().join(name), &root);
        TestSite { _tmp: tmp, root }
    }

    /// A copy of the repository's own sample site.
    pub fn sample() -> TestSite {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for part in ["content", "static", "themes"] {
            copy_dir(&repo.join(part), &root.join(part));
        }
        for file in ["site.yaml", "mirrors.yaml"] {
            std::fs::copy(repo.join(file), root.join(file)).unwrap();
        }
        TestSite { _tmp: tmp, root }
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Adds `yaml` (whole lines) to the end of `site.yaml`.
    pub fn configure(&self, yaml: &str) -> &Self {
        let old = std::fs::read_to_string(self.root.join("site.yaml")).unwrap();
        self.write("site.yaml", &format!("{old}{yaml}"))
    }

    pub fn out(&self) -> PathBuf {
        self.root.join("public")
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions { root: self.root.clone(), ..Default::default() }
    }

    pub fn build(&self) -> sitegen::Result<BuildReport> {
        sitegen::build::build(&self.options())
    }

    pub fn built(&self) -> BuildReport {
        self.build().unwrap_or_else(|e| panic!("build failed: {e}"))
    }

    /// The text of an output file.
    pub fn page(&self, rel: &str) -> String {
        let p = self.out().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).is_file()
    }

    /// Runs the `sitegen` binary with `args` in the site folder.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_sitegen")).args(args).current_dir(&self.root).output().unwrap()
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The values of `href`, `src` and `srcset` attributes in an HTML text.
pub fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\"", " srcset=\"", " action=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            let value = &rest[..end];
            if attr == " srcset=\"" {
                out.extend(value.split(',').filter_map(|c| c.split_whitespace().next()).map(str::to_string));
            } else {
                out.push(value.replace("&amp;", "&"));
            }
        }
    }
    out
}

/// The element from `<main` to `</main>`.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page closes </main>") + "</main>".len();
    &html[start..end]
}
