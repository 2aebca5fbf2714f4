//! Documentation that must not drift from the code.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

use vigil::keymap::Keymap;

#[test]
fn every_key_binding_is_documented() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/keybindings.md")).unwrap();
    for binding in Keymap::default().bindings() {
        assert!(
            doc.contains(binding.description.as_ref()),
            "docs/keybindings.md does not mention {:?}",
            binding.description
        );
        let named = doc.contains(&format!("`{}`", binding.name));
        assert!(named, "docs/keybindings.md does not give the name {:?}", binding.name);
    }
}

#[test]
fn readme_shows_the_two_commands() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains("\ncargo run --release -- --demo\n"));
    assert!(readme.contains("\ntests/run\n"));
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(ci.contains("tests/run"), ".ci/run calls the README's test command");
}

/// A pane's setting lives in `[panes.<config key>]`; a message or a page naming another section
/// sends the user to write a config that is refused.
#[test]
fn pane_settings_are_named_with_their_section() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    let mut stack = vec![root.join("src"), root.join("docs"), root.join("README.md")];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path.extension().is_some_and(|e| e == "rs" || e == "md") {
            texts.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
        }
    }
    for pane in vigil::pane::PaneId::ALL {
        let spec = pane.spec();
        for setting in spec.settings {
            let right = format!("[panes.{}] {}", spec.config_key, setting.name);
            for (path, text) in &texts {
                for (at, _) in text.match_indices(&format!("] {}", setting.name)) {
                    let line_start = text[..at].rfind('[').unwrap_or(0);
                    let named = &text[line_start..at + 2 + setting.name.len()];
                    assert_eq!(
                        named,
                        right,
                        "{} names the setting {:?} with another section",
                        path.display(),
                        setting.name
                    );
                }
            }
        }
    }
}
