//! The Findings pane's model: Security Hub and GuardDuty findings, deduplicated and ranked.

use super::PaneModel;
use crate::model::alerts::{Alert, AlertSource};
use crate::model::arn::short_resource;
use crate::model::{Finding, SeverityLabel, Timestamp};
use crate::pane::PaneId;
use std::collections::HashSet;
use std::sync::Arc;

pub struct Pane;

impl PaneModel for Pane {
    const ID: PaneId = PaneId::Findings;
    /// Shared, not copied: a source that keeps its findings between refreshes hands the app the
    /// same records, so a refresh costs only what changed (and the table reuses unchanged rows).
    type Data = Vec<Arc<Finding>>;

    fn record_count(data: &Self::Data) -> usize {
        data.len()
    }

    fn absorb(data: &mut Self::Data, more: Self::Data) {
        data.extend(more);
    }

    /// A new open finding at or above the threshold.
    fn alerts(data: &Self::Data, min_severity: SeverityLabel, now: Timestamp) -> Option<Vec<Alert>> {
        Some(
            data.iter()
                .filter(|f| f.is_open() && f.severity >= min_severity)
                .map(|f| Alert {
                    source: AlertSource::FINDING,
                    key: f.identity(),
                    title: format!("{} finding: {}", f.severity.as_str(), f.title),
                    detail: format!("{} · {}", short_resource(&f.resource), f.finding_type),
                    severity: Some(f.severity),
                    account: Some(f.account_id.to_string()),
                    region: Some(f.region.to_string()),
                    at: now,
                })
                .collect(),
        )
    }

    /// Findings that two contexts both return (an aggregation region and a linked region, one
    /// account through two profiles) are shown once; and ranked again, since one context's
    /// findings tell about another's resources.
    fn without_repeats(data: &mut Self::Data, now: Timestamp) {
        let mut seen = HashSet::with_capacity(data.len());
        data.retain(|f| seen.insert(f.identity()));
        crate::model::risk::rank(data, now);
    }

    fn action_ids(data: &Self::Data) -> Vec<String> {
        data.iter().map(|f| f.id.to_string()).collect()
    }
}
