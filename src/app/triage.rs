//! Triage in the app: the actions each pane offers (which feed the menu and the help), how marked or
//! selected rows become targets, and the draft that goes through note and confirm.

use crate::model::triage::{
    Target, TargetOutcome, TriageAction, UserRef, Verification, certificate_refusal, finding_refusal, finding_target,
    secret_refusal, user_refusal,
};
use crate::model::{Certificate, Context, Finding, Placement, Secret, SeverityLabel, UserAnomaly, WorkflowStatus};
use crate::pane::PaneId;
use crate::view::compliance::ControlRow;

/// A state-changing action before its note is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    Workflow(WorkflowStatus),
    Severity(SeverityLabel),
    Verification(Verification),
    Archive,
    Unarchive,
    Feedback(bool),
    Rotate,
    Disable,
    Enable,
    SignOut,
    ResetPassword,
    Renew,
}

impl ActionKind {
    /// Security Hub updates carry a note: it becomes the finding's Note, signed by the operator.
    pub fn needs_note(self) -> bool {
        matches!(self, Self::Workflow(_) | Self::Severity(_) | Self::Verification(_))
    }

    pub fn with_note(self, note: String) -> TriageAction {
        match self {
            Self::Workflow(status) => TriageAction::SetWorkflow { status, note },
            Self::Severity(label) => TriageAction::SetSeverity { label, note },
            Self::Verification(state) => TriageAction::SetVerification { state, note },
            Self::Archive => TriageAction::ArchiveGuardDuty,
            Self::Unarchive => TriageAction::UnarchiveGuardDuty,
            Self::Feedback(useful) => TriageAction::GuardDutyFeedback { useful },
            Self::Rotate => TriageAction::RotateSecret,
            Self::Disable => TriageAction::DisableUser,
            Self::Enable => TriageAction::EnableUser,
            Self::SignOut => TriageAction::GlobalSignOut,
            Self::ResetPassword => TriageAction::ResetPassword,
            Self::Renew => TriageAction::RenewCertificate,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuCommand {
    Triage(ActionKind),
    /// Copy the selected rows' ARNs or ids to the clipboard (OSC 52).
    Yank,
    /// Copy a link to the record in the AWS web console.
    ConsoleLink,
}

#[derive(Debug, Clone, Copy)]
pub struct MenuEntry {
    pub key: char,
    pub label: &'static str,
    pub command: MenuCommand,
}

const fn entry(key: char, label: &'static str, command: MenuCommand) -> MenuEntry {
    MenuEntry { key, label, command }
}

use ActionKind as K;
use MenuCommand::{ConsoleLink, Triage, Yank};

const FINDINGS: &[MenuEntry] = &[
    entry('n', "workflow NOTIFIED (note)", Triage(K::Workflow(WorkflowStatus::Notified))),
    entry('r', "workflow RESOLVED (note)", Triage(K::Workflow(WorkflowStatus::Resolved))),
    entry('s', "workflow SUPPRESSED (note)", Triage(K::Workflow(WorkflowStatus::Suppressed))),
    entry('w', "workflow NEW again (note)", Triage(K::Workflow(WorkflowStatus::New))),
    entry('C', "severity CRITICAL (note)", Triage(K::Severity(SeverityLabel::Critical))),
    entry('H', "severity HIGH (note)", Triage(K::Severity(SeverityLabel::High))),
    entry('M', "severity MEDIUM (note)", Triage(K::Severity(SeverityLabel::Medium))),
    entry('L', "severity LOW (note)", Triage(K::Severity(SeverityLabel::Low))),
    entry('I', "severity INFORMATIONAL (note)", Triage(K::Severity(SeverityLabel::Informational))),
    entry('t', "true positive (note)", Triage(K::Verification(Verification::TruePositive))),
    entry('f', "false positive (note)", Triage(K::Verification(Verification::FalsePositive))),
    entry('b', "benign positive (note)", Triage(K::Verification(Verification::BenignPositive))),
    entry('a', "GuardDuty: archive", Triage(K::Archive)),
    entry('u', "GuardDuty: unarchive", Triage(K::Unarchive)),
    entry('+', "GuardDuty: feedback useful", Triage(K::Feedback(true))),
    entry('-', "GuardDuty: feedback not useful", Triage(K::Feedback(false))),
    entry('y', "copy finding id", Yank),
    entry('o', "copy AWS console link", ConsoleLink),
];
const CERTIFICATES: &[MenuEntry] = &[
    entry('n', "renew (private CA certificates)", Triage(K::Renew)),
    entry('y', "copy ARN", Yank),
    entry('o', "copy AWS console link", ConsoleLink),
];
const SECRETS: &[MenuEntry] = &[
    entry('r', "rotate now", Triage(K::Rotate)),
    entry('y', "copy ARN", Yank),
    entry('o', "copy AWS console link", ConsoleLink),
];
const USERS: &[MenuEntry] = &[
    entry('d', "disable user (also revokes tokens)", Triage(K::Disable)),
    entry('e', "enable user", Triage(K::Enable)),
    entry('g', "global sign-out", Triage(K::SignOut)),
    entry('p', "reset password", Triage(K::ResetPassword)),
    entry('y', "copy username", Yank),
    entry('o', "copy AWS console link", ConsoleLink),
];
const COMPLIANCE: &[MenuEntry] =
    &[entry('y', "copy control id", Yank), entry('o', "copy AWS console link", ConsoleLink)];

/// The actions a pane offers, in menu order.
pub fn menu(pane: PaneId) -> &'static [MenuEntry] {
    match pane {
        PaneId::Findings => FINDINGS,
        PaneId::Certificates => CERTIFICATES,
        PaneId::Secrets => SECRETS,
        PaneId::Users => USERS,
        PaneId::Compliance => COMPLIANCE,
    }
}

/// An action on its way through note and confirm.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub pane: PaneId,
    pub kind: ActionKind,
    pub targets: Vec<Target>,
    /// Rows the action does not apply to, with the reason.
    pub refused: Vec<(String, String)>,
    pub note: String,
}

impl Draft {
    pub fn action(&self) -> TriageAction {
        self.kind.with_note(self.note.clone())
    }
}

/// What the last action did, per target, for the result view.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeView {
    pub description: String,
    pub outcomes: Vec<TargetOutcome>,
    pub refused: Vec<(String, String)>,
    /// The audit log could not be written: shown, never swallowed.
    pub audit_error: Option<String>,
}

/// A record that triage can act on, copy and link to. `context` is the one the record was fetched
/// in; the record's own account and region win where it carries them.
pub trait Actionable {
    fn placement(&self, context: &Context) -> Placement;
    fn target(&self, context: &Context) -> Option<Target>;
    fn refusal(&self, action: &TriageAction) -> Option<String>;
    fn copy_text(&self) -> String;
    fn console_url(&self, context: &Context) -> String;
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl<T: Actionable> Actionable for std::sync::Arc<T> {
    fn placement(&self, context: &Context) -> Placement {
        (**self).placement(context)
    }
    fn target(&self, context: &Context) -> Option<Target> {
        (**self).target(context)
    }
    fn refusal(&self, action: &TriageAction) -> Option<String> {
        (**self).refusal(action)
    }
    fn copy_text(&self) -> String {
        (**self).copy_text()
    }
    fn console_url(&self, context: &Context) -> String {
        (**self).console_url(context)
    }
}

impl Actionable for Finding {
    fn placement(&self, context: &Context) -> Placement {
        Placement::or_context(&self.account_id, &self.region, context)
    }
    fn target(&self, context: &Context) -> Option<Target> {
        Some(finding_target(self, context))
    }
    fn refusal(&self, action: &TriageAction) -> Option<String> {
        finding_refusal(action, self)
    }
    fn copy_text(&self) -> String {
        self.id.clone()
    }
    fn console_url(&self, context: &Context) -> String {
        let region = &self.placement(context).region;
        match (&self.guardduty_id, self.sources.contains(&crate::model::FindingOrigin::Securityhub)) {
            (Some(id), false) => {
                format!(
                    "https://{region}.console.aws.amazon.com/guardduty/home?region={region}#/findings?fId={}",
                    encode(id)
                )
            }
            _ => format!(
                "https://{region}.console.aws.amazon.com/securityhub/home?region={region}#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253A{}",
                encode(&encode(&self.id))
            ),
        }
    }
}

impl Actionable for Certificate {
    fn placement(&self, context: &Context) -> Placement {
        Placement::from_arn(&self.arn, context)
    }
    fn target(&self, context: &Context) -> Option<Target> {
        Some(Target {
            id: self.arn.clone(),
            label: self.domain.clone(),
            placement: self.placement(context),
            product_arn: None,
            guardduty: None,
            user: None,
        })
    }
    fn refusal(&self, _action: &TriageAction) -> Option<String> {
        certificate_refusal(self)
    }
    fn copy_text(&self) -> String {
        self.arn.clone()
    }
    fn console_url(&self, context: &Context) -> String {
        let region = &self.placement(context).region;
        let id = self.arn.rsplit('/').next().unwrap_or_default();
        format!("https://{region}.console.aws.amazon.com/acm/home?region={region}#/certificates/{}", encode(id))
    }
}

impl Actionable for Secret {
    fn placement(&self, context: &Context) -> Placement {
        Placement::from_arn(&self.arn, context)
    }
    fn target(&self, context: &Context) -> Option<Target> {
        Some(Target {
            id: self.arn.clone(),
            label: self.name.clone(),
            placement: self.placement(context),
            product_arn: None,
            guardduty: None,
            user: None,
        })
    }
    fn refusal(&self, _action: &TriageAction) -> Option<String> {
        secret_refusal(self)
    }
    fn copy_text(&self) -> String {
        self.arn.clone()
    }
    fn console_url(&self, context: &Context) -> String {
        let region = &self.placement(context).region;
        format!(
            "https://{region}.console.aws.amazon.com/secretsmanager/secret?name={}&region={region}",
            encode(&self.name)
        )
    }
}

impl Actionable for UserAnomaly {
    /// A pool id starts with its region (`eu-west-1_AbC123`); the account is the member account the
    /// pool was read in, else the context's.
    fn placement(&self, context: &Context) -> Placement {
        Placement::or_context(self.account.as_deref().unwrap_or_default(), self.pool_region(), context)
    }
    fn target(&self, context: &Context) -> Option<Target> {
        (!self.username.is_empty()).then(|| Target {
            id: format!("{}/{}", self.pool_id, self.username),
            // Masked: the label goes to the confirm dialog and the audit log.
            label: format!("{} in {}", self.who(false), self.pool_name),
            placement: self.placement(context),
            product_arn: None,
            guardduty: None,
            user: Some(UserRef { pool_id: self.pool_id.clone(), username: self.username.clone() }),
        })
    }
    fn refusal(&self, action: &TriageAction) -> Option<String> {
        user_refusal(action, self)
    }
    fn copy_text(&self) -> String {
        self.username.clone()
    }
    fn console_url(&self, context: &Context) -> String {
        let region = &self.placement(context).region;
        format!(
            "https://{region}.console.aws.amazon.com/cognito/v2/idp/user-pools/{}/user-management/users/details/{}?region={region}",
            encode(&self.pool_id),
            encode(&self.username)
        )
    }
}

impl Actionable for ControlRow {
    fn placement(&self, context: &Context) -> Placement {
        Placement::from_arn(&self.standard_arn, context)
    }
    fn target(&self, _context: &Context) -> Option<Target> {
        None
    }
    fn refusal(&self, _action: &TriageAction) -> Option<String> {
        Some("controls have no triage actions".into())
    }
    fn copy_text(&self) -> String {
        self.control.id.clone()
    }
    fn console_url(&self, context: &Context) -> String {
        let region = &self.placement(context).region;
        format!(
            "https://{region}.console.aws.amazon.com/securityhub/home?region={region}#/controls/{}",
            encode(&self.control.id)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_keys_are_unique_per_pane_and_notes_only_for_security_hub() {
        for pane in PaneId::ALL {
            let keys: Vec<char> = menu(pane).iter().map(|e| e.key).collect();
            let mut unique = keys.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(keys.len(), unique.len(), "{pane:?}");
        }
        assert!(K::Workflow(WorkflowStatus::Resolved).needs_note());
        assert!(!K::Archive.needs_note());
    }

    #[test]
    fn url_encoding_keeps_unreserved_characters() {
        assert_eq!(encode("prod/db key"), "prod%2Fdb%20key");
    }

    #[test]
    fn links_and_targets_use_the_records_own_account_and_region() {
        let context = Context { profile: None, account: "111111111111".into(), region: "us-east-1".into() };
        let secret = Secret {
            name: "prod/db".into(),
            arn: "arn:aws:secretsmanager:eu-west-1:222222222222:secret:prod/db-x".into(),
            description: None,
            rotation_enabled: false,
            rotation_lambda_arn: None,
            rotation_interval_days: None,
            rotation_schedule: None,
            created: None,
            last_rotated: None,
            next_rotation: None,
            last_accessed: None,
            last_changed: None,
            deleted_date: None,
            versions: vec![],
        };
        assert!(secret.console_url(&context).starts_with("https://eu-west-1.console.aws.amazon.com/"));
        let target = secret.target(&context).unwrap();
        assert_eq!(target.placement, Placement { account: "222222222222".into(), region: "eu-west-1".into() });
    }
}
