//! GuardDuty Extended Threat Detection and newer resource types against moto, seeded through the
//! extension's `/moto-api/vigil/guardduty-findings` in GuardDuty's own shapes
//! (tests/moto/seed_guardduty.py, region sa-east-1 of its own): an attack sequence says what it
//! correlates, its steps name it, archiving a step warns before anything is sent, and Lambda, RDS,
//! ECS and container findings name their resource instead of "Other".

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use std::process::Command;
use vigil::model::panes::findings::Action;
use vigil::model::triage::{TriageAction, finding_warning};
use vigil::model::{Finding, PaneData, WorkflowStatus};
use vigil::pane::PaneId;
use vigil::source::aws::{AwsOptions, AwsSource};
use vigil::source::{FetchOptions, Source};

const REGION: &str = "sa-east-1";

/// Seeds once per test binary: two seeds at once would each make a detector.
fn seed(endpoint: &str) -> serde_json::Value {
    static SEEDED: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SEEDED.get_or_init(|| seed_now(endpoint)).clone()
}

fn seed_now(endpoint: &str) -> serde_json::Value {
    let python = std::env::var("VIGIL_MOTO_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = format!(
        "import sys, json; sys.path.insert(0, 'tests/moto'); import seed_guardduty; \
         print(json.dumps(seed_guardduty.seed_extended_threat_detection({endpoint:?}, '123456789012', {REGION:?})))"
    );
    let out = Command::new(python).args(["-c", &script]).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
    assert!(out.status.success(), "seeding: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn findings(endpoint: &str) -> Vec<Finding> {
    let options = AwsOptions { region: Some(REGION.into()), endpoint_url: Some(endpoint.into()), ..Default::default() };
    let source = AwsSource::connect(&options).await.unwrap();
    // Security Hub is not enabled in this region: GuardDuty's findings come all the same.
    let fetched = source.fetch(PaneId::Findings, chrono::Utc::now(), FetchOptions::default()).await.unwrap();
    let PaneData::Findings(list) = fetched.data else { panic!("findings") };
    list.into_iter().map(std::sync::Arc::unwrap_or_clone).collect()
}

fn by_id<'a>(findings: &'a [Finding], id: &str) -> &'a Finding {
    findings.iter().find(|f| f.guardduty_id.as_deref() == Some(id)).unwrap_or_else(|| panic!("finding {id} is missing"))
}

#[test]
fn aws_guardduty_attack_sequences_and_their_steps_are_shown_and_archiving_a_step_warns() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let seeded = seed(&endpoint);
    common::runtime().block_on(async {
        let all = findings(&endpoint).await;
        let sequence = by_id(&all, seeded["sequence_id"].as_str().unwrap());
        assert!(sequence.is_attack_sequence(), "{}", sequence.finding_type);
        let detail = |f: &Finding, label: &str| {
            f.details.iter().find(|(l, _)| &**l == label).map(|(_, v)| v.to_string()).unwrap_or_default()
        };
        assert!(!detail(sequence, "Sequence").is_empty(), "the sequence's description: {:?}", sequence.details);
        assert!(detail(sequence, "Signals").starts_with("3: "), "{}", detail(sequence, "Signals"));
        assert!(detail(sequence, "Sequence resources").contains("ACCESS_KEY"), "{:?}", sequence.details);

        let archive = TriageAction::Findings(Action::ArchiveGuardDuty);
        let warning = finding_warning(&archive, sequence).unwrap();
        assert!(warning.contains("attack sequence"), "{warning}");
        for id in seeded["signal_ids"].as_array().unwrap() {
            let step = by_id(&all, id.as_str().unwrap());
            assert_eq!(step.attack_sequence(), seeded["sequence_arn"].as_str(), "a step names its sequence");
            let warning = finding_warning(&archive, step).expect("archiving a step warns");
            assert!(warning.contains("one step of GuardDuty attack sequence"), "{warning}");
            let resolve =
                TriageAction::Findings(Action::SetWorkflow { status: WorkflowStatus::Resolved, note: "n".into() });
            assert!(finding_warning(&resolve, step).is_some());
            let notified =
                TriageAction::Findings(Action::SetWorkflow { status: WorkflowStatus::Notified, note: "n".into() });
            assert!(finding_warning(&notified, step).is_none(), "notifying hides nothing");
        }
    });
}

#[test]
fn aws_guardduty_newer_resource_types_name_their_resource() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let seeded = seed(&endpoint);
    common::runtime().block_on(async {
        let all = findings(&endpoint).await;
        for (kind, expected) in [
            ("Lambda", "AwsLambdaFunction"),
            ("RDSDBInstance", "AwsRdsDbInstance"),
            ("RDSLimitlessDB", "AwsRdsDbCluster"),
            ("ECSCluster", "AwsEcsCluster"),
            ("Container", "Container"),
        ] {
            let finding = by_id(&all, seeded["by_resource_type"][kind].as_str().unwrap());
            assert_eq!(&*finding.resource_type, expected, "{kind}");
            assert!(
                !finding.resource.is_empty() && &*finding.resource != kind,
                "{kind} names its resource: {}",
                finding.resource
            );
        }
    });
}
