//! A new user on a machine with no AWS configuration: the console opens the demo and says so;
//! `snapshot` exits 3 with one line saying what to configure; a typo'd profile is named. Run the
//! real binary with an empty environment, as that user would.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use std::process::Command;

fn empty_home(name: &str) -> std::path::PathBuf {
    let home = std::env::temp_dir().join(format!("vigil-first-contact-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).unwrap();
    home
}

/// The binary with nothing configured: no keys, no profile, no shared files. Instance metadata
/// refuses (a closed loopback port), as it does off AWS.
fn bare(home: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vigil"));
    command
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9");
    command
}

fn one_line_stderr(out: &std::process::Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line, not a dump: {stderr}");
    stderr
}

#[test]
fn snapshot_with_nothing_configured_says_what_to_configure() {
    let home = empty_home("snapshot");
    for region in [None, Some("us-east-1")] {
        let mut command = bare(&home);
        if let Some(region) = region {
            command.env("AWS_REGION", region);
        }
        let out = command.args(["snapshot", "--format", "json"]).output().unwrap();
        assert_eq!(out.status.code(), Some(3), "region {region:?}");
        let stderr = one_line_stderr(&out);
        assert!(stderr.contains("no AWS credentials found") && stderr.contains("--demo"), "{stderr}");
        assert!(!stderr.contains("dispatch failure") && !stderr.contains("IMDS"), "{stderr}");
    }
}

#[test]
fn a_profile_no_file_defines_is_named() {
    let home = empty_home("profile");
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(home.join(".aws/config"), "[profile prod]\nregion = eu-west-1\n").unwrap();
    let out = bare(&home).args(["snapshot", "--profile", "prdo"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = one_line_stderr(&out);
    assert!(stderr.contains("profile 'prdo' is not configured") && stderr.contains("list-profiles"), "{stderr}");
}

#[test]
fn the_console_with_nothing_configured_opens_the_demo_and_says_so() {
    let Some(t) = common::tmux::Tmux::start("first-contact", 100, 30) else {
        return;
    };
    let home = empty_home("console");
    let env = format!(
        "env -i PATH=/usr/bin:/bin HOME={h} XDG_DATA_HOME={h}/data XDG_CACHE_HOME={h}/cache XDG_CONFIG_HOME={h}/config AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9",
        h = home.display()
    );
    t.type_text(&format!("{env} {}; echo EXITED-$?", env!("CARGO_BIN_EXE_vigil")));
    t.keys(&["Enter"]);
    let screen = t.wait_for("DEMO DATA");
    assert!(screen.contains("no AWS credentials found: showing the demo account"), "{screen}");
    t.keys(&["q"]);
    t.wait_for("EXITED-0");
    t.assert_terminal_restored();
}
