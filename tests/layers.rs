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
    ("text", &["sanitize"]),
    ("model", &["pane"]),
    ("view", &["model", "pane"]),
    ("cache", &["model", "pane"]),
    ("source", &["model", "pane", "cache"]),
    ("audit", &["model"]),
    ("action", &["model", "pane", "source", "view"]),
    ("keymap", &["action", "pane"]),
    ("app", &["action", "keymap", "model", "pane", "source", "view"]),
    ("snapshot", &["cli", "model", "pane", "sanitize", "source", "text", "view"]),
    ("ui", &["app", "keymap", "location", "model", "pane", "sanitize", "source", "text", "view"]),
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

/// The top-level modules of ours a source file names.
fn imports(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
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
            for module in imports(&text) {
                if module != *layer && !allowed.contains(&module.as_str()) {
                    violations.push(format!("{} imports crate::{module}", file.display()));
                }
            }
        }
    }
    assert!(violations.is_empty(), "layering violations:\n{}", violations.join("\n"));
}

#[test]
fn the_import_reader_sees_paths_and_groups() {
    let found =
        imports("use crate::app::App;\nuse crate::{ui::draw, model::{A, B}, text};\nlet x = crate::runner::run();");
    assert_eq!(found.into_iter().collect::<Vec<_>>(), ["app", "model", "runner", "text", "ui"]);
}
