//! The Users pane: one line per Cognito pool, then the anomalies across pools.

use crate::app::App;
use crate::model::users::ThreatProtection;
use crate::text::fit;
use crate::ui::theme::Theme;
use crate::ui::widgets::table::{self, TableOptions};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, title: Rect, pools_area: Rect, body: Rect, app: &App, theme: &Theme) {
    let pane = &app.users().table;
    let pii =
        if app.reveal_pii() { " PII SHOWN".to_string() } else { format!(" PII masked ({})", app.table_key("pii")) };
    let pii_color = if app.reveal_pii() { theme.warning } else { theme.muted };
    let facts = vec![
        Span::styled(format!("anomalies in {} pools", app.users().pools.len()), Style::default().fg(theme.muted)),
        Span::styled(pii, Style::default().fg(pii_color)),
    ];
    super::title_line(frame, title, app, &pane.view, facts, theme);
    let lines: Vec<Line> = app
        .users()
        .pools
        .iter()
        .take(pools_area.height as usize)
        .map(|pool| {
            let (protection, color) = match pool.threat_protection {
                ThreatProtection::Enforced => ("threat protection ENFORCED".to_string(), theme.good),
                ThreatProtection::Audit => ("threat protection AUDIT".to_string(), theme.good),
                ThreatProtection::Off => ("threat protection OFF: no risk data".to_string(), theme.warning),
                ThreatProtection::Unknown => ("threat protection unknown".to_string(), theme.muted),
            };
            let sampled = pool.sampled.as_deref().map(|s| format!(" · {s}")).unwrap_or_default();
            let head = format!("  {} · {} users · ", pool.pool_name, pool.estimated_users);
            let room = (pools_area.width as usize).saturating_sub(crate::text::width(&head));
            Line::from(vec![
                Span::styled(fit(&head, pools_area.width as usize), Style::default().fg(theme.text)),
                Span::styled(fit(&format!("{protection}{sampled}"), room), Style::default().fg(color)),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), pools_area);
    let empty = TableOptions {
        marked: &pane.marked,
        fresh: None,
        loading: pane.status.last_success.is_none(),
        filter: &pane.view.filter,
        clear_filter_key: app.table_key("clear-filter"),
        nothing: "no anomalies in any user pool",
        hidden: &pane.hidden_columns,
    };
    table::draw(frame, body, &pane.rows, &pane.view, &app.cell_context(), theme, empty);
}
