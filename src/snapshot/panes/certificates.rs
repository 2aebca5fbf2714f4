//! Certificates in the snapshot, with their days to expiry and health.

use super::SnapshotPane;
use crate::cli::SnapshotArgs;
use crate::model::{Certificate, CertificateHealth, Timestamp};
use crate::source::SourceInfo;
use crate::view::CellContext;
use serde::Serialize;
use serde::ser::SerializeMap;

#[derive(Debug, Serialize)]
pub struct CertificateOut {
    #[serde(flatten)]
    pub certificate: Certificate,
    pub days_to_expiry: Option<i64>,
    pub health: CertificateHealth,
}

pub struct Pane;

impl SnapshotPane for Pane {
    type View = crate::view::certificates::Pane;
    type Out = Vec<CertificateOut>;

    fn narrow(data: &mut Vec<Certificate>, args: &SnapshotArgs, ctx: &CellContext) {
        super::keep_matching(data, args, ctx);
    }

    fn output(data: &Vec<Certificate>, _args: &SnapshotArgs, now: Timestamp, _source: &SourceInfo) -> Vec<CertificateOut> {
        data.iter()
            .map(|c| CertificateOut { certificate: c.clone(), days_to_expiry: c.days_to_expiry(now), health: c.health(now) })
            .collect()
    }

    fn write<M: SerializeMap>(out: &Vec<CertificateOut>, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("certificates", out)
    }

    fn records(out: &Vec<CertificateOut>) -> serde_json::Result<Vec<serde_json::Value>> {
        out.iter().map(|c| Ok(serde_json::json!({ "pane": "certificates", "record": serde_json::to_value(c)? }))).collect()
    }
}
