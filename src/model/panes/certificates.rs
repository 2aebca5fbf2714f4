//! The Certificates pane's model: ACM certificates and their expiry health.

use crate::model::triage::{PaneAction, Target, place_of};
use serde::{Deserialize, Serialize};
use super::PaneModel;
use crate::model::alerts::{Alert, AlertSource, CERTIFICATE_DAYS};
use crate::model::arn::arn_place;
use crate::model::radar::{RadarItem, certificate_item};
use crate::model::{Certificate, SeverityLabel, Timestamp};
use crate::pane::PaneId;

/// What can be done to a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    RenewCertificate,
}

impl PaneAction for Action {
    fn describe(&self) -> String {
        "renew certificate".into()
    }

    fn describe_call(&self, target: &Target) -> String {
        format!("ACM RenewCertificate · {} · {}", place_of(target), target.id)
    }
}

pub struct Pane;

impl PaneModel for Pane {
    type Action = Action;
    const ID: PaneId = PaneId::Certificates;
    type Data = Vec<Certificate>;

    fn record_count(data: &Self::Data) -> usize {
        data.len()
    }

    fn absorb(data: &mut Self::Data, more: Self::Data) {
        data.extend(more);
    }

    /// A certificate in use crossing [`CERTIFICATE_DAYS`] before its expiry.
    fn alerts(data: &Self::Data, _min_severity: SeverityLabel, now: Timestamp) -> Option<Vec<Alert>> {
        Some(
            data.iter()
                .filter(|c| !c.in_use_by.is_empty())
                .filter_map(|c| Some((c, c.days_to_expiry(now)?)))
                .filter(|(_, days)| *days < CERTIFICATE_DAYS)
                .map(|(c, days)| {
                    let (region, account) = arn_place(&c.arn);
                    let when = if days < 0 { format!("expired {}d ago", -days) } else { format!("expires in {days}d") };
                    Alert {
                        source: AlertSource::CERTIFICATE,
                        key: format!("{}:{}d", c.arn, CERTIFICATE_DAYS),
                        title: format!("Certificate {when}: {}", c.domain),
                        detail: format!("in use by {}", c.in_use_by.len()),
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
        data.iter().filter_map(|c| certificate_item(c, now)).collect()
    }

    fn action_keys(data: &Self::Data) -> Vec<String> {
        data.iter().map(|c| crate::model::triage::certificate_target(c, &crate::model::Context::nowhere()).key()).collect()
    }
}
