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
