//! Secrets Manager: ListSecrets only. Metadata; no call here, or anywhere, reads a secret value.

use crate::source::aws::ClientSettings;
use crate::source::aws::clients::{Clients, settings_of};
use futures::future::BoxFuture;
use crate::source::aws::budget::Service;
use crate::source::aws::time::from_smithy;
use crate::source::aws::{AwsSource, errors};
use crate::model::{Secret, SecretVersion};
use crate::source::{PaneData, Progress, SourceError};
use aws_sdk_secretsmanager::types::SecretListEntry;

/// Every secret's metadata; each page is reported to `progress` as it arrives.
pub async fn fetch(source: &AwsSource, progress: &Progress) -> Result<Vec<Secret>, SourceError> {
    let caller = source.caller(Service::SecretsManager);
    // Secrets scheduled for deletion are listed too: they show as DELETING.
    let mut pages =
        source.client::<aws_sdk_secretsmanager::Client>().list_secrets().include_planned_deletion(true).max_results(100).into_paginator().send();
    let mut secrets = Vec::new();
    while let Some(page) = source.paced(Service::SecretsManager, "ListSecrets", pages.next()).await {
        let page = page.map_err(|e| errors::classify(caller, "ListSecrets", &e))?;
        let rows: Vec<Secret> = page.secret_list().iter().map(map_secret).collect();
        if progress.is_wanted() && !rows.is_empty() {
            progress.rows(PaneData::Secrets(rows.clone()));
        }
        secrets.extend(rows);
    }
    Ok(secrets)
}

fn map_secret(s: &SecretListEntry) -> Secret {
    let rules = s.rotation_rules();
    let mut versions: Vec<SecretVersion> = s
        .secret_versions_to_stages()
        .map(|m| m.iter().map(|(id, stages)| SecretVersion { id: id.clone(), stages: stages.clone() }).collect())
        .unwrap_or_default();
    versions.sort_by(|a, b| a.id.cmp(&b.id));
    Secret {
        name: s.name().unwrap_or_default().to_string(),
        arn: s.arn().unwrap_or_default().to_string(),
        description: s.description().map(str::to_string),
        rotation_enabled: s.rotation_enabled().unwrap_or(false),
        rotation_lambda_arn: s.rotation_lambda_arn().map(str::to_string),
        rotation_interval_days: rules.and_then(|r| r.automatically_after_days()),
        rotation_schedule: rules.and_then(|r| r.schedule_expression()).map(str::to_string),
        created: from_smithy(s.created_date()),
        last_rotated: from_smithy(s.last_rotated_date()),
        next_rotation: from_smithy(s.next_rotation_date()),
        last_accessed: from_smithy(s.last_accessed_date()),
        last_changed: from_smithy(s.last_changed_date()),
        deleted_date: from_smithy(s.deleted_date()),
        versions,
    }
}

pub struct Pane;

impl super::AwsPane for Pane {
    type Model = crate::model::panes::secrets::Pane;
    const CLIENTS: &'static [fn(&Clients) -> ClientSettings] = &[settings_of::<aws_sdk_secretsmanager::Client>];

    fn fetch<'a>(
        source: &'a AwsSource,
        _now: crate::model::Timestamp,
        _options: crate::source::FetchOptions,
        progress: &'a crate::source::Progress,
    ) -> BoxFuture<'a, Result<crate::source::Fetched, SourceError>> {
        Box::pin(source.each_account(move |i| async move {
            fetch(source.account_source(i), progress).await.map(|s| PaneData::Secrets(s).into())
        }))
    }

    fn apply<'a>(
        source: &'a AwsSource,
        action: &'a crate::model::panes::secrets::Action,
        targets: &'a [crate::model::triage::Target],
    ) -> BoxFuture<'a, Vec<crate::model::triage::TargetOutcome>> {
        Box::pin(crate::source::aws::actions::secrets(source, action, targets))
    }
}
