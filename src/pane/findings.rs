//! The Findings pane's facts.

use super::{Declared::*, Hook::*, LensSpec, PaneId, PaneKey, PaneSetting, PaneSpec, Reach, RefreshDefaults, ScopeSpec};

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
    settings: &[PaneSetting {
        name: "ticket_connector",
        help: &[
            "The new Security Hub connector (Jira Cloud or ServiceNow) tickets are opened through (x T),",
            "by its name or id; needed only where several connectors are connected.",
        ],
        example: "shop-security-jira",
        check: |value| if value.trim().is_empty() { Err("a connector's name or id".into()) } else { Ok(()) },
    }],
    lens: Some(LensSpec {
        name: "exposures",
        aliases: &["exposure", "correlated"],
        key: 'f',
        description: "exposures AWS correlated (new Security Hub): each with its traits and contributing findings",
        hint: "exposures",
    }),
    keys: &[
        // `z`, as vim folds: `g` is the top of every list, as in vim and k9s.
        PaneKey {
            key: 'z',
            command: "group",
            description: "group (fold) by type, resource, product, account, control, none ({detail} opens a group)",
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
