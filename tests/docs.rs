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

/// The IAM action that authorises an operation: its own name, but for the operations the API
/// reference says another action authorises.
fn iam_action(operation: &str) -> String {
    match operation {
        // "BatchUpdateFindings and BatchUpdateFindingsV2 both use securityhub:BatchUpdateFindings"
        "securityhub:BatchUpdateFindingsV2" => "securityhub:BatchUpdateFindings".into(),
        // A batch of SQS deletes is authorised as sqs:DeleteMessage.
        "sqs:DeleteMessageBatch" => "sqs:DeleteMessage".into(),
        other => other.into(),
    }
}

/// Every AWS operation the code calls, as `prefix:Operation`, from each paced or budgeted call
/// (`Service::X, "Operation"`) in src/source: the one place calls are named.
fn called_operations() -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/source")];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // Test modules name calls of their own.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (at, _) in text.match_indices("Service::") {
            let rest = &text[at + "Service::".len()..];
            let ident: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            let after = rest[ident.len()..].trim_start();
            let Some(after) = after.strip_prefix(',') else { continue };
            let Some(literal) = after.trim_start().strip_prefix('"') else { continue };
            let operation: String = literal.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            let Some(service) = vigil::source::Service::ALL.into_iter().find(|s| format!("{s:?}") == ident) else {
                panic!("{}: Service::{ident} is not in the service table", path.display());
            };
            if service.iam_prefix().is_empty() || operation.is_empty() {
                continue;
            }
            found.insert(iam_action(&format!("{}:{operation}", service.iam_prefix())));
        }
    }
    found
}

/// Whether an operation changes anything: what the triage policies grant, apart from reading.
fn writes(operation: &str) -> bool {
    let name = operation.split(':').nth(1).unwrap_or_default();
    [
        "BatchUpdate",
        "BatchDelete",
        "Archive",
        "Unarchive",
        "Update",
        "Rotate",
        "Renew",
        "Put",
        "Create",
        "Delete",
        "Disable",
        "Enable",
        "Cancel",
    ]
    .iter()
    .any(|verb| name.starts_with(verb))
        || ["AdminDisable", "AdminEnable", "AdminUserGlobalSignOut", "AdminReset"].iter().any(|v| name.starts_with(v))
}

/// The IAM policies cannot drift from the code: every operation Vigil calls is in a policy of
/// docs/iam-policies.md, reads in the read-only policy and writes only in the triage ones.
#[test]
fn the_iam_policies_grant_every_call_the_code_makes_and_writes_apart() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/iam-policies.md")).unwrap();
    let blocks: Vec<&str> = doc.split("```json").skip(1).map(|b| b.split("```").next().unwrap_or_default()).collect();
    let read_only = blocks.iter().find(|b| b.contains("\"VigilReadOnly\"")).expect("the read-only policy");
    let connect_time = blocks.iter().find(|b| b.contains("\"VigilOrganisation\"")).expect("the organisation policy");
    let triage: Vec<&&str> =
        blocks.iter().filter(|b| b.contains("\"VigilTriage\"") || b.contains("\"VigilEdgeBlockList\"")).collect();
    // The live feed's own two policies: the console reading its queue, and setup making it.
    let live = blocks.iter().find(|b| b.contains("\"VigilLiveFeed\"")).expect("the live feed policy");
    let live_setup = blocks.iter().find(|b| b.contains("\"VigilLiveSetup\"")).expect("the live setup policy");
    // History's own: Athena queries and Security Lake's discovery, granted apart from reading panes.
    let history = blocks.iter().find(|b| b.contains("\"VigilHistory\"")).expect("the history policy");
    let calls = called_operations();
    assert!(calls.len() > 30, "the scan found the calls: {calls:?}");
    // Made once before the console opens, each with a section of its own in the page.
    let elsewhere = ["account:ListRegions"];
    for op in &calls {
        let quoted = format!("\"{op}\"");
        if op.starts_with("athena:") || op.starts_with("securitylake:") {
            assert!(history.contains(&quoted), "docs/iam-policies.md: {op} is not in the history policy");
            assert!(!read_only.contains(&quoted), "docs/iam-policies.md: the read-only policy grants {op}");
        } else if op.starts_with("sqs:") || op.starts_with("events:") {
            assert!(
                live.contains(&quoted) || live_setup.contains(&quoted),
                "docs/iam-policies.md: {op} is in neither live feed policy"
            );
            assert!(!read_only.contains(&quoted), "docs/iam-policies.md: the read-only policy grants {op}");
        } else if writes(op) {
            assert!(triage.iter().any(|b| b.contains(&quoted)), "docs/iam-policies.md: {op} is in no triage policy");
            assert!(
                !read_only.contains(&quoted),
                "docs/iam-policies.md: {op} writes, yet the read-only policy grants it"
            );
        } else if elsewhere.contains(&op.as_str()) {
            assert!(doc.contains(&format!("`{op}`")), "docs/iam-policies.md does not name {op}");
        } else {
            assert!(
                read_only.contains(&quoted) || connect_time.contains(&quoted),
                "docs/iam-policies.md: {op} is called but the read-only policy does not grant it"
            );
        }
    }
    // And nothing granted that the code never calls (a policy wider than needed), but for the
    // actions AWS checks on Vigil's behalf (RotateSecret invokes the rotation function; the
    // member role is assumed by the SDK's provider).
    let implied = ["lambda:InvokeFunction", "sts:AssumeRole"];
    for block in std::iter::once(read_only).chain(triage.iter().copied()).chain([connect_time, live, live_setup]) {
        for granted in block.split('"').filter(|s| s.contains(':') && !s.contains(' ') && !s.starts_with("arn:")) {
            assert!(
                calls.contains(granted) || implied.contains(&granted),
                "docs/iam-policies.md grants {granted}, which the code never calls"
            );
        }
    }
}
