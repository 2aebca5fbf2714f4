//! KMS keys, private CAs and CloudHSM clusters in the snapshot, with their health and what depends
//! on them.

use super::SnapshotPane;
use crate::cli::SnapshotArgs;
use crate::model::Timestamp;
use crate::model::key::{HsmCluster, KeyHealth, KeysReport, KmsKey, PrivateCa};
use crate::source::SourceInfo;
use crate::view::CellContext;
use crate::view::keys::KeyRow;
use serde::Serialize;
use serde::ser::SerializeMap;

#[derive(Debug, Serialize)]
pub struct KeyOut {
    #[serde(flatten)]
    pub key: KmsKey,
    pub health: KeyHealth,
}

#[derive(Debug, Serialize)]
pub struct CaOut {
    #[serde(flatten)]
    pub ca: PrivateCa,
    /// Active and expiring within 90 days.
    pub expires_soon: bool,
}

#[derive(Debug, Serialize)]
pub struct ClusterOut {
    pub arn: String,
    #[serde(flatten)]
    pub cluster: HsmCluster,
    pub no_failover: bool,
    pub backup_stale: bool,
}

#[derive(Debug, Serialize)]
pub struct KeysOut {
    pub keys: Vec<KeyOut>,
    pub private_cas: Vec<CaOut>,
    pub hsm_clusters: Vec<ClusterOut>,
}

pub struct Pane;

impl SnapshotPane for Pane {
    type View = crate::view::keys::Pane;
    type Out = KeysOut;

    fn narrow(data: &mut KeysReport, args: &SnapshotArgs, ctx: &CellContext) {
        super::keep_matching(&mut data.keys, args, ctx);
        let mut rows: Vec<KeyRow> = data
            .authorities
            .drain(..)
            .map(KeyRow::Authority)
            .chain(data.clusters.drain(..).map(KeyRow::Cluster))
            .collect();
        super::keep_matching(&mut rows, args, ctx);
        for row in rows {
            match row {
                KeyRow::Authority(ca) => data.authorities.push(ca),
                KeyRow::Cluster(c) => data.clusters.push(c),
                KeyRow::Key(_) => {}
            }
        }
    }

    fn output(data: &KeysReport, _args: &SnapshotArgs, now: Timestamp, _source: &SourceInfo) -> KeysOut {
        KeysOut {
            keys: data.keys.iter().map(|k| KeyOut { key: k.clone(), health: k.health(now) }).collect(),
            private_cas: data
                .authorities
                .iter()
                .map(|ca| CaOut { ca: ca.clone(), expires_soon: ca.expires_soon(now) })
                .collect(),
            hsm_clusters: data
                .clusters
                .iter()
                .map(|c| ClusterOut {
                    arn: c.arn(),
                    cluster: c.clone(),
                    no_failover: c.no_failover(),
                    backup_stale: c.backup_stale(now),
                })
                .collect(),
        }
    }

    fn write<M: SerializeMap>(out: &KeysOut, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("keys", &out.keys)?;
        map.serialize_entry("private_cas", &out.private_cas)?;
        map.serialize_entry("hsm_clusters", &out.hsm_clusters)
    }

    fn records(out: &KeysOut) -> serde_json::Result<Vec<serde_json::Value>> {
        let record = |kind: &str, value: serde_json::Value| serde_json::json!({ "pane": "keys", "kind": kind, "record": value });
        let mut records = Vec::new();
        for k in &out.keys {
            records.push(record("key", serde_json::to_value(k)?));
        }
        for ca in &out.private_cas {
            records.push(record("private_ca", serde_json::to_value(ca)?));
        }
        for c in &out.hsm_clusters {
            records.push(record("hsm_cluster", serde_json::to_value(c)?));
        }
        Ok(records)
    }
}
