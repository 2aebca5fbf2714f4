//! Delta refresh of findings: after a full load, ask only for what changed since the last refresh,
//! so a refresh costs calls in proportion to the changes, not to the account.
//!
//! What each kind of change costs to notice (documented in docs/user-guide.md):
//! - new or updated findings (Security Hub `UpdatedAt`, GuardDuty `updatedAt`): the next refresh;
//! - triage with a note (`Note.UpdatedAt`; Vigil always writes one): the next refresh;
//! - triage without a note (BatchUpdateFindings does not move `UpdatedAt`), and deleted findings:
//!   the next full resync, at most [`FULL_RESYNC`] later.

use crate::model::Finding;
use crate::model::Timestamp;
use chrono::Duration;
use std::collections::HashMap;

/// A full load replaces the remembered state this often.
pub const FULL_RESYNC: Duration = Duration::minutes(15);
/// Each delta looks back this much before the last refresh, for clock skew and eventual consistency.
pub const OVERLAP: Duration = Duration::minutes(2);

/// The open findings as of the last refresh, per service, by id.
#[derive(Debug, Clone)]
pub struct FindingsMemory {
    pub securityhub: HashMap<String, Finding>,
    pub guardduty: HashMap<String, Finding>,
    /// When the last refresh started: the next delta asks for changes since then.
    pub since: Timestamp,
    pub last_full: Timestamp,
}

impl FindingsMemory {
    pub fn new(securityhub: Vec<Finding>, guardduty: Vec<Finding>, at: Timestamp) -> Self {
        Self {
            securityhub: securityhub.into_iter().map(|f| (f.id.clone(), f)).collect(),
            guardduty: guardduty.into_iter().map(|f| (f.id.clone(), f)).collect(),
            since: at,
            last_full: at,
        }
    }

    pub fn is_fresh(&self, now: Timestamp) -> bool {
        now - self.last_full < FULL_RESYNC
    }

    /// Lays changed findings over the remembered ones; those that left the open view go.
    pub fn apply(&mut self, securityhub: Vec<Finding>, guardduty: Vec<Finding>, at: Timestamp) {
        for f in securityhub {
            self.securityhub.insert(f.id.clone(), f);
        }
        for f in guardduty {
            self.guardduty.insert(f.id.clone(), f);
        }
        self.securityhub.retain(|_, f| f.is_open());
        self.guardduty.retain(|_, f| f.is_open());
        self.since = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FindingOrigin, Product, RecordState, SeverityLabel, WorkflowStatus};

    fn finding(id: &str, workflow: WorkflowStatus) -> Finding {
        Finding {
            id: id.into(),
            guardduty_id: None,
            product_arn: None,
            severity: SeverityLabel::High,
            severity_score: 70,
            title: id.into(),
            description: String::new(),
            finding_type: String::new(),
            resource_type: String::new(),
            resource: String::new(),
            product: Product::Inspector,
            workflow_status: workflow,
            record_state: RecordState::Active,
            sources: vec![FindingOrigin::Securityhub],
            count: 1,
            account_id: String::new(),
            region: String::new(),
            first_seen: chrono::Utc::now(),
            last_seen: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
            control_id: None,
            details: vec![],
        }
    }

    #[test]
    fn changes_are_merged_and_closed_findings_leave() {
        let now = chrono::Utc::now();
        let mut memory = FindingsMemory::new(
            vec![finding("a", WorkflowStatus::New), finding("b", WorkflowStatus::New)],
            vec![],
            now,
        );
        memory.apply(vec![finding("b", WorkflowStatus::Resolved), finding("c", WorkflowStatus::Notified)], vec![], now);
        let mut ids: Vec<&String> = memory.securityhub.keys().collect();
        ids.sort();
        assert_eq!(ids, vec!["a", "c"]);
        assert!(memory.is_fresh(now + Duration::minutes(14)));
        assert!(!memory.is_fresh(now + FULL_RESYNC));
    }
}
