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
use crate::view::table::{NONE, Pairing, TableIndex};
use crate::view::{CellContext, default_sort};
use std::collections::HashSet;
use std::sync::Arc;

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

/// A finding's identity (`Id` and `ProductArn`) hashed without building its identity string: a
/// word at a time (FxHash's mixing), since every refresh hashes the identities of what changed,
/// and of every row while new findings wait to be seen. Not DoS-resistant, and need not be: a
/// collision only makes a new finding look already seen, and 64 bits make that negligible.
fn identity_hash(id: &str, product_arn: &str) -> u64 {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut hash = id.len() as u64;
    for bytes in [id.as_bytes(), product_arn.as_bytes()] {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            hash = (hash.rotate_left(5) ^ word).wrapping_mul(SEED);
        }
        for &byte in words.remainder() {
            hash = (hash.rotate_left(5) ^ u64::from(byte)).wrapping_mul(SEED);
        }
    }
    hash
}

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
    pub arn: String,
    pub name: String,
    pub short: String,
    pub score: Option<u8>,
    pub tally: ControlTally,
    /// Across member accounts, when the control findings span several.
    pub organisation: Option<OrganisationScore>,
}

/// A standard's score across the organisation's accounts.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationScore {
    /// The mean of the accounts' scores.
    pub average: Option<u8>,
    pub accounts: usize,
    /// The account with the lowest score, and that score.
    pub lowest: Option<(String, u8)>,
}

#[derive(Debug, Clone)]
pub struct FindingsPane {
    pub table: PaneState<Arc<Finding>>,
    /// Identities of findings that arrived after the first load and the user has not looked at yet.
    pub unseen: HashSet<String>,
    /// Hashes of the identities of every finding seen since the first load.
    known: Identities,
    /// Rows on screen per severity (indexed by `SeverityLabel as usize`), for the title line.
    severity_counts: [usize; 5],
    /// The table's `generation` the counts were taken at.
    counted: Option<u64>,
}

impl FindingsPane {
    fn install(&mut self, rows: Vec<Arc<Finding>>, index: Option<TableIndex>, ctx: &CellContext) {
        let shown = Arc::clone(&self.table.rows);
        self.note_new(&shown, &rows);
        drop(shown);
        self.table.replace_rows(rows, index, ctx);
    }

    /// The first load is the baseline; anything after it that was never seen before is new. Runs
    /// on the UI thread at every refresh: known findings are remembered by a hash of their
    /// identity, so 100k of them cost no allocation, and a record the source handed over
    /// unchanged (the same shared record in the same place) is known already.
    fn note_new(&mut self, shown: &[Arc<Finding>], rows: &[Arc<Finding>]) {
        let hash = |f: &Finding| identity_hash(&f.id, f.product_arn.as_deref().unwrap_or_default());
        if self.known.is_empty() {
            self.known.extend(rows.iter().map(|f| hash(f)));
            return;
        }
        // The records the source handed over again (shared or equal: unchanged) are known, and
        // present.
        // `Arc`'s == compares pointers first: a shared record costs no field comparison.
        let pairing = Pairing::walk(shown, rows, |a, b| a == b);
        let arrived: Identities =
            rows.iter().zip(&pairing.old_of_new).filter(|&(_, &o)| o == NONE).map(|(f, _)| hash(f)).collect();
        let left: Identities =
            shown.iter().zip(&pairing.new_of_old).filter(|&(_, &j)| j == NONE).map(|(f, _)| hash(f)).collect();
        for f in rows.iter().zip(&pairing.old_of_new).filter(|&(_, &o)| o == NONE).map(|(f, _)| f) {
            if self.known.insert(hash(f)) {
                self.unseen.insert(f.identity());
            }
        }
        self.unseen.retain(|identity| {
            let (id, product) =
                identity.split_once(crate::model::finding::IDENTITY_SEPARATOR).unwrap_or((identity, ""));
            let h = identity_hash(id, product);
            !left.contains(&h) || arrived.contains(&h)
        });
    }

    /// The next list installed is the baseline again: nothing in it counts as new.
    pub(super) fn forget_baseline(&mut self) {
        self.known.clear();
        self.unseen.clear();
    }

    /// A finding counts as seen once the selection has been on it.
    pub(super) fn see_selected(&mut self) {
        if !self.unseen.is_empty()
            && let Some(identity) = self.table.selected().map(|f| f.identity())
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
    /// The standards as fetched, for what to fix first and the PCI DSS view.
    pub data: Vec<Standard>,
}

impl CompliancePane {
    fn install(&mut self, standards: Vec<Standard>, index: Option<TableIndex>, ctx: &CellContext) {
        self.summary_score = summary_score(&standards);
        self.standards = standards
            .iter()
            .map(|s| StandardSummary {
                arn: s.arn.clone(),
                name: s.name.clone(),
                short: standard_short_name(&s.name),
                score: s.score(),
                tally: s.tally(),
                organisation: (!s.accounts.is_empty()).then(|| OrganisationScore {
                    average: crate::model::compliance::organisation_average(&s.accounts),
                    accounts: s.accounts.len(),
                    lowest: s
                        .accounts
                        .iter()
                        .filter_map(|a| Some((a.account.clone(), a.score?)))
                        .min_by_key(|(_, score)| *score),
                }),
            })
            .collect();
        self.table.replace_rows(control_rows(&standards), index, ctx);
        self.data = standards;
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
                known: Identities::default(),
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
                data: Vec::new(),
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
        self.compliance.data = Vec::new();
        for pane in PaneId::ALL {
            self.table_mut(pane).clear(ctx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let mut panes = Panes::default();
        let mut rows = findings();
        panes.findings.install(rows.clone(), None, &ctx);
        assert!(panes.findings.unseen.is_empty(), "the first load is the baseline");

        // One arrives in the middle (everything after it moves) and one changes in place.
        let mut arrival = Finding::clone(&rows[3]);
        arrival.id = "arrived-later".into();
        let arrival = Arc::new(arrival);
        rows.insert(10, Arc::clone(&arrival));
        let mut changed = Finding::clone(&rows[20]);
        changed.count += 1;
        rows[20] = Arc::new(changed);
        panes.findings.install(rows.clone(), None, &ctx);
        assert_eq!(panes.findings.unseen, HashSet::from([arrival.identity()]), "a changed finding is not new");

        // Others leave; the new one is still there, and still new.
        rows.remove(0);
        rows.remove(30);
        panes.findings.install(rows.clone(), None, &ctx);
        assert_eq!(panes.findings.unseen.len(), 1);

        // It leaves: nothing is waiting to be seen.
        rows.retain(|f| !Arc::ptr_eq(f, &arrival));
        panes.findings.install(rows.clone(), None, &ctx);
        assert!(panes.findings.unseen.is_empty());

        // A copy of an already known finding (not the shared record) is not new either.
        rows[5] = Arc::new(Finding::clone(&rows[5]));
        panes.findings.install(rows, None, &ctx);
        assert!(panes.findings.unseen.is_empty());
    }
}
