//! Security Hub GetFindings loads that survive a failed page: what was read and the NextToken of
//! the page that failed are kept, per context, pane and query, and the next attempt starts from
//! that token instead of page 1. A load of 10,000 findings that fails on page 80 costs 20 more
//! pages on the retry, not 100.
//!
//! Every page waits for its budget ([`super::AwsSource::paced`]).

use super::budget::Service;
use super::{AwsSource, errors};
use crate::source::SourceError;
use crate::text::thousands;
use aws_sdk_securityhub::operation::get_findings::builders::GetFindingsFluentBuilder;
use aws_sdk_securityhub::types::AwsSecurityFinding;
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A kept partial load older than this starts again from page 1: the token may have expired and
/// the findings moved on.
pub const RESUME_WITHIN: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ResumeKey {
    account: String,
    region: String,
    pane: &'static str,
    /// The request without its token, as text: another filter or sort is another load.
    query: String,
}

#[derive(Debug)]
struct Partial {
    findings: Vec<AwsSecurityFinding>,
    /// How many of `findings` this load has reported already (a first page read ahead).
    reported: usize,
    next_token: String,
    pages: usize,
    saved: Instant,
}

/// The partial loads a source keeps, one per (context, pane, query).
#[derive(Debug, Default)]
pub struct ResumeMemory {
    partials: Mutex<HashMap<ResumeKey, Partial>>,
}

impl ResumeMemory {
    fn take(&self, key: &ResumeKey) -> Option<Partial> {
        let mut partials = self.partials.lock().unwrap_or_else(PoisonError::into_inner);
        partials.remove(key).filter(|p| p.saved.elapsed() < RESUME_WITHIN)
    }

    fn has(&self, key: &ResumeKey) -> bool {
        let partials = self.partials.lock().unwrap_or_else(PoisonError::into_inner);
        partials.get(key).is_some_and(|p| p.saved.elapsed() < RESUME_WITHIN)
    }

    /// Kept partial loads that can no longer resume go (a split range's key changes with the
    /// partition's newest finding, so its partial may never be asked for again).
    fn keep(&self, key: ResumeKey, partial: Partial) {
        let mut partials = self.partials.lock().unwrap_or_else(PoisonError::into_inner);
        partials.retain(|_, p| p.saved.elapsed() < RESUME_WITHIN);
        partials.insert(key, partial);
    }
}

/// A load that ended early: what was read is in [`Loaded::findings`].
#[derive(Debug, Clone)]
pub struct Interrupted {
    pub error: SourceError,
    /// Findings read so far, resumed pages included.
    pub read: usize,
}

impl Interrupted {
    /// "partial: 2,300 findings so far, resuming: <why>" (`what` names the records).
    pub fn note(&self, what: &str) -> String {
        format!("partial: {} {what} so far, resuming: {}", thousands(self.read), self.error)
    }

    /// The error, saying how much was read and that the next attempt resumes.
    pub fn into_error(self, what: &str) -> SourceError {
        let said = format!(" (partial: {} {what} so far, resuming)", thousands(self.read));
        match self.error {
            SourceError::Throttled { service, message } => {
                SourceError::Throttled { service, message: format!("{message}{said}") }
            }
            SourceError::Service { service, fault, message } => {
                SourceError::Service { service, fault, message: format!("{message}{said}") }
            }
            other => other,
        }
    }
}

/// The findings of one load, each once.
#[derive(Debug)]
pub struct Loaded {
    pub findings: Vec<AwsSecurityFinding>,
    /// Stopped at the limit.
    pub capped: bool,
    /// Stopped by a failure after some pages: the next load of the same query resumes.
    pub interrupted: Option<Interrupted>,
}

/// Every page of `request` (no token set) up to `limit` findings, resuming a kept partial load of
/// the same pane and query. A failure before anything was read is an error; after, the pages read
/// are returned with [`Loaded::interrupted`] and kept for the next attempt.
pub async fn security_hub_findings(
    source: &AwsSource,
    pane: &'static str,
    request: GetFindingsFluentBuilder,
    limit: usize,
) -> Result<Loaded, SourceError> {
    security_hub_findings_paged(source, pane, request, limit, |_| true).await
}

fn resume_key(source: &AwsSource, pane: &'static str, request: &GetFindingsFluentBuilder) -> ResumeKey {
    ResumeKey {
        account: source.info.account.clone(),
        region: source.info.region.clone(),
        pane,
        query: format!("{:?}", request.as_input()),
    }
}

/// Page 1 of `request` and its NextToken, to decide how to read the rest; `None` when a kept
/// partial load of the same query can resume instead (page it with
/// [`security_hub_findings_paged`]).
pub async fn first_page(
    source: &AwsSource,
    pane: &'static str,
    request: &GetFindingsFluentBuilder,
) -> Result<Option<(Vec<AwsSecurityFinding>, Option<String>)>, SourceError> {
    if source.resume.has(&resume_key(source, pane, request)) {
        return Ok(None);
    }
    let caller = source.caller(Service::SecurityHub);
    match source.paced(Service::SecurityHub, "GetFindings", request.clone().send()).await {
        Ok(out) => Ok(Some((out.findings().to_vec(), out.next_token().filter(|t| !t.is_empty()).map(str::to_string)))),
        Err(e) => Err(errors::classify(caller, "GetFindings", &e)),
    }
}

/// Reads on from page 1 (`findings`, with its `next_token`, already reported) as a resumed load
/// does: the next [`security_hub_findings_paged`] of `request` starts at the token.
pub fn go_on_from_first_page(
    source: &AwsSource,
    pane: &'static str,
    request: &GetFindingsFluentBuilder,
    findings: Vec<AwsSecurityFinding>,
    next_token: String,
) {
    let partial = Partial { reported: findings.len(), findings, next_token, pages: 1, saved: Instant::now() };
    source.resume.keep(resume_key(source, pane, request), partial);
}

/// [`security_hub_findings`], handing each page's findings (and a resumed load's kept ones) to
/// `page` as they arrive. `page` answers whether to go on: `false` ends the load there as
/// [`Loaded::capped`] (a cap shared with other loads was reached).
pub async fn security_hub_findings_paged(
    source: &AwsSource,
    pane: &'static str,
    request: GetFindingsFluentBuilder,
    limit: usize,
    mut page: impl FnMut(&[AwsSecurityFinding]) -> bool,
) -> Result<Loaded, SourceError> {
    let caller = source.caller(Service::SecurityHub);
    let key = resume_key(source, pane, &request);
    let (mut findings, mut token, mut pages, mut reported) = match source.resume.take(&key) {
        Some(p) => {
            tracing::info!(pane, pages = p.pages, read = p.findings.len(), "resuming GetFindings from its NextToken");
            (p.findings, Some(p.next_token), p.pages, p.reported)
        }
        None => (Vec::new(), None, 0, 0),
    };
    let mut resumed = token.is_some();
    // Findings handed to `page` so far: a resumed load's kept findings go with its first new page,
    // so a refused token (the load starts again) never reports them twice. A first page this load
    // read ahead and reported is not reported again when a refused token starts it over (its new
    // first page holds those findings).
    let read_ahead = reported;
    loop {
        let call = request.clone().set_next_token(token.clone()).send();
        match source.paced(Service::SecurityHub, "GetFindings", call).await {
            Ok(out) => {
                pages += 1;
                resumed = false;
                findings.extend(out.findings().iter().cloned());
                token = out.next_token().filter(|t| !t.is_empty()).map(str::to_string);
                let go_on = page(findings.get(reported..).unwrap_or_default());
                reported = reported.max(findings.len());
                if !go_on && token.is_some() {
                    return Ok(Loaded { findings: once_each(findings), capped: true, interrupted: None });
                }
                if findings.len() >= limit {
                    let mut findings = once_each(findings);
                    findings.truncate(limit);
                    let capped = findings.len() >= limit;
                    return Ok(Loaded { findings, capped, interrupted: None });
                }
                if token.is_none() {
                    return Ok(Loaded { findings: once_each(findings), capped: false, interrupted: None });
                }
            }
            Err(e) => {
                let error = errors::classify(caller, "GetFindings", &e);
                if resumed && error.kind() == crate::source::ErrorKind::Rejected {
                    // The kept token was refused (expired): start again from page 1, once.
                    tracing::info!(pane, "the kept NextToken was refused; loading from page 1");
                    (findings, token, pages, resumed, reported) = (Vec::new(), None, 0, false, read_ahead);
                    continue;
                }
                let Some(next_token) = token.filter(|_| !findings.is_empty()) else {
                    return Err(error);
                };
                let findings = once_each(findings);
                let read = findings.len();
                source.resume.keep(
                    key,
                    Partial { findings: findings.clone(), reported: 0, next_token, pages, saved: Instant::now() },
                );
                return Ok(Loaded { findings, capped: false, interrupted: Some(Interrupted { error, read }) });
            }
        }
    }
}

/// Each finding once (the last copy read wins): a finding that moved between pages while a load
/// was interrupted is not shown twice.
pub(super) fn once_each(findings: Vec<AwsSecurityFinding>) -> Vec<AwsSecurityFinding> {
    let mut seen = HashSet::new();
    let mut kept: Vec<AwsSecurityFinding> = findings
        .into_iter()
        .rev()
        .filter(|f| {
            seen.insert((f.id().unwrap_or_default().to_string(), f.product_arn().unwrap_or_default().to_string()))
        })
        .collect();
    kept.reverse();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(id: &str, title: &str) -> AwsSecurityFinding {
        AwsSecurityFinding::builder().id(id).product_arn("arn:p").title(title).build()
    }

    #[test]
    fn each_finding_once_the_last_copy_wins_and_the_order_holds() {
        let kept = once_each(vec![finding("a", "1"), finding("b", "1"), finding("a", "2"), finding("c", "1")]);
        let ids: Vec<(&str, &str)> = kept.iter().map(|f| (f.id().unwrap(), f.title().unwrap())).collect();
        assert_eq!(ids, vec![("b", "1"), ("a", "2"), ("c", "1")]);
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(2300), "2,300");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn an_interrupted_load_says_so_and_keeps_its_kind() {
        let interrupted = Interrupted {
            error: SourceError::Throttled {
                service: crate::source::Service::SecurityHub,
                message: "GetFindings: slow down".into(),
            },
            read: 2300,
        };
        assert!(interrupted.note("findings").starts_with("partial: 2,300 findings so far, resuming: throttled"));
        let error = interrupted.into_error("control findings");
        assert_eq!(error.kind(), crate::source::ErrorKind::Throttled);
        assert!(error.to_string().ends_with("(partial: 2,300 control findings so far, resuming)"), "{error}");
    }
}
