//! The Secrets pane's model: Secrets Manager metadata and rotation health (never a value).

use crate::model::triage::{PaneAction, Target, place_of};
use serde::{Deserialize, Serialize};
use super::PaneModel;
use crate::model::alerts::{Alert, AlertSource};
use crate::model::arn::arn_place;
use crate::model::radar::{RadarItem, secret_item};
use crate::model::{RotationStatus, Secret, SeverityLabel, Timestamp};
use crate::pane::PaneId;

/// What can be done to a secret (never reading its value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    RotateSecret,
}

impl PaneAction for Action {
    fn describe(&self) -> String {
        "rotate secret now".into()
    }

    fn describe_call(&self, target: &Target) -> String {
        format!("Secrets Manager RotateSecret · {} · {}", place_of(target), target.id)
    }
}

pub struct Pane;

impl PaneModel for Pane {
    type Action = Action;
    const ID: PaneId = PaneId::Secrets;
    type Data = Vec<Secret>;

    fn record_count(data: &Self::Data) -> usize {
        data.len()
    }

    fn absorb(data: &mut Self::Data, more: Self::Data) {
        data.extend(more);
    }

    /// A secret whose rotation turns overdue or stuck.
    fn alerts(data: &Self::Data, _min_severity: SeverityLabel, now: Timestamp) -> Option<Vec<Alert>> {
        Some(
            data.iter()
                .filter_map(|s| {
                    let status = s.rotation_status(now);
                    matches!(status, RotationStatus::Overdue | RotationStatus::Stuck).then_some((s, status))
                })
                .map(|(s, status)| {
                    let (region, account) = arn_place(&s.arn);
                    Alert {
                        source: AlertSource::SECRET,
                        key: format!("{}:{}", s.arn, status.label()),
                        title: format!("Secret rotation {}: {}", status.label().to_lowercase(), s.name),
                        detail: s.rotation_rule().map(|r| format!("rotation {r}")).unwrap_or_default(),
                        severity: None,
                        account: Some(account.to_string()).filter(|a| !a.is_empty()),
                        region: Some(region.to_string()).filter(|r| !r.is_empty()),
                        at: now,
                    }
                })
                .collect(),
        )
    }

    fn due(data: &Self::Data, now: Timestamp) -> Vec<RadarItem> {
        data.iter().filter_map(|s| secret_item(s, now)).collect()
    }

    fn action_keys(data: &Self::Data) -> Vec<String> {
        data.iter().map(|s| crate::model::triage::secret_target(s, &crate::model::Context::nowhere()).key()).collect()
    }
}
