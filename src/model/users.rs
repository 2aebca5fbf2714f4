//! Cognito user pools and the anomalies in them: risky sign-ins, compromised credentials,
//! sign-up bursts and accounts stuck half-way through onboarding.

use super::time::{Timestamp, days_since};
use chrono::Duration;
use serde::{Deserialize, Serialize};

/// Cognito user `UserStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    Unconfirmed,
    Confirmed,
    ExternalProvider,
    ResetRequired,
    ForceChangePassword,
    Unknown,
}

impl UserStatus {
    pub fn parse(text: &str) -> Self {
        match text {
            "UNCONFIRMED" => Self::Unconfirmed,
            "CONFIRMED" => Self::Confirmed,
            "EXTERNAL_PROVIDER" => Self::ExternalProvider,
            "RESET_REQUIRED" => Self::ResetRequired,
            "FORCE_CHANGE_PASSWORD" => Self::ForceChangePassword,
            _ => Self::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unconfirmed => "UNCONFIRMED",
            Self::Confirmed => "CONFIRMED",
            Self::ExternalProvider => "EXTERNAL_PROVIDER",
            Self::ResetRequired => "RESET_REQUIRED",
            Self::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            Self::Unknown => "UNKNOWN",
        }
    }
}

/// Threat protection mode of a pool; without it Cognito records no risk for sign-ins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreatProtection {
    Off,
    Audit,
    Enforced,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CognitoUser {
    pub username: String,
    /// The user's `sub` attribute: an id that is no personal data (the audit log names users by it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub status: UserStatus,
    pub enabled: bool,
    pub created: Timestamp,
    pub last_modified: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

/// One `AdminListUserAuthEvents` record, reduced to what the anomaly logic reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthEvent {
    pub username: String,
    pub event_type: String,
    pub response: String,
    pub risk_level: Option<RiskLevel>,
    /// `NoRisk`, `AccountTakeover` or `Block`.
    pub risk_decision: Option<String>,
    pub compromised_credentials: bool,
    pub at: Timestamp,
    pub ip: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

/// What was read from one pool in one refresh.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolScan {
    pub pool_id: String,
    pub pool_name: String,
    pub estimated_users: u64,
    pub threat_protection: ThreatProtection,
    pub users: Vec<CognitoUser>,
    pub auth_events: Vec<AuthEvent>,
    /// The pool's own counts from CloudWatch, where it had them: every sign-up and sign-in, not
    /// only those of the users read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<PoolMetrics>,
    /// Set when the scan read only part of the pool: say so on screen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sampled: Option<String>,
}

/// What CloudWatch counts for a pool (namespace `AWS/Cognito`), summed over its app clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolCount {
    /// `SignUpSuccesses`, Sum.
    SignUps,
    /// `SignUpSuccesses`, SampleCount: successes, failures and throttles.
    SignUpAttempts,
    /// `SignInSuccesses`, Sum.
    SignIns,
    /// `SignInSuccesses`, SampleCount.
    SignInAttempts,
    /// `TokenRefreshSuccesses`, Sum.
    TokenRefreshes,
    /// `CompromisedCredentialRisk`, Sum over operations and risk levels (threat protection).
    CompromisedCredentials,
    /// `AccountTakeoverRisk` at risk level high, Sum over operations (threat protection).
    HighTakeoverRisk,
}

/// A pool's counts hour by hour, newest first, over [`PoolMetrics::HOURS`] hours before `end`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PoolMetrics {
    /// Where the newest hour ends.
    pub end: Timestamp,
    /// Per count: `[0]` is the last hour, `[1]` the hour before, and so on. A count CloudWatch
    /// has no series of is absent (not zero): a pool without threat protection has no risk counts.
    pub hours: std::collections::BTreeMap<PoolCount, Vec<f64>>,
}

impl PoolMetrics {
    /// The last day and the week before it: the windows and baselines the rules read.
    pub const HOURS: usize = 8 * 24;

    pub fn new(end: Timestamp) -> Self {
        Self { end, hours: Default::default() }
    }

    /// Adds a CloudWatch point: `value` in the hour starting at `start`. Points outside the span
    /// are ignored.
    pub fn add(&mut self, count: PoolCount, start: Timestamp, value: f64) {
        let seconds = (self.end - start).num_seconds();
        let Ok(index) = usize::try_from((seconds - 1).div_euclid(3600)) else { return };
        if seconds <= 0 || index >= Self::HOURS || !value.is_finite() {
            return;
        }
        let hours = self.hours.entry(count).or_insert_with(|| vec![0.0; Self::HOURS]);
        hours[index] += value;
    }

    /// Says CloudWatch has a series for `count`, even one of zeros.
    pub fn mark(&mut self, count: PoolCount) {
        self.hours.entry(count).or_insert_with(|| vec![0.0; Self::HOURS]);
    }

    pub fn has(&self, count: PoolCount) -> bool {
        self.hours.contains_key(&count)
    }

    /// The sum over hours `ago` (0 is the last hour).
    pub fn sum(&self, count: PoolCount, ago: std::ops::Range<usize>) -> f64 {
        self.hours.get(&count).map_or(0.0, |h| h[ago.start.min(h.len())..ago.end.min(h.len())].iter().sum())
    }

    /// When the newest hour with any of `count` began.
    fn latest(&self, count: PoolCount) -> Option<Timestamp> {
        let index = self.hours.get(&count)?.iter().position(|v| *v > 0.0)?;
        Some(self.end - Duration::hours(index as i64 + 1))
    }

    /// Whole hours in `span` (at least one).
    fn hours_in(span: Duration) -> usize {
        (span.num_seconds().max(0) as f64 / 3600.0).round().max(1.0) as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnomalyKind {
    CompromisedCredentials,
    HighRiskSignIn,
    /// Threat protection's counts for the whole pool: requests with compromised credentials or at
    /// high account-takeover risk, whoever they were for.
    RiskySignIns,
    /// Many more failed sign-ins than the pool's usual: credential stuffing.
    FailedSignInSurge,
    SignUpBurst,
    /// Many new accounts from one e-mail domain or phone prefix, against its own usual rate.
    SignUpCluster,
    StuckForceChangePassword,
    StuckUnconfirmed,
}

/// Distinct users the anomalies name (by pool and username), and the pool-wide anomalies.
pub fn affected(anomalies: &[UserAnomaly]) -> (usize, usize) {
    let users: std::collections::HashSet<(&str, &str)> = anomalies
        .iter()
        .filter(|a| !a.username.is_empty())
        .map(|a| (a.pool_id.as_str(), a.username.as_str()))
        .collect();
    (users.len(), anomalies.iter().filter(|a| a.username.is_empty()).count())
}

/// Per pool, in the order of `pools`: its sign-up surges and its risky sign-ins among `anomalies`
/// (one pass over them, whatever the number of pools).
pub fn pool_signals(pools: &[PoolSummary], anomalies: &[UserAnomaly]) -> Vec<(usize, usize)> {
    let mut by_pool: std::collections::HashMap<&str, (usize, usize)> =
        pools.iter().map(|p| (p.pool_id.as_str(), (0, 0))).collect();
    for a in anomalies {
        if let Some(counts) = by_pool.get_mut(a.pool_id.as_str()) {
            counts.0 += usize::from(a.kind.is_sign_up_surge());
            counts.1 += usize::from(a.kind.is_sign_in_risk());
        }
    }
    pools.iter().map(|p| by_pool.get(p.pool_id.as_str()).copied().unwrap_or_default()).collect()
}

/// How recent an anomaly is, for the list's order: what is going on now before what happened days
/// ago, whatever its kind (a sign-up burst of the last minutes before a five-day-old sign-in).
pub fn recency(at: Timestamp, now: Timestamp) -> u8 {
    let age = now - at;
    if age <= chrono::Duration::hours(1) {
        0
    } else if age <= chrono::Duration::days(1) {
        1
    } else {
        2
    }
}

impl AnomalyKind {
    /// Someone signing in who should not: the kinds that read red and come first.
    pub fn is_sign_in_risk(self) -> bool {
        matches!(
            self,
            Self::CompromisedCredentials | Self::HighRiskSignIn | Self::RiskySignIns | Self::FailedSignInSurge
        )
    }

    /// Bots and promotion abuse signing up.
    pub fn is_sign_up_surge(self) -> bool {
        matches!(self, Self::SignUpBurst | Self::SignUpCluster)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::CompromisedCredentials => "COMPROMISED CREDS",
            Self::HighRiskSignIn => "HIGH-RISK SIGN-IN",
            Self::RiskySignIns => "RISKY SIGN-INS",
            Self::FailedSignInSurge => "FAILED SIGN-INS",
            Self::SignUpBurst => "SIGN-UP BURST",
            Self::SignUpCluster => "SIGN-UP CLUSTER",
            Self::StuckForceChangePassword => "STUCK FORCE_CHANGE",
            Self::StuckUnconfirmed => "STUCK UNCONFIRMED",
        }
    }
}

/// One row of the Users pane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserAnomaly {
    pub kind: AnomalyKind,
    /// The account the pool is in, where it is not the context's own (a member account's pool).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub pool_id: String,
    pub pool_name: String,
    /// Empty for pool-wide anomalies such as a sign-up burst.
    pub username: String,
    /// The user's `sub`, where the service gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_status: Option<UserStatus>,
    pub enabled: bool,
    pub detail: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolSummary {
    /// The account the pool is in, where it is not the context's own (a member account's pool).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub pool_id: String,
    pub pool_name: String,
    pub estimated_users: u64,
    pub threat_protection: ThreatProtection,
    pub users_scanned: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sampled: Option<String>,
    /// Sign-ups in the burst window and the cluster window against the pool's usual rate.
    #[serde(default)]
    pub signups: SignUpRates,
    /// Where the sign-up rates come from: the pool's CloudWatch counts, or the users read.
    #[serde(default)]
    pub counted_from: CountedFrom,
    /// Sign-ins and threat protection's counts, where CloudWatch had them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_ins: Option<SignInCounts>,
}

/// The source of a pool's rates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountedFrom {
    /// CloudWatch's `AWS/Cognito` metrics: every sign-up of the pool.
    Cloudwatch,
    /// The users read (a sampled pool undercounts).
    #[default]
    UsersRead,
}

/// A pool's sign-ins from CloudWatch: now against its usual.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SignInCounts {
    /// Successful sign-ins in the last burst window (an hour).
    pub succeeded_last_window: f64,
    /// Failed or throttled sign-ins in the last burst window.
    pub failed_last_window: f64,
    /// The usual failed sign-ins per window over the baseline before it.
    pub usual_failed_per_window: f64,
    /// Requests with compromised credentials in the last day, where threat protection counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compromised_last_day: Option<f64>,
    /// Requests at high account-takeover risk in the last day, where threat protection counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_takeover_risk_last_day: Option<f64>,
}

/// A pool's sign-ups now and as usual (from the users read: a sampled pool says so).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SignUpRates {
    /// Sign-ups in the last burst window (an hour).
    pub last_window: usize,
    /// The usual number per burst window over the baseline before it.
    pub usual_per_window: f64,
    /// Sign-ups in the last cluster window (a day).
    pub last_day: usize,
    pub usual_per_day: f64,
}

/// Users created in `[start, end)` (`end` inclusive when `inclusive`).
fn created_between(users: &[CognitoUser], start: Timestamp, end: Timestamp, inclusive: bool) -> usize {
    users.iter().filter(|u| u.created >= start && (u.created < end || (inclusive && u.created == end))).count()
}

fn rates(scan: &PoolScan, rules: &AnomalyRules, now: Timestamp) -> SignUpRates {
    if let Some(metrics) = scan.metrics.as_ref().filter(|m| m.has(PoolCount::SignUps)) {
        let per = |window: Duration, baseline: Duration| {
            let (window, baseline) = (PoolMetrics::hours_in(window), PoolMetrics::hours_in(baseline));
            let recent = metrics.sum(PoolCount::SignUps, 0..window);
            let before = metrics.sum(PoolCount::SignUps, window..window + baseline);
            (recent.round() as usize, before / (baseline as f64 / window as f64).max(1.0))
        };
        let (last_window, usual_per_window) = per(rules.burst_window, rules.burst_baseline);
        let (last_day, usual_per_day) = per(rules.cluster_window, rules.cluster_baseline);
        return SignUpRates { last_window, usual_per_window, last_day, usual_per_day };
    }
    let per = |window: Duration, baseline: Duration| {
        let start = now - window;
        let recent = created_between(&scan.users, start, now, true);
        let before = created_between(&scan.users, start - baseline, start, false);
        let windows = (baseline.num_seconds() as f64 / window.num_seconds().max(1) as f64).max(1.0);
        (recent, before as f64 / windows)
    };
    let (last_window, usual_per_window) = per(rules.burst_window, rules.burst_baseline);
    let (last_day, usual_per_day) = per(rules.cluster_window, rules.cluster_baseline);
    SignUpRates { last_window, usual_per_window, last_day, usual_per_day }
}

fn sign_in_counts(scan: &PoolScan, rules: &AnomalyRules) -> Option<SignInCounts> {
    let metrics = scan.metrics.as_ref().filter(|m| m.has(PoolCount::SignInAttempts))?;
    let window = PoolMetrics::hours_in(rules.burst_window);
    let baseline = PoolMetrics::hours_in(rules.burst_baseline);
    let failed = |ago: std::ops::Range<usize>| {
        (metrics.sum(PoolCount::SignInAttempts, ago.clone()) - metrics.sum(PoolCount::SignIns, ago)).max(0.0)
    };
    let day = PoolMetrics::hours_in(rules.risk_window);
    let risk = |count| metrics.has(count).then(|| metrics.sum(count, 0..day));
    Some(SignInCounts {
        succeeded_last_window: metrics.sum(PoolCount::SignIns, 0..window),
        failed_last_window: failed(0..window),
        usual_failed_per_window: failed(window..window + baseline) / (baseline as f64 / window as f64).max(1.0),
        compromised_last_day: risk(PoolCount::CompromisedCredentials),
        high_takeover_risk_last_day: risk(PoolCount::HighTakeoverRisk),
    })
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UsersReport {
    pub pools: Vec<PoolSummary>,
    pub anomalies: Vec<UserAnomaly>,
}

/// Tunables of the anomaly rules.
#[derive(Debug, Clone, Copy)]
pub struct AnomalyRules {
    /// Risky sign-ins and compromised credentials older than this are history, not news.
    pub event_lookback: Duration,
    pub stuck_after_days: i64,
    pub burst_window: Duration,
    /// The baseline is the sign-up rate per window over this span before the current window.
    pub burst_baseline: Duration,
    pub burst_min_signups: usize,
    pub burst_factor: f64,
    /// Sign-ups sharing an e-mail domain or a phone prefix within this window form a cluster...
    pub cluster_window: Duration,
    /// ...against the same key's rate per window over this span before it...
    pub cluster_baseline: Duration,
    /// ...when there are at least this many, and this many times the usual rate (at least 1).
    pub cluster_min_signups: usize,
    pub cluster_factor: f64,
    /// Failed sign-ins in the burst window against their usual rate: at least this many...
    pub failed_sign_in_min: f64,
    /// ...and this many times the usual (at least 1).
    pub failed_sign_in_factor: f64,
    /// Threat protection's pool counts over this window make a risky sign-ins row.
    pub risk_window: Duration,
}

impl Default for AnomalyRules {
    fn default() -> Self {
        Self {
            event_lookback: Duration::days(7),
            stuck_after_days: 7,
            burst_window: Duration::hours(1),
            burst_baseline: Duration::hours(24),
            burst_min_signups: 20,
            burst_factor: 5.0,
            cluster_window: Duration::hours(24),
            cluster_baseline: Duration::days(7),
            cluster_min_signups: 10,
            cluster_factor: 5.0,
            failed_sign_in_min: 50.0,
            failed_sign_in_factor: 5.0,
            risk_window: Duration::hours(24),
        }
    }
}

pub fn analyze(scans: &[PoolScan], rules: &AnomalyRules, now: Timestamp) -> UsersReport {
    let mut report = UsersReport::default();
    for scan in scans {
        report.pools.push(PoolSummary {
            account: None,
            pool_id: scan.pool_id.clone(),
            pool_name: scan.pool_name.clone(),
            estimated_users: scan.estimated_users,
            threat_protection: scan.threat_protection,
            users_scanned: scan.users.len(),
            sampled: scan.sampled.clone(),
            signups: rates(scan, rules, now),
            counted_from: if scan.metrics.as_ref().is_some_and(|m| m.has(PoolCount::SignUps)) {
                CountedFrom::Cloudwatch
            } else {
                CountedFrom::UsersRead
            },
            sign_ins: sign_in_counts(scan, rules),
        });
        risky_sign_ins(scan, rules, now, &mut report.anomalies);
        report.anomalies.extend(pool_sign_in_risk(scan, rules, now));
        report.anomalies.extend(failed_sign_in_surge(scan, rules, now));
        stuck_users(scan, rules, now, &mut report.anomalies);
        if let Some(burst) = sign_up_burst(scan, rules, now) {
            report.anomalies.push(burst);
        }
        sign_up_clusters(scan, rules, now, &mut report.anomalies);
    }
    report.anomalies.sort_by(|a, b| a.kind.cmp(&b.kind).then(b.at.cmp(&a.at)));
    report
}

fn risky_sign_ins(scan: &PoolScan, rules: &AnomalyRules, now: Timestamp, out: &mut Vec<UserAnomaly>) {
    let since = now - rules.event_lookback;
    let mut seen: std::collections::HashSet<(&str, AnomalyKind)> = std::collections::HashSet::new();
    let mut events: Vec<&AuthEvent> = scan.auth_events.iter().filter(|e| e.at >= since).collect();
    events.sort_by_key(|e| std::cmp::Reverse(e.at));
    for event in events {
        let kind = if event.compromised_credentials {
            AnomalyKind::CompromisedCredentials
        } else if event.risk_level == Some(RiskLevel::High)
            || matches!(event.risk_decision.as_deref(), Some("AccountTakeover" | "Block"))
        {
            AnomalyKind::HighRiskSignIn
        } else {
            continue;
        };
        // One row per user and kind: the latest event tells the story.
        if !seen.insert((event.username.as_str(), kind)) {
            continue;
        }
        let user = scan.users.iter().find(|u| u.username == event.username);
        let place =
            [event.city.as_deref(), event.country.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(", ");
        let mut detail = format!("{} {}", event.event_type, event.response);
        if let Some(decision) = &event.risk_decision {
            detail.push_str(&format!(", decision {decision}"));
        }
        if let Some(ip) = &event.ip {
            detail.push_str(&format!(" from {ip}"));
        }
        if !place.is_empty() {
            detail.push_str(&format!(" ({place})"));
        }
        out.push(UserAnomaly {
            account: None,
            kind,
            pool_id: scan.pool_id.clone(),
            pool_name: scan.pool_name.clone(),
            username: event.username.clone(),
            sub: user.and_then(|u| u.sub.clone()),
            email: user.and_then(|u| u.email.clone()),
            phone: user.and_then(|u| u.phone.clone()),
            user_status: user.map(|u| u.status),
            enabled: user.is_none_or(|u| u.enabled),
            detail,
            at: event.at,
        });
    }
}

fn stuck_users(scan: &PoolScan, rules: &AnomalyRules, now: Timestamp, out: &mut Vec<UserAnomaly>) {
    for user in &scan.users {
        let kind = match user.status {
            UserStatus::ForceChangePassword => AnomalyKind::StuckForceChangePassword,
            UserStatus::Unconfirmed => AnomalyKind::StuckUnconfirmed,
            _ => continue,
        };
        // A user whose dates the service did not give cannot be called stuck.
        if !super::time::is_known(user.last_modified) {
            continue;
        }
        let days = days_since(user.last_modified, now);
        if days < rules.stuck_after_days {
            continue;
        }
        out.push(UserAnomaly {
            account: None,
            kind,
            pool_id: scan.pool_id.clone(),
            pool_name: scan.pool_name.clone(),
            username: user.username.clone(),
            sub: user.sub.clone(),
            email: user.email.clone(),
            phone: user.phone.clone(),
            user_status: Some(user.status),
            enabled: user.enabled,
            detail: format!("{} for {days} days", user.status.as_str()),
            at: user.last_modified,
        });
    }
}

/// Threat protection counts every risky request of the pool, including those against accounts
/// whose events were not read (a dormant account under credential stuffing changes nothing).
fn pool_sign_in_risk(scan: &PoolScan, rules: &AnomalyRules, now: Timestamp) -> Option<UserAnomaly> {
    let metrics = scan.metrics.as_ref()?;
    let day = PoolMetrics::hours_in(rules.risk_window);
    let compromised = metrics.sum(PoolCount::CompromisedCredentials, 0..day);
    let takeover = metrics.sum(PoolCount::HighTakeoverRisk, 0..day);
    if compromised < 1.0 && takeover < 1.0 {
        return None;
    }
    let mut parts = Vec::new();
    if compromised >= 1.0 {
        parts.push(format!("{} with compromised credentials", compromised.round()));
    }
    if takeover >= 1.0 {
        parts.push(format!("{} at high account-takeover risk", takeover.round()));
    }
    let detail = format!(
        "threat protection counted {} in the last {}h, across the whole pool",
        parts.join(" and "),
        rules.risk_window.num_hours()
    );
    let at = [metrics.latest(PoolCount::CompromisedCredentials), metrics.latest(PoolCount::HighTakeoverRisk)]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(now);
    Some(pool_wide(scan, AnomalyKind::RiskySignIns, detail, at))
}

/// Credential stuffing: failed sign-ins far above the pool's usual, whatever accounts they try.
fn failed_sign_in_surge(scan: &PoolScan, rules: &AnomalyRules, now: Timestamp) -> Option<UserAnomaly> {
    let counts = sign_in_counts(scan, rules)?;
    let failed = counts.failed_last_window;
    let surging = failed >= rules.failed_sign_in_min
        && failed >= rules.failed_sign_in_factor * counts.usual_failed_per_window.max(1.0);
    surging.then(|| {
        let minutes = rules.burst_window.num_minutes();
        let detail = format!(
            "{} failed sign-ins in the last {minutes}m (usual {:.1} per {minutes}m), {} succeeded",
            failed.round(),
            counts.usual_failed_per_window,
            counts.succeeded_last_window.round()
        );
        pool_wide(scan, AnomalyKind::FailedSignInSurge, detail, now)
    })
}

/// A burst is many more sign-ups in the last window than the pool's usual rate per window.
fn sign_up_burst(scan: &PoolScan, rules: &AnomalyRules, now: Timestamp) -> Option<UserAnomaly> {
    let SignUpRates { last_window: recent, usual_per_window: baseline_rate, .. } = rates(scan, rules, now);
    let is_burst = recent >= rules.burst_min_signups && recent as f64 >= rules.burst_factor * baseline_rate.max(1.0);
    is_burst.then(|| {
        let detail = format!(
            "{recent} sign-ups in the last {}m (usual {:.1} per {}m)",
            rules.burst_window.num_minutes(),
            baseline_rate,
            rules.burst_window.num_minutes()
        );
        pool_wide(scan, AnomalyKind::SignUpBurst, detail, now)
    })
}

/// An anomaly of the whole pool rather than of one user (a burst, a cluster).
fn pool_wide(scan: &PoolScan, kind: AnomalyKind, detail: String, at: Timestamp) -> UserAnomaly {
    UserAnomaly {
        account: None,
        kind,
        pool_id: scan.pool_id.clone(),
        pool_name: scan.pool_name.clone(),
        username: String::new(),
        sub: None,
        email: None,
        phone: None,
        user_status: None,
        enabled: true,
        detail,
        at,
    }
}

/// What a sign-up shares with the others of a cluster: its e-mail domain, its phone prefix.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClusterKey {
    /// Lower-cased, without the `@`.
    Domain(String),
    /// `+` and the first [`PHONE_PREFIX_DIGITS`] digits: the country code and the start of the
    /// number (an operator's or a virtual-number provider's range).
    PhonePrefix(String),
}

/// Digits of a phone number that make its prefix.
pub const PHONE_PREFIX_DIGITS: usize = 4;

impl ClusterKey {
    fn of(user: &CognitoUser) -> impl Iterator<Item = ClusterKey> + '_ {
        let domain = user
            .email
            .as_deref()
            .and_then(|e| e.rsplit_once('@'))
            .map(|(_, d)| d.trim().to_ascii_lowercase())
            .filter(|d| !d.is_empty())
            .map(ClusterKey::Domain);
        let prefix = user.phone.as_deref().and_then(|p| {
            let digits: String = p.chars().filter(char::is_ascii_digit).take(PHONE_PREFIX_DIGITS).collect();
            (p.trim_start().starts_with('+') && digits.len() == PHONE_PREFIX_DIGITS)
                .then(|| ClusterKey::PhonePrefix(format!("+{digits}")))
        });
        domain.into_iter().chain(prefix)
    }

    /// As the evidence names it: `@mailinator.example`, `+7900…`.
    pub fn label(&self) -> String {
        match self {
            Self::Domain(domain) => format!("@{domain}"),
            Self::PhonePrefix(prefix) => format!("{prefix}…"),
        }
    }
}

/// Examples a cluster's evidence names (masked).
const CLUSTER_EXAMPLES: usize = 3;

/// New accounts bunched on one e-mail domain or phone prefix: bots and promotion abuse sign up
/// from a throwaway domain or a range of virtual numbers. Each key is judged against its own usual
/// rate, so a big free-mail provider does not trip it and a domain never seen before does.
fn sign_up_clusters(scan: &PoolScan, rules: &AnomalyRules, now: Timestamp, out: &mut Vec<UserAnomaly>) {
    let window_start = now - rules.cluster_window;
    let baseline_start = window_start - rules.cluster_baseline;
    let mut recent: std::collections::BTreeMap<ClusterKey, Vec<&CognitoUser>> = Default::default();
    let mut before: std::collections::HashMap<ClusterKey, usize> = Default::default();
    for user in &scan.users {
        if user.created >= window_start && user.created <= now {
            for key in ClusterKey::of(user) {
                recent.entry(key).or_default().push(user);
            }
        } else if user.created >= baseline_start && user.created < window_start {
            for key in ClusterKey::of(user) {
                *before.entry(key).or_default() += 1;
            }
        }
    }
    let windows_in_baseline =
        (rules.cluster_baseline.num_seconds() as f64 / rules.cluster_window.num_seconds().max(1) as f64).max(1.0);
    for (key, mut users) in recent {
        let usual = before.get(&key).copied().unwrap_or(0) as f64 / windows_in_baseline;
        let count = users.len();
        if count < rules.cluster_min_signups || (count as f64) < rules.cluster_factor * usual.max(1.0) {
            continue;
        }
        users.sort_by_key(|u| std::cmp::Reverse(u.created));
        let examples: Vec<String> = users
            .iter()
            .take(CLUSTER_EXAMPLES)
            .map(|u| match &key {
                ClusterKey::Domain(_) => u.email.as_deref().map(mask_email).unwrap_or_default(),
                ClusterKey::PhonePrefix(_) => u.phone.as_deref().map(mask_phone).unwrap_or_default(),
            })
            .collect();
        let unconfirmed = users.iter().filter(|u| u.status == UserStatus::Unconfirmed).count();
        let detail = format!(
            "{}: {count} new accounts in {}h (usual {usual:.1}), {unconfirmed} unconfirmed; e.g. {}",
            key.label(),
            rules.cluster_window.num_hours(),
            examples.join(", ")
        );
        out.push(pool_wide(scan, AnomalyKind::SignUpCluster, detail, users.first().map_or(now, |u| u.created)));
    }
}

/// A username that is itself an e-mail address or a phone number (a common Cognito setup) is
/// masked like the attribute; any other username is shown as it is.
pub fn mask_username(username: &str) -> String {
    if looks_like_email(username) {
        mask_email(username)
    } else if looks_like_phone(username) {
        mask_phone(username)
    } else {
        username.to_string()
    }
}

fn looks_like_email(text: &str) -> bool {
    text.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
}

/// `+14155550123`, `0044 20 7946 0958`, `415-555-0123`: at least 7 digits and nothing but digits,
/// separators and a leading `+`.
fn looks_like_phone(text: &str) -> bool {
    let body = text.strip_prefix('+').unwrap_or(text);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    digits >= 7 && body.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
}

impl UserAnomaly {
    /// The pool's region: a pool id starts with it (`eu-west-1_AbC123`).
    pub fn pool_region(&self) -> &str {
        self.pool_id.split_once('_').map(|(region, _)| region).unwrap_or_default()
    }

    /// How the audit log and the all view's routing name the user without personal data: the
    /// pool and the user's `sub`; a username that is no e-mail or phone number where the `sub` is
    /// unknown; else a hash of the username (stable, not the address).
    pub fn user_id(&self) -> String {
        match &self.sub {
            Some(sub) => format!("{}/{sub}", self.pool_id),
            None if mask_username(&self.username) == self.username => format!("{}/{}", self.pool_id, self.username),
            None => format!("{}/user-{:016x}", self.pool_id, fnv1a(self.username.as_bytes())),
        }
    }

    /// The record with its personal data masked: e-mail, phone, and a username that is either.
    pub fn with_pii_masked(&self) -> Self {
        let mut masked = self.clone();
        masked.email = masked.email.as_deref().map(mask_email);
        masked.phone = masked.phone.as_deref().map(mask_phone);
        masked.username = mask_username(&masked.username);
        masked
    }
}

/// FNV-1a, 64 bits: a stable name for a username, not a secret one.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// `jane.doe@example.com` → `j***@example.com`. Keeps the domain: it tells a test account from a
/// customer without exposing who.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first = local.chars().next().map(String::from).unwrap_or_default();
            format!("{first}***@{domain}")
        }
        None => "***".to_string(),
    }
}

/// `+14155550123` → `+1********23`: the country code and the last two digits.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 4 {
        return "*".repeat(chars.len());
    }
    let head = if chars[0] == '+' { 2 } else { 0 };
    let tail = 2;
    let middle = chars.len() - head - tail;
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(middle));
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_username_that_is_an_email_or_a_phone_is_masked_like_one() {
        assert_eq!(mask_username("jane.doe@example.com"), "j***@example.com");
        assert_eq!(mask_username("+14155550123"), "+1********23");
        assert_eq!(mask_username("415-555-0123"), "**********23");
        assert_eq!(mask_username("a1b2c3d4-uuid"), "a1b2c3d4-uuid");
        assert_eq!(mask_username("jane"), "jane");
        assert_eq!(mask_username("1234"), "1234", "too short to be a phone number");
    }
    use chrono::{TimeZone, Utc};

    fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).single().unwrap()
    }

    fn user(name: &str, status: UserStatus, age: Duration) -> CognitoUser {
        CognitoUser {
            username: name.into(),
            sub: None,
            email: Some(format!("{name}@example.com")),
            phone: None,
            status,
            enabled: true,
            created: now() - age,
            last_modified: now() - age,
        }
    }

    fn scan(users: Vec<CognitoUser>, events: Vec<AuthEvent>) -> PoolScan {
        PoolScan {
            pool_id: "us-east-1_abc".into(),
            pool_name: "customers".into(),
            estimated_users: users.len() as u64,
            threat_protection: ThreatProtection::Enforced,
            users,
            auth_events: events,
            metrics: None,
            sampled: None,
        }
    }

    fn event(name: &str, risk: Option<RiskLevel>, compromised: bool, ago: Duration) -> AuthEvent {
        AuthEvent {
            username: name.into(),
            event_type: "SignIn".into(),
            response: "Pass".into(),
            risk_level: risk,
            risk_decision: None,
            compromised_credentials: compromised,
            at: now() - ago,
            ip: Some("203.0.113.9".into()),
            city: None,
            country: Some("RO".into()),
        }
    }

    #[test]
    fn stuck_states_after_seven_days_only() {
        let users = vec![
            user("old-force", UserStatus::ForceChangePassword, Duration::days(9)),
            user("new-force", UserStatus::ForceChangePassword, Duration::days(2)),
            user("old-unconfirmed", UserStatus::Unconfirmed, Duration::days(30)),
            user("fine", UserStatus::Confirmed, Duration::days(300)),
        ];
        let report = analyze(&[scan(users, vec![])], &AnomalyRules::default(), now());
        let kinds: Vec<_> = report.anomalies.iter().map(|a| (a.kind, a.username.as_str())).collect();
        assert_eq!(
            kinds,
            vec![
                (AnomalyKind::StuckForceChangePassword, "old-force"),
                (AnomalyKind::StuckUnconfirmed, "old-unconfirmed")
            ]
        );
    }

    #[test]
    fn risky_events_one_row_per_user_and_kind_within_lookback() {
        let users = vec![user("alice", UserStatus::Confirmed, Duration::days(100))];
        let events = vec![
            event("alice", Some(RiskLevel::High), false, Duration::hours(1)),
            event("alice", Some(RiskLevel::High), false, Duration::hours(5)),
            event("alice", Some(RiskLevel::Low), true, Duration::hours(2)),
            event("alice", Some(RiskLevel::High), false, Duration::days(30)),
            event("alice", Some(RiskLevel::Medium), false, Duration::hours(1)),
        ];
        let report = analyze(&[scan(users, events)], &AnomalyRules::default(), now());
        let kinds: Vec<_> = report.anomalies.iter().map(|a| a.kind).collect();
        assert_eq!(kinds, vec![AnomalyKind::CompromisedCredentials, AnomalyKind::HighRiskSignIn]);
        assert_eq!(report.anomalies[1].at, now() - Duration::hours(1), "latest event wins");
        assert!(report.anomalies[1].detail.contains("203.0.113.9"));
    }

    #[test]
    fn sign_up_burst_against_the_baseline() {
        let mut users: Vec<_> =
            (0..48).map(|i| user(&format!("base{i}"), UserStatus::Confirmed, Duration::minutes(90 + i * 30))).collect();
        let calm = analyze(&[scan(users.clone(), vec![])], &AnomalyRules::default(), now());
        assert!(calm.anomalies.iter().all(|a| a.kind != AnomalyKind::SignUpBurst), "{:?}", calm.anomalies);
        users.extend((0..30).map(|i| user(&format!("bot{i}"), UserStatus::Unconfirmed, Duration::minutes(i))));
        let report = analyze(&[scan(users, vec![])], &AnomalyRules::default(), now());
        let burst = report.anomalies.iter().find(|a| a.kind == AnomalyKind::SignUpBurst);
        assert!(burst.is_some_and(|b| b.detail.starts_with("30 sign-ups")), "{:?}", report.anomalies);
    }

    /// Counts per hour ago, for the hours given; every other hour of the series zero.
    fn metrics(series: &[(PoolCount, &[(usize, f64)])]) -> PoolMetrics {
        let mut m = PoolMetrics::new(now());
        for (count, hours) in series {
            m.mark(*count);
            for (ago, value) in *hours {
                m.add(*count, now() - Duration::hours(*ago as i64 + 1), *value);
            }
        }
        m
    }

    #[test]
    fn pool_metrics_put_each_point_in_its_hour_and_ignore_the_rest() {
        let mut m = PoolMetrics::new(now());
        m.add(PoolCount::SignUps, now() - Duration::minutes(60), 3.0);
        m.add(PoolCount::SignUps, now() - Duration::minutes(61), 4.0);
        m.add(PoolCount::SignUps, now(), 100.0);
        m.add(PoolCount::SignUps, now() - Duration::hours(PoolMetrics::HOURS as i64 + 1), 100.0);
        m.add(PoolCount::SignUps, now() - Duration::hours(2), f64::NAN);
        assert_eq!(m.sum(PoolCount::SignUps, 0..1), 3.0);
        assert_eq!(m.sum(PoolCount::SignUps, 1..2), 4.0);
        assert_eq!(m.sum(PoolCount::SignUps, 0..PoolMetrics::HOURS + 10), 7.0);
        assert!(!m.has(PoolCount::SignIns));
        assert_eq!(m.sum(PoolCount::SignIns, 0..24), 0.0);
    }

    /// The sampled users say nothing of a burst CloudWatch counts: the pool's own counts win, and
    /// the summary says where its rates come from.
    #[test]
    fn sign_up_rates_come_from_the_pools_counts_when_cloudwatch_has_them() {
        let baseline: Vec<(usize, f64)> = (1..25).map(|h| (h, 2.0)).collect();
        let mut pool = scan(vec![user("old", UserStatus::Confirmed, Duration::days(30))], vec![]);
        pool.metrics = Some(metrics(&[(PoolCount::SignUps, &[&[(0, 400.0)], baseline.as_slice()].concat())]));
        let report = analyze(&[pool], &AnomalyRules::default(), now());
        let summary = &report.pools[0];
        assert_eq!(summary.counted_from, CountedFrom::Cloudwatch);
        assert_eq!((summary.signups.last_window, summary.signups.usual_per_window), (400, 2.0));
        let burst = report.anomalies.iter().find(|a| a.kind == AnomalyKind::SignUpBurst);
        assert!(burst.is_some_and(|b| b.detail.starts_with("400 sign-ups")), "{:?}", report.anomalies);
        let without = analyze(&[scan(vec![], vec![])], &AnomalyRules::default(), now());
        assert_eq!(without.pools[0].counted_from, CountedFrom::UsersRead);
        assert_eq!(without.pools[0].sign_ins, None);
    }

    /// A dormant account under credential stuffing changes nothing and is never among the users
    /// whose events are read: the pool's counts still show the attack.
    #[test]
    fn failed_sign_ins_and_threat_counts_make_pool_wide_rows() {
        let usual: Vec<(usize, f64)> = (1..25).map(|h| (h, 100.0)).collect();
        let attempts: Vec<(usize, f64)> = [&[(0, 2_100.0)], usual.as_slice()].concat();
        let succeeded: Vec<(usize, f64)> =
            [&[(0, 100.0)], &usual.iter().map(|(h, v)| (*h, v - 10.0)).collect::<Vec<_>>()[..]].concat();
        let mut pool = scan(vec![], vec![]);
        pool.metrics = Some(metrics(&[
            (PoolCount::SignInAttempts, &attempts),
            (PoolCount::SignIns, &succeeded),
            (PoolCount::CompromisedCredentials, &[(3, 7.0), (30, 50.0)]),
            (PoolCount::HighTakeoverRisk, &[(0, 40.0)]),
        ]));
        let report = analyze(&[pool.clone()], &AnomalyRules::default(), now());
        let counts = report.pools[0].sign_ins.unwrap();
        assert_eq!((counts.failed_last_window, counts.usual_failed_per_window), (2_000.0, 10.0));
        assert_eq!((counts.compromised_last_day, counts.high_takeover_risk_last_day), (Some(7.0), Some(40.0)));
        let row =
            |kind| report.anomalies.iter().find(|a| a.kind == kind).map(|a| (a.detail.clone(), a.username.clone()));
        let (surge, who) = row(AnomalyKind::FailedSignInSurge).expect("a surge");
        assert_eq!(surge, "2000 failed sign-ins in the last 60m (usual 10.0 per 60m), 100 succeeded");
        assert!(who.is_empty());
        let (risky, _) = row(AnomalyKind::RiskySignIns).expect("risky sign-ins");
        assert_eq!(
            risky,
            "threat protection counted 7 with compromised credentials and 40 at high account-takeover risk in the last \
             24h, across the whole pool"
        );
        // The usual failures are no surge, and risk counts older than a day are history.
        pool.metrics = Some(metrics(&[
            (PoolCount::SignInAttempts, &usual),
            (PoolCount::SignIns, &succeeded[1..]),
            (PoolCount::CompromisedCredentials, &[(30, 50.0)]),
        ]));
        let calm = analyze(&[pool], &AnomalyRules::default(), now());
        assert!(calm.anomalies.is_empty(), "{:?}", calm.anomalies);
    }

    fn signed_up(name: &str, email: &str, phone: Option<&str>, ago: Duration) -> CognitoUser {
        CognitoUser {
            email: Some(email.into()),
            phone: phone.map(str::to_string),
            ..user(name, UserStatus::Unconfirmed, ago)
        }
    }

    #[test]
    fn sign_up_clusters_by_domain_and_phone_prefix_against_their_own_baseline() {
        let rules = AnomalyRules::default();
        let clusters = |users: Vec<CognitoUser>| -> Vec<String> {
            let report = analyze(&[scan(users, vec![])], &rules, now());
            report.anomalies.into_iter().filter(|a| a.kind == AnomalyKind::SignUpCluster).map(|a| a.detail).collect()
        };
        // Nine from a new domain within the day: below the minimum of ten.
        let mut users: Vec<CognitoUser> = (0..9)
            .map(|i| signed_up(&format!("d{i}"), &format!("deal{i}@Quick.Example"), None, Duration::hours(i * 2)))
            .collect();
        assert!(clusters(users.clone()).is_empty());
        // The tenth makes a cluster; one sign-up 25 hours ago is outside the window.
        users.push(signed_up("old", "deal-old@quick.example", None, Duration::hours(25)));
        assert!(clusters(users.clone()).is_empty());
        users.push(signed_up("d9", "deal9@quick.example", None, Duration::hours(23)));
        let found = clusters(users.clone());
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("@quick.example: 10 new accounts in 24h (usual 0.1)"), "{}", found[0]);
        assert!(found[0].contains("d***@Quick.Example"), "examples masked: {}", found[0]);
        assert!(!found[0].contains("deal9"), "{}", found[0]);
        // A big provider's usual rate: 3 a day for the week before needs 15 in a day.
        let mut big: Vec<CognitoUser> =
            (0..21).map(|i| signed_up(&format!("b{i}"), "x@mail.example", None, Duration::hours(30 + i * 7))).collect();
        big.extend((0..14).map(|i| signed_up(&format!("n{i}"), "y@mail.example", None, Duration::hours(i))));
        assert!(clusters(big.clone()).is_empty(), "14 < 5 x 3");
        big.push(signed_up("n14", "z@mail.example", None, Duration::minutes(5)));
        assert_eq!(clusters(big).len(), 1, "15 = 5 x 3");
        // Phone prefixes: the country code and the first digits; a number without + is no prefix.
        let phones: Vec<CognitoUser> =
            (0..10)
                .map(|i| {
                    let phone = format!("+7 900 {:07}", i * 1013);
                    signed_up(&format!("p{i}"), &format!("p{i}@example.{i}"), Some(phone.as_str()), Duration::hours(i))
                })
                .chain((0..10).map(|i| {
                    signed_up(&format!("q{i}"), &format!("q{i}@e.{i}"), Some("8900123456"), Duration::hours(i))
                }))
                .collect();
        let found = clusters(phones);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("+7900…: 10 new accounts"), "{}", found[0]);
        assert!(found[0].contains("+7**********"), "masked: {}", found[0]);
    }

    #[test]
    fn masks_keep_only_what_identifies_no_one() {
        assert_eq!(mask_email("jane.doe@example.com"), "j***@example.com");
        assert_eq!(mask_email("not-an-email"), "***");
        assert_eq!(mask_phone("+14155550123"), "+1********23");
        assert_eq!(mask_phone("123"), "***");
    }
}
