//! What to fix first for a better security score, and which PCI DSS requirements the failing
//! controls put at risk. Security Hub's score counts controls, not resources: a control passes
//! only when every resource does, and each control weighs the same in every standard it is in.

use super::compliance::{ControlStatus, Standard, score_of};
use super::severity::SeverityLabel;
use serde::Serialize;

/// A failing control and what passing it would give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub control_id: String,
    pub title: String,
    pub severity: SeverityLabel,
    /// Failed, or unknown (a check that could not run: its findings say WARNING or NOT_AVAILABLE).
    pub status: ControlStatus,
    /// Resources to fix before the control passes.
    pub failed_resources: u32,
    /// This standard's score once the control passes.
    pub score_after: Option<u8>,
    /// Points this standard gains.
    pub gain: u8,
    /// Points gained across every enabled standard the control counts in (this one included).
    pub total_gain: u16,
    /// The other standards it also counts in (their names).
    pub also_in: Vec<String>,
}

/// A standard's scores with one control passing instead.
fn score_with_passing(standard: &Standard, control_id: &str) -> Option<u8> {
    score_of(standard.controls.iter().map(|c| if c.id == control_id { ControlStatus::Passed } else { c.status }))
}

fn counts(status: ControlStatus) -> bool {
    matches!(status, ControlStatus::Failed | ControlStatus::Unknown)
}

/// The failing (or unknown) controls of `standard`, the most rewarding first: the most points
/// across every standard (a control shared by several raises them all), then the most severe, then
/// the fewest resources to fix (the quickest win), then the id.
pub fn fixes(standard: &Standard, all: &[Standard]) -> Vec<Fix> {
    let score = standard.score().unwrap_or(0);
    let mut out: Vec<Fix> = standard
        .controls
        .iter()
        .filter(|c| counts(c.status))
        .map(|c| {
            let score_after = score_with_passing(standard, &c.id);
            let mut total_gain = 0u16;
            let mut also_in = Vec::new();
            for other in all {
                let Some(theirs) = other.controls.iter().find(|o| o.id == c.id && counts(o.status)) else { continue };
                let gain =
                    score_with_passing(other, &theirs.id).unwrap_or(0).saturating_sub(other.score().unwrap_or(0));
                total_gain += u16::from(gain);
                if other.arn != standard.arn {
                    also_in.push(other.name.clone());
                }
            }
            Fix {
                control_id: c.id.clone(),
                title: c.title.clone(),
                severity: c.severity,
                status: c.status,
                failed_resources: c.failed_resources,
                gain: score_after.unwrap_or(0).saturating_sub(score),
                score_after,
                total_gain,
                also_in,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.total_gain
            .cmp(&a.total_gain)
            .then(b.severity.cmp(&a.severity))
            .then(a.failed_resources.cmp(&b.failed_resources))
            .then(a.control_id.cmp(&b.control_id))
    });
    out
}

/// Whether a standard is PCI DSS (any version).
pub fn is_pci(standard: &Standard) -> bool {
    standard.name.contains("PCI DSS") || standard.arn.contains("/pci-dss/")
}

/// The PCI DSS version of a standard from its ARN (`.../standards/pci-dss/v/4.0.1`).
pub fn pci_version(standard: &Standard) -> Option<&str> {
    standard.arn.split_once("/pci-dss/v/").map(|(_, v)| v.trim_end_matches('/'))
}

/// The version a requirement text names: `PCI DSS v4.0.1/1.2.1` → 4.0.1; the legacy spelling
/// without one (`PCI DSS 1.2.1`) is the 3.2.1 standard's.
const UNVERSIONED: &str = "3.2.1";

/// A PCI DSS requirement and the failing controls that map to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// The principal requirement, `1` to `12`; `?` for controls AWS gave no requirement for.
    pub number: String,
    pub title: &'static str,
    /// The sub-requirements named (`1.2.1`, `1.3.4`), in order.
    pub sub_requirements: Vec<String>,
    /// The failing controls (ids), in order.
    pub failing_controls: Vec<String>,
    /// Resources failing those controls.
    pub failed_resources: u32,
    /// The worst severity among them.
    pub max_severity: SeverityLabel,
}

/// `PCI DSS v3.2.1/1.2.1` (consolidated findings) → (`3.2.1`, `1.2.1`); `PCI DSS 1.2.1` →
/// (`3.2.1`, `1.2.1`); appendix requirements (`A1.1.2`) too.
pub fn pci_sub_requirement(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("PCI DSS")?.trim_start();
    let (version, sub) = match rest.split_once('/') {
        Some((version, sub)) if version.starts_with('v') => (&version[1..], sub.trim()),
        _ => (UNVERSIONED, rest.trim()),
    };
    let mut chars = sub.chars();
    let numbered = match chars.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some('A') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    };
    numbered.then_some((version, sub))
}

/// The short title of a principal PCI DSS requirement (the twelve of v3.2.1 and v4.0 agree).
pub fn requirement_title(number: &str) -> &'static str {
    match number {
        "1" => "network security controls (firewalls)",
        "2" => "secure configurations, no vendor defaults",
        "3" => "protect stored cardholder data",
        "4" => "encrypt cardholder data in transit",
        "5" => "protect systems against malware",
        "6" => "secure systems and software",
        "7" => "restrict access by business need to know",
        "8" => "identify users and authenticate access",
        "9" => "restrict physical access",
        "10" => "log and monitor all access",
        "11" => "test security regularly",
        "12" => "information security policy",
        "A1" => "appendix A1: multi-tenant service providers",
        "A2" => "appendix A2: SSL and early TLS",
        "A3" => "appendix A3: designated entities (DESV)",
        _ => "requirement not given by AWS",
    }
}

/// The PCI DSS requirements the failing controls of a PCI standard put at risk, in requirement
/// order; controls without requirements data under `?`. A consolidated finding names the
/// requirements of every PCI DSS version: only the standard's own version counts.
pub fn pci_requirements(standard: &Standard) -> Vec<Requirement> {
    let version = pci_version(standard);
    let mut by_number: std::collections::BTreeMap<(u8, String), Requirement> = Default::default();
    for control in standard.controls.iter().filter(|c| c.status == ControlStatus::Failed) {
        let subs: Vec<&str> = control
            .requirements
            .iter()
            .filter_map(|r| pci_sub_requirement(r))
            .filter(|(v, _)| version.is_none_or(|version| version == *v))
            .map(|(_, sub)| sub)
            .collect();
        let numbers: std::collections::BTreeSet<&str> = if subs.is_empty() {
            ["?"].into()
        } else {
            subs.iter().map(|s| s.split('.').next().unwrap_or(s)).collect()
        };
        for number in numbers {
            // Appendices after the twelve, then `?`.
            let order = number
                .parse::<u8>()
                .ok()
                .or_else(|| number.strip_prefix('A')?.parse::<u8>().ok().map(|n| 100 + n))
                .unwrap_or(u8::MAX);
            let entry = by_number.entry((order, number.to_string())).or_insert_with(|| Requirement {
                number: number.to_string(),
                title: requirement_title(number),
                sub_requirements: Vec::new(),
                failing_controls: Vec::new(),
                failed_resources: 0,
                max_severity: control.severity,
            });
            for sub in subs.iter().filter(|s| s.split('.').next() == Some(number)) {
                if !entry.sub_requirements.iter().any(|x| x == sub) {
                    entry.sub_requirements.push(sub.to_string());
                }
            }
            entry.failing_controls.push(control.id.clone());
            entry.failed_resources += control.failed_resources;
            entry.max_severity = entry.max_severity.max(control.severity);
        }
    }
    let mut out: Vec<Requirement> = by_number.into_values().collect();
    for r in &mut out {
        r.sub_requirements.sort_by_key(|a| natural(a));
    }
    out
}

/// `1.10.2` after `1.2.1`: numbers compared as numbers (an appendix's `A` after them all).
fn natural(text: &str) -> Vec<u32> {
    text.split('.').map(|p| p.trim_start_matches('A').parse().map_or(u32::MAX, |n: u32| n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Control;

    fn control(id: &str, status: ControlStatus, severity: SeverityLabel, failed: u32, reqs: &[&str]) -> Control {
        Control {
            id: id.into(),
            title: format!("{id} title"),
            severity,
            status,
            failed_resources: failed,
            passed_resources: 0,
            requirements: reqs.iter().map(|r| r.to_string()).collect(),
            remediation_url: None,
        }
    }

    fn standard(arn: &str, name: &str, controls: Vec<Control>) -> Standard {
        Standard { arn: arn.into(), name: name.into(), controls, accounts: vec![] }
    }

    #[test]
    fn shared_controls_first_then_severity_then_the_quickest_win() {
        use ControlStatus::*;
        use SeverityLabel::*;
        let fsbp = standard(
            "arn:fsbp",
            "FSBP",
            vec![
                control("S3.1", Failed, Medium, 3, &[]),
                control("EC2.1", Failed, Critical, 9, &[]),
                control("IAM.4", Failed, Critical, 1, &[]),
                control("KMS.4", Passed, Medium, 0, &[]),
                control("ECS.1", Unknown, Low, 0, &[]),
                control("Off.1", Disabled, Critical, 0, &[]),
            ],
        );
        let pci = standard(
            "arn:pci",
            "PCI DSS v3.2.1",
            vec![control("S3.1", Failed, Medium, 3, &[]), control("KMS.4", Passed, Medium, 0, &[])],
        );
        let all = [fsbp.clone(), pci];
        let fixes = fixes(&fsbp, &all);
        let ids: Vec<&str> = fixes.iter().map(|f| f.control_id.as_str()).collect();
        assert_eq!(ids, ["S3.1", "IAM.4", "EC2.1", "ECS.1"]);
        // 1 of 5 with data passes (20 %); one more is 40 %.
        assert_eq!((fixes[1].score_after, fixes[1].gain, fixes[1].total_gain), (Some(40), 20, 20));
        // S3.1 also lifts PCI from 50 % to 100 %.
        assert_eq!(
            (fixes[0].gain, fixes[0].total_gain, fixes[0].also_in.clone()),
            (20, 70, vec!["PCI DSS v3.2.1".into()])
        );
    }

    #[test]
    fn pci_requirements_from_either_spelling_in_requirement_order() {
        use ControlStatus::*;
        use SeverityLabel::*;
        assert_eq!(pci_sub_requirement("PCI DSS v3.2.1/1.2.1"), Some(("3.2.1", "1.2.1")));
        assert_eq!(pci_sub_requirement("PCI DSS 10.2.1"), Some(("3.2.1", "10.2.1")));
        assert_eq!(pci_sub_requirement("PCI DSS v4.0.1/A1.1.2"), Some(("4.0.1", "A1.1.2")));
        assert_eq!(pci_sub_requirement("NIST.800-53.r5 AC-3"), None);
        assert_eq!(pci_sub_requirement("PCI DSS v4.0.1/"), None);
        assert_eq!(pci_sub_requirement("PCI DSS v4.0.1/Appendix"), None);
        let pci = standard(
            "arn:aws:securityhub:us-east-1::standards/pci-dss/v/3.2.1",
            "PCI DSS v3.2.1",
            vec![
                control("PCI.S3.1", Failed, Critical, 2, &["PCI DSS 1.2.1", "PCI DSS 1.3.1", "PCI DSS 7.2.1"]),
                control("PCI.EC2.2", Failed, High, 4, &["PCI DSS v3.2.1/1.10.2", "NIST.800-53.r5 AC-4"]),
                control("PCI.CW.1", Failed, Low, 1, &["PCI DSS 10.5.5"]),
                control("PCI.IAM.1", Passed, High, 0, &["PCI DSS 8.1.1"]),
                control("PCI.X.1", Failed, Medium, 1, &[]),
            ],
        );
        assert!(is_pci(&pci));
        let reqs = pci_requirements(&pci);
        type Shown<'a> = (&'a str, Vec<&'a str>, Vec<&'a str>, u32, SeverityLabel);
        let shown: Vec<Shown> = reqs
            .iter()
            .map(|r| {
                (
                    r.number.as_str(),
                    r.sub_requirements.iter().map(String::as_str).collect(),
                    r.failing_controls.iter().map(String::as_str).collect(),
                    r.failed_resources,
                    r.max_severity,
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("1", vec!["1.2.1", "1.3.1", "1.10.2"], vec!["PCI.S3.1", "PCI.EC2.2"], 6, Critical),
                ("7", vec!["7.2.1"], vec!["PCI.S3.1"], 2, Critical),
                ("10", vec!["10.5.5"], vec!["PCI.CW.1"], 1, Low),
                ("?", vec![], vec!["PCI.X.1"], 1, Medium),
            ]
        );
        assert_eq!(reqs[0].title, "network security controls (firewalls)");
    }

    #[test]
    fn a_consolidated_finding_names_both_versions_and_each_standard_takes_its_own() {
        use ControlStatus::*;
        use SeverityLabel::*;
        let reqs = &["PCI DSS v3.2.1/1.2.1", "PCI DSS v4.0.1/1.3.1", "PCI DSS v4.0.1/A1.1.2", "PCI DSS v4.0.1/12.5.2"];
        let controls = vec![control("S3.1", Failed, High, 1, reqs)];
        let v4 =
            standard("arn:aws:securityhub:eu-west-1::standards/pci-dss/v/4.0.1", "PCI DSS v4.0.1", controls.clone());
        let v3 = standard("arn:aws:securityhub:eu-west-1::standards/pci-dss/v/3.2.1", "PCI DSS v3.2.1", controls);
        let numbers = |s: &Standard| pci_requirements(s).iter().map(|r| r.number.clone()).collect::<Vec<_>>();
        assert_eq!(numbers(&v4), ["1", "12", "A1"]);
        assert_eq!(numbers(&v3), ["1"]);
        assert_eq!(pci_requirements(&v4)[0].sub_requirements, ["1.3.1"]);
        assert_eq!(pci_requirements(&v4)[2].title, "appendix A1: multi-tenant service providers");
    }
}
