//! What each pane shows, independent of the terminal: columns, cell text, sort order, filter text,
//! detail fields. The TUI and the headless table output both read these, so they never disagree.

pub mod columns;
pub mod haystacks;
pub mod panes;
pub mod query;
pub mod remediation;
pub mod table;

pub use crate::model::grouping::GroupBy;
use crate::model::{AccountNames, Timestamp};
pub use panes::{Scoped, build_index, default_sort};

/// Each pane's view module, as `view::<pane>` (generated from the registry).
macro_rules! reexport_panes {
    ($($variant:ident $module:ident),+ $(,)?) => {
        pub use panes::{$($module),+};
    };
}
crate::for_each_pane!(reexport_panes);
use std::borrow::Cow;
use std::cmp::Ordering;

/// A named view from the config (`[views.NAME]`): a pane with its filter, sort, grouping and scope,
/// applied at once by `:view NAME` or `vigil --view NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedView {
    pub name: String,
    pub pane: crate::pane::PaneId,
    pub filter: String,
    pub sort: Option<table::SortSpec>,
    pub group: Option<GroupBy>,
    /// The columns shown (indices, in the pane's order); every one when `None`.
    pub columns: Option<Vec<usize>>,
    /// Widen the pane's scope (resolved findings, passing controls) or narrow it; as it is when
    /// not said.
    pub all: Option<bool>,
}

/// The semantic colour of a cell; the theme decides what it looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Muted,
    Critical,
    High,
    Medium,
    Low,
    Informational,
    Good,
    Warning,
    Bad,
}

/// How much room a column wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    Fixed(u16),
    /// Takes what is left, at least this many cells.
    Flexible(u16),
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub title: &'static str,
    pub width: Width,
    /// Columns are dropped from the highest priority number down when the screen is narrow.
    pub priority: u8,
    /// Sorting by this column starts descending (severity, count) rather than ascending.
    pub descending_first: bool,
}

impl Column {
    pub const fn new(title: &'static str, width: Width, priority: u8) -> Self {
        Self { title, width, priority, descending_first: false }
    }

    pub const fn descending(mut self) -> Self {
        self.descending_first = true;
        self
    }
}

/// What cells depend on besides the record itself.
#[derive(Debug, Clone, Copy)]
pub struct CellContext<'a> {
    pub now: Timestamp,
    pub reveal_pii: bool,
    /// The names the account column shows instead of ids.
    pub accounts: &'a AccountNames,
}

impl CellContext<'static> {
    /// At `now`, PII masked, accounts shown as ids.
    pub fn plain(now: Timestamp) -> Self {
        Self { now, reveal_pii: false, accounts: AccountNames::none() }
    }
}

/// An account cell: the account's name where one is known, else its id.
pub fn account_cell<'r>(id: &'r str, ctx: &CellContext) -> Cow<'r, str> {
    match ctx.accounts.name(id) {
        Some(name) => Cow::Owned(name.to_string()),
        None => Cow::Borrowed(id),
    }
}

pub use crate::model::arn::arn_place;

/// The placement value of a record placed by its ARN (certificates, secrets): `account_column`'s
/// is the ARN's account, `region_column`'s its region.
pub fn arn_placement(arn: &str, column: usize, account_column: usize, region_column: usize) -> &str {
    let (region, account) = arn_place(arn);
    match column {
        c if c == account_column => account,
        c if c == region_column => region,
        _ => "",
    }
}

/// Days left as a cell: "-3d" (3 days late), "today", "5d"; "now" when nothing dates it.
pub fn days_cell(days_left: Option<i64>) -> String {
    match days_left {
        None => "now".into(),
        Some(0) => "today".into(),
        Some(days) => format!("{days}d"),
    }
}

/// How urgent days left look: late, within a week, within a month.
pub fn days_tone(days_left: Option<i64>) -> Tone {
    match days_left.unwrap_or(0) {
        d if d < 0 => Tone::Critical,
        d if d < 7 => Tone::Bad,
        d if d < 30 => Tone::Warning,
        _ => Tone::Normal,
    }
}

/// The title of a severity column, whose field term (`sev:critical`) also reads the full name.
pub const SEVERITY_TITLE: &str = "Sev";

/// A record a pane shows as one table row.
pub trait Tabular {
    fn columns() -> &'static [Column];
    /// Stable identity, so the selection and marks follow the record across refreshes and re-sorts.
    fn key(&self) -> Cow<'_, str>;
    /// Orders by [`Tabular::key`]; records whose key is built override it to compare without
    /// allocating (it breaks every tie of every sort).
    fn key_cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
    /// Whether this record's [`Tabular::key`] is `key`, without building it where it is built.
    fn has_key(&self, key: &str) -> bool {
        self.key() == key
    }
    fn cell(&self, column: usize, ctx: &CellContext) -> Cow<'_, str>;
    /// The account and region columns: shown only once the rows differ in them (a member account's
    /// rows, a linked region's), since on one account they would repeat the header on every row.
    fn placement_columns() -> &'static [usize] {
        &[]
    }
    /// The raw value (account id, region) a placement column compares rows by.
    fn placement_value(&self, _column: usize) -> &str {
        ""
    }
    fn tone(&self, _column: usize, _ctx: &CellContext) -> Tone {
        Tone::Normal
    }
    /// What the rows can be grouped by (`:group`, `z`); none by default.
    fn groupings() -> &'static [GroupBy] {
        &[]
    }
    /// The label of the record's group under `by`, as its header shows it.
    fn group_label(&self, _by: GroupBy, _ctx: &CellContext) -> String {
        String::new()
    }
    /// The record's severity, where it has one: a group's header shows the worst and the counts.
    fn severity(&self) -> Option<crate::model::SeverityLabel> {
        None
    }
    fn compare(&self, other: &Self, column: usize, ctx: &CellContext) -> Ordering {
        self.cell(column, ctx).cmp(&other.cell(column, ctx))
    }
    /// Label/value pairs for the detail view, most useful first.
    fn detail(&self, ctx: &CellContext) -> Vec<(String, String)>;
    /// The record as JSON for the raw view (PII masked unless revealed).
    fn record_json(&self, ctx: &CellContext) -> serde_json::Value;
    /// Fields the filter names besides the columns (`type:` on findings).
    fn extra_fields() -> &'static [&'static str] {
        &[]
    }
    /// What a field term (`sev:crit`) compares: a column's cell, with the raw value of a placement
    /// column (the account's id beside its name) and the full name of a severity; an added
    /// field's values as the pane gives them.
    fn field_values(&self, field: query::FieldRef, ctx: &CellContext) -> Vec<Cow<'_, str>> {
        match field {
            query::FieldRef::Column(column) => {
                let mut values = vec![self.cell(column, ctx)];
                if Self::placement_columns().contains(&column) {
                    values.push(Cow::Borrowed(self.placement_value(column)));
                }
                if Self::columns().get(column).is_some_and(|c| c.title == SEVERITY_TITLE)
                    && let Some(severity) = self.severity()
                {
                    values.push(Cow::Borrowed(severity.as_str()));
                }
                values
            }
            query::FieldRef::Extra(_) => Vec::new(),
        }
    }
    /// The text the `/` filter matches, lower-cased: every column plus what the detail adds.
    fn search_text(&self, ctx: &CellContext) -> String {
        let mut text = String::new();
        for column in 0..Self::columns().len() {
            text.push_str(&self.cell(column, ctx));
            text.push('\u{1f}');
        }
        // The account's id as well as the name its column shows.
        for &column in Self::placement_columns() {
            text.push_str(self.placement_value(column));
            text.push('\u{1f}');
        }
        text.to_lowercase()
    }
}

/// Records shared between a source and the table (findings) are tabulated as themselves.
impl<T: Tabular> Tabular for std::sync::Arc<T> {
    fn columns() -> &'static [Column] {
        T::columns()
    }
    fn key(&self) -> Cow<'_, str> {
        (**self).key()
    }
    fn key_cmp(&self, other: &Self) -> Ordering {
        (**self).key_cmp(other)
    }
    fn has_key(&self, key: &str) -> bool {
        (**self).has_key(key)
    }
    fn cell(&self, column: usize, ctx: &CellContext) -> Cow<'_, str> {
        (**self).cell(column, ctx)
    }
    fn placement_columns() -> &'static [usize] {
        T::placement_columns()
    }
    fn placement_value(&self, column: usize) -> &str {
        (**self).placement_value(column)
    }
    fn tone(&self, column: usize, ctx: &CellContext) -> Tone {
        (**self).tone(column, ctx)
    }
    fn groupings() -> &'static [GroupBy] {
        T::groupings()
    }
    fn group_label(&self, by: GroupBy, ctx: &CellContext) -> String {
        (**self).group_label(by, ctx)
    }
    fn severity(&self) -> Option<crate::model::SeverityLabel> {
        (**self).severity()
    }
    fn compare(&self, other: &Self, column: usize, ctx: &CellContext) -> Ordering {
        (**self).compare(other, column, ctx)
    }
    fn detail(&self, ctx: &CellContext) -> Vec<(String, String)> {
        (**self).detail(ctx)
    }
    fn record_json(&self, ctx: &CellContext) -> serde_json::Value {
        (**self).record_json(ctx)
    }
    fn search_text(&self, ctx: &CellContext) -> String {
        (**self).search_text(ctx)
    }
    fn extra_fields() -> &'static [&'static str] {
        T::extra_fields()
    }
    fn field_values(&self, field: query::FieldRef, ctx: &CellContext) -> Vec<Cow<'_, str>> {
        (**self).field_values(field, ctx)
    }
}

/// `arn:aws:ec2:us-east-1:1:instance/i-0abc` → `instance/i-0abc`; `arn:aws:s3:::bucket` → `bucket`.
pub fn short_arn(arn: &str) -> &str {
    crate::model::arn::short_resource(arn)
}

fn opt_date(t: Option<Timestamp>) -> String {
    t.map(crate::model::time::short_date).unwrap_or_else(|| "-".into())
}

fn opt_long(t: Option<Timestamp>) -> String {
    t.map(crate::model::time::long_time).unwrap_or_else(|| "-".into())
}

impl From<crate::model::SeverityLabel> for Tone {
    fn from(label: crate::model::SeverityLabel) -> Self {
        severity_tone(label)
    }
}

fn severity_tone(label: crate::model::SeverityLabel) -> Tone {
    use crate::model::SeverityLabel::*;
    match label {
        Critical => Tone::Critical,
        High => Tone::High,
        Medium => Tone::Medium,
        Low => Tone::Low,
        Informational => Tone::Informational,
    }
}

#[cfg(test)]
mod tests {
    use super::short_arn;

    #[test]
    fn short_arn_keeps_the_resource_part() {
        assert_eq!(short_arn("arn:aws:ec2:us-east-1:1:instance/i-0abc"), "instance/i-0abc");
        assert_eq!(short_arn("arn:aws:s3:::shop-assets"), "shop-assets");
        assert_eq!(short_arn("arn:aws:rds:us-east-1:1:db:orders-db"), "db:orders-db");
        assert_eq!(short_arn("i-0abc"), "i-0abc");
    }
}
