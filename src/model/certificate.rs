//! ACM certificates and how close each is to hurting someone.

use super::time::{Timestamp, days_until};
use serde::{Deserialize, Serialize};

/// ACM certificate `Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CertificateKind {
    Imported,
    AmazonIssued,
    Private,
}

impl CertificateKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Imported => "imported",
            Self::AmazonIssued => "amazon",
            Self::Private => "private",
        }
    }
}

/// ACM certificate `Status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CertificateStatus {
    PendingValidation,
    Issued,
    Inactive,
    Expired,
    ValidationTimedOut,
    Revoked,
    Failed,
}

impl CertificateStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingValidation => "PENDING_VALIDATION",
            Self::Issued => "ISSUED",
            Self::Inactive => "INACTIVE",
            Self::Expired => "EXPIRED",
            Self::ValidationTimedOut => "VALIDATION_TIMED_OUT",
            Self::Revoked => "REVOKED",
            Self::Failed => "FAILED",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::PendingValidation,
            Self::Issued,
            Self::Inactive,
            Self::Expired,
            Self::ValidationTimedOut,
            Self::Revoked,
            Self::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// ACM `RenewalSummary.RenewalStatus` (Amazon-issued and private certificates only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RenewalStatus {
    PendingAutoRenewal,
    PendingValidation,
    Success,
    Failed,
}

impl RenewalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingAutoRenewal => "PENDING_AUTO_RENEWAL",
            Self::PendingValidation => "PENDING_VALIDATION",
            Self::Success => "SUCCESS",
            Self::Failed => "FAILED",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::PendingAutoRenewal, Self::PendingValidation, Self::Success, Self::Failed]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub arn: String,
    pub domain: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternative_names: Vec<String>,
    pub kind: CertificateKind,
    pub status: CertificateStatus,
    pub not_after: Option<Timestamp>,
    pub in_use_by: Vec<String>,
    /// ACM `RenewalEligibility`: whether ACM will try managed renewal.
    pub renewal_eligible: bool,
    /// `Options.Export` ENABLED: a public certificate issued as exportable (RenewCertificate renews
    /// exported ones, private or exportable public).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exportable: bool,
    pub renewal_status: Option<RenewalStatus>,
    /// The reason ACM gave for a failed issuance or renewal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
    pub key_algorithm: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
}

/// What an on-call engineer needs to know about a certificate, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateHealth {
    Expired,
    Failed,
    /// Expires within 7 days.
    Critical,
    /// Will not renew by itself (imported, ineligible or renewal failing) and expires within 45 days,
    /// or expires within 30 days whatever its renewal state.
    Expiring,
    PendingValidation,
    Ok,
    /// Revoked or inactive: not serving, nothing to renew.
    Inactive,
}

impl CertificateHealth {
    pub fn label(self) -> &'static str {
        match self {
            Self::Expired => "EXPIRED",
            Self::Failed => "FAILED",
            Self::Critical => "CRITICAL",
            Self::Expiring => "EXPIRING",
            Self::PendingValidation => "PENDING",
            Self::Ok => "OK",
            Self::Inactive => "INACTIVE",
        }
    }
}

/// Days from `now` until the window in which an unrenewable certificate becomes a problem.
pub const EXPIRY_WARNING_DAYS: i64 = 45;
pub const EXPIRY_CRITICAL_DAYS: i64 = 7;
const ANY_CERT_WARNING_DAYS: i64 = 30;

impl Certificate {
    pub fn days_to_expiry(&self, now: Timestamp) -> Option<i64> {
        self.not_after.map(|t| days_until(t, now))
    }

    /// Whether the certificate will renew without anyone acting.
    pub fn renews_itself(&self) -> bool {
        self.kind != CertificateKind::Imported
            && self.renewal_eligible
            && self.renewal_status != Some(RenewalStatus::Failed)
    }

    pub fn health(&self, now: Timestamp) -> CertificateHealth {
        match self.status {
            CertificateStatus::Expired => return CertificateHealth::Expired,
            CertificateStatus::Failed | CertificateStatus::ValidationTimedOut => {
                return CertificateHealth::Failed;
            }
            CertificateStatus::Revoked | CertificateStatus::Inactive => {
                return CertificateHealth::Inactive;
            }
            CertificateStatus::PendingValidation => return CertificateHealth::PendingValidation,
            CertificateStatus::Issued => {}
        }
        if self.renewal_status == Some(RenewalStatus::Failed) {
            return CertificateHealth::Failed;
        }
        match self.days_to_expiry(now) {
            Some(days) if days < 0 => CertificateHealth::Expired,
            Some(days) if days < EXPIRY_CRITICAL_DAYS => CertificateHealth::Critical,
            Some(days) if days < ANY_CERT_WARNING_DAYS => CertificateHealth::Expiring,
            Some(days) if days < EXPIRY_WARNING_DAYS && !self.renews_itself() => CertificateHealth::Expiring,
            _ => CertificateHealth::Ok,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};

    fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).single().unwrap()
    }

    fn cert(kind: CertificateKind, days: i64) -> Certificate {
        Certificate {
            arn: "arn:aws:acm:us-east-1:123456789012:certificate/1".into(),
            domain: "shop.example.com".into(),
            alternative_names: vec![],
            kind,
            status: CertificateStatus::Issued,
            not_after: Some(now() + Duration::days(days) + Duration::hours(1)),
            in_use_by: vec![],
            renewal_eligible: kind != CertificateKind::Imported,
            exportable: false,
            renewal_status: None,
            failure_reason: None,
            key_algorithm: "RSA_2048".into(),
            issuer: None,
        }
    }

    #[test]
    fn imported_certificates_warn_earlier_than_managed_ones() {
        assert_eq!(cert(CertificateKind::Imported, 40).health(now()), CertificateHealth::Expiring);
        assert_eq!(cert(CertificateKind::AmazonIssued, 40).health(now()), CertificateHealth::Ok);
        assert_eq!(cert(CertificateKind::AmazonIssued, 20).health(now()), CertificateHealth::Expiring);
        assert_eq!(cert(CertificateKind::AmazonIssued, 3).health(now()), CertificateHealth::Critical);
    }

    #[test]
    fn expiry_is_measured_in_whole_days() {
        assert_eq!(cert(CertificateKind::Imported, 14).days_to_expiry(now()), Some(14));
        let mut past = cert(CertificateKind::Imported, 0);
        past.not_after = Some(now() - Duration::hours(2));
        assert_eq!(past.days_to_expiry(now()), Some(-1));
        assert_eq!(past.health(now()), CertificateHealth::Expired);
    }

    #[test]
    fn failed_renewal_is_failed_even_far_from_expiry() {
        let mut c = cert(CertificateKind::AmazonIssued, 50);
        c.renewal_status = Some(RenewalStatus::Failed);
        assert_eq!(c.health(now()), CertificateHealth::Failed);
        assert!(!c.renews_itself());
    }
}
