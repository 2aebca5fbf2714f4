//! The log file: `vigil.log` in the data directory (mode 0600, its directories 0700), never the
//! screen. `VIGIL_LOG` sets the level with `tracing` directives.
//!
//! Two guards keep credentials out of it. The AWS SDK and its HTTP stack log whole requests,
//! signed headers included, at debug and trace: their targets are capped at `info` unless
//! `VIGIL_LOG` names one of them itself. And every line is passed through [`redact`] before it is
//! written, which removes access key ids, request signatures, session tokens and secret keys
//! whatever logged them.

use std::borrow::Cow;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Targets that log requests with their headers below `info`: the SDK (`aws_smithy_runtime`,
/// `aws_sigv4`, `aws_config`, ... all start with `aws`) and the HTTP stack under it.
pub const CAPPED_TARGETS: &[&str] = &["aws", "hyper", "h2", "http", "rustls", "tower"];

/// The log file's path: `vigil.log` in the data directory.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "vigil").map(|d| d.data_local_dir().join("vigil.log"))
}

/// Sends `tracing` to `path` at the level `spec` (`VIGIL_LOG`) asks for, capped and redacted.
pub fn init(path: &Path, spec: Option<&str>) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        crate::files::create_private_dir_all(dir)?;
    }
    let file = crate::files::open_private_append(path)?;
    tracing_subscriber::fmt()
        .with_env_filter(filter(spec))
        .with_ansi(false)
        .with_writer(RedactingFile(Arc::new(Mutex::new(file))))
        .try_init()
        .map_err(std::io::Error::other)
}

/// `spec`'s directives (`info` when absent or invalid), with the SDK and HTTP targets capped at
/// `info` when the default level is more verbose, unless `spec` names the target itself.
pub fn filter(spec: Option<&str>) -> EnvFilter {
    let spec = spec.map(str::trim).filter(|s| !s.is_empty()).unwrap_or("info");
    let mut filter = EnvFilter::try_new(spec).unwrap_or_else(|_| EnvFilter::new("info"));
    let directives: Vec<&str> = spec.split(',').map(str::trim).collect();
    let default = directives.iter().filter_map(|d| d.parse::<LevelFilter>().ok()).max();
    if default.is_some_and(|level| level > LevelFilter::INFO) {
        let named = |target: &str| {
            directives.iter().any(|d| d.split(['=', '[']).next().is_some_and(|t| t.trim() == target) && d.contains('='))
        };
        for target in CAPPED_TARGETS.iter().filter(|t| !named(t)) {
            if let Ok(cap) = format!("{target}=info").parse() {
                filter = filter.add_directive(cap);
            }
        }
    }
    filter
}

/// Writes each formatted event to the file in one piece, after [`redact`].
struct RedactingFile(Arc<Mutex<File>>);

impl<'a> MakeWriter<'a> for RedactingFile {
    type Writer = RedactedEvent<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactedEvent { file: &self.0, buf: Vec::new() }
    }
}

/// One event's text, held until the formatter is done with it (it may write in pieces).
struct RedactedEvent<'a> {
    file: &'a Mutex<File>,
    buf: Vec<u8>,
}

impl Write for RedactedEvent<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&self.buf).into_owned();
        self.buf.clear();
        let mut file = self.file.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        file.write_all(redact(&text).as_bytes())
    }
}

impl Drop for RedactedEvent<'_> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

const REDACTED: &str = "[redacted]";

/// Names whose value is a secret, matched without regard to case: headers (`X-Amz-Security-Token`),
/// query parameters, config keys (`aws_secret_access_key`) and struct fields (`session_token`).
const SECRET_NAMES: &[&str] = &[
    "x-amz-security-token",
    "security_token",
    "session_token",
    "secret_access_key",
    "secretaccesskey",
    "sessiontoken",
];

/// Removes credentials from a log line: access key ids (`AKIA…`, `ASIA…`), SigV4 signatures
/// (`Signature=…`, `X-Amz-Signature=…`), and the values of [`SECRET_NAMES`].
pub fn redact(line: &str) -> Cow<'_, str> {
    let lower = line.to_ascii_lowercase();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    // Access key ids: AKIA (long-term) and ASIA (temporary), then upper-case letters and digits.
    for prefix in ["AKIA", "ASIA"] {
        for (at, _) in line.match_indices(prefix) {
            let run = line[at + 4..].bytes().take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit()).count();
            if run >= 12 {
                spans.push((at, at + 4 + run));
            }
        }
    }
    // Signatures: the name goes too, so no `Signature=` is left to suggest one was there.
    for (at, _) in lower.match_indices("signature=") {
        let run = line[at + 10..].bytes().take_while(u8::is_ascii_hexdigit).count();
        spans.push((at, at + 10 + run));
    }
    for name in SECRET_NAMES {
        for (at, _) in lower.match_indices(name) {
            if let Some(value) = value_after(line, at + name.len()) {
                spans.push(value);
            }
        }
    }
    if spans.is_empty() {
        return Cow::Borrowed(line);
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(line.len());
    let mut from = 0;
    for (start, end) in spans {
        if end <= from {
            continue;
        }
        let start = start.max(from);
        out.push_str(&line[from..start]);
        out.push_str(REDACTED);
        from = end;
    }
    out.push_str(&line[from..]);
    Cow::Owned(out)
}

/// The value that follows a secret's name: after `=`, `:` and quotes (`name=v`, `"name": "v"`),
/// up to a quote, `&`, `,`, `;` or white space; through a Debug wrapper (`Some("v")`,
/// `HeaderValue { _private: H0("v") }`) to the quoted value inside it.
fn value_after(line: &str, from: usize) -> Option<(usize, usize)> {
    let rest = &line[from..];
    // The name must end here (`session_token`, not `session_tokens_count`).
    if rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return None;
    }
    let separators = rest.bytes().take_while(|b| matches!(b, b'"' | b'\'' | b':' | b'=' | b' ' | b'\\')).count();
    let mut start = from + separators;
    let quoted = separators > 0 && matches!(line.as_bytes()[start - 1], b'"' | b'\'');
    let value = |s: &str| {
        s.bytes()
            .take_while(|b| !matches!(b, b'"' | b'\'' | b'&' | b',' | b';' | b'\\') && !b.is_ascii_whitespace())
            .count()
    };
    let mut len = value(&line[start..]);
    if !quoted && line[start..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        let wrapper = line[start..].find('"').filter(|q| {
            let before = &line[start..start + q];
            *q < 48 && before.contains('(') && !before.contains(['=', '&', ',', '\n'])
        });
        if let Some(quote) = wrapper {
            start += quote + 1;
            len = line[start..].bytes().take_while(|b| *b != b'"').count();
        }
    }
    // `** redacted **`: the SDK has already hidden it.
    (len > 0 && !line[start..].starts_with('*')).then_some((start, start + len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_headers_and_credentials_are_redacted() {
        let line = r#"TRACE aws_smithy_runtime: request=Request { headers: {"authorization": "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEKEY123456/20260101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcdef", "x-amz-security-token": "tokenEXAMPLE", "x-amz-date": "20260101T000000Z"} }"#;
        let out = redact(line);
        for secret in ["AKIAEXAMPLEKEY123456", "0123abcdef", "Signature=", "tokenEXAMPLE"] {
            assert!(!out.contains(secret), "{secret} in {out}");
        }
        assert!(out.contains("Credential=[redacted]/20260101/us-east-1/sts/aws4_request"), "{out}");
        assert!(out.contains(r#""x-amz-date": "20260101T000000Z""#), "the rest stays: {out}");
    }

    #[test]
    fn values_in_every_shape_are_redacted() {
        let cases = [
            ("aws_secret_access_key = secretEXAMPLE", "secretEXAMPLE"),
            ("aws_secret_access_key=secretEXAMPLE\n", "secretEXAMPLE"),
            ("https://h/?X-Amz-Security-Token=tokenEXAMPLE&X-Amz-Signature=abc123", "tokenEXAMPLE"),
            ("https://h/?X-Amz-Signature=abc123&x=1", "abc123"),
            (r#"Credentials { session_token: Some("tokenEXAMPLE"), expiry: None }"#, "tokenEXAMPLE"),
            (r#""x-amz-security-token": HeaderValue { _private: H0("tokenEXAMPLE") }"#, "tokenEXAMPLE"),
            ("key ASIAEXAMPLETEMP1234 used", "ASIAEXAMPLETEMP1234"),
            (r#"{"SecretAccessKey":"secretEXAMPLE","SessionToken":"tokenEXAMPLE"}"#, "EXAMPLE"),
        ];
        for (line, secret) in cases {
            let out = redact(line);
            assert!(!out.contains(secret), "{secret} in {out}");
            assert!(out.contains(REDACTED), "{out}");
        }
        assert!(!redact("x?X-Amz-Signature=abc123").contains("Signature="));
    }

    #[test]
    fn ordinary_lines_are_untouched() {
        for line in [
            "INFO vigil: refresh findings took 120 ms",
            "session_tokens_count=3",
            "AKIA is a prefix; AKIASHORT is not a key",
            "WARN vigil::cache: ignoring a cache file path=/x",
        ] {
            assert_eq!(redact(line), line);
        }
    }

    #[test]
    fn sdk_and_http_targets_are_capped_unless_named() {
        use tracing::Level;
        use tracing_subscriber::layer::SubscriberExt;
        macro_rules! enabled {
            ($spec:expr, $target:literal, $level:expr) => {{
                let subscriber = tracing_subscriber::registry().with(filter(Some($spec)));
                tracing::subscriber::with_default(subscriber, || tracing::enabled!(target: $target, $level))
            }};
        }
        assert!(!enabled!("trace", "aws_smithy_runtime::client::orchestrator", Level::TRACE));
        assert!(!enabled!("debug", "aws_sigv4", Level::DEBUG));
        assert!(!enabled!("trace", "hyper_util::client", Level::TRACE));
        assert!(enabled!("trace", "aws_smithy_runtime", Level::INFO));
        assert!(enabled!("trace", "vigil::runner", Level::TRACE));
        assert!(enabled!("trace,aws_smithy_runtime=trace", "aws_smithy_runtime::client::orchestrator", Level::TRACE));
        assert!(enabled!("trace,hyper=trace", "hyper_util::client", Level::TRACE));
        assert!(!enabled!("warn", "aws_smithy_runtime", Level::INFO), "the cap never raises a level");
    }
}
