//! Cognito: every user pool, its users (up to a cap) and, where threat protection is on, the sign-in
//! events of the most recently changed users. Bounded so a pool with a million users does not mean a
//! million calls; what was sampled is said on screen.

use crate::source::aws::ClientSettings;
use crate::source::aws::clients::{Clients, settings_of};
use futures::future::BoxFuture;
use crate::source::aws::budget::Service;
use crate::source::aws::time::from_smithy;
use crate::source::aws::{AwsSource, errors};
use crate::model::Timestamp;
use crate::model::users::{
    AnomalyRules, AuthEvent, CognitoUser, PoolScan, RiskLevel, ThreatProtection, UserStatus, analyze,
};
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
    for (pool_id, pool_name) in pools {
        match scan_pool(source, &pool_id, &pool_name, &mut warnings).await {
            Ok(scan) => scans.push(scan),
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
        if checked < users.len() {
            let note = format!("sign-in risk read for the {checked} most recently changed users");
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
        sampled,
    })
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
        &[settings_of::<aws_sdk_cognitoidentityprovider::Client>];

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
