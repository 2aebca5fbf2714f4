//! Triage in the app: the actions each pane offers (which feed the menu and the help), how marked or
//! selected rows become targets, and the draft that goes through note and confirm.

use crate::model::triage::{
    Target, TargetOutcome, TriageAction, UserRef, certificate_refusal, finding_refusal, finding_target, secret_refusal,
    user_refusal,
};
use crate::model::{Certificate, Context, Finding, Placement, Secret, UserAnomaly};
use crate::pane::PaneId;
use crate::view::compliance::ControlRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuCommand {
    /// A state-changing action; its note (where it needs one) is typed after it is chosen.
    Triage(TriageAction),
    /// Copy the selected rows' ARNs or ids to the clipboard (OSC 52).
    Yank,
    /// Copy a link to the record in the AWS web console.
    ConsoleLink,
}

#[derive(Debug, Clone)]
pub struct MenuEntry {
    pub key: char,
    pub label: std::borrow::Cow<'static, str>,
    pub command: MenuCommand,
}

pub use super::panes::menu;

/// An action on its way through note and confirm.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub pane: PaneId,
    /// The action chosen, its note still empty.
    pub chosen: TriageAction,
    pub targets: Vec<Target>,
    /// Rows the action does not apply to, with the reason.
    pub refused: Vec<(String, String)>,
    pub note: String,
}

impl Draft {
    pub fn action(&self) -> TriageAction {
        self.chosen.clone().with_note(self.note.clone())
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
    fn refusal(&self, action: &TriageAction) -> Option<String> {
        match action {
            TriageAction::Certificates(_) => certificate_refusal(self),
            _ => Some("not an action for certificates".into()),
        }
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
    fn refusal(&self, action: &TriageAction) -> Option<String> {
        match action {
            TriageAction::Secrets(_) => secret_refusal(self),
            _ => Some("not an action for secrets".into()),
        }
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
        for pane in PaneId::ALL {
            for entry in menu(pane) {
                if let MenuCommand::Triage(action) = entry.command {
                    assert_eq!(action.pane(), pane, "{pane:?} offers another pane's action");
                    assert_eq!(action.needs_note(), action.note().is_some(), "{action:?}");
                }
            }
        }
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
