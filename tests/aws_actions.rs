//! Triage actions against moto (region eu-west-1 of the seed, kept apart from the read-only tests):
//! each action changes the state read back from moto, batches respect the API limits, partial
//! failures name the failed target, and the audit log holds the attempt and the result.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use common::wait_until;
use serde_json::Value;
use vigil::audit::{AuditLog, Phase, Verdict};
use vigil::model::Placement;
use vigil::model::triage::{Target, TriageAction, UserRef, finding_target, secret_refusal};
use vigil::model::{Finding, RecordState, SeverityLabel, WorkflowStatus};
use vigil::pane::PaneId;
use vigil::runner::execute::execute;
use vigil::source::aws::{AwsOptions, AwsSource};
use vigil::source::{FetchOptions, PaneData, Source};

struct Env {
    endpoint: String,
    expect: Value,
}

fn env() -> Option<Env> {
    let endpoint = std::env::var("VIGIL_MOTO_ENDPOINT").ok()?;
    let expect = serde_json::from_str(&std::fs::read_to_string(std::env::var("VIGIL_MOTO_EXPECT").ok()?).ok()?).ok()?;
    Some(Env { endpoint, expect })
}

fn run<F: std::future::Future<Output = ()> + Send>(f: F) {
    common::block_on_big_stack(f);
}

async fn connect(env: &Env) -> AwsSource {
    let region = env.expect["actions"]["region"].as_str().unwrap().to_string();
    AwsSource::connect(&AwsOptions {
        profile: None,
        region: Some(region),
        endpoint_url: Some(env.endpoint.clone()),
        ..Default::default()
    })
    .await
    .unwrap()
}

async fn findings(source: &AwsSource, all: bool) -> Vec<Finding> {
    let fetched = source.fetch(PaneId::Findings, chrono::Utc::now(), FetchOptions { all_findings: all }).await.unwrap();
    let PaneData::Findings(list) = fetched.data else { panic!() };
    list.into_iter().map(std::sync::Arc::unwrap_or_clone).collect()
}

/// The seed's Inspector findings of this region (titles `CVE-2024-1…`), by id: each test takes its
/// own of them.
async fn seeded_inspector_findings(source: &AwsSource, all: bool) -> Vec<Finding> {
    let mut inspector: Vec<Finding> =
        findings(source, all).await.into_iter().filter(|f| f.title.starts_with("CVE-2024-1")).collect();
    inspector.sort_by(|a, b| a.id.cmp(&b.id));
    inspector
}

fn audit_log(name: &str) -> AuditLog {
    let dir = std::env::temp_dir().join(format!("vigil-actions-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    AuditLog::new(dir.join("audit.jsonl"))
}

macro_rules! require_moto {
    () => {
        match env() {
            Some(e) => e,
            None => {
                common::skip_or_fail(
                    "VIGIL_MOTO_ENDPOINT or VIGIL_MOTO_EXPECT is not set: run tests/run to test against moto",
                );
                return;
            }
        }
    };
}

#[test]
fn aws_resolve_118_findings_in_batches_of_100_with_the_note() {
    let env = require_moto!();
    run(async {
        let source = connect(&env).await;
        let inspector = seeded_inspector_findings(&source, false).await;
        assert_eq!(inspector.len() as u64, env.expect["actions"]["finding_count"].as_u64().unwrap());
        let targets: Vec<Target> = inspector[2..].iter().map(|f| finding_target(f, &source.info().context())).collect();
        let action = TriageAction::Findings(vigil::model::panes::findings::Action::SetWorkflow {
            status: WorkflowStatus::Resolved,
            note: "bulk close: patched in AMI 2026.11".into(),
        });
        let audit = audit_log("resolve");
        let (outcomes, audit_error) = execute(&source, &audit, &source.info(), &action, &targets).await;
        assert!(audit_error.is_none(), "{audit_error:?}");
        assert_eq!(outcomes.len(), 118);
        assert!(outcomes.iter().all(|o| o.error.is_none()), "{outcomes:?}");

        let open: Vec<String> = findings(&source, false).await.into_iter().map(|f| f.id).collect();
        assert!(targets.iter().all(|t| !open.contains(&t.id)), "resolved findings left the default view");
        let all = findings(&source, true).await;
        let resolved: Vec<&Finding> = all.iter().filter(|f| targets.iter().any(|t| t.id == f.id)).collect();
        assert_eq!(resolved.len(), 118);
        for f in resolved {
            assert_eq!(f.workflow_status, WorkflowStatus::Resolved);
            let note = f.details.iter().find(|(k, _)| k == "Note").map(|(_, v)| v.clone()).unwrap();
            assert!(
                note.starts_with("bulk close: patched") && note.contains("arn:aws:"),
                "note signed by the operator: {note}"
            );
        }

        let (records, bad) = audit.read().unwrap();
        assert!(bad.is_empty());
        assert_eq!(records.iter().map(|r| r.phase).collect::<Vec<_>>(), vec![Phase::Attempt, Phase::Result]);
        assert_eq!(records[1].result, Some(Verdict::Ok));
        assert_eq!(records[1].targets.len(), 118);
        assert_eq!(records[1].account, "123456789012");
        assert!(records[1].principal.as_deref().unwrap().starts_with("arn:aws:"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(audit.path()).unwrap().permissions().mode() & 0o777, 0o600);
        }
    });
}

#[test]
fn aws_partial_failure_names_the_unprocessed_target() {
    let env = require_moto!();
    run(async {
        let source = connect(&env).await;
        let inspector = seeded_inspector_findings(&source, true).await;
        let good = finding_target(&inspector[0], &source.info().context());
        let mut missing = good.clone();
        missing.id = "arn:aws:inspector2:eu-west-1:123456789012:finding/does-not-exist".into();
        missing.label = "a finding deleted meanwhile".into();
        let action = TriageAction::Findings(vigil::model::panes::findings::Action::SetSeverity {
            label: SeverityLabel::Critical,
            note: "raised: exposed to the internet".into(),
        });
        let audit = audit_log("partial");
        let (outcomes, _) = execute(&source, &audit, &source.info(), &action, &[good.clone(), missing.clone()]).await;
        assert!(outcomes[0].error.is_none());
        assert!(outcomes[1].error.as_deref().unwrap().contains("FindingNotFound"), "{outcomes:?}");
        let after = findings(&source, true).await.into_iter().find(|f| f.id == good.id).unwrap();
        assert_eq!(after.severity, SeverityLabel::Critical);
        let (records, _) = audit.read().unwrap();
        let result = records.last().unwrap();
        assert_eq!(result.result, Some(Verdict::Partial));
        assert!(result.targets[1].error.is_some(), "the failed target is in the audit log");
    });
}

#[test]
fn aws_guardduty_archive_unarchive_and_feedback() {
    let env = require_moto!();
    run(async {
        let source = connect(&env).await;
        let gd = findings(&source, false)
            .await
            .into_iter()
            .find(|f| f.finding_type == "Recon:EC2/PortProbeUnprotectedPort")
            .unwrap();
        let target = finding_target(&gd, &source.info().context());
        assert!(target.guardduty.is_some());
        let audit = audit_log("guardduty");
        let info = source.info();
        let (outcomes, _) = execute(
            &source,
            &audit,
            &info,
            &TriageAction::Findings(vigil::model::panes::findings::Action::ArchiveGuardDuty),
            std::slice::from_ref(&target),
        )
        .await;
        assert!(outcomes[0].error.is_none(), "{outcomes:?}");
        assert!(findings(&source, false).await.iter().all(|f| f.id != gd.id), "archived leaves the default view");
        let archived = findings(&source, true).await.into_iter().find(|f| f.id == gd.id).unwrap();
        assert_eq!(archived.record_state, RecordState::Archived);
        execute(
            &source,
            &audit,
            &info,
            &TriageAction::Findings(vigil::model::panes::findings::Action::UnarchiveGuardDuty),
            std::slice::from_ref(&target),
        )
        .await;
        execute(
            &source,
            &audit,
            &info,
            &TriageAction::Findings(vigil::model::panes::findings::Action::GuardDutyFeedback { useful: true }),
            std::slice::from_ref(&target),
        )
        .await;
        let back = findings(&source, false).await.into_iter().find(|f| f.id == gd.id).unwrap();
        assert_eq!(back.record_state, RecordState::Active);
        assert!(back.details.iter().any(|(k, v)| k == "Feedback" && v == "USEFUL"), "{:?}", back.details);
        assert_eq!(audit.read().unwrap().0.len(), 6, "three attempts, three results");
    });
}

#[test]
fn aws_rotate_secret_now_and_refuse_without_rotation() {
    let env = require_moto!();
    run(async {
        let source = connect(&env).await;
        let fetch = || async {
            let PaneData::Secrets(list) =
                source.fetch(PaneId::Secrets, chrono::Utc::now(), FetchOptions::default()).await.unwrap().data
            else {
                panic!()
            };
            list
        };
        let before = fetch().await;
        let rotating = before.iter().find(|s| s.name == "prod/rotating").unwrap();
        let fixed = before.iter().find(|s| s.name == "prod/static").unwrap();
        assert!(secret_refusal(fixed).is_some_and(|r| r.contains("rotation is not configured")));
        assert!(secret_refusal(rotating).is_none());
        let target = Target {
            likeness: None,
            id: rotating.arn.clone(),
            label: rotating.name.clone(),
            placement: Placement::from_arn(&rotating.arn, &source.info().context()),
            product_arn: None,
            guardduty: None,
            ocsf_uid: None,
            user: None,
        };
        // Rotation dates have whole seconds: rotate once the clock has left the last rotation's.
        let previous = rotating.last_rotated.unwrap();
        wait_until(std::time::Duration::from_secs(5), || chrono::Utc::now() - previous > chrono::Duration::seconds(1))
            .await;
        let (outcomes, _) = execute(
            &source,
            &audit_log("rotate"),
            &source.info(),
            &TriageAction::Secrets(vigil::model::panes::secrets::Action::RotateSecret),
            &[target],
        )
        .await;
        assert!(outcomes[0].error.is_none(), "{outcomes:?}");
        let after = fetch().await;
        let rotated = after.iter().find(|s| s.name == "prod/rotating").unwrap();
        assert!(
            rotated.last_rotated > rotating.last_rotated,
            "{:?} -> {:?}",
            rotating.last_rotated,
            rotated.last_rotated
        );
    });
}

#[test]
fn aws_cognito_disable_enable_sign_out_and_reset() {
    let env = require_moto!();
    run(async {
        let source = connect(&env).await;
        let pool = env.expect["actions"]["pool_id"].as_str().unwrap().to_string();
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("eu-west-1"))
            .endpoint_url(&env.endpoint)
            .load()
            .await;
        let idp = aws_sdk_cognitoidentityprovider::Client::new(&config);
        let user = |name: &str| Target {
            likeness: None,
            id: format!("{pool}/{name}"),
            label: format!("{name}@… in ops-pool"),
            placement: Placement { account: source.info().account, region: "eu-west-1".into() },
            product_arn: None,
            guardduty: None,
            ocsf_uid: None,
            user: Some(UserRef { pool_id: pool.clone(), username: name.into() }),
        };
        let get = |name: &'static str| {
            let idp = idp.clone();
            let pool = pool.clone();
            async move { idp.admin_get_user().user_pool_id(pool).username(name).send().await.unwrap() }
        };
        let audit = audit_log("cognito");
        let info = source.info();
        let (o, _) = execute(
            &source,
            &audit,
            &info,
            &TriageAction::Users(vigil::model::panes::users::Action::DisableUser),
            &[user("erin")],
        )
        .await;
        assert!(o[0].error.is_none(), "{o:?}");
        assert!(!get("erin").await.enabled());
        execute(
            &source,
            &audit,
            &info,
            &TriageAction::Users(vigil::model::panes::users::Action::EnableUser),
            &[user("erin")],
        )
        .await;
        assert!(get("erin").await.enabled());
        let (o, _) = execute(
            &source,
            &audit,
            &info,
            &TriageAction::Users(vigil::model::panes::users::Action::GlobalSignOut),
            &[user("frank")],
        )
        .await;
        assert!(o[0].error.is_none(), "{o:?}");
        let (o, _) = execute(
            &source,
            &audit,
            &info,
            &TriageAction::Users(vigil::model::panes::users::Action::ResetPassword),
            &[user("frank")],
        )
        .await;
        assert!(o[0].error.is_none(), "{o:?}");
        assert_eq!(get("frank").await.user_status().map(|s| s.as_str().to_string()).as_deref(), Some("RESET_REQUIRED"));
        let (o, _) = execute(
            &source,
            &audit,
            &info,
            &TriageAction::Users(vigil::model::panes::users::Action::DisableUser),
            &[user("nobody")],
        )
        .await;
        assert!(o[0].error.as_deref().unwrap().contains("User"), "a failure names the AWS error: {o:?}");
    });
}

/// One finding id and product in two regions of one account (a custom integration importing the
/// same finding in both; a product ARN names its home region, not the finding's): the all view
/// shows two rows, and resolving the one chosen changes that one only, sent to its own region,
/// with an audit attempt and result for that route. Keyed by id alone, the second row would hide
/// the first, or the action would go to whichever region merged first.
#[test]
fn aws_look_alike_findings_in_two_regions_are_two_rows_and_an_action_reaches_the_one_chosen() {
    let env = require_moto!();
    const REGIONS: [&str; 2] = ["us-east-2", "eu-west-3"];
    let python = std::env::var("VIGIL_MOTO_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = format!(
        "import sys; sys.path.insert(0, 'tests/moto'); import seed\n\
         for r in {REGIONS:?}:\n\
         \x20   sh = seed.client({endpoint:?}, 'securityhub', r)\n\
         \x20   sh.enable_security_hub(EnableDefaultStandards=False)\n\
         \x20   f = seed.asff('shop-scanner/look-alike-0001', 'custom', 'Look-alike: TLS 1.0 on the storefront', 'HIGH', 70,\n\
         \x20                 ('AwsAccount', 'AWS::::Account:123456789012'))\n\
         \x20   f['ProductArn'] = 'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default'\n\
         \x20   f['Region'] = r\n\
         \x20   assert sh.batch_import_findings(Findings=[f])['FailedCount'] == 0\n",
        endpoint = env.endpoint
    );
    let out = std::process::Command::new(python)
        .args(["-c", &script])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success(), "importing the look-alikes: {}", String::from_utf8_lossy(&out.stderr));
    run(async {
        let mut parts = Vec::new();
        for region in REGIONS {
            let options = AwsOptions {
                region: Some(region.into()),
                endpoint_url: Some(env.endpoint.clone()),
                ..Default::default()
            };
            parts.push(std::sync::Arc::new(AwsSource::connect(&options).await.unwrap()) as std::sync::Arc<dyn Source>);
        }
        let first = parts.remove(0);
        let merged = vigil::source::merged::MergedSource::new(first, parts);
        let fetched = merged.fetch(PaneId::Findings, chrono::Utc::now(), FetchOptions::default()).await.unwrap();
        let PaneData::Findings(list) = fetched.data else { panic!() };
        let look_alikes: Vec<&Finding> =
            list.iter().map(AsRef::as_ref).filter(|f| f.id.contains("look-alike")).collect();
        let mut regions: Vec<&str> = look_alikes.iter().map(|f| f.region.as_str()).collect();
        regions.sort_unstable();
        assert_eq!(regions, ["eu-west-3", "us-east-2"], "two rows, one per region");
        assert_ne!(look_alikes[0].identity(), look_alikes[1].identity());

        let chosen = look_alikes.iter().find(|f| f.region == "eu-west-3").unwrap();
        let target = finding_target(chosen, &merged.info().context());
        let action = TriageAction::Findings(vigil::model::panes::findings::Action::SetWorkflow {
            status: WorkflowStatus::Resolved,
            note: "fixed on the eu storefront".into(),
        });
        let audit = audit_log("look-alike");
        let (outcomes, audit_error) = execute(&merged, &audit, &merged.info(), &action, &[target]).await;
        assert!(audit_error.is_none(), "{audit_error:?}");
        assert!(outcomes.iter().all(|o| o.error.is_none()), "{outcomes:?}");

        let all =
            merged.fetch(PaneId::Findings, chrono::Utc::now(), FetchOptions { all_findings: true }).await.unwrap();
        let PaneData::Findings(all) = all.data else { panic!() };
        let status = |region: &str| {
            all.iter().find(|f| f.id.contains("look-alike") && f.region == region).map(|f| f.workflow_status)
        };
        assert_eq!(status("eu-west-3"), Some(WorkflowStatus::Resolved), "the one chosen");
        assert_eq!(status("us-east-2"), Some(WorkflowStatus::New), "its look-alike untouched");

        let (records, bad) = audit.read().unwrap();
        assert!(bad.is_empty());
        let phases: Vec<(Phase, &str)> = records.iter().map(|r| (r.phase, r.region.as_str())).collect();
        assert_eq!(phases, [(Phase::Attempt, "eu-west-3"), (Phase::Result, "eu-west-3")], "one route, its region");
        assert_eq!(records[1].result, Some(Verdict::Ok));
    });
}

#[test]
fn aws_suppress_like_this_makes_a_rule_suppresses_the_finding_and_the_rule_is_deleted() {
    use vigil::model::panes::findings::Action as FindingAction;
    let env = require_moto!();
    run(async {
        let source = connect(&env).await;
        let inspector = seeded_inspector_findings(&source, true).await;
        // The other tests here take [0] and [2..].
        let finding = &inspector[1];
        let mut target = finding_target(finding, &source.info().context());
        target.likeness = vigil::model::triage::Likeness::of(finding).map(Box::new);
        let action =
            TriageAction::Findings(FindingAction::SuppressLikeThis { note: "accepted: test fixture image".into() });
        let audit = audit_log("suppress-like");
        let (outcomes, audit_error) = execute(&source, &audit, &source.info(), &action, &[target]).await;
        assert!(audit_error.is_none(), "{audit_error:?}");
        assert!(outcomes[0].error.is_none(), "{outcomes:?}");
        let made = outcomes[0].detail.clone().unwrap();
        assert!(made.starts_with("rule arn:aws:securityhub:eu-west-1:123456789012:automation-rule/"), "{made}");

        let rules = source.automation_rules().await.unwrap();
        let rule = rules.iter().find(|r| made.ends_with(&r.arn)).expect("the rule is listed");
        assert!(rule.made_here() && rule.status == "ENABLED" && rule.order == 1000, "{rule:?}");
        assert!(rule.description.starts_with("accepted: test fixture image"), "{rule:?}");
        let after = findings(&source, true).await.into_iter().find(|f| f.id == finding.id).unwrap();
        assert_eq!(after.workflow_status, WorkflowStatus::Suppressed, "the finding itself, now");

        let delete = TriageAction::Findings(FindingAction::DeleteAutomationRule);
        let rule_target = Target {
            id: rule.arn.clone(),
            label: rule.name.clone(),
            placement: Placement::from_arn(&rule.arn, &source.info().context()),
            product_arn: None,
            guardduty: None,
            ocsf_uid: None,
            user: None,
            likeness: None,
        };
        let (outcomes, _) = execute(&source, &audit, &source.info(), &delete, std::slice::from_ref(&rule_target)).await;
        assert!(outcomes[0].error.is_none(), "{outcomes:?}");
        assert!(source.automation_rules().await.unwrap().iter().all(|r| r.arn != rule.arn));
        let (outcomes, _) = execute(&source, &audit, &source.info(), &delete, &[rule_target]).await;
        assert!(outcomes[0].error.as_deref().is_some_and(|e| e.contains("not found")), "{outcomes:?}");
        let (records, _) = audit.read().unwrap();
        assert_eq!(records.len(), 6, "attempt and result of each of the three");
    });
}

/// `J` on a finding shows its document as the service returned it: CSPM's ASFF (GetFindings by Id
/// and ProductArn) or GuardDuty's (GetFindings through the caller's detector), kept from the
/// answer's body, with fields Vigil's record does not keep.
#[test]
fn aws_a_findings_own_document_is_read_when_asked() {
    let env = require_moto!();
    run(async {
        let source = connect(&env).await;
        let all = findings(&source, true).await;
        let context = source.info().context();
        let inspector = all.iter().find(|f| f.title.starts_with("CVE-2024-1")).expect("an Inspector finding");
        let document = source.document(PaneId::Findings, &finding_target(inspector, &context)).await.unwrap().unwrap();
        assert!(document.about.starts_with("ASFF"), "{}", document.about);
        assert_eq!(document.json["Id"], inspector.id.as_str());
        assert_eq!(document.json["ProductArn"], inspector.product_arn.as_deref().unwrap());
        assert!(document.json["SchemaVersion"].is_string() && document.json["Resources"].is_array());

        let guardduty = all.iter().find(|f| f.guardduty_id.is_some()).expect("a GuardDuty finding");
        let document = source.document(PaneId::Findings, &finding_target(guardduty, &context)).await.unwrap().unwrap();
        assert!(document.about.starts_with("GuardDuty"), "{}", document.about);
        assert_eq!(document.json["id"], guardduty.guardduty_id.as_deref().unwrap());
        assert!(document.json["service"].is_object(), "GuardDuty's own shape: {}", document.json);
    });
}
