//! The house rules of `src/`, checked on the source itself: the folders
//! follow the pipeline and each uses only those below it, and no module
//! imports another in a cycle (a child module may use its parent's items).
//! `docs/architecture.md` explains the layers. See: #12.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level modules of `src/`, lowest first: a module may use those of
/// lower layers only.
const LAYERS: &[&[&str]] = &[
    &["error", "escape", "fingerprint", "html_tags", "image_sizes", "pause", "progress", "urls"],
    &["fs", "warning"],
    &["markdown", "publish", "search"],
    &["load"],
    &["model"],
    &["render"],
    &["output"],
    &["cache", "report"],
    &["build"],
    &["watch", "edition"],
    &["cli"],
];

/// Every module of `src/` (`render::page_keys`) and the modules it uses.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut texts = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().map(Result::unwrap) {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap().with_extension("");
        let name = rel.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "::");
        let name = name.strip_suffix("::mod").unwrap_or(&name).to_string();
        if name == "main" || name == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        // Unit tests may reach anywhere.
        let text = match text.find("#[cfg(test)]\nmod tests") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        texts.insert(name, text);
    }
    let modules: BTreeSet<String> = texts.keys().cloned().collect();
    let resolve = |path: &str| -> Option<String> {
        let parts: Vec<&str> = path.split("::").collect();
        (1..=parts.len()).rev().map(|k| parts[..k].join("::")).find(|m| modules.contains(m))
    };
    let mut graph = BTreeMap::new();
    for (name, text) in &texts {
        let mut uses = BTreeSet::new();
        let mut add = |path: &str| {
            if let Some(m) = resolve(path) {
                // A module's own children and its ancestors are its family.
                if m != *name && !name.starts_with(&format!("{m}::")) {
                    uses.insert(m);
                }
            }
        };
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            let path: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            let path = path.trim_end_matches(':');
            if rest[path.len()..].starts_with("::{") {
                let group = &rest[path.len() + 3..rest.find('}').unwrap()];
                for item in group.split(',') {
                    let item = item.split_whitespace().next().unwrap_or("");
                    add(&format!("{path}::{}", item.trim_end_matches("::*")));
                }
            } else {
                add(path);
            }
        }
        graph.insert(name.clone(), uses);
    }
    graph
}

fn layer(module: &str) -> usize {
    let top = module.split("::").next().unwrap();
    LAYERS.iter().position(|l| l.contains(&top)).unwrap_or_else(|| panic!("{top} is in no layer of LAYERS"))
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    let graph = module_graph();
    let mut wrong = Vec::new();
    for (module, uses) in &graph {
        for used in uses {
            let same_top = module.split("::").next() == used.split("::").next();
            if !same_top && layer(used) >= layer(module) {
                wrong.push(format!("{module} uses {used}"));
            }
        }
    }
    assert!(wrong.is_empty(), "a lower layer uses a higher one (or one beside it):\n{}", wrong.join("\n"));
    assert!(graph.len() > 50, "{} modules", graph.len());
}

#[test]
fn no_module_imports_another_in_a_cycle() {
    let graph = module_graph();
    // Kahn's algorithm: what cannot be ordered lies on a cycle.
    let mut users: BTreeMap<&str, usize> = graph.keys().map(|m| (m.as_str(), 0)).collect();
    for uses in graph.values() {
        for u in uses {
            *users.get_mut(u.as_str()).unwrap() += 1;
        }
    }
    let mut ready: Vec<&str> = users.iter().filter(|(_, &n)| n == 0).map(|(m, _)| *m).collect();
    let mut ordered = 0;
    while let Some(m) = ready.pop() {
        ordered += 1;
        for u in &graph[m] {
            let n = users.get_mut(u.as_str()).unwrap();
            *n -= 1;
            if *n == 0 {
                ready.push(u);
            }
        }
    }
    // What is left is on a cycle or used by one: drop what uses nothing left.
    let mut left: BTreeSet<&str> = users.iter().filter(|(_, &n)| n > 0).map(|(m, _)| *m).collect();
    while let Some(m) = left.iter().copied().find(|m| !graph[*m].iter().any(|u| left.contains(u.as_str()))) {
        left.remove(m);
    }
    assert_eq!(ordered, graph.len(), "modules that import each other in a cycle: {left:?}");
}
