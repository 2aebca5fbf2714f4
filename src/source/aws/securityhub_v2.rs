//! The new Security Hub (OCSF, the API's `...V2` operations) beside Security Hub CSPM: whether it
//! is on in a context (DescribeSecurityHubV2), its findings (GetFindingsV2) and their triage
//! (BatchUpdateFindingsV2). A context without it reads exactly as before: nothing here is called
//! again after its DescribeSecurityHubV2 said it is off, until the next full load.

use super::budget::Service;
use super::{AwsSource, errors};
use crate::model::Finding;
use crate::model::Timestamp;
use crate::model::ocsf::{finding_from_ocsf, severity_id, status_id};
use crate::model::panes::findings::Action as FindingAction;
use crate::model::triage::{Target, TargetOutcome};
use crate::source::SourceError;
use aws_sdk_securityhub::types::{
    AllowedOperators, CompositeFilter, DateFilter, OcsfDateField, OcsfDateFilter, OcsfFindingFilters, OcsfStringField,
    OcsfStringFilter, SortCriterion, SortOrder, StringFilter, StringFilterComparison,
};
use aws_smithy_types::Document;
use std::collections::BTreeMap;
use std::sync::PoisonError;

/// BatchUpdateFindingsV2 takes at most 100 findings a call.
const BATCH: usize = 100;

/// Whether the new Security Hub is on here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hub {
    On,
    /// DescribeSecurityHubV2 answered ResourceNotFoundException: not enabled, a stable state.
    Off,
    /// It could not be told (denied, failed): CSPM and GuardDuty are read as before, and the
    /// warning says why the OCSF findings are missing.
    Unknown(String),
}

pub async fn hub(source: &AwsSource) -> Hub {
    let caller = source.caller(Service::SecurityHub);
    let call = source.client::<aws_sdk_securityhub::Client>().describe_security_hub_v2().send();
    match source.paced(Service::SecurityHub, "DescribeSecurityHubV2", call).await {
        Ok(_) => Hub::On,
        Err(e) if e.as_service_error().is_some_and(|s| s.is_resource_not_found_exception()) => Hub::Off,
        Err(e) => Hub::Unknown(errors::classify(caller, "DescribeSecurityHubV2", &e).to_string()),
    }
}

fn string_filter(field: &str, value: &str, comparison: StringFilterComparison) -> OcsfStringFilter {
    OcsfStringFilter::builder()
        .field_name(OcsfStringField::from(field))
        .filter(StringFilter::builder().value(value).comparison(comparison).build())
        .build()
}

/// Open findings: status neither Resolved, Suppressed nor Archived (as CSPM's default view leaves
/// out RESOLVED, SUPPRESSED and ARCHIVED); `window` (since, now): only those modified since then
/// (up to a day after now, as the CSPM delta asks: clocks differ).
fn filters(open_only: bool, window: Option<(Timestamp, Timestamp)>) -> Option<OcsfFindingFilters> {
    let mut composite = CompositeFilter::builder().operator(AllowedOperators::And);
    if open_only {
        for closed in ["Resolved", "Suppressed", "Archived"] {
            composite = composite.string_filters(string_filter("status", closed, StringFilterComparison::NotEquals));
        }
    }
    if let Some((since, now)) = window {
        let range = DateFilter::builder().start(since.to_rfc3339()).end((now + chrono::Duration::days(1)).to_rfc3339());
        composite = composite.date_filters(
            OcsfDateFilter::builder()
                .field_name(OcsfDateField::FindingInfoModifiedTimeDt)
                .filter(range.build())
                .build(),
        );
    }
    (open_only || window.is_some()).then(|| OcsfFindingFilters::builder().composite_filters(composite.build()).build())
}

/// The findings, most severe first, up to `limit` (also returns whether the limit cut the list).
/// A delegated administrator reads its organisation's findings (the API's default for it).
pub async fn findings(
    source: &AwsSource,
    open_only: bool,
    window: Option<(Timestamp, Timestamp)>,
    limit: usize,
) -> Result<(Vec<Finding>, bool), SourceError> {
    let caller = source.caller(Service::SecurityHub);
    let sort = SortCriterion::builder().field("severity_id").sort_order(SortOrder::Descending).build();
    let mut pages = source
        .client::<aws_sdk_securityhub::Client>()
        .get_findings_v2()
        .set_filters(filters(open_only, window))
        .sort_criteria(sort)
        .max_results(100)
        .into_paginator()
        .send();
    let mut found = Vec::new();
    while let Some(page) = source.paced(Service::SecurityHub, "GetFindingsV2", pages.next()).await {
        let page = page.map_err(|e| errors::classify(caller, "GetFindingsV2", &e))?;
        found.extend(page.findings().iter().map(json_of).filter_map(|doc| finding_from_ocsf(&doc)));
        if found.len() >= limit {
            found.truncate(limit);
            return Ok((found, true));
        }
    }
    Ok((found, false))
}

/// An OCSF document as JSON (the model reads `serde_json::Value`).
pub fn json_of(document: &Document) -> serde_json::Value {
    use serde_json::Value;
    match document {
        Document::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), json_of(v))).collect()),
        Document::Array(items) => Value::Array(items.iter().map(json_of).collect()),
        Document::Number(n) => match *n {
            aws_smithy_types::Number::PosInt(i) => Value::from(i),
            aws_smithy_types::Number::NegInt(i) => Value::from(i),
            aws_smithy_types::Number::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        },
        Document::String(s) => Value::String(s.clone()),
        Document::Bool(b) => Value::Bool(*b),
        Document::Null => Value::Null,
    }
}

/// Triage of findings only the new Security Hub holds: BatchUpdateFindingsV2 by `metadata.uid`
/// (the target's `ocsf_uid`), with the note as the comment; each finding's own result.
pub async fn triage(source: &AwsSource, action: &FindingAction, targets: &[&Target]) -> Vec<TargetOutcome> {
    let caller = source.caller(Service::SecurityHub);
    let mut outcomes = Vec::with_capacity(targets.len());
    for chunk in targets.chunks(BATCH) {
        let uids: Vec<String> = chunk.iter().filter_map(|t| t.ocsf_uid.clone()).collect();
        let mut request =
            source.client::<aws_sdk_securityhub::Client>().batch_update_findings_v2().set_metadata_uids(Some(uids));
        if let Some(text) = crate::model::triage::PaneAction::note(action) {
            request = request.comment(text);
        }
        request = match action {
            FindingAction::SetWorkflow { status, .. } => request.status_id(status_id(*status)),
            FindingAction::SetSeverity { label, .. } => request.severity_id(severity_id(*label)),
            _ => request,
        };
        match source.paced(Service::SecurityHub, "BatchUpdateFindingsV2", request.send()).await {
            Ok(out) => {
                let failed: BTreeMap<String, String> = out
                    .unprocessed_findings()
                    .iter()
                    .map(|u| {
                        let code =
                            u.error_code().map(|c| c.as_str().to_string()).unwrap_or_else(|| "Unprocessed".into());
                        (
                            u.metadata_uid().unwrap_or_default().to_string(),
                            format!("{code}: {}", u.error_message().unwrap_or_default()),
                        )
                    })
                    .collect();
                outcomes.extend(chunk.iter().map(|t| match t.ocsf_uid.as_ref().and_then(|uid| failed.get(uid)) {
                    Some(reason) => TargetOutcome::failed((*t).clone(), reason.clone()),
                    None => TargetOutcome::ok((*t).clone()),
                }));
            }
            Err(e) => {
                let reason = errors::classify(caller, "BatchUpdateFindingsV2", &e).to_string();
                outcomes.extend(chunk.iter().map(|t| TargetOutcome::failed((*t).clone(), reason.clone())));
            }
        }
    }
    if outcomes.iter().any(|o| o.error.is_none()) {
        // The change does not move `finding_info.modified_time`, so no delta would see it: the
        // next refresh is a full load.
        *source.findings_memory.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }
    outcomes
}

/// A connector tickets can be opened through: its id and name.
struct Connector {
    id: String,
    name: String,
}

/// The connector to open tickets through: the one `[panes.findings] ticket_connector` names (by
/// name or id), else the only connected one.
async fn connector(source: &AwsSource) -> Result<Connector, String> {
    let caller = source.caller(Service::SecurityHub);
    let mut connected = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let call = source
            .client::<aws_sdk_securityhub::Client>()
            .list_connectors_v2()
            .connector_status(aws_sdk_securityhub::types::ConnectorStatus::Connected)
            .set_next_token(token.take())
            .send();
        let page = source
            .paced(Service::SecurityHub, "ListConnectorsV2", call)
            .await
            .map_err(|e| errors::classify(caller, "ListConnectorsV2", &e).to_string())?;
        // Azure and GCP connectors take no tickets: Jira Cloud and ServiceNow only.
        let ticketing = |c: &&aws_sdk_securityhub::types::ConnectorSummary| {
            use aws_sdk_securityhub::types::ConnectorProviderName as Provider;
            matches!(
                c.provider_summary().and_then(|p| p.provider_name()),
                Some(Provider::JiraCloud | Provider::Servicenow)
            )
        };
        connected.extend(page.connectors().iter().filter(ticketing).map(|c| Connector {
            id: c.connector_id().unwrap_or_default().to_string(),
            name: c.name().unwrap_or_default().to_string(),
        }));
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => break,
        }
    }
    match source.pane_setting(crate::pane::PaneId::Findings, "ticket_connector") {
        Some(wanted) => connected.into_iter().find(|c| c.name == wanted || c.id == wanted).ok_or_else(|| {
            format!("no connected connector named {wanted} ([panes.findings] ticket_connector; ListConnectorsV2)")
        }),
        None => match connected.len() {
            0 => Err("no connected Jira Cloud or ServiceNow connector in Security Hub here (ListConnectorsV2)".into()),
            1 => Ok(connected.remove(0)),
            n => Err(format!(
                "{n} connected connectors ({}): name one in [panes.findings] ticket_connector",
                connected.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
            )),
        },
    }
}

/// Opens a ticket for each finding through the connector. CreateTicketV2 in DRYRUN mode first,
/// once: "the ticket is created using a Security Hub owned template test finding to verify the
/// integration is working correctly" (the API reference), so it checks the connector before any
/// real ticket and makes one test ticket, which the confirmation says. Each outcome names the
/// ticket made; the row shows it from then on.
pub async fn open_tickets(source: &AwsSource, targets: &[Target]) -> Vec<TargetOutcome> {
    let caller = source.caller(Service::SecurityHub);
    let connector = match connector(source).await {
        Ok(c) => c,
        Err(why) => return targets.iter().map(|t| TargetOutcome::failed(t.clone(), why.clone())).collect(),
    };
    let Some(first) = targets.iter().find_map(|t| t.ocsf_uid.clone()) else {
        let why = "not read through the new Security Hub (no metadata.uid)";
        return targets.iter().map(|t| TargetOutcome::failed(t.clone(), why)).collect();
    };
    let dry_run = source
        .client::<aws_sdk_securityhub::Client>()
        .create_ticket_v2()
        .connector_id(&connector.id)
        .finding_metadata_uid(first)
        .mode(aws_sdk_securityhub::types::TicketCreationMode::Dryrun)
        .send();
    if let Err(e) = source.paced(Service::SecurityHub, "CreateTicketV2", dry_run).await {
        let why = format!(
            "the dry run through {} failed: {}",
            connector.name,
            errors::classify(caller, "CreateTicketV2", &e)
        );
        return targets.iter().map(|t| TargetOutcome::failed(t.clone(), why.clone())).collect();
    }
    let mut outcomes = Vec::with_capacity(targets.len());
    for target in targets {
        let Some(uid) = target.ocsf_uid.clone() else {
            outcomes
                .push(TargetOutcome::failed(target.clone(), "not read through the new Security Hub (no metadata.uid)"));
            continue;
        };
        let request = source
            .client::<aws_sdk_securityhub::Client>()
            .create_ticket_v2()
            .connector_id(&connector.id)
            .finding_metadata_uid(&uid)
            .send();
        match source.paced(Service::SecurityHub, "CreateTicketV2", request).await {
            Ok(out) => {
                let ticket = format!(
                    "{} {} (connector {})",
                    out.ticket_id().unwrap_or("?"),
                    out.ticket_src_url().unwrap_or_default(),
                    connector.name
                );
                source.tickets.lock().unwrap_or_else(PoisonError::into_inner).insert(uid, ticket.clone());
                outcomes.push(TargetOutcome::ok_with(target.clone(), ticket));
            }
            Err(e) => {
                let why = errors::classify(caller, "CreateTicketV2", &e);
                outcomes.push(TargetOutcome::failed(target.clone(), why.to_string()));
            }
        }
    }
    outcomes
}

/// Shows the tickets this console opened on their findings' rows.
pub fn show_tickets(source: &AwsSource, findings: &mut [Finding]) {
    let tickets = source.tickets.lock().unwrap_or_else(PoisonError::into_inner);
    if tickets.is_empty() {
        return;
    }
    for finding in findings {
        let ticket = crate::model::ocsf::ocsf_uid(finding).and_then(|uid| tickets.get(uid));
        if let Some(ticket) = ticket {
            finding.details.push((crate::model::ocsf::TICKET.into(), ticket.as_str().into()));
        }
    }
}

/// A finding's OCSF document as GetFindingsV2 returns it, by its `metadata.uid`.
pub async fn document(source: &AwsSource, metadata_uid: &str) -> Result<Option<serde_json::Value>, String> {
    let caller = source.caller(Service::SecurityHub);
    let filters = OcsfFindingFilters::builder()
        .composite_filters(
            CompositeFilter::builder()
                .string_filters(string_filter("metadata.uid", metadata_uid, StringFilterComparison::Equals))
                .build(),
        )
        .build();
    let call = source.client::<aws_sdk_securityhub::Client>().get_findings_v2().filters(filters).max_results(1).send();
    let out = source
        .paced(Service::SecurityHub, "GetFindingsV2", call)
        .await
        .map_err(|e| errors::classify(caller, "GetFindingsV2", &e).to_string())?;
    Ok(out.findings().first().map(json_of))
}
