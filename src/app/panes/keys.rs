//! The Keys pane in the app: what falls due, the actions that bring a key back, and the secrets a
//! key encrypts (both ways in "everything about").

use super::{AppPane, Section, Subject};
use crate::app::listing::{Jump, ListingRow};
use crate::app::pane_state::PaneState;
use crate::app::triage::{Actionable, MenuCommand, MenuEntry, console, encode};
use crate::model::key::{KeyHealth, KmsKey};
use crate::model::panes::PaneModel;
use crate::model::panes::keys::{Action, ROTATION_PERIOD_DAYS, key_refusal, key_target};
use crate::model::radar::RadarItem;
use crate::model::related::application_words;
use crate::model::triage::{Target, TriageAction};
use crate::model::{Context, Placement, Timestamp};
use crate::pane::PaneId;
use crate::view::{CellContext, Tone, default_sort};
use std::collections::BTreeSet;

pub struct Pane;

impl AppPane for Pane {
    type View = crate::view::keys::Pane;
    type State = PaneState<KmsKey>;

    fn new_state() -> PaneState<KmsKey> {
        PaneState::new(default_sort(PaneId::Keys))
    }
    fn table(state: &PaneState<KmsKey>) -> &PaneState<KmsKey> {
        state
    }
    fn table_mut(state: &mut PaneState<KmsKey>) -> &mut PaneState<KmsKey> {
        state
    }

    /// On a key scheduled for deletion, cancelling comes first; it brings the key back Disabled,
    /// so enabling it is next.
    fn menu(_state: &PaneState<KmsKey>) -> Vec<MenuEntry> {
        let triage = |action: Action| MenuCommand::Triage(TriageAction::Keys(action));
        vec![
            MenuEntry { key: 'c', label: "cancel the scheduled deletion".into(), command: triage(Action::CancelKeyDeletion) },
            MenuEntry { key: 'e', label: "enable the key".into(), command: triage(Action::EnableKey) },
            MenuEntry {
                key: 'r',
                label: format!("turn on automatic rotation (every {ROTATION_PERIOD_DAYS} days)").into(),
                command: triage(Action::EnableKeyRotation { period_days: ROTATION_PERIOD_DAYS }),
            },
            MenuEntry { key: 'y', label: "copy ARN".into(), command: MenuCommand::Yank },
            MenuEntry { key: 'o', label: "copy AWS console link".into(), command: MenuCommand::ConsoleLink },
        ]
    }

    fn due(state: &PaneState<KmsKey>, now: Timestamp) -> Vec<RadarItem> {
        crate::model::panes::keys::Pane::due(&state.rows, now)
    }

    fn subject(state: &PaneState<KmsKey>, key: &str) -> Option<Subject> {
        let k = state.rows.iter().find(|k| k.arn == key)?;
        Some(Subject {
            label: k.name().to_string(),
            resources: vec![k.arn.clone()],
            words: application_words(k.name()),
            ..Subject::default()
        })
    }

    /// A key's secrets; a secret's key.
    fn related(state: &PaneState<KmsKey>, subject: &Subject, anchor: &Jump, ctx: &CellContext) -> Vec<Section> {
        let mut rows = Vec::new();
        for k in state.rows.iter() {
            let health = k.health(ctx.now);
            let tone = if matches!(health, KeyHealth::DeletionInUse | KeyHealth::BlockedInUse) { Tone::Bad } else { Tone::Normal };
            if anchor.pane == PaneId::Keys && k.arn == anchor.key {
                for d in &k.dependents {
                    let why = format!("encrypted with this key ({})", k.state.as_str());
                    rows.push(ListingRow::item(anchor, PaneId::Secrets, d.arn.clone(), [d.name.clone(), d.kind.clone(), why], tone));
                }
            } else if k.dependents.iter().any(|d| subject.is(&d.arn)) {
                let why = "the key it is encrypted with".to_string();
                rows.push(ListingRow::item(anchor, PaneId::Keys, k.arn.clone(), [k.name().to_string(), health.label().to_string(), why], tone));
            }
        }
        vec![Section { order: 45, title: "Keys".into(), rows }]
    }

    fn name_words(state: &PaneState<KmsKey>) -> Vec<BTreeSet<String>> {
        state.rows.iter().map(|k| application_words(k.name())).collect()
    }
}

impl Actionable for KmsKey {
    fn placement(&self, context: &Context) -> Placement {
        Placement::from_arn(&self.arn, context)
    }
    fn target(&self, context: &Context) -> Option<Target> {
        Some(key_target(self, context))
    }
    fn refusal(&self, action: &TriageAction) -> Option<String> {
        match action {
            TriageAction::Keys(action) => key_refusal(self, action),
            _ => Some("not an action for keys".into()),
        }
    }
    fn copy_text(&self, _reveal_pii: bool) -> String {
        self.arn.clone()
    }
    fn console_url(&self, context: &Context, _reveal_pii: bool) -> Option<String> {
        let region = &self.placement(context).region;
        let kind = if self.is_customer_managed() { "keys" } else { "defaultKeys" };
        Some(format!("{}/kms/home?region={region}#/kms/{kind}/{}", console(region)?, encode(&self.id)))
    }
}
