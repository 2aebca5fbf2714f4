//! Vigil's files on disk, through the real binary: the log is 0600 in 0700 directories and holds
//! no credential even at `VIGIL_LOG=trace`; `vigil audit` reads past damaged lines.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn temp(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vigil-files-it-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// The binary with every directory it may use inside `home` (the `directories` crate reads
/// `HOME` and the absolute `XDG_*_HOME` variables), and nothing of the user's AWS set-up.
fn vigil(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigil"));
    cmd.env("HOME", home)
        .env("XDG_DATA_HOME", home.join("xdg-data"))
        .env("XDG_CACHE_HOME", home.join("xdg-cache"))
        .env("XDG_CONFIG_HOME", home.join("xdg-config"))
        .env("AWS_CONFIG_FILE", home.join("no-aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-aws-credentials"))
        .env("AWS_MAX_ATTEMPTS", "1")
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::null());
    for var in ["VIGIL_CACHE_DIR", "VIGIL_AUDIT_LOG", "VIGIL_CONFIG", "VIGIL_LOG", "AWS_PROFILE", "AWS_ENDPOINT_URL"] {
        cmd.env_remove(var);
    }
    cmd
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

/// An endpoint nothing listens on: every call is refused (after the request was signed).
fn refusing_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// `vigil snapshot` against moto (under `tests/run`) or a refusing endpoint, with test
/// credentials in the environment; returns the log's text.
fn snapshot_logged_at(home: &Path, spec: &str) -> String {
    let endpoint = std::env::var("VIGIL_MOTO_ENDPOINT").unwrap_or_else(|_| refusing_endpoint());
    let out = vigil(home)
        .args(["snapshot", "--endpoint-url", &endpoint, "--region", "us-east-1", "--pane", "secrets"])
        .env("VIGIL_LOG", spec)
        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEY123456")
        .env("AWS_SECRET_ACCESS_KEY", "secretEXAMPLE")
        .env("AWS_SESSION_TOKEN", "tokenEXAMPLE")
        .output()
        .unwrap();
    let log = home.join("xdg-data/vigil/vigil.log");
    assert_eq!(mode(&log), 0o600, "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::read_to_string(&log).unwrap()
}

fn assert_no_credential(text: &str) {
    for secret in ["AKIAEXAMPLEKEY123456", "secretEXAMPLE", "tokenEXAMPLE", "Signature="] {
        assert!(!text.contains(secret), "{secret} reached the log:\n{text}");
    }
}

#[test]
fn a_trace_log_is_private_and_holds_no_credential() {
    let home = temp("trace");
    // The SDK and HTTP crates are capped at info: none of their requests is logged.
    let text = snapshot_logged_at(&home, "trace");
    assert_eq!(mode(&home.join("xdg-data")), 0o700, "every directory Vigil creates");
    assert_eq!(mode(&home.join("xdg-data/vigil")), 0o700);
    assert_eq!(mode(&home), 0o755, "a directory Vigil did not create keeps its mode");
    assert_no_credential(&text);
    assert!(!text.lines().any(|l| l.contains("TRACE aws_") || l.contains("DEBUG aws_")), "capped:\n{text}");
    // Named explicitly, they log their requests, credentials and signing included: the
    // redaction still keeps every secret out.
    std::fs::remove_file(home.join("xdg-data/vigil/vigil.log")).unwrap();
    let text = snapshot_logged_at(&home, "trace,aws=trace,hyper=trace,http=trace,h2=trace,tower=trace");
    assert!(text.contains("TRACE aws_smithy_runtime"), "the SDK logs at trace when asked:\n{text}");
    assert!(text.contains("[redacted]"), "{text}");
    assert_no_credential(&text);
    let _ = std::fs::remove_dir_all(home);
}

#[test]
fn a_linked_log_file_is_refused_and_left_alone() {
    let home = temp("linked-log");
    std::fs::create_dir_all(home.join("xdg-data/vigil")).unwrap();
    let victim = home.join("victim");
    std::fs::write(&victim, b"precious").unwrap();
    std::os::unix::fs::symlink(&victim, home.join("xdg-data/vigil/vigil.log")).unwrap();
    let out = vigil(&home).args(["snapshot", "--demo", "--pane", "certs"]).env("VIGIL_LOG", "trace").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("vigil.log is a symbolic link"), "{stderr}");
    assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
    let _ = std::fs::remove_dir_all(home);
}

fn audit(home: &Path, log: &Path) -> Output {
    vigil(home).arg("audit").env("VIGIL_AUDIT_LOG", log).output().unwrap()
}

#[test]
fn vigil_audit_prints_the_good_records_and_names_the_damaged_lines() {
    use vigil::audit::{AuditLog, AuditRecord, Phase};
    use vigil::model::triage::TriageAction;
    let home = temp("audit");
    let path = home.join("audit.jsonl");
    let record = AuditRecord {
        time: chrono::Utc::now(),
        phase: Phase::Attempt,
        account: "123456789012".into(),
        region: "us-east-1".into(),
        principal: None,
        profile: None,
        demo: false,
        action: "rotate secret now".into(),
        parameters: TriageAction::Secrets(vigil::model::panes::secrets::Action::RotateSecret),
        targets: vec![],
        result: None,
        error: None,
    };
    AuditLog::new(&path).append(&record).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"{\"action\": \"\xc3\x28\"}\n");
    bytes.extend_from_slice(&bytes.clone()[..bytes.len() / 3]);
    std::fs::write(&path, &bytes).unwrap();

    let out = audit(&home, &path);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "records were printed: {stderr}");
    assert!(stdout.contains("rotate secret now"), "{stdout}");
    let shown = path.display().to_string();
    assert!(stderr.contains(&format!("{shown}:2: not UTF-8")), "{stderr}");
    assert!(stderr.contains(&format!("{shown}:3: torn last line")), "{stderr}");

    // Nothing but damage: nothing to show, and a script must hear of it.
    std::fs::write(&path, b"\xff\xfe\n").unwrap();
    let out = audit(&home, &path);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(home);
}

/// An action on the embedded demo account is marked as such in the audit log: its principal reads
/// like a real one, and an auditor must not take it for a change in AWS.
#[test]
fn a_demo_action_is_marked_demo_in_the_audit_log() {
    use vigil::audit::AuditLog;
    use vigil::model::triage::TriageAction;
    use vigil::source::Source;
    let home = temp("audit-demo");
    let audit = AuditLog::new(home.join("audit.jsonl"));
    let demo = common::demo_source(40);
    let vigil::model::PaneData::Secrets(secrets) = demo.generate(vigil::pane::PaneId::Secrets, common::fixed_now())
    else {
        panic!("not secrets")
    };
    let secret = secrets.into_iter().find(|s| vigil::model::triage::secret_refusal(s).is_none()).unwrap();
    let target = vigil::model::triage::secret_target(&secret, &demo.info().context());
    let action = TriageAction::Secrets(vigil::model::panes::secrets::Action::RotateSecret);
    let (outcomes, error) =
        common::runtime().block_on(vigil::runner::execute::execute(&demo, &audit, &demo.info(), &action, &[target]));
    assert!(error.is_none() && outcomes.len() == 1, "{error:?} {outcomes:?}");
    let (records, _) = audit.read().unwrap();
    assert!(!records.is_empty() && records.iter().all(|r| r.demo), "{records:?}");
    let text = std::fs::read_to_string(audit.path()).unwrap();
    assert!(text.lines().all(|l| l.contains("\"demo\":true")), "{text}");
}
