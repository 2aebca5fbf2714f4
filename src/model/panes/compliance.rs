//! The Compliance pane's model: Security Hub standards, their controls and scores.

use crate::model::triage::{PaneAction, Target};
use serde::{Deserialize, Serialize};
use super::PaneModel;
use crate::model::{Standard, Timestamp};
use crate::pane::PaneId;

/// A control has no action of its own: it changes through its findings and its standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {}

impl PaneAction for Action {
    fn describe(&self) -> String {
        match *self {}
    }

    fn describe_call(&self, _target: &Target) -> String {
        match *self {}
    }
}

pub struct Pane;

impl PaneModel for Pane {
    type Action = Action;
    const ID: PaneId = PaneId::Compliance;
    type Data = Vec<Standard>;

    fn record_count(data: &Self::Data) -> usize {
        data.iter().map(|s| s.controls.len()).sum()
    }

    fn absorb(data: &mut Self::Data, more: Self::Data) {
        data.extend(more);
    }

    /// A standard's ARN can be the same in every region: with several contexts each standard says
    /// its account and region, so the all view never shows "all" as a place.
    fn mark_context(data: &mut Self::Data, account: &str, region: &str, several: bool) {
        if several {
            for standard in data {
                standard.name = format!("{} · {account} {region}", standard.name);
                standard.arn = format!("{}#{account}/{region}", standard.arn);
            }
        }
    }

    fn without_repeats(_data: &mut Self::Data, _now: Timestamp) {}
}
