//! KMS keys and what depends on them. A key scheduled for deletion takes every secret encrypted
//! with it down on a known date; a disabled one already has; a customer key without rotation fails
//! PCI DSS. AWS managed keys are shown apart and never flagged for what their owner cannot change.

use super::time::{Timestamp, days_until};
use serde::{Deserialize, Serialize};

/// `KeyMetadata.KeyState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyState {
    Enabled,
    Disabled,
    PendingDeletion,
    /// A multi-Region primary waiting for its replicas' deletion.
    PendingReplicaDeletion,
    /// Created without key material: imported material is awaited.
    PendingImport,
    /// Its custom key store is disconnected.
    Unavailable,
    Creating,
    Updating,
    Unknown,
}

impl KeyState {
    pub fn parse(text: &str) -> Self {
        match text {
            "Enabled" => Self::Enabled,
            "Disabled" => Self::Disabled,
            "PendingDeletion" => Self::PendingDeletion,
            "PendingReplicaDeletion" => Self::PendingReplicaDeletion,
            "PendingImport" => Self::PendingImport,
            "Unavailable" => Self::Unavailable,
            "Creating" => Self::Creating,
            "Updating" => Self::Updating,
            _ => Self::Unknown,
        }
    }

    /// As KMS names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enabled => "Enabled",
            Self::Disabled => "Disabled",
            Self::PendingDeletion => "PendingDeletion",
            Self::PendingReplicaDeletion => "PendingReplicaDeletion",
            Self::PendingImport => "PendingImport",
            Self::Unavailable => "Unavailable",
            Self::Creating => "Creating",
            Self::Updating => "Updating",
            Self::Unknown => "Unknown",
        }
    }

    /// Nothing encrypted with the key can be decrypted while it is in this state.
    pub fn blocks_use(self) -> bool {
        matches!(
            self,
            Self::Disabled
                | Self::PendingDeletion
                | Self::PendingReplicaDeletion
                | Self::PendingImport
                | Self::Unavailable
        )
    }
}

/// `KeyMetadata.KeyManager`: who manages the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyManager {
    Customer,
    /// Made and managed by an AWS service for the account (`aws/secretsmanager`): its rotation and
    /// life are the service's.
    Aws,
}

/// A record that cannot be read without the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependent {
    /// `secret` (a Secrets Manager secret whose `KmsKeyId` names the key).
    pub kind: String,
    pub name: String,
    pub arn: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmsKey {
    pub id: String,
    pub arn: String,
    /// Its first alias, without `alias/`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub state: KeyState,
    pub manager: KeyManager,
    /// `KeySpec` (`SYMMETRIC_DEFAULT`, `RSA_2048`, ...).
    pub spec: String,
    /// `KeyUsage` (`ENCRYPT_DECRYPT`, `SIGN_VERIFY`, ...).
    pub usage: String,
    /// `Origin`: `AWS_KMS`, `EXTERNAL` (imported material), `AWS_CLOUDHSM`, `EXTERNAL_KEY_STORE`.
    pub origin: String,
    /// Automatic rotation, where KMS answers for the key (symmetric keys with KMS-made material).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation_period_days: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_rotation: Option<Timestamp>,
    /// When an on-demand rotation still running began.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_demand_rotation_started: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_date: Option<Timestamp>,
    /// Imported key material's expiry (`ValidTo`), when it expires.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub material_expires: Option<Timestamp>,
    /// `PRIMARY` or `REPLICA` for a multi-Region key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multi_region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependents: Vec<Dependent>,
}

/// A key's health, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyHealth {
    /// Scheduled for deletion while secrets are encrypted with it: they cannot be read from its
    /// deletion date (and already cannot, since a key pending deletion cannot decrypt).
    DeletionInUse,
    /// Disabled or unavailable while secrets are encrypted with it: they cannot be read now.
    BlockedInUse,
    /// Imported key material that expires within [`MATERIAL_WARN_DAYS`].
    MaterialExpiring,
    /// Scheduled for deletion, nothing known depending on it.
    PendingDeletion,
    /// A customer managed key that could rotate automatically and does not (PCI DSS 3.6.4).
    RotationOff,
    Disabled,
    Healthy,
    /// Managed by an AWS service: shown apart, never flagged.
    AwsManaged,
}

/// Imported key material expiring within this many days is flagged.
pub const MATERIAL_WARN_DAYS: i64 = 30;

impl KeyHealth {
    pub fn label(self) -> &'static str {
        match self {
            Self::DeletionInUse => "DELETING, IN USE",
            Self::BlockedInUse => "BLOCKED, IN USE",
            Self::MaterialExpiring => "MATERIAL EXPIRES",
            Self::PendingDeletion => "DELETING",
            Self::RotationOff => "NO ROTATION",
            Self::Disabled => "DISABLED",
            Self::Healthy => "OK",
            Self::AwsManaged => "AWS MANAGED",
        }
    }
}

impl KmsKey {
    /// `arn:aws:kms:<region>:<account>`: where its ARN says it lives.
    pub fn arn_place(&self) -> Option<&str> {
        self.arn.rsplit_once(":key/").map(|(place, _)| place)
    }

    pub fn is_customer_managed(&self) -> bool {
        self.manager == KeyManager::Customer
    }

    /// The name people know it by: its alias, else its id.
    pub fn name(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.id)
    }

    /// Automatic rotation is possible: a customer managed symmetric encryption key whose material
    /// KMS made (imported material, custom key stores and asymmetric keys cannot rotate).
    pub fn can_rotate_automatically(&self) -> bool {
        self.is_customer_managed()
            && self.spec == "SYMMETRIC_DEFAULT"
            && self.usage == "ENCRYPT_DECRYPT"
            && self.origin == "AWS_KMS"
    }

    pub fn health(&self, now: Timestamp) -> KeyHealth {
        let in_use = !self.dependents.is_empty();
        match self.state {
            KeyState::PendingDeletion | KeyState::PendingReplicaDeletion if in_use => KeyHealth::DeletionInUse,
            state if state.blocks_use() && in_use => KeyHealth::BlockedInUse,
            _ if !self.is_customer_managed() => KeyHealth::AwsManaged,
            KeyState::PendingDeletion | KeyState::PendingReplicaDeletion => KeyHealth::PendingDeletion,
            _ if self.material_expires.is_some_and(|t| days_until(t, now) <= MATERIAL_WARN_DAYS) => {
                KeyHealth::MaterialExpiring
            }
            KeyState::Disabled => KeyHealth::Disabled,
            _ if self.can_rotate_automatically() && self.rotation_enabled == Some(false) => KeyHealth::RotationOff,
            _ => KeyHealth::Healthy,
        }
    }

    /// "2 secrets: prod/payments-db, prod/payments-api".
    pub fn dependents_text(&self) -> String {
        match self.dependents.len() {
            0 => "nothing known".into(),
            n => {
                let names: Vec<&str> = self.dependents.iter().map(|d| d.name.as_str()).collect();
                format!("{n} secret{}: {}", if n == 1 { "" } else { "s" }, names.join(", "))
            }
        }
    }
}

/// Resolves what a secret's `KmsKeyId` names to a key of `keys`: a key id, a key ARN, an alias
/// name (`alias/x`) or an alias ARN; an absent one is the AWS managed `aws/secretsmanager` key. An
/// ARN names its account and region: a key or alias of another account (a secret may use one) is
/// none of these, whatever its name.
pub fn key_named<'a>(keys: &'a [KmsKey], named: Option<&str>) -> Option<&'a KmsKey> {
    let named = named.filter(|n| !n.is_empty()).unwrap_or("alias/aws/secretsmanager");
    if let Some((place, alias)) = named.rsplit_once(":alias/") {
        return keys.iter().find(|k| k.alias.as_deref() == Some(alias) && k.arn_place() == Some(place));
    }
    if named.starts_with("arn:") {
        return keys.iter().find(|k| k.arn == named);
    }
    match named.strip_prefix("alias/") {
        Some(alias) => keys.iter().find(|k| k.alias.as_deref() == Some(alias)),
        None => keys.iter().find(|k| k.id == named),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};

    fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()
    }

    pub(crate) fn key(id: &str, alias: Option<&str>, manager: KeyManager) -> KmsKey {
        KmsKey {
            id: id.into(),
            arn: format!("arn:aws:kms:us-east-1:123456789012:key/{id}"),
            alias: alias.map(str::to_string),
            description: None,
            state: KeyState::Enabled,
            manager,
            spec: "SYMMETRIC_DEFAULT".into(),
            usage: "ENCRYPT_DECRYPT".into(),
            origin: "AWS_KMS".into(),
            rotation_enabled: Some(true),
            rotation_period_days: Some(365),
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
    fn what_a_secrets_kms_key_id_names_is_found_by_id_arn_alias_or_default() {
        let keys = [
            key("1111", Some("payments"), KeyManager::Customer),
            key("2222", Some("aws/secretsmanager"), KeyManager::Aws),
        ];
        let found = |named: Option<&str>| key_named(&keys, named).map(|k| k.id.as_str());
        assert_eq!(found(Some("1111")), Some("1111"));
        assert_eq!(found(Some("arn:aws:kms:us-east-1:123456789012:key/1111")), Some("1111"));
        assert_eq!(found(Some("alias/payments")), Some("1111"));
        assert_eq!(found(Some("arn:aws:kms:us-east-1:123456789012:alias/payments")), Some("1111"));
        assert_eq!(found(None), Some("2222"), "no KmsKeyId: the AWS managed key");
        assert_eq!(found(Some("")), Some("2222"));
        assert_eq!(found(Some("alias/gone")), None);
        // Another account's key or alias, named by ARN, is not this account's of the same name.
        assert_eq!(found(Some("arn:aws:kms:us-east-1:999999999999:alias/payments")), None);
        assert_eq!(found(Some("arn:aws:kms:us-east-1:999999999999:key/1111")), None);
        assert_eq!(found(Some("arn:aws:kms:eu-west-1:123456789012:alias/payments")), None);
    }

    #[test]
    fn health_puts_what_breaks_secrets_first_and_never_flags_aws_managed_keys() {
        let secret = Dependent { kind: "secret".into(), name: "prod/payments-db".into(), arn: "arn:s".into() };
        let mut deleting = key("1", None, KeyManager::Customer);
        deleting.state = KeyState::PendingDeletion;
        deleting.deletion_date = Some(now() + Duration::days(5));
        assert_eq!(deleting.health(now()), KeyHealth::PendingDeletion);
        deleting.dependents.push(secret.clone());
        assert_eq!(deleting.health(now()), KeyHealth::DeletionInUse);

        let mut off = key("2", None, KeyManager::Customer);
        off.rotation_enabled = Some(false);
        assert_eq!(off.health(now()), KeyHealth::RotationOff);
        off.spec = "RSA_2048".into();
        assert_eq!(off.health(now()), KeyHealth::Healthy, "an asymmetric key cannot rotate automatically");

        let mut aws = key("3", Some("aws/secretsmanager"), KeyManager::Aws);
        aws.rotation_enabled = Some(false);
        assert_eq!(aws.health(now()), KeyHealth::AwsManaged);
        aws.state = KeyState::Disabled;
        aws.dependents.push(secret);
        assert_eq!(aws.health(now()), KeyHealth::BlockedInUse, "what breaks is flagged whoever manages the key");

        let mut imported = key("4", None, KeyManager::Customer);
        imported.origin = "EXTERNAL".into();
        imported.material_expires = Some(now() + Duration::days(10));
        assert_eq!(imported.health(now()), KeyHealth::MaterialExpiring);
        assert!(KeyHealth::DeletionInUse < KeyHealth::RotationOff);
    }
}

/// An AWS Private CA: when it expires, every certificate it issued stops being trusted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrivateCa {
    pub arn: String,
    /// The subject's common name.
    pub name: String,
    /// `ROOT` or `SUBORDINATE`.
    pub kind: String,
    /// `Status`: `ACTIVE`, `DISABLED`, `EXPIRED`, `PENDING_CERTIFICATE`, `CREATING`, `DELETED`, `FAILED`.
    pub status: String,
    /// The CA certificate's `NotAfter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_after: Option<Timestamp>,
    /// The ACM certificates it issued (their `CertificateAuthorityArn`), which die with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issued: Vec<Dependent>,
}

/// A private CA expiring within this many days is flagged.
pub const CA_WARN_DAYS: i64 = 90;

impl PrivateCa {
    pub fn expires_soon(&self, now: Timestamp) -> bool {
        self.status == "ACTIVE" && self.not_after.is_some_and(|t| days_until(t, now) <= CA_WARN_DAYS)
    }
}

/// A CloudHSM cluster: with one HSM, or all its HSMs in one zone, it has no failover.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HsmCluster {
    pub id: String,
    /// `State`: `ACTIVE`, `UNINITIALIZED`, `INITIALIZED`, `DEGRADED`, ...
    pub state: String,
    /// The availability zone of each HSM.
    pub hsm_zones: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newest_backup: Option<Timestamp>,
    /// Where it lives (CloudHSM clusters have ids, not ARNs, in DescribeClusters).
    pub account: String,
    pub region: String,
}

/// A cluster's newest backup older than this many days is flagged.
pub const BACKUP_WARN_DAYS: i64 = 2;

impl HsmCluster {
    /// CloudHSM's ARN form for the cluster (DescribeClusters gives only its id).
    pub fn arn(&self) -> String {
        let partition = super::partition::Partition::of(&self.region).id;
        format!("arn:{partition}:cloudhsm:{}:{}:cluster/{}", self.region, self.account, self.id)
    }

    /// No failover: one HSM, or every HSM in one availability zone.
    pub fn no_failover(&self) -> bool {
        let zones: std::collections::BTreeSet<&str> = self.hsm_zones.iter().map(String::as_str).collect();
        self.hsm_zones.len() < 2 || zones.len() < 2
    }

    pub fn backup_stale(&self, now: Timestamp) -> bool {
        self.newest_backup.is_none_or(|t| super::time::days_since(t, now) >= BACKUP_WARN_DAYS)
    }

    /// What the table and the radar say of it.
    pub fn failover_text(&self) -> String {
        let zones: std::collections::BTreeSet<&str> = self.hsm_zones.iter().map(String::as_str).collect();
        match (self.hsm_zones.len(), zones.len()) {
            (0, _) => "no HSM".into(),
            (1, _) => format!("1 HSM ({})", self.hsm_zones[0]),
            (n, 1) => format!("{n} HSMs, all in {}", self.hsm_zones[0]),
            (n, z) => format!("{n} HSMs in {z} zones"),
        }
    }
}

/// Everything the Keys pane reads in one refresh.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeysReport {
    pub keys: Vec<KmsKey>,
    #[serde(default)]
    pub authorities: Vec<PrivateCa>,
    #[serde(default)]
    pub clusters: Vec<HsmCluster>,
}
