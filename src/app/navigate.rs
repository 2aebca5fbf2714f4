//! Moving around: panes, rows, pages, the filter, sorts and groups, the cross-pane lists and the
//! jumps between records.

use super::layout;
use super::{App, Effect, MessageLevel, Mode, listing};
use crate::action::Action;
use crate::keymap::KeyContext;
use crate::pane::PaneId;
use crate::view::GroupBy;
use crate::view::table::SortSpec;
use std::sync::Arc;

impl App {
    pub(super) fn show_pane(&mut self, pane: PaneId) {
        self.modes.board = false;
        self.current = pane;
        self.modes.mode = Mode::Normal;
        self.keep_selection_visible();
    }

    pub(super) fn page(&self) -> isize {
        match self.modes.mode {
            Mode::Detail { .. } => self.screen.1.saturating_sub(6).max(1) as isize,
            _ => self.table_rows().saturating_sub(1).max(1) as isize,
        }
    }

    pub(super) fn move_by(&mut self, delta: isize) {
        if self.modes.mode == Mode::Help {
            let lines = self.keymap.bindings().len()
                + self.panes.menu(self.current).len()
                + crate::command::commands().len()
                + crate::model::priority::Reason::ALL.len()
                + 10;
            self.modes.detail_scroll = self.modes.detail_scroll.saturating_add_signed(delta).min(lines);
            return;
        }
        if self.modes.mode == Mode::Listing {
            if let Some(listing) = self.modes.listing.as_mut() {
                listing.move_by(delta);
            }
            return;
        }
        if let Mode::Detail { raw } = self.modes.mode {
            // The last scroll position shows the last line at the bottom of the overlay.
            let lines = self.detail_line_count(raw);
            let visible = layout::detail_text_height(self.screen.1);
            self.modes.detail_scroll =
                self.modes.detail_scroll.saturating_add_signed(delta).min(lines.saturating_sub(visible));
            return;
        }
        self.pane_mut(self.current).view_mut().move_by(delta);
        self.keep_selection_visible();
    }

    /// Lines of the detail view as drawn (wrapped at the overlay's width), for the scroll range.
    pub(super) fn detail_line_count(&self, raw: bool) -> usize {
        let names = Arc::clone(&self.session.info.account_names);
        let ctx = self.cell_context_for(&names);
        let pane = self.pane(self.current);
        let width = layout::detail_text_width(self.screen.0);
        let lines = if raw {
            self.raw_view(&ctx).map(|(v, _)| crate::text::json_layout(&v, width).len())
        } else {
            pane.detail(&ctx).map(|d| crate::text::field_layout(&d, width).1.len())
        };
        lines.unwrap_or(0)
    }

    pub(super) fn keep_selection_visible(&mut self) {
        let height = self.table_rows();
        self.pane_mut(self.current).view_mut().scroll_to_selection(height);
    }

    /// Shows a `[views.NAME]` view: its pane, scope, sort, grouping and filter. Without a name, or
    /// with one the config does not have, says which there are.
    pub(super) fn apply_view(&mut self, name: &str) -> Vec<Effect> {
        let Some(view) = self.views.iter().find(|v| v.name == name).cloned() else {
            let names: Vec<&str> = self.views.iter().map(|v| v.name.as_str()).collect();
            let text = match (name, names.is_empty()) {
                (_, true) => "no views: add [views.NAME] tables to the config (docs/user-guide.md, Saved views)".into(),
                ("", false) => format!("views: {}", names.join(", ")),
                (_, false) => format!("no view '{name}'; views: {}", names.join(", ")),
            };
            let level = if name.is_empty() { MessageLevel::Info } else { MessageLevel::Error };
            self.modes.message = Some((level, text));
            return Vec::new();
        };
        let mut effects = self.update(Action::ShowPane(view.pane));
        if self.current != view.pane {
            // The pane could not be shown (a narrower build, the board): nothing else applies.
            return effects;
        }
        if let Some(all) = view.all
            && self.pane(view.pane).show_all() != all
        {
            effects.extend(self.update(Action::ToggleScope));
        }
        if let Some(sort) = view.sort {
            let names = Arc::clone(&self.session.info.account_names);
            let ctx = self.cell_context_for(&names);
            self.pane_mut(view.pane).set_sort(sort, &ctx);
        }
        self.pane_mut(view.pane).choose_columns(view.columns.clone());
        if !self.pane(view.pane).groupings().is_empty() {
            self.group(view.group);
        }
        self.set_filter(view.filter.clone());
        effects.extend(self.update(Action::First));
        let filter = if view.filter.is_empty() { String::new() } else { format!(": {}", view.filter) };
        self.modes.message = Some((MessageLevel::Info, format!("view {}{filter}", view.name)));
        effects
    }

    /// `:columns`: lists the pane's columns, shows only those named (by field name or a unique
    /// prefix), or all of them again.
    pub(super) fn choose_columns(&mut self, words: &str) {
        let pane = self.pane(self.current);
        let names: Vec<String> =
            pane.columns().iter().map(|c| crate::view::query::column_field_name(c.title)).collect();
        let shown = |chosen: Option<&[usize]>| {
            let marked: Vec<String> = names
                .iter()
                .enumerate()
                .map(|(i, n)| if chosen.is_none_or(|c| c.contains(&i)) { format!("{n}*") } else { n.clone() })
                .collect();
            marked.join(" ")
        };
        let text = match words.trim() {
            "" => format!("columns (* shown): {}; :columns NAME… chooses, :columns all", shown(pane.chosen_columns())),
            "all" | "reset" => {
                self.pane_mut(self.current).choose_columns(None);
                "every column, as the width allows".to_string()
            }
            list => {
                let mut chosen = Vec::new();
                for word in list.split([' ', ',']).filter(|w| !w.is_empty()) {
                    let word = word.to_lowercase();
                    let exact = names.iter().position(|n| *n == word);
                    let prefixed: Vec<usize> = (0..names.len()).filter(|&i| names[i].starts_with(&word)).collect();
                    match (exact, prefixed.as_slice()) {
                        (Some(i), _) | (None, &[i]) => chosen.push(i),
                        _ => {
                            self.modes.message = Some((
                                MessageLevel::Error,
                                format!("no column '{word}' here (or several start so): {}", names.join(" ")),
                            ));
                            return;
                        }
                    }
                }
                chosen.sort_unstable();
                chosen.dedup();
                self.pane_mut(self.current).choose_columns(Some(chosen.clone()));
                format!("columns: {}", shown(Some(&chosen)))
            }
        };
        self.modes.message = Some((MessageLevel::Info, text));
    }

    pub(super) fn set_filter(&mut self, filter: String) {
        let names = Arc::clone(&self.session.info.account_names);
        let ctx = self.cell_context_for(&names);
        self.pane_mut(self.current).set_filter(&filter, &ctx);
        self.keep_selection_visible();
    }

    /// The selected record of the current pane, as a jump would come back to it.
    pub(super) fn anchor(&self) -> Option<listing::Jump> {
        let key = self.pane(self.current).selected_key()?;
        Some(listing::Jump { pane: self.current, key })
    }

    pub(super) fn open_listing(&mut self, kind: listing::ListingKind) {
        self.modes.listing = Some(self.build_listing(kind, None));
        self.modes.mode = Mode::Listing;
    }

    /// The listing of `kind` over the data on screen; `previous` keeps its selection.
    pub(super) fn build_listing(
        &mut self,
        kind: listing::ListingKind,
        previous: Option<listing::Listing>,
    ) -> listing::Listing {
        let ctx = self.cell_context();
        let mut subject = None;
        let mut fresh = match &kind {
            listing::ListingKind::Radar => listing::radar_listing(self.panes.due(self.now), &ctx),
            listing::ListingKind::Related(anchor) => {
                let (listing, about) = listing::related_listing(anchor, &self.panes, &ctx);
                subject = about;
                listing
            }
            listing::ListingKind::AutomationRules => listing::rules_listing(self.modes.rules.as_ref()),
            listing::ListingKind::History => listing::history_listing(self.modes.history.as_ref()),
            listing::ListingKind::Lens(pane) => self
                .panes
                .lens(*pane, &self.watch, &self.session.context, &ctx)
                .unwrap_or_else(|| listing::Listing::empty(kind.clone())),
        };
        self.modes.related_subject = subject;
        match previous {
            Some(previous) if previous.kind == kind => {
                let rows = std::mem::take(&mut fresh.rows);
                listing::Listing { selected: previous.selected, rows: previous.rows, ..fresh }.refreshed(rows)
            }
            _ => {
                fresh.move_by(0);
                fresh
            }
        }
    }

    /// New data reached a pane: the listing on screen shows it. An "everything about" listing is
    /// left as it is when the pane is Findings and none of the findings that arrived, changed or
    /// left names its subject: at 100k findings the listing is four passes over them (tens of
    /// milliseconds on every refresh and live event while it is open), the check a pass over the
    /// changes.
    pub(crate) fn refresh_listing_for(&mut self, pane: PaneId) {
        let related = self.modes.listing.as_ref().and_then(|l| match &l.kind {
            listing::ListingKind::Related(anchor) => Some(anchor),
            _ => None,
        });
        let untouched = match (pane, related, &self.modes.related_subject, &self.panes.findings.last_changes) {
            (PaneId::Findings, Some(anchor), Some(subject), Some(changes)) => {
                !changes.iter().any(|f| super::panes::findings::touches(f, subject, anchor))
            }
            _ => false,
        };
        if !untouched {
            self.refresh_listing();
        }
    }

    /// New data reached a pane: the listing on screen shows it.
    pub(crate) fn refresh_listing(&mut self) {
        if let Some(previous) = self.modes.listing.take() {
            let kind = previous.kind.clone();
            self.modes.listing = Some(self.build_listing(kind, Some(previous)));
        }
    }

    /// Shows `jump`'s pane with its record selected (the filter cleared if it hid it).
    pub(super) fn go_to(&mut self, jump: &listing::Jump) {
        self.show_pane(jump.pane);
        if !self.pane_mut(jump.pane).select_key(&jump.key) {
            if !self.pane(jump.pane).view().filter.is_empty() {
                self.set_filter(String::new());
            }
            if !self.pane_mut(jump.pane).select_key(&jump.key) {
                self.modes.message = Some((
                    MessageLevel::Info,
                    format!(
                        "not in the {} list now ({} shows every record where the pane has a scope)",
                        jump.pane,
                        self.keymap.key_label(KeyContext::Table(jump.pane), "scope")
                    ),
                ));
                return;
            }
        }
        self.keep_selection_visible();
    }

    /// Folds the current pane's rows into groups by `by`, or shows them flat.
    pub(super) fn group(&mut self, by: Option<GroupBy>) {
        if self.pane(self.current).groupings().is_empty() {
            self.modes.message = Some((MessageLevel::Info, format!("the {} pane has no groups", self.current)));
            return;
        }
        let names = Arc::clone(&self.session.info.account_names);
        let ctx = self.cell_context_for(&names);
        self.pane_mut(self.current).set_grouping(by, &ctx);
        self.keep_selection_visible();
        let text = match by {
            Some(by) => {
                let groups = self.pane(self.current).view().group_headers().len();
                format!(
                    "grouped by {}: {groups} groups ({} opens one, {} the next grouping)",
                    by.name(),
                    self.table_key("detail"),
                    self.table_key("group")
                )
            }
            None => "groups off: every row".to_string(),
        };
        self.modes.message = Some((MessageLevel::Info, text));
    }

    /// Sorts by the next column the table shows at this width: a sort by a column the width hides
    /// would reorder the rows for no reason on screen.
    pub(super) fn cycle_sort(&mut self) {
        let pane = self.pane(self.current);
        let count = pane.column_count().max(1);
        let fresh = self.current == PaneId::Findings && !self.findings().unseen.is_empty();
        let shown = pane.visible_columns(super::layout::table_width(self, self.screen.0), fresh);
        let current = pane.view().sort.column;
        let column = (1..=count)
            .map(|step| (current + step) % count)
            .find(|c| shown.contains(c))
            .unwrap_or((current + 1) % count);
        let sort = SortSpec { column, descending: pane.column_descending_first(column) };
        let names = Arc::clone(&self.session.info.account_names);
        let ctx = self.cell_context_for(&names);
        self.pane_mut(self.current).set_sort(sort, &ctx);
        self.keep_selection_visible();
    }
}
