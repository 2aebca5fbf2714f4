//! Copying to the clipboard of the terminal the user sits at, with OSC 52: it works over SSH and
//! inside tmux (through tmux's passthrough), and never launches anything on the remote host.
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

/// The escape sequence that puts `text` on the clipboard; wrapped for tmux when inside it.
pub fn osc52(text: &str, inside_tmux: bool) -> String {
    let sequence = format!("\u{1b}]52;c;{}\u{7}", STANDARD.encode(clipboard_text(text)));
    if inside_tmux { format!("\u{1b}Ptmux;\u{1b}{sequence}\u{1b}\\") } else { sequence }
}

pub fn copy(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout();
    out.write_all(osc52(text, std::env::var_os("TMUX").is_some()).as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(sequence: &str) -> String {
        let payload = sequence.strip_prefix("\u{1b}]52;c;").unwrap().strip_suffix('\u{7}').unwrap();
        String::from_utf8(STANDARD.decode(payload).unwrap()).unwrap()
    }

    #[test]
    fn osc52_wraps_for_tmux() {
        assert_eq!(osc52("hi", false), "\u{1b}]52;c;aGk=\u{7}");
        assert!(osc52("hi", true).starts_with("\u{1b}Ptmux;\u{1b}\u{1b}]52;c;"));
    }

    #[test]
    fn a_copied_id_cannot_end_a_bracketed_paste_or_run_a_line() {
        let hostile = "arn:aws:s3:::bucket\u{1b}[201~\nrm -rf ~\r\u{202e}x";
        let pasted = decoded(&osc52(hostile, false));
        assert!(!pasted.contains('\u{1b}') && !pasted.contains('\n') && !pasted.contains('\r'), "{pasted:?}");
        assert!(!pasted.contains("[201~") || !pasted.contains('\u{1b}'));
        assert!(pasted.starts_with("arn:aws:s3:::bucket"));
    }
}
