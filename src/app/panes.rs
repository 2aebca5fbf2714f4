//! Every pane's state, each with what belongs to it alone: the findings seen and unseen, the
//! Cognito pools, the standards and their score. The app reaches a pane through [`Panes::table`]
//! and installs data through [`Panes::install`]. Every `match` here is exhaustive: a new pane is
//! pointed at each place its state must be added.

use super::pane_state::{PaneState, TablePane};
use crate::model::compliance::{ControlTally, summary_score};
use crate::model::users::PoolSummary;
use crate::model::{Certificate, Finding, PaneData, Secret, Standard, UserAnomaly};
use crate::pane::PaneId;
use crate::view::compliance::{ControlRow, control_rows, standard_short_name};
use crate::view::table::TableIndex;
use crate::view::{CellContext, default_sort};
use std::collections::HashSet;

/// How many records a chunk of a pane's data holds.
pub(super) fn record_count(data: &PaneData) -> usize {
    match data {
        PaneData::Findings(rows) => rows.len(),
        PaneData::Certificates(rows) => rows.len(),
        PaneData::Secrets(rows) => rows.len(),
        PaneData::Users(report) => report.anomalies.len(),
        PaneData::Compliance(standards) => standards.iter().map(|s| s.controls.len()).sum(),
    }
}

/// A finding's identity (`Id` and `ProductArn`) hashed without building its identity string.
fn identity_hash(id: &str, product_arn: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut hasher);
    product_arn.hash(&mut hasher);
    hasher.finish()
}

/// 12,345: a count people read at a glance.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A standard's score line above the Compliance table.
#[derive(Debug, Clone, PartialEq)]
pub struct StandardSummary {
    pub name: String,
    pub short: String,
    pub score: Option<u8>,
    pub tally: ControlTally,
}

#[derive(Debug, Clone)]
pub struct FindingsPane {
    pub table: PaneState<Finding>,
    /// Identities of findings that arrived after the first load and the user has not looked at yet.
    pub unseen: HashSet<String>,
    /// Hashes of the identities of every finding seen since the first load.
    known: HashSet<u64>,
    /// Rows on screen per severity (indexed by `SeverityLabel as usize`), for the title line.
    severity_counts: [usize; 5],
    /// The table's `generation` the counts were taken at.
    counted: Option<u64>,
}

impl FindingsPane {
    fn install(&mut self, rows: Vec<Finding>, index: Option<TableIndex>, ctx: &CellContext) {
        self.note_new(&rows);
        self.table.replace_rows(rows, index, ctx);
    }

    /// The first load is the baseline; anything after it that was never seen before is new. Runs
    /// on the UI thread at every refresh: known findings are remembered by a hash of their
    /// identity, so 100k of them cost no allocation.
    fn note_new(&mut self, rows: &[Finding]) {
        let baseline = self.known.is_empty();
        let track = !self.unseen.is_empty();
        let mut present = HashSet::with_capacity(if track { rows.len() } else { 0 });
        for f in rows {
            let hash = identity_hash(&f.id, f.product_arn.as_deref().unwrap_or_default());
            if track {
                present.insert(hash);
            }
            if self.known.insert(hash) && !baseline {
                self.unseen.insert(f.identity());
                present.insert(hash);
            }
        }
        if !self.unseen.is_empty() {
            self.unseen.retain(|identity| {
                let (id, product) =
                    identity.split_once(crate::model::finding::IDENTITY_SEPARATOR).unwrap_or((identity, ""));
                present.contains(&identity_hash(id, product))
            });
        }
    }

    /// A finding counts as seen once the selection has been on it.
    pub(super) fn see_selected(&mut self) {
        if !self.unseen.is_empty()
            && let Some(identity) = self.table.selected().map(Finding::identity)
        {
            self.unseen.remove(&identity);
        }
    }

    /// Rows on screen per severity, indexed by `SeverityLabel as usize`.
    pub fn severity_counts(&self) -> [usize; 5] {
        self.severity_counts
    }

    /// Recounts after the rows on screen changed; a frame only reads the counts.
    pub(super) fn count_severities(&mut self) {
        let generation = self.table.view.generation();
        if self.counted == Some(generation) {
            return;
        }
        let mut counts = [0usize; 5];
        for &i in &self.table.view.visible {
            if let Some(f) = self.table.rows.get(i as usize) {
                counts[f.severity as usize] += 1;
            }
        }
        self.severity_counts = counts;
        self.counted = Some(generation);
    }

    pub(super) fn mark_all_seen(&mut self) {
        self.unseen.clear();
    }
}

#[derive(Debug, Clone)]
pub struct UsersPane {
    pub table: PaneState<UserAnomaly>,
    /// One summary per Cognito user pool, drawn above the anomalies.
    pub pools: Vec<PoolSummary>,
}

#[derive(Debug, Clone)]
pub struct CompliancePane {
    pub table: PaneState<ControlRow>,
    pub standards: Vec<StandardSummary>,
    /// The score over every enabled standard, as Security Hub's summary shows it.
    pub summary_score: Option<u8>,
}

impl CompliancePane {
    fn install(&mut self, standards: Vec<Standard>, index: Option<TableIndex>, ctx: &CellContext) {
        self.summary_score = summary_score(&standards);
        self.standards = standards
            .iter()
            .map(|s| StandardSummary {
                name: s.name.clone(),
                short: standard_short_name(&s.name),
                score: s.score(),
                tally: s.tally(),
            })
            .collect();
        self.table.replace_rows(control_rows(&standards), index, ctx);
    }
}

#[derive(Debug, Clone)]
pub struct Panes {
    pub findings: FindingsPane,
    pub certificates: PaneState<Certificate>,
    pub secrets: PaneState<Secret>,
    pub users: UsersPane,
    pub compliance: CompliancePane,
}

impl Default for Panes {
    fn default() -> Self {
        Self {
            findings: FindingsPane {
                table: PaneState::new(default_sort(PaneId::Findings)),
                unseen: HashSet::new(),
                known: HashSet::new(),
                severity_counts: [0; 5],
                counted: None,
            },
            certificates: PaneState::new(default_sort(PaneId::Certificates)),
            secrets: PaneState::new(default_sort(PaneId::Secrets)),
            users: UsersPane { table: PaneState::new(default_sort(PaneId::Users)), pools: Vec::new() },
            compliance: CompliancePane {
                table: PaneState::new(default_sort(PaneId::Compliance)),
                standards: Vec::new(),
                summary_score: None,
            },
        }
    }
}

impl Panes {
    pub fn table(&self, pane: PaneId) -> &dyn TablePane {
        match pane {
            PaneId::Findings => &self.findings.table,
            PaneId::Certificates => &self.certificates,
            PaneId::Secrets => &self.secrets,
            PaneId::Users => &self.users.table,
            PaneId::Compliance => &self.compliance.table,
        }
    }

    pub(super) fn table_mut(&mut self, pane: PaneId) -> &mut dyn TablePane {
        match pane {
            PaneId::Findings => &mut self.findings.table,
            PaneId::Certificates => &mut self.certificates,
            PaneId::Secrets => &mut self.secrets,
            PaneId::Users => &mut self.users.table,
            PaneId::Compliance => &mut self.compliance.table,
        }
    }

    /// Installs a pane's fresh data, with the index the fetch task prepared for it.
    pub(super) fn install(&mut self, data: PaneData, index: Option<TableIndex>, ctx: &CellContext) {
        match data {
            PaneData::Findings(rows) => self.findings.install(rows, index, ctx),
            PaneData::Certificates(rows) => self.certificates.replace_rows(rows, index, ctx),
            PaneData::Secrets(rows) => self.secrets.replace_rows(rows, index, ctx),
            PaneData::Users(report) => {
                self.users.pools = report.pools;
                self.users.table.replace_rows(report.anomalies, index, ctx);
            }
            PaneData::Compliance(standards) => self.compliance.install(standards, index, ctx),
        }
    }

    /// Shows rows a first load reported, before its result. Panes whose rows depend on the whole
    /// answer (pools, standards) only count them. Returns how many rows the chunk held.
    pub(super) fn append_preview(&mut self, data: PaneData, fresh: bool, ctx: &CellContext) -> usize {
        fn add<T: crate::view::Tabular + crate::view::Scoped + super::triage::Actionable + Clone>(
            table: &mut PaneState<T>,
            rows: Vec<T>,
            fresh: bool,
            ctx: &CellContext,
        ) -> usize {
            let n = rows.len();
            if fresh {
                table.drop_rows(ctx);
            }
            table.append_rows(rows, ctx);
            n
        }
        match data {
            PaneData::Findings(rows) => add(&mut self.findings.table, rows, fresh, ctx),
            PaneData::Certificates(rows) => add(&mut self.certificates, rows, fresh, ctx),
            PaneData::Secrets(rows) => add(&mut self.secrets, rows, fresh, ctx),
            PaneData::Users(_) | PaneData::Compliance(_) => record_count(&data),
        }
    }

    /// Lines a pane draws between its title line and its table (pools, standards), at most.
    pub fn summary_lines(&self, pane: PaneId) -> usize {
        match pane {
            PaneId::Findings | PaneId::Certificates | PaneId::Secrets => 0,
            PaneId::Users => self.users.pools.len().min(3),
            PaneId::Compliance => self.compliance.standards.len().min(4),
        }
    }

    /// The figure on a pane's tab: its record count ("…" before the first load), or the score for
    /// Compliance.
    pub fn tab_figure(&self, pane: PaneId) -> String {
        let table = self.table(pane);
        match pane {
            PaneId::Findings | PaneId::Certificates | PaneId::Secrets | PaneId::Users => {
                let status = table.status();
                if status.in_flight && status.so_far > 0 {
                    format!("{} so far", thousands(status.so_far))
                } else if status.last_success.is_none() {
                    "…".into()
                } else {
                    table.view().total().to_string()
                }
            }
            PaneId::Compliance => self.compliance.summary_score.map(|s| format!("{s}%")).unwrap_or_else(|| "-".into()),
        }
    }

    /// Forgets every pane's data and refresh state (the context changed); sorts and filters stay.
    pub(super) fn clear_data(&mut self, ctx: &CellContext) {
        let fresh = Self::default();
        self.findings.unseen.clear();
        self.findings.known.clear();
        self.users.pools = fresh.users.pools;
        self.compliance.standards = fresh.compliance.standards;
        self.compliance.summary_score = None;
        for pane in PaneId::ALL {
            self.table_mut(pane).clear(ctx);
        }
    }
}
