//! Triage actions: what a person can do to a record from the keyboard, which records each applies
//! to, and the outcome per target. Pure: the sources carry them out.

use super::{Certificate, CertificateKind, Context, Finding, FindingOrigin, Placement, Secret, UserAnomaly};
use serde::{Deserialize, Serialize};

/// ASFF `VerificationState` values a person sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verification {
    TruePositive,
    FalsePositive,
    BenignPositive,
}

impl Verification {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TruePositive => "TRUE_POSITIVE",
            Self::FalsePositive => "FALSE_POSITIVE",
            Self::BenignPositive => "BENIGN_POSITIVE",
        }
    }
}

pub use super::panes::TriageAction;

/// A pane's own actions (`PaneModel::Action`): what the confirm dialog, the audit log and the
/// source need to know of each. [`TriageAction`] is one of them, of whichever pane.
pub trait PaneAction:
    std::fmt::Debug + Clone + PartialEq + Eq + Serialize + serde::de::DeserializeOwned + Send + Sync
{
    /// What the confirm dialog and the audit log call it.
    fn describe(&self) -> String;

    /// The note it carries (Security Hub updates carry one), once typed.
    fn note(&self) -> Option<&str> {
        None
    }

    /// Whether a note must be typed before it is confirmed.
    fn needs_note(&self) -> bool {
        false
    }

    /// The action with its note (for actions that carry one).
    fn with_note(self, _note: String) -> Self {
        self
    }

    /// Whether the call goes to the account that administers the records (Security Hub's and
    /// GuardDuty's administrator updates its members' findings), not to the account that owns the
    /// record, as rotating a secret or disabling a user does.
    fn goes_through_administrator(&self) -> bool {
        false
    }

    /// Whether the call must be made in the record's own region (GuardDuty archives through the
    /// detector of the finding's region).
    fn in_record_region(&self) -> bool {
        false
    }

    /// What AWS will and will not do, where a person would expect more than it does (a sign-out
    /// that leaves issued tokens working): the confirm dialog says it before anything is sent.
    fn caveat(&self) -> Option<&'static str> {
        None
    }

    /// The call it makes for `target`, as the confirm dialog shows it: the service and operation,
    /// the resource the service will act on (not the row's title, which the record's author chose)
    /// and where. PII in a username is masked.
    fn describe_call(&self, target: &Target) -> String;
}

/// "account 111122223333 eu-west-1", as a call's description names where it goes.
pub fn place_of(target: &Target) -> String {
    format!("account {} {}", target.placement.account, target.placement.region)
}

pub use super::identity::record_key;

impl Target {
    /// Whether only the new Security Hub holds it among the services that triage findings: it was
    /// read through the new Security Hub, and not through CSPM (whose `ProductArn`s are
    /// `...:product/...`). A GuardDuty finding the new Security Hub also reported is one.
    /// [`only_in_ocsf`] says the same of a finding.
    pub fn is_ocsf_only(&self) -> bool {
        self.ocsf_uid.is_some() && !self.product_arn.as_deref().is_some_and(|arn| arn.contains(":product/"))
    }

    /// Its [`record_key`].
    pub fn key(&self) -> String {
        record_key(&self.placement.account, &self.placement.region, self.product_arn.as_deref(), &self.id)
    }

    /// A hash of its [`record_key`]'s parts, without building the key.
    pub fn key_hash(&self) -> u64 {
        super::identity::identity_hash([
            &self.placement.account,
            &self.placement.region,
            self.product_arn.as_deref().unwrap_or_default(),
            &self.id,
        ])
    }

    /// Whether the two address one record: the same [`record_key`].
    pub fn same_record(&self, other: &Target) -> bool {
        self.id == other.id
            && self.placement.account == other.placement.account
            && self.placement.region == other.placement.region
            && self.product_arn.as_deref().unwrap_or_default() == other.product_arn.as_deref().unwrap_or_default()
    }
}

/// One record an action applies to, with what the service needs to address it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The record's identity (finding id, ARN, pool/user).
    pub id: String,
    /// How a person recognises it (title, name, masked user).
    pub label: String,
    /// The account and region the record lives in, as the audit log records it (and where its
    /// call must go once several accounts are served).
    pub placement: Placement,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guardduty: Option<GuardDutyRef>,
    /// The new Security Hub's `metadata.uid`, for a finding read through it (BatchUpdateFindingsV2
    /// when only it holds the finding, CreateTicketV2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocsf_uid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<UserRef>,
    /// What "suppress findings like this" matches, for that action's targets only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likeness: Option<Box<Likeness>>,
}

/// A Security Hub automation rule, as ListAutomationRules describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutomationRule {
    pub arn: String,
    pub name: String,
    /// ENABLED or DISABLED.
    pub status: String,
    pub order: i32,
    pub description: String,
    pub created_at: Option<crate::model::Timestamp>,
    pub created_by: String,
}

impl AutomationRule {
    /// Whether this console made it (`x R`): its name says so.
    pub fn made_here(&self) -> bool {
        self.name.starts_with(RULE_NAME_PREFIX)
    }
}

/// How the names of the rules `x R` makes begin.
pub const RULE_NAME_PREFIX: &str = "vigil: ";

/// The findings a suppression rule matches: those of the same product and account, on the same
/// resource, of the same control (a control finding) or type (any other). The rule's criteria,
/// each compared EQUALS.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Likeness {
    pub product_arn: String,
    pub account: String,
    pub resource: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding_type: Option<String>,
    /// With the type, for a finding that is not a control's: a type alone (`.../Vulnerabilities/CVE`)
    /// would take every later CVE on the resource, critical ones too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl Likeness {
    pub fn of(finding: &Finding) -> Option<Self> {
        Some(Self {
            product_arn: finding.product_arn.as_deref()?.to_string(),
            account: finding.account_id.to_string(),
            resource: finding.resource.to_string(),
            control: finding.control_id.as_deref().map(str::to_string),
            finding_type: finding.control_id.is_none().then(|| finding.finding_type.to_string()),
            title: finding.control_id.is_none().then(|| finding.title.to_string()),
        })
    }

    /// The rule's name (at most 256 characters, as CreateAutomationRule takes).
    pub fn rule_name(&self) -> String {
        let what = self.control.as_deref().or(self.finding_type.as_deref()).unwrap_or("findings");
        let resource = super::arn::short_resource(&self.resource);
        let name = format!("{RULE_NAME_PREFIX}suppress {what} on {resource}");
        name.chars().take(256).collect()
    }

    /// The criteria as the confirm dialog and the rule's name say them.
    pub fn describe(&self) -> String {
        let what = match (&self.control, &self.finding_type, &self.title) {
            (Some(control), _, _) => format!("control {control}"),
            (None, Some(kind), Some(title)) => format!("type {kind} · title {title}"),
            (None, Some(kind), None) => format!("type {kind}"),
            (None, None, _) => "any type".into(),
        };
        let product = self.product_arn.rsplit("product/").next().unwrap_or(&self.product_arn);
        let resource = super::arn::short_resource(&self.resource);
        format!("{what} on {resource} in account {} from {product}", self.account)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardDutyRef {
    pub detector_id: String,
    pub finding_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    pub pool_id: String,
    pub username: String,
}

/// The result for one target: `Ok` or the service's error for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetOutcome {
    pub target: Target,
    pub error: Option<String>,
    /// What a success made, where it made something to name (the ticket opened: `SEC-12 https://...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl TargetOutcome {
    pub fn ok(target: Target) -> Self {
        Self { target, error: None, detail: None }
    }

    /// A success that made something worth naming.
    pub fn ok_with(target: Target, detail: impl Into<String>) -> Self {
        Self { target, error: None, detail: Some(detail.into()) }
    }

    pub fn failed(target: Target, error: impl Into<String>) -> Self {
        Self { target, error: Some(error.into()), detail: None }
    }
}

/// Whether only the new Security Hub holds the finding (not CSPM): its workflow and severity are
/// set through BatchUpdateFindingsV2. A finding CSPM holds too is triaged there, as before. The
/// same rule as [`Target::is_ocsf_only`], on the finding: a CSPM copy is what sets both the
/// `securityhub` source and a `...:product/...` product ARN.
pub fn only_in_ocsf(finding: &Finding) -> bool {
    !finding.sources.contains(&FindingOrigin::Securityhub) && super::ocsf::ocsf_uid(finding).is_some()
}

/// Why an action cannot apply to a record, or `None` when it can.
pub fn finding_refusal(action: &TriageAction, finding: &Finding) -> Option<String> {
    use super::panes::findings::Action;
    // Asked only where it matters: the origins are one more read from memory per row, and an
    // action on every row of 160k asks them all.
    let in_security_hub = || finding.product_arn.is_some() && finding.sources.contains(&FindingOrigin::Securityhub);
    match action {
        TriageAction::Findings(Action::SetWorkflow { .. } | Action::SetSeverity { .. }) if only_in_ocsf(finding) => {
            None
        }
        TriageAction::Findings(Action::OpenTicket) => super::ocsf::ocsf_uid(finding)
            .is_none()
            .then(|| "not read through the new Security Hub: tickets are opened through its connectors".into()),
        TriageAction::Findings(Action::SetVerification { .. }) if only_in_ocsf(finding) => Some(
            "read through the new Security Hub, which has no verification state: set its status or severity".into(),
        ),
        TriageAction::Findings(
            Action::SetWorkflow { .. } | Action::SetSeverity { .. } | Action::SetVerification { .. },
        ) => {
            (!in_security_hub()).then(|| "only in GuardDuty, not in Security Hub: archive it in GuardDuty instead".into())
        }
        TriageAction::Findings(
            Action::ArchiveGuardDuty | Action::UnarchiveGuardDuty | Action::GuardDutyFeedback { .. },
        ) => guardduty_parts(finding).is_none().then(|| "not a GuardDuty finding".into()),
        TriageAction::Findings(Action::SuppressLikeThis { .. }) if finding.guardduty_id.is_some() => Some(
            "a GuardDuty finding: GuardDuty's own suppression rules (a filter that auto-archives) cut its noise where it starts"
                .into(),
        ),
        TriageAction::Findings(Action::SuppressLikeThis { .. }) if only_in_ocsf(finding) => {
            Some("read through the new Security Hub only: CSPM's automation rules do not see it".into())
        }
        TriageAction::Findings(Action::SuppressLikeThis { .. }) => (!in_security_hub())
            .then(|| "only in GuardDuty, not in Security Hub: automation rules act on Security Hub findings".into()),
        _ => Some("not an action for findings".into()),
    }
}

pub fn guardduty_ref(finding: &Finding) -> Option<GuardDutyRef> {
    let (detector_id, finding_id) = guardduty_parts(finding)?;
    Some(GuardDutyRef { detector_id: detector_id.to_string(), finding_id: finding_id.to_string() })
}

/// The detector and finding ids GuardDuty addresses the finding by, borrowed: asking whether a
/// row can be archived in GuardDuty copies nothing (160k rows are asked at once).
fn guardduty_parts(finding: &Finding) -> Option<(&str, &str)> {
    let finding_id = finding.guardduty_id.as_deref()?;
    let detector_id = finding
        .details
        .iter()
        .find(|(k, _)| &**k == "Detector")
        .map(|(_, v)| &**v)
        .or_else(|| finding.id.split("detector/").nth(1).and_then(|t| t.split('/').next()))?;
    Some((detector_id, finding_id))
}

pub fn finding_target(finding: &Finding, context: &Context) -> Target {
    Target {
        id: finding.id.clone(),
        label: finding.title.to_string(),
        placement: Placement::or_context(&finding.account_id, &finding.region, context),
        product_arn: finding.product_arn.as_deref().map(str::to_string),
        guardduty: guardduty_ref(finding),
        ocsf_uid: super::ocsf::ocsf_uid(finding).map(str::to_string),
        user: None,
        likeness: None,
    }
}

/// What to know before `action` takes a finding off the open list: GuardDuty Extended Threat
/// Detection correlates findings into a critical attack sequence, and archiving one step (or the
/// sequence) hides part of an attack rather than a false alarm.
pub fn finding_warning(action: &TriageAction, finding: &Finding) -> Option<String> {
    use super::panes::findings::Action;
    let hides = matches!(
        action,
        TriageAction::Findings(
            Action::ArchiveGuardDuty
                | Action::SetWorkflow {
                    status: super::WorkflowStatus::Suppressed | super::WorkflowStatus::Resolved,
                    ..
                }
        )
    );
    if !hides {
        return None;
    }
    if finding.is_attack_sequence() {
        return Some(
            "this is a GuardDuty attack sequence (critical): it hides the whole attack, every step of it".into(),
        );
    }
    finding.attack_sequence().map(|sequence| {
        format!(
            "one step of GuardDuty attack sequence {}: it hides a step of a critical attack, the sequence stays open",
            super::arn::short_resource(sequence)
        )
    })
}

pub fn certificate_target(certificate: &Certificate, context: &Context) -> Target {
    Target {
        likeness: None,
        id: certificate.arn.clone(),
        label: certificate.domain.clone(),
        placement: Placement::from_arn(&certificate.arn, context),
        product_arn: None,
        guardduty: None,
        ocsf_uid: None,
        user: None,
    }
}

pub fn secret_target(secret: &Secret, context: &Context) -> Target {
    Target {
        likeness: None,
        id: secret.arn.clone(),
        label: secret.name.clone(),
        placement: Placement::from_arn(&secret.arn, context),
        product_arn: None,
        guardduty: None,
        ocsf_uid: None,
        user: None,
    }
}

/// A user's target, `None` for a pool-wide anomaly (a sign-up burst names no user). A pool id
/// starts with its region (`eu-west-1_AbC123`); the account is the member account the pool was
/// read in, else the context's.
pub fn user_target(user: &UserAnomaly, context: &Context) -> Option<Target> {
    (!user.username.is_empty()).then(|| Target {
        likeness: None,
        // The pool and the user's `sub`: the audit log keeps no e-mail address or phone number.
        id: user.user_id(),
        // Masked: the label goes to the confirm dialog and the audit log.
        label: format!("{} in {}", user.who(false), user.pool_name),
        placement: Placement::or_context(user.account.as_deref().unwrap_or_default(), user.pool_region(), context),
        product_arn: None,
        guardduty: None,
        ocsf_uid: None,
        user: Some(UserRef { pool_id: user.pool_id.clone(), username: user.username.clone() }),
    })
}

pub fn secret_refusal(secret: &Secret) -> Option<String> {
    if secret.deleted_date.is_some() {
        return Some("scheduled for deletion".into());
    }
    if !secret.can_rotate() {
        return Some("rotation is not configured for this secret: configure a rotation first".into());
    }
    // AWS answers RotateSecret with "A previous rotation isn't complete" while AWSPENDING sits on
    // another version than AWSCURRENT: not sent, with what to do.
    secret.rotation_unfinished().then(|| {
        "a rotation is not finished (AWSPENDING is on a version that is not AWSCURRENT): AWS refuses a new one until it completes; fix the rotation function or move the AWSPENDING label".into()
    })
}

/// Why RenewCertificate would not renew it, from what ACM says of the certificate: its
/// `RenewalEligibility`, and whether it can have been exported (RenewCertificate renews exported
/// certificates only: private ones, or public ones issued as exportable).
pub fn certificate_refusal(certificate: &Certificate) -> Option<String> {
    if certificate.kind == CertificateKind::Imported {
        return Some("imported certificates cannot be renewed by ACM: import a new one".into());
    }
    if !certificate.renewal_eligible {
        return Some(
            "ACM says it is not eligible for renewal (RenewalEligibility INELIGIBLE: not in use and never exported, or issued by the private CA directly)".into(),
        );
    }
    let exportable = certificate.kind == CertificateKind::Private || certificate.exportable;
    (!exportable).then(|| {
        "ACM renews it by itself while it is in use (managed renewal); RenewCertificate renews exported certificates only".into()
    })
}

pub fn user_refusal(action: &TriageAction, anomaly: &UserAnomaly) -> Option<String> {
    if anomaly.username.is_empty() {
        return Some("a pool-wide anomaly has no user to act on".into());
    }
    use super::panes::users::Action;
    match action {
        TriageAction::Users(Action::DisableUser) if !anomaly.enabled => Some("already disabled".into()),
        TriageAction::Users(Action::EnableUser) if anomaly.enabled => Some("already enabled".into()),
        TriageAction::Users(Action::ResetPassword)
            if anomaly.user_status != Some(super::users::UserStatus::Confirmed) =>
        {
            Some("only confirmed users can have their password reset".into())
        }
        TriageAction::Users(_) => None,
        _ => Some("not an action for users".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::panes::findings::Action as FindingAction;
    use crate::model::{Product, RecordState};
    use crate::model::{SeverityLabel, WorkflowStatus};
    use chrono::Utc;

    fn finding(sources: Vec<FindingOrigin>, product_arn: Option<&str>) -> Finding {
        Finding {
            id: "arn:aws:guardduty:us-east-1:1:detector/det1/finding/f1".into(),
            guardduty_id: Some("f1".into()),
            product_arn: product_arn.map(Into::into),
            severity: SeverityLabel::High,
            severity_score: 70,
            title: "t".into(),
            description: Default::default(),
            finding_type: Default::default(),
            resource_type: Default::default(),
            resource: Default::default(),
            product: Product::GuardDuty,
            workflow_status: WorkflowStatus::New,
            record_state: RecordState::Active,
            sources,
            count: 1,
            account_id: "1".into(),
            region: "us-east-1".into(),
            first_seen: Utc::now(),
            last_seen: Utc::now(),
            updated_at: Utc::now(),
            control_id: None,
            details: vec![],
            risk: Default::default(),
        }
    }

    #[test]
    fn security_hub_actions_need_a_security_hub_copy() {
        let resolve =
            TriageAction::Findings(FindingAction::SetWorkflow { status: WorkflowStatus::Resolved, note: "n".into() });
        let gd_only = finding(vec![FindingOrigin::Guardduty], None);
        assert!(finding_refusal(&resolve, &gd_only).is_some());
        let both = finding(
            vec![FindingOrigin::Guardduty, FindingOrigin::Securityhub],
            Some("arn:aws:securityhub:us-east-1::product/aws/guardduty"),
        );
        assert!(finding_refusal(&resolve, &both).is_none());
        assert!(finding_refusal(&TriageAction::Findings(FindingAction::ArchiveGuardDuty), &both).is_none());
        assert_eq!(guardduty_ref(&both), Some(GuardDutyRef { detector_id: "det1".into(), finding_id: "f1".into() }));
    }
}
