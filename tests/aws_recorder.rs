//! Every AWS call one full refresh makes, as moto's request recorder saw it: read-only, the expected
//! set, and never GetSecretValue or BatchGetSecretValue. In its own test binary so no other test's
//! calls land in the recording.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use std::collections::BTreeSet;
use std::sync::Mutex;

/// Both tests record: one at a time.
static RECORDER: Mutex<()> = Mutex::new(());
use std::process::Command;

fn post(url: &str) {
    let status = Command::new("curl").args(["-sf", "-o", "/dev/null", "-X", "POST", url]).status().unwrap();
    assert!(status.success(), "POST {url}");
}

/// `service METHOD path` for REST services, `service Target` for JSON services.
fn operation(line: &serde_json::Value) -> String {
    let headers = &line["headers"];
    let auth = headers["Authorization"].as_str().unwrap_or_default();
    let service = auth.split('/').nth(3).unwrap_or("?");
    if let Some(target) = headers["X-Amz-Target"].as_str() {
        return format!("{service} {}", target.rsplit('.').next().unwrap_or(target));
    }
    let url = line["url"].as_str().unwrap_or_default();
    let path = url.splitn(4, '/').nth(3).unwrap_or_default();
    let path = path.split('?').next().unwrap_or_default();
    // The aggregator's ARN is the rest of the path (its '/' unencoded, as the API's greedy label).
    if path.starts_with("findingAggregator/get/") {
        return format!("{service} {} /findingAggregator/get/{{arn}}", line["method"].as_str().unwrap_or_default());
    }
    // Detector ids vary: keep the shape of the path.
    let shape: Vec<&str> = path
        .split('/')
        .enumerate()
        .map(|(i, p)| if i == 1 && path.starts_with("detector") { "{id}" } else { p })
        .collect();
    format!("{service} {} /{}", line["method"].as_str().unwrap_or_default(), shape.join("/"))
}

/// Every call moto recorded since recording started, in order, as `operation` names them.
fn recorded_calls(endpoint: &str) -> Vec<String> {
    let recording = Command::new("curl")
        .args(["-sf", &format!("{endpoint}/moto-api/recorder/download-recording")])
        .output()
        .unwrap();
    String::from_utf8_lossy(&recording.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| operation(&serde_json::from_str(l).unwrap()))
        .collect()
}

#[test]
fn aws_a_full_refresh_reads_only_and_never_a_secret_value() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let _recorder = RECORDER.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    post(&format!("{endpoint}/moto-api/recorder/reset-recording"));
    post(&format!("{endpoint}/moto-api/recorder/start-recording"));
    let binary = std::env::var("VIGIL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_vigil").to_string());
    let out = Command::new(binary).args(["snapshot", "--endpoint-url", &endpoint]).output().unwrap();
    post(&format!("{endpoint}/moto-api/recorder/stop-recording"));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mut calls: BTreeSet<String> = recorded_calls(&endpoint).into_iter().collect();
    // Made only when the account has a finding aggregator (another test may have made one).
    calls.remove("securityhub GET /findingAggregator/get/{arn}");
    // Made only when a rule blocked in the last hour, and the seed's metrics may be older.
    calls.remove("wafv2 GetSampledRequests");
    assert!(!calls.is_empty(), "the recorder saw the refresh");
    for call in &calls {
        assert!(!call.contains("GetSecretValue"), "secret value read: {call}");
    }
    let expected: BTreeSet<String> = [
        "sts POST /",
        "organizations ListAccounts",
        "securityhub GET /findingAggregator/list",
        "securityhub GET /administrator",
        "securityhub GET /members",
        "guardduty GET /detector/{id}/administrator",
        "guardduty GET /detector/{id}/member",
        "securityhub POST /findings",
        // DescribeSecurityHubV2: the new Security Hub is off here, so nothing more of it is asked.
        "securityhub GET /hubv2",
        "securityhub POST /standards/get",
        "securityhub GET /standards",
        "securityhub GET /securityControls/definitions",
        "securityhub POST /associations/batchGet",
        "guardduty GET /detector",
        "guardduty POST /detector/{id}/findings",
        "guardduty POST /detector/{id}/findings/get",
        "acm ListCertificates",
        "acm DescribeCertificate",
        "secretsmanager ListSecrets",
        "cognito-idp ListUserPools",
        "cognito-idp DescribeUserPool",
        "cognito-idp ListUsers",
        "cognito-idp AdminListUserAuthEvents",
        "shield GetSubscriptionState",
        "shield DescribeSubscription",
        "shield ListProtections",
        "shield ListProtectionGroups",
        "shield DescribeAttackStatistics",
        "shield ListAttacks",
        "shield DescribeAttack",
        "wafv2 ListWebACLs",
        "wafv2 ListLoggingConfigurations",
        "wafv2 GetWebACL",
        "wafv2 ListResourcesForWebACL",
        "wafv2 GetRateBasedStatementManagedKeys",
        "monitoring POST /service/GraniteServiceVersion20100801/operation/GetMetricData",
        "monitoring POST /service/GraniteServiceVersion20100801/operation/ListMetrics",
        "kms ListKeys",
        "kms ListAliases",
        "kms DescribeKey",
        "kms GetKeyRotationStatus",
        "acm-pca ListCertificateAuthorities",
        "cloudhsm DescribeClusters",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    assert_eq!(calls, expected, "the calls one refresh makes");
}

#[test]
fn aws_read_only_console_makes_no_write_call_whatever_is_pressed() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let _recorder = RECORDER.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(t) = common::tmux::Tmux::start("readonly", 120, 30) else { return };
    post(&format!("{endpoint}/moto-api/recorder/reset-recording"));
    post(&format!("{endpoint}/moto-api/recorder/start-recording"));
    let binary = std::env::var("VIGIL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_vigil").to_string());
    let env = "AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=eu-west-1 AWS_MAX_ATTEMPTS=1 AWS_CONFIG_FILE=/nonexistent VIGIL_AUDIT_LOG=/tmp/vigil-readonly-audit.jsonl";
    t.type_text(&format!("{env} {binary} --read-only --endpoint-url {endpoint}; echo EXITED-$?"));
    t.keys(&["Enter"]);
    t.wait_for("READ-ONLY");
    t.wait_for("CVE-2024-1");
    // Every state-changing key of every pane, each followed by confirm keys.
    for (pane, keys) in [("1", "nrswCHMLItfbau+-"), ("2", "n"), ("3", "r"), ("4", "degp"), ("6", "bu"), ("7", "cer")] {
        t.keys(&[pane]);
        for key in keys.chars() {
            t.keys(&["x"]);
            t.type_text(&key.to_string());
            t.keys(&["y", "Enter", "Escape"]);
        }
    }
    t.keys(&["1", "x"]);
    t.type_text("r");
    t.wait_for("read-only");
    t.keys(&["q"]);
    t.wait_for("EXITED-0");
    post(&format!("{endpoint}/moto-api/recorder/stop-recording"));
    let calls = recorded_calls(&endpoint);
    assert!(calls.iter().any(|c| c == "securityhub POST /findings"), "the console did read: {calls:?}");
    let writes = [
        "PATCH",
        "archive",
        "unarchive",
        "feedback",
        "RotateSecret",
        "AdminDisableUser",
        "AdminEnableUser",
        "GlobalSignOut",
        "ResetUserPassword",
        "RenewCertificate",
        "UpdateIPSet",
        "CancelKeyDeletion",
        "EnableKey",
    ];
    for call in &calls {
        assert!(!writes.iter().any(|w| call.contains(w)), "read-only made a write call: {call}");
    }
}

#[test]
fn aws_offline_opens_the_cache_without_a_single_call() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let _recorder = RECORDER.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let cache_dir = std::env::temp_dir().join(format!("vigil-offline-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache_dir);
    let binary = std::env::var("VIGIL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_vigil").to_string());
    let env = format!(
        "AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_MAX_ATTEMPTS=1 AWS_CONFIG_FILE=/nonexistent VIGIL_CACHE_DIR={}",
        cache_dir.display()
    );
    let Some(t) = common::tmux::Tmux::start("offline", 120, 30) else { return };
    // Online once: every pane's first refresh lands in the cache.
    t.type_text(&format!("{env} {binary} --endpoint-url {endpoint}; echo ONLINE-$?"));
    t.keys(&["Enter"]);
    t.wait_for("xz-utils");
    t.keys(&["3"]);
    t.wait_for("prod/payments-db");
    t.keys(&["5"]);
    t.wait_for("security score 62%");
    t.keys(&["q"]);
    t.wait_for("ONLINE-0");

    post(&format!("{endpoint}/moto-api/recorder/reset-recording"));
    post(&format!("{endpoint}/moto-api/recorder/start-recording"));
    t.type_text(&format!("clear; {env} {binary} --offline; echo OFFLINE-$?"));
    t.keys(&["Enter"]);
    let screen = t.wait_for("cached");
    assert!(screen.contains("123456789012") && screen.contains("READ-ONLY"), "{screen}");
    t.wait_for("xz-utils");
    t.keys(&["3"]);
    t.wait_for("prod/payments-db");
    t.keys(&["q"]);
    t.wait_for("OFFLINE-0");
    post(&format!("{endpoint}/moto-api/recorder/stop-recording"));
    let calls = recorded_calls(&endpoint);
    assert!(calls.is_empty(), "--offline called AWS: {calls:?}");
    let _ = std::fs::remove_dir_all(&cache_dir);
}

/// One refresh after a full load of 5,000 findings costs calls in proportion to the changes.
#[test]
fn aws_delta_refresh_costs_calls_per_change_not_per_account_size() {
    use vigil::audit::AuditLog;
    use vigil::model::WorkflowStatus;
    use vigil::model::triage::{TriageAction, finding_target};
    use vigil::pane::PaneId;
    use vigil::runner::execute::execute;
    use vigil::source::aws::{AwsOptions, AwsSource};
    use vigil::source::{FetchOptions, PaneData, Source};

    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let expect: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(std::env::var("VIGIL_MOTO_EXPECT").unwrap()).unwrap()).unwrap();
    let _recorder = RECORDER.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    common::block_on_big_stack(async {
        let region = expect["delta"]["region"].as_str().unwrap().to_string();
        let options = AwsOptions {
            profile: None,
            region: Some(region),
            endpoint_url: Some(endpoint.clone()),
            ..Default::default()
        };
        let source = AwsSource::connect(&options).await.unwrap();
        let fetch = || async {
            let fetched = source.fetch(PaneId::Findings, chrono::Utc::now(), FetchOptions::default()).await.unwrap();
            let PaneData::Findings(list) = fetched.data else { panic!() };
            list
        };
        let full = fetch().await;
        assert_eq!(full.len() as u64, expect["delta"]["findings"].as_u64().unwrap());

        // Two changes made by someone else: a Security Hub triage with a note, a GuardDuty archive.
        let inspector = full.iter().find(|f| f.title.starts_with("CVE-2025-")).unwrap().clone();
        let guardduty = full.iter().find(|f| f.guardduty_id.is_some()).unwrap().clone();
        let audit = AuditLog::new(std::env::temp_dir().join(format!("vigil-delta-{}.jsonl", std::process::id())));
        let resolve = TriageAction::Findings(vigil::model::panes::findings::Action::SetWorkflow {
            status: WorkflowStatus::Resolved,
            note: "fixed".into(),
        });
        execute(&source, &audit, &source.info(), &resolve, &[finding_target(&inspector, &source.info().context())])
            .await;
        execute(
            &source,
            &audit,
            &source.info(),
            &TriageAction::Findings(vigil::model::panes::findings::Action::ArchiveGuardDuty),
            &[finding_target(&guardduty, &source.info().context())],
        )
        .await;

        post(&format!("{endpoint}/moto-api/recorder/reset-recording"));
        post(&format!("{endpoint}/moto-api/recorder/start-recording"));
        let after = fetch().await;
        post(&format!("{endpoint}/moto-api/recorder/stop-recording"));
        let calls = recorded_calls(&endpoint);
        eprintln!("delta refresh after a full load: {} calls: {calls:?}", calls.len());
        assert!(calls.len() <= 6, "a delta refresh made {} calls: {calls:?}", calls.len());
        assert_eq!(after.len(), full.len() - 2, "both changes seen");
        assert!(after.iter().all(|f| f.id != inspector.id && f.id != guardduty.id));
    });
}
