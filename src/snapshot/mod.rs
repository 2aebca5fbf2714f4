//! `vigil snapshot`: the panes' data, fetched once from the same sources the console uses, printed
//! as JSON (the stable surface scripts read, see docs/snapshot-format.md) or as text tables.

mod grid;
mod json;

use crate::cli::{SnapshotArgs, SnapshotFormat};
use crate::model::PaneData;
use crate::model::compliance::{ControlTally, summary_score};
use crate::model::grouping::{GroupBy, GroupSummary, summarise};
use crate::model::users::PoolSummary;
use crate::model::{Certificate, CertificateHealth, Control, Finding, RotationStatus, Secret, Timestamp, UserAnomaly};
use crate::pane::PaneId;
use crate::source::{FetchOptions, Fetched, Source, SourceInfo};
use crate::view::table::{filter_terms, matches_terms};
use crate::view::{CellContext, Scoped, Tabular};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Snapshot {
    pub schema_version: u32,
    pub generated_at: Timestamp,
    pub source: SourceInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<Arc<Finding>>>,
    /// What `groups` folds the findings by (`--group-by`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_by: Option<GroupBy>,
    /// The findings above in groups, the group of the most important finding first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<GroupSummary>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificates: Option<Vec<CertificateOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<SecretOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub users: Option<UsersOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compliance: Option<ComplianceOut>,
    /// The expiry radar over `certificates` and `secrets` (when both were fetched): what falls due
    /// next, soonest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub radar: Option<Vec<crate::model::radar::RadarItem>>,
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
    /// The score in each account, when the control findings span several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<crate::model::compliance::AccountScore>,
    /// The mean of `accounts`' scores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation_average: Option<u8>,
    /// The failing controls, the most rewarding to fix first (see the user guide).
    pub fixes: Vec<crate::model::advice::Fix>,
    /// For a PCI DSS standard: the requirements its failing controls put at risk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pci_requirements: Option<Vec<crate::model::advice::Requirement>>,
}

/// Fetches the requested panes concurrently and builds the snapshot.
pub async fn collect(source: &dyn Source, args: &SnapshotArgs, now: Timestamp) -> (Snapshot, Vec<PaneData>) {
    let panes: Vec<PaneId> = match (args.panes.is_empty(), args.format) {
        // CSV holds one table: the findings unless a pane was named.
        (true, SnapshotFormat::Csv) => vec![PaneId::Findings],
        (true, _) => PaneId::ALL.to_vec(),
        (false, _) => args.panes.clone(),
    };
    let options = FetchOptions { all_findings: args.all };
    let results = futures::future::join_all(panes.iter().map(|&pane| source.fetch(pane, now, options))).await;
    let mut snapshot = Snapshot {
        schema_version: SCHEMA_VERSION,
        generated_at: now,
        source: source.info(),
        findings: None,
        group_by: None,
        groups: None,
        certificates: None,
        secrets: None,
        users: None,
        compliance: None,
        radar: None,
        errors: BTreeMap::new(),
        warnings: BTreeMap::new(),
    };
    let mut data = Vec::new();
    for (pane, result) in panes.into_iter().zip(results) {
        match result {
            Ok(Fetched { data: mut pane_data, mut warnings, cached_at, .. }) => {
                if let Some(at) = cached_at {
                    warnings.insert(0, format!("offline: cached data saved at {}", crate::model::time::long_time(at)));
                }
                narrow(
                    &mut pane_data,
                    args,
                    &CellContext { now, reveal_pii: args.reveal_pii, accounts: &snapshot.source.account_names },
                );
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
    // The radar, when every pane that says what falls due was asked for and answered.
    let due_panes = PaneId::ALL.into_iter().filter(|p| p.spec().uses(crate::pane::Hook::Due));
    if due_panes.clone().all(|p| data.iter().any(|d| d.pane() == p)) {
        snapshot.radar = Some(crate::model::radar::radar(data.iter().flat_map(|d| d.due(now))));
    }
    (snapshot, data)
}

fn fill(snapshot: &mut Snapshot, data: &PaneData, args: &SnapshotArgs, now: Timestamp) {
    match data {
        PaneData::Findings(list) => {
            let findings: Vec<Arc<Finding>> =
                list.iter().filter(|f| args.all || f.in_default_scope()).cloned().collect();
            if let Some(by) = args.group_by {
                let mut groups = summarise(findings.iter().map(|f| &**f), by);
                if by == GroupBy::Account {
                    for group in &mut groups {
                        let source = &snapshot.source;
                        let own = (group.key == source.account).then(|| source.account_name.clone()).flatten();
                        group.name = source.account_names.name(&group.key).map(str::to_string).or(own);
                    }
                }
                snapshot.group_by = Some(by);
                snapshot.groups = Some(groups);
            }
            snapshot.findings = Some(findings);
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
                .map(|a| if args.reveal_pii { a.clone() } else { a.with_pii_masked() })
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
                        accounts: s.accounts.clone(),
                        organisation_average: crate::model::compliance::organisation_average(&s.accounts),
                        fixes: crate::model::advice::fixes(s, standards),
                        pci_requirements: crate::model::advice::is_pci(s)
                            .then(|| crate::model::advice::pci_requirements(s)),
                    })
                    .collect(),
            });
        }
    }
}

/// Writes the snapshot in the requested format to `out`; JSON is streamed as it is produced.
pub fn render_to(
    out: &mut impl std::io::Write,
    snapshot: &Snapshot,
    data: &[PaneData],
    args: &SnapshotArgs,
) -> anyhow::Result<()> {
    match args.format {
        SnapshotFormat::Json => json::pretty_to(out, snapshot)?,
        _ => out.write_all(render(snapshot, data, args)?.as_bytes())?,
    }
    Ok(out.flush()?)
}

/// Renders the snapshot in the requested format.
pub fn render(snapshot: &Snapshot, data: &[PaneData], args: &SnapshotArgs) -> anyhow::Result<String> {
    Ok(match args.format {
        SnapshotFormat::Json => json::pretty(snapshot)?,
        SnapshotFormat::Ndjson => crate::sanitize::escape_json(ndjson(snapshot)?),
        SnapshotFormat::Table => grid::table(snapshot, &grid::grids(snapshot, data, args)),
        SnapshotFormat::Markdown => grid::markdown(snapshot, &grid::grids(snapshot, data, args)),
        SnapshotFormat::Csv => grid::grids(snapshot, data, args).first().map(grid::csv).unwrap_or_default(),
    })
}

/// A header line (schema version, time, source, errors, warnings), then one line per record:
/// `{"pane": "...", "record": {...}}` with the same record shapes as the JSON format.
fn ndjson(snapshot: &Snapshot) -> anyhow::Result<String> {
    let mut out = serde_json::to_string(&serde_json::json!({
        "schema_version": snapshot.schema_version,
        "generated_at": snapshot.generated_at,
        "source": snapshot.source,
        "errors": snapshot.errors,
        "warnings": snapshot.warnings,
    }))? + "\n";
    for pane in PaneId::ALL {
        for record in records(snapshot, pane)? {
            out.push_str(&serde_json::to_string(&serde_json::json!({ "pane": pane, "record": record }))?);
            out.push('\n');
        }
    }
    for group in snapshot.groups.iter().flatten() {
        let line = serde_json::json!({ "pane": PaneId::Findings, "group_by": snapshot.group_by, "group": group });
        out.push_str(&serde_json::to_string(&line)?);
        out.push('\n');
    }
    Ok(out)
}

/// The records of one pane, with the same shapes as in the JSON format.
fn records(snapshot: &Snapshot, pane: PaneId) -> serde_json::Result<Vec<serde_json::Value>> {
    fn values<T: Serialize>(list: &[T]) -> serde_json::Result<Vec<serde_json::Value>> {
        list.iter().map(serde_json::to_value).collect()
    }
    match pane {
        PaneId::Findings => values(snapshot.findings.as_deref().unwrap_or_default()),
        PaneId::Certificates => values(snapshot.certificates.as_deref().unwrap_or_default()),
        PaneId::Secrets => values(snapshot.secrets.as_deref().unwrap_or_default()),
        PaneId::Users => values(snapshot.users.as_ref().map(|u| u.anomalies.as_slice()).unwrap_or_default()),
        PaneId::Compliance => values(snapshot.compliance.as_ref().map(|c| c.standards.as_slice()).unwrap_or_default()),
    }
}

/// Narrows a pane's data to what the flags ask for. Compliance keeps whole standards (a score needs
/// every control); the table formats show only its matching controls.
fn narrow(data: &mut PaneData, args: &SnapshotArgs, ctx: &CellContext) {
    let terms = args.filter.as_deref().map(filter_terms).unwrap_or_default();
    fn keep<T: Tabular>(rows: &mut Vec<T>, terms: &[String], ctx: &CellContext) {
        if !terms.is_empty() {
            rows.retain(|r| matches_terms(&r.search_text(ctx), terms));
        }
    }
    match data {
        PaneData::Findings(list) => {
            if let Some(min) = args.min_severity {
                list.retain(|f| f.severity >= min);
            }
            keep(list, &terms, ctx);
            // Priority order, as the console lists them.
            let risk = crate::view::findings::RISK;
            list.sort_by(|a, b| b.compare(a, risk, ctx).then_with(|| a.key_cmp(b)));
        }
        PaneData::Certificates(list) => keep(list, &terms, ctx),
        PaneData::Secrets(list) => keep(list, &terms, ctx),
        PaneData::Users(report) => keep(&mut report.anomalies, &terms, ctx),
        PaneData::Compliance(_) => {}
    }
}

/// 3 when a requested pane's source failed; else 1 when `--min-severity` was given and findings at
/// or above it remain; else 0.
pub fn exit_code(snapshot: &Snapshot, args: &SnapshotArgs) -> u8 {
    if !snapshot.errors.is_empty() {
        return 3;
    }
    let gated = args.min_severity.is_some() && snapshot.findings.as_ref().is_some_and(|f| !f.is_empty());
    u8::from(gated)
}

#[cfg(test)]
mod tests {
    use crate::sanitize::escape_json as escape_unsafe;

    #[test]
    fn json_escapes_what_a_terminal_would_obey_and_keeps_the_value() {
        let hostile = "a\u{9b}31m\u{7f}\u{202e}\u{200b}\u{e0041}\u{2028}z";
        let json = serde_json::to_string_pretty(&serde_json::json!({ "title": hostile, "n": [1, 2] })).unwrap();
        let escaped = escape_unsafe(json);
        assert!(escaped.chars().all(|c| !crate::sanitize::is_unsafe_raw(c) || matches!(c, '\n')), "{escaped:?}");
        assert!(escaped.contains("\\u009b") && escaped.contains("\\udb40\\udc41"), "{escaped}");
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["title"], hostile, "the same value, escaped");
    }
}
