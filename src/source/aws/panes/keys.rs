//! KMS: every key of the region (ListKeys, ListAliases, DescribeKey, and GetKeyRotationStatus where
//! KMS answers it), and the secrets whose `KmsKeyId` names each (ListSecrets: metadata only, as the
//! Secrets pane reads it); AWS Private CA's authorities with the ACM certificates each issued (the
//! PRIVATE ones described); CloudHSM clusters with their HSMs' zones and newest backup. The actions
//! bring a key back: CancelKeyDeletion, EnableKey, EnableKeyRotation.

use crate::model::Timestamp;
use crate::model::key::{Dependent, HsmCluster, KeyManager, KeyState, KeysReport, KmsKey, PrivateCa, key_named};
use crate::model::panes::keys::Action;
use crate::model::triage::{Target, TargetOutcome};
use crate::source::aws::actions::one_by_one;
use crate::source::aws::clients::{Clients, settings_of};
use crate::source::aws::time::from_smithy;
use crate::source::aws::{AwsSource, ClientSettings, errors};
use crate::source::{PaneData, Service, SourceError};
use aws_sdk_acm::types::{Filters, KeyAlgorithm};
use aws_sdk_kms::types::KeyMetadata;
use futures::future::BoxFuture;
use std::collections::BTreeMap;

crate::sdk_client!(aws_sdk_kms, Kms);
crate::sdk_client!(aws_sdk_acmpca, AcmPca);
crate::sdk_client!(aws_sdk_cloudhsmv2, CloudHsm);

/// Every key of the account and region, with what depends on it.
pub async fn fetch(source: &AwsSource, warnings: &mut Vec<String>) -> Result<Vec<KmsKey>, SourceError> {
    let caller = source.caller(Service::Kms);
    let kms = source.client::<aws_sdk_kms::Client>();
    let mut ids = Vec::new();
    let mut pages = kms.list_keys().limit(1000).into_paginator().send();
    while let Some(page) = source.paced(Service::Kms, "ListKeys", pages.next()).await {
        let page = page.map_err(|e| errors::classify(caller, "ListKeys", &e))?;
        ids.extend(page.keys().iter().filter_map(|k| k.key_id().map(str::to_string)));
    }
    // A key's aliases, its own first (`alias/aws/...` names the keys AWS services made).
    let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // Every alias's key, for secrets that name a key by an alias other than the one shown.
    let mut alias_keys: BTreeMap<String, String> = BTreeMap::new();
    let mut pages = kms.list_aliases().limit(100).into_paginator().send();
    while let Some(page) = source.paced(Service::Kms, "ListAliases", pages.next()).await {
        let page = page.map_err(|e| errors::classify(caller, "ListAliases", &e))?;
        for alias in page.aliases() {
            if let (Some(name), Some(target)) = (alias.alias_name(), alias.target_key_id()) {
                let name = name.trim_start_matches("alias/").to_string();
                alias_keys.insert(name.clone(), target.to_string());
                aliases.entry(target.to_string()).or_default().push(name);
            }
        }
    }
    let mut keys = Vec::with_capacity(ids.len());
    let mut rotation_unknown = 0;
    // A key's own policy decides who may describe it, whatever IAM allows: one that refuses is
    // left out and counted, not the end of the list.
    let mut undescribed = Vec::new();
    for id in ids {
        let call = kms.describe_key().key_id(&id).send();
        let described = match source.paced(Service::Kms, "DescribeKey", call).await {
            Ok(described) => described,
            Err(e) => {
                undescribed.push(errors::classify(caller, "DescribeKey", &e).to_string());
                continue;
            }
        };
        let Some(metadata) = described.key_metadata() else { continue };
        let mut names = aliases.remove(&id).unwrap_or_default();
        names.sort_by_key(|n| (n.starts_with("aws/"), n.clone()));
        let mut key = map_key(metadata, names.into_iter().next());
        // KMS answers rotation for symmetric keys with material it made, enabled or disabled.
        let asks_rotation = key.spec == "SYMMETRIC_DEFAULT"
            && key.origin == "AWS_KMS"
            && matches!(key.state, KeyState::Enabled | KeyState::Disabled);
        if asks_rotation {
            let call = kms.get_key_rotation_status().key_id(&id).send();
            match source.paced(Service::Kms, "GetKeyRotationStatus", call).await {
                Ok(status) => {
                    key.rotation_enabled = Some(status.key_rotation_enabled());
                    key.rotation_period_days = status.rotation_period_in_days();
                    key.next_rotation = from_smithy(status.next_rotation_date());
                    key.on_demand_rotation_started = from_smithy(status.on_demand_rotation_start_date());
                }
                Err(_) => rotation_unknown += 1,
            }
        }
        keys.push(key);
    }
    if let Some(why) = undescribed.first() {
        warnings.push(format!("KMS: {} keys could not be described and are not shown ({why})", undescribed.len()));
    }
    if rotation_unknown > 0 {
        warnings.push(format!("KMS: the rotation of {rotation_unknown} keys could not be read (kms:GetKeyRotationStatus)"));
    }
    match secrets_by_key(source).await {
        Ok(secrets) => {
            let here = keys.first().and_then(|k| k.arn_place().map(str::to_string));
            for (kms_key_id, name, arn) in secrets {
                // An alias ARN of this account and region, or an alias name, through every alias.
                let by_alias = kms_key_id
                    .as_deref()
                    .and_then(|named| match named.rsplit_once(":alias/") {
                        Some((place, alias)) => (Some(place) == here.as_deref()).then_some(alias),
                        None => named.strip_prefix("alias/"),
                    })
                    .and_then(|alias| alias_keys.get(alias));
                let named = by_alias.map(String::as_str).or(kms_key_id.as_deref());
                let owner = key_named(&keys, named).map(|k| k.arn.clone());
                if let Some(key) = owner.and_then(|arn| keys.iter_mut().find(|k| k.arn == arn)) {
                    key.dependents.push(Dependent { kind: "secret".into(), name, arn });
                }
            }
        }
        Err(e) => warnings.push(format!("what depends on each key is unknown: {e}")),
    }
    Ok(keys)
}

/// Every private CA of the region, with the ACM certificates it issued.
async fn authorities(source: &AwsSource, warnings: &mut Vec<String>) -> Result<Vec<PrivateCa>, SourceError> {
    let caller = source.caller(Service::AcmPca);
    let mut pages =
        source.client::<aws_sdk_acmpca::Client>().list_certificate_authorities().max_results(1000).into_paginator().send();
    let mut cas = Vec::new();
    while let Some(page) = source.paced(Service::AcmPca, "ListCertificateAuthorities", pages.next()).await {
        let page = page.map_err(|e| errors::classify(caller, "ListCertificateAuthorities", &e))?;
        cas.extend(page.certificate_authorities().iter().map(|ca| PrivateCa {
            arn: ca.arn().unwrap_or_default().to_string(),
            name: ca
                .certificate_authority_configuration()
                .and_then(|c| c.subject())
                .and_then(|s| s.common_name())
                .unwrap_or_default()
                .to_string(),
            kind: ca.r#type().map(|t| t.as_str().to_string()).unwrap_or_default(),
            status: ca.status().map(|s| s.as_str().to_string()).unwrap_or_default(),
            not_after: from_smithy(ca.not_after()),
            issued: Vec::new(),
        }));
    }
    if cas.is_empty() {
        return Ok(cas);
    }
    // ACM names a private certificate's CA only in DescribeCertificate: the PRIVATE ones are
    // described, the others never.
    let caller = source.caller(Service::Acm);
    let acm = source.client::<aws_sdk_acm::Client>();
    // Every key type: by default ListCertificates returns RSA_1024 and RSA_2048 certificates only.
    let key_types = vec![
        KeyAlgorithm::Rsa1024,
        KeyAlgorithm::Rsa2048,
        KeyAlgorithm::Rsa3072,
        KeyAlgorithm::Rsa4096,
        KeyAlgorithm::EcPrime256v1,
        KeyAlgorithm::EcSecp384r1,
        KeyAlgorithm::EcSecp521r1,
    ];
    let mut pages = acm
        .list_certificates()
        .includes(Filters::builder().set_key_types(Some(key_types)).build())
        .max_items(1000)
        .into_paginator()
        .send();
    let mut undescribed = Vec::new();
    while let Some(page) = source.paced(Service::Acm, "ListCertificates", pages.next()).await {
        let page = page.map_err(|e| errors::classify(caller, "ListCertificates", &e))?;
        let private = page
            .certificate_summary_list()
            .iter()
            .filter(|c| c.r#type().is_some_and(|t| t.as_str() == "PRIVATE"))
            .filter_map(|c| c.certificate_arn());
        for arn in private {
            let call = acm.describe_certificate().certificate_arn(arn).send();
            let described = match source.paced(Service::Acm, "DescribeCertificate", call).await {
                Ok(described) => described,
                Err(e) => {
                    undescribed.push(errors::classify(caller, "DescribeCertificate", &e).to_string());
                    continue;
                }
            };
            let Some(certificate) = described.certificate() else { continue };
            let issuer = certificate.certificate_authority_arn().unwrap_or_default();
            if let Some(ca) = cas.iter_mut().find(|ca| ca.arn == issuer) {
                let name = certificate.domain_name().unwrap_or(arn).to_string();
                ca.issued.push(Dependent { kind: "certificate".into(), name, arn: arn.to_string() });
            }
        }
    }
    if let Some(why) = undescribed.first() {
        warnings.push(format!(
            "ACM: {} private certificates could not be described; their CAs may count fewer ({why})",
            undescribed.len()
        ));
    }
    Ok(cas)
}

/// Every CloudHSM cluster of the region, with its HSMs' zones and its newest backup.
async fn clusters(source: &AwsSource) -> Result<Vec<HsmCluster>, SourceError> {
    let caller = source.caller(Service::CloudHsm);
    let hsm = source.client::<aws_sdk_cloudhsmv2::Client>();
    let (account, region) = source.place();
    let mut clusters = Vec::new();
    let mut pages = hsm.describe_clusters().max_results(25).into_paginator().send();
    while let Some(page) = source.paced(Service::CloudHsm, "DescribeClusters", pages.next()).await {
        let page = page.map_err(|e| errors::classify(caller, "DescribeClusters", &e))?;
        clusters.extend(page.clusters().iter().map(|c| HsmCluster {
            id: c.cluster_id().unwrap_or_default().to_string(),
            state: c.state().map(|s| s.as_str().to_string()).unwrap_or_default(),
            hsm_zones: c.hsms().iter().filter_map(|h| h.availability_zone().map(str::to_string)).collect(),
            newest_backup: None,
            account: account.to_string(),
            region: region.to_string(),
        }));
    }
    for cluster in &mut clusters {
        // Newest first: the first page's first backup is the newest.
        let call = hsm
            .describe_backups()
            .filters("clusterIds", vec![cluster.id.clone()])
            .filters("states", vec!["READY".to_string()])
            .sort_ascending(false)
            .max_results(1)
            .send();
        let backups = source
            .paced(Service::CloudHsm, "DescribeBackups", call)
            .await
            .map_err(|e| errors::classify(caller, "DescribeBackups", &e))?;
        cluster.newest_backup = backups.backups().first().and_then(|b| from_smithy(b.create_timestamp()));
    }
    Ok(clusters)
}

/// Every secret's `KmsKeyId` (absent: the AWS managed key), name and ARN.
async fn secrets_by_key(source: &AwsSource) -> Result<Vec<(Option<String>, String, String)>, SourceError> {
    let caller = source.caller(Service::SecretsManager);
    let mut pages =
        source.client::<aws_sdk_secretsmanager::Client>().list_secrets().max_results(100).into_paginator().send();
    let mut secrets = Vec::new();
    while let Some(page) = source.paced(Service::SecretsManager, "ListSecrets", pages.next()).await {
        let page = page.map_err(|e| errors::classify(caller, "ListSecrets", &e))?;
        secrets.extend(page.secret_list().iter().map(|s| {
            (
                s.kms_key_id().map(str::to_string),
                s.name().unwrap_or_default().to_string(),
                s.arn().unwrap_or_default().to_string(),
            )
        }));
    }
    Ok(secrets)
}

fn map_key(m: &KeyMetadata, alias: Option<String>) -> KmsKey {
    KmsKey {
        id: m.key_id().to_string(),
        arn: m.arn().unwrap_or_default().to_string(),
        alias,
        description: m.description().filter(|d| !d.is_empty()).map(str::to_string),
        state: m.key_state().map_or(KeyState::Unknown, |s| KeyState::parse(s.as_str())),
        manager: match m.key_manager().map(|k| k.as_str()) {
            Some("AWS") => KeyManager::Aws,
            _ => KeyManager::Customer,
        },
        spec: m.key_spec().map(|s| s.as_str().to_string()).unwrap_or_default(),
        usage: m.key_usage().map(|u| u.as_str().to_string()).unwrap_or_default(),
        origin: m.origin().map(|o| o.as_str().to_string()).unwrap_or_default(),
        rotation_enabled: None,
        rotation_period_days: None,
        next_rotation: None,
        on_demand_rotation_started: None,
        deletion_date: from_smithy(m.deletion_date()),
        material_expires: from_smithy(m.valid_to()),
        multi_region: m
            .multi_region_configuration()
            .and_then(|c| c.multi_region_key_type())
            .map(|t| t.as_str().to_string()),
        created: from_smithy(m.creation_date()),
        dependents: Vec::new(),
    }
}

async fn apply(source: &AwsSource, action: &Action, targets: &[Target]) -> Vec<TargetOutcome> {
    one_by_one(targets, |target| async move {
        let caller = source.caller(Service::Kms);
        let kms = source.client::<aws_sdk_kms::Client>();
        let result = match action {
            Action::CancelKeyDeletion => source
                    .paced(Service::Kms, "CancelKeyDeletion", kms.cancel_key_deletion().key_id(&target.id).send())
                    .await
                    .map(|_| ())
                    .map_err(|e| errors::classify(caller, "CancelKeyDeletion", &e)),
            Action::EnableKey => source
                    .paced(Service::Kms, "EnableKey", kms.enable_key().key_id(&target.id).send())
                    .await
                    .map(|_| ())
                    .map_err(|e| errors::classify(caller, "EnableKey", &e)),
            Action::EnableKeyRotation { period_days } => source
                    .paced(
                        Service::Kms,
                        "EnableKeyRotation",
                        kms.enable_key_rotation().key_id(&target.id).rotation_period_in_days(*period_days).send(),
                    )
                    .await
                    .map(|_| ())
                    .map_err(|e| errors::classify(caller, "EnableKeyRotation", &e)),
        };
        result.map_err(|e| e.to_string())
    })
    .await
}

pub struct Pane;

impl super::AwsPane for Pane {
    type Model = crate::model::panes::keys::Pane;
    const CLIENTS: &'static [fn(&Clients) -> ClientSettings] = &[
        settings_of::<aws_sdk_kms::Client>,
        settings_of::<aws_sdk_secretsmanager::Client>,
        settings_of::<aws_sdk_acmpca::Client>,
        settings_of::<aws_sdk_cloudhsmv2::Client>,
        settings_of::<aws_sdk_acm::Client>,
    ];

    fn fetch<'a>(
        source: &'a AwsSource,
        _now: Timestamp,
        _options: crate::source::FetchOptions,
        _progress: &'a crate::source::Progress,
    ) -> BoxFuture<'a, Result<crate::source::Fetched, SourceError>> {
        Box::pin(source.each_account(move |i| async move {
            let source = source.account_source(i);
            let mut warnings = Vec::new();
            let keys = fetch(source, &mut warnings).await?;
            // A private CA or CloudHSM that cannot be read leaves the keys shown, and says why.
            let authorities = authorities(source, &mut warnings).await.unwrap_or_else(|e| {
                warnings.push(format!("private CAs: {e}"));
                Vec::new()
            });
            let clusters = clusters(source).await.unwrap_or_else(|e| {
                warnings.push(format!("CloudHSM: {e}"));
                Vec::new()
            });
            let mut fetched: crate::source::Fetched = PaneData::Keys(KeysReport { keys, authorities, clusters }).into();
            fetched.warnings = warnings;
            Ok(fetched)
        }))
    }

    fn apply<'a>(source: &'a AwsSource, action: &'a Action, targets: &'a [Target]) -> BoxFuture<'a, Vec<TargetOutcome>> {
        Box::pin(apply(source, action, targets))
    }
}
