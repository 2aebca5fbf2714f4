//! Late findings and a service that is not enabled, against moto: a finding that reaches Security
//! Hub ten minutes after its `UpdatedAt` appears on the next (delta) refresh, once; and GuardDuty
//! being absent from the region does not turn every refresh into a full load.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use aws_sdk_securityhub::types::{AwsSecurityFinding, RecordState, Resource, Severity, Workflow, WorkflowStatus};
use chrono::{Duration, SecondsFormat, Utc};
use vigil::model::PaneData;
use vigil::pane::PaneId;
use vigil::source::aws::{AwsOptions, AwsSource};
use vigil::source::{FetchOptions, Source};

/// A region of its own: nothing else imports findings here.
const REGION: &str = "sa-east-1";
const ACCOUNT: &str = "123456789012";

fn finding(id: &str, title: &str, updated: chrono::DateTime<Utc>) -> AwsSecurityFinding {
    let at = updated.to_rfc3339_opts(SecondsFormat::Millis, true);
    AwsSecurityFinding::builder()
        .schema_version("2018-10-08")
        .id(id)
        .product_arn(format!("arn:aws:securityhub:{REGION}:{ACCOUNT}:product/{ACCOUNT}/default"))
        .generator_id("vigil-test")
        .aws_account_id(ACCOUNT)
        .types("Software and Configuration Checks")
        .created_at(&at)
        .updated_at(&at)
        .severity(Severity::builder().label("HIGH".into()).normalized(70).build())
        .record_state(RecordState::Active)
        .workflow(Workflow::builder().status(WorkflowStatus::New).build())
        .title(title)
        .description(title)
        .resources(Resource::builder().r#type("Other").id("arn:aws:s3:::late-bucket").build())
        .build()
}

#[test]
fn aws_delta_sees_a_late_finding_once_and_works_without_guardduty() {
    let Some(endpoint) = common::moto_endpoint() else {
        return;
    };
    common::block_on_big_stack(async {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(REGION))
            .endpoint_url(&endpoint)
            .load()
            .await;
        let hub = aws_sdk_securityhub::Client::new(&config);
        let _ = hub.enable_security_hub().enable_default_standards(false).send().await;
        let now = Utc::now();
        hub.batch_import_findings().findings(finding("delta-first", "On time", now)).send().await.unwrap();

        let options =
            AwsOptions { region: Some(REGION.into()), endpoint_url: Some(endpoint.clone()), ..Default::default() };
        let source = AwsSource::connect(&options).await.unwrap();
        let titles = |data: PaneData| -> Vec<String> {
            let PaneData::Findings(list) = data else { panic!() };
            list.into_iter().map(|f| f.title.to_string()).collect()
        };

        let full = source.fetch(PaneId::Findings, Utc::now(), FetchOptions::default()).await.unwrap();
        assert_eq!(full.resynced_at, None, "the first load is a full one");
        assert!(
            full.warnings.iter().any(|w| w.contains("GuardDuty") && w.contains("not enabled")),
            "{:?}",
            full.warnings
        );
        assert_eq!(titles(full.data), vec!["On time"]);

        // Arrives now, stamped ten minutes ago: a provider that batches.
        let late = Utc::now() - Duration::minutes(10);
        hub.batch_import_findings().findings(finding("delta-late", "Late", late)).send().await.unwrap();

        let delta = source.fetch(PaneId::Findings, Utc::now(), FetchOptions::default()).await.unwrap();
        assert!(delta.resynced_at.is_some(), "GuardDuty being absent still allows a delta refresh");
        assert!(delta.warnings.iter().any(|w| w.contains("GuardDuty")), "the absence is still said");
        let mut seen = titles(delta.data);
        seen.sort();
        assert_eq!(seen, vec!["Late", "On time"], "the late finding is on the next refresh");

        let again = source.fetch(PaneId::Findings, Utc::now(), FetchOptions::default()).await.unwrap();
        let PaneData::Findings(before) = again.data.clone() else { panic!() };
        let seen = titles(again.data);
        assert_eq!(seen.iter().filter(|t| *t == "Late").count(), 1, "returned twice by the look-back, shown once");

        // Nothing changed: the same records come back (shared, not merged anew into copies).
        let quiet = source.fetch(PaneId::Findings, Utc::now(), FetchOptions::default()).await.unwrap();
        let PaneData::Findings(after) = quiet.data else { panic!() };
        assert_eq!(after.len(), before.len());
        assert!(
            after.iter().all(|f| before.iter().any(|b| std::sync::Arc::ptr_eq(b, f))),
            "an idle delta copies no record"
        );
        // A change still shows: the changed finding anew, the others as they were.
        hub.batch_import_findings().findings(finding("delta-first", "Renamed", Utc::now())).send().await.unwrap();
        let changed = source.fetch(PaneId::Findings, Utc::now(), FetchOptions::default()).await.unwrap();
        let mut seen = titles(changed.data);
        seen.sort();
        assert_eq!(seen, vec!["Late", "Renamed"]);
    });
}
