//! The Secrets pane: rotation health per secret (metadata only).

use crate::app::App;
use crate::model::RotationStatus;
use crate::ui::theme::Theme;
use crate::ui::widgets::table::{self, TableOptions};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;

pub fn draw(frame: &mut Frame, title: Rect, body: Rect, app: &App, theme: &Theme) {
    let pane = &app.secrets();
    let failing = pane
        .rows
        .iter()
        .filter(|s| matches!(s.rotation_status(app.now()), RotationStatus::Stuck | RotationStatus::Overdue))
        .count();
    let unused = pane.rows.iter().filter(|s| s.is_unused(app.now())).count();
    let mut facts = Vec::new();
    if failing > 0 {
        facts.push(Span::styled(format!(" {failing} rotation failing"), Style::default().fg(theme.bad)));
    }
    if unused > 0 {
        facts.push(Span::styled(format!(" {unused} unused 90d+"), Style::default().fg(theme.warning)));
    }
    crate::ui::title_line(frame, title, app, &pane.view, facts, theme);
    let empty = TableOptions {
        marked: &pane.marked,
        fresh: None,
        loading: pane.status.last_success.is_none(),
        filter: &pane.view.filter,
        clear_filter_key: app.table_key("clear-filter"),
        nothing: "no secrets in this region",
        hidden: &pane.hidden_columns,
    };
    table::draw(frame, body, &pane.rows, &pane.view, &app.cell_context(), theme, empty);
}

pub struct Pane;

impl super::UiPane for Pane {
    fn draw(frame: &mut Frame, areas: super::PaneAreas, app: &App, theme: &Theme) {
        draw(frame, areas.title, areas.table, app, theme);
    }
}
