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
    let (users, pool_wide) = crate::model::users::affected(&pane.rows);
    let facts = vec![
        Span::styled(
            format!("anomalies: {users} users, {pool_wide} pool-wide, in {} pools", app.users().pools.len()),
            Style::default().fg(theme.muted),
        ),
        Span::styled(pii, Style::default().fg(pii_color)),
    ];
    crate::ui::title_line(frame, title, app, &pane.view, facts, theme);
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
            let counted = match pool.counted_from {
                crate::model::users::CountedFrom::Cloudwatch => " · rates counted by CloudWatch",
                crate::model::users::CountedFrom::UsersRead => " · rates from the users read",
            };
            let sampled = pool.sampled.as_deref().map(|s| format!(" · {s}")).unwrap_or_default();
            let head = format!("  {} · {} users · ", pool.pool_name, pool.estimated_users);
            let room = (pools_area.width as usize).saturating_sub(crate::text::width(&head));
            Line::from(vec![
                Span::styled(fit(&head, pools_area.width as usize), Style::default().fg(theme.text)),
                Span::styled(fit(&format!("{protection}{counted}{sampled}"), room), Style::default().fg(color)),
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

pub struct Pane;

impl super::UiPane for Pane {
    fn draw(frame: &mut Frame, areas: super::PaneAreas, app: &App, theme: &Theme) {
        draw(frame, areas.title, areas.summary, areas.table, app, theme);
    }

    fn board_panels() -> Vec<crate::ui::board::BoardPanel> {
        vec![board::SIGN_UPS]
    }
}

/// The Users pane's panel on the war-room board.
mod board {
    use crate::app::App;
    use crate::text::fit;
    use crate::ui::board::{BoardPanel, render};
    use crate::ui::theme::Theme;
    use crate::view::Tone;
    use ratatui::Frame;
    use ratatui::layout::Rect;
    use ratatui::style::{Modifier, Style};
    use ratatui::text::{Line, Span};

    /// Each Cognito pool's sign-ups against its usual rate, and its fraud signals.
    pub const SIGN_UPS: BoardPanel = BoardPanel {
        order: 50,
        wanted: |app| app.users().pools.len().clamp(1, 12) as u16,
        minimum: 3,
        narrow: false,
        draw: sign_ups,
    };

    fn sign_ups(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
        let users = app.users();
        let lines = users
            .pools
            .iter()
            .zip(users.pool_signals.iter().copied())
            .take(area.height as usize)
            .map(|(p, (surges, risky))| {
                let r = p.signups;
                let tone = if surges > 0 || risky > 0 { Tone::Warning } else { Tone::Normal };
                Line::from(vec![
                    Span::styled(
                        format!(" {} ", fit(&p.pool_name, 24)),
                        Style::default().fg(theme.tone(tone)).add_modifier(Modifier::BOLD),
                    ),
                    Span::styled(
                        format!(
                            "{}/h (usual {:.1}) · {} surges · {} risky sign-ins",
                            r.last_window, r.usual_per_window, surges, risky
                        ),
                        Style::default().fg(theme.text),
                    ),
                ])
            })
            .collect();
        render(frame, area, "Cognito sign-ups and fraud signals".into(), lines, theme);
    }
}
