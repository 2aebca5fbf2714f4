//! The Compliance pane's facts.

use super::{Declared::*, Hook::*, LensSpec, PaneId, PaneSpec, Reach, RefreshDefaults, ScopeSpec};

pub const SPEC: PaneSpec = PaneSpec {
    id: PaneId::Compliance,
    title: "Compliance",
    tab_label: "Compliance",
    short_label: "Comp",
    command: "compliance",
    aliases: &["standards", "controls"],
    config_key: "compliance",
    refresh: RefreshDefaults { demo_seconds: 60, aws_seconds: 900 },
    scope: Some(ScopeSpec {
        default: "failing controls",
        widened: "controls",
        refetch: false,
        help: "show all controls / only failing ones",
    }),
    reach: Reach::Regional,
    settings: &[],
    lens: Some(LensSpec {
        name: "advice",
        aliases: &["fix", "pci"],
        key: 'f',
        description: "what to fix first: controls that raise the scores most, trends, PCI DSS requirements",
        hint: "fix first",
    }),
    keys: &[],
    hooks: &[
        Without(Alerts, "a control fails through its findings, which ring in Findings"),
        Without(Due, "a control has no date it falls due on"),
        Uses(Related),
        Uses(BoardPanel),
        Uses(PaneKeys),
        Without(Actions, "a control changes through its findings and its standard, not from a row"),
        Without(PlaceInContext, "control findings name their account"),
        Uses(MergeDedupe),
    ],
};
