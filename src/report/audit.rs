//! `vigil audit`: the audit log, filtered, as a table or JSON lines.

use crate::audit::{AuditLog, AuditRecord, Phase};
use crate::cli::{AuditArgs, AuditFormat};
use crate::sanitize::sanitize;
use std::process::ExitCode;

pub fn matches(record: &AuditRecord, args: &AuditArgs) -> bool {
    let action_ok = args.action.as_ref().is_none_or(|a| record.action.to_lowercase().contains(&a.to_lowercase()));
    let target_ok = args.target.as_ref().is_none_or(|t| {
        let t = t.to_lowercase();
        record.targets.iter().any(|x| x.id.to_lowercase().contains(&t) || x.label.to_lowercase().contains(&t))
    });
    let since_ok = args.since.is_none_or(|s| record.time >= s);
    action_ok && target_ok && since_ok
}

/// Prints the matching records, and each damaged line (`file:line: what is wrong`) on stderr.
/// Exit 0 when the log was read, damaged lines or not; 1 when it cannot be opened, or when it
/// holds damaged lines and no good record at all.
pub fn print(audit: &AuditLog, args: &AuditArgs) -> ExitCode {
    let path = audit.path().display().to_string();
    let (records, bad) = match audit.read() {
        Ok(read) => read,
        Err(e) => {
            eprintln!("vigil: cannot read the audit log {}: {}", sanitize(&path), sanitize(&e.to_string()));
            return ExitCode::FAILURE;
        }
    };
    for line in &bad {
        eprintln!("vigil: skipped a damaged audit line: {}", sanitize(line));
    }
    if !bad.is_empty() {
        eprintln!(
            "vigil: {} damaged line(s) skipped in {}; {} record(s) read",
            bad.len(),
            sanitize(&path),
            records.len()
        );
    }
    let shown: Vec<&AuditRecord> = records.iter().filter(|r| matches(r, args)).collect();
    match args.format {
        AuditFormat::Json => {
            for r in shown {
                // JSON escapes C0 only: C1, bidi and invisible characters in titles go escaped too.
                println!("{}", crate::sanitize::json_line(r).unwrap_or_default());
            }
        }
        AuditFormat::Table => {
            eprintln!("audit log: {}", sanitize(&path));
            for r in shown {
                let result = match (r.phase, r.result) {
                    (Phase::Attempt, _) => "attempt".to_string(),
                    (Phase::Result, Some(v)) => format!("{v:?}").to_lowercase(),
                    (Phase::Result, None) => "result".into(),
                };
                let who = r.principal.as_deref().unwrap_or("-");
                let who = if r.demo { format!("{who} (demo: nothing sent to AWS)") } else { who.to_string() };
                println!(
                    "{}  {:<8} {} {}  {}  {}",
                    r.time.format("%Y-%m-%d %H:%M:%S"),
                    result,
                    sanitize(&r.account),
                    sanitize(&r.region),
                    sanitize(&who),
                    sanitize(&r.action)
                );
                if let Some(note) = r.parameters.note() {
                    println!("    note: {}", sanitize(note));
                }
                for t in &r.targets {
                    match &t.error {
                        Some(e) => println!("    ✗ {}  {}", sanitize(&t.label), sanitize(e)),
                        None => println!("    · {}", sanitize(&t.label)),
                    }
                }
            }
        }
    }
    if records.is_empty() && !bad.is_empty() { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
