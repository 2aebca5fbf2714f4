//! Faults on every protocol, through `tests/moto/fault_proxy.py` in front of moto: Security Hub
//! (REST-JSON) and ACM (JSON 1.1) throttled, failing with 500/503, too slow, reset, cut off, and
//! answering HTML or garbage. The app, driven headless as the runner drives it, keeps the pane's last
//! good data, says why in the refresh status (one line), backs off only when waiting can help, and
//! recovers when the fault ends. An action cut off after its first batch names exactly which targets
//! were changed, and the audit log agrees. The SDK's own retries are exercised through
//! `vigil snapshot` with AWS_MAX_ATTEMPTS=3.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use chrono::Utc;
use common::fault_proxy::FaultProxy;
use std::process::Command;
use std::time::Duration;
use vigil::action::{Action, Effect};
use vigil::app::{App, RefreshPolicy};
use vigil::audit::{AuditLog, Phase, Verdict};
use vigil::model::triage::{Target, TriageAction, finding_target};
use vigil::model::{Finding, SeverityLabel};
use vigil::pane::PaneId;
use vigil::runner::execute::execute;
use vigil::source::aws::{AwsOptions, AwsSource, Timeouts};
use vigil::source::{FetchOptions, PaneData, Source};

/// Short enough that a `slow` fault (3 s) is a timeout without the test waiting 20 s.
const TIMEOUTS: Timeouts = Timeouts { attempt: Duration::from_secs(1), operation: Duration::from_secs(3) };

async fn connect(proxy: &FaultProxy, region: &str) -> AwsSource {
    let options = AwsOptions {
        profile: None,
        region: Some(region.into()),
        endpoint_url: Some(proxy.endpoint()),
        ..Default::default()
    };
    AwsSource::connect_with(&options, TIMEOUTS).await.unwrap()
}

/// One refresh of `pane` as the runner makes it: the app asks, the source fetches, the result
/// comes back as an action.
async fn refresh(app: &mut App, source: &AwsSource, pane: PaneId) {
    let mut effects = app.update(Action::ShowPane(pane));
    effects.extend(app.update(Action::Refresh));
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { request, pane: p, .. } if *p == pane => Some(*request),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fetch of {pane:?} in {effects:?}"));
    let result = source.fetch(pane, Utc::now(), app.fetch_options(pane)).await;
    app.update(Action::Loaded {
        request: Some(request),
        context: app.context().clone(),
        pane,
        at: Utc::now(),
        result,
        index: None,
    });
}

fn rows(app: &App, pane: PaneId) -> usize {
    match pane {
        PaneId::Findings => app.findings().table.rows.len(),
        PaneId::Certificates => app.certificates().rows.len(),
        _ => unreachable!(),
    }
}

/// Each fault, what the refresh status must say, and whether the pane backs off (transient) or
/// waits for its normal interval.
const FAULTS: [(&str, &str, bool); 8] = [
    ("throttle", "", true),
    ("500", "InternalFailure: injected by the fault proxy (HTTP 500, request id fault-proxy-", true),
    ("503", "ServiceUnavailable: injected by the fault proxy (HTTP 503, request id fault-proxy-", true),
    ("slow", "timed out", true),
    ("reset", "cannot reach the endpoint (connection reset)", true),
    ("truncate", "the connection broke off mid-answer (HTTP 200, request id ", true),
    ("html", "an HTML page instead of the service's answer (HTTP 500, request id fault-proxy-", true),
    ("garbage", "an answer that does not parse (HTTP 200, request id fault-proxy-", false),
];

fn every_fault_keeps_the_pane_and_recovers(pane: PaneId, operation: &str, pattern: &str, service: &str) {
    let Some(proxy) = FaultProxy::start() else { return };
    common::block_on_big_stack(async {
        let source = connect(&proxy, "us-east-1").await;
        let start = Utc::now();
        let mut app = App::new(source.info(), start, RefreshPolicy::aws());
        refresh(&mut app, &source, pane).await;
        let good = rows(&app, pane);
        assert!(good > 0 && app.pane(pane).status().error.is_none(), "{:?}", app.pane(pane).status());
        let interval = RefreshPolicy::aws().interval(pane);

        for (fault, says, transient) in FAULTS {
            proxy.add(serde_json::json!({ "match": pattern, "fault": fault, "count": null, "delay": 3 }));
            refresh(&mut app, &source, pane).await;
            let status = app.pane(pane).status();
            let error = status.error.clone().unwrap_or_else(|| panic!("{fault}: no error shown"));
            let names =
                if fault == "throttle" { format!("throttled by {service}") } else { format!("{service}: {operation}") };
            assert!(error.starts_with(&names) && error.contains(says), "{fault}: {error}");
            assert!(!error.contains('\n') && error.len() < 200, "{fault}: one short line: {error}");
            assert_eq!(rows(&app, pane), good, "{fault}: the last good data stays");
            let wait = status.retry_at.unwrap() - start;
            if transient {
                assert!(wait <= chrono::Duration::seconds(6), "{fault}: backs off: {wait}");
            } else {
                assert_eq!(wait, interval, "{fault}: waiting would not help");
            }

            proxy.clear();
            refresh(&mut app, &source, pane).await;
            let status = app.pane(pane).status();
            assert!(status.error.is_none(), "{fault}: recovered: {:?}", status.error);
            assert_eq!((status.failures, status.retry_at), (0, None), "{fault}");
            assert_eq!(rows(&app, pane), good, "{fault}");
        }
    });
}

#[test]
fn aws_faults_on_security_hub_get_findings_keep_the_findings_and_recover() {
    every_fault_keeps_the_pane_and_recovers(PaneId::Findings, "GetFindings", "POST /findings", "Security Hub");
}

#[test]
fn aws_faults_on_acm_list_certificates_keep_the_certificates_and_recover() {
    every_fault_keeps_the_pane_and_recovers(
        PaneId::Certificates,
        "ListCertificates",
        "CertificateManager.ListCertificates",
        "ACM",
    );
}

#[test]
fn aws_faults_on_guardduty_list_findings_keep_the_findings() {
    let Some(proxy) = FaultProxy::start() else { return };
    common::block_on_big_stack(async {
        let source = connect(&proxy, "us-east-1").await;
        let start = Utc::now();
        let mut app = App::new(source.info(), start, RefreshPolicy::aws());
        refresh(&mut app, &source, PaneId::Findings).await;
        let good = rows(&app, PaneId::Findings);
        proxy.inject("POST /detector/{id}/findings", "503", None);
        refresh(&mut app, &source, PaneId::Findings).await;
        let error = app.pane(PaneId::Findings).status().error.clone().unwrap();
        assert!(error.starts_with("GuardDuty: ListFindings: ServiceUnavailable"), "{error}");
        assert!(proxy.hits("POST /detector/{id}/findings") >= 1);
        assert_eq!(rows(&app, PaneId::Findings), good);
        proxy.clear();
        refresh(&mut app, &source, PaneId::Findings).await;
        assert!(app.pane(PaneId::Findings).status().error.is_none());
    });
}

fn binary() -> String {
    std::env::var("VIGIL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_vigil").to_string())
}

/// `vigil snapshot --pane PANE` through the proxy with the SDK's retries on (3 attempts).
fn snapshot(proxy: &FaultProxy, pane: &str) -> (i32, String, String) {
    let out = Command::new(binary())
        .args(["snapshot", "--pane", pane, "--format", "json", "--endpoint-url", &proxy.endpoint()])
        .env("AWS_MAX_ATTEMPTS", "3")
        .env("VIGIL_AWS_TIMEOUT_SECS", "1")
        .env("VIGIL_CACHE_DIR", std::env::temp_dir().join(format!("vigil-faults-cache-{}", std::process::id())))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn aws_faults_sdk_retries_ride_out_two_throttles_and_a_lasting_fault_is_one_line() {
    let Some(proxy) = FaultProxy::start() else { return };
    // Two throttles, then the third attempt gets through: the refresh succeeds.
    proxy.inject("POST /findings", "throttle", Some(2));
    let (code, stdout, stderr) = snapshot(&proxy, "findings");
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(json["errors"].as_object().is_none_or(|e| e.is_empty()), "{json}");
    assert!(json["findings"].as_array().unwrap().len() > 3);
    assert!(proxy.hits("POST /findings") >= 3, "the SDK retried: {}", proxy.hits("POST /findings"));

    // A fault that outlasts the retries: three attempts, then one line on stderr.
    for (fault, says) in [
        (
            "500",
            "vigil: Certificates: ACM: ListCertificates: InternalFailure: injected by the fault proxy (HTTP 500, request id fault-proxy-",
        ),
        (
            "garbage",
            "vigil: Certificates: ACM: ListCertificates: an answer that does not parse (HTTP 200, request id fault-proxy-",
        ),
        (
            "html",
            "vigil: Certificates: ACM: ListCertificates: an HTML page instead of the service's answer (HTTP 500, request id fault-proxy-",
        ),
    ] {
        proxy.clear();
        let before = proxy.hits("CertificateManager.ListCertificates");
        proxy.inject("CertificateManager.ListCertificates", fault, None);
        let (code, _, stderr) = snapshot(&proxy, "certs");
        assert_ne!(code, 0, "{fault}");
        assert_eq!(stderr.lines().count(), 1, "{fault}: one line:\n{stderr}");
        assert!(stderr.starts_with(says), "{fault}: {stderr}");
        let attempts = proxy.hits("CertificateManager.ListCertificates") - before;
        assert!(attempts >= 1, "{fault}: {attempts} attempts");
        if fault != "garbage" {
            assert_eq!(attempts, 3, "{fault}: a 5xx is retried by the SDK");
        }
    }
}

fn audit_log(name: &str) -> AuditLog {
    let dir = std::env::temp_dir().join(format!("vigil-faults-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    AuditLog::new(dir.join("audit.jsonl"))
}

async fn all_findings(source: &AwsSource) -> Vec<Finding> {
    let fetched = source.fetch(PaneId::Findings, Utc::now(), FetchOptions { all_findings: true }).await.unwrap();
    let PaneData::Findings(list) = fetched.data else { panic!() };
    list.into_iter().map(std::sync::Arc::unwrap_or_clone).collect()
}

#[test]
fn aws_faults_cut_off_action_names_what_changed_and_the_audit_log_agrees() {
    let Some(proxy) = FaultProxy::start() else { return };
    common::block_on_big_stack(async {
        // eu-west-1: the seed's region for tests that change state (118 of its findings).
        let source = connect(&proxy, "eu-west-1").await;
        let mut inspector: Vec<Finding> =
            all_findings(&source).await.into_iter().filter(|f| f.title.starts_with("CVE-2024-1")).collect();
        inspector.sort_by(|a, b| a.id.cmp(&b.id));
        let targets: Vec<Target> =
            inspector[..118].iter().map(|f| finding_target(f, &source.info().context())).collect();

        for (fault, label, says) in
            [("500", SeverityLabel::Low, "InternalFailure"), ("reset", SeverityLabel::Medium, "connection reset")]
        {
            // BatchUpdateFindings takes 100 findings: the first batch passes, the second fails.
            proxy.add(
                serde_json::json!({ "match": "PATCH /findings/batchupdate", "fault": fault, "skip": 1, "count": 1 }),
            );
            let action = TriageAction::Findings(vigil::model::panes::findings::Action::SetSeverity {
                label,
                note: format!("fault drill: {fault}"),
            });
            let audit = audit_log(fault);
            let (outcomes, audit_error) = execute(&source, &audit, &source.info(), &action, &targets).await;
            assert!(audit_error.is_none(), "{audit_error:?}");
            assert_eq!(outcomes.len(), 118);
            assert!(outcomes[..100].iter().all(|o| o.error.is_none()), "{fault}: first batch changed");
            for o in &outcomes[100..] {
                let error = o.error.as_deref().unwrap_or_else(|| panic!("{fault}: second batch failed"));
                assert!(error.contains("BatchUpdateFindings") && error.contains(says), "{fault}: {error}");
                assert!(!error.contains('\n'), "{error}");
            }

            let after = all_findings(&source).await;
            let severity = |t: &Target| after.iter().find(|f| f.id == t.id).unwrap().severity;
            assert!(targets[..100].iter().all(|t| severity(t) == label), "{fault}: moto agrees on the first 100");
            assert!(targets[100..].iter().all(|t| severity(t) != label), "{fault}: and on the last 18");

            let (records, bad) = audit.read().unwrap();
            assert!(bad.is_empty());
            assert_eq!(records.iter().map(|r| r.phase).collect::<Vec<_>>(), vec![Phase::Attempt, Phase::Result]);
            let result = &records[1];
            assert_eq!(result.result, Some(Verdict::Partial), "{fault}");
            assert_eq!(result.error.as_deref(), Some("18 of 118 target(s) failed"));
            for (audited, outcome) in result.targets.iter().zip(&outcomes) {
                assert_eq!(audited.id, outcome.target.id);
                assert_eq!(audited.error, outcome.error, "{fault}: the audit log says what the screen says");
            }
        }
    });
}

/// A user deleted between ListUsers and the read of its sign-in events answers
/// UserNotFoundException: one user fewer, not the end of the pool's sampling. The first user read
/// (the most recently changed) is the one gone; the risky sign-ins of the users after it are still
/// found, and the pool says how many were gone.
#[test]
fn aws_faults_a_user_deleted_mid_scan_does_not_stop_the_pools_sign_in_events() {
    let Some(proxy) = FaultProxy::start() else { return };
    proxy.add(serde_json::json!({
        "match": "AWSCognitoIdentityProviderService.AdminListUserAuthEvents",
        "fault": "error:UserNotFoundException",
        "count": 1,
        "body": "promo24",
    }));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let report = runtime.block_on(async {
        let source = connect(&proxy, "us-east-1").await;
        match source.fetch(PaneId::Users, Utc::now(), FetchOptions::default()).await.unwrap().data {
            PaneData::Users(report) => report,
            other => panic!("not users: {other:?}"),
        }
    });
    assert!(proxy.hits("AWSCognitoIdentityProviderService.AdminListUserAuthEvents") > 2, "the scan went on");
    for (kind, who) in [
        (vigil::model::users::AnomalyKind::HighRiskSignIn, "alice"),
        (vigil::model::users::AnomalyKind::CompromisedCredentials, "carol"),
    ] {
        assert!(
            report.anomalies.iter().any(|a| a.kind == kind && a.username == who),
            "{kind:?} of {who} lost after one deleted user: {:#?}",
            report.anomalies
        );
    }
    let customers = report.pools.iter().find(|p| p.pool_name == "shop-customers").unwrap();
    let sampled = customers.sampled.as_deref().unwrap_or_default();
    assert!(sampled.contains("(1 deleted since listed)"), "{sampled}");
}
