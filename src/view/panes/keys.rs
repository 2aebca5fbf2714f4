//! The Keys pane's table: KMS keys, private CAs and CloudHSM clusters, what breaks first first;
//! AWS managed keys last, never flagged.

use crate::model::key::{HsmCluster, KeyHealth, KeysReport, KmsKey, PrivateCa};
use crate::view::{CellContext, Column, Tabular, Tone, Width, arn_place, opt_date, opt_long};
use std::borrow::Cow;
use std::cmp::Ordering;

pub const NAME: usize = 0;
pub const HEALTH: usize = 1;
pub const STATE: usize = 2;
pub const ROTATION: usize = 3;
/// The deletion date of a key scheduled for deletion, else when its imported material expires,
/// else its next rotation.
pub const DATE: usize = 4;
pub const USED_BY: usize = 5;
/// Shown only while the keys span several accounts.
pub const ACCOUNT: usize = 6;
/// Shown only while the keys span several regions.
pub const REGION: usize = 7;

const COLUMNS: &[Column] = &[
    Column::new("Key", Width::Flexible(20), 0),
    Column::new("Health", Width::Fixed(16), 0),
    Column::new("State", Width::Fixed(15), 2),
    Column::new("Rotation", Width::Fixed(8), 1),
    Column::new("Date", Width::Fixed(10), 1),
    Column::new("Used by", Width::Flexible(20), 1),
    Column::new("Account", Width::Fixed(12), 1),
    Column::new("Region", Width::Fixed(14), 2),
];

impl Tabular for KmsKey {
    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.arn)
    }

    fn cell(&self, column: usize, ctx: &CellContext) -> Cow<'_, str> {
        match column {
            NAME => Cow::Borrowed(self.name()),
            HEALTH => Cow::Borrowed(self.health(ctx.now).label()),
            STATE => Cow::Borrowed(self.state.as_str()),
            ROTATION => Cow::Owned(match (self.rotation_enabled, self.rotation_period_days) {
                (Some(true), Some(days)) => format!("{days}d"),
                (Some(true), None) => "on".into(),
                (Some(false), _) if self.can_rotate_automatically() => "off".into(),
                _ => "-".into(),
            }),
            DATE => Cow::Owned(opt_date(date(self))),
            USED_BY => Cow::Owned(if self.dependents.is_empty() { "-".into() } else { self.dependents_text() }),
            ACCOUNT => crate::view::account_cell(arn_place(&self.arn).1, ctx),
            REGION => Cow::Borrowed(arn_place(&self.arn).0),
            _ => Cow::Borrowed(""),
        }
    }

    fn placement_columns() -> &'static [usize] {
        &[ACCOUNT, REGION]
    }

    fn placement_value(&self, column: usize) -> &str {
        crate::view::arn_placement(&self.arn, column, ACCOUNT, REGION)
    }

    fn tone(&self, column: usize, ctx: &CellContext) -> Tone {
        let health = self.health(ctx.now);
        match (column, health) {
            (HEALTH | DATE | USED_BY, KeyHealth::DeletionInUse | KeyHealth::BlockedInUse) => Tone::Bad,
            (HEALTH, KeyHealth::MaterialExpiring | KeyHealth::PendingDeletion | KeyHealth::RotationOff) => Tone::Warning,
            (HEALTH, KeyHealth::Disabled) => Tone::Medium,
            (HEALTH, KeyHealth::Healthy) => Tone::Good,
            (ROTATION, KeyHealth::RotationOff) => Tone::Warning,
            (_, KeyHealth::AwsManaged) => Tone::Muted,
            _ => Tone::Normal,
        }
    }

    fn compare(&self, other: &Self, column: usize, ctx: &CellContext) -> Ordering {
        match column {
            HEALTH => self
                .health(ctx.now)
                .cmp(&other.health(ctx.now))
                .then_with(|| self.deletion_date.cmp(&other.deletion_date))
                .then_with(|| other.dependents.len().cmp(&self.dependents.len())),
            DATE => date(self).cmp(&date(other)),
            USED_BY => self.dependents.len().cmp(&other.dependents.len()),
            _ => self.cell(column, ctx).cmp(&other.cell(column, ctx)),
        }
    }

    fn detail(&self, ctx: &CellContext) -> Vec<(String, String)> {
        let yes_no = |b: Option<bool>| match b {
            Some(true) => "on".to_string(),
            Some(false) => "off".to_string(),
            None => "-".to_string(),
        };
        let mut rows = vec![
            ("Key".to_string(), self.name().to_string()),
            ("Health".into(), self.health(ctx.now).label().into()),
            ("State".into(), self.state.as_str().into()),
            ("Managed by".into(), if self.is_customer_managed() { "customer".into() } else { "AWS".into() }),
            ("Spec".into(), format!("{} · {} · origin {}", self.spec, self.usage, self.origin)),
            ("Rotation".into(), yes_no(self.rotation_enabled)),
            ("Rotation period".into(), self.rotation_period_days.map_or("-".into(), |d| format!("{d} days"))),
            ("Next rotation".into(), opt_long(self.next_rotation)),
        ];
        if let Some(started) = self.on_demand_rotation_started {
            rows.push(("On-demand rotation".into(), format!("running since {}", opt_long(Some(started)))));
        }
        if let Some(date) = self.deletion_date {
            rows.push(("Deletion".into(), opt_long(Some(date))));
        }
        if let Some(expires) = self.material_expires {
            rows.push(("Key material expires".into(), opt_long(Some(expires))));
        }
        if let Some(role) = &self.multi_region {
            rows.push(("Multi-Region".into(), role.clone()));
        }
        for dependent in &self.dependents {
            rows.push((format!("Used by {}", dependent.kind), dependent.name.clone()));
        }
        if let Some(description) = &self.description {
            rows.push(("Description".into(), description.clone()));
        }
        rows.push(("Created".into(), opt_long(self.created)));
        rows.push(("ARN".into(), self.arn.clone()));
        rows
    }

    fn record_json(&self, _ctx: &CellContext) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

impl crate::view::Scoped for KmsKey {}

/// What a key's Date column shows: what comes first to break it, else its next rotation.
fn date(key: &KmsKey) -> Option<crate::model::Timestamp> {
    key.deletion_date.or(key.material_expires).or(key.next_rotation)
}

/// One row of the Keys pane: a KMS key, a private CA or a CloudHSM cluster.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KeyRow {
    Key(KmsKey),
    Authority(PrivateCa),
    Cluster(HsmCluster),
}

impl KeyRow {
    /// Worst first, across kinds: what breaks a secret now, then what expires, then what has no
    /// failover or rotation.
    fn rank(&self, ctx: &CellContext) -> u8 {
        match self {
            Self::Key(k) => match k.health(ctx.now) {
                KeyHealth::DeletionInUse => 0,
                KeyHealth::BlockedInUse => 10,
                KeyHealth::MaterialExpiring => 20,
                KeyHealth::PendingDeletion => 30,
                KeyHealth::RotationOff => 40,
                KeyHealth::Disabled => 50,
                KeyHealth::Healthy => 60,
                KeyHealth::AwsManaged => 70,
            },
            Self::Authority(ca) if ca.status == "EXPIRED" => 5,
            Self::Authority(ca) if ca.expires_soon(ctx.now) => 15,
            Self::Authority(ca) if ca.status != "ACTIVE" => 50,
            Self::Cluster(c) if c.no_failover() => 35,
            Self::Cluster(c) if c.backup_stale(ctx.now) => 45,
            _ => 60,
        }
    }

    fn health_label(&self, ctx: &CellContext) -> &'static str {
        match self {
            Self::Key(k) => k.health(ctx.now).label(),
            Self::Authority(ca) if ca.status == "EXPIRED" => "CA EXPIRED",
            Self::Authority(ca) if ca.expires_soon(ctx.now) => "CA EXPIRES",
            Self::Authority(ca) if ca.status != "ACTIVE" => "CA NOT ACTIVE",
            Self::Cluster(c) if c.no_failover() => "NO FAILOVER",
            Self::Cluster(c) if c.backup_stale(ctx.now) => "BACKUP OLD",
            _ => "OK",
        }
    }

    pub fn arn(&self) -> Cow<'_, str> {
        match self {
            Self::Key(k) => Cow::Borrowed(&k.arn),
            Self::Authority(ca) => Cow::Borrowed(&ca.arn),
            Self::Cluster(c) => Cow::Owned(c.arn()),
        }
    }
}

impl Tabular for KeyRow {
    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn key(&self) -> Cow<'_, str> {
        self.arn()
    }

    fn cell(&self, column: usize, ctx: &CellContext) -> Cow<'_, str> {
        match (self, column) {
            (Self::Key(k), _) => k.cell(column, ctx),
            (_, HEALTH) => Cow::Borrowed(self.health_label(ctx)),
            (Self::Authority(ca), NAME) => Cow::Owned(format!("CA {}", ca.name)),
            (Self::Authority(ca), STATE) => Cow::Borrowed(&ca.status),
            (Self::Authority(ca), DATE) => Cow::Owned(opt_date(ca.not_after)),
            (Self::Authority(ca), USED_BY) => Cow::Owned(match ca.issued.len() {
                0 => "-".into(),
                1 => "1 certificate".into(),
                n => format!("{n} certificates"),
            }),
            (Self::Cluster(c), NAME) => Cow::Owned(format!("HSM {}", c.id)),
            (Self::Cluster(c), STATE) => Cow::Borrowed(&c.state),
            (Self::Cluster(c), DATE) => Cow::Owned(opt_date(c.newest_backup)),
            (Self::Cluster(c), USED_BY) => Cow::Owned(c.failover_text()),
            (Self::Cluster(c), ACCOUNT) => crate::view::account_cell(&c.account, ctx),
            (Self::Cluster(c), REGION) => Cow::Borrowed(&c.region),
            (Self::Authority(ca), ACCOUNT) => crate::view::account_cell(arn_place(&ca.arn).1, ctx),
            (Self::Authority(ca), REGION) => Cow::Borrowed(arn_place(&ca.arn).0),
            (_, ROTATION) => Cow::Borrowed("-"),
            _ => Cow::Borrowed(""),
        }
    }

    fn placement_columns() -> &'static [usize] {
        &[ACCOUNT, REGION]
    }

    fn placement_value(&self, column: usize) -> &str {
        match self {
            Self::Key(k) => k.placement_value(column),
            Self::Authority(ca) => crate::view::arn_placement(&ca.arn, column, ACCOUNT, REGION),
            Self::Cluster(c) if column == ACCOUNT => &c.account,
            Self::Cluster(c) => &c.region,
        }
    }

    fn tone(&self, column: usize, ctx: &CellContext) -> Tone {
        match (self, column, self.rank(ctx)) {
            (Self::Key(k), _, _) => k.tone(column, ctx),
            (_, HEALTH | DATE, 0..=15) => Tone::Bad,
            (_, HEALTH | USED_BY, 16..=49) => Tone::Warning,
            (_, HEALTH, 60) => Tone::Good,
            _ => Tone::Normal,
        }
    }

    fn compare(&self, other: &Self, column: usize, ctx: &CellContext) -> Ordering {
        match (self, other, column) {
            (Self::Key(a), Self::Key(b), _) => a.compare(b, column, ctx),
            (_, _, HEALTH) => self.rank(ctx).cmp(&other.rank(ctx)),
            _ => self.cell(column, ctx).cmp(&other.cell(column, ctx)),
        }
    }

    fn detail(&self, ctx: &CellContext) -> Vec<(String, String)> {
        match self {
            Self::Key(k) => k.detail(ctx),
            Self::Authority(ca) => {
                let mut rows = vec![
                    ("Private CA".to_string(), ca.name.clone()),
                    ("Health".into(), self.health_label(ctx).into()),
                    ("Type".into(), ca.kind.clone()),
                    ("Status".into(), ca.status.clone()),
                    ("Expires".into(), opt_long(ca.not_after)),
                ];
                for cert in &ca.issued {
                    rows.push(("Issued".into(), cert.name.clone()));
                }
                rows.push(("ARN".into(), ca.arn.clone()));
                rows
            }
            Self::Cluster(c) => vec![
                ("CloudHSM cluster".to_string(), c.id.clone()),
                ("Health".into(), self.health_label(ctx).into()),
                ("State".into(), c.state.clone()),
                ("HSMs".into(), c.failover_text()),
                ("Newest backup".into(), opt_long(c.newest_backup)),
                ("ARN".into(), c.arn()),
            ],
        }
    }

    fn record_json(&self, _ctx: &CellContext) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

impl crate::view::Scoped for KeyRow {}

/// The table's rows: the keys, then the CAs and clusters.
pub fn rows(report: &KeysReport) -> Vec<KeyRow> {
    let keys = report.keys.iter().cloned().map(KeyRow::Key);
    let authorities = report.authorities.iter().cloned().map(KeyRow::Authority);
    keys.chain(authorities).chain(report.clusters.iter().cloned().map(KeyRow::Cluster)).collect()
}

pub struct Pane;

impl super::PaneView for Pane {
    type Model = crate::model::panes::keys::Pane;
    type Row = KeyRow;

    fn default_sort() -> crate::view::table::SortSpec {
        crate::view::table::SortSpec { column: HEALTH, descending: false }
    }

    fn rows(data: &KeysReport) -> Cow<'_, [Self::Row]> {
        Cow::Owned(rows(data))
    }

    fn into_rows(data: KeysReport) -> Vec<Self::Row> {
        rows(&data)
    }
}
