//! The Compliance pane: the security score per standard, then the failing controls.

use crate::app::App;
use crate::text::fit;
use crate::ui::theme::Theme;
use crate::ui::widgets::table::{self, TableOptions};
use crate::view::compliance::score_tone;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const BAR_WIDTH: usize = 10;

fn bar(score: Option<u8>) -> String {
    let filled = score.map(|s| (usize::from(s) * BAR_WIDTH + 50) / 100).unwrap_or(0);
    format!("{}{}", "█".repeat(filled), "░".repeat(BAR_WIDTH - filled))
}

pub fn draw(frame: &mut Frame, title: Rect, standards_area: Rect, body: Rect, app: &App, theme: &Theme) {
    let pane = &app.compliance().table;
    let score = app.compliance().summary_score.map(|s| format!("{s}%")).unwrap_or_else(|| "no data".into());
    let scope = crate::ui::scope_name(crate::pane::PaneId::Compliance, pane.show_all);
    let mut facts = vec![
        Span::styled(format!("{scope} · security score "), Style::default().fg(theme.muted)),
        Span::styled(
            score,
            Style::default().fg(theme.tone(score_tone(app.compliance().summary_score))).add_modifier(Modifier::BOLD),
        ),
    ];
    // Control findings come through Security Hub: its administration says whose they are.
    if let Some(coverage) = &app.info().coverage {
        facts.extend(crate::ui::coverage_facts(&[("SH", &coverage.security_hub)], None, theme));
    }
    crate::ui::title_line(frame, title, app, &pane.view, facts, theme);
    let width = standards_area.width as usize;
    let lines: Vec<Line> = app
        .compliance()
        .standards
        .iter()
        .take(standards_area.height as usize)
        .map(|s| {
            let color = theme.tone(score_tone(s.score));
            let pct = s.score.map(|v| format!("{v:>3}%")).unwrap_or_else(|| "  - ".into());
            let t = s.tally;
            let counts = format!(" {}✓ {}✗ {}? ", t.passed, t.failed, t.unknown);
            let head = format!("  {:<5}", s.short);
            // An administrator's view: the organisation's average and the account furthest behind.
            let organisation = s
                .organisation
                .as_ref()
                .map(|o| {
                    let average = o.average.map(|a| format!("{a}%")).unwrap_or_else(|| "-".into());
                    let lowest = o
                        .lowest
                        .as_ref()
                        .map(|(account, score)| {
                            format!(", lowest {} {score}%", app.info().account_names.label(account))
                        })
                        .unwrap_or_default();
                    format!("{} accts: mean {average}{lowest} ", o.accounts)
                })
                .unwrap_or_default();
            // The last week and the change since yesterday and last week, from the local history.
            let trend =
                crate::app::listing::trend_text(&app.score_history().trend(&app.score_key(&s.arn), app.now(), 7));
            let trend = if trend.is_empty() { trend } else { format!("{trend} ") };
            let used = crate::text::width(&head) + BAR_WIDTH + 5 + crate::text::width(&counts);
            let trend = fit(&trend, width.saturating_sub(used));
            let used = used + crate::text::width(&trend);
            let organisation = fit(&organisation, width.saturating_sub(used));
            let used = used + crate::text::width(&organisation);
            Line::from(vec![
                Span::styled(head, Style::default().fg(theme.text).add_modifier(Modifier::BOLD)),
                Span::styled(bar(s.score), Style::default().fg(color)),
                Span::styled(format!(" {pct}"), Style::default().fg(color).add_modifier(Modifier::BOLD)),
                Span::styled(counts, Style::default().fg(theme.muted)),
                Span::styled(trend, Style::default().fg(theme.accent)),
                Span::styled(organisation, Style::default().fg(theme.text)),
                Span::styled(fit(&s.name, width.saturating_sub(used)), Style::default().fg(theme.text)),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), standards_area);
    let nothing = format!("no failing controls ({} shows all)", app.table_key("scope"));
    let empty = TableOptions {
        marked: &pane.marked,
        fresh: None,
        loading: pane.status.last_success.is_none(),
        filter: &pane.view.filter,
        clear_filter_key: app.table_key("clear-filter"),
        nothing: &nothing,
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
        vec![board::SCORES]
    }
}

/// The Compliance pane's panel on the war-room board.
mod board {
    use crate::app::App;
    use crate::app::listing::trend_text;
    use crate::text::fit;
    use crate::ui::board::{BoardPanel, render};
    use crate::ui::theme::Theme;
    use ratatui::Frame;
    use ratatui::layout::Rect;
    use ratatui::style::{Modifier, Style};
    use ratatui::text::{Line, Span};

    /// Each standard's score, its last week and the change since yesterday and last week.
    pub const SCORES: BoardPanel = BoardPanel {
        order: 15,
        wanted: |app| app.compliance().standards.len().clamp(1, 12) as u16,
        minimum: 2,
        narrow: true,
        draw: scores,
    };

    fn scores(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
        let title = match app.compliance().summary_score {
            Some(score) => format!("Security score {score}%"),
            None => "Security score".into(),
        };
        let lines = app
            .compliance()
            .standards
            .iter()
            .map(|s| {
                let trend = trend_text(&app.score_history().trend(&app.score_key(&s.arn), app.now(), 7));
                let score = s.score.map(|v| format!("{v:>3}%")).unwrap_or_else(|| "  - ".into());
                let tone = crate::view::compliance::score_tone(s.score);
                Line::from(vec![
                    Span::styled(format!(" {:<5}", fit(&s.short, 5)), Style::default().fg(theme.text).add_modifier(Modifier::BOLD)),
                    Span::styled(score, Style::default().fg(theme.tone(tone)).add_modifier(Modifier::BOLD)),
                    Span::styled(format!(" {trend}"), Style::default().fg(theme.accent)),
                ])
            })
            .collect();
        render(frame, area, title, lines, theme);
    }
}
