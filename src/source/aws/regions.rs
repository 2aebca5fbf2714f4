//! `--all-regions`: the regions the account has enabled, from the Account Management API
//! (ListRegions), so that a context is made for each without guessing which opt-in regions are on.

use super::budget::{Budgets, Service};
use super::{AwsOptions, Timeouts, errors, loader};
use crate::source::SourceError;
use aws_sdk_account::types::RegionOptStatus;

/// The region asked when the profile names none: the SDK's endpoint rules send the call to the
/// API's global endpoint of the profile's partition (China's included) whatever region is named.
const API_REGION: &str = "us-east-1";

/// The regions enabled in the account `options` reaches (ENABLED and ENABLED_BY_DEFAULT; a region
/// being enabled or disabled is left out), in the order AWS lists them.
pub async fn enabled(options: &AwsOptions) -> Result<Vec<String>, SourceError> {
    let mut config = loader(options, Timeouts::from_env()).load().await;
    if config.region().is_none() {
        config = config.into_builder().region(aws_config::Region::new(API_REGION)).build();
    }
    let client = aws_sdk_account::Client::new(&config);
    let profile = options.profile.clone().or_else(|| std::env::var("AWS_PROFILE").ok());
    let caller = errors::Caller { service: Service::Account, profile: profile.as_deref() };
    let budgets = Budgets::new();
    let mut pages = client
        .list_regions()
        .region_opt_status_contains(RegionOptStatus::Enabled)
        .region_opt_status_contains(RegionOptStatus::EnabledByDefault)
        .max_results(50)
        .into_paginator()
        .send();
    let mut regions = Vec::new();
    loop {
        budgets.acquire(Service::Account, "ListRegions", "", API_REGION).await;
        let Some(page) = pages.next().await else { break };
        let page = page.map_err(|e| errors::classify(caller, "ListRegions", &e))?;
        regions.extend(page.regions().iter().filter_map(|r| r.region_name().map(str::to_string)));
    }
    Ok(regions)
}
