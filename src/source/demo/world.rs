//! The demo's one world: which Security Hub controls are enabled and what each found in each
//! account. The Compliance pane scores it; the Findings pane's control findings are drawn from the
//! controls it fails. So the two panes (and the board, the related lists and the snapshot, which
//! read them) never disagree: an open control finding's control is FAILED, a FAILED control has an
//! open finding.

use super::catalog::{ControlSpec, STANDARDS};
use super::rng::DemoRng;
use crate::model::compliance::{ComplianceStatus, ControlEvidence};

/// Accounts whose controls the demo organisation scores (the rest add nothing new to the average,
/// and would cost time at 500 accounts).
pub const SCORED_ACCOUNTS: usize = 40;

/// Controls the rest of the world would contradict if they failed: GuardDuty reports findings, so
/// "GuardDuty should be enabled" passes.
const PASSED_BY_THE_WORLD: &[&str] = &["GuardDuty.1"];

/// Controls the demo's story fails in its own account whatever the seed: a publicly invocable
/// Lambda function and an open security group, which with an exploitable CVE on the same resource
/// make the new Security Hub's exposures (Lambda.1 is in PCI DSS too, so fixing it raises two
/// scores), and a load balancer's, which the legacy certificate's related list leads to.
const FAILED_BY_THE_STORY: &[&str] = &["Lambda.1", "EC2.19", "ELB.1"];

/// Whether the control is enabled (in every standard that has it: consolidated controls).
pub fn enabled(seed: u64, control: &str) -> bool {
    FAILED_BY_THE_STORY.contains(&control) || !DemoRng::stream(seed, control, 0).chance(6)
}

/// What the control's checks found in the `account`-th account (0 the demo's own).
pub fn evidence(seed: u64, control: &str, account: usize) -> Vec<ControlEvidence> {
    let mut rng = DemoRng::stream(seed, control, account as u64);
    if account == 0 {
        // Account 0's stream also says whether the control is enabled: the demo reads as it did.
        rng.chance(6);
    }
    let mut found = draw(&mut rng);
    if account == 0
        && FAILED_BY_THE_STORY.contains(&control)
        && !found.iter().any(|e| e.counts && e.status == ComplianceStatus::Failed)
    {
        found.push(ControlEvidence { status: ComplianceStatus::Failed, counts: true });
    }
    if PASSED_BY_THE_WORLD.contains(&control) {
        return found
            .into_iter()
            .map(|e| {
                if e.status == ComplianceStatus::Failed {
                    ControlEvidence { status: ComplianceStatus::Passed, ..e }
                } else {
                    e
                }
            })
            .collect();
    }
    found
}

fn draw(rng: &mut DemoRng) -> Vec<ControlEvidence> {
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

/// Whether the control is FAILED in an organisation of `accounts` accounts: enabled, and a check
/// that counts failed in one of the scored accounts.
pub fn fails(seed: u64, control: &str, accounts: usize) -> bool {
    enabled(seed, control)
        && (0..accounts.clamp(1, SCORED_ACCOUNTS))
            .any(|a| evidence(seed, control, a).iter().any(|e| e.counts && e.status == ComplianceStatus::Failed))
}

/// The controls findings are about: every standard's controls that fail, each once (a control in
/// two standards is one control).
pub fn failing_controls(seed: u64, accounts: usize) -> Vec<&'static ControlSpec> {
    let mut seen = std::collections::HashSet::new();
    STANDARDS.iter().flat_map(|s| s.controls).filter(|c| seen.insert(c.id) && fails(seed, c.id, accounts)).collect()
}
