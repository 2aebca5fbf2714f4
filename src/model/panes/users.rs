//! The Users pane's model: Cognito user pools and the anomalies found in them.

use crate::model::triage::{PaneAction, Target, place_of};
use serde::{Deserialize, Serialize};
use super::PaneModel;
use crate::model::alerts::{Alert, AlertSource};
use crate::model::users::AnomalyKind;
use crate::model::{SeverityLabel, Timestamp, UsersReport};
use crate::pane::PaneId;

/// What can be done to a Cognito user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    DisableUser,
    EnableUser,
    GlobalSignOut,
    ResetPassword,
}

impl PaneAction for Action {
    fn describe(&self) -> String {
        match self {
            Self::DisableUser => "disable user".into(),
            Self::EnableUser => "enable user".into(),
            Self::GlobalSignOut => "sign user out everywhere".into(),
            Self::ResetPassword => "reset user password".into(),
        }
    }

    fn describe_call(&self, target: &Target) -> String {
        let operation = match self {
            Self::DisableUser => "AdminDisableUser",
            Self::EnableUser => "AdminEnableUser",
            Self::GlobalSignOut => "AdminUserGlobalSignOut",
            Self::ResetPassword => "AdminResetUserPassword",
        };
        match &target.user {
            Some(user) => format!(
                "Cognito {operation} · {} · pool {} · user {}",
                place_of(target),
                user.pool_id,
                crate::model::users::mask_username(&user.username)
            ),
            None => format!("Cognito {operation}: no user (not sent)"),
        }
    }
}

pub struct Pane;

impl PaneModel for Pane {
    type Action = Action;
    const ID: PaneId = PaneId::Users;
    type Data = UsersReport;

    fn record_count(data: &Self::Data) -> usize {
        data.anomalies.len()
    }

    fn absorb(data: &mut Self::Data, more: Self::Data) {
        data.pools.extend(more.pools);
        data.anomalies.extend(more.anomalies);
    }

    /// A sign-up burst or cluster.
    fn alerts(data: &Self::Data, _min_severity: SeverityLabel, now: Timestamp) -> Option<Vec<Alert>> {
        Some(
            data.anomalies
                .iter()
                .filter(|a| matches!(a.kind, AnomalyKind::SignUpBurst | AnomalyKind::SignUpCluster))
                .map(|a| {
                    // A cluster is its domain or prefix; its counts change every refresh.
                    let what = a.detail.split(": ").next().filter(|_| a.kind == AnomalyKind::SignUpCluster);
                    Alert {
                        source: AlertSource::SIGN_UPS,
                        key: format!("{}:{:?}:{}", a.pool_id, a.kind, what.unwrap_or_default()),
                        title: format!("{} in {}", a.kind.label().to_lowercase(), a.pool_name),
                        detail: a.detail.clone(),
                        severity: None,
                        account: a.account.clone(),
                        region: Some(a.pool_region().to_string()),
                        at: now,
                    }
                })
                .collect(),
        )
    }

    /// A pool id names its region only: a member account's pools are told their account.
    fn place_in_account(data: &mut Self::Data, account: &str) {
        for pool in data.pools.iter_mut().filter(|p| p.account.is_none()) {
            pool.account = Some(account.to_string());
        }
        for anomaly in data.anomalies.iter_mut().filter(|a| a.account.is_none()) {
            anomaly.account = Some(account.to_string());
        }
    }

    fn action_ids(data: &Self::Data) -> Vec<String> {
        data.anomalies.iter().map(|a| format!("{}/{}", a.pool_id, a.username)).collect()
    }
}
