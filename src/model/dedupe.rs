//! Merging GuardDuty's own findings with their Security Hub copies, so each shows once.

use super::finding::{Finding, FindingOrigin, guardduty_id_of_securityhub_finding};
use super::shared::{Interner, SharedStr};
use std::collections::HashMap;

/// Merges the two lists. A Security Hub finding whose `ProductArn` is GuardDuty's own and whose
/// `Id` ends in a GuardDuty finding id is the same finding as the GuardDuty one with that id (a
/// finding of another product that imitates the Id stays a finding of its own): the merged finding
/// keeps Security Hub's id, product ARN and workflow (triage happens there) and GuardDuty's
/// count, last-seen time and archived state (GuardDuty archiving does not reach Security Hub).
/// The merged batch shares its repeated texts (one allocation per distinct product ARN, type,
/// title, ...), whichever source built it.
pub fn merge_findings(securityhub: Vec<Finding>, guardduty: Vec<Finding>) -> Vec<Finding> {
    merge_findings_sharing(securityhub, guardduty, &mut Interner::new())
}

/// [`merge_findings`], then the new Security Hub's findings laid over the result: an OCSF finding
/// whose `finding_info.uid` is the id of a finding already listed in the same account (a CSPM
/// finding's `Id`, a GuardDuty finding's ARN or id) is that finding read a third way, and adds its
/// origin and OCSF uid to its row; the row keeps CSPM's and GuardDuty's state, where triage has
/// gone so far. Every other OCSF finding is a row of its own.
pub fn merge_with_ocsf(securityhub: Vec<Finding>, guardduty: Vec<Finding>, ocsf: Vec<Finding>) -> Vec<Finding> {
    let mut merged = merge(securityhub, guardduty);
    absorb_ocsf(&mut merged, ocsf);
    let mut interner = Interner::new();
    for finding in &mut merged {
        finding.share_strings(&mut interner);
    }
    merged
}

/// Lays OCSF findings over `merged` (see [`merge_with_ocsf`]).
pub fn absorb_ocsf(merged: &mut Vec<Finding>, ocsf: Vec<Finding>) {
    if ocsf.is_empty() {
        return;
    }
    let mut by_id: HashMap<(SharedStr, String), usize> = HashMap::with_capacity(merged.len() * 2);
    for (i, f) in merged.iter().enumerate() {
        by_id.insert((f.account_id.clone(), f.id.clone()), i);
        if let Some(gd) = &f.guardduty_id {
            by_id.insert((f.account_id.clone(), gd.to_string()), i);
        }
    }
    for finding in ocsf {
        let copy_of = by_id
            .get(&(finding.account_id.clone(), finding.id.clone()))
            .or_else(|| {
                let gd = finding.guardduty_id.as_ref()?;
                by_id.get(&(finding.account_id.clone(), gd.to_string()))
            })
            .copied();
        match copy_of {
            Some(index) => {
                let row = &mut merged[index];
                if !row.sources.contains(&FindingOrigin::SecurityhubV2) {
                    row.sources.push(FindingOrigin::SecurityhubV2);
                    row.sources.sort();
                }
                if let (None, Some(uid)) = (super::ocsf::ocsf_uid(row), super::ocsf::ocsf_uid(&finding)) {
                    row.details.push((super::ocsf::OCSF_UID.into(), uid.into()));
                }
            }
            None => {
                by_id.insert((finding.account_id.clone(), finding.id.clone()), merged.len());
                merged.push(finding);
            }
        }
    }
}

/// [`merge_findings`] with an interner that outlives the batch, for a source that adds to a list
/// it keeps (the demo account): later batches share the texts of earlier ones.
pub fn merge_findings_sharing(
    securityhub: Vec<Finding>,
    guardduty: Vec<Finding>,
    interner: &mut Interner,
) -> Vec<Finding> {
    let mut merged = merge(securityhub, guardduty);
    for finding in &mut merged {
        finding.share_strings(interner);
    }
    merged
}

fn merge(securityhub: Vec<Finding>, guardduty: Vec<Finding>) -> Vec<Finding> {
    let mut by_guardduty_id: HashMap<SharedStr, usize> = HashMap::with_capacity(guardduty.len());
    let mut merged: Vec<Finding> = Vec::with_capacity(securityhub.len() + guardduty.len());
    for mut finding in guardduty {
        if !finding.sources.contains(&FindingOrigin::Guardduty) {
            finding.sources.push(FindingOrigin::Guardduty);
        }
        if let Some(gd_id) = finding.guardduty_id.clone() {
            by_guardduty_id.insert(gd_id, merged.len());
        }
        merged.push(finding);
    }
    for finding in securityhub {
        let product_arn = finding.product_arn.as_deref().unwrap_or_default();
        let copy_of = guardduty_id_of_securityhub_finding(&finding.id, product_arn)
            .and_then(|gd_id| by_guardduty_id.get(gd_id).copied());
        match copy_of {
            Some(index) => absorb_securityhub_copy(&mut merged[index], finding),
            None => merged.push(finding),
        }
    }
    merged
}

fn absorb_securityhub_copy(guardduty: &mut Finding, securityhub: Finding) {
    guardduty.id = securityhub.id;
    guardduty.product_arn = securityhub.product_arn;
    guardduty.workflow_status = securityhub.workflow_status;
    if !guardduty.sources.contains(&FindingOrigin::Securityhub) {
        guardduty.sources.push(FindingOrigin::Securityhub);
    }
    guardduty.sources.sort();
    guardduty.updated_at = guardduty.updated_at.max(securityhub.updated_at);
    guardduty.first_seen = guardduty.first_seen.min(securityhub.first_seen);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::finding::{Product, RecordState, WorkflowStatus, guardduty_id_from_arn};
    use crate::model::severity::SeverityLabel;
    use chrono::{TimeZone, Utc};

    fn finding(id: &str, product: Product, origin: FindingOrigin) -> Finding {
        let product_arn = format!("arn:aws:securityhub:us-east-1::product/aws/{}", product.id());
        finding_from(id, product, &product_arn, origin)
    }

    fn finding_from(id: &str, product: Product, product_arn: &str, origin: FindingOrigin) -> Finding {
        let t = Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).single().unwrap();
        let guardduty_id = match origin {
            FindingOrigin::Guardduty => guardduty_id_from_arn(id),
            FindingOrigin::Securityhub | FindingOrigin::SecurityhubV2 => {
                guardduty_id_of_securityhub_finding(id, product_arn)
            }
        };
        Finding {
            id: id.into(),
            guardduty_id: guardduty_id.map(Into::into),
            product_arn: Some(product_arn.into()),
            severity: SeverityLabel::High,
            severity_score: 70,
            title: "t".into(),
            description: Default::default(),
            finding_type: "UnauthorizedAccess:EC2/SSHBruteForce".into(),
            resource_type: "AwsEc2Instance".into(),
            resource: "i-0abc".into(),
            product,
            workflow_status: WorkflowStatus::New,
            record_state: RecordState::Active,
            sources: vec![origin],
            count: 1,
            account_id: "123456789012".into(),
            region: "us-east-1".into(),
            first_seen: t,
            last_seen: t,
            updated_at: t,
            control_id: None,
            details: vec![],
            risk: Default::default(),
        }
    }

    const GD_ARN: &str = "arn:aws:guardduty:us-east-1:123456789012:detector/d1/finding/f1";

    #[test]
    fn guardduty_copy_in_security_hub_shows_once_marked_as_both() {
        let mut gd = finding(GD_ARN, Product::GuardDuty, FindingOrigin::Guardduty);
        gd.count = 42;
        let mut sh = finding(GD_ARN, Product::GuardDuty, FindingOrigin::Securityhub);
        sh.workflow_status = WorkflowStatus::Notified;
        let other = finding(
            "arn:aws:securityhub:us-east-1:123456789012:x/S3.1/1",
            Product::SecurityHubControls,
            FindingOrigin::Securityhub,
        );
        let merged = merge_findings(vec![sh, other], vec![gd]);
        assert_eq!(merged.len(), 2);
        let both = &merged[0];
        assert_eq!(both.sources, vec![FindingOrigin::Guardduty, FindingOrigin::Securityhub]);
        assert_eq!(both.count, 42, "GuardDuty's count wins");
        assert_eq!(both.workflow_status, WorkflowStatus::Notified, "Security Hub's workflow wins");
        assert_eq!(both.origin_label(), "GD+SH");
    }

    #[test]
    fn a_security_hub_finding_from_another_product_is_never_merged() {
        let gd = finding(GD_ARN, Product::GuardDuty, FindingOrigin::Guardduty);
        let inspector = finding(GD_ARN, Product::Inspector, FindingOrigin::Securityhub);
        assert_eq!(merge_findings(vec![inspector], vec![gd]).len(), 2);
    }

    #[test]
    fn a_custom_finding_imitating_a_guardduty_id_stays_apart_and_has_no_guardduty_identity() {
        let gd = finding(GD_ARN, Product::GuardDuty, FindingOrigin::Guardduty);
        let custom_arn = "arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default";
        let imitation = finding_from(GD_ARN, Product::GuardDuty, custom_arn, FindingOrigin::Securityhub);
        assert_eq!(imitation.guardduty_id, None);
        let merged = merge_findings(vec![imitation], vec![gd]);
        assert_eq!(merged.len(), 2, "never merged with the real GuardDuty finding");
        let custom = merged.iter().find(|f| f.sources == vec![FindingOrigin::Securityhub]).unwrap();
        assert_eq!(crate::model::triage::guardduty_ref(custom), None, "archiving it cannot reach GuardDuty");
    }

    #[test]
    fn guardduty_copy_without_the_original_stays() {
        let sh = finding(GD_ARN, Product::GuardDuty, FindingOrigin::Securityhub);
        let merged = merge_findings(vec![sh], vec![]);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].origin_label(), "SH");
    }

    #[test]
    fn an_ocsf_copy_joins_its_row_and_an_ocsf_only_finding_is_a_row() {
        let gd_arn = "arn:aws:guardduty:us-east-1:123456789012:detector/12abc/finding/9f8e7d";
        let guardduty = finding(gd_arn, Product::GuardDuty, FindingOrigin::Guardduty);
        let control_id = "arn:aws:securityhub:us-east-1:123456789012:security-control/S3.1/finding/x";
        let control = finding(control_id, Product::SecurityHubControls, FindingOrigin::Securityhub);
        let v2 = |id: &str, product: &str, uid: &str| {
            let mut f = finding_from(id, Product::from_product_arn(product), product, FindingOrigin::SecurityhubV2);
            f.guardduty_id = guardduty_id_from_arn(id).filter(|_| product.ends_with("/guardduty")).map(Into::into);
            f.details.push((crate::model::ocsf::OCSF_UID.into(), uid.into()));
            f
        };
        let ocsf = vec![
            v2(gd_arn, "arn:aws:securityhub:us-east-1::productv2/aws/guardduty", "m-gd"),
            v2(control_id, "arn:aws:securityhub:us-east-1::productv2/aws/securityhub", "m-control"),
            v2(
                "arn:aws:inspector2:us-east-1:123456789012:finding/1",
                "arn:aws:securityhub:us-east-1::productv2/aws/inspector",
                "m-insp",
            ),
        ];
        // The same id in another account is another finding.
        let mut elsewhere = v2(control_id, "arn:aws:securityhub:us-east-1::productv2/aws/securityhub", "m-other");
        elsewhere.account_id = "210987654321".into();
        let ocsf: Vec<Finding> = ocsf.into_iter().chain([elsewhere]).collect();
        let merged = merge_with_ocsf(vec![control], vec![guardduty], ocsf);
        assert_eq!(merged.len(), 4, "{merged:#?}");
        let gd_row = merged.iter().find(|f| f.id == gd_arn).unwrap();
        assert_eq!(gd_row.sources, vec![FindingOrigin::Guardduty, FindingOrigin::SecurityhubV2]);
        assert_eq!(crate::model::ocsf::ocsf_uid(gd_row), Some("m-gd"));
        let control_rows: Vec<&Finding> = merged.iter().filter(|f| f.id == control_id).collect();
        assert_eq!(control_rows.len(), 2);
        assert_eq!(control_rows[0].sources, vec![FindingOrigin::Securityhub, FindingOrigin::SecurityhubV2]);
        assert_eq!(
            control_rows[0].product_arn.as_deref(),
            Some("arn:aws:securityhub:us-east-1::product/aws/securityhub")
        );
        assert!(
            merged.iter().any(|f| f.product == Product::Inspector && f.sources == vec![FindingOrigin::SecurityhubV2])
        );
    }
}
