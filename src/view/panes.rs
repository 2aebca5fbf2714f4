//! The view layer's part of each pane's registry entry: its default sort, its default scope and how
//! the table index is built from its data. One exhaustive `match` per fact, so a new pane is
//! pointed at by the compiler.

use super::CellContext;
use super::compliance::{ControlRow, control_rows};
use super::table::{SortSpec, TableIndex};
use crate::model::{Certificate, ControlStatus, Finding, PaneData, Secret, UserAnomaly};
use crate::pane::PaneId;

/// The order a pane opens in: what needs attention first.
pub fn default_sort(pane: PaneId) -> SortSpec {
    let asc = |column| SortSpec { column, descending: false };
    let desc = |column| SortSpec { column, descending: true };
    match pane {
        PaneId::Findings => desc(super::findings::RISK),
        PaneId::Certificates => asc(super::certificates::EXPIRES),
        PaneId::Secrets => asc(super::secrets::ROTATION),
        PaneId::Users => asc(super::users::KIND),
        PaneId::Compliance => desc(super::compliance::SEVERITY),
    }
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

impl Scoped for Finding {
    /// Open findings: not resolved or suppressed, not archived.
    fn in_default_scope(&self) -> bool {
        self.is_open()
    }
}

impl Scoped for ControlRow {
    /// Controls that need work: failing, or of unknown status.
    fn in_default_scope(&self) -> bool {
        matches!(self.control.status, ControlStatus::Failed | ControlStatus::Unknown)
    }
}

impl Scoped for Certificate {}
impl Scoped for Secret {}
impl Scoped for UserAnomaly {}

/// Builds the table index for freshly fetched data: the costly part of showing it, done by the fetch
/// task on a worker thread so the UI thread only installs the result.
pub fn build_index(data: &PaneData, sort: SortSpec, ctx: &CellContext) -> TableIndex {
    match data {
        PaneData::Findings(rows) => TableIndex::build(rows, ctx, sort),
        PaneData::Certificates(rows) => TableIndex::build(rows, ctx, sort),
        PaneData::Secrets(rows) => TableIndex::build(rows, ctx, sort),
        PaneData::Users(report) => TableIndex::build(&report.anomalies, ctx, sort),
        PaneData::Compliance(standards) => TableIndex::build(&control_rows(standards), ctx, sort),
    }
}
