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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standard {
    pub arn: String,
    pub name: String,
    pub controls: Vec<Control>,
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
        let t = self.tally();
        let with_data = t.passed + t.failed + t.unknown;
        (with_data > 0).then(|| ((t.passed as f64 / with_data as f64) * 100.0).round() as u8)
    }
}

/// The summary score: the average of the standards' scores (standards without data left out).
pub fn summary_score(standards: &[Standard]) -> Option<u8> {
    let scores: Vec<f64> = standards.iter().filter_map(Standard::score).map(f64::from).collect();
    (!scores.is_empty()).then(|| (scores.iter().sum::<f64>() / scores.len() as f64).round() as u8)
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
        }
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
