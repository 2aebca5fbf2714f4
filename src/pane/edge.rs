//! The Edge pane's facts: the shop's front door (Shield Advanced, WAF, WAF Fraud Control).

use super::{Declared::*, Hook::*, LensSpec, PaneId, PaneSetting, PaneSpec, Reach, RefreshDefaults};

pub const SPEC: PaneSpec = PaneSpec {
    id: PaneId::Edge,
    title: "Edge",
    tab_label: "Edge",
    short_label: "Edge",
    command: "edge",
    aliases: &["shield", "waf", "ddos"],
    config_key: "edge",
    // An attack is measured in minutes: a minute is as stale as the war room can bear.
    refresh: RefreshDefaults { demo_seconds: 10, aws_seconds: 60 },
    scope: None,
    // WAF's web ACLs are regional (and CloudFront's are read in us-east-1); Shield's attacks are
    // the account's, read once through us-east-1 and shown once in the all view.
    reach: Reach::Regional,
    settings: &[PaneSetting {
        name: "block_ip_set",
        help: &[
            "The WAF IP set the Edge pane blocks addresses in (a web ACL rule must block what it holds).",
            "Its ARN: global/ipset/... for CloudFront web ACLs (us-east-1), regional/ipset/... for a region's.",
        ],
        example: "arn:aws:wafv2:us-east-1:111122223333:global/ipset/shop-blocklist/a1b2c3d4-5678-90ab-cdef-1234567890ab",
        check: check_ip_set_arn,
    }],
    lens: Some(LensSpec {
        name: "attacks",
        aliases: &["ddos-lens"],
        key: 'f',
        description: "attacks and who sends them: each attack's vectors, peaks and top contributors",
        hint: "attacks",
    }),
    keys: &[],
    hooks: &[
        Uses(Alerts),
        Without(Due, "an attack or a web ACL has no date it falls due on"),
        Uses(Related),
        Uses(BoardPanel),
        Uses(PaneKeys),
        Uses(Actions),
        Uses(PlaceInContext),
        Uses(MergeDedupe),
    ],
};

/// `arn:PARTITION:wafv2:REGION:ACCOUNT:(global|regional)/ipset/NAME/ID`.
fn check_ip_set_arn(value: &str) -> Result<(), String> {
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let resource: Vec<&str> = parts.get(5).map(|r| r.split('/').collect()).unwrap_or_default();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "wafv2"
        && !parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && resource.len() == 4
        && matches!(resource[0], "global" | "regional")
        && resource[1] == "ipset"
        && !resource[2].is_empty()
        && !resource[3].is_empty();
    if ok {
        Ok(())
    } else {
        Err(format!(
            "expected a WAF IP set's ARN (arn:aws:wafv2:REGION:ACCOUNT:global/ipset/NAME/ID or regional/ipset/...), found {value:?}"
        ))
    }
}
