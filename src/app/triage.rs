//! Triage in the app: the actions each pane offers (which feed the menu and the help), how marked or
//! selected rows become targets, and the draft that goes through note and confirm.

use crate::model::triage::{
    Target, TargetOutcome, TriageAction, certificate_refusal, certificate_target, finding_refusal, finding_target,
    secret_refusal, secret_target, user_refusal, user_target,
};
use crate::model::{Certificate, Context, Finding, Placement, Secret, UserAnomaly};
use crate::pane::PaneId;
use crate::view::compliance::ControlRow;
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuCommand {
    /// A state-changing action; its note (where it needs one) is typed after it is chosen.
    Triage(TriageAction),
    /// Copy the selected rows' ARNs or ids to the clipboard (OSC 52).
    Yank,
    /// Copy a link to the record in the AWS web console.
    ConsoleLink,
    /// Copy the AWS CLI command that fixes the selected row (a control finding's).
    CopyFix,
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
    /// What to know before confirming, per target (a step of an attack sequence archived).
    pub warnings: Vec<(String, String)>,
    pub note: String,
    /// Where the targets live, each account and region once (worked out once: the confirm
    /// dialog is drawn every second, and an organisation's targets span thousands of places).
    pub places: BTreeSet<(String, String)>,
}

impl Draft {
    pub fn new(
        pane: PaneId,
        chosen: TriageAction,
        targets: Vec<Target>,
        refused: Vec<(String, String)>,
        warnings: Vec<(String, String)>,
    ) -> Self {
        // Gathered by reference, then copied once per place: 50k targets live in a few thousand.
        let places = targets
            .iter()
            .map(|t| (t.placement.account.as_str(), t.placement.region.as_str()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|(account, region)| (account.to_string(), region.to_string()))
            .collect();
        Self { pane, chosen, targets, refused, warnings, note: String::new(), places }
    }

    /// Each account the targets live in, once, in order.
    pub fn accounts(&self) -> impl Iterator<Item = &str> {
        let mut last: Option<&str> = None;
        self.places.iter().filter_map(move |(account, _)| {
            let new = last != Some(account.as_str());
            last = Some(account.as_str());
            new.then_some(account.as_str())
        })
    }

    pub fn action(&self) -> TriageAction {
        self.chosen.clone().with_note(self.note.clone())
    }
}

/// What the last action did, per target, for the result view.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeView {
    pub description: String,
    /// Failures first: at thousands of targets they are what must be read, and the view shows
    /// only what fits.
    pub outcomes: Vec<TargetOutcome>,
    /// How many of `outcomes` failed (counted once: the view is drawn every second).
    pub failed: usize,
    pub refused: Vec<(String, String)>,
    /// The audit log could not be written: shown, never swallowed.
    pub audit_error: Option<String>,
}

impl OutcomeView {
    pub fn new(
        description: String,
        mut outcomes: Vec<TargetOutcome>,
        refused: Vec<(String, String)>,
        audit_error: Option<String>,
    ) -> Self {
        outcomes.sort_by_key(|o| o.error.is_none());
        let failed = outcomes.iter().filter(|o| o.error.is_some()).count();
        Self { description, outcomes, failed, refused, audit_error }
    }

    pub fn succeeded(&self) -> usize {
        self.outcomes.len() - self.failed
    }
}

/// A record that triage can act on, copy and link to. `context` is the one the record was fetched
/// in; the record's own account and region win where it carries them.
pub trait Actionable {
    fn placement(&self, context: &Context) -> Placement;
    fn target(&self, context: &Context) -> Option<Target>;
    fn refusal(&self, action: &TriageAction) -> Option<String>;
    /// What a person should know before confirming `action` on it, though it applies.
    fn warning(&self, _action: &TriageAction) -> Option<String> {
        None
    }
    /// What `y` copies; personal data only when `reveal_pii` (what the screen shows).
    fn copy_text(&self, reveal_pii: bool) -> String;
    /// How a skipped row is named beside its reason: its target's label.
    fn label(&self, context: &Context) -> String {
        self.target(context).map(|t| t.label).unwrap_or_else(|| self.copy_text(false))
    }
    /// A link to the record in the AWS console; one naming personal data only when `reveal_pii`;
    /// none in a partition without a public console.
    fn console_url(&self, context: &Context, reveal_pii: bool) -> Option<String>;
    /// The AWS CLI command that fixes the record, where there is one.
    fn fix_command(&self) -> Option<String> {
        None
    }
    /// The record as `action`'s target: [`Actionable::target`], with what that action needs
    /// besides (a suppression rule's criteria).
    fn target_for(&self, _action: &TriageAction, context: &Context) -> Option<Target> {
        self.target(context)
    }
}

/// `https://<region>.<the partition's console host>`, where the partition has a public console.
pub fn console(region: &str) -> Option<String> {
    crate::model::partition::Partition::of(region).console_origin(region)
}

pub fn encode(text: &str) -> String {
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
    fn warning(&self, action: &TriageAction) -> Option<String> {
        (**self).warning(action)
    }
    fn copy_text(&self, reveal_pii: bool) -> String {
        (**self).copy_text(reveal_pii)
    }
    fn label(&self, context: &Context) -> String {
        (**self).label(context)
    }
    fn console_url(&self, context: &Context, reveal_pii: bool) -> Option<String> {
        (**self).console_url(context, reveal_pii)
    }
    fn fix_command(&self) -> Option<String> {
        (**self).fix_command()
    }
    fn target_for(&self, action: &TriageAction, context: &Context) -> Option<Target> {
        (**self).target_for(action, context)
    }
}

impl Actionable for Finding {
    fn label(&self, _context: &Context) -> String {
        self.title.to_string()
    }
    fn fix_command(&self) -> Option<String> {
        crate::view::findings::fix_command(self)
    }
    fn target_for(&self, action: &TriageAction, context: &Context) -> Option<Target> {
        let mut target = self.target(context)?;
        if matches!(action, TriageAction::Findings(crate::model::panes::findings::Action::SuppressLikeThis { .. })) {
            target.likeness = crate::model::triage::Likeness::of(self).map(Box::new);
        }
        Some(target)
    }
    fn placement(&self, context: &Context) -> Placement {
        Placement::or_context(&self.account_id, &self.region, context)
    }
    fn target(&self, context: &Context) -> Option<Target> {
        Some(finding_target(self, context))
    }
    fn refusal(&self, action: &TriageAction) -> Option<String> {
        finding_refusal(action, self)
    }
    fn warning(&self, action: &TriageAction) -> Option<String> {
        crate::model::triage::finding_warning(action, self)
    }
    fn copy_text(&self, _reveal_pii: bool) -> String {
        self.id.clone()
    }
    fn console_url(&self, context: &Context, _reveal_pii: bool) -> Option<String> {
        let region = &self.placement(context).region;
        let origin = console(region)?;
        Some(match (&self.guardduty_id, self.sources.contains(&crate::model::FindingOrigin::Securityhub)) {
            (Some(id), false) => {
                format!("{origin}/guardduty/home?region={region}#/findings?fId={}", encode(id))
            }
            _ => format!(
                "{origin}/securityhub/home?region={region}#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253A{}",
                encode(&encode(&self.id))
            ),
        })
    }
}

impl Actionable for Certificate {
    fn placement(&self, context: &Context) -> Placement {
        Placement::from_arn(&self.arn, context)
    }
    fn target(&self, context: &Context) -> Option<Target> {
        Some(certificate_target(self, context))
    }
    fn refusal(&self, action: &TriageAction) -> Option<String> {
        match action {
            TriageAction::Certificates(_) => certificate_refusal(self),
            _ => Some("not an action for certificates".into()),
        }
    }
    fn copy_text(&self, _reveal_pii: bool) -> String {
        self.arn.clone()
    }
    fn console_url(&self, context: &Context, _reveal_pii: bool) -> Option<String> {
        let region = &self.placement(context).region;
        let id = self.arn.rsplit('/').next().unwrap_or_default();
        Some(format!("{}/acm/home?region={region}#/certificates/{}", console(region)?, encode(id)))
    }
}

impl Actionable for Secret {
    fn placement(&self, context: &Context) -> Placement {
        Placement::from_arn(&self.arn, context)
    }
    fn target(&self, context: &Context) -> Option<Target> {
        Some(secret_target(self, context))
    }
    fn refusal(&self, action: &TriageAction) -> Option<String> {
        match action {
            TriageAction::Secrets(_) => secret_refusal(self),
            _ => Some("not an action for secrets".into()),
        }
    }
    fn copy_text(&self, _reveal_pii: bool) -> String {
        self.arn.clone()
    }
    fn console_url(&self, context: &Context, _reveal_pii: bool) -> Option<String> {
        let region = &self.placement(context).region;
        Some(format!("{}/secretsmanager/secret?name={}&region={region}", console(region)?, encode(&self.name)))
    }
}

impl Actionable for UserAnomaly {
    /// A pool id starts with its region (`eu-west-1_AbC123`); the account is the member account the
    /// pool was read in, else the context's.
    fn placement(&self, context: &Context) -> Placement {
        Placement::or_context(self.account.as_deref().unwrap_or_default(), self.pool_region(), context)
    }
    fn target(&self, context: &Context) -> Option<Target> {
        user_target(self, context)
    }
    fn refusal(&self, action: &TriageAction) -> Option<String> {
        user_refusal(action, self)
    }
    /// The username when personal data is shown; else the pool and `sub` the audit log uses.
    fn copy_text(&self, reveal_pii: bool) -> String {
        if reveal_pii || self.username.is_empty() { self.username.clone() } else { self.user_id() }
    }
    /// The user's own page names the username: while personal data is masked, the pool's users.
    fn console_url(&self, context: &Context, reveal_pii: bool) -> Option<String> {
        let region = &self.placement(context).region;
        let pool =
            format!("{}/cognito/v2/idp/user-pools/{}/user-management/users", console(region)?, encode(&self.pool_id));
        Some(if reveal_pii && !self.username.is_empty() {
            format!("{pool}/details/{}?region={region}", encode(&self.username))
        } else {
            format!("{pool}?region={region}")
        })
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
    fn copy_text(&self, _reveal_pii: bool) -> String {
        self.control.id.clone()
    }
    fn console_url(&self, context: &Context, _reveal_pii: bool) -> Option<String> {
        let region = &self.placement(context).region;
        Some(format!("{}/securityhub/home?region={region}#/controls/{}", console(region)?, encode(&self.control.id)))
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
        assert!(secret.console_url(&context, false).unwrap().starts_with("https://eu-west-1.console.aws.amazon.com/"));
        let in_china = Secret {
            arn: "arn:aws-cn:secretsmanager:cn-north-1:222222222222:secret:prod/db-x".into(),
            ..secret.clone()
        };
        assert!(in_china.console_url(&context, false).unwrap().starts_with("https://cn-north-1.console.amazonaws.cn/"));
        let isolated = Secret {
            arn: "arn:aws-iso:secretsmanager:us-iso-east-1:222222222222:secret:prod/db-x".into(),
            ..secret.clone()
        };
        assert_eq!(isolated.console_url(&context, false), None, "no public console to link to");
        let target = secret.target(&context).unwrap();
        assert_eq!(target.placement, Placement { account: "222222222222".into(), region: "eu-west-1".into() });
    }
}
