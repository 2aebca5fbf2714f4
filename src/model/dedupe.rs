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
/// of the same product whose `finding_info.uid` is the id of a finding already listed in the same
/// account (a CSPM finding's `Id`, a GuardDuty finding's ARN or id) is that finding read a third
/// way, and adds its origin and OCSF uid to its row; the row keeps CSPM's and GuardDuty's state,
/// where triage has gone so far (a GuardDuty finding without a CSPM copy takes the new Security
/// Hub's workflow: it is triaged there). A finding of another product whose id merely imitates one stays a
/// row of its own, as every other OCSF finding does, except CSPM's own control findings while CSPM
/// is on (`cspm_on`): CSPM is where controls are read and triaged, so a copy it no longer lists
/// open (resolved there) does not come back through the new Security Hub.
pub fn merge_with_ocsf(
    securityhub: Vec<Finding>,
    guardduty: Vec<Finding>,
    ocsf: Vec<Finding>,
    cspm_on: bool,
) -> Vec<Finding> {
    let mut merged = merge(securityhub, guardduty);
    absorb_ocsf(&mut merged, ocsf, cspm_on);
    let mut interner = Interner::new();
    for finding in &mut merged {
        finding.share_strings(&mut interner);
    }
    merged
}

/// The product a finding's product ARN names, the same for CSPM (`...:product/aws/inspector`) and
/// the new Security Hub (`...:productv2/aws/inspector`): `aws/inspector`. A GuardDuty finding
/// GuardDuty itself reported has no product ARN: `aws/guardduty`.
pub(crate) fn product_of(f: &Finding) -> &str {
    match f.product_arn.as_deref() {
        Some(arn) => {
            arn.rsplit_once(":product/").or_else(|| arn.rsplit_once(":productv2/")).map(|(_, tail)| tail).unwrap_or(arn)
        }
        None if f.guardduty_id.is_some() => "aws/guardduty",
        None => "",
    }
}

/// Lays OCSF findings over `merged` (see [`merge_with_ocsf`]).
pub fn absorb_ocsf(merged: &mut Vec<Finding>, ocsf: Vec<Finding>, cspm_on: bool) {
    if ocsf.is_empty() {
        return;
    }
    type Key = (SharedStr, String, String);
    let key = |f: &Finding, id: &str| (f.account_id.clone(), product_of(f).to_string(), id.to_string());
    let mut by_id: HashMap<Key, usize> = HashMap::with_capacity(merged.len() * 2);
    for (i, f) in merged.iter().enumerate() {
        by_id.insert(key(f, &f.id), i);
        if let Some(gd) = &f.guardduty_id {
            by_id.insert(key(f, gd), i);
        }
    }
    for finding in ocsf {
        let copy_of = by_id
            .get(&key(&finding, &finding.id))
            .or_else(|| by_id.get(&key(&finding, finding.guardduty_id.as_deref()?)))
            .copied();
        if copy_of.is_none() && cspm_on && product_of(&finding) == "aws/securityhub" {
            continue;
        }
        match copy_of {
            Some(index) => {
                let row = &mut merged[index];
                if !row.sources.contains(&FindingOrigin::SecurityhubV2) {
                    row.sources.push(FindingOrigin::SecurityhubV2);
                    row.sources.sort();
                }
                // Without a CSPM copy, the new Security Hub is where its workflow is set.
                if !row.sources.contains(&FindingOrigin::Securityhub) {
                    row.workflow_status = finding.workflow_status;
                }
                if let (None, Some(uid)) = (super::ocsf::ocsf_uid(row), super::ocsf::ocsf_uid(&finding)) {
                    row.details.push((super::ocsf::OCSF_UID.into(), uid.into()));
                }
            }
            None => {
                by_id.insert(key(&finding, &finding.id), merged.len());
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

pub(crate) fn absorb_securityhub_copy(guardduty: &mut Finding, securityhub: Finding) {
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
        let cspm_on = merge_with_ocsf(vec![control.clone()], vec![guardduty.clone()], ocsf.clone(), true);
        assert_eq!(
            cspm_on.len(),
            3,
            "CSPM on: the other account's control copy is not this row, and CSPM no longer lists it"
        );
        assert!(cspm_on.iter().all(|f| f.account_id == "123456789012"));
        let merged = merge_with_ocsf(vec![control], vec![guardduty], ocsf, false);
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

    #[test]
    fn an_ocsf_finding_of_another_product_imitating_an_id_is_its_own_row() {
        let control_id = "arn:aws:securityhub:us-east-1:123456789012:security-control/S3.1/finding/x";
        let control = finding(control_id, Product::SecurityHubControls, FindingOrigin::Securityhub);
        let custom = "arn:aws:securityhub:us-east-1:123456789012:productv2/custom/scanner";
        let imitation =
            finding_from(control_id, Product::from_product_arn(custom), custom, FindingOrigin::SecurityhubV2);
        let merged = merge_with_ocsf(vec![control], vec![], vec![imitation], true);
        assert_eq!(merged.len(), 2, "the imitation neither hides nor joins the real finding");
        assert_eq!(merged[0].sources, vec![FindingOrigin::Securityhub]);
    }

    #[test]
    fn a_control_copy_cspm_no_longer_lists_open_does_not_come_back_while_cspm_is_on() {
        let control_id = "arn:aws:securityhub:us-east-1:123456789012:security-control/S3.1/finding/x";
        let product = "arn:aws:securityhub:us-east-1::productv2/aws/securityhub";
        let copy = || finding_from(control_id, Product::SecurityHubControls, product, FindingOrigin::SecurityhubV2);
        assert!(merge_with_ocsf(vec![], vec![], vec![copy()], true).is_empty());
        assert_eq!(
            merge_with_ocsf(vec![], vec![], vec![copy()], false).len(),
            1,
            "CSPM off: the new Security Hub's word"
        );
    }
}
