//! The Findings pane in the app: findings seen and unseen, the title line's severity counts, the
//! triage actions, the board's arrivals and what findings say about a resource.

use super::{AppPane, Section, Subject};
use crate::action::Effect;
use crate::app::listing::{Jump, Listing, ListingKind, ListingRow};
use crate::model::ocsf::Exposure;
use crate::app::pane_state::PaneState;
use crate::app::triage::{MenuCommand, MenuEntry};
use crate::model::panes::findings::Action as A;
use crate::model::triage::TriageAction;
use crate::app::watch::Watch;
use crate::model::related::{resource_name, words_in_name};
use crate::model::identity::identity_hash;
use crate::model::triage::Verification;
use crate::model::{Context, Finding, SeverityCounts, SeverityLabel, SharedStr, Timestamp, WorkflowStatus};
use crate::pane::PaneId;
use crate::view::table::{NONE, Pairing, TableIndex};
use crate::view::{CellContext, Column, Tabular, Tone, Width, default_sort};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The identity of an [`Identities`] set is already a hash: used as it is.
#[derive(Default)]
struct PrehashedHasher(u64);

impl std::hash::Hasher for PrehashedHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }
    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }
}

/// Findings by [`identity_hash`].
type Identities = HashSet<u64, std::hash::BuildHasherDefault<PrehashedHasher>>;

#[derive(Debug, Clone)]
pub struct FindingsPane {
    pub table: PaneState<Arc<Finding>>,
    /// Identities of findings that arrived after the first load and the user has not looked at yet.
    pub unseen: HashSet<String>,
    /// Hashes of the identities of every finding seen since the first load.
    known: Identities,
    /// Rows on screen per severity, for the title line.
    severity_counts: SeverityCounts,
    /// The table's `generation` the counts were taken at.
    counted: Option<u64>,
    /// The accounts the rows come from, against what the coverage says should (41 members).
    pub accounts_seen: usize,
    /// How many rows each account has: kept up to date from what an install changes, since
    /// counting 100k rows' accounts at every refresh was a tenth of an idle console's work.
    rows_per_account: HashMap<SharedStr, usize>,
    /// The findings the last install brought, changed or took away (their old and new records);
    /// `None` when it may have changed anything (the first load, a baseline, or many changes).
    pub last_changes: Option<Vec<Arc<Finding>>>,
}

/// Changes an install keeps for the listings on screen to check; past this many they are rebuilt.
const CHANGES_KEPT: usize = 1_000;

/// Whether `f` is something "everything about" `subject` (opened on `anchor`) lists or is built
/// from: the anchor, a finding on the subject or of its control, or one on a resource named like it.
pub fn touches(f: &Finding, subject: &Subject, anchor: &Jump) -> bool {
    (anchor.pane == PaneId::Findings && f.has_key(&anchor.key))
        || subject.is(&f.resource)
        || subject.control.as_deref().is_some_and(|c| f.control_id.as_deref() == Some(c))
        || (!subject.words.is_empty() && !words_in_name(&subject.words, resource_name(&f.resource)).is_empty())
}

impl FindingsPane {
    fn install_rows(&mut self, rows: Vec<Arc<Finding>>, index: Option<TableIndex>, ctx: &CellContext) {
        let shown = Arc::clone(&self.table.rows);
        self.note_new(&shown, &rows);
        drop(shown);
        self.accounts_seen = self.rows_per_account.len();
        self.table.replace_rows(rows, index, ctx);
    }

    /// The first load is the baseline; anything after it that was never seen before is new. Runs
    /// on the UI thread at every refresh: known findings are remembered by a hash of their
    /// identity, so 100k of them cost no allocation, and a record the source handed over
    /// unchanged (the same shared record in the same place) is known already.
    fn note_new(&mut self, shown: &[Arc<Finding>], rows: &[Arc<Finding>]) {
        let hash = |f: &Finding| {
            identity_hash([&f.account_id, &f.region, f.product_arn.as_deref().unwrap_or_default(), &f.id])
        };
        if self.known.is_empty() {
            self.known.extend(rows.iter().map(|f| hash(f)));
            self.last_changes = None;
            self.rows_per_account.clear();
            for f in rows {
                *self.rows_per_account.entry(f.account_id.clone()).or_default() += 1;
            }
            return;
        }
        // The records the source handed over again (shared or equal: unchanged) are known, and
        // present.
        // `Arc`'s == compares pointers first: a shared record costs no field comparison.
        let pairing = Pairing::walk(shown, rows, |a, b| a == b);
        fn unpaired<'a>(list: &'a [Arc<Finding>], partners: &'a [u32]) -> impl Iterator<Item = &'a Arc<Finding>> {
            list.iter().zip(partners).filter(|&(_, &p)| p == NONE).map(|(f, _)| f)
        }
        let came: Vec<&Arc<Finding>> = unpaired(rows, &pairing.old_of_new).collect();
        let went: Vec<&Arc<Finding>> = unpaired(shown, &pairing.new_of_old).collect();
        let arrived: Identities = came.iter().map(|f| hash(f)).collect();
        let left: Identities = went.iter().map(|f| hash(f)).collect();
        // A paired record is the same record: only the unpaired ones move an account's count.
        for f in &came {
            *self.rows_per_account.entry(f.account_id.clone()).or_default() += 1;
        }
        for f in &went {
            if let Some(count) = self.rows_per_account.get_mut(&f.account_id) {
                *count -= 1;
                if *count == 0 {
                    self.rows_per_account.remove(&f.account_id);
                }
            }
        }
        self.last_changes =
            (came.len() + went.len() <= CHANGES_KEPT).then(|| came.iter().chain(&went).map(|&f| Arc::clone(f)).collect());
        for f in came {
            if self.known.insert(hash(f)) {
                self.unseen.insert(f.identity());
            }
        }
        self.unseen.retain(|identity| {
            let h = identity_hash(crate::model::identity::parts(identity));
            !left.contains(&h) || arrived.contains(&h)
        });
    }

    /// The next list installed is the baseline again: nothing in it counts as new.
    pub(crate) fn forget_baseline(&mut self) {
        self.rows_per_account.clear();
        self.known.clear();
        self.unseen.clear();
    }

    /// A finding counts as seen once the selection has been on it.
    pub(crate) fn see_selected(&mut self) {
        if !self.unseen.is_empty()
            && let Some(identity) = self.table.selected().map(|f| f.identity())
        {
            self.unseen.remove(&identity);
        }
    }

    /// Rows on screen per severity.
    pub fn severity_counts(&self) -> SeverityCounts {
        self.severity_counts
    }

    /// Recounts after the rows on screen changed; a frame only reads the counts.
    pub(crate) fn count_severities(&mut self) {
        let generation = self.table.view.generation();
        if self.counted == Some(generation) {
            return;
        }
        let mut counts = SeverityCounts::default();
        for &i in &self.table.view.visible {
            if let Some(f) = self.table.rows.get(i as usize) {
                counts[f.severity] += 1;
            }
        }
        self.severity_counts = counts;
        self.counted = Some(generation);
    }

    pub(crate) fn mark_all_seen(&mut self) {
        self.unseen.clear();
    }
}

impl FindingsPane {
    fn new() -> Self {
        Self {
            table: PaneState::new(default_sort(PaneId::Findings)),
            unseen: HashSet::new(),
            known: Identities::default(),
            severity_counts: SeverityCounts::default(),
            counted: None,
            accounts_seen: 0,
            rows_per_account: HashMap::new(),
            last_changes: None,
        }
    }
}

pub struct Pane;

pub const EXPOSURE_COLUMNS: &[Column] = &[
    Column::new("Severity", Width::Fixed(9), 0),
    Column::new("Resource, trait or finding", Width::Flexible(28), 0),
    Column::new("What AWS correlated", Width::Flexible(24), 1),
    Column::new("Account", Width::Fixed(14), 2),
];

/// The exposures lens: each open exposure finding of the new Security Hub, most severe first,
/// with its traits and the findings it was correlated from; Enter on the exposure opens its row
/// (detail and raw JSON there), on a contributing finding that finding's row when it is listed.
pub fn exposures_listing(findings: &[Arc<Finding>]) -> Listing {
    let mut exposures: Vec<(&Arc<Finding>, Exposure)> =
        findings.iter().filter(|f| f.is_open()).filter_map(|f| Some((f, Exposure::of(f)?))).collect();
    exposures.sort_by(|(a, x), (b, y)| b.severity.cmp(&a.severity).then_with(|| x.resource.cmp(&y.resource)));
    let tone = |severity: SeverityLabel| match severity {
        SeverityLabel::Critical | SeverityLabel::High => Tone::Bad,
        SeverityLabel::Medium => Tone::Warning,
        _ => Tone::Normal,
    };
    let mut rows = Vec::new();
    for (finding, exposure) in exposures {
        rows.push(ListingRow {
            cells: vec![
                exposure.severity.as_str().to_string(),
                crate::model::arn::short_resource(&exposure.resource).to_string(),
                exposure.summary(),
                exposure.account.clone(),
            ],
            tone: tone(exposure.severity),
            heading: false,
            jump: Some(Jump { pane: PaneId::Findings, key: finding.identity() }),
        });
        for t in &exposure.traits {
            rows.push(ListingRow {
                cells: vec![String::new(), format!("  {}", t.name), t.values.join(", "), String::new()],
                tone: Tone::Muted,
                heading: false,
                jump: None,
            });
        }
        for c in &exposure.contributing {
            let listed = findings.iter().find(|f| f.id == c.uid && f.account_id == finding.account_id);
            rows.push(ListingRow {
                cells: vec![
                    listed.map(|f| f.severity.as_str().to_string()).unwrap_or_default(),
                    format!("  ← {}", c.title),
                    c.product.clone(),
                    String::new(),
                ],
                tone: if listed.is_some() { Tone::Normal } else { Tone::Muted },
                heading: false,
                jump: listed.map(|f| Jump { pane: PaneId::Findings, key: f.identity() }),
            });
        }
    }
    Listing {
        kind: ListingKind::Lens(PaneId::Findings),
        title: "Exposures AWS correlated (new Security Hub)".into(),
        columns: EXPOSURE_COLUMNS,
        hidden: vec![],
        rows,
        selected: 0,
        empty: "no open exposure finding: the new Security Hub is off here, or it correlated none".into(),
        go: "go to the finding",
    }
}

impl AppPane for Pane {
    type View = crate::view::findings::Pane;
    type State = FindingsPane;

    fn new_state() -> FindingsPane {
        FindingsPane::new()
    }
    fn table(state: &FindingsPane) -> &PaneState<Arc<Finding>> {
        &state.table
    }
    fn table_mut(state: &mut FindingsPane) -> &mut PaneState<Arc<Finding>> {
        &mut state.table
    }

    fn install(state: &mut FindingsPane, data: Vec<Arc<Finding>>, index: Option<TableIndex>, ctx: &CellContext) {
        state.install_rows(data, index, ctx);
    }

    fn clear(state: &mut FindingsPane, ctx: &CellContext) {
        state.forget_baseline();
        crate::app::pane_state::TablePane::clear(&mut state.table, ctx);
    }

    /// New findings tell the board its counts and the newest serious ones.
    fn on_loaded(data: &Vec<Arc<Finding>>, watch: &mut Watch, _context: &Context, at: Timestamp, _cached: bool) -> Vec<Effect> {
        watch.board.findings_arrived(data, at);
        Vec::new()
    }

    fn menu(_state: &FindingsPane) -> Vec<MenuEntry> {
        use MenuCommand::{ConsoleLink, CopyFix, Yank};
        let entry = |key, label: &'static str, command| MenuEntry { key, label: label.into(), command };
        let triage = |action: A| MenuCommand::Triage(TriageAction::Findings(action));
        let note = String::new;
        vec![
            entry('n', "workflow NOTIFIED (note)", triage(A::SetWorkflow { status: WorkflowStatus::Notified, note: note() })),
            entry('r', "workflow RESOLVED (note)", triage(A::SetWorkflow { status: WorkflowStatus::Resolved, note: note() })),
            entry('s', "workflow SUPPRESSED (note)", triage(A::SetWorkflow { status: WorkflowStatus::Suppressed, note: note() })),
            entry('w', "workflow NEW again (note)", triage(A::SetWorkflow { status: WorkflowStatus::New, note: note() })),
            entry('C', "severity CRITICAL (note)", triage(A::SetSeverity { label: SeverityLabel::Critical, note: note() })),
            entry('H', "severity HIGH (note)", triage(A::SetSeverity { label: SeverityLabel::High, note: note() })),
            entry('M', "severity MEDIUM (note)", triage(A::SetSeverity { label: SeverityLabel::Medium, note: note() })),
            entry('L', "severity LOW (note)", triage(A::SetSeverity { label: SeverityLabel::Low, note: note() })),
            entry('I', "severity INFORMATIONAL (note)", triage(A::SetSeverity { label: SeverityLabel::Informational, note: note() })),
            entry('t', "true positive (note)", triage(A::SetVerification { state: Verification::TruePositive, note: note() })),
            entry('f', "false positive (note)", triage(A::SetVerification { state: Verification::FalsePositive, note: note() })),
            entry('b', "benign positive (note)", triage(A::SetVerification { state: Verification::BenignPositive, note: note() })),
            entry('a', "GuardDuty: archive", triage(A::ArchiveGuardDuty)),
            entry('u', "GuardDuty: unarchive", triage(A::UnarchiveGuardDuty)),
            entry('+', "GuardDuty: feedback useful", triage(A::GuardDutyFeedback { useful: true })),
            entry('-', "GuardDuty: feedback not useful", triage(A::GuardDutyFeedback { useful: false })),
            entry('T', "ticket in Jira / ServiceNow", triage(A::OpenTicket)),
            entry('R', "suppress like this: a rule (note)", triage(A::SuppressLikeThis { note: note() })),
            entry('y', "copy finding id", Yank),
            entry('o', "copy AWS console link", ConsoleLink),
            entry('F', "copy the AWS CLI fix", CopyFix),
        ]
    }

    fn lens(state: &FindingsPane, _watch: &Watch, _context: &Context, _ctx: &CellContext) -> Option<crate::app::listing::Listing> {
        Some(exposures_listing(&state.table.rows))
    }

    fn subject(state: &FindingsPane, key: &str) -> Option<Subject> {
        let f = state.table.rows.iter().find(|f| f.has_key(key))?;
        Some(Subject {
            label: crate::model::arn::short_resource(&f.resource).to_string(),
            resources: vec![f.resource.to_string()],
            words: crate::model::related::application_words(resource_name(&f.resource)),
            ..Subject::default()
        })
    }

    /// The controls the open findings on the subject (and the anchor finding) fail.
    fn enrich(state: &FindingsPane, subject: &mut Subject, anchor: &Jump) {
        if subject.control.is_some() {
            return;
        }
        let anchor_control = match anchor.pane {
            PaneId::Findings => state.table.rows.iter().find(|f| f.has_key(&anchor.key)).and_then(|f| f.control_id.clone()),
            _ => None,
        };
        let on_it = state.table.rows.iter().filter(|f| f.is_open() && subject.is(&f.resource));
        let controls: Vec<String> =
            on_it.filter_map(|f| f.control_id.as_deref().map(str::to_string)).chain(anchor_control.map(|c| c.to_string())).collect();
        subject.failing_controls.extend(controls);
    }

    /// Findings on the resource (or, for a control, the resources failing it), and findings on
    /// other resources named like it.
    fn related(state: &FindingsPane, subject: &Subject, anchor: &Jump, _ctx: &CellContext) -> Vec<Section> {
        let findings = &state.table.rows;
        // A control's findings share its title: what tells them apart is the resource each is about.
        let by_resource = subject.control.is_some();
        let row = |f: &Finding, why: &str| {
            let state = if f.is_open() { f.workflow_status.as_str() } else { "closed" };
            let name =
                if by_resource { crate::model::arn::short_resource(&f.resource).to_string() } else { f.title.to_string() };
            ListingRow::item(
                anchor,
                PaneId::Findings,
                f.key().into_owned(),
                [name, format!("{} {state}", f.severity.short()), why.to_string()],
                if f.is_open() { Tone::from(f.severity) } else { Tone::Muted },
            )
        };
        let on_it: Vec<ListingRow> = findings
            .iter()
            .filter(|f| match &subject.control {
                Some(control) => f.control_id.as_deref() == Some(control.as_str()),
                None => subject.is(&f.resource),
            })
            .filter(|f| !(anchor.pane == PaneId::Findings && f.has_key(&anchor.key)))
            .map(|f| row(f, if subject.control.is_some() { "fails the control" } else { "same resource" }))
            .collect();
        let title = if by_resource { "Resources failing it (its findings)" } else { "Findings on it" };
        let mut sections = vec![Section { order: 10, title: title.into(), rows: on_it }];
        if !subject.words.is_empty() {
            let named: Vec<ListingRow> = findings
                .iter()
                .filter(|f| f.is_open() && !subject.is(&f.resource))
                .filter_map(|f| {
                    // Every finding is read here: no set of words is built per finding.
                    let shared = words_in_name(&subject.words, resource_name(&f.resource));
                    (!shared.is_empty()).then(|| row(f, &format!("name: {}", shared.join(", "))))
                })
                .collect();
            sections.push(Section { order: 90, title: "Findings on resources named like it".into(), rows: named });
        }
        sections
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PaneData;
    use crate::source::demo::DemoSource;
    use chrono::TimeZone;

    fn findings() -> Vec<Arc<Finding>> {
        let now = chrono::Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).single().unwrap_or_default();
        match DemoSource::new(7, 60, now).generate(PaneId::Findings, now) {
            PaneData::Findings(rows) => rows,
            _ => Vec::new(),
        }
    }

    #[test]
    fn a_new_finding_stays_new_while_present_whatever_moves_around_it() {
        let ctx = CellContext::plain(chrono::Utc::now());
        let mut panes = crate::app::panes::Panes::default();
        let mut rows = findings();
        panes.findings.install_rows(rows.clone(), None, &ctx);
        assert!(panes.findings.unseen.is_empty(), "the first load is the baseline");

        // One arrives in the middle (everything after it moves) and one changes in place.
        let mut arrival = Finding::clone(&rows[3]);
        arrival.id = "arrived-later".into();
        let arrival = Arc::new(arrival);
        rows.insert(10, Arc::clone(&arrival));
        let mut changed = Finding::clone(&rows[20]);
        changed.count += 1;
        rows[20] = Arc::new(changed);
        panes.findings.install_rows(rows.clone(), None, &ctx);
        assert_eq!(panes.findings.unseen, HashSet::from([arrival.identity()]), "a changed finding is not new");

        // Others leave; the new one is still there, and still new.
        rows.remove(0);
        rows.remove(30);
        panes.findings.install_rows(rows.clone(), None, &ctx);
        assert_eq!(panes.findings.unseen.len(), 1);

        // It leaves: nothing is waiting to be seen.
        rows.retain(|f| !Arc::ptr_eq(f, &arrival));
        panes.findings.install_rows(rows.clone(), None, &ctx);
        assert!(panes.findings.unseen.is_empty());

        // A copy of an already known finding (not the shared record) is not new either.
        rows[5] = Arc::new(Finding::clone(&rows[5]));
        panes.findings.install_rows(rows, None, &ctx);
        assert!(panes.findings.unseen.is_empty());
    }
}
