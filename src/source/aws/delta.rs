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
/// How far each delta looks back before the last refresh, by default. Findings reach Security Hub
/// after their `UpdatedAt`: GuardDuty publishes within about 5 minutes, other integrations batch
/// longer, and BatchUpdateFindings "can take several minutes" to apply. A finding that arrives up
/// to this long after its `UpdatedAt` is still seen by the next refresh; what comes back twice is
/// deduplicated by identity. `[findings] look_back_minutes` in the config changes it.
pub const DEFAULT_LOOK_BACK: Duration = Duration::minutes(15);

/// The open findings as of the last refresh, per service, by identity.
#[derive(Debug, Clone)]
pub struct FindingsMemory {
    pub securityhub: HashMap<String, Finding>,
    pub guardduty: HashMap<String, Finding>,
    /// The new Security Hub's findings, where it is on (`None`: off, nothing asked of it).
    /// BatchUpdateFindingsV2 does not move `finding_info.modified_time`: a triage made elsewhere
    /// shows at the next full resync; Vigil's own forgets this memory, so the next refresh is full.
    pub ocsf: Option<HashMap<String, Finding>>,
    /// A service that is not enabled in the region is a stable state, not a failure: the deltas
    /// skip it and repeat what the full load said about it.
    pub securityhub_enabled: bool,
    pub guardduty_enabled: bool,
    pub notes: Vec<String>,
    /// When the last refresh started: the next delta asks for changes since then.
    pub since: Timestamp,
    pub last_full: Timestamp,
    /// The list the last refresh returned, merged and ranked: a delta that brings nothing new
    /// returns it again (re-ranked at the new time) instead of merging every remembered finding
    /// into new records, so an idle account's refresh copies nothing.
    pub shown: Option<Vec<std::sync::Arc<Finding>>>,
}

impl FindingsMemory {
    pub fn new(securityhub: Vec<Finding>, guardduty: Vec<Finding>, at: Timestamp) -> Self {
        Self {
            securityhub: securityhub.into_iter().map(|f| (f.identity(), f)).collect(),
            guardduty: guardduty.into_iter().map(|f| (f.identity(), f)).collect(),
            ocsf: None,
            securityhub_enabled: true,
            guardduty_enabled: true,
            notes: Vec::new(),
            since: at,
            last_full: at,
            shown: None,
        }
    }

    /// Whether every finding a delta brought is one remembered as it is (the look-back returns
    /// the last minutes' findings again): nothing changed.
    pub fn holds_already(&self, securityhub: &[Finding], guardduty: &[Finding], ocsf: &[Finding]) -> bool {
        let same = |memory: Option<&HashMap<String, Finding>>, f: &Finding| {
            memory.and_then(|m| m.get(&f.identity())).is_some_and(|kept| kept == f)
        };
        securityhub.iter().all(|f| same(Some(&self.securityhub), f))
            && guardduty.iter().all(|f| same(Some(&self.guardduty), f))
            && ocsf.iter().all(|f| same(self.ocsf.as_ref(), f))
    }

    pub fn is_fresh(&self, now: Timestamp) -> bool {
        now - self.last_full < FULL_RESYNC
    }

    pub fn remember_ocsf(&mut self, ocsf: Option<Vec<Finding>>) {
        self.ocsf = ocsf.map(|list| list.into_iter().map(|f| (f.identity(), f)).collect());
    }

    /// Lays the new Security Hub's changed findings over the remembered ones.
    pub fn apply_ocsf(&mut self, changed: Vec<Finding>) {
        if let Some(ocsf) = &mut self.ocsf {
            for f in changed {
                ocsf.insert(f.identity(), f);
            }
            ocsf.retain(|_, f| f.is_open());
        }
    }

    /// Lays changed findings over the remembered ones; those that left the open view go.
    pub fn apply(&mut self, securityhub: Vec<Finding>, guardduty: Vec<Finding>, at: Timestamp) {
        // A finding returned again (the look-back overlaps the last delta) replaces itself.
        for f in securityhub {
            self.securityhub.insert(f.identity(), f);
        }
        for f in guardduty {
            self.guardduty.insert(f.identity(), f);
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
            description: Default::default(),
            finding_type: Default::default(),
            resource_type: Default::default(),
            resource: Default::default(),
            product: Product::Inspector,
            workflow_status: workflow,
            record_state: RecordState::Active,
            sources: vec![FindingOrigin::Securityhub],
            count: 1,
            account_id: Default::default(),
            region: Default::default(),
            first_seen: chrono::Utc::now(),
            last_seen: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
            control_id: None,
            details: vec![],
            risk: Default::default(),
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
        let mut ids: Vec<&str> = memory.securityhub.values().map(|f| f.id.as_str()).collect();
        ids.sort();
        assert_eq!(ids, vec!["a", "c"]);
        // Returned again by an overlapping look-back: still one.
        memory.apply(vec![finding("c", WorkflowStatus::Notified)], vec![], now);
        assert_eq!(memory.securityhub.len(), 2);
        assert!(memory.is_fresh(now + Duration::minutes(14)));
        assert!(!memory.is_fresh(now + FULL_RESYNC));
    }
}
