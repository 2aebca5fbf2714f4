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
            Self::GlobalSignOut => "sign user out (refresh tokens revoked; issued tokens live until they expire)".into(),
            Self::ResetPassword => "reset user password (code goes to the user's current contact)".into(),
        }
    }

    /// From the Cognito API reference: AdminDisableUser revokes access tokens only;
    /// AdminUserGlobalSignOut leaves issued tokens valid for apps that check them offline and the
    /// managed login cookie in place; AdminResetUserPassword sends its code to the user's current
    /// e-mail or phone, which after a takeover may be the attacker's.
    fn caveat(&self) -> Option<&'static str> {
        match self {
            Self::DisableUser => Some(
                "The user can no longer sign in and AWS revokes its access tokens; ID and refresh tokens are not said to be revoked: sign the user out too.",
            ),
            Self::EnableUser => None,
            Self::GlobalSignOut => Some(
                "AWS revokes the refresh tokens, and access tokens for Cognito's own APIs; tokens already issued keep working with apps that check them offline until they expire, and a managed login cookie is not cleared.",
            ),
            Self::ResetPassword => Some(
                "AWS sends the reset code to the user's current e-mail or phone: after an account takeover that may be the attacker's. Disable the user first. The pool needs self-service account recovery.",
            ),
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

    /// A sign-up burst or cluster, a surge of failed sign-ins, threat protection's risky sign-ins.
    fn alerts(data: &Self::Data, _min_severity: SeverityLabel, now: Timestamp) -> Option<Vec<Alert>> {
        Some(
            data.anomalies
                .iter()
                .filter(|a| {
                    matches!(
                        a.kind,
                        AnomalyKind::SignUpBurst
                            | AnomalyKind::SignUpCluster
                            | AnomalyKind::FailedSignInSurge
                            | AnomalyKind::RiskySignIns
                    )
                })
                .map(|a| {
                    // A cluster is its domain or prefix; its counts change every refresh.
                    let what = a.detail.split(": ").next().filter(|_| a.kind == AnomalyKind::SignUpCluster);
                    Alert {
                        source: if a.kind.is_sign_in_risk() { AlertSource::SIGN_INS } else { AlertSource::SIGN_UPS },
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
    fn place_in_context(data: &mut Self::Data, account: &str, _region: &str) {
        for pool in data.pools.iter_mut().filter(|p| p.account.is_none()) {
            pool.account = Some(account.to_string());
        }
        for anomaly in data.anomalies.iter_mut().filter(|a| a.account.is_none()) {
            anomaly.account = Some(account.to_string());
        }
    }

    /// A pool's id names its region (`eu-west-1_AbC123`): only the account is placed.
    fn action_keys(data: &Self::Data) -> Vec<String> {
        let nowhere = crate::model::Context::nowhere();
        data.anomalies.iter().filter_map(|a| crate::model::triage::user_target(a, &nowhere)).map(|t| t.key()).collect()
    }
}
