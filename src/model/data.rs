//! What one refresh of a pane yields, and the context (profile, account, region) it was made for.
//! Shared by the sources that produce it, the cache that stores it and the app that shows it.

use super::{Certificate, Finding, Secret, Standard, UsersReport};
use crate::pane::PaneId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// The data of one pane after one successful refresh.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "pane", content = "data", rename_all = "lowercase")]
pub enum PaneData {
    /// Shared, not copied: a source that keeps its findings between refreshes hands the app the
    /// same records, so a refresh costs only what changed (and the table reuses unchanged rows).
    Findings(Vec<Arc<Finding>>),
    Certificates(Vec<Certificate>),
    Secrets(Vec<Secret>),
    Users(UsersReport),
    Compliance(Vec<Standard>),
}

impl PaneData {
    /// Adds `more` (the same pane's rows from another account) to these rows. Data of another pane
    /// is handed back.
    pub fn absorb(&mut self, more: PaneData) -> Result<(), PaneData> {
        match (self, more) {
            (Self::Findings(rows), Self::Findings(more)) => rows.extend(more),
            (Self::Certificates(rows), Self::Certificates(more)) => rows.extend(more),
            (Self::Secrets(rows), Self::Secrets(more)) => rows.extend(more),
            (Self::Users(report), Self::Users(more)) => {
                report.pools.extend(more.pools);
                report.anomalies.extend(more.anomalies);
            }
            (Self::Compliance(rows), Self::Compliance(more)) => rows.extend(more),
            (_, more) => return Err(more),
        }
        Ok(())
    }

    pub fn pane(&self) -> PaneId {
        match self {
            Self::Findings(_) => PaneId::Findings,
            Self::Certificates(_) => PaneId::Certificates,
            Self::Secrets(_) => PaneId::Secrets,
            Self::Users(_) => PaneId::Users,
            Self::Compliance(_) => PaneId::Compliance,
        }
    }
}

/// Who and where a request is made for: every fetch and action carries one, and every result
/// comes back with it, so a result is only ever installed into the view of its own context.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Context {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    pub account: String,
    pub region: String,
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.account, self.region)?;
        if let Some(profile) = &self.profile {
            write!(f, " (profile {profile})")?;
        }
        Ok(())
    }
}

/// A profile and region to connect with, as named on the command line; `None` leaves it to the
/// credential chain (`AWS_PROFILE`, `AWS_REGION`, the profile's region).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContextChoice {
    pub profile: Option<String>,
    pub region: Option<String>,
}

impl fmt::Display for ContextChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            self.profile.as_deref().unwrap_or("default"),
            self.region.as_deref().unwrap_or("(its region)")
        )
    }
}

/// Friendly names of accounts (Organizations ListAccounts, the demo's names), by account id. Rows
/// show the name where one is known and the id otherwise; the filter matches both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountNames(BTreeMap<String, String>);

impl AccountNames {
    /// No names: every account shows as its id.
    pub fn none() -> &'static Self {
        static NONE: AccountNames = AccountNames(BTreeMap::new());
        &NONE
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn insert(&mut self, id: impl Into<String>, name: impl Into<String>) {
        self.0.insert(id.into(), name.into());
    }

    pub fn name(&self, id: &str) -> Option<&str> {
        self.0.get(id).map(String::as_str)
    }

    /// The account as a row shows it: its name, else its id.
    pub fn label<'a>(&'a self, id: &'a str) -> &'a str {
        self.name(id).unwrap_or(id)
    }

    /// "shop-prod (111122223333)", or the id alone.
    pub fn long(&self, id: &str) -> String {
        match self.name(id) {
            Some(name) => format!("{name} ({id})"),
            None => id.to_string(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(id, name)| (id.as_str(), name.as_str()))
    }
}

impl AccountNames {
    /// Drops the names that could pass one account off as another: a name two accounts share, or
    /// a name of digits (which reads as an account id). Those accounts show as their ids. An
    /// account's name is chosen by whoever runs it.
    pub fn settled(mut self) -> Self {
        let mut uses: BTreeMap<String, usize> = BTreeMap::new();
        for name in self.0.values() {
            *uses.entry(name.trim().to_lowercase()).or_default() += 1;
        }
        self.0.retain(|_, name| {
            let key = name.trim().to_lowercase();
            !key.is_empty() && !key.bytes().all(|b| b.is_ascii_digit()) && uses.get(&key) == Some(&1)
        });
        self
    }
}

impl FromIterator<(String, String)> for AccountNames {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        Self(iter.into_iter().collect()).settled()
    }
}

/// `arn:partition:service:region:account:resource` → (region, account); empty where the ARN leaves
/// them out or is no ARN.
pub fn arn_place(arn: &str) -> (&str, &str) {
    let mut parts = arn.splitn(6, ':');
    match (parts.next(), parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("arn"), Some(_), Some(_), Some(region), Some(account)) => (region, account),
        _ => ("", ""),
    }
}

/// `arn:aws:ec2:us-east-1:1:instance/i-0abc` → `instance/i-0abc`; `arn:aws:s3:::bucket` → `bucket`;
/// anything that is no ARN as it is.
pub fn short_resource(arn: &str) -> &str {
    if !arn.starts_with("arn:") {
        return arn;
    }
    // arn:partition:service:region:account:resource (the resource may itself contain ':').
    let resource = arn.splitn(6, ':').nth(5).unwrap_or(arn);
    if resource.is_empty() { arn } else { resource }
}

/// Where one record lives, read from the record itself where it says so (a finding's account and
/// region, an ARN), else from the context it was fetched in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub account: String,
    pub region: String,
}

impl Placement {
    /// From an ARN (`arn:partition:service:region:account:resource`), with the context filling the
    /// parts the ARN leaves empty.
    pub fn from_arn(arn: &str, context: &Context) -> Self {
        let (region, account) = arn_place(arn);
        Self::or_context(account, region, context)
    }

    /// The given account and region, each falling back to the context's when empty.
    pub fn or_context(account: &str, region: &str, context: &Context) -> Self {
        let pick = |own: &str, fallback: &str| if own.is_empty() { fallback.to_string() } else { own.to_string() };
        Self { account: pick(account, &context.account), region: pick(region, &context.region) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Context {
        Context { profile: None, account: "111111111111".into(), region: "us-east-1".into() }
    }

    #[test]
    fn a_name_that_could_pass_for_another_account_is_not_shown() {
        let names: AccountNames = [
            ("111111111111", "shop-prod"),
            ("222222222222", "Shop-Prod "),
            ("333333333333", "111111111111"),
            ("444444444444", "payments"),
        ]
        .into_iter()
        .map(|(id, name)| (id.to_string(), name.to_string()))
        .collect();
        assert_eq!(names.label("111111111111"), "111111111111", "shared with another account");
        assert_eq!(names.label("222222222222"), "222222222222");
        assert_eq!(names.label("333333333333"), "333333333333", "digits read as an id");
        assert_eq!(names.label("444444444444"), "payments");
    }

    #[test]
    fn an_arn_places_its_record_and_the_context_fills_the_gaps() {
        let p = Placement::from_arn("arn:aws:acm:eu-west-1:222222222222:certificate/abc", &context());
        assert_eq!((p.account.as_str(), p.region.as_str()), ("222222222222", "eu-west-1"));
        let p = Placement::from_arn("arn:aws:s3:::bucket", &context());
        assert_eq!((p.account.as_str(), p.region.as_str()), ("111111111111", "us-east-1"));
        let p = Placement::from_arn("not an arn", &context());
        assert_eq!(p.account, "111111111111");
    }
}
