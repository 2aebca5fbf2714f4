//! The Edge pane's model: the shop's front door during an attack. Shield Advanced (the
//! subscription, attacks with their vectors, peaks and top contributors, protections and the
//! entry points without one), WAF (web ACLs, what each protects, their rules and managed groups
//! with the Fraud Control, bot control and anti-DDoS ones named, logging, requests per minute),
//! the addresses attacking, and the IP set Vigil blocks them in.

use super::PaneModel;
use crate::model::alerts::{Alert, AlertSource};
use crate::model::arn::{arn_place, short_resource};
use crate::model::triage::{PaneAction, Target, place_of};
use crate::model::{SeverityLabel, Timestamp};
use crate::pane::PaneId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One refresh of the edge of every account the context reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EdgeReport {
    /// Shield Advanced per account (absent where it could not be read).
    pub shield: Vec<ShieldState>,
    /// Attacks in progress and of the last 24 hours, the newest first.
    pub attacks: Vec<Attack>,
    pub protections: Vec<Protection>,
    pub protection_groups: Vec<ProtectionGroup>,
    /// The public entry points seen (what ACM certificates serve, what web ACLs and protections
    /// name), each with whether Shield protects it.
    pub entry_points: Vec<EntryPoint>,
    pub web_acls: Vec<WebAcl>,
    /// Addresses seen attacking: in rate-based rules' blocks, sampled blocked requests, attacks'
    /// top contributors.
    pub offenders: Vec<Offender>,
    /// The IP set Vigil blocks addresses in (`[panes.edge] block_ip_set`), as read back.
    pub block_list: Option<Box<IpSet>>,
}

/// Shield Advanced in one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShieldState {
    pub account: String,
    pub subscribed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_renew: Option<bool>,
    /// The Shield Response Team contacts you during an attack (proactive engagement).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proactive_engagement: Option<bool>,
    /// A year of attacks (DescribeAttackStatistics): how many, and the largest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<YearOfAttacks>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct YearOfAttacks {
    pub attacks: u64,
    pub peak: Peak,
}

/// An attack's largest volumes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Peak {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bps: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pps: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rps: Option<f64>,
}

impl Peak {
    /// "1.2 Tbps · 340 Mpps · 2.1 Mrps", the units people quote attacks in.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [(self.bps, "bps"), (self.pps, "pps"), (self.rps, "rps")]
            .into_iter()
            .filter_map(|(v, unit)| v.filter(|v| *v > 0.0).map(|v| format!("{}{unit}", si(v))))
            .collect();
        if parts.is_empty() { "-".into() } else { parts.join(" · ") }
    }
}

/// 2100000 → "2.1 M": the SI prefix that reads at a glance.
pub fn si(value: f64) -> String {
    let (scaled, prefix) = match value {
        v if v >= 1e12 => (v / 1e12, "T"),
        v if v >= 1e9 => (v / 1e9, "G"),
        v if v >= 1e6 => (v / 1e6, "M"),
        v if v >= 1e3 => (v / 1e3, "k"),
        v => (v, ""),
    };
    if scaled >= 100.0 || prefix.is_empty() { format!("{scaled:.0} {prefix}") } else { format!("{scaled:.1} {prefix}") }
}

/// One attack Shield detected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attack {
    pub id: String,
    pub resource_arn: String,
    pub account: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    /// `None` while it goes on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<Timestamp>,
    /// UDP_TRAFFIC, SYN_FLOOD, REQUEST_FLOOD, ...
    pub vectors: Vec<String>,
    pub peak: Peak,
    /// Who sends it, per kind (source IP, country, ASN, URL, user agent), the largest first.
    pub top_contributors: Vec<Contributor>,
    /// What mitigated it.
    pub mitigations: Vec<String>,
    /// Whether the details (DescribeAttack) were read; a summary only has vectors and times.
    pub detailed: bool,
}

impl Attack {
    pub fn in_progress(&self) -> bool {
        self.end.is_none()
    }
}

/// One of an attack's top contributors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contributor {
    /// SOURCE_IP_ADDRESS, SOURCE_COUNTRY, SOURCE_ASN, DESTINATION_URL, REFERRER, SOURCE_USER_AGENT.
    pub kind: String,
    pub name: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Protection {
    pub id: String,
    pub name: String,
    pub resource_arn: String,
    /// The application layer's automatic response (layer-7 mitigation in a rule group).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub automatic_response: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtectionGroup {
    pub id: String,
    /// SUM, MEAN or MAX: how the group's traffic is aggregated to detect an attack.
    pub aggregation: String,
    /// ALL, ARBITRARY or BY_RESOURCE_TYPE.
    pub pattern: String,
    pub members: Vec<String>,
}

/// A public entry point of the account (a CloudFront distribution, a load balancer, an API).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryPoint {
    pub resource_arn: String,
    /// "CloudFront distribution", "Application load balancer", ...
    pub kind: String,
    pub protected: bool,
    /// Web ACLs in front of it, by name.
    pub web_acls: Vec<String>,
    /// Where it was seen (an ACM certificate it serves, a web ACL, a protection).
    pub seen_in: String,
}

impl EntryPoint {
    /// Shield Advanced could protect it and nothing does: what the pane lists as unprotected.
    pub fn unprotected(&self) -> bool {
        !self.protected && shield_can_protect(&self.resource_arn)
    }
}

/// Whether Shield Advanced protects this kind of resource itself (CloudFront, Route 53 hosted
/// zones, Global Accelerator, application and classic load balancers, Elastic IPs). A network load
/// balancer is protected through its Elastic IPs and an API Gateway API through CloudFront, so
/// neither is "unprotected" for want of a protection on its own ARN.
pub fn shield_can_protect(arn: &str) -> bool {
    let mut parts = arn.splitn(6, ':');
    let (service, resource) = (parts.nth(2).unwrap_or_default(), parts.nth(2).unwrap_or_default());
    match service {
        "cloudfront" => resource.starts_with("distribution/"),
        "route53" => resource.starts_with("hostedzone/"),
        "globalaccelerator" => resource.starts_with("accelerator/"),
        "elasticloadbalancing" => {
            resource.starts_with("loadbalancer/app/")
                || (resource.starts_with("loadbalancer/") && !resource.starts_with("loadbalancer/net/") && !resource.starts_with("loadbalancer/gwy/"))
        }
        "ec2" => resource.starts_with("eip-allocation/"),
        _ => false,
    }
}

/// CLOUDFRONT (global, read through us-east-1) or REGIONAL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Scope {
    Cloudfront,
    Regional,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cloudfront => "CLOUDFRONT",
            Self::Regional => "REGIONAL",
        }
    }

    /// A WAF ARN's scope: `...:global/webacl/...` is CloudFront's, `...:regional/...` a region's.
    pub fn of_arn(arn: &str) -> Option<Self> {
        let resource = arn.splitn(6, ':').nth(5)?;
        match resource.split('/').next()? {
            "global" => Some(Self::Cloudfront),
            "regional" => Some(Self::Regional),
            _ => None,
        }
    }
}

/// What a managed rule group is for, as people name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupPurpose {
    /// Fraud Control: account takeover prevention (AWSManagedRulesATPRuleSet).
    AccountTakeover,
    /// Fraud Control: account creation fraud prevention (AWSManagedRulesACFPRuleSet).
    AccountCreation,
    BotControl,
    AntiDdos,
    IpReputation,
    Other,
}

impl GroupPurpose {
    pub fn of(vendor: &str, name: &str) -> Self {
        match (vendor, name) {
            ("AWS", "AWSManagedRulesATPRuleSet") => Self::AccountTakeover,
            ("AWS", "AWSManagedRulesACFPRuleSet") => Self::AccountCreation,
            ("AWS", "AWSManagedRulesBotControlRuleSet") => Self::BotControl,
            ("AWS", "AWSManagedRulesAntiDDoSRuleSet") => Self::AntiDdos,
            ("AWS", "AWSManagedRulesAmazonIpReputationList" | "AWSManagedRulesAnonymousIpList") => Self::IpReputation,
            _ => Self::Other,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::AccountTakeover => "Fraud Control: account takeover (ATP)",
            Self::AccountCreation => "Fraud Control: fake sign-ups (ACFP)",
            Self::BotControl => "bot control",
            Self::AntiDdos => "anti-DDoS",
            Self::IpReputation => "IP reputation",
            Self::Other => "managed rules",
        }
    }

    /// "ATP" or "ACFP", for the snapshot's `fraud_control`.
    pub fn fraud_control(self) -> Option<&'static str> {
        match self {
            Self::AccountTakeover => Some("ATP"),
            Self::AccountCreation => Some("ACFP"),
            _ => None,
        }
    }
}

/// One rule of a web ACL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WafRule {
    pub name: String,
    pub priority: i32,
    /// BLOCK, ALLOW, COUNT, CAPTCHA, CHALLENGE, or the group's own actions (NONE).
    pub action: String,
    pub metric_name: String,
    pub kind: RuleKind,
    /// Requests the rule blocked in the last hour, where its metric was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked_last_hour: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RuleKind {
    RateBased { limit: i64, aggregate: String },
    ManagedGroup { vendor: String, name: String, purpose: GroupPurpose },
    RuleGroup { arn: String },
    IpSet { arn: String },
    Other,
}

/// Requests per minute over the last hour, oldest first (zero where CloudWatch had no point).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Traffic {
    pub allowed: Vec<u64>,
    pub blocked: Vec<u64>,
    pub counted: Vec<u64>,
    pub challenged: Vec<u64>,
}

impl Traffic {
    pub fn total(series: &[u64]) -> u64 {
        series.iter().sum()
    }

    /// Whether blocking jumped: the last five minutes block at least three times the hour's usual
    /// rate (and more than a trickle).
    pub fn block_rate_jumped(&self) -> bool {
        let n = self.blocked.len();
        if n < 15 {
            return false;
        }
        let recent: u64 = self.blocked[n - 5..].iter().sum();
        let before: u64 = self.blocked[..n - 5].iter().sum();
        let usual_per_minute = before as f64 / (n - 5) as f64;
        recent >= 50 && recent as f64 / 5.0 >= 3.0 * usual_per_minute.max(1.0)
    }
}

/// A web ACL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebAcl {
    pub name: String,
    pub id: String,
    pub arn: String,
    pub scope: Scope,
    pub region: String,
    pub account: String,
    pub default_action: String,
    pub rules: Vec<WafRule>,
    /// What it protects (load balancers, APIs, user pools; CloudFront distributions where read).
    pub resources: Vec<String>,
    /// Where its logs go; empty: no logs, nothing to analyse after an attack.
    pub log_destinations: Vec<String>,
    pub traffic: Traffic,
    /// Requests carrying each Fraud Control label in the last hour.
    pub fraud_labels: BTreeMap<String, u64>,
}

impl WebAcl {
    pub fn logging(&self) -> bool {
        !self.log_destinations.is_empty()
    }

    pub fn purposes(&self) -> Vec<GroupPurpose> {
        let mut out: Vec<GroupPurpose> = self
            .rules
            .iter()
            .filter_map(|r| match &r.kind {
                RuleKind::ManagedGroup { purpose, .. } if *purpose != GroupPurpose::Other => Some(*purpose),
                _ => None,
            })
            .collect();
        out.dedup();
        out
    }

    /// "ATP", "ACFP": the Fraud Control groups it runs.
    pub fn fraud_control(&self) -> Vec<&'static str> {
        self.purposes().into_iter().filter_map(GroupPurpose::fraud_control).collect()
    }

    pub fn blocked_last_hour(&self) -> u64 {
        Traffic::total(&self.traffic.blocked)
    }
}

/// An address seen attacking.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Offender {
    /// An address or CIDR (`203.0.113.7`, `2001:db8::1`).
    pub address: String,
    /// Where it was seen: "rate-based rule login-rate on shop-edge", "sampled: blocked by ...",
    /// "top contributor of attack ...".
    pub seen: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Requests counted against it, where a source said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requests: Option<f64>,
    /// Whether it is in the block list now.
    pub blocked: bool,
    /// The account and region whose edge saw it: blocking it writes that context's block list.
    #[serde(default)]
    pub account: String,
    #[serde(default)]
    pub region: String,
}

impl Offender {
    /// The target blocking it names: the address as an IP set holds it, where it was seen.
    pub fn target(&self, context: &crate::model::Context) -> Target {
        Target { likeness: None,
            id: as_cidr(&self.address),
            label: self.address.clone(),
            placement: crate::model::Placement::or_context(&self.account, &self.region, context),
            product_arn: None,
            guardduty: None,
            ocsf_uid: None,
            user: None,
        }
    }
}

/// A WAF IP set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpSet {
    pub name: String,
    pub id: String,
    pub arn: String,
    pub scope: Scope,
    pub region: String,
    pub addresses: Vec<String>,
}

impl IpSet {
    pub fn reference(&self) -> IpSetRef {
        IpSetRef {
            name: self.name.clone(),
            id: self.id.clone(),
            arn: self.arn.clone(),
            scope: self.scope,
            region: self.region.clone(),
        }
    }
}

/// The IP set an action writes to: named in the confirmation and the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpSetRef {
    pub name: String,
    pub id: String,
    pub arn: String,
    pub scope: Scope,
    pub region: String,
}

impl IpSetRef {
    /// `arn:aws:wafv2:us-east-1:1:global/ipset/shop-blocklist/abc` → the IP set it names.
    pub fn from_arn(arn: &str) -> Option<Self> {
        let scope = Scope::of_arn(arn)?;
        let (region, _) = arn_place(arn);
        let mut parts = arn.splitn(6, ':').nth(5)?.split('/');
        let (_, kind, name, id) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        (kind == "ipset" && !name.is_empty() && !id.is_empty() && !region.is_empty()).then(|| Self {
            name: name.into(),
            id: id.into(),
            arn: arn.into(),
            scope,
            region: region.into(),
        })
    }
}

/// What can be done at the edge: block and unblock source addresses in the IP set Vigil is given
/// (a web ACL's rule blocks what is in it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Adds the addresses; `ip_set` is `None` when none is configured (refused then).
    BlockAddresses { ip_set: Option<IpSetRef> },
    UnblockAddresses { ip_set: Option<IpSetRef> },
}

impl Action {
    pub fn ip_set(&self) -> Option<&IpSetRef> {
        match self {
            Self::BlockAddresses { ip_set } | Self::UnblockAddresses { ip_set } => ip_set.as_ref(),
        }
    }
}

impl PaneAction for Action {
    fn describe(&self) -> String {
        let set = self.ip_set().map(|s| s.name.as_str()).unwrap_or("(no IP set configured)");
        match self {
            Self::BlockAddresses { .. } => format!("block addresses in WAF IP set {set}"),
            Self::UnblockAddresses { .. } => format!("unblock addresses in WAF IP set {set}"),
        }
    }

    fn describe_call(&self, target: &Target) -> String {
        let verb = match self {
            Self::BlockAddresses { .. } => "add",
            Self::UnblockAddresses { .. } => "remove",
        };
        match self.ip_set() {
            Some(set) => format!(
                "WAF UpdateIPSet · IP set {} ({} {}) · {} · {verb} {}",
                set.name,
                set.scope.as_str(),
                set.region,
                place_of(target),
                target.id
            ),
            None => "WAF UpdateIPSet: no IP set configured ([panes.edge] block_ip_set; not sent)".into(),
        }
    }
}

/// A row of bars for counts, scaled to the largest (an empty series reads as blanks).
pub fn bars(values: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let high = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| if high == 0 { BARS[0] } else { BARS[((v as f64 / high as f64) * 7.0).round() as usize] })
        .collect()
}

/// An address as WAF's IP sets hold it: with its prefix length (`/32`, `/128`).
pub fn as_cidr(address: &str) -> String {
    if address.contains('/') {
        address.to_string()
    } else if address.contains(':') {
        format!("{address}/128")
    } else {
        format!("{address}/32")
    }
}

pub struct Pane;

impl PaneModel for Pane {
    type Action = Action;
    const ID: PaneId = PaneId::Edge;
    /// Boxed: the report is large beside the other panes' data, and data moves through actions.
    type Data = Box<EdgeReport>;

    fn record_count(data: &Box<EdgeReport>) -> usize {
        data.attacks.len() + data.web_acls.len() + data.entry_points.len() + data.offenders.len()
    }

    fn absorb(data: &mut Box<EdgeReport>, more: Box<EdgeReport>) {
        let more = *more;
        data.shield.extend(more.shield);
        data.attacks.extend(more.attacks);
        data.protections.extend(more.protections);
        data.protection_groups.extend(more.protection_groups);
        data.entry_points.extend(more.entry_points);
        data.web_acls.extend(more.web_acls);
        data.offenders.extend(more.offenders);
        data.block_list = data.block_list.take().or(more.block_list);
    }

    /// An attack starting and ending, and a web ACL's blocking jumping past its usual level.
    fn alerts(data: &Box<EdgeReport>, _min_severity: SeverityLabel, now: Timestamp) -> Option<Vec<Alert>> {
        let source = AlertSource("edge");
        let mut alerts = Vec::new();
        for a in &data.attacks {
            let (region, account) = arn_place(&a.resource_arn);
            let place = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
            let (key, title) = match a.end {
                None => (
                    format!("{}:started", a.id),
                    format!("DDoS attack on {}: {}", short_resource(&a.resource_arn), a.vectors.join(", ")),
                ),
                Some(_) => (format!("{}:ended", a.id), format!("DDoS attack ended on {}", short_resource(&a.resource_arn))),
            };
            alerts.push(Alert {
                source,
                key,
                title,
                detail: format!("peak {}", a.peak.describe()),
                severity: Some(SeverityLabel::Critical).filter(|_| a.in_progress()),
                account: place(account).or_else(|| place(&a.account)),
                region: place(region),
                at: now,
            });
        }
        for acl in data.web_acls.iter().filter(|acl| acl.traffic.block_rate_jumped()) {
            alerts.push(Alert {
                source,
                key: format!("{}:block-rate", acl.arn),
                title: format!("WAF {} blocks far more than usual", acl.name),
                detail: format!("{} blocked in the last hour", acl.blocked_last_hour()),
                severity: Some(SeverityLabel::High),
                account: Some(acl.account.clone()),
                region: Some(acl.region.clone()),
                at: now,
            });
        }
        Some(alerts)
    }

    /// Shield's records are the account's whatever the region: two contexts of one account each
    /// read them, and the all view shows them once.
    fn without_repeats(data: &mut Box<EdgeReport>, _now: Timestamp) {
        fn once<T, K: Ord>(rows: &mut Vec<T>, key: impl Fn(&T) -> K) {
            let mut seen = std::collections::BTreeSet::new();
            rows.retain(|r| seen.insert(key(r)));
        }
        once(&mut data.shield, |s| s.account.clone());
        once(&mut data.attacks, |a| a.id.clone());
        once(&mut data.protections, |p| p.id.clone());
        once(&mut data.protection_groups, |g| g.id.clone());
        once(&mut data.entry_points, |e| e.resource_arn.clone());
        once(&mut data.web_acls, |w| w.arn.clone());
        once(&mut data.offenders, |o| o.address.clone());
    }

    fn place_in_context(data: &mut Box<EdgeReport>, account: &str, region: &str) {
        for o in data.offenders.iter_mut() {
            if o.account.is_empty() {
                o.account = account.to_string();
            }
            if o.region.is_empty() {
                o.region = region.to_string();
            }
        }
    }

    fn action_keys(data: &Box<EdgeReport>) -> Vec<String> {
        data.offenders.iter().map(|o| o.target(&crate::model::Context::nowhere()).key()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ip_set_is_read_from_its_arn_with_its_scope() {
        let set = IpSetRef::from_arn("arn:aws:wafv2:us-east-1:111122223333:global/ipset/shop-blocklist/a1b2").unwrap();
        assert_eq!((set.name.as_str(), set.id.as_str(), set.scope), ("shop-blocklist", "a1b2", Scope::Cloudfront));
        let set = IpSetRef::from_arn("arn:aws:wafv2:eu-west-1:111122223333:regional/ipset/x/y").unwrap();
        assert_eq!((set.scope, set.region.as_str()), (Scope::Regional, "eu-west-1"));
        assert!(IpSetRef::from_arn("arn:aws:wafv2:eu-west-1:1:regional/webacl/x/y").is_none());
        assert!(IpSetRef::from_arn("not an arn").is_none());
    }

    #[test]
    fn unprotected_means_shield_could_protect_it() {
        for (arn, can) in [
            ("arn:aws:cloudfront::111122223333:distribution/E1", true),
            ("arn:aws:route53:::hostedzone/Z1", true),
            ("arn:aws:globalaccelerator::111122223333:accelerator/a1", true),
            ("arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/1", true),
            ("arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/classic-web", true),
            ("arn:aws:ec2:eu-west-1:111122223333:eip-allocation/eipalloc-1", true),
            ("arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/nlb/1", false),
            ("arn:aws:apigateway:eu-west-1::/restapis/a1/stages/prod", false),
            ("not an arn", false),
        ] {
            assert_eq!(shield_can_protect(arn), can, "{arn}");
        }
    }

    #[test]
    fn volumes_read_in_the_units_attacks_are_quoted_in() {
        let peak = Peak { bps: Some(1.2e12), pps: Some(3.4e8), rps: Some(2_100_000.0) };
        assert_eq!(peak.describe(), "1.2 Tbps · 340 Mpps · 2.1 Mrps");
        assert_eq!(Peak::default().describe(), "-");
        assert_eq!(as_cidr("203.0.113.7"), "203.0.113.7/32");
        assert_eq!(as_cidr("2001:db8::1"), "2001:db8::1/128");
    }

    #[test]
    fn a_jump_in_blocking_is_against_the_hours_usual_rate() {
        let mut traffic = Traffic { blocked: vec![10; 60], ..Traffic::default() };
        assert!(!traffic.block_rate_jumped(), "steady");
        for b in traffic.blocked.iter_mut().skip(55) {
            *b = 400;
        }
        assert!(traffic.block_rate_jumped());
        let quiet = Traffic { blocked: [vec![0; 55], vec![3; 5]].concat(), ..Traffic::default() };
        assert!(!quiet.block_rate_jumped(), "a trickle is no jump");
    }
}
