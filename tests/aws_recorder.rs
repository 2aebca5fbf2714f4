//! Every AWS call one full refresh makes, as moto's request recorder saw it: read-only, the expected
//! set, and never GetSecretValue or BatchGetSecretValue. In its own test binary so no other test's
//! calls land in the recording.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

use std::collections::BTreeSet;
use std::process::Command;

fn post(url: &str) {
    let status = Command::new("curl").args(["-sf", "-X", "POST", url]).status().unwrap();
    assert!(status.success(), "POST {url}");
}

/// `service METHOD path` for REST services, `service Target` for JSON services.
fn operation(line: &serde_json::Value) -> String {
    let headers = &line["headers"];
    let auth = headers["Authorization"].as_str().unwrap_or_default();
    let service = auth.split('/').nth(3).unwrap_or("?");
    if let Some(target) = headers["X-Amz-Target"].as_str() {
        return format!("{service} {}", target.rsplit('.').next().unwrap_or(target));
    }
    let url = line["url"].as_str().unwrap_or_default();
    let path = url.splitn(4, '/').nth(3).unwrap_or_default();
    let path = path.split('?').next().unwrap_or_default();
    // Detector ids vary: keep the shape of the path.
    let shape: Vec<&str> = path
        .split('/')
        .enumerate()
        .map(|(i, p)| if i == 1 && path.starts_with("detector") { "{id}" } else { p })
        .collect();
    format!("{service} {} /{}", line["method"].as_str().unwrap_or_default(), shape.join("/"))
}

#[test]
fn aws_a_full_refresh_reads_only_and_never_a_secret_value() {
    let Ok(endpoint) = std::env::var("VIGIL_MOTO_ENDPOINT") else {
        eprintln!("VIGIL_MOTO_ENDPOINT is not set: run tests/run to test against moto");
        return;
    };
    post(&format!("{endpoint}/moto-api/recorder/reset-recording"));
    post(&format!("{endpoint}/moto-api/recorder/start-recording"));
    let binary = std::env::var("VIGIL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_vigil").to_string());
    let out = Command::new(binary).args(["snapshot", "--endpoint-url", &endpoint]).output().unwrap();
    post(&format!("{endpoint}/moto-api/recorder/stop-recording"));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let recording = Command::new("curl")
        .args(["-sf", &format!("{endpoint}/moto-api/recorder/download-recording")])
        .output()
        .unwrap();
    let calls: BTreeSet<String> = String::from_utf8_lossy(&recording.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| operation(&serde_json::from_str(l).unwrap()))
        .collect();
    assert!(!calls.is_empty(), "the recorder saw the refresh");
    for call in &calls {
        assert!(!call.contains("GetSecretValue"), "secret value read: {call}");
    }
    let expected: BTreeSet<String> = [
        "sts POST /",
        "securityhub POST /findings",
        "securityhub POST /standards/get",
        "securityhub GET /standards",
        "securityhub GET /securityControls/definitions",
        "securityhub POST /associations/batchGet",
        "guardduty GET /detector",
        "guardduty POST /detector/{id}/findings",
        "guardduty POST /detector/{id}/findings/get",
        "acm ListCertificates",
        "acm DescribeCertificate",
        "secretsmanager ListSecrets",
        "cognito-idp ListUserPools",
        "cognito-idp DescribeUserPool",
        "cognito-idp ListUsers",
        "cognito-idp AdminListUserAuthEvents",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    assert_eq!(calls, expected, "the calls one refresh makes");
}
