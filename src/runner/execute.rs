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
        demo: info.kind == crate::source::SourceKind::Demo,
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
    let routes = source.routes(action, targets);
    let mut outcomes = Vec::with_capacity(targets.len());
    let mut audit_error = None;
    // Targets no caller can send are failed without a call, and recorded as such.
    if !routes.unsent.is_empty() {
        let mut entry =
            record(info, Phase::Result, action, routes.unsent.iter().map(AuditTarget::from_outcome).collect());
        entry.result = Some(Verdict::Refused);
        entry.error = Some(format!("{} target(s) not sent", routes.unsent.len()));
        if let Err(e) = append(audit, entry).await {
            audit_error.get_or_insert(e);
        }
        outcomes.extend(routes.unsent);
    }
    // Each route is recorded as the caller it goes through: its attempt before its calls (none
    // is sent when the attempt cannot be written), its result after.
    for route in routes.routes {
        let attempt =
            record(&route.caller, Phase::Attempt, action, route.targets.iter().map(AuditTarget::from_target).collect());
        if let Err(e) = append(audit, attempt).await {
            outcomes.extend(route.targets.into_iter().map(|t| TargetOutcome::failed(t, format!("not sent: {e}"))));
            audit_error.get_or_insert(e);
            continue;
        }
        let done = source.apply_route(&route.path, action, &route.targets).await;
        let mut result =
            record(&route.caller, Phase::Result, action, done.iter().map(AuditTarget::from_outcome).collect());
        result.result = Some(verdict(&done));
        let failures = done.iter().filter(|o| o.error.is_some()).count();
        if failures > 0 {
            result.error = Some(format!("{failures} of {} target(s) failed", done.len()));
        }
        if let Err(e) = append(audit, result).await {
            audit_error.get_or_insert(e);
        }
        outcomes.extend(done);
    }
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
            product: None,
            error: Some(reason.clone()),
            detail: None,
        })
        .collect();
    let mut entry = record(info, Phase::Result, action, targets);
    entry.result = Some(Verdict::Refused);
    entry.error = Some("no selected row qualifies".into());
    append(audit, entry).await
}
