//! The organisation around the connected account. Findings of member accounts already arrive
//! through the delegated administrator (Security Hub and GuardDuty aggregate them); what lives in
//! each member account itself (certificates, secrets, Cognito pools) is read by assuming a role
//! there, a few accounts at a time, and one account's failure is said without stopping the others.
//! Account names come from Organizations ListAccounts where the caller may list them.

use super::budget::{Budgets, Service};
use crate::model::AccountNames;
use crate::source::SourceError;
use std::time::Duration;

/// The role Vigil assumes in each member account, as the config names it (`[organisation]
/// member_role`), with the external id its trust policy may require.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRole {
    /// A role name, optionally with its path (`security/VigilReadOnly`).
    pub name: String,
    pub external_id: Option<String>,
    /// Member accounts read at once.
    pub accounts_in_flight: usize,
}

/// Member accounts read at once unless the config says otherwise: enough to sweep an organisation
/// of a few hundred accounts in minutes, few enough that the caller's STS and network stay calm.
pub const DEFAULT_ACCOUNTS_IN_FLIGHT: usize = 4;

impl MemberRole {
    /// `arn:<partition>:iam::<account>:role/<name>`.
    pub fn arn(&self, partition: &str, account: &str) -> String {
        format!("arn:{partition}:iam::{account}:role/{}", self.name.trim_matches('/'))
    }

    /// The principal Vigil acts as in `account`: `arn:<partition>:sts::<account>:assumed-role/
    /// <role name without its path>/<session>`, the session named after `principal` (the caller).
    pub fn session_arn(&self, partition: &str, account: &str, principal: Option<&str>) -> String {
        let name = self.name.trim_matches('/').rsplit('/').next().unwrap_or_default();
        format!("arn:{partition}:sts::{account}:assumed-role/{name}/{}", session_name(principal))
    }
}

/// One account of the organisation, as ListAccounts names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccount {
    pub id: String,
    pub name: String,
    /// ACTIVE accounts only are read; suspended and closing ones would fail every call.
    pub active: bool,
}

/// How long the account list may take at connect before the console goes on with what was read.
pub const LIST_TIMEOUT: Duration = Duration::from_secs(10);

/// Organizations has one endpoint for every region: its budget is keyed by this, not a region.
const GLOBAL: &str = "global";

/// What ListAccounts gave at connect: the accounts, and whether the list was cut short (by
/// [`LIST_TIMEOUT`]), which the user is told.
#[derive(Debug, Default)]
pub struct Listed {
    pub accounts: Vec<OrgAccount>,
    pub cut: bool,
}

/// Every account of the organisation, from Organizations ListAccounts (20 a page, the API's
/// maximum), within [`LIST_TIMEOUT`]: what was read by then is kept. Answers only in the
/// management account or a delegated administrator of Organizations: elsewhere it is an error
/// the caller logs and treats as "no names".
pub async fn list_accounts(client: &aws_sdk_organizations::Client, budgets: &Budgets) -> Result<Listed, String> {
    let mut listed = Listed::default();
    let read = tokio::time::timeout(LIST_TIMEOUT, read_pages(client, budgets, &mut listed.accounts)).await;
    match read {
        Ok(Ok(())) => Ok(listed),
        Ok(Err(e)) if listed.accounts.is_empty() => Err(e),
        // A page failed or time ran out after some were read: keep those, and say so.
        Ok(Err(_)) | Err(_) => {
            listed.cut = true;
            Ok(listed)
        }
    }
}

async fn read_pages(
    client: &aws_sdk_organizations::Client,
    budgets: &Budgets,
    accounts: &mut Vec<OrgAccount>,
) -> Result<(), String> {
    let mut pages = client.list_accounts().max_results(20).into_paginator().send();
    loop {
        budgets.acquire(Service::Organizations, "ListAccounts", "", GLOBAL).await;
        let Some(page) = pages.next().await else { break };
        let page = page.map_err(|e| format!("{}", e.into_service_error()))?;
        accounts.extend(page.accounts().iter().filter_map(|a| {
            Some(OrgAccount {
                id: a.id()?.to_string(),
                name: a.name().unwrap_or_default().to_string(),
                active: a.state().map(|s| s.as_str() == "ACTIVE").unwrap_or_else(|| {
                    #[allow(deprecated)] // `Status` is what older answers (and moto) carry.
                    a.status().is_none_or(|s| s.as_str() == "ACTIVE")
                }),
            })
        }));
    }
    Ok(())
}

/// The STS session name for the member role: `vigil-` and the caller's own name (the last part of
/// its ARN: the SSO user, the IAM user), so that a member account's CloudTrail says who acted, in
/// the characters STS allows (`[\w+=,.@-]`, at most 64).
pub fn session_name(principal: Option<&str>) -> String {
    let who = principal.and_then(|arn| arn.rsplit('/').next()).unwrap_or_default();
    let allowed = |c: &char| c.is_ascii_alphanumeric() || "+=,.@-_".contains(*c);
    let mut name: String = format!("vigil-{}", who.chars().filter(allowed).collect::<String>());
    name.truncate(64);
    name.trim_end_matches('-').to_string()
}

/// The names of `accounts`, for the account columns.
pub fn names(accounts: &[OrgAccount]) -> AccountNames {
    accounts.iter().filter(|a| !a.name.is_empty()).map(|a| (a.id.clone(), a.name.clone())).collect()
}

/// "account shop-prod (111122223333)", for a warning about one account.
pub fn describe_account(names: &AccountNames, account: &str) -> String {
    format!("account {}", names.long(account))
}

/// What a member account's failure says on the pane: which account, and what to check.
pub fn member_failure(names: &AccountNames, account: &str, role: &str, error: &SourceError) -> String {
    let hint = match error.kind() {
        crate::source::ErrorKind::Credentials => format!(
            ": check that role {role} exists there and trusts this principal (and the external id, if its trust policy asks for one)"
        ),
        _ => String::new(),
    };
    format!("{}: {error}{hint}", describe_account(names, account))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_name_says_who_acted_in_what_sts_allows() {
        let sso = "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_OnCall_0123/alice@example.com";
        assert_eq!(session_name(Some(sso)), "vigil-alice@example.com");
        assert_eq!(session_name(Some("arn:aws:iam::111122223333:user/bob smith")), "vigil-bobsmith");
        assert_eq!(session_name(None), "vigil");
        assert_eq!(session_name(Some(&format!("arn:aws:iam::1:user/{}", "x".repeat(100)))).len(), 64);
    }

    #[test]
    fn a_role_arn_keeps_the_path() {
        let role = MemberRole { name: "/security/VigilReadOnly/".into(), external_id: None, accounts_in_flight: 4 };
        assert_eq!(role.arn("aws", "222233334444"), "arn:aws:iam::222233334444:role/security/VigilReadOnly");
    }

    #[test]
    fn names_skip_unnamed_accounts() {
        let accounts = vec![
            OrgAccount { id: "1".into(), name: "prod".into(), active: true },
            OrgAccount { id: "2".into(), name: String::new(), active: true },
        ];
        let names = names(&accounts);
        assert_eq!(names.len(), 1);
        assert_eq!(names.long("1"), "prod (1)");
        assert_eq!(names.long("2"), "2");
    }
}
