//! The model layer's part of each pane: what one refresh of it yields ([`PaneData`]) and the rules
//! its hooks apply to that data (alerts, what falls due, joining accounts and contexts). One module
//! per pane implements [`PaneModel`]; [`PaneData`] and its dispatch are generated from the registry
//! (`crate::for_each_pane!`), so no `match` here names a pane.

use super::alerts::Alert;
use super::radar::RadarItem;
use super::triage::{PaneAction, Target};
use super::{SeverityLabel, Timestamp};
use crate::pane::PaneId;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::declare_pane_modules;
crate::for_each_pane!(declare_pane_modules);

/// What the model knows of a pane. Hooks default to "not used"; a pane that uses one declares it
/// in its spec (`crate::pane::Hook`).
pub trait PaneModel {
    const ID: PaneId;
    /// Its actions (an empty enum when it has none).
    type Action: PaneAction;
    /// One refresh's data.
    type Data: std::fmt::Debug + Clone + Default + Serialize + DeserializeOwned + Send + Sync + 'static;

    /// Records in a chunk of data (a first load's pages are counted with it).
    fn record_count(data: &Self::Data) -> usize;

    /// Adds `more` (the same pane's rows from another account or context) to `data`.
    fn absorb(data: &mut Self::Data, more: Self::Data);

    /// [`crate::pane::Hook::Alerts`]: everything in the data that would ring now; `None` when the
    /// pane rings for nothing (its loads are no baseline either).
    fn alerts(_data: &Self::Data, _min_severity: SeverityLabel, _now: Timestamp) -> Option<Vec<Alert>> {
        None
    }

    /// [`crate::pane::Hook::Due`]: what falls due, for the expiry radar and the board.
    fn due(_data: &Self::Data, _now: Timestamp) -> Vec<RadarItem> {
        Vec::new()
    }

    /// [`crate::pane::Hook::PlaceInContext`]: rows that do not say their account or region (a
    /// Cognito pool's id names only its region, an address seen at the edge neither) are told the
    /// context's, so every actionable record names where it lives and no target says "all".
    fn place_in_context(_data: &mut Self::Data, _account: &str, _region: &str) {}

    /// [`crate::pane::Hook::MergeDedupe`]: one context's rows before the all view joins them
    /// with others' (`several` when there are others).
    fn mark_context(_data: &mut Self::Data, _account: &str, _region: &str, _several: bool) {}

    /// [`crate::pane::Hook::MergeDedupe`]: the joined rows of several contexts, each real record
    /// once.
    fn without_repeats(_data: &mut Self::Data, _now: Timestamp) {}

    /// [`crate::pane::Hook::Actions`]: the [`crate::model::triage::record_key`] of every record an
    /// action can name, equal to its target's [`crate::model::triage::Target::key`], so the all
    /// view sends an action back to the context that showed that very record.
    fn action_keys(_data: &Self::Data) -> Vec<String> {
        Vec::new()
    }
}

macro_rules! pane_data {
    ($($variant:ident $module:ident),+ $(,)?) => {
        /// The data of one pane after one successful refresh.
        #[derive(Debug, Clone, Serialize, Deserialize)]
        #[serde(tag = "pane", content = "data", rename_all = "lowercase")]
        pub enum PaneData {
            $($variant(<$module::Pane as PaneModel>::Data)),+
        }

        impl PaneData {
            pub fn pane(&self) -> PaneId {
                match self {
                    $(Self::$variant(_) => PaneId::$variant),+
                }
            }

            /// No records of `pane`.
            pub fn empty(pane: PaneId) -> Self {
                match pane {
                    $(PaneId::$variant => Self::$variant(Default::default())),+
                }
            }

            /// Adds `more` (the same pane's rows from another account) to these rows. Data of
            /// another pane is handed back.
            pub fn absorb(&mut self, more: PaneData) -> Result<(), PaneData> {
                match (self, more) {
                    $((Self::$variant(data), Self::$variant(more)) => {
                        <$module::Pane as PaneModel>::absorb(data, more);
                        Ok(())
                    })+
                    #[allow(unreachable_patterns)]
                    (_, more) => Err(more),
                }
            }

            pub fn record_count(&self) -> usize {
                match self {
                    $(Self::$variant(data) => <$module::Pane as PaneModel>::record_count(data)),+
                }
            }

            /// See [`PaneModel::alerts`].
            pub fn alerts(&self, min_severity: SeverityLabel, now: Timestamp) -> Option<Vec<Alert>> {
                match self {
                    $(Self::$variant(data) => <$module::Pane as PaneModel>::alerts(data, min_severity, now)),+
                }
            }

            /// See [`PaneModel::due`].
            pub fn due(&self, now: Timestamp) -> Vec<RadarItem> {
                match self {
                    $(Self::$variant(data) => <$module::Pane as PaneModel>::due(data, now)),+
                }
            }

            /// See [`PaneModel::place_in_context`].
            pub fn place_in_context(&mut self, account: &str, region: &str) {
                match self {
                    $(Self::$variant(data) => <$module::Pane as PaneModel>::place_in_context(data, account, region)),+
                }
            }

            /// See [`PaneModel::mark_context`].
            pub fn mark_context(&mut self, account: &str, region: &str, several: bool) {
                match self {
                    $(Self::$variant(data) => {
                        <$module::Pane as PaneModel>::mark_context(data, account, region, several)
                    })+
                }
            }

            /// See [`PaneModel::without_repeats`].
            pub fn without_repeats(&mut self, now: Timestamp) {
                match self {
                    $(Self::$variant(data) => <$module::Pane as PaneModel>::without_repeats(data, now)),+
                }
            }

            /// See [`PaneModel::action_keys`].
            pub fn action_keys(&self) -> Vec<String> {
                match self {
                    $(Self::$variant(data) => <$module::Pane as PaneModel>::action_keys(data)),+
                }
            }
        }

        /// What a person does to records from the keyboard: one pane's action (the audit log's
        /// `parameters`, with its `action` name).
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(untagged)]
        pub enum TriageAction {
            $($variant(<$module::Pane as PaneModel>::Action)),+
        }

        // A pane without actions has an empty enum: its arms are unreachable, and that is the point.
        #[allow(unreachable_code)]
        impl TriageAction {
            /// The pane whose records it acts on.
            pub fn pane(&self) -> PaneId {
                match self {
                    $(Self::$variant(_) => PaneId::$variant),+
                }
            }

            /// See [`PaneAction::describe`].
            pub fn describe(&self) -> String {
                match self {
                    $(Self::$variant(a) => a.describe()),+
                }
            }

            /// See [`PaneAction::note`].
            pub fn note(&self) -> Option<&str> {
                match self {
                    $(Self::$variant(a) => a.note()),+
                }
            }

            /// See [`PaneAction::needs_note`].
            pub fn needs_note(&self) -> bool {
                match self {
                    $(Self::$variant(a) => a.needs_note()),+
                }
            }

            /// See [`PaneAction::with_note`].
            pub fn with_note(self, note: String) -> Self {
                match self {
                    $(Self::$variant(a) => Self::$variant(a.with_note(note))),+
                }
            }

            /// See [`PaneAction::goes_through_administrator`].
            pub fn goes_through_administrator(&self) -> bool {
                match self {
                    $(Self::$variant(a) => a.goes_through_administrator()),+
                }
            }

            /// See [`PaneAction::in_record_region`].
            pub fn in_record_region(&self) -> bool {
                match self {
                    $(Self::$variant(a) => a.in_record_region()),+
                }
            }

            /// See [`PaneAction::caveat`].
            pub fn caveat(&self) -> Option<&'static str> {
                match self {
                    $(Self::$variant(a) => a.caveat()),+
                }
            }

            /// See [`PaneAction::describe_call`].
            pub fn describe_call(&self, target: &Target) -> String {
                match self {
                    $(Self::$variant(a) => a.describe_call(target)),+
                }
            }
        }

        // Each module says it is the pane its registry line names.
        const _: () = {
            $(assert!(matches!(<$module::Pane as PaneModel>::ID, PaneId::$variant));)+
        };
    };
}

crate::for_each_pane!(pane_data);
