//! Demo Secrets Manager metadata in every rotation state. One secret's scheduled rotation slips past
//! its grace day shortly after start, so a refresh shows it turning overdue.

use crate::source::demo::catalog::{ACCOUNT_ID, REGION};
use crate::source::demo::rng::DemoRng;
use crate::model::{Secret, SecretVersion, Timestamp};
use chrono::Duration;

/// Seconds after start at which `prod/checkout/stripe-api-key` becomes overdue.
pub const OVERDUE_AFTER_SECONDS: i64 = 120;

const NAMES: &[&str] = &[
    "prod/orders-db/master",
    "prod/catalog-db/app",
    "prod/payments/stripe-webhook",
    "prod/checkout/stripe-api-key",
    "prod/search/opensearch-admin",
    "prod/cart/redis-auth",
    "prod/promo/partner-api-token",
    "prod/mail/sendgrid",
    "prod/ci/github-deploy-key",
    "prod/analytics/segment-write-key",
    "prod/sso/okta-scim",
    "prod/payments-db/replica",
    "prod/legacy/soap-gateway",
    "prod/fraud/sift-api-key",
    "prod/shipping/easypost",
    "prod/storefront/session-secret",
    "prod/images/cloudinary",
    "prod/warehouse/sftp-password",
    "prod/loyalty/jwt-signing",
    "prod/support/zendesk-token",
    "prod/ads/google-ads-refresh",
    "prod/pricing/feed-credentials",
    "prod/backup/vault-token",
    "prod/old/black-friday-2023",
];

pub fn generate(seed: u64, scale: usize, start: Timestamp) -> Vec<Secret> {
    let count = NAMES.len() + scale / 500;
    (0..count)
        .map(|i| {
            let mut rng = DemoRng::stream(seed, "secret", i as u64);
            let name = NAMES.get(i).map(|n| n.to_string()).unwrap_or_else(|| format!("prod/service-{i:04}/api-key"));
            build(&mut rng, i, name, start)
        })
        .collect()
}

fn build(rng: &mut DemoRng, index: usize, name: String, start: Timestamp) -> Secret {
    let days = |d: i64| Duration::days(d);
    let suffix: String = rng.hex(6);
    let lambda =
        format!("arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:SecretsManager-rotate-{}", name.replace('/', "-"));
    let mut s = Secret {
        arn: format!("arn:aws:secretsmanager:{REGION}:{ACCOUNT_ID}:secret:{name}-{suffix}"),
        name,
        description: None,
        rotation_enabled: true,
        rotation_lambda_arn: Some(lambda),
        rotation_interval_days: Some(30),
        rotation_schedule: None,
        created: Some(start - days(rng.range(200, 900))),
        last_rotated: Some(start - days(rng.range(1, 25))),
        next_rotation: None,
        last_accessed: Some(start - days(rng.range(0, 3))),
        last_changed: None,
        deleted_date: None,
        versions: vec![SecretVersion { id: rng.hex(32), stages: vec!["AWSCURRENT".into()] }],
    };
    s.next_rotation = s.last_rotated.map(|t| t + days(30));
    s.last_changed = s.last_rotated;
    // The first names cover each state on purpose; the rest are drawn.
    let state = match index {
        0..10 => index as u64,
        // Scheduled for deletion while a job still reads it (the expiry radar's last rule).
        23 => 14,
        // One rotation under way is the story: drawn secrets are healthy in its place.
        _ => match rng.below(14) {
            1 => 0,
            state => state,
        },
    };
    match state {
        0 => {}
        1 => {
            // A rotation running now: AWSPENDING on the new version, the secret changed minutes ago.
            s.versions.push(SecretVersion { id: rng.hex(32), stages: vec!["AWSPENDING".into()] });
            s.last_changed = Some(start - Duration::minutes(4));
        }
        2 => {
            // Rotation stuck: AWSPENDING left on a version that never became current.
            s.versions.push(SecretVersion { id: rng.hex(32), stages: vec!["AWSPENDING".into()] });
            s.last_rotated = Some(start - days(41));
            s.next_rotation = Some(start - days(11));
        }
        3 => {
            s.next_rotation = Some(start - Duration::days(1) + Duration::seconds(OVERDUE_AFTER_SECONDS));
            s.last_rotated = Some(start - days(31) + Duration::seconds(OVERDUE_AFTER_SECONDS));
        }
        4 => {
            s.rotation_schedule = Some("rate(7 days)".into());
            s.rotation_interval_days = Some(7);
            s.last_rotated = Some(start - days(19));
            s.next_rotation = Some(start - days(12));
        }
        5 => {
            s.last_rotated = None;
            s.last_changed = s.created;
            s.next_rotation = Some(start + days(4));
        }
        6 | 7 => {
            s.rotation_enabled = false;
            s.rotation_lambda_arn = None;
            s.rotation_interval_days = None;
            s.last_rotated = None;
            s.next_rotation = None;
            s.last_changed = Some(start - days(rng.range(100, 700)));
        }
        8 => {
            s.rotation_enabled = false;
            s.rotation_lambda_arn = None;
            s.rotation_interval_days = None;
            s.next_rotation = None;
            s.last_accessed = Some(start - days(rng.range(120, 400)));
        }
        9 => {
            // DeletedDate: when DeleteSecret ran.
            s.deleted_date = Some(start - days(2));
            s.last_accessed = Some(start - days(200));
        }
        10 | 11 => {
            s.rotation_schedule = Some("cron(0 4 ? * SUN *)".into());
            s.rotation_interval_days = Some(7);
            s.last_rotated = Some(start - days(rng.range(0, 6)));
            s.next_rotation = s.last_rotated.map(|t| t + days(7));
        }
        12 => {
            s.rotation_enabled = false;
            s.rotation_lambda_arn = None;
            s.rotation_interval_days = None;
            s.next_rotation = None;
        }
        14 => {
            s.rotation_enabled = false;
            s.rotation_lambda_arn = None;
            s.rotation_interval_days = None;
            s.next_rotation = None;
            s.deleted_date = Some(start - days(2));
            s.last_accessed = Some(start - days(3));
        }
        _ => s.last_accessed = None,
    }
    s
}

pub struct Pane;

impl super::DemoPane for Pane {
    type Model = crate::model::panes::secrets::Pane;

    fn generate(demo: &crate::source::demo::DemoSource, _now: Timestamp) -> Vec<Secret> {
        demo.secrets()
    }

    fn apply(
        demo: &crate::source::demo::DemoSource,
        _action: &crate::model::panes::secrets::Action,
        targets: &[crate::model::triage::Target],
        now: Timestamp,
    ) -> Vec<crate::model::triage::TargetOutcome> {
        demo.overrides.rotate_secrets(targets, &demo.secrets(), now)
    }
}
