//! What triage actions changed in the demo account. Every refresh builds (or, for findings, copies
//! from the kept account) the pane's data; these changes are laid over it, so after an action the
//! screen shows the new state the way a real service would.

use crate::model::panes::findings::Action as FindingAction;
use crate::model::panes::users::Action as UserAction;
use crate::model::triage::{AutomationRule, Likeness, Target, TargetOutcome};
use crate::model::users::PoolScan;
use crate::model::{Certificate, Finding, RecordState, Secret, SeverityLabel, Timestamp, WorkflowStatus};
use chrono::Duration;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

#[derive(Debug, Default)]
struct Changes {
    workflow: HashMap<String, WorkflowStatus>,
    severity: HashMap<String, SeverityLabel>,
    verification: HashMap<String, String>,
    notes: HashMap<String, String>,
    archived: HashMap<String, bool>,
    feedback: HashMap<String, &'static str>,
    /// Tickets opened, by finding id: what the detail's `Ticket` says.
    tickets: HashMap<String, String>,
    rotated: HashMap<String, Timestamp>,
    disabled_users: HashMap<(String, String), bool>,
    signed_out: HashSet<(String, String)>,
    renewed: HashSet<String>,
    /// Automation rules made (`x R`), with what each matches.
    rules: Vec<(AutomationRule, Likeness)>,
    /// Sets of keys a pane's demo keeps by name (the Edge pane's blocked addresses).
    sets: HashMap<&'static str, std::collections::BTreeSet<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct Overrides(Arc<Mutex<Changes>>);

impl Overrides {
    fn with<R>(&self, f: impl FnOnce(&mut Changes) -> R) -> R {
        let mut guard = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut guard)
    }

    /// Remembers a finding's triage on every target.
    pub fn apply_findings(&self, action: &FindingAction, targets: &[Target]) -> Vec<TargetOutcome> {
        self.apply_findings_at(action, targets, chrono::Utc::now())
    }

    fn apply_findings_at(&self, action: &FindingAction, targets: &[Target], now: Timestamp) -> Vec<TargetOutcome> {
        let mut made: HashMap<String, Result<String, String>> = HashMap::new();
        self.with(|c| {
            for t in targets {
                let id = t.id.clone();
                match action {
                    FindingAction::SetWorkflow { status, note } => {
                        c.workflow.insert(id.clone(), *status);
                        c.notes.insert(id, note.clone());
                    }
                    FindingAction::SetSeverity { label, note } => {
                        c.severity.insert(id.clone(), *label);
                        c.notes.insert(id, note.clone());
                    }
                    FindingAction::SetVerification { state, note } => {
                        c.verification.insert(id.clone(), state.as_str().to_string());
                        c.notes.insert(id, note.clone());
                    }
                    FindingAction::ArchiveGuardDuty => {
                        c.archived.insert(id, true);
                    }
                    FindingAction::UnarchiveGuardDuty => {
                        c.archived.insert(id, false);
                    }
                    FindingAction::GuardDutyFeedback { useful } => {
                        c.feedback.insert(id, if *useful { "USEFUL" } else { "NOT_USEFUL" });
                    }
                    FindingAction::SuppressLikeThis { note } => {
                        let Some(like) = t.likeness.clone() else {
                            made.insert(id, Err("no criteria for the rule (not sent)".into()));
                            continue;
                        };
                        c.workflow.insert(id.clone(), WorkflowStatus::Suppressed);
                        c.notes.insert(id.clone(), note.clone());
                        // Findings alike share one rule, as on AWS.
                        if let Some((rule, _)) = c.rules.iter().find(|(_, l)| *l == *like) {
                            made.insert(id, Ok(format!("rule {} (demo: nothing sent)", rule.arn)));
                            continue;
                        }
                        let arn = format!(
                            "arn:aws:securityhub:{}:{}:automation-rule/demo-{:04}",
                            t.placement.region,
                            t.placement.account,
                            c.rules.len() + 1
                        );
                        let rule = AutomationRule {
                            arn: arn.clone(),
                            name: like.rule_name(),
                            status: "ENABLED".into(),
                            order: 1000,
                            description: format!("{note} (made with Vigil)"),
                            created_at: Some(now),
                            created_by: "demo".into(),
                        };
                        c.rules.push((rule, *like));
                        made.insert(id, Ok(format!("rule {arn} (demo: nothing sent)")));
                    }
                    // Made and removed by `vigil live setup` and `teardown`, never through a pane.
                    FindingAction::LiveSetup { .. } | FindingAction::LiveTeardown { .. } => {
                        made.insert(id, Err("the demo has no live feed".into()));
                    }
                    FindingAction::HistorySetup { .. } => {
                        made.insert(id, Err("the demo has no Athena".into()));
                    }
                    FindingAction::DeleteAutomationRule => {
                        let before = c.rules.len();
                        c.rules.retain(|(rule, _)| rule.arn != id);
                        if c.rules.len() == before {
                            made.insert(id, Err("404: Automation rule not found".into()));
                        }
                    }
                    FindingAction::OpenTicket => {
                        let number = c.tickets.len() + 1;
                        c.tickets.entry(id).or_insert_with(|| {
                            format!("SEC-{number} https://shop.atlassian.net/browse/SEC-{number} (demo: nothing sent)")
                        });
                    }
                }
            }
            targets
                .iter()
                .map(|t| match (action, c.tickets.get(&t.id), made.get(&t.id)) {
                    (_, _, Some(Ok(rule))) => TargetOutcome::ok_with(t.clone(), rule.clone()),
                    (_, _, Some(Err(why))) => TargetOutcome::failed(t.clone(), why.clone()),
                    (FindingAction::OpenTicket, Some(ticket), _) => TargetOutcome::ok_with(t.clone(), ticket.clone()),
                    _ => TargetOutcome::ok(t.clone()),
                })
                .collect()
        })
    }

    /// Rotates the targets, as AWS would refuse a secret whose last rotation is stuck.
    pub fn rotate_secrets(&self, targets: &[Target], secrets: &[Secret], now: Timestamp) -> Vec<TargetOutcome> {
        self.with(|c| {
            targets
                .iter()
                .map(|t| {
                    let stuck = secrets
                        .iter()
                        .any(|s| s.arn == t.id && s.rotation_status(now) == crate::model::RotationStatus::Stuck);
                    if stuck {
                        return TargetOutcome::failed(
                            t.clone(),
                            "InvalidRequestException: A previous rotation isn't complete. That rotation will be reattempted.",
                        );
                    }
                    c.rotated.insert(t.id.clone(), now);
                    TargetOutcome::ok(t.clone())
                })
                .collect()
        })
    }

    /// Remembers a user action on every target.
    pub fn apply_users(&self, action: &UserAction, targets: &[Target]) -> Vec<TargetOutcome> {
        self.with(|c| {
            for t in targets {
                let Some(key) = t.user.as_ref().map(|u| (u.pool_id.clone(), u.username.clone())) else { continue };
                match action {
                    UserAction::DisableUser | UserAction::EnableUser => {
                        c.disabled_users.insert(key, matches!(action, UserAction::DisableUser));
                    }
                    UserAction::GlobalSignOut | UserAction::ResetPassword => {
                        c.signed_out.insert(key);
                    }
                }
            }
        });
        targets.iter().map(|t| TargetOutcome::ok(t.clone())).collect()
    }

    /// Adds (or removes) `keys` in the set `name`; every target's outcome is ok.
    pub fn change_set(&self, name: &'static str, targets: &[Target], add: bool) -> Vec<TargetOutcome> {
        self.with(|c| {
            let set = c.sets.entry(name).or_default();
            for t in targets {
                if add {
                    set.insert(t.id.clone());
                } else {
                    set.remove(&t.id);
                }
            }
        });
        targets.iter().map(|t| TargetOutcome::ok(t.clone())).collect()
    }

    /// The keys in the set `name`, if it was ever changed.
    pub fn set(&self, name: &'static str) -> Option<std::collections::BTreeSet<String>> {
        self.with(|c| c.sets.get(name).cloned())
    }

    /// Renews the targets.
    pub fn renew_certificates(&self, targets: &[Target]) -> Vec<TargetOutcome> {
        self.with(|c| c.renewed.extend(targets.iter().map(|t| t.id.clone())));
        targets.iter().map(|t| TargetOutcome::ok(t.clone())).collect()
    }

    /// Applies the triage done so far to `findings`; `false` when there is none (nothing changed).
    /// The automation rules made, in the order Security Hub applies them.
    pub fn automation_rules(&self) -> Vec<AutomationRule> {
        self.with(|c| c.rules.iter().map(|(rule, _)| rule.clone()).collect())
    }

    pub fn findings(&self, findings: &mut [Arc<Finding>]) -> bool {
        self.with(|c| {
            // A rule suppresses the findings like it that arrive or change after it was made.
            if !c.rules.is_empty() {
                for f in findings.iter_mut() {
                    let suppressed = c.rules.iter().any(|(rule, like)| {
                        rule.created_at.is_some_and(|at| f.updated_at >= at) && Likeness::of(f).as_ref() == Some(like)
                    });
                    if suppressed && f.workflow_status != WorkflowStatus::Suppressed {
                        Arc::make_mut(f).workflow_status = WorkflowStatus::Suppressed;
                    }
                }
            }
            let untouched = [c.workflow.len(), c.severity.len(), c.archived.len(), c.rules.len()]
                .into_iter()
                .chain([c.verification.len(), c.notes.len(), c.feedback.len(), c.tickets.len()])
                .all(|n| n == 0);
            if untouched {
                // Nothing triaged yet: skip six lookups for each of 100k findings on every refresh.
                return false;
            }
            for f in findings {
                let id = f.id.as_str();
                let touched = c.workflow.contains_key(id)
                    || c.severity.contains_key(id)
                    || c.archived.contains_key(id)
                    || c.verification.contains_key(id)
                    || c.notes.contains_key(id)
                    || c.feedback.contains_key(id)
                    || c.tickets.contains_key(id);
                if !touched {
                    continue;
                }
                // The record is shared with the kept account (and the table): change a copy.
                let f = Arc::make_mut(f);
                if let Some(status) = c.workflow.get(&f.id) {
                    f.workflow_status = *status;
                }
                if let Some(label) = c.severity.get(&f.id) {
                    f.severity = *label;
                }
                if let Some(archived) = c.archived.get(&f.id) {
                    f.record_state = if *archived { RecordState::Archived } else { RecordState::Active };
                }
                if let Some(state) = c.verification.get(&f.id) {
                    f.details.push(("Verification".into(), state.as_str().into()));
                }
                if let Some(note) = c.notes.get(&f.id) {
                    f.details.push(("Note".into(), note.as_str().into()));
                }
                if let Some(feedback) = c.feedback.get(&f.id) {
                    f.details.push(("Feedback".into(), (*feedback).into()));
                }
                if let Some(ticket) = c.tickets.get(&f.id) {
                    f.details.push((crate::model::ocsf::TICKET.into(), ticket.as_str().into()));
                }
            }
            true
        })
    }

    pub fn secrets(&self, secrets: &mut [Secret]) {
        self.with(|c| {
            for s in secrets {
                if let Some(at) = c.rotated.get(&s.arn) {
                    s.last_rotated = Some(*at);
                    s.next_rotation = Some(*at + Duration::days(s.rotation_interval_days.unwrap_or(30)));
                }
            }
        });
    }

    pub fn users(&self, scans: &mut [PoolScan]) {
        self.with(|c| {
            for scan in scans {
                for user in &mut scan.users {
                    if let Some(disabled) = c.disabled_users.get(&(scan.pool_id.clone(), user.username.clone())) {
                        user.enabled = !disabled;
                    }
                }
            }
        });
    }

    pub fn certificates(&self, certificates: &mut [Certificate]) {
        self.with(|c| {
            for cert in certificates {
                if c.renewed.contains(&cert.arn) {
                    cert.renewal_status = Some(crate::model::RenewalStatus::PendingAutoRenewal);
                }
            }
        });
    }
}
