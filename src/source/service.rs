//! The services Vigil calls, one row each: the name people read, the IAM prefix its actions are
//! named with, where it answers (regional, or once per account through a home region), the rate
//! quotas it publishes (with where) and the error codes that mean "not enabled here". The rate
//! budgets, the error classification and the IAM policy test read this table; nothing else says
//! these facts. A new service is one variant and one row.

use crate::pane::Reach;
use std::fmt;

/// A service Vigil talks to, and the pseudo-services an error can come from on this side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    SecurityHub,
    GuardDuty,
    Acm,
    SecretsManager,
    Cognito,
    Sts,
    Organizations,
    Account,
    Shield,
    Wafv2,
    CloudWatch,
    Kms,
    AcmPca,
    CloudHsm,
    /// The live feed's queue.
    Sqs,
    /// The rule `vigil live setup` makes.
    EventBridge,
    /// History's queries (`vigil history`, `:history`).
    Athena,
    /// History's discovery of the data lake and its sources.
    SecurityLake,
    /// Vigil itself: the cache, a worker, a missing connection.
    Vigil,
    /// The embedded demo account.
    Demo,
    /// The configuration (profile, region) a context is made from.
    Configuration,
}

/// One published rate quota: the operations it covers (empty: every operation of the service no
/// other row names), its steady rate and burst, and where it is published.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quota {
    /// The operation, or a name for a class of operations (Cognito's categories).
    pub class: &'static str,
    pub operations: &'static [&'static str],
    /// Requests per second, sustained.
    pub rate: f64,
    /// Requests that may go at once after a quiet spell.
    pub burst: u32,
    /// The AWS document the figures come from; "(unverified)" where no primary source confirmed
    /// them, and the figure is then a conservative choice.
    pub source: &'static str,
}

/// An error code that means the service is not set up where it was asked (not enabled, not
/// subscribed), with what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotEnabled {
    pub code: &'static str,
    /// The operations the code means this for; empty: every operation.
    pub operations: &'static [&'static str],
    pub hint: &'static str,
}

/// Everything about one service that is a fact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServiceSpec {
    pub name: &'static str,
    /// The prefix of its IAM actions (`securityhub:GetFindings`); empty for the pseudo-services.
    pub iam_prefix: &'static str,
    pub reach: Reach,
    /// Every quota Vigil budgets for, per account and region (per account for a global service);
    /// the last row with no operations is the catch-all.
    pub quotas: &'static [Quota],
    pub not_enabled: &'static [NotEnabled],
}

const SECURITY_HUB_QUOTAS: &str = "AWS Security Hub CSPM User Guide: Quotas (API rate limits)";
const ACM_QUOTAS: &str = "AWS Certificate Manager User Guide: Quotas (API rate quotas)";
const COGNITO_QUOTAS: &str = "Amazon Cognito Developer Guide: Quotas in Amazon Cognito (operation categories)";

const fn quota(
    class: &'static str,
    operations: &'static [&'static str],
    rate: f64,
    burst: u32,
    source: &'static str,
) -> Quota {
    Quota { class, operations, rate, burst, source }
}

const fn regional(
    name: &'static str,
    iam_prefix: &'static str,
    quotas: &'static [Quota],
    not_enabled: &'static [NotEnabled],
) -> ServiceSpec {
    ServiceSpec { name, iam_prefix, reach: Reach::Regional, quotas, not_enabled }
}

const fn local(name: &'static str) -> ServiceSpec {
    ServiceSpec { name, iam_prefix: "", reach: Reach::Regional, quotas: &[], not_enabled: &[] }
}

const SECURITY_HUB: ServiceSpec = regional(
    "Security Hub",
    "securityhub",
    &[
        quota("GetFindings", &["GetFindings"], 3.0, 6, SECURITY_HUB_QUOTAS),
        quota("BatchUpdateFindings", &["BatchUpdateFindings"], 10.0, 30, SECURITY_HUB_QUOTAS),
        quota(
            "GetFindingsV2",
            &["GetFindingsV2"],
            3.0,
            6,
            "AWS Security Hub API reference (no V2 rates published; unverified: GetFindings' rate, conservative)",
        ),
        quota("other", &[], 10.0, 30, SECURITY_HUB_QUOTAS),
    ],
    &[NotEnabled {
        code: "InvalidAccessException",
        operations: &[],
        hint: "enable Security Hub in this region (console, or aws securityhub enable-security-hub)",
    }],
);

const GUARD_DUTY: ServiceSpec = regional(
    "GuardDuty",
    "guardduty",
    &[quota(
        "all",
        &[],
        10.0,
        10,
        "Amazon GuardDuty User Guide: Amazon GuardDuty quotas (no API rates published; unverified, conservative)",
    )],
    &[],
);

const ACM: ServiceSpec = regional(
    "ACM",
    "acm",
    &[
        quota("DescribeCertificate", &["DescribeCertificate"], 10.0, 10, ACM_QUOTAS),
        quota("ListCertificates", &["ListCertificates"], 1.0, 1, ACM_QUOTAS),
        quota("RenewCertificate", &["RenewCertificate"], 5.0, 5, ACM_QUOTAS),
        quota("other", &[], 1.0, 1, ACM_QUOTAS),
    ],
    &[],
);

const SECRETS_MANAGER: ServiceSpec = regional(
    "Secrets Manager",
    "secretsmanager",
    &[
        quota(
            "RotateSecret",
            &["RotateSecret", "CancelRotateSecret"],
            50.0,
            50,
            "AWS Secrets Manager User Guide: AWS Secrets Manager quotas",
        ),
        quota(
            "other",
            &[],
            50.0,
            50,
            "AWS Secrets Manager User Guide: AWS Secrets Manager quotas (ListSecrets; unverified, conservative)",
        ),
    ],
    &[],
);

const COGNITO: ServiceSpec = regional(
    "Cognito",
    "cognito-idp",
    &[
        quota("UserList", &["ListUsers", "ListUsersInGroup"], 30.0, 30, COGNITO_QUOTAS),
        quota("UserPoolRead", &["DescribeUserPool", "ListUserPools"], 15.0, 15, COGNITO_QUOTAS),
        quota(
            "UserUpdate",
            &["AdminDisableUser", "AdminEnableUser", "AdminUserGlobalSignOut", "AdminResetUserPassword"],
            25.0,
            25,
            "Amazon Cognito Developer Guide: Quotas in Amazon Cognito (category unverified, conservative)",
        ),
        quota(
            "other",
            &[],
            25.0,
            25,
            "Amazon Cognito Developer Guide: Quotas in Amazon Cognito (AdminListUserAuthEvents' category unverified, conservative)",
        ),
    ],
    &[],
);

const STS: ServiceSpec = regional(
    "STS",
    "sts",
    &[quota(
        "all",
        &[],
        100.0,
        100,
        "AWS IAM User Guide: IAM and AWS STS quotas (request rate; unverified, conservative)",
    )],
    &[],
);

const ORGANIZATIONS: ServiceSpec = ServiceSpec {
    name: "Organizations",
    iam_prefix: "organizations",
    reach: Reach::Global { home_region: "us-east-1" },
    quotas: &[quota(
        "all",
        &[],
        2.0,
        10,
        "AWS Organizations User Guide: Quotas for AWS Organizations (throttling; unverified, conservative)",
    )],
    not_enabled: &[],
};

const ACCOUNT: ServiceSpec = regional(
    "Account Management",
    "account",
    &[quota("all", &[], 1.0, 5, "AWS Account Management Reference Guide: Quotas (unverified, conservative)")],
    &[],
);

const SHIELD: ServiceSpec = ServiceSpec {
    name: "Shield",
    iam_prefix: "shield",
    // One endpoint for the aws partition, signed as us-east-1, whatever the region.
    reach: Reach::Global { home_region: "us-east-1" },
    quotas: &[quota(
        "all",
        &[],
        5.0,
        5,
        "AWS Shield Advanced Developer Guide: quotas (no API rates published; unverified, conservative)",
    )],
    not_enabled: &[NotEnabled {
        code: "ResourceNotFoundException",
        operations: &["DescribeSubscription", "ListProtections", "ListProtectionGroups", "DescribeProtection"],
        hint: "Shield Advanced is not subscribed in this account: attacks are mitigated by Shield Standard and not reported per resource",
    }],
};

const WAFV2: ServiceSpec = regional(
    "WAF",
    "wafv2",
    &[
        quota(
            "writes",
            &["UpdateIPSet"],
            1.0,
            1,
            "AWS WAF: one request a second per account and region for each Create, Put or Update action (Security Automations for AWS WAF: Quotas)",
        ),
        quota(
            "other",
            &[],
            5.0,
            5,
            "AWS WAF Developer Guide: AWS WAF quotas (read rates not published; unverified, conservative)",
        ),
    ],
    &[],
);

const CLOUD_WATCH: ServiceSpec = regional(
    "CloudWatch",
    "cloudwatch",
    &[
        quota(
            "GetMetricData",
            &["GetMetricData"],
            50.0,
            50,
            "Amazon CloudWatch User Guide: CloudWatch service quotas (GetMetricData 50 transactions per second)",
        ),
        quota(
            "ListMetrics",
            &["ListMetrics"],
            25.0,
            25,
            "Amazon CloudWatch User Guide: CloudWatch service quotas (ListMetrics 25 transactions per second)",
        ),
        quota(
            "other",
            &[],
            20.0,
            20,
            "Amazon CloudWatch User Guide: CloudWatch service quotas (unverified, conservative)",
        ),
    ],
    &[],
);

const KMS_QUOTAS: &str = "AWS Key Management Service Developer Guide: Request quotas";

const KMS: ServiceSpec = regional(
    "KMS",
    "kms",
    &[
        quota("DescribeKey", &["DescribeKey"], 2_000.0, 2_000, KMS_QUOTAS),
        quota("GetKeyRotationStatus", &["GetKeyRotationStatus"], 1_000.0, 1_000, KMS_QUOTAS),
        quota("ListKeys", &["ListKeys"], 100.0, 100, KMS_QUOTAS),
        quota("ListAliases", &["ListAliases"], 100.0, 100, KMS_QUOTAS),
        quota(
            "CancelKeyDeletion, EnableKey, EnableKeyRotation",
            &["CancelKeyDeletion", "EnableKey", "EnableKeyRotation"],
            5.0,
            5,
            KMS_QUOTAS,
        ),
        quota("other", &[], 5.0, 5, "AWS Key Management Service Developer Guide: Request quotas (conservative)"),
    ],
    &[],
);

const ACM_PCA: ServiceSpec = regional(
    "Private CA",
    "acm-pca",
    &[quota(
        "all",
        &[],
        5.0,
        5,
        "AWS Private CA User Guide: Quotas (API rates per operation; unverified, conservative)",
    )],
    &[],
);

const CLOUD_HSM: ServiceSpec = regional(
    "CloudHSM",
    "cloudhsm",
    &[quota("all", &[], 5.0, 5, "AWS CloudHSM User Guide: Quotas (no API rates published; unverified, conservative)")],
    &[],
);

const SQS: ServiceSpec = regional(
    "SQS",
    "sqs",
    // SQS publishes no request rate for standard queues ("nearly unlimited" API calls per
    // action); the live feed makes one long poll at a time, so a budget never binds.
    &[quota("all", &[], 100.0, 100, "Amazon SQS Developer Guide: Quotas (standard queues: nearly unlimited)")],
    &[],
);

const EVENT_BRIDGE: ServiceSpec = regional(
    "EventBridge",
    "events",
    &[quota(
        "all",
        &[],
        10.0,
        10,
        "Amazon EventBridge User Guide: Quotas (control-plane APIs; unverified, conservative)",
    )],
    &[],
);

const ATHENA_QUOTAS: &str = "Amazon Athena User Guide: Per account API call quotas (unverified, conservative)";

const ATHENA: ServiceSpec = regional(
    "Athena",
    "athena",
    &[
        quota("StartQueryExecution", &["StartQueryExecution"], 20.0, 80, ATHENA_QUOTAS),
        quota("GetQueryExecution", &["GetQueryExecution"], 100.0, 200, ATHENA_QUOTAS),
        quota("GetQueryResults", &["GetQueryResults"], 100.0, 100, ATHENA_QUOTAS),
        quota("StopQueryExecution", &["StopQueryExecution"], 20.0, 50, ATHENA_QUOTAS),
        quota("all", &[], 5.0, 10, ATHENA_QUOTAS),
    ],
    &[],
);

const SECURITY_LAKE: ServiceSpec = regional(
    "Security Lake",
    "securitylake",
    &[quota(
        "all",
        &[],
        5.0,
        5,
        "Amazon Security Lake User Guide: Quotas (no API rates published; unverified, conservative)",
    )],
    &[],
);

const VIGIL: ServiceSpec = local("vigil");

const DEMO: ServiceSpec = local("demo");

const CONFIGURATION: ServiceSpec = local("configuration");

impl Service {
    /// Every service, in the order docs/performance.md and docs/iam-policies.md list them.
    pub const ALL: [Service; 21] = [
        Service::SecurityHub,
        Service::GuardDuty,
        Service::Acm,
        Service::SecretsManager,
        Service::Cognito,
        Service::Sts,
        Service::Organizations,
        Service::Account,
        Service::Shield,
        Service::Wafv2,
        Service::CloudWatch,
        Service::Kms,
        Service::AcmPca,
        Service::CloudHsm,
        Service::Sqs,
        Service::EventBridge,
        Service::Athena,
        Service::SecurityLake,
        Service::Vigil,
        Service::Demo,
        Service::Configuration,
    ];

    pub const fn spec(self) -> &'static ServiceSpec {
        match self {
            Self::SecurityHub => &SECURITY_HUB,
            Self::GuardDuty => &GUARD_DUTY,
            Self::Acm => &ACM,
            Self::SecretsManager => &SECRETS_MANAGER,
            Self::Cognito => &COGNITO,
            Self::Sts => &STS,
            Self::Organizations => &ORGANIZATIONS,
            Self::Account => &ACCOUNT,
            Self::Shield => &SHIELD,
            Self::Wafv2 => &WAFV2,
            Self::CloudWatch => &CLOUD_WATCH,
            Self::Kms => &KMS,
            Self::AcmPca => &ACM_PCA,
            Self::CloudHsm => &CLOUD_HSM,
            Self::Sqs => &SQS,
            Self::EventBridge => &EVENT_BRIDGE,
            Self::Athena => &ATHENA,
            Self::SecurityLake => &SECURITY_LAKE,
            Self::Vigil => &VIGIL,
            Self::Demo => &DEMO,
            Self::Configuration => &CONFIGURATION,
        }
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn iam_prefix(self) -> &'static str {
        self.spec().iam_prefix
    }

    /// Whether it is an AWS service (not Vigil's own side).
    pub fn is_aws(self) -> bool {
        !self.spec().iam_prefix.is_empty()
    }

    /// The row that budgets `operation`: the one naming it, else the service's catch-all.
    pub fn quota_for(self, operation: &str) -> Option<&'static Quota> {
        let rows = self.spec().quotas;
        rows.iter()
            .find(|q| q.operations.contains(&operation))
            .or_else(|| rows.iter().find(|q| q.operations.is_empty()))
    }

    /// What to do when `code` answered `operation`, if it means the service is not set up here.
    pub fn not_enabled_hint(self, code: &str, operation: &str) -> Option<&'static str> {
        self.spec()
            .not_enabled
            .iter()
            .find(|n| n.code == code && (n.operations.is_empty() || n.operations.contains(&operation)))
            .map(|n| n.hint)
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_aws_service_has_a_catch_all_quota_and_a_unique_prefix() {
        let mut prefixes = std::collections::BTreeSet::new();
        for service in Service::ALL.into_iter().filter(|s| s.is_aws()) {
            assert!(service.quota_for("AnyOperationAtAll").is_some(), "{service} has no catch-all quota");
            assert!(prefixes.insert(service.iam_prefix()), "{service} shares its IAM prefix");
            for q in service.spec().quotas {
                assert!(q.rate > 0.0 && q.burst > 0 && !q.source.is_empty(), "{service} {}", q.class);
            }
        }
        assert_eq!(Service::SecurityHub.quota_for("GetFindings").map(|q| q.rate), Some(3.0));
        assert_eq!(Service::Acm.quota_for("ListCertificates").map(|q| q.rate), Some(1.0));
    }

    #[test]
    fn not_enabled_codes_are_the_services_own() {
        assert!(Service::SecurityHub.not_enabled_hint("InvalidAccessException", "GetFindings").is_some());
        assert!(Service::Acm.not_enabled_hint("InvalidAccessException", "ListCertificates").is_none());
    }
}
