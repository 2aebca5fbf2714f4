//! The table every pane draws: columns fitted to the width, only the visible rows built.

use crate::model::SeverityLabel;
use crate::text::fit;
use crate::ui::theme::Theme;
use crate::view::table::{GroupHeader, Line as Line_, TableView};
use crate::view::{CellContext, Tabular, Tone};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use crate::view::columns::SPACING;
pub use crate::view::columns::fit_columns;

/// The first row to draw so the selection is on screen, from the view's own scroll position.
fn window_start(view: &TableView, height: usize) -> usize {
    let mut offset = view.offset;
    if view.selected < offset {
        offset = view.selected;
    } else if height > 0 && view.selected >= offset + height {
        offset = view.selected + 1 - height;
    }
    offset.min(view.len().saturating_sub(height))
}

pub struct TableOptions<'a> {
    /// Keys of rows marked for a bulk action.
    pub marked: &'a crate::app::pane_state::Marks,
    /// Keys of rows that are new since the user last looked.
    pub fresh: Option<&'a std::collections::HashSet<String>>,
    pub loading: bool,
    pub filter: &'a str,
    /// The key that clears the filter, for the line saying nothing matches.
    pub clear_filter_key: String,
    pub nothing: &'a str,
    /// Columns left out (they would say the same on every row).
    pub hidden: &'a [usize],
}

pub fn draw<T: Tabular>(
    frame: &mut Frame,
    area: Rect,
    rows: &[T],
    view: &TableView,
    ctx: &CellContext,
    theme: &Theme,
    empty: TableOptions<'_>,
) {
    let columns = T::columns();
    // A one-cell gutter shows marked rows while any are marked.
    let gutter = !empty.marked.is_empty() || empty.fresh.is_some_and(|f| !f.is_empty());
    let fitted = crate::view::columns::fit_table(columns, area.width, empty.hidden, gutter);
    let header = Row::new(gutter.then(|| Cell::from(" ")).into_iter().chain(fitted.iter().map(|&(i, w)| {
        let title = columns[i].title;
        if view.sort.column == i {
            // The arrow is never cut: it says what orders the rows.
            let arrow = if view.sort.descending { '▼' } else { '▲' };
            return Cell::from(format!("{}{arrow}", fit(title, (w as usize).saturating_sub(1))));
        }
        Cell::from(fit(title, w as usize))
    })))
    .style(Style::default().fg(theme.header_fg).add_modifier(Modifier::BOLD));

    let body_height = area.height.saturating_sub(1) as usize;
    let start = window_start(view, body_height);
    let lines: Vec<Line_> = match view.lines() {
        Some(lines) => lines.iter().skip(start).take(body_height).copied().collect(),
        None => view.visible.iter().skip(start).take(body_height).map(|&i| Line_::Record(i)).collect(),
    };
    // Group headers span the whole row: drawn over the table's empty rows after it.
    let mut headers = Vec::new();
    let body = lines.iter().enumerate().filter_map(|(on_screen, line)| {
        let pos = start + on_screen;
        let index = match *line {
            Line_::Record(index) => index,
            Line_::Group(g) => {
                let header = view.group_headers().get(g as usize)?;
                headers.push((on_screen, header, pos == view.selected));
                return Some(Row::new(Vec::<Cell>::new()));
            }
        };
        let record = rows.get(index as usize)?;
        let is_marked = gutter && empty.marked.contains(index as usize);
        let is_fresh = gutter && empty.fresh.is_some_and(|f| f.contains(record.key().as_ref()));
        let symbol = match (is_marked, is_fresh) {
            (true, _) => "●",
            (false, true) => "+",
            _ => " ",
        };
        let selected = pos == view.selected;
        let mark =
            gutter.then(|| Cell::from(symbol).style(theme.cell(theme.accent, selected).add_modifier(Modifier::BOLD)));
        let cells = mark.into_iter().chain(fitted.iter().map(|&(i, w)| {
            let text = fit(&record.cell(i, ctx), w as usize);
            Cell::from(text).style(theme.cell(theme.tone(record.tone(i, ctx)), selected))
        }));
        let row = Row::new(cells);
        let row = if is_marked { row.style(Style::default().add_modifier(Modifier::BOLD)) } else { row };
        Some(if selected { row.style(theme.selection()) } else { row })
    });
    let widths: Vec<Constraint> = gutter
        .then_some(Constraint::Length(1))
        .into_iter()
        .chain(fitted.iter().map(|&(_, w)| Constraint::Length(w)))
        .collect();
    let body: Vec<Row> = body.collect();
    frame.render_widget(Table::new(body, widths).header(header).column_spacing(SPACING), area);
    for (on_screen, group, selected) in headers {
        let line = group_line(group, empty.marked, gutter, area.width as usize, theme);
        let line = if selected { theme.selected_line(line) } else { line };
        let target = Rect { y: area.y + 1 + on_screen as u16, height: 1, ..area };
        frame.render_widget(Paragraph::new(line), target);
    }

    if view.is_empty() && area.height > 2 {
        let message = if empty.loading {
            "loading…".to_string()
        } else if !empty.filter.is_empty() {
            format!("nothing matches the filter \"{}\" ({} clears it)", empty.filter, empty.clear_filter_key)
        } else {
            empty.nothing.to_string()
        };
        let line = Line::from(fit(&message, area.width as usize)).style(Style::default().fg(theme.muted));
        let target = Rect { y: area.y + 2, height: 1, ..area };
        frame.render_widget(Paragraph::new(line).centered(), target);
        // A mistyped field name (`sevv:crit`) is searched as text and matches nothing: say so.
        if let Some(unknown) = view.unknown_fields.first().filter(|_| !empty.loading && area.height > 4) {
            let fields = crate::view::query::field_names::<T>().join(" ");
            let hint = format!("no field \"{unknown}\" here; fields: {fields}");
            let lines: Vec<Line> = crate::text::wrap(&hint, area.width.saturating_sub(2) as usize)
                .into_iter()
                .take((area.height - 4) as usize)
                .map(|l| Line::from(l).style(Style::default().fg(theme.muted)))
                .collect();
            let target = Rect { y: area.y + 3, height: lines.len() as u16, ..area };
            frame.render_widget(Paragraph::new(lines).centered(), target);
        }
    }
}

/// A group's header: open or closed, how many records, the worst severity, the label and the
/// count per severity.
fn group_line<'a>(
    group: &GroupHeader,
    marked: &crate::app::pane_state::Marks,
    gutter: bool,
    width: usize,
    theme: &Theme,
) -> Line<'a> {
    let counts = group.severities;
    // Walks the members only while rows are marked, and stops at the first unmarked one.
    let all_marked = !marked.is_empty() && group.members.iter().all(|&i| marked.contains(i as usize));
    let worst = SeverityLabel::ALL.into_iter().find(|&s| counts[s] > 0);
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut spans = Vec::new();
    if gutter {
        spans.push(Span::styled(if all_marked { "● " } else { "  " }, bold.fg(theme.accent)));
    }
    let arrow = if group.expanded { "▾" } else { "▸" };
    spans.push(Span::styled(format!("{arrow} {:>6} ", group.members.len()), bold.fg(theme.accent)));
    if let Some(worst) = worst {
        spans.push(Span::styled(format!("{:<4} ", worst.short()), bold.fg(theme.tone(Tone::from(worst)))));
    }
    let tally: String = SeverityLabel::ALL
        .into_iter()
        .filter(|&s| counts[s] > 0)
        .map(|s| format!(" {}{}", &s.short()[..1], counts[s]))
        .collect();
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let room = width.saturating_sub(used + tally.len() + 1);
    spans.push(Span::styled(format!("{} ", fit(&group.label, room)), bold.fg(theme.text)));
    spans.push(Span::styled(tally, Style::default().fg(theme.muted)));
    Line::from(spans)
}
