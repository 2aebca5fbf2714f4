//! The Edge pane's table: one list of what matters at the front door, what breaks first first.
//! Attacks in progress, entry points without protection, the addresses attacking, the web ACLs
//! (with their blocks and whether they log), Shield's subscription per account, the protections.

use crate::model::arn::{arn_place, short_resource};
use crate::model::panes::edge::{Attack, EdgeReport, EntryPoint, IpSet, Offender, Protection, ShieldState, WebAcl, si};
use crate::model::time::compact_age;
use crate::view::{CellContext, Column, Tabular, Tone, Width, opt_long};
use serde::Serialize;
use std::borrow::Cow;
use std::cmp::Ordering;

pub const PRIORITY: usize = 0;
pub const KIND: usize = 1;
pub const WHAT: usize = 2;
pub const STATE: usize = 3;
pub const DETAIL: usize = 4;
pub const ACCOUNT: usize = 5;
pub const REGION: usize = 6;

const COLUMNS: &[Column] = &[
    Column::new("Prio", Width::Fixed(5), 0).descending(),
    Column::new("Kind", Width::Fixed(11), 0),
    Column::new("What", Width::Flexible(24), 0),
    Column::new("State", Width::Fixed(16), 0),
    Column::new("Detail", Width::Flexible(20), 1),
    Column::new("Account", Width::Fixed(12), 1),
    Column::new("Region", Width::Fixed(14), 2),
];

/// What a row of the Edge table is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "record", rename_all = "snake_case")]
pub enum EdgeRecord {
    Attack(Attack),
    Unprotected(EntryPoint),
    Offender(Offender),
    WebAcl(Box<WebAcl>),
    Shield(ShieldState),
    Protection(Protection),
}

/// One row: the record, and what the table shows of it (worked out once per refresh).
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeRow {
    pub record: EdgeRecord,
    /// What needs attention first: 100 for an attack going on.
    pub priority: u8,
    pub key: String,
    pub account: String,
    pub region: String,
}

impl EdgeRow {
    fn new(record: EdgeRecord, home: &str) -> Self {
        let (priority, key, arn, account) = match &record {
            EdgeRecord::Attack(a) => (if a.in_progress() { 100 } else { 40 }, format!("attack/{}", a.id), a.resource_arn.as_str(), a.account.as_str()),
            EdgeRecord::Unprotected(e) => (70, format!("entry/{}", e.resource_arn), e.resource_arn.as_str(), ""),
            EdgeRecord::Offender(o) => (if o.blocked { 20 } else { 60 }, format!("ip/{}", o.address), "", o.account.as_str()),
            EdgeRecord::WebAcl(w) => {
                let mut p = 45;
                if !w.logging() {
                    p += 10;
                }
                if w.traffic.block_rate_jumped() {
                    p += 30;
                }
                (p, format!("acl/{}", w.arn), w.arn.as_str(), w.account.as_str())
            }
            EdgeRecord::Shield(s) => (if s.subscribed { 15 } else { 55 }, format!("shield/{}", s.account), "", s.account.as_str()),
            EdgeRecord::Protection(p) => (10, format!("protection/{}", p.id), p.resource_arn.as_str(), ""),
        };
        let (arn_region, arn_account) = arn_place(arn);
        let account = if account.is_empty() { arn_account } else { account }.to_string();
        let own_region = match &record {
            EdgeRecord::Offender(o) => o.region.as_str(),
            _ => arn_region,
        };
        let region = if own_region.is_empty() { home } else { own_region }.to_string();
        Self { record, priority, key, account, region }
    }
}

/// Every row of a refresh, in no order (the table sorts).
pub fn rows(report: &EdgeReport) -> Vec<EdgeRow> {
    // Shield and CloudFront records are the account's, read through us-east-1.
    let home = "us-east-1";
    let mut rows = Vec::new();
    rows.extend(report.attacks.iter().cloned().map(|a| EdgeRow::new(EdgeRecord::Attack(a), home)));
    rows.extend(
        report
            .entry_points
            .iter()
            .filter(|e| e.unprotected())
            .cloned()
            .map(|e| EdgeRow::new(EdgeRecord::Unprotected(e), home)),
    );
    rows.extend(report.offenders.iter().cloned().map(|o| EdgeRow::new(EdgeRecord::Offender(o), home)));
    rows.extend(report.web_acls.iter().cloned().map(|w| EdgeRow::new(EdgeRecord::WebAcl(Box::new(w)), home)));
    rows.extend(report.shield.iter().cloned().map(|s| EdgeRow::new(EdgeRecord::Shield(s), home)));
    rows.extend(report.protections.iter().cloned().map(|p| EdgeRow::new(EdgeRecord::Protection(p), home)));
    rows
}

/// "CloudFront distribution E2SHOP", "load balancer app/checkout/1a2b".
pub fn resource_name(arn: &str) -> String {
    let short = short_resource(arn);
    match arn.split(':').nth(2) {
        Some("cloudfront") => format!("CloudFront {}", short.trim_start_matches("distribution/")),
        Some("elasticloadbalancing") => format!("LB {}", short.trim_start_matches("loadbalancer/")),
        Some("apigateway") => format!("API {short}"),
        Some("route53") => format!("Route 53 {short}"),
        Some("ec2") => format!("EC2 {short}"),
        Some("globalaccelerator") => format!("Global Accelerator {short}"),
        _ => short.to_string(),
    }
}

fn numbers(series: &[u64]) -> u64 {
    series.iter().sum()
}

impl EdgeRow {
    fn kind(&self) -> &'static str {
        match &self.record {
            EdgeRecord::Attack(_) => "Attack",
            EdgeRecord::Unprotected(_) => "Unprotected",
            EdgeRecord::Offender(_) => "Source IP",
            EdgeRecord::WebAcl(_) => "Web ACL",
            EdgeRecord::Shield(_) => "Shield",
            EdgeRecord::Protection(_) => "Protection",
        }
    }

    fn what(&self) -> String {
        match &self.record {
            EdgeRecord::Attack(a) => resource_name(&a.resource_arn),
            EdgeRecord::Unprotected(e) => resource_name(&e.resource_arn),
            EdgeRecord::Offender(o) => o.address.clone(),
            EdgeRecord::WebAcl(w) => w.name.clone(),
            EdgeRecord::Shield(s) => format!("Shield Advanced {}", s.account),
            EdgeRecord::Protection(p) => resource_name(&p.resource_arn),
        }
    }

    fn state(&self, ctx: &CellContext) -> String {
        match &self.record {
            EdgeRecord::Attack(a) => match (a.start, a.end) {
                (Some(start), None) => format!("ONGOING {}", compact_age(start, ctx.now)),
                (_, Some(end)) => format!("ended {} ago", compact_age(end, ctx.now)),
                (None, None) => "ONGOING".into(),
            },
            EdgeRecord::Unprotected(_) => "no Shield protection".into(),
            EdgeRecord::Offender(o) if o.blocked => "blocked".into(),
            EdgeRecord::Offender(_) => "not blocked".into(),
            EdgeRecord::WebAcl(w) if w.traffic.block_rate_jumped() => "blocking surge".into(),
            EdgeRecord::WebAcl(w) if !w.logging() => "NO LOGS".into(),
            EdgeRecord::WebAcl(w) => format!("logs · {}", w.scope.as_str().to_lowercase()),
            EdgeRecord::Shield(s) if !s.subscribed => "not subscribed".into(),
            EdgeRecord::Shield(s) => match (s.end, s.auto_renew) {
                (_, Some(true)) => "subscribed, renews".into(),
                (Some(end), _) => format!("ends {}", end.format("%Y-%m-%d")),
                _ => "subscribed".into(),
            },
            EdgeRecord::Protection(p) => match &p.automatic_response {
                Some(r) => format!("L7 auto {}", r.to_lowercase()),
                None => "protected".into(),
            },
        }
    }

    fn detail_cell(&self) -> String {
        match &self.record {
            EdgeRecord::Attack(a) => {
                let vectors = if a.vectors.is_empty() { "vectors unknown".to_string() } else { a.vectors.join(", ") };
                format!("{} · peak {}", vectors, a.peak.describe())
            }
            EdgeRecord::Unprotected(e) => {
                let acls = if e.web_acls.is_empty() { "no web ACL".to_string() } else { format!("WAF {}", e.web_acls.join(", ")) };
                format!("{} · {acls}", e.kind)
            }
            EdgeRecord::Offender(o) => {
                let requests = o.requests.filter(|r| *r > 0.0).map(|r| format!("{}req · ", si(r))).unwrap_or_default();
                let country = o.country.as_deref().map(|c| format!("{c} · ")).unwrap_or_default();
                format!("{country}{requests}{}", o.seen.join("; "))
            }
            EdgeRecord::WebAcl(w) => {
                let fraud = w.fraud_control();
                let fraud = if fraud.is_empty() { String::new() } else { format!(" · {}", fraud.join("+")) };
                format!(
                    "{} blocked/h · {} allowed/h{fraud} · {} resources",
                    si(numbers(&w.traffic.blocked) as f64).trim_end(),
                    si(numbers(&w.traffic.allowed) as f64).trim_end(),
                    w.resources.len()
                )
            }
            EdgeRecord::Shield(s) => {
                let engagement = match s.proactive_engagement {
                    Some(true) => "proactive engagement on",
                    Some(false) => "proactive engagement OFF",
                    None => "proactive engagement unknown",
                };
                match &s.year {
                    Some(y) => format!("{engagement} · {} attacks in a year, largest {}", y.attacks, y.peak.describe()),
                    None => engagement.to_string(),
                }
            }
            EdgeRecord::Protection(p) => p.name.clone(),
        }
    }
}

impl Tabular for EdgeRow {
    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.key)
    }

    fn cell(&self, column: usize, ctx: &CellContext) -> Cow<'_, str> {
        match column {
            PRIORITY => Cow::Owned(format!("{:>3}", self.priority)),
            KIND => Cow::Borrowed(self.kind()),
            WHAT => Cow::Owned(self.what()),
            STATE => Cow::Owned(self.state(ctx)),
            DETAIL => Cow::Owned(self.detail_cell()),
            ACCOUNT => crate::view::account_cell(&self.account, ctx),
            REGION => Cow::Borrowed(&self.region),
            _ => Cow::Borrowed(""),
        }
    }

    fn placement_columns() -> &'static [usize] {
        &[ACCOUNT, REGION]
    }

    fn placement_value(&self, column: usize) -> &str {
        match column {
            ACCOUNT => &self.account,
            REGION => &self.region,
            _ => "",
        }
    }

    fn tone(&self, column: usize, _ctx: &CellContext) -> Tone {
        match (column, &self.record) {
            (PRIORITY | STATE, EdgeRecord::Attack(a)) if a.in_progress() => Tone::Critical,
            (PRIORITY | STATE, EdgeRecord::Unprotected(_)) => Tone::Bad,
            (STATE, EdgeRecord::Offender(o)) if o.blocked => Tone::Good,
            (STATE, EdgeRecord::Offender(_)) => Tone::Warning,
            (STATE, EdgeRecord::WebAcl(w)) if w.traffic.block_rate_jumped() => Tone::Bad,
            (STATE, EdgeRecord::WebAcl(w)) if !w.logging() => Tone::Warning,
            (STATE, EdgeRecord::Shield(s)) if !s.subscribed => Tone::Warning,
            (STATE, EdgeRecord::Shield(s)) if s.proactive_engagement == Some(false) => Tone::Warning,
            (_, EdgeRecord::Attack(a)) if !a.in_progress() => Tone::Muted,
            (_, EdgeRecord::Protection(_)) => Tone::Muted,
            _ => Tone::Normal,
        }
    }

    fn compare(&self, other: &Self, column: usize, ctx: &CellContext) -> Ordering {
        match column {
            PRIORITY => self.priority.cmp(&other.priority),
            _ => self.cell(column, ctx).cmp(&other.cell(column, ctx)),
        }
    }

    fn detail(&self, ctx: &CellContext) -> Vec<(String, String)> {
        let field = |k: &str, v: String| (k.to_string(), v);
        let mut out = vec![field("Kind", self.kind().into()), field("What", self.what()), field("State", self.state(ctx))];
        match &self.record {
            EdgeRecord::Attack(a) => {
                out.push(field("Resource", a.resource_arn.clone()));
                out.push(field("Attack id", a.id.clone()));
                out.push(field("Started", opt_long(a.start)));
                out.push(field("Ended", a.end.map(crate::model::time::long_time).unwrap_or_else(|| "ongoing".into())));
                out.push(field("Vectors", a.vectors.join(", ")));
                out.push(field("Peak", a.peak.describe()));
                for kind in ["SOURCE_IP_ADDRESS", "SOURCE_COUNTRY", "SOURCE_ASN", "DESTINATION_URL", "SOURCE_USER_AGENT", "REFERRER"] {
                    let top: Vec<String> = a
                        .top_contributors
                        .iter()
                        .filter(|c| c.kind == kind)
                        .take(5)
                        .map(|c| format!("{} ({})", c.name, si(c.value).trim_end()))
                        .collect();
                    if !top.is_empty() {
                        out.push(field(&format!("Top {}", kind.to_lowercase().replace('_', " ")), top.join(", ")));
                    }
                }
                out.push(field("Mitigations", if a.mitigations.is_empty() { "-".into() } else { a.mitigations.join(", ") }));
                if !a.detailed {
                    out.push(field("Details", "not read (DescribeAttack): the summary only".into()));
                }
            }
            EdgeRecord::Unprotected(e) => {
                out.push(field("Resource", e.resource_arn.clone()));
                out.push(field("Kind of entry", e.kind.clone()));
                out.push(field("Web ACLs", if e.web_acls.is_empty() { "none".into() } else { e.web_acls.join(", ") }));
                out.push(field("Seen in", e.seen_in.clone()));
                out.push(field("Why it matters", "Shield Advanced protects only what has a protection: an attack on it is neither detected as such nor answered by the SRT".into()));
            }
            EdgeRecord::Offender(o) => {
                out.push(field("Address", o.address.clone()));
                out.push(field("Country", o.country.clone().unwrap_or_else(|| "-".into())));
                out.push(field("Requests", o.requests.map(|r| format!("{r:.0}")).unwrap_or_else(|| "-".into())));
                out.push(field("Seen", o.seen.join("; ")));
                out.push(field("Blocked", if o.blocked { "yes, in the block list".into() } else { "no".into() }));
            }
            EdgeRecord::WebAcl(w) => {
                out.push(field("ARN", w.arn.clone()));
                out.push(field("Scope", format!("{} {}", w.scope.as_str(), w.region)));
                out.push(field("Default action", w.default_action.clone()));
                out.push(field(
                    "Protects",
                    if w.resources.is_empty() { "nothing listed".into() } else { w.resources.iter().map(|r| resource_name(r)).collect::<Vec<_>>().join(", ") },
                ));
                out.push(field(
                    "Logging",
                    if w.logging() { w.log_destinations.join(", ") } else { "OFF: nothing to analyse after an attack".into() },
                ));
                let purposes: Vec<&str> = w.purposes().iter().map(|p| p.label()).collect();
                out.push(field("Managed protection", if purposes.is_empty() { "-".into() } else { purposes.join(", ") }));
                out.push(field(
                    "Last hour",
                    format!(
                        "{} blocked · {} allowed · {} counted · {} challenged",
                        numbers(&w.traffic.blocked),
                        numbers(&w.traffic.allowed),
                        numbers(&w.traffic.counted),
                        numbers(&w.traffic.challenged)
                    ),
                ));
                out.push(field("Blocked per minute", crate::model::panes::edge::bars(&w.traffic.blocked)));
                for (label, count) in &w.fraud_labels {
                    out.push(field(&format!("Label {label}"), format!("{count} requests in the last hour")));
                }
                for rule in &w.rules {
                    let blocked = rule.blocked_last_hour.map(|b| format!(" · {b} blocked/h")).unwrap_or_default();
                    let kind = match &rule.kind {
                        crate::model::panes::edge::RuleKind::RateBased { limit, aggregate } => format!("rate-based {limit} per {aggregate}"),
                        crate::model::panes::edge::RuleKind::ManagedGroup { name, purpose, .. } => format!("{name} ({})", purpose.label()),
                        crate::model::panes::edge::RuleKind::RuleGroup { arn } => format!("rule group {}", short_resource(arn)),
                        crate::model::panes::edge::RuleKind::IpSet { arn } => format!("IP set {}", short_resource(arn)),
                        crate::model::panes::edge::RuleKind::Other => "statement".into(),
                    };
                    out.push(field(&format!("Rule {} {}", rule.priority, rule.name), format!("{} · {kind}{blocked}", rule.action)));
                }
            }
            EdgeRecord::Shield(s) => {
                out.push(field("Account", s.account.clone()));
                out.push(field("Subscribed", if s.subscribed { "yes".into() } else { "no: attacks are mitigated by Shield Standard only, and not reported per resource".into() }));
                out.push(field("Started", opt_long(s.start)));
                out.push(field("Ends", opt_long(s.end)));
                out.push(field("Renews", s.auto_renew.map(|r| if r { "automatically" } else { "NO: it ends" }.to_string()).unwrap_or_else(|| "-".into())));
                out.push(field("Proactive engagement", s.proactive_engagement.map(|p| if p { "on" } else { "off" }.to_string()).unwrap_or_else(|| "-".into())));
                if let Some(year) = &s.year {
                    out.push(field("Last year", format!("{} attacks, largest {}", year.attacks, year.peak.describe())));
                }
            }
            EdgeRecord::Protection(p) => {
                out.push(field("Resource", p.resource_arn.clone()));
                out.push(field("Protection id", p.id.clone()));
                out.push(field("Automatic response", p.automatic_response.clone().unwrap_or_else(|| "off".into())));
            }
        }
        out.push(field("Account", self.account.clone()));
        out.push(field("Region", self.region.clone()));
        out
    }

    fn record_json(&self, _ctx: &CellContext) -> serde_json::Value {
        serde_json::to_value(&self.record).unwrap_or(serde_json::Value::Null)
    }
}

impl crate::view::Scoped for EdgeRow {}

/// The block list's addresses, without their prefix length where it is a single host's.
pub fn blocked_addresses(set: &IpSet) -> Vec<&str> {
    set.addresses.iter().map(|a| a.trim_end_matches("/32").trim_end_matches("/128")).collect()
}

pub struct Pane;

impl super::PaneView for Pane {
    type Model = crate::model::panes::edge::Pane;
    type Row = EdgeRow;

    fn default_sort() -> crate::view::table::SortSpec {
        crate::view::table::SortSpec { column: PRIORITY, descending: true }
    }

    fn rows(data: &Box<EdgeReport>) -> Cow<'_, [Self::Row]> {
        Cow::Owned(rows(data))
    }

    fn into_rows(data: Box<EdgeReport>) -> Vec<Self::Row> {
        rows(&data)
    }
}
