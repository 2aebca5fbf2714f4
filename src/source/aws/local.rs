//! What can be known about the AWS context without a network call: the region from the
//! environment or the profile files, as the CLI resolves it (never instance metadata). The console
//! uses it to open on the cache before STS answers.

use aws_config::environment::region::EnvironmentVariableRegionProvider;
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::ProfileFileRegionProvider;

/// `--region`, else `AWS_REGION`/`AWS_DEFAULT_REGION`, else the profile's `region` (following
/// `source_profile`); `None` when only instance metadata could say.
pub async fn region_without_network(explicit: Option<&str>, profile: Option<&str>) -> Option<String> {
    if let Some(region) = explicit {
        return Some(region.to_string());
    }
    let mut from_files = ProfileFileRegionProvider::builder();
    if let Some(profile) = profile {
        from_files = from_files.profile_name(profile);
    }
    RegionProviderChain::first_try(EnvironmentVariableRegionProvider::new())
        .or_else(from_files.build())
        .region()
        .await
        .map(|r| r.to_string())
}
