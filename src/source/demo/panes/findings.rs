//! Demo findings: GuardDuty (most also copied into Security Hub), Security Hub controls, Inspector,
//! Macie and Access Analyzer, generated per index so that the list is the same for the same seed.

use crate::source::demo::catalog::*;
use crate::source::demo::organisation::DemoOrganisation;
use crate::source::demo::rng::DemoRng;
use crate::source::demo::world;
use crate::model::Interner;
use crate::model::dedupe::{merge_findings, merge_findings_sharing};
use crate::model::{Finding, FindingOrigin, Product, RecordState, SeverityLabel, SharedStr, Timestamp, WorkflowStatus};
use chrono::Duration;
use std::ops::Range;
use std::sync::Arc;

const DETECTOR_ID: &str = "c2b8a1e4f5d60718293a4b5c6d7e8f90";
const GENERATION_CHUNK: usize = 4_096;
/// Brute force keeps counting on the SSH findings among this many first generated: a handful at
/// any scale, as in a real account, where a refresh changes a few findings, not thousands.
const GROWING_AMONG_FIRST: usize = 2_000;
/// One new finding arrives this often while the demo runs.
pub const ARRIVAL_EVERY_SECONDS: i64 = 15;

/// The whole account at `now`, generated from nothing: the reference that [`DemoFindings`] keeps
/// up to date incrementally (and the benchmark of a full generation).
pub fn generate(seed: u64, scale: usize, start: Timestamp, now: Timestamp) -> Vec<Arc<Finding>> {
    generate_in(&DemoOrganisation::default(), seed, scale, start, now)
}

/// [`generate`] for an organisation's accounts and regions.
pub fn generate_in(
    org: &DemoOrganisation,
    seed: u64,
    scale: usize,
    start: Timestamp,
    now: Timestamp,
) -> Vec<Arc<Finding>> {
    let elapsed = (now - start).num_seconds().max(0);
    let failing = world::failing_controls(seed, org.accounts.len());
    let mut batch = generate_range(org, seed, scale, start, 0..scale + arrivals_by(elapsed), &failing);
    batch.securityhub.splice(0..0, findings_of_failing_controls(org, seed, start, &failing));
    archive_repeated_controls(&mut batch.securityhub, &mut Default::default());
    for &position in &batch.growing {
        batch.guardduty[position].count += brute_force_growth(elapsed);
    }
    let mut list: Vec<Arc<Finding>> =
        merge_findings(batch.securityhub, batch.guardduty).into_iter().map(Arc::new).collect();
    let exposures = exposures_among(list.iter().filter(|f| f.first_seen <= start));
    list.extend(exposures.into_iter().map(Arc::new));
    crate::model::risk::rank(&mut list, now);
    list
}

/// AWS keeps one finding per control and resource: a control finding drawn again for a resource
/// that has one (`seen`: account, region, control and resource of those before) is an archived
/// one, the finding of a resource deleted and made again.
fn archive_repeated_controls(findings: &mut [Finding], seen: &mut std::collections::HashSet<String>) {
    for finding in findings {
        let Some(control) = &finding.control_id else { continue };
        let key = format!("{}|{}|{control}|{}", finding.account_id, finding.region, finding.resource);
        if !seen.insert(key) {
            finding.record_state = crate::model::RecordState::Archived;
        }
    }
}

/// At most this many exposure findings in the demo account.
const EXPOSURES: usize = 8;

/// The new Security Hub's exposure findings over the account as it stood at the start: one per
/// resource that has both an open vulnerability with a known exploit (Inspector) and an open
/// failing control saying it can be reached from outside, correlated from those findings as AWS
/// does (traits Vulnerability and Reachability, the findings as contributors).
fn exposures_among<'a>(findings: impl Iterator<Item = &'a Arc<Finding>> + Clone) -> Vec<Finding> {
    /// A control saying the resource can be reached, the trait value and the exposure's subject.
    const REACHABLE: &[(&str, &str, &str)] = &[
        ("Lambda.1", "Publicly Invocable", "Publicly invocable Lambda function"),
        ("EC2.9", "Public IP Address", "EC2 instance with a public IP address"),
        ("EC2.18", "Open Security Group", "EC2 instance open to the internet"),
        ("EC2.19", "Open Security Group", "EC2 instance open to the internet"),
    ];
    let exploitable = |f: &Finding| {
        f.is_open()
            && f.product == Product::Inspector
            && f.details.iter().any(|(l, v)| &**l == crate::model::risk::EXPLOIT_AVAILABLE && &**v == "YES")
    };
    // The first open control finding saying so, per resource: one pass, not one per vulnerability
    // (a large account has thousands of both).
    let mut reachable_by_resource: std::collections::HashMap<&str, (&Arc<Finding>, &str, &str)> = Default::default();
    for f in findings.clone() {
        let Some(control) = f.control_id.as_deref().filter(|_| f.is_open()) else { continue };
        if let Some((_, how, subject)) = REACHABLE.iter().find(|(id, _, _)| *id == control) {
            reachable_by_resource.entry(&*f.resource).or_insert((f, how, subject));
        }
    }
    let mut exposures: Vec<Finding> = Vec::new();
    for vulnerable in findings.clone().filter(|f| exploitable(f)) {
        if exposures.len() == EXPOSURES || exposures.iter().any(|e| e.resource == vulnerable.resource) {
            continue;
        }
        let Some(&(control, how, subject)) = reachable_by_resource.get(&*vulnerable.resource) else { continue };
        let (account, region) = (&*vulnerable.account_id, &*vulnerable.region);
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in vulnerable.resource.bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
        }
        let id = format!("arn:aws:securityhub:{region}:{account}:risk:{hash:016x}");
        let name = crate::model::arn::short_resource(&vulnerable.resource).to_string();
        let title = format!("{subject} has a vulnerability with a known exploit that can be exploited from a remote network");
        let contributor = |f: &Finding, product: &str| {
            (crate::model::ocsf::CONTRIBUTING.into(), format!("{} · {product} · {}", f.id, f.title).into())
        };
        let mut details: Vec<(SharedStr, SharedStr)> = vec![
            (crate::model::ocsf::OCSF_UID.into(), format!("{hash:016x}{hash:016x}").into()),
            (crate::model::ocsf::EXPOSURE_TRAIT.into(), "Vulnerability: Exploit Available · Attack Vector Network".into()),
            (crate::model::ocsf::EXPOSURE_TRAIT.into(), format!("Reachability: {how}").into()),
        ];
        details.push(contributor(vulnerable, "inspector"));
        details.push(contributor(control, "securityhub"));
        let at = vulnerable.first_seen.max(control.first_seen);
        exposures.push(Finding {
            id,
            guardduty_id: None,
            product_arn: Some(format!("arn:aws:securityhub:{region}::productv2/aws/{}", crate::model::ocsf::EXPOSURE_PRODUCT).into()),
            severity: SeverityLabel::Critical,
            severity_score: 90,
            title: title.into(),
            description: format!("Security Hub correlated a vulnerability with a known exploit and reachability from the internet on {name}.").into(),
            finding_type: "Exposure/Potential Impact/Resource Hijacking".into(),
            resource_type: vulnerable.resource_type.clone(),
            resource: vulnerable.resource.clone(),
            product: Product::Exposure,
            workflow_status: WorkflowStatus::New,
            record_state: RecordState::Active,
            sources: vec![FindingOrigin::SecurityhubV2],
            count: 1,
            account_id: vulnerable.account_id.clone(),
            region: vulnerable.region.clone(),
            first_seen: at,
            last_seen: at,
            updated_at: at,
            control_id: None,
            details,
            risk: Default::default(),
        });
    }
    exposures
}

/// The demo account's findings, kept between refreshes and changed the way a real account
/// changes: a new finding every [`ARRIVAL_EVERY_SECONDS`], brute-force counts that keep growing.
/// At any moment it equals [`generate`] at that moment; only the changes cost work.
#[derive(Debug)]
pub struct DemoFindings {
    seed: u64,
    scale: usize,
    start: Timestamp,
    /// GuardDuty findings (with their Security Hub copies absorbed), in generation order. Shared
    /// with the lists handed out: a refresh copies pointers, and a changed finding is a new record.
    guardduty: Vec<Arc<Finding>>,
    /// Findings only Security Hub reported, in generation order. A merge lists these after the
    /// GuardDuty ones, and so does [`DemoFindings::findings`].
    securityhub: Vec<Arc<Finding>>,
    /// The new Security Hub's exposure findings, worked out once over the account at the start
    /// (arrivals do not change them); listed last.
    exposures: Vec<Arc<Finding>>,
    /// Positions in `guardduty` whose count grows while the demo runs, with the count at start.
    growing: Vec<(usize, u64)>,
    arrivals: usize,
    /// The control findings so far, by account, region, control and resource (see
    /// [`archive_repeated_controls`]).
    open_controls: std::collections::HashSet<String>,
    interner: Interner,
    organisation: Arc<DemoOrganisation>,
    /// The last ranking: when, and how long each list was then.
    ranked: Option<Ranked>,
    /// The controls the world fails: control findings are about these only.
    failing: Vec<&'static ControlSpec>,
}

#[derive(Debug)]
struct Ranked {
    ranker: crate::model::risk::Ranker,
    at: Timestamp,
    guardduty: usize,
    securityhub: usize,
}

impl DemoFindings {
    pub fn new(organisation: Arc<DemoOrganisation>, seed: u64, scale: usize, start: Timestamp) -> Self {
        let organisation_accounts = organisation.accounts.len();
        let mut account = Self {
            organisation,
            seed,
            scale,
            start,
            guardduty: Vec::new(),
            securityhub: Vec::new(),
            exposures: Vec::new(),
            growing: Vec::new(),
            arrivals: 0,
            open_controls: Default::default(),
            interner: Interner::new(),
            ranked: None,
            failing: world::failing_controls(seed, organisation_accounts),
        };
        // Before the numbered findings, as a full generation lists them.
        let failing = findings_of_failing_controls(&account.organisation, seed, start, &account.failing);
        account.install(Batch { securityhub: failing, guardduty: Vec::new(), growing: Vec::new() });
        // In chunks: the texts of one chunk are interned before the next is generated, so a
        // large account never holds its unshared strings all at once.
        for chunk_start in (0..scale).step_by(GENERATION_CHUNK) {
            account.add(chunk_start..scale.min(chunk_start + GENERATION_CHUNK));
        }
        account.exposures = exposures_among(account.guardduty.iter().chain(&account.securityhub))
            .into_iter()
            .map(|mut f| {
                f.share_strings(&mut account.interner);
                Arc::new(f)
            })
            .collect();
        account
    }

    /// Brings the account to `now`. `false` when `now` is before the arrivals it already holds
    /// (time never runs backwards in the console; a caller rebuilds then).
    pub fn advance(&mut self, now: Timestamp) -> bool {
        let elapsed = (now - self.start).num_seconds().max(0);
        let arrivals = arrivals_by(elapsed);
        if arrivals < self.arrivals {
            return false;
        }
        self.add(self.scale + self.arrivals..self.scale + arrivals);
        self.arrivals = arrivals;
        for &(position, at_start) in &self.growing {
            let count = at_start + brute_force_growth(elapsed);
            if self.guardduty[position].count != count {
                Arc::make_mut(&mut self.guardduty[position]).count = count;
            }
        }
        true
    }

    /// Ranks the kept findings at `now` (see `model::risk`): only the records whose priority
    /// changed are replaced, the rest stay shared. After the first time, only what changed since
    /// the last ranking is ranked: the arrivals, the growing counts, what the arrivals tell about
    /// their resources and the findings whose age crossed a mark. Ranking all 100k findings again
    /// was most of what an idle demo console cost.
    pub fn rank(&mut self, now: Timestamp) {
        // Moved, not cloned: a record nobody else holds (the first time, all of them) is ranked in
        // place; one the console still shows is copied only if its priority changed.
        let (guardduty, securityhub) = (self.guardduty.len(), self.securityhub.len());
        let mut list = std::mem::take(&mut self.guardduty);
        list.append(&mut self.securityhub);
        list.append(&mut self.exposures);
        match &mut self.ranked {
            // Since the last ranking findings only arrived (at the ends of both lists), counts
            // grew and time passed: those are ranked, and what they change.
            Some(ranked) if now >= ranked.at => {
                let added: Vec<usize> = (ranked.guardduty..guardduty)
                    .chain((guardduty + ranked.securityhub)..(guardduty + securityhub))
                    .collect();
                let mut changed: Vec<usize> = self.growing.iter().map(|&(position, _)| position).collect();
                changed.extend(crate::model::risk::Ranker::aged(&list, ranked.at, now));
                ranked.ranker.update(&mut list, &added, &changed, now);
                ranked.at = now;
                ranked.guardduty = guardduty;
                ranked.securityhub = securityhub;
            }
            // The first time, and if the clock went back: everything.
            _ => {
                let ranker = crate::model::risk::Ranker::new(&mut list, now);
                self.ranked = Some(Ranked { ranker, at: now, guardduty, securityhub });
            }
        }
        let exposures = list.split_off(guardduty + securityhub);
        let securityhub = list.split_off(guardduty);
        self.guardduty = list;
        self.securityhub = securityhub;
        self.exposures = exposures;
    }

    /// The list as it stands: the records are shared, so a copy costs a pointer per finding.
    pub fn findings(&self) -> Vec<Arc<Finding>> {
        let mut list = Vec::with_capacity(self.guardduty.len() + self.securityhub.len() + self.exposures.len());
        list.extend(self.guardduty.iter().cloned());
        list.extend(self.securityhub.iter().cloned());
        list.extend(self.exposures.iter().cloned());
        list
    }

    fn add(&mut self, indices: Range<usize>) {
        if indices.is_empty() {
            return;
        }
        let batch = generate_range(&self.organisation, self.seed, self.scale, self.start, indices, &self.failing);
        self.install(batch);
    }

    /// A batch's findings into the account, merged and their texts shared.
    fn install(&mut self, mut batch: Batch) {
        archive_repeated_controls(&mut batch.securityhub, &mut self.open_controls);
        let (offset, guardduty_count) = (self.guardduty.len(), batch.guardduty.len());
        let mut merged = merge_findings_sharing(batch.securityhub, batch.guardduty, &mut self.interner);
        let securityhub_only = merged.split_off(guardduty_count);
        self.growing.extend(batch.growing.iter().map(|&position| (offset + position, merged[position].count)));
        self.guardduty.extend(merged.into_iter().map(Arc::new));
        self.securityhub.extend(securityhub_only.into_iter().map(Arc::new));
    }
}

fn arrivals_by(elapsed: i64) -> usize {
    (elapsed / ARRIVAL_EVERY_SECONDS) as usize
}

/// The promotion draws attackers: brute force keeps counting while the demo runs.
fn brute_force_growth(elapsed: i64) -> u64 {
    (elapsed / 5) as u64
}

/// The findings of some generation indices, before the merge, as at the start.
struct Batch {
    securityhub: Vec<Finding>,
    guardduty: Vec<Finding>,
    /// Positions in `guardduty` whose count grows with time.
    growing: Vec<usize>,
}

/// The numbered findings `indices`; control findings are about the `failing` controls only.
fn generate_range(
    org: &DemoOrganisation,
    seed: u64,
    scale: usize,
    start: Timestamp,
    indices: Range<usize>,
    failing: &[&'static ControlSpec],
) -> Batch {
    let mut batch =
        Batch { securityhub: Vec::with_capacity(indices.len()), guardduty: Vec::new(), growing: Vec::new() };
    for index in indices {
        let first_seen = if index < scale {
            let mut rng = DemoRng::stream(seed, "finding-age", index as u64);
            // Squared so that recent findings are more common than old ones.
            let f = rng.below(10_000) as f64 / 10_000.0;
            start - Duration::seconds(120 + (f * f * 45.0 * 86_400.0) as i64)
        } else {
            start + Duration::seconds(((index - scale + 1) as i64) * ARRIVAL_EVERY_SECONDS)
        };
        let mut rng = DemoRng::stream(seed, "finding", index as u64);
        let kind = rng.below(100);
        match kind {
            0..=34 => {
                let (mut gd, mut sh_copy) = guardduty_finding(&mut rng, first_seen);
                org.relocate(seed, index, std::iter::once(&mut gd).chain(sh_copy.as_mut()));
                if gd.finding_type == "UnauthorizedAccess:EC2/SSHBruteForce"
                    && index.is_multiple_of(3)
                    && index < GROWING_AMONG_FIRST
                {
                    batch.growing.push(batch.guardduty.len());
                }
                batch.guardduty.push(gd);
                if let Some(copy) = sh_copy {
                    batch.securityhub.push(copy);
                }
            }
            _ => {
                let mut finding = match kind {
                    35..=67 if !failing.is_empty() => {
                        let control = *rng.pick(failing);
                        control_finding(&mut rng, first_seen, control, more_resources(scale))
                    }
                    35..=87 => inspector_finding(&mut rng, first_seen),
                    88..=95 => macie_finding(&mut rng, first_seen),
                    _ => access_analyzer_finding(&mut rng, first_seen),
                };
                org.relocate(seed, index, [&mut finding]);
                batch.securityhub.push(finding);
            }
        }
    }
    batch
}

fn base(rng: &mut DemoRng, id: String, product: Product, label: SeverityLabel, first_seen: Timestamp) -> Finding {
    let workflow = match rng.below(100) {
        0..=74 => WorkflowStatus::New,
        75..=86 => WorkflowStatus::Notified,
        87..=94 => WorkflowStatus::Resolved,
        _ => WorkflowStatus::Suppressed,
    };
    let updated = first_seen + Duration::seconds(rng.range(0, 3_600));
    Finding {
        id,
        guardduty_id: None,
        product_arn: Some(product_arn(&product).into()),
        severity: label,
        severity_score: normalized(label),
        title: SharedStr::default(),
        description: SharedStr::default(),
        finding_type: SharedStr::default(),
        resource_type: SharedStr::default(),
        resource: SharedStr::default(),
        product,
        workflow_status: workflow,
        record_state: RecordState::Active,
        sources: vec![FindingOrigin::Securityhub],
        count: 1,
        account_id: ACCOUNT_ID.into(),
        region: REGION.into(),
        first_seen,
        last_seen: updated,
        updated_at: updated,
        control_id: None,
        details: vec![],
        risk: Default::default(),
    }
}

fn product_arn(product: &Product) -> String {
    let name = match product {
        Product::GuardDuty => "guardduty",
        Product::Inspector => "inspector",
        Product::Macie => "macie",
        Product::AccessAnalyzer => "access-analyzer",
        _ => "securityhub",
    };
    format!("arn:aws:securityhub:{REGION}::product/aws/{name}")
}

fn normalized(label: SeverityLabel) -> u8 {
    match label {
        SeverityLabel::Informational => 0,
        SeverityLabel::Low => 30,
        SeverityLabel::Medium => 50,
        SeverityLabel::High => 70,
        SeverityLabel::Critical => 90,
    }
}

fn guardduty_finding(rng: &mut DemoRng, first_seen: Timestamp) -> (Finding, Option<Finding>) {
    let kind = rng.pick(GUARDDUTY_KINDS);
    let finding_id = rng.hex(32);
    let arn = format!("arn:aws:guardduty:{REGION}:{ACCOUNT_ID}:detector/{DETECTOR_ID}/finding/{finding_id}");
    let ip = *rng.pick(HOSTILE_IPS);
    let (resource, resource_type, short) = match kind.resource_type {
        "Instance" => {
            let id = *rng.pick(INSTANCES);
            (format!("arn:aws:ec2:{REGION}:{ACCOUNT_ID}:instance/{id}"), "AwsEc2Instance", id.to_string())
        }
        "S3Bucket" => {
            let b = *rng.pick(BUCKETS);
            (format!("arn:aws:s3:::{b}"), "AwsS3Bucket", b.to_string())
        }
        "EKSCluster" => {
            let c = *rng.pick(CLUSTERS);
            (format!("arn:aws:eks:{REGION}:{ACCOUNT_ID}:cluster/{c}"), "AwsEksCluster", c.to_string())
        }
        _ => {
            let r = *rng.pick(ROLES);
            // The key is an assumed role's (GuardDuty's AccessKeyDetails.UserType AssumedRole):
            // the finding is about the role, and says so in its type.
            (format!("arn:aws:iam::{ACCOUNT_ID}:role/{r}"), "AwsIamRole", r.to_string())
        }
    };
    let label = SeverityLabel::from_guardduty(kind.severity);
    let mut f = base(rng, arn.clone(), Product::GuardDuty, label, first_seen);
    f.guardduty_id = Some(finding_id.into());
    f.severity_score = (kind.severity * 10.0).round() as u8;
    f.title = kind.title.replace("{ip}", ip).replace("{res}", &short).into();
    f.description = format!("{} GuardDuty type {}.", f.title, kind.finding_type).into();
    f.finding_type = kind.finding_type.into();
    f.resource_type = resource_type.into();
    f.resource = resource.into();
    f.sources = vec![FindingOrigin::Guardduty];
    f.workflow_status = WorkflowStatus::New;
    f.count = rng.range(1, 40) as u64;
    // Scans and brute force come in hundreds of attempts.
    if kind.finding_type.contains("BruteForce") || kind.finding_type.contains("PortProbe") {
        f.count *= 12;
    }
    f.details.push(("Remote IP".into(), ip.into()));
    f.details.push(("Detector".into(), DETECTOR_ID.into()));
    if kind.resource_type == "AccessKey" {
        let user_agent = *rng.pick(USER_AGENTS);
        f.details.push(("User agent".into(), user_agent.into()));
        // Titles can carry attacker-controlled text, as this one does.
        f.title = f.title.replace("{ua}", user_agent).into();
        f.description = f.description.replace("{ua}", user_agent).into();
    }
    if rng.chance(4) {
        f.record_state = RecordState::Archived;
    }
    let copy = rng.chance(75).then(|| {
        let mut sh = f.clone();
        sh.sources = vec![FindingOrigin::Securityhub];
        sh.finding_type = format!("TTPs/{}", kind.finding_type).into();
        sh.workflow_status = match rng.below(100) {
            0..=79 => WorkflowStatus::New,
            80..=91 => WorkflowStatus::Notified,
            _ => WorkflowStatus::Resolved,
        };
        sh
    });
    (f, copy)
}

/// One open finding per failing control, apart from the numbered findings (which stay the same
/// whatever fails): no control is FAILED in the Compliance pane without a finding saying where.
fn findings_of_failing_controls(
    org: &DemoOrganisation,
    seed: u64,
    start: Timestamp,
    failing: &[&ControlSpec],
) -> Vec<Finding> {
    failing
        .iter()
        .enumerate()
        .map(|(i, control)| {
            let mut rng = DemoRng::stream(seed, "failing-control", i as u64);
            let first_seen = start - Duration::hours(rng.range(2, 24 * 20));
            let mut finding = control_finding(&mut rng, first_seen, control, 0);
            finding.workflow_status = WorkflowStatus::New;
            org.relocate(seed, usize::MAX - i, [&mut finding]);
            finding
        })
        .collect()
}

/// A finding of a control the world fails (see [`world`]): only those have findings.
fn control_finding(rng: &mut DemoRng, first_seen: Timestamp, control: &ControlSpec, more: usize) -> Finding {
    let label = SeverityLabel::parse(control.severity).unwrap_or(SeverityLabel::Medium);
    let id = format!("arn:aws:securityhub:{REGION}:{ACCOUNT_ID}:security-control/{}/finding/{}", control.id, uuid(rng));
    let mut f = base(rng, id, Product::SecurityHubControls, label, first_seen);
    let (resource, resource_type) = resource_for_control(rng, control.id, more);
    f.title = control.title.into();
    f.description = format!("This control checks: {}.", control.title).into();
    f.finding_type =
        "Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices"
            .into();
    f.resource_type = resource_type.into();
    f.resource = resource.into();
    f.control_id = Some(control.id.into());
    // A consolidated control finding names every standard the control belongs to.
    let pci = format!("PCI.{}", control.id);
    if PCI_CONTROLS.iter().any(|c| c.id == pci || c.id == control.id) {
        f.details.push((crate::model::risk::STANDARDS.into(), PCI_STANDARD_ID.into()));
    }
    f.details.push(("Compliance".into(), "FAILED".into()));
    f.details.push((
        crate::model::finding::REMEDIATION.into(),
        "For information on how to correct this issue, consult the AWS Security Hub controls documentation.".into(),
    ));
    f.details.push((crate::model::finding::REMEDIATION_LINK.into(), super::remediation_url(control.id).into()));
    f
}

/// Controls about the account itself (its contact, its root user): their resource is the account.
const ACCOUNT_CONTROLS: &[&str] =
    &["Account.1", "IAM.4", "IAM.6", "PCI.IAM.1", "PCI.IAM.5", "GuardDuty.1", "Config.1", "CloudTrail.1"];
/// IAM users the demo's user controls find (deploy and integration users, as shops keep them).
const IAM_USERS: &[&str] = &["ci-deployer", "data-export", "legacy-admin", "partner-feed"];

/// One of `names`, or, with `more` beyond them, one of `more` others named after them: a large
/// account has thousands of buckets and instances, and AWS keeps one finding per control and
/// resource (see [`archive_repeated_controls`]).
fn pick_resource(rng: &mut DemoRng, names: &[&str], more: usize) -> String {
    let n = rng.below((names.len() + more) as u64) as usize;
    match names.get(n) {
        Some(name) => name.to_string(),
        None => format!("{}-{n:05}", names[n % names.len()]),
    }
}

/// Resources beyond the demo's named ones a control finding of an account of `scale` findings
/// draws from: none at the demo's own size, where every resource is one the other panes know.
fn more_resources(scale: usize) -> usize {
    if scale > 2 * crate::source::demo::DEFAULT_SCALE { scale / 8 } else { 0 }
}

fn resource_for_control(rng: &mut DemoRng, control_id: &str, more: usize) -> (String, &'static str) {
    // A standard's own ids (`PCI.S3.1`) name the service after the standard's prefix.
    let service = control_id.trim_start_matches("PCI.").split('.').next().unwrap_or_default();
    match service {
        "S3" => (format!("arn:aws:s3:::{}", pick_resource(rng, BUCKETS, more)), "AwsS3Bucket"),
        "RDS" => (format!("arn:aws:rds:{REGION}:{ACCOUNT_ID}:db:{}", pick_resource(rng, DATABASES, more)), "AwsRdsDbInstance"),
        "Lambda" => {
            (format!("arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{}", pick_resource(rng, FUNCTIONS, more)), "AwsLambdaFunction")
        }
        // What each IAM control checks: the root user is the account's, keys and attached
        // policies are users', "*" privileges a policy's.
        _ if ACCOUNT_CONTROLS.contains(&control_id) => (format!("AWS::::Account:{ACCOUNT_ID}"), "AwsAccount"),
        "IAM" if control_id == "IAM.1" => {
            (format!("arn:aws:iam::{ACCOUNT_ID}:policy/{}-admin", rng.pick(ROLES)), "AwsIamPolicy")
        }
        "IAM" => (format!("arn:aws:iam::{ACCOUNT_ID}:user/{}", pick_resource(rng, IAM_USERS, more)), "AwsIamUser"),
        "ECR" => (format!("arn:aws:ecr:{REGION}:{ACCOUNT_ID}:repository/{}", pick_resource(rng, IMAGES, more)), "AwsEcrRepository"),
        "ELB" => (
            format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT_ID}:loadbalancer/{}", pick_resource(rng, LOAD_BALANCERS, more)),
            "AwsElbv2LoadBalancer",
        ),
        "KMS" => {
            let keys: Vec<String> = super::keys::unrotated_key_arns().collect();
            (rng.pick(&keys).clone(), "AwsKmsKey")
        }
        "EC2" if control_id == "EC2.1" => (
            format!("arn:aws:ec2:{REGION}:{ACCOUNT_ID}:snapshot/snap-{}", rng.hex(17)),
            "AwsEc2Snapshot",
        ),
        "EC2" | "SSM" => {
            (format!("arn:aws:ec2:{REGION}:{ACCOUNT_ID}:instance/{}", pick_resource(rng, INSTANCES, more)), "AwsEc2Instance")
        }
        _ => (format!("AWS::::Account:{ACCOUNT_ID}"), "AwsAccount"),
    }
}

fn inspector_finding(rng: &mut DemoRng, first_seen: Timestamp) -> Finding {
    let (cve, package, severity) = *rng.pick(INSPECTOR_CVES);
    let label = SeverityLabel::parse(severity).unwrap_or(SeverityLabel::Medium);
    let id = format!("arn:aws:inspector2:{REGION}:{ACCOUNT_ID}:finding/{}", rng.hex(32));
    let mut f = base(rng, id, Product::Inspector, label, first_seen);
    let (resource, resource_type) = if rng.chance(60) {
        let image = rng.pick(IMAGES);
        (format!("arn:aws:ecr:{REGION}:{ACCOUNT_ID}:repository/{image}/sha256:{}", rng.hex(64)), "AwsEcrContainerImage")
    } else if rng.chance(50) {
        (format!("arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{}", rng.pick(FUNCTIONS)), "AwsLambdaFunction")
    } else {
        (format!("arn:aws:ec2:{REGION}:{ACCOUNT_ID}:instance/{}", rng.pick(INSTANCES)), "AwsEc2Instance")
    };
    f.title = format!("{cve} - {package}").into();
    f.description = format!("{cve}: vulnerable {package} package found on {resource_type}.").into();
    f.finding_type = "Software and Configuration Checks/Vulnerabilities/CVE".into();
    f.resource_type = resource_type.into();
    f.resource = resource.into();
    f.details.push(("CVE".into(), cve.into()));
    f.details.push(("Package".into(), package.into()));
    if EXPLOIT_AVAILABLE_CVES.contains(&cve) {
        f.details.push((crate::model::risk::EXPLOIT_AVAILABLE.into(), "YES".into()));
    }
    f
}

fn macie_finding(rng: &mut DemoRng, first_seen: Timestamp) -> Finding {
    let (finding_type, title, severity) = *rng.pick(MACIE_KINDS);
    let label = SeverityLabel::parse(severity).unwrap_or(SeverityLabel::Medium);
    let id = format!("arn:aws:macie2:{REGION}:{ACCOUNT_ID}:finding/{}", rng.hex(32));
    let mut f = base(rng, id, Product::Macie, label, first_seen);
    let bucket = *rng.pick(BUCKETS);
    f.title = title.into();
    f.description = format!("{title} Bucket {bucket}.").into();
    f.finding_type = format!("Sensitive Data Identifications/{finding_type}").into();
    f.resource_type = "AwsS3Bucket".into();
    f.resource = format!("arn:aws:s3:::{bucket}").into();
    f
}

fn access_analyzer_finding(rng: &mut DemoRng, first_seen: Timestamp) -> Finding {
    let bucket = *rng.pick(BUCKETS);
    let id = format!(
        "arn:aws:access-analyzer:{REGION}:{ACCOUNT_ID}:analyzer/shop-prod/arn:aws:s3:::{bucket}/{}",
        rng.hex(8)
    );
    let mut f = base(rng, id, Product::AccessAnalyzer, SeverityLabel::Low, first_seen);
    f.title = format!("AwsS3Bucket/arn:aws:s3:::{bucket}/ allows cross-account access").into();
    f.description = "The resource policy allows access from outside the zone of trust.".into();
    f.finding_type = "Software and Configuration Checks/AWS Security Best Practices/External Access Granted".into();
    f.resource_type = "AwsS3Bucket".into();
    f.resource = format!("arn:aws:s3:::{bucket}").into();
    f
}

fn uuid(rng: &mut DemoRng) -> String {
    let h = rng.hex(32);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

pub struct Pane;

impl super::DemoPane for Pane {
    type Model = crate::model::panes::findings::Pane;

    fn generate(demo: &crate::source::demo::DemoSource, now: Timestamp) -> Vec<Arc<Finding>> {
        let mut list = demo.findings_at(now);
        // Triage in the demo changes a finding's state, and so its priority.
        if demo.overrides.findings(&mut list) {
            crate::model::risk::rank(&mut list, now);
        }
        list
    }

    fn apply(
        demo: &crate::source::demo::DemoSource,
        action: &crate::model::panes::findings::Action,
        targets: &[crate::model::triage::Target],
        _now: Timestamp,
    ) -> Vec<crate::model::triage::TargetOutcome> {
        demo.overrides.apply_findings(action, targets)
    }
}
