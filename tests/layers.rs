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
    ("view", &["model", "pane", "text"]),
    ("cache", &["files", "model", "pane"]),
    ("source", &["model", "pane", "cache", "text"]),
    ("audit", &["files", "model", "sanitize"]),
    ("action", &["model", "pane", "source", "view"]),
    ("command", &["action", "pane"]),
    ("keymap", &["action", "command", "pane", "text"]),
    ("app", &["action", "command", "keymap", "model", "pane", "source", "text", "view"]),
    ("snapshot", &["cli", "model", "pane", "sanitize", "source", "text", "view"]),
    ("ui", &["app", "command", "keymap", "location", "model", "pane", "sanitize", "source", "text", "view"]),
    ("config", &["keymap", "location", "model", "pane", "view"]),
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
        files.sort();
        files
    } else if path.extension().is_some_and(|e| e == "rs") {
        vec![path.to_path_buf()]
    } else {
        Vec::new()
    }
}

/// Every file of a layer: `src/<layer>.rs` and everything under `src/<layer>/`, both when both
/// exist (`src/cache.rs` beside `src/cache/`).
fn layer_files(src: &Path, layer: &str) -> Vec<PathBuf> {
    let mut files = sources(&src.join(layer));
    let file = src.join(format!("{layer}.rs"));
    if file.exists() {
        files.push(file);
    }
    files
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

/// The end of the item that starts at `from` (a `mod tests { ... }`, a `fn`, a `use ...;`): after
/// its matching closing brace, or after its `;` when a `;` comes before any brace.
fn item_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b';' if depth == 0 => return i + 1,
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Production code only: comments removed, and every item under `#[cfg(test)]` cut out (its whole
/// braces), wherever it stands; what follows a test helper is read like anything else.
fn code_only(text: &str) -> String {
    let uncommented: String =
        text.lines().map(|line| line.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n");
    let mut out = String::with_capacity(uncommented.len());
    let mut rest = uncommented.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = at + "#[cfg(test)]".len();
        rest = &rest[after + item_end(&rest[after..], 0)..];
    }
    out.push_str(rest);
    out
}

/// The top-level modules of ours a source file names, through `crate::` or through enough
/// `super::` to reach the crate root. A macro exported at the crate root (`crate::for_each_pane`)
/// counts as the layer that defines it.
fn imports(text: &str, module: &[String], macros: &[(String, String)]) -> BTreeSet<String> {
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
        .into_iter()
        .map(|name| macros.iter().find(|(m, _)| *m == name).map(|(_, layer)| layer.clone()).unwrap_or(name))
        .collect()
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

/// The macros `#[macro_export]` puts at the crate root, each with the layer that defines it.
fn exported_macros(src: &Path) -> Vec<(String, String)> {
    let mut macros = Vec::new();
    for file in sources(src) {
        let text = std::fs::read_to_string(&file).unwrap();
        let layer = module_path(src, &file).first().cloned().unwrap_or_default();
        for (at, _) in text.match_indices("#[macro_export]") {
            if let Some(name) = text[at..].split("macro_rules!").nth(1) {
                let name: String = name.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                macros.push((name, layer.clone()));
            }
        }
    }
    macros
}

/// The violations in `files` (path, text) of a layer allowed `allowed`.
fn violations(
    src: &Path,
    layer: &str,
    allowed: &[&str],
    files: &[(PathBuf, String)],
    macros: &[(String, String)],
) -> Vec<String> {
    let mut found = Vec::new();
    for (file, text) in files {
        for module in imports(text, &module_path(src, file), macros) {
            if module != layer && !allowed.contains(&module.as_str()) {
                found.push(format!("{} imports crate::{module}", file.display()));
            }
        }
    }
    found
}

#[test]
fn lower_layers_never_import_higher_ones() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let macros = exported_macros(&src);
    let mut all = Vec::new();
    for (layer, allowed) in LAYERS {
        let files: Vec<(PathBuf, String)> =
            layer_files(&src, layer).into_iter().map(|f| (f.clone(), std::fs::read_to_string(&f).unwrap())).collect();
        assert!(!files.is_empty(), "layer {layer} not found");
        all.extend(violations(&src, layer, allowed, &files, &macros));
    }
    assert!(all.is_empty(), "layering violations:\n{}", all.join("\n"));
}

#[test]
fn the_guard_rejects_what_it_must() {
    let src = Path::new("/x/src");
    let macros = vec![("for_each_pane".to_string(), "pane".to_string())];
    let check = |path: &str, text: &str| {
        let layer = path.trim_start_matches("/x/src/").split(['/', '.']).next().unwrap().to_string();
        let allowed: &[&str] = LAYERS.iter().find(|(l, _)| *l == layer).map(|(_, a)| *a).unwrap();
        violations(src, &layer, allowed, &[(PathBuf::from(path), text.to_string())], &macros)
    };
    // After a test helper the file goes on: an import there is production code.
    let after_helper = "#[cfg(test)]\nfn helper() { let _ = 1; }\nuse crate::app::App;\n";
    assert_eq!(check("/x/src/model/finding.rs", after_helper).len(), 1, "code after a test helper is read");
    // The test module itself may use anything.
    let in_tests = "fn f() {}\n#[cfg(test)]\nmod tests {\n    use crate::app::App;\n}\nuse crate::ui::draw;\n";
    let found = check("/x/src/model/finding.rs", in_tests);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("crate::ui"));
    // A file beside its directory (`src/cache.rs` with `src/cache/`) is a layer file too.
    assert_eq!(check("/x/src/cache.rs", "use super::source::PaneData;").len(), 1, "cache must not import source");
    // Groups, climbs and paths in expressions.
    assert_eq!(check("/x/src/view/a.rs", "use crate::{model::A, app::B};").len(), 1);
    assert_eq!(check("/x/src/view/panes/a.rs", "use super::super::super::app::App;").len(), 1);
    assert_eq!(check("/x/src/source/demo.rs", "let x = crate::app::App::new();").len(), 1);
    // The registry's macros belong to the pane layer, which every layer may use.
    assert!(check("/x/src/model/panes/mod.rs", "crate::for_each_pane!(x);").is_empty());
    // Comments are prose.
    assert!(check("/x/src/model/a.rs", "// crate::app::App\n").is_empty());
}

#[test]
fn the_import_reader_sees_paths_groups_and_supers_but_not_comments() {
    let text = "use crate::app::App;\nuse crate::{ui::draw, model::{A, B}, text};\nlet x = crate::runner::run(); // crate::cli\n";
    let found = imports(text, &["view".into()], &[]);
    assert_eq!(found.into_iter().collect::<Vec<_>>(), ["app", "model", "runner", "text", "ui"]);
    // From src/cache.rs `super::` is the crate root; from src/view/a.rs it takes two.
    assert!(imports("use super::source::PaneData;", &["cache".into()], &[]).contains("source"));
    assert!(imports("use super::super::app::App;", &["view".into(), "a".into()], &[]).contains("app"));
    assert!(!imports("use super::Tabular;", &["view".into(), "a".into()], &[]).contains("Tabular"));
}

/// The model's files (one level below src/model) import each other without a circle.
fn model_cycles(files: &[(String, String)]) -> Vec<Vec<String>> {
    let names: BTreeSet<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let edges: Vec<(String, BTreeSet<String>)> = files
        .iter()
        .map(|(name, text)| {
            let code = code_only(text);
            let mut to = BTreeSet::new();
            for prefix in ["super::", "crate::model::"] {
                for (at, _) in code.match_indices(prefix) {
                    let next: String =
                        code[at + prefix.len()..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    if next != *name && names.contains(next.as_str()) {
                        to.insert(next);
                    }
                }
            }
            (name.clone(), to)
        })
        .collect();
    let mut cycles = Vec::new();
    for (start, _) in &edges {
        // A path back to `start`, depth first.
        let mut stack = vec![vec![start.clone()]];
        let mut seen = BTreeSet::new();
        while let Some(path) = stack.pop() {
            let last = path.last().unwrap();
            let Some((_, to)) = edges.iter().find(|(n, _)| n == last) else { continue };
            for next in to {
                if next == start {
                    let mut cycle = path.clone();
                    cycle.push(next.clone());
                    cycles.push(cycle);
                } else if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push(longer);
                }
            }
        }
    }
    cycles
}

#[test]
fn the_model_has_no_import_circle() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/model");
    let files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs") && p.file_stem().is_some_and(|s| s != "mod"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    let cycles = model_cycles(&files);
    assert!(cycles.is_empty(), "import circles in src/model: {cycles:?}");
    // And the check finds one when there is one.
    let circle = vec![
        ("finding".to_string(), "use super::risk::Risk;".to_string()),
        ("risk".to_string(), "use super::finding::Finding;".to_string()),
    ];
    assert!(!model_cycles(&circle).is_empty());
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
