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
use vigil::source::aws::organisation::MemberRole;
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

async fn connect_with_members(endpoint: &str, region: &str) -> AwsSource {
    let member_role = MemberRole { name: "VigilReadOnly".into(), external_id: None, accounts_in_flight: 2 };
    let options = AwsOptions {
        region: Some(region.into()),
        endpoint_url: Some(endpoint.into()),
        member_role: Some(member_role),
        ..Default::default()
    };
    AwsSource::connect(&options).await.unwrap()
}

/// Every account's certificates and secrets in `region`, from the seed's expectations.
fn expected_in(expect: &serde_json::Value, kind: &str, region: &str, field: Option<&str>) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for (_, regions) in expect[kind].as_object().unwrap() {
        for item in regions[region].as_array().unwrap() {
            let value = match field {
                Some(field) => &item[field],
                None => item,
            };
            all.insert(value.as_str().unwrap().to_string());
        }
    }
    all
}

#[test]
fn aws_org_member_accounts_resources_are_read_through_the_member_role() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    let expect = seed(&endpoint);
    common::runtime().block_on(async {
        let source = connect_with_members(&endpoint, HOME).await;
        let info = source.info();
        // Organizations ListAccounts names every member.
        for account in expect["accounts"].as_array().unwrap().iter().skip(1) {
            let id = account["id"].as_str().unwrap();
            assert_eq!(info.account_names.name(id), account["name"].as_str(), "{id}");
        }
        assert_eq!(source.members().len(), expect["accounts"].as_array().unwrap().len() - 1);

        let now = chrono::Utc::now();
        let fetched = source.fetch(PaneId::Certificates, now, FetchOptions::default()).await.unwrap();
        let PaneData::Certificates(certificates) = fetched.data else { panic!() };
        let domains: BTreeSet<String> = certificates.iter().map(|c| c.domain.clone()).collect();
        let want = expected_in(expect, "certificates", HOME, Some("domain"));
        assert!(domains.is_superset(&want), "missing {:?}", want.difference(&domains).collect::<Vec<_>>());
        let accounts: BTreeSet<&str> = certificates.iter().map(|c| c.arn.split(':').nth(4).unwrap()).collect();
        assert_eq!(accounts.len(), expect["accounts"].as_array().unwrap().len(), "{accounts:?}");

        let fetched = source.fetch(PaneId::Secrets, now, FetchOptions::default()).await.unwrap();
        let PaneData::Secrets(secrets) = fetched.data else { panic!() };
        let names: BTreeSet<String> = secrets.iter().map(|s| s.name.clone()).collect();
        let want = expected_in(expect, "secrets", HOME, None);
        assert!(names.is_superset(&want), "missing {:?}", want.difference(&names).collect::<Vec<_>>());
    });
}
