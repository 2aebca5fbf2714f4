//! Secrets Manager secret metadata and its rotation health. Values never reach this type.

use super::time::{Timestamp, days_since};
use chrono::Duration;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Secret {
    pub name: String,
    pub arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub rotation_enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation_lambda_arn: Option<String>,
    /// `RotationRules.AutomaticallyAfterDays`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation_interval_days: Option<i64>,
    /// `RotationRules.ScheduleExpression`, such as `rate(30 days)` or `cron(0 4 ? * SUN *)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation_schedule: Option<String>,
    pub created: Option<Timestamp>,
    pub last_rotated: Option<Timestamp>,
    pub next_rotation: Option<Timestamp>,
    pub last_accessed: Option<Timestamp>,
    pub last_changed: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_date: Option<Timestamp>,
    /// Version id to staging labels (`AWSCURRENT`, `AWSPENDING`, `AWSPREVIOUS`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<SecretVersion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretVersion {
    pub id: String,
    pub stages: Vec<String>,
}

/// The rotation state of a secret, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RotationStatus {
    /// A rotation started and never finished: `AWSPENDING` sits on a version that is not current,
    /// so the next RotateSecret will fail too.
    Stuck,
    /// Rotation is on but the secret missed its rotation by more than a day.
    Overdue,
    /// Rotation is on and the secret has never been rotated.
    NeverRotated,
    /// Rotation is off.
    Off,
    Healthy,
    /// Scheduled for deletion: rotation no longer matters.
    PendingDeletion,
}

impl RotationStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Stuck => "STUCK",
            Self::Overdue => "OVERDUE",
            Self::NeverRotated => "NEVER ROTATED",
            Self::Off => "ROTATION OFF",
            Self::Healthy => "HEALTHY",
            Self::PendingDeletion => "DELETING",
        }
    }
}

/// A secret not read for this long is reported unused.
pub const UNUSED_AFTER_DAYS: i64 = 90;
/// How late a rotation may run before it counts as overdue.
const ROTATION_GRACE: Duration = Duration::days(1);

impl Secret {
    pub fn rotation_status(&self, now: Timestamp) -> RotationStatus {
        if self.deleted_date.is_some() {
            return RotationStatus::PendingDeletion;
        }
        if self.has_pending_version_left_behind() {
            return RotationStatus::Stuck;
        }
        if !self.rotation_enabled {
            return RotationStatus::Off;
        }
        let missed_scheduled = self.next_rotation.is_some_and(|next| next + ROTATION_GRACE < now);
        let missed_interval = match (self.last_rotated, self.rotation_interval_days) {
            (Some(last), Some(days)) => last + Duration::days(days) + ROTATION_GRACE < now,
            _ => false,
        };
        if missed_scheduled || missed_interval {
            return RotationStatus::Overdue;
        }
        if self.last_rotated.is_none() {
            return RotationStatus::NeverRotated;
        }
        RotationStatus::Healthy
    }

    fn has_pending_version_left_behind(&self) -> bool {
        self.versions
            .iter()
            .any(|v| v.stages.iter().any(|s| s == "AWSPENDING") && !v.stages.iter().any(|s| s == "AWSCURRENT"))
    }

    /// Days since the secret was last read, if Secrets Manager recorded it.
    pub fn days_since_access(&self, now: Timestamp) -> Option<i64> {
        self.last_accessed.map(|t| days_since(t, now))
    }

    /// Not read for [`UNUSED_AFTER_DAYS`], or never read and older than that.
    pub fn is_unused(&self, now: Timestamp) -> bool {
        match (self.last_accessed, self.created) {
            (Some(accessed), _) => days_since(accessed, now) >= UNUSED_AFTER_DAYS,
            (None, Some(created)) => days_since(created, now) >= UNUSED_AFTER_DAYS,
            (None, None) => false,
        }
    }

    /// The rotation rule as a person reads it.
    pub fn rotation_rule(&self) -> Option<String> {
        match (&self.rotation_schedule, self.rotation_interval_days) {
            (Some(expr), _) => Some(expr.clone()),
            (None, Some(days)) => Some(format!("every {days}d")),
            (None, None) => None,
        }
    }

    /// Rotation can be triggered only where a rotation is configured.
    pub fn can_rotate(&self) -> bool {
        self.rotation_enabled && self.deleted_date.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).single().unwrap()
    }

    fn secret() -> Secret {
        Secret {
            name: "prod/db".into(),
            arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf".into(),
            description: None,
            rotation_enabled: true,
            rotation_lambda_arn: None,
            rotation_interval_days: Some(30),
            rotation_schedule: None,
            created: Some(now() - Duration::days(400)),
            last_rotated: Some(now() - Duration::days(10)),
            next_rotation: Some(now() + Duration::days(20)),
            last_accessed: Some(now() - Duration::days(1)),
            last_changed: None,
            deleted_date: None,
            versions: vec![SecretVersion { id: "v1".into(), stages: vec!["AWSCURRENT".into()] }],
        }
    }

    #[test]
    fn classifies_each_rotation_state() {
        assert_eq!(secret().rotation_status(now()), RotationStatus::Healthy);

        let off = Secret { rotation_enabled: false, ..secret() };
        assert_eq!(off.rotation_status(now()), RotationStatus::Off);

        let never = Secret { last_rotated: None, next_rotation: Some(now() + Duration::days(3)), ..secret() };
        assert_eq!(never.rotation_status(now()), RotationStatus::NeverRotated);

        let overdue = Secret { next_rotation: Some(now() - Duration::days(3)), ..secret() };
        assert_eq!(overdue.rotation_status(now()), RotationStatus::Overdue);

        let late_by_interval =
            Secret { last_rotated: Some(now() - Duration::days(45)), next_rotation: None, ..secret() };
        assert_eq!(late_by_interval.rotation_status(now()), RotationStatus::Overdue);

        let mut stuck = secret();
        stuck.versions.push(SecretVersion { id: "v2".into(), stages: vec!["AWSPENDING".into()] });
        assert_eq!(stuck.rotation_status(now()), RotationStatus::Stuck);

        let deleting = Secret { deleted_date: Some(now()), ..secret() };
        assert_eq!(deleting.rotation_status(now()), RotationStatus::PendingDeletion);
    }

    #[test]
    fn pending_on_the_current_version_is_not_stuck() {
        let mut s = secret();
        s.versions = vec![SecretVersion { id: "v1".into(), stages: vec!["AWSCURRENT".into(), "AWSPENDING".into()] }];
        assert_eq!(s.rotation_status(now()), RotationStatus::Healthy);
    }

    #[test]
    fn a_secret_within_its_grace_day_is_not_overdue() {
        let s = Secret { next_rotation: Some(now() - Duration::hours(12)), ..secret() };
        assert_eq!(s.rotation_status(now()), RotationStatus::Healthy);
    }

    #[test]
    fn unused_after_ninety_days_without_access() {
        assert!(!secret().is_unused(now()));
        let stale = Secret { last_accessed: Some(now() - Duration::days(120)), ..secret() };
        assert!(stale.is_unused(now()));
        let never_read = Secret { last_accessed: None, ..secret() };
        assert!(never_read.is_unused(now()));
    }
}
