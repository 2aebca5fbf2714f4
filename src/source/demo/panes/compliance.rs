//! Demo Security Hub standards: control evidence comes from the demo's one world (the same the
//! control findings are drawn from), and statuses and scores are computed by the same domain rules
//! the AWS backend uses.

use crate::source::demo::catalog::STANDARDS;
use crate::source::demo::rng::DemoRng;
use crate::source::demo::world;
use crate::model::compliance::{ComplianceStatus, ControlEvidence, account_scores, control_status};
use crate::model::{Control, SeverityLabel, Standard};
use std::collections::HashMap;

/// The standards of `accounts` (the demo's own first): one account is the demo as it always was;
/// an organisation's control findings come from each of its accounts, and every standard has each
/// account's score.
pub fn generate(seed: u64, accounts: &[String]) -> Vec<Standard> {
    let accounts = &accounts[..accounts.len().min(world::SCORED_ACCOUNTS)];
    STANDARDS
        .iter()
        .map(|spec| {
            let mut by_account: HashMap<String, Vec<(String, ControlEvidence)>> = HashMap::new();
            let mut enabled_controls = Vec::new();
            let controls = spec
                .controls
                .iter()
                .map(|c| {
                    let enabled = world::enabled(seed, c.id);
                    enabled_controls.push((c.id, enabled));
                    let mut evidence = Vec::new();
                    for (i, account) in accounts.iter().enumerate() {
                        let found = world::evidence(seed, c.id, i);
                        by_account
                            .entry(c.id.to_string())
                            .or_default()
                            .extend(found.iter().map(|e| (account.clone(), *e)));
                        evidence.extend(found);
                    }
                    let failed = evidence.iter().filter(|e| e.counts && e.status == ComplianceStatus::Failed).count();
                    let passed = evidence.iter().filter(|e| e.counts && e.status == ComplianceStatus::Passed).count();
                    Control {
                        id: c.id.into(),
                        title: c.title.into(),
                        severity: SeverityLabel::parse(c.severity).unwrap_or(SeverityLabel::Medium),
                        status: control_status(enabled, evidence.iter().copied()),
                        failed_resources: if enabled { failed as u32 } else { 0 },
                        passed_resources: if enabled { passed as u32 } else { 0 },
                        requirements: pci_requirements_of(c.id),
                        remediation_url: Some(super::remediation_url(c.id)),
                    }
                })
                .collect();
            let accounts = if accounts.len() > 1 {
                account_scores(enabled_controls.iter().copied(), &by_account)
            } else {
                Vec::new()
            };
            Standard { arn: spec.arn.into(), name: spec.name.into(), controls, accounts }
        })
        .collect()
}

/// The PCI DSS requirements a PCI control's findings name, as consolidated findings spell them.
fn pci_requirements_of(control: &str) -> Vec<String> {
    crate::source::demo::catalog::PCI_REQUIREMENTS
        .iter()
        .find(|(id, _)| *id == control)
        .map(|(_, reqs)| reqs.iter().map(|r| format!("PCI DSS v3.2.1/{r}")).collect())
        .unwrap_or_default()
}

/// What a demo standard's score was before the console opened (the demo has no past): a month of
/// one score a day drifting towards `score`, and the last day's hours, the same for the same key.
/// Most standards improved; some slipped since yesterday, so both signs show.
pub fn history_before(key: &str, now: crate::model::Timestamp, score: u8) -> Vec<(crate::model::Timestamp, u8)> {
    use chrono::Duration;
    let mut rng = DemoRng::stream(0, key, 0);
    let slipped = rng.chance(30);
    let score = i64::from(score);
    let mut out = Vec::new();
    for days_ago in (1..=30i64).rev() {
        let drift = if slipped { -(1 + days_ago.min(7) / 3) } else { (1 + days_ago * 6 / 7).min(12) };
        let noise = if days_ago > 1 && days_ago != 7 { rng.range(-1, 2) } else { 0 };
        let value = (score - drift + noise).clamp(0, 100) as u8;
        out.push((now - Duration::days(days_ago), value));
    }
    out
}

pub struct Pane;

impl super::DemoPane for Pane {
    type Model = crate::model::panes::compliance::Pane;

    fn generate(demo: &crate::source::demo::DemoSource, _now: crate::model::Timestamp) -> Vec<Standard> {
        let accounts: Vec<String> = demo.organisation.accounts.iter().map(|a| a.id.clone()).collect();
        generate(demo.seed, &accounts)
    }
}
