//! The Compliance pane in the app: standards and their scores above the controls, the score
//! history, and the controls a resource fails.

use super::{AppPane, Section, Subject};
use crate::action::Effect;
use crate::app::listing::{Jump, Listing, ListingKind, ListingRow, TREND_DAYS, trend_text};
use crate::view::{Column, Width};
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

    fn menu(_state: &CompliancePane) -> Vec<MenuEntry> {
        vec![
            MenuEntry { key: 'y', label: "copy control id".into(), command: MenuCommand::Yank },
            MenuEntry { key: 'o', label: "copy AWS console link".into(), command: MenuCommand::ConsoleLink },
        ]
    }

    /// What to fix first, per standard.
    fn lens(state: &CompliancePane, watch: &Watch, context: &Context, ctx: &CellContext) -> Option<Listing> {
        Some(advice_listing(&state.data, |arn| {
            let key = crate::model::history::ScoreHistory::key(&context.account, &context.region, arn);
            watch.score_history.trend(&key, ctx.now, TREND_DAYS)
        }))
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

pub const ADVICE_COLUMNS: &[Column] = &[
    Column::new("Control", Width::Fixed(17), 0),
    Column::new("Title", Width::Flexible(16), 0),
    Column::new("Severity", Width::Fixed(14), 1),
    // "+4 pts → 67% (+7 in PCI)" whole at 80 columns: the gain is why the row is listed.
    Column::new("Gain", Width::Flexible(25), 0),
];

/// Fixes listed per standard: the first few are what a review acts on.
const FIXES_SHOWN: usize = 10;
/// What to fix first per standard (the failing controls that raise the scores most), each
/// standard's trend, and the PCI DSS requirements the failing controls put at risk.
pub fn advice_listing(
    standards: &[crate::model::Standard],
    trend_of: impl Fn(&str) -> crate::model::history::Trend,
) -> Listing {
    use crate::model::advice::{fixes, is_pci, pci_requirements};
    let row_key = |standard: &str, control: &str| format!("{standard}/{control}");
    let mut rows = Vec::new();
    for standard in standards {
        let score = standard.score().map(|s| format!("{s}%")).unwrap_or_else(|| "no data".into());
        let trend = trend_text(&trend_of(&standard.arn));
        let list = fixes(standard, standards);
        let short = crate::view::compliance::standard_short_name(&standard.name);
        rows.push(ListingRow::heading(format!("{short} {score}  {trend}  — fix first ({} failing)", list.len())));
        for fix in list.iter().take(FIXES_SHOWN) {
            let after = fix.score_after.map(|s| format!(" → {s}%")).unwrap_or_default();
            let also = if fix.also_in.is_empty() {
                String::new()
            } else {
                let names: Vec<String> =
                    fix.also_in.iter().map(|n| crate::view::compliance::standard_short_name(n)).collect();
                format!(" (+{} in {})", fix.total_gain - u16::from(fix.gain), names.join(", "))
            };
            rows.push(ListingRow {
                cells: vec![
                    fix.control_id.clone(),
                    fix.title.clone(),
                    match fix.status {
                        crate::model::ControlStatus::Unknown => format!("{} · unknown", fix.severity.short()),
                        _ => format!("{} · {} res", fix.severity.short(), fix.failed_resources),
                    },
                    format!("+{} pts{after}{also}", fix.gain),
                ],
                tone: Tone::from(fix.severity),
                heading: false,
                jump: Some(Jump { pane: PaneId::Compliance, key: row_key(&standard.arn, &fix.control_id) }),
            });
        }
        if list.len() > FIXES_SHOWN {
            rows.push(ListingRow::heading(format!("… and {} more", list.len() - FIXES_SHOWN)));
        }
        if is_pci(standard) {
            let requirements = pci_requirements(standard);
            rows.push(ListingRow::heading(format!(
                "{short}: PCI DSS requirements at risk ({} of 12)",
                requirements.iter().filter(|r| r.number != "?").count()
            )));
            for r in requirements {
                rows.push(ListingRow {
                    cells: vec![
                        format!("Req. {}", r.number),
                        r.title.to_string(),
                        format!("{} · {} ctl", r.max_severity.short(), r.failing_controls.len()),
                        format!("{} · {}", r.sub_requirements.join(" "), r.failing_controls.join(" ")),
                    ],
                    tone: Tone::from(r.max_severity),
                    heading: false,
                    jump: r
                        .failing_controls
                        .first()
                        .map(|c| Jump { pane: PaneId::Compliance, key: row_key(&standard.arn, c) }),
                });
            }
        }
    }
    Listing {
        kind: ListingKind::Lens(PaneId::Compliance),
        title: "What to fix first, per standard".into(),
        columns: ADVICE_COLUMNS,
        hidden: vec![],
        rows,
        selected: 0,
        empty: "no standard has data yet".into(),
        go: "go to the control",
    }
}

