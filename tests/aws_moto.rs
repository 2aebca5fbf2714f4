//! The AWS backend against moto (started and seeded by tests/run): every pane shows exactly what was
//! seeded through the AWS APIs, and a region where nothing is set up says "not enabled" instead of
//! failing. Skipped, with a note, when run outside tests/run.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use serde_json::Value;
use std::process::Command;

struct Moto {
    endpoint: String,
    expect: Value,
}

fn moto() -> Option<Moto> {
    let endpoint = std::env::var("VIGIL_MOTO_ENDPOINT").ok()?;
    let path = std::env::var("VIGIL_MOTO_EXPECT").ok()?;
    let expect = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    Some(Moto { endpoint, expect })
}

macro_rules! require_moto {
    () => {
        match moto() {
            Some(m) => m,
            None => {
                common::skip_or_fail(
                    "VIGIL_MOTO_ENDPOINT or VIGIL_MOTO_EXPECT is not set: run tests/run to test against moto",
                );
                return;
            }
        }
    };
}

fn binary() -> String {
    std::env::var("VIGIL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_vigil").to_string())
}

fn snapshot(moto: &Moto, args: &[&str]) -> (i32, Value, String) {
    let out = Command::new(binary())
        .args(["snapshot", "--format", "json", "--endpoint-url", &moto.endpoint])
        .args(args)
        .output()
        .expect("run vigil");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    (out.status.code().unwrap_or(-1), json, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

#[test]
fn aws_header_is_the_real_caller_identity() {
    let moto = require_moto!();
    let (code, v, stderr) = snapshot(&moto, &["--pane", "secrets"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["source"]["kind"], "aws");
    assert_eq!(v["source"]["account"], moto.expect["account"]);
    assert_eq!(v["source"]["region"], "us-east-1");
    assert!(v["source"]["principal"].as_str().unwrap().starts_with("arn:aws:"));
}

#[test]
fn aws_findings_are_merged_deduplicated_and_open_only() {
    let moto = require_moto!();
    let e = &moto.expect["findings"];
    let (code, v, stderr) = snapshot(&moto, &["--pane", "findings"]);
    assert_eq!(code, 0, "{stderr}");
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len() as u64, e["open_count"].as_u64().unwrap(), "{findings:#?}");
    let by_id = |id: &str| findings.iter().find(|f| f["id"] == id);
    for id in strings(&e["deduplicated_ids"]) {
        let f = by_id(&id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(f["sources"], serde_json::json!(["guardduty", "securityhub"]), "{f}");
        assert_eq!(f["product"], "guardduty");
        assert_eq!(findings.iter().filter(|g| g["guardduty_id"] == f["guardduty_id"]).count(), 1, "shown once");
    }
    for id in strings(&e["guardduty_only_ids"]) {
        assert_eq!(by_id(&id).unwrap_or_else(|| panic!("{id} missing"))["sources"], serde_json::json!(["guardduty"]));
    }
    assert!(by_id(e["archived_guardduty_id"].as_str().unwrap()).is_none(), "archived GuardDuty finding hidden");
    for title in strings(&e["hidden_titles"]) {
        assert!(findings.iter().all(|f| f["title"] != title.as_str()), "{title} should be hidden");
    }
    for (product, count) in e["products"].as_object().unwrap() {
        let n = findings.iter().filter(|f| f["product"] == product.as_str()).count() as u64;
        assert_eq!(n, count.as_u64().unwrap(), "{product}");
    }
    let ssh = findings.iter().find(|f| f["finding_type"] == "UnauthorizedAccess:EC2/SSHBruteForce").unwrap();
    assert_eq!(ssh["workflow_status"], "NOTIFIED", "Security Hub's workflow wins in the merge");
    assert_eq!(ssh["severity"], "LOW");
}

#[test]
fn aws_all_findings_include_resolved_suppressed_and_archived() {
    let moto = require_moto!();
    let (code, v, _) = snapshot(&moto, &["--pane", "findings", "--all"]);
    assert_eq!(code, 0);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len() as u64, moto.expect["findings"]["all_count"].as_u64().unwrap());
    assert!(findings.iter().any(|f| f["record_state"] == "ARCHIVED"));
    assert!(findings.iter().any(|f| f["workflow_status"] == "SUPPRESSED"));
}

#[test]
fn aws_certificates_of_every_kind_with_days_to_expiry() {
    let moto = require_moto!();
    let e = &moto.expect["certificates"];
    let (code, v, _) = snapshot(&moto, &["--pane", "certs"]);
    assert_eq!(code, 0);
    let certs = v["certificates"].as_array().unwrap();
    assert_eq!(certs.len() as u64, e["count"].as_u64().unwrap());
    let by_arn = |arn: &Value| certs.iter().find(|c| c["arn"] == *arn).unwrap();
    let soon = by_arn(&e["expiring_soon"]["arn"]);
    assert_eq!(soon["days_to_expiry"], e["expiring_soon"]["days"]);
    assert_eq!(soon["kind"], "IMPORTED");
    assert_eq!(soon["health"], "expiring");
    assert_eq!(soon["domain"], "checkout.shop.example.com");
    assert_eq!(by_arn(&e["imported_later"]["arn"])["days_to_expiry"], e["imported_later"]["days"]);
    let requested = by_arn(&e["requested"]["arn"]);
    assert_eq!(requested["kind"], "AMAZON_ISSUED");
    assert_eq!(requested["status"], "PENDING_VALIDATION");
    assert_eq!(requested["health"], "pending_validation");
}

#[test]
fn aws_secrets_show_rotation_status_and_never_a_value() {
    let moto = require_moto!();
    let e = &moto.expect["secrets"];
    let out = Command::new(binary())
        .args(["snapshot", "--format", "json", "--pane", "secrets", "--endpoint-url", &moto.endpoint])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for value in strings(&e["values"]) {
        assert!(!text.contains(&value), "a secret value reached the output");
    }
    let v: Value = serde_json::from_str(&text).unwrap();
    let secrets = v["secrets"].as_array().unwrap();
    assert_eq!(secrets.len() as u64, e["count"].as_u64().unwrap());
    for (name, status) in e["status"].as_object().unwrap() {
        let s = secrets.iter().find(|s| s["name"] == name.as_str()).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(s["rotation_status"], *status, "{name}");
    }
}

#[test]
fn aws_users_anomalies_with_pii_masked_until_asked() {
    let moto = require_moto!();
    let e = &moto.expect["users"];
    let (code, v, _) = snapshot(&moto, &["--pane", "users"]);
    assert_eq!(code, 0);
    let pools = v["users"]["pools"].as_array().unwrap();
    for (name, mode) in e["pools"].as_object().unwrap() {
        let pool = pools.iter().find(|p| p["pool_name"] == name.as_str()).unwrap();
        assert_eq!(pool["threat_protection"], *mode, "{name}");
    }
    let anomalies = v["users"]["anomalies"].as_array().unwrap();
    for (kind, who) in e["anomalies"].as_object().unwrap() {
        for name in strings(who) {
            let found = anomalies.iter().any(|a| {
                a["kind"] == kind.as_str() && (a["username"] == name.as_str() || a["pool_name"] == name.as_str())
            });
            assert!(found, "{kind} for {name} missing: {anomalies:#?}");
        }
    }
    let cluster = e["cluster"].as_str().unwrap();
    assert!(
        anomalies.iter().any(|a| a["kind"] == "sign_up_cluster" && a["detail"].as_str().unwrap().starts_with(cluster)),
        "{cluster}: {anomalies:#?}"
    );
    for (name, count) in e["signups_last_hour"].as_object().unwrap() {
        let pool = pools.iter().find(|p| p["pool_name"] == name.as_str()).unwrap();
        assert_eq!(pool["signups"]["last_window"], *count, "{name}");
    }
    for (name, from) in e["counted_from"].as_object().unwrap() {
        let pool = pools.iter().find(|p| p["pool_name"] == name.as_str()).unwrap();
        assert_eq!(pool["counted_from"], *from, "{name}");
    }
    let customers = pools.iter().find(|p| p["pool_name"] == "shop-customers").unwrap();
    assert_eq!(customers["sign_ins"], e["sign_ins"], "CloudWatch's counts, summed over app clients");
    for kind in ["failed_sign_in_surge", "risky_sign_ins"] {
        let row = anomalies.iter().find(|a| a["kind"] == kind).unwrap_or_else(|| panic!("no {kind}: {anomalies:#?}"));
        assert_eq!(row["detail"], e[kind], "{kind}");
        assert_eq!(row["pool_name"], "shop-customers");
    }
    let fresh = e["fresh_unconfirmed_not_flagged"].as_str().unwrap();
    assert!(anomalies.iter().all(|a| a["username"] != fresh), "a user invited today is not stuck");
    let text = v.to_string();
    for email in strings(&e["emails"]) {
        assert!(!text.contains(&email), "{email} shown unmasked");
    }
    let (_, revealed, _) = snapshot(&moto, &["--pane", "users", "--reveal-pii"]);
    for email in strings(&e["emails"]) {
        assert!(revealed.to_string().contains(&email), "{email} not revealed");
    }
}

#[test]
fn aws_compliance_scores_are_computed_as_security_hub_does() {
    let moto = require_moto!();
    let e = &moto.expect["compliance"];
    let (code, v, stderr) = snapshot(&moto, &["--pane", "compliance"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["compliance"]["summary_score"], e["summary_score"]);
    let standards = v["compliance"]["standards"].as_array().unwrap();
    assert_eq!(standards.len(), 2);
    for (name, want) in e["standards"].as_object().unwrap() {
        let s = standards.iter().find(|s| s["name"] == name.as_str()).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(s["score"], want["score"], "{name}");
        for (status, key) in
            [("failed", "failed"), ("unknown", "unknown"), ("passed", "passed"), ("disabled", "disabled")]
        {
            let mut got: Vec<String> = s["controls"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["status"] == status)
                .map(|c| c["id"].as_str().unwrap().to_string())
                .collect();
            got.sort();
            let mut want_ids = strings(&want[key]);
            want_ids.sort();
            assert_eq!(got, want_ids, "{name} {status}");
        }
    }
    let fsbp = standards.iter().find(|s| s["name"].as_str().unwrap().contains("Foundational")).unwrap();
    let s3 = fsbp["controls"].as_array().unwrap().iter().find(|c| c["id"] == "S3.1").unwrap();
    assert_eq!(s3["failed_resources"], e["s3_1_failed_resources"]);
}

#[test]
fn aws_region_without_services_says_not_enabled() {
    let moto = require_moto!();
    let (code, v, stderr) = snapshot(&moto, &["--region", "us-west-2"]);
    assert_eq!(code, 3, "a source failed: exit 3");
    let findings_error = v["errors"]["findings"].as_str().unwrap();
    assert!(findings_error.contains("not enabled") && findings_error.contains("GuardDuty"), "{findings_error}");
    let compliance_error = v["errors"]["compliance"].as_str().unwrap();
    assert!(compliance_error.contains("Security Hub not enabled"), "{compliance_error}");
    assert!(stderr.contains("not enabled"));
    assert_eq!(v["certificates"].as_array().map(Vec::len), Some(0), "other panes keep working");
    assert_eq!(v["secrets"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["users"]["pools"].as_array().map(Vec::len), Some(0));
}

#[test]
fn aws_unreachable_endpoint_is_an_error_not_a_hang() {
    let out = Command::new(binary())
        .args(["snapshot", "--endpoint-url", "http://127.0.0.1:9", "--pane", "secrets"])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_MAX_ATTEMPTS", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot reach the endpoint"), "{stderr}");
}
