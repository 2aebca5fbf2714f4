//! The edge in the snapshot: a top-level `edge` object with the attacks, web ACLs, protections,
//! the entry points without one, Shield per account, the addresses attacking and the block list.

use super::SnapshotPane;
use crate::cli::SnapshotArgs;
use crate::model::Timestamp;
use crate::model::panes::edge::{EdgeReport, IpSet, Offender, Peak, Protection, ProtectionGroup, ShieldState};
use crate::source::SourceInfo;
use crate::view::CellContext;
use serde::Serialize;
use serde::ser::SerializeMap;

#[derive(Debug, Serialize)]
pub struct EdgeOut {
    pub attacks: Vec<AttackOut>,
    pub web_acls: Vec<WebAclOut>,
    pub protections: Vec<Protection>,
    pub protection_groups: Vec<ProtectionGroup>,
    /// The public entry points Shield does not protect.
    pub unprotected: Vec<UnprotectedOut>,
    pub shield: Vec<ShieldState>,
    pub offenders: Vec<Offender>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_list: Option<Box<IpSet>>,
}

#[derive(Debug, Serialize)]
pub struct AttackOut {
    pub id: String,
    pub resource_arn: String,
    pub account: String,
    pub in_progress: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<Timestamp>,
    pub vectors: Vec<String>,
    pub peak: Peak,
    pub top_contributors: Vec<crate::model::panes::edge::Contributor>,
    pub mitigations: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct WebAclOut {
    pub name: String,
    pub arn: String,
    pub scope: &'static str,
    pub region: String,
    pub account: String,
    pub default_action: String,
    pub resources: Vec<String>,
    /// "ATP" and/or "ACFP".
    pub fraud_control: Vec<&'static str>,
    /// Managed protection by purpose ("bot control", "anti-DDoS", ...).
    pub managed: Vec<&'static str>,
    pub logging: bool,
    pub log_destinations: Vec<String>,
    pub blocked_last_hour: u64,
    pub allowed_last_hour: u64,
    /// Blocked requests per minute over the last hour, oldest first.
    pub blocked_per_minute: Vec<u64>,
    pub fraud_labels: std::collections::BTreeMap<String, u64>,
    pub rules: Vec<crate::model::panes::edge::WafRule>,
}

#[derive(Debug, Serialize)]
pub struct UnprotectedOut {
    pub resource_arn: String,
    pub kind: String,
    pub web_acls: Vec<String>,
    pub seen_in: String,
}

fn matches(args: &SnapshotArgs, texts: &[&str]) -> bool {
    let terms = args.filter.as_deref().map(crate::view::table::filter_terms).unwrap_or_default();
    let hay = texts.join(" ").to_lowercase();
    crate::view::table::matches_terms(&hay, &terms)
}

pub struct Pane;

impl SnapshotPane for Pane {
    type View = crate::view::edge::Pane;
    type Out = Box<EdgeOut>;

    /// `--filter` keeps the records whose names match every word.
    fn narrow(data: &mut Box<EdgeReport>, args: &SnapshotArgs, _ctx: &CellContext) {
        if args.filter.is_none() {
            return;
        }
        data.attacks.retain(|a| matches(args, &[&a.resource_arn, &a.vectors.join(" ")]));
        data.web_acls.retain(|w| matches(args, &[&w.name, &w.arn]));
        data.protections.retain(|p| matches(args, &[&p.name, &p.resource_arn]));
        data.entry_points.retain(|e| matches(args, &[&e.resource_arn, &e.kind]));
        data.offenders.retain(|o| matches(args, &[&o.address, &o.seen.join(" ")]));
    }

    fn output(data: &Box<EdgeReport>, _args: &SnapshotArgs, _now: Timestamp, _source: &SourceInfo) -> Box<EdgeOut> {
        Box::new(EdgeOut {
            attacks: data
                .attacks
                .iter()
                .map(|a| AttackOut {
                    id: a.id.clone(),
                    resource_arn: a.resource_arn.clone(),
                    account: a.account.clone(),
                    in_progress: a.in_progress(),
                    start: a.start,
                    end: a.end,
                    vectors: a.vectors.clone(),
                    peak: a.peak,
                    top_contributors: a.top_contributors.clone(),
                    mitigations: a.mitigations.clone(),
                })
                .collect(),
            web_acls: data
                .web_acls
                .iter()
                .map(|w| WebAclOut {
                    name: w.name.clone(),
                    arn: w.arn.clone(),
                    scope: w.scope.as_str(),
                    region: w.region.clone(),
                    account: w.account.clone(),
                    default_action: w.default_action.clone(),
                    resources: w.resources.clone(),
                    fraud_control: w.fraud_control(),
                    managed: w.purposes().iter().map(|p| p.label()).collect(),
                    logging: w.logging(),
                    log_destinations: w.log_destinations.clone(),
                    blocked_last_hour: w.blocked_last_hour(),
                    allowed_last_hour: w.traffic.allowed.iter().sum(),
                    blocked_per_minute: w.traffic.blocked.clone(),
                    fraud_labels: w.fraud_labels.clone(),
                    rules: w.rules.clone(),
                })
                .collect(),
            protections: data.protections.clone(),
            protection_groups: data.protection_groups.clone(),
            unprotected: data
                .entry_points
                .iter()
                .filter(|e| e.unprotected())
                .map(|e| UnprotectedOut {
                    resource_arn: e.resource_arn.clone(),
                    kind: e.kind.clone(),
                    web_acls: e.web_acls.clone(),
                    seen_in: e.seen_in.clone(),
                })
                .collect(),
            shield: data.shield.clone(),
            offenders: data.offenders.clone(),
            block_list: data.block_list.clone(),
        })
    }

    fn write<M: SerializeMap>(out: &Box<EdgeOut>, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("edge", out)
    }

    fn records(out: &Box<EdgeOut>) -> serde_json::Result<Vec<serde_json::Value>> {
        let mut lines = Vec::new();
        let mut push = |kind: &str, value: serde_json::Result<serde_json::Value>| -> serde_json::Result<()> {
            lines.push(serde_json::json!({ "pane": "edge", "kind": kind, "record": value? }));
            Ok(())
        };
        for a in &out.attacks {
            push("attack", serde_json::to_value(a))?;
        }
        for w in &out.web_acls {
            push("web_acl", serde_json::to_value(w))?;
        }
        for p in &out.protections {
            push("protection", serde_json::to_value(p))?;
        }
        for u in &out.unprotected {
            push("unprotected", serde_json::to_value(u))?;
        }
        for o in &out.offenders {
            push("offender", serde_json::to_value(o))?;
        }
        Ok(lines)
    }
}
