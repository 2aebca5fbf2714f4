//! An organisation on moto (tests/moto/seed_org.py): a management account with a Security Hub
//! finding aggregator in eu-central-1 linking eu-north-1 and ap-northeast-1, member accounts with
//! a read-only role. Connected in the aggregation region, Vigil says so and reads every linked
//! region's findings with one query; connected in a linked region, it points at the aggregation
//! region.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use std::collections::BTreeSet;
use std::process::Command;
use std::sync::OnceLock;
use vigil::model::PaneData;
use vigil::pane::PaneId;
use vigil::source::aws::{AwsOptions, AwsSource};
use vigil::source::{FetchOptions, LinkedRegions, Source};

const HOME: &str = "eu-central-1";
const LINKED: &str = "eu-north-1";

/// Seeds the organisation once per test binary and returns what the seed made.
fn seed(endpoint: &str) -> &'static serde_json::Value {
    static SEEDED: OnceLock<serde_json::Value> = OnceLock::new();
    SEEDED.get_or_init(|| {
        let python = std::env::var("VIGIL_MOTO_PYTHON").unwrap_or_else(|_| "python3".into());
        let script = format!(
            "import sys, json; sys.path.insert(0, 'tests/moto'); import seed_org; \
             print(json.dumps(seed_org.seed_organization({endpoint:?})))"
        );
        let out = Command::new(python).args(["-c", &script]).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
        assert!(out.status.success(), "seeding the organisation: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    })
}

async fn connect(endpoint: &str, region: &str) -> AwsSource {
    let options = AwsOptions { region: Some(region.into()), endpoint_url: Some(endpoint.into()), ..Default::default() };
    AwsSource::connect(&options).await.unwrap()
}

#[test]
fn aws_org_the_aggregation_region_reads_every_linked_region_in_one_view() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let expect = seed(&endpoint);
    common::runtime().block_on(async {
        let source = connect(&endpoint, HOME).await;
        let aggregation = source.info().aggregation.expect("the aggregator is found");
        assert_eq!(aggregation.region.as_deref(), Some(HOME));
        let linked: Vec<String> =
            expect["aggregator"]["regions"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().into()).collect();
        assert_eq!(aggregation.linked, LinkedRegions::Only(linked));
        assert_eq!(aggregation.describe(), "aggregated: 3 regions");
        assert!(source.notice().is_none());

        let fetched = source.fetch(PaneId::Findings, chrono::Utc::now(), FetchOptions::default()).await.unwrap();
        let PaneData::Findings(findings) = fetched.data else { panic!() };
        let ids: BTreeSet<&str> = findings.iter().map(|f| f.id.as_str()).collect();
        for id in expect["aggregated_finding_ids"].as_array().unwrap() {
            assert!(ids.contains(id.as_str().unwrap()), "{id} is missing from the aggregated view");
        }
        let regions: BTreeSet<&str> = findings.iter().map(|f| &*f.region).collect();
        assert!(regions.is_superset(&BTreeSet::from([HOME, LINKED, "ap-northeast-1"])), "{regions:?}");
    });
}

#[test]
fn aws_org_a_linked_region_points_at_the_aggregation_region() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    seed(&endpoint);
    common::runtime().block_on(async {
        let source = connect(&endpoint, LINKED).await;
        assert!(source.info().aggregation.is_none(), "a linked region's own view is not aggregated");
        let notice = source.notice().expect("a notice");
        assert!(notice.contains(&format!("--region {HOME}")), "{notice}");
    });
}
