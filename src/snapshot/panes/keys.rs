//! KMS keys in the snapshot, with their health and what depends on them.

use super::SnapshotPane;
use crate::cli::SnapshotArgs;
use crate::model::Timestamp;
use crate::model::key::{KeyHealth, KmsKey};
use crate::source::SourceInfo;
use crate::view::CellContext;
use serde::Serialize;
use serde::ser::SerializeMap;

#[derive(Debug, Serialize)]
pub struct KeyOut {
    #[serde(flatten)]
    pub key: KmsKey,
    pub health: KeyHealth,
}

pub struct Pane;

impl SnapshotPane for Pane {
    type View = crate::view::keys::Pane;
    type Out = Vec<KeyOut>;

    fn narrow(data: &mut Vec<KmsKey>, args: &SnapshotArgs, ctx: &CellContext) {
        super::keep_matching(data, args, ctx);
    }

    fn output(data: &Vec<KmsKey>, _args: &SnapshotArgs, now: Timestamp, _source: &SourceInfo) -> Vec<KeyOut> {
        data.iter().map(|k| KeyOut { key: k.clone(), health: k.health(now) }).collect()
    }

    fn write<M: SerializeMap>(out: &Vec<KeyOut>, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("keys", out)
    }

    fn records(out: &Vec<KeyOut>) -> serde_json::Result<Vec<serde_json::Value>> {
        out.iter().map(|k| Ok(serde_json::json!({ "pane": "keys", "record": serde_json::to_value(k)? }))).collect()
    }
}
