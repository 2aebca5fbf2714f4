//! The view layer's part of each pane: the record type its table shows, the order it opens in and
//! how a refresh's data becomes rows. One module per pane (its columns, cells, sort, filter text
//! and detail live there too, as the row type's [`Tabular`]) implements [`PaneView`]; the dispatch
//! over [`PaneData`] is generated from the registry.

use super::table::{SortSpec, TableIndex};
use super::{CellContext, Tabular};
use crate::model::PaneData;
use crate::model::panes::PaneModel;
use crate::pane::PaneId;
use std::borrow::Cow;

use crate::declare_pane_modules;
crate::for_each_pane!(declare_pane_modules);

/// What the view knows of a pane.
pub trait PaneView {
    type Model: PaneModel;
    /// One row of the pane's table.
    type Row: Tabular + Scoped + Clone + Send + Sync + 'static;

    /// The order the pane opens in: what needs attention first.
    fn default_sort() -> SortSpec;

    /// The table's rows of one refresh's data.
    fn rows(data: &<Self::Model as PaneModel>::Data) -> Cow<'_, [Self::Row]>;

    /// The table's rows, taking the data.
    fn into_rows(data: <Self::Model as PaneModel>::Data) -> Vec<Self::Row>;
}

/// Which records a pane shows before the user widens its scope (see `PaneSpec::scope`).
pub trait Scoped {
    fn in_default_scope(&self) -> bool {
        true
    }
}

impl<T: Scoped> Scoped for std::sync::Arc<T> {
    fn in_default_scope(&self) -> bool {
        (**self).in_default_scope()
    }
}

macro_rules! view_dispatch {
    ($($variant:ident $module:ident),+ $(,)?) => {
        /// The order a pane opens in.
        pub fn default_sort(pane: PaneId) -> SortSpec {
            match pane {
                $(PaneId::$variant => <$module::Pane as PaneView>::default_sort()),+
            }
        }

        /// Builds the table index for freshly fetched data: the costly part of showing it, done by
        /// the fetch task on a worker thread so the UI thread only installs the result.
        pub fn build_index(data: &PaneData, sort: SortSpec, ctx: &CellContext) -> TableIndex {
            match data {
                $(PaneData::$variant(data) => {
                    TableIndex::build(&<$module::Pane as PaneView>::rows(data), ctx, sort)
                })+
            }
        }

        /// The fields a pane's filter names (`sev`, `product`, ..., `type`).
        pub fn field_names(pane: PaneId) -> Vec<String> {
            match pane {
                $(PaneId::$variant => super::query::field_names::<<$module::Pane as PaneView>::Row>()),+
            }
        }

        /// The field-shaped words of `filter` that name no field of the pane (`sevv:crit`).
        pub fn unknown_fields(pane: PaneId, filter: &str) -> Vec<String> {
            match pane {
                $(PaneId::$variant => {
                    super::query::Query::parse::<<$module::Pane as PaneView>::Row>(filter).unknown_fields
                })+
            }
        }

        /// The column a sort names by its field name (`risk`, `age`, `in-use`), and whether it
        /// sorts descending first.
        pub fn sort_column(pane: PaneId, name: &str) -> Option<(usize, bool)> {
            let columns = match pane {
                $(PaneId::$variant => <<$module::Pane as PaneView>::Row as Tabular>::columns()),+
            };
            columns
                .iter()
                .position(|c| super::query::column_field_name(c.title) == name)
                .map(|i| (i, columns[i].descending_first))
        }

        /// A pane's columns by field name, as a sort names them.
        pub fn column_names(pane: PaneId) -> Vec<String> {
            let columns = match pane {
                $(PaneId::$variant => <<$module::Pane as PaneView>::Row as Tabular>::columns()),+
            };
            columns.iter().map(|c| super::query::column_field_name(c.title)).collect()
        }

        /// What a pane's rows can be grouped by.
        pub fn groupings(pane: PaneId) -> &'static [super::GroupBy] {
            match pane {
                $(PaneId::$variant => <<$module::Pane as PaneView>::Row as Tabular>::groupings()),+
            }
        }
    };
}

crate::for_each_pane!(view_dispatch);
