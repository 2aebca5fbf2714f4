//! The cold load of findings at Security Hub's quota: through `tests/moto/fault_proxy.py` in pacing
//! mode (every call 300 ms late, GetFindings limited to 3 a second with a burst of 6 and answered
//! with 429 beyond it, as Security Hub does), the default view's 5,000 findings of the seeded
//! region (all MEDIUM, created over 90 days) load in severity partitions, the one label split by
//! CreatedAt into ranges paged side by side: every finding once, exactly the findings the same
//! query returns unpartitioned, not one call throttled, the ranges chained without a gap, and the
//! rows reported as they arrive.
//! Timing is printed (`--nocapture`), never asserted: bench/fetch-race measures it.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use chrono::Utc;
use common::fault_proxy::FaultProxy;
use std::collections::HashSet;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use vigil::pane::PaneId;
use vigil::source::aws::{AwsOptions, AwsSource, Timeouts};
use vigil::source::{FetchOptions, PaneData, Progress, Source};

/// Security Hub GetFindings as the proxy names it.
const GET_FINDINGS: &str = "POST /findings";

/// The region `tests/moto/seed.py` fills with 5,000 findings, and its expectations.
fn region() -> String {
    let expect: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(std::env::var("VIGIL_MOTO_EXPECT").unwrap()).unwrap()).unwrap();
    expect["delta"]["region"].as_str().unwrap().to_string()
}

/// The ids of the default view's Security Hub findings as boto3 pages them, one query, straight
/// from moto: an independent count to compare with.
fn reference_ids(endpoint: &str, region: &str) -> Vec<String> {
    let python = std::env::var("VIGIL_MOTO_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = format!(
        "import boto3\n\
         sh = boto3.client('securityhub', endpoint_url={endpoint:?}, region_name={region:?})\n\
         f = {{'RecordState': [{{'Value': 'ACTIVE', 'Comparison': 'EQUALS'}}], 'WorkflowStatus': [\
         {{'Value': 'RESOLVED', 'Comparison': 'NOT_EQUALS'}}, {{'Value': 'SUPPRESSED', 'Comparison': 'NOT_EQUALS'}}]}}\n\
         for page in sh.get_paginator('get_findings').paginate(Filters=f, PaginationConfig={{'PageSize': 100}}):\n\
         \x20   for x in page['Findings']: print(x['Id'])\n"
    );
    let out = Command::new(python).args(["-c", &script]).output().unwrap();
    assert!(out.status.success(), "boto3: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
}

#[test]
fn aws_partition_a_cold_load_at_the_quota_has_every_finding_once_and_no_throttling() {
    let Some(proxy) = FaultProxy::start() else { return };
    let endpoint = std::env::var("VIGIL_MOTO_ENDPOINT").unwrap();
    let region = region();
    let expected = reference_ids(&endpoint, &region);
    assert!(expected.len() >= 4_900, "the seeded region holds 5,000 findings: {}", expected.len());
    proxy.pace(0.3, &[(GET_FINDINGS, 3.0, 6)]);
    // A rule whose body never matches: it injects nothing, and has the proxy keep every request.
    proxy.add(serde_json::json!({"match": GET_FINDINGS, "fault": "500", "body": "(record the requests only)"}));
    common::block_on_big_stack(async {
        let options = AwsOptions {
            profile: None,
            region: Some(region.clone()),
            endpoint_url: Some(proxy.endpoint()),
            ..Default::default()
        };
        let source = AwsSource::connect_with(&options, Timeouts::default()).await.unwrap();
        let chunks: Arc<Mutex<Vec<Vec<String>>>> = Arc::default();
        let progress = {
            let chunks = chunks.clone();
            Progress::new(move |chunk| match chunk {
                PaneData::Findings(rows) => chunks.lock().unwrap().push(rows.iter().map(|f| f.identity()).collect()),
                other => panic!("a findings load reported {other:?}"),
            })
        };
        let start = Instant::now();
        let fetched =
            source.fetch_with_progress(PaneId::Findings, Utc::now(), FetchOptions::default(), progress).await.unwrap();
        let elapsed = start.elapsed();
        let PaneData::Findings(findings) = fetched.data else { panic!("not findings") };
        assert!(!fetched.warnings.iter().any(|w| w.contains("partial") || w.contains("cap")), "{:?}", fetched.warnings);

        let securityhub: Vec<&str> =
            findings.iter().filter(|f| f.product_arn.is_some()).map(|f| f.id.as_str()).collect();
        let unique: HashSet<&str> = securityhub.iter().copied().collect();
        assert_eq!(unique.len(), securityhub.len(), "a finding loaded twice");
        let expected: HashSet<&str> = expected.iter().map(String::as_str).collect();
        assert_eq!(securityhub.len(), expected.len(), "every finding of the default view");
        assert_eq!(unique, expected, "the same findings as one unpartitioned query");

        let (passed, throttled) = proxy.paced(GET_FINDINGS);
        eprintln!(
            "{} findings ({} from Security Hub) in {elapsed:.2?}: {passed} GetFindings calls, {throttled} throttled",
            findings.len(),
            securityhub.len()
        );
        assert_eq!(throttled, 0, "the proxy throttled {throttled} GetFindings calls");
        assert!(passed >= securityhub.len().div_ceil(100) as u64, "{passed} calls");

        // What was asked: the one label pages oldest first, reads its newest page, and what lies
        // between is split into CreatedAt ranges that chain without a gap, paged side by side.
        let bodies = proxy.bodies(GET_FINDINGS);
        let medium = serde_json::json!([{"Comparison": "EQUALS", "Value": "MEDIUM"}]);
        let firsts: Vec<&serde_json::Value> =
            bodies.iter().filter(|b| b["Filters"]["SeverityLabel"] == medium && b.get("NextToken").is_none()).collect();
        let order = |b: &serde_json::Value| b["SortCriteria"][0].clone();
        assert_eq!(order(firsts[0]), serde_json::json!({"Field": "CreatedAt", "SortOrder": "asc"}), "{:?}", firsts[0]);
        assert!(firsts.iter().any(|b| order(b) == serde_json::json!({"Field": "CreatedAt", "SortOrder": "desc"})));
        let mut ranges: Vec<(String, String)> = firsts
            .iter()
            .filter_map(|b| b["Filters"]["CreatedAt"].get(0))
            .map(|r| (r["Start"].as_str().unwrap().to_string(), r["End"].as_str().unwrap().to_string()))
            .collect();
        ranges.sort();
        assert_eq!(ranges.len(), vigil::source::aws::partitions::SPLIT, "{ranges:?}");
        assert!(ranges.windows(2).all(|w| w[0].1 == w[1].0), "ranges with a gap between them: {ranges:?}");

        // The preview: rows arrived page by page, and together they are the result.
        let chunks = chunks.lock().unwrap();
        assert!(chunks.len() > 10, "{} chunks", chunks.len());
        let previewed: HashSet<&String> = chunks.iter().flatten().collect();
        let identities: Vec<String> = findings.iter().map(|f| f.identity()).collect();
        assert!(identities.iter().all(|i| previewed.contains(i)), "a finding of the result was never reported");
    });
}
