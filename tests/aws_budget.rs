//! Rate budgets, retries, timeouts and resumed pages against moto: every client keeps the user's
//! retry settings and gets Vigil's timeouts; concurrent loads of one account and region share the
//! Security Hub GetFindings budget (3 a second, burst 6); a load whose third page fails shows the
//! two pages read, and the next load starts from the third page's NextToken and ends with every
//! finding once.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use chrono::Utc;
use common::fault_proxy::FaultProxy;
use std::collections::HashSet;
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use vigil::pane::PaneId;
use vigil::source::Service;
use vigil::source::aws::{AwsOptions, AwsSource, Timeouts};
use vigil::source::{FetchOptions, Fetched, PaneData, Source};

/// A region of its own: 350 Inspector findings (four pages of GetFindings), no GuardDuty detector.
const REGION: &str = "ca-central-1";
const FINDINGS: usize = 350;
const TIMEOUTS: Timeouts = Timeouts { attempt: Duration::from_secs(5), operation: Duration::from_secs(15) };

/// Seeds the region once per test binary, through the seed script's own helper.
fn seed(endpoint: &str) {
    static SEEDED: OnceLock<()> = OnceLock::new();
    SEEDED.get_or_init(|| {
        let python = std::env::var("VIGIL_MOTO_PYTHON").unwrap_or_else(|_| "python3".into());
        let script = format!(
            "import sys; sys.path.insert(0, 'tests/moto'); import seed; \
             seed.inspector_findings({endpoint:?}, {REGION:?}, {FINDINGS}, 'budget', \
             lambda i: f'CVE-2026-{{i:05d}} - budget{{i}}', ('LOW', 10))"
        );
        let out = Command::new(python).args(["-c", &script]).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
        assert!(out.status.success(), "seeding {REGION}: {}", String::from_utf8_lossy(&out.stderr));
    });
}

async fn connect(endpoint: String) -> AwsSource {
    connect_in(endpoint, REGION).await
}

async fn connect_in(endpoint: String, region: &str) -> AwsSource {
    let options =
        AwsOptions { profile: None, region: Some(region.into()), endpoint_url: Some(endpoint), ..Default::default() };
    AwsSource::connect_with(&options, TIMEOUTS).await.unwrap()
}

/// The default view loads in severity partitions (src/source/aws/partitions.rs); the region's
/// findings are all LOW, so the LOW partition is the one that pages.
const LOW_PARTITION: &str = r#"{"Value":"LOW","Comparison":"EQUALS"}"#;

fn findings(fetched: &Fetched) -> Vec<String> {
    match &fetched.data {
        PaneData::Findings(list) => list.iter().map(|f| f.id.clone()).collect(),
        other => panic!("not findings: {other:?}"),
    }
}

#[test]
fn aws_budget_every_client_keeps_the_users_retry_settings_and_gets_the_timeouts() {
    let Some(endpoint) = common::moto_endpoint() else { return };
    common::block_on_big_stack(async {
        let source = connect(endpoint).await;
        // tests/run sets AWS_MAX_ATTEMPTS=1; without it the SDK's standard mode has 3.
        let attempts = std::env::var("AWS_MAX_ATTEMPTS").ok().and_then(|v| v.parse().ok()).unwrap_or(3u32);
        let settings = source.client_settings();
        // Every client of every pane, and STS: made from one configuration (src/source/aws/clients.rs).
        let services: Vec<Service> = settings.iter().map(|s| s.service).collect();
        for service in [
            Service::SecurityHub,
            Service::GuardDuty,
            Service::Acm,
            Service::SecretsManager,
            Service::Cognito,
            Service::Sts,
        ] {
            assert!(services.contains(&service), "{service} missing from {services:?}");
        }
        for s in settings {
            assert_eq!(s.max_attempts, Some(attempts), "{s:?}");
            assert_eq!(s.attempt_timeout, Some(TIMEOUTS.attempt), "{s:?}");
            assert_eq!(s.operation_timeout, Some(TIMEOUTS.operation), "{s:?}");
        }
    });
}

#[test]
fn aws_budget_concurrent_loads_share_the_get_findings_budget() {
    let Some(endpoint) = common::moto_endpoint() else { return };
    seed(&endpoint);
    common::block_on_big_stack(async {
        let source = connect(endpoint).await;
        // Four loads of four pages each: 16 GetFindings calls. The burst lets 6 go at once; the
        // other 10 wait for 3 a second, so no less than 10/3 s, however fast moto answers.
        let start = Instant::now();
        let loads = (0..4).map(|_| source.fetch(PaneId::Findings, Utc::now(), FetchOptions { all_findings: true }));
        let results = futures::future::join_all(loads).await;
        let elapsed = start.elapsed();
        for result in results {
            assert_eq!(findings(&result.unwrap()).len(), FINDINGS);
        }
        eprintln!("16 GetFindings calls under one budget took {elapsed:?}");
        assert!(elapsed >= Duration::from_millis(3300), "{elapsed:?}");
    });
}

#[test]
fn aws_budget_a_failed_third_page_resumes_from_its_next_token() {
    let Some(proxy) = FaultProxy::start() else { return };
    let endpoint = std::env::var("VIGIL_MOTO_ENDPOINT").unwrap();
    seed(&endpoint);
    common::block_on_big_stack(async {
        let source = connect(proxy.endpoint()).await;
        // The LOW partition pages oldest first; having more than a page, it reads its newest page
        // too (to split by CreatedAt: its findings were all created at one instant here, so it
        // pages on from its token). Page 1, the newest page and page 2 go through; page 3 fails
        // (AWS_MAX_ATTEMPTS=1: the SDK does not retry).
        proxy.add(serde_json::json!({
            "match": "POST /findings", "fault": "500", "skip": 3, "count": 1, "body": LOW_PARTITION
        }));
        let low_calls = |order: &str| -> Vec<serde_json::Value> {
            let bodies = proxy.bodies("POST /findings");
            let low: serde_json::Value = serde_json::from_str(&format!("[{LOW_PARTITION}]")).unwrap();
            bodies
                .into_iter()
                .filter(|b| b["Filters"]["SeverityLabel"] == low && b["SortCriteria"][0]["SortOrder"] == order)
                .collect()
        };
        let low_pages = || low_calls("asc");
        let first = source.fetch(PaneId::Findings, Utc::now(), FetchOptions::default()).await.unwrap();
        assert_eq!(findings(&first).len(), 200, "the two pages read are shown");
        assert!(
            first.warnings.iter().any(|w| w.starts_with("Security Hub: partial: 200 findings so far, resuming")),
            "{:?}",
            first.warnings
        );
        let calls = low_pages();
        assert_eq!(calls.len(), 3, "{calls:?}");
        assert_eq!(low_calls("desc").len(), 1, "the newest page, once");
        assert!(calls[0].get("NextToken").is_none(), "page 1 has no token: {}", calls[0]);
        let page3 = calls[2]["NextToken"].as_str().unwrap().to_string();

        let second = source.fetch(PaneId::Findings, Utc::now(), FetchOptions::default()).await.unwrap();
        let calls = low_pages();
        assert_eq!(calls[3]["NextToken"].as_str(), Some(page3.as_str()), "resumed at page 3: {}", calls[3]);
        assert_eq!(calls.len(), 5, "pages 3 and 4 only: {calls:?}");
        let ids = findings(&second);
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!((ids.len(), unique.len()), (FINDINGS, FINDINGS), "every finding, once");
        assert!(!second.warnings.iter().any(|w| w.contains("partial")), "{:?}", second.warnings);

        // Done: the next load (a delta refresh now) starts from page 1 again.
        let before = proxy.bodies("POST /findings").len();
        source.fetch(PaneId::Findings, Utc::now(), FetchOptions::default()).await.unwrap();
        let calls = proxy.bodies("POST /findings");
        assert!(calls.len() > before && calls[before].get("NextToken").is_none(), "{calls:?}");
    });
}

/// Four labels of more than a page each page side by side without a split, each read on from the
/// first page it read ahead (and reported). One's token is then refused (AWS answers a bad or
/// expired NextToken with a 400): the load starts that partition over from page 1, and no finding
/// reaches the rows shown twice (they did: the restart reported page 1 again).
#[test]
fn aws_budget_a_refused_token_after_a_page_read_ahead_shows_each_finding_once() {
    let Some(proxy) = FaultProxy::start() else { return };
    let endpoint = std::env::var("VIGIL_MOTO_ENDPOINT").unwrap();
    const FOUR_LABELS: &str = "me-south-1";
    let python = std::env::var("VIGIL_MOTO_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = format!(
        "import sys; sys.path.insert(0, 'tests/moto'); import seed\n\
         for label, score in [('CRITICAL', 90), ('HIGH', 70), ('MEDIUM', 40), ('LOW', 10)]:\n\
         \x20   seed.inspector_findings({endpoint:?}, {FOUR_LABELS:?}, 150, label[:4].lower(), lambda i: f'CVE-2026-{{i:05d}}', (label, score))\n"
    );
    let out = Command::new(python).args(["-c", &script]).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
    assert!(out.status.success(), "seeding {FOUR_LABELS}: {}", String::from_utf8_lossy(&out.stderr));
    common::block_on_big_stack(async {
        let source = connect_in(proxy.endpoint(), FOUR_LABELS).await;
        // HIGH's page 1 goes through; its page 2 (page 1's token) is refused once.
        proxy.add(serde_json::json!({
            "match": "POST /findings", "fault": "error:InvalidInputException", "skip": 1, "count": 1,
            "body": r#"{"Value":"HIGH","Comparison":"EQUALS"}"#
        }));
        let shown: std::sync::Arc<std::sync::Mutex<Vec<String>>> = std::sync::Arc::default();
        let progress = {
            let shown = shown.clone();
            vigil::source::Progress::new(move |chunk| {
                if let PaneData::Findings(rows) = chunk {
                    shown.lock().unwrap().extend(rows.iter().filter(|f| f.product_arn.is_some()).map(|f| f.identity()));
                }
            })
        };
        let fetched =
            source.fetch_with_progress(PaneId::Findings, Utc::now(), FetchOptions::default(), progress).await.unwrap();
        let ids = findings(&fetched);
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!((ids.len(), unique.len()), (600, 600), "every finding, once: {:?}", fetched.warnings);
        let shown = shown.lock().unwrap();
        let once: HashSet<&String> = shown.iter().collect();
        assert_eq!(once.len(), shown.len(), "a finding shown twice while the load came in");
        assert_eq!(once.len(), 600, "every finding shown as it came");
    });
}
