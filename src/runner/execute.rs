//! Carrying out a confirmed triage action: audit the attempt (synced to disk), call the source,
//! audit the result. Nothing is sent to AWS when the attempt cannot be recorded.

use crate::audit::{AuditLog, AuditRecord, AuditTarget, Phase, Verdict, verdict};
use crate::model::triage::{Target, TargetOutcome, TriageAction};
use crate::source::{Source, SourceInfo};
use chrono::Utc;

fn record(info: &SourceInfo, phase: Phase, action: &TriageAction, targets: Vec<AuditTarget>) -> AuditRecord {
    AuditRecord {
        time: Utc::now(),
        phase,
        account: info.account.clone(),
        region: info.region.clone(),
        principal: info.principal.clone(),
        profile: info.profile.clone(),
        action: action.describe(),
        parameters: action.clone(),
        targets,
        result: None,
        error: None,
    }
}

async fn append(audit: &AuditLog, record: AuditRecord) -> Result<(), String> {
    let audit = audit.clone();
    let path = audit.path().display().to_string();
    tokio::task::spawn_blocking(move || audit.append(&record))
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r.map_err(|e| e.to_string()))
        .map_err(|e| format!("cannot write the audit log {path}: {e}"))
}

/// The outcome per target, and the audit log error if the result could not be recorded.
pub async fn execute(
    source: &dyn Source,
    audit: &AuditLog,
    info: &SourceInfo,
    action: &TriageAction,
    targets: &[Target],
) -> (Vec<TargetOutcome>, Option<String>) {
    let attempt = record(info, Phase::Attempt, action, targets.iter().map(AuditTarget::from_target).collect());
    if let Err(e) = append(audit, attempt).await {
        let outcomes = targets.iter().map(|t| TargetOutcome::failed(t.clone(), format!("not sent: {e}"))).collect();
        return (outcomes, Some(e));
    }
    let outcomes = source.apply(action, targets).await;
    let mut result = record(info, Phase::Result, action, outcomes.iter().map(AuditTarget::from_outcome).collect());
    result.result = Some(verdict(&outcomes));
    let failures = outcomes.iter().filter(|o| o.error.is_some()).count();
    if failures > 0 {
        result.error = Some(format!("{failures} of {} target(s) failed", outcomes.len()));
    }
    let audit_error = append(audit, result).await.err();
    (outcomes, audit_error)
}

/// Records an attempt that never reached AWS because no target qualified.
pub async fn audit_refusal(
    audit: &AuditLog,
    info: &SourceInfo,
    action: &TriageAction,
    refused: &[(String, String)],
) -> Result<(), String> {
    let targets = refused
        .iter()
        .map(|(label, reason)| AuditTarget {
            id: label.clone(),
            label: label.clone(),
            account: None,
            region: None,
            error: Some(reason.clone()),
        })
        .collect();
    let mut entry = record(info, Phase::Result, action, targets);
    entry.result = Some(Verdict::Refused);
    entry.error = Some("no selected row qualifies".into());
    append(audit, entry).await
}
