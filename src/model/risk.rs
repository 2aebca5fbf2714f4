//! What to look at first, and why: one priority per finding from its own severity, state, age and
//! recurrence, and from what the other findings say about the same resource (it holds sensitive
//! data, it is exposed, an attack sequence or a credential compromise involves it, several
//! products report it). Pure: the same on AWS and demo data; every weight is in [`Reason::weight`].

use super::finding::{Finding, Product};
pub use super::priority::{Reason, Risk};
use super::severity::SeverityLabel;
use super::time::Timestamp;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

/// Security Hub controls whose failure means the resource can be reached from outside.
const EXPOSURE_CONTROLS: &[&str] = &[
    "S3.1",
    "S3.2",
    "S3.3",
    "S3.8",
    "S3.19",
    "EC2.1",
    "EC2.9",
    "EC2.13",
    "EC2.14",
    "EC2.18",
    "EC2.19",
    "Lambda.1",
    "RDS.1",
    "RDS.2",
    "Redshift.1",
    "DMS.1",
    "SSM.4",
    "ES.2",
    "Opensearch.2",
];

/// Words of finding types that say a resource is reachable from outside.
const EXPOSURE_TYPES: &[&str] =
    &["BucketAnonymousAccessGranted", "BucketPublic", "BlockPublicAccessDisabled", "PublicAccess", "SharedExternally"];

/// Words of finding types that say credentials are compromised.
const CREDENTIAL_TYPES: &[&str] =
    &["CredentialExfiltration", "CompromisedCredentials", "RootCredentialUsage", "CredentialAccess:"];

/// Whether a control finding's control is one of `list`, as Security Hub names it (`S3.2`) or as a
/// standard's own control id does (`PCI.S3.2`, `CIS.4.1` are not the same ids: only the suffix of a
/// `PCI.` id is compared).
fn control_in(control: &str, list: &[&str]) -> bool {
    let id = control.strip_prefix("PCI.").unwrap_or(control);
    list.contains(&id)
}

/// What the findings on one resource say about it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct ResourceFacts {
    sensitive: bool,
    exposed: bool,
    attack: bool,
    credentials: bool,
    /// An open exposure finding of the new Security Hub names it.
    correlated: bool,
    /// Distinct products, as bits (at most 32 kinds told apart; enough to say "several").
    products: u32,
}

impl ResourceFacts {
    /// What one open finding on the resource (or a sensitive-data one, open or not) says of it.
    fn learn(&mut self, f: &Finding, types: TypeFacts) {
        self.sensitive |= is_sensitive_data(f, types);
        self.exposed |= is_exposure(f, types);
        self.attack |= types.attack;
        self.credentials |= types.credentials;
        self.correlated |= f.product == Product::Exposure;
        self.products |= product_bit(&f.product);
    }
}

fn product_bit(product: &Product) -> u32 {
    let n = match product {
        Product::GuardDuty => 0,
        Product::Inspector => 1,
        Product::Macie => 2,
        Product::SecurityHubControls => 3,
        Product::AccessAnalyzer => 4,
        Product::Config => 5,
        Product::Health => 6,
        Product::FirewallManager => 7,
        Product::Exposure => 8,
        Product::Other(name) => 9 + name.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) % 23,
    };
    1 << n
}

/// What a finding type says, worked out once per distinct type (types are few and shared).
#[derive(Debug, Clone, Copy, Default)]
struct TypeFacts {
    exposure: bool,
    attack: bool,
    credentials: bool,
    sensitive: bool,
}

impl TypeFacts {
    fn of(finding_type: &str) -> Self {
        Self {
            exposure: EXPOSURE_TYPES.iter().any(|w| finding_type.contains(w)),
            attack: finding_type.starts_with("AttackSequence:"),
            credentials: CREDENTIAL_TYPES.iter().any(|w| finding_type.contains(w)),
            // Macie's sensitive-data findings (`SensitiveData:S3Object/Financial`; in Security Hub
            // `Sensitive Data Identifications/.../SensitiveData:S3Object-Financial`), not its
            // policy findings.
            sensitive: finding_type.contains("SensitiveData:"),
        }
    }
}

/// [`TypeFacts`] by the address of the (shared) type text: a lookup per finding instead of a
/// dozen substring searches. A type text that is not shared is simply worked out again.
#[derive(Default)]
struct Types(HashMap<(usize, usize), TypeFacts, BuildHasherDefault<FxHasher>>);

impl Types {
    fn of(&mut self, f: &Finding) -> TypeFacts {
        let text = f.finding_type.as_str();
        *self.0.entry((text.as_ptr() as usize, text.len())).or_insert_with(|| TypeFacts::of(text))
    }
}

/// A small, fast hasher for the keys above (pointers, resource texts); no attacker picks them to
/// collide at a cost that matters here.
#[derive(Default)]
struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

fn is_exposure(f: &Finding, types: TypeFacts) -> bool {
    let failing_control = f.is_open() && f.control_id.as_deref().is_some_and(|c| control_in(c, EXPOSURE_CONTROLS));
    failing_control || (f.is_open() && f.product == Product::AccessAnalyzer) || types.exposure
}

fn is_sensitive_data(f: &Finding, types: TypeFacts) -> bool {
    f.product == Product::Macie && types.sensitive
}

/// A failing control of PCI DSS: a standard-specific id (`PCI.S3.2`), or a consolidated control
/// whose associated standards name PCI DSS (`standards/pci-dss/v/3.2.1`, `.../v/4.0.1`).
fn is_pci(f: &Finding) -> bool {
    let Some(control) = f.control_id.as_deref() else { return false };
    let in_pci = || f.details.iter().any(|(label, value)| &**label == STANDARDS && value.contains("pci-dss"));
    f.is_open() && (control.starts_with("PCI.") || in_pci())
}

/// The detail label a control finding's associated standards are kept under.
pub const STANDARDS: &str = "Standards";

fn has_known_exploit(f: &Finding) -> bool {
    f.product == Product::Inspector
        && f.details.iter().any(|(label, value)| &**label == EXPLOIT_AVAILABLE && value.eq_ignore_ascii_case("YES"))
}

/// The detail label Inspector's `Vulnerabilities[].ExploitAvailable` is kept under.
pub const EXPLOIT_AVAILABLE: &str = "Exploit available";

type Resources<'a> = HashMap<&'a str, ResourceFacts, BuildHasherDefault<FxHasher>>;

/// The facts of every resource the findings name.
fn gather<'a>(findings: &'a [Arc<Finding>], types: &mut Types) -> Resources<'a> {
    let mut facts = Resources::with_capacity_and_hasher(findings.len() / 4, Default::default());
    for f in findings {
        let type_facts = types.of(f);
        if f.resource.is_empty() || !f.is_open() && !is_sensitive_data(f, type_facts) {
            continue;
        }
        facts.entry(&f.resource).or_default().learn(f, type_facts);
    }
    facts
}

/// One finding's risk, given what the other findings say about its resource. No allocation: it
/// runs for every finding at every refresh.
fn assess(f: &Finding, types: TypeFacts, facts: Option<&ResourceFacts>, now: Timestamp) -> Risk {
    let mut bits = 0u32;
    let mut add = |reason: Reason| bits |= 1 << reason as u8;
    match f.severity {
        SeverityLabel::Critical => add(Reason::Critical),
        SeverityLabel::High => add(Reason::High),
        SeverityLabel::Medium => add(Reason::Medium),
        SeverityLabel::Low => add(Reason::Low),
        SeverityLabel::Informational => {}
    }
    if !f.is_open() {
        // Resolved, suppressed or archived: it keeps its severity, nothing pushes it up.
        return Risk::from_bits(bits);
    }
    match f.workflow_status {
        super::WorkflowStatus::New => add(Reason::Untouched),
        super::WorkflowStatus::Notified => add(Reason::Notified),
        _ => {}
    }
    if now - f.first_seen <= chrono::Duration::days(1) {
        add(Reason::New);
    }
    if now - f.last_seen <= chrono::Duration::hours(1) {
        add(Reason::Active);
    }
    if f.count >= 100 {
        add(Reason::Persistent);
    } else if f.count >= 10 {
        add(Reason::Recurring);
    }
    let facts = facts.copied().unwrap_or_default();
    if facts.sensitive || is_sensitive_data(f, types) {
        add(Reason::SensitiveData);
    }
    if facts.exposed || is_exposure(f, types) {
        add(Reason::Exposed);
    }
    if facts.attack || types.attack {
        add(Reason::AttackSequence);
    }
    if facts.credentials || types.credentials {
        add(Reason::CredentialCompromise);
    }
    if has_known_exploit(f) {
        add(Reason::KnownExploit);
    }
    if facts.products.count_ones() >= 2 {
        add(Reason::SeveralProducts);
    }
    if is_pci(f) {
        add(Reason::PciDss);
    }
    if facts.correlated || f.product == Product::Exposure {
        add(Reason::CorrelatedExposure);
    }
    Risk::from_bits(bits)
}

/// Ranks every finding at `now`. A finding whose risk is unchanged keeps its record (and stays
/// shared with whoever holds it); only the changed ones are copied.
pub fn rank(findings: &mut [Arc<Finding>], now: Timestamp) {
    Ranker::new(findings, now);
}

/// Sets the risk of the findings at `positions`, copying only those whose risk changed.
fn set<K>(
    findings: &mut [Arc<Finding>],
    positions: impl Iterator<Item = usize>,
    facts: &HashMap<K, ResourceFacts, BuildHasherDefault<FxHasher>>,
    types: &mut Types,
    now: Timestamp,
) where
    K: std::borrow::Borrow<str> + std::hash::Hash + Eq,
{
    for i in positions {
        let Some(f) = findings.get_mut(i) else { continue };
        let risk = assess(f, types.of(f), facts.get(&*f.resource), now);
        if f.risk != risk {
            Arc::make_mut(f).risk = risk;
        }
    }
}

/// Ranking kept between refreshes of a list that grows (the demo's account): new findings are
/// ranked, and the older ones only where the new ones change what is known about their resource.
/// 100k findings rank in about 25 ms; a refresh that adds a few costs microseconds. Ages cross the
/// priority's marks (an hour, a day) slowly: a caller ranks everything again now and then.
#[derive(Debug)]
pub struct Ranker {
    facts: HashMap<String, ResourceFacts, BuildHasherDefault<FxHasher>>,
}

impl Ranker {
    /// Ranks every finding at `now` and keeps what it learnt about their resources.
    pub fn new(findings: &mut [Arc<Finding>], now: Timestamp) -> Self {
        let mut types = Types::default();
        let facts: HashMap<String, ResourceFacts, BuildHasherDefault<FxHasher>> =
            gather(findings, &mut types).into_iter().map(|(resource, facts)| (resource.to_string(), facts)).collect();
        set(findings, 0..findings.len(), &facts, &mut types, now);
        Self { facts }
    }

    /// Ranks the findings at `added` (new in the list) and at `changed` (their record changed, a
    /// count grew), and again every other finding whose resource the added ones tell something new
    /// about. Findings are only added or changed in place: none closes or leaves (a caller ranks
    /// everything again when one might have).
    pub fn update(&mut self, findings: &mut [Arc<Finding>], added: &[usize], changed: &[usize], now: Timestamp) {
        let mut types = Types::default();
        let mut learnt: std::collections::HashSet<String, BuildHasherDefault<FxHasher>> = Default::default();
        for &i in added {
            let Some(f) = findings.get(i) else { continue };
            let type_facts = types.of(f);
            if f.resource.is_empty() || !f.is_open() && !is_sensitive_data(f, type_facts) {
                continue;
            }
            let entry = self.facts.entry(f.resource.to_string()).or_default();
            let before = *entry;
            entry.learn(f, type_facts);
            if before != *entry {
                learnt.insert(f.resource.to_string());
            }
        }
        let mut positions: Vec<usize> = added.iter().chain(changed).copied().collect();
        if !learnt.is_empty() {
            // Every finding is looked at: its resource's length first, since hashing 100k
            // resource texts on every arrival was most of an idle demo's ranking.
            let mut lengths: Vec<usize> = learnt.iter().map(String::len).collect();
            lengths.sort_unstable();
            lengths.dedup();
            positions.extend((0..findings.len()).filter(|&i| {
                let resource = &*findings[i].resource;
                lengths.binary_search(&resource.len()).is_ok() && learnt.contains(resource)
            }));
        }
        set(findings, positions.into_iter(), &self.facts, &mut types, now);
    }

    /// The positions of the findings whose priority time alone may have changed between `since`
    /// and `now`: their first sighting left the day of [`Reason::New`], or their last the hour of
    /// [`Reason::Active`]. Ranking these at `now` brings a list ranked at `since` to `now`
    /// exactly (nothing else in a priority depends on the time), without assessing every finding.
    pub fn aged(findings: &[Arc<Finding>], since: Timestamp, now: Timestamp) -> Vec<usize> {
        // The reason holds while the moment is within the mark of `at` (see `assess`): it held at
        // one end and not the other for the `at`s between the two ends less the mark.
        let between = |mark: chrono::Duration| {
            let (a, b) = (since - mark, now - mark);
            (a.min(b), a.max(b))
        };
        let (new_from, new_to) = between(chrono::Duration::days(1));
        let (active_from, active_to) = between(chrono::Duration::hours(1));
        (0..findings.len())
            .filter(|&i| {
                let f = &findings[i];
                (new_from..new_to).contains(&f.first_seen) || (active_from..active_to).contains(&f.last_seen)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RecordState, WorkflowStatus};
    use chrono::{Duration, TimeZone, Utc};

    fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).single().unwrap()
    }

    fn finding(id: &str, severity: SeverityLabel, resource: &str) -> Finding {
        Finding {
            id: id.into(),
            guardduty_id: None,
            product_arn: None,
            severity,
            severity_score: 50,
            title: id.into(),
            description: "".into(),
            finding_type: "Software and Configuration Checks".into(),
            resource_type: "AwsS3Bucket".into(),
            resource: resource.into(),
            product: Product::Inspector,
            workflow_status: WorkflowStatus::Notified,
            record_state: RecordState::Active,
            sources: Vec::new(),
            count: 1,
            account_id: "111122223333".into(),
            region: "eu-west-1".into(),
            first_seen: now() - Duration::days(30),
            last_seen: now() - Duration::days(2),
            updated_at: now() - Duration::days(2),
            control_id: None,
            details: Vec::new(),
            risk: Risk::default(),
        }
    }

    fn ranked(findings: Vec<Finding>) -> Vec<Risk> {
        let mut list: Vec<Arc<Finding>> = findings.into_iter().map(Arc::new).collect();
        rank(&mut list, now());
        list.iter().map(|f| f.risk).collect()
    }

    #[test]
    fn severity_state_age_and_recurrence_with_exact_boundaries() {
        let base = finding("a", SeverityLabel::High, "bucket");
        // HIGH 30, NOTIFIED -5.
        assert_eq!(ranked(vec![base.clone()])[0].score, 25);
        let untouched = Finding { workflow_status: WorkflowStatus::New, ..base.clone() };
        assert_eq!(ranked(vec![untouched])[0].score, 35, "NEW: +5");
        // First seen exactly a day ago is new; a second more is not.
        let day = Finding { first_seen: now() - Duration::days(1), ..base.clone() };
        assert!(ranked(vec![day])[0].has(Reason::New));
        let older = Finding { first_seen: now() - Duration::days(1) - Duration::seconds(1), ..base.clone() };
        assert!(!ranked(vec![older])[0].has(Reason::New));
        // Last seen exactly an hour ago is active.
        let active = Finding { last_seen: now() - Duration::hours(1), ..base.clone() };
        assert!(ranked(vec![active])[0].has(Reason::Active));
        let quiet = Finding { last_seen: now() - Duration::hours(1) - Duration::seconds(1), ..base.clone() };
        assert!(!ranked(vec![quiet])[0].has(Reason::Active));
        // 9 times is nothing, 10 recurring, 99 still recurring, 100 persistent.
        let count = |n| ranked(vec![Finding { count: n, ..base.clone() }])[0];
        assert!(!count(9).has(Reason::Recurring));
        assert!(count(10).has(Reason::Recurring) && !count(10).has(Reason::Persistent));
        assert!(count(99).has(Reason::Recurring));
        assert!(count(100).has(Reason::Persistent) && !count(100).has(Reason::Recurring));
        // Closed: its severity only.
        let resolved = Finding { workflow_status: WorkflowStatus::Resolved, count: 500, ..base.clone() };
        assert_eq!(ranked(vec![resolved])[0].score, 30);
        let archived = Finding { record_state: RecordState::Archived, ..base.clone() };
        assert_eq!(ranked(vec![archived])[0].reasons().collect::<Vec<_>>(), [Reason::High]);
        let info = Finding { severity: SeverityLabel::Informational, ..base };
        assert_eq!(ranked(vec![info])[0].score, 0, "INFORMATIONAL adds nothing, NOTIFIED cannot go below 0");
    }

    #[test]
    fn ranking_only_the_aged_findings_equals_ranking_everything_again() {
        let at = |minutes: i64| now() - Duration::minutes(minutes);
        let mut findings: Vec<Arc<Finding>> = (0..3000)
            .map(|i| {
                let mut f = finding(&format!("f{i}"), SeverityLabel::High, &format!("bucket-{}", i % 40));
                // Sightings spread over two days, a minute apart, so the hour and day marks fall
                // inside the window for some of them and on its very ends for others.
                f.first_seen = at(i);
                f.last_seen = at(i / 30);
                Arc::new(f)
            })
            .collect();
        let since = now();
        let mut ranker = Ranker::new(&mut findings, since);
        for later in [Duration::seconds(1), Duration::minutes(1), Duration::minutes(61), Duration::hours(30)] {
            let aged = Ranker::aged(&findings, since, since + later);
            assert!(aged.len() < findings.len(), "only some cross a mark in {later}");
            let mut incremental = findings.clone();
            ranker.update(&mut incremental, &[], &aged, since + later);
            let mut full = findings.clone();
            Ranker::new(&mut full, since + later);
            let risks = |list: &[Arc<Finding>]| list.iter().map(|f| f.risk).collect::<Vec<_>>();
            assert_eq!(risks(&incremental), risks(&full), "{later}");
        }
        // Back in time too (a clock set back): the same exactness.
        let aged = Ranker::aged(&findings, since, since - Duration::hours(2));
        let mut incremental = findings.clone();
        ranker.update(&mut incremental, &[], &aged, since - Duration::hours(2));
        let mut full = findings.clone();
        Ranker::new(&mut full, since - Duration::hours(2));
        assert!(incremental.iter().zip(&full).all(|(a, b)| a.risk == b.risk));
    }

    #[test]
    fn an_exposure_aws_correlated_raises_every_finding_on_its_resource() {
        let lambda = "arn:aws:lambda:us-east-1:123456789012:function:app";
        let vuln = Finding { product: Product::Inspector, ..finding("cve", SeverityLabel::Medium, lambda) };
        let exposure = Finding { product: Product::Exposure, ..finding("exposure", SeverityLabel::Critical, lambda) };
        let elsewhere = finding("elsewhere", SeverityLabel::Medium, "arn:aws:s3:::logs");
        let before = ranked(vec![vuln.clone()])[0];
        let risks = ranked(vec![vuln, exposure.clone(), elsewhere]);
        assert!(risks[0].has(Reason::CorrelatedExposure) && risks[1].has(Reason::CorrelatedExposure));
        assert!(!risks[2].has(Reason::CorrelatedExposure));
        assert!(risks[0].score > before.score);
        assert!(risks[0].marker().contains('E'));
        // A resolved exposure says nothing any more.
        let resolved = Finding { workflow_status: WorkflowStatus::Resolved, ..exposure };
        let vuln = Finding { product: Product::Inspector, ..finding("cve", SeverityLabel::Medium, lambda) };
        assert!(!ranked(vec![vuln, resolved])[0].has(Reason::CorrelatedExposure));
    }

    #[test]
    fn what_other_findings_say_about_the_resource_counts() {
        let vuln = finding("vuln", SeverityLabel::Medium, "arn:aws:s3:::orders");
        let macie = Finding {
            product: Product::Macie,
            finding_type: "SensitiveData:S3Object/Financial".into(),
            ..finding("macie", SeverityLabel::High, "arn:aws:s3:::orders")
        };
        let public = Finding {
            product: Product::SecurityHubControls,
            control_id: Some("S3.2".into()),
            ..finding("s3.2", SeverityLabel::Critical, "arn:aws:s3:::orders")
        };
        let elsewhere = finding("elsewhere", SeverityLabel::Medium, "arn:aws:s3:::logs");
        let risks = ranked(vec![vuln, macie, public.clone(), elsewhere]);
        let vuln = risks[0];
        assert!(vuln.has(Reason::SensitiveData) && vuln.has(Reason::Exposed) && vuln.has(Reason::SeveralProducts));
        // MEDIUM 18, NOTIFIED -5, sensitive 15, exposed 15, several products 8.
        assert_eq!(vuln.score, 51);
        assert_eq!(vuln.marker(), "DXM", "equal weights in the order of `Reason`");
        assert_eq!(risks[3].score, 13, "another bucket gains nothing");
        // A passed (resolved) exposure control says nothing.
        let passed = Finding { workflow_status: WorkflowStatus::Resolved, ..public };
        let risks = ranked(vec![finding("vuln", SeverityLabel::Medium, "arn:aws:s3:::orders"), passed]);
        assert!(!risks[0].has(Reason::Exposed));
    }

    #[test]
    fn attacks_credentials_exploits_and_pci() {
        let role = "arn:aws:iam::111122223333:role/ci";
        let sequence = Finding {
            finding_type: "AttackSequence:IAM/CompromisedCredentials".into(),
            product: Product::GuardDuty,
            ..finding("seq", SeverityLabel::Critical, role)
        };
        let other = finding("other", SeverityLabel::Low, role);
        let exploit = Finding {
            details: vec![(EXPLOIT_AVAILABLE.into(), "YES".into())],
            ..finding("cve", SeverityLabel::High, "i-1")
        };
        let pci = Finding { control_id: Some("PCI.IAM.5".into()), ..finding("pci", SeverityLabel::Medium, "account") };
        let consolidated = Finding {
            control_id: Some("S3.2".into()),
            details: vec![(
                STANDARDS.into(),
                "standards/aws-foundational-security-best-practices/v/1.0.0, standards/pci-dss/v/4.0.1".into(),
            )],
            ..finding("s3.2", SeverityLabel::High, "bucket")
        };
        let not_pci = Finding { control_id: Some("S3.5".into()), ..finding("s3.5", SeverityLabel::High, "bucket2") };
        let risks = ranked(vec![sequence, other, exploit, pci, consolidated, not_pci]);
        assert!(risks[4].has(Reason::PciDss) && !risks[5].has(Reason::PciDss));
        assert!(risks[0].has(Reason::AttackSequence) && risks[0].has(Reason::CredentialCompromise));
        assert_eq!(risks[0].score, 40 - 5 + 20 + 15 + 8, "several products too");
        assert!(risks[1].has(Reason::AttackSequence), "the sequence involves the role: its other findings rise");
        assert!(risks[2].has(Reason::KnownExploit) && risks[2].marker() == "K");
        assert!(risks[3].has(Reason::PciDss));
        let every_weight: i32 = Reason::ALL.iter().map(|r| i32::from(r.weight())).sum();
        assert!(every_weight < i32::from(u8::MAX), "the weights fit the score without clamping");
        assert_eq!(
            i32::from(Risk::from_reasons(Reason::ALL).score),
            every_weight,
            "not capped at 100: more going on ranks higher"
        );
    }

    #[test]
    fn updating_for_added_findings_ranks_as_a_full_ranking_does() {
        let bucket = "arn:aws:s3:::orders";
        let mut list: Vec<Arc<Finding>> = vec![
            Arc::new(finding("vuln", SeverityLabel::Medium, bucket)),
            Arc::new(finding("other", SeverityLabel::Low, "arn:aws:s3:::logs")),
        ];
        let mut ranker = Ranker::new(&mut list, now());
        // A Macie finding on the bucket arrives, and the other finding's count grows past 10.
        let macie = Finding {
            product: Product::Macie,
            finding_type: "SensitiveData:S3Object/Financial".into(),
            ..finding("macie", SeverityLabel::High, bucket)
        };
        list.insert(1, Arc::new(macie));
        Arc::make_mut(&mut list[2]).count = 12;
        ranker.update(&mut list, &[1], &[2], now());
        let incremental: Vec<Risk> = list.iter().map(|f| f.risk).collect();
        assert!(incremental[0].has(Reason::SensitiveData) && incremental[0].has(Reason::SeveralProducts));
        assert!(incremental[2].has(Reason::Recurring));
        rank(&mut list, now());
        assert_eq!(incremental, list.iter().map(|f| f.risk).collect::<Vec<_>>());
    }

    #[test]
    fn an_unchanged_risk_keeps_the_record_shared() {
        let mut list = vec![Arc::new(finding("a", SeverityLabel::High, "r"))];
        rank(&mut list, now());
        let kept = Arc::clone(&list[0]);
        rank(&mut list, now());
        assert!(Arc::ptr_eq(&kept, &list[0]));
    }
}
