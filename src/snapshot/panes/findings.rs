//! Findings in the snapshot: the findings in priority order, and their groups with `--group-by`.

use super::SnapshotPane;
use crate::cli::SnapshotArgs;
use crate::model::grouping::{GroupBy, GroupSummary, summarise};
use crate::model::ocsf::Exposure;
use crate::model::{Finding, Timestamp};
use crate::snapshot::grid::{Grid, grid};
use crate::source::SourceInfo;
use crate::view::{CellContext, Scoped, Tabular};
use serde::ser::SerializeMap;
use std::sync::Arc;

pub struct FindingsOut {
    pub findings: Vec<Arc<Finding>>,
    /// The open exposure findings among them, most severe first.
    pub exposures: Vec<Exposure>,
    /// What `groups` folds the findings by (`--group-by`).
    pub group_by: Option<GroupBy>,
    /// The findings in groups, the group of the most important finding first.
    pub groups: Option<Vec<GroupSummary>>,
}

/// A finding as the snapshot writes it: its fields, and `"source": "securityhub-v2"` when the new
/// Security Hub reported it (its `sources` say which others did too).
#[derive(serde::Serialize)]
struct Record<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'static str>,
}

impl<'a> Record<'a> {
    fn of(finding: &'a Finding) -> Self {
        Self { finding, source: finding.read_through_v2().then_some("securityhub-v2") }
    }
}

pub struct Pane;

impl SnapshotPane for Pane {
    type View = crate::view::findings::Pane;
    type Out = FindingsOut;

    fn narrow(data: &mut Vec<Arc<Finding>>, args: &SnapshotArgs, ctx: &CellContext) {
        if let Some(min) = args.min_severity {
            data.retain(|f| f.severity >= min);
        }
        super::keep_matching(data, args, ctx);
        // Priority order, as the console lists them.
        let risk = crate::view::findings::RISK;
        data.sort_by(|a, b| b.compare(a, risk, ctx).then_with(|| a.key_cmp(b)));
    }

    fn output(data: &Vec<Arc<Finding>>, args: &SnapshotArgs, _now: Timestamp, source: &SourceInfo) -> FindingsOut {
        let findings: Vec<Arc<Finding>> = data.iter().filter(|f| args.all || f.in_default_scope()).cloned().collect();
        let groups = args.group_by.map(|by| {
            let mut groups = summarise(findings.iter().map(|f| &**f), by);
            if by == GroupBy::Account {
                for group in &mut groups {
                    let own = (group.key == source.account).then(|| source.account_name.clone()).flatten();
                    group.name = source.account_names.name(&group.key).map(str::to_string).or(own);
                }
            }
            groups
        });
        let mut exposures: Vec<Exposure> = findings.iter().filter(|f| f.is_open()).filter_map(|f| Exposure::of(f)).collect();
        exposures.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.resource.cmp(&b.resource)));
        FindingsOut { findings, exposures, group_by: args.group_by, groups }
    }

    fn write<M: SerializeMap>(out: &FindingsOut, map: &mut M) -> Result<(), M::Error> {
        let findings: Vec<Record<'_>> = out.findings.iter().map(|f| Record::of(f)).collect();
        map.serialize_entry("findings", &findings)?;
        map.serialize_entry("exposures", &out.exposures)?;
        if let (Some(by), Some(groups)) = (out.group_by, &out.groups) {
            map.serialize_entry("group_by", &by)?;
            map.serialize_entry("groups", groups)?;
        }
        Ok(())
    }

    fn records(out: &FindingsOut) -> serde_json::Result<Vec<serde_json::Value>> {
        let mut lines: Vec<serde_json::Value> = out
            .findings
            .iter()
            .map(|f| Ok(serde_json::json!({ "pane": "findings", "record": serde_json::to_value(Record::of(f))? })))
            .collect::<serde_json::Result<_>>()?;
        for exposure in &out.exposures {
            lines.push(serde_json::json!({ "pane": "findings", "exposure": exposure }));
        }
        for group in out.groups.iter().flatten() {
            lines.push(serde_json::json!({ "pane": "findings", "group_by": out.group_by, "group": group }));
        }
        Ok(lines)
    }

    fn grid(data: &Vec<Arc<Finding>>, out: &FindingsOut, ctx: &CellContext, args: &SnapshotArgs) -> Grid {
        match (&out.groups, out.group_by) {
            (Some(groups), Some(by)) => crate::snapshot::grid::group_grid(groups, by),
            _ => grid(crate::pane::PaneId::Findings, data, ctx, args),
        }
    }

    fn gated(out: &FindingsOut, args: &SnapshotArgs) -> bool {
        args.min_severity.is_some() && !out.findings.is_empty()
    }
}
