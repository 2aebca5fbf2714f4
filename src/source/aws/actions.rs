//! Triage actions against AWS, within each API's batch limits: BatchUpdateFindings takes 100
//! findings, the GuardDuty calls 50 ids per detector. Every target gets an outcome: processed,
//! unprocessed with the service's reason, or the call's error.

use super::budget::Service;
use super::{AwsSource, errors};
use crate::model::panes::certificates::Action as CertificateAction;
use crate::model::panes::findings::Action as FindingAction;
use crate::model::panes::secrets::Action as SecretAction;
use crate::model::panes::users::Action as UserAction;
use crate::model::triage::{Target, TargetOutcome};
use aws_sdk_guardduty::types::Feedback;
use aws_sdk_securityhub::types::{
    AwsSecurityFindingIdentifier, NoteUpdate, SeverityLabel as ShSeverity, SeverityUpdate, VerificationState,
    WorkflowStatus as ShWorkflow, WorkflowUpdate,
};
use std::collections::BTreeMap;

const SECURITY_HUB_BATCH: usize = 100;
const GUARDDUTY_BATCH: usize = 50;

/// A finding's triage: Security Hub BatchUpdateFindings or GuardDuty's calls.
pub async fn findings(source: &AwsSource, action: &FindingAction, targets: &[Target]) -> Vec<TargetOutcome> {
    match action {
        FindingAction::SetWorkflow { .. }
        | FindingAction::SetSeverity { .. }
        | FindingAction::SetVerification { .. } => {
            // A finding only the new Security Hub holds goes through BatchUpdateFindingsV2.
            let (ocsf, cspm): (Vec<&Target>, Vec<&Target>) = targets.iter().partition(|t| t.is_ocsf_only());
            let cspm: Vec<Target> = cspm.into_iter().cloned().collect();
            let mut outcomes = batch_update_findings(source, action, &cspm).await;
            if !ocsf.is_empty() {
                outcomes.extend(super::securityhub_v2::triage(source, action, &ocsf).await);
            }
            outcomes
        }
        FindingAction::ArchiveGuardDuty
        | FindingAction::UnarchiveGuardDuty
        | FindingAction::GuardDutyFeedback { .. } => guardduty(source, action, targets).await,
        FindingAction::OpenTicket => super::securityhub_v2::open_tickets(source, targets).await,
        // Boxed: a rule's calls would otherwise make every finding action's future as large as
        // theirs (the test threads' 2 MB stacks run these futures).
        FindingAction::SuppressLikeThis { note } => {
            Box::pin(super::automation::suppress_like(source, note, targets)).await
        }
        FindingAction::DeleteAutomationRule => Box::pin(super::automation::delete(source, targets)).await,
        // `vigil live setup` and `teardown` make their own calls (`source::aws::live`).
        FindingAction::LiveSetup { .. } | FindingAction::LiveTeardown { .. } | FindingAction::HistorySetup { .. } => {
            targets
                .iter()
                .map(|t| {
                    TargetOutcome::failed(
                        t.clone(),
                        "done by `vigil live setup`, `vigil live teardown` and `vigil history setup`",
                    )
                })
                .collect()
        }
    }
}

/// Each target's call, one after another: every target gets its own outcome.
pub async fn one_by_one<'a, F, Fut>(targets: &'a [Target], call: F) -> Vec<TargetOutcome>
where
    F: Fn(&'a Target) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let mut outcomes = Vec::with_capacity(targets.len());
    for target in targets {
        outcomes.push(match call(target).await {
            Ok(()) => TargetOutcome::ok(target.clone()),
            Err(e) => TargetOutcome::failed(target.clone(), e),
        });
    }
    outcomes
}

async fn batch_update_findings(source: &AwsSource, action: &FindingAction, targets: &[Target]) -> Vec<TargetOutcome> {
    let caller = source.caller(Service::SecurityHub);
    let updated_by = source.info.principal.clone().unwrap_or_else(|| "vigil".into());
    let mut outcomes = Vec::with_capacity(targets.len());
    for chunk in targets.chunks(SECURITY_HUB_BATCH) {
        let identifiers = chunk
            .iter()
            .map(|t| {
                AwsSecurityFindingIdentifier::builder()
                    .id(&t.id)
                    .product_arn(t.product_arn.clone().unwrap_or_default())
                    .build()
            })
            .collect();
        let mut request = source
            .client::<aws_sdk_securityhub::Client>()
            .batch_update_findings()
            .set_finding_identifiers(Some(identifiers));
        if let Some(text) = crate::model::triage::PaneAction::note(action) {
            request = request.note(NoteUpdate::builder().text(text).updated_by(&updated_by).build());
        }
        request = match action {
            FindingAction::SetWorkflow { status, .. } => {
                request.workflow(WorkflowUpdate::builder().status(ShWorkflow::from(status.as_str())).build())
            }
            FindingAction::SetSeverity { label, .. } => {
                request.severity(SeverityUpdate::builder().label(ShSeverity::from(label.as_str())).build())
            }
            FindingAction::SetVerification { state, .. } => {
                request.verification_state(VerificationState::from(state.as_str()))
            }
            _ => request,
        };
        match source.paced(Service::SecurityHub, "BatchUpdateFindings", request.send()).await {
            Ok(out) => {
                // A finding is its Id with its ProductArn: two findings of one Id are two results.
                let failed: BTreeMap<(String, String), String> = out
                    .unprocessed_findings()
                    .iter()
                    .map(|u| {
                        let id = u.finding_identifier().and_then(|i| i.id()).unwrap_or_default().to_string();
                        let product =
                            u.finding_identifier().and_then(|i| i.product_arn()).unwrap_or_default().to_string();
                        let code = u.error_code().unwrap_or("Unprocessed");
                        ((id, product), format!("{code}: {}", u.error_message().unwrap_or_default()))
                    })
                    .collect();
                let identity = |t: &Target| (t.id.clone(), t.product_arn.clone().unwrap_or_default());
                outcomes.extend(chunk.iter().map(|t| match failed.get(&identity(t)) {
                    Some(reason) => TargetOutcome::failed(t.clone(), reason.clone()),
                    None => TargetOutcome::ok(t.clone()),
                }));
            }
            Err(e) => {
                let reason = errors::classify(caller, "BatchUpdateFindings", &e).to_string();
                outcomes.extend(chunk.iter().map(|t| TargetOutcome::failed(t.clone(), reason.clone())));
            }
        }
    }
    outcomes
}

async fn guardduty(source: &AwsSource, action: &FindingAction, targets: &[Target]) -> Vec<TargetOutcome> {
    let caller = source.caller(Service::GuardDuty);
    // Archive, unarchive and feedback go through the caller's own detector: only an administrator
    // can act on a member's finding, and it does so with its own detector id, never the member's
    // id found in the finding.
    let mut ours = Vec::new();
    let mut outcomes = Vec::new();
    for target in targets {
        match &target.guardduty {
            Some(_) => ours.push(target),
            None => outcomes.push(TargetOutcome::failed(target.clone(), "not a GuardDuty finding")),
        }
    }
    if ours.is_empty() {
        return outcomes;
    }
    let detector = match super::panes::findings::list_detectors(source).await {
        Ok(detectors) => detectors.into_iter().next(),
        Err(e) => {
            outcomes.extend(ours.iter().map(|t| TargetOutcome::failed((*t).clone(), e.to_string())));
            return outcomes;
        }
    };
    let Some(detector) = detector else {
        let why = format!(
            "GuardDuty has no detector in account {} {}: archiving and feedback go through the caller's own detector (the administrator's for member findings)",
            source.info.account, source.info.region
        );
        outcomes.extend(ours.iter().map(|t| TargetOutcome::failed((*t).clone(), why.clone())));
        return outcomes;
    };
    let by_detector: BTreeMap<String, Vec<&Target>> = BTreeMap::from([(detector, ours)]);
    for (detector, list) in by_detector {
        for chunk in list.chunks(GUARDDUTY_BATCH) {
            let ids: Vec<String> =
                chunk.iter().filter_map(|t| t.guardduty.as_ref().map(|r| r.finding_id.clone())).collect();
            let (operation, result) = match action {
                FindingAction::ArchiveGuardDuty => (
                    "ArchiveFindings",
                    source
                        .paced(
                            Service::GuardDuty,
                            "ArchiveFindings",
                            source
                                .client::<aws_sdk_guardduty::Client>()
                                .archive_findings()
                                .detector_id(&detector)
                                .set_finding_ids(Some(ids))
                                .send(),
                        )
                        .await
                        .map(|_| ())
                        .map_err(|e| errors::classify(caller, "ArchiveFindings", &e)),
                ),
                FindingAction::UnarchiveGuardDuty => (
                    "UnarchiveFindings",
                    source
                        .paced(
                            Service::GuardDuty,
                            "UnarchiveFindings",
                            source
                                .client::<aws_sdk_guardduty::Client>()
                                .unarchive_findings()
                                .detector_id(&detector)
                                .set_finding_ids(Some(ids))
                                .send(),
                        )
                        .await
                        .map(|_| ())
                        .map_err(|e| errors::classify(caller, "UnarchiveFindings", &e)),
                ),
                FindingAction::GuardDutyFeedback { useful } => (
                    "UpdateFindingsFeedback",
                    source
                        .paced(
                            Service::GuardDuty,
                            "UpdateFindingsFeedback",
                            source
                                .client::<aws_sdk_guardduty::Client>()
                                .update_findings_feedback()
                                .detector_id(&detector)
                                .set_finding_ids(Some(ids))
                                .feedback(if *useful { Feedback::Useful } else { Feedback::NotUseful })
                                .send(),
                        )
                        .await
                        .map(|_| ())
                        .map_err(|e| errors::classify(caller, "UpdateFindingsFeedback", &e)),
                ),
                _ => ("", Ok(())),
            };
            tracing::info!(operation, detector = %detector, count = chunk.len(), "guardduty triage");
            outcomes.extend(chunk.iter().map(|t| match &result {
                Ok(()) => TargetOutcome::ok((*t).clone()),
                Err(e) => TargetOutcome::failed((*t).clone(), e.to_string()),
            }));
        }
    }
    outcomes
}

/// RotateSecret.
pub async fn secrets(source: &AwsSource, _action: &SecretAction, targets: &[Target]) -> Vec<TargetOutcome> {
    one_by_one(targets, |target| async move {
        let caller = source.caller(Service::SecretsManager);
        source
            .paced(
                Service::SecretsManager,
                "RotateSecret",
                source.client::<aws_sdk_secretsmanager::Client>().rotate_secret().secret_id(&target.id).send(),
            )
            .await
            .map(|_| ())
            .map_err(|e| errors::classify(caller, "RotateSecret", &e).to_string())
    })
    .await
}

/// RenewCertificate.
pub async fn certificates(source: &AwsSource, _action: &CertificateAction, targets: &[Target]) -> Vec<TargetOutcome> {
    one_by_one(targets, |target| async move {
        let caller = source.caller(Service::Acm);
        source
            .paced(
                Service::Acm,
                "RenewCertificate",
                source.client::<aws_sdk_acm::Client>().renew_certificate().certificate_arn(&target.id).send(),
            )
            .await
            .map(|_| ())
            .map_err(|e| errors::classify(caller, "RenewCertificate", &e).to_string())
    })
    .await
}

/// The Cognito admin calls on users.
pub async fn users(source: &AwsSource, action: &UserAction, targets: &[Target]) -> Vec<TargetOutcome> {
    let cognito = source.caller(Service::Cognito);
    one_by_one(targets, |target| async move {
        let user = || target.user.clone().ok_or_else(|| "not a Cognito user".to_string());
        match action {
            UserAction::DisableUser => {
                let u = user()?;
                source
                    .paced(
                        Service::Cognito,
                        "AdminDisableUser",
                        source
                            .client::<aws_sdk_cognitoidentityprovider::Client>()
                            .admin_disable_user()
                            .user_pool_id(&u.pool_id)
                            .username(&u.username)
                            .send(),
                    )
                    .await
                    .map(|_| ())
                    .map_err(|e| errors::classify(cognito, "AdminDisableUser", &e))
            }
            UserAction::EnableUser => {
                let u = user()?;
                source
                    .paced(
                        Service::Cognito,
                        "AdminEnableUser",
                        source
                            .client::<aws_sdk_cognitoidentityprovider::Client>()
                            .admin_enable_user()
                            .user_pool_id(&u.pool_id)
                            .username(&u.username)
                            .send(),
                    )
                    .await
                    .map(|_| ())
                    .map_err(|e| errors::classify(cognito, "AdminEnableUser", &e))
            }
            UserAction::GlobalSignOut => {
                let u = user()?;
                source
                    .paced(
                        Service::Cognito,
                        "AdminUserGlobalSignOut",
                        source
                            .client::<aws_sdk_cognitoidentityprovider::Client>()
                            .admin_user_global_sign_out()
                            .user_pool_id(&u.pool_id)
                            .username(&u.username)
                            .send(),
                    )
                    .await
                    .map(|_| ())
                    .map_err(|e| errors::classify(cognito, "AdminUserGlobalSignOut", &e))
            }
            UserAction::ResetPassword => {
                let u = user()?;
                source
                    .paced(
                        Service::Cognito,
                        "AdminResetUserPassword",
                        source
                            .client::<aws_sdk_cognitoidentityprovider::Client>()
                            .admin_reset_user_password()
                            .user_pool_id(&u.pool_id)
                            .username(&u.username)
                            .send(),
                    )
                    .await
                    .map(|_| ())
                    .map_err(|e| errors::classify(cognito, "AdminResetUserPassword", &e))
            }
        }
        .map_err(|e| e.to_string())
    })
    .await
}
