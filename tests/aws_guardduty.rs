//! Findings AWS produces and no API imports, against moto, seeded through the extension's
//! endpoints in AWS's own shapes:
//! - GuardDuty Extended Threat Detection and newer resource types (`/moto-api/vigil/guardduty-findings`,
//!   tests/moto/seed_guardduty.py, region sa-east-1 of its own): an attack sequence says what it
//!   correlates, its steps name it, archiving a step warns before anything is sent, and Lambda, RDS,
//!   ECS and container findings name their resource instead of "Other";
//! - the new Security Hub's OCSF findings and exposures (`/moto-api/vigil/securityhub-v2-findings`,
//!   tests/moto/seed_securityhub_v2.py, region ap-northeast-1): one row per real finding beside CSPM
//!   and GuardDuty, exposures in the ranking and the snapshot, triage through BatchUpdateFindingsV2.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use std::process::Command;
use vigil::model::panes::findings::Action;
use vigil::model::triage::{TriageAction, finding_target, finding_warning};
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
    common::block_on_big_stack(async {
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
    common::block_on_big_stack(async {
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

/// The new Security Hub's test Region: CSPM, GuardDuty and the new Security Hub on
/// (tests/moto/seed_securityhub_v2.py).
const V2_REGION: &str = "ap-northeast-1";

fn seed_v2(endpoint: &str) -> serde_json::Value {
    static SEEDED: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SEEDED
        .get_or_init(|| {
            let python = std::env::var("VIGIL_MOTO_PYTHON").unwrap_or_else(|_| "python3".into());
            let script = format!(
                "import sys, json; sys.path.insert(0, 'tests/moto'); import seed_securityhub_v2; \
                 print(json.dumps(seed_securityhub_v2.seed({endpoint:?}, {V2_REGION:?})))"
            );
            let out =
                Command::new(python).args(["-c", &script]).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
            assert!(out.status.success(), "seeding: {}", String::from_utf8_lossy(&out.stderr));
            serde_json::from_slice(&out.stdout).unwrap()
        })
        .clone()
}

/// The tickets the extension made (test tooling: `GET /moto-api/vigil/securityhub-v2-tickets`).
fn tickets(endpoint: &str) -> Vec<serde_json::Value> {
    let url = format!("{endpoint}/moto-api/vigil/securityhub-v2-tickets?account=123456789012&region={V2_REGION}");
    let python = std::env::var("VIGIL_MOTO_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = format!("import urllib.request; print(urllib.request.urlopen({url:?}).read().decode())");
    let out = Command::new(python).args(["-c", &script]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["tickets"].as_array().cloned().unwrap_or_default()
}

async fn v2_source(endpoint: &str) -> AwsSource {
    let options =
        AwsOptions { region: Some(V2_REGION.into()), endpoint_url: Some(endpoint.into()), ..Default::default() };
    AwsSource::connect(&options).await.unwrap()
}

async fn v2_findings(source: &AwsSource, all: bool) -> Vec<Finding> {
    let options = FetchOptions { all_findings: all };
    let fetched = source.fetch(PaneId::Findings, chrono::Utc::now(), options).await.unwrap();
    assert!(fetched.warnings.is_empty(), "{:?}", fetched.warnings);
    let PaneData::Findings(list) = fetched.data else { panic!("findings") };
    list.into_iter().map(std::sync::Arc::unwrap_or_clone).collect()
}

#[test]
fn aws_new_security_hub_findings_are_one_row_each_ranked_by_exposures_and_triaged_through_v2() {
    use vigil::model::FindingOrigin::{Guardduty, Securityhub, SecurityhubV2};
    use vigil::model::priority::Reason;
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let seeded = seed_v2(&endpoint);
    let id = |key: &str| seeded[key].as_str().unwrap().to_string();
    common::block_on_big_stack(async {
        let source = v2_source(&endpoint).await;
        let open = v2_findings(&source, false).await;
        let rows = |id: &str| open.iter().filter(|f| f.id == id).collect::<Vec<_>>();
        // A finding read through CSPM or GuardDuty and the new Security Hub is one row.
        let gd = rows(&id("guardduty_id"));
        assert_eq!(gd.len(), 1, "{open:#?}");
        assert_eq!(gd[0].sources, [Guardduty, SecurityhubV2]);
        for key in ["control_id", "inspector_id"] {
            let found = rows(&id(key));
            assert_eq!(found.len(), 1, "{key}: {open:#?}");
            assert_eq!(found[0].sources, [Securityhub, SecurityhubV2], "{key}");
        }
        // Only the new Security Hub holds the Macie finding and the exposure; the resolved one is
        // out of the open view.
        let macie = rows(&id("macie_id"));
        assert_eq!(macie.len(), 1);
        assert_eq!(macie[0].sources, [SecurityhubV2]);
        assert!(rows(&id("resolved_id")).is_empty());
        let exposure = rows(&id("exposure_id"));
        assert_eq!(exposure.len(), 1);
        let exposure = vigil::model::ocsf::Exposure::of(exposure[0]).expect("an exposure");
        assert_eq!(exposure.resource, id("function"));
        assert_eq!(exposure.summary(), "vulnerable + reachable");
        assert_eq!(exposure.contributing.len(), 2);
        assert_eq!(open.len(), 5, "{open:#?}");
        // The exposure raises the findings on its resource, and only those.
        let inspector = rows(&id("inspector_id"))[0];
        assert!(inspector.risk.has(Reason::CorrelatedExposure), "{:?}", inspector.risk);
        assert!(!macie[0].risk.has(Reason::CorrelatedExposure));

        // The raw view asks for the OCSF document as AWS returned it.
        let macie_target = finding_target(macie[0], &source.info().context());
        let document = source.document(PaneId::Findings, &macie_target).await.unwrap().expect("a document").json;
        assert_eq!(document["finding_info"]["uid"], id("macie_id"));
        assert_eq!(document["metadata"]["uid"], id("macie_uid"));

        // A ticket for a finding read through the new Security Hub (here one CSPM holds too): a dry
        // run, then the ticket, named in the outcome and on the row from then on.
        let control = finding_target(rows(&id("control_id"))[0], &source.info().context());
        let outcomes = source.apply(&TriageAction::Findings(Action::OpenTicket), &[control]).await;
        assert_eq!(outcomes[0].error, None, "{outcomes:?}");
        let ticket = outcomes[0].detail.clone().unwrap_or_default();
        assert!(
            ticket.starts_with("INC") && ticket.contains("service-now.com") && ticket.contains("shop-servicenow"),
            "{ticket}"
        );
        let made = tickets(&endpoint);
        let modes: Vec<&str> = made.iter().map(|t| t["Mode"].as_str().unwrap_or("CREATE")).collect();
        assert_eq!(modes, ["DRYRUN", "CREATE"], "{made:?}");
        // A finding the new Security Hub does not hold is refused before anything is sent.
        let gd_only = open.iter().find(|f| f.sources == [Guardduty]);
        if let Some(gd_only) = gd_only {
            assert!(
                vigil::model::triage::finding_refusal(&TriageAction::Findings(Action::OpenTicket), gd_only).is_some()
            );
        }

        // A GuardDuty finding the new Security Hub also reports, with no CSPM copy, is triaged
        // there: the call goes through BatchUpdateFindingsV2, not CSPM's.
        let gd_target = finding_target(gd[0], &source.info().context());
        assert!(gd_target.is_ocsf_only(), "{gd_target:?}");
        let notify =
            TriageAction::Findings(Action::SetWorkflow { status: WorkflowStatus::Notified, note: "on it".into() });
        let outcomes = source.apply(&notify, &[gd_target]).await;
        assert_eq!(outcomes[0].error, None, "{outcomes:?}");

        // A status change of a finding only the new Security Hub holds goes through
        // BatchUpdateFindingsV2, by its metadata.uid, and reads back changed.
        let target = finding_target(macie[0], &source.info().context());
        assert_eq!(target.ocsf_uid.as_deref(), Some(id("macie_uid").as_str()));
        let resolve = TriageAction::Findings(Action::SetWorkflow {
            status: WorkflowStatus::Resolved,
            note: "false alarm: test data".into(),
        });
        use vigil::model::triage::PaneAction;
        let call = Action::SetWorkflow { status: WorkflowStatus::Resolved, note: String::new() }.describe_call(&target);
        assert!(call.contains("BatchUpdateFindingsV2"), "{call}");
        let outcomes = source.apply(&resolve, &[target]).await;
        assert_eq!(outcomes.len(), 1);
        assert_eq!(outcomes[0].error, None, "{outcomes:?}");
        let open = v2_findings(&source, false).await;
        assert!(open.iter().all(|f| f.id != id("macie_id")), "resolved: out of the open view");
        let gd = open.iter().find(|f| f.id == id("guardduty_id")).unwrap();
        assert_eq!(gd.workflow_status, WorkflowStatus::Notified, "read back through the new Security Hub");
        let control = open.iter().find(|f| f.id == id("control_id")).unwrap();
        assert!(control.details.iter().any(|(l, v)| &**l == "Ticket" && v.starts_with("INC")), "{:?}", control.details);
        let all = v2_findings(&source, true).await;
        let macie = all.iter().find(|f| f.id == id("macie_id")).expect("in the all view");
        assert_eq!(macie.workflow_status, WorkflowStatus::Resolved);
        assert!(
            macie.details.iter().any(|(l, v)| &**l == "Note" && &**v == "false alarm: test data"),
            "{:?}",
            macie.details
        );
    });

    // The snapshot says which findings the new Security Hub reported, and lists the exposure.
    let out = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args([
            "snapshot",
            "--format",
            "json",
            "--pane",
            "findings",
            "--region",
            V2_REGION,
            "--endpoint-url",
            &endpoint,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding = |key: &str| v["findings"].as_array().unwrap().iter().find(|f| f["id"] == id(key)).cloned().unwrap();
    assert_eq!(finding("exposure_id")["source"], "securityhub-v2");
    assert_eq!(finding("control_id")["source"], "securityhub-v2");
    assert_eq!(finding("control_id")["sources"], serde_json::json!(["securityhub", "securityhub-v2"]));
    let exposures = v["exposures"].as_array().unwrap();
    assert_eq!(exposures.len(), 1, "{v:#}");
    assert_eq!(exposures[0]["id"], id("exposure_id"));
    assert_eq!(exposures[0]["resource"], id("function"));
    assert_eq!(exposures[0]["severity"], "CRITICAL");
    assert_eq!(
        exposures[0]["traits"][1],
        serde_json::json!({"name": "Reachability", "values": ["Publicly Invocable"]})
    );
    assert_eq!(exposures[0]["contributing"][0]["uid"], id("inspector_id"));
}
