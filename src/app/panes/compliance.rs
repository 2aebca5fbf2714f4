//! The Compliance pane in the app: standards and their scores above the controls, the score
//! history, and the controls a resource fails.

use super::{AppPane, Section, Subject};
use crate::action::Effect;
use crate::app::listing::{Jump, ListingRow};
use crate::app::pane_state::PaneState;
use crate::app::triage::{MenuCommand, MenuEntry};
use crate::app::watch::Watch;
use crate::model::compliance::{ControlTally, summary_score};
use crate::model::{Context, Standard, Timestamp};
use crate::pane::PaneId;
use crate::view::compliance::{ControlRow, control_rows, standard_short_name};
use crate::view::table::TableIndex;
use crate::view::{CellContext, Tabular, Tone, default_sort};

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
pub struct CompliancePane {
    pub table: PaneState<ControlRow>,
    pub standards: Vec<StandardSummary>,
    /// The score over every enabled standard, as Security Hub's summary shows it.
    pub summary_score: Option<u8>,
    /// The standards as fetched, for what to fix first and the PCI DSS view.
    pub data: Vec<Standard>,
}

impl CompliancePane {
    fn install_standards(&mut self, standards: Vec<Standard>, index: Option<TableIndex>, ctx: &CellContext) {
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

pub struct Pane;

impl AppPane for Pane {
    type View = crate::view::compliance::Pane;
    type State = CompliancePane;

    fn new_state() -> CompliancePane {
        CompliancePane {
            table: PaneState::new(default_sort(PaneId::Compliance)),
            standards: Vec::new(),
            summary_score: None,
            data: Vec::new(),
        }
    }
    fn table(state: &CompliancePane) -> &PaneState<ControlRow> {
        &state.table
    }
    fn table_mut(state: &mut CompliancePane) -> &mut PaneState<ControlRow> {
        &mut state.table
    }

    fn install(state: &mut CompliancePane, data: Vec<Standard>, index: Option<TableIndex>, ctx: &CellContext) {
        state.install_standards(data, index, ctx);
    }

    /// Standards are scored from the whole answer: a first load's pages are only counted.
    fn append_preview(_state: &mut CompliancePane, data: Vec<Standard>, _fresh: bool, _ctx: &CellContext) -> usize {
        data.iter().map(|s| s.controls.len()).sum()
    }

    fn summary_lines(state: &CompliancePane) -> usize {
        state.standards.len().min(4)
    }

    /// The security score, as Security Hub's summary shows it.
    fn tab_figure(state: &CompliancePane) -> String {
        state.summary_score.map(|s| format!("{s}%")).unwrap_or_else(|| "-".into())
    }

    fn clear(state: &mut CompliancePane, ctx: &CellContext) {
        state.standards = Vec::new();
        state.summary_score = None;
        state.data = Vec::new();
        crate::app::pane_state::TablePane::clear(&mut state.table, ctx);
    }

    /// Fresh scores (not the cache's) go into the score history.
    fn on_loaded(data: &Vec<Standard>, watch: &mut Watch, context: &Context, at: Timestamp, cached: bool) -> Vec<Effect> {
        if cached { Vec::new() } else { watch.record_scores(context, data, at) }
    }

    fn menu() -> Vec<MenuEntry> {
        vec![
            MenuEntry { key: 'y', label: "copy control id", command: MenuCommand::Yank },
            MenuEntry { key: 'o', label: "copy AWS console link", command: MenuCommand::ConsoleLink },
        ]
    }

    fn subject(state: &CompliancePane, key: &str) -> Option<Subject> {
        let row = state.table.rows.iter().find(|r| r.has_key(key))?;
        Some(Subject {
            label: format!("control {}", row.control.id),
            control: Some(row.control.id.clone()),
            ..Subject::default()
        })
    }

    /// The controls the findings on the subject fail.
    fn related(state: &CompliancePane, subject: &Subject, anchor: &Jump, _ctx: &CellContext) -> Vec<Section> {
        if subject.control.is_some() {
            return Vec::new();
        }
        let rows = state
            .table
            .rows
            .iter()
            .filter(|r| subject.failing_controls.contains(&r.control.id))
            .map(|r| {
                ListingRow::item(
                    anchor,
                    PaneId::Compliance,
                    r.key().into_owned(),
                    [
                        format!("{} {}", r.control.id, r.control.title),
                        format!("{} {}", r.standard_short, r.control.status.label()),
                        "a finding on it fails it".into(),
                    ],
                    Tone::from(r.control.severity),
                )
            })
            .collect();
        vec![Section { order: 20, title: "Controls it fails".into(), rows }]
    }
}
