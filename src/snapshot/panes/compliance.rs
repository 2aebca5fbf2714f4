//! Standards in the snapshot: scores, controls, what to fix first and the PCI DSS requirements at
//! risk. Whole standards are kept (a score needs every control); the tables show only the
//! controls that match.

use super::SnapshotPane;
use crate::cli::SnapshotArgs;
use crate::model::compliance::{ControlTally, summary_score};
use crate::model::{Control, Standard, Timestamp};
use crate::snapshot::grid::{Grid, grid};
use crate::source::SourceInfo;
use crate::view::CellContext;
use crate::view::compliance::control_rows;
use serde::Serialize;
use serde::ser::SerializeMap;

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

pub struct Pane;

impl SnapshotPane for Pane {
    type View = crate::view::compliance::Pane;
    type Out = ComplianceOut;

    fn output(data: &Vec<Standard>, _args: &SnapshotArgs, _now: Timestamp, _source: &SourceInfo) -> ComplianceOut {
        ComplianceOut {
            summary_score: summary_score(data),
            standards: data
                .iter()
                .map(|s| StandardOut {
                    arn: s.arn.clone(),
                    name: s.name.clone(),
                    score: s.score(),
                    controls_tally: s.tally(),
                    controls: s.controls.clone(),
                    accounts: s.accounts.clone(),
                    organisation_average: crate::model::compliance::organisation_average(&s.accounts),
                    fixes: crate::model::advice::fixes(s, data),
                    pci_requirements: crate::model::advice::is_pci(s).then(|| crate::model::advice::pci_requirements(s)),
                })
                .collect(),
        }
    }

    fn write<M: SerializeMap>(out: &ComplianceOut, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("compliance", out)
    }

    fn records(out: &ComplianceOut) -> serde_json::Result<Vec<serde_json::Value>> {
        out.standards.iter().map(|s| Ok(serde_json::json!({ "pane": "compliance", "record": serde_json::to_value(s)? }))).collect()
    }

    fn grid(data: &Vec<Standard>, out: &ComplianceOut, ctx: &CellContext, args: &SnapshotArgs) -> Grid {
        let mut g = grid(crate::pane::PaneId::Compliance, &control_rows(data), ctx, args);
        let score = out.summary_score.map(|s| format!("{s}%")).unwrap_or_else(|| "no data".into());
        g.preface.push(format!("Security score {score}"));
        for s in &out.standards {
            let score = s.score.map(|v| format!("{v}%")).unwrap_or_else(|| "-".into());
            g.preface.push(format!("{score:>4}  {}", crate::sanitize::sanitize(&s.name)));
        }
        g
    }
}
