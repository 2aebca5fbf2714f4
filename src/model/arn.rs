//! ARNs and where a record lives: the account and region an ARN names, the resource part people
//! read, and a record's [`Placement`].

use super::Context;
use serde::{Deserialize, Serialize};

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
    fn an_arn_places_its_record_and_the_context_fills_the_gaps() {
        let p = Placement::from_arn("arn:aws:acm:eu-west-1:222222222222:certificate/abc", &context());
        assert_eq!((p.account.as_str(), p.region.as_str()), ("222222222222", "eu-west-1"));
        let p = Placement::from_arn("arn:aws:s3:::bucket", &context());
        assert_eq!((p.account.as_str(), p.region.as_str()), ("111111111111", "us-east-1"));
        let p = Placement::from_arn("not an arn", &context());
        assert_eq!(p.account, "111111111111");
    }
}
