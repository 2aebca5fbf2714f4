//! Demo Cognito pools: a customer pool with threat protection enforced, a staff pool in audit mode and
//! a partner pool without it. A bot sign-up burst starts shortly after the console opens.

use crate::source::demo::catalog::REGION;
use crate::source::demo::rng::DemoRng;
use crate::model::Timestamp;
use crate::model::users::{
    AuthEvent, CognitoUser, PoolCount, PoolMetrics, PoolScan, RiskLevel, ThreatProtection, UserStatus,
};
use chrono::Duration;

/// The burst begins this many seconds after start, with one bot sign-up per second.
pub const BURST_STARTS_AFTER_SECONDS: i64 = 30;
const BURST_LENGTH_SECONDS: i64 = 600;

const FIRST: &[&str] = &[
    "ana", "ben", "carla", "dev", "elif", "farid", "greta", "hiro", "ines", "jonas", "kemi", "lars", "mei", "nora",
    "omar", "priya",
];
const LAST: &[&str] = &[
    "silva", "novak", "kowalski", "tanaka", "okafor", "larsen", "haddad", "moreau", "schmidt", "reyes", "ivanova",
    "chen",
];
const DOMAINS: &[&str] = &["example.com", "example.net", "example.org"];
const PLACES: &[(&str, &str)] = &[
    ("Bucharest", "RO"),
    ("Lagos", "NG"),
    ("Sao Paulo", "BR"),
    ("Hanoi", "VN"),
    ("Frankfurt", "DE"),
    ("Moscow", "RU"),
];
const RISKY_IPS: &[&str] = &["185.220.101.45", "45.155.205.233", "103.251.167.20", "198.51.100.201", "203.0.113.5"];

/// Credential stuffing against the shop's sign-in began this long before the console opened, at
/// [`STUFFING_PER_MINUTE`] failed sign-ins a minute: dormant accounts whose events nobody reads.
const STUFFING_BEGAN_MINUTES_BEFORE: i64 = 40;
const STUFFING_PER_MINUTE: f64 = 55.0;

pub fn generate(seed: u64, scale: usize, start: Timestamp, now: Timestamp) -> Vec<PoolScan> {
    let elapsed = (now - start).num_seconds().max(0);
    let mut customers = customers(seed, 400 + scale / 20, start, elapsed);
    customers.metrics = Some(customer_metrics(&customers, start, now));
    let mut staff = staff(seed, start);
    staff.metrics = Some(staff_metrics(&staff, now));
    vec![
        customers,
        staff,
        PoolScan {
            pool_id: format!("{REGION}_Pa7tNr9Xq"),
            pool_name: "partner-portal".into(),
            estimated_users: 86,
            threat_protection: ThreatProtection::Off,
            users: (0..86)
                .map(|i| person(&mut DemoRng::stream(seed, "partner", i), start, UserStatus::Confirmed, 20, 400))
                .collect(),
            auth_events: vec![],
            // Quiet for weeks: CloudWatch lists no series for it, so its rates come from its users.
            metrics: None,
            sampled: None,
        },
    ]
}

/// CloudWatch rounds a recent start time down to the minute.
fn whole_minute(at: Timestamp) -> Timestamp {
    chrono::DurationRound::duration_trunc(at, Duration::minutes(1)).unwrap_or(at)
}

/// Every count a pool with threat protection has, each a series from `end` back, with the
/// sign-ups of its users.
fn signed_up(pool: &PoolScan, end: Timestamp) -> PoolMetrics {
    let mut metrics = PoolMetrics::new(end);
    for count in [
        PoolCount::SignUps,
        PoolCount::SignUpAttempts,
        PoolCount::SignIns,
        PoolCount::SignInAttempts,
        PoolCount::TokenRefreshes,
        PoolCount::CompromisedCredentials,
        PoolCount::HighTakeoverRisk,
    ] {
        metrics.mark(count);
    }
    for user in &pool.users {
        metrics.add(PoolCount::SignUps, hour_of(user.created, end), 1.0);
        metrics.add(PoolCount::SignUpAttempts, hour_of(user.created, end), 1.0);
    }
    metrics
}

/// The hours of [`PoolMetrics`] before `now`, oldest last: (hours ago, start, end).
fn hours_before(now: Timestamp) -> impl Iterator<Item = (usize, Timestamp, Timestamp)> {
    let end = whole_minute(now);
    (0..PoolMetrics::HOURS).map(move |ago| {
        let to = end - Duration::hours(ago as i64);
        (ago, to - Duration::hours(1), to)
    })
}

/// Traffic of the day: busiest in the European evening, quietest before dawn.
fn daily(at: Timestamp, peak_per_hour: f64) -> f64 {
    let hour = f64::from(chrono::Timelike::hour(&at)) + f64::from(chrono::Timelike::minute(&at)) / 60.0;
    let phase = (hour - 19.0) / 24.0 * std::f64::consts::TAU;
    (peak_per_hour * (0.6 + 0.4 * phase.cos())).round()
}

/// Minutes of `[from, to)` inside `[start, end)`.
fn overlap_minutes(from: Timestamp, to: Timestamp, start: Timestamp, end: Timestamp) -> f64 {
    let (a, b) = (from.max(start), to.min(end));
    if b > a { (b - a).num_seconds() as f64 / 60.0 } else { 0.0 }
}

/// The customers' counts as CloudWatch has them: sign-ups from the users (bots included), sign-ins
/// and token refreshes of a busy shop, and the credential stuffing under way.
fn customer_metrics(pool: &PoolScan, start: Timestamp, now: Timestamp) -> PoolMetrics {
    let end = whole_minute(now);
    let mut metrics = signed_up(pool, end);
    let stuffing = start - Duration::minutes(STUFFING_BEGAN_MINUTES_BEFORE);
    for (_, from, to) in hours_before(now) {
        let signed_in = daily(from, 900.0);
        let stuffed = (overlap_minutes(from, to, stuffing, now) * STUFFING_PER_MINUTE).round();
        let usual_failures = (signed_in * 0.03).round();
        metrics.add(PoolCount::SignIns, from, signed_in);
        metrics.add(PoolCount::SignInAttempts, from, signed_in + usual_failures + stuffed);
        metrics.add(PoolCount::TokenRefreshes, from, daily(from, 2_400.0));
        // Threat protection sees a few of the stuffed pairs in breach lists, and scores many of
        // the rest as takeover attempts.
        metrics.add(PoolCount::CompromisedCredentials, from, (stuffed / 180.0).round());
        metrics.add(PoolCount::HighTakeoverRisk, from, (stuffed / 25.0).round());
    }
    metrics
}

/// The start of the CloudWatch hour (ending at `end`, `end - 1h`, ...) that holds `at`.
fn hour_of(at: Timestamp, end: Timestamp) -> Timestamp {
    let hours_ago = ((end - at).num_seconds() - 1).div_euclid(3600);
    end - Duration::hours(hours_ago + 1)
}

/// Staff sign in during the working day; the one high-risk sign-in is counted where it happened.
fn staff_metrics(pool: &PoolScan, now: Timestamp) -> PoolMetrics {
    let end = whole_minute(now);
    let mut metrics = signed_up(pool, end);
    for (_, from, _) in hours_before(now) {
        let signed_in = daily(from + Duration::hours(7), 40.0);
        metrics.add(PoolCount::SignIns, from, signed_in);
        metrics.add(PoolCount::SignInAttempts, from, signed_in + 2.0);
        metrics.add(PoolCount::TokenRefreshes, from, signed_in * 6.0);
    }
    for event in pool.auth_events.iter().filter(|e| e.risk_level == Some(RiskLevel::High)) {
        metrics.add(PoolCount::HighTakeoverRisk, hour_of(event.at, end), 1.0);
    }
    metrics
}

fn person(rng: &mut DemoRng, start: Timestamp, status: UserStatus, min_days: i64, max_days: i64) -> CognitoUser {
    let first = rng.pick(FIRST);
    let last = rng.pick(LAST);
    let n = rng.below(1000);
    let created = start - Duration::minutes(rng.range(min_days * 1_440, max_days * 1_440));
    CognitoUser {
        username: uuid_like(rng),
        sub: None,
        email: Some(format!("{first}.{last}{n}@{}", rng.pick(DOMAINS))),
        phone: rng.chance(60).then(|| format!("+1415555{:04}", rng.below(10_000))),
        status,
        enabled: true,
        created,
        last_modified: created,
    }
}

fn uuid_like(rng: &mut DemoRng) -> String {
    let h = rng.hex(32);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

fn customers(seed: u64, count: usize, start: Timestamp, elapsed: i64) -> PoolScan {
    let mut users: Vec<CognitoUser> = (0..count)
        .map(|i| {
            let mut rng = DemoRng::stream(seed, "customer", i as u64);
            let status = match rng.below(100) {
                0..=3 => UserStatus::Unconfirmed,
                4..=5 => UserStatus::ResetRequired,
                6..=15 => UserStatus::ExternalProvider,
                _ => UserStatus::Confirmed,
            };
            person(&mut rng, start, status, 0, 90)
        })
        .collect();
    // Two clusters already under way when the console opens: a throwaway domain and a range of
    // virtual numbers, a dozen sign-ups each over the last day (too slow for a burst).
    for i in 0..24u64 {
        let mut rng = DemoRng::stream(seed, "cluster", i);
        let created = start - Duration::minutes(rng.range(30, 20 * 60));
        let (email, phone) = if i < 12 {
            (format!("deal{}@quickmail.example", rng.below(100_000)), None)
        } else {
            let email = format!("{}.{}@{}", rng.pick(FIRST), rng.pick(LAST), rng.pick(DOMAINS));
            (email, Some(format!("+7900{:07}", rng.below(10_000_000))))
        };
        users.push(CognitoUser {
            username: uuid_like(&mut rng),
            sub: None,
            email: Some(email),
            phone,
            status: if rng.chance(70) { UserStatus::Unconfirmed } else { UserStatus::Confirmed },
            enabled: true,
            created,
            last_modified: created,
        });
    }
    let bots = (elapsed - BURST_STARTS_AFTER_SECONDS).clamp(0, BURST_LENGTH_SECONDS);
    for b in 0..bots {
        let mut rng = DemoRng::stream(seed, "bot", b as u64);
        let created = start + Duration::seconds(BURST_STARTS_AFTER_SECONDS + b);
        users.push(CognitoUser {
            username: uuid_like(&mut rng),
            sub: None,
            email: Some(format!("promo.hunter+{}@mailinator.example", rng.below(100_000))),
            phone: None,
            status: UserStatus::Unconfirmed,
            enabled: true,
            created,
            last_modified: created,
        });
    }
    let mut events = Vec::new();
    for i in 0..8u64 {
        let mut rng = DemoRng::stream(seed, "risk", i);
        let user = &users[(rng.below(count as u64)) as usize];
        let (city, country) = *rng.pick(PLACES);
        let compromised = i < 2;
        events.push(AuthEvent {
            username: user.username.clone(),
            event_type: if compromised {
                "SignIn".into()
            } else {
                rng.pick(&["SignIn", "ForgotPassword", "PasswordChange"]).to_string()
            },
            response: if rng.chance(50) { "Pass".into() } else { "Fail".into() },
            risk_level: Some(if compromised { RiskLevel::Medium } else { RiskLevel::High }),
            risk_decision: Some(if i % 3 == 0 { "Block".into() } else { "AccountTakeover".into() }),
            compromised_credentials: compromised,
            at: start - Duration::minutes(rng.range(5, 6 * 1_440)),
            ip: Some(rng.pick(RISKY_IPS).to_string()),
            city: Some(city.into()),
            country: Some(country.into()),
        });
    }
    PoolScan {
        pool_id: format!("{REGION}_Cu5tOmErS"),
        pool_name: "shop-customers".into(),
        estimated_users: users.len() as u64,
        threat_protection: ThreatProtection::Enforced,
        users,
        auth_events: events,
        metrics: None,
        sampled: None,
    }
}

fn staff(seed: u64, start: Timestamp) -> PoolScan {
    let mut users: Vec<CognitoUser> = (0..140)
        .map(|i| person(&mut DemoRng::stream(seed, "staff", i), start, UserStatus::Confirmed, 30, 700))
        .collect();
    for i in 0..5u64 {
        let mut rng = DemoRng::stream(seed, "staff-stuck", i);
        let mut u = person(&mut rng, start, UserStatus::ForceChangePassword, 8, 60);
        if i == 0 {
            // A fresh invite is not stuck yet.
            u.created = start - Duration::days(2);
            u.last_modified = u.created;
        }
        users.push(u);
    }
    let mut rng = DemoRng::stream(seed, "staff-risk", 0);
    let target = users[3].username.clone();
    let events = vec![AuthEvent {
        username: target,
        event_type: "SignIn".into(),
        response: "Pass".into(),
        risk_level: Some(RiskLevel::High),
        risk_decision: Some("NoRisk".into()),
        compromised_credentials: false,
        at: start - Duration::minutes(rng.range(30, 600)),
        ip: Some("45.155.205.233".into()),
        city: Some("Moscow".into()),
        country: Some("RU".into()),
    }];
    PoolScan {
        pool_id: format!("{REGION}_StAfF0001"),
        pool_name: "shop-staff".into(),
        estimated_users: users.len() as u64,
        threat_protection: ThreatProtection::Audit,
        users,
        auth_events: events,
        metrics: None,
        sampled: None,
    }
}

pub struct Pane;

impl super::DemoPane for Pane {
    type Model = crate::model::panes::users::Pane;

    fn generate(demo: &crate::source::demo::DemoSource, now: Timestamp) -> crate::model::UsersReport {
        use crate::model::users::{AnomalyRules, analyze};
        let mut scans = generate(demo.seed, demo.scale, demo.start, now);
        demo.overrides.users(&mut scans);
        let mut report = analyze(&scans, &AnomalyRules::default(), now);
        // In an organisation every pool says its account (a pool id names only its region), as the
        // AWS source does once several accounts are shown.
        if demo.organisation.accounts.len() > 1 {
            let owner = |pool_id: &str| Some(demo.organisation.owner_of(demo.seed, pool_id).id.clone());
            for pool in &mut report.pools {
                pool.account = owner(&pool.pool_id);
            }
            for anomaly in &mut report.anomalies {
                anomaly.account = owner(&anomaly.pool_id);
            }
        }
        report
    }

    fn apply(
        demo: &crate::source::demo::DemoSource,
        action: &crate::model::panes::users::Action,
        targets: &[crate::model::triage::Target],
        _now: Timestamp,
    ) -> Vec<crate::model::triage::TargetOutcome> {
        demo.overrides.apply_users(action, targets)
    }
}
