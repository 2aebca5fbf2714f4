//! Secrets Manager secret metadata and its rotation health. Values never reach this type.

use super::time::{Timestamp, days_since, is_past};
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
    /// A rotation started and never finished: `AWSPENDING` sits on a version that is not current
    /// and nothing changed for [`ROTATION_RUNS_FOR`], so the next RotateSecret fails too.
    Stuck,
    /// Rotation is on but the secret missed its rotation by more than a day.
    Overdue,
    /// Rotation is on and the secret's value has never changed since it was made.
    NeverRotated,
    /// Rotation is off.
    Off,
    /// A rotation is running: `AWSPENDING` apart from `AWSCURRENT`, the secret changed within
    /// [`ROTATION_RUNS_FOR`]. RotateSecret is refused until it ends.
    Rotating,
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
            Self::Rotating => "ROTATING",
            Self::Healthy => "HEALTHY",
            Self::PendingDeletion => "DELETING",
        }
    }
}

/// A secret not read for this long is reported unused.
pub const UNUSED_AFTER_DAYS: i64 = 90;
/// How late a rotation may run before it counts as overdue.
const ROTATION_GRACE: Duration = Duration::days(1);
/// A rotation whose secret changed this recently is still running, not stuck: a rotation
/// function's four steps take minutes, and AWS retries a failing one within the rotation window.
pub const ROTATION_RUNS_FOR: Duration = Duration::hours(2);
/// A secret changed this long after it was made was changed by someone (PutSecretValue,
/// UpdateSecret): AWS counts that as a rotation.
const CHANGED_AFTER_CREATION: Duration = Duration::minutes(1);

impl Secret {
    pub fn rotation_status(&self, now: Timestamp) -> RotationStatus {
        if self.deleted_date.is_some() {
            return RotationStatus::PendingDeletion;
        }
        if self.has_pending_version_left_behind() {
            // AWS retries a failing rotation, touching the secret each time: one past its
            // NextRotationDate is stuck however recently it changed.
            let past_due = self.next_rotation.is_some_and(|next| is_past(next + ROTATION_GRACE, now));
            let running = self.last_changed.is_some_and(|changed| !is_past(changed + ROTATION_RUNS_FOR, now));
            return if running && !past_due { RotationStatus::Rotating } else { RotationStatus::Stuck };
        }
        if !self.rotation_enabled {
            return RotationStatus::Off;
        }
        // AWS schedules the next rotation from the last one, a PutSecretValue or UpdateSecret
        // included ("considered a valid rotation"): NextRotationDate says when it is due. Where it
        // is absent, the interval counts from the last change of either kind.
        let last_change = self.last_value_change();
        let overdue = match (self.next_rotation, last_change, self.rotation_interval_days) {
            (Some(next), _, _) => is_past(next + ROTATION_GRACE, now),
            (None, Some(last), Some(days)) => is_past(last + Duration::days(days) + ROTATION_GRACE, now),
            _ => false,
        };
        if overdue {
            return RotationStatus::Overdue;
        }
        if last_change.is_none() {
            return RotationStatus::NeverRotated;
        }
        RotationStatus::Healthy
    }

    /// When the value last changed, as far as AWS says: the last rotation, or a later change of the
    /// secret (`LastChangedDate` also moves for a new description or tags: "possibly changed").
    /// A change within a minute of creation is the creation itself.
    pub fn last_value_change(&self) -> Option<Timestamp> {
        let by_hand = self.last_changed.filter(|changed| match self.created {
            Some(created) => *changed > created + CHANGED_AFTER_CREATION,
            None => true,
        });
        self.last_rotated.into_iter().chain(by_hand).max()
    }

    /// Whether a rotation has left `AWSPENDING` apart from `AWSCURRENT` (running or stuck): AWS
    /// refuses RotateSecret until it is done.
    pub fn rotation_unfinished(&self) -> bool {
        self.has_pending_version_left_behind()
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

        let mut stuck = Secret { last_changed: Some(now() - Duration::days(2)), ..secret() };
        stuck.versions.push(SecretVersion { id: "v2".into(), stages: vec!["AWSPENDING".into()] });
        assert_eq!(stuck.rotation_status(now()), RotationStatus::Stuck);
        let running = Secret { last_changed: Some(now() - Duration::minutes(5)), ..stuck.clone() };
        assert_eq!(running.rotation_status(now()), RotationStatus::Rotating, "a rotation in progress is not stuck");
        let retrying = Secret { next_rotation: Some(now() - Duration::days(3)), ..running.clone() };
        assert_eq!(retrying.rotation_status(now()), RotationStatus::Stuck, "retries past the due date: stuck");

        let deleting = Secret { deleted_date: Some(now()), ..secret() };
        assert_eq!(deleting.rotation_status(now()), RotationStatus::PendingDeletion);
    }

    #[test]
    fn a_value_put_by_hand_counts_as_a_rotation() {
        // Never rotated by the rotation function, but PutSecretValue 10 days ago; AWS moved the
        // next rotation from it.
        let by_hand = Secret {
            last_rotated: None,
            last_changed: Some(now() - Duration::days(10)),
            next_rotation: Some(now() + Duration::days(20)),
            ..secret()
        };
        assert_eq!(by_hand.rotation_status(now()), RotationStatus::Healthy);
        // Without a NextRotationDate the interval counts from that change, not from the old rotation.
        let old_rotation = Secret {
            last_rotated: Some(now() - Duration::days(45)),
            last_changed: Some(now() - Duration::days(5)),
            next_rotation: None,
            ..secret()
        };
        assert_eq!(old_rotation.rotation_status(now()), RotationStatus::Healthy);
        // A creation is no change.
        let fresh = Secret {
            last_rotated: None,
            created: Some(now() - Duration::days(3)),
            last_changed: Some(now() - Duration::days(3)),
            next_rotation: Some(now() + Duration::days(27)),
            ..secret()
        };
        assert_eq!(fresh.rotation_status(now()), RotationStatus::NeverRotated);
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
