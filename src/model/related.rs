//! What ties records of different panes together: the same resource (an ARN, a load balancer a
//! certificate serves) or the same application, as far as names show it. AWS gives no application
//! id across these services; shops name things after the application (`prod/checkout/stripe-key`,
//! `checkout-alb`, `checkout.shop.example`), so the words of a name are the evidence, and the
//! listing says that a match is by name.

use std::collections::BTreeSet;

/// Words that name an environment, a kind of resource or a provider, never an application.
const NOT_AN_APPLICATION: &[&str] = &[
    "prod",
    "production",
    "prd",
    "dev",
    "development",
    "staging",
    "stage",
    "stg",
    "test",
    "testing",
    "qa",
    "uat",
    "sandbox",
    "demo",
    "api",
    "apis",
    "app",
    "apps",
    "application",
    "key",
    "keys",
    "secret",
    "secrets",
    "token",
    "tokens",
    "password",
    "passwd",
    "credential",
    "credentials",
    "creds",
    "master",
    "admin",
    "auth",
    "internal",
    "external",
    "public",
    "private",
    "service",
    "services",
    "svc",
    "alb",
    "nlb",
    "elb",
    "loadbalancer",
    "distribution",
    "function",
    "role",
    "user",
    "users",
    "pool",
    "userpool",
    "bucket",
    "instance",
    "cluster",
    "server",
    "web",
    "www",
    "com",
    "net",
    "org",
    "aws",
    "amazon",
    "arn",
    "http",
    "https",
    "the",
    "and",
    "for",
    "old",
    "new",
    "main",
    "default",
    "primary",
    "replica",
    "readonly",
    "write",
    "read",
    "rds",
    "ec2",
    "db",
    "database",
    "lambda",
    "iam",
    "kms",
    "acm",
    "certificate",
    "cert",
    "example",
    "restapis",
    "client",
    "endpoint",
    "vpn",
    "signing",
];

/// The words of a name that may name an application: lower-case, alphabetic, three letters or more,
/// not an environment or a kind of resource. `prod/checkout/stripe-api-key` → `checkout`, `stripe`.
pub fn application_words(name: &str) -> BTreeSet<String> {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_lowercase)
        .filter(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .filter(|w| !NOT_AN_APPLICATION.contains(&w.as_str()))
        .collect()
}

/// The name of a resource from its id or ARN: the part after the last `/` or `:` that is a name
/// (`arn:aws:elasticloadbalancing:...:loadbalancer/app/checkout-alb/3f2a` → `checkout-alb/3f2a`
/// without the id: the words do the rest).
pub fn resource_name(resource: &str) -> &str {
    super::arn::short_resource(resource)
}

/// A domain's application words: the labels left of the registrable domain
/// (`checkout.shop.example.com` → `checkout`); a two-label domain gives its first label.
pub fn domain_words(domain: &str) -> BTreeSet<String> {
    let domain = domain.trim_start_matches("*.");
    let labels: Vec<&str> = domain.split('.').collect();
    let keep = labels.len().saturating_sub(2).max(1).min(labels.len());
    application_words(&labels[..keep].join("."))
}

/// The words `words` shares with `other`, if any.
pub fn shared_words<'a>(words: &'a BTreeSet<String>, other: &BTreeSet<String>) -> Vec<&'a str> {
    words.iter().filter(|w| other.contains(*w)).map(String::as_str).collect()
}

/// The words of `words` that `name` has among its application words: what
/// `shared_words(words, &application_words(name))` gives, without building the name's words. For a
/// scan of every finding's resource (100k of them) while the words to look for are a few. `words`
/// must be application words (lower-case, none an environment or a kind of resource).
pub fn words_in_name<'a>(words: &'a BTreeSet<String>, name: &str) -> Vec<&'a str> {
    let tokens = || {
        name.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| t.len() >= 3 && t.chars().all(|c| c.is_ascii_alphabetic()))
    };
    words.iter().filter(|w| tokens().any(|t| t.eq_ignore_ascii_case(w))).map(String::as_str).collect()
}

/// Whether a certificate's `InUseBy` entry is `resource` (the entries are ARNs; a finding may name
/// the same load balancer by ARN).
pub fn serves(in_use_by: &[String], resource: &str) -> bool {
    !resource.is_empty() && in_use_by.iter().any(|arn| arn == resource)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_a_name_are_the_shared_application_words() {
        let words = application_words("prod/checkout/stripe-api-key payments");
        for name in [
            "loadbalancer/app/Checkout-ALB/3f2a",
            "i-0abc checkout prod",
            "STRIPE_webhook",
            "pay/payments2/x",
            "nothing-here",
            "",
            "checkout-checkout",
        ] {
            assert_eq!(words_in_name(&words, name), shared_words(&words, &application_words(name)), "{name}");
        }
    }

    fn words(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn application_words_leave_out_environments_kinds_and_ids() {
        assert_eq!(application_words("prod/checkout/stripe-api-key"), words(&["checkout", "stripe"]));
        assert_eq!(application_words("loadbalancer/app/checkout-alb/3f2a1b"), words(&["checkout"]));
        assert_eq!(application_words("arn:aws:s3:::shop-prod-exports"), words(&["exports", "shop"]));
        assert_eq!(application_words("i-0abc123def"), words(&[]), "ids are not words");
        assert_eq!(application_words("db"), words(&[]), "too short");
        assert_eq!(domain_words("checkout.shop.example.com"), words(&["checkout", "shop"]));
        assert_eq!(domain_words("*.payments.example.com"), words(&["payments"]));
        assert_eq!(domain_words("example.com"), words(&[]));
        assert_eq!(domain_words("localhost"), words(&["localhost"]));
        assert_eq!(shared_words(&words(&["checkout", "stripe"]), &words(&["checkout", "cart"])), ["checkout"]);
    }

    #[test]
    fn a_certificate_serves_the_resource_its_in_use_by_names() {
        let lb = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/checkout-alb/3f2a1b";
        assert!(serves(&[lb.to_string()], lb));
        assert!(!serves(&[lb.to_string()], "loadbalancer/app/checkout-alb/3f2a1b"));
        assert!(!serves(&[], ""));
    }
}
