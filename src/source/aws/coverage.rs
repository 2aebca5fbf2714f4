//! At connect, which accounts the findings and compliance of this context cover: Security Hub's and
//! GuardDuty's GetAdministratorAccount (is this account a member, and of whom) and ListMembers (how
//! many associated members it administers). A service that cannot be asked says why; nothing is
//! assumed.

use super::budget::{Budgets, Service};
use crate::model::coverage::{Administration, Coverage};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// Why a call failed, short: its code (AccessDeniedException, ...) or its message.
fn why<E: ProvideErrorMetadata>(
    operation: &str,
    e: &aws_sdk_securityhub::error::SdkError<E, impl std::fmt::Debug>,
) -> String {
    let code = e.as_service_error().and_then(|s| s.code()).map(str::to_string);
    format!("{operation}: {}", code.unwrap_or_else(|| "no answer".into()))
}

async fn security_hub(client: &aws_sdk_securityhub::Client, budgets: &Budgets, region: &str) -> Administration {
    budgets.acquire(Service::SecurityHub, "GetAdministratorAccount", "", region).await;
    match client.get_administrator_account().send().await {
        Ok(out) => {
            if let Some(administrator) = out.administrator().and_then(|a| a.account_id()) {
                return Administration::Member { administrator: administrator.to_string() };
            }
        }
        Err(e) => return Administration::Unknown { why: why("GetAdministratorAccount", &e) },
    }
    let mut members = 0;
    let mut token = None;
    loop {
        budgets.acquire(Service::SecurityHub, "ListMembers", "", region).await;
        let call = client.list_members().only_associated(true).max_results(50).set_next_token(token).send();
        match call.await {
            Ok(page) => {
                members += page.members().len();
                token = page.next_token().filter(|t| !t.is_empty() && !page.members().is_empty()).map(str::to_string);
                if token.is_none() {
                    break;
                }
            }
            Err(e) => return Administration::Unknown { why: why("ListMembers", &e) },
        }
    }
    if members > 0 { Administration::Administrator { members } } else { Administration::Alone }
}

async fn guardduty(client: &aws_sdk_guardduty::Client, budgets: &Budgets, region: &str) -> Administration {
    budgets.acquire(Service::GuardDuty, "ListDetectors", "", region).await;
    let detector = match client.list_detectors().send().await {
        Ok(out) => out.detector_ids().first().cloned(),
        Err(e) => return Administration::Unknown { why: why("ListDetectors", &e) },
    };
    let Some(detector) = detector else {
        return Administration::Unknown { why: "no detector in this region".into() };
    };
    budgets.acquire(Service::GuardDuty, "GetAdministratorAccount", "", region).await;
    match client.get_administrator_account().detector_id(&detector).send().await {
        Ok(out) => {
            if let Some(administrator) = out.administrator().and_then(|a| a.account_id()) {
                return Administration::Member { administrator: administrator.to_string() };
            }
        }
        Err(e) => return Administration::Unknown { why: why("GetAdministratorAccount", &e) },
    }
    let mut members = 0;
    let mut token = None;
    loop {
        budgets.acquire(Service::GuardDuty, "ListMembers", "", region).await;
        let call = client
            .list_members()
            .detector_id(&detector)
            .only_associated("true")
            .max_results(50)
            .set_next_token(token)
            .send();
        match call.await {
            Ok(page) => {
                members += page.members().len();
                token = page.next_token().filter(|t| !t.is_empty() && !page.members().is_empty()).map(str::to_string);
                if token.is_none() {
                    break;
                }
            }
            Err(e) => return Administration::Unknown { why: why("ListMembers", &e) },
        }
    }
    if members > 0 { Administration::Administrator { members } } else { Administration::Alone }
}

/// Both services' word on the connected account, asked side by side.
pub async fn detect(config: &aws_config::SdkConfig, budgets: &Budgets, region: &str) -> Coverage {
    let securityhub = aws_sdk_securityhub::Client::new(config);
    let guardduty_client = aws_sdk_guardduty::Client::new(config);
    let (security_hub, guardduty) =
        tokio::join!(security_hub(&securityhub, budgets, region), guardduty(&guardduty_client, budgets, region));
    Coverage { security_hub, guardduty }
}
