//! Findings: Security Hub GetFindings and GuardDuty ListFindings/GetFindings for every detector,
//! fetched concurrently, mapped into `model::Finding` and merged so a GuardDuty finding that also
//! came through Security Hub shows once. One service failing leaves the other's findings on screen
//! with a warning.

use crate::source::aws::ClientSettings;
use crate::source::aws::clients::{Clients, settings_of};
use futures::future::BoxFuture;
use crate::source::aws::budget::Service;
use crate::source::aws::delta::FindingsMemory;
use crate::source::aws::time::parse_iso;
use crate::source::aws::{AwsSource, errors, pagination, partitions};
use crate::model::Timestamp;
use crate::model::dedupe::merge_with_ocsf;
use crate::source::aws::securityhub_v2;
use crate::model::{Finding, FindingOrigin, Product, RecordState, SeverityLabel, WorkflowStatus};
use crate::source::{FetchOptions, Fetched, PaneData, Progress, SourceError};
use aws_sdk_guardduty::types::{Condition, FindingCriteria, OrderBy, SortCriteria as GdSort};
use aws_sdk_securityhub::types::DateFilter;
use aws_sdk_securityhub::types::{
    AwsSecurityFinding, AwsSecurityFindingFilters, SortCriterion, SortOrder, StringFilter, StringFilterComparison,
};
use chrono::Duration;
use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

/// The rows of a full load reported as they arrive. A GuardDuty finding is reported once, through
/// whichever of its two copies (GuardDuty's own, Security Hub's) arrives first; the final result,
/// merged, replaces the preview anyway.
struct Preview {
    progress: Progress,
    open_only: bool,
    guardduty_ids: Mutex<HashSet<String>>,
}

impl Preview {
    fn new(progress: &Progress, options: FetchOptions) -> Self {
        Self { progress: progress.clone(), open_only: !options.all_findings, guardduty_ids: Mutex::default() }
    }

    /// Reports nothing (a delta refresh).
    fn silent() -> Self {
        Self::new(&Progress::none(), FetchOptions::default())
    }

    fn securityhub(&self, page: &[AwsSecurityFinding]) {
        if self.progress.is_wanted() {
            self.report(page.iter().map(map_securityhub).collect());
        }
    }

    fn guardduty(&self, batch: &[aws_sdk_guardduty::types::Finding]) {
        if self.progress.is_wanted() {
            self.report(batch.iter().map(map_guardduty).collect());
        }
    }

    fn report(&self, mut rows: Vec<Finding>) {
        if self.open_only {
            rows.retain(Finding::is_open);
        }
        {
            let mut seen = self.guardduty_ids.lock().unwrap_or_else(PoisonError::into_inner);
            rows.retain(|f| f.guardduty_id.as_ref().is_none_or(|id| seen.insert(id.to_string())));
        }
        if !rows.is_empty() {
            self.progress.rows(PaneData::Findings(rows.into_iter().map(Arc::new).collect()));
        }
    }
}

pub async fn fetch(
    source: &AwsSource,
    options: FetchOptions,
    now: Timestamp,
    progress: &Progress,
) -> Result<Fetched, SourceError> {
    if !options.all_findings {
        let memory = source.findings_memory.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(memory) = memory.filter(|m| m.is_fresh(now)) {
            // On failure the memory is kept as it was: the retry asks again for the changes since
            // the same instant, and the pane keeps every finding it showed meanwhile (a full
            // refresh while Security Hub fails would show GuardDuty's alone).
            return delta_refresh(source, memory, now).await;
        }
    }
    // Only a full load reports rows as they arrive: a delta is small and replaces nothing.
    let preview = Preview::new(progress, options);
    let (securityhub, guardduty, ocsf) = tokio::join!(
        securityhub_findings(source, options, &preview),
        guardduty_findings(source, options, &preview),
        ocsf_findings(source, options)
    );
    let mut warnings = Vec::new();
    let mut complete = true;
    let ocsf = match ocsf {
        OcsfLoad::Read { findings, capped } => {
            if capped {
                complete = false;
                warnings.push(format!("Security Hub (OCSF): showing the {} most severe findings (cap)", findings.len()));
            }
            Some(findings)
        }
        OcsfLoad::Off => None,
        OcsfLoad::Unknown(why) => {
            warnings.push(format!("Security Hub (OCSF): {why}: its findings are not read, CSPM's and GuardDuty's are"));
            None
        }
        OcsfLoad::Failed(e) => {
            complete = false;
            warnings.push(format!("Security Hub (OCSF): {e}"));
            None
        }
    };
    let ocsf_enabled = ocsf.is_some();
    let ocsf_findings = ocsf.unwrap_or_default();
    let (sh_findings, sh_error) = match securityhub {
        Ok((list, capped, partial)) => {
            if let Some(note) = partial {
                complete = false;
                warnings.push(format!("Security Hub: {note}"));
            }
            if capped {
                complete = false;
                warnings.push(format!("Security Hub: showing the {} most severe findings (cap)", list.len()));
            }
            (list, None)
        }
        Err(e) => (Vec::new(), Some(e)),
    };
    let (gd_findings, gd_error) = match guardduty {
        Ok((list, notes)) => {
            complete &= notes.is_empty();
            warnings.extend(notes);
            (list, None)
        }
        Err(e) => (Vec::new(), Some(e)),
    };
    let not_enabled = |e: &Option<SourceError>| matches!(e, Some(SourceError::NotEnabled { .. }));
    let (sh_enabled, gd_enabled) = (!not_enabled(&sh_error), !not_enabled(&gd_error));
    match (sh_error, gd_error) {
        (Some(sh), Some(gd)) if !ocsf_enabled => {
            // Both failed: the pane shows an error. Prefer the one that says what to do.
            Err(if matches!(sh, SourceError::NotEnabled { .. }) { gd_or(sh, gd) } else { sh })
        }
        (sh, gd) => {
            // A service that is not enabled here is a stable state: the load is still complete.
            complete &= sh.is_none() || !sh_enabled;
            complete &= gd.is_none() || !gd_enabled;
            let mut notes = Vec::new();
            if let Some(e) = sh {
                notes.push(format!("Security Hub: {e}"));
            }
            if let Some(e) = gd {
                notes.push(format!("GuardDuty: {e}"));
            }
            warnings.splice(0..0, notes.iter().cloned());
            // Remember a complete default-view load: the next refresh asks only for changes.
            let memory = (!options.all_findings && complete).then(|| {
                let mut memory = FindingsMemory::new(sh_findings.clone(), gd_findings.clone(), now);
                memory.securityhub_enabled = sh_enabled;
                memory.guardduty_enabled = gd_enabled;
                memory.remember_ocsf(ocsf_enabled.then(|| ocsf_findings.clone()));
                memory.notes = warnings.clone();
                memory
            });
            let mut merged = merge_with_ocsf(sh_findings, gd_findings, ocsf_findings, sh_enabled);
            securityhub_v2::show_tickets(source, &mut merged);
            if !options.all_findings {
                // The default view holds whatever a server returns.
                merged.retain(Finding::is_open);
            }
            let list = ranked(merged, now);
            if let Some(mut memory) = memory {
                memory.shown = Some(list.clone());
                *source.findings_memory.lock().unwrap_or_else(PoisonError::into_inner) = Some(memory);
            }
            Ok(Fetched { data: PaneData::Findings(list), warnings, cached_at: None, resynced_at: None })
        }
    }
}

/// Changes since the last refresh from both services, laid over what was remembered.
async fn delta_refresh(source: &AwsSource, mut memory: FindingsMemory, now: Timestamp) -> Result<Fetched, SourceError> {
    let since = memory.since - source.look_back;
    let (sh_enabled, gd_enabled) = (memory.securityhub_enabled, memory.guardduty_enabled);
    let ocsf_enabled = memory.ocsf.is_some();
    let limit = source.limits.securityhub_findings;
    let (sh, gd, ocsf) = tokio::join!(
        async { if sh_enabled { securityhub_changes(source, since, now).await } else { Ok(Vec::new()) } },
        async { if gd_enabled { guardduty_changes(source, since).await } else { Ok(Vec::new()) } },
        async {
            if ocsf_enabled {
                // Closed ones too: they leave the list. Cut by the cap, the changes past it would be
                // lost for good once `since` moves on: the memory is dropped and the next refresh
                // is a full load.
                securityhub_v2::findings(source, false, Some((since, now)), limit).await
            } else {
                Ok((Vec::new(), false))
            }
        }
    );
    let (sh, gd, (ocsf, capped)) = match (sh, gd, ocsf) {
        (Ok(sh), Ok(gd), Ok(ocsf)) => (sh, gd, ocsf),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            *source.findings_memory.lock().unwrap_or_else(PoisonError::into_inner) = Some(memory);
            return Err(e);
        }
    };
    // Nothing new (the common case of a quiet account): the last list again, ranked at `now`;
    // a finding keeps its record unless its risk moved. Tickets opened here are laid onto
    // records when merging, so while there are any the full merge runs.
    let no_tickets = source.tickets.lock().unwrap_or_else(PoisonError::into_inner).is_empty();
    if no_tickets && !capped && memory.holds_already(&sh, &gd, &ocsf)
        && let Some(mut list) = memory.shown.take()
    {
        memory.since = now;
        crate::model::risk::rank(&mut list, now);
        memory.shown = Some(list.clone());
        let (warnings, resynced_at) = (memory.notes.clone(), Some(memory.last_full));
        *source.findings_memory.lock().unwrap_or_else(PoisonError::into_inner) = Some(memory);
        return Ok(Fetched { data: PaneData::Findings(list), warnings, cached_at: None, resynced_at });
    }
    memory.apply(sh, gd, now);
    memory.apply_ocsf(ocsf);
    let mut merged = merge_with_ocsf(
        memory.securityhub.values().cloned().collect(),
        memory.guardduty.values().cloned().collect(),
        memory.ocsf.iter().flat_map(|m| m.values().cloned()).collect(),
        sh_enabled,
    );
    securityhub_v2::show_tickets(source, &mut merged);
    merged.retain(Finding::is_open);
    let (warnings, resynced_at) = (memory.notes.clone(), Some(memory.last_full));
    let list = ranked(merged, now);
    if !capped {
        memory.shown = Some(list.clone());
        *source.findings_memory.lock().unwrap_or_else(PoisonError::into_inner) = Some(memory);
    }
    Ok(Fetched { data: PaneData::Findings(list), warnings, cached_at: None, resynced_at })
}

/// Findings updated since `since`, and findings whose note changed (triage with a note does not
/// move `UpdatedAt`).
async fn securityhub_changes(
    source: &AwsSource,
    since: Timestamp,
    now: Timestamp,
) -> Result<Vec<Finding>, SourceError> {
    let caller = source.caller(Service::SecurityHub);
    let range = DateFilter::builder().start(since.to_rfc3339()).end((now + Duration::days(1)).to_rfc3339()).build();
    let queries = [
        AwsSecurityFindingFilters::builder().updated_at(range.clone()).build(),
        AwsSecurityFindingFilters::builder().note_updated_at(range).build(),
    ];
    let mut changed = Vec::new();
    for filters in queries {
        let mut pages = source.client::<aws_sdk_securityhub::Client>().get_findings().filters(filters).max_results(100).into_paginator().send();
        while let Some(page) = source.paced(Service::SecurityHub, "GetFindings", pages.next()).await {
            let page = page.map_err(|e| errors::classify(caller, "GetFindings", &e))?;
            changed.extend(page.findings().iter().map(map_securityhub));
        }
    }
    Ok(changed)
}

async fn guardduty_changes(source: &AwsSource, since: Timestamp) -> Result<Vec<Finding>, SourceError> {
    let caller = source.caller(Service::GuardDuty);
    let detectors = list_detectors(source).await?;
    let mut changed = Vec::new();
    for detector in detectors {
        let updated = Condition::builder().greater_than_or_equal(since.timestamp_millis()).build();
        let criteria = FindingCriteria::builder().criterion("updatedAt", updated).build();
        let mut pages = source
            .client::<aws_sdk_guardduty::Client>()
            .list_findings()
            .detector_id(&detector)
            .finding_criteria(criteria)
            .max_results(50)
            .into_paginator()
            .send();
        let mut ids = Vec::new();
        while let Some(page) = source.paced(Service::GuardDuty, "ListFindings", pages.next()).await {
            let page = page.map_err(|e| errors::classify(caller, "ListFindings", &e))?;
            ids.extend(page.finding_ids().iter().cloned());
        }
        changed.extend(get_guardduty(source, &detector, &ids, &Preview::silent()).await?);
    }
    Ok(changed)
}

/// What the new Security Hub gave a full load.
enum OcsfLoad {
    Read { findings: Vec<Finding>, capped: bool },
    /// Not enabled here: the load is as it was before the new Security Hub.
    Off,
    /// Whether it is on could not be told (DescribeSecurityHubV2 denied or failed).
    Unknown(String),
    Failed(SourceError),
}

async fn ocsf_findings(source: &AwsSource, options: FetchOptions) -> OcsfLoad {
    match securityhub_v2::hub(source).await {
        securityhub_v2::Hub::Off => OcsfLoad::Off,
        securityhub_v2::Hub::Unknown(why) => OcsfLoad::Unknown(why),
        securityhub_v2::Hub::On => {
            match securityhub_v2::findings(source, !options.all_findings, None, source.limits.securityhub_findings).await
            {
                Ok((findings, capped)) => OcsfLoad::Read { findings, capped },
                Err(e) => OcsfLoad::Failed(e),
            }
        }
    }
}

fn gd_or(sh: SourceError, gd: SourceError) -> SourceError {
    match gd {
        SourceError::NotEnabled { .. } => SourceError::NotEnabled {
            service: Service::SecurityHub,
            hint: "and GuardDuty has no detector either: enable Security Hub or create a GuardDuty detector in this region".into(),
        },
        other => {
            drop(sh);
            other
        }
    }
}

fn string_filter(value: &str, comparison: StringFilterComparison) -> StringFilter {
    StringFilter::builder().value(value).comparison(comparison).build()
}

/// Open findings by default: ACTIVE, workflow neither RESOLVED nor SUPPRESSED; most severe first.
/// The default view is loaded in partitions at the quota ([`partitions`]); "all findings" is one
/// pagination. Also returns whether the cap cut the list, and a note when a failed page cut it
/// (the next load resumes from that page).
async fn securityhub_findings(
    source: &AwsSource,
    options: FetchOptions,
    preview: &Preview,
) -> Result<(Vec<Finding>, bool, Option<String>), SourceError> {
    let sort = SortCriterion::builder().field("SeverityNormalized").sort_order(SortOrder::Descending).build();
    let limit = source.limits.securityhub_findings;
    let loaded = if options.all_findings {
        let filters = AwsSecurityFindingFilters::builder().build();
        let request = source.client::<aws_sdk_securityhub::Client>().get_findings().filters(filters).sort_criteria(sort).max_results(100);
        pagination::security_hub_findings_paged(source, "findings", request, limit, |page| {
            preview.securityhub(page);
            true
        })
        .await?
    } else {
        let open = AwsSecurityFindingFilters::builder()
            .record_state(string_filter("ACTIVE", StringFilterComparison::Equals))
            .workflow_status(string_filter("RESOLVED", StringFilterComparison::NotEquals))
            .workflow_status(string_filter("SUPPRESSED", StringFilterComparison::NotEquals));
        partitions::load(source, "findings", open, sort, limit, |page| preview.securityhub(page)).await?
    };
    let partial = loaded.interrupted.map(|i| i.note("findings"));
    Ok((loaded.findings.iter().map(map_securityhub).collect(), loaded.capped, partial))
}

pub fn map_securityhub(f: &AwsSecurityFinding) -> Finding {
    let product_arn = f.product_arn().unwrap_or_default().to_string();
    let severity = f.severity();
    let normalized = severity.and_then(|s| s.normalized()).unwrap_or(0).clamp(0, 100) as u8;
    let label = severity
        .and_then(|s| s.label())
        .and_then(|l| SeverityLabel::parse(l.as_str()))
        .unwrap_or_else(|| SeverityLabel::from_normalized(normalized));
    let resource = f.resources().first();
    let created = parse_iso(f.created_at()).unwrap_or_default();
    let first_seen = parse_iso(f.first_observed_at()).unwrap_or(created);
    let updated = parse_iso(f.updated_at()).unwrap_or(created);
    let mut details = Vec::new();
    if let Some(ip) = f.network().and_then(|n| n.source_ipv4()) {
        details.push(("Source IP".to_string(), ip.to_string()));
    }
    if let Some(compliance) = f.compliance().and_then(|c| c.status()) {
        details.push(("Compliance".to_string(), compliance.as_str().to_string()));
    }
    // The standards a consolidated control finding belongs to (PCI DSS raises its priority).
    let standards: Vec<&str> = f
        .compliance()
        .map(|c| c.associated_standards().iter().filter_map(|s| s.standards_id()).collect())
        .unwrap_or_default();
    if !standards.is_empty() {
        details.push((crate::model::risk::STANDARDS.to_string(), standards.join(", ")));
    }
    if let Some(state) = f.verification_state() {
        details.push(("Verification".to_string(), state.as_str().to_string()));
    }
    // Inspector says whether an exploit is known for the vulnerability: the priority reads it.
    for vulnerability in f.vulnerabilities() {
        if let Some(cve) = vulnerability.id() {
            details.push(("CVE".to_string(), cve.to_string()));
        }
        if let Some(exploit) = vulnerability.exploit_available() {
            details.push((crate::model::risk::EXPLOIT_AVAILABLE.to_string(), exploit.as_str().to_string()));
        }
    }
    // The product's own advice: for a control, AWS's remediation page.
    if let Some(recommendation) = f.remediation().and_then(|r| r.recommendation()) {
        if let Some(text) = recommendation.text().filter(|t| !t.is_empty()) {
            details.push((crate::model::finding::REMEDIATION.to_string(), text.to_string()));
        }
        if let Some(url) = recommendation.url().filter(|u| !u.is_empty()) {
            details.push((crate::model::finding::REMEDIATION_LINK.to_string(), url.to_string()));
        }
    }
    if let Some(note) = f.note() {
        details.push((
            "Note".to_string(),
            format!("{} ({})", note.text().unwrap_or_default(), note.updated_by().unwrap_or_default()),
        ));
    }
    let id = f.id().unwrap_or_default().to_string();
    Finding {
        // Only a finding GuardDuty itself sent carries a GuardDuty identity: a custom product can
        // import a finding whose Id imitates a GuardDuty ARN.
        guardduty_id: crate::model::finding::guardduty_id_of_securityhub_finding(&id, &product_arn).map(Into::into),
        id,
        product: Product::from_product_arn(&product_arn),
        product_arn: Some(product_arn.into()),
        severity: label,
        severity_score: normalized,
        title: f.title().unwrap_or_default().into(),
        description: f.description().unwrap_or_default().into(),
        finding_type: f.types().first().cloned().unwrap_or_default().into(),
        resource_type: resource.and_then(|r| r.r#type()).unwrap_or_default().into(),
        resource: resource.and_then(|r| r.id()).unwrap_or_default().into(),
        workflow_status: f
            .workflow()
            .and_then(|w| w.status())
            .and_then(|s| WorkflowStatus::parse(s.as_str()))
            .unwrap_or(WorkflowStatus::New),
        record_state: match f.record_state().map(|r| r.as_str()) {
            Some("ARCHIVED") => RecordState::Archived,
            _ => RecordState::Active,
        },
        sources: vec![FindingOrigin::Securityhub],
        count: 1,
        account_id: f.aws_account_id().unwrap_or_default().into(),
        region: f.region().unwrap_or_default().into(),
        first_seen,
        last_seen: parse_iso(f.last_observed_at()).unwrap_or(updated),
        updated_at: updated,
        control_id: f.compliance().and_then(|c| c.security_control_id()).map(Into::into),
        details: details.into_iter().map(|(label, value)| (label.into(), value.into())).collect(),
        risk: Default::default(),
    }
}

/// Not archived by default. Returns the findings and notes (no detector, caps).
async fn guardduty_findings(
    source: &AwsSource,
    options: FetchOptions,
    preview: &Preview,
) -> Result<(Vec<Finding>, Vec<String>), SourceError> {
    let detectors = list_detectors(source).await?;
    if detectors.is_empty() {
        return Err(SourceError::NotEnabled {
            service: Service::GuardDuty,
            hint: "no detector in this region: enable GuardDuty (aws guardduty create-detector --enable)".into(),
        });
    }
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    for detector in detectors {
        let ids = list_guardduty_ids(source, &detector, options).await?;
        let capped = ids.len() >= source.limits.guardduty_findings;
        findings.extend(get_guardduty(source, &detector, &ids, preview).await?);
        if capped {
            notes.push(format!("GuardDuty detector {detector}: showing the {} most severe findings (cap)", ids.len()));
        }
    }
    Ok((findings, notes))
}

/// GetFindings takes at most 50 ids per call. Each batch is handed to `preview` as it arrives.
async fn get_guardduty(
    source: &AwsSource,
    detector: &str,
    ids: &[String],
    preview: &Preview,
) -> Result<Vec<Finding>, SourceError> {
    let caller = source.caller(Service::GuardDuty);
    let mut findings = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(50) {
        let call = source.client::<aws_sdk_guardduty::Client>().get_findings().detector_id(detector).set_finding_ids(Some(chunk.to_vec())).send();
        let out = source
            .paced(Service::GuardDuty, "GetFindings", call)
            .await
            .map_err(|e| errors::classify(caller, "GetFindings", &e))?;
        preview.guardduty(out.findings());
        findings.extend(out.findings().iter().map(map_guardduty));
    }
    Ok(findings)
}

pub(crate) async fn list_detectors(source: &AwsSource) -> Result<Vec<String>, SourceError> {
    let caller = source.caller(Service::GuardDuty);
    let mut detectors = Vec::new();
    let mut pages = source.client::<aws_sdk_guardduty::Client>().list_detectors().into_paginator().send();
    while let Some(page) = source.paced(Service::GuardDuty, "ListDetectors", pages.next()).await {
        let page = page.map_err(|e| errors::classify(caller, "ListDetectors", &e))?;
        detectors.extend(page.detector_ids().iter().cloned());
    }
    Ok(detectors)
}

async fn list_guardduty_ids(
    source: &AwsSource,
    detector: &str,
    options: FetchOptions,
) -> Result<Vec<String>, SourceError> {
    let caller = source.caller(Service::GuardDuty);
    let mut request = source
        .client::<aws_sdk_guardduty::Client>()
        .list_findings()
        .detector_id(detector)
        .sort_criteria(GdSort::builder().attribute_name("severity").order_by(OrderBy::Desc).build())
        .max_results(50);
    if !options.all_findings {
        let not_archived = Condition::builder().equals("false").build();
        request =
            request.finding_criteria(FindingCriteria::builder().criterion("service.archived", not_archived).build());
    }
    let mut pages = request.into_paginator().send();
    let mut ids = Vec::new();
    while let Some(page) = source.paced(Service::GuardDuty, "ListFindings", pages.next()).await {
        let page = page.map_err(|e| errors::classify(caller, "ListFindings", &e))?;
        ids.extend(page.finding_ids().iter().cloned());
        if ids.len() >= source.limits.guardduty_findings {
            ids.truncate(source.limits.guardduty_findings);
            break;
        }
    }
    Ok(ids)
}

pub fn map_guardduty(f: &aws_sdk_guardduty::types::Finding) -> Finding {
    let severity = f.severity().unwrap_or(0.0);
    let service = f.service();
    let created = parse_iso(f.created_at()).unwrap_or_default();
    let updated = parse_iso(f.updated_at()).unwrap_or(created);
    let resource = f.resource();
    let resource_kind = resource.and_then(|r| r.resource_type()).unwrap_or_default();
    let (resource_type, resource_id) = match resource_kind {
        "Instance" => (
            "AwsEc2Instance",
            resource.and_then(|r| r.instance_details()).and_then(|d| d.instance_id()).unwrap_or_default().to_string(),
        ),
        "AccessKey" => {
            let key = resource.and_then(|r| r.access_key_details());
            ("AwsIamAccessKey", key.and_then(|k| k.user_name().or(k.access_key_id())).unwrap_or_default().to_string())
        }
        "S3Bucket" => (
            "AwsS3Bucket",
            resource.and_then(|r| r.s3_bucket_details().first()).and_then(|b| b.name()).unwrap_or_default().to_string(),
        ),
        "S3Object" => (
            "AwsS3Bucket",
            resource.and_then(|r| r.s3_bucket_details().first()).and_then(|b| b.name()).unwrap_or_default().to_string(),
        ),
        "EKSCluster" => (
            "AwsEksCluster",
            resource.and_then(|r| r.eks_cluster_details()).and_then(|e| e.name()).unwrap_or_default().to_string(),
        ),
        "ECSCluster" => {
            let ecs = resource.and_then(|r| r.ecs_cluster_details());
            ("AwsEcsCluster", ecs.and_then(|e| e.arn().or(e.name())).unwrap_or_default().to_string())
        }
        "Container" => {
            let container = resource.and_then(|r| r.container_details());
            ("Container", container.and_then(|c| c.name().or(c.id())).unwrap_or_default().to_string())
        }
        "RDSDBInstance" => {
            let db = resource.and_then(|r| r.rds_db_instance_details());
            ("AwsRdsDbInstance", db.and_then(|d| d.db_instance_arn().or(d.db_instance_identifier())).unwrap_or_default().to_string())
        }
        "RDSLimitlessDB" => {
            let db = resource.and_then(|r| r.rds_limitless_db_details());
            ("AwsRdsDbCluster", db.and_then(|d| d.db_shard_group_arn().or(d.db_cluster_identifier())).unwrap_or_default().to_string())
        }
        "Lambda" => {
            let function = resource.and_then(|r| r.lambda_details());
            ("AwsLambdaFunction", function.and_then(|l| l.function_arn().or(l.function_name())).unwrap_or_default().to_string())
        }
        other => ("Other", other.to_string()),
    };
    let mut details = Vec::new();
    // GuardDuty Extended Threat Detection: a finding that is one step of an attack sequence names
    // it; a sequence finding says what it correlates.
    if let Some(sequence) = f.associated_attack_sequence_arn() {
        details.push((crate::model::finding::ATTACK_SEQUENCE.to_string(), sequence.to_string()));
    }
    if let Some(sequence) = service.and_then(|s| s.detection()).and_then(|d| d.sequence()) {
        if let Some(description) = sequence.description() {
            details.push(("Sequence".to_string(), description.to_string()));
        }
        let signals: Vec<String> = sequence
            .signals()
            .iter()
            .map(|s| s.name().or(s.uid()).unwrap_or_default().to_string())
            .collect();
        if !signals.is_empty() {
            details.push(("Signals".to_string(), format!("{}: {}", signals.len(), signals.join(", "))));
        }
        let resources: Vec<String> = sequence
            .resources()
            .iter()
            .map(|r| {
                let kind = r.resource_type().map(|t| t.as_str()).unwrap_or("resource");
                format!("{kind} {}", r.name().or(r.uid()).unwrap_or_default())
            })
            .collect();
        if !resources.is_empty() {
            details.push(("Sequence resources".to_string(), resources.join(", ")));
        }
        let indicators: Vec<String> = sequence
            .sequence_indicators()
            .iter()
            .map(|i| format!("{}: {}", i.key().map(|k| k.as_str()).unwrap_or("indicator"), i.values().join(", ")))
            .collect();
        if !indicators.is_empty() {
            details.push(("Indicators".to_string(), indicators.join("; ")));
        }
    }
    if let Some(action) = service.and_then(|s| s.action()) {
        let network_ip =
            action.network_connection_action().and_then(|n| n.remote_ip_details()).and_then(|r| r.ip_address_v4());
        let api = action.aws_api_call_action();
        if let Some(ip) = network_ip.or_else(|| api.and_then(|a| a.remote_ip_details()).and_then(|r| r.ip_address_v4()))
        {
            details.push(("Remote IP".to_string(), ip.to_string()));
        }
        if let Some(api) = api {
            if let Some(name) = api.api() {
                details.push(("API".to_string(), name.to_string()));
            }
            if let Some(agent) = api.user_agent() {
                details.push(("User agent".to_string(), agent.to_string()));
            }
        }
    }
    if let Some(detector) = service.and_then(|s| s.detector_id()) {
        details.push(("Detector".to_string(), detector.to_string()));
    }
    if let Some(feedback) = service.and_then(|s| s.user_feedback()) {
        details.push(("Feedback".to_string(), feedback.to_string()));
    }
    let archived = service.and_then(|s| s.archived()).unwrap_or(false);
    Finding {
        id: f.arn().unwrap_or_default().to_string(),
        guardduty_id: f.id().map(Into::into),
        product_arn: None,
        severity: SeverityLabel::from_guardduty(severity),
        severity_score: (severity * 10.0).round().clamp(0.0, 100.0) as u8,
        title: f.title().unwrap_or_default().into(),
        description: f.description().unwrap_or_default().into(),
        finding_type: f.r#type().unwrap_or_default().into(),
        resource_type: resource_type.into(),
        resource: resource_id.into(),
        product: Product::GuardDuty,
        workflow_status: WorkflowStatus::New,
        record_state: if archived { RecordState::Archived } else { RecordState::Active },
        sources: vec![FindingOrigin::Guardduty],
        count: service.and_then(|s| s.count()).unwrap_or(1).max(1) as u64,
        account_id: f.account_id().unwrap_or_default().into(),
        region: f.region().unwrap_or_default().into(),
        first_seen: parse_iso(service.and_then(|s| s.event_first_seen())).unwrap_or(created),
        last_seen: parse_iso(service.and_then(|s| s.event_last_seen())).unwrap_or(updated),
        updated_at: updated,
        control_id: None,
        details: details.into_iter().map(|(label, value)| (label.into(), value.into())).collect(),
        risk: Default::default(),
    }
}

/// The findings of a refresh, shared and ranked (see `model::risk`).
fn ranked(findings: Vec<Finding>, now: Timestamp) -> Vec<Arc<Finding>> {
    let mut list: Vec<Arc<Finding>> = findings.into_iter().map(Arc::new).collect();
    crate::model::risk::rank(&mut list, now);
    list
}

pub struct Pane;

impl super::AwsPane for Pane {
    type Model = crate::model::panes::findings::Pane;
    const CLIENTS: &'static [fn(&Clients) -> ClientSettings] =
        &[settings_of::<aws_sdk_securityhub::Client>, settings_of::<aws_sdk_guardduty::Client>];

    fn fetch<'a>(
        source: &'a AwsSource,
        now: crate::model::Timestamp,
        options: crate::source::FetchOptions,
        progress: &'a crate::source::Progress,
    ) -> BoxFuture<'a, Result<crate::source::Fetched, SourceError>> {
        Box::pin(fetch(source, options, now, progress))
    }

    fn apply<'a>(
        source: &'a AwsSource,
        action: &'a crate::model::panes::findings::Action,
        targets: &'a [crate::model::triage::Target],
    ) -> BoxFuture<'a, Vec<crate::model::triage::TargetOutcome>> {
        Box::pin(crate::source::aws::actions::findings(source, action, targets))
    }
}
