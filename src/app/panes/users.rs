//! The Users pane in the app: pools above the anomalies, user actions, and the pools of an
//! application.

use super::{AppPane, Section, Subject};
use crate::app::listing::{Jump, ListingRow};
use crate::app::pane_state::PaneState;
use crate::app::triage::{ActionKind, MenuCommand, MenuEntry};
use crate::model::related::{application_words, shared_words};
use crate::model::users::PoolSummary;
use crate::model::{UserAnomaly, UsersReport};
use crate::pane::PaneId;
use crate::view::table::TableIndex;
use crate::view::{CellContext, Tabular, Tone, default_sort};
use std::collections::BTreeSet;

#[derive(Debug, Clone)]
pub struct UsersPane {
    pub table: PaneState<UserAnomaly>,
    /// One summary per Cognito user pool, drawn above the anomalies.
    pub pools: Vec<PoolSummary>,
}

pub struct Pane;

impl AppPane for Pane {
    type View = crate::view::users::Pane;
    type State = UsersPane;

    fn new_state() -> UsersPane {
        UsersPane { table: PaneState::new(default_sort(PaneId::Users)), pools: Vec::new() }
    }
    fn table(state: &UsersPane) -> &PaneState<UserAnomaly> {
        &state.table
    }
    fn table_mut(state: &mut UsersPane) -> &mut PaneState<UserAnomaly> {
        &mut state.table
    }

    fn install(state: &mut UsersPane, data: UsersReport, index: Option<TableIndex>, ctx: &CellContext) {
        state.pools = data.pools;
        state.table.replace_rows(data.anomalies, index, ctx);
    }

    /// Pools are summaries of the whole answer: a first load's pages are only counted.
    fn append_preview(_state: &mut UsersPane, data: UsersReport, _fresh: bool, _ctx: &CellContext) -> usize {
        data.anomalies.len()
    }

    fn summary_lines(state: &UsersPane) -> usize {
        state.pools.len().min(3)
    }

    fn clear(state: &mut UsersPane, ctx: &CellContext) {
        state.pools = Vec::new();
        crate::app::pane_state::TablePane::clear(&mut state.table, ctx);
    }

    fn menu() -> Vec<MenuEntry> {
        use MenuCommand::{ConsoleLink, Triage, Yank};
        vec![
            MenuEntry { key: 'd', label: "disable user (also revokes tokens)", command: Triage(ActionKind::Disable) },
            MenuEntry { key: 'e', label: "enable user", command: Triage(ActionKind::Enable) },
            MenuEntry { key: 'g', label: "global sign-out", command: Triage(ActionKind::SignOut) },
            MenuEntry { key: 'p', label: "reset password", command: Triage(ActionKind::ResetPassword) },
            MenuEntry { key: 'y', label: "copy username", command: Yank },
            MenuEntry { key: 'o', label: "copy AWS console link", command: ConsoleLink },
        ]
    }

    fn subject(state: &UsersPane, key: &str) -> Option<Subject> {
        let a = state.table.rows.iter().find(|a| a.has_key(key))?;
        Some(Subject {
            label: format!("pool {}", a.pool_name),
            suffixes: vec![format!("userpool/{}", a.pool_id)],
            words: application_words(&a.pool_name),
            ..Subject::default()
        })
    }

    /// The pool itself and the pools of the same application by name; a pool leads to its first
    /// anomaly, when it has one.
    fn related(state: &UsersPane, subject: &Subject, anchor: &Jump, _ctx: &CellContext) -> Vec<Section> {
        let rows = state
            .pools
            .iter()
            .filter_map(|p| {
                let own = subject.suffixes.iter().any(|s| s.ends_with(&format!("/{}", p.pool_id)));
                let why = if own {
                    "the pool itself".to_string()
                } else {
                    let shared = shared_words(&subject.words, &application_words(&p.pool_name));
                    if shared.is_empty() {
                        return None;
                    }
                    format!("name: {}", shared.join(", "))
                };
                let anomalies: Vec<&UserAnomaly> = state.table.rows.iter().filter(|a| a.pool_id == p.pool_id).collect();
                let count = format!("{} anomalies", anomalies.len());
                let mut row =
                    ListingRow::item(anchor, PaneId::Users, String::new(), [p.pool_name.clone(), count, why], Tone::Normal);
                row.jump = anomalies
                    .first()
                    .map(|a| Jump { pane: PaneId::Users, key: a.key().into_owned() })
                    .filter(|j| j != anchor);
                Some(row)
            })
            .collect();
        vec![Section { order: 50, title: "Cognito pools".into(), rows }]
    }

    fn name_words(state: &UsersPane) -> Vec<BTreeSet<String>> {
        state.pools.iter().map(|p| application_words(&p.pool_name)).collect()
    }
}
