//! Security Hub standards and controls, and the score computed from control findings, since no API
//! returns it: enabled standards, their control definitions, each control's association status, and
//! every active control finding grouped by `Compliance.SecurityControlId`.

use crate::source::aws::ClientSettings;
use crate::source::aws::clients::{Clients, settings_of};
use futures::future::BoxFuture;
use crate::source::aws::budget::Service;
use crate::source::aws::{AwsSource, errors, pagination};
use crate::model::compliance::{ComplianceStatus, ControlEvidence, account_scores, control_status};
use crate::model::{Control, SeverityLabel, Standard};
use crate::source::{Fetched, PaneData, SourceError};
use aws_sdk_securityhub::types::{
    AwsSecurityFindingFilters, StandardsControlAssociationId, StringFilter, StringFilterComparison,
};
use std::collections::HashMap;

/// One control finding's contribution, with the standards it names.
struct Evidence {
    standards: Vec<String>,
    /// The account the control finding is about (an administrator sees its members').
    account: String,
    evidence: ControlEvidence,
    /// `Compliance.RelatedRequirements`.
    requirements: Vec<String>,
}

pub async fn fetch(source: &AwsSource) -> Result<Fetched, SourceError> {
    let caller = source.caller(Service::SecurityHub);
    let sh = &source.client::<aws_sdk_securityhub::Client>();

    let mut enabled = Vec::new();
    let mut pages = sh.get_enabled_standards().into_paginator().send();
    while let Some(page) = source.paced(Service::SecurityHub, "GetEnabledStandards", pages.next()).await {
        let page = page.map_err(|e| errors::classify(caller, "GetEnabledStandards", &e))?;
        enabled.extend(page.standards_subscriptions().iter().filter_map(|s| s.standards_arn().map(str::to_string)));
    }
    if enabled.is_empty() {
        return Err(SourceError::NotEnabled {
            service: Service::SecurityHub,
            hint: "no standard is enabled: enable one in Security Hub to get a security score".into(),
        });
    }
    let mut names = HashMap::new();
    let mut pages = sh.describe_standards().into_paginator().send();
    while let Some(page) = source.paced(Service::SecurityHub, "DescribeStandards", pages.next()).await {
        let page = page.map_err(|e| errors::classify(caller, "DescribeStandards", &e))?;
        for s in page.standards() {
            if let (Some(arn), Some(name)) = (s.standards_arn(), s.name()) {
                names.insert(arn.to_string(), name.to_string());
            }
        }
    }

    let (evidence, capped) = control_findings(source).await?;
    let mut standards = Vec::new();
    for arn in enabled {
        let mut definitions = Vec::new();
        let mut pages =
            sh.list_security_control_definitions().standards_arn(&arn).max_results(100).into_paginator().send();
        while let Some(page) = source.paced(Service::SecurityHub, "ListSecurityControlDefinitions", pages.next()).await
        {
            let page = page.map_err(|e| errors::classify(caller, "ListSecurityControlDefinitions", &e))?;
            for d in page.security_control_definitions() {
                let id = d.security_control_id().unwrap_or_default().to_string();
                let severity =
                    d.severity_rating().and_then(|s| SeverityLabel::parse(s.as_str())).unwrap_or(SeverityLabel::Medium);
                let remediation = d.remediation_url().filter(|u| !u.is_empty()).map(str::to_string);
                definitions.push((id, d.title().unwrap_or_default().to_string(), severity, remediation));
            }
        }
        let mut disabled = std::collections::HashSet::new();
        for chunk in definitions.chunks(100) {
            let ids = chunk
                .iter()
                .map(|(id, _, _, _)| {
                    StandardsControlAssociationId::builder().security_control_id(id).standards_arn(&arn).build()
                })
                .collect();
            let call =
                sh.batch_get_standards_control_associations().set_standards_control_association_ids(Some(ids)).send();
            let out = source
                .paced(Service::SecurityHub, "BatchGetStandardsControlAssociations", call)
                .await
                .map_err(|e| errors::classify(caller, "BatchGetStandardsControlAssociations", &e))?;
            for detail in out.standards_control_association_details() {
                if detail.association_status().map(|s| s.as_str()) == Some("DISABLED") {
                    disabled.insert(detail.security_control_id().unwrap_or_default().to_string());
                }
            }
        }
        // Per account, where the findings span several: each account judged on its own findings.
        let by_account: HashMap<String, Vec<(String, ControlEvidence)>> = evidence
            .iter()
            .map(|(id, list)| {
                let list =
                    list.iter().filter(|e| names_standard(&e.standards, &arn)).map(|e| (e.account.clone(), e.evidence));
                (id.clone(), list.collect())
            })
            .collect();
        let mut accounts =
            account_scores(definitions.iter().map(|(id, _, _, _)| (id.as_str(), !disabled.contains(id))), &by_account);
        if accounts.len() < 2 {
            accounts.clear();
        }
        let controls = definitions
            .into_iter()
            .map(|(id, title, severity, remediation_url)| {
                let mine: Vec<&Evidence> = evidence
                    .get(&id)
                    .map(|list| list.iter().filter(|e| names_standard(&e.standards, &arn)).collect())
                    .unwrap_or_default();
                let items: Vec<ControlEvidence> = mine.iter().map(|e| e.evidence).collect();
                let requirements: std::collections::BTreeSet<&String> =
                    mine.iter().flat_map(|e| &e.requirements).collect();
                let enabled = !disabled.contains(&id);
                let count = |status| {
                    if enabled { items.iter().filter(|e| e.counts && e.status == status).count() as u32 } else { 0 }
                };
                Control {
                    status: control_status(enabled, items.iter().copied()),
                    failed_resources: count(ComplianceStatus::Failed),
                    passed_resources: count(ComplianceStatus::Passed),
                    requirements: requirements.into_iter().cloned().collect(),
                    id,
                    title,
                    severity,
                    remediation_url,
                }
            })
            .collect();
        standards.push(Standard {
            name: names.get(&arn).cloned().unwrap_or_else(|| arn.clone()),
            arn,
            controls,
            accounts,
        });
    }
    let warnings = if capped {
        vec![format!(
            "read the first {} control findings only (cap): scores may be off",
            source.limits.control_findings
        )]
    } else {
        Vec::new()
    };
    Ok(Fetched { data: PaneData::Compliance(standards), warnings, cached_at: None, resynced_at: None })
}

/// Security Hub's own product ARN in a region: `arn:<partition>:securityhub:<region>::product/aws/securityhub`.
pub fn securityhub_product_arn(region: &str) -> String {
    format!("arn:{}:securityhub:{region}::product/aws/securityhub", crate::source::aws::partition(region))
}

/// GetFindings takes at most this many values a filter attribute.
const VALUES_PER_FILTER: usize = 20;

/// The product ARNs of Security Hub's own control findings in what this context reads: its own
/// region's; in an aggregation region, every linked region's too, since there a control fails when
/// it fails in any linked region and those findings keep their own region's product ARN. "All
/// regions" is the partition's regions (a region the account has not enabled has no findings).
pub fn control_product_arns(region: &str, aggregation: Option<&crate::source::Aggregation>) -> Vec<String> {
    use crate::source::LinkedRegions;
    let mut regions = vec![region.to_string()];
    if let Some(aggregation) = aggregation.filter(|a| a.region.as_deref() == Some(region)) {
        let everywhere = || crate::model::partition::Partition::of(region).regions.iter().map(|r| r.to_string());
        match &aggregation.linked {
            LinkedRegions::NoRegions => {}
            LinkedRegions::Only(linked) => regions.extend(linked.iter().cloned()),
            LinkedRegions::All => regions.extend(everywhere()),
            LinkedRegions::AllExcept(but) => regions.extend(everywhere().filter(|r| !but.contains(r))),
        }
    }
    let mut seen = std::collections::HashSet::new();
    regions.retain(|r| seen.insert(r.clone()));
    regions.iter().map(|r| securityhub_product_arn(r)).collect()
}

/// A finding lists its standards as `standards/aws-foundational-security-best-practices/v/1.0.0`;
/// the standard's ARN ends with that. A finding that names none counts for every standard.
fn names_standard(standards: &[String], arn: &str) -> bool {
    standards.is_empty() || standards.iter().any(|id| arn.ends_with(id.as_str()))
}

/// A failed page is an error that says how many were read; the next load resumes from that page.
async fn control_findings(source: &AwsSource) -> Result<(HashMap<String, Vec<Evidence>>, bool), SourceError> {
    let equals = |v: &str| StringFilter::builder().value(v).comparison(StringFilterComparison::Equals).build();
    // Control findings are selected by what cannot be renamed: Security Hub's own product ARN (its
    // display name changed to "Security Hub CSPM" in 2025) of every region this context reads, and
    // below, the control id field. Twenty values a filter: more regions take more queries.
    let products = control_product_arns(&source.info.region, source.info.aggregation.as_ref());
    let mut findings = Vec::new();
    let mut capped = false;
    for chunk in products.chunks(VALUES_PER_FILTER) {
        let mut filters = AwsSecurityFindingFilters::builder().record_state(equals("ACTIVE"));
        for product in chunk {
            filters = filters.product_arn(equals(product));
        }
        let request =
            source.client::<aws_sdk_securityhub::Client>().get_findings().filters(filters.build()).max_results(100);
        let room = source.limits.control_findings.saturating_sub(findings.len());
        let loaded = pagination::security_hub_findings(source, "compliance", request, room).await?;
        if let Some(interrupted) = loaded.interrupted {
            // Scores from part of the findings would be wrong: the last good scores stay on screen.
            return Err(interrupted.into_error("control findings"));
        }
        capped |= loaded.capped;
        findings.extend(loaded.findings);
        if room == 0 || capped {
            capped = true;
            break;
        }
    }
    let mut by_control: HashMap<String, Vec<Evidence>> = HashMap::new();
    {
        for f in &findings {
            let Some(compliance) = f.compliance() else {
                continue;
            };
            let (Some(id), Some(status)) = (compliance.security_control_id(), compliance.status()) else {
                continue;
            };
            let Some(status) = ComplianceStatus::parse(status.as_str()) else {
                continue;
            };
            let suppressed = f.workflow().and_then(|w| w.status()).map(|s| s.as_str()) == Some("SUPPRESSED");
            by_control.entry(id.to_string()).or_default().push(Evidence {
                standards: compliance
                    .associated_standards()
                    .iter()
                    .filter_map(|s| s.standards_id().map(str::to_string))
                    .collect(),
                account: f.aws_account_id().unwrap_or_default().to_string(),
                evidence: ControlEvidence { status, counts: !suppressed },
                requirements: compliance.related_requirements().to_vec(),
            });
        }
    }
    Ok((by_control, capped))
}

pub struct Pane;

impl super::AwsPane for Pane {
    type Model = crate::model::panes::compliance::Pane;
    const CLIENTS: &'static [fn(&Clients) -> ClientSettings] = &[settings_of::<aws_sdk_securityhub::Client>];

    fn fetch<'a>(
        source: &'a AwsSource,
        _now: crate::model::Timestamp,
        _options: crate::source::FetchOptions,
        _progress: &'a crate::source::Progress,
    ) -> BoxFuture<'a, Result<crate::source::Fetched, SourceError>> {
        Box::pin(fetch(source))
    }
}

#[cfg(test)]
mod tests {
    use super::{control_product_arns, securityhub_product_arn};
    use crate::source::{Aggregation, LinkedRegions};

    #[test]
    fn an_aggregation_region_reads_every_linked_regions_control_findings() {
        let aggregation = |linked| Aggregation { region: Some("eu-west-1".into()), linked, accounts: None };
        let arns = |a: Option<&Aggregation>, region: &str| control_product_arns(region, a);
        assert_eq!(arns(None, "eu-west-1"), ["arn:aws:securityhub:eu-west-1::product/aws/securityhub"]);
        let only = aggregation(LinkedRegions::Only(vec!["us-east-1".into(), "eu-west-1".into()]));
        assert_eq!(
            arns(Some(&only), "eu-west-1"),
            ["arn:aws:securityhub:eu-west-1::product/aws/securityhub", "arn:aws:securityhub:us-east-1::product/aws/securityhub"]
        );
        assert_eq!(arns(Some(&only), "us-east-1").len(), 1, "a linked region reads its own");
        let all = arns(Some(&aggregation(LinkedRegions::All)), "eu-west-1");
        assert_eq!(all.len(), crate::model::partition::AWS.regions.len(), "the partition's regions, once each");
        let but = arns(Some(&aggregation(LinkedRegions::AllExcept(vec!["us-west-2".into()]))), "eu-west-1");
        assert!(but.len() == all.len() - 1 && !but.iter().any(|a| a.contains("us-west-2")));
    }

    #[test]
    fn control_findings_are_selected_by_the_product_arn_in_every_partition() {
        assert_eq!(securityhub_product_arn("eu-west-1"), "arn:aws:securityhub:eu-west-1::product/aws/securityhub");
        assert_eq!(securityhub_product_arn("cn-north-1"), "arn:aws-cn:securityhub:cn-north-1::product/aws/securityhub");
        assert_eq!(
            securityhub_product_arn("us-gov-west-1"),
            "arn:aws-us-gov:securityhub:us-gov-west-1::product/aws/securityhub"
        );
    }
}
