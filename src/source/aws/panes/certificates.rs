//! ACM: ListCertificates for every key type (the API lists only RSA_2048 unless asked), then
//! DescribeCertificate for renewal and in-use details, a few at a time and within ACM's rate budget.

use crate::source::aws::ClientSettings;
use crate::source::aws::clients::{Clients, settings_of};
use futures::future::BoxFuture;
use crate::source::aws::budget::Service;
use crate::source::aws::time::from_smithy;
use crate::source::aws::{AwsSource, errors};
use crate::model::{Certificate, CertificateKind, CertificateStatus, RenewalStatus};
use crate::source::{PaneData, Progress, SourceError};
use aws_sdk_acm::types::{CertificateDetail, Filters, KeyAlgorithm};
use futures::{StreamExt, TryStreamExt};

const DESCRIBE_CONCURRENCY: usize = 4;
/// Certificates described before their rows are reported (ACM allows 10 DescribeCertificate a
/// second: a batch is a few seconds' work at most).
const REPORT_EVERY: usize = 25;

/// Every certificate, described; each batch of [`REPORT_EVERY`] is reported to `progress` once
/// described.
pub async fn fetch(source: &AwsSource, progress: &Progress) -> Result<Vec<Certificate>, SourceError> {
    let caller = source.caller(Service::Acm);
    let key_types = vec![
        KeyAlgorithm::Rsa1024,
        KeyAlgorithm::Rsa2048,
        KeyAlgorithm::Rsa3072,
        KeyAlgorithm::Rsa4096,
        KeyAlgorithm::EcPrime256v1,
        KeyAlgorithm::EcSecp384r1,
        KeyAlgorithm::EcSecp521r1,
    ];
    let mut pages = source
        .client::<aws_sdk_acm::Client>()
        .list_certificates()
        .includes(Filters::builder().set_key_types(Some(key_types)).build())
        .max_items(1000)
        .into_paginator()
        .send();
    let mut certificates = Vec::new();
    while let Some(page) = source.paced(Service::Acm, "ListCertificates", pages.next()).await {
        let page = page.map_err(|e| errors::classify(caller, "ListCertificates", &e))?;
        let arns: Vec<String> =
            page.certificate_summary_list().iter().filter_map(|s| s.certificate_arn().map(str::to_string)).collect();
        // A list page holds up to 1,000 certificates, each needing its own DescribeCertificate:
        // the rows are reported in smaller batches as they are described.
        for batch in arns.chunks(REPORT_EVERY) {
            let described = describe(source, batch).await?;
            if progress.is_wanted() && !described.is_empty() {
                progress.rows(PaneData::Certificates(described.clone()));
            }
            certificates.extend(described);
        }
    }
    source.remember_certificate_uses(&certificates);
    Ok(certificates)
}

async fn describe(source: &AwsSource, arns: &[String]) -> Result<Vec<Certificate>, SourceError> {
    let caller = source.caller(Service::Acm);
    futures::stream::iter(arns.to_vec())
        .map(|arn| async move {
            let call = source.client::<aws_sdk_acm::Client>().describe_certificate().certificate_arn(&arn).send();
            let out = source
                .paced(Service::Acm, "DescribeCertificate", call)
                .await
                .map_err(|e| errors::classify(caller, "DescribeCertificate", &e))?;
            Ok::<_, SourceError>(out.certificate().map(map_certificate))
        })
        .buffered(DESCRIBE_CONCURRENCY)
        .try_filter_map(|c| async move { Ok(c) })
        .try_collect()
        .await
}

fn map_certificate(c: &CertificateDetail) -> Certificate {
    let kind = match c.r#type().map(|t| t.as_str()) {
        Some("IMPORTED") => CertificateKind::Imported,
        Some("PRIVATE") => CertificateKind::Private,
        _ => CertificateKind::AmazonIssued,
    };
    let domain = c.domain_name().unwrap_or_default().to_string();
    Certificate {
        arn: c.certificate_arn().unwrap_or_default().to_string(),
        alternative_names: c.subject_alternative_names().iter().filter(|n| **n != domain).cloned().collect(),
        domain,
        kind,
        status: c.status().and_then(|s| CertificateStatus::parse(s.as_str())).unwrap_or(CertificateStatus::Failed),
        not_after: from_smithy(c.not_after()),
        in_use_by: c.in_use_by().to_vec(),
        renewal_eligible: c.renewal_eligibility().is_some_and(|r| r.as_str() == "ELIGIBLE"),
        exportable: c.options().and_then(|o| o.export()).is_some_and(|e| e.as_str() == "ENABLED"),
        renewal_status: c.renewal_summary().and_then(|r| RenewalStatus::parse(r.renewal_status().as_str())),
        failure_reason: c
            .failure_reason()
            .map(|f| f.as_str().to_string())
            .or_else(|| c.renewal_summary().and_then(|r| r.renewal_status_reason()).map(|r| r.as_str().to_string())),
        key_algorithm: c.key_algorithm().map(|k| k.as_str().to_string()).unwrap_or_default(),
        issuer: c.issuer().map(str::to_string),
    }
}

pub struct Pane;

impl super::AwsPane for Pane {
    type Model = crate::model::panes::certificates::Pane;
    const CLIENTS: &'static [fn(&Clients) -> ClientSettings] = &[settings_of::<aws_sdk_acm::Client>];

    fn fetch<'a>(
        source: &'a AwsSource,
        _now: crate::model::Timestamp,
        _options: crate::source::FetchOptions,
        progress: &'a crate::source::Progress,
    ) -> BoxFuture<'a, Result<crate::source::Fetched, SourceError>> {
        Box::pin(source.each_account(move |i| async move {
            fetch(source.account_source(i), progress).await.map(|c| PaneData::Certificates(c).into())
        }))
    }

    fn apply<'a>(
        source: &'a AwsSource,
        action: &'a crate::model::panes::certificates::Action,
        targets: &'a [crate::model::triage::Target],
    ) -> BoxFuture<'a, Vec<crate::model::triage::TargetOutcome>> {
        Box::pin(crate::source::aws::actions::certificates(source, action, targets))
    }
}
