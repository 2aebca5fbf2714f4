//! Security Hub standards, their controls and the security score, computed as Security Hub does:
//! no API returns the score.

use super::severity::SeverityLabel;
use serde::{Deserialize, Serialize};

/// ASFF `Compliance.Status` of one control finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ComplianceStatus {
    Passed,
    Warning,
    Failed,
    NotAvailable,
}

impl ComplianceStatus {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "PASSED" => Some(Self::Passed),
            "WARNING" => Some(Self::Warning),
            "FAILED" => Some(Self::Failed),
            "NOT_AVAILABLE" => Some(Self::NotAvailable),
            _ => None,
        }
    }
}

/// A control's status, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlStatus {
    Failed,
    Unknown,
    Passed,
    NoData,
    Disabled,
}

impl ControlStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Failed => "FAILED",
            Self::Unknown => "UNKNOWN",
            Self::Passed => "PASSED",
            Self::NoData => "NO DATA",
            Self::Disabled => "DISABLED",
        }
    }
}

/// What a control finding contributes: its compliance status, unless it is suppressed or archived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlEvidence {
    pub status: ComplianceStatus,
    pub counts: bool,
}

/// Control status from its findings, ignoring suppressed and archived ones:
/// Failed if any failed; Unknown if any warning or not-available; Passed if all passed;
/// No data without findings; Disabled when the control is off.
pub fn control_status(enabled: bool, evidence: impl IntoIterator<Item = ControlEvidence>) -> ControlStatus {
    if !enabled {
        return ControlStatus::Disabled;
    }
    let mut any = false;
    let mut unknown = false;
    for item in evidence.into_iter().filter(|e| e.counts) {
        any = true;
        match item.status {
            ComplianceStatus::Failed => return ControlStatus::Failed,
            ComplianceStatus::Warning | ComplianceStatus::NotAvailable => unknown = true,
            ComplianceStatus::Passed => {}
        }
    }
    match (any, unknown) {
        (false, _) => ControlStatus::NoData,
        (true, true) => ControlStatus::Unknown,
        (true, false) => ControlStatus::Passed,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Control {
    /// Security control id such as `S3.1` or `PCI.IAM.1`.
    pub id: String,
    pub title: String,
    pub severity: SeverityLabel,
    pub status: ControlStatus,
    /// Resources failing the control (failed findings that count).
    pub failed_resources: u32,
    pub passed_resources: u32,
    /// The requirements of other frameworks its findings name (`Compliance.RelatedRequirements`:
    /// `PCI DSS v3.2.1/1.2.1`, `NIST.800-53.r5 AC-3`), sorted, each once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<String>,
    /// AWS's page on fixing it (`SecurityControlDefinition.RemediationUrl`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standard {
    pub arn: String,
    pub name: String,
    pub controls: Vec<Control>,
    /// The standard's score in each account whose control findings the administrator sees, when
    /// there are several: each account's controls judged on its own findings alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<AccountScore>,
}

/// A standard's score in one member account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountScore {
    pub account: String,
    pub score: Option<u8>,
    pub failed_controls: usize,
}

/// Passed controls over enabled controls with data, as a whole percent; `None` without data.
pub fn score_of(statuses: impl IntoIterator<Item = ControlStatus>) -> Option<u8> {
    let (mut passed, mut with_data) = (0usize, 0usize);
    for status in statuses {
        match status {
            ControlStatus::Passed => {
                passed += 1;
                with_data += 1;
            }
            ControlStatus::Failed | ControlStatus::Unknown => with_data += 1,
            ControlStatus::NoData | ControlStatus::Disabled => {}
        }
    }
    (with_data > 0).then(|| percent(passed, with_data))
}

/// `part / whole` as a whole percent, halves rounded up, in integers: 23 of 40 is 58 (as a float,
/// 0.575 × 100 is 57.4999… and would round down).
fn percent(part: usize, whole: usize) -> u8 {
    ((part * 200 + whole) / (2 * whole)).min(100) as u8
}

/// The mean of whole percents, halves rounded up, in integers.
fn mean(scores: &[u8]) -> Option<u8> {
    let sum: usize = scores.iter().map(|&s| usize::from(s)).sum();
    (!scores.is_empty()).then(|| percent(sum, scores.len() * 100))
}

/// Each account's score for a standard: every enabled control judged on that account's findings
/// alone (`evidence` gives, per control id, each finding's account and evidence).
pub fn account_scores<'a>(
    controls: impl IntoIterator<Item = (&'a str, bool)> + Clone,
    evidence: &std::collections::HashMap<String, Vec<(String, ControlEvidence)>>,
) -> Vec<AccountScore> {
    let mut accounts: Vec<&str> =
        evidence.values().flat_map(|list| list.iter().map(|(account, _)| account.as_str())).collect();
    accounts.sort_unstable();
    accounts.dedup();
    accounts
        .into_iter()
        .map(|account| {
            let statuses: Vec<ControlStatus> = controls
                .clone()
                .into_iter()
                .map(|(id, enabled)| {
                    let items = evidence.get(id).into_iter().flatten().filter(|(a, _)| a == account).map(|(_, e)| *e);
                    control_status(enabled, items)
                })
                .collect();
            AccountScore {
                account: account.to_string(),
                failed_controls: statuses.iter().filter(|s| **s == ControlStatus::Failed).count(),
                score: score_of(statuses),
            }
        })
        .collect()
}

/// The mean of a standard's account scores (accounts without data left out): how far behind the
/// typical account is. Security Hub's own score for an administrator is the standard's score over
/// every account's findings together ([`Standard::score`]); this is shown beside it.
pub fn organisation_average(accounts: &[AccountScore]) -> Option<u8> {
    mean(&accounts.iter().filter_map(|a| a.score).collect::<Vec<_>>())
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlTally {
    pub passed: usize,
    pub failed: usize,
    pub unknown: usize,
    pub no_data: usize,
    pub disabled: usize,
}

impl Standard {
    pub fn tally(&self) -> ControlTally {
        let mut t = ControlTally::default();
        for c in &self.controls {
            match c.status {
                ControlStatus::Passed => t.passed += 1,
                ControlStatus::Failed => t.failed += 1,
                ControlStatus::Unknown => t.unknown += 1,
                ControlStatus::NoData => t.no_data += 1,
                ControlStatus::Disabled => t.disabled += 1,
            }
        }
        t
    }

    /// Passed controls over enabled controls with data, as a whole percent; `None` without data.
    pub fn score(&self) -> Option<u8> {
        score_of(self.controls.iter().map(|c| c.status))
    }
}

/// The summary score: the average of the standards' scores (standards without data left out).
pub fn summary_score(standards: &[Standard]) -> Option<u8> {
    mean(&standards.iter().filter_map(Standard::score).collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(status: ComplianceStatus) -> ControlEvidence {
        ControlEvidence { status, counts: true }
    }

    #[test]
    fn control_status_follows_security_hub_rules() {
        use ComplianceStatus::*;
        assert_eq!(control_status(true, [ev(Passed), ev(Passed)]), ControlStatus::Passed);
        assert_eq!(control_status(true, [ev(Passed), ev(Failed), ev(Warning)]), ControlStatus::Failed);
        assert_eq!(control_status(true, [ev(Passed), ev(NotAvailable)]), ControlStatus::Unknown);
        assert_eq!(control_status(true, []), ControlStatus::NoData);
        assert_eq!(control_status(false, [ev(Failed)]), ControlStatus::Disabled);
    }

    #[test]
    fn suppressed_and_archived_findings_do_not_count() {
        let suppressed_failure = ControlEvidence { status: ComplianceStatus::Failed, counts: false };
        assert_eq!(control_status(true, [ev(ComplianceStatus::Passed), suppressed_failure]), ControlStatus::Passed);
        assert_eq!(control_status(true, [suppressed_failure]), ControlStatus::NoData);
    }

    fn control(id: &str, status: ControlStatus) -> Control {
        Control {
            id: id.into(),
            title: id.into(),
            severity: SeverityLabel::Medium,
            status,
            failed_resources: 0,
            passed_resources: 0,
            requirements: vec![],
            remediation_url: None,
        }
    }

    #[test]
    fn each_account_is_scored_on_its_own_findings_and_the_organisation_averages_them() {
        use std::collections::HashMap;
        let ev = |status| ControlEvidence { status, counts: true };
        let suppressed = ControlEvidence { status: ComplianceStatus::Failed, counts: false };
        let evidence: HashMap<String, Vec<(String, ControlEvidence)>> = HashMap::from([
            // prod passes A and B; dev fails A, passes B; sandbox has only a suppressed failure.
            (
                "A".to_string(),
                vec![
                    ("prod".to_string(), ev(ComplianceStatus::Passed)),
                    ("dev".to_string(), ev(ComplianceStatus::Failed)),
                    ("dev".to_string(), ev(ComplianceStatus::Passed)),
                    ("sandbox".to_string(), suppressed),
                ],
            ),
            (
                "B".to_string(),
                vec![
                    ("prod".to_string(), ev(ComplianceStatus::Passed)),
                    ("dev".to_string(), ev(ComplianceStatus::Passed)),
                ],
            ),
            // C is disabled: its failure counts nowhere.
            ("C".to_string(), vec![("prod".to_string(), ev(ComplianceStatus::Failed))]),
        ]);
        let controls = [("A", true), ("B", true), ("C", false)];
        let scores = account_scores(controls.iter().copied(), &evidence);
        let by = |account: &str| scores.iter().find(|s| s.account == account).cloned().unwrap();
        assert_eq!(by("prod"), AccountScore { account: "prod".into(), score: Some(100), failed_controls: 0 });
        assert_eq!(by("dev"), AccountScore { account: "dev".into(), score: Some(50), failed_controls: 1 });
        assert_eq!(by("sandbox").score, None, "a suppressed finding is no data");
        assert_eq!(organisation_average(&scores), Some(75), "sandbox, without data, is left out");
        assert_eq!(organisation_average(&[]), None);
        // 2 of 3 passed: 66.67 rounds to 67.
        let thirds = [
            AccountScore { account: "a".into(), score: Some(100), failed_controls: 0 },
            AccountScore { account: "b".into(), score: Some(100), failed_controls: 0 },
            AccountScore { account: "c".into(), score: Some(0), failed_controls: 3 },
        ];
        assert_eq!(organisation_average(&thirds), Some(67));
    }

    #[test]
    fn percentages_round_halves_up_exactly() {
        let statuses = |passed, failed| {
            std::iter::repeat_n(ControlStatus::Passed, passed).chain(std::iter::repeat_n(ControlStatus::Failed, failed))
        };
        assert_eq!(score_of(statuses(23, 17)), Some(58), "57.5 %: a float would say 57.4999… and 57");
        assert_eq!(score_of(statuses(1, 2)), Some(33));
        assert_eq!(score_of(statuses(2, 1)), Some(67));
        assert_eq!(score_of(statuses(1, 7)), Some(13), "12.5 %");
        assert_eq!(score_of(statuses(0, 5)), Some(0));
        assert_eq!(score_of(statuses(5, 0)), Some(100));
        assert_eq!(mean(&[57, 58]), Some(58), "57.5 rounds up");
        assert_eq!(mean(&[]), None);
    }

    #[test]
    fn score_is_passed_over_enabled_controls_with_data() {
        let standard = Standard {
            arn: "arn".into(),
            name: "AWS Foundational Security Best Practices v1.0.0".into(),
            controls: vec![
                control("S3.1", ControlStatus::Passed),
                control("S3.2", ControlStatus::Passed),
                control("IAM.1", ControlStatus::Failed),
                control("EC2.1", ControlStatus::Unknown),
                control("EC2.2", ControlStatus::NoData),
                control("Config.1", ControlStatus::Disabled),
            ],
            accounts: Vec::new(),
        };
        assert_eq!(standard.score(), Some(50));
        let empty = Standard { controls: vec![control("X.1", ControlStatus::NoData)], ..standard.clone() };
        assert_eq!(empty.score(), None);
        assert_eq!(summary_score(&[standard.clone(), empty]), Some(50));
        let two_thirds = Standard {
            controls: vec![
                control("A", ControlStatus::Passed),
                control("B", ControlStatus::Passed),
                control("C", ControlStatus::Failed),
            ],
            ..standard
        };
        assert_eq!(two_thirds.score(), Some(67), "rounded to a whole percent");
    }
}
