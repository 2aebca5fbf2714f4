//! The Users pane's facts.

use super::{Declared::*, Hook::*, LensSpec, PaneId, PaneKey, PaneSpec, Reach, RefreshDefaults};

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
    settings: &[],
    lens: Some(LensSpec {
        name: "fraud",
        aliases: &["signups"],
        key: 'f',
        description: "anti-fraud lens: sign-ups against each pool's usual rate, clusters, risky sign-ins",
        hint: "fraud",
    }),
    keys: &[PaneKey {
        key: 'p',
        command: "pii",
        description: "reveal / mask e-mail addresses and phone numbers",
        hint: Some("PII"),
    }],
    hooks: &[
        Uses(Alerts),
        Without(Due, "sign-ups and sign-ins fall due never"),
        Uses(Related),
        Uses(BoardPanel),
        Uses(PaneKeys),
        Uses(Actions),
        Uses(PlaceInContext),
        Without(MergeDedupe, "Cognito is regional: each context's pools are its own"),
    ],
};
