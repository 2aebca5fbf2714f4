//! The demo's front door in the middle of the promotion: a layer-7 HTTP flood on the storefront's
//! CloudFront distribution (millions of requests a second, mitigated by Shield and the rate and
//! anti-DDoS rules), bot control and Fraud Control (ATP, ACFP) at work on the sign-in path, the
//! legacy API's load balancer without a protection, and the sign-in web ACL without logging.

use crate::model::Timestamp;
use crate::model::panes::edge::{
    Action, Attack, Contributor, EdgeReport, EntryPoint, GroupPurpose, IpSet, Offender, Peak, Protection,
    ProtectionGroup, RuleKind, Scope, ShieldState, Traffic, WafRule, WebAcl, YearOfAttacks, as_cidr,
};
use crate::model::triage::{Target, TargetOutcome};
use crate::source::demo::DemoSource;
use crate::source::demo::catalog::{ACCOUNT_ID, REGION};
use crate::source::demo::rng::DemoRng;
use chrono::Duration;
use std::collections::BTreeMap;

/// The flood began this long before the console started, and is still going.
const FLOOD_STARTED_MINUTES: i64 = 18;
const BLOCKED_SET: &str = "edge/blocked";

fn arn(service: &str, region: &str, resource: &str) -> String {
    format!("arn:aws:{service}:{region}:{ACCOUNT_ID}:{resource}")
}

fn storefront() -> String {
    format!("arn:aws:cloudfront::{ACCOUNT_ID}:distribution/E1WWW00EXAMPLE")
}

fn load_balancer(name: &str) -> String {
    arn("elasticloadbalancing", REGION, &format!("loadbalancer/app/{name}"))
}

/// Sixty minutes of a count: `base` a minute with some noise, `surge` a minute from `from` on.
fn series(rng: &mut DemoRng, base: u64, surge: u64, from: usize) -> Vec<u64> {
    (0..60)
        .map(|m| {
            let noise = rng.below(base.max(1) / 5 + 1);
            if m >= from { surge + noise * 40 } else { base + noise }
        })
        .collect()
}

fn rule(name: &str, priority: i32, action: &str, kind: RuleKind, blocked: Option<u64>) -> WafRule {
    WafRule {
        name: name.into(),
        priority,
        action: action.into(),
        metric_name: name.into(),
        kind,
        blocked_last_hour: blocked,
    }
}

fn managed(name: &str) -> RuleKind {
    RuleKind::ManagedGroup { vendor: "AWS".into(), name: name.into(), purpose: GroupPurpose::of("AWS", name) }
}

fn block_list(demo: &DemoSource) -> IpSet {
    let mut addresses: Vec<String> = vec!["198.51.100.23/32".into(), "203.0.113.0/24".into()];
    if let Some(changed) = demo.overrides.set(BLOCKED_SET) {
        addresses = changed.into_iter().collect();
    } else {
        addresses.sort();
    }
    IpSet {
        name: "shop-blocklist".into(),
        id: "b10c4d5e-0000-4000-8000-000000000001".into(),
        arn: format!("arn:aws:wafv2:us-east-1:{ACCOUNT_ID}:global/ipset/shop-blocklist/b10c4d5e-0000-4000-8000-000000000001"),
        scope: Scope::Cloudfront,
        region: "us-east-1".into(),
        addresses,
    }
}

pub fn generate(demo: &DemoSource, now: Timestamp) -> EdgeReport {
    let start = demo.start;
    let mut rng = DemoRng::stream(demo.seed, "edge", 0);
    // Minutes into the flood at `now`; the last hour's series put its beginning in place.
    let flood_start = start - Duration::minutes(FLOOD_STARTED_MINUTES);
    let into_flood = (now - flood_start).num_minutes().clamp(0, 60) as usize;
    let surge_from = 60usize.saturating_sub(into_flood);
    let flood = Attack {
        id: "a7f3e9c1-5b2d-4e8a-9f60-0d1c2b3a4e5f".into(),
        resource_arn: storefront(),
        account: ACCOUNT_ID.into(),
        start: Some(flood_start),
        end: None,
        vectors: vec!["REQUEST_FLOOD".into(), "HTTP_REFLECTION".into()],
        peak: Peak { bps: Some(48.0e9), pps: Some(6.2e6), rps: Some(2_400_000.0) },
        top_contributors: vec![
            Contributor { kind: "SOURCE_COUNTRY".into(), name: "VN".into(), value: 31.0 },
            Contributor { kind: "SOURCE_COUNTRY".into(), name: "BR".into(), value: 22.0 },
            Contributor { kind: "SOURCE_COUNTRY".into(), name: "US".into(), value: 9.0 },
            Contributor { kind: "SOURCE_IP_ADDRESS".into(), name: "45.133.1.71".into(), value: 410_000.0 },
            Contributor { kind: "SOURCE_IP_ADDRESS".into(), name: "103.152.118.9".into(), value: 352_000.0 },
            Contributor { kind: "SOURCE_IP_ADDRESS".into(), name: "2a0e:97c0:3e3::1".into(), value: 298_000.0 },
            Contributor { kind: "SOURCE_ASN".into(), name: "AS209588".into(), value: 38.0 },
            Contributor { kind: "DESTINATION_URL".into(), name: "/checkout/cart".into(), value: 61.0 },
            Contributor { kind: "DESTINATION_URL".into(), name: "/api/promo/apply".into(), value: 27.0 },
            Contributor { kind: "SOURCE_USER_AGENT".into(), name: "Mozilla/5.0 (compatible; promo-bot/2.1)".into(), value: 44.0 },
        ],
        mitigations: vec!["Shield application layer automatic response (block)".into(), "rate-based rule rate-limit-per-ip".into()],
        detailed: true,
    };
    let earlier = Attack {
        id: "0c2e4a6b-8d1f-4c3e-a5b7-9d0e1f2a3b4c".into(),
        resource_arn: load_balancer("checkout-alb/3f2a1b"),
        account: ACCOUNT_ID.into(),
        start: Some(start - Duration::hours(51)),
        end: Some(start - Duration::hours(50) + Duration::minutes(12)),
        vectors: vec!["SYN_FLOOD".into(), "UDP_TRAFFIC".into()],
        peak: Peak { bps: Some(310.0e9), pps: Some(92.0e6), rps: None },
        top_contributors: vec![Contributor { kind: "SOURCE_COUNTRY".into(), name: "CN".into(), value: 47.0 }],
        mitigations: vec!["Shield network layer mitigation".into()],
        detailed: true,
    };
    let flood_traffic = Traffic {
        allowed: series(&mut rng, 42_000, 61_000, surge_from),
        blocked: series(&mut rng, 180, 1_150_000, surge_from),
        counted: series(&mut rng, 40, 90, surge_from),
        challenged: series(&mut rng, 900, 210_000, surge_from),
    };
    let edge_acl = WebAcl {
        name: "shop-edge".into(),
        id: "e1d2c3b4-0000-4000-8000-000000000010".into(),
        arn: format!("arn:aws:wafv2:us-east-1:{ACCOUNT_ID}:global/webacl/shop-edge/e1d2c3b4-0000-4000-8000-000000000010"),
        scope: Scope::Cloudfront,
        region: "us-east-1".into(),
        account: ACCOUNT_ID.into(),
        default_action: "ALLOW".into(),
        rules: vec![
            rule("block-list", 0, "BLOCK", RuleKind::IpSet { arn: block_list(demo).arn }, Some(3_100)),
            rule("rate-limit-per-ip", 1, "BLOCK", RuleKind::RateBased { limit: 2_000, aggregate: "IP".into() }, Some(14_800_000)),
            rule("AWS-AWSManagedRulesAntiDDoSRuleSet", 2, "NONE", managed("AWSManagedRulesAntiDDoSRuleSet"), Some(4_900_000)),
            rule("AWS-AWSManagedRulesBotControlRuleSet", 3, "NONE", managed("AWSManagedRulesBotControlRuleSet"), Some(610_000)),
            rule("AWS-AWSManagedRulesAmazonIpReputationList", 4, "NONE", managed("AWSManagedRulesAmazonIpReputationList"), Some(88_000)),
        ],
        resources: vec![storefront(), format!("arn:aws:cloudfront::{ACCOUNT_ID}:distribution/E2PROMO0EXAMPLE")],
        log_destinations: vec![format!("arn:aws:firehose:us-east-1:{ACCOUNT_ID}:deliverystream/aws-waf-logs-shop-edge")],
        traffic: flood_traffic,
        fraud_labels: BTreeMap::new(),
    };
    let signin_acl = WebAcl {
        name: "shop-signin".into(),
        id: "5161e0a1-0000-4000-8000-000000000020".into(),
        arn: arn("wafv2", REGION, "regional/webacl/shop-signin/5161e0a1-0000-4000-8000-000000000020"),
        scope: Scope::Regional,
        region: REGION.into(),
        account: ACCOUNT_ID.into(),
        default_action: "ALLOW".into(),
        rules: vec![
            rule("login-rate", 0, "BLOCK", RuleKind::RateBased { limit: 100, aggregate: "IP".into() }, Some(2_240)),
            rule("AWS-AWSManagedRulesATPRuleSet", 1, "NONE", managed("AWSManagedRulesATPRuleSet"), Some(1_870)),
            rule("AWS-AWSManagedRulesACFPRuleSet", 2, "NONE", managed("AWSManagedRulesACFPRuleSet"), Some(412)),
            rule("AWS-AWSManagedRulesBotControlRuleSet", 3, "NONE", managed("AWSManagedRulesBotControlRuleSet"), Some(960)),
        ],
        resources: vec![
            load_balancer("signin/5e6f7a"),
            arn("cognito-idp", REGION, "userpool/us-east-1_ShopCust1"),
        ],
        log_destinations: Vec::new(),
        traffic: Traffic {
            allowed: series(&mut rng, 1_900, 2_300, surge_from),
            blocked: series(&mut rng, 45, 140, surge_from),
            counted: series(&mut rng, 20, 30, surge_from),
            challenged: series(&mut rng, 60, 120, surge_from),
        },
        fraud_labels: BTreeMap::from([
            ("awswaf:managed:aws:atp:signal:credential_compromised".to_string(), 1_312),
            ("awswaf:managed:aws:atp:aggregate:volumetric:ip:high".to_string(), 2_050),
            ("awswaf:managed:aws:acfp:risk_score:high".to_string(), 388),
            ("awswaf:managed:aws:acfp:aggregate:volumetric:ip:creation:high".to_string(), 241),
        ]),
    };
    let blocked = block_list(demo);
    let is_blocked = |address: &str| blocked.addresses.iter().any(|a| a == &as_cidr(address));
    let offender = |address: &str, seen: &[&str], country: &str, requests: f64| Offender {
        address: address.into(),
        seen: seen.iter().map(|s| (*s).to_string()).collect(),
        country: Some(country.into()),
        requests: Some(requests),
        blocked: is_blocked(address),
        ..Offender::default()
    };
    let offenders = vec![
        offender("45.133.1.71", &["top contributor of the flood", "rate-based rule rate-limit-per-ip on shop-edge"], "VN", 410_000.0),
        offender("103.152.118.9", &["top contributor of the flood", "rate-based rule rate-limit-per-ip on shop-edge"], "VN", 352_000.0),
        offender("2a0e:97c0:3e3::1", &["top contributor of the flood"], "BR", 298_000.0),
        offender("177.54.144.20", &["rate-based rule rate-limit-per-ip on shop-edge"], "BR", 96_000.0),
        offender("185.220.101.4", &["sampled: blocked by login-rate on shop-signin", "label atp:signal:credential_compromised"], "DE", 2_140.0),
        offender("91.92.250.13", &["rate-based rule login-rate on shop-signin"], "NL", 1_610.0),
        offender("198.51.100.23", &["earlier credential stuffing"], "US", 0.0),
    ];
    let protections = vec![
        Protection {
            id: "p-storefront".into(),
            name: "storefront".into(),
            resource_arn: storefront(),
            automatic_response: Some("BLOCK".into()),
        },
        Protection {
            id: "p-checkout-alb".into(),
            name: "checkout-alb".into(),
            resource_arn: load_balancer("checkout-alb/3f2a1b"),
            automatic_response: None,
        },
        Protection {
            id: "p-signin".into(),
            name: "signin-alb".into(),
            resource_arn: load_balancer("signin/5e6f7a"),
            automatic_response: None,
        },
    ];
    let entry = |resource_arn: String, kind: &str, acls: &[&str], seen_in: &str, protections: &[Protection]| EntryPoint {
        protected: protections.iter().any(|p| p.resource_arn == resource_arn),
        resource_arn,
        kind: kind.into(),
        web_acls: acls.iter().map(|a| (*a).to_string()).collect(),
        seen_in: seen_in.into(),
    };
    let entry_points = vec![
        entry(storefront(), "CloudFront distribution", &["shop-edge"], "certificate www.shop.example.com", &protections),
        entry(load_balancer("checkout-alb/3f2a1b"), "Application load balancer", &[], "certificate checkout.shop.example.com", &protections),
        entry(load_balancer("legacy-api/9c8d7e"), "Application load balancer", &[], "certificate legacy-api.shop.example.com", &protections),
        entry(load_balancer("signin/5e6f7a"), "Application load balancer", &["shop-signin"], "web ACL shop-signin", &protections),
    ];
    EdgeReport {
        shield: vec![ShieldState {
            account: ACCOUNT_ID.into(),
            subscribed: true,
            start: Some(start - Duration::days(400)),
            end: Some(start + Duration::days(330)),
            auto_renew: Some(true),
            proactive_engagement: Some(true),
            year: Some(YearOfAttacks { attacks: 14, peak: Peak { bps: Some(1.1e12), pps: Some(210.0e6), rps: Some(2_400_000.0) } }),
        }],
        attacks: vec![flood, earlier],
        protections,
        protection_groups: vec![ProtectionGroup {
            id: "shop-front-door".into(),
            aggregation: "SUM".into(),
            pattern: "ARBITRARY".into(),
            members: vec![storefront(), load_balancer("checkout-alb/3f2a1b")],
        }],
        entry_points,
        web_acls: vec![edge_acl, signin_acl],
        offenders,
        block_list: Some(Box::new(blocked)),
    }
}

pub struct Pane;

impl super::DemoPane for Pane {
    type Model = crate::model::panes::edge::Pane;

    fn generate(demo: &DemoSource, now: Timestamp) -> Box<EdgeReport> {
        Box::new(generate(demo, now))
    }

    fn apply(demo: &DemoSource, action: &Action, targets: &[Target], _now: Timestamp) -> Vec<TargetOutcome> {
        if action.ip_set().is_none() {
            let why = "no IP set configured: set [panes.edge] block_ip_set in the config";
            return targets.iter().map(|t| TargetOutcome::failed(t.clone(), why)).collect();
        }
        // The set starts as the demo's list; the first change keeps it from then on.
        if demo.overrides.set(BLOCKED_SET).is_none() {
            let initial: Vec<Target> = block_list(demo)
                .addresses
                .into_iter()
                .map(|a| Target { likeness: None,
                    id: a.clone(),
                    label: a,
                    placement: crate::model::Placement { account: ACCOUNT_ID.into(), region: "us-east-1".into() },
                    product_arn: None,
                    guardduty: None,
                    ocsf_uid: None,
                    user: None,
                })
                .collect();
            demo.overrides.change_set(BLOCKED_SET, &initial, true);
        }
        let add = matches!(action, Action::BlockAddresses { .. });
        demo.overrides.change_set(BLOCKED_SET, targets, add)
    }
}
