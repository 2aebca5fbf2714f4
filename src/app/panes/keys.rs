//! The Keys pane in the app: what falls due, the actions that bring a key back, and the secrets a
//! key encrypts (both ways in "everything about").

use super::{AppPane, Section, Subject};
use crate::app::listing::{Jump, ListingRow};
use crate::app::pane_state::PaneState;
use crate::app::triage::{Actionable, MenuCommand, MenuEntry, console, encode};
use crate::model::key::KeyHealth;
use crate::model::panes::keys::{Action, ROTATION_PERIOD_DAYS, key_refusal, key_target};
use crate::model::radar::RadarItem;
use crate::model::related::application_words;
use crate::model::triage::{Target, TriageAction};
use crate::model::{Context, Placement, Timestamp};
use crate::pane::PaneId;
use crate::view::keys::KeyRow;
use crate::view::{CellContext, Tone, default_sort};
use std::collections::BTreeSet;

pub struct Pane;

impl AppPane for Pane {
    type View = crate::view::keys::Pane;
    type State = PaneState<KeyRow>;

    fn new_state() -> PaneState<KeyRow> {
        PaneState::new(default_sort(PaneId::Keys))
    }
    fn table(state: &PaneState<KeyRow>) -> &PaneState<KeyRow> {
        state
    }
    fn table_mut(state: &mut PaneState<KeyRow>) -> &mut PaneState<KeyRow> {
        state
    }

    /// On a key scheduled for deletion, cancelling comes first; it brings the key back Disabled,
    /// so enabling it is next.
    fn menu(_state: &PaneState<KeyRow>) -> Vec<MenuEntry> {
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

    fn due(state: &PaneState<KeyRow>, now: Timestamp) -> Vec<RadarItem> {
        state
            .rows
            .iter()
            .filter_map(|row| match row {
                KeyRow::Key(k) => crate::model::panes::keys::key_item(k, now),
                KeyRow::Authority(ca) => crate::model::panes::keys::ca_item(ca, now),
                KeyRow::Cluster(_) => None,
            })
            .collect()
    }

    fn subject(state: &PaneState<KeyRow>, key: &str) -> Option<Subject> {
        let row = state.rows.iter().find(|r| r.arn() == key)?;
        let (label, resources) = match row {
            KeyRow::Key(k) => (k.name().to_string(), vec![k.arn.clone()]),
            KeyRow::Authority(ca) => (ca.name.clone(), vec![ca.arn.clone()]),
            KeyRow::Cluster(c) => (c.id.clone(), vec![c.arn()]),
        };
        Some(Subject { words: application_words(&label), label, resources, ..Subject::default() })
    }

    /// A key's secrets; a secret's key.
    fn related(state: &PaneState<KeyRow>, subject: &Subject, anchor: &Jump, ctx: &CellContext) -> Vec<Section> {
        let mut rows = Vec::new();
        for k in state.rows.iter().filter_map(|r| match r {
            KeyRow::Key(k) => Some(k),
            _ => None,
        }) {
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
        let title = if anchor.pane == PaneId::Keys { "Encrypted with this key" } else { "Keys" };
        vec![Section { order: 45, title: title.into(), rows }]
    }

    fn name_words(state: &PaneState<KeyRow>) -> Vec<BTreeSet<String>> {
        state
            .rows
            .iter()
            .map(|r| match r {
                KeyRow::Key(k) => application_words(k.name()),
                KeyRow::Authority(ca) => application_words(&ca.name),
                KeyRow::Cluster(c) => application_words(&c.id),
            })
            .collect()
    }
}

impl Actionable for KeyRow {
    fn placement(&self, context: &Context) -> Placement {
        Placement::from_arn(&self.arn(), context)
    }
    /// Only a key is acted on.
    fn target(&self, context: &Context) -> Option<Target> {
        match self {
            KeyRow::Key(k) => Some(key_target(k, context)),
            _ => None,
        }
    }
    fn refusal(&self, action: &TriageAction) -> Option<String> {
        match (self, action) {
            (KeyRow::Key(k), TriageAction::Keys(action)) => key_refusal(k, action),
            (KeyRow::Authority(_), TriageAction::Keys(_)) => Some("a private CA: these actions are for KMS keys".into()),
            (KeyRow::Cluster(_), TriageAction::Keys(_)) => Some("a CloudHSM cluster: these actions are for KMS keys".into()),
            _ => Some("not an action for keys".into()),
        }
    }
    fn copy_text(&self, _reveal_pii: bool) -> String {
        self.arn().into_owned()
    }
    fn console_url(&self, context: &Context, _reveal_pii: bool) -> Option<String> {
        let region = self.placement(context).region;
        let origin = console(&region)?;
        Some(match self {
            KeyRow::Key(k) => {
                let kind = if k.is_customer_managed() { "keys" } else { "defaultKeys" };
                format!("{origin}/kms/home?region={region}#/kms/{kind}/{}", encode(&k.id))
            }
            KeyRow::Authority(ca) => {
                format!("{origin}/acm-pca/home?region={region}#/details?arn={}", encode(&ca.arn))
            }
            KeyRow::Cluster(c) => format!("{origin}/cloudhsm/home?region={region}#/clusters/{}", encode(&c.id)),
        })
    }
}
