//! The Secrets pane's table: rotation health of each secret, worst first. Metadata only.

use crate::view::{CellContext, Column, Tabular, Tone, Width, arn_place, opt_date, opt_long};
use crate::model::time::days_since;
use crate::model::{RotationStatus, Secret};
use std::borrow::Cow;
use std::cmp::Ordering;

pub const NAME: usize = 0;
pub const ROTATION: usize = 1;
pub const RULE: usize = 2;
pub const LAST_ROTATED: usize = 3;
pub const NEXT_ROTATION: usize = 4;
pub const LAST_ACCESS: usize = 5;
/// Shown only while the secrets span several accounts (member accounts read through a role).
pub const ACCOUNT: usize = 6;
/// Shown only while the secrets span several regions (the "all" view of several contexts).
pub const REGION: usize = 7;

const COLUMNS: &[Column] = &[
    Column::new("Name", Width::Flexible(22), 0),
    Column::new("Rotation", Width::Fixed(13), 0),
    Column::new("Rule", Width::Fixed(12), 2),
    Column::new("Rotated", Width::Fixed(10), 1),
    Column::new("Next", Width::Fixed(10), 1),
    Column::new("Accessed", Width::Fixed(11), 1),
    Column::new("Account", Width::Fixed(12), 1),
    Column::new("Region", Width::Fixed(14), 2),
];

impl Tabular for Secret {
    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.arn)
    }

    fn cell(&self, column: usize, ctx: &CellContext) -> Cow<'_, str> {
        match column {
            NAME => Cow::Borrowed(&self.name),
            ROTATION => Cow::Borrowed(self.rotation_status(ctx.now).label()),
            RULE => Cow::Owned(self.rotation_rule().unwrap_or_else(|| "-".into())),
            LAST_ROTATED => Cow::Owned(if self.rotation_enabled && self.last_rotated.is_none() {
                "never".into()
            } else {
                opt_date(self.last_rotated)
            }),
            NEXT_ROTATION => Cow::Owned(opt_date(self.next_rotation)),
            LAST_ACCESS => Cow::Owned(match self.last_accessed {
                Some(t) if self.is_unused(ctx.now) => format!("{}d UNUSED", days_since(t, ctx.now)),
                Some(t) if days_since(t, ctx.now) == 0 => "today".into(),
                Some(t) => format!("{}d ago", days_since(t, ctx.now)),
                None if self.is_unused(ctx.now) => "never UNUSED".into(),
                None => "never".into(),
            }),
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
        let status = self.rotation_status(ctx.now);
        match column {
            ROTATION => match status {
                RotationStatus::Stuck | RotationStatus::Overdue => Tone::Bad,
                RotationStatus::NeverRotated | RotationStatus::Off => Tone::Warning,
                RotationStatus::Healthy => Tone::Good,
                RotationStatus::Rotating => Tone::Normal,
                RotationStatus::PendingDeletion => Tone::Muted,
            },
            NEXT_ROTATION if status == RotationStatus::Overdue || status == RotationStatus::Stuck => Tone::Bad,
            LAST_ACCESS if self.is_unused(ctx.now) => Tone::Warning,
            _ if status == RotationStatus::PendingDeletion => Tone::Muted,
            _ => Tone::Normal,
        }
    }

    fn compare(&self, other: &Self, column: usize, ctx: &CellContext) -> Ordering {
        match column {
            ROTATION => self.rotation_status(ctx.now).cmp(&other.rotation_status(ctx.now)),
            LAST_ROTATED => self.last_rotated.cmp(&other.last_rotated),
            NEXT_ROTATION => self.next_rotation.cmp(&other.next_rotation),
            LAST_ACCESS => self.last_accessed.cmp(&other.last_accessed),
            _ => self.cell(column, ctx).cmp(&other.cell(column, ctx)),
        }
    }

    fn detail(&self, ctx: &CellContext) -> Vec<(String, String)> {
        let mut rows = vec![
            ("Name".to_string(), self.name.clone()),
            ("Rotation status".into(), self.rotation_status(ctx.now).label().into()),
            ("Rotation enabled".into(), if self.rotation_enabled { "yes".into() } else { "no".into() }),
            ("Rotation rule".into(), self.rotation_rule().unwrap_or_else(|| "-".into())),
            ("Rotation Lambda".into(), self.rotation_lambda_arn.clone().unwrap_or_else(|| "-".into())),
            ("Last rotated".into(), opt_long(self.last_rotated)),
            ("Next rotation".into(), opt_long(self.next_rotation)),
            ("Last accessed".into(), opt_long(self.last_accessed)),
            ("Unused".into(), if self.is_unused(ctx.now) { "yes: not read for 90+ days".into() } else { "no".into() }),
            ("Last changed".into(), opt_long(self.last_changed)),
            ("Created".into(), opt_long(self.created)),
        ];
        if let Some(deleted) = self.deleted_date {
            rows.push(("Deleted".into(), format!("{} (purged 7 to 30 days later)", opt_long(Some(deleted)))));
        }
        if let Some(description) = &self.description {
            rows.push(("Description".into(), description.clone()));
        }
        for version in &self.versions {
            let short: String = version.id.chars().take(8).collect();
            rows.push((format!("Version {short}"), version.stages.join(", ")));
        }
        rows.push(("ARN".into(), self.arn.clone()));
        rows
    }

    fn record_json(&self, _ctx: &CellContext) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

impl crate::view::Scoped for Secret {}

pub struct Pane;

impl super::PaneView for Pane {
    type Model = crate::model::panes::secrets::Pane;
    type Row = Secret;

    fn default_sort() -> crate::view::table::SortSpec {
        crate::view::table::SortSpec { column: ROTATION, descending: false }
    }

    fn rows(data: &Vec<Secret>) -> Cow<'_, [Self::Row]> {
        Cow::Borrowed(data)
    }

    fn into_rows(data: Vec<Secret>) -> Vec<Self::Row> {
        data
    }
}
