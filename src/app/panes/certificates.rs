//! The Certificates pane in the app: renewal, what falls due, and the certificates about a resource.

use super::{AppPane, Section, Subject};
use crate::app::listing::{Jump, ListingRow};
use crate::app::pane_state::PaneState;
use crate::app::triage::{MenuCommand, MenuEntry};
use crate::model::triage::TriageAction;
use crate::model::panes::PaneModel;
use crate::model::radar::RadarItem;
use crate::model::related::{application_words, domain_words, resource_name, serves, shared_words};
use crate::model::{Certificate, Timestamp};
use crate::pane::PaneId;
use crate::view::{CellContext, Tone, default_sort};
use std::collections::BTreeSet;

pub struct Pane;

impl AppPane for Pane {
    type View = crate::view::certificates::Pane;
    type State = PaneState<Certificate>;

    fn new_state() -> PaneState<Certificate> {
        PaneState::new(default_sort(PaneId::Certificates))
    }
    fn table(state: &PaneState<Certificate>) -> &PaneState<Certificate> {
        state
    }
    fn table_mut(state: &mut PaneState<Certificate>) -> &mut PaneState<Certificate> {
        state
    }

    fn menu(_state: &PaneState<Certificate>) -> Vec<MenuEntry> {
        vec![
            MenuEntry { key: 'n', label: "renew (exported: private, or exportable public)".into(), command: MenuCommand::Triage(TriageAction::Certificates(crate::model::panes::certificates::Action::RenewCertificate)) },
            MenuEntry { key: 'y', label: "copy ARN".into(), command: MenuCommand::Yank },
            MenuEntry { key: 'o', label: "copy AWS console link".into(), command: MenuCommand::ConsoleLink },
        ]
    }

    fn due(state: &PaneState<Certificate>, now: Timestamp) -> Vec<RadarItem> {
        crate::model::panes::certificates::Pane::due(&state.rows, now)
    }

    fn subject(state: &PaneState<Certificate>, key: &str) -> Option<Subject> {
        let c = state.rows.iter().find(|c| c.arn == key)?;
        let mut words = domain_words(&c.domain);
        for user in &c.in_use_by {
            words.extend(application_words(resource_name(user)));
        }
        Some(Subject {
            label: c.domain.clone(),
            resources: std::iter::once(c.arn.clone()).chain(c.in_use_by.iter().cloned()).collect(),
            words,
            ..Subject::default()
        })
    }

    /// The certificate itself, the ones serving the subject and the ones named like it.
    fn related(state: &PaneState<Certificate>, subject: &Subject, anchor: &Jump, ctx: &CellContext) -> Vec<Section> {
        let rows = state
            .rows
            .iter()
            .filter(|c| !(anchor.pane == PaneId::Certificates && c.arn == anchor.key))
            .filter_map(|c| {
                let why = if subject.is(&c.arn) {
                    "the certificate itself".to_string()
                } else if subject.resources.iter().any(|r| serves(&c.in_use_by, r)) {
                    "serves it".to_string()
                } else {
                    let shared = shared_words(&subject.words, &domain_words(&c.domain));
                    if shared.is_empty() {
                        return None;
                    }
                    format!("name: {}", shared.join(", "))
                };
                let days = c.days_to_expiry(ctx.now).map(|d| format!("{d}d")).unwrap_or_else(|| "-".into());
                let state = format!("{} {days}", c.health(ctx.now).label());
                Some(ListingRow::item(
                    anchor,
                    PaneId::Certificates,
                    c.arn.clone(),
                    [c.domain.clone(), state, why],
                    Tone::Normal,
                ))
            })
            .collect();
        vec![Section { order: 30, title: "Certificates".into(), rows }]
    }

    fn name_words(state: &PaneState<Certificate>) -> Vec<BTreeSet<String>> {
        state.rows.iter().map(|c| domain_words(&c.domain)).collect()
    }
}
