//! The one gate between hostile text (AWS strings, user input) and the terminal.
//!
//! Finding fields such as user agents and resource names are attacker-controlled. Written raw they
//! could move the cursor, retitle the window, set the clipboard (OSC 52) or reorder text with bidi
//! overrides. Everything drawn goes through [`sanitize`] first.

use std::borrow::Cow;

/// Removes terminal escape sequences (CSI, OSC, DCS, SOS/PM/APC and two-byte escapes, in both their
/// 7-bit and C1 forms), every other control character (C0, DEL, C1), bidirectional formatting
/// characters and the other invisible format characters (Unicode category Cf: zero-width
/// spaces and joiners, word joiners, the BOM, tag characters), which change a line's layout in
/// the terminal without showing. Newlines, tabs and the Unicode line and paragraph separators
/// become spaces so one record stays on one line.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if text.chars().all(is_plain) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']' | 'P' | 'X' | '^' | '_') => skip_string(&mut chars),
                // Two-byte escapes (ESC 7, ESC c, ...) and charset selection (ESC ( B).
                Some('(' | ')' | '*' | '+' | '-' | '.' | '/' | '#' | '%' | ' ') => {
                    chars.next();
                }
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if is_plain(c) => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

/// Like [`sanitize`] but keeps line breaks, for multi-line detail and JSON views.
pub fn sanitize_lines(text: &str) -> Vec<String> {
    text.split('\n').map(|line| sanitize(line).trim_end().to_string()).collect()
}

fn is_plain(c: char) -> bool {
    !(c.is_control() || is_invisible_format(c) || matches!(c, '\u{2028}' | '\u{2029}'))
}

/// Whether a character is unsafe to pass to a terminal or a file a person reads raw: control
/// characters, line separators and invisible format characters. The snapshot JSON escapes these.
pub fn is_unsafe_raw(c: char) -> bool {
    !is_plain(c)
}

/// Unicode general category Cf (format characters, Unicode 15.1), bidi controls included: none
/// of them shows, all of them can change how a line reads.
fn is_invisible_format(c: char) -> bool {
    is_bidi_control(c)
        || matches!(c,
            '\u{00ad}'
            | '\u{0600}'..='\u{0605}'
            | '\u{06dd}'
            | '\u{070f}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08e2}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
            // Not Cf, but just as invisible: variation selectors outside an emoji, Hangul fillers.
            | '\u{e0100}'..='\u{e01ef}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{3164}'
            | '\u{ffa0}')
}

/// Explicit directional formatting characters: they can make `evil.exe` read as `exe.live`.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// CSI: parameter and intermediate bytes up to a final byte in 0x40..=0x7e.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            // Not a CSI byte: the sequence was malformed; drop what we have seen and stop.
            break;
        }
    }
}

/// OSC/DCS/SOS/PM/APC strings end with BEL, ST (ESC \) or the C1 ST.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// JSON text in which every character a terminal or a reader could be fooled by (C1 controls,
/// DEL, bidi controls, invisible format characters, line separators) is written as a `\uXXXX`
/// escape. serde_json escapes C0 controls itself; the rest can only occur inside strings, so the
/// escaped text is the same JSON value.
pub fn escape_json(json: String) -> String {
    let unsafe_char = |c: char| is_unsafe_raw(c) && !matches!(c, '\n' | '\r' | '\t');
    if !json.chars().any(unsafe_char) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if unsafe_char(c) {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `value` as one line of JSON with what a terminal would obey escaped: every JSON Vigil writes
/// for others (the audit log, a hook's stdin, NDJSON) goes through it, since someone will `cat` it.
pub fn json_line<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    serde_json::to_string(value).map(escape_json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_untouched() {
        assert!(matches!(sanitize("Mozilla/5.0 (X11; Linux) ünïcode ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn strips_csi_sequences() {
        assert_eq!(sanitize("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(sanitize("x\u{1b}[2J\u{1b}[1;1Hy"), "xy");
        assert_eq!(sanitize("c1\u{9b}31mcsi"), "c1csi");
    }

    #[test]
    fn strips_osc_with_either_terminator() {
        assert_eq!(sanitize("t\u{1b}]0;pwned\u{7}ok"), "tok");
        assert_eq!(sanitize("t\u{1b}]52;c;ZXZpbA==\u{1b}\\ok"), "tok");
        assert_eq!(sanitize("link \u{1b}]8;;http://evil\u{1b}\\text\u{1b}]8;;\u{1b}\\"), "link text");
    }

    #[test]
    fn strips_dcs_and_two_byte_escapes() {
        assert_eq!(sanitize("a\u{1b}P1$r\u{1b}\\b"), "ab");
        assert_eq!(sanitize("a\u{1b}cb\u{1b}(Bc"), "abc");
    }

    #[test]
    fn strips_bel_nul_del_and_c1() {
        assert_eq!(sanitize("be\u{7}ll\u{0}nul\u{7f}del\u{85}nel"), "bellnuldelnel");
    }

    #[test]
    fn strips_bidi_overrides() {
        assert_eq!(sanitize("invoice\u{202e}fdp.exe"), "invoicefdp.exe");
        assert_eq!(sanitize("\u{2066}a\u{2069}\u{200f}"), "a");
    }

    #[test]
    fn strips_zero_width_and_other_invisible_format_characters() {
        assert_eq!(sanitize("a\u{200b}d\u{200d}m\u{2060}i\u{feff}n\u{ad}"), "admin");
        // Tag characters can smuggle a whole hidden string.
        assert_eq!(sanitize("ok\u{e0001}\u{e0068}\u{e0069}\u{e007f}"), "ok");
        assert_eq!(sanitize("one\u{2028}two\u{2029}three"), "one two three");
        for c in ['\u{200b}', '\u{e0041}', '\u{202e}', '\u{85}', '\u{7f}', '\u{2028}'] {
            assert!(is_unsafe_raw(c), "{c:?}");
        }
        assert!(!is_unsafe_raw('é') && !is_unsafe_raw('日') && !is_unsafe_raw('👍'));
    }

    #[test]
    fn line_breaks_become_spaces_or_lines() {
        assert_eq!(sanitize("one\ntwo\tthree\r"), "one two three ");
        assert_eq!(sanitize_lines("one\n\u{1b}[1mtwo"), vec!["one".to_string(), "two".to_string()]);
    }

    #[test]
    fn an_unterminated_sequence_eats_no_more_than_itself() {
        assert_eq!(sanitize("end\u{1b}"), "end");
        assert_eq!(sanitize("a\u{1b}]0;never terminated"), "a");
        assert_eq!(sanitize("a\u{1b}[12"), "a");
    }
}
