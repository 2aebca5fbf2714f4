//! Demo Security Hub standards: control evidence is generated, and statuses and scores are computed
//! by the same domain rules the AWS backend uses.

use super::catalog::STANDARDS;
use super::rng::DemoRng;
use crate::model::compliance::{ComplianceStatus, ControlEvidence, control_status};
use crate::model::{Control, SeverityLabel, Standard};

pub fn generate(seed: u64) -> Vec<Standard> {
    STANDARDS
        .iter()
        .map(|spec| Standard {
            accounts: Vec::new(),
            arn: spec.arn.into(),
            name: spec.name.into(),
            controls: spec
                .controls
                .iter()
                .map(|c| {
                    let mut rng = DemoRng::stream(seed, c.id, 0);
                    let enabled = !rng.chance(6);
                    let evidence = evidence(&mut rng);
                    let failed = evidence.iter().filter(|e| e.counts && e.status == ComplianceStatus::Failed).count();
                    let passed = evidence.iter().filter(|e| e.counts && e.status == ComplianceStatus::Passed).count();
                    Control {
                        id: c.id.into(),
                        title: c.title.into(),
                        severity: SeverityLabel::parse(c.severity).unwrap_or(SeverityLabel::Medium),
                        status: control_status(enabled, evidence.iter().copied()),
                        failed_resources: if enabled { failed as u32 } else { 0 },
                        passed_resources: if enabled { passed as u32 } else { 0 },
                    }
                })
                .collect(),
        })
        .collect()
}

fn evidence(rng: &mut DemoRng) -> Vec<ControlEvidence> {
    if rng.chance(8) {
        return vec![];
    }
    let resources = rng.range(1, 12);
    let failing_control = rng.chance(35);
    (0..resources)
        .map(|_| {
            let status = match rng.below(100) {
                0..=2 => ComplianceStatus::NotAvailable,
                3..=30 if failing_control => ComplianceStatus::Failed,
                _ => ComplianceStatus::Passed,
            };
            // A few failures are suppressed: accepted risk, not counted.
            ControlEvidence { status, counts: !rng.chance(5) }
        })
        .collect()
}
