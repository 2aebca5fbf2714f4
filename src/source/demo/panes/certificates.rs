//! Demo ACM certificates covering every state the pane shows. One imported certificate crosses the
//! 7-day line shortly after start, so the refresh is visible.

use crate::source::demo::catalog::{ACCOUNT_ID, REGION};
use crate::source::demo::rng::DemoRng;
use crate::model::{Certificate, CertificateKind, CertificateStatus, RenewalStatus, Timestamp};
use chrono::Duration;

/// Seconds after start at which `checkout.shop.example.com` drops below 7 days to expiry.
pub const THRESHOLD_CROSSING_SECONDS: i64 = 90;

struct Spec {
    domain: &'static str,
    kind: CertificateKind,
    status: CertificateStatus,
    /// Expiry relative to start, in seconds; `None` for certificates not issued yet.
    expires_in: Option<i64>,
    renewal: Option<RenewalStatus>,
    in_use_by: &'static [&'static str],
    failure: Option<&'static str>,
}

const DAY: i64 = 86_400;

fn specs() -> Vec<Spec> {
    use CertificateKind::*;
    use CertificateStatus::*;
    vec![
        Spec {
            domain: "checkout.shop.example.com",
            kind: Imported,
            status: Issued,
            expires_in: Some(7 * DAY + THRESHOLD_CROSSING_SECONDS),
            renewal: None,
            in_use_by: &["loadbalancer/app/checkout-alb/3f2a1b"],
            failure: None,
        },
        Spec {
            domain: "legacy-api.shop.example.com",
            kind: Imported,
            status: Expired,
            expires_in: Some(-3 * DAY),
            renewal: None,
            in_use_by: &["loadbalancer/app/legacy-api/9c8d7e"],
            failure: None,
        },
        Spec {
            domain: "payments.shop.example.com",
            kind: Imported,
            status: Issued,
            expires_in: Some(12 * DAY),
            renewal: None,
            in_use_by: &["loadbalancer/app/payments-alb/1a2b3c"],
            failure: None,
        },
        Spec {
            domain: "promo.shop.example.com",
            kind: AmazonIssued,
            status: Issued,
            expires_in: Some(21 * DAY),
            renewal: Some(RenewalStatus::PendingValidation),
            in_use_by: &["distribution/E2PROMO0EXAMPLE"],
            failure: None,
        },
        Spec {
            domain: "www.shop.example.com",
            kind: AmazonIssued,
            status: Issued,
            expires_in: Some(58 * DAY),
            renewal: Some(RenewalStatus::PendingAutoRenewal),
            in_use_by: &["distribution/E1WWW00EXAMPLE", "loadbalancer/app/storefront/77aa88"],
            failure: None,
        },
        Spec {
            domain: "api.shop.example.com",
            kind: AmazonIssued,
            status: Issued,
            expires_in: Some(33 * DAY),
            renewal: Some(RenewalStatus::Failed),
            in_use_by: &["restapis/a1b2c3d4e5"],
            failure: Some("CAA_ERROR"),
        },
        Spec {
            domain: "static.shop.example.com",
            kind: AmazonIssued,
            status: Issued,
            expires_in: Some(190 * DAY),
            renewal: None,
            in_use_by: &["distribution/E3STATIC0EXAMPLE"],
            failure: None,
        },
        Spec {
            domain: "admin.shop.example.com",
            kind: AmazonIssued,
            status: Issued,
            expires_in: Some(301 * DAY),
            renewal: None,
            in_use_by: &[],
            failure: None,
        },
        Spec {
            domain: "blackfriday.shop.example.com",
            kind: AmazonIssued,
            status: PendingValidation,
            expires_in: None,
            renewal: None,
            in_use_by: &[],
            failure: None,
        },
        Spec {
            domain: "old-campaign.shop.example.com",
            kind: AmazonIssued,
            status: ValidationTimedOut,
            expires_in: None,
            renewal: None,
            in_use_by: &[],
            failure: Some("DOMAIN_VALIDATION_DENIED"),
        },
        Spec {
            domain: "gift-cards.shop.example.com",
            kind: AmazonIssued,
            status: Failed,
            expires_in: None,
            renewal: None,
            in_use_by: &[],
            failure: Some("ADDITIONAL_VERIFICATION_REQUIRED"),
        },
        Spec {
            domain: "orders.internal.shop",
            kind: Private,
            status: Issued,
            expires_in: Some(5 * DAY),
            renewal: Some(RenewalStatus::PendingAutoRenewal),
            in_use_by: &["loadbalancer/app/orders-internal/4d5e6f"],
            failure: None,
        },
        Spec {
            domain: "mesh.internal.shop",
            kind: Private,
            status: Issued,
            expires_in: Some(120 * DAY),
            renewal: None,
            in_use_by: &["loadbalancer/net/mesh-nlb/aa11bb"],
            failure: None,
        },
        Spec {
            domain: "vpn.shop.example.com",
            kind: Imported,
            status: Issued,
            expires_in: Some(40 * DAY),
            renewal: None,
            in_use_by: &["client-vpn-endpoint/cvpn-endpoint-0123"],
            failure: None,
        },
        Spec {
            domain: "old-mobile.shop.example.com",
            kind: Imported,
            status: Revoked,
            expires_in: Some(80 * DAY),
            renewal: None,
            in_use_by: &[],
            failure: None,
        },
        Spec {
            domain: "partners.shop.example.com",
            kind: AmazonIssued,
            status: Issued,
            expires_in: Some(2 * DAY),
            renewal: Some(RenewalStatus::PendingValidation),
            in_use_by: &["loadbalancer/app/partners/5566cc"],
            failure: None,
        },
        Spec {
            domain: INELIGIBLE_DOMAIN,
            kind: AmazonIssued,
            status: Issued,
            expires_in: Some(41 * DAY),
            renewal: None,
            in_use_by: &["loadbalancer/app/admin-portal/8e9f10"],
            failure: None,
        },
    ]
}

/// In use, Amazon-issued, yet ACM says it is not eligible for managed renewal (its validation
/// CNAME was removed): the expiry radar's "not eligible for renewal".
const INELIGIBLE_DOMAIN: &str = "admin-portal.shop.example.com";

pub fn generate(seed: u64, scale: usize, start: Timestamp) -> Vec<Certificate> {
    let mut certs: Vec<Certificate> = specs()
        .into_iter()
        .enumerate()
        .map(|(i, spec)| {
            let mut rng = DemoRng::stream(seed, "certificate", i as u64);
            build(&mut rng, spec, start)
        })
        .collect();
    // Bulk certificates for larger scales: healthy Amazon-issued ones spread over the year.
    for i in 0..scale / 1_000 {
        let mut rng = DemoRng::stream(seed, "certificate-bulk", i as u64);
        let days = rng.range(20, 395);
        let spec = Spec {
            domain: "",
            kind: CertificateKind::AmazonIssued,
            status: CertificateStatus::Issued,
            expires_in: Some(days * DAY),
            renewal: None,
            in_use_by: &[],
            failure: None,
        };
        let mut cert = build(&mut rng, spec, start);
        cert.domain = format!("store-{i:05}.shop.example.com");
        certs.push(cert);
    }
    certs
}

fn build(rng: &mut DemoRng, spec: Spec, start: Timestamp) -> Certificate {
    let id = rng.hex(32);
    let arn = format!(
        "arn:aws:acm:{REGION}:{ACCOUNT_ID}:certificate/{}-{}-{}-{}-{}",
        &id[0..8],
        &id[8..12],
        &id[12..16],
        &id[16..20],
        &id[20..32]
    );
    Certificate {
        arn,
        domain: spec.domain.into(),
        alternative_names: if spec.domain.starts_with("www.") { vec!["shop.example.com".into()] } else { vec![] },
        kind: spec.kind,
        status: spec.status,
        not_after: spec.expires_in.map(|s| start + Duration::seconds(s)),
        in_use_by: spec
            .in_use_by
            .iter()
            .map(|r| match r.split('/').next() {
                // Each service's own ARN, as ACM's InUseBy lists them.
                Some("distribution") => format!("arn:aws:cloudfront::{ACCOUNT_ID}:{r}"),
                Some("restapis") => format!("arn:aws:apigateway:{REGION}::/{r}"),
                Some("client-vpn-endpoint") => format!("arn:aws:ec2:{REGION}:{ACCOUNT_ID}:{r}"),
                _ => format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT_ID}:{r}"),
            })
            .collect(),
        renewal_eligible: spec.kind != CertificateKind::Imported
            && !spec.in_use_by.is_empty()
            && spec.domain != INELIGIBLE_DOMAIN,
        exportable: false,
        renewal_status: spec.renewal,
        failure_reason: spec.failure.map(str::to_string),
        key_algorithm: if rng.chance(30) { "EC_prime256v1".into() } else { "RSA_2048".into() },
        issuer: Some(match spec.kind {
            CertificateKind::AmazonIssued => "Amazon".into(),
            CertificateKind::Private => "shop-internal-ca".into(),
            CertificateKind::Imported => "DigiCert Global G2 TLS RSA SHA256 2020 CA1".into(),
        }),
    }
}

pub struct Pane;

impl super::DemoPane for Pane {
    type Model = crate::model::panes::certificates::Pane;

    fn generate(demo: &crate::source::demo::DemoSource, _now: Timestamp) -> Vec<Certificate> {
        let mut list = generate(demo.seed, demo.scale, demo.start);
        for c in &mut list {
            c.arn = demo.organisation.owned_arn(demo.seed, &c.arn);
        }
        demo.overrides.certificates(&mut list);
        list
    }

    fn apply(
        demo: &crate::source::demo::DemoSource,
        _action: &crate::model::panes::certificates::Action,
        targets: &[crate::model::triage::Target],
        _now: Timestamp,
    ) -> Vec<crate::model::triage::TargetOutcome> {
        demo.overrides.renew_certificates(targets)
    }
}
