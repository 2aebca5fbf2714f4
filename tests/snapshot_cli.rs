//! `vigil snapshot`: the headless surface scripts read. Checks the JSON contract documented in
//! docs/snapshot-format.md and the table output.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

use std::process::Command;

fn binary() -> String {
    std::env::var("VIGIL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_vigil").to_string())
}

fn snapshot(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(binary()).arg("snapshot").args(args).output();
    let Ok(out) = out else { panic!("cannot run {}", binary()) };
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> serde_json::Value {
    let (code, stdout, stderr) = snapshot(args);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

#[test]
fn json_has_one_key_per_pane_and_the_documented_fields() {
    let v = json(&["--demo", "--format", "json"]);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["source"]["kind"], "demo");
    assert_eq!(v["source"]["account"], "482913570246");
    assert_eq!(v["source"]["region"], "us-east-1");
    let findings = v["findings"].as_array().map(Vec::as_slice).unwrap_or_default();
    assert!(findings.len() > 100);
    for f in findings {
        for key in ["id", "severity", "title", "resource", "product", "workflow_status", "sources"] {
            assert!(!f[key].is_null(), "finding lacks {key}: {f}");
        }
        assert!(
            ["NEW", "NOTIFIED"].contains(&f["workflow_status"].as_str().unwrap_or_default()),
            "open only by default"
        );
    }
    assert!(
        findings.iter().any(|f| f["sources"] == serde_json::json!(["guardduty", "securityhub"])),
        "deduplicated findings carry both sources"
    );
    assert!(findings.iter().any(|f| f["product"] == "inspector"));
    for c in v["certificates"].as_array().map(Vec::as_slice).unwrap_or_default() {
        assert!(c["arn"].is_string() && c["domain"].is_string() && c.get("days_to_expiry").is_some(), "{c}");
    }
    for s in v["secrets"].as_array().map(Vec::as_slice).unwrap_or_default() {
        assert!(s["name"].is_string() && s["rotation_status"].is_string(), "{s}");
        assert!(s.get("value").is_none() && s.get("secret_string").is_none());
    }
    let standards = v["compliance"]["standards"].as_array().map(Vec::as_slice).unwrap_or_default();
    assert_eq!(standards.len(), 3);
    for s in standards {
        let score = s["score"].as_u64().unwrap_or(999);
        assert!(s["name"].is_string() && score <= 100, "{s}");
    }
    assert_eq!(v["users"]["pii_masked"], true);
    for a in v["users"]["anomalies"].as_array().map(Vec::as_slice).unwrap_or_default() {
        if let Some(email) = a["email"].as_str() {
            assert!(email.contains("***@"), "masked: {email}");
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_account() {
    let a = json(&["--demo", "--seed", "11", "--pane", "certs"]);
    let b = json(&["--demo", "--seed", "11", "--pane", "certs"]);
    assert_eq!(a["certificates"], b["certificates"]);
    assert!(a.get("findings").is_none(), "only the requested pane");
}

#[test]
fn all_includes_resolved_findings_and_reveal_shows_pii() {
    let open = json(&["--demo", "--pane", "findings"]);
    let all = json(&["--demo", "--pane", "findings", "--all"]);
    let count = |v: &serde_json::Value| v["findings"].as_array().map(Vec::len).unwrap_or(0);
    assert!(count(&all) > count(&open));
    let users = json(&["--demo", "--pane", "users", "--reveal-pii"]);
    assert_eq!(users["users"]["pii_masked"], false);
}

#[test]
fn table_format_prints_every_pane_sanitised() {
    let (code, stdout, _) = snapshot(&["--demo", "--format", "table", "--scale", "2000"]);
    assert_eq!(code, 0);
    for heading in
        ["== Findings (", "== Certificates (", "== Secrets (", "== Users (", "== Compliance (", "Security score"]
    {
        assert!(stdout.contains(heading), "missing {heading}");
    }
    assert!(!stdout.contains('\u{1b}'), "no escape sequences in table output");
}

#[test]
fn exit_codes_gate_on_min_severity() {
    let (code, stdout, _) =
        snapshot(&["--demo", "--format", "json", "--pane", "findings", "--min-severity", "critical"]);
    assert_eq!(code, 1, "critical findings exist: exit 1");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(v["findings"].as_array().unwrap().iter().all(|f| f["severity"] == "CRITICAL"));
    let (code, _, _) =
        snapshot(&["--demo", "--pane", "findings", "--min-severity", "high", "--filter", "no-such-words-anywhere"]);
    assert_eq!(code, 0, "nothing at or above the threshold: exit 0");
    let (code, _, _) = snapshot(&["--demo", "--pane", "certs"]);
    assert_eq!(code, 0, "no threshold, no gate");
    let (code, _, stderr) = snapshot(&["--demo", "--min-severity", "severe"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("expected informational, low, medium, high or critical"), "{stderr}");
}

#[test]
fn filter_uses_the_console_filter_rule() {
    let v = json(&["--demo", "--pane", "findings", "--filter", "sshbrute guardduty"]);
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f["finding_type"] == "UnauthorizedAccess:EC2/SSHBruteForce"));
    // Field terms as the console's: the severity's short or full name, a type's glob, negation.
    let v = json(&["--demo", "--pane", "findings", "--filter", "sev:crit,high type:*S3* -product:guardduty"]);
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        assert!(["CRITICAL", "HIGH"].contains(&f["severity"].as_str().unwrap()), "{f}");
        assert!(f["finding_type"].as_str().unwrap().to_lowercase().contains("s3"), "{f}");
        assert_ne!(f["product"], "guardduty", "{f}");
    }
}

#[test]
fn ndjson_has_a_header_line_then_one_record_per_line() {
    let (code, stdout, _) = snapshot(&["--demo", "--format", "ndjson", "--pane", "secrets", "--pane", "certs"]);
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines[0]["schema_version"], 1);
    assert_eq!(lines[0]["source"]["kind"], "demo");
    let records = &lines[1..];
    assert!(records.iter().any(|r| r["pane"] == "secrets" && r["record"]["rotation_status"].is_string()));
    assert!(records.iter().any(|r| r["pane"] == "certificates" && r["record"].get("days_to_expiry").is_some()));
}

#[test]
fn markdown_and_csv_for_tickets_and_spreadsheets() {
    let (code, md, _) = snapshot(&["--demo", "--format", "markdown", "--pane", "certs"]);
    assert_eq!(code, 0);
    assert!(md.contains("## Certificates (") && md.contains("| Domain | Expires |") && md.contains("|---|"));
    let (code, csv, _) = snapshot(&["--demo", "--format", "csv", "--pane", "secrets"]);
    assert_eq!(code, 0);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("Name,Rotation,Rule,Rotated,Next,Accessed,Account,Region"));
    assert!(lines.count() >= 24);
    let (code, _, stderr) = snapshot(&["--demo", "--format", "csv", "--pane", "secrets", "--pane", "certs"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("csv holds one table"));
    let (_, findings_csv, _) = snapshot(&["--demo", "--format", "csv"]);
    assert!(findings_csv.starts_with("Risk,Sev,Title,"), "csv defaults to findings, in priority order");
}

#[test]
fn hostile_text_is_sanitised_in_every_human_format() {
    let (_, json_out, _) = snapshot(&["--demo", "--format", "json", "--pane", "findings", "--all", "--scale", "3000"]);
    assert!(json_out.contains("\\u001b]0;pwned"), "the demo carries hostile text (escaped in JSON)");
    for format in ["table", "markdown", "csv"] {
        let (_, out, _) = snapshot(&["--demo", "--format", format, "--pane", "findings", "--all", "--scale", "3000"]);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202e}'), "{format}");
    }
}

#[test]
fn group_by_folds_the_findings_in_priority_order_and_table_prints_the_groups() {
    let v = json(&["--demo", "--pane", "findings", "--group-by", "type"]);
    assert_eq!(v["group_by"], "type");
    let groups = v["groups"].as_array().unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(groups.iter().map(|g| g["count"].as_u64().unwrap()).sum::<u64>() as usize, findings.len());
    assert_eq!(groups[0]["finding_ids"][0], findings[0]["id"], "the group of the first finding first");
    for g in groups {
        for key in ["key", "count", "max_severity", "max_risk", "severities", "resources", "accounts", "products"] {
            assert!(!g[key].is_null(), "group lacks {key}: {g}");
        }
        let ids = g["finding_ids"].as_array().unwrap();
        assert_eq!(ids.len() as u64, g["count"].as_u64().unwrap());
    }
    let v = json(&["--demo", "--pane", "findings", "--group-by", "account"]);
    assert_eq!(v["groups"][0]["name"], "shop-prod", "{}", v["groups"][0]);
    let (code, table, _) = snapshot(&["--demo", "--pane", "findings", "--group-by", "control", "--format", "table"]);
    assert_eq!(code, 0);
    assert!(table.contains("groups by control") && table.contains("(no control)"), "{table}");
    let (code, _, stderr) = snapshot(&["--demo", "--group-by", "severity"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot group by 'severity': expected type, resource, product, account or control"),
        "{stderr}"
    );
}

#[test]
fn the_radar_lists_what_breaks_first_first() {
    let v = json(&["--demo"]);
    let radar = v["radar"].as_array().unwrap();
    assert!(radar.len() >= 8);
    let days: Vec<i64> = radar.iter().map(|r| r["days_left"].as_i64().unwrap_or(0)).collect();
    // Past due first (the hardest break first), then the soonest first.
    let past = days.iter().take_while(|&&d| d <= 0).count();
    assert!(days[past..].iter().all(|&d| d > 0) && days[past..].windows(2).all(|w| w[0] <= w[1]), "{days:?}");
    assert_eq!(radar[0]["due"], "certificate_expired", "an expired certificate in use breaks hardest");
    for item in radar {
        for key in ["due", "arn", "name", "account", "region", "breaks", "pane"] {
            assert!(item[key].is_string(), "radar item lacks {key}: {item}");
        }
    }
    assert!(radar.iter().any(|r| r["due"] == "deletion_still_used"));
    let v = json(&["--demo", "--pane", "certs"]);
    assert!(v.get("radar").is_none(), "only with both certificates and secrets");
    let (_, table, _) = snapshot(&["--demo", "--format", "table"]);
    assert!(table.contains("== Expiry radar ("), "{table}");
}

#[test]
fn every_standard_says_what_to_fix_first_and_pci_its_requirements_at_risk() {
    let v = json(&["--demo", "--pane", "compliance"]);
    for s in v["compliance"]["standards"].as_array().unwrap() {
        let fixes = s["fixes"].as_array().unwrap();
        let failing = s["controls"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| ["failed", "unknown"].contains(&c["status"].as_str().unwrap()))
            .count();
        assert_eq!(fixes.len(), failing, "{}", s["name"]);
        for f in fixes {
            assert!(f["score_after"].as_u64().unwrap() > s["score"].as_u64().unwrap(), "{f}");
        }
        let pci = s["name"].as_str().unwrap().contains("PCI DSS");
        assert_eq!(s.get("pci_requirements").is_some(), pci, "{}", s["name"]);
    }
}
