//! The Keys pane against moto (tests/moto/seed_keys.py, region eu-west-2): a key scheduled for
//! deletion and the secrets encrypted with it are one radar row with the deletion date; a customer
//! key without rotation is flagged and the AWS managed key is not; a private CA names the ACM
//! certificates it issued and one expiring soon is on the radar; a one-HSM cluster has no failover;
//! cancelling the deletion through the console leaves the key Disabled (read back through the API)
//! and audited; no secret value is ever in the output.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use serde_json::Value;
use std::process::Command;
use vigil::audit::{AuditLog, Phase, Verdict};
use vigil::model::PaneData;
use vigil::model::key::{KeyState, KmsKey};
use vigil::model::panes::keys::{Action, key_target};
use vigil::model::triage::TriageAction;
use vigil::pane::PaneId;
use vigil::runner::execute::execute;
use vigil::source::aws::{AwsOptions, AwsSource};
use vigil::source::{FetchOptions, Source};

struct Moto {
    endpoint: String,
    expect: Value,
}

fn moto() -> Option<Moto> {
    let endpoint = std::env::var("VIGIL_MOTO_ENDPOINT").ok()?;
    let path = std::env::var("VIGIL_MOTO_EXPECT").ok()?;
    let expect: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    Some(Moto { endpoint, expect: expect["keys"].clone() })
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

fn snapshot(moto: &Moto) -> Value {
    let binary = std::env::var("VIGIL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_vigil").to_string());
    let region = moto.expect["region"].as_str().unwrap();
    let out = Command::new(binary)
        .args(["snapshot", "--format", "json", "--endpoint-url", &moto.endpoint, "--region", region])
        // The radar comes with every pane that says what falls due.
        .args(["--pane", "keys", "--pane", "secrets", "--pane", "certs"])
        .output()
        .expect("run vigil");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for value in moto.expect["values"].as_array().unwrap() {
        assert!(!stdout.contains(value.as_str().unwrap()), "a secret value in the output");
    }
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

fn key<'a>(v: &'a Value, arn: &Value) -> &'a Value {
    v["keys"].as_array().unwrap().iter().find(|k| k["arn"] == *arn).unwrap_or_else(|| panic!("{arn} missing: {v:#}"))
}

fn dependents(key: &Value) -> Vec<String> {
    let mut names: Vec<String> =
        key["dependents"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap().to_string()).collect();
    names.sort();
    names
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

/// One test, in order: what is read first, then the action that changes it.
#[test]
fn aws_keys_read_then_cancel_a_deletion() {
    let moto = require_moto!();
    a_key_deleted_under_its_secrets_is_one_radar_row_and_aws_managed_keys_are_never_flagged(&moto);
    cancelling_the_deletion_leaves_the_key_disabled_and_audited(&moto);
}

fn a_key_deleted_under_its_secrets_is_one_radar_row_and_aws_managed_keys_are_never_flagged(moto: &Moto) {
    let e = &moto.expect;
    let v = snapshot(moto);

    let payments = key(&v, &e["payments"]["arn"]);
    assert_eq!(payments["state"], "pending_deletion");
    assert_eq!(payments["health"], "deletion_in_use");
    assert_eq!(dependents(payments), strings(&e["payments"]["dependents"]), "named by alias and by key ARN");
    let rows: Vec<&Value> =
        v["radar"].as_array().unwrap().iter().filter(|r| r["arn"] == e["payments"]["arn"]).collect();
    assert_eq!(rows.len(), 1, "one radar row for the key and its secrets: {:#}", v["radar"]);
    assert_eq!(rows[0]["due"], "key_deletion_in_use");
    let at = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap().timestamp();
    assert_eq!(at(&rows[0]["at"]), at(&e["payments"]["deletion_date"]), "dated on the key's DeletionDate");
    let days = e["payments"]["deletion_days"].as_i64().unwrap();
    assert!((days - 1..=days).contains(&rows[0]["days_left"].as_i64().unwrap()), "{:#}", rows[0]);
    let breaks = rows[0]["breaks"].as_str().unwrap();
    assert!(breaks.starts_with("2 secrets: ") && breaks.contains("can't be read from"), "{breaks}");
    assert!(
        v["radar"].as_array().unwrap()[0]["arn"] == e["payments"]["arn"],
        "what breaks first comes first: {:#}",
        v["radar"]
    );

    let card = key(&v, &e["card_data"]["arn"]);
    assert_eq!((card["health"].as_str(), card["rotation_enabled"].as_bool()), (Some("rotation_off"), Some(false)));

    let orders = key(&v, &e["orders"]["arn"]);
    assert_eq!(orders["health"], "healthy");
    assert_eq!(orders["rotation_period_days"], e["orders"]["rotation_period_days"]);
    assert!(orders["next_rotation"].is_string(), "{orders:#}");
    assert_eq!(dependents(orders), strings(&e["orders"]["dependents"]));

    let cas = v["private_cas"].as_array().unwrap();
    let ca = |arn: &Value| cas.iter().find(|c| c["arn"] == *arn).unwrap_or_else(|| panic!("{arn}: {cas:#?}"));
    let internal = ca(&e["authorities"]["internal"]["arn"]);
    let issued: Vec<&Value> = internal["issued"].as_array().unwrap().iter().map(|c| &c["arn"]).collect();
    assert_eq!(issued, e["authorities"]["internal"]["issued"].as_array().unwrap().iter().collect::<Vec<_>>());
    assert_eq!((internal["status"].as_str(), internal["expires_soon"].as_bool()), (Some("ACTIVE"), Some(false)));
    let expiring = ca(&e["authorities"]["expiring"]["arn"]);
    assert_eq!(expiring["expires_soon"], true);
    let ca_rows: Vec<&Value> =
        v["radar"].as_array().unwrap().iter().filter(|r| r["arn"] == e["authorities"]["expiring"]["arn"]).collect();
    assert_eq!(ca_rows.len(), 1, "{:#}", v["radar"]);
    assert_eq!(ca_rows[0]["due"], "ca_expires");
    let days = e["authorities"]["expiring"]["days"].as_i64().unwrap();
    assert!((days - 1..=days).contains(&ca_rows[0]["days_left"].as_i64().unwrap()), "{:#}", ca_rows[0]);

    let clusters = v["hsm_clusters"].as_array().unwrap();
    let cluster = clusters.iter().find(|c| c["id"] == e["cluster"]["id"]).unwrap_or_else(|| panic!("{clusters:#?}"));
    assert_eq!(cluster["hsm_zones"], serde_json::json!([e["cluster"]["zone"]]));
    assert_eq!((cluster["no_failover"].as_bool(), cluster["backup_stale"].as_bool()), (Some(true), Some(true)));
    let backup = chrono::DateTime::parse_from_rfc3339(cluster["newest_backup"].as_str().unwrap()).unwrap();
    let age = (chrono::Utc::now() - backup.to_utc()).num_days();
    assert_eq!(age, e["cluster"]["backup_days"].as_i64().unwrap(), "the newest READY backup");

    let managed = key(&v, &e["aws_managed"]["arn"]);
    assert_eq!((managed["manager"].as_str(), managed["health"].as_str()), (Some("aws"), Some("aws_managed")));
    assert_eq!(dependents(managed), strings(&e["aws_managed"]["dependents"]), "no KmsKeyId: the AWS managed key");
}

fn cancelling_the_deletion_leaves_the_key_disabled_and_audited(moto: &Moto) {
    let e = &moto.expect;
    let region = e["region"].as_str().unwrap().to_string();
    common::block_on_big_stack(async {
        let options =
            AwsOptions { region: Some(region), endpoint_url: Some(moto.endpoint.clone()), ..Default::default() };
        let source = AwsSource::connect(&options).await.unwrap();
        let keys = |data: PaneData| -> Vec<KmsKey> {
            match data {
                PaneData::Keys(report) => report.keys,
                other => panic!("not keys: {other:?}"),
            }
        };
        let before = keys(source.fetch(PaneId::Keys, chrono::Utc::now(), FetchOptions::default()).await.unwrap().data);
        let payments = before.iter().find(|k| k.arn == e["payments"]["arn"].as_str().unwrap()).unwrap();
        assert_eq!(payments.state, KeyState::PendingDeletion);

        let dir = std::env::temp_dir().join(format!("vigil-keys-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let audit = AuditLog::new(dir.join("audit.jsonl"));
        let target = key_target(payments, &source.info().context());
        let action = TriageAction::Keys(Action::CancelKeyDeletion);
        let (outcomes, audit_error) = execute(&source, &audit, &source.info(), &action, &[target]).await;
        assert!(audit_error.is_none(), "{audit_error:?}");
        assert!(outcomes.iter().all(|o| o.error.is_none()), "{outcomes:?}");

        let after = keys(source.fetch(PaneId::Keys, chrono::Utc::now(), FetchOptions::default()).await.unwrap().data);
        let payments = after.iter().find(|k| k.arn == e["payments"]["arn"].as_str().unwrap()).unwrap();
        assert_eq!((payments.state, payments.deletion_date), (KeyState::Disabled, None), "KMS brings it back Disabled");

        let (records, bad) = audit.read().unwrap();
        assert!(bad.is_empty());
        assert_eq!(records.iter().map(|r| r.phase).collect::<Vec<_>>(), [Phase::Attempt, Phase::Result]);
        assert_eq!(records[1].result, Some(Verdict::Ok));
        assert!(!records[1].demo, "sent to AWS, not the demo");
        assert!(records[1].targets.iter().any(|t| t.id == e["payments"]["arn"].as_str().unwrap()), "{records:?}");

        // Again: KMS refuses a key that is not pending deletion, and the console refuses it first.
        let again = vigil::model::panes::keys::key_refusal(payments, &Action::CancelKeyDeletion);
        assert!(again.is_some_and(|why| why.starts_with("not scheduled for deletion")));
    });
}
