//! Findings of the new Security Hub (the unified one beside Security Hub CSPM): OCSF documents as
//! GetFindingsV2 returns them, read into the triage list's [`Finding`], and its exposure findings
//! (one per resource, correlating what several services found about it) read as [`Exposure`]s.
//!
//! Field names are OCSF 1.x as Security Hub emits them (the API reference's `OcsfStringField`
//! values): `finding_info.uid` is the finding's own id (a GuardDuty finding's ARN, a CSPM finding's
//! ASFF `Id`), `metadata.uid` the new Security Hub's id that BatchUpdateFindingsV2 addresses,
//! `metadata.product.uid` the product (`arn:aws:securityhub:<region>::productv2/aws/<service>`).
//! Times are `*_dt` ISO 8601 texts or their epoch-millisecond siblings. Anything missing reads as
//! empty: a document is AWS's, and a field it leaves out must not lose the finding.

use super::finding::{Finding, FindingOrigin, Product, RecordState, WorkflowStatus, guardduty_id_from_arn};
use super::severity::SeverityLabel;
use super::time::Timestamp;
use serde::Serialize;
use serde_json::Value;

/// The detail the new Security Hub's `metadata.uid` is kept under (BatchUpdateFindingsV2 and
/// CreateTicketV2 address a finding by it).
pub const OCSF_UID: &str = "OCSF uid";
/// The detail a ticket opened for the finding (CreateTicketV2) is shown under: `SEC-12 https://...`.
pub const TICKET: &str = "Ticket";
/// The detail each trait of an exposure is kept under: `Reachability: Publicly Invocable`.
pub const EXPOSURE_TRAIT: &str = "Exposure trait";
/// The detail each contributing finding of an exposure is kept under: `uid · product · title`.
pub const CONTRIBUTING: &str = "Contributing finding";
/// Between the parts of a [`CONTRIBUTING`] detail and the values of an [`EXPOSURE_TRAIT`].
const SEPARATOR: &str = " · ";

/// The product id exposure findings carry (`productv2/aws/securityhub-risk`, "Security Hub
/// Exposure Analysis").
pub const EXPOSURE_PRODUCT: &str = "securityhub-risk";

/// OCSF `severity_id`: 1 Informational ... 5 Critical, 6 Fatal (read as Critical: the triage list
/// has no higher label), 0 Unknown and 99 Other (Informational: nothing says more).
pub fn severity_of(severity_id: i64) -> (SeverityLabel, u8) {
    match severity_id {
        2 => (SeverityLabel::Low, 30),
        3 => (SeverityLabel::Medium, 50),
        4 => (SeverityLabel::High, 70),
        5 => (SeverityLabel::Critical, 90),
        6 => (SeverityLabel::Critical, 100),
        _ => (SeverityLabel::Informational, 0),
    }
}

/// The `SeverityId` BatchUpdateFindingsV2 takes for a label.
pub fn severity_id(label: SeverityLabel) -> i32 {
    match label {
        SeverityLabel::Informational => 1,
        SeverityLabel::Low => 2,
        SeverityLabel::Medium => 3,
        SeverityLabel::High => 4,
        SeverityLabel::Critical => 5,
    }
}

/// The `StatusId` BatchUpdateFindingsV2 takes for a workflow status: New 1, In Progress 2 (what
/// NOTIFIED means in CSPM: someone is on it), Suppressed 3, Resolved 4.
pub fn status_id(status: WorkflowStatus) -> i32 {
    match status {
        WorkflowStatus::New => 1,
        WorkflowStatus::Notified => 2,
        WorkflowStatus::Suppressed => 3,
        WorkflowStatus::Resolved => 4,
    }
}

/// A finding's workflow and record state from its OCSF `status_id`: Archived (5) leaves the list as
/// an archived CSPM record does; Unknown (0) and Other (99) read as New.
fn state_of(status_id: i64) -> (WorkflowStatus, RecordState) {
    match status_id {
        2 => (WorkflowStatus::Notified, RecordState::Active),
        3 => (WorkflowStatus::Suppressed, RecordState::Active),
        4 => (WorkflowStatus::Resolved, RecordState::Active),
        5 => (WorkflowStatus::Resolved, RecordState::Archived),
        _ => (WorkflowStatus::New, RecordState::Active),
    }
}

fn at<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(doc, |value, key| value.get(key))
}

fn text<'a>(doc: &'a Value, path: &str) -> &'a str {
    at(doc, path).and_then(Value::as_str).unwrap_or_default()
}

fn number(doc: &Value, path: &str) -> Option<i64> {
    at(doc, path).and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)))
}

fn list<'a>(doc: &'a Value, path: &str) -> &'a [Value] {
    at(doc, path).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

/// An OCSF time: `<path>_dt` (ISO 8601) or `<path>` (epoch milliseconds).
fn time(doc: &Value, path: &str) -> Option<Timestamp> {
    let iso = at(doc, &format!("{path}_dt")).and_then(Value::as_str);
    if let Some(t) = iso.and_then(|iso| chrono::DateTime::parse_from_rfc3339(iso).ok()) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    number(doc, path).and_then(chrono::DateTime::from_timestamp_millis)
}

/// Whether a product uid is AWS's own product of the new Security Hub:
/// `arn:<partition>:securityhub:<region>::productv2/aws/<service>`.
fn aws_product(product_uid: &str, service: &str) -> bool {
    let parts: Vec<&str> = product_uid.splitn(6, ':').collect();
    matches!(parts.as_slice(), ["arn", partition, "securityhub", region, "", tail]
        if partition.starts_with("aws") && !region.is_empty() && tail.strip_prefix("productv2/aws/") == Some(service))
}

/// Whether the document is an exposure finding: Security Hub Exposure Analysis's product, or
/// Security Hub's own product with the analytic named Exposure (the user guide's sample) or the
/// feature `security-hub/Exposure`. Any other product saying so is not believed: an exposure ranks
/// every finding on its resource higher.
pub fn is_exposure_document(doc: &Value) -> bool {
    let product = text(doc, "metadata.product.uid");
    aws_product(product, EXPOSURE_PRODUCT)
        || aws_product(product, "securityhub")
            && (text(doc, "finding_info.analytic.name") == "Exposure"
                || text(doc, "metadata.product.feature.uid") == "security-hub/Exposure")
}

/// An exposure's traits, in the order they first appear, each with its values: `tags[]`
/// (`{name, values}`, the user guide's sample) and OCSF 1.5 `traits[]` (`{category, name, values}`)
/// of every related event.
fn traits_of(doc: &Value) -> Vec<(String, Vec<String>)> {
    let mut traits: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |name: &str, values: Vec<String>| {
        if name.is_empty() {
            return;
        }
        let index = match traits.iter().position(|(n, _)| n == name) {
            Some(i) => i,
            None => {
                traits.push((name.to_string(), Vec::new()));
                traits.len() - 1
            }
        };
        for value in values {
            if !traits[index].1.contains(&value) {
                traits[index].1.push(value);
            }
        }
    };
    let strings = |v: &Value, key: &str| -> Vec<String> {
        list(v, key).iter().filter_map(Value::as_str).map(str::to_string).collect()
    };
    for event in list(doc, "finding_info.related_events") {
        for tag in list(event, "tags") {
            let mut values = strings(tag, "values");
            values.extend(tag.get("value").and_then(Value::as_str).map(str::to_string));
            add(text(tag, "name"), values);
        }
        for t in list(event, "traits") {
            let category = text(t, "category");
            let mut values = strings(t, "values");
            if values.is_empty() && !category.is_empty() {
                values.extend(t.get("name").and_then(Value::as_str).map(str::to_string));
            }
            add(if category.is_empty() { text(t, "name") } else { category }, values);
        }
    }
    traits
}

/// The last segment of a product uid: `guardduty` of `...::productv2/aws/guardduty`.
fn product_short(product_uid: &str) -> &str {
    product_uid.rsplit('/').next().unwrap_or(product_uid)
}

/// A finding of the triage list from an OCSF document. `None` for a document without any id.
pub fn finding_from_ocsf(doc: &Value) -> Option<Finding> {
    let metadata_uid = text(doc, "metadata.uid");
    let finding_uid = text(doc, "finding_info.uid");
    let id = if finding_uid.is_empty() { metadata_uid } else { finding_uid };
    if id.is_empty() {
        return None;
    }
    let product_uid = text(doc, "metadata.product.uid");
    let exposure = is_exposure_document(doc);
    let product = if exposure {
        Product::Exposure
    } else if product_uid.is_empty() {
        Product::Other(text(doc, "metadata.product.name").to_string())
    } else {
        Product::from_product_arn(product_uid)
    };
    let (severity, severity_score) = severity_of(number(doc, "severity_id").unwrap_or(0));
    let (workflow_status, record_state) = state_of(number(doc, "status_id").unwrap_or(1));
    let resource = list(doc, "resources").first();
    let created = time(doc, "finding_info.created_time").or_else(|| time(doc, "time")).unwrap_or_default();
    let updated = time(doc, "finding_info.modified_time").or_else(|| time(doc, "time")).unwrap_or(created);
    let first_seen = time(doc, "finding_info.first_seen_time").unwrap_or(created);
    let last_seen = time(doc, "finding_info.last_seen_time").unwrap_or(updated);
    let mut details: Vec<(String, String)> = Vec::new();
    if !metadata_uid.is_empty() {
        details.push((OCSF_UID.into(), metadata_uid.into()));
    }
    for evidence in list(doc, "evidences") {
        let ip = text(evidence, "src_endpoint.ip");
        if !ip.is_empty() {
            details.push(("Source IP".into(), ip.into()));
        }
    }
    let compliance = text(doc, "compliance.status");
    if !compliance.is_empty() {
        details.push(("Compliance".into(), compliance.to_uppercase()));
    }
    let standards: Vec<&str> = list(doc, "compliance.standards").iter().filter_map(Value::as_str).collect();
    if !standards.is_empty() {
        details.push((super::risk::STANDARDS.into(), standards.join(", ")));
    }
    for vulnerability in list(doc, "vulnerabilities") {
        let cve = text(vulnerability, "cve.uid");
        if !cve.is_empty() {
            details.push(("CVE".into(), cve.into()));
        }
        if let Some(exploit) = vulnerability.get("is_exploit_available").and_then(Value::as_bool) {
            details.push((super::risk::EXPLOIT_AVAILABLE.into(), if exploit { "YES" } else { "NO" }.into()));
        }
    }
    let comment = text(doc, "comment");
    if !comment.is_empty() {
        details.push(("Note".into(), comment.into()));
    }
    if exposure {
        for (name, values) in traits_of(doc) {
            details.push((EXPOSURE_TRAIT.into(), format!("{name}: {}", values.join(SEPARATOR))));
        }
        for event in list(doc, "finding_info.related_events") {
            let product = product_short(text(event, "product.uid"));
            let uid = text(event, "uid");
            if !uid.is_empty() {
                details.push((
                    CONTRIBUTING.into(),
                    format!("{uid}{SEPARATOR}{product}{SEPARATOR}{}", text(event, "title")),
                ));
            }
        }
    }
    let guardduty_id =
        aws_product(product_uid, "guardduty").then(|| guardduty_id_from_arn(finding_uid)).flatten().map(Into::into);
    let control = text(doc, "compliance.control");
    Some(Finding {
        id: id.to_string(),
        guardduty_id,
        product_arn: (!product_uid.is_empty()).then(|| product_uid.into()),
        severity,
        severity_score,
        title: text(doc, "finding_info.title").into(),
        description: text(doc, "finding_info.desc").into(),
        finding_type: list(doc, "finding_info.types").first().and_then(Value::as_str).unwrap_or_default().into(),
        resource_type: resource.map(|r| text(r, "type")).unwrap_or_default().into(),
        resource: resource.map(|r| text(r, "uid")).unwrap_or_default().into(),
        product,
        workflow_status,
        record_state,
        sources: vec![FindingOrigin::SecurityhubV2],
        count: number(doc, "count").filter(|n| *n > 0).unwrap_or(1) as u64,
        account_id: text(doc, "cloud.account.uid").into(),
        region: text(doc, "cloud.region").into(),
        first_seen,
        last_seen,
        updated_at: updated,
        control_id: (!control.is_empty()).then(|| control.into()),
        details: details.into_iter().map(|(label, value)| (label.into(), value.into())).collect(),
        risk: Default::default(),
    })
}

/// The new Security Hub's id of a finding read through it (what BatchUpdateFindingsV2 takes).
pub fn ocsf_uid(finding: &Finding) -> Option<&str> {
    finding.details.iter().find(|(label, _)| &**label == OCSF_UID).map(|(_, uid)| &**uid)
}

/// One trait of an exposure: `Reachability` with `["Publicly Invocable"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trait {
    pub name: String,
    pub values: Vec<String>,
}

/// A finding that made an exposure: its id, product (`inspector`) and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contributor {
    pub uid: String,
    pub product: String,
    pub title: String,
}

/// An exposure finding: what AWS correlated about one resource, with the findings it read it from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exposure {
    pub id: String,
    pub resource: String,
    pub severity: SeverityLabel,
    pub title: String,
    pub account: String,
    pub region: String,
    pub traits: Vec<Trait>,
    pub contributing: Vec<Contributor>,
}

impl Exposure {
    /// The exposure a finding is, if it is one.
    pub fn of(finding: &Finding) -> Option<Self> {
        if finding.product != Product::Exposure {
            return None;
        }
        let traits = finding
            .details
            .iter()
            .filter(|(label, _)| &**label == EXPOSURE_TRAIT)
            .map(|(_, value)| {
                let (name, values) = value.split_once(": ").unwrap_or((value, ""));
                let values = values.split(SEPARATOR).filter(|v| !v.is_empty()).map(str::to_string).collect();
                Trait { name: name.to_string(), values }
            })
            .collect();
        let contributing = finding
            .details
            .iter()
            .filter(|(label, _)| &**label == CONTRIBUTING)
            .map(|(_, value)| {
                let mut parts = value.splitn(3, SEPARATOR);
                let mut next = || parts.next().unwrap_or_default().to_string();
                Contributor { uid: next(), product: next(), title: next() }
            })
            .collect();
        Some(Self {
            id: finding.id.clone(),
            resource: finding.resource.to_string(),
            severity: finding.severity,
            title: finding.title.to_string(),
            account: finding.account_id.to_string(),
            region: finding.region.to_string(),
            traits,
            contributing,
        })
    }

    /// "reachable + vulnerable + sensitive data": the traits as the ranking's reason says them.
    pub fn summary(&self) -> String {
        self.traits.iter().map(|t| trait_word(&t.name)).collect::<Vec<_>>().join(" + ")
    }
}

/// A trait as an adjective of the resource: what the on-call engineer says aloud.
pub fn trait_word(name: &str) -> String {
    match name {
        "Reachability" => "reachable".into(),
        "Vulnerability" => "vulnerable".into(),
        "Sensitive Data" => "sensitive data".into(),
        "Misconfiguration" => "misconfigured".into(),
        "Assumability" => "assumable".into(),
        "Impact" => "high impact".into(),
        other => other.to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The regular finding of tests/moto/README.md (GuardDuty, OCSF 1.6 as Security Hub emits it).
    pub fn guardduty_document() -> Value {
        json!({
            "activity_id": 1, "activity_name": "Create", "class_name": "Detection Finding", "class_uid": 2004,
            "cloud": {"account": {"uid": "123456789012"}, "provider": "AWS", "region": "us-east-1"},
            "evidences": [{"src_endpoint": {"ip": "198.51.100.7", "port": 40123}}],
            "finding_info": {
                "created_time_dt": "2026-11-20T08:00:00.000Z", "first_seen_time_dt": "2026-11-20T07:58:12.000Z",
                "last_seen_time_dt": "2026-11-20T08:00:00.000Z", "modified_time_dt": "2026-11-20T08:00:00.000Z",
                "desc": "198.51.100.7 is performing SSH brute force attacks.",
                "title": "198.51.100.7 is performing SSH brute force attacks against i-0abcd1234ef567890.",
                "types": ["UnauthorizedAccess:EC2/SSHBruteForce"],
                "uid": "arn:aws:guardduty:us-east-1:123456789012:detector/12abc/finding/2a3b4c"},
            "metadata": {"product": {"name": "GuardDuty", "uid": "arn:aws:securityhub:us-east-1::productv2/aws/guardduty"},
                         "uid": "m-1", "version": "1.6.0"},
            "resources": [{"type": "AWS::EC2::Instance", "uid": "i-0abcd1234ef567890", "region": "us-east-1"}],
            "severity": "High", "severity_id": 4, "status": "New", "status_id": 1
        })
    }

    /// The user guide's sample exposure finding, with one OCSF 1.5 trait object beside its tags.
    pub fn exposure_document() -> Value {
        json!({
            "class_uid": 2004,
            "cloud": {"account": {"uid": "123456789012"}, "region": "us-east-1"},
            "finding_info": {
                "analytic": {"name": "Exposure"},
                "created_time_dt": "2026-11-21T21:39:26.337Z",
                "title": "Publicly invocable Lambda function has vulnerability with known exploit",
                "types": ["Exposure/Potential Impact/Resource Hijacking"],
                "uid": "arn:aws:securityhub:us-east-1:123456789012:risk:1234",
                "related_events": [
                    {"tags": [{"name": "Vulnerability", "values": ["Exploit Available", "Attack Vector Network"]}],
                     "product": {"uid": "arn:aws:securityhub:us-east-1::productv2/aws/inspector"},
                     "title": "CVE-2023-33246 - rocketmq", "uid": "arn:aws:inspector2:us-east-1:123456789012:finding/1"},
                    {"tags": [{"name": "Reachability", "values": ["Publicly Invocable"]}],
                     "traits": [{"category": "Sensitive Data", "name": "PII"}],
                     "product": {"uid": "arn:aws:securityhub:us-east-1::productv2/aws/securityhub"},
                     "title": "Lambda function policies should prohibit public access",
                     "uid": "arn:aws:securityhub:us-east-1:123456789012:security-control/Lambda.1/finding/a1"}]},
            "metadata": {"product": {"name": "Security Hub Exposure Analysis",
                                     "uid": "arn:aws:securityhub:us-east-1::productv2/aws/securityhub-risk"},
                         "uid": "m-2"},
            "resources": [{"type": "AwsLambdaFunction", "uid": "arn:aws:lambda:us-east-1:123456789012:function:app"}],
            "severity": "Critical", "severity_id": 5, "status_id": 1
        })
    }

    #[test]
    fn a_guardduty_document_reads_as_a_guardduty_finding() {
        let f = finding_from_ocsf(&guardduty_document()).unwrap();
        assert_eq!(f.id, "arn:aws:guardduty:us-east-1:123456789012:detector/12abc/finding/2a3b4c");
        assert_eq!(f.guardduty_id.as_deref(), Some("2a3b4c"));
        assert_eq!(f.product, Product::GuardDuty);
        assert_eq!((f.severity, f.severity_score), (SeverityLabel::High, 70));
        assert_eq!(f.workflow_status, WorkflowStatus::New);
        assert_eq!((&*f.account_id, &*f.region), ("123456789012", "us-east-1"));
        assert_eq!(&*f.resource, "i-0abcd1234ef567890");
        assert_eq!(f.first_seen.to_rfc3339(), "2026-11-20T07:58:12+00:00");
        assert_eq!(ocsf_uid(&f), Some("m-1"));
        assert_eq!(f.sources, vec![FindingOrigin::SecurityhubV2]);
        assert!(Exposure::of(&f).is_none());
    }

    #[test]
    fn an_imitated_guardduty_id_of_another_product_is_not_guardduty() {
        let mut doc = guardduty_document();
        doc["metadata"]["product"]["uid"] =
            json!("arn:aws:securityhub:us-east-1:123456789012:productv2/custom/guardduty");
        assert_eq!(finding_from_ocsf(&doc).unwrap().guardduty_id, None);
    }

    #[test]
    fn an_exposure_keeps_its_traits_and_contributing_findings() {
        let f = finding_from_ocsf(&exposure_document()).unwrap();
        assert_eq!(f.product, Product::Exposure);
        let exposure = Exposure::of(&f).unwrap();
        assert_eq!(exposure.resource, "arn:aws:lambda:us-east-1:123456789012:function:app");
        assert_eq!(exposure.severity, SeverityLabel::Critical);
        let names: Vec<&str> = exposure.traits.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Vulnerability", "Reachability", "Sensitive Data"]);
        assert_eq!(exposure.traits[0].values, ["Exploit Available", "Attack Vector Network"]);
        assert_eq!(exposure.traits[2].values, ["PII"]);
        assert_eq!(exposure.summary(), "vulnerable + reachable + sensitive data");
        assert_eq!(exposure.contributing.len(), 2);
        assert_eq!(exposure.contributing[0].product, "inspector");
        assert_eq!(exposure.contributing[1].title, "Lambda function policies should prohibit public access");
    }

    #[test]
    fn only_security_hub_itself_can_say_a_finding_is_an_exposure() {
        let mut doc = exposure_document();
        doc["metadata"]["product"]["uid"] =
            json!("arn:aws:securityhub:us-east-1:123456789012:productv2/custom/scanner");
        assert_ne!(finding_from_ocsf(&doc).unwrap().product, Product::Exposure);
        doc["metadata"]["product"]["uid"] = json!("arn:aws:securityhub:us-east-1::productv2/aws/securityhub");
        assert_eq!(finding_from_ocsf(&doc).unwrap().product, Product::Exposure, "Security Hub's analytic");
    }

    #[test]
    fn status_and_severity_ids_map_both_ways() {
        for status in
            [WorkflowStatus::New, WorkflowStatus::Notified, WorkflowStatus::Suppressed, WorkflowStatus::Resolved]
        {
            assert_eq!(state_of(i64::from(status_id(status))).0, status);
        }
        for label in SeverityLabel::ALL {
            assert_eq!(severity_of(i64::from(severity_id(label))).0, label);
        }
        assert_eq!(state_of(5).1, RecordState::Archived);
        assert_eq!(severity_of(6), (SeverityLabel::Critical, 100));
    }

    #[test]
    fn a_document_missing_fields_still_reads_and_one_without_ids_does_not() {
        assert!(finding_from_ocsf(&json!({})).is_none());
        let f = finding_from_ocsf(&json!({"metadata": {"uid": "x"}, "time": 1_700_000_000_000_i64})).unwrap();
        assert_eq!(f.id, "x");
        assert_eq!(f.updated_at.timestamp(), 1_700_000_000);
        assert_eq!(f.severity, SeverityLabel::Informational);
    }
}
