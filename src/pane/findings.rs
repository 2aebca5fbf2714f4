//! The Findings pane's facts.

use super::{Declared::*, Hook::*, PaneId, PaneSpec, Reach, RefreshDefaults, ScopeSpec};

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
    hooks: &[
        Uses(Alerts),
        Without(Due, "a finding has no date it falls due on"),
        Uses(Related),
        Uses(BoardPanel),
        Uses(PaneKeys),
        Uses(Actions),
        Without(PlaceInAccount, "every finding names its AwsAccountId"),
        Uses(MergeDedupe),
    ],
};
