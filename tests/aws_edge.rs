//! The Edge pane against moto, seeded by tests/moto/seed_edge.py in AWS's own shapes: Shield
//! Advanced's subscription, protections, group and attacks (one going on), a regional web ACL with
//! Fraud Control ATP and a rate-based rule in front of two load balancers and an API stage, its
//! logging, rate-based blocks, sampled requests and last hour of metrics; then blocking and
//! unblocking addresses in a WAF IP set with its lock token, each attempt in the audit log.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;
use vigil::audit::{AuditLog, Phase, Verdict};
use vigil::model::Placement;
use vigil::model::panes::edge::{Action, EdgeReport, IpSetRef, RuleKind, Scope};
use vigil::model::triage::{Target, TriageAction};
use vigil::pane::PaneId;
use vigil::runner::execute::execute;
use vigil::source::aws::{AwsOptions, AwsSource};
use vigil::source::{FetchOptions, PaneData, Source};

struct Env {
    endpoint: String,
    edge: Value,
}

fn env() -> Option<Env> {
    let endpoint = std::env::var("VIGIL_MOTO_ENDPOINT").ok()?;
    let expect: Value =
        serde_json::from_str(&std::fs::read_to_string(std::env::var("VIGIL_MOTO_EXPECT").ok()?).ok()?).ok()?;
    Some(Env { endpoint, edge: expect["edge"].clone() })
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

impl Env {
    fn at(&self, key: &str) -> String {
        self.edge[key].as_str().unwrap_or_else(|| panic!("the seed's expectations have no edge.{key}")).to_string()
    }

    /// Runs `code` with tests/moto's seed_edge imported as `e` and the endpoint as `endpoint`;
    /// answers what it prints.
    fn python(&self, code: &str) -> String {
        let python = std::env::var("VIGIL_MOTO_PYTHON").unwrap_or_else(|_| "python3".into());
        let script = format!(
            "import sys; sys.path.insert(0, 'tests/moto'); import seed_edge as e; endpoint = {:?}\n{code}",
            self.endpoint
        );
        let out = Command::new(python).args(["-c", &script]).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
        assert!(out.status.success(), "{code}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    async fn connect(&self, block_ip_set: Option<&str>) -> AwsSource {
        let settings: BTreeMap<(PaneId, String), String> =
            block_ip_set.map(|arn| ((PaneId::Edge, "block_ip_set".to_string()), arn.to_string())).into_iter().collect();
        AwsSource::connect(&AwsOptions {
            profile: None,
            region: Some(self.at("region")),
            endpoint_url: Some(self.endpoint.clone()),
            settings,
            ..Default::default()
        })
        .await
        .unwrap()
    }
}

async fn report(source: &AwsSource) -> EdgeReport {
    let fetched = source.fetch(PaneId::Edge, chrono::Utc::now(), FetchOptions::default()).await.unwrap();
    assert!(fetched.warnings.is_empty(), "every edge service answered: {:?}", fetched.warnings);
    let PaneData::Edge(report) = fetched.data else { panic!("not the edge's data") };
    *report
}

#[test]
fn aws_edge_reads_shield_waf_and_the_last_hour_as_aws_answers() {
    let env = require_moto!();
    // The metrics are the last hour's: put them again, the seed may be older than that.
    env.python("e.put_metrics(endpoint)");
    common::block_on_big_stack(async {
        let source = env.connect(Some(&env.at("ip_set_arn"))).await;
        let r = report(&source).await;

        let shield = &r.shield[0];
        assert!(shield.subscribed && shield.auto_renew == Some(true) && shield.proactive_engagement == Some(false));
        assert!(shield.start.is_some() && shield.end > shield.start);
        let ids: Vec<&str> = r.attacks.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, [env.at("ongoing_attack"), env.at("ended_attack")], "the newest attack first");
        let ongoing = &r.attacks[0];
        assert!(ongoing.in_progress() && ongoing.detailed, "{ongoing:?}");
        assert_eq!(ongoing.resource_arn, env.at("alb"));
        assert_eq!(ongoing.vectors, ["REQUEST_FLOOD"]);
        assert_eq!((ongoing.peak.bps, ongoing.peak.rps, ongoing.peak.pps), (Some(9.8e8), Some(48_000.0), None));
        assert_eq!(ongoing.top_contributors[0].name, env.at("attacker"));
        assert_eq!(ongoing.mitigations, ["APPLICATION_LAYER_AUTOMATIC_RESPONSE"]);
        assert!(!r.attacks[1].in_progress() && r.attacks[1].end.is_some());

        let protected: Vec<&str> = r.protections.iter().map(|p| p.resource_arn.as_str()).collect();
        assert_eq!(protected.len(), 2);
        assert!(protected.contains(&env.at("alb").as_str()) && protected.contains(&env.at("cdn").as_str()));
        assert_eq!(r.protection_groups[0].members.len(), 2);

        let acl = r.web_acls.iter().find(|w| w.name == env.at("web_acl")).unwrap();
        assert_eq!(
            (acl.scope, acl.region.as_str(), acl.arn.as_str()),
            (Scope::Regional, "us-east-1", env.at("web_acl_arn").as_str())
        );
        for resource in ["alb", "checkout", "stage"] {
            assert!(acl.resources.contains(&env.at(resource)), "{resource} is behind the web ACL: {:?}", acl.resources);
        }
        assert_eq!(acl.log_destinations, [env.at("log_group")]);
        let rate = acl.rules.iter().find(|w| w.name == "per-ip").unwrap();
        assert_eq!(rate.kind, RuleKind::RateBased { limit: 500, aggregate: "IP".into() });
        assert!(rate.blocked_last_hour.unwrap() >= 40 * 45, "the rule's blocks from its own metric: {rate:?}");
        assert!(acl.traffic.blocked.iter().sum::<u64>() > 0 && acl.traffic.allowed.iter().sum::<u64>() > 0);
        assert_eq!(acl.traffic.blocked.len(), 60, "a minute a bar");
        assert!(acl.fraud_labels["awswaf:managed:aws:atp:signal:credential_compromised"] > 0, "{:?}", acl.fraud_labels);

        let unprotected: Vec<&str> =
            r.entry_points.iter().filter(|e| e.unprotected()).map(|e| e.resource_arn.as_str()).collect();
        assert_eq!(unprotected, [env.at("checkout")], "the API stage is Shield's only through CloudFront");

        let offender = |address: String| {
            r.offenders.iter().find(|o| o.address == address).unwrap_or_else(|| panic!("{address}: {:?}", r.offenders))
        };
        assert!(offender(env.at("attacker")).seen.iter().any(|s| s.starts_with("top contributor")));
        assert!(offender(env.at("rate_blocked")).seen.iter().any(|s| s.contains("rate-based rule per-ip")));
        let sampled = offender(env.at("sampled"));
        assert_eq!((sampled.country.as_deref(), sampled.requests), (Some("NL"), Some(3.0)));
        assert!(!format!("{r:?}").contains(&env.at("cookie")), "a sampled request's headers are never kept");

        let list = r.block_list.as_ref().expect("the configured IP set is read");
        assert_eq!(list.arn, env.at("ip_set_arn"));
        assert_eq!(list.addresses, [env.at("already_blocked")]);
    });
}

#[test]
fn aws_edge_snapshot_shows_the_edge_and_the_configured_block_list() {
    let env = require_moto!();
    let dir = std::env::temp_dir().join(format!("vigil-edge-snapshot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.toml");
    std::fs::write(&config, format!("[panes.edge]\nblock_ip_set = {:?}\n", env.at("ip_set_arn"))).unwrap();
    let binary = std::env::var("VIGIL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_vigil").to_string());
    let out = Command::new(binary)
        .args(["snapshot", "--pane", "edge", "--endpoint-url", &env.endpoint, "--region", &env.at("region")])
        .env("VIGIL_CONFIG", &config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains(&env.at("cookie")), "a sampled request's headers are never written");
    let json: Value = serde_json::from_str(&text).unwrap();
    let edge = &json["edge"];
    assert_eq!(edge["shield"][0]["subscribed"], true);
    assert_eq!(edge["attacks"][0]["in_progress"], true);
    assert_eq!(edge["attacks"][0]["top_contributors"][0]["name"], env.at("attacker").as_str());
    assert_eq!(edge["web_acls"][0]["name"], env.at("web_acl").as_str());
    assert_eq!(edge["web_acls"][0]["fraud_control"], serde_json::json!(["ATP"]));
    assert_eq!(edge["web_acls"][0]["blocked_per_minute"].as_array().unwrap().len(), 60);
    assert_eq!(edge["unprotected"].as_array().unwrap().len(), 1);
    assert_eq!(edge["unprotected"][0]["resource_arn"], env.at("checkout").as_str());
    assert_eq!(edge["block_list"]["arn"], env.at("ip_set_arn").as_str());
    assert_eq!(edge["block_list"]["addresses"], serde_json::json!([env.at("already_blocked")]));
    assert_eq!(json["errors"], serde_json::json!({}));
    let _ = std::fs::remove_dir_all(&dir);
}

fn audit_log(name: &str) -> AuditLog {
    let dir = std::env::temp_dir().join(format!("vigil-edge-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    AuditLog::new(dir.join("audit.jsonl"))
}

fn address_target(address: &str) -> Target {
    Target {
        likeness: None,
        id: vigil::model::panes::edge::as_cidr(address),
        label: address.into(),
        placement: Placement { account: "123456789012".into(), region: "us-east-1".into() },
        product_arn: None,
        guardduty: None,
        ocsf_uid: None,
        user: None,
    }
}

#[test]
fn aws_edge_blocks_and_unblocks_addresses_in_the_ip_set_with_its_lock_token() {
    let env = require_moto!();
    let arn = env.python(&format!("print(e.ip_set(endpoint, 'block-{}', ['192.0.2.250/32']))", std::process::id()));
    let addresses = || env.python(&format!("print(' '.join(e.ip_set_addresses(endpoint, {arn:?})))"));
    common::block_on_big_stack(async {
        let source = env.connect(Some(&arn)).await;
        let ip_set = IpSetRef::from_arn(&arn);
        assert!(ip_set.is_some());
        let targets = [address_target(&env.at("attacker")), address_target(&env.at("sampled"))];

        let block = TriageAction::Edge(Action::BlockAddresses { ip_set: ip_set.clone() });
        let audit = audit_log("block");
        let (outcomes, audit_error) = execute(&source, &audit, &source.info(), &block, &targets).await;
        assert!(audit_error.is_none() && outcomes.iter().all(|o| o.error.is_none()), "{outcomes:?}");
        assert_eq!(addresses(), "192.0.2.250/32 192.0.2.44/32 198.51.100.5/32", "added beside what was there");
        let r = report(&source).await;
        assert!(
            r.offenders.iter().filter(|o| o.address == env.at("attacker")).all(|o| o.blocked),
            "read back as blocked"
        );

        let (records, bad) = audit.read().unwrap();
        assert!(bad.is_empty());
        assert_eq!(records.iter().map(|r| r.phase).collect::<Vec<_>>(), [Phase::Attempt, Phase::Result]);
        assert_eq!(records[1].result, Some(Verdict::Ok));
        assert!(records[0].action.contains(&format!("block-{}", std::process::id())), "{}", records[0].action);
        assert_eq!(
            records[1].targets.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["198.51.100.5/32", "192.0.2.44/32"]
        );

        // Twice is once: the set holds each address a single time.
        let (outcomes, _) = execute(&source, &audit, &source.info(), &block, &targets[..1]).await;
        assert!(outcomes[0].error.is_none());
        assert_eq!(addresses(), "192.0.2.250/32 192.0.2.44/32 198.51.100.5/32");

        let unblock = TriageAction::Edge(Action::UnblockAddresses { ip_set: ip_set.clone() });
        let (outcomes, _) = execute(&source, &audit, &source.info(), &unblock, &targets).await;
        assert!(outcomes.iter().all(|o| o.error.is_none()), "{outcomes:?}");
        assert_eq!(addresses(), "192.0.2.250/32", "what Vigil did not add stays");
    });
}

#[test]
fn aws_edge_block_fails_visibly_without_an_ip_set_or_with_a_missing_one() {
    let env = require_moto!();
    common::block_on_big_stack(async {
        let source = env.connect(None).await;
        let targets = [address_target("198.51.100.77")];
        let audit = audit_log("refused");
        let action = TriageAction::Edge(Action::BlockAddresses { ip_set: None });
        let (outcomes, _) = execute(&source, &audit, &source.info(), &action, &targets).await;
        assert!(outcomes[0].error.as_deref().unwrap().contains("[panes.edge] block_ip_set"), "{outcomes:?}");

        let gone = "arn:aws:wafv2:us-east-1:123456789012:regional/ipset/gone/00000000-0000-4000-8000-000000000000";
        let action = TriageAction::Edge(Action::BlockAddresses { ip_set: IpSetRef::from_arn(gone) });
        let (outcomes, _) = execute(&source, &audit, &source.info(), &action, &targets).await;
        let error = outcomes[0].error.as_deref().unwrap();
        assert!(error.contains("GetIPSet") && error.contains("WAFNonexistentItemException"), "{error}");

        let (records, _) = audit.read().unwrap();
        let verdicts: Vec<_> = records.iter().filter(|r| r.phase == Phase::Result).map(|r| r.result).collect();
        assert_eq!(verdicts, [Some(Verdict::Failed), Some(Verdict::Failed)], "each failure is in the audit log");
    });
}
