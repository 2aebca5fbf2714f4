//! The expiry radar: what falls due next across certificates and secrets, by days left, with what
//! breaks when it does. One list, because on the night it happens nobody cares which service it is.

use super::certificate::{Certificate, CertificateKind, CertificateStatus, RenewalStatus};
use super::secret::{RotationStatus, Secret};
use super::time::{Timestamp, days_since, days_until};
use crate::pane::PaneId;
use chrono::Duration;
use serde::Serialize;

/// How far ahead the radar looks: beyond this nothing is due yet.
pub const HORIZON_DAYS: i64 = 60;
/// A secret read within this many days before its deletion was still in use when deleted.
pub const STILL_USED_DAYS: i64 = 30;
/// Secrets Manager's recovery window: at least 7 days, 30 by default, after `DeletedDate` (the
/// time DeleteSecret ran); the secret is purged at its end.
pub const RECOVERY_MIN_DAYS: i64 = 7;
pub const RECOVERY_DEFAULT_DAYS: i64 = 30;

/// What falls due: each pane names its own (a certificate's expiry, a key's deletion). Serialised
/// as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Due {
    /// snake_case, for snapshot JSON.
    pub code: &'static str,
    /// For people: "renewal failed".
    pub label: &'static str,
    /// Between two items due the same day, the lower rank breaks harder and comes first.
    pub rank: u8,
}

impl Due {
    pub fn label(self) -> &'static str {
        self.label
    }

    /// A certificate expired and is still attached to something.
    pub const CERTIFICATE_EXPIRED: Due = Due { code: "certificate_expired", label: "expired, in use", rank: 10 };
    /// ACM tried to renew and failed: the certificate expires unless someone acts.
    pub const RENEWAL_FAILED: Due = Due { code: "renewal_failed", label: "renewal failed", rank: 20 };
    /// ACM's renewal waits for domain validation (a DNS record or an e-mail nobody answered).
    pub const RENEWAL_PENDING_VALIDATION: Due =
        Due { code: "renewal_pending_validation", label: "renewal waits for validation", rank: 30 };
    /// Imported: ACM never renews it; someone must import a new one.
    pub const IMPORTED_EXPIRY: Due = Due { code: "imported_expiry", label: "imported: never renews", rank: 40 };
    /// Amazon-issued but not eligible for renewal (not in use, or validation no longer possible).
    pub const NOT_RENEWING: Due = Due { code: "not_renewing", label: "not eligible for renewal", rank: 50 };
    /// Renews by itself, yet expires within 30 days: ACM should have renewed it by now.
    pub const EXPIRY_NEAR: Due = Due { code: "expiry_near", label: "expires soon", rank: 60 };
    /// A rotation started and never finished; the next one fails too.
    pub const ROTATION_STUCK: Due = Due { code: "rotation_stuck", label: "rotation stuck", rank: 70 };
    /// Rotation is on and the secret missed it.
    pub const ROTATION_OVERDUE: Due = Due { code: "rotation_overdue", label: "rotation overdue", rank: 80 };
    /// Deleted (in its recovery window, purged at its end) though something read it shortly before.
    pub const DELETION_STILL_USED: Due =
        Due { code: "deletion_still_used", label: "deleted, was still read", rank: 90 };
}

impl Serialize for Due {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code)
    }
}

/// One thing on the radar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RadarItem {
    /// The pane the record is shown in.
    pub pane: PaneId,
    pub due: Due,
    /// The record's ARN: its key in its pane.
    pub arn: String,
    /// Where it lives, from the ARN.
    pub account: String,
    pub region: String,
    /// The domain or the secret's name.
    pub name: String,
    /// When it falls (fell) due, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    /// Whole days from now until `at`; negative once past. Absent when nothing dates it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_left: Option<i64>,
    /// What breaks: what serves the certificate, who last read the secret.
    pub breaks: String,
}

impl RadarItem {
    pub fn new(
        pane: PaneId,
        due: Due,
        arn: &str,
        name: &str,
        at: Option<Timestamp>,
        days_left: Option<i64>,
        breaks: String,
    ) -> Self {
        let (region, account) = super::arn::arn_place(arn);
        Self {
            pane,
            due,
            arn: arn.to_string(),
            account: account.to_string(),
            region: region.to_string(),
            name: name.to_string(),
            at,
            days_left,
            breaks,
        }
    }

    /// Sorting key: what breaks first first. What is already past due (or undated: a stuck rotation
    /// with no schedule counts as due now) comes first, the hardest break first (an expired
    /// certificate in use before a late rotation), then what falls due, the soonest first.
    fn urgency(&self) -> (bool, i64, u8) {
        match self.days_left.unwrap_or(0) {
            days if days <= 0 => (false, i64::from(self.due.rank), 0),
            days => (true, days, self.due.rank),
        }
    }
}

/// Everything due within [`HORIZON_DAYS`] (and everything already past) of what the panes report,
/// soonest first.
pub fn radar(items: impl IntoIterator<Item = RadarItem>) -> Vec<RadarItem> {
    let mut items: Vec<RadarItem> =
        items.into_iter().filter(|item| item.days_left.is_none_or(|d| d <= HORIZON_DAYS)).collect();
    items.sort_by(|a, b| a.urgency().cmp(&b.urgency()).then_with(|| a.arn.cmp(&b.arn)));
    items
}

/// A certificate's radar item, if it falls due.
pub fn certificate_item(c: &Certificate, now: Timestamp) -> Option<RadarItem> {
    let days_left = c.days_to_expiry(now);
    let in_use = !c.in_use_by.is_empty();
    let due = match c.status {
        CertificateStatus::Expired if in_use => Due::CERTIFICATE_EXPIRED,
        CertificateStatus::Issued if days_left.is_some_and(|d| d < 0) && in_use => Due::CERTIFICATE_EXPIRED,
        CertificateStatus::Issued if days_left.is_some_and(|d| d < 0) => return None,
        CertificateStatus::Issued => match (c.renewal_status, c.kind) {
            (Some(RenewalStatus::Failed), _) => Due::RENEWAL_FAILED,
            (Some(RenewalStatus::PendingValidation), _) => Due::RENEWAL_PENDING_VALIDATION,
            (_, CertificateKind::Imported) => Due::IMPORTED_EXPIRY,
            (_, _) if !c.renewal_eligible => Due::NOT_RENEWING,
            _ if days_left.is_some_and(|d| d < 30) => Due::EXPIRY_NEAR,
            _ => return None,
        },
        _ => return None,
    };
    // An unused certificate that will not renew breaks nothing: it is left to lapse.
    if !in_use && matches!(due, Due::NOT_RENEWING | Due::IMPORTED_EXPIRY) {
        return None;
    }
    let breaks = if in_use {
        let users: Vec<&str> = c.in_use_by.iter().map(|arn| crate::model::arn::short_resource(arn)).collect();
        format!("serves {}", users.join(", "))
    } else {
        "not in use".to_string()
    };
    Some(RadarItem::new(PaneId::Certificates, due, &c.arn, &c.domain, c.not_after, days_left, breaks))
}

/// A secret's radar item, if it falls due.
pub fn secret_item(s: &Secret, now: Timestamp) -> Option<RadarItem> {
    let (due, at) = match s.rotation_status(now) {
        RotationStatus::Stuck => (Due::ROTATION_STUCK, s.next_rotation),
        RotationStatus::Overdue => {
            let scheduled = s.next_rotation;
            let by_interval = s.last_rotated.zip(s.rotation_interval_days).map(|(t, d)| t + Duration::days(d));
            (Due::ROTATION_OVERDUE, [scheduled, by_interval].into_iter().flatten().min())
        }
        RotationStatus::PendingDeletion => {
            // `DeletedDate` is when DeleteSecret ran; the purge comes at the end of the recovery
            // window, which no read API gives: 7 days at the soonest, 30 by default.
            let deleted = s.deleted_date?;
            let still_used = s.last_accessed.is_some_and(|read| days_since(read, deleted) <= STILL_USED_DAYS);
            if !still_used {
                return None;
            }
            (Due::DELETION_STILL_USED, Some(deleted + Duration::days(RECOVERY_MIN_DAYS)))
        }
        _ => return None,
    };
    let read = match s.days_since_access(now) {
        Some(0) => "read today".to_string(),
        Some(days) => format!("read {days}d ago"),
        None => "never read".to_string(),
    };
    let breaks = match (&s.rotation_lambda_arn, due, s.deleted_date) {
        (Some(lambda), Due::ROTATION_STUCK | Due::ROTATION_OVERDUE, _) => {
            format!("{read}; rotated by {}", crate::model::arn::short_resource(lambda))
        }
        (_, Due::DELETION_STILL_USED, Some(deleted)) => format!(
            "{read}; deleted {}, purged {} at the soonest ({} by default)",
            deleted.format("%Y-%m-%d"),
            (deleted + Duration::days(RECOVERY_MIN_DAYS)).format("%Y-%m-%d"),
            (deleted + Duration::days(RECOVERY_DEFAULT_DAYS)).format("%Y-%m-%d"),
        ),
        _ => read,
    };
    Some(RadarItem::new(PaneId::Secrets, due, &s.arn, &s.name, at, at.map(|t| days_until(t, now)), breaks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::secret::SecretVersion;
    use chrono::{TimeZone, Utc};

    fn radar_of(certificates: &[Certificate], secrets: &[Secret], now: Timestamp) -> Vec<RadarItem> {
        radar(
            certificates
                .iter()
                .filter_map(|c| certificate_item(c, now))
                .chain(secrets.iter().filter_map(|s| secret_item(s, now))),
        )
    }

    fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }

    fn cert(name: &str, kind: CertificateKind, days: i64, in_use: bool) -> Certificate {
        Certificate {
            arn: format!("arn:aws:acm:us-east-1:1:certificate/{name}"),
            domain: name.into(),
            alternative_names: vec![],
            kind,
            status: CertificateStatus::Issued,
            not_after: Some(now() + Duration::days(days) + Duration::hours(1)),
            in_use_by: if in_use {
                vec!["arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/shop/1".into()]
            } else {
                vec![]
            },
            renewal_eligible: in_use,
            exportable: false,
            renewal_status: None,
            failure_reason: None,
            key_algorithm: "RSA_2048".into(),
            issuer: None,
        }
    }

    fn secret(name: &str) -> Secret {
        Secret {
            name: name.into(),
            arn: format!("arn:aws:secretsmanager:us-east-1:1:secret:{name}-AbCdEf"),
            description: None,
            rotation_enabled: true,
            rotation_lambda_arn: Some("arn:aws:lambda:us-east-1:1:function:rotate-db".into()),
            rotation_interval_days: Some(30),
            rotation_schedule: None,
            created: Some(now() - Duration::days(400)),
            last_rotated: Some(now() - Duration::days(10)),
            next_rotation: Some(now() + Duration::days(20)),
            last_accessed: Some(now() - Duration::days(2)),
            last_changed: None,
            deleted_date: None,
            versions: vec![SecretVersion { id: "v1".into(), stages: vec!["AWSCURRENT".into()] }],
        }
    }

    #[test]
    fn certificates_on_the_radar_and_the_ones_left_off() {
        use CertificateKind::*;
        let renewing_far = cert("far", AmazonIssued, 200, true);
        let renewing_near = cert("near", AmazonIssued, 29, true);
        let renewing_30 = cert("thirty", AmazonIssued, 30, true);
        let imported = cert("imported", Imported, HORIZON_DAYS, true);
        let imported_beyond = cert("imported-later", Imported, HORIZON_DAYS + 1, true);
        let imported_unused = cert("imported-unused", Imported, 5, false);
        let failed =
            Certificate { renewal_status: Some(RenewalStatus::Failed), ..cert("failed", AmazonIssued, 40, true) };
        let pending = Certificate {
            renewal_status: Some(RenewalStatus::PendingValidation),
            ..cert("pending", AmazonIssued, 50, true)
        };
        let ineligible = Certificate { renewal_eligible: false, ..cert("ineligible", AmazonIssued, 20, true) };
        let expired = Certificate { status: CertificateStatus::Expired, ..cert("expired", Imported, -3, true) };
        let expired_unused = Certificate { status: CertificateStatus::Expired, ..cert("gone", Imported, -3, false) };
        let lapsed_issued = cert("lapsed", AmazonIssued, -1, true);
        let items = radar_of(
            &[
                renewing_far,
                renewing_near,
                renewing_30,
                imported,
                imported_beyond,
                imported_unused,
                failed,
                pending,
                ineligible,
                expired,
                expired_unused,
                lapsed_issued,
            ],
            &[],
            now(),
        );
        let shown: Vec<(&str, Due, Option<i64>)> =
            items.iter().map(|i| (i.name.as_str(), i.due, i.days_left)).collect();
        assert_eq!(
            shown,
            [
                ("expired", Due::CERTIFICATE_EXPIRED, Some(-3)),
                ("lapsed", Due::CERTIFICATE_EXPIRED, Some(-1)),
                ("ineligible", Due::NOT_RENEWING, Some(20)),
                ("near", Due::EXPIRY_NEAR, Some(29)),
                ("failed", Due::RENEWAL_FAILED, Some(40)),
                ("pending", Due::RENEWAL_PENDING_VALIDATION, Some(50)),
                ("imported", Due::IMPORTED_EXPIRY, Some(HORIZON_DAYS)),
            ]
        );
        assert_eq!(items[0].breaks, "serves loadbalancer/app/shop/1");
    }

    #[test]
    fn secrets_on_the_radar_and_the_ones_left_off() {
        let healthy = secret("healthy");
        let overdue = Secret { next_rotation: Some(now() - Duration::days(3)), ..secret("overdue") };
        let mut stuck = secret("stuck");
        stuck.versions.push(SecretVersion { id: "v2".into(), stages: vec!["AWSPENDING".into()] });
        stuck.next_rotation = Some(now() + Duration::days(5) + Duration::hours(1));
        // Deleted a day ago (DeletedDate: when DeleteSecret ran), read the day before: purged
        // six days from now at the soonest.
        let deleting_read = Secret {
            deleted_date: Some(now() - Duration::days(1) + Duration::hours(1)),
            last_accessed: Some(now() - Duration::days(2)),
            ..secret("deleting-read")
        };
        // Read 31 days before it was deleted: nothing used it any more.
        let deleting_idle = Secret {
            deleted_date: Some(now() - Duration::days(1)),
            last_accessed: Some(now() - Duration::days(1) - Duration::days(STILL_USED_DAYS + 1)),
            ..secret("deleting-idle")
        };
        let deleting_edge = Secret {
            deleted_date: Some(now() - Duration::days(1)),
            last_accessed: Some(now() - Duration::days(1) - Duration::days(STILL_USED_DAYS)),
            ..secret("deleting-edge")
        };
        let off = Secret { rotation_enabled: false, ..secret("off") };
        let items = radar_of(&[], &[healthy, overdue, stuck, deleting_read, deleting_idle, deleting_edge, off], now());
        let shown: Vec<(&str, Due, Option<i64>)> =
            items.iter().map(|i| (i.name.as_str(), i.due, i.days_left)).collect();
        assert_eq!(
            shown,
            [
                ("overdue", Due::ROTATION_OVERDUE, Some(-3)),
                ("stuck", Due::ROTATION_STUCK, Some(5)),
                ("deleting-edge", Due::DELETION_STILL_USED, Some(6)),
                ("deleting-read", Due::DELETION_STILL_USED, Some(6)),
            ]
        );
        assert_eq!(items[0].breaks, "read 2d ago; rotated by function:rotate-db");
        assert_eq!(
            items[3].breaks,
            "read 2d ago; deleted 2026-11-24, purged 2026-12-01 at the soonest (2026-12-24 by default)"
        );
    }
}
