//! A table's view over its records: the sorted order, the filtered subset, the selection and the
//! scroll position.
//!
//! Costs at 100k rows decide the shape: the search index (lower-cased text per record) and the sort
//! order are built off the UI thread when data arrives ([`TableIndex::build`]); a keystroke in the
//! filter is one pass over the index, and a longer filter only re-checks the rows the shorter one
//! kept.

pub use super::haystacks::Haystacks;
use super::query::{FieldTerm, Query};
use super::{CellContext, Tabular};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The rule for the filter's words (see [`Query`] for its field terms), shared with `vigil snapshot
/// --filter`: every word must appear, case-insensitively, in the record's search text.
pub fn filter_terms(filter: &str) -> Vec<String> {
    filter.to_lowercase().split_whitespace().map(str::to_string).collect()
}

pub fn matches_terms(haystack: &str, terms: &[String]) -> bool {
    terms.iter().all(|t| haystack.contains(t.as_str()))
}

/// The filter's words as searchers built once per keystroke, not once per row: at 100k rows the
/// per-call set-up of `str::contains` was most of a keystroke's cost.
struct Needles(Vec<memchr::memmem::Finder<'static>>);

impl Needles {
    fn new(terms: &[String]) -> Self {
        Self(terms.iter().map(|t| memchr::memmem::Finder::new(t.as_bytes()).into_owned()).collect())
    }

    fn all_in(&self, haystack: &str) -> bool {
        self.0.iter().all(|n| n.find(haystack.as_bytes()).is_some())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortSpec {
    pub column: usize,
    pub descending: bool,
}

/// What a table needs to filter and sort without touching its records again.
#[derive(Debug, Clone, Default)]
pub struct TableIndex {
    /// The sort the order was built for.
    pub sort: Option<SortSpec>,
    pub reveal_pii: bool,
    /// Every record index, in sort order.
    pub order: Vec<u32>,
    /// Lower-cased search text of every record, one after the other (one buffer, not 100k small
    /// strings: a keystroke's scan reads memory in order).
    pub haystacks: Haystacks,
}

/// No partner: a record [`Pairing::walk`] found no counterpart for.
pub const NONE: u32 = u32::MAX;

/// Which records of a refreshed list are those of the list before it, found in one walk.
#[derive(Debug)]
pub struct Pairing {
    /// Per old record, its position in the new list (or [`NONE`]).
    pub new_of_old: Vec<u32>,
    /// Per new record, its position in the old list (or [`NONE`]).
    pub old_of_new: Vec<u32>,
}

impl Pairing {
    /// Sources mostly return records in the same order, with a few inserted, removed or changed:
    /// walks both lists side by side (one `same` each: a pointer comparison for shared records)
    /// and pairs what it meets in order. What it cannot pair (changed, moved) is left to the
    /// caller.
    pub fn walk<T>(old: &[T], new: &[T], same: impl Fn(&T, &T) -> bool) -> Self {
        let mut new_of_old = vec![NONE; old.len()];
        let mut old_of_new = vec![NONE; new.len()];
        let same = |o: usize, j: usize| matches!((old.get(o), new.get(j)), (Some(a), Some(b)) if same(a, b));
        let mut o = 0;
        for (j, old_of_this) in old_of_new.iter_mut().enumerate() {
            let paired = if same(o, j) {
                Some(o)
            } else if same(o + 1, j) {
                // old[o] was removed.
                Some(o + 1)
            } else {
                if same(o + 1, j + 1) {
                    // Changed in place.
                    o += 1;
                }
                // Otherwise inserted: the walk waits at `o` for the next record.
                None
            };
            if let Some(p) = paired {
                new_of_old[p] = j as u32;
                *old_of_this = p as u32;
                o = p + 1;
            }
        }
        Self { new_of_old, old_of_new }
    }
}

impl TableIndex {
    /// The expensive part of showing new data; pure, so it can run on a worker thread.
    pub fn build<T: Tabular>(rows: &[T], ctx: &CellContext, sort: SortSpec) -> Self {
        let mut index = Self {
            sort: Some(sort),
            reveal_pii: ctx.reveal_pii,
            order: (0..rows.len() as u32).collect(),
            haystacks: rows.iter().map(|r| r.search_text(ctx)).collect(),
        };
        index.sort_rows(rows, ctx, sort);
        index
    }

    /// The index of `rows`, a refresh of `old` whose index is `previous`: records that did not
    /// change keep their search text and their place in the order; only the changed ones are
    /// worked out and merged in. A refresh that changed ten findings of 100k costs a hash lookup
    /// and a comparison per record instead of a rebuild. Only for search texts and orders that do
    /// not change with time alone (the findings'), which a reused one could not follow.
    pub fn rebuild_from<T: Tabular + PartialEq>(
        old: &[T],
        previous: &TableIndex,
        rows: &[T],
        ctx: &CellContext,
        sort: SortSpec,
    ) -> Self {
        let usable = previous.sort == Some(sort)
            && previous.reveal_pii == ctx.reveal_pii
            && previous.order.len() == old.len()
            && previous.haystacks.len() == old.len();
        if !usable || old.is_empty() {
            return Self::build(rows, ctx, sort);
        }
        let Pairing { mut new_of_old, old_of_new } = Pairing::walk(old, rows, |a, b| a == b);
        let unmatched_old: std::collections::HashMap<Cow<'_, str>, u32> = if old_of_new.contains(&NONE) {
            old.iter().enumerate().filter(|&(o, _)| new_of_old[o] == NONE).map(|(o, r)| (r.key(), o as u32)).collect()
        } else {
            Default::default()
        };
        let mut haystacks = Haystacks::sharing(&previous.haystacks, rows.len());
        let mut changed = Vec::new();
        for (j, row) in rows.iter().enumerate() {
            let same = match old_of_new[j] {
                NONE => unmatched_old
                    .get(row.key().as_ref())
                    .copied()
                    .filter(|&o| new_of_old[o as usize] == NONE && old[o as usize] == *row),
                o => Some(o),
            };
            match same {
                Some(o) => {
                    haystacks.reuse(&previous.haystacks, o as usize);
                    new_of_old[o as usize] = j as u32;
                }
                None => {
                    haystacks.push(&row.search_text(ctx));
                    changed.push(j as u32);
                }
            }
        }
        let haystacks = haystacks.settled();
        let kept: Vec<u32> = previous.order.iter().map(|&o| new_of_old[o as usize]).filter(|&j| j != NONE).collect();
        let order = merge_into_order(kept, changed, rows, ctx, sort);
        Self { sort: Some(sort), reveal_pii: ctx.reveal_pii, order, haystacks }
    }

    fn sort_rows<T: Tabular>(&mut self, rows: &[T], ctx: &CellContext, sort: SortSpec) {
        self.order.sort_by(|&a, &b| row_order(rows, ctx, sort, a, b));
        self.sort = Some(sort);
    }
}

/// The table order of records `a` and `b` under `sort`; the key breaks ties, so equal rows never
/// swap places between refreshes.
fn row_order<T: Tabular>(rows: &[T], ctx: &CellContext, sort: SortSpec, a: u32, b: u32) -> std::cmp::Ordering {
    let (ra, rb) = (&rows[a as usize], &rows[b as usize]);
    let order = ra.compare(rb, sort.column, ctx).then_with(|| ra.key_cmp(rb));
    if sort.descending { order.reverse() } else { order }
}

/// `sorted` (already in table order) with `added` sorted and merged in: each added record finds
/// its place by binary search and the runs between are copied whole, so ten changes in 100k rows
/// cost a few hundred comparisons, not 100k.
fn merge_into_order<T: Tabular>(
    sorted: Vec<u32>,
    mut added: Vec<u32>,
    rows: &[T],
    ctx: &CellContext,
    sort: SortSpec,
) -> Vec<u32> {
    if added.is_empty() {
        return sorted;
    }
    let cmp = |a: u32, b: u32| row_order(rows, ctx, sort, a, b);
    added.sort_by(|&a, &b| cmp(a, b));
    let mut merged = Vec::with_capacity(sorted.len() + added.len());
    let mut rest = sorted.as_slice();
    for &record in &added {
        let before = rest.partition_point(|&shown| cmp(shown, record).is_le());
        merged.extend_from_slice(&rest[..before]);
        merged.push(record);
        rest = &rest[before..];
    }
    merged.extend_from_slice(rest);
    merged
}

#[derive(Debug, Clone)]
pub struct TableView {
    pub filter: String,
    pub sort: SortSpec,
    /// Shared with a refresh in flight (see [`TableIndex::rebuild_from`]).
    index: Arc<TableIndex>,
    /// Per record: inside the pane's scope (e.g. open findings only) before any filter.
    in_scope: Vec<bool>,
    scoped_total: usize,
    /// The rows on screen after the filter, in sort order.
    pub visible: Vec<u32>,
    /// The filter's words (see [`Query`]), joined by one space.
    words: String,
    /// The filter's field terms, and per record whether it passes them (empty without terms).
    fields: Vec<FieldTerm>,
    passes_fields: Vec<bool>,
    /// Field-shaped words of the filter that name no field of this table.
    pub unknown_fields: Vec<String>,
    /// The words `visible` was computed for, so a longer filter can refine it.
    applied_filter: String,
    pub selected: usize,
    pub offset: usize,
    generation: u64,
    /// The rows folded into groups (`:group`), when they are.
    groups: Option<Groups>,
}

/// One line of a grouped table: a group's header or one of its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    Group(u32),
    Record(u32),
}

/// A group as the table shows it: the records of it the filter keeps, in sort order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupHeader {
    pub label: String,
    pub members: Vec<u32>,
    pub expanded: bool,
    /// Members per severity (`SeverityLabel as usize`), for records that have one.
    pub severities: crate::model::SeverityCounts,
}

/// Which group each record is in (worked out when records arrive) and the lines the visible
/// records fold into (worked out whenever they change, a pass over them).
#[derive(Debug, Clone, Default)]
struct Groups {
    labels: Vec<String>,
    of_record: Vec<u32>,
    /// Per record, its severity (`SeverityLabel as usize`), or [`NO_SEVERITY`].
    severity_of: Vec<u8>,
    /// By label, so a group stays open across refreshes.
    expanded: HashSet<String>,
    headers: Vec<GroupHeader>,
    lines: Vec<Line>,
}

/// What the selection is on, found again after the rows change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    Record(String),
    Group(String),
}

impl TableView {
    pub fn new(sort: SortSpec) -> Self {
        Self {
            filter: String::new(),
            sort,
            index: Arc::default(),
            in_scope: Vec::new(),
            scoped_total: 0,
            visible: Vec::new(),
            words: String::new(),
            fields: Vec::new(),
            passes_fields: Vec::new(),
            unknown_fields: Vec::new(),
            applied_filter: String::new(),
            selected: 0,
            offset: 0,
            generation: 0,
            groups: None,
        }
    }

    /// Rebuilds everything on this thread (small tables, or a change of what cells show).
    pub fn rebuild<T: Tabular>(&mut self, rows: &[T], ctx: &CellContext, admit: impl Fn(&T) -> bool) {
        let index = TableIndex::build(rows, ctx, self.sort);
        self.install(rows, index, ctx, admit);
    }

    /// Works out which records pass the filter's field terms (records from `from` on; the
    /// others keep their answer).
    fn check_fields<T: Tabular>(&mut self, rows: &[T], from: usize, ctx: &CellContext) {
        if self.fields.is_empty() {
            self.passes_fields.clear();
            return;
        }
        self.passes_fields.truncate(from);
        let fields = &self.fields;
        self.passes_fields
            .extend(rows[from.min(rows.len())..].iter().map(|r| fields.iter().all(|f| f.matches(r, ctx))));
    }

    /// Takes a prebuilt index for `rows` (built for another sort, it is re-sorted here).
    pub fn install<T: Tabular>(
        &mut self,
        rows: &[T],
        mut index: TableIndex,
        ctx: &CellContext,
        admit: impl Fn(&T) -> bool,
    ) {
        let anchor = self.anchor(rows);
        if index.order.len() != rows.len() || index.haystacks.len() != rows.len() || index.reveal_pii != ctx.reveal_pii
        {
            index = TableIndex::build(rows, ctx, self.sort);
        } else if index.sort != Some(self.sort) {
            index.sort_rows(rows, ctx, self.sort);
        }
        self.index = Arc::new(index);
        self.check_fields(rows, 0, ctx);
        self.rescope(rows, admit);
        self.reselect(rows, anchor.as_ref());
    }

    /// Takes rows appended to `rows` (those from `first_new` on) while a first load streams in: the
    /// new rows are merged into the sort order where they belong, and the selection stays on its
    /// record. Costs the new rows plus one pass over the order.
    pub fn append<T: Tabular>(&mut self, rows: &[T], first_new: usize, ctx: &CellContext, admit: impl Fn(&T) -> bool) {
        let consistent = self.index.order.len() == first_new
            && self.index.haystacks.len() == first_new
            && self.in_scope.len() == first_new
            && self.index.reveal_pii == ctx.reveal_pii
            && self.index.sort == Some(self.sort);
        if !consistent {
            self.rebuild(rows, ctx, admit);
            return;
        }
        // At the top, the selection stays at the top (the most important rows, as they arrive);
        // moved by the user, it stays on its record.
        let at_top = self.selected == 0 && self.offset == 0;
        let anchor = if at_top { None } else { self.anchor(rows) };
        let fresh = &rows[first_new..];
        self.check_fields(rows, first_new, ctx);
        let index = Arc::make_mut(&mut self.index);
        index.haystacks.extend(fresh.iter().map(|r| r.search_text(ctx)));
        self.in_scope.extend(fresh.iter().map(&admit));
        self.scoped_total += fresh.iter().filter(|r| admit(r)).count();
        let old = std::mem::take(&mut index.order);
        let added = (first_new as u32..rows.len() as u32).collect();
        let merged = merge_into_order(old, added, rows, ctx, self.sort);
        index.order = merged;
        self.apply_filter(true);
        if at_top {
            self.selected = 0;
        } else {
            self.reselect(rows, anchor.as_ref());
        }
    }

    /// Re-applies the pane's scope (after "show all" is toggled).
    pub fn rescope<T: Tabular>(&mut self, rows: &[T], admit: impl Fn(&T) -> bool) {
        let anchor = self.anchor(rows);
        self.in_scope = rows.iter().map(admit).collect();
        self.scoped_total = self.in_scope.iter().filter(|&&s| s).count();
        self.apply_filter(true);
        self.reselect(rows, anchor.as_ref());
    }

    pub fn set_sort<T: Tabular>(&mut self, rows: &[T], ctx: &CellContext, sort: SortSpec) {
        let anchor = self.anchor(rows);
        self.sort = sort;
        Arc::make_mut(&mut self.index).sort_rows(rows, ctx, sort);
        self.apply_filter(true);
        self.reselect(rows, anchor.as_ref());
    }

    pub fn set_filter<T: Tabular>(&mut self, rows: &[T], ctx: &CellContext, filter: &str) {
        let anchor = self.anchor(rows);
        self.filter = filter.to_string();
        let query = Query::parse::<T>(filter);
        self.words = query.words.join(" ");
        self.unknown_fields = query.unknown_fields;
        let fields_changed = query.fields != self.fields;
        if fields_changed {
            self.fields = query.fields;
            self.check_fields(rows, 0, ctx);
        }
        self.apply_filter(fields_changed);
        self.reselect(rows, anchor.as_ref());
    }

    /// Whether the filter has field terms (`sev:crit`).
    pub fn has_field_terms(&self) -> bool {
        !self.fields.is_empty()
    }

    fn apply_filter(&mut self, from_scratch: bool) {
        let filter = self.words.clone();
        let terms = filter_terms(&filter);
        let (passes_fields, no_fields) = (&self.passes_fields, self.fields.is_empty());
        let fields_ok = |i: usize| no_fields || passes_fields.get(i).copied().unwrap_or(false);
        // Typing one more character can only narrow the result: re-check the rows already kept.
        let refine = !from_scratch && !self.applied_filter.is_empty() && filter.starts_with(&self.applied_filter);
        let haystacks = &self.index.haystacks;
        let in_scope = &self.in_scope;
        let needles = Needles::new(&terms);
        self.visible = if terms.is_empty() {
            let keep = |&i: &u32| in_scope.get(i as usize).copied().unwrap_or(false) && fields_ok(i as usize);
            self.index.order.iter().copied().filter(keep).collect()
        } else if refine {
            // Few rows left to check: each is searched on its own.
            let keep = |&i: &u32| {
                in_scope.get(i as usize).copied().unwrap_or(false)
                    && fields_ok(i as usize)
                    && needles.all_in(haystacks.get(i as usize))
            };
            self.visible.iter().copied().filter(keep).collect()
        } else {
            // Every record: the first word scans the whole buffer once, the others only check
            // the records the first one found.
            let first = needles.0.first().map(|n| haystacks.containing(n));
            let rest = Needles(needles.0.iter().skip(1).cloned().collect());
            let keep = |&i: &u32| {
                let i = i as usize;
                in_scope.get(i).copied().unwrap_or(false)
                    && fields_ok(i)
                    && first.as_ref().is_none_or(|hit| hit.get(i).copied().unwrap_or(false))
                    && rest.all_in(haystacks.get(i))
            };
            self.index.order.iter().copied().filter(keep).collect()
        };
        self.applied_filter = filter;
        self.generation = self.generation.wrapping_add(1);
        self.lay_out_groups();
    }

    /// Folds the rows into groups by `label` (records with the same label in one group), or
    /// keeps them folded after new records arrived. Open groups stay open.
    pub fn group_records<T: Tabular>(&mut self, rows: &[T], label: impl Fn(&T) -> String) {
        let anchor = self.anchor(rows);
        let expanded = self.groups.take().map(|g| g.expanded).unwrap_or_default();
        let mut groups = Groups { expanded, ..Groups::default() };
        groups.assign(rows, 0, label);
        self.groups = Some(groups);
        self.lay_out_groups();
        self.reselect(rows, anchor.as_ref());
    }

    /// Puts records appended from `first_new` on into their groups (a first load streaming in):
    /// the records before keep theirs.
    pub fn group_more<T: Tabular>(&mut self, rows: &[T], first_new: usize, label: impl Fn(&T) -> String) {
        let consistent = self.groups.as_ref().is_some_and(|g| g.of_record.len() == first_new);
        if !consistent {
            self.group_records(rows, label);
            return;
        }
        let anchor = self.anchor(rows);
        if let Some(groups) = self.groups.as_mut() {
            groups.assign(rows, first_new, label);
        }
        self.lay_out_groups();
        self.reselect(rows, anchor.as_ref());
    }

    /// The flat list again.
    pub fn ungroup<T: Tabular>(&mut self, rows: &[T]) {
        // A group's header selected: its first record, in the flat list.
        let first = self.selected_group().and_then(|g| g.members.first()).and_then(|&i| rows.get(i as usize));
        let anchor = first.map(|r| Anchor::Record(r.key().into_owned())).or_else(|| self.anchor(rows));
        self.groups = None;
        self.reselect(rows, anchor.as_ref());
    }

    pub fn is_grouped(&self) -> bool {
        self.groups.is_some()
    }

    /// The lines on screen when the rows are grouped.
    pub fn lines(&self) -> Option<&[Line]> {
        self.groups.as_ref().map(|g| g.lines.as_slice())
    }

    pub fn group_headers(&self) -> &[GroupHeader] {
        self.groups.as_ref().map(|g| g.headers.as_slice()).unwrap_or_default()
    }

    /// The group whose header is selected.
    pub fn selected_group(&self) -> Option<&GroupHeader> {
        let groups = self.groups.as_ref()?;
        match groups.lines.get(self.selected)? {
            Line::Group(g) => groups.headers.get(*g as usize),
            Line::Record(_) => None,
        }
    }

    /// Opens or closes the selected group; false when the selection is not on a group's header.
    pub fn toggle_group(&mut self) -> bool {
        let Some(label) = self.selected_group().map(|g| g.label.clone()) else { return false };
        if let Some(groups) = self.groups.as_mut()
            && !groups.expanded.remove(&label)
        {
            groups.expanded.insert(label);
        }
        // Lines before the header do not change: the selection stays on it.
        self.lay_out_groups();
        true
    }

    /// Selects the record whose key is `key` (opening its group); false when the filter or the
    /// scope hides it.
    pub fn select_key<T: Tabular>(&mut self, rows: &[T], key: &str) -> bool {
        let Some(record) = self.visible.iter().copied().find(|&i| rows.get(i as usize).is_some_and(|r| r.has_key(key)))
        else {
            return false;
        };
        if let Some(groups) = self.groups.as_mut()
            && let Some(label) = groups.of_record.get(record as usize).and_then(|&g| groups.labels.get(g as usize))
        {
            groups.expanded.insert(label.clone());
            self.lay_out_groups();
        }
        self.reselect(rows, Some(&Anchor::Record(key.to_string())));
        true
    }

    /// Opens every group, or closes them all when all are open.
    pub fn toggle_all_groups<T: Tabular>(&mut self, rows: &[T]) {
        let anchor = self.anchor(rows);
        let Some(groups) = self.groups.as_mut() else { return };
        if groups.headers.iter().all(|h| h.expanded) {
            groups.expanded.clear();
        } else {
            groups.expanded.extend(groups.headers.iter().map(|h| h.label.clone()));
        }
        self.lay_out_groups();
        self.reselect(rows, anchor.as_ref());
    }

    fn lay_out_groups(&mut self) {
        let Some(groups) = self.groups.as_mut() else { return };
        let mut header_of: Vec<u32> = vec![u32::MAX; groups.labels.len()];
        let mut headers: Vec<GroupHeader> = Vec::new();
        for &record in &self.visible {
            // A record that arrived after the groups were worked out waits for the next pass.
            let Some(&group) = groups.of_record.get(record as usize) else { continue };
            let slot = &mut header_of[group as usize];
            if *slot == u32::MAX {
                *slot = headers.len() as u32;
                let label = groups.labels[group as usize].clone();
                let expanded = groups.expanded.contains(&label);
                headers.push(GroupHeader { label, members: Vec::new(), expanded, severities: Default::default() });
            }
            let header = &mut headers[*slot as usize];
            header.members.push(record);
            if let Some(severity) =
                groups.severity_of.get(record as usize).and_then(|&s| crate::model::SeverityLabel::from_index(s))
            {
                header.severities[severity] += 1;
            }
        }
        let mut lines = Vec::with_capacity(headers.len());
        for (g, header) in headers.iter().enumerate() {
            lines.push(Line::Group(g as u32));
            if header.expanded {
                lines.extend(header.members.iter().map(|&r| Line::Record(r)));
            }
        }
        groups.headers = headers;
        groups.lines = lines;
    }

    /// The index, for a refresh to build the next one from (cheap: shared, not copied).
    pub fn shared_index(&self) -> Arc<TableIndex> {
        Arc::clone(&self.index)
    }

    /// Changes whenever the rows on screen (`visible`) are recomputed: what a pane derives from them
    /// (severity counts) is recomputed only then, not on every frame.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// What the selection is on in `rows` (the rows the view was built for): taken before the rows
    /// are replaced, since the view's positions mean nothing in the new ones.
    pub fn anchor<T: Tabular>(&self, rows: &[T]) -> Option<Anchor> {
        if let Some(group) = self.selected_group() {
            return Some(Anchor::Group(group.label.clone()));
        }
        self.selected_index().and_then(|i| rows.get(i)).map(|r| Anchor::Record(r.key().into_owned()))
    }

    /// Forgets which group each record is in (the rows are about to be replaced); the groups
    /// opened stay open. [`TableView::group_records`] works them out again.
    pub fn forget_group_members(&mut self) {
        if let Some(groups) = self.groups.as_mut() {
            groups.labels.clear();
            groups.of_record.clear();
            groups.severity_of.clear();
            groups.headers.clear();
            groups.lines.clear();
        }
    }

    /// Selects what `anchor` names again, in `rows` as now shown.
    pub fn reselect<T: Tabular>(&mut self, rows: &[T], anchor: Option<&Anchor>) {
        let has_key = |i: u32, key: &str| rows.get(i as usize).is_some_and(|r| r.has_key(key));
        let found = match (&self.groups, anchor) {
            (_, None) => None,
            (None, Some(Anchor::Record(key))) => self.visible.iter().position(|&i| has_key(i, key)),
            (None, Some(Anchor::Group(_))) => None,
            (Some(groups), Some(Anchor::Record(key))) => {
                // In a closed group, the record's group is selected.
                groups.lines.iter().position(|l| matches!(l, Line::Record(i) if has_key(*i, key))).or_else(|| {
                    let record = self.visible.iter().copied().find(|&i| has_key(i, key))?;
                    let group = groups.of_record.get(record as usize)?;
                    header_line(groups, groups.labels.get(*group as usize)?)
                })
            }
            (Some(groups), Some(Anchor::Group(label))) => header_line(groups, label),
        };
        match found {
            Some(pos) => self.selected = pos,
            None => self.selected = self.selected.min(self.len().saturating_sub(1)),
        }
    }

    /// The record selected; none when the selection is on a group's header.
    pub fn selected_index(&self) -> Option<usize> {
        match &self.groups {
            Some(groups) => match groups.lines.get(self.selected)? {
                Line::Record(i) => Some(*i as usize),
                Line::Group(_) => None,
            },
            None => self.visible.get(self.selected).map(|&i| i as usize),
        }
    }

    /// The lines on screen: records, or group headers and the records of open groups.
    pub fn len(&self) -> usize {
        match &self.groups {
            Some(groups) => groups.lines.len(),
            None => self.visible.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.visible.is_empty()
    }

    /// Records in scope before filtering.
    pub fn total(&self) -> usize {
        self.scoped_total
    }

    /// Moves the selection by `delta` rows, clamped to the table.
    pub fn move_by(&mut self, delta: isize) {
        let Some(last) = self.len().checked_sub(1) else {
            self.selected = 0;
            return;
        };
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// Scrolls as little as possible to keep the selection within a viewport of `height` rows.
    pub fn scroll_to_selection(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        let max_offset = self.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }
}

/// A record without a severity, in [`Groups::severity_of`].
const NO_SEVERITY: u8 = u8::MAX;

impl Groups {
    /// Works out the group (and severity) of the records from `from` on.
    fn assign<T: Tabular>(&mut self, rows: &[T], from: usize, label: impl Fn(&T) -> String) {
        let mut position: HashMap<String, u32> =
            self.labels.iter().enumerate().map(|(i, l)| (l.clone(), i as u32)).collect();
        self.of_record.truncate(from);
        self.severity_of.truncate(from);
        for record in rows.get(from..).unwrap_or_default() {
            let text = label(record);
            let group = *position.entry(text).or_insert_with_key(|text| {
                self.labels.push(text.clone());
                self.labels.len() as u32 - 1
            });
            self.of_record.push(group);
            self.severity_of.push(record.severity().map_or(NO_SEVERITY, |s| s as u8));
        }
    }
}

fn header_line(groups: &Groups, label: &str) -> Option<usize> {
    let g = groups.headers.iter().position(|h| h.label == label)?;
    groups.lines.iter().position(|l| *l == Line::Group(g as u32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::{Column, Width};
    use chrono::Utc;

    #[derive(Debug, PartialEq)]
    struct Row(&'static str, u32);

    const COLUMNS: &[Column] = &[Column::new("Name", Width::Flexible(5), 0), Column::new("N", Width::Fixed(3), 0)];

    impl Tabular for Row {
        fn columns() -> &'static [Column] {
            COLUMNS
        }
        fn key(&self) -> Cow<'_, str> {
            Cow::Borrowed(self.0)
        }
        fn cell(&self, column: usize, _ctx: &CellContext) -> Cow<'_, str> {
            if column == 0 { Cow::Borrowed(self.0) } else { Cow::Owned(self.1.to_string()) }
        }
        fn compare(&self, other: &Self, column: usize, ctx: &CellContext) -> std::cmp::Ordering {
            if column == 1 { self.1.cmp(&other.1) } else { self.cell(0, ctx).cmp(&other.cell(0, ctx)) }
        }
        fn detail(&self, _ctx: &CellContext) -> Vec<(String, String)> {
            vec![]
        }
        fn record_json(&self, _ctx: &CellContext) -> serde_json::Value {
            serde_json::Value::Null
        }
    }

    fn ctx() -> CellContext<'static> {
        CellContext::plain(Utc::now())
    }

    fn names(view: &TableView, rows: &[Row]) -> Vec<&'static str> {
        view.visible.iter().map(|&i| rows[i as usize].0).collect()
    }

    #[test]
    fn refining_and_widening_the_filter_give_the_same_rows_as_from_scratch() {
        let rows = vec![Row("alpha", 3), Row("alps", 1), Row("beta", 2), Row("alpine", 5)];
        let mut view = TableView::new(SortSpec { column: 1, descending: false });
        view.rebuild(&rows, &ctx(), |_| true);
        assert_eq!(names(&view, &rows), vec!["alps", "beta", "alpha", "alpine"]);
        view.set_filter(&rows, &ctx(), "al");
        view.set_filter(&rows, &ctx(), "alp");
        view.set_filter(&rows, &ctx(), "alph");
        assert_eq!(names(&view, &rows), vec!["alpha"]);
        view.set_filter(&rows, &ctx(), "alp");
        assert_eq!(names(&view, &rows), vec!["alps", "alpha", "alpine"], "backspace widens again");
        view.set_filter(&rows, &ctx(), "alp 5");
        assert_eq!(names(&view, &rows), vec!["alpine"], "every word must match");
    }

    #[test]
    fn an_index_built_for_another_sort_is_resorted_and_scope_applies() {
        let rows = vec![Row("a", 3), Row("b", 1), Row("c", 2)];
        let index = TableIndex::build(&rows, &ctx(), SortSpec { column: 0, descending: true });
        let mut view = TableView::new(SortSpec { column: 1, descending: false });
        view.install(&rows, index, &ctx(), |r| r.1 != 2);
        assert_eq!(names(&view, &rows), vec!["b", "a"]);
        assert_eq!(view.total(), 2);
    }

    #[test]
    fn an_index_rebuilt_from_the_last_one_equals_a_fresh_build() {
        let sort = SortSpec { column: 1, descending: true };
        let old = vec![Row("a", 5), Row("b", 3), Row("c", 9), Row("d", 1), Row("e", 3)];
        let previous = TableIndex::build(&old, &ctx(), sort);
        // b changed, d left, f and g arrived, e moved in the list, a duplicate key appears.
        let rows = vec![Row("e", 3), Row("a", 5), Row("b", 8), Row("f", 4), Row("c", 9), Row("g", 0), Row("a", 5)];
        let reused = TableIndex::rebuild_from(&old, &previous, &rows, &ctx(), sort);
        let fresh = TableIndex::build(&rows, &ctx(), sort);
        assert_eq!(reused.order, fresh.order);
        for i in 0..rows.len() {
            assert_eq!(reused.haystacks.get(i), fresh.haystacks.get(i), "record {i}");
        }
        let other_sort =
            TableIndex::rebuild_from(&old, &previous, &rows, &ctx(), SortSpec { column: 0, descending: false });
        assert_eq!(other_sort.order, TableIndex::build(&rows, &ctx(), SortSpec { column: 0, descending: false }).order);
    }

    #[test]
    fn an_index_rebuilt_after_any_edits_equals_a_fresh_build() {
        // A small deterministic generator: every run checks the same 400 edit scripts.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |below: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % below
        };
        let key = |i: u64| -> &'static str { Box::leak(format!("k{i:03}").into_boxed_str()) };
        let sort = SortSpec { column: 1, descending: false };
        for case in 0..200 {
            let len = next(40);
            let mut old: Vec<Row> = (0..len).map(|i| Row(key(i * 2), next(10) as u32)).collect();
            let mut previous = TableIndex::build(&old, &ctx(), sort);
            // Rounds of edits, each index rebuilt from the last rebuilt one (its chunks shared).
            for round in 0..12 {
                let mut rows: Vec<Row> = old.iter().map(|k| Row(k.0, k.1)).collect();
                for _ in 0..next(6) {
                    let at = next(rows.len() as u64 + 1) as usize;
                    match next(5) {
                        0 if at < rows.len() => drop(rows.remove(at)),
                        1 => rows.insert(at, Row(key(next(100) * 2 + 1), next(10) as u32)),
                        2 if at < rows.len() => rows[at].1 = next(10) as u32,
                        3 if at + 1 < rows.len() => rows.swap(at, at + 1),
                        4 if at < rows.len() => rows.insert(at, Row(rows[at].0, next(10) as u32)),
                        _ => {}
                    }
                }
                let reused = TableIndex::rebuild_from(&old, &previous, &rows, &ctx(), sort);
                let fresh = TableIndex::build(&rows, &ctx(), sort);
                let at = format!("case {case} round {round}: {old:?} -> {rows:?}");
                // Identical records (a duplicate key with the same value) may trade places.
                let shown =
                    |order: &[u32]| order.iter().map(|&i| (rows[i as usize].0, rows[i as usize].1)).collect::<Vec<_>>();
                assert_eq!(shown(&reused.order), shown(&fresh.order), "{at}");
                for i in 0..rows.len() {
                    assert_eq!(reused.haystacks.get(i), fresh.haystacks.get(i), "{at}, record {i}");
                    assert_eq!(reused.haystacks.alphanumerics(i), fresh.haystacks.alphanumerics(i), "{at}");
                }
                for word in ["k0", "k01", "1", "\u{1f}"] {
                    let finder = memchr::memmem::Finder::new(word.as_bytes());
                    assert_eq!(
                        reused.haystacks.containing(&finder),
                        fresh.haystacks.containing(&finder),
                        "{at}: {word}"
                    );
                }
                (old, previous) = (rows, reused);
            }
        }
    }

    #[test]
    fn appended_rows_merge_into_the_order_as_a_full_build_would_place_them() {
        let mut rows = vec![Row("d", 4), Row("b", 2)];
        let mut view = TableView::new(SortSpec { column: 1, descending: false });
        view.rebuild(&rows, &ctx(), |r| r.1 != 5);
        view.move_by(1);
        for chunk in [vec![Row("a", 1), Row("e", 5)], vec![Row("c", 3), Row("f", 6)]] {
            let first_new = rows.len();
            rows.extend(chunk);
            view.append(&rows, first_new, &ctx(), |r| r.1 != 5);
        }
        assert_eq!(names(&view, &rows), vec!["a", "b", "c", "d", "f"]);
        assert_eq!(view.total(), 5);
        assert_eq!(view.selected_index().map(|i| rows[i].0), Some("d"), "the selection stays on its record");
        let mut full = TableView::new(SortSpec { column: 1, descending: false });
        full.rebuild(&rows, &ctx(), |r| r.1 != 5);
        assert_eq!(full.visible, view.visible);
    }

    #[test]
    fn grouped_rows_fold_under_headers_open_on_demand_and_keep_the_selection() {
        let rows = vec![Row("a1", 3), Row("b1", 1), Row("a2", 2), Row("c1", 9)];
        let mut view = TableView::new(SortSpec { column: 1, descending: false });
        view.rebuild(&rows, &ctx(), |_| true);
        view.group_records(&rows, |r| r.0[..1].to_string());
        let labels = |v: &TableView| v.group_headers().iter().map(|h| h.label.clone()).collect::<Vec<_>>();
        assert_eq!(labels(&view), ["b", "a", "c"], "groups in the order of their first row");
        assert_eq!(view.len(), 3, "closed groups show their headers only");
        assert_eq!(view.selected_index(), None);
        view.move_by(1);
        assert!(view.toggle_group());
        assert_eq!(
            view.lines().unwrap(),
            [Line::Group(0), Line::Group(1), Line::Record(2), Line::Record(0), Line::Group(2)]
        );
        assert_eq!(view.group_headers()[1].members, [2, 0]);
        view.move_by(2);
        assert_eq!(view.selected_index(), Some(0), "a1");
        // The filter narrows the groups; the selection follows its record.
        view.set_filter(&rows, &ctx(), "a");
        assert_eq!(labels(&view), ["a"]);
        assert_eq!(view.selected_index(), Some(0));
        view.set_filter(&rows, &ctx(), "");
        assert_eq!(view.selected_index(), Some(0));
        // New data keeps the open group open; a record in a closed group selects its header.
        view.move_by(-2);
        assert_eq!(view.selected_group().map(|g| g.label.as_str()), Some("a"));
        assert!(view.toggle_group());
        view.group_records(&rows, |r| r.0[..1].to_string());
        assert_eq!(view.len(), 3);
        assert_eq!(view.selected_group().map(|g| g.label.as_str()), Some("a"));
        view.toggle_all_groups(&rows);
        assert_eq!(view.len(), 7);
        view.move_by(1);
        assert_eq!(view.selected_index(), Some(2), "a2");
        view.toggle_all_groups(&rows);
        assert_eq!(view.selected_group().map(|g| g.label.as_str()), Some("a"));
        view.ungroup(&rows);
        assert_eq!(view.selected_index(), Some(2), "the flat list selects the group's first row");
        assert_eq!(view.len(), 4);
    }

    #[test]
    fn selection_stays_on_its_record_when_the_sort_changes() {
        let rows = vec![Row("a", 3), Row("b", 1), Row("c", 2)];
        let mut view = TableView::new(SortSpec { column: 0, descending: false });
        view.rebuild(&rows, &ctx(), |_| true);
        view.move_by(2);
        view.set_sort(&rows, &ctx(), SortSpec { column: 1, descending: false });
        assert_eq!(view.selected_index().map(|i| rows[i].0), Some("c"));
    }
}
