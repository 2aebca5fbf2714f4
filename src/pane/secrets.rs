//! The Secrets pane's facts.

use super::{Declared::*, Hook::*, PaneId, PaneSpec, Reach, RefreshDefaults};

pub const SPEC: PaneSpec = PaneSpec {
    id: PaneId::Secrets,
    title: "Secrets",
    tab_label: "Secrets",
    short_label: "Sec",
    command: "secrets",
    aliases: &["secret", "sm"],
    config_key: "secrets",
    refresh: RefreshDefaults { demo_seconds: 30, aws_seconds: 300 },
    scope: None,
    reach: Reach::Regional,
    settings: &[],
    lens: None,
    keys: &[],
    hooks: &[
        Uses(Alerts),
        Uses(Due),
        Uses(Related),
        Without(BoardPanel, "what falls due is on the board's due panel, through Due"),
        Without(PaneKeys, "the tables' keys are all it needs"),
        Uses(Actions),
        Without(PlaceInContext, "a secret's ARN names its account"),
        Without(MergeDedupe, "Secrets Manager is regional: each context's secrets are its own"),
    ],
};
