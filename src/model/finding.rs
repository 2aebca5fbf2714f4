//! One finding in the triage list, whichever service reported it.

use super::severity::SeverityLabel;
use super::shared::{Interner, SharedStr};
use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which service delivered a copy of the finding. A GuardDuty finding that also arrives through
/// Security Hub carries both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingOrigin {
    Guardduty,
    Securityhub,
    /// The new Security Hub (OCSF findings, GetFindingsV2) beside Security Hub CSPM.
    #[serde(rename = "securityhub-v2")]
    SecurityhubV2,
}

impl FindingOrigin {
    pub fn label(self) -> &'static str {
        match self {
            Self::Guardduty => "GuardDuty",
            Self::Securityhub => "Security Hub",
            Self::SecurityhubV2 => "Security Hub (OCSF)",
        }
    }
}

/// The product that generated the finding, as an on-call engineer names it. Serialised as a short
/// stable id (`guardduty`, `inspector`, ..., or the product's own name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum Product {
    GuardDuty,
    Inspector,
    Macie,
    /// Security Hub's own control checks (security standards).
    SecurityHubControls,
    AccessAnalyzer,
    Config,
    Health,
    FirewallManager,
    /// The new Security Hub's exposure findings (Security Hub Exposure Analysis): what AWS
    /// correlated about one resource.
    Exposure,
    Other(String),
}

impl Product {
    /// Classifies an ASFF `ProductArn` such as `arn:aws:securityhub:us-east-1::product/aws/guardduty`,
    /// or the new Security Hub's `metadata.product.uid` (`...::productv2/aws/guardduty`).
    pub fn from_product_arn(product_arn: &str) -> Self {
        let tail = product_arn
            .rsplit_once(":product/")
            .or_else(|| product_arn.rsplit_once(":productv2/"))
            .map(|(_, t)| t)
            .unwrap_or(product_arn);
        match tail {
            "aws/guardduty" => Self::GuardDuty,
            "aws/inspector" => Self::Inspector,
            "aws/macie" => Self::Macie,
            "aws/securityhub" => Self::SecurityHubControls,
            "aws/access-analyzer" => Self::AccessAnalyzer,
            "aws/config" => Self::Config,
            "aws/health" => Self::Health,
            "aws/firewall-manager" => Self::FirewallManager,
            "aws/securityhub-risk" => Self::Exposure,
            other => Self::Other(other.rsplit('/').next().unwrap_or(other).to_string()),
        }
    }

    pub fn label(&self) -> &str {
        match self {
            Self::GuardDuty => "GuardDuty",
            Self::Inspector => "Inspector",
            Self::Macie => "Macie",
            Self::SecurityHubControls => "SH controls",
            Self::AccessAnalyzer => "Access Analyzer",
            Self::Config => "Config",
            Self::Health => "Health",
            Self::FirewallManager => "Firewall Manager",
            Self::Exposure => "Exposure",
            Self::Other(name) => name,
        }
    }
}

impl Product {
    pub fn id(&self) -> &str {
        match self {
            Self::GuardDuty => "guardduty",
            Self::Inspector => "inspector",
            Self::Macie => "macie",
            Self::SecurityHubControls => "securityhub",
            Self::AccessAnalyzer => "access-analyzer",
            Self::Config => "config",
            Self::Health => "health",
            Self::FirewallManager => "firewall-manager",
            Self::Exposure => "securityhub-risk",
            Self::Other(name) => name,
        }
    }
}

impl From<Product> for String {
    fn from(product: Product) -> Self {
        product.id().to_string()
    }
}

impl From<String> for Product {
    fn from(id: String) -> Self {
        Self::from_product_arn(&format!(":product/aws/{id}"))
    }
}

impl fmt::Display for Product {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// ASFF `Workflow.Status`. GuardDuty-only findings have no workflow; they read as `New`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WorkflowStatus {
    New,
    Notified,
    Resolved,
    Suppressed,
}

impl WorkflowStatus {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "NEW" => Some(Self::New),
            "NOTIFIED" => Some(Self::Notified),
            "RESOLVED" => Some(Self::Resolved),
            "SUPPRESSED" => Some(Self::Suppressed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "NEW",
            Self::Notified => "NOTIFIED",
            Self::Resolved => "RESOLVED",
            Self::Suppressed => "SUPPRESSED",
        }
    }

    /// Resolved and suppressed findings are out of the default triage view.
    pub fn is_open(self) -> bool {
        matches!(self, Self::New | Self::Notified)
    }
}

/// ASFF `RecordState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RecordState {
    Active,
    Archived,
}

/// A finding in the triage list. Strings are as the service sent them: hostile until rendered
/// through the sanitiser. They are [`SharedStr`]s: a batch shares the texts its findings repeat
/// (see [`Finding::share_strings`]) and a clone copies pointers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Security Hub finding `Id` when Security Hub has a copy, else the GuardDuty finding ARN.
    pub id: String,
    /// The GuardDuty finding id (the last ARN segment), for findings GuardDuty reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guardduty_id: Option<SharedStr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_arn: Option<SharedStr>,
    pub severity: SeverityLabel,
    /// Normalized 0-100 score (GuardDuty scores are scaled by 10).
    pub severity_score: u8,
    pub title: SharedStr,
    pub description: SharedStr,
    /// ASFF `Types[0]` or the GuardDuty type such as `UnauthorizedAccess:EC2/SSHBruteForce`.
    pub finding_type: SharedStr,
    pub resource_type: SharedStr,
    pub resource: SharedStr,
    pub product: Product,
    pub workflow_status: WorkflowStatus,
    pub record_state: RecordState,
    pub sources: Vec<FindingOrigin>,
    /// How many times the activity was seen (GuardDuty `Service.Count`); 1 otherwise.
    pub count: u64,
    pub account_id: SharedStr,
    pub region: SharedStr,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    pub updated_at: Timestamp,
    /// Security Hub control id (`S3.1`) for control findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_id: Option<SharedStr>,
    /// Extra facts worth a line in the detail view (remote IP, user agent, API called, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<(SharedStr, SharedStr)>,
    /// Its priority among the findings around it (see [`super::risk::rank`]); set by the source
    /// after a fetch and after the cache is read, never read from outside.
    #[serde(default, skip_deserializing)]
    pub risk: super::priority::Risk,
}

impl Finding {
    /// Whether the finding belongs in the default triage view: active, not resolved or suppressed.
    pub fn is_open(&self) -> bool {
        self.record_state == RecordState::Active && self.workflow_status.is_open()
    }

    /// Points every repeated text (product ARN, type, resource, account, region, title,
    /// description, details) at the interner's copy. The ids are unique and left alone.
    pub fn share_strings(&mut self, interner: &mut Interner) {
        for text in [
            &mut self.title,
            &mut self.description,
            &mut self.finding_type,
            &mut self.resource_type,
            &mut self.resource,
            &mut self.account_id,
            &mut self.region,
        ] {
            interner.share(text);
        }
        for text in [&mut self.product_arn, &mut self.control_id].into_iter().flatten() {
            interner.share(text);
        }
        for (label, value) in &mut self.details {
            interner.share(label);
            interner.share(value);
        }
    }

    pub fn origin_label(&self) -> &'static str {
        let gd = self.sources.contains(&FindingOrigin::Guardduty);
        let sh =
            self.sources.contains(&FindingOrigin::Securityhub) || self.sources.contains(&FindingOrigin::SecurityhubV2);
        match (gd, sh) {
            (true, true) => "GD+SH",
            (true, false) => "GD",
            _ => "SH",
        }
    }

    /// Whether the new Security Hub reported it (GetFindingsV2).
    pub fn read_through_v2(&self) -> bool {
        self.sources.contains(&FindingOrigin::SecurityhubV2)
    }
}

/// The detail naming the GuardDuty attack sequence a finding is one step of (its ARN).
pub const ATTACK_SEQUENCE: &str = "Attack sequence";
/// The detail labels of the product's remediation advice (ASFF `Remediation.Recommendation`).
pub const REMEDIATION: &str = "Remediation";
pub const REMEDIATION_LINK: &str = "Remediation link";

impl Finding {
    /// The GuardDuty attack sequence (Extended Threat Detection) this finding is one step of.
    pub fn attack_sequence(&self) -> Option<&str> {
        self.details.iter().find(|(label, _)| &**label == ATTACK_SEQUENCE).map(|(_, arn)| &**arn)
    }

    /// Whether it is an attack sequence finding itself (`AttackSequence:...`, Critical by default).
    pub fn is_attack_sequence(&self) -> bool {
        self.finding_type.starts_with("AttackSequence:")
    }

    /// What tells one finding from every other: Security Hub's identity is the `Id` together with
    /// the `ProductArn` (GuardDuty's own findings have no product ARN until they reach it), of the
    /// account and region the finding says it is in: a [`super::identity::record_key`], so an
    /// `Id` imported again elsewhere is another row, another mark and another target.
    pub fn identity(&self) -> String {
        super::identity::record_key(&self.account_id, &self.region, self.product_arn.as_deref(), &self.id)
    }
}

/// Whether a `ProductArn` is GuardDuty's own, as Security Hub writes it for the findings GuardDuty
/// sends: `arn:<partition>:securityhub:<region>::product/aws/guardduty` (no account: an AWS product).
/// Only such a finding is a copy of a GuardDuty finding; any product can import a finding whose
/// `Id` merely looks like a GuardDuty ARN.
pub fn is_guardduty_product_arn(product_arn: &str) -> bool {
    let parts: Vec<&str> = product_arn.splitn(6, ':').collect();
    matches!(parts.as_slice(), ["arn", partition, "securityhub", region, "", "product/aws/guardduty"]
        if partition.starts_with("aws") && !region.is_empty())
}

/// The GuardDuty finding id of a Security Hub finding: only for a finding GuardDuty itself sent.
pub fn guardduty_id_of_securityhub_finding<'a>(id: &'a str, product_arn: &str) -> Option<&'a str> {
    is_guardduty_product_arn(product_arn).then(|| guardduty_id_from_arn(id)).flatten()
}

/// The GuardDuty finding id inside a Security Hub copy's `Id`:
/// `arn:aws:guardduty:<region>:<account>:detector/<detectorId>/finding/<findingId>`.
pub fn guardduty_id_from_arn(id: &str) -> Option<&str> {
    if !id.starts_with("arn:aws") || !id.contains(":guardduty:") {
        return None;
    }
    let (_, tail) = id.rsplit_once("/finding/")?;
    (!tail.is_empty() && !tail.contains('/')).then_some(tail)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An open, active Inspector finding about a bucket, first seen at the epoch: tests set what
    /// they are about.
    pub(crate) fn sample(id: &str) -> Finding {
        let at = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        Finding {
            id: id.into(),
            guardduty_id: None,
            product_arn: None,
            severity: SeverityLabel::Medium,
            severity_score: 50,
            title: id.into(),
            description: "".into(),
            finding_type: "Software and Configuration Checks".into(),
            resource_type: "AwsS3Bucket".into(),
            resource: "bucket".into(),
            product: Product::Inspector,
            workflow_status: WorkflowStatus::New,
            record_state: RecordState::Active,
            sources: Vec::new(),
            count: 1,
            account_id: "111122223333".into(),
            region: "eu-west-1".into(),
            first_seen: at,
            last_seen: at,
            updated_at: at,
            control_id: None,
            details: Vec::new(),
            risk: Default::default(),
        }
    }

    #[test]
    fn product_from_arn() {
        let arn = "arn:aws:securityhub:us-east-1::product/aws/guardduty";
        assert_eq!(Product::from_product_arn(arn), Product::GuardDuty);
        let arn = "arn:aws:securityhub:eu-west-1::product/aws/securityhub";
        assert_eq!(Product::from_product_arn(arn), Product::SecurityHubControls);
        let arn = "arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default";
        assert_eq!(Product::from_product_arn(arn), Product::Other("default".into()));
    }

    #[test]
    fn only_guarddutys_own_product_arn_gives_a_guardduty_identity() {
        let id = "arn:aws:guardduty:us-east-1:123456789012:detector/12abc/finding/9f8e7d";
        let gd = "arn:aws:securityhub:us-east-1::product/aws/guardduty";
        assert_eq!(guardduty_id_of_securityhub_finding(id, gd), Some("9f8e7d"));
        for imitation in [
            "arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default",
            "arn:aws:securityhub:us-east-1:123456789012:product/aws/guardduty",
            "arn:aws:securityhub:us-east-1::product/aws/guardduty-lookalike",
            "arn:aws:securityhub:us-east-1::product/aws/inspector",
            "product/aws/guardduty",
        ] {
            assert_eq!(guardduty_id_of_securityhub_finding(id, imitation), None, "{imitation}");
        }
        assert!(is_guardduty_product_arn("arn:aws-us-gov:securityhub:us-gov-west-1::product/aws/guardduty"));
    }

    #[test]
    fn guardduty_id_is_the_last_segment() {
        let id = "arn:aws:guardduty:us-east-1:123456789012:detector/12abc/finding/9f8e7d";
        assert_eq!(guardduty_id_from_arn(id), Some("9f8e7d"));
        assert_eq!(guardduty_id_from_arn("arn:aws:securityhub:us-east-1:1:subscription/x"), None);
        assert_eq!(guardduty_id_from_arn("arn:aws:guardduty:us-east-1:1:detector/12abc/finding/"), None);
    }
}
