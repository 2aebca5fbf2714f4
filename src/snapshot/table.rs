//! Plain-text tables for people reading a snapshot in a terminal or a ticket. Same columns and
//! order as the console; every cell sanitised.

use super::Snapshot;
use crate::cli::SnapshotArgs;
use crate::source::PaneData;
use crate::ui::text::{fit, width};
use crate::view::compliance::control_rows;
use crate::view::table::{SortSpec, TableView};
use crate::view::{CellContext, Tabular};
use std::fmt::Write;

const MAX_CELL: usize = 60;

pub fn render(snapshot: &Snapshot, data: &[PaneData], args: &SnapshotArgs) -> String {
    let ctx = CellContext { now: snapshot.generated_at, reveal_pii: args.reveal_pii };
    let src = &snapshot.source;
    let mut out = format!(
        "Vigil snapshot · {} {} · {} · {}\n",
        src.account_name.as_deref().unwrap_or(""),
        src.account,
        src.region,
        if src.kind == crate::source::SourceKind::Demo { "DEMO DATA" } else { "aws" }
    );
    for pane_data in data {
        out.push('\n');
        match pane_data {
            PaneData::Findings(rows) => {
                let sort = SortSpec { column: crate::view::findings::SEVERITY, descending: true };
                section(&mut out, "Findings", rows, sort, &ctx, |f| args.all || f.is_open());
            }
            PaneData::Certificates(rows) => {
                let sort = SortSpec { column: crate::view::certificates::EXPIRES, descending: false };
                section(&mut out, "Certificates", rows, sort, &ctx, |_| true);
            }
            PaneData::Secrets(rows) => {
                let sort = SortSpec { column: crate::view::secrets::ROTATION, descending: false };
                section(&mut out, "Secrets", rows, sort, &ctx, |_| true);
            }
            PaneData::Users(report) => {
                let sort = SortSpec { column: crate::view::users::KIND, descending: false };
                section(&mut out, "Users", &report.anomalies, sort, &ctx, |_| true);
            }
            PaneData::Compliance(standards) => {
                if let Some(c) = &snapshot.compliance {
                    let score = c.summary_score.map(|s| format!("{s}%")).unwrap_or_else(|| "no data".into());
                    let _ = writeln!(out, "Security score {score}");
                    for s in &c.standards {
                        let score = s.score.map(|v| format!("{v}%")).unwrap_or_else(|| "-".into());
                        let _ = writeln!(out, "  {score:>4}  {}", fit(&s.name, MAX_CELL));
                    }
                }
                let rows = control_rows(standards);
                let sort = SortSpec { column: crate::view::compliance::SEVERITY, descending: true };
                section(&mut out, "Compliance", &rows, sort, &ctx, |r| {
                    args.all
                        || matches!(
                            r.control.status,
                            crate::model::ControlStatus::Failed | crate::model::ControlStatus::Unknown
                        )
                });
            }
        }
    }
    for (pane, error) in &snapshot.errors {
        let _ = writeln!(out, "\n{}: ERROR {}", pane.title(), fit(error, 500));
    }
    out
}

fn section<T: Tabular>(
    out: &mut String,
    title: &str,
    rows: &[T],
    sort: SortSpec,
    ctx: &CellContext,
    admit: impl Fn(&T) -> bool,
) {
    let mut view = TableView::new(sort);
    view.rebuild(rows, ctx, admit);
    let _ = writeln!(out, "== {title} ({}) ==", view.len());
    let columns = T::columns();
    let cells: Vec<Vec<String>> = view
        .visible
        .iter()
        .filter_map(|&i| rows.get(i as usize))
        .map(|r| (0..columns.len()).map(|c| fit(&r.cell(c, ctx), MAX_CELL)).collect())
        .collect();
    let widths: Vec<usize> = (0..columns.len())
        .map(|c| cells.iter().map(|row| width(&row[c])).chain([width(columns[c].title)]).max().unwrap_or(0))
        .collect();
    let line = |values: Vec<&str>| -> String {
        let mut l = String::new();
        for (c, v) in values.iter().enumerate() {
            l.push_str(v);
            if c + 1 < values.len() {
                l.push_str(&" ".repeat(widths[c].saturating_sub(width(v)) + 2));
            }
        }
        l.trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(columns.iter().map(|c| c.title).collect()));
    for row in &cells {
        let _ = writeln!(out, "{}", line(row.iter().map(String::as_str).collect()));
    }
}
