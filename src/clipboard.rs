//! Copying to the clipboard of the terminal the user sits at, with OSC 52: it works over SSH and
//! inside tmux, and never launches anything on the remote host. Inside tmux the sequence is sent
//! plain: tmux itself takes it when its `set-clipboard` option is `on` and passes it to the outer
//! terminal (tmux 3.3+ ships `allow-passthrough` off, so a passthrough-wrapped sequence would be
//! dropped silently). When tmux will not take it, the console says so instead of claiming a copy.
//!
//! What is copied is pasted later, into a shell. So it is the sanitised text: no escape sequence
//! (which could end a bracketed paste and run what follows) and no line break (which would run the
//! line): several ids are copied separated by spaces.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::io::Write;

/// The text that goes on the clipboard: sanitised, one line.
pub fn clipboard_text(text: &str) -> String {
    crate::sanitize::sanitize(text).into_owned()
}

/// The escape sequence that puts `text` on the clipboard, the same inside tmux and out.
pub fn osc52(text: &str) -> String {
    format!("\u{1b}]52;c;{}\u{7}", STANDARD.encode(clipboard_text(text)))
}

/// Why tmux will not pass a program's copy on, from its `set-clipboard` option (`on`, `external`,
/// `off`); `None` when it will.
pub fn tmux_refuses(set_clipboard: &str) -> Option<String> {
    match set_clipboard.trim() {
        "on" => None,
        other => Some(format!(
            "tmux's set-clipboard is {}: tmux takes no copy from a program (tmux set -g set-clipboard on)",
            if other.is_empty() { "unknown" } else { other }
        )),
    }
}

/// Copies `text`; an error says why it could not reach the clipboard (tmux refusing it included).
pub fn copy(text: &str) -> Result<(), String> {
    // Asking tmux runs a process on the UI thread: done until tmux says yes, then remembered (a
    // refusal is asked again, so `tmux set -g set-clipboard on` works without a restart).
    static TMUX_TAKES_COPIES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if std::env::var_os("TMUX").is_some() && !TMUX_TAKES_COPIES.load(std::sync::atomic::Ordering::Relaxed) {
        let option = std::process::Command::new("tmux").args(["show-options", "-gv", "set-clipboard"]).output();
        if let Some(why) = option.ok().and_then(|o| tmux_refuses(&String::from_utf8_lossy(&o.stdout))) {
            return Err(why);
        }
        TMUX_TAKES_COPIES.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    let mut out = std::io::stdout();
    out.write_all(osc52(text).as_bytes()).and_then(|()| out.flush()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(sequence: &str) -> String {
        let payload = sequence.strip_prefix("\u{1b}]52;c;").unwrap().strip_suffix('\u{7}').unwrap();
        String::from_utf8(STANDARD.decode(payload).unwrap()).unwrap()
    }

    #[test]
    fn osc52_is_plain_and_tmux_must_allow_it() {
        assert_eq!(osc52("hi"), "\u{1b}]52;c;aGk=\u{7}");
        assert_eq!(tmux_refuses("on\n"), None);
        assert!(tmux_refuses("external\n").unwrap().contains("set-clipboard is external"));
        assert!(tmux_refuses("off").unwrap().contains("tmux set -g set-clipboard on"));
    }

    #[test]
    fn a_copied_id_cannot_end_a_bracketed_paste_or_run_a_line() {
        let hostile = "arn:aws:s3:::bucket\u{1b}[201~\nrm -rf ~\r\u{202e}x";
        let pasted = decoded(&osc52(hostile));
        assert!(!pasted.contains('\u{1b}') && !pasted.contains('\n') && !pasted.contains('\r'), "{pasted:?}");
        assert!(!pasted.contains("[201~") || !pasted.contains('\u{1b}'));
        assert!(pasted.starts_with("arn:aws:s3:::bucket"));
    }
}
