//! The panes as grids of sanitised text cells (same columns and order as the console), and the
//! human formats built from them: aligned tables, Markdown and CSV.

use super::Snapshot;
use crate::cli::SnapshotArgs;
use crate::model::PaneData;
use crate::pane::PaneId;
use crate::text::{fit, width};
use crate::view::table::TableView;
use crate::view::{CellContext, Scoped, Tabular, default_sort};
use std::fmt::Write;

const MAX_TABLE_CELL: usize = 60;

pub struct Grid {
    /// The heading: the pane's title, or the cross-pane list's.
    pub title: &'static str,
    /// Lines printed before the table (the compliance scores).
    pub preface: Vec<String>,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// A pane's rows in the console's default sort and scope (`--all` widens the scope).
pub fn grid<T: Tabular + Scoped>(pane: PaneId, rows: &[T], ctx: &CellContext, args: &SnapshotArgs) -> Grid {
    let mut view = TableView::new(default_sort(pane));
    view.rebuild(rows, ctx, |r| args.all || r.in_default_scope());
    if let Some(filter) = &args.filter {
        view.set_filter(rows, ctx, filter);
    }
    let columns = T::columns();
    Grid {
        title: pane.title(),
        preface: Vec::new(),
        columns: columns.iter().map(|c| c.title).collect(),
        rows: view
            .visible
            .iter()
            .filter_map(|&i| rows.get(i as usize))
            .map(|r| (0..columns.len()).map(|c| crate::sanitize::sanitize(&r.cell(c, ctx)).into_owned()).collect())
            .collect(),
    }
}

/// The expiry radar, after the panes (the CSV format prints only the first grid, a pane's).
fn radar_grid(items: &[crate::model::radar::RadarItem], ctx: &CellContext) -> Grid {
    let clean = |text: &str| crate::sanitize::sanitize(text).into_owned();
    Grid {
        title: "Expiry radar",
        preface: Vec::new(),
        columns: vec!["Days", "Due", "Name", "Account", "What breaks"],
        rows: items
            .iter()
            .map(|i| {
                vec![
                    crate::view::days_cell(i.days_left),
                    i.due.label().to_string(),
                    clean(&i.name),
                    clean(&crate::view::account_cell(&i.account, ctx)),
                    clean(&i.breaks),
                ]
            })
            .collect(),
    }
}

pub fn grids(snapshot: &Snapshot, data: &[PaneData], args: &SnapshotArgs) -> Vec<Grid> {
    let ctx = CellContext {
        now: snapshot.generated_at,
        reveal_pii: args.reveal_pii,
        accounts: &snapshot.source.account_names,
    };
    let mut data: Vec<&PaneData> = data.iter().collect();
    data.sort_by_key(|d| d.pane());
    snapshot
        .panes
        .iter()
        .zip(data)
        .filter_map(|(out, d)| out.grid(d, &ctx, args))
        .chain(snapshot.radar.as_deref().map(|items| radar_grid(items, &ctx)))
        .collect()
}

/// The findings as their groups (`--group-by`): one row per group, the most important first.
pub fn group_grid(groups: &[crate::model::grouping::GroupSummary], by: crate::model::grouping::GroupBy) -> Grid {
    let clean = |text: &str| crate::sanitize::sanitize(text).into_owned();
    Grid {
        title: crate::pane::PaneId::Findings.title(),
        preface: vec![format!("{} groups by {}", groups.len(), by.name())],
        columns: vec!["Count", "Worst", "Risk", "Severities", "Resources", "Accounts", "Group"],
        rows: groups
            .iter()
            .map(|g| {
                let key = match &g.name {
                    Some(name) => format!("{name} ({})", g.key),
                    None => g.key.clone(),
                };
                vec![
                    g.count.to_string(),
                    g.max_severity.short().to_string(),
                    g.max_risk.to_string(),
                    g.severities.compact(),
                    g.resources.to_string(),
                    g.accounts.to_string(),
                    clean(&key),
                ]
            })
            .collect(),
    }
}

fn header(snapshot: &Snapshot) -> String {
    let src = &snapshot.source;
    let kind = if src.kind == crate::source::SourceKind::Demo { "DEMO DATA" } else { "aws" };
    let name = src.account_name.as_deref().map(|n| format!("{n} ")).unwrap_or_default();
    // The account name can come from AWS (an alias, an Organizations name): sanitised like a cell.
    let aggregation = src.aggregation.as_ref().map(|a| format!(" · {}", a.describe())).unwrap_or_default();
    crate::sanitize::sanitize(&format!("Vigil snapshot · {name}{} · {}{aggregation} · {kind}", src.account, src.region))
        .into_owned()
}

pub fn table(snapshot: &Snapshot, grids: &[Grid]) -> String {
    let mut out = header(snapshot) + "\n";
    for g in grids {
        out.push('\n');
        for line in &g.preface {
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(out, "== {} ({}) ==", g.title, g.rows.len());
        out.push_str(&aligned(&g.columns, &g.rows));
    }
    errors(snapshot, &mut out);
    out
}

/// `columns` over `rows` in aligned columns, each cell fitted to a readable width (cells already
/// sanitised).
pub fn aligned(columns: &[&str], rows: &[Vec<String>]) -> String {
    let cells: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| fit(c, MAX_TABLE_CELL)).collect()).collect();
    let widths: Vec<usize> = (0..columns.len())
        .map(|c| {
            cells.iter().map(|row| row.get(c).map_or(0, |v| width(v))).chain([width(columns[c])]).max().unwrap_or(0)
        })
        .collect();
    let line = |values: &[&str]| -> String {
        let mut l = String::new();
        for (c, v) in values.iter().enumerate() {
            l.push_str(v);
            if c + 1 < values.len() {
                l.push_str(&" ".repeat(widths.get(c).copied().unwrap_or(0).saturating_sub(width(v)) + 2));
            }
        }
        l.trim_end().to_string()
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", line(columns));
    for row in &cells {
        let _ = writeln!(out, "{}", line(&row.iter().map(String::as_str).collect::<Vec<_>>()));
    }
    out
}

fn errors(snapshot: &Snapshot, out: &mut String) {
    for (pane, error) in &snapshot.errors {
        let _ = writeln!(out, "\n{}: ERROR {}", pane.title(), fit(error, 500));
    }
    for (pane, warnings) in &snapshot.warnings {
        for w in warnings {
            let _ = writeln!(out, "{}: warning: {}", pane.title(), fit(w, 500));
        }
    }
}

/// A cell of a Markdown table, inert: AWS text must not become a link, an image, HTML, a mention
/// or table structure where the table is pasted (a ticket, a chat, a wiki).
fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '`' | '*' | '_' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '!' => out.push_str("&#33;"),
            // Mentions (@user, @org/team): the renderers resolve entities before they look for
            // mentions, so the @ goes in a code span of its own.
            '@' => out.push_str("`@`"),
            _ => out.push(c),
        }
    }
    // Bare-URL autolinks: `https://x` and `www.x` are links in GitHub-flavoured Markdown.
    out.replace("://", "&#58;//").replace("www.", "www&#46;").replace("WWW.", "WWW&#46;")
}

pub fn markdown(snapshot: &Snapshot, grids: &[Grid]) -> String {
    let mut out = format!("# {}\n", markdown_cell(&header(snapshot)));
    for g in grids {
        let _ = writeln!(out, "\n## {} ({})\n", g.title, g.rows.len());
        for line in &g.preface {
            let _ = writeln!(out, "- {}", markdown_cell(line.trim()));
        }
        if !g.preface.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "| {} |", g.columns.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(g.columns.len()));
        for row in &g.rows {
            let _ = writeln!(out, "| {} |", row.iter().map(|c| markdown_cell(c)).collect::<Vec<_>>().join(" | "));
        }
    }
    let mut tail = String::new();
    errors(snapshot, &mut tail);
    // Errors and warnings carry service text (pool names, messages): inert like the cells.
    let tail: Vec<String> = tail.lines().map(markdown_cell).collect();
    out + &tail.join("\n") + if tail.is_empty() { "" } else { "\n" }
}

/// A cell a spreadsheet would run as a formula gets a leading `'`: AWS text is attacker-controlled.
/// Any cell whose first non-space character can start a formula (`=`, `+`, `-`, `@`, a tab or
/// carriage return, and their full-width forms) is defused, unless the whole cell is a plain
/// number (`-3`, `12.5`, `-3d`), which no spreadsheet evaluates.
fn defuse(text: &str) -> std::borrow::Cow<'_, str> {
    let first = text.trim_start_matches(' ').chars().next();
    let trigger =
        matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}' | '\u{ff20}'));
    if trigger && !is_plain_number(text) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// `-3`, `12.5`, `-3d`, `90%`: digits with an optional sign, point and unit letters.
fn is_plain_number(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    let digits_end = body.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(body.len());
    let (number, unit) = body.split_at(digits_end);
    number.starts_with(|c: char| c.is_ascii_digit())
        && unit.chars().all(|c| c.is_ascii_alphabetic() || c == '%')
        && unit.len() <= 3
}

/// RFC 4180 CSV (quoting by the `csv` crate), every cell defused.
pub fn csv(grid: &Grid) -> String {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let header: Vec<std::borrow::Cow<'_, str>> = grid.columns.iter().map(|c| defuse(c)).collect();
    // Writing to memory cannot fail; a record the writer refuses is left out rather than torn.
    let _ = writer.write_record(header.iter().map(|c| c.as_bytes()));
    for row in &grid.rows {
        let cells: Vec<std::borrow::Cow<'_, str>> = row.iter().map(|c| defuse(c)).collect();
        let _ = writer.write_record(cells.iter().map(|c| c.as_bytes()));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_cell(text: &str) -> String {
        let grid = Grid { title: "Findings", preface: vec![], columns: vec!["c"], rows: vec![vec![text.into()]] };
        csv(&grid).strip_prefix("c\n").unwrap().strip_suffix('\n').unwrap().to_string()
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("-3d"), "-3d");
        assert_eq!(csv_cell("-3"), "-3");
        assert_eq!(csv_cell("12.5%"), "12.5%");
        assert_eq!(csv_cell("-cmd"), "'-cmd");
        // What the old rule let through: a digit after the sign, leading spaces, full-width forms.
        assert_eq!(csv_cell("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
        assert_eq!(csv_cell("  =1+1"), "'  =1+1");
        assert_eq!(csv_cell("\u{ff1d}1+1"), "'\u{ff1d}1+1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("line\nbreak"), "\"line\nbreak\"");
    }

    #[test]
    fn markdown_cells_are_inert() {
        assert_eq!(markdown_cell("a|b"), "a\\|b");
        let cell = markdown_cell("[click](https://evil.example) ![x](y) <img src=x> @team www.evil.com");
        for active in ["[", "](", "<img", "@team", "https://", "www.evil"] {
            assert!(!cell.contains(active), "{active} survives in {cell}");
        }
    }
}
