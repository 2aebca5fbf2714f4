//! The demo's part of each pane: how the embedded account generates it. One module per pane
//! implements [`DemoPane`]; [`DemoSource::generate`] is generated from the registry.

use super::DemoSource;
use crate::model::panes::PaneModel;
use crate::model::triage::{Target, TargetOutcome, TriageAction};
use crate::model::{PaneData, Timestamp};
use crate::pane::PaneId;

use crate::declare_pane_modules;
crate::for_each_pane!(declare_pane_modules);

/// What the demo knows of a pane.
pub trait DemoPane {
    type Model: PaneModel;

    /// The pane's data at `now`, computed synchronously (benchmarks and tests call it too).
    fn generate(demo: &DemoSource, now: Timestamp) -> <Self::Model as PaneModel>::Data;

    /// [`crate::pane::Hook::Actions`]: carries out an action of this pane on the demo's records
    /// (it remembers the change, and the next refresh shows it).
    fn apply(
        _demo: &DemoSource,
        _action: &<Self::Model as PaneModel>::Action,
        targets: &[Target],
        _now: Timestamp,
    ) -> Vec<TargetOutcome> {
        targets.iter().map(|t| TargetOutcome::failed(t.clone(), "the demo has no such action")).collect()
    }
}

macro_rules! demo_dispatch {
    ($($variant:ident $module:ident),+ $(,)?) => {
        impl DemoSource {
            /// The data of one pane at `now`, computed synchronously.
            pub fn generate(&self, pane: PaneId, now: Timestamp) -> PaneData {
                match pane {
                    $(PaneId::$variant => PaneData::$variant(<$module::Pane as DemoPane>::generate(self, now))),+
                }
            }

            /// Carries out `action` on the demo's records.
            pub(super) fn apply_now(&self, action: &TriageAction, targets: &[Target], now: Timestamp) -> Vec<TargetOutcome> {
                match action {
                    $(TriageAction::$variant(action) => <$module::Pane as DemoPane>::apply(self, action, targets, now)),+
                }
            }
        }
    };
}

crate::for_each_pane!(demo_dispatch);

/// AWS's remediation page of a security control, as `SecurityControlDefinition.RemediationUrl`
/// spells it.
fn remediation_url(control: &str) -> String {
    format!("https://docs.aws.amazon.com/console/securityhub/{control}/remediation")
}
