//! The arrows point one way: a lower layer never imports a higher one. The compiler cannot see
//! this inside one crate, so this test reads the sources: every `crate::<module>` a layer names
//! (in paths and in `use crate::{...}` groups) must be one it may depend on.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each layer (a module file or directory under src/) and the modules of ours it may import.
const LAYERS: &[(&str, &[&str])] = &[
    ("sanitize", &[]),
    ("pane", &[]),
    ("location", &[]),
    ("files", &[]),
    ("logging", &["files"]),
    ("text", &["sanitize"]),
    ("model", &["pane"]),
    ("view", &["model", "pane"]),
    ("cache", &["files", "model", "pane"]),
    ("source", &["model", "pane", "cache", "text"]),
    ("audit", &["files", "model"]),
    ("action", &["model", "pane", "source", "view"]),
    ("keymap", &["action", "pane", "text"]),
    ("app", &["action", "keymap", "model", "pane", "source", "text", "view"]),
    ("snapshot", &["cli", "model", "pane", "sanitize", "source", "text", "view"]),
    ("ui", &["app", "keymap", "location", "model", "pane", "sanitize", "source", "text", "view"]),
    ("config", &["keymap", "location", "model", "pane"]),
    ("history_file", &["files", "model"]),
    ("cli", &["pane", "model", "source"]),
    ("clipboard", &["sanitize"]),
    ("tui", &[]),
    ("report", &["audit", "cli", "sanitize", "text", "model"]),
    (
        "runner",
        &[
            "action",
            "app",
            "audit",
            "cache",
            "clipboard",
            "history_file",
            "model",
            "pane",
            "sanitize",
            "source",
            "tui",
            "ui",
            "view",
        ],
    ),
];

fn sources(path: &Path) -> Vec<PathBuf> {
    if path.is_dir() {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(path).unwrap() {
            files.extend(sources(&entry.unwrap().path()));
        }
        files
    } else if path.extension().is_some_and(|e| e == "rs") {
        vec![path.to_path_buf()]
    } else {
        Vec::new()
    }
}

/// The file's module path below the crate root: `src/app/mod.rs` → [app], `src/app/a.rs` → [app, a].
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut path: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if path.last().is_some_and(|p| p == "mod") {
        path.pop();
    }
    path
}

/// Source text without comments and without its test module (whose `super::` is the file itself),
/// so a path named in prose is not an import.
fn code_only(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines().map(|line| line.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

/// The top-level modules of ours a source file names, through `crate::` or through enough
/// `super::` to reach the crate root.
fn imports(text: &str, module: &[String]) -> BTreeSet<String> {
    let ident = |s: &str| s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
    let text = code_only(text);
    let mut rooted = text.clone();
    // `super::` from depth n, repeated n times, is the crate root: rewrite it as `crate::`.
    let depth = module.len();
    if depth > 0 {
        let climb = "super::".repeat(depth);
        rooted = rooted.replace(&climb, "crate::");
    }
    let mut found = crate_paths(&rooted, &ident);
    found.remove("");
    found
}

fn crate_paths(text: &str, ident: &dyn Fn(&str) -> String) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a::b, c}`: the first name of each comma-separated part, at depth 0.
            let mut depth = 0;
            let mut part_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => part_start = true,
                    c if part_start && (c.is_ascii_alphabetic() || c == '_') => {
                        found.insert(ident(&group[i..]));
                        part_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(ident(rest));
        }
    }
    found
}

#[test]
fn lower_layers_never_import_higher_ones() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for (layer, allowed) in LAYERS {
        let dir = src.join(layer);
        let files = if dir.is_dir() { sources(&dir) } else { vec![src.join(format!("{layer}.rs"))] };
        assert!(!files.is_empty() && files.iter().all(|f| f.exists()), "layer {layer} not found");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for module in imports(&text, &module_path(&src, &file)) {
                if module != *layer && !allowed.contains(&module.as_str()) {
                    violations.push(format!("{} imports crate::{module}", file.display()));
                }
            }
        }
    }
    assert!(violations.is_empty(), "layering violations:\n{}", violations.join("\n"));
}

#[test]
fn the_import_reader_sees_paths_groups_and_supers_but_not_comments() {
    let text = "use crate::app::App;\nuse crate::{ui::draw, model::{A, B}, text};\nlet x = crate::runner::run(); // crate::cli\n";
    let found = imports(text, &["view".into()]);
    assert_eq!(found.into_iter().collect::<Vec<_>>(), ["app", "model", "runner", "text", "ui"]);
    // From src/cache.rs `super::` is the crate root; from src/view/a.rs it takes two.
    assert!(imports("use super::source::PaneData;", &["cache".into()]).contains("source"));
    assert!(imports("use super::super::app::App;", &["view".into(), "a".into()]).contains("app"));
    assert!(!imports("use super::Tabular;", &["view".into(), "a".into()]).contains("Tabular"));
}

#[test]
fn every_top_level_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(name) = line.strip_prefix("pub mod ").and_then(|l| l.strip_suffix(';')) {
            assert!(LAYERS.iter().any(|(layer, _)| *layer == name), "src/{name} has no layer in tests/layers.rs");
        }
    }
}
