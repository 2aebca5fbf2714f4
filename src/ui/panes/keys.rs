//! The Keys pane: KMS keys and the secrets that depend on them.

use crate::app::App;
use crate::model::key::KeyHealth;
use crate::ui::theme::Theme;
use crate::ui::widgets::table::{self, TableOptions};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;

pub fn draw(frame: &mut Frame, title: Rect, body: Rect, app: &App, theme: &Theme) {
    let pane = &app.keys();
    let count = |wanted: &[KeyHealth]| {
        pane.rows
            .iter()
            .filter(|r| matches!(r, crate::view::keys::KeyRow::Key(k) if wanted.contains(&k.health(app.now()))))
            .count()
    };
    let breaking = count(&[KeyHealth::DeletionInUse, KeyHealth::BlockedInUse]);
    let unrotated = count(&[KeyHealth::RotationOff]);
    let mut facts = Vec::new();
    if breaking > 0 {
        facts.push(Span::styled(format!(" {breaking} breaking secrets"), Style::default().fg(theme.bad)));
    }
    if unrotated > 0 {
        facts.push(Span::styled(format!(" {unrotated} without rotation"), Style::default().fg(theme.warning)));
    }
    crate::ui::title_line(frame, title, app, &pane.view, facts, theme);
    let empty = TableOptions {
        marked: &pane.marked,
        fresh: None,
        loading: pane.status.last_success.is_none(),
        filter: &pane.view.filter,
        clear_filter_key: app.table_key("clear-filter"),
        nothing: "no KMS keys, private CAs or CloudHSM clusters in this region",
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
