//! Cognito: every user pool with its own counts from CloudWatch (sign-ups, sign-ins, token
//! refreshes and threat protection's risk counts, for every user), its users (up to a cap) and,
//! where threat protection is on, the sign-in events of the most recently changed users, which
//! explain the counts. Bounded so a pool with a million users does not mean a million calls; what
//! was sampled is said on screen.

use crate::source::aws::ClientSettings;
use crate::source::aws::clients::{Clients, settings_of};
use futures::future::BoxFuture;
use crate::source::aws::budget::Service;
use crate::source::aws::time::from_smithy;
use crate::source::aws::{AwsSource, errors};
use crate::model::Timestamp;
use crate::model::users::{
    AnomalyRules, AuthEvent, CognitoUser, PoolCount, PoolMetrics, PoolScan, RiskLevel, ThreatProtection, UserStatus,
    analyze,
};
use crate::source::aws::metrics::{self, stat_query};
use std::collections::BTreeMap;
use crate::source::{Fetched, PaneData, SourceError};
use aws_sdk_cognitoidentityprovider::types::{AuthEventType, UserType};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

pub async fn fetch(source: &AwsSource, now: Timestamp) -> Result<Fetched, SourceError> {
    let caller = source.caller(Service::Cognito);
    let mut pools = Vec::new();
    let mut pages = source.client::<aws_sdk_cognitoidentityprovider::Client>().list_user_pools().max_results(60).into_paginator().send();
    while let Some(page) = source.paced(Service::Cognito, "ListUserPools", pages.next()).await {
        let page = page.map_err(|e| errors::classify(caller, "ListUserPools", &e))?;
        pools.extend(
            page.user_pools()
                .iter()
                .filter_map(|p| Some((p.id()?.to_string(), p.name().unwrap_or_default().to_string()))),
        );
    }
    let mut scans = Vec::new();
    let mut warnings = Vec::new();
    let mut counts = match pool_metrics(source, &pools, now).await {
        Ok(counts) => counts,
        Err(e) => {
            warnings.push(format!("CloudWatch: {e}: sign-up rates come from the users read"));
            BTreeMap::new()
        }
    };
    for (pool_id, pool_name) in pools {
        match scan_pool(source, &pool_id, &pool_name, &mut warnings).await {
            Ok(mut scan) => {
                scan.metrics = counts.remove(&pool_id);
                scans.push(scan);
            }
            Err(e) => warnings.push(format!("pool {pool_name}: {e}")),
        }
    }
    let report = analyze(&scans, &AnomalyRules::default(), now);
    Ok(Fetched { data: PaneData::Users(report), warnings, cached_at: None, resynced_at: None })
}

async fn scan_pool(
    source: &AwsSource,
    pool_id: &str,
    pool_name: &str,
    warnings: &mut Vec<String>,
) -> Result<PoolScan, SourceError> {
    let caller = source.caller(Service::Cognito);
    let call = source.client::<aws_sdk_cognitoidentityprovider::Client>().describe_user_pool().user_pool_id(pool_id).send();
    let described = source
        .paced(Service::Cognito, "DescribeUserPool", call)
        .await
        .map_err(|e| errors::classify(caller, "DescribeUserPool", &e))?;
    let pool = described.user_pool();
    let estimated_users = pool.map(|p| p.estimated_number_of_users()).unwrap_or(0).max(0) as u64;
    let threat_protection = match pool.and_then(|p| p.user_pool_add_ons()).map(|a| a.advanced_security_mode().as_str())
    {
        Some("ENFORCED") => ThreatProtection::Enforced,
        Some("AUDIT") => ThreatProtection::Audit,
        Some("OFF") | None => ThreatProtection::Off,
        Some(_) => ThreatProtection::Unknown,
    };

    let limit = source.limits.users_per_pool;
    let mut users = Vec::new();
    let mut pages = source.client::<aws_sdk_cognitoidentityprovider::Client>().list_users().user_pool_id(pool_id).limit(60).into_paginator().send();
    let mut capped = false;
    while let Some(page) = source.paced(Service::Cognito, "ListUsers", pages.next()).await {
        let page = page.map_err(|e| errors::classify(caller, "ListUsers", &e))?;
        users.extend(page.users().iter().map(map_user));
        if users.len() >= limit {
            users.truncate(limit);
            capped = true;
            break;
        }
    }
    let mut sampled = capped.then(|| format!("first {limit} of ~{estimated_users} users read"));

    let mut auth_events = Vec::new();
    if threat_protection != ThreatProtection::Off {
        let mut recent: Vec<&CognitoUser> = users.iter().collect();
        recent.sort_by_key(|u| std::cmp::Reverse(u.last_modified));
        let checked = recent.len().min(source.limits.auth_event_users_per_pool);
        let mut gone = 0;
        for user in recent.into_iter().take(checked) {
            let call = source
                .client::<aws_sdk_cognitoidentityprovider::Client>()
                .admin_list_user_auth_events()
                .user_pool_id(pool_id)
                .username(&user.username)
                .max_results(60)
                .send();
            let result = source.paced(Service::Cognito, "AdminListUserAuthEvents", call).await;
            match result {
                Ok(out) => auth_events.extend(out.auth_events().iter().map(|e| map_event(&user.username, e))),
                // Deleted since it was listed: the others still tell their story.
                Err(e) if e.code() == Some("UserNotFoundException") => gone += 1,
                Err(e) if e.code() == Some("UserPoolAddOnNotEnabledException") => break,
                Err(e) => {
                    warnings.push(format!(
                        "pool {pool_name}: sign-in events unavailable: {}",
                        errors::classify(caller, "AdminListUserAuthEvents", &e)
                    ));
                    break;
                }
            }
        }
        if checked < users.len() || gone > 0 {
            let gone = if gone > 0 { format!(" ({gone} deleted since listed)") } else { String::new() };
            let note = format!(
                "sign-in events read for the {checked} most recently changed users{gone}; the pool's counts cover everyone"
            );
            sampled = Some(match sampled {
                Some(s) => format!("{s}; {note}"),
                None => note,
            });
        }
    }
    Ok(PoolScan {
        pool_id: pool_id.to_string(),
        pool_name: pool_name.to_string(),
        estimated_users,
        threat_protection,
        users,
        auth_events,
        metrics: None,
        sampled,
    })
}

/// The metrics of `AWS/Cognito` Vigil reads, with the statistic and the count each makes.
const POOL_COUNTS: &[(&str, &str, PoolCount)] = &[
    ("SignUpSuccesses", "Sum", PoolCount::SignUps),
    ("SignUpSuccesses", "SampleCount", PoolCount::SignUpAttempts),
    ("SignInSuccesses", "Sum", PoolCount::SignIns),
    ("SignInSuccesses", "SampleCount", PoolCount::SignInAttempts),
    ("TokenRefreshSuccesses", "Sum", PoolCount::TokenRefreshes),
    ("CompromisedCredentialRisk", "Sum", PoolCount::CompromisedCredentials),
    ("AccountTakeoverRisk", "Sum", PoolCount::HighTakeoverRisk),
];

/// Every pool's counts of the last [`PoolMetrics::HOURS`] hours: ListMetrics finds the series
/// (the activity metrics are per app client under `UserPool`, threat protection's per operation
/// and risk level under `UserPoolId`), one GetMetricData reads them all, and they are summed per
/// pool. A pool without a series is absent; a count without one is absent from its pool.
async fn pool_metrics(
    source: &AwsSource,
    pools: &[(String, String)],
    now: Timestamp,
) -> Result<BTreeMap<String, PoolMetrics>, SourceError> {
    let region = source.place().1.to_string();
    let end = now.timestamp() / 60 * 60;
    let start = end - PoolMetrics::HOURS as i64 * 3_600;
    let known: std::collections::HashSet<&str> = pools.iter().map(|(id, _)| id.as_str()).collect();
    let mut queries = Vec::new();
    let mut slots: Vec<(String, PoolCount)> = Vec::new();
    for pool_dimension in ["UserPool", "UserPoolId"] {
        for metric in metrics::list_metrics(source, &region, "AWS/Cognito", pool_dimension).await? {
            let dims = metric.dimensions();
            let Some(pool) = dims.iter().find(|d| d.name() == Some(pool_dimension)).and_then(|d| d.value()) else {
                continue;
            };
            if !known.contains(pool) {
                continue;
            }
            // Account takeover counts only at risk level high: medium and low are everyday noise.
            let level = dims.iter().find(|d| d.name() == Some("RiskLevel")).and_then(|d| d.value());
            let name = metric.metric_name().unwrap_or_default();
            if name == "AccountTakeoverRisk" && !level.is_some_and(|l| l.eq_ignore_ascii_case("high")) {
                continue;
            }
            for (_, stat, count) in POOL_COUNTS.iter().filter(|(m, _, _)| *m == name) {
                queries.push(stat_query(format!("q{}", queries.len()), metric.clone(), 3_600, stat));
                slots.push((pool.to_string(), *count));
            }
        }
    }
    let mut counts: BTreeMap<String, PoolMetrics> = BTreeMap::new();
    if queries.is_empty() {
        return Ok(counts);
    }
    let values = metrics::get_metric_data(source, &region, &queries, start, end).await?;
    let end = chrono::DateTime::from_timestamp(end, 0).unwrap_or_default();
    for (query, (pool, count)) in queries.iter().zip(slots) {
        let pool = counts.entry(pool).or_insert_with(|| PoolMetrics::new(end));
        pool.mark(count);
        for (at, value) in query.id().and_then(|id| values.get(id)).into_iter().flatten() {
            pool.add(count, chrono::DateTime::from_timestamp(*at, 0).unwrap_or_default(), *value);
        }
    }
    Ok(counts)
}

fn map_user(u: &UserType) -> CognitoUser {
    let attribute =
        |name: &str| u.attributes().iter().find(|a| a.name() == name).and_then(|a| a.value()).map(str::to_string);
    let created = from_smithy(u.user_create_date()).unwrap_or_default();
    CognitoUser {
        username: u.username().unwrap_or_default().to_string(),
        sub: attribute("sub"),
        email: attribute("email"),
        phone: attribute("phone_number"),
        status: u.user_status().map(|s| UserStatus::parse(s.as_str())).unwrap_or(UserStatus::Unknown),
        enabled: u.enabled(),
        created,
        last_modified: from_smithy(u.user_last_modified_date()).unwrap_or(created),
    }
}

fn map_event(username: &str, e: &AuthEventType) -> AuthEvent {
    let risk = e.event_risk();
    let context = e.event_context_data();
    AuthEvent {
        username: username.to_string(),
        event_type: e.event_type().map(|t| t.as_str().to_string()).unwrap_or_default(),
        response: e.event_response().map(|r| r.as_str().to_string()).unwrap_or_default(),
        risk_level: risk.and_then(|r| r.risk_level()).and_then(|l| match l.as_str() {
            "High" => Some(RiskLevel::High),
            "Medium" => Some(RiskLevel::Medium),
            "Low" => Some(RiskLevel::Low),
            _ => None,
        }),
        risk_decision: risk.and_then(|r| r.risk_decision()).map(|d| d.as_str().to_string()),
        compromised_credentials: risk.and_then(|r| r.compromised_credentials_detected()).unwrap_or(false),
        at: from_smithy(e.creation_date()).unwrap_or_default(),
        ip: context.and_then(|c| c.ip_address()).map(str::to_string),
        city: context.and_then(|c| c.city()).map(str::to_string),
        country: context.and_then(|c| c.country()).map(str::to_string),
    }
}

pub struct Pane;

impl super::AwsPane for Pane {
    type Model = crate::model::panes::users::Pane;
    const CLIENTS: &'static [fn(&Clients) -> ClientSettings] =
        &[settings_of::<aws_sdk_cognitoidentityprovider::Client>, settings_of::<aws_sdk_cloudwatch::Client>];

    fn fetch<'a>(
        source: &'a AwsSource,
        now: crate::model::Timestamp,
        _options: crate::source::FetchOptions,
        _progress: &'a crate::source::Progress,
    ) -> BoxFuture<'a, Result<crate::source::Fetched, SourceError>> {
        Box::pin(source.each_account(move |i| fetch(source.account_source(i), now)))
    }

    fn apply<'a>(
        source: &'a AwsSource,
        action: &'a crate::model::panes::users::Action,
        targets: &'a [crate::model::triage::Target],
    ) -> BoxFuture<'a, Vec<crate::model::triage::TargetOutcome>> {
        Box::pin(crate::source::aws::actions::users(source, action, targets))
    }
}
