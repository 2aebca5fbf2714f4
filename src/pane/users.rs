//! The Users pane's facts.

use super::{Declared::*, Hook::*, PaneId, PaneSpec, Reach, RefreshDefaults};

pub const SPEC: PaneSpec = PaneSpec {
    id: PaneId::Users,
    title: "Users",
    tab_label: "Users",
    short_label: "Users",
    command: "users",
    aliases: &["user", "cognito"],
    config_key: "users",
    refresh: RefreshDefaults { demo_seconds: 15, aws_seconds: 300 },
    scope: None,
    reach: Reach::Regional,
    hooks: &[
        Uses(Alerts),
        Without(Due, "sign-ups and sign-ins fall due never"),
        Uses(Related),
        Uses(BoardPanel),
        Uses(PaneKeys),
        Uses(Actions),
        Uses(PlaceInAccount),
        Without(MergeDedupe, "Cognito is regional: each context's pools are its own"),
    ],
};
