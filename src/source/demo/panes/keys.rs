//! Demo KMS keys: the payments key scheduled for deletion in 5 days while two payment secrets are
//! still encrypted with it, a customer key without rotation on the card-data bucket, a key whose
//! imported material runs out, and the AWS managed key every other secret uses; the internal
//! private CA 40 days from expiry with the certificates it issued; a CloudHSM cluster of one HSM.

use crate::model::Timestamp;
use crate::model::key::{Dependent, HsmCluster, KeyManager, KeyState, KeysReport, KmsKey, PrivateCa};
use crate::model::panes::keys::{Action, ROTATION_PERIOD_DAYS};
use crate::model::triage::{Target, TargetOutcome};
use crate::source::demo::DemoSource;
use crate::source::demo::catalog::{ACCOUNT_ID, REGION};
use chrono::Duration;

/// The payments key's deletion falls this many days after the console opens.
pub const DELETION_IN_DAYS: i64 = 5;
/// The secrets still encrypted with the payments key.
pub const PAYMENT_SECRETS: &[&str] = &["prod/payments/stripe-webhook", "prod/payments-db/replica"];

const CANCELLED: &str = "kms-deletion-cancelled";
const ENABLED: &str = "kms-enabled";
const ROTATING: &str = "kms-rotation-on";

struct Shape {
    id: &'static str,
    alias: &'static str,
    description: &'static str,
    state: KeyState,
    manager: KeyManager,
    origin: &'static str,
    rotation: Option<bool>,
}

const KEYS: &[Shape] = &[
    Shape {
        id: "3f1c9a2e-5b7d-4e8f-9a01-2b3c4d5e6f70",
        alias: "payments",
        description: "Payments secrets (replaced by payments-v2)",
        state: KeyState::PendingDeletion,
        manager: KeyManager::Customer,
        origin: "AWS_KMS",
        rotation: None,
    },
    Shape {
        id: "8a2b4c6d-1e3f-4a5b-8c7d-9e0f1a2b3c4d",
        alias: "card-data",
        description: "S3 card-data bucket (PCI)",
        state: KeyState::Enabled,
        manager: KeyManager::Customer,
        origin: "AWS_KMS",
        rotation: Some(false),
    },
    Shape {
        id: "c4d5e6f7-0a1b-4c2d-9e3f-5a6b7c8d9e0f",
        alias: "orders",
        description: "Orders database and its secrets",
        state: KeyState::Enabled,
        manager: KeyManager::Customer,
        origin: "AWS_KMS",
        rotation: Some(true),
    },
    Shape {
        id: "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
        alias: "partner-sftp-import",
        description: "Imported key material for the partner SFTP exchange",
        state: KeyState::Enabled,
        manager: KeyManager::Customer,
        origin: "EXTERNAL",
        rotation: None,
    },
    Shape {
        id: "9b0c1d2e-3f4a-4b5c-8d6e-7f8a9b0c1d2e",
        alias: "old-batch",
        description: "Nightly batch (retired)",
        state: KeyState::Disabled,
        manager: KeyManager::Customer,
        origin: "AWS_KMS",
        rotation: Some(false),
    },
    Shape {
        id: "0d1e2f3a-4b5c-4d6e-9f7a-8b9c0d1e2f3a",
        alias: "aws/secretsmanager",
        description: "Default key that protects my Secrets Manager data when no other key is defined",
        state: KeyState::Enabled,
        manager: KeyManager::Aws,
        origin: "AWS_KMS",
        rotation: Some(true),
    },
    Shape {
        id: "7f8a9b0c-1d2e-4f3a-8b4c-5d6e7f8a9b0c",
        alias: "aws/ebs",
        description: "Default key that protects my EBS volumes when no other key is defined",
        state: KeyState::Enabled,
        manager: KeyManager::Aws,
        origin: "AWS_KMS",
        rotation: Some(true),
    },
];

/// The internal CA expires this many days after the console opens.
pub const CA_EXPIRES_IN_DAYS: i64 = 40;

/// The customer managed keys without automatic rotation: what KMS.4 fails on.
pub fn unrotated_key_arns() -> impl Iterator<Item = String> {
    KEYS.iter()
        .filter(|k| k.rotation == Some(false))
        .map(|k| format!("arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/{}", k.id))
}

pub fn generate(demo: &DemoSource, now: Timestamp) -> KeysReport {
    let start = demo.start;
    let ca_arn = format!("arn:aws:acm-pca:{REGION}:{ACCOUNT_ID}:certificate-authority/6d1f0c2a-8b3e-4f5a-9c7d-0e1f2a3b4c5d");
    // The certificates as the Certificates pane shows them (their ARNs, in an organisation too).
    let certificates = <super::certificates::Pane as super::DemoPane>::generate(demo, now);
    let issued = certificates
        .into_iter()
        .filter(|c| c.domain.ends_with(".internal.shop"))
        .map(|c| Dependent { kind: "certificate".into(), name: c.domain, arn: c.arn })
        .collect();
    let authorities = vec![PrivateCa {
        arn: ca_arn,
        name: "Shop Internal Issuing CA".into(),
        kind: "SUBORDINATE".into(),
        status: "ACTIVE".into(),
        not_after: Some(start + Duration::days(CA_EXPIRES_IN_DAYS)),
        issued,
    }];
    let clusters = vec![HsmCluster {
        id: "cluster-7xk2mq4vbnt".into(),
        state: "ACTIVE".into(),
        hsm_zones: vec![format!("{REGION}a")],
        newest_backup: Some(start - Duration::hours(20)),
        account: ACCOUNT_ID.into(),
        region: REGION.into(),
    }];
    KeysReport { keys: kms_keys(demo, now), authorities, clusters }
}

fn kms_keys(demo: &DemoSource, now: Timestamp) -> Vec<KmsKey> {
    let start = demo.start;
    let changed = |set: &'static str, arn: &str| demo.overrides.set(set).is_some_and(|s| s.contains(arn));
    let mut keys: Vec<KmsKey> = KEYS
        .iter()
        .map(|shape| {
            let arn = format!("arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/{}", shape.id);
            let mut key = KmsKey {
                id: shape.id.into(),
                arn: arn.clone(),
                alias: Some(shape.alias.into()),
                description: Some(shape.description.into()),
                state: shape.state,
                manager: shape.manager,
                spec: "SYMMETRIC_DEFAULT".into(),
                usage: "ENCRYPT_DECRYPT".into(),
                origin: shape.origin.into(),
                rotation_enabled: shape.rotation,
                rotation_period_days: shape.rotation.filter(|on| *on).map(|_| ROTATION_PERIOD_DAYS),
                next_rotation: shape.rotation.filter(|on| *on).map(|_| start + Duration::days(143)),
                on_demand_rotation_started: None,
                deletion_date: (shape.state == KeyState::PendingDeletion).then(|| start + Duration::days(DELETION_IN_DAYS)),
                material_expires: (shape.origin == "EXTERNAL").then(|| start + Duration::days(19)),
                multi_region: None,
                created: Some(start - Duration::days(400)),
                dependents: Vec::new(),
            };
            if changed(CANCELLED, &arn) && key.state == KeyState::PendingDeletion {
                key.state = KeyState::Disabled;
                key.deletion_date = None;
            }
            if changed(ENABLED, &arn) && key.state == KeyState::Disabled {
                key.state = KeyState::Enabled;
            }
            if changed(ROTATING, &arn) {
                key.rotation_enabled = Some(true);
                key.rotation_period_days = Some(ROTATION_PERIOD_DAYS);
                key.next_rotation = Some(now + Duration::days(i64::from(ROTATION_PERIOD_DAYS)));
            }
            key
        })
        .collect();
    // The payment secrets use the payments key, the orders' the orders key, every other secret the
    // AWS managed key (no KmsKeyId).
    for secret in demo.secrets().into_iter().filter(|s| s.deleted_date.is_none()) {
        let alias = if PAYMENT_SECRETS.contains(&secret.name.as_str()) {
            "payments"
        } else if secret.name.starts_with("prod/orders") {
            "orders"
        } else {
            "aws/secretsmanager"
        };
        if let Some(key) = keys.iter_mut().find(|k| k.alias.as_deref() == Some(alias)) {
            key.dependents.push(Dependent { kind: "secret".into(), name: secret.name, arn: secret.arn });
        }
    }
    keys
}

pub struct Pane;

impl super::DemoPane for Pane {
    type Model = crate::model::panes::keys::Pane;

    fn generate(demo: &DemoSource, now: Timestamp) -> KeysReport {
        generate(demo, now)
    }

    fn apply(demo: &DemoSource, action: &Action, targets: &[Target], _now: Timestamp) -> Vec<TargetOutcome> {
        let set = match action {
            Action::CancelKeyDeletion => CANCELLED,
            Action::EnableKey => ENABLED,
            Action::EnableKeyRotation { .. } => ROTATING,
        };
        demo.overrides.change_set(set, targets, true)
    }
}
