//! Secrets in the snapshot, with their rotation status (metadata only, never a value).

use super::SnapshotPane;
use crate::cli::SnapshotArgs;
use crate::model::{RotationStatus, Secret, Timestamp};
use crate::source::SourceInfo;
use crate::view::CellContext;
use serde::Serialize;
use serde::ser::SerializeMap;

#[derive(Debug, Serialize)]
pub struct SecretOut {
    #[serde(flatten)]
    pub secret: Secret,
    pub rotation_status: RotationStatus,
    pub unused: bool,
}

pub struct Pane;

impl SnapshotPane for Pane {
    type View = crate::view::secrets::Pane;
    type Out = Vec<SecretOut>;

    fn narrow(data: &mut Vec<Secret>, args: &SnapshotArgs, ctx: &CellContext) {
        super::keep_matching(data, args, ctx);
    }

    fn output(data: &Vec<Secret>, _args: &SnapshotArgs, now: Timestamp, _source: &SourceInfo) -> Vec<SecretOut> {
        data.iter()
            .map(|s| SecretOut { secret: s.clone(), rotation_status: s.rotation_status(now), unused: s.is_unused(now) })
            .collect()
    }

    fn write<M: SerializeMap>(out: &Vec<SecretOut>, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("secrets", out)
    }

    fn records(out: &Vec<SecretOut>) -> serde_json::Result<Vec<serde_json::Value>> {
        out.iter().map(|s| Ok(serde_json::json!({ "pane": "secrets", "record": serde_json::to_value(s)? }))).collect()
    }
}
