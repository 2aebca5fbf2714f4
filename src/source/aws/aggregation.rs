//! Security Hub's cross-region aggregation, found at connect: with a finding aggregator, one
//! query in the aggregation region returns the findings of every linked region (each keeps its own
//! `Region`), so Vigil reads them there instead of asking each region itself.

use super::budget::{Budgets, Service};
use crate::source::{Aggregation, LinkedRegions};
use aws_sdk_securityhub::types::FindingAggregator;

/// What the account's finding aggregator says, from the region `region`: `Ok(None)` without an
/// aggregator; an error when Security Hub could not be asked (not enabled, not allowed), which
/// the caller logs and treats as none.
pub async fn detect(
    client: &aws_sdk_securityhub::Client,
    budgets: &Budgets,
    region: &str,
) -> Result<Option<Aggregation>, String> {
    // Run beside STS GetCallerIdentity, before the account is known: budgeted per region alone.
    budgets.acquire(Service::SecurityHub, "ListFindingAggregators", "", region).await;
    let listed = client.list_finding_aggregators().send().await.map_err(|e| format!("{}", e.into_service_error()))?;
    let Some(arn) = listed.finding_aggregators().iter().find_map(FindingAggregator::finding_aggregator_arn) else {
        return Ok(None);
    };
    budgets.acquire(Service::SecurityHub, "GetFindingAggregator", "", region).await;
    let got = client
        .get_finding_aggregator()
        .finding_aggregator_arn(arn)
        .send()
        .await
        .map_err(|e| format!("{}", e.into_service_error()))?;
    // AWS text, drawn in the title bar: the UI sanitises it there, as all AWS text.
    let regions = || got.regions().to_vec();
    let linked = match got.region_linking_mode().unwrap_or_default() {
        "ALL_REGIONS" => LinkedRegions::All,
        "ALL_REGIONS_EXCEPT_SPECIFIED" => LinkedRegions::AllExcept(regions()),
        "SPECIFIED_REGIONS" => LinkedRegions::Only(regions()),
        _ => LinkedRegions::NoRegions,
    };
    Ok(Some(Aggregation { region: got.finding_aggregation_region().map(str::to_string), linked, accounts: None }))
}

/// What to tell a user connected to a region that is linked to an aggregator elsewhere: its own
/// findings are here, everyone's are in the aggregation region.
pub fn elsewhere_notice(aggregation: &Aggregation, region: &str) -> Option<String> {
    let home = aggregation.region.as_deref()?;
    (home != region).then(|| {
        format!(
            "Security Hub aggregates the findings of linked regions in {home}: --region {home} shows them all in one view"
        )
    })
}
