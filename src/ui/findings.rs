//! The Findings pane: severity counts above the merged GuardDuty / Security Hub list.

use crate::app::App;
use crate::model::SeverityLabel;
use crate::ui::theme::Theme;
use crate::ui::widgets::table::{self, TableOptions};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;

pub fn draw(frame: &mut Frame, title: Rect, body: Rect, app: &App, theme: &Theme) {
    let pane = &app.findings().table;
    let counts = app.findings().severity_counts();
    let scope = format!("{} ", super::scope_name(crate::pane::PaneId::Findings, pane.show_all));
    let mut facts = vec![Span::styled(scope, Style::default().fg(theme.muted))];
    for label in SeverityLabel::ALL {
        let n = counts[label];
        if n > 0 {
            let color = theme.tone(crate::view::Tone::from(label));
            facts.push(Span::styled(format!(" {} {n}", label.short()), Style::default().fg(color)));
        }
    }
    if !app.findings().unseen.is_empty() {
        let text = format!("  +{} new ({}: seen)", app.findings().unseen.len(), app.table_key("mark-seen"));
        facts.push(Span::styled(text, Style::default().fg(theme.accent)));
    }
    super::title_line(frame, title, app, &pane.view, facts, theme);
    let nothing = format!("no open findings ({} shows resolved, suppressed and archived ones)", app.table_key("scope"));
    let empty = TableOptions {
        marked: &pane.marked,
        fresh: Some(&app.findings().unseen),
        loading: pane.status.last_success.is_none(),
        filter: &pane.view.filter,
        clear_filter_key: app.table_key("clear-filter"),
        nothing: &nothing,
        hidden: &app.findings().table.hidden_columns,
    };
    table::draw(frame, body, &pane.rows, &pane.view, &app.cell_context(), theme, empty);
}
