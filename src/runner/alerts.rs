//! Delivering alerts: the terminal bell, a desktop notification through the terminal (OSC 9 or
//! OSC 777, wrapped for tmux's passthrough), and a configured command with the alert's JSON on
//! stdin. A failing command is said on screen, never fatal; nothing from AWS reaches the terminal
//! unsanitised (a title could otherwise end the escape sequence and write its own).

use crate::model::alerts::Alert;
use crate::model::alerts::{AlertSettings, Notify};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// A hook that has not finished in this long is stopped (with everything it started) and reported.
pub const HOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// What a hook's environment keeps of Vigil's: enough to run a shell and its tools, none of the
/// credentials (no `AWS_*`) unless the config names them in `hook_env`.
const HOOK_ENV: &[&str] = &["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR"];
/// Characters of a notification's title and body at most.
const NOTIFICATION_CHARS: usize = 180;

/// Text safe inside an OSC sequence: sanitised (no control character, so no BEL or ESC to end the
/// sequence), `;` replaced (OSC 777 separates its fields with it), short.
fn osc_text(text: &str) -> String {
    crate::sanitize::sanitize(text).replace(';', ",").chars().take(NOTIFICATION_CHARS).collect()
}

/// What to write to the terminal for `alerts`: the bell once, a notification each.
pub fn terminal_bytes(alerts: &[Alert], settings: &AlertSettings, inside_tmux: bool) -> String {
    let mut out = String::new();
    let wrap = |sequence: String| {
        if inside_tmux {
            // tmux passes it to the outer terminal (with `allow-passthrough on`); ESC doubled.
            format!("\u{1b}Ptmux;{}\u{1b}\\", sequence.replace('\u{1b}', "\u{1b}\u{1b}"))
        } else {
            sequence
        }
    };
    for alert in alerts {
        let title = osc_text(&alert.title);
        let body = osc_text(&alert.detail);
        if matches!(settings.notify, Notify::Osc9 | Notify::Both) {
            out.push_str(&wrap(format!("\u{1b}]9;Vigil: {title}\u{7}")));
        }
        if matches!(settings.notify, Notify::Osc777 | Notify::Both) {
            out.push_str(&wrap(format!("\u{1b}]777;notify;Vigil: {title};{body}\u{7}")));
        }
    }
    if settings.bell && !alerts.is_empty() {
        out.push('\u{7}');
    }
    out
}

/// Runs `command` (through `sh -c`) with `alert` as one JSON document on stdin (unsafe characters
/// escaped), in a process group of its own and an environment of [`HOOK_ENV`] plus the variables
/// `pass_env` names; past `timeout` the whole group is killed, not only the shell.
pub async fn run_hook(command: &str, alert: &Alert, pass_env: &[String], timeout: Duration) -> Result<(), String> {
    let json = crate::sanitize::json_line(alert).map_err(|e| e.to_string())?;
    let mut shell = tokio::process::Command::new("sh");
    shell
        .arg("-c")
        .arg(command)
        .env_clear()
        .envs(
            HOOK_ENV
                .iter()
                .copied()
                .chain(pass_env.iter().map(String::as_str))
                .filter_map(|name| std::env::var_os(name).map(|value| (name.to_string(), value))),
        )
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true);
    #[cfg(unix)]
    shell.process_group(0);
    let mut child = shell.spawn().map_err(|e| format!("cannot start it: {e}"))?;
    let group = child.id();
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that does not read its input is its own business: a broken pipe is no failure.
        let _ = stdin.write_all(json.as_bytes()).await;
        let _ = stdin.write_all(b"\n").await;
    }
    match tokio::time::timeout(timeout, child.wait()).await {
        Ok(Ok(status)) if status.success() => Ok(()),
        Ok(Ok(status)) => Err(format!("it exited with {status}")),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => {
            kill_group(group).await;
            let _ = child.kill().await;
            Err(format!("it did not finish within {}s and was stopped", timeout.as_secs()))
        }
    }
}

/// Kills every process of the hook's group (a pipeline's children outlive its shell otherwise).
/// Through kill(1): Vigil has no unsafe code to call killpg with.
async fn kill_group(group: Option<u32>) {
    #[cfg(unix)]
    if let Some(pid) = group {
        let _ = tokio::process::Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{pid}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .await;
    }
    #[cfg(not(unix))]
    let _ = group;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::alerts::AlertSource;

    fn settings(notify: Notify) -> AlertSettings {
        AlertSettings {
            enabled: true,
            min_severity: crate::model::SeverityLabel::High,
            bell: true,
            notify,
            command: None,
            command_env: Vec::new(),
            per_minute: 6,
        }
    }

    fn alert(title: &str) -> Alert {
        Alert {
            source: AlertSource::FINDING,
            key: "k".into(),
            title: title.into(),
            detail: "d;e".into(),
            severity: None,
            account: None,
            region: None,
            at: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_hostile_title_cannot_end_the_notification_or_write_its_own() {
        let hostile = alert("evil\u{7}\u{1b}]0;pwned\u{7}\u{1b}[2J; rm");
        let bytes = terminal_bytes(&[hostile], &settings(Notify::Both), false);
        // Exactly our own sequences: two notifications and the bell, nothing else that escapes.
        assert_eq!(bytes.matches('\u{1b}').count(), 2, "{bytes:?}");
        assert_eq!(bytes.matches('\u{7}').count(), 3, "{bytes:?}");
        assert!(bytes.starts_with("\u{1b}]9;Vigil: evil, rm\u{7}"), "{bytes:?}");
        assert!(bytes.contains("\u{1b}]777;notify;Vigil: evil, rm;d,e\u{7}"), "{bytes:?}");
    }

    #[test]
    fn inside_tmux_the_sequences_pass_through() {
        let bytes = terminal_bytes(&[alert("t")], &settings(Notify::Osc9), true);
        assert_eq!(bytes, "\u{1b}Ptmux;\u{1b}\u{1b}]9;Vigil: t\u{7}\u{1b}\\\u{7}");
        assert_eq!(terminal_bytes(&[], &settings(Notify::Osc9), false), "", "no alert, no bell");
        assert_eq!(terminal_bytes(&[alert("t")], &AlertSettings { bell: false, ..settings(Notify::None) }, false), "");
    }

    #[test]
    fn the_hook_gets_the_json_once_and_its_failure_is_an_error() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let dir = std::env::temp_dir().join(format!("vigil-hook-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("got.json");
        let command = format!("cat >> '{}'", file.display());
        runtime.block_on(run_hook(&command, &alert("hello"), &[], HOOK_TIMEOUT)).unwrap();
        let got = std::fs::read_to_string(&file).unwrap();
        assert_eq!(got.lines().count(), 1, "{got}");
        let json: serde_json::Value = serde_json::from_str(got.trim()).unwrap();
        assert_eq!((json["title"].as_str(), json["source"].as_str()), (Some("hello"), Some("finding")));
        let failed = runtime.block_on(run_hook("exit 3", &alert("x"), &[], HOOK_TIMEOUT)).unwrap_err();
        assert!(failed.contains("exit status: 3"), "{failed}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_hook_json_escapes_what_a_terminal_would_obey() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let dir = std::env::temp_dir().join(format!("vigil-hook-escape-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("got.json");
        let hostile = "evil\u{9b}2J \u{202e}gnp.exe \u{200b}x \u{1b}]0;t\u{7}";
        runtime.block_on(run_hook(&format!("cat > '{}'", file.display()), &alert(hostile), &[], HOOK_TIMEOUT)).unwrap();
        let got = std::fs::read_to_string(&file).unwrap();
        assert!(got.trim_end().chars().all(|c| !crate::sanitize::is_unsafe_raw(c)), "{got:?}");
        let json: serde_json::Value = serde_json::from_str(got.trim()).unwrap();
        assert_eq!(json["title"].as_str(), Some(hostile), "the value is kept, only escaped");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn the_hook_runs_without_credentials_and_a_timeout_stops_everything_it_started() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let dir = std::env::temp_dir().join(format!("vigil-hook-group-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let env_file = dir.join("env");
        let command = format!("env > '{}'", env_file.display());
        let got = |pass: &[String]| {
            runtime.block_on(run_hook(&command, &alert("x"), pass, HOOK_TIMEOUT)).unwrap();
            std::fs::read_to_string(&env_file).unwrap()
        };
        let path = std::env::var("PATH").unwrap_or_default();
        let env = got(&[]);
        // tests/run exports AWS credentials: none of them reaches the hook.
        assert!(!env.contains("AWS_"), "no AWS variable reaches the hook: {env}");
        assert!(env.contains(&format!("PATH={path}")), "{env}");
        // cargo sets this for the tests: absent unless `hook_env` names it.
        assert!(!env.contains("CARGO_MANIFEST_DIR="), "{env}");
        assert!(got(&["CARGO_MANIFEST_DIR".to_string()]).contains("CARGO_MANIFEST_DIR="), "named, it passes");

        // A pipeline of sleeps: when the timeout stops the hook, none of them is left running.
        let pids = dir.join("pids");
        let command = format!("sleep 30 & echo $! >> '{0}'; sleep 30 | cat & echo $! >> '{0}'; wait", pids.display());
        let started = std::time::Instant::now();
        let failed = runtime.block_on(run_hook(&command, &alert("x"), &[], Duration::from_millis(500))).unwrap_err();
        assert!(failed.contains("was stopped"), "{failed}");
        assert!(started.elapsed() < Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(200));
        for pid in std::fs::read_to_string(&pids).unwrap().split_whitespace() {
            let alive = std::path::Path::new(&format!("/proc/{pid}")).exists()
                && !std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default().contains(") Z ");
            assert!(!alive, "process {pid} of the hook outlived its timeout");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
