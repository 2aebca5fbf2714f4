//! `--offline`: the last good data from the disk cache, without a single AWS call (for an expired
//! SSO session mid-incident). Every pane is marked as cached with its age; actions are refused.

use super::{FetchOptions, Fetched, Progress, Source, SourceError, SourceInfo};
use crate::cache::Cache;
use crate::model::Timestamp;
use crate::model::triage::{Target, TargetOutcome, TriageAction};
use crate::pane::PaneId;
use futures::future::BoxFuture;

pub struct OfflineSource {
    info: SourceInfo,
    cache: Cache,
}

impl OfflineSource {
    pub fn new(info: SourceInfo, cache: Cache) -> Self {
        Self { info, cache }
    }
}

impl Source for OfflineSource {
    fn info(&self) -> SourceInfo {
        self.info.clone()
    }

    fn fetch_with_progress(
        &self,
        pane: PaneId,
        _now: Timestamp,
        _options: FetchOptions,
        _progress: Progress,
    ) -> BoxFuture<'_, Result<Fetched, SourceError>> {
        Box::pin(async move {
            let cache = self.cache.clone();
            let context = self.info.context();
            let loaded = tokio::task::spawn_blocking(move || cache.load(&context, pane)).await.ok().flatten();
            match loaded {
                Some((saved_at, data)) => {
                    Ok(Fetched { data, warnings: Vec::new(), cached_at: Some(saved_at), resynced_at: None })
                }
                None => Err(SourceError::local(
                    crate::source::Service::Vigil,
                    "offline: no cached data for this pane: open Vigil online once to fill the cache",
                )),
            }
        })
    }

    fn apply<'a>(&'a self, _action: &'a TriageAction, targets: &'a [Target]) -> BoxFuture<'a, Vec<TargetOutcome>> {
        Box::pin(async move {
            targets
                .iter()
                .map(|t| TargetOutcome::failed(t.clone(), "offline (--offline): no AWS call is made"))
                .collect()
        })
    }
}
