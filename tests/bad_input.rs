//! Bad input through the real binary: a bad theme exits 2 naming where it came from, before the
//! terminal is touched; no error puts an escape sequence on the user's terminal, whether it quotes
//! a file path, a file's content or a hostile AWS error message.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn temp(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vigil-bad-input-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// The binary run in `dir`, with its own directories there and no terminal.
fn vigil(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigil"));
    cmd.current_dir(dir)
        .args(args)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("xdg-data"))
        .env("XDG_CACHE_HOME", dir.join("xdg-cache"))
        .env("XDG_CONFIG_HOME", dir.join("xdg-config"))
        .env("AWS_CONFIG_FILE", dir.join("no-aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-aws-credentials"))
        .env("AWS_MAX_ATTEMPTS", "1")
        .stdin(std::process::Stdio::null());
    for var in ["VIGIL_CACHE_DIR", "VIGIL_AUDIT_LOG", "VIGIL_CONFIG", "NO_COLOR", "AWS_PROFILE", "AWS_ENDPOINT_URL"] {
        cmd.env_remove(var);
    }
    cmd.output().unwrap()
}

fn stderr(out: &Output) -> String {
    assert!(!out.stderr.contains(&0x1b), "an escape byte reached stderr: {:?}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!text.contains(['\u{9b}', '\u{202e}']), "a C1 control or bidi override reached stderr: {text:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const BAD_THEME: &str = "[colors]\ncritical = \"purplish\"\n";

#[test]
fn a_bad_theme_from_the_flag_exits_2_naming_the_flag() {
    let dir = temp("flag");
    std::fs::write(dir.join("bad.toml"), BAD_THEME).unwrap();
    let out = vigil(&dir, &["--demo", "--theme", "bad.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("vigil: --theme: bad.toml:2:12: colors.critical: expected a colour name"), "{err}");
    let out = vigil(&dir, &["--demo", "--theme", "solarized"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("vigil: --theme: unknown theme 'solarized'"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_bad_theme_from_the_config_exits_2_naming_the_config_file() {
    let dir = temp("config");
    std::fs::write(dir.join("bad.toml"), BAD_THEME).unwrap();
    std::fs::write(dir.join("cfg.toml"), "theme = \"bad.toml\"\n").unwrap();
    let out = vigil(&dir, &["--demo", "--config", "cfg.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("vigil: cfg.toml: theme = \"bad.toml\": bad.toml:2:12: colors.critical"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn escape_sequences_in_paths_and_files_never_reach_the_terminal() {
    let dir = temp("escapes");
    // A theme file whose name carries an OSC (retitle the window) and a CSI (clear the screen).
    let hostile = "evil\u{1b}]0;pwned\u{7}\u{1b}[2J.toml";
    std::fs::write(dir.join(hostile), BAD_THEME).unwrap();
    let out = vigil(&dir, &["--demo", "--theme", hostile]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("evil") && err.contains("colors.critical"), "{err}");
    // A config file naming a theme with escapes, and one whose bad value carries them.
    std::fs::write(dir.join("theme.toml"), "theme = \"x\\u001b[31m\\u009b2J\"\n").unwrap();
    let out = vigil(&dir, &["--demo", "--config", "theme.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("unknown theme"), "{err}");
    std::fs::write(dir.join("value.toml"), "read_only = \"\\u001b]52;c;cHduZWQ=\\u0007\"\n").unwrap();
    let out = vigil(&dir, &["--demo", "--config", "value.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    std::fs::write(dir.join("cfg\u{1b}[2J.toml"), "read_only = 3\n").unwrap();
    let out = vigil(&dir, &["--demo", "--config", "cfg\u{1b}[2J.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("vigil: config: cfg.toml:1:13:"), "the path, its escape removed: {err}");
    let _ = std::fs::remove_dir_all(dir);
}

/// A hostile AWS endpoint: every request is answered with an STS error whose message carries
/// C1 escape sequences (CSI as one character, raw and as a character reference: XML allows
/// them, unlike ESC) and a bidi override.
fn hostile_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            // Read the head and a body of the length it announces.
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&request).to_ascii_lowercase();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
                        .unwrap_or(0usize);
                    if request.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            let body = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>\
                <Code>AccessDenied</Code><Message>denied \u{9b}2J &#x9b;31m red \u{202e}gpj.exe</Message>\
                </Error><RequestId>1</RequestId></ErrorResponse>";
            let response = format!(
                "HTTP/1.1 403 Forbidden\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
        }
    });
    format!("http://127.0.0.1:{port}")
}

#[test]
fn a_hostile_aws_error_message_is_sanitised_on_stderr() {
    let dir = temp("aws");
    let endpoint = hostile_endpoint();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigil"));
    let out = cmd
        .args(["snapshot", "--endpoint-url", &endpoint, "--region", "us-east-1"])
        .env("HOME", &dir)
        .env("XDG_DATA_HOME", dir.join("xdg-data"))
        .env("XDG_CACHE_HOME", dir.join("xdg-cache"))
        .env("AWS_CONFIG_FILE", dir.join("no-aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-aws-credentials"))
        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEY123456")
        .env("AWS_SECRET_ACCESS_KEY", "secretEXAMPLE")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("denied"), "the service's message is still shown: {err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_misspelt_region_exits_2_naming_it_and_its_likely_spelling_before_any_call() {
    let dir = temp("region");
    for args in [&["--region", "us-eest-1"][..], &["snapshot", "--region", "us-eest-1"]] {
        let out = vigil(&dir, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.trim_end(), "vigil: --region: unknown AWS region 'us-eest-1' (did you mean us-east-1?)");
    }
    let out = vigil(&dir, &["snapshot", "--region", "EU west"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("'EU west' is not an AWS region name (expected one like us-east-1"), "{err}");
    // From the environment, the variable is named.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigil"));
    let out = cmd
        .args(["snapshot"])
        .current_dir(&dir)
        .env("HOME", &dir)
        .env("AWS_CONFIG_FILE", dir.join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("none"))
        .env("AWS_REGION", "eu-wset-1")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("vigil: AWS_REGION: unknown AWS region 'eu-wset-1' (did you mean eu-west-1?)"), "{err}");
    // The demo needs no region.
    assert_eq!(
        vigil(&dir, &["snapshot", "--demo", "--region", "us-eest-1", "--pane", "secrets"]).status.code(),
        Some(0)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_context_set_from_the_config_is_checked_naming_file_line_and_column() {
    let dir = temp("contexts");
    std::fs::write(
        dir.join("config.toml"),
        "[contexts.shop]\nprofiles = [\"prod\"]\nregions = [\"eu-west-1\", \"us-eest-1\"]\n",
    )
    .unwrap();
    let out = vigil(&dir, &["--config", "config.toml", "snapshot", "--context", "shop"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with(
            "vigil: config.toml:3:25: contexts.shop.regions: unknown AWS region 'us-eest-1' (did you mean us-east-1?)"
        ),
        "{err}"
    );
    let out = vigil(&dir, &["--config", "config.toml", "snapshot", "--context", "shp"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("vigil: --context: no [contexts.shp] in config.toml (contexts there: shop)"), "{err}");
    let out = vigil(&dir, &["snapshot", "--context", "shop", "--region", "eu-west-1"]);
    assert_eq!(out.status.code(), Some(2), "--context names the regions itself: {}", stderr(&out));
    let _ = std::fs::remove_dir_all(dir);
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

#[test]
fn config_check_accepts_the_default_and_valid_files_and_names_each_error() {
    let dir = temp("config-check");
    let out = vigil(&dir, &["config", "default"]);
    assert_eq!(out.status.code(), Some(0));
    let default = String::from_utf8(out.stdout).unwrap();
    for key in [
        "read_only",
        "theme",
        "[refresh]",
        "findings = 60",
        "look_back_minutes",
        "accounts_in_flight",
        "[alerts]",
        "per_minute",
        "[keys]",
        "[keys.detail-view]",
        "# move-down = [\"j\", \"down\"]",
    ] {
        assert!(default.contains(key), "the default config lacks {key}:\n{default}");
    }
    std::fs::write(dir.join("default.toml"), &default).unwrap();
    for file in [dir.join("default.toml"), fixture("config/valid.toml")] {
        let out = vigil(&dir, &["config", "check", file.to_str().unwrap()]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{}: {err}", file.display());
        assert!(String::from_utf8_lossy(&out.stdout).ends_with(": valid\n"));
    }
    for (file, expected) in [
        (
            "bad_alert_severity.toml",
            ":2:16: alerts.min_severity: expected informational, low, medium, high or critical, found \"severe\"",
        ),
        (
            "bad_notify.toml",
            ":2:10: alerts.notify: expected \"osc9\", \"osc777\", \"both\" or \"none\", found \"popup\"",
        ),
        ("bad_per_minute.toml", ":4:14: alerts.per_minute: expected 1 to 60, found 600"),
        ("bad_theme.toml", ": theme = \"solarised\": unknown theme 'solarised'"),
        ("bad_refresh_key.toml", ":2:1: refresh.certs: unknown pane, expected one of findings, certificates"),
        ("bad_context_region.toml", ":3:25: contexts.shop.regions: "),
        ("bad_type.toml", ":1:13: invalid type: string \"yes\", expected a boolean"),
        (
            "bad_key_conflict.toml",
            ":6:1: keys: \"n\" would be both mark-seen (Findings pane) and move-down (Tables) in the Findings pane",
        ),
        ("bad_key_name.toml", ":2:20: keys.radar: unknown key \"hyper-e\": expected a character, f1-f12 or one of"),
        ("bad_key_action.toml", ":2:1: keys.refesh: unknown action \"refesh\" (did you mean refresh?)"),
    ] {
        let path = fixture(&format!("config/{file}"));
        let out = vigil(&dir, &["config", "check", path.to_str().unwrap()]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{file}: {err}");
        assert!(err.contains(&format!("{file}{expected}")), "{file}: {err}");
    }
    // No file at the default place: nothing to check, the defaults apply.
    let out = vigil(&dir, &["config", "check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no config file"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn theme_fixtures_load_from_a_path_and_the_users_themes_directory_or_say_what_is_wrong() {
    let dir = temp("theme-fixtures");
    let own = dir.join("xdg-config/vigil/themes");
    std::fs::create_dir_all(&own).unwrap();
    std::fs::copy(fixture("themes/valid.toml"), own.join("night-shift.toml")).unwrap();
    for theme in ["night-shift", fixture("themes/valid.toml").to_str().unwrap()] {
        let out = vigil(&dir, &["snapshot", "--demo", "--pane", "certs", "--theme", theme]);
        assert_eq!(out.status.code(), Some(0), "{theme}: {}", stderr(&out));
    }
    for (file, expected) in [
        ("bad_colour.toml", ":2:8: colors.high: expected a colour name"),
        ("bad_section.toml", ":1:2: unknown field `colours`"),
    ] {
        let path = fixture(&format!("themes/{file}"));
        let out = vigil(&dir, &["--demo", "--theme", path.to_str().unwrap()]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{file}: {err}");
        assert!(err.contains(&format!("{file}{expected}")), "{file}: {err}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn completions_and_the_man_page_come_from_the_cli_definition() {
    let dir = temp("completions");
    for (shell, marker) in [("bash", "_vigil()"), ("zsh", "#compdef vigil"), ("fish", "complete -c vigil")] {
        let out = vigil(&dir, &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(marker) && text.contains("war-room"), "{shell}: {text}");
    }
    let out = vigil(&dir, &["man"]);
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH vigil 1") && page.contains("war\\-room"), "{page}");
    let _ = std::fs::remove_dir_all(dir);
}
