//! The Findings pane's model: Security Hub and GuardDuty findings, deduplicated and ranked.

use crate::model::triage::{PaneAction, Target, Verification, place_of};
use crate::model::WorkflowStatus;
use serde::{Deserialize, Serialize};
use super::PaneModel;
use crate::model::alerts::{Alert, AlertSource};
use crate::model::arn::short_resource;
use crate::model::{Finding, SeverityLabel, Timestamp};
use crate::pane::PaneId;
use std::collections::HashSet;
use std::sync::Arc;

/// What triage does to findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Security Hub BatchUpdateFindings: workflow status, with the required note.
    SetWorkflow { status: WorkflowStatus, note: String },
    SetSeverity { label: SeverityLabel, note: String },
    SetVerification { state: Verification, note: String },
    ArchiveGuardDuty,
    UnarchiveGuardDuty,
    GuardDutyFeedback { useful: bool },
    /// The new Security Hub's CreateTicketV2 through its Jira Cloud or ServiceNow connector (a dry
    /// run first).
    OpenTicket,
    /// Security Hub CreateAutomationRule: findings like the target (see `triage::Likeness`) are
    /// suppressed as they arrive or change, with the note; the target itself is suppressed now
    /// (BatchUpdateFindings), since a rule acts only on findings created or updated after it.
    SuppressLikeThis { note: String },
    /// Security Hub BatchDeleteAutomationRules: the target is a rule (its ARN).
    DeleteAutomationRule,
    /// `vigil live setup --apply`: the findings feed's EventBridge rule and SQS queue, made.
    /// Done from the command line, not a key: audited like every change Vigil makes.
    LiveSetup { queue: String, rule: String },
    /// `vigil live teardown`: the rule and the queue, removed.
    LiveTeardown { queue: String, rule: String },
    /// `vigil history setup --apply`: the Athena table over a web ACL's WAF logs in S3, made.
    HistorySetup { table: String, location: String },
}

impl PaneAction for Action {
    fn describe(&self) -> String {
        match self {
            Self::SetWorkflow { status, .. } => format!("set workflow {}", status.as_str()),
            Self::SetSeverity { label, .. } => format!("set severity {label}"),
            Self::SetVerification { state, .. } => format!("mark {}", state.as_str()),
            Self::ArchiveGuardDuty => "archive in GuardDuty".into(),
            Self::UnarchiveGuardDuty => "unarchive in GuardDuty".into(),
            Self::GuardDutyFeedback { useful: true } => "GuardDuty feedback USEFUL".into(),
            Self::GuardDutyFeedback { useful: false } => "GuardDuty feedback NOT_USEFUL".into(),
            Self::OpenTicket => "open a ticket (Security Hub connector)".into(),
            Self::SuppressLikeThis { .. } => "suppress findings like this (automation rule)".into(),
            Self::DeleteAutomationRule => "delete the automation rule".into(),
            Self::LiveSetup { queue, .. } => format!("make the live feed {queue} (EventBridge rule and SQS queue)"),
            Self::LiveTeardown { queue, .. } => format!("remove the live feed {queue}"),
            Self::HistorySetup { table, .. } => format!("make the history table {table} (Athena)"),
        }
    }

    fn note(&self) -> Option<&str> {
        match self {
            Self::SetWorkflow { note, .. }
            | Self::SetSeverity { note, .. }
            | Self::SetVerification { note, .. }
            | Self::SuppressLikeThis { note } => Some(note),
            _ => None,
        }
    }

    /// Security Hub updates carry a note: it becomes the finding's Note, signed by the operator.
    fn needs_note(&self) -> bool {
        matches!(
            self,
            Self::SetWorkflow { .. }
                | Self::SetSeverity { .. }
                | Self::SetVerification { .. }
                | Self::SuppressLikeThis { .. }
        )
    }

    fn with_note(mut self, text: String) -> Self {
        if let Self::SetWorkflow { note, .. }
        | Self::SetSeverity { note, .. }
        | Self::SetVerification { note, .. }
        | Self::SuppressLikeThis { note } = &mut self
        {
            *note = text;
        }
        self
    }

    fn goes_through_administrator(&self) -> bool {
        true
    }

    fn in_record_region(&self) -> bool {
        matches!(self, Self::ArchiveGuardDuty | Self::UnarchiveGuardDuty | Self::GuardDutyFeedback { .. })
    }

    fn caveat(&self) -> Option<&'static str> {
        match self {
            Self::OpenTicket => Some(
                "a dry run first checks the connector: AWS makes one test ticket from its own template finding, then one ticket per finding",
            ),
            Self::SuppressLikeThis { .. } => Some(
                "one automation rule per kind of finding chosen: findings like it are suppressed as they arrive or change, until the rule is deleted (:rules lists them); the findings themselves are suppressed now",
            ),
            _ => None,
        }
    }

    fn describe_call(&self, target: &Target) -> String {
        let place = place_of(target);
        let product = target.product_arn.as_deref().map(|p| p.rsplit(":product/").next().unwrap_or(p));
        let operation = match self {
            Self::SuppressLikeThis { .. } => {
                let like = target.likeness.as_ref().map_or_else(|| "?".to_string(), |l| l.describe());
                return format!(
                    "Security Hub CreateAutomationRule: SUPPRESSED where {like}; then BatchUpdateFindings SUPPRESSED on this finding · {place}"
                );
            }
            Self::DeleteAutomationRule => {
                return format!("Security Hub BatchDeleteAutomationRules · {place} · rule {}", target.id);
            }
            Self::LiveSetup { queue, rule } => {
                return format!("EventBridge PutRule, PutTargets {rule}; SQS CreateQueue, SetQueueAttributes {queue} · {place}");
            }
            Self::LiveTeardown { queue, rule } => {
                return format!("EventBridge RemoveTargets, DeleteRule {rule}; SQS DeleteQueue {queue} · {place}");
            }
            Self::HistorySetup { table, location } => {
                return format!("Athena StartQueryExecution CREATE EXTERNAL TABLE {table} over {location} · {place}");
            }
            Self::OpenTicket => {
                return format!(
                    "Security Hub CreateTicketV2 through the connector (after one DRYRUN) · {place} · metadata.uid {} · finding {}",
                    target.ocsf_uid.as_deref().unwrap_or("?"),
                    target.id
                );
            }
            Self::SetWorkflow { .. } | Self::SetSeverity { .. } if target.is_ocsf_only() => {
                return format!(
                    "Security Hub BatchUpdateFindingsV2 · {place} · metadata.uid {} · finding {}",
                    target.ocsf_uid.as_deref().unwrap_or("?"),
                    target.id
                );
            }
            Self::SetWorkflow { .. } | Self::SetSeverity { .. } | Self::SetVerification { .. } => {
                return format!(
                    "Security Hub BatchUpdateFindings · {place} · product {} · finding {}",
                    product.unwrap_or("?"),
                    target.id
                );
            }
            Self::ArchiveGuardDuty => "ArchiveFindings",
            Self::UnarchiveGuardDuty => "UnarchiveFindings",
            Self::GuardDutyFeedback { .. } => "UpdateFindingsFeedback",
        };
        match &target.guardduty {
            Some(gd) => format!(
                "GuardDuty {operation} through your own detector · {place} · finding {} (of detector {})",
                gd.finding_id, gd.detector_id
            ),
            None => format!("GuardDuty {operation}: no GuardDuty finding (not sent)"),
        }
    }
}

pub struct Pane;

impl PaneModel for Pane {
    type Action = Action;
    const ID: PaneId = PaneId::Findings;
    /// Shared, not copied: a source that keeps its findings between refreshes hands the app the
    /// same records, so a refresh costs only what changed (and the table reuses unchanged rows).
    type Data = Vec<Arc<Finding>>;

    fn record_count(data: &Self::Data) -> usize {
        data.len()
    }

    fn absorb(data: &mut Self::Data, more: Self::Data) {
        data.extend(more);
    }

    /// A new open finding at or above the threshold.
    fn alerts(data: &Self::Data, min_severity: SeverityLabel, now: Timestamp) -> Option<Vec<Alert>> {
        Some(
            data.iter()
                .filter(|f| f.is_open() && f.severity >= min_severity)
                .map(|f| Alert {
                    source: AlertSource::FINDING,
                    key: f.identity(),
                    title: format!("{} finding: {}", f.severity.as_str(), f.title),
                    detail: format!("{} · {}", short_resource(&f.resource), f.finding_type),
                    severity: Some(f.severity),
                    account: Some(f.account_id.to_string()),
                    region: Some(f.region.to_string()),
                    at: now,
                })
                .collect(),
        )
    }

    /// Findings that two contexts both return (an aggregation region and a linked region, one
    /// account through two profiles) are shown once; and ranked again, since one context's
    /// findings tell about another's resources.
    fn without_repeats(data: &mut Self::Data, now: Timestamp) {
        let mut seen = HashSet::with_capacity(data.len());
        data.retain(|f| seen.insert(f.identity()));
        crate::model::risk::rank(data, now);
    }

    fn action_keys(data: &Self::Data) -> Vec<String> {
        data.iter().map(|f| crate::model::triage::finding_target(f, &crate::model::Context::nowhere()).key()).collect()
    }
}
