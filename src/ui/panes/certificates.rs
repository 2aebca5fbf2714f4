//! The Certificates pane: ACM certificates, soonest expiry first.

use crate::app::App;
use crate::model::CertificateHealth;
use crate::ui::theme::Theme;
use crate::ui::widgets::table::{self, TableOptions};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;

pub fn draw(frame: &mut Frame, title: Rect, body: Rect, app: &App, theme: &Theme) {
    let pane = &app.certificates();
    let count = |h: CertificateHealth| pane.rows.iter().filter(|c| c.health(app.now()) == h).count();
    let urgent =
        count(CertificateHealth::Expired) + count(CertificateHealth::Critical) + count(CertificateHealth::Failed);
    let soon = count(CertificateHealth::Expiring);
    let mut facts = Vec::new();
    if urgent > 0 {
        facts.push(Span::styled(format!(" {urgent} need action now"), Style::default().fg(theme.bad)));
    }
    if soon > 0 {
        facts.push(Span::styled(format!(" {soon} expiring"), Style::default().fg(theme.warning)));
    }
    crate::ui::title_line(frame, title, app, &pane.view, facts, theme);
    let empty = TableOptions {
        marked: &pane.marked,
        fresh: None,
        loading: pane.status.last_success.is_none(),
        filter: &pane.view.filter,
        clear_filter_key: app.table_key("clear-filter"),
        nothing: "no ACM certificates in this region",
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
