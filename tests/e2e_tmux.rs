//! The real binary in a real terminal (tmux), driven the way a person drives it: switch panes,
//! filter, open a detail view, quit; and the terminal comes back after q, SIGTERM, SIGHUP and a
//! panic. Waits poll the screen for a condition; nothing sleeps a fixed time to pass.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use common::fault_proxy::FaultProxy;
use common::tmux::Tmux;
use std::process::Command;

fn binary() -> String {
    std::env::var("VIGIL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_vigil").to_string())
}

#[test]
fn a_person_switches_panes_filters_opens_detail_and_quits() {
    let Some(t) = Tmux::start("walk", 100, 30) else {
        return;
    };
    t.type_text(&format!("{} --demo; echo EXITED-$?", binary()));
    t.keys(&["Enter"]);
    t.wait_for("DEMO DATA");
    t.wait_for(" Findings ");
    t.keys(&["2"]);
    t.wait_for(" Certificates ");
    t.keys(&["Tab"]);
    t.wait_for(" Secrets ");
    t.keys(&["4"]);
    t.wait_for_all(&["PII masked", "***@"]);
    t.keys(&[":"]);
    t.type_text("compliance");
    t.keys(&["Enter"]);
    t.wait_for("security score");
    t.keys(&["1", "/"]);
    t.type_text("sshbrute");
    t.wait_for_all(&["filter: sshbrute", "is performing"]);
    t.keys(&["Enter", "Enter"]);
    t.wait_for_all(&["Findings detail", "UnauthorizedAccess:EC2/SSHBruteForce"]);
    t.keys(&["J"]);
    t.wait_for("record (JSON)");
    t.keys(&["Escape"]);
    t.wait_for("filter: sshbrute");
    t.keys(&["?"]);
    t.wait_for("Keys");
    t.keys(&["q"]);
    t.keys(&["q"]);
    t.wait_for("EXITED-0");
    t.assert_terminal_restored();
}

fn exits_cleanly_on_signal(name: &str, signal: &str, expected_code: u8) {
    let Some(t) = Tmux::start(name, 80, 24) else {
        return;
    };
    let marker = format!("--seed {}", 4000 + expected_code as u32);
    t.type_text(&format!("{} --demo {marker}; echo EXITED-$?", binary()));
    t.keys(&["Enter"]);
    t.wait_for("DEMO DATA");
    let pid = t.pid_of(&format!("vigil --demo {marker}"));
    assert!(!pid.is_empty(), "vigil process not found");
    let status = Command::new("kill").args([&format!("-{signal}"), &pid]).status();
    assert!(status.is_ok_and(|s| s.success()));
    t.wait_for(&format!("EXITED-{expected_code}"));
    t.assert_terminal_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    exits_cleanly_on_signal("term", "TERM", 143);
}

#[test]
fn sighup_restores_the_terminal() {
    exits_cleanly_on_signal("hup", "HUP", 129);
}

#[test]
fn a_panic_restores_the_terminal_before_the_report() {
    let Some(t) = Tmux::start("panic", 100, 30) else {
        return;
    };
    t.type_text(&format!("{} --demo --debug-panic-after-ms 700; echo EXITED-$?", binary()));
    t.keys(&["Enter"]);
    let screen = t.wait_for("EXITED-101");
    assert!(screen.contains("panic drill requested"), "the report is readable on the normal screen:\n{screen}");
    t.assert_terminal_restored();
}

#[test]
fn bad_flags_get_a_clear_error_and_exit_code_2() {
    let out = Command::new(binary()).args(["--demo", "--scale", "lots"]).output();
    let Ok(out) = out else { panic!("cannot run {}", binary()) };
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid value 'lots'") && stderr.contains("--scale"), "{stderr}");
    let out = Command::new(binary()).args(["snapshot", "--pane", "bogus"]).output();
    let Ok(out) = out else { panic!("cannot run {}", binary()) };
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let names: Vec<&str> = vigil::pane::REGISTRY.iter().map(|p| p.command).collect();
    let (last, rest) = names.split_last().unwrap();
    assert!(stderr.contains(&format!("expected {} or {last}", rest.join(", "))), "every pane is named: {stderr}");
}

#[test]
fn a_bad_theme_file_names_file_and_line() {
    let dir = std::env::temp_dir().join(format!("vigil-theme-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("bad.toml");
    let _ = std::fs::write(&path, "name = \"bad\"\n[colors]\nhigh = \"ultraviolet\"\n");
    let out = Command::new(binary()).args(["--demo", "--theme", &path.display().to_string()]).output();
    let Ok(out) = out else { panic!("cannot run {}", binary()) };
    assert_eq!(out.status.code(), Some(2), "bad input, like a bad config");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.toml:3:8: colors.high: expected a colour name"), "{stderr}");
}

#[test]
fn aws_console_on_moto_shows_the_real_account_and_its_findings() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let Some(t) = Tmux::start("aws", 120, 30) else {
        return;
    };
    let env = "AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_MAX_ATTEMPTS=1 AWS_CONFIG_FILE=/nonexistent";
    t.type_text(&format!("{env} {} --endpoint-url {endpoint}; echo EXITED-$?", binary()));
    t.keys(&["Enter"]);
    let screen = t.wait_for("123456789012");
    assert!(!screen.contains("DEMO DATA"), "real data is not marked as demo:\n{screen}");
    t.wait_for("xz-utils");
    t.keys(&["5"]);
    t.wait_for("security score 62%");
    t.keys(&["3"]);
    t.wait_for("prod/payments-db");
    t.keys(&["q"]);
    t.wait_for("EXITED-0");
    t.assert_terminal_restored();
}

/// An expired SSO session renewed in place: `:login` steps the console aside, `aws sso login` gets
/// the terminal (and the keys typed to it, none lost to the console), and the console comes back
/// and refreshes. A fake `aws` on PATH stands in for the AWS CLI.
#[test]
fn login_runs_aws_sso_login_in_the_terminal_and_comes_back() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let Some(t) = Tmux::start("login", 120, 30) else {
        return;
    };
    let bin = std::env::temp_dir().join(format!("vigil-fake-aws-{}", std::process::id()));
    std::fs::create_dir_all(&bin).unwrap();
    let called = bin.join("called");
    let script = format!(
        "#!/bin/sh\necho \"$*\" > {called}\nprintf 'Type the code shown, then Enter: '\nread answer\necho \"answer $answer\" >> {called}\nsleep 1\n",
        called = called.display()
    );
    let aws = bin.join("aws");
    std::fs::write(&aws, script).unwrap();
    std::process::Command::new("chmod").arg("+x").arg(&aws).status().unwrap();
    // The profile is named as SSO users name theirs; its keys are moto's.
    let config = bin.join("config");
    std::fs::write(&config, "[profile oncall]\nregion = us-east-1\n").unwrap();
    let credentials = bin.join("credentials");
    std::fs::write(&credentials, "[oncall]\naws_access_key_id = testing\naws_secret_access_key = testing\n").unwrap();
    let env = format!(
        "PATH={}:$PATH AWS_PROFILE=oncall AWS_MAX_ATTEMPTS=1 AWS_CONFIG_FILE={} AWS_SHARED_CREDENTIALS_FILE={} AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY=",
        bin.display(),
        config.display(),
        credentials.display()
    );
    t.type_text(&format!("{env} {} --endpoint-url {endpoint}; echo EXITED-$?", binary()));
    t.keys(&["Enter"]);
    t.wait_for("123456789012");
    t.type_text(":login");
    t.keys(&["Enter"]);
    let handed = t.wait_for("Type the code shown");
    assert!(handed.contains("vigil: running `aws sso login --profile oncall`"), "{handed}");
    assert!(!t.alternate_screen_on(), "the command has the normal screen");
    t.type_text("ABCD-1234");
    t.keys(&["Enter"]);
    // Typed while the login still runs (it waits on a browser) and never read by it: meant for
    // the login, so it must not quit the console when the screen comes back.
    t.keys(&["q"]);
    // The console takes the screen back (its message may already have given way to a refresh's).
    t.wait_until("the console back", |screen| screen.contains(" VIGIL ") && screen.contains("profile oncall"));
    assert!(t.alternate_screen_on(), "the console took the screen back");
    // Still the console: a pane key works (had the q quit it, the 2 would go to the shell).
    t.keys(&["2"]);
    t.wait_for(" Certificates ");
    assert!(!t.screen().contains("EXITED"), "the q typed to the login did not quit the console");
    let said = std::fs::read_to_string(&called).unwrap();
    assert_eq!(said, "sso login --profile oncall\nanswer ABCD-1234\n", "every key typed reached the login");
    t.keys(&["q"]);
    t.wait_for("EXITED-0");
    t.assert_terminal_restored();
    let _ = std::fs::remove_dir_all(bin);
}

/// The console through the fault proxy: `env` first, then vigil on the proxy's endpoint.
fn console_through(t: &Tmux, proxy: &FaultProxy, name: &str, extra_env: &str) -> std::path::PathBuf {
    let cache = std::env::temp_dir().join(format!("vigil-{name}-cache-{}", std::process::id()));
    let env = format!(
        "AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_MAX_ATTEMPTS=1 AWS_CONFIG_FILE=/nonexistent VIGIL_CACHE_DIR={} {extra_env}",
        cache.display()
    );
    t.type_text(&format!("{env} {} --endpoint-url {}; echo EXITED-$?", binary(), proxy.endpoint()));
    t.keys(&["Enter"]);
    cache
}

#[test]
fn aws_throttled_pane_shows_stale_data_backs_off_and_recovers() {
    let Some(proxy) = FaultProxy::start() else { return };
    // The first ListCertificates call is throttled; the retry about 5 s later gets through.
    proxy.inject("CertificateManager.ListCertificates", "throttle", Some(1));
    let Some(t) = Tmux::start("throttle", 140, 30) else { return };
    let cache = console_through(&t, &proxy, "throttle", "");
    t.wait_for("123456789012");
    t.keys(&["2"]);
    let throttled = t.wait_for("throttled by ACM");
    assert!(throttled.contains("Retry in") || throttled.contains("Retrying"), "the retry is announced:\n{throttled}");
    // No data yet, no crash; then the retries get through on their own.
    let recovered = t.wait_for_loaded("checkout.shop.example.com");
    assert!(!recovered.contains("throttled by ACM"), "the error clears on success:\n{recovered}");
    t.keys(&["q"]);
    t.wait_for("EXITED-0");
    let _ = std::fs::remove_dir_all(cache);
}

#[test]
fn aws_console_answers_keys_while_a_call_hangs_then_shows_the_timeout() {
    let Some(proxy) = FaultProxy::start() else { return };
    // ListCertificates hangs well past the attempt timeout (4 s here) until the fault is cleared.
    proxy.add(serde_json::json!({ "match": "CertificateManager.ListCertificates", "fault": "slow", "count": null, "delay": 60 }));
    let Some(t) = Tmux::start("hang", 140, 30) else { return };
    let cache = console_through(&t, &proxy, "hang", "VIGIL_AWS_TIMEOUT_SECS=4");
    t.wait_for("123456789012");
    t.wait_for("xz-utils");
    // While the call hangs, keys still work: switch panes, open help, filter.
    t.keys(&["2"]);
    t.wait_for(" Certificates ");
    t.keys(&["3"]);
    t.wait_for("prod/payments-db");
    t.keys(&["?"]);
    t.wait_for("Keys");
    t.keys(&["Escape", "2"]);
    let timed_out = t.wait_for("ListCertificates timed out");
    assert!(timed_out.contains("ACM"), "{timed_out}");
    assert!(proxy.hits("CertificateManager.ListCertificates") >= 1);
    proxy.clear();
    let recovered = t.wait_for_loaded("checkout.shop.example.com");
    assert!(!recovered.contains("timed out"), "the error clears on success:\n{recovered}");
    t.keys(&["q"]);
    t.wait_for("EXITED-0");
    t.assert_terminal_restored();
    let _ = std::fs::remove_dir_all(cache);
}

/// Two regions named at start: `:ctx 2` switches once the second has connected, `:ctx 1` comes
/// back at once with the first region's findings.
#[test]
fn aws_ctx_switches_between_the_regions_named_at_start() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let Some(t) = Tmux::start("ctx", 120, 30) else {
        return;
    };
    // A cache of its own: the console opens on it, connecting, until AWS answers.
    let cache = std::env::temp_dir().join(format!("vigil-e2e-ctx-{}", std::process::id()));
    let env = format!(
        "AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_MAX_ATTEMPTS=1 AWS_CONFIG_FILE=/nonexistent VIGIL_CACHE_DIR={}",
        cache.display()
    );
    t.type_text(&format!(
        "{env} {} --endpoint-url {endpoint} --region us-east-1,ca-central-1; echo EXITED-$?",
        binary()
    ));
    t.keys(&["Enter"]);
    t.wait_for("ctx 1/2");
    t.wait_for("xz-utils");
    // `:ctx` switches only once the first context is confirmed.
    t.wait_until("connected", |screen| !screen.contains("CONNECTING"));
    t.type_text(":ctx");
    t.keys(&["Enter"]);
    t.wait_for("*1 default us-east-1  2 default ca-central-1");
    t.type_text(":ctx 2");
    t.keys(&["Enter"]);
    t.wait_for_all(&["ctx 2/2", "ca-central-1"]);
    t.wait_until("no row of the first region stays", |screen| !screen.contains("xz-utils"));
    t.type_text(":ctx us-east");
    t.keys(&["Enter"]);
    t.wait_for("ctx 1/2");
    t.wait_for("xz-utils");
    // Both regions as one: the first region's rows are back, beside the second's.
    t.type_text(":ctx all");
    t.keys(&["Enter"]);
    // The all view names no single account.
    t.wait_for_all(&["ctx all 2", "2 contexts │ all"]);
    t.wait_for("xz-utils");
    t.type_text(":ctx 2");
    t.keys(&["Enter"]);
    t.wait_for("ctx 2/2");
    t.keys(&["q"]);
    t.wait_for("EXITED-0");
    t.assert_terminal_restored();
    let _ = std::fs::remove_dir_all(cache);
}

/// SGR parameters that set a colour: 30-37, 38;…, 40-47, 48;…, 90-97, 100-107.
fn colour_escapes(screen: &str) -> Vec<String> {
    let mut found = Vec::new();
    for sgr in screen.split("\u{1b}[").skip(1) {
        let Some(end) = sgr.find('m') else { continue };
        let params = &sgr[..end];
        if params.split(';').any(|p| matches!(p.parse::<u16>(), Ok(30..=38 | 40..=48 | 90..=97 | 100..=107))) {
            found.push(params.to_string());
        }
    }
    found
}

#[test]
fn no_color_draws_without_a_single_colour_escape_and_the_war_room_board_shows() {
    let Some(t) = Tmux::start("nocolor", 120, 35) else {
        return;
    };
    t.type_text(&format!("NO_COLOR=1 {} --demo --war-room; echo EXITED-$?", binary()));
    t.keys(&["Enter"]);
    t.wait_for("READ-ONLY");
    t.wait_for_all(&["Critical and high: last 24h", "Open findings", "Due within 7 days"]);
    let coloured = t.run(&["capture-pane", "-p", "-e", "-t", "e2e"]);
    assert!(colour_escapes(&coloured).is_empty(), "colour escapes with NO_COLOR: {:?}", colour_escapes(&coloured));
    // Esc shows the panes (still read-only); z groups, e opens the radar, Enter jumps, Backspace returns.
    t.keys(&["Escape"]);
    t.wait_for(" Findings ");
    t.keys(&["z"]);
    t.wait_for("by type");
    t.keys(&["e"]);
    t.wait_for("Expiry radar");
    t.keys(&["Enter"]);
    t.wait_for(" Secrets ");
    t.keys(&["BSpace"]);
    t.wait_for("by type");
    t.keys(&["q"]);
    t.wait_for("EXITED-0");
    t.assert_terminal_restored();
    // With colour, the same screen has them (the check above can see colours at all).
    let Some(t) = Tmux::start("colour", 100, 30) else {
        return;
    };
    t.type_text(&format!("{} --demo; echo EXITED-$?", binary()));
    t.keys(&["Enter"]);
    t.wait_for_loaded(" Findings ");
    let coloured = t.run(&["capture-pane", "-p", "-e", "-t", "e2e"]);
    assert!(!colour_escapes(&coloured).is_empty(), "{coloured}");
    t.keys(&["q"]);
    t.wait_for("EXITED-0");
}

#[test]
fn keys_from_the_config_drive_the_console_and_a_conflict_stops_it_naming_both() {
    let Some(t) = Tmux::start("keys", 100, 30) else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("vigil-e2e-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        "[keys]\nquit = [\"Q\"]\nhelp = \"h\"\n\n[keys.tables]\nmove-down = [\"ctrl-n\", \"down\"]\n",
    )
    .unwrap();
    t.type_text(&format!("{} --demo --config {}; echo EXITED-$?", binary(), config.display()));
    t.keys(&["Enter"]);
    t.wait_for_all(&[" Findings ", "Q quit", "h help"]);
    // q no longer quits; h opens and closes the help; Q quits.
    t.keys(&["q"]);
    t.keys(&["h"]);
    t.wait_for("Keys — ");
    t.keys(&["h"]);
    t.wait_for("Q quit");
    t.keys(&["Q"]);
    t.wait_for("EXITED-0");
    t.assert_terminal_restored();

    std::fs::write(&config, "[keys]\nrefresh = \"j\"\n").unwrap();
    t.type_text(&format!("clear; {} --demo --config {}; echo EXITED-$?", binary(), config.display()));
    t.keys(&["Enter"]);
    let screen = t.wait_for("EXITED-2").replace('\n', "");
    assert!(screen.contains("config.toml:2:1: keys: \"j\" would be both"), "{screen}");
    assert!(screen.contains("refresh") && screen.contains("move-down"), "{screen}");
    let _ = std::fs::remove_dir_all(dir);
}

/// `:history` in the demo, as a person would: the cost first, Enter runs it, the answer stays for
/// the session; on the Edge pane an attacking address is asked about as an IP.
#[test]
fn a_person_asks_the_history_of_a_finding_and_of_an_attacking_address() {
    let Some(t) = Tmux::start("history", 100, 30) else {
        return;
    };
    let data = std::env::temp_dir().join(format!("vigil-e2e-history-{}", std::process::id()));
    t.type_text(&format!(
        "VIGIL_SCAN_MEMORY={0}/scans.json VIGIL_AUDIT_LOG={0}/audit.jsonl {1} --demo; echo EXITED-$?",
        data.display(),
        binary()
    ));
    t.keys(&["Enter"]);
    t.wait_for(" Findings ");
    t.keys(&[":"]);
    t.type_text("history type 14d");
    t.keys(&["Enter"]);
    t.wait_for_all(&["History: findings of type", "Not run yet: Enter runs it", "Scans", "Hard stop"]);
    t.keys(&["Enter"]);
    t.wait_for_all(&["Since when", "First seen", "Findings per day"]);
    // Each Escape waits for the list to close: an Escape followed at once by a key is Alt+key.
    let closed = |t: &Tmux| t.wait_until("the history list closed", |s| !s.contains("History:"));
    t.keys(&["Escape"]);
    closed(&t);
    t.keys(&[":"]);
    t.type_text("history 14d type");
    t.keys(&["Enter"]);
    t.wait_for("Findings per day");
    t.keys(&["Escape"]);
    closed(&t);
    t.keys(&["6", "/"]);
    t.type_text("Source IP");
    t.keys(&["Enter"]);
    t.keys(&[":"]);
    t.type_text("history");
    t.keys(&["Enter"]);
    t.wait_for("History: findings of ip");
    t.keys(&["Escape"]);
    closed(&t);
    t.keys(&["q"]);
    t.wait_for("EXITED-0");
    t.assert_terminal_restored();
    let _ = std::fs::remove_dir_all(&data);
}
