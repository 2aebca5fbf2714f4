//! The Findings pane's facts.

use super::{Declared::*, Hook::*, PaneId, PaneKey, PaneSpec, Reach, RefreshDefaults, ScopeSpec};

pub const SPEC: PaneSpec = PaneSpec {
    id: PaneId::Findings,
    title: "Findings",
    tab_label: "Findings",
    short_label: "Find",
    command: "findings",
    aliases: &["finding", "f"],
    config_key: "findings",
    refresh: RefreshDefaults { demo_seconds: 10, aws_seconds: 60 },
    scope: Some(ScopeSpec { default: "open", widened: "all", refetch: true, help: "show all findings / only open ones" }),
    reach: Reach::Regional,
    settings: &[],
    lens: None,
    keys: &[
        PaneKey {
            key: 'g',
            command: "group",
            description: "group by type, resource, product, account, control, none ({detail} opens a group)",
            hint: None,
        },
        PaneKey { key: 'n', command: "mark-seen", description: "mark every new finding (+) as seen", hint: None },
    ],
    hooks: &[
        Uses(Alerts),
        Without(Due, "a finding has no date it falls due on"),
        Uses(Related),
        Uses(BoardPanel),
        Uses(PaneKeys),
        Uses(Actions),
        Without(PlaceInContext, "every finding names its AwsAccountId"),
        Uses(MergeDedupe),
    ],
};
