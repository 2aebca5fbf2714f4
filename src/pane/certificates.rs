//! The Certificates pane's facts.

use super::{Declared::*, Hook::*, PaneId, PaneSpec, Reach, RefreshDefaults};

pub const SPEC: PaneSpec = PaneSpec {
    id: PaneId::Certificates,
    title: "Certificates",
    tab_label: "Certs",
    short_label: "Cert",
    command: "certs",
    aliases: &["certificates", "certificate", "cert", "acm"],
    config_key: "certificates",
    refresh: RefreshDefaults { demo_seconds: 30, aws_seconds: 900 },
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
        Without(PlaceInContext, "a certificate's ARN names its account"),
        Without(MergeDedupe, "ACM is regional: each context's certificates are its own"),
    ],
};
