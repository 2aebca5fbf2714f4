//! Cognito pools and their anomalies in the snapshot, PII masked unless `--reveal-pii`.

use super::SnapshotPane;
use crate::cli::SnapshotArgs;
use crate::model::users::PoolSummary;
use crate::model::{Timestamp, UserAnomaly, UsersReport};
use crate::source::SourceInfo;
use crate::view::CellContext;
use serde::Serialize;
use serde::ser::SerializeMap;

#[derive(Debug, Serialize)]
pub struct UsersOut {
    pub pools: Vec<PoolSummary>,
    pub anomalies: Vec<UserAnomaly>,
    pub pii_masked: bool,
}

pub struct Pane;

impl SnapshotPane for Pane {
    type View = crate::view::users::Pane;
    type Out = UsersOut;

    fn narrow(data: &mut UsersReport, args: &SnapshotArgs, ctx: &CellContext) {
        super::keep_matching(&mut data.anomalies, args, ctx);
    }

    fn output(data: &UsersReport, args: &SnapshotArgs, _now: Timestamp, _source: &SourceInfo) -> UsersOut {
        let anomalies =
            data.anomalies.iter().map(|a| if args.reveal_pii { a.clone() } else { a.with_pii_masked() }).collect();
        UsersOut { pools: data.pools.clone(), anomalies, pii_masked: !args.reveal_pii }
    }

    fn write<M: SerializeMap>(out: &UsersOut, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("users", out)
    }

    fn records(out: &UsersOut) -> serde_json::Result<Vec<serde_json::Value>> {
        out.anomalies.iter().map(|a| Ok(serde_json::json!({ "pane": "users", "record": serde_json::to_value(a)? }))).collect()
    }
}
