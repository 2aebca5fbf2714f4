//! One pane's data, its table view and how fresh it is.

use super::triage::Actionable;
use crate::model::triage::{Target, TriageAction};
use crate::model::{Context, Timestamp};
use crate::view::table::{SortSpec, TableIndex, TableView};
use crate::view::{CellContext, GroupBy, Scoped, Tabular};
use std::sync::Arc;

/// The rows marked for a bulk action: a flag per row of the pane's `rows`, carried over by key
/// when new rows replace them. Marking every row of an organisation is then a pass over flags, and
/// drawing a marked row or group a lookup by position, where a set of keys built and hashed a
/// hundred thousand keys that share long prefixes (account, region, product ARN).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    flags: Vec<bool>,
    count: usize,
}

impl Marks {
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether the row at `index` of the pane's rows is marked.
    pub fn contains(&self, index: usize) -> bool {
        self.flags.get(index).copied().unwrap_or(false)
    }

    /// The marked rows' indexes, in the order of the pane's rows.
    pub fn indexes(&self) -> impl Iterator<Item = usize> + '_ {
        self.flags.iter().enumerate().filter_map(|(i, &on)| on.then_some(i))
    }

    fn set(&mut self, index: usize, on: bool) {
        if index >= self.flags.len() {
            if !on {
                return;
            }
            self.flags.resize(index + 1, false);
        }
        let flag = &mut self.flags[index];
        if *flag != on {
            *flag = on;
            if on { self.count += 1 } else { self.count -= 1 }
        }
    }

    /// Marks every row of `indexes`, or unmarks them all when every one is marked already.
    fn toggle_all(&mut self, indexes: impl Iterator<Item = usize> + Clone) {
        let on = !indexes.clone().all(|i| self.contains(i));
        for i in indexes {
            self.set(i, on);
        }
    }

    fn clear(&mut self) {
        self.flags.clear();
        self.count = 0;
    }
}

/// How fresh a pane's data is and why it may not be.
#[derive(Debug, Clone, Default)]
pub struct RefreshStatus {
    pub last_success: Option<Timestamp>,
    pub last_attempt: Option<Timestamp>,
    pub in_flight: bool,
    /// The request in flight (or last sent): a result answering another one is stale.
    pub request: u64,
    /// The last failure; cleared by the next success. The last good data stays on screen.
    pub error: Option<String>,
    /// What the last successful refresh could not cover (a service that failed, a cap).
    pub warnings: Vec<String>,
    /// Refresh once more when the one in flight lands (an action changed the data meanwhile).
    pub refresh_again: bool,
    /// Refreshes that failed in a row; the next one waits longer.
    pub failures: u32,
    /// When the next refresh after a failure is due.
    pub retry_at: Option<Timestamp>,
    /// The data on screen came from the disk cache, not from a refresh of this run.
    pub from_cache: bool,
    /// Rows the request in flight has reported so far (a first load streaming in, page by page).
    pub so_far: usize,
    /// The rows on screen are the preview this request is streaming in, not a finished load.
    pub preview_of: Option<u64>,
    /// The data is a delta over a full load made then: changes a delta cannot see (triage without a
    /// note, deletions) are as of this time.
    pub workflow_as_of: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct PaneState<T> {
    /// Shared with a refresh in flight, which reuses what did not change (see
    /// `TableIndex::rebuild_from`); changed only by replacing it or through `Arc::make_mut`.
    pub rows: Arc<Vec<T>>,
    pub view: TableView,
    pub status: RefreshStatus,
    /// Whether records outside the default scope (resolved findings, passing controls) are shown.
    pub show_all: bool,
    /// The rows marked for a bulk action.
    pub marked: Marks,
    /// The placement columns (account, region) while every row has the same value in them.
    pub hidden_columns: Vec<usize>,
    /// The columns chosen with `:columns` (or a saved view), in the pane's order; all when `None`.
    pub chosen_columns: Option<Vec<usize>>,
    /// What the rows are folded into groups by (`:group`), if anything.
    pub group_by: Option<GroupBy>,
}

impl<T: Tabular + Scoped + Actionable + Clone> PaneState<T> {
    pub fn new(sort: SortSpec) -> Self {
        Self {
            rows: Arc::new(Vec::new()),
            view: TableView::new(sort),
            status: RefreshStatus::default(),
            show_all: false,
            marked: Marks::default(),
            hidden_columns: T::placement_columns().to_vec(),
            chosen_columns: None,
            group_by: None,
        }
    }

    /// Works the groups out again for the rows now held (new rows, a change of what labels show).
    fn regroup(&mut self, ctx: &CellContext) {
        match self.group_by {
            Some(by) => self.view.group_records(&self.rows, |r| r.group_label(by, ctx)),
            None if self.view.is_grouped() => self.view.ungroup(&self.rows),
            None => {}
        }
    }

    /// The records of the selected group, or of the selected row.
    fn selected_records(&self) -> Vec<&T> {
        match self.view.selected_group() {
            Some(group) => group.members.iter().filter_map(|&i| self.rows.get(i as usize)).collect(),
            None => self.selected().into_iter().collect(),
        }
    }

    /// Every placement column hidden again (until the rows differ in it), and the columns not
    /// chosen.
    fn reset_hidden_columns(&mut self) {
        let placement = T::placement_columns();
        let mut hidden = placement.to_vec();
        if let Some(chosen) = &self.chosen_columns {
            hidden.extend((0..T::columns().len()).filter(|c| !chosen.contains(c) && !placement.contains(c)));
        }
        self.hidden_columns = hidden;
    }

    /// Account and region columns show only when the rows span several: on one account they would
    /// repeat the header on every row. Rows from `from` on are checked (rows added to a list never
    /// make it uniform again).
    fn show_varied_columns(&mut self, from: usize) {
        let rows = &self.rows;
        let Some(first) = rows.first() else { return };
        let added = rows.get(from..).unwrap_or_default();
        self.hidden_columns.retain(|&column| {
            if !T::placement_columns().contains(&column) {
                return true;
            }
            let value = first.placement_value(column);
            !added.iter().any(|row| row.placement_value(column) != value)
        });
    }

    /// New data, with the index the fetch task prepared for it when there is one.
    pub fn replace_rows(&mut self, rows: Vec<T>, index: Option<TableIndex>, ctx: &CellContext) {
        // The view's positions are the old rows': what is selected is read from them, before.
        let anchor = self.view.anchor(&self.rows);
        let marked: std::collections::HashSet<String> =
            self.marked.indexes().filter_map(|i| self.rows.get(i)).map(|r| r.key().into_owned()).collect();
        self.marked.clear();
        self.view.forget_group_members();
        self.rows = Arc::new(rows);
        self.reset_hidden_columns();
        self.show_varied_columns(0);
        let show_all = self.show_all;
        match index {
            Some(index) => self.view.install(&self.rows, index, ctx, |r| show_all || r.in_default_scope()),
            None => self.rebuild(ctx),
        }
        self.regroup(ctx);
        if anchor.is_some() {
            self.view.reselect(&self.rows, anchor.as_ref());
        }
        // Marks follow their records; a mark on a record that left goes, so a count of marks is
        // a count of rows an action would take.
        if !marked.is_empty() {
            for (i, row) in self.rows.iter().enumerate() {
                if marked.contains(row.key().as_ref()) {
                    self.marked.set(i, true);
                }
            }
        }
    }

    /// Rows a first load reported before finishing, shown as they arrive.
    pub fn append_rows(&mut self, chunk: Vec<T>, ctx: &CellContext) {
        let first_new = self.rows.len();
        Arc::make_mut(&mut self.rows).extend(chunk);
        self.show_varied_columns(first_new.saturating_sub(1));
        let show_all = self.show_all;
        self.view.append(&self.rows, first_new, ctx, |r| show_all || r.in_default_scope());
        match self.group_by {
            Some(by) => self.view.group_more(&self.rows, first_new, |r| r.group_label(by, ctx)),
            None => self.regroup(ctx),
        }
    }

    /// Drops a preview's rows (another request is streaming in); marks and selection go with them.
    pub fn drop_rows(&mut self, ctx: &CellContext) {
        self.rows = Arc::new(Vec::new());
        self.marked.clear();
        self.reset_hidden_columns();
        self.rebuild(ctx);
    }

    pub fn rebuild(&mut self, ctx: &CellContext) {
        let show_all = self.show_all;
        self.view.rebuild(&self.rows, ctx, |r| show_all || r.in_default_scope());
        self.regroup(ctx);
    }

    pub fn selected(&self) -> Option<&T> {
        self.view.selected_index().and_then(|i| self.rows.get(i))
    }
}

/// An action's targets from the chosen rows, with the rows it refuses and what a person should
/// know before confirming (each with the row's label).
#[derive(Debug, Clone, Default)]
pub struct Targets {
    pub targets: Vec<Target>,
    pub refused: Vec<(String, String)>,
    pub warnings: Vec<(String, String)>,
}

/// What an action would take, as the action menu says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    Nothing,
    Row,
    /// The selected group's rows.
    Group(usize),
    Marked(usize),
}

impl Selection {
    /// "the selected row", "the group (12)", "3 marked rows".
    pub fn describe(self) -> String {
        match self {
            Self::Nothing => "nothing selected".into(),
            Self::Row => "the selected row".into(),
            Self::Group(n) => format!("the group ({n})"),
            Self::Marked(1) => "1 marked row".into(),
            Self::Marked(n) => format!("{n} marked rows"),
        }
    }
}

/// The operations the app applies to whichever pane is current, whatever its record type.
pub trait TablePane {
    fn view(&self) -> &TableView;
    fn view_mut(&mut self) -> &mut TableView;
    fn status(&self) -> &RefreshStatus;
    fn status_mut(&mut self) -> &mut RefreshStatus;
    fn column_count(&self) -> usize;
    fn column_descending_first(&self, column: usize) -> bool;
    /// The columns a table `width` cells wide shows (as the UI fits them); `fresh` says the
    /// pane marks new rows, which takes the gutter as marks do.
    fn visible_columns(&self, width: u16, fresh: bool) -> Vec<usize>;
    fn set_filter(&mut self, filter: &str, ctx: &CellContext);
    /// The pane's columns, whether shown or not.
    fn columns(&self) -> &'static [crate::view::Column];
    /// Shows only these columns (indices into [`TablePane::columns`]), or all of them.
    fn choose_columns(&mut self, chosen: Option<Vec<usize>>);
    fn chosen_columns(&self) -> Option<&[usize]>;
    fn set_sort(&mut self, sort: SortSpec, ctx: &CellContext);
    fn toggle_scope(&mut self, ctx: &CellContext);
    /// Whether records outside the default scope are shown.
    fn show_all(&self) -> bool;
    fn rebuild(&mut self, ctx: &CellContext);
    fn detail(&self, ctx: &CellContext) -> Option<Vec<(String, String)>>;
    fn record_json(&self, ctx: &CellContext) -> Option<serde_json::Value>;
    /// The selected record as an action would address it (the raw view asks the source for the
    /// service's own document with it).
    fn selected_target(&self, context: &Context) -> Option<Target>;
    /// What an action would take: the marked rows, else the selected group or row.
    fn selection(&self) -> Selection;
    fn toggle_mark(&mut self);
    /// Marks every row the filter shows, or unmarks them all when they all are marked.
    fn toggle_mark_visible(&mut self);
    fn clear_marks(&mut self);
    /// Drops the rows, the marks and the refresh state; the sort, filter and scope stay.
    fn clear(&mut self, ctx: &CellContext);
    /// Targets of an action: the marked rows, else the selected one; and the rows it refuses.
    fn targets_for(&self, action: &TriageAction, context: &Context) -> Targets;
    /// What `y` copies: the marked rows' ids, else the selected one's.
    fn copy_texts(&self, reveal_pii: bool) -> Vec<String>;
    /// The AWS CLI command that fixes the selected record, where there is one.
    fn fix_command(&self) -> Option<String>;
    /// A link to the selected record in the AWS console, in the record's own region.
    fn console_url(&self, context: &Context, reveal_pii: bool) -> Option<String>;
    /// What the rows are grouped by, if anything.
    fn grouping(&self) -> Option<GroupBy>;
    /// What the rows can be grouped by.
    fn groupings(&self) -> &'static [GroupBy];
    /// Folds the rows into groups by `by` (one the pane offers), or shows them flat.
    fn set_grouping(&mut self, by: Option<GroupBy>, ctx: &CellContext);
    /// Opens or closes the selected group; false when no group's header is selected.
    fn toggle_group(&mut self) -> bool;
    /// Whether an action has a row or a group to act on.
    fn has_selection(&self) -> bool;
    /// The selected record's key.
    fn selected_key(&self) -> Option<String>;
    /// Selects the record with this key; false when the filter or the scope hides it.
    fn select_key(&mut self, key: &str) -> bool;
}

impl<T: Tabular + Scoped + Actionable + Clone> TablePane for PaneState<T> {
    fn view(&self) -> &TableView {
        &self.view
    }
    fn view_mut(&mut self) -> &mut TableView {
        &mut self.view
    }
    fn status(&self) -> &RefreshStatus {
        &self.status
    }
    fn status_mut(&mut self) -> &mut RefreshStatus {
        &mut self.status
    }
    fn column_count(&self) -> usize {
        T::columns().len()
    }
    fn column_descending_first(&self, column: usize) -> bool {
        T::columns().get(column).is_some_and(|c| c.descending_first)
    }
    fn visible_columns(&self, width: u16, fresh: bool) -> Vec<usize> {
        let gutter = !self.marked.is_empty() || fresh;
        crate::view::columns::fit_table(T::columns(), width, &self.hidden_columns, gutter)
            .into_iter()
            .map(|(i, _)| i)
            .collect()
    }
    fn columns(&self) -> &'static [crate::view::Column] {
        T::columns()
    }
    fn choose_columns(&mut self, chosen: Option<Vec<usize>>) {
        // The placement columns keep what the rows say about them.
        let varied: Vec<usize> =
            T::placement_columns().iter().copied().filter(|c| !self.hidden_columns.contains(c)).collect();
        self.chosen_columns = chosen;
        self.reset_hidden_columns();
        self.hidden_columns
            .retain(|c| !varied.contains(c) || self.chosen_columns.as_ref().is_some_and(|k| !k.contains(c)));
    }
    fn chosen_columns(&self) -> Option<&[usize]> {
        self.chosen_columns.as_deref()
    }
    fn set_filter(&mut self, filter: &str, ctx: &CellContext) {
        self.view.set_filter(&self.rows, ctx, filter);
    }
    fn set_sort(&mut self, sort: SortSpec, ctx: &CellContext) {
        self.view.set_sort(&self.rows, ctx, sort);
    }
    fn toggle_scope(&mut self, _ctx: &CellContext) {
        self.show_all = !self.show_all;
        let show_all = self.show_all;
        self.view.rescope(&self.rows, |r| show_all || r.in_default_scope());
    }
    fn show_all(&self) -> bool {
        self.show_all
    }
    fn rebuild(&mut self, ctx: &CellContext) {
        PaneState::rebuild(self, ctx);
    }
    fn detail(&self, ctx: &CellContext) -> Option<Vec<(String, String)>> {
        self.selected().map(|r| r.detail(ctx))
    }
    fn record_json(&self, ctx: &CellContext) -> Option<serde_json::Value> {
        self.selected().map(|r| r.record_json(ctx))
    }
    fn selected_target(&self, context: &Context) -> Option<Target> {
        self.selected().and_then(|r| r.target(context))
    }
    fn selection(&self) -> Selection {
        if !self.marked.is_empty() {
            return Selection::Marked(self.marked.len());
        }
        match self.view.selected_group() {
            Some(group) => Selection::Group(group.members.len()),
            None if self.selected().is_some() => Selection::Row,
            None => Selection::Nothing,
        }
    }
    fn toggle_mark(&mut self) {
        // On a group's header: the whole group, marked or unmarked together.
        match self.view.selected_group() {
            Some(group) => self.marked.toggle_all(group.members.iter().map(|&i| i as usize)),
            None => self.marked.toggle_all(self.view.selected_index().into_iter()),
        }
    }
    fn toggle_mark_visible(&mut self) {
        self.marked.toggle_all(self.view.visible.iter().map(|&i| i as usize));
    }
    fn clear_marks(&mut self) {
        self.marked.clear();
    }
    fn clear(&mut self, ctx: &CellContext) {
        self.rows = Arc::new(Vec::new());
        self.reset_hidden_columns();
        self.marked.clear();
        self.status = RefreshStatus::default();
        PaneState::rebuild(self, ctx);
    }
    fn targets_for(&self, action: &TriageAction, context: &Context) -> Targets {
        let chosen = self.chosen();
        let mut targets: Vec<Target> = Vec::with_capacity(chosen.len());
        let mut warnings = Vec::new();
        // One target per record: two rows are one target only when they are the same record
        // (account, region, product and id), never because their ids alone agree. Looked up by
        // a hash of the four, each hit compared in full: no key is built per target.
        let mut seen: std::collections::HashMap<u64, usize> = std::collections::HashMap::with_capacity(chosen.len());
        // Targets whose hash another record's target already had (64 bits: in practice none).
        let mut collided: Vec<usize> = Vec::new();
        let mut refused = Vec::new();
        for record in chosen {
            // The reason first: a skipped row needs only its label, not a target built.
            if let Some(reason) = record.refusal(action) {
                refused.push((record.label(context), reason));
                continue;
            }
            match record.target_for(action, context) {
                Some(target) => {
                    let hash = target.key_hash();
                    let first = *seen.entry(hash).or_insert(targets.len());
                    let taken = first < targets.len();
                    let repeated = taken
                        && (targets[first].same_record(&target)
                            || collided
                                .iter()
                                .any(|&i| targets[i].key_hash() == hash && targets[i].same_record(&target)));
                    if taken && !repeated {
                        collided.push(targets.len());
                    }
                    if !repeated {
                        if let Some(warning) = record.warning(action) {
                            warnings.push((target.label.clone(), warning));
                        }
                        targets.push(target);
                    }
                }
                None => refused.push((record.copy_text(false), "nothing to act on".into())),
            }
        }
        Targets { targets, refused, warnings }
    }
    fn fix_command(&self) -> Option<String> {
        self.selected().and_then(|r| r.fix_command())
    }
    fn copy_texts(&self, reveal_pii: bool) -> Vec<String> {
        self.chosen().iter().map(|r| r.copy_text(reveal_pii)).collect()
    }
    fn console_url(&self, context: &Context, reveal_pii: bool) -> Option<String> {
        self.selected().and_then(|r| r.console_url(context, reveal_pii))
    }
    fn grouping(&self) -> Option<GroupBy> {
        self.group_by
    }
    fn groupings(&self) -> &'static [GroupBy] {
        T::groupings()
    }
    fn set_grouping(&mut self, by: Option<GroupBy>, ctx: &CellContext) {
        self.group_by = by.filter(|by| T::groupings().contains(by));
        self.regroup(ctx);
    }
    fn toggle_group(&mut self) -> bool {
        self.view.toggle_group()
    }
    fn has_selection(&self) -> bool {
        self.view.selected_index().is_some() || self.view.selected_group().is_some()
    }
    fn selected_key(&self) -> Option<String> {
        // On a group's header: its first record, so a jump back comes to the group.
        self.selected_records().first().map(|r| r.key().into_owned())
    }
    fn select_key(&mut self, key: &str) -> bool {
        self.view.select_key(&self.rows, key)
    }
}

impl<T: Tabular + Scoped + Actionable + Clone> PaneState<T> {
    /// The marked rows (in table order), or the selected row (or group) when none is marked.
    fn chosen(&self) -> Vec<&T> {
        if self.marked.is_empty() {
            return self.selected_records();
        }
        self.marked.indexes().filter_map(|i| self.rows.get(i)).collect()
    }
}
