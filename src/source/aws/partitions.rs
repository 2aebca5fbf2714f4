//! A cold load of findings at Security Hub's quota: the default query split into disjoint
//! partitions by severity label, paged concurrently, merged by identity.
//!
//! GetFindings allows 3 calls a second (burst 6) per account and region, and on AWS a page takes a
//! few hundred milliseconds, so one sequential pagination (each page waits for the previous page's
//! NextToken) reaches only 1-2 pages a second. Paginations of disjoint queries do not wait for each
//! other: together they keep the budget busy, and the budget ([`super::budget`]) keeps them under
//! the quota. Each partition is an ordinary resumable load ([`super::pagination`]): a failed page
//! keeps that partition's pages and NextToken, and the next load resumes it.

use super::AwsSource;
use super::pagination::{self, Interrupted, Loaded};
use crate::source::SourceError;
use aws_sdk_securityhub::types::builders::AwsSecurityFindingFiltersBuilder;
use aws_sdk_securityhub::types::{AwsSecurityFinding, SortCriterion, StringFilter, StringFilterComparison};
use futures::StreamExt;
use std::sync::atomic::{AtomicUsize, Ordering};

/// ASFF's severity labels, most severe first. Every finding Security Hub stores has one (it derives
/// the label from `Normalized` when a product sends only that).
const LABELS: [&str; 5] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"];

/// One partition per label (`SeverityLabel EQUALS label`) and one for any finding with none of
/// them (`SeverityLabel NOT_EQUALS` each label, joined by AND). Disjoint: a finding's label equals
/// at most one label, and a finding that matches an EQUALS partition fails that NOT_EQUALS.
/// Exhaustive: a label is one of the five (its EQUALS partition) or not (the last partition). The
/// last partition is empty on AWS; it costs one call and guards against a label added later.
pub const PARTITIONS: usize = LABELS.len() + 1;

/// Partitions paged at once: all of them. Their first pages go out together within the burst (6,
/// of which Vigil's bucket spends 5: [`super::budget::BURST_RESERVE`]); after that the budget, not
/// the number in flight, sets the pace (3 a second), and a partition that is still waiting for its
/// page leaves the tokens to the others. Fewer in flight would let one slow page idle the budget
/// again. Partitions only help while no one of them holds most findings: a partition pages alone
/// at one page per round trip (docs/performance.md, "Rate-limited fetch").
pub const PARTITIONS_IN_FLIGHT: usize = PARTITIONS;

fn label_filter(label: &str, comparison: StringFilterComparison) -> StringFilter {
    StringFilter::builder().value(label).comparison(comparison).build()
}

/// The filters of partition `index` (0 for CRITICAL ... 5 for no known label) over `base`.
fn partition_filters(base: &AwsSecurityFindingFiltersBuilder, index: usize) -> AwsSecurityFindingFiltersBuilder {
    match LABELS.get(index) {
        Some(label) => base.clone().severity_label(label_filter(label, StringFilterComparison::Equals)),
        None => LABELS
            .iter()
            .fold(base.clone(), |f, label| f.severity_label(label_filter(label, StringFilterComparison::NotEquals))),
    }
}

/// Every finding matching `base`, at most `limit`, the most severe kept when the limit cuts:
/// partitions in order of severity, each handed to `page` as its pages arrive. A partition stops
/// once it and the more severe ones hold `limit` findings, since none of its later findings would
/// be kept. Each finding once (a finding whose label changed during the load can be read twice).
pub async fn load(
    source: &AwsSource,
    pane: &'static str,
    base: AwsSecurityFindingFiltersBuilder,
    sort: SortCriterion,
    limit: usize,
    page: impl Fn(&[AwsSecurityFinding]),
) -> Result<Loaded, SourceError> {
    let read: [AtomicUsize; PARTITIONS] = Default::default();
    let (base, sort, read, page) = (&base, &sort, &read, &page);
    let results: Vec<Result<Loaded, SourceError>> = futures::stream::iter(0..PARTITIONS)
        .map(|index| async move {
            let request = source
                .client::<aws_sdk_securityhub::Client>()
                .get_findings()
                .filters(partition_filters(base, index).build())
                .sort_criteria(sort.clone())
                .max_results(100);
            pagination::security_hub_findings_paged(source, pane, request, limit, |findings| {
                read[index].fetch_add(findings.len(), Ordering::Relaxed);
                page(findings);
                read[..=index].iter().map(|r| r.load(Ordering::Relaxed)).sum::<usize>() < limit
            })
            .await
        })
        .buffered(PARTITIONS_IN_FLIGHT)
        .collect()
        .await;
    merge(results, limit)
}

/// The partitions' loads as one: an error when a partition failed and nothing at all was read (the
/// pane keeps its last good data); otherwise what was read, interrupted by the first failure.
fn merge(results: Vec<Result<Loaded, SourceError>>, limit: usize) -> Result<Loaded, SourceError> {
    let mut findings = Vec::new();
    let mut capped = false;
    let mut failure = None;
    let mut first_error = None;
    for result in results {
        match result {
            Ok(loaded) => {
                findings.extend(loaded.findings);
                capped |= loaded.capped;
                if let Some(interrupted) = loaded.interrupted {
                    failure.get_or_insert(interrupted.error);
                }
            }
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    let all_failed = findings.is_empty() && failure.is_none() && first_error.is_some();
    if let (true, Some(error)) = (all_failed, first_error.clone()) {
        return Err(error);
    }
    let mut findings = pagination::once_each(findings);
    if findings.len() > limit {
        findings.truncate(limit);
        capped = true;
    }
    let interrupted = failure.or(first_error).map(|error| Interrupted { error, read: findings.len() });
    Ok(Loaded { findings, capped, interrupted })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_securityhub::types::AwsSecurityFindingFilters;

    fn finding(id: &str) -> AwsSecurityFinding {
        AwsSecurityFinding::builder().id(id).product_arn("arn:p").build()
    }

    fn loaded(ids: &[&str]) -> Result<Loaded, SourceError> {
        Ok(Loaded { findings: ids.iter().map(|id| finding(id)).collect(), capped: false, interrupted: None })
    }

    fn labels(filters: &AwsSecurityFindingFilters) -> Vec<(String, String)> {
        filters
            .severity_label()
            .iter()
            .map(|f| (f.comparison().unwrap().as_str().to_string(), f.value().unwrap().to_string()))
            .collect()
    }

    #[test]
    fn partitions_are_one_label_each_then_none_of_them() {
        let base = AwsSecurityFindingFilters::builder();
        for (index, label) in LABELS.iter().enumerate() {
            let filters = partition_filters(&base, index).build();
            assert_eq!(labels(&filters), vec![("EQUALS".to_string(), label.to_string())]);
        }
        let rest = partition_filters(&base, PARTITIONS - 1).build();
        let expected: Vec<(String, String)> =
            LABELS.iter().map(|l| ("NOT_EQUALS".to_string(), l.to_string())).collect();
        assert_eq!(labels(&rest), expected);
    }

    #[test]
    fn partitions_keep_the_base_filters() {
        let base =
            AwsSecurityFindingFilters::builder().record_state(label_filter("ACTIVE", StringFilterComparison::Equals));
        for index in 0..PARTITIONS {
            assert_eq!(partition_filters(&base, index).build().record_state().len(), 1);
        }
    }

    #[test]
    fn merged_partitions_hold_each_finding_once_the_most_severe_first_within_the_limit() {
        let merged = merge(vec![loaded(&["c1"]), loaded(&["h1", "h2"]), loaded(&["c1", "m1"])], 10).unwrap();
        let ids: Vec<&str> = merged.findings.iter().map(|f| f.id().unwrap()).collect();
        assert_eq!(ids, vec!["h1", "h2", "c1", "m1"]);
        assert!(!merged.capped);
        let capped = merge(vec![loaded(&["c1", "c2"]), loaded(&["h1", "h2"])], 3).unwrap();
        let ids: Vec<&str> = capped.findings.iter().map(|f| f.id().unwrap()).collect();
        assert_eq!((ids, capped.capped), (vec!["c1", "c2", "h1"], true));
    }

    #[test]
    fn one_failed_partition_leaves_the_others_and_says_so() {
        let error =
            SourceError::Throttled { service: crate::source::Service::SecurityHub, message: "slow down".into() };
        let merged = merge(vec![loaded(&["c1"]), Err(error.clone()), loaded(&["m1"])], 10).unwrap();
        assert_eq!(merged.findings.len(), 2);
        let interrupted = merged.interrupted.unwrap();
        assert_eq!((interrupted.error, interrupted.read), (error.clone(), 2));
        assert_eq!(merge(vec![Err(error.clone()), Err(error.clone())], 10).unwrap_err(), error);
        assert!(merge(vec![loaded(&[]), loaded(&[])], 10).unwrap().interrupted.is_none());
    }
}
