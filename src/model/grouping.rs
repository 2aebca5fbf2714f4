//! Findings folded into groups, as Security Hub insights group them: by type, resource, product,
//! account or control. One group per distinct key, ordered by its most important finding, with
//! the counts and the worst severity an engineer decides on before opening it.

use super::finding::Finding;
use super::severity::SeverityLabel;
use super::time::Timestamp;
use serde::Serialize;
use std::collections::HashMap;

/// What the findings are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    Type,
    Resource,
    Product,
    Account,
    Control,
}

/// The group of findings without the key (a GuardDuty finding has no control).
pub const NO_CONTROL: &str = "(no control)";

impl GroupBy {
    /// In the order `z` cycles through them.
    pub const ALL: [GroupBy; 5] = [Self::Type, Self::Resource, Self::Product, Self::Account, Self::Control];

    pub fn name(self) -> &'static str {
        match self {
            Self::Type => "type",
            Self::Resource => "resource",
            Self::Product => "product",
            Self::Account => "account",
            Self::Control => "control",
        }
    }

    /// The names `:group` and `--group-by` accept (a plural or the column's title too).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase();
        let text = text.strip_suffix('s').unwrap_or(&text);
        match text {
            "type" | "finding-type" => Some(Self::Type),
            "resource" | "arn" => Some(Self::Resource),
            "product" | "source" => Some(Self::Product),
            "account" => Some(Self::Account),
            "control" | "control-id" => Some(Self::Control),
            _ => None,
        }
    }

    /// The names, for messages: "type, resource, product, account or control".
    pub fn list() -> String {
        let names: Vec<&str> = Self::ALL.iter().map(|g| g.name()).collect();
        match names.split_last() {
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }

    /// The next grouping after `current`; after the last one, none (the flat list again).
    pub fn cycle(current: Option<Self>) -> Option<Self> {
        match current {
            None => Some(Self::ALL[0]),
            Some(g) => Self::ALL.iter().position(|&x| x == g).and_then(|i| Self::ALL.get(i + 1)).copied(),
        }
    }

    /// The finding's key: the raw value (an account id, not its name).
    pub fn key_of(self, finding: &Finding) -> &str {
        match self {
            Self::Type => &finding.finding_type,
            Self::Resource => &finding.resource,
            Self::Product => finding.product.id(),
            Self::Account => &finding.account_id,
            Self::Control => finding.control_id.as_deref().unwrap_or(NO_CONTROL),
        }
    }
}

/// One group, as `snapshot --group-by` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    pub key: String,
    /// The account's name, when grouped by account and the account has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub count: usize,
    pub max_severity: SeverityLabel,
    /// The highest risk score in the group (see `risk`).
    pub max_risk: u8,
    /// Findings per severity label.
    pub severities: SeverityCounts,
    /// Distinct resources and accounts among the group's findings, and its products (ids, as in
    /// the findings' `product`).
    pub resources: usize,
    pub accounts: usize,
    pub products: Vec<String>,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    /// The group's findings, most important first (their `id`s).
    pub finding_ids: Vec<String>,
}

/// How many findings of each severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SeverityCounts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub informational: usize,
}

impl SeverityCounts {
    pub fn add(&mut self, severity: SeverityLabel) {
        *self.of_mut(severity) += 1;
    }

    pub fn of(&self, severity: SeverityLabel) -> usize {
        let mut copy = *self;
        *copy.of_mut(severity)
    }

    fn of_mut(&mut self, severity: SeverityLabel) -> &mut usize {
        match severity {
            SeverityLabel::Critical => &mut self.critical,
            SeverityLabel::High => &mut self.high,
            SeverityLabel::Medium => &mut self.medium,
            SeverityLabel::Low => &mut self.low,
            SeverityLabel::Informational => &mut self.informational,
        }
    }

    /// "C3 H20 M1": the labels with any, worst first.
    pub fn compact(&self) -> String {
        let parts: Vec<String> = SeverityLabel::ALL
            .into_iter()
            .filter(|&s| self.of(s) > 0)
            .map(|s| format!("{}{}", &s.short()[..1], self.of(s)))
            .collect();
        parts.join(" ")
    }
}

/// Groups `findings` (given in priority order) by `by`: each group in the order of its first
/// finding, so the group holding the most important finding comes first.
pub fn summarise<'a>(findings: impl IntoIterator<Item = &'a Finding>, by: GroupBy) -> Vec<GroupSummary> {
    struct Building<'a> {
        summary: GroupSummary,
        resources: std::collections::HashSet<&'a str>,
        accounts: std::collections::HashSet<&'a str>,
    }
    let mut position: HashMap<&'a str, usize> = HashMap::new();
    let mut groups: Vec<Building<'a>> = Vec::new();
    for finding in findings {
        let key = by.key_of(finding);
        let at = *position.entry(key).or_insert_with(|| {
            groups.push(Building {
                summary: GroupSummary {
                    key: key.to_string(),
                    name: None,
                    count: 0,
                    max_severity: finding.severity,
                    max_risk: 0,
                    severities: SeverityCounts::default(),
                    resources: 0,
                    accounts: 0,
                    products: Vec::new(),
                    first_seen: finding.first_seen,
                    last_seen: finding.last_seen,
                    finding_ids: Vec::new(),
                },
                resources: Default::default(),
                accounts: Default::default(),
            });
            groups.len() - 1
        });
        let group = &mut groups[at];
        let s = &mut group.summary;
        s.count += 1;
        s.max_severity = s.max_severity.max(finding.severity);
        s.max_risk = s.max_risk.max(finding.risk.score);
        s.first_seen = s.first_seen.min(finding.first_seen);
        s.last_seen = s.last_seen.max(finding.last_seen);
        s.finding_ids.push(finding.id.clone());
        let product = finding.product.id();
        if !s.products.iter().any(|p| p == product) {
            s.products.push(product.to_string());
        }
        s.severities.add(finding.severity);
        group.resources.insert(&finding.resource);
        group.accounts.insert(&finding.account_id);
    }
    groups
        .into_iter()
        .map(|mut g| {
            g.summary.resources = g.resources.len();
            g.summary.accounts = g.accounts.len();
            g.summary
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::finding::{FindingOrigin, Product, RecordState, WorkflowStatus};
    use chrono::{TimeZone, Utc};

    fn finding(id: &str, kind: &str, resource: &str, severity: SeverityLabel, day: u32) -> Finding {
        let at = Utc.with_ymd_and_hms(2026, 11, day, 0, 0, 0).unwrap();
        Finding {
            id: id.into(),
            guardduty_id: None,
            product_arn: None,
            severity,
            severity_score: 0,
            title: "t".into(),
            description: "".into(),
            finding_type: kind.into(),
            resource_type: "AwsS3Bucket".into(),
            resource: resource.into(),
            product: Product::GuardDuty,
            workflow_status: WorkflowStatus::New,
            record_state: RecordState::Active,
            sources: vec![FindingOrigin::Guardduty],
            count: 1,
            account_id: "111111111111".into(),
            region: "eu-west-1".into(),
            first_seen: at,
            last_seen: at,
            updated_at: at,
            control_id: None,
            details: vec![],
            risk: Default::default(),
        }
    }

    #[test]
    fn groups_come_in_the_order_of_their_first_finding_with_counts_and_the_worst_severity() {
        use SeverityLabel::*;
        let findings = [
            finding("a", "Recon", "bucket-1", Medium, 3),
            finding("b", "Exfil", "bucket-1", Critical, 5),
            finding("c", "Recon", "bucket-2", High, 1),
            finding("d", "Recon", "bucket-1", Low, 9),
        ];
        let groups = summarise(&findings, GroupBy::Type);
        assert_eq!(groups.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(), ["Recon", "Exfil"]);
        let recon = &groups[0];
        assert_eq!((recon.count, recon.max_severity, recon.resources, recon.accounts), (3, High, 2, 1));
        assert_eq!(recon.severities.compact(), "H1 M1 L1");
        assert_eq!(recon.severities.of(Critical), 0);
        assert_eq!(recon.finding_ids, ["a", "c", "d"]);
        assert_eq!(
            (recon.first_seen.format("%d").to_string(), recon.last_seen.format("%d").to_string()),
            ("01".into(), "09".into())
        );
        let by_resource = summarise(&findings, GroupBy::Resource);
        assert_eq!(
            by_resource.iter().map(|g| (g.key.as_str(), g.count)).collect::<Vec<_>>(),
            [("bucket-1", 3), ("bucket-2", 1)]
        );
        assert_eq!(summarise(&findings, GroupBy::Control)[0].key, NO_CONTROL);
        assert_eq!(summarise(&findings, GroupBy::Product)[0].products, ["guardduty"]);
        assert!(summarise(&[], GroupBy::Account).is_empty());
    }

    #[test]
    fn names_parse_and_the_cycle_ends_in_the_flat_list() {
        for g in GroupBy::ALL {
            assert_eq!(GroupBy::parse(g.name()), Some(g));
            assert_eq!(GroupBy::parse(&format!("{}s", g.name().to_uppercase())), Some(g));
        }
        assert_eq!(GroupBy::parse("severity"), None);
        let mut seen = vec![];
        let mut g = GroupBy::cycle(None);
        while let Some(x) = g {
            seen.push(x);
            g = GroupBy::cycle(g);
        }
        assert_eq!(seen, GroupBy::ALL);
        assert_eq!(GroupBy::list(), "type, resource, product, account or control");
    }
}
