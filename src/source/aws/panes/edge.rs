//! The edge from AWS: Shield Advanced (through us-east-1, once per account), WAF's web ACLs
//! (REGIONAL in the context's region, CLOUDFRONT through us-east-1) with what each protects, its
//! logging, its rate-based blocks and sampled requests, their metrics from CloudWatch (one
//! GetMetricData call per region for up to 500 queries), the entry points ACM certificates serve,
//! and the block list (`[panes.edge] block_ip_set`); blocking writes it with UpdateIPSet and its lock
//! token. A service that fails is a warning while the others answer.

use crate::model::Timestamp;
use crate::model::panes::edge::{
    Action, Attack, Contributor, EdgeReport, EntryPoint, GroupPurpose, IpSet, IpSetRef, Offender, Peak, Protection,
    ProtectionGroup, RuleKind, Scope, ShieldState, Traffic, WafRule, WebAcl, YearOfAttacks, as_cidr,
};
use crate::model::triage::{Target, TargetOutcome};
use crate::pane::PaneId;
use crate::source::aws::clients::{Clients, settings_of};
use crate::source::aws::time::from_smithy;
use crate::source::aws::{AwsSource, ClientSettings, errors};
use crate::source::{Fetched, PaneData, Progress, Service, SourceError};
use crate::source::aws::metrics::{self, dimension};
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery};
use aws_sdk_wafv2::types::{ResourceType, Scope as WafScope};
use futures::future::BoxFuture;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

crate::sdk_client!(aws_sdk_shield, Shield);
crate::sdk_client!(aws_sdk_wafv2, Wafv2);
crate::sdk_client!(aws_sdk_cloudwatch, CloudWatch);

/// Where the partition's global services (Shield, WAF's CLOUDFRONT scope) answer.
fn home(region: &str) -> &'static str {
    crate::model::partition::Partition::of(region).global_region
}
/// Sampled requests read per rule (of the first 5,000 WAF samples).
const SAMPLES: i64 = 100;
/// Rules per web ACL whose sampled requests are read: the ones blocking most.
const SAMPLED_RULES: usize = 3;
/// The Fraud Control labels counted per web ACL that runs the group.
const FRAUD_LABELS: &[(&str, &str)] = &[
    ("awswaf:managed:aws:atp:signal", "credential_compromised"),
    ("awswaf:managed:aws:atp:aggregate:volumetric:ip", "high"),
    ("awswaf:managed:aws:atp:aggregate:volumetric:session", "high"),
    ("awswaf:managed:aws:acfp:risk_score", "high"),
    ("awswaf:managed:aws:acfp:aggregate:volumetric:ip:creation", "high"),
];

fn wafv2_scope(scope: Scope) -> WafScope {
    match scope {
        Scope::Cloudfront => WafScope::Cloudfront,
        Scope::Regional => WafScope::Regional,
    }
}

/// The region a WAF scope is read in from a context in `region`.
fn scope_region(scope: Scope, region: &str) -> &str {
    match scope {
        Scope::Cloudfront => home(region),
        Scope::Regional => region,
    }
}

/// Shield's part: the subscription, a year of attacks, the last day's attacks with their details,
/// protections and groups.
struct ShieldPart {
    state: ShieldState,
    attacks: Vec<Attack>,
    protections: Vec<Protection>,
    groups: Vec<ProtectionGroup>,
}

async fn shield(source: &AwsSource, now: Timestamp) -> Result<ShieldPart, SourceError> {
    let client = source.client_in::<aws_sdk_shield::Client>(home(source.place().1));
    let caller = source.caller(Service::Shield);
    let (account, _) = source.place();
    let state = source
        .paced(Service::Shield, "GetSubscriptionState", client.get_subscription_state().send())
        .await
        .map_err(|e| errors::classify(caller, "GetSubscriptionState", &e))?;
    let subscribed = state.subscription_state().as_str() == "ACTIVE";
    let mut shield = ShieldState {
        account: account.to_string(),
        subscribed,
        start: None,
        end: None,
        auto_renew: None,
        proactive_engagement: None,
        year: None,
    };
    let mut protections = Vec::new();
    let mut groups = Vec::new();
    if subscribed {
        let described = source
            .paced(Service::Shield, "DescribeSubscription", client.describe_subscription().send())
            .await
            .map_err(|e| errors::classify(caller, "DescribeSubscription", &e))?;
        if let Some(s) = described.subscription() {
            shield.start = from_smithy(s.start_time());
            shield.end = from_smithy(s.end_time());
            shield.auto_renew = s.auto_renew().map(|r| r.as_str() == "ENABLED");
            shield.proactive_engagement = s.proactive_engagement_status().map(|p| p.as_str() == "ENABLED");
        }
        let mut token = None;
        loop {
            let page = source
                .paced(Service::Shield, "ListProtections", client.list_protections().set_next_token(token).max_results(100).send())
                .await
                .map_err(|e| errors::classify(caller, "ListProtections", &e))?;
            protections.extend(page.protections().iter().map(|p| Protection {
                id: p.id().unwrap_or_default().to_string(),
                name: p.name().unwrap_or_default().to_string(),
                resource_arn: p.resource_arn().unwrap_or_default().to_string(),
                automatic_response: p
                    .application_layer_automatic_response_configuration()
                    .filter(|c| c.status().as_str() == "ENABLED")
                    .map(|c| match c.action() {
                        Some(a) if a.block().is_some() => "BLOCK".to_string(),
                        _ => "COUNT".to_string(),
                    }),
            }));
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        let mut token = None;
        loop {
            let call = client.list_protection_groups().set_next_token(token).max_results(100).send();
            let page = source
                .paced(Service::Shield, "ListProtectionGroups", call)
                .await
                .map_err(|e| errors::classify(caller, "ListProtectionGroups", &e))?;
            groups.extend(page.protection_groups().iter().map(|g| ProtectionGroup {
                id: g.protection_group_id().to_string(),
                aggregation: g.aggregation().as_str().to_string(),
                pattern: g.pattern().as_str().to_string(),
                members: g.members().to_vec(),
            }));
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
    }
    // A year of attacks answers with or without a subscription.
    if let Ok(stats) = source.paced(Service::Shield, "DescribeAttackStatistics", client.describe_attack_statistics().send()).await {
        let mut year = YearOfAttacks::default();
        for item in stats.data_items() {
            year.attacks += u64::try_from(item.attack_count()).unwrap_or(0);
            if let Some(v) = item.attack_volume() {
                let max = |s: Option<&aws_sdk_shield::types::AttackVolumeStatistics>, cur: Option<f64>| {
                    s.map(|s| s.max()).into_iter().chain(cur).reduce(f64::max)
                };
                year.peak.bps = max(v.bits_per_second(), year.peak.bps);
                year.peak.pps = max(v.packets_per_second(), year.peak.pps);
                year.peak.rps = max(v.requests_per_second(), year.peak.rps);
            }
        }
        shield.year = Some(year);
    }
    let attacks = attacks(source, &client, now).await?;
    Ok(ShieldPart { state: shield, attacks, protections, groups })
}

/// Attacks in progress and of the last 24 hours, each described.
async fn attacks(source: &AwsSource, client: &aws_sdk_shield::Client, now: Timestamp) -> Result<Vec<Attack>, SourceError> {
    let caller = source.caller(Service::Shield);
    let (account, _) = source.place();
    let day_ago = aws_smithy_types::DateTime::from_secs((now - chrono::Duration::hours(24)).timestamp());
    let later = aws_smithy_types::DateTime::from_secs((now + chrono::Duration::hours(1)).timestamp());
    let range = aws_sdk_shield::types::TimeRange::builder().from_inclusive(day_ago).to_exclusive(later).build();
    let mut summaries = Vec::new();
    let mut token = None;
    loop {
        let call = client.list_attacks().end_time(range.clone()).set_next_token(token).max_results(100).send();
        let page = source.paced(Service::Shield, "ListAttacks", call).await.map_err(|e| errors::classify(caller, "ListAttacks", &e))?;
        summaries.extend(page.attack_summaries().iter().cloned());
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    let mut out = Vec::new();
    for summary in summaries {
        let id = summary.attack_id().unwrap_or_default().to_string();
        let mut attack = Attack {
            id: id.clone(),
            resource_arn: summary.resource_arn().unwrap_or_default().to_string(),
            account: account.to_string(),
            start: from_smithy(summary.start_time()),
            end: from_smithy(summary.end_time()),
            vectors: summary.attack_vectors().iter().map(|v| v.vector_type().to_string()).collect(),
            peak: Peak::default(),
            top_contributors: Vec::new(),
            mitigations: Vec::new(),
            detailed: false,
        };
        let described = source.paced(Service::Shield, "DescribeAttack", client.describe_attack().attack_id(&id).send()).await;
        if let Some(detail) = described.ok().and_then(|d| d.attack) {
            let counters = detail
                .attack_counters()
                .iter()
                .chain(detail.sub_resources().iter().flat_map(|s| s.counters()))
                .chain(detail.sub_resources().iter().flat_map(|s| s.attack_vectors().iter().flat_map(|v| v.vector_counters())));
            for c in counters {
                let unit = c.unit().unwrap_or_default().to_ascii_uppercase();
                let name = c.name().unwrap_or_default().to_ascii_uppercase();
                let slot = match () {
                    _ if unit == "BPS" || unit == "BITS" || name.ends_with("_BPS") => &mut attack.peak.bps,
                    _ if unit == "PPS" || unit == "PACKETS" || name.ends_with("_PPS") => &mut attack.peak.pps,
                    _ if unit == "RPS" || unit == "REQUESTS" || name.ends_with("_RPS") => &mut attack.peak.rps,
                    _ => continue,
                };
                *slot = Some(slot.map_or(c.max(), |v| v.max(c.max())));
            }
            for property in detail.attack_properties() {
                let kind = property.attack_property_identifier().map(|k| k.as_str().to_string()).unwrap_or_default();
                attack.top_contributors.extend(property.top_contributors().iter().map(|c| Contributor {
                    kind: kind.clone(),
                    name: c.name().unwrap_or_default().to_string(),
                    value: c.value() as f64,
                }));
            }
            for vector in detail.sub_resources().iter().flat_map(|s| s.attack_vectors()) {
                if !attack.vectors.iter().any(|v| v == vector.vector_type()) {
                    attack.vectors.push(vector.vector_type().to_string());
                }
            }
            attack.mitigations = detail.mitigations().iter().filter_map(|m| m.mitigation_name().map(str::to_string)).collect();
            if attack.end.is_none() {
                attack.end = from_smithy(detail.end_time());
            }
            attack.detailed = true;
        }
        out.push(attack);
    }
    out.sort_by(|a, b| b.start.cmp(&a.start).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}

/// The web ACLs of one scope, with what each protects, its rules and its logging.
async fn web_acls(source: &AwsSource, scope: Scope) -> Result<Vec<WebAcl>, SourceError> {
    let (account, own_region) = source.place();
    let region = scope_region(scope, own_region).to_string();
    let client = source.client_in::<aws_sdk_wafv2::Client>(&region);
    let caller = source.caller(Service::Wafv2);
    let waf_scope = wafv2_scope(scope);
    let mut summaries = Vec::new();
    let mut marker = None;
    loop {
        let call = client.list_web_acls().scope(waf_scope.clone()).limit(100).set_next_marker(marker).send();
        let page = source.paced_in(Service::Wafv2, "ListWebACLs", &region, call).await.map_err(|e| errors::classify(caller, "ListWebACLs", &e))?;
        summaries.extend(page.web_acls().iter().cloned());
        marker = page.next_marker().map(str::to_string).filter(|_| !page.web_acls().is_empty());
        if marker.is_none() {
            break;
        }
    }
    // Where each ACL logs, by its ARN: one listing per scope.
    let mut logging: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut marker = None;
    loop {
        let call = client.list_logging_configurations().scope(waf_scope.clone()).limit(100).set_next_marker(marker).send();
        let Ok(page) = source.paced_in(Service::Wafv2, "ListLoggingConfigurations", &region, call).await else { break };
        for c in page.logging_configurations() {
            logging.entry(c.resource_arn().to_string()).or_default().extend(c.log_destination_configs().iter().cloned());
        }
        marker = page.next_marker().map(str::to_string).filter(|_| !page.logging_configurations().is_empty());
        if marker.is_none() {
            break;
        }
    }
    let mut acls = Vec::new();
    for summary in summaries {
        let (Some(name), Some(id), Some(arn)) = (summary.name(), summary.id(), summary.arn()) else { continue };
        let call = client.get_web_acl().name(name).id(id).scope(waf_scope.clone()).send();
        let got = source.paced_in(Service::Wafv2, "GetWebACL", &region, call).await.map_err(|e| errors::classify(caller, "GetWebACL", &e))?;
        let Some(acl) = got.web_acl() else { continue };
        let default_action = match acl.default_action() {
            Some(d) if d.block().is_some() => "BLOCK",
            _ => "ALLOW",
        };
        let rules = acl.rules().iter().map(rule).collect();
        // CloudFront distributions name their web ACL (CloudFront's API, not WAF's, lists them).
        let mut resources = Vec::new();
        if scope == Scope::Regional {
            for kind in [
                ResourceType::ApplicationLoadBalancer,
                ResourceType::ApiGateway,
                ResourceType::Appsync,
                ResourceType::CognitioUserPool,
                ResourceType::AppRunnerService,
                ResourceType::VerifiedAccessInstance,
            ] {
                let call = client.list_resources_for_web_acl().web_acl_arn(arn).resource_type(kind).send();
                if let Ok(out) = source.paced_in(Service::Wafv2, "ListResourcesForWebACL", &region, call).await {
                    resources.extend(out.resource_arns().iter().cloned());
                }
            }
        }
        acls.push(WebAcl {
            name: name.to_string(),
            id: id.to_string(),
            arn: arn.to_string(),
            scope,
            region: region.clone(),
            account: account.to_string(),
            default_action: default_action.into(),
            rules,
            resources,
            log_destinations: logging.remove(arn).unwrap_or_default(),
            traffic: Traffic::default(),
            fraud_labels: BTreeMap::new(),
        });
    }
    Ok(acls)
}

fn rule(r: &aws_sdk_wafv2::types::Rule) -> WafRule {
    let statement = r.statement();
    let kind = match statement {
        Some(s) if s.rate_based_statement().is_some() => {
            let rate = s.rate_based_statement();
            RuleKind::RateBased {
                limit: rate.map(|r| r.limit()).unwrap_or_default(),
                aggregate: rate.map(|r| r.aggregate_key_type().as_str().to_string()).unwrap_or_default(),
            }
        }
        Some(s) if s.managed_rule_group_statement().is_some() => {
            let g = s.managed_rule_group_statement();
            let (vendor, name) = (g.map(|g| g.vendor_name()).unwrap_or_default(), g.map(|g| g.name()).unwrap_or_default());
            RuleKind::ManagedGroup { vendor: vendor.into(), name: name.into(), purpose: GroupPurpose::of(vendor, name) }
        }
        Some(s) if s.rule_group_reference_statement().is_some() => {
            RuleKind::RuleGroup { arn: s.rule_group_reference_statement().map(|g| g.arn().to_string()).unwrap_or_default() }
        }
        Some(s) if s.ip_set_reference_statement().is_some() => {
            RuleKind::IpSet { arn: s.ip_set_reference_statement().map(|i| i.arn().to_string()).unwrap_or_default() }
        }
        _ => RuleKind::Other,
    };
    let action = match (r.action(), r.override_action()) {
        (Some(a), _) if a.block().is_some() => "BLOCK",
        (Some(a), _) if a.allow().is_some() => "ALLOW",
        (Some(a), _) if a.count().is_some() => "COUNT",
        (Some(a), _) if a.captcha().is_some() => "CAPTCHA",
        (Some(a), _) if a.challenge().is_some() => "CHALLENGE",
        (_, Some(o)) if o.count().is_some() => "COUNT (override)",
        _ => "NONE",
    };
    WafRule {
        name: r.name().to_string(),
        priority: r.priority(),
        action: action.into(),
        metric_name: r.visibility_config().map(|v| v.metric_name().to_string()).unwrap_or_default(),
        kind,
        blocked_last_hour: None,
    }
}

/// One metric query's place in the answer.
enum Slot {
    Traffic { acl: usize, series: usize },
    RuleBlocked { acl: usize, rule: usize },
    Label { acl: usize, label: String },
}

/// Fills the ACLs' traffic, rules' blocks and Fraud Control labels from CloudWatch: every query of
/// one region in as few GetMetricData calls as the API allows (500 queries each).
async fn traffic(source: &AwsSource, acls: &mut [WebAcl], now: Timestamp, warnings: &mut Vec<String>) {
    let end = now.timestamp() / 60 * 60;
    let start = end - 3_600;
    let mut by_region: BTreeMap<String, Vec<(MetricDataQuery, Slot)>> = BTreeMap::new();
    for (a, acl) in acls.iter().enumerate() {
        let mut dims = vec![dimension("WebACL", &acl.name)];
        if acl.scope == Scope::Regional {
            dims.push(dimension("Region", &acl.region));
        }
        let query = |id: String, metric: &str, extra: Vec<Dimension>| {
            let metric = Metric::builder()
                .namespace("AWS/WAFV2")
                .metric_name(metric)
                .set_dimensions(Some(dims.iter().cloned().chain(extra).collect()))
                .build();
            metrics::stat_query(id, metric, 60, "Sum")
        };
        let queries = by_region.entry(acl.region.clone()).or_default();
        for (s, name) in ["AllowedRequests", "BlockedRequests", "CountedRequests", "ChallengeRequests"].iter().enumerate() {
            queries.push((query(format!("t{a}x{s}"), name, vec![dimension("Rule", "ALL")]), Slot::Traffic { acl: a, series: s }));
        }
        for (r, rule) in acl.rules.iter().enumerate().filter(|(_, r)| !r.metric_name.is_empty()) {
            queries.push((
                query(format!("r{a}x{r}"), "BlockedRequests", vec![dimension("Rule", &rule.metric_name)]),
                Slot::RuleBlocked { acl: a, rule: r },
            ));
        }
        let fraud = acl.purposes().iter().any(|p| p.fraud_control().is_some());
        for (l, (namespace, label)) in FRAUD_LABELS.iter().enumerate().filter(|_| fraud) {
            for (m, metric) in ["AllowedRequests", "BlockedRequests", "CountedRequests"].iter().enumerate() {
                let extra = vec![dimension("LabelNamespace", namespace), dimension("Label", label)];
                queries.push((query(format!("l{a}x{l}x{m}"), metric, extra), Slot::Label { acl: a, label: format!("{namespace}:{label}") }));
            }
        }
    }
    for (region, queries) in by_region {
        let (asked, slots): (Vec<MetricDataQuery>, Vec<Slot>) = queries.into_iter().unzip();
        let values = match metrics::get_metric_data(source, &region, &asked, start, end).await {
            Ok(values) => values,
            Err(e) => {
                warnings.push(format!("CloudWatch {region}: {e}"));
                continue;
            }
        };
        for (query, slot) in asked.iter().zip(&slots) {
            let Some(points) = query.id().and_then(|id| values.get(id)) else { continue };
            // Sixty one-minute buckets, oldest first; a minute without a point is zero.
            let mut minutes = vec![0u64; 60];
            for (t, v) in points {
                let i = (t - start) / 60;
                if (0..60).contains(&i) {
                    minutes[i as usize] += v.max(0.0) as u64;
                }
            }
            let total: u64 = minutes.iter().sum();
            match slot {
                Slot::Traffic { acl, series } => {
                    let traffic = &mut acls[*acl].traffic;
                    let target = match series {
                        0 => &mut traffic.allowed,
                        1 => &mut traffic.blocked,
                        2 => &mut traffic.counted,
                        _ => &mut traffic.challenged,
                    };
                    *target = minutes;
                }
                Slot::RuleBlocked { acl, rule } => acls[*acl].rules[*rule].blocked_last_hour = Some(total),
                Slot::Label { acl, label } => {
                    if total > 0 {
                        *acls[*acl].fraud_labels.entry(label.clone()).or_default() += total;
                    }
                }
            }
        }
    }
}

/// The addresses a web ACL's rate-based rules block now, and those in its sampled blocked requests.
async fn offenders(source: &AwsSource, acls: &[WebAcl], now: Timestamp, found: &mut BTreeMap<String, Offender>) {
    let seen = |found: &mut BTreeMap<String, Offender>, address: String, why: String, country: Option<String>, weight: f64| {
        let o = found.entry(address.clone()).or_insert_with(|| Offender {
            address,
            ..Offender::default()
        });
        if !o.seen.contains(&why) {
            o.seen.push(why);
        }
        o.country = o.country.take().or(country);
        if weight > 0.0 {
            o.requests = Some(o.requests.unwrap_or(0.0) + weight);
        }
    };
    for acl in acls {
        let client = source.client_in::<aws_sdk_wafv2::Client>(&acl.region);
        for rule in acl.rules.iter().filter(|r| matches!(r.kind, RuleKind::RateBased { .. })) {
            let call = client
                .get_rate_based_statement_managed_keys()
                .scope(wafv2_scope(acl.scope))
                .web_acl_name(&acl.name)
                .web_acl_id(&acl.id)
                .rule_name(&rule.name)
                .send();
            if let Ok(keys) = source.paced_in(Service::Wafv2, "GetRateBasedStatementManagedKeys", &acl.region, call).await {
                let addresses = keys
                    .managed_keys_ipv4()
                    .map(|k| k.addresses().to_vec())
                    .into_iter()
                    .chain(keys.managed_keys_ipv6().map(|k| k.addresses().to_vec()))
                    .flatten();
                for address in addresses {
                    let address = address.trim_end_matches("/32").trim_end_matches("/128").to_string();
                    seen(found, address, format!("rate-based rule {} on {}", rule.name, acl.name), None, 0.0);
                }
            }
        }
        // The sampled requests of the rules blocking most.
        let mut blocking: Vec<&WafRule> = acl.rules.iter().filter(|r| r.blocked_last_hour.unwrap_or(0) > 0).collect();
        blocking.sort_by_key(|r| std::cmp::Reverse(r.blocked_last_hour));
        let window = aws_sdk_wafv2::types::TimeWindow::builder()
            .start_time(aws_smithy_types::DateTime::from_secs((now - chrono::Duration::hours(3)).timestamp() + 60))
            .end_time(aws_smithy_types::DateTime::from_secs(now.timestamp()))
            .build();
        let Ok(window) = window else { continue };
        for rule in blocking.into_iter().take(SAMPLED_RULES) {
            let call = client
                .get_sampled_requests()
                .web_acl_arn(&acl.arn)
                .rule_metric_name(&rule.metric_name)
                .scope(wafv2_scope(acl.scope))
                .time_window(window.clone())
                .max_items(SAMPLES)
                .send();
            let Ok(sampled) = source.paced_in(Service::Wafv2, "GetSampledRequests", &acl.region, call).await else { continue };
            for s in sampled.sampled_requests() {
                let action = s.action().unwrap_or_default();
                if !matches!(action, "BLOCK" | "CAPTCHA" | "CHALLENGE") {
                    continue;
                }
                let Some(request) = s.request() else { continue };
                // The request's headers (Cookie, Authorization among them) are never kept.
                let why = format!("sampled: {} by {} on {} ({} {})", action.to_lowercase(), rule.name, acl.name, request.method().unwrap_or("?"), request.uri().unwrap_or("?"));
                seen(found, request.client_ip().unwrap_or_default().to_string(), why, request.country().map(str::to_string), s.weight() as f64);
            }
        }
    }
}

/// The public entry points: what the account's certificates serve, plus what web ACLs and
/// protections name; each protected or not.
async fn entry_points(source: &AwsSource, acls: &[WebAcl], protections: &[Protection]) -> Vec<EntryPoint> {
    let mut points: BTreeMap<String, (String, String)> = BTreeMap::new();
    let public = |arn: &str| -> Option<&'static str> {
        match arn.split(':').nth(2)? {
            "cloudfront" => Some("CloudFront distribution"),
            "elasticloadbalancing" if arn.contains(":loadbalancer/app/") => Some("Application load balancer"),
            "elasticloadbalancing" if arn.contains(":loadbalancer/net/") => Some("Network load balancer"),
            "elasticloadbalancing" if arn.contains(":loadbalancer/") && !arn.contains(":loadbalancer/gwy/") => {
                Some("Classic load balancer")
            }
            "apigateway" => Some("API Gateway API"),
            "globalaccelerator" => Some("Global Accelerator"),
            _ => None,
        }
    };
    // Certificates change slowly: what their own pane read within its refresh interval will do.
    let fresh = Duration::from_secs(u64::from(PaneId::Certificates.spec().refresh.aws_seconds));
    let uses = match source.certificate_uses(fresh) {
        Some(uses) => Some(uses),
        None => super::certificates::fetch(source, &Progress::none()).await.ok().and(source.certificate_uses(fresh)),
    };
    for (domain, users) in uses.iter().flat_map(|u| u.iter()) {
        for user in users {
            if let Some(kind) = public(user) {
                points.entry(user.clone()).or_insert_with(|| (kind.into(), format!("certificate {domain}")));
            }
        }
    }
    for acl in acls {
        for r in &acl.resources {
            if let Some(kind) = public(r) {
                points.entry(r.clone()).or_insert_with(|| (kind.into(), format!("web ACL {}", acl.name)));
            }
        }
    }
    for p in protections {
        if let Some(kind) = public(&p.resource_arn) {
            points.entry(p.resource_arn.clone()).or_insert_with(|| (kind.into(), format!("protection {}", p.name)));
        }
    }
    points
        .into_iter()
        .map(|(arn, (kind, seen_in))| EntryPoint {
            protected: protections.iter().any(|p| p.resource_arn == arn),
            web_acls: acls.iter().filter(|a| a.resources.contains(&arn)).map(|a| a.name.clone()).collect(),
            resource_arn: arn,
            kind,
            seen_in,
        })
        .collect()
}

/// The IP set `[panes.edge] block_ip_set` names, read with its lock token.
async fn read_block_list(source: &AwsSource, set: &IpSetRef) -> Result<(IpSet, String), SourceError> {
    let client = source.client_in::<aws_sdk_wafv2::Client>(&set.region);
    let caller = source.caller(Service::Wafv2);
    let call = client.get_ip_set().name(&set.name).id(&set.id).scope(wafv2_scope(set.scope)).send();
    let got = source.paced_in(Service::Wafv2, "GetIPSet", &set.region, call).await.map_err(|e| errors::classify(caller, "GetIPSet", &e))?;
    let addresses = got.ip_set().map(|s| s.addresses().to_vec()).unwrap_or_default();
    let token = got.lock_token().unwrap_or_default().to_string();
    Ok((IpSet { name: set.name.clone(), id: set.id.clone(), arn: set.arn.clone(), scope: set.scope, region: set.region.clone(), addresses }, token))
}

/// The configured block list, if any (its ARN read from the config).
fn configured_block_list(source: &AwsSource) -> Option<IpSetRef> {
    source.pane_setting(PaneId::Edge, "block_ip_set").and_then(IpSetRef::from_arn)
}

/// One account's edge.
async fn read(source: &AwsSource, now: Timestamp) -> Result<Fetched, SourceError> {
    let mut warnings = Vec::new();
    let mut first_error = None;
    let mut fail = |what: &str, e: SourceError, warnings: &mut Vec<String>| {
        warnings.push(format!("{what}: {e}"));
        first_error.get_or_insert(e);
    };
    let mut report = EdgeReport::default();
    let mut answered = 0;
    match shield(source, now).await {
        Ok(part) => {
            answered += 1;
            report.shield.push(part.state);
            report.attacks = part.attacks;
            report.protections = part.protections;
            report.protection_groups = part.groups;
        }
        Err(e) => fail("Shield", e, &mut warnings),
    }
    let (account, region) = source.place();
    let scopes: Vec<Scope> = if region == home(region) { vec![Scope::Cloudfront, Scope::Regional] } else { vec![Scope::Regional, Scope::Cloudfront] };
    for scope in scopes {
        match web_acls(source, scope).await {
            Ok(acls) => {
                answered += 1;
                report.web_acls.extend(acls);
            }
            Err(e) => fail(&format!("WAF {}", scope.as_str()), e, &mut warnings),
        }
    }
    if answered == 0 {
        return Err(first_error.unwrap_or_else(|| SourceError::local(Service::Vigil, "nothing answered")));
    }
    traffic(source, &mut report.web_acls, now, &mut warnings).await;
    let mut found: BTreeMap<String, Offender> = BTreeMap::new();
    offenders(source, &report.web_acls, now, &mut found).await;
    for attack in &report.attacks {
        for c in attack.top_contributors.iter().filter(|c| c.kind == "SOURCE_IP_ADDRESS") {
            let o = found.entry(c.name.clone()).or_insert_with(|| Offender {
                address: c.name.clone(),
                ..Offender::default()
            });
            o.seen.push(format!("top contributor of the attack on {}", crate::model::arn::short_resource(&attack.resource_arn)));
            o.requests = Some(o.requests.unwrap_or(0.0).max(c.value));
        }
    }
    if let Some(set) = configured_block_list(source) {
        match read_block_list(source, &set).await {
            Ok((list, _)) => report.block_list = Some(Box::new(list)),
            Err(e) => warnings.push(format!("the block list {}: {e}", set.name)),
        }
    }
    let blocked: BTreeSet<String> = report.block_list.iter().flat_map(|s| s.addresses.iter().cloned()).collect();
    report.offenders = found
        .into_values()
        .filter(|o| !o.address.is_empty())
        .map(|mut o| {
            o.blocked = blocked.contains(&as_cidr(&o.address));
            (o.account, o.region) = (account.to_string(), region.to_string());
            o
        })
        .collect();
    report.entry_points = entry_points(source, &report.web_acls, &report.protections).await;
    Ok(Fetched { data: PaneData::Edge(Box::new(report)), warnings, cached_at: None, resynced_at: None })
}

/// Adds or removes the targets' addresses in the IP set, with its lock token: read, write, and on
/// a stale token (someone else wrote it meanwhile) read and write once more.
async fn change_block_list(source: &AwsSource, action: &Action, targets: &[Target]) -> Vec<TargetOutcome> {
    let Some(set) = action.ip_set() else {
        let why = "no IP set configured: set [panes.edge] block_ip_set in the config";
        return targets.iter().map(|t| TargetOutcome::failed(t.clone(), why)).collect();
    };
    let add = matches!(action, Action::BlockAddresses { .. });
    let caller = source.caller(Service::Wafv2);
    let client = source.client_in::<aws_sdk_wafv2::Client>(&set.region);
    let mut last_error = String::new();
    for _attempt in 0..2 {
        let (list, token) = match read_block_list(source, set).await {
            Ok(read) => read,
            Err(e) => return targets.iter().map(|t| TargetOutcome::failed(t.clone(), e.to_string())).collect(),
        };
        let mut addresses: BTreeSet<String> = list.addresses.into_iter().collect();
        for t in targets {
            if add {
                addresses.insert(as_cidr(&t.id));
            } else {
                addresses.remove(&as_cidr(&t.id));
            }
        }
        let call = client
            .update_ip_set()
            .name(&set.name)
            .id(&set.id)
            .scope(wafv2_scope(set.scope))
            .set_addresses(Some(addresses.into_iter().collect()))
            .lock_token(token)
            .send();
        match source.paced_in(Service::Wafv2, "UpdateIPSet", &set.region, call).await {
            Ok(_) => return targets.iter().map(|t| TargetOutcome::ok(t.clone())).collect(),
            Err(e) => {
                let stale = aws_smithy_types::error::metadata::ProvideErrorMetadata::code(&e) == Some("WAFOptimisticLockException");
                last_error = errors::classify(caller, "UpdateIPSet", &e).to_string();
                if !stale {
                    break;
                }
                last_error = format!("the IP set changed while it was written, twice: {last_error}");
            }
        }
    }
    targets.iter().map(|t| TargetOutcome::failed(t.clone(), last_error.clone())).collect()
}

pub struct Pane;

impl super::AwsPane for Pane {
    type Model = crate::model::panes::edge::Pane;
    const CLIENTS: &'static [fn(&Clients) -> ClientSettings] = &[
        settings_of::<aws_sdk_shield::Client>,
        settings_of::<aws_sdk_wafv2::Client>,
        settings_of::<aws_sdk_cloudwatch::Client>,
    ];

    fn fetch<'a>(
        source: &'a AwsSource,
        now: Timestamp,
        _options: crate::source::FetchOptions,
        _progress: &'a Progress,
    ) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        Box::pin(source.each_account(move |i| read(source.account_source(i), now)))
    }

    fn apply<'a>(source: &'a AwsSource, action: &'a Action, targets: &'a [Target]) -> BoxFuture<'a, Vec<TargetOutcome>> {
        Box::pin(change_block_list(source, action, targets))
    }
}
