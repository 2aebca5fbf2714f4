//! JSON written in one pass with what a terminal would obey escaped inside its strings, so 100k
//! findings become one buffer, not a pretty string plus an escaped copy of it.

use crate::sanitize::is_unsafe_raw;
use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};
use std::io::{self, Write};

/// A serde_json formatter that writes each string fragment with its unsafe characters as
/// `\uXXXX` escapes (UTF-16 units): the same output as `sanitize::escape_json` over the whole
/// text, without the second copy. serde_json escapes quotes, backslashes and C0 controls itself.
struct Escaping<F>(F);

impl<F: Formatter> Formatter for Escaping<F> {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| is_unsafe_raw(c)) {
            writer.write_all(&rest.as_bytes()[..at])?;
            for unit in c.encode_utf16(&mut [0; 2]) {
                write!(writer, "\\u{unit:04x}")?;
            }
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }

    // Layout is the inner formatter's (serde_json's defaults forward nothing, so each is named).
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// `value` as pretty JSON with a final newline, unsafe characters escaped.
pub fn pretty(value: &impl Serialize) -> serde_json::Result<String> {
    write(value, PrettyFormatter::new(), "\n")
}

/// [`pretty`], written straight to `out`: at 100k findings the text is 100+ MB, never held whole.
pub fn pretty_to(out: &mut impl Write, value: &impl Serialize) -> serde_json::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, Escaping(PrettyFormatter::new()));
    value.serialize(&mut serializer)?;
    out.write_all(b"\n").map_err(serde_json::Error::io)
}

fn write(value: &impl Serialize, formatter: impl Formatter, end: &str) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(4096);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, Escaping(formatter));
    value.serialize(&mut serializer)?;
    out.extend_from_slice(end.as_bytes());
    // Only whole `str` fragments and ASCII escapes were written.
    String::from_utf8(out).map_err(|e| serde_json::Error::io(io::Error::new(io::ErrorKind::InvalidData, e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sanitize::escape_json;

    #[test]
    fn written_to_a_stream_it_is_the_same_text() {
        let value = serde_json::json!({"a": "x\u{1b}[31my", "b": [1, 2]});
        let mut streamed = Vec::new();
        pretty_to(&mut streamed, &value).unwrap();
        assert_eq!(String::from_utf8(streamed).unwrap(), pretty(&value).unwrap());
    }

    #[test]
    fn the_same_text_as_escaping_the_whole_output_afterwards() {
        let hostile = "a\u{9b}31m\u{7f}\u{202e}\u{200b}\u{e0041}\u{2028}z \"q\" \\ \n\u{1b}[2J ünï ✓";
        let value = serde_json::json!({ "title": hostile, hostile: [1, hostile], "n": null });
        let expected = escape_json(serde_json::to_string_pretty(&value).unwrap() + "\n");
        assert_eq!(pretty(&value).unwrap(), expected);
    }
}
