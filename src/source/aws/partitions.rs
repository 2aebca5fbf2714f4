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
use aws_sdk_securityhub::types::{
    AwsSecurityFinding, DateFilter, SortCriterion, SortOrder, StringFilter, StringFilterComparison,
};
use futures::StreamExt;
use std::collections::HashSet;
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

/// Every finding matching `base`, at most `limit`, the most severe label kept when the limit cuts:
/// partitions in order of severity, each handed to `page` as its pages arrive. A partition stops
/// once it and the more severe ones hold `limit` findings, since none of its later findings would
/// be kept. Each finding once (a finding whose label changed during the load can be read twice).
///
/// Every partition's oldest page goes out first, together. The partitions with more than a page
/// then page on side by side; when they are fewer than [`SPLIT`] (one label holding most findings,
/// as an account whose findings are mostly MEDIUM), they could not keep the budget busy (a
/// pagination is one page per round trip), and each is split by `CreatedAt` ([`load_split`]).
pub async fn load(
    source: &AwsSource,
    pane: &'static str,
    base: AwsSecurityFindingFiltersBuilder,
    sort: SortCriterion,
    limit: usize,
    page: impl Fn(&[AwsSecurityFinding]) + Sync,
) -> Result<Loaded, SourceError> {
    let read: [AtomicUsize; PARTITIONS] = Default::default();
    let (base, sort, read, page) = (&base, &sort, &read, &page);
    // Counts what partition `index` read and says whether to go on (the limit not reached).
    let counted = |index: usize, findings: &[AwsSecurityFinding]| {
        read[index].fetch_add(findings.len(), Ordering::Relaxed);
        page(findings);
        read[..=index].iter().map(|r| r.load(Ordering::Relaxed)).sum::<usize>() < limit
    };
    let oldest_first = |index| request(source, partition_filters(base, index), created(SortOrder::Ascending));
    let firsts: Vec<Result<Option<FirstPage>, SourceError>> = futures::future::join_all((0..PARTITIONS).map(|index| {
        let oldest_first = oldest_first(index);
        async move { pagination::first_page(source, pane, &oldest_first).await }
    }))
    .await;
    let more = firsts.iter().filter(|first| matches!(first, Ok(Some((_, Some(_)))))).count();
    let split = more < SPLIT;
    let counted = &counted;
    let results: Vec<Result<Loaded, SourceError>> = futures::stream::iter(firsts.into_iter().enumerate())
        .map(|(index, first)| async move {
            let oldest_first = oldest_first(index);
            let page = |findings: &[AwsSecurityFinding]| counted(index, findings);
            match first? {
                // A kept partial load of the partition resumes.
                None => pagination::security_hub_findings_paged(source, pane, oldest_first, limit, page).await,
                Some((findings, None)) => {
                    page(&findings);
                    Ok(Loaded { findings, capped: false, interrupted: None })
                }
                Some((findings, Some(token))) if split => {
                    let filters = partition_filters(base, index);
                    load_split(source, pane, (filters, sort, oldest_first), findings, token, limit, page).await
                }
                Some((findings, Some(token))) => {
                    let go_on = page(&findings);
                    if !go_on {
                        return Ok(Loaded { findings, capped: true, interrupted: None });
                    }
                    pagination::go_on_from_first_page(source, pane, &oldest_first, findings, token);
                    pagination::security_hub_findings_paged(source, pane, oldest_first, limit, page).await
                }
            }
        })
        .buffered(PARTITIONS_IN_FLIGHT)
        .collect()
        .await;
    merge(results, limit)
}

/// A partition's first page and its NextToken.
type FirstPage = (Vec<AwsSecurityFinding>, Option<String>);

fn request(
    source: &AwsSource,
    filters: AwsSecurityFindingFiltersBuilder,
    sort: SortCriterion,
) -> aws_sdk_securityhub::operation::get_findings::builders::GetFindingsFluentBuilder {
    source
        .client::<aws_sdk_securityhub::Client>()
        .get_findings()
        .filters(filters.build())
        .sort_criteria(sort)
        .max_results(100)
}

fn created(order: SortOrder) -> SortCriterion {
    SortCriterion::builder().field("CreatedAt").sort_order(order).build()
}

/// The rest of a partition with more than a page (`oldest`, its oldest page, and its `token`),
/// split: its newest page is read, and what lies between the two is cut by `CreatedAt` into
/// [`SPLIT`] ranges of equal time that page side by side (in the view's `sort`). A page in another
/// order is no sample to cut at: the order of findings that tie on the sort is unspecified (moto
/// returns them as they were imported, so a first page by severity is the oldest hundred). Each
/// finding is reported once (the ranges' shared instants read a few twice). When nothing lies
/// between the two pages (or every finding was created at one instant), the oldest page's
/// pagination goes on from its NextToken. Findings created after the newest page was read wait
/// for the next refresh's delta.
async fn load_split(
    source: &AwsSource,
    pane: &'static str,
    (filters, sort, oldest_first): (
        AwsSecurityFindingFiltersBuilder,
        &SortCriterion,
        aws_sdk_securityhub::operation::get_findings::builders::GetFindingsFluentBuilder,
    ),
    oldest: Vec<AwsSecurityFinding>,
    token: String,
    limit: usize,
    page: impl Fn(&[AwsSecurityFinding]) -> bool + Sync,
) -> Result<Loaded, SourceError> {
    let reported = std::sync::Mutex::new(HashSet::new());
    let once = |findings: &[AwsSecurityFinding]| {
        let mut reported = reported.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let new: Vec<AwsSecurityFinding> = findings.iter().filter(|f| reported.insert(identity(f))).cloned().collect();
        drop(reported);
        page(&new)
    };
    if !once(&oldest) {
        return Ok(Loaded { findings: oldest, capped: true, interrupted: None });
    }
    let newest_first = request(source, filters.clone(), created(SortOrder::Descending));
    let newest = match pagination::first_page(source, pane, &newest_first).await {
        Ok(Some((newest, _))) => newest,
        // Not split, then: the oldest page's pagination goes on.
        Ok(None) | Err(_) => Vec::new(),
    };
    // What lies between the two pages: after the oldest page's last finding, before the newest
    // page's last one.
    let bounds = oldest.last().and_then(|f| f.created_at()).zip(newest.last().and_then(|f| f.created_at()));
    let ranges = bounds.map(|(after, before)| created_ranges(after, before)).unwrap_or_default();
    if ranges.is_empty() {
        // The newest page is reported and counted now; the pagination's pages that hold it again
        // are not reported twice.
        if !once(&newest) {
            return Ok(Loaded { findings: [oldest, newest].concat(), capped: true, interrupted: None });
        }
        let kept = [oldest.clone(), newest].concat();
        pagination::go_on_from_first_page(source, pane, &oldest_first, oldest, token);
        let mut loaded =
            match pagination::security_hub_findings_paged(source, pane, oldest_first, limit, |f| once(f)).await {
                Ok(loaded) => loaded,
                // What the two pages read is kept and was shown: the failure interrupts, it does not erase.
                Err(error) => {
                    Loaded { findings: Vec::new(), capped: false, interrupted: Some(Interrupted { error, read: 0 }) }
                }
            };
        loaded.findings.splice(0..0, kept);
        loaded.findings = pagination::once_each(loaded.findings);
        if let Some(interrupted) = &mut loaded.interrupted {
            interrupted.read = loaded.findings.len();
        }
        return Ok(loaded);
    }
    tracing::debug!(pane, ranges = ranges.len(), "a partition too big to page alone, split by CreatedAt");
    let go_on = once(&newest);
    let mut results = vec![Ok(Loaded { findings: [oldest, newest].concat(), capped: !go_on, interrupted: None })];
    if go_on {
        let (once, filters) = (&once, &filters);
        let parts = ranges.iter().map(|(start, end)| async move {
            let range = DateFilter::builder().start(start).end(end).build();
            let ranged = request(source, filters.clone().created_at(range), sort.clone());
            pagination::security_hub_findings_paged(source, pane, ranged, limit, |f| once(f)).await
        });
        results.extend(futures::future::join_all(parts).await);
    }
    merge(results, limit)
}

fn identity(f: &AwsSecurityFinding) -> (String, String) {
    (f.id().unwrap_or_default().to_string(), f.product_arn().unwrap_or_default().to_string())
}

/// Paginations side by side that keep GetFindings' budget (3 a second) busy through round trips of
/// up to 1.3 s: fewer partitions with more than a page are each split into this many ranges
/// (few, since each range ends in a part-filled page).
pub const SPLIT: usize = 4;

/// [`SPLIT`] `CreatedAt` ranges of equal time from `after` to `before` (RFC 3339: the last
/// `CreatedAt` of a partition's oldest page and of its newest page, which hold everything outside
/// them), as (`Start`, `End`) pairs. Neighbours share their boundary instant, and the first and
/// last reach a millisecond into the two pages: AWS does not document whether `Start` and `End` are
/// inclusive, and an overlap reads a finding twice (merged), where a gap would lose it. None when
/// nothing lies between (the pages meet) or they are not timestamps.
pub fn created_ranges(after: &str, before: &str) -> Vec<(String, String)> {
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok().map(|t| t.with_timezone(&chrono::Utc));
    let (Some(after), Some(before)) = (parse(after), parse(before)) else { return Vec::new() };
    let span = (before - after).num_milliseconds();
    if span < SPLIT as i64 {
        return Vec::new();
    }
    // Written to the millisecond (sub-millisecond digits cut): the outer bounds a millisecond
    // wider than the pages' instants, so a finding that ties with a page's last one but did not fit
    // in it (150 imported at one instant) is read whether or not AWS counts the bound itself, and
    // cutting the digits never moves a bound inside. Inner bounds are one string for both
    // neighbours: whatever is cut, no instant falls between them.
    let stamp = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let (first, last) = (after - chrono::Duration::milliseconds(1), before + chrono::Duration::milliseconds(2));
    let inner = (1..SPLIT as i64).map(|i| stamp(after + chrono::Duration::milliseconds(span * i / SPLIT as i64)));
    let bounds: Vec<String> = std::iter::once(stamp(first)).chain(inner).chain([stamp(last)]).collect();
    bounds.windows(2).map(|w| (w[0].clone(), w[1].clone())).collect()
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
    fn created_ranges_cut_the_time_between_the_two_pages_without_a_gap() {
        let ranges = created_ranges("2026-11-01T00:00:00.000Z", "2026-11-05T00:00:00Z");
        assert_eq!(ranges.len(), SPLIT, "{ranges:?}");
        assert_eq!(ranges[0], ("2026-10-31T23:59:59.999Z".to_string(), "2026-11-02T00:00:00.000Z".to_string()));
        assert_eq!(ranges[SPLIT - 1].1, "2026-11-05T00:00:00.002Z", "past the newest page's last finding");
        for pair in ranges.windows(2) {
            assert_eq!(pair[0].1, pair[1].0, "neighbours share their boundary: no gap");
        }
    }

    /// ASFF timestamps may carry more than milliseconds: cutting the digits never leaves an
    /// instant between the pages and the ranges, nor between two ranges.
    #[test]
    fn created_ranges_leave_no_gap_at_sub_millisecond_instants() {
        let (after, before) = ("2026-11-01T10:00:00.000900Z", "2026-11-01T10:00:10.123456Z");
        let ranges = created_ranges(after, before);
        let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap();
        assert!(at(&ranges[0].0) < at(after), "{ranges:?}");
        assert!(at(&ranges[SPLIT - 1].1) > at(before), "{ranges:?}");
        for pair in ranges.windows(2) {
            assert_eq!(pair[0].1, pair[1].0);
        }
    }

    #[test]
    fn created_ranges_need_time_between_the_pages() {
        assert!(created_ranges("2026-11-03T10:00:00Z", "2026-11-03T10:00:00Z").is_empty(), "one instant");
        assert!(created_ranges("2026-11-04T10:00:00Z", "2026-11-03T10:00:00Z").is_empty(), "the pages meet");
        assert!(created_ranges("not a time", "2026-11-03T10:00:00Z").is_empty());
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
