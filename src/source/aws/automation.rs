//! Security Hub automation rules: "suppress findings like this" makes one (CreateAutomationRule),
//! `:rules` lists them (ListAutomationRules) and deletes one (BatchDeleteAutomationRules). Rules
//! live in the account and Region that administers Security Hub (the aggregation Region of a
//! delegated administrator), where the console's own client points.

use super::budget::Service;
use super::{AwsSource, errors};
use crate::model::triage::{AutomationRule, Likeness, Target, TargetOutcome};
use aws_sdk_securityhub::types::{
    AutomationRulesAction, AutomationRulesActionType, AutomationRulesFindingFieldsUpdate,
    AutomationRulesFindingFilters, AwsSecurityFindingIdentifier, NoteUpdate, RuleStatus, StringFilter,
    StringFilterComparison, WorkflowStatus, WorkflowUpdate,
};

/// Where Vigil's rules go in the order: after the account's own rules (1 is applied first).
const RULE_ORDER: i32 = 1000;

fn equals(value: &str) -> Option<Vec<StringFilter>> {
    Some(vec![StringFilter::builder().value(value).comparison(StringFilterComparison::Equals).build()])
}

fn criteria(like: &Likeness) -> AutomationRulesFindingFilters {
    let mut filters = AutomationRulesFindingFilters::builder()
        .set_product_arn(equals(&like.product_arn))
        .set_aws_account_id(equals(&like.account))
        .set_resource_id(equals(&like.resource));
    if let Some(control) = &like.control {
        filters = filters.set_compliance_security_control_id(equals(control));
    }
    if let Some(kind) = &like.finding_type {
        filters = filters.set_type(equals(kind));
    }
    if let Some(title) = &like.title {
        filters = filters.set_title(equals(title));
    }
    filters.build()
}

/// One rule per target, then the target itself suppressed (a rule acts only on findings created
/// or updated after it): each target's outcome names its rule.
pub async fn suppress_like(source: &AwsSource, note: &str, targets: &[Target]) -> Vec<TargetOutcome> {
    let caller = source.caller(Service::SecurityHub);
    let client = source.client::<aws_sdk_securityhub::Client>();
    let updated_by = source.info.principal.clone().unwrap_or_else(|| "vigil".into());
    let mut outcomes = Vec::with_capacity(targets.len());
    // Findings alike share one rule (an account has at most 100 a Region).
    let mut rules: std::collections::HashMap<&Likeness, Result<String, String>> = Default::default();
    for target in targets {
        let Some(like) = target.likeness.as_deref() else {
            outcomes.push(TargetOutcome::failed(target.clone(), "no criteria for the rule (not sent)"));
            continue;
        };
        if let Some(made) = rules.get(like) {
            match made {
                Ok(rule) => outcomes.push(suppress_now(source, target, note, &updated_by, rule).await),
                Err(why) => outcomes.push(TargetOutcome::failed(target.clone(), why.clone())),
            }
            continue;
        }
        let note_update = || NoteUpdate::builder().text(note).updated_by(&updated_by).build();
        let update = AutomationRulesFindingFieldsUpdate::builder()
            .workflow(WorkflowUpdate::builder().status(WorkflowStatus::Suppressed).build())
            .note(note_update())
            .build();
        let action = AutomationRulesAction::builder()
            .r#type(AutomationRulesActionType::FindingFieldsUpdate)
            .finding_fields_update(update)
            .build();
        let description: String = format!("{note} (made by {updated_by} with Vigil)").chars().take(1024).collect();
        let create = client
            .create_automation_rule()
            .rule_name(like.rule_name())
            .description(description)
            .rule_order(RULE_ORDER)
            .rule_status(RuleStatus::Enabled)
            .is_terminal(false)
            .criteria(criteria(like))
            .actions(action)
            .send();
        let rule = match source.paced(Service::SecurityHub, "CreateAutomationRule", create).await {
            Ok(out) => out.rule_arn().unwrap_or_default().to_string(),
            Err(e) => {
                let reason = errors::classify(caller, "CreateAutomationRule", &e).to_string();
                rules.insert(like, Err(reason.clone()));
                outcomes.push(TargetOutcome::failed(target.clone(), reason));
                continue;
            }
        };
        rules.insert(like, Ok(rule.clone()));
        outcomes.push(suppress_now(source, target, note, &updated_by, &rule).await);
    }
    outcomes
}

/// The target itself suppressed with the note (BatchUpdateFindings); the outcome names its rule.
async fn suppress_now(source: &AwsSource, target: &Target, note: &str, updated_by: &str, rule: &str) -> TargetOutcome {
    let caller = source.caller(Service::SecurityHub);
    let identifier = AwsSecurityFindingIdentifier::builder()
        .id(&target.id)
        .product_arn(target.product_arn.clone().unwrap_or_default())
        .build();
    let update = source
        .client::<aws_sdk_securityhub::Client>()
        .batch_update_findings()
        .finding_identifiers(identifier)
        .workflow(WorkflowUpdate::builder().status(WorkflowStatus::Suppressed).build())
        .note(NoteUpdate::builder().text(note).updated_by(updated_by).build())
        .send();
    let not_suppressed = |why: &dyn std::fmt::Display| {
        TargetOutcome::failed(target.clone(), format!("rule {rule} made, but the finding was not suppressed: {why}"))
    };
    match source.paced(Service::SecurityHub, "BatchUpdateFindings", update).await {
        Ok(out) if out.unprocessed_findings().is_empty() => {
            TargetOutcome::ok_with(target.clone(), format!("rule {rule}"))
        }
        Ok(out) => {
            not_suppressed(&out.unprocessed_findings().first().and_then(|u| u.error_message()).unwrap_or("unprocessed"))
        }
        Err(e) => not_suppressed(&errors::classify(caller, "BatchUpdateFindings", &e)),
    }
}

/// BatchDeleteAutomationRules for the targets (rule ARNs), 100 at a time.
pub async fn delete(source: &AwsSource, targets: &[Target]) -> Vec<TargetOutcome> {
    let caller = source.caller(Service::SecurityHub);
    let client = source.client::<aws_sdk_securityhub::Client>();
    let mut outcomes = Vec::with_capacity(targets.len());
    for chunk in targets.chunks(100) {
        let call = client
            .batch_delete_automation_rules()
            .set_automation_rules_arns(Some(chunk.iter().map(|t| t.id.clone()).collect()))
            .send();
        match source.paced(Service::SecurityHub, "BatchDeleteAutomationRules", call).await {
            Ok(out) => outcomes.extend(chunk.iter().map(|t| {
                match out.unprocessed_automation_rules().iter().find(|u| u.rule_arn() == Some(t.id.as_str())) {
                    Some(u) => TargetOutcome::failed(
                        t.clone(),
                        format!(
                            "{}: {}",
                            u.error_code().unwrap_or_default(),
                            u.error_message().unwrap_or("unprocessed")
                        ),
                    ),
                    None => TargetOutcome::ok(t.clone()),
                }
            })),
            Err(e) => {
                let reason = errors::classify(caller, "BatchDeleteAutomationRules", &e).to_string();
                outcomes.extend(chunk.iter().map(|t| TargetOutcome::failed(t.clone(), reason.clone())));
            }
        }
    }
    outcomes
}

/// Every rule of the account and Region, in the order Security Hub applies them.
pub async fn list(source: &AwsSource) -> Result<Vec<AutomationRule>, String> {
    let caller = source.caller(Service::SecurityHub);
    let client = source.client::<aws_sdk_securityhub::Client>();
    let mut rules = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let call = client.list_automation_rules().max_results(100).set_next_token(token.take()).send();
        let page = source
            .paced(Service::SecurityHub, "ListAutomationRules", call)
            .await
            .map_err(|e| errors::classify(caller, "ListAutomationRules", &e).to_string())?;
        rules.extend(page.automation_rules_metadata().iter().map(|r| AutomationRule {
            arn: r.rule_arn().unwrap_or_default().to_string(),
            name: r.rule_name().unwrap_or_default().to_string(),
            status: r.rule_status().map(|s| s.as_str().to_string()).unwrap_or_default(),
            order: r.rule_order().unwrap_or_default(),
            description: r.description().unwrap_or_default().to_string(),
            created_at: super::time::from_smithy(r.created_at()),
            created_by: r.created_by().unwrap_or_default().to_string(),
        }));
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => break,
        }
    }
    rules.sort_by(|a, b| a.order.cmp(&b.order).then(a.created_at.cmp(&b.created_at)));
    Ok(rules)
}
