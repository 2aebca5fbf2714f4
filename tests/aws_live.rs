//! The live feed against moto (region ap-south-1, which no other test uses): `vigil live setup`'s
//! calls make the rule and queue, a BatchImportFindings reaches the console's feed as a finding
//! mapped as a poll maps it, a message that is not a findings event is counted, and teardown
//! removes both.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use vigil::model::live::{LiveSettings, SetupPlan};
use vigil::source::Source;
use vigil::source::aws::{AwsOptions, AwsSource};

const REGION: &str = "ap-south-1";

#[test]
fn setup_makes_a_feed_that_brings_imported_findings_and_teardown_removes_it() {
    let Ok(endpoint) = std::env::var("VIGIL_MOTO_ENDPOINT") else {
        assert!(std::env::var_os("CI").is_none(), "CI runs the AWS tests: VIGIL_MOTO_ENDPOINT must be set");
        return;
    };
    common::block_on_big_stack(async move {
        let options = AwsOptions { region: Some(REGION.into()), endpoint_url: Some(endpoint), ..Default::default() };
        let source = AwsSource::connect(&options).await.unwrap();
        let settings = LiveSettings { name: "aws-test".into(), ..LiveSettings::default() };
        let plan = SetupPlan::new(&settings);
        vigil::source::aws::live::teardown(&source, &plan).await;

        let missing = source.live_feed(&settings).await.err().unwrap();
        assert_eq!(missing.short, "no queue", "{}", missing.why);

        let steps = vigil::source::aws::live::setup(&source, &plan).await;
        assert!(steps.iter().all(|s| s.result.is_ok()), "{steps:?}");
        assert_eq!(steps.len(), 4);
        let feed = source.live_feed(&settings).await.unwrap();
        assert_eq!(feed.name(), "vigil-live-aws-test");

        let securityhub = aws_sdk_securityhub::Client::new(&aws_config_for(&options).await);
        let _ = securityhub.enable_security_hub().send().await;
        let finding = aws_sdk_securityhub::types::AwsSecurityFinding::builder()
            .schema_version("2018-10-08")
            .id("live-1")
            .product_arn(format!("arn:aws:securityhub:{REGION}:123456789012:product/123456789012/default"))
            .generator_id("vigil-test")
            .aws_account_id("123456789012")
            .types("Software and Configuration Checks")
            .created_at("2026-12-07T10:00:00.000Z")
            .updated_at("2026-12-07T10:00:00.000Z")
            .severity(aws_sdk_securityhub::types::Severity::builder().label("CRITICAL".into()).build())
            .title("live \u{1b}[31mfinding")
            .description("d")
            .resources(aws_sdk_securityhub::types::Resource::builder().r#type("Other").id("resource-1").build())
            .build();
        securityhub.batch_import_findings().findings(finding).send().await.unwrap();

        let sqs = aws_sdk_sqs::Client::new(&aws_config_for(&options).await);
        let url = sqs.get_queue_url().queue_name(&plan.queue).send().await.unwrap().queue_url().unwrap().to_string();
        sqs.send_message().queue_url(&url).message_body("{\"detail-type\": 7}").send().await.unwrap();

        let mut findings = Vec::new();
        let mut malformed = Vec::new();
        while findings.is_empty() || malformed.is_empty() {
            let received = feed.receive(vigil::source::live::LONG_POLL_SECONDS).await.unwrap();
            assert!(!received.is_empty(), "the events were in the queue");
            findings.extend(received.findings);
            malformed.extend(received.malformed);
            feed.delete(received.receipts).await.unwrap();
        }
        let [finding] = findings.as_slice() else { panic!("{findings:?}") };
        assert_eq!((finding.id.as_str(), finding.severity), ("live-1", vigil::model::SeverityLabel::Critical));
        assert_eq!(finding.resource.as_ref(), "resource-1");
        assert_eq!(finding.region.as_ref(), REGION);
        assert_eq!(malformed, ["no detail object"]);

        let steps = vigil::source::aws::live::teardown(&source, &plan).await;
        assert!(steps.iter().all(|s| s.result.is_ok()), "{steps:?}");
        assert_eq!(source.live_feed(&settings).await.err().unwrap().short, "no queue");
    });
}

async fn aws_config_for(options: &AwsOptions) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(options.region.clone().unwrap()))
        .endpoint_url(options.endpoint_url.clone().unwrap())
        .load()
        .await
}

/// `vigil live setup` and `teardown` as a person runs them: the plan printed line by line, nothing
/// made without --apply, read-only refused, no --yes and no terminal means nothing done, and what
/// was made audited.
#[test]
fn the_live_commands_show_ask_refuse_make_audit_and_remove() {
    let Ok(endpoint) = std::env::var("VIGIL_MOTO_ENDPOINT") else {
        assert!(std::env::var_os("CI").is_none(), "CI runs the AWS tests: VIGIL_MOTO_ENDPOINT must be set");
        return;
    };
    let home = std::env::temp_dir().join(format!("vigil-live-cli-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let config = home.join("config.toml");
    std::fs::write(&config, "[live]\nname = \"cli-test\"\n").unwrap();
    let vigil = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigil"))
            .args(["--config", config.to_str().unwrap(), "--endpoint-url", &endpoint, "--region", REGION])
            .args(args)
            .env("HOME", &home)
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.code().unwrap_or(-1), text)
    };
    let (code, shown) = vigil(&["live", "setup"]);
    assert_eq!(code, 0, "{shown}");
    let lines: Vec<&str> = shown.lines().collect();
    assert!(lines[0].starts_with("In account 123456789012, region ap-south-1:"), "{shown}");
    assert!(lines.iter().any(|l| l.starts_with("  EventBridge rule vigil-live-cli-test")), "{shown}");
    assert!(shown.contains("Nothing made"), "{shown}");

    let (code, said) = vigil(&["--read-only", "live", "setup", "--apply", "--yes"]);
    assert_eq!(code, 2, "{said}");
    assert!(said.contains("read-only"), "{said}");
    let (code, said) = vigil(&["live", "setup", "--apply"]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("pass --yes") && said.contains("Nothing done."), "{said}");

    let (code, said) = vigil(&["live", "setup", "--apply", "--yes"]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("Done."), "{said}");
    let (code, audit) = vigil(&["audit", "--format", "json"]);
    assert_eq!(code, 0, "{audit}");
    let records: Vec<serde_json::Value> = audit.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert_eq!(records.len(), 2, "an attempt and a result: {audit}");
    assert!(records.iter().any(|r| r["result"] == "ok"), "{audit}");

    let (code, said) = vigil(&["live", "teardown", "--yes"]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("queue: deleted"), "{said}");
    let _ = std::fs::remove_dir_all(&home);
}
