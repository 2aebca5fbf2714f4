//! The Keys pane's model: KMS keys, what depends on them, and the actions that bring one back.

use super::PaneModel;
use crate::model::alerts::{Alert, AlertSource};
use crate::model::arn::arn_place;
use crate::model::key::{KeyHealth, KeyState, KeysReport, KmsKey, PrivateCa};
use crate::model::radar::{Due, RadarItem};
use crate::model::time::days_until;
use crate::model::triage::{PaneAction, Target, place_of};
use crate::model::{Context, Placement, SeverityLabel, Timestamp};
use crate::pane::PaneId;
use serde::{Deserialize, Serialize};

/// KMS's default rotation period, and the range EnableKeyRotation accepts.
pub const ROTATION_PERIOD_DAYS: i32 = 365;
pub const ROTATION_PERIODS: std::ops::RangeInclusive<i32> = 90..=2560;

/// What can be done to a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// CancelKeyDeletion: the key comes back Disabled.
    CancelKeyDeletion,
    /// EnableKey.
    EnableKey,
    /// EnableKeyRotation with its period.
    EnableKeyRotation { period_days: i32 },
}

impl PaneAction for Action {
    fn describe(&self) -> String {
        match self {
            Self::CancelKeyDeletion => "cancel the key's deletion".into(),
            Self::EnableKey => "enable the key".into(),
            Self::EnableKeyRotation { period_days } => format!("turn on automatic rotation every {period_days} days"),
        }
    }

    fn caveat(&self) -> Option<&'static str> {
        match self {
            Self::CancelKeyDeletion => {
                Some("KMS brings the key back Disabled: enable it (e in the menu) before anything can decrypt with it")
            }
            Self::EnableKeyRotation { .. } => {
                Some("new key material from the next rotation on; what was encrypted before still decrypts")
            }
            Self::EnableKey => None,
        }
    }

    fn describe_call(&self, target: &Target) -> String {
        let operation = match self {
            Self::CancelKeyDeletion => "CancelKeyDeletion".to_string(),
            Self::EnableKey => "EnableKey".to_string(),
            Self::EnableKeyRotation { period_days } => format!("EnableKeyRotation (RotationPeriodInDays {period_days})"),
        };
        format!("KMS {operation} · {} · {}", place_of(target), target.id)
    }
}

/// A key as an action names it: by its ARN, in its account and region.
pub fn key_target(key: &KmsKey, context: &Context) -> Target {
    Target { likeness: None,
        id: key.arn.clone(),
        label: key.name().to_string(),
        placement: Placement::from_arn(&key.arn, context),
        product_arn: None,
        guardduty: None,
        ocsf_uid: None,
        user: None,
    }
}

/// Why `action` would not apply to `key`, in KMS's own terms.
pub fn key_refusal(key: &KmsKey, action: &Action) -> Option<String> {
    if !key.is_customer_managed() {
        return Some("an AWS managed key: the service that made it manages it".into());
    }
    match action {
        Action::CancelKeyDeletion if !matches!(key.state, KeyState::PendingDeletion | KeyState::PendingReplicaDeletion) => {
            Some(format!("not scheduled for deletion ({})", key.state.as_str()))
        }
        Action::EnableKey if key.state != KeyState::Disabled => Some(format!("not disabled ({})", key.state.as_str())),
        Action::EnableKeyRotation { .. } if !key.can_rotate_automatically() => Some(
            "automatic rotation is for symmetric encryption keys with material KMS made (not imported, asymmetric, HMAC or custom key store keys)"
                .into(),
        ),
        // KMS sets rotation on a multi-Region key's primary, for all its replicas.
        Action::EnableKeyRotation { .. } if key.multi_region.as_deref() == Some("REPLICA") => {
            Some("a multi-Region replica: turn rotation on for its primary key".into())
        }
        Action::EnableKeyRotation { .. } if key.state != KeyState::Enabled => {
            Some(format!("KMS rotates enabled keys only ({})", key.state.as_str()))
        }
        Action::EnableKeyRotation { .. } if key.rotation_enabled == Some(true) => {
            Some("automatic rotation is already on".into())
        }
        _ => None,
    }
}

impl Due {
    /// A key scheduled for deletion that secrets are encrypted with: they cannot be read from its
    /// deletion date.
    pub const KEY_DELETION_IN_USE: Due =
        Due { code: "key_deletion_in_use", label: "key deleted, secrets unreadable", rank: 5 };
    /// Disabled or unavailable while secrets are encrypted with it: they cannot be read now.
    pub const KEY_BLOCKED_IN_USE: Due = Due { code: "key_blocked_in_use", label: "key off, secrets unreadable", rank: 8 };
    /// Imported key material expires: the key becomes unusable until it is imported again.
    pub const KEY_MATERIAL_EXPIRES: Due = Due { code: "key_material_expires", label: "key material expires", rank: 45 };
    /// A private CA's certificate expires: every certificate it issued stops being trusted.
    pub const CA_EXPIRES: Due = Due { code: "ca_expires", label: "private CA expires", rank: 12 };
    /// A key scheduled for deletion that nothing known depends on.
    pub const KEY_DELETION: Due = Due { code: "key_deletion", label: "key deleted", rank: 95 };
}

/// A key's radar item, if it falls due.
pub fn key_item(key: &KmsKey, now: Timestamp) -> Option<RadarItem> {
    let (due, at) = match key.health(now) {
        KeyHealth::DeletionInUse => (Due::KEY_DELETION_IN_USE, key.deletion_date),
        KeyHealth::BlockedInUse => (Due::KEY_BLOCKED_IN_USE, None),
        KeyHealth::MaterialExpiring => (Due::KEY_MATERIAL_EXPIRES, key.material_expires),
        KeyHealth::PendingDeletion => (Due::KEY_DELETION, key.deletion_date),
        _ => return None,
    };
    let breaks = match (due, at) {
        (Due::KEY_DELETION_IN_USE, Some(at)) => {
            format!("{} can't be read from {}", key.dependents_text(), crate::model::time::short_date(at))
        }
        (Due::KEY_BLOCKED_IN_USE, _) => format!("{} can't be read now ({})", key.dependents_text(), key.state.as_str()),
        _ => key.dependents_text(),
    };
    let days_left = at.map(|t| days_until(t, now));
    Some(RadarItem::new(PaneId::Keys, due, &key.arn, key.name(), at, days_left, breaks))
}

/// A private CA rings this many days before its certificate expires, as a certificate in use does.
pub const CA_ALERT_DAYS: i64 = 7;

/// A private CA's radar item, while it is active and expires within the radar's horizon.
pub fn ca_item(ca: &PrivateCa, now: Timestamp) -> Option<RadarItem> {
    let at = ca.not_after.filter(|_| ca.status == "ACTIVE" || ca.status == "EXPIRED")?;
    let breaks = match ca.issued.len() {
        0 => "issued no ACM certificate known".to_string(),
        n => {
            let names: Vec<&str> = ca.issued.iter().map(|c| c.name.as_str()).collect();
            format!("{n} certificate{} it issued stop being trusted: {}", if n == 1 { "" } else { "s" }, names.join(", "))
        }
    };
    Some(RadarItem::new(PaneId::Keys, Due::CA_EXPIRES, &ca.arn, &ca.name, Some(at), Some(days_until(at, now)), breaks))
}

pub struct Pane;

impl PaneModel for Pane {
    type Action = Action;
    const ID: PaneId = PaneId::Keys;
    type Data = KeysReport;

    fn record_count(data: &Self::Data) -> usize {
        data.keys.len() + data.authorities.len() + data.clusters.len()
    }

    fn absorb(data: &mut Self::Data, more: Self::Data) {
        data.keys.extend(more.keys);
        data.authorities.extend(more.authorities);
        data.clusters.extend(more.clusters);
    }

    /// A key that secrets depend on scheduled for deletion, disabled or unavailable; an active
    /// private CA within [`CA_ALERT_DAYS`] of expiring.
    fn alerts(data: &Self::Data, _min_severity: SeverityLabel, now: Timestamp) -> Option<Vec<Alert>> {
        let authorities = data.authorities.iter().filter_map(|ca| {
            let item = ca_item(ca, now)?;
            let days = item.days_left.filter(|d| *d <= CA_ALERT_DAYS)?;
            let (region, account) = arn_place(&ca.arn);
            Some(Alert {
                source: AlertSource::KEY,
                key: format!("{}:expires", ca.arn),
                title: format!("Private CA {} expires in {days} days", ca.name),
                detail: item.breaks,
                severity: None,
                account: Some(account.to_string()).filter(|a| !a.is_empty()),
                region: Some(region.to_string()).filter(|r| !r.is_empty()),
                at: now,
            })
        });
        Some(
            data.keys
                .iter()
                .filter(|k| matches!(k.health(now), KeyHealth::DeletionInUse | KeyHealth::BlockedInUse))
                .map(|k| {
                    let (region, account) = arn_place(&k.arn);
                    Alert {
                        source: AlertSource::KEY,
                        key: format!("{}:{}", k.arn, k.state.as_str()),
                        title: format!("KMS key {} is {} and in use", k.name(), k.state.as_str()),
                        detail: key_item(k, now).map(|i| i.breaks).unwrap_or_else(|| k.dependents_text()),
                        severity: None,
                        account: Some(account.to_string()).filter(|a| !a.is_empty()),
                        region: Some(region.to_string()).filter(|r| !r.is_empty()),
                        at: now,
                    }
                })
                .chain(authorities)
                .collect(),
        )
    }

    fn due(data: &Self::Data, now: Timestamp) -> Vec<RadarItem> {
        let keys = data.keys.iter().filter_map(|k| key_item(k, now));
        keys.chain(data.authorities.iter().filter_map(|ca| ca_item(ca, now))).collect()
    }

    fn action_keys(data: &Self::Data) -> Vec<String> {
        data.keys.iter().map(|k| key_target(k, &Context::nowhere()).key()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::key::{Dependent, KeyManager};
    use chrono::{Duration, TimeZone, Utc};

    fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()
    }

    fn key(state: KeyState) -> KmsKey {
        KmsKey {
            id: "k1".into(),
            arn: "arn:aws:kms:us-east-1:123456789012:key/k1".into(),
            alias: Some("payments".into()),
            description: None,
            state,
            manager: KeyManager::Customer,
            spec: "SYMMETRIC_DEFAULT".into(),
            usage: "ENCRYPT_DECRYPT".into(),
            origin: "AWS_KMS".into(),
            rotation_enabled: Some(false),
            rotation_period_days: None,
            next_rotation: None,
            on_demand_rotation_started: None,
            deletion_date: None,
            material_expires: None,
            multi_region: None,
            created: None,
            dependents: vec![],
        }
    }

    #[test]
    fn a_key_deleted_under_its_secrets_is_one_radar_row_with_its_date() {
        let mut k = key(KeyState::PendingDeletion);
        k.deletion_date = Some(now() + Duration::days(5));
        for name in ["prod/payments-db", "prod/payments-api"] {
            k.dependents.push(Dependent { kind: "secret".into(), name: name.into(), arn: format!("arn:{name}") });
        }
        let item = key_item(&k, now()).unwrap();
        assert_eq!((item.due, item.days_left), (Due::KEY_DELETION_IN_USE, Some(5)));
        assert_eq!(item.breaks, "2 secrets: prod/payments-db, prod/payments-api can't be read from 2026-12-06");
        let report = KeysReport { keys: vec![k], ..KeysReport::default() };
        assert_eq!(Pane::alerts(&report, SeverityLabel::High, now()).unwrap().len(), 1);
    }

    #[test]
    fn a_private_ca_rings_a_week_before_it_expires_naming_what_it_issued() {
        let ca = |days: i64| PrivateCa {
            arn: "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/ca1".into(),
            name: "Shop Internal".into(),
            kind: "ROOT".into(),
            status: "ACTIVE".into(),
            not_after: Some(now() + Duration::days(days) + Duration::hours(1)),
            issued: vec![Dependent { kind: "certificate".into(), name: "orders.internal.shop".into(), arn: "arn:c".into() }],
        };
        let alerts = |days| {
            let report = KeysReport { authorities: vec![ca(days)], ..KeysReport::default() };
            Pane::alerts(&report, SeverityLabel::High, now()).unwrap()
        };
        assert!(alerts(40).is_empty());
        let rung = alerts(6);
        assert_eq!(rung.len(), 1);
        assert_eq!(rung[0].title, "Private CA Shop Internal expires in 6 days");
        assert!(rung[0].detail.contains("orders.internal.shop"), "{}", rung[0].detail);
    }

    #[test]
    fn actions_are_refused_in_kms_terms() {
        let enabled = key(KeyState::Enabled);
        assert!(key_refusal(&enabled, &Action::CancelKeyDeletion).unwrap().starts_with("not scheduled"));
        assert_eq!(key_refusal(&enabled, &Action::EnableKeyRotation { period_days: 365 }), None);
        assert_eq!(key_refusal(&key(KeyState::PendingDeletion), &Action::CancelKeyDeletion), None);
        assert_eq!(key_refusal(&key(KeyState::Disabled), &Action::EnableKey), None);
        let mut replica = key(KeyState::Enabled);
        replica.multi_region = Some("REPLICA".into());
        assert!(key_refusal(&replica, &Action::EnableKeyRotation { period_days: 365 }).unwrap().contains("primary"));
        assert_eq!(key_refusal(&key(KeyState::PendingReplicaDeletion), &Action::CancelKeyDeletion), None);
        let mut aws = key(KeyState::PendingDeletion);
        aws.manager = KeyManager::Aws;
        assert!(key_refusal(&aws, &Action::CancelKeyDeletion).unwrap().contains("AWS managed"));
    }
}
