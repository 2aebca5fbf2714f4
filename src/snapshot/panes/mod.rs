//! The snapshot's part of each pane: how `--filter` and `--min-severity` narrow its data, its
//! sections of the JSON, its NDJSON records and its table. One module per pane implements
//! [`SnapshotPane`]; [`PaneOutput`] and the dispatch are generated from the registry.

use super::grid::{Grid, grid};
use crate::cli::SnapshotArgs;
use crate::model::panes::PaneModel;
use crate::model::{PaneData, Timestamp};
use crate::source::SourceInfo;
use crate::view::CellContext;
use crate::view::panes::PaneView;
use serde::ser::SerializeMap;

use crate::declare_pane_modules;
crate::for_each_pane!(declare_pane_modules);

/// A pane's data, as its model says.
pub type Data<P> = <<<P as SnapshotPane>::View as PaneView>::Model as PaneModel>::Data;

/// What the snapshot knows of a pane.
pub trait SnapshotPane {
    type View: PaneView;
    /// What the JSON shows of one answer.
    type Out;

    /// Narrows the data to what the flags ask for (`--filter`, `--min-severity`), in the order the
    /// console lists it.
    fn narrow(_data: &mut Data<Self>, _args: &SnapshotArgs, _ctx: &CellContext) {}

    /// The JSON's view of the (narrowed) data.
    fn output(data: &Data<Self>, args: &SnapshotArgs, now: Timestamp, source: &SourceInfo) -> Self::Out;

    /// Writes the pane's top-level keys of the JSON (its config key, and any beside it).
    fn write<M: SerializeMap>(out: &Self::Out, map: &mut M) -> Result<(), M::Error>;

    /// Its NDJSON lines' records, in the JSON format's shapes, and any other lines it adds.
    fn records(out: &Self::Out) -> serde_json::Result<Vec<serde_json::Value>>;

    /// Its table (the console's columns, default sort and scope; `--all` widens the scope).
    fn grid(data: &Data<Self>, _out: &Self::Out, ctx: &CellContext, args: &SnapshotArgs) -> Grid {
        grid(<Self::View as PaneView>::Model::ID, &<Self::View as PaneView>::rows(data), ctx, args)
    }

    /// Whether `--min-severity` found something at or above it here (the exit code).
    fn gated(_out: &Self::Out, _args: &SnapshotArgs) -> bool {
        false
    }
}

/// Keeps the rows that match `--filter`: its words and its field terms, as the console's `/`.
pub fn keep_matching<T: crate::view::Tabular>(rows: &mut Vec<T>, args: &SnapshotArgs, ctx: &CellContext) {
    let query = crate::view::query::Query::parse::<T>(args.filter.as_deref().unwrap_or_default());
    if !query.is_empty() {
        rows.retain(|r| query.matches(r, ctx));
    }
}

macro_rules! snapshot_panes {
    ($($variant:ident $module:ident),+ $(,)?) => {
        /// One pane's answer as the snapshot shows it.
        pub enum PaneOutput {
            $($variant(<$module::Pane as SnapshotPane>::Out)),+
        }

        impl PaneOutput {
            pub fn narrow(data: &mut PaneData, args: &SnapshotArgs, ctx: &CellContext) {
                match data {
                    $(PaneData::$variant(data) => <$module::Pane as SnapshotPane>::narrow(data, args, ctx)),+
                }
            }

            pub fn of(data: &PaneData, args: &SnapshotArgs, now: Timestamp, source: &SourceInfo) -> Self {
                match data {
                    $(PaneData::$variant(data) => Self::$variant(<$module::Pane as SnapshotPane>::output(data, args, now, source))),+
                }
            }

            pub fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                match self {
                    $(Self::$variant(out) => <$module::Pane as SnapshotPane>::write(out, map)),+
                }
            }

            pub fn records(&self) -> serde_json::Result<Vec<serde_json::Value>> {
                match self {
                    $(Self::$variant(out) => <$module::Pane as SnapshotPane>::records(out)),+
                }
            }

            pub fn grid(&self, data: &PaneData, ctx: &CellContext, args: &SnapshotArgs) -> Option<Grid> {
                match (self, data) {
                    $((Self::$variant(out), PaneData::$variant(data)) => Some(<$module::Pane as SnapshotPane>::grid(data, out, ctx, args)),)+
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            pub fn gated(&self, args: &SnapshotArgs) -> bool {
                match self {
                    $(Self::$variant(out) => <$module::Pane as SnapshotPane>::gated(out, args)),+
                }
            }

            pub fn pane(&self) -> crate::pane::PaneId {
                match self {
                    $(Self::$variant(_) => crate::pane::PaneId::$variant),+
                }
            }
        }
    };
}

crate::for_each_pane!(snapshot_panes);
