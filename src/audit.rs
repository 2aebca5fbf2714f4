//! The local audit log: one JSON line per action attempt and one per result, appended to a file
//! in the user's data directory, created with mode 0600 (its directory 0700) and synced before the
//! result is shown, so an incident review can replay who did what. A symbolic link at the log's
//! path is refused, never appended through.

use crate::model::Timestamp;
use crate::model::triage::{Target, TargetOutcome, TriageAction};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Attempt,
    Result,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ok,
    Partial,
    Failed,
    /// Not sent: read-only mode, or no target the action applies to.
    Refused,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub time: Timestamp,
    pub phase: Phase,
    pub account: String,
    pub region: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Done on the embedded demo account: nothing reached AWS, whatever the principal reads as.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
    /// What was done, as a person reads it ("set workflow RESOLVED").
    pub action: String,
    /// The action with its parameters (never a secret value: no action carries one).
    pub parameters: TriageAction,
    pub targets: Vec<AuditTarget>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Verdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditTarget {
    pub id: String,
    pub label: String,
    /// Where the record lives; absent for a refused row that never became a target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// A Security Hub finding's `ProductArn`: with the id, what the finding is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What a success made (the ticket opened).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl AuditTarget {
    pub fn from_target(t: &Target) -> Self {
        Self {
            id: t.id.clone(),
            label: t.label.clone(),
            account: Some(t.placement.account.clone()),
            region: Some(t.placement.region.clone()),
            product: t.product_arn.clone(),
            error: None,
            detail: None,
        }
    }

    pub fn from_outcome(o: &TargetOutcome) -> Self {
        Self { error: o.error.clone(), detail: o.detail.clone(), ..Self::from_target(&o.target) }
    }
}

/// Ok when every target succeeded, failed when none did, partial otherwise.
pub fn verdict(outcomes: &[TargetOutcome]) -> Verdict {
    let failed = outcomes.iter().filter(|o| o.error.is_some()).count();
    match failed {
        0 => Verdict::Ok,
        n if n == outcomes.len() => Verdict::Failed,
        _ => Verdict::Partial,
    }
}

#[derive(Debug, Clone)]
pub struct AuditLog {
    path: PathBuf,
}

impl AuditLog {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// `audit.jsonl` in the data directory (`~/.local/share/vigil/` on Linux); `VIGIL_AUDIT_LOG`
    /// overrides it.
    pub fn default_location() -> Option<Self> {
        crate::files::data_file("VIGIL_AUDIT_LOG", "audit.jsonl").map(Self::new)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line and syncs it to disk before returning.
    pub fn append(&self, record: &AuditRecord) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            crate::files::create_private_dir_all(dir)?;
        }
        let mut file = crate::files::open_private_append(&self.path)?;
        // Labels are AWS text: escaped, so reading the log in a terminal obeys none of it.
        let mut line = crate::sanitize::json_line(record).map_err(std::io::Error::other)?;
        line.push('\n');
        file.write_all(line.as_bytes())?;
        file.flush()?;
        file.sync_data()
    }

    /// Every record that reads back, oldest first, and each damaged line as `file:line: what is
    /// wrong` (a torn last line, bytes that are not UTF-8, a line that is not a record). Damage
    /// never hides the good records around it; only a log that cannot be opened is an error.
    pub fn read(&self) -> std::io::Result<(Vec<AuditRecord>, Vec<String>)> {
        let mut bytes = Vec::new();
        match crate::files::open_no_follow(&self.path) {
            Ok(mut file) => file.read_to_end(&mut bytes)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
            Err(e) => return Err(e),
        };
        let mut records = Vec::new();
        let mut bad = Vec::new();
        let complete = bytes.ends_with(b"\n");
        let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
        let last = lines.len().saturating_sub(1);
        for (n, line) in lines.iter().enumerate() {
            let damaged = |what: String| format!("{}:{}: {what}", self.path.display(), n + 1);
            let text = match std::str::from_utf8(line) {
                Ok(text) => text,
                Err(e) => {
                    bad.push(damaged(format!("not UTF-8 (a bad byte at column {})", e.valid_up_to() + 1)));
                    continue;
                }
            };
            if text.trim().is_empty() {
                continue;
            }
            match serde_json::from_str(text) {
                Ok(r) => records.push(r),
                Err(_) if n == last && !complete => {
                    bad.push(damaged("torn last line: the write was cut short (no newline at its end)".into()))
                }
                Err(e) => bad.push(damaged(format!("not an audit record: {e}"))),
            }
        }
        Ok((records, bad))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WorkflowStatus;

    fn record(phase: Phase) -> AuditRecord {
        AuditRecord {
            time: chrono::Utc::now(),
            phase,
            account: "123456789012".into(),
            region: "us-east-1".into(),
            principal: Some("arn:aws:sts::123456789012:assumed-role/OnCall/jane".into()),
            profile: None,
            demo: false,
            action: "set workflow RESOLVED".into(),
            parameters: TriageAction::Findings(crate::model::panes::findings::Action::SetWorkflow {
                status: WorkflowStatus::Resolved,
                note: "fixed in #42".into(),
            }),
            targets: vec![AuditTarget {
                id: "f1".into(),
                label: "t".into(),
                account: Some("1".into()),
                region: Some("r".into()),
                product: None,
                error: None,
                detail: None,
            }],
            result: (phase == Phase::Result).then_some(Verdict::Ok),
            error: None,
        }
    }

    #[test]
    fn appends_lines_readable_back_with_mode_0600() {
        let dir = std::env::temp_dir().join(format!("vigil-audit-{}-{}", std::process::id(), line!()));
        let log = AuditLog::new(dir.join("audit.jsonl"));
        log.append(&record(Phase::Attempt)).unwrap();
        log.append(&record(Phase::Result)).unwrap();
        let (records, bad) = log.read().unwrap();
        assert!(bad.is_empty());
        assert_eq!(records.iter().map(|r| r.phase).collect::<Vec<_>>(), vec![Phase::Attempt, Phase::Result]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(log.path()).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn damaged_lines_are_named_and_the_good_records_kept() {
        let dir = std::env::temp_dir().join(format!("vigil-audit-{}-{}", std::process::id(), line!()));
        let log = AuditLog::new(dir.join("audit.jsonl"));
        log.append(&record(Phase::Attempt)).unwrap();
        let mut bytes = std::fs::read(log.path()).unwrap();
        bytes.extend_from_slice(b"{\"time\": \"bad \xff\xfe bytes\"}\n");
        bytes.extend_from_slice(&std::fs::read(log.path()).unwrap());
        bytes.extend_from_slice(b"not json\n");
        let whole = std::fs::read(log.path()).unwrap();
        bytes.extend_from_slice(&whole[..whole.len() / 2]);
        std::fs::write(log.path(), &bytes).unwrap();
        let (records, bad) = log.read().unwrap();
        assert_eq!(records.len(), 2);
        let path = log.path().display().to_string();
        assert_eq!(bad.len(), 3, "{bad:?}");
        assert!(bad[0].starts_with(&format!("{path}:2: not UTF-8")), "{bad:?}");
        assert!(bad[1].starts_with(&format!("{path}:4: not an audit record")), "{bad:?}");
        assert!(bad[2].starts_with(&format!("{path}:5: torn last line")), "{bad:?}");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_log_path_is_refused_and_created_directories_are_0700() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("vigil-audit-{}-{}", std::process::id(), line!()));
        let _ = std::fs::remove_dir_all(&dir);
        let log = AuditLog::new(dir.join("data").join("vigil").join("audit.jsonl"));
        log.append(&record(Phase::Attempt)).unwrap();
        for d in [dir.join("data"), dir.join("data/vigil")] {
            assert_eq!(std::fs::metadata(&d).unwrap().permissions().mode() & 0o777, 0o700, "{}", d.display());
        }
        let victim = dir.join("victim");
        std::fs::write(&victim, b"precious").unwrap();
        let linked = AuditLog::new(dir.join("linked.jsonl"));
        std::os::unix::fs::symlink(&victim, linked.path()).unwrap();
        let err = linked.append(&record(Phase::Attempt)).unwrap_err().to_string();
        assert!(err.contains(&linked.path().display().to_string()) && err.contains("symbolic link"), "{err}");
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn verdict_per_outcome_mix() {
        let t = Target {
            likeness: None,
            id: "a".into(),
            label: "a".into(),
            placement: crate::model::Placement { account: "1".into(), region: "r".into() },
            product_arn: None,
            guardduty: None,
            ocsf_uid: None,
            user: None,
        };
        assert_eq!(verdict(&[TargetOutcome::ok(t.clone())]), Verdict::Ok);
        assert_eq!(verdict(&[TargetOutcome::ok(t.clone()), TargetOutcome::failed(t.clone(), "x")]), Verdict::Partial);
        assert_eq!(verdict(&[TargetOutcome::failed(t, "x")]), Verdict::Failed);
    }
}
