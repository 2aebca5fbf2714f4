//! The Keys pane's facts.

use super::{Declared::*, Hook::*, PaneId, PaneSpec, Reach, RefreshDefaults};

pub const SPEC: PaneSpec = PaneSpec {
    id: PaneId::Keys,
    title: "Keys",
    tab_label: "Keys",
    short_label: "Keys",
    command: "keys",
    aliases: &["key", "kms"],
    config_key: "keys",
    refresh: RefreshDefaults { demo_seconds: 30, aws_seconds: 600 },
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
        Without(PlaceInContext, "a key's ARN names its account"),
        Without(MergeDedupe, "KMS is regional: each context's keys are its own"),
    ],
};
