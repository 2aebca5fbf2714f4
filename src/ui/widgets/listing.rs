//! The listing overlay: a list across the panes (the expiry radar, everything about a resource),
//! each row leading to a record in its pane.

use crate::app::App;
use crate::app::listing::ListingKind;
use crate::keymap::KeyContext;
use crate::text::fit;
use crate::ui::theme::Theme;
use crate::ui::widgets::table::fit_columns;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};

const SPACING: u16 = 1;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(listing) = app.listing() else { return };
    frame.render_widget(Clear, area);
    let keys = app.keymap();
    let key = |name| keys.key_label(KeyContext::Listing, name);
    let go = listing.go;
    let back = match listing.kind {
        ListingKind::Related(_) => format!(" ({} comes back)", key("jump-back")),
        ListingKind::AutomationRules => format!(" · {} deletes it", key("delete-rule")),
        ListingKind::History => format!(" · {} stops it · {} asks again", key("stop-history"), key("rerun-history")),
        _ => String::new(),
    };
    let title = format!("{} — {} {go}{back} · {} close", listing.title, key("go"), key("close"));
    let block = Block::default().borders(Borders::ALL).border_style(Style::default().fg(theme.accent)).title(
        Span::styled(fit(&title, area.width.saturating_sub(4) as usize), Style::default().add_modifier(Modifier::BOLD)),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if listing.rows.is_empty() {
        let line = Line::from(fit(&listing.empty, inner.width as usize)).style(Style::default().fg(theme.muted));
        frame.render_widget(Paragraph::new(line).centered(), Rect { y: inner.y + 1, height: 1, ..inner });
        return;
    }
    let fitted = fit_columns(listing.columns, inner.width, &listing.hidden);
    let header = Row::new(fitted.iter().map(|&(i, w)| Cell::from(fit(listing.columns[i].title, w as usize))))
        .style(Style::default().fg(theme.header_fg).add_modifier(Modifier::BOLD));
    let height = inner.height.saturating_sub(1) as usize;
    // The selection stays on screen, a little below the top when it can.
    let start =
        listing.selected.saturating_sub(height.saturating_sub(1)).min(listing.rows.len().saturating_sub(height));
    let mut headings = Vec::new();
    let rows: Vec<Row> = listing
        .rows
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(pos, row)| {
            if row.heading {
                headings.push((pos - start, row.cells.first().cloned().unwrap_or_default()));
                return Row::new(Vec::<Cell>::new());
            }
            let cells = fitted.iter().map(|&(i, w)| {
                let text = fit(row.cells.get(i).map(String::as_str).unwrap_or_default(), w as usize);
                // The first column carries the row's tone (days left, severity); the rest read plainly.
                let tone = if i == 0 { theme.tone(row.tone) } else { theme.text };
                Cell::from(text).style(theme.cell(tone, pos == listing.selected))
            });
            // A row that leads nowhere is muted, except in the history answer where nothing does.
            let leads_nowhere = row.jump.is_none() && listing.kind != ListingKind::History;
            let style = if leads_nowhere { Style::default().fg(theme.muted) } else { Style::default() };
            let row_widget = Row::new(cells).style(style);
            if pos == listing.selected { row_widget.style(theme.selection()) } else { row_widget }
        })
        .collect();
    let widths: Vec<Constraint> = fitted.iter().map(|&(_, w)| Constraint::Length(w)).collect();
    frame.render_widget(Table::new(rows, widths).header(header).column_spacing(SPACING), inner);
    for (on_screen, text) in headings {
        let line = Line::from(Span::styled(
            fit(&text, inner.width as usize),
            Style::default().fg(theme.accent).add_modifier(Modifier::BOLD),
        ));
        frame.render_widget(Paragraph::new(line), Rect { y: inner.y + 1 + on_screen as u16, height: 1, ..inner });
    }
}
