//! The Secrets pane in the app: rotation, what falls due, and the secrets of an application.

use super::{AppPane, Section, Subject};
use crate::app::listing::{Jump, ListingRow};
use crate::app::pane_state::PaneState;
use crate::app::triage::{MenuCommand, MenuEntry};
use crate::model::triage::TriageAction;
use crate::model::panes::PaneModel;
use crate::model::radar::RadarItem;
use crate::model::related::{application_words, shared_words};
use crate::model::{Secret, Timestamp};
use crate::pane::PaneId;
use crate::view::{CellContext, Tone, default_sort};
use std::collections::BTreeSet;

pub struct Pane;

impl AppPane for Pane {
    type View = crate::view::secrets::Pane;
    type State = PaneState<Secret>;

    fn new_state() -> PaneState<Secret> {
        PaneState::new(default_sort(PaneId::Secrets))
    }
    fn table(state: &PaneState<Secret>) -> &PaneState<Secret> {
        state
    }
    fn table_mut(state: &mut PaneState<Secret>) -> &mut PaneState<Secret> {
        state
    }

    fn menu(_state: &PaneState<Secret>) -> Vec<MenuEntry> {
        vec![
            MenuEntry { key: 'r', label: "rotate now".into(), command: MenuCommand::Triage(TriageAction::Secrets(crate::model::panes::secrets::Action::RotateSecret)) },
            MenuEntry { key: 'y', label: "copy ARN".into(), command: MenuCommand::Yank },
            MenuEntry { key: 'o', label: "copy AWS console link".into(), command: MenuCommand::ConsoleLink },
        ]
    }

    fn due(state: &PaneState<Secret>, now: Timestamp) -> Vec<RadarItem> {
        crate::model::panes::secrets::Pane::due(&state.rows, now)
    }

    fn subject(state: &PaneState<Secret>, key: &str) -> Option<Subject> {
        let s = state.rows.iter().find(|s| s.arn == key)?;
        Some(Subject {
            label: s.name.clone(),
            resources: vec![s.arn.clone()],
            words: application_words(&s.name),
            ..Subject::default()
        })
    }

    /// The secret itself and the secrets of the same application by name.
    fn related(state: &PaneState<Secret>, subject: &Subject, anchor: &Jump, ctx: &CellContext) -> Vec<Section> {
        let rows = state
            .rows
            .iter()
            .filter(|s| !(anchor.pane == PaneId::Secrets && s.arn == anchor.key))
            .filter_map(|s| {
                let why = if subject.is(&s.arn) {
                    "the secret itself".to_string()
                } else {
                    let shared = shared_words(&subject.words, &application_words(&s.name));
                    if shared.is_empty() {
                        return None;
                    }
                    format!("name: {}", shared.join(", "))
                };
                let state = s.rotation_status(ctx.now).label().to_string();
                Some(ListingRow::item(anchor, PaneId::Secrets, s.arn.clone(), [s.name.clone(), state, why], Tone::Normal))
            })
            .collect();
        vec![Section { order: 40, title: "Secrets".into(), rows }]
    }

    fn name_words(state: &PaneState<Secret>) -> Vec<BTreeSet<String>> {
        state.rows.iter().map(|s| application_words(&s.name)).collect()
    }
}
