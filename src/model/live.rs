//! The live feed: findings events (EventBridge through an SQS queue) laid over the findings list as
//! they arrive, seconds after AWS sees a change, instead of at the next poll.
//!
//! Events are at-least-once and unordered (SQS), and the polls keep running as the safety net: a
//! poll that started before an event can land after it. So every event applied is kept in a
//! [`Ledger`] for [`KEEP`] (as long as a delta refresh can miss a change) and laid again over
//! each poll's list; a copy is only ever replaced by a newer one (`UpdatedAt`), so a repeated or
//! late event changes nothing twice.

use super::Timestamp;
use super::finding::{Finding, FindingOrigin};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

pub const CSPM_IMPORTED: &str = "Security Hub Findings - Imported";
pub const V2_IMPORTED: &str = "Findings Imported V2";
pub const GUARDDUTY_FINDING: &str = "GuardDuty Finding";

/// How long an applied event is laid over the polls' lists: a delta refresh sees every change
/// within its look-back, and the full resync every change (see `source::aws::delta`).
pub const KEEP: chrono::Duration = chrono::Duration::minutes(15);

/// Minutes between polls of findings that `[live] safety_poll_minutes` accepts.
pub const SAFETY_POLL_MINUTES: std::ops::RangeInclusive<u32> = 2..=60;

/// The prefix of every queue and rule `vigil live setup` makes.
pub const NAME_PREFIX: &str = "vigil-live-";

/// `[live]` as the console uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSettings {
    pub enabled: bool,
    /// This console's name. Consoles sharing a queue would take each other's events (SQS hands
    /// each message to one receiver): each names its own.
    pub name: String,
    /// A queue made another way (its name or URL), instead of `vigil-live-NAME`.
    pub queue: Option<String>,
    /// Polls of findings while the feed is healthy: the safety net for an event that never came.
    pub safety_poll: chrono::Duration,
}

impl Default for LiveSettings {
    fn default() -> Self {
        Self { enabled: true, name: "console".into(), queue: None, safety_poll: chrono::Duration::minutes(10) }
    }
}

impl LiveSettings {
    /// The queue setup makes for this console, and the rule's name.
    pub fn queue_name(&self) -> String {
        format!("{NAME_PREFIX}{}", self.name)
    }

    /// The queue the console reads: the configured one, else setup's.
    pub fn queue(&self) -> String {
        self.queue.clone().unwrap_or_else(|| self.queue_name())
    }
}

/// The name a console goes by when the config names none: its user and machine (`ana-oncall-7`),
/// so two people, or one person on two machines, never share a queue by default. What a queue
/// name cannot hold becomes `-`; long names are cut to fit.
pub fn console_name_from(user: &str, host: &str) -> String {
    let host = host.split('.').next().unwrap_or_default();
    let joined = match (user.is_empty(), host.is_empty()) {
        (false, false) => format!("{user}-{host}"),
        (false, true) => user.to_string(),
        (true, false) => host.to_string(),
        (true, true) => return LiveSettings::default().name,
    };
    let longest = 64 - NAME_PREFIX.len();
    joined
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .take(longest)
        .collect()
}

/// A console name: it becomes part of an SQS queue name (80 characters of letters, digits, - and
/// _) and an EventBridge rule name (64).
pub fn check_console_name(name: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let longest = 64 - NAME_PREFIX.len();
    if name.is_empty() || name.len() > longest || !name.chars().all(allowed) {
        return Err(format!("expected letters, digits, - and _ (1 to {longest}), found {name:?}"));
    }
    Ok(())
}

/// A queue named in the config: a queue name, or an SQS queue URL.
pub fn check_queue(queue: &str) -> Result<(), String> {
    if queue.starts_with("https://") || queue.starts_with("http://") {
        return Ok(());
    }
    let name = queue.strip_suffix(".fifo").unwrap_or(queue);
    if name.is_empty() || queue.len() > 80 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(format!(
            "expected a queue name (up to 80 letters, digits, - and _) or a queue URL, found {queue:?}"
        ));
    }
    Ok(())
}

/// Where the feed stands, as the status line says it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FeedState {
    /// No feed asked for yet, or none this source can have (the demo, cached data): nothing said.
    #[default]
    Idle,
    /// Long-polling the queue: findings arrive as AWS sends them; polls run at the safety interval.
    Listening { queue: String },
    /// No feed (no queue, denied, an error): findings are polled at the usual interval. `short`
    /// is the status line's word, `why` the whole reason.
    FellBack { short: String, why: String },
}

/// The feed's state and what it has brought this session.
#[derive(Debug, Clone, Default)]
pub struct LiveStatus {
    pub state: FeedState,
    pub last_event: Option<Timestamp>,
    /// Events read, events laid over the list, events older than what was shown, messages that
    /// were not findings events.
    pub events: u64,
    pub stale: u64,
    pub malformed: u64,
    pub last_malformed: Option<String>,
    pub ledger: Ledger,
}

impl LiveStatus {
    pub fn is_live(&self) -> bool {
        matches!(self.state, FeedState::Listening { .. })
    }

    /// "live 4s" (the age of the last event), "live" before the first, "polling: no queue";
    /// `narrow` (80 columns, where every pane's age must still fit) says "polling" alone.
    pub fn cell(&self, now: Timestamp, narrow: bool) -> Option<String> {
        match &self.state {
            FeedState::Idle => None,
            FeedState::Listening { .. } => Some(match self.last_event {
                Some(at) => format!("live {}", super::time::compact_age(at, now)),
                None => "live".to_string(),
            }),
            FeedState::FellBack { .. } if narrow => Some("polling".to_string()),
            FeedState::FellBack { short, .. } => Some(format!("polling: {short}")),
        }
    }

    /// Forgets another context's feed.
    pub fn reset(&mut self) {
        *self = Self::default();
    }
}

/// The id of the rule's target (the queue).
pub const TARGET_ID: &str = "vigil-live";

/// What `vigil live setup` makes for a console: an EventBridge rule matching the findings events,
/// and the SQS queue it sends them to, with a queue policy letting only that rule send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupPlan {
    pub queue: String,
    pub rule: String,
    /// An hour: a console away for longer reloads everything at its next full poll anyway.
    pub retention_seconds: u32,
    /// A console that took a message and died: it is handed to the next receive after this.
    pub visibility_seconds: u32,
    /// Long polling by default, for any reader of the queue.
    pub wait_seconds: u32,
}

impl SetupPlan {
    pub fn new(settings: &LiveSettings) -> Self {
        let name = settings.queue_name();
        Self { queue: name.clone(), rule: name, retention_seconds: 3600, visibility_seconds: 60, wait_seconds: 20 }
    }

    /// The rule's event pattern: the three findings events.
    pub fn pattern(&self) -> String {
        serde_json::json!({
            "source": ["aws.securityhub", "aws.guardduty"],
            "detail-type": [CSPM_IMPORTED, V2_IMPORTED, GUARDDUTY_FINDING],
        })
        .to_string()
    }

    /// The queue policy: EventBridge may send, for this rule only.
    pub fn queue_policy(&self, queue_arn: &str, rule_arn: &str) -> String {
        serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "vigil-live-events",
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}},
            }],
        })
        .to_string()
    }

    /// What setup would make, as it prints it.
    pub fn describe(&self, account: &str, region: &str) -> String {
        format!(
            "In account {account}, region {region}:\n\
             \x20 EventBridge rule {rule} on the default event bus, matching\n\
             \x20   {pattern}\n\
             \x20 SQS queue {queue}: messages kept {retention} s, visibility timeout {visibility} s, \
             long polling {wait} s, encrypted with SQS-managed keys\n\
             \x20 queue policy: events.amazonaws.com may SendMessage, for rule {rule} only\n\
             \x20 rule target {target}: the queue\n\
             One queue per console: consoles sharing a queue take each other's events ([live] name).\n",
            rule = self.rule,
            pattern = self.pattern(),
            queue = self.queue,
            retention = self.retention_seconds,
            visibility = self.visibility_seconds,
            wait = self.wait_seconds,
            target = TARGET_ID,
        )
    }
}

/// What an event carries, before its service's mapping reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum EventBody {
    /// Security Hub CSPM's ASFF finding (`detail.findings[0]`).
    Asff(Value),
    /// The new Security Hub's OCSF finding (`detail.findings[0]`).
    Ocsf(Value),
    /// GuardDuty's finding (`detail`), as its GetFindings returns it.
    GuardDuty(Value),
}

/// An EventBridge event as the queue delivered it.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub id: String,
    pub account: String,
    pub region: String,
    pub body: EventBody,
}

/// Reads an event. The error says what was wrong in a few words (the body is hostile text and is
/// never repeated whole).
pub fn parse_envelope(text: &str) -> Result<Envelope, String> {
    let event: Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    let field = |name: &str| event.get(name).and_then(Value::as_str).unwrap_or_default();
    let (source, detail_type) = (field("source"), field("detail-type"));
    let detail = event.get("detail").filter(|d| d.is_object()).ok_or("no detail object")?;
    let first_finding = || {
        let findings = detail.get("findings").and_then(Value::as_array).ok_or("detail has no findings list")?;
        match findings.as_slice() {
            [one] if one.is_object() => Ok(one.clone()),
            [] => Err("detail.findings is empty".to_string()),
            // AWS sends one finding per event; more would be read as the first alone.
            _ => Err(format!("detail.findings holds {} entries, AWS sends one", findings.len())),
        }
    };
    let body = match (source, detail_type) {
        ("aws.securityhub", CSPM_IMPORTED) => EventBody::Asff(first_finding()?),
        ("aws.securityhub", V2_IMPORTED) => EventBody::Ocsf(first_finding()?),
        ("aws.guardduty", GUARDDUTY_FINDING) => EventBody::GuardDuty(detail.clone()),
        (source, detail_type) => {
            return Err(format!("an event Vigil does not read ({}: {})", clip(source), clip(detail_type)));
        }
    };
    Ok(Envelope {
        id: field("id").to_string(),
        account: field("account").to_string(),
        region: field("region").to_string(),
        body,
    })
}

fn clip(text: &str) -> String {
    let text = if text.is_empty() { "none" } else { text };
    // Logged as well as shown: no control character survives, whatever renders it.
    text.chars().filter(|c| !c.is_control()).take(60).collect()
}

/// Which copy of a finding an event is: the service that sent it.
pub fn origin_of(finding: &Finding) -> FindingOrigin {
    finding.sources.first().copied().unwrap_or(FindingOrigin::Securityhub)
}

/// Every event applied in the last [`KEEP`], by the copy it is of.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    entries: HashMap<(FindingOrigin, String), (Arc<Finding>, Timestamp)>,
}

/// What became of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Newer than any copy applied before: laid over the list.
    Fresh,
    /// An older version of a copy already applied (SQS delivers out of order).
    Stale,
}

impl Ledger {
    /// Takes an event's finding; `Fresh` when it is the newest version of its copy seen so far
    /// (the same version again is fresh too: laying it twice changes nothing).
    pub fn accept(&mut self, finding: Arc<Finding>, received: Timestamp) -> Verdict {
        let key = (origin_of(&finding), finding.identity());
        if let Some((known, _)) = self.entries.get(&key)
            && known.updated_at > finding.updated_at
        {
            return Verdict::Stale;
        }
        self.entries.insert(key, (finding, received));
        Verdict::Fresh
    }

    /// Forgets events older than [`KEEP`]: the polls have seen them since.
    pub fn prune(&mut self, now: Timestamp) {
        self.entries.retain(|_, (_, received)| now - *received < KEEP);
    }

    pub fn findings(&self) -> Vec<Arc<Finding>> {
        let mut list: Vec<_> = self.entries.values().map(|(f, _)| Arc::clone(f)).collect();
        // Oldest first: a later version of a row is laid last.
        list.sort_by_key(|f| f.updated_at);
        list
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// What laying events over a list did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Laid {
    pub inserted: usize,
    pub updated: usize,
    pub removed: usize,
    /// Events older than the row's own copy (a poll already brought a later version).
    pub stale: usize,
}

impl Laid {
    pub fn changed(&self) -> bool {
        self.inserted + self.updated + self.removed > 0
    }
}

/// Lays event findings over `rows` (the merged list the findings pane shows) by the rules the
/// merge of a poll follows (`model::dedupe`): a GuardDuty finding and its Security Hub copy are
/// one row that keeps Security Hub's id, product ARN and workflow and GuardDuty's count, last-seen
/// and archived state; a copy from the new Security Hub adds its origin to a row CSPM or GuardDuty
/// already lists. A row that is no longer open leaves, unless `keep_closed` (the all-findings
/// view).
pub fn lay_over(rows: &[Arc<Finding>], events: &[Arc<Finding>], keep_closed: bool) -> (Vec<Arc<Finding>>, Laid) {
    let mut list: Vec<Option<Arc<Finding>>> = rows.iter().cloned().map(Some).collect();
    // Only the rows an event can be about are keyed: a batch costs a pass of string lookups over
    // the list, not a key built for each of its rows.
    let wanted: std::collections::HashSet<&str> = events
        .iter()
        .flat_map(|e| [Some(e.id.as_ref()), e.guardduty_id.as_deref(), super::ocsf::ocsf_uid(e)])
        .flatten()
        .collect();
    let by_ocsf_uid = events.iter().any(|e| super::ocsf::ocsf_uid(e).is_some());
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let named = wanted.contains(&*row.id)
            || row.guardduty_id.as_deref().is_some_and(|gd| wanted.contains(gd))
            || (by_ocsf_uid && super::ocsf::ocsf_uid(row).is_some_and(|uid| wanted.contains(uid)));
        if named {
            for key in keys(row) {
                index.entry(key).or_insert(i);
            }
        }
    }
    let cspm_on = rows.iter().any(|r| r.sources.contains(&FindingOrigin::Securityhub));
    let mut laid = Laid::default();
    for event in events {
        let position = keys(event).into_iter().find_map(|k| index.get(&k).copied()).filter(|&i| list[i].is_some());
        let row = position.and_then(|i| list[i].as_ref());
        let origin = origin_of(event);
        if let Some(row) = row
            && row.sources == [origin]
            && row.updated_at > event.updated_at
        {
            laid.stale += 1;
            continue;
        }
        // The new Security Hub's copy of a CSPM control: CSPM is where controls are read (as a
        // poll's merge decides).
        if row.is_none()
            && origin == FindingOrigin::SecurityhubV2
            && cspm_on
            && super::dedupe::product_of(event) == "aws/securityhub"
        {
            continue;
        }
        let combined = match row {
            Some(row) => combine(row, event),
            None => event.as_ref().clone(),
        };
        let keep = keep_closed || combined.is_open();
        match (position, keep) {
            (Some(i), true) => {
                if list[i].as_deref() != Some(&combined) {
                    laid.updated += 1;
                }
                for key in keys(&combined) {
                    index.insert(key, i);
                }
                list[i] = Some(Arc::new(combined));
            }
            (Some(i), false) => {
                laid.removed += 1;
                list[i] = None;
            }
            (None, true) => {
                laid.inserted += 1;
                for key in keys(&combined) {
                    index.insert(key, list.len());
                }
                list.push(Some(Arc::new(combined)));
            }
            (None, false) => {}
        }
    }
    (list.into_iter().flatten().collect(), laid)
}

/// The keys a row is found by: its identity, its GuardDuty id in its account, its OCSF uid.
fn keys(f: &Finding) -> Vec<String> {
    let mut keys = vec![format!("id\u{0}{}", f.identity())];
    if let Some(gd) = &f.guardduty_id {
        keys.push(format!("gd\u{0}{}\u{0}{gd}", f.account_id));
    }
    if let Some(uid) = super::ocsf::ocsf_uid(f) {
        keys.push(format!("ocsf\u{0}{uid}"));
    }
    keys
}

/// The row `row` becomes when `event`'s copy replaces the copy of the same service in it.
fn combine(row: &Finding, event: &Finding) -> Finding {
    let has = |origin| row.sources.contains(&origin);
    let mut next = match origin_of(event) {
        FindingOrigin::Securityhub if has(FindingOrigin::Guardduty) => {
            let mut next = row.clone();
            super::dedupe::absorb_securityhub_copy(&mut next, event.clone());
            next
        }
        FindingOrigin::Guardduty if has(FindingOrigin::Securityhub) => {
            let mut next = event.clone();
            super::dedupe::absorb_securityhub_copy(&mut next, row.clone());
            next
        }
        FindingOrigin::SecurityhubV2 if has(FindingOrigin::Securityhub) || has(FindingOrigin::Guardduty) => {
            let mut next = row.clone();
            // Without a CSPM copy, the new Security Hub is where its workflow is set.
            if !has(FindingOrigin::Securityhub) {
                next.workflow_status = event.workflow_status;
            }
            next
        }
        _ => event.clone(),
    };
    // The new Security Hub's copy stays part of the row whichever copy changed.
    if has(FindingOrigin::SecurityhubV2) || origin_of(event) == FindingOrigin::SecurityhubV2 {
        if !next.sources.contains(&FindingOrigin::SecurityhubV2) {
            next.sources.push(FindingOrigin::SecurityhubV2);
            next.sources.sort();
        }
        let uid = super::ocsf::ocsf_uid(event).or_else(|| super::ocsf::ocsf_uid(row)).map(str::to_string);
        if let (None, Some(uid)) = (super::ocsf::ocsf_uid(&next), uid) {
            next.details.push((super::ocsf::OCSF_UID.into(), uid.into()));
        }
        if !has(FindingOrigin::Securityhub) && origin_of(event) == FindingOrigin::Guardduty {
            next.workflow_status = row.workflow_status;
        }
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::finding::tests::sample;
    use crate::model::{RecordState, WorkflowStatus};
    use chrono::Duration;

    fn at(minutes: i64) -> Timestamp {
        crate::model::finding::tests::sample("t").updated_at + Duration::minutes(minutes)
    }

    fn version(id: &str, minutes: i64, workflow: WorkflowStatus) -> Arc<Finding> {
        let mut f = sample(id);
        f.updated_at = at(minutes);
        f.workflow_status = workflow;
        f.sources = vec![FindingOrigin::Securityhub];
        Arc::new(f)
    }

    #[test]
    fn envelopes_of_the_three_events_are_read_and_others_are_refused() {
        let cspm = r#"{"version":"0","id":"e1","detail-type":"Security Hub Findings - Imported","source":"aws.securityhub",
            "account":"111122223333","time":"2026-12-07T10:00:00Z","region":"us-east-1","resources":[],
            "detail":{"findings":[{"Id":"f1"}]}}"#;
        let envelope = parse_envelope(cspm).unwrap();
        assert_eq!(envelope.account, "111122223333");
        assert_eq!(envelope.body, EventBody::Asff(serde_json::json!({"Id": "f1"})));
        let gd = r#"{"id":"e2","detail-type":"GuardDuty Finding","source":"aws.guardduty","account":"1","region":"r",
            "detail":{"id":"g1","type":"Recon:EC2/PortProbeUnprotectedPort"}}"#;
        assert!(matches!(parse_envelope(gd).unwrap().body, EventBody::GuardDuty(_)));
        let v2 = r#"{"detail-type":"Findings Imported V2","source":"aws.securityhub","detail":{"findings":[{"finding_info":{}}]}}"#;
        assert!(matches!(parse_envelope(v2).unwrap().body, EventBody::Ocsf(_)));
        assert!(parse_envelope("not json").unwrap_err().starts_with("not JSON"));
        let other =
            r#"{"detail-type":"EC2 Instance State-change Notification\u001b[2J","source":"aws.ec2","detail":{}}"#;
        let why = parse_envelope(other).unwrap_err();
        assert!(why.contains("aws.ec2") && !why.contains('\u{1b}'), "{why}");
        let empty =
            r#"{"detail-type":"Security Hub Findings - Imported","source":"aws.securityhub","detail":{"findings":[]}}"#;
        assert_eq!(parse_envelope(empty).unwrap_err(), "detail.findings is empty");
    }

    #[test]
    fn a_console_is_named_after_its_user_and_machine() {
        assert_eq!(console_name_from("ana", "oncall-7.shop.internal"), "ana-oncall-7");
        assert_eq!(console_name_from("d.o'brien", ""), "d-o-brien");
        assert_eq!(console_name_from("", ""), "console");
        let long = console_name_from(&"u".repeat(100), "h");
        assert!(check_console_name(&long).is_ok(), "{long}");
    }

    #[test]
    fn a_newer_version_wins_and_a_late_or_repeated_one_changes_nothing() {
        let mut ledger = Ledger::default();
        assert_eq!(ledger.accept(version("a", 2, WorkflowStatus::Notified), at(2)), Verdict::Fresh);
        assert_eq!(ledger.accept(version("a", 1, WorkflowStatus::New), at(3)), Verdict::Stale);
        assert_eq!(ledger.accept(version("a", 2, WorkflowStatus::Notified), at(3)), Verdict::Fresh);
        assert_eq!(ledger.len(), 1);
        ledger.prune(at(3) + KEEP);
        assert!(ledger.is_empty());

        let rows = vec![version("a", 5, WorkflowStatus::New)];
        let (list, laid) = lay_over(&rows, &[version("a", 4, WorkflowStatus::Resolved)], false);
        assert_eq!((list.len(), laid.stale), (1, 1), "an event older than the polled row is stale");
        let (list, laid) = lay_over(&rows, &[version("a", 6, WorkflowStatus::Notified)], false);
        assert_eq!((list[0].workflow_status, laid.updated), (WorkflowStatus::Notified, 1));
        let (again, laid) = lay_over(&list, &[version("a", 6, WorkflowStatus::Notified)], false);
        assert_eq!((again, laid.changed()), (list, false), "the same event twice changes nothing");
    }

    #[test]
    fn events_insert_update_and_remove_rows() {
        let rows = vec![version("a", 0, WorkflowStatus::New), version("b", 0, WorkflowStatus::New)];
        let events = [version("c", 1, WorkflowStatus::New), version("a", 1, WorkflowStatus::Resolved)];
        let (list, laid) = lay_over(&rows, &events, false);
        let ids: Vec<&str> = list.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["b", "c"]);
        assert_eq!((laid.inserted, laid.removed), (1, 1));
        let (all, _) = lay_over(&rows, &events, true);
        assert_eq!(all.len(), 3, "the all-findings view keeps what closed");
        let mut archived = version("b", 1, WorkflowStatus::New).as_ref().clone();
        archived.record_state = RecordState::Archived;
        let (list, _) = lay_over(&list, &[Arc::new(archived)], false);
        assert_eq!(list.len(), 1);
        // A closed finding nobody listed is not added.
        let (list, laid) = lay_over(&list, &[version("z", 1, WorkflowStatus::Suppressed)], false);
        assert_eq!((list.len(), laid.changed()), (1, false));
    }

    #[test]
    fn a_guardduty_event_updates_the_row_merged_with_its_security_hub_copy() {
        let gd_id = "0123456789abcdef0123456789abcdef";
        let mut guardduty = sample("gd");
        guardduty.id = format!("arn:aws:guardduty:us-east-1:111122223333:detector/d/finding/{gd_id}");
        guardduty.guardduty_id = Some(gd_id.into());
        guardduty.product_arn = None;
        guardduty.sources = vec![FindingOrigin::Guardduty];
        guardduty.count = 3;
        let mut copy = guardduty.clone();
        copy.id = format!("arn:aws:guardduty:us-east-1:111122223333:detector/d/finding/{gd_id}");
        copy.product_arn = Some("arn:aws:securityhub:us-east-1::product/aws/guardduty".into());
        copy.sources = vec![FindingOrigin::Securityhub];
        copy.workflow_status = WorkflowStatus::Notified;
        let merged = crate::model::dedupe::merge_findings(vec![copy.clone()], vec![guardduty.clone()]);
        let rows: Vec<Arc<Finding>> = merged.into_iter().map(Arc::new).collect();

        let mut seen_again = guardduty.clone();
        seen_again.count = 9;
        seen_again.updated_at = guardduty.updated_at + Duration::minutes(1);
        let (list, laid) = lay_over(&rows, &[Arc::new(seen_again)], false);
        assert_eq!((list.len(), laid.updated), (1, 1));
        assert_eq!(list[0].count, 9, "GuardDuty's count");
        assert_eq!(list[0].workflow_status, WorkflowStatus::Notified, "Security Hub's workflow");
        assert_eq!(list[0].product_arn, copy.product_arn);

        let mut resolved = copy.clone();
        resolved.workflow_status = WorkflowStatus::Resolved;
        resolved.updated_at = copy.updated_at + Duration::minutes(2);
        let (list, laid) = lay_over(&list, &[Arc::new(resolved)], false);
        assert_eq!((list.len(), laid.removed), (0, 1), "triaged in Security Hub: the merged row leaves");
    }
}
