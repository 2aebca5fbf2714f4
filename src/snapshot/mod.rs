//! `vigil snapshot`: the panes' data, fetched once from the same sources the console uses, printed
//! as JSON (the stable surface scripts read, see docs/snapshot-format.md) or as text tables.

mod table;

use crate::cli::{SnapshotArgs, SnapshotFormat};
use crate::model::compliance::{ControlTally, summary_score};
use crate::model::users::{PoolSummary, mask_email, mask_phone};
use crate::model::{Certificate, CertificateHealth, Control, Finding, RotationStatus, Secret, Timestamp, UserAnomaly};
use crate::pane::PaneId;
use crate::source::{FetchOptions, Fetched, PaneData, Source, SourceInfo};
use serde::Serialize;
use std::collections::BTreeMap;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Snapshot {
    pub schema_version: u32,
    pub generated_at: Timestamp,
    pub source: SourceInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<Finding>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificates: Option<Vec<CertificateOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<SecretOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub users: Option<UsersOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compliance: Option<ComplianceOut>,
    /// Pane → error, for panes whose source failed.
    pub errors: BTreeMap<PaneId, String>,
    /// Pane → what its data does not cover (a service that failed while others answered, a cap).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub warnings: BTreeMap<PaneId, Vec<String>>,
}

#[derive(Debug, Serialize)]
pub struct CertificateOut {
    #[serde(flatten)]
    pub certificate: Certificate,
    pub days_to_expiry: Option<i64>,
    pub health: CertificateHealth,
}

#[derive(Debug, Serialize)]
pub struct SecretOut {
    #[serde(flatten)]
    pub secret: Secret,
    pub rotation_status: RotationStatus,
    pub unused: bool,
}

#[derive(Debug, Serialize)]
pub struct UsersOut {
    pub pools: Vec<PoolSummary>,
    pub anomalies: Vec<UserAnomaly>,
    pub pii_masked: bool,
}

#[derive(Debug, Serialize)]
pub struct ComplianceOut {
    pub summary_score: Option<u8>,
    pub standards: Vec<StandardOut>,
}

#[derive(Debug, Serialize)]
pub struct StandardOut {
    pub arn: String,
    pub name: String,
    pub score: Option<u8>,
    pub controls_tally: ControlTally,
    pub controls: Vec<Control>,
}

/// Fetches the requested panes concurrently and builds the snapshot.
pub async fn collect(source: &dyn Source, args: &SnapshotArgs, now: Timestamp) -> (Snapshot, Vec<PaneData>) {
    let panes: Vec<PaneId> = if args.panes.is_empty() { PaneId::ALL.to_vec() } else { args.panes.clone() };
    let options = FetchOptions { all_findings: args.all };
    let results = futures::future::join_all(panes.iter().map(|&pane| source.fetch(pane, now, options))).await;
    let mut snapshot = Snapshot {
        schema_version: SCHEMA_VERSION,
        generated_at: now,
        source: source.info(),
        findings: None,
        certificates: None,
        secrets: None,
        users: None,
        compliance: None,
        errors: BTreeMap::new(),
        warnings: BTreeMap::new(),
    };
    let mut data = Vec::new();
    for (pane, result) in panes.into_iter().zip(results) {
        match result {
            Ok(Fetched { data: pane_data, warnings }) => {
                fill(&mut snapshot, &pane_data, args, now);
                data.push(pane_data);
                if !warnings.is_empty() {
                    snapshot.warnings.insert(pane, warnings);
                }
            }
            Err(e) => {
                snapshot.errors.insert(pane, e.to_string());
            }
        }
    }
    (snapshot, data)
}

fn fill(snapshot: &mut Snapshot, data: &PaneData, args: &SnapshotArgs, now: Timestamp) {
    match data {
        PaneData::Findings(list) => {
            snapshot.findings = Some(list.iter().filter(|f| args.all || f.is_open()).cloned().collect());
        }
        PaneData::Certificates(list) => {
            snapshot.certificates = Some(
                list.iter()
                    .map(|c| CertificateOut {
                        certificate: c.clone(),
                        days_to_expiry: c.days_to_expiry(now),
                        health: c.health(now),
                    })
                    .collect(),
            );
        }
        PaneData::Secrets(list) => {
            snapshot.secrets = Some(
                list.iter()
                    .map(|s| SecretOut {
                        secret: s.clone(),
                        rotation_status: s.rotation_status(now),
                        unused: s.is_unused(now),
                    })
                    .collect(),
            );
        }
        PaneData::Users(report) => {
            let anomalies = report
                .anomalies
                .iter()
                .cloned()
                .map(|mut a| {
                    if !args.reveal_pii {
                        a.email = a.email.as_deref().map(mask_email);
                        a.phone = a.phone.as_deref().map(mask_phone);
                    }
                    a
                })
                .collect();
            snapshot.users = Some(UsersOut { pools: report.pools.clone(), anomalies, pii_masked: !args.reveal_pii });
        }
        PaneData::Compliance(standards) => {
            snapshot.compliance = Some(ComplianceOut {
                summary_score: summary_score(standards),
                standards: standards
                    .iter()
                    .map(|s| StandardOut {
                        arn: s.arn.clone(),
                        name: s.name.clone(),
                        score: s.score(),
                        controls_tally: s.tally(),
                        controls: s.controls.clone(),
                    })
                    .collect(),
            });
        }
    }
}

/// Renders the snapshot in the requested format.
pub fn render(snapshot: &Snapshot, data: &[PaneData], args: &SnapshotArgs) -> anyhow::Result<String> {
    match args.format {
        SnapshotFormat::Json => Ok(serde_json::to_string_pretty(snapshot)? + "\n"),
        SnapshotFormat::Table => Ok(table::render(snapshot, data, args)),
    }
}
