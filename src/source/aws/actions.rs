//! Triage actions against AWS, within each API's batch limits: BatchUpdateFindings takes 100
//! findings, the GuardDuty calls 50 ids per detector. Every target gets an outcome: processed,
//! unprocessed with the service's reason, or the call's error.

use super::budget::Service;
use super::{AwsSource, errors};
use crate::model::triage::{Target, TargetOutcome, TriageAction};
use aws_sdk_guardduty::types::Feedback;
use aws_sdk_securityhub::types::{
    AwsSecurityFindingIdentifier, NoteUpdate, SeverityLabel as ShSeverity, SeverityUpdate, VerificationState,
    WorkflowStatus as ShWorkflow, WorkflowUpdate,
};
use std::collections::BTreeMap;

const SECURITY_HUB_BATCH: usize = 100;
const GUARDDUTY_BATCH: usize = 50;

pub async fn apply(source: &AwsSource, action: &TriageAction, targets: &[Target]) -> Vec<TargetOutcome> {
    match action {
        TriageAction::SetWorkflow { .. } | TriageAction::SetSeverity { .. } | TriageAction::SetVerification { .. } => {
            batch_update_findings(source, action, targets).await
        }
        TriageAction::ArchiveGuardDuty | TriageAction::UnarchiveGuardDuty | TriageAction::GuardDutyFeedback { .. } => {
            guardduty(source, action, targets).await
        }
        _ => {
            let mut outcomes = Vec::with_capacity(targets.len());
            for target in targets {
                outcomes.push(match one(source, action, target).await {
                    Ok(()) => TargetOutcome::ok(target.clone()),
                    Err(e) => TargetOutcome::failed(target.clone(), e),
                });
            }
            outcomes
        }
    }
}

async fn batch_update_findings(source: &AwsSource, action: &TriageAction, targets: &[Target]) -> Vec<TargetOutcome> {
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
        if let Some(text) = action.note() {
            request = request.note(NoteUpdate::builder().text(text).updated_by(&updated_by).build());
        }
        request = match action {
            TriageAction::SetWorkflow { status, .. } => {
                request.workflow(WorkflowUpdate::builder().status(ShWorkflow::from(status.as_str())).build())
            }
            TriageAction::SetSeverity { label, .. } => {
                request.severity(SeverityUpdate::builder().label(ShSeverity::from(label.as_str())).build())
            }
            TriageAction::SetVerification { state, .. } => {
                request.verification_state(VerificationState::from(state.as_str()))
            }
            _ => request,
        };
        match source.paced(Service::SecurityHub, "BatchUpdateFindings", request.send()).await {
            Ok(out) => {
                let failed: BTreeMap<String, String> = out
                    .unprocessed_findings()
                    .iter()
                    .map(|u| {
                        let id = u.finding_identifier().and_then(|i| i.id()).unwrap_or_default().to_string();
                        let code = u.error_code().unwrap_or("Unprocessed");
                        (id, format!("{code}: {}", u.error_message().unwrap_or_default()))
                    })
                    .collect();
                outcomes.extend(chunk.iter().map(|t| match failed.get(&t.id) {
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

async fn guardduty(source: &AwsSource, action: &TriageAction, targets: &[Target]) -> Vec<TargetOutcome> {
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
                TriageAction::ArchiveGuardDuty => (
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
                TriageAction::UnarchiveGuardDuty => (
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
                TriageAction::GuardDutyFeedback { useful } => (
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

async fn one(source: &AwsSource, action: &TriageAction, target: &Target) -> Result<(), String> {
    let user = || target.user.clone().ok_or_else(|| "not a Cognito user".to_string());
    let cognito = source.caller(Service::Cognito);
    let result = match action {
        TriageAction::RotateSecret => {
            let caller = source.caller(Service::SecretsManager);
            source
                .paced(
                    Service::SecretsManager,
                    "RotateSecret",
                    source.client::<aws_sdk_secretsmanager::Client>().rotate_secret().secret_id(&target.id).send(),
                )
                .await
                .map(|_| ())
                .map_err(|e| errors::classify(caller, "RotateSecret", &e))
        }
        TriageAction::RenewCertificate => {
            let caller = source.caller(Service::Acm);
            source
                .paced(
                    Service::Acm,
                    "RenewCertificate",
                    source.client::<aws_sdk_acm::Client>().renew_certificate().certificate_arn(&target.id).send(),
                )
                .await
                .map(|_| ())
                .map_err(|e| errors::classify(caller, "RenewCertificate", &e))
        }
        TriageAction::DisableUser => {
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
        TriageAction::EnableUser => {
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
        TriageAction::GlobalSignOut => {
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
        TriageAction::ResetPassword => {
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
        _ => return Err("not a single-target action".into()),
    };
    result.map_err(|e| e.to_string())
}
