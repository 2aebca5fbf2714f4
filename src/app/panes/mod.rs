//! The app's part of each pane: its state (the table and what belongs to it alone), how fresh data
//! is installed, the figure on its tab, the actions it offers, what it tells the watch (board,
//! score history) when data lands, and what it adds to the cross-pane lists (what falls due,
//! everything about one resource). One module per pane implements [`AppPane`]; [`Panes`] and its
//! dispatch are generated from the registry.

use super::listing::{Jump, ListingRow};
use super::pane_state::{PaneState, TablePane};
use super::triage::{Actionable, MenuCommand, MenuEntry};
use super::watch::Watch;
use crate::action::Effect;
use crate::model::panes::PaneModel;
use crate::model::radar::RadarItem;
use crate::model::{Context, PaneData, Timestamp};
use crate::pane::PaneId;
use crate::view::panes::PaneView;
use crate::view::table::TableIndex;
use crate::view::{CellContext, default_sort};
use std::collections::BTreeSet;

use crate::declare_pane_modules;
crate::for_each_pane!(declare_pane_modules);

pub use compliance::{CompliancePane, OrganisationScore, StandardSummary};
pub use findings::FindingsPane;
pub use users::UsersPane;

/// A pane's data, as its model says.
pub type Data<P> = <<<P as AppPane>::View as PaneView>::Model as PaneModel>::Data;
/// A row of a pane's table, as its view says.
pub type Row<P> = <<P as AppPane>::View as PaneView>::Row;

/// What the app knows of a pane. Hooks default to "not used" (see `crate::pane::Hook`).
pub trait AppPane {
    type View: PaneView<Row: Actionable>;
    type State: std::fmt::Debug + Clone;

    fn new_state() -> Self::State;
    fn table(state: &Self::State) -> &PaneState<Row<Self>>;
    fn table_mut(state: &mut Self::State) -> &mut PaneState<Row<Self>>;

    /// Installs fresh data, with the index the fetch task prepared for it.
    fn install(state: &mut Self::State, data: Data<Self>, index: Option<TableIndex>, ctx: &CellContext) {
        Self::table_mut(state).replace_rows(Self::View::into_rows(data), index, ctx);
    }

    /// Rows a first load reported, shown before its result; returns how many. Panes whose rows
    /// depend on the whole answer (pools, standards) only count them.
    fn append_preview(state: &mut Self::State, data: Data<Self>, fresh: bool, ctx: &CellContext) -> usize {
        let rows = Self::View::into_rows(data);
        let n = rows.len();
        let table = Self::table_mut(state);
        if fresh {
            table.drop_rows(ctx);
        }
        table.append_rows(rows, ctx);
        n
    }

    /// Lines the pane draws between its title line and its table (pools, standards), at most.
    fn summary_lines(_state: &Self::State) -> usize {
        0
    }

    /// The figure on the pane's tab: its record count ("…" before the first load).
    fn tab_figure(state: &Self::State) -> String {
        let table = Self::table(state);
        let status = &table.status;
        if status.in_flight && status.so_far > 0 {
            format!("{} so far", thousands(status.so_far))
        } else if status.last_success.is_none() {
            "…".into()
        } else {
            thousands(table.view.total())
        }
    }

    /// Forgets the data and refresh state (the context changed); sort, filter and scope stay.
    fn clear(state: &mut Self::State, ctx: &CellContext) {
        Self::table_mut(state).clear(ctx);
    }

    /// What landing data tells the watch (the board, the score history).
    fn on_loaded(
        _data: &Data<Self>,
        _watch: &mut Watch,
        _context: &Context,
        _at: Timestamp,
        _cached: bool,
    ) -> Vec<Effect> {
        Vec::new()
    }

    /// The pane's action menu, in menu order (an action may name what the state holds: the IP set
    /// an address is blocked in).
    fn menu(_state: &Self::State) -> Vec<MenuEntry> {
        vec![
            MenuEntry { key: 'y', label: "copy id".into(), command: MenuCommand::Yank },
            MenuEntry { key: 'o', label: "copy AWS console link".into(), command: MenuCommand::ConsoleLink },
        ]
    }

    /// [`crate::pane::Hook::Due`]: what falls due among the records on screen.
    fn due(_state: &Self::State, _now: Timestamp) -> Vec<RadarItem> {
        Vec::new()
    }

    /// [`crate::pane::Hook::Related`]: what the record with `key` says about itself, as the
    /// subject of "everything about".
    fn subject(_state: &Self::State, _key: &str) -> Option<Subject> {
        None
    }

    /// [`crate::pane::Hook::Related`]: what this pane's records add to a subject before the lists
    /// are made (the controls that findings on it fail).
    fn enrich(_state: &Self::State, _subject: &mut Subject, _anchor: &Jump) {}

    /// [`crate::pane::Hook::Related`]: this pane's records about the subject, in sections.
    fn related(_state: &Self::State, _subject: &Subject, _anchor: &Jump, _ctx: &CellContext) -> Vec<Section> {
        Vec::new()
    }

    /// Its lens (`PaneSpec::lens`), over the records on screen.
    fn lens(
        _state: &Self::State,
        _watch: &Watch,
        _context: &Context,
        _ctx: &CellContext,
    ) -> Option<super::listing::Listing> {
        None
    }

    /// [`crate::pane::Hook::Related`]: the words of every name the pane shows, so words that tie
    /// everything to everything can be left out.
    fn name_words(_state: &Self::State) -> Vec<BTreeSet<String>> {
        Vec::new()
    }
}

/// What an anchor record says about itself: the resources it is (or serves), the words of its
/// names, and the controls that judge it.
#[derive(Debug, Clone, Default)]
pub struct Subject {
    pub label: String,
    pub resources: Vec<String>,
    /// Suffixes a resource id ends with to be this subject (a Cognito pool: `userpool/<id>`).
    pub suffixes: Vec<String>,
    pub words: BTreeSet<String>,
    /// The subject is a control: these are the records judged by it.
    pub control: Option<String>,
    /// Controls failed by the open findings on the subject (filled by the Findings pane).
    pub failing_controls: BTreeSet<String>,
}

impl Subject {
    pub fn is(&self, resource: &str) -> bool {
        !resource.is_empty()
            && (self.resources.iter().any(|r| r == resource)
                || self.suffixes.iter().any(|s| resource.ends_with(s.as_str())))
    }
}

/// One section of "everything about": its place among the sections (lower first), title and rows.
#[derive(Debug, Clone)]
pub struct Section {
    pub order: u8,
    pub title: String,
    pub rows: Vec<ListingRow>,
}

pub use crate::text::thousands;

macro_rules! app_panes {
    ($($variant:ident $module:ident),+ $(,)?) => {
        /// Every pane's state, by pane.
        #[derive(Debug, Clone)]
        pub struct Panes {
            $(pub $module: <$module::Pane as AppPane>::State),+
        }

        impl Default for Panes {
            fn default() -> Self {
                Self { $($module: <$module::Pane as AppPane>::new_state()),+ }
            }
        }

        impl Panes {
            /// The table of `pane`, whatever its record type.
            pub fn table(&self, pane: PaneId) -> &dyn TablePane {
                match pane {
                    $(PaneId::$variant => <$module::Pane as AppPane>::table(&self.$module)),+
                }
            }

            pub(crate) fn table_mut(&mut self, pane: PaneId) -> &mut dyn TablePane {
                match pane {
                    $(PaneId::$variant => <$module::Pane as AppPane>::table_mut(&mut self.$module)),+
                }
            }

            /// Installs a pane's fresh data, with the index the fetch task prepared for it.
            pub(crate) fn install(&mut self, data: PaneData, index: Option<TableIndex>, ctx: &CellContext) {
                match data {
                    $(PaneData::$variant(data) => <$module::Pane as AppPane>::install(&mut self.$module, data, index, ctx)),+
                }
            }

            /// Shows rows a first load reported, before its result; returns how many it held.
            pub(crate) fn append_preview(&mut self, data: PaneData, fresh: bool, ctx: &CellContext) -> usize {
                match data {
                    $(PaneData::$variant(data) => {
                        <$module::Pane as AppPane>::append_preview(&mut self.$module, data, fresh, ctx)
                    })+
                }
            }

            /// Lines a pane draws between its title line and its table, at most.
            pub fn summary_lines(&self, pane: PaneId) -> usize {
                match pane {
                    $(PaneId::$variant => <$module::Pane as AppPane>::summary_lines(&self.$module)),+
                }
            }

            /// The figure on a pane's tab.
            pub fn tab_figure(&self, pane: PaneId) -> String {
                match pane {
                    $(PaneId::$variant => <$module::Pane as AppPane>::tab_figure(&self.$module)),+
                }
            }

            /// Forgets every pane's data and refresh state (the context changed).
            pub(crate) fn clear_data(&mut self, ctx: &CellContext) {
                $(<$module::Pane as AppPane>::clear(&mut self.$module, ctx);)+
            }

            /// What landing data of its pane tells the watch.
            pub(crate) fn on_loaded(data: &PaneData, watch: &mut Watch, context: &Context, at: Timestamp, cached: bool) -> Vec<Effect> {
                match data {
                    $(PaneData::$variant(data) => <$module::Pane as AppPane>::on_loaded(data, watch, context, at, cached)),+
                }
            }

            /// What falls due among every pane's records, in no order.
            pub fn due(&self, now: Timestamp) -> Vec<RadarItem> {
                let mut items = Vec::new();
                $(items.extend(<$module::Pane as AppPane>::due(&self.$module, now));)+
                items
            }

            /// What the record `anchor` leads to says about itself, with what every pane adds.
            pub fn subject(&self, anchor: &Jump) -> Option<Subject> {
                let mut subject = match anchor.pane {
                    $(PaneId::$variant => <$module::Pane as AppPane>::subject(&self.$module, &anchor.key)),+
                }?;
                $(<$module::Pane as AppPane>::enrich(&self.$module, &mut subject, anchor);)+
                Some(subject)
            }

            /// Every pane's sections about `subject`, in their order.
            pub(crate) fn related(&self, subject: &Subject, anchor: &Jump, ctx: &CellContext) -> Vec<Section> {
                let mut sections = Vec::new();
                $(sections.extend(<$module::Pane as AppPane>::related(&self.$module, subject, anchor, ctx));)+
                sections.sort_by_key(|s| s.order);
                sections
            }

            /// The lens of `pane`, if it has one.
            pub(crate) fn lens(&self, pane: PaneId, watch: &Watch, context: &Context, ctx: &CellContext) -> Option<super::listing::Listing> {
                match pane {
                    $(PaneId::$variant => <$module::Pane as AppPane>::lens(&self.$module, watch, context, ctx)),+
                }
            }

            /// The words of every name the panes show.
            pub(crate) fn name_words(&self) -> Vec<BTreeSet<String>> {
                let mut words = Vec::new();
                $(words.extend(<$module::Pane as AppPane>::name_words(&self.$module));)+
                words
            }
        }

        /// The actions a pane offers before it has data, in menu order (the help lists them).
        pub fn menu(pane: PaneId) -> Vec<MenuEntry> {
            match pane {
                $(PaneId::$variant => <$module::Pane as AppPane>::menu(&<$module::Pane as AppPane>::new_state())),+
            }
        }

        impl Panes {
            /// The actions `pane` offers now.
            pub fn menu(&self, pane: PaneId) -> Vec<MenuEntry> {
                match pane {
                    $(PaneId::$variant => <$module::Pane as AppPane>::menu(&self.$module)),+
                }
            }
        }

        /// A new pane state of each pane starts in its view's default sort.
        #[allow(dead_code)]
        fn default_sorts_agree() -> bool {
            true $(&& <$module::Pane as AppPane>::table(&<$module::Pane as AppPane>::new_state()).view.sort == default_sort(PaneId::$variant))+
        }
    };
}

crate::for_each_pane!(app_panes);

#[cfg(test)]
mod tests {
    #[test]
    fn every_pane_starts_in_its_default_sort() {
        assert!(super::default_sorts_agree());
    }

    #[test]
    fn counts_read_at_a_glance() {
        assert_eq!(super::thousands(12_345), "12,345");
        assert_eq!(super::thousands(999), "999");
    }
}
