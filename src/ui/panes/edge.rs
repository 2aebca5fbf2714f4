//! The Edge pane: a banner while an attack goes on, then one table of the front door; on the
//! board, the attack banner and each web ACL's blocked requests per minute.

use crate::app::App;
use crate::model::time::compact_age;
use crate::ui::theme::Theme;
use crate::ui::widgets::table::{self, TableOptions};
use crate::view::edge::resource_name;
use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;

pub struct Pane;

impl super::UiPane for Pane {
    fn draw(frame: &mut Frame, areas: super::PaneAreas, app: &App, theme: &Theme) {
        let state = &app.panes().edge;
        let pane = &state.table;
        let report = &state.report;
        let mut facts = Vec::new();
        let ongoing: Vec<_> = report.attacks.iter().filter(|a| a.in_progress()).collect();
        match ongoing.first() {
            Some(a) => facts.push(Span::styled(
                format!(
                    " ATTACK on {} since {} · {}",
                    resource_name(&a.resource_arn),
                    a.start.map(|s| compact_age(s, app.now())).unwrap_or_else(|| "?".into()),
                    a.peak.describe()
                ),
                Style::default().fg(theme.critical).add_modifier(Modifier::BOLD),
            )),
            None => facts.push(Span::styled(" no attack going on", Style::default().fg(theme.good))),
        }
        let unprotected = report.entry_points.iter().filter(|e| e.unprotected()).count();
        if unprotected > 0 {
            facts.push(Span::styled(format!(" · {unprotected} unprotected"), Style::default().fg(theme.bad)));
        }
        let unlogged = report.web_acls.iter().filter(|w| !w.logging()).count();
        if unlogged > 0 {
            facts.push(Span::styled(format!(" · {unlogged} ACL without logs"), Style::default().fg(theme.warning)));
        }
        crate::ui::title_line(frame, areas.title, app, &pane.view, facts, theme);
        let empty = TableOptions {
            marked: &pane.marked,
            fresh: None,
            loading: pane.status.last_success.is_none(),
            filter: &pane.view.filter,
            clear_filter_key: app.table_key("clear-filter"),
            nothing: "no attack, web ACL or protection in this account and region",
            hidden: &pane.hidden_columns,
        };
        table::draw(frame, areas.table, &pane.rows, &pane.view, &app.cell_context(), theme, empty);
    }

    fn board_panels() -> Vec<crate::ui::board::BoardPanel> {
        vec![board::ATTACK, board::BLOCKED]
    }
}

/// The Edge pane's panels on the war-room board.
mod board {
    use crate::app::App;
    use crate::model::panes::edge::bars;
    use crate::model::time::compact_age;
    use crate::text::fit;
    use crate::ui::board::{BoardPanel, muted, render};
    use crate::ui::theme::Theme;
    use crate::view::edge::resource_name;
    use ratatui::Frame;
    use ratatui::layout::Rect;
    use ratatui::style::{Modifier, Style};
    use ratatui::text::{Line, Span};

    /// What is attacking the shop now: first on the wall when it is.
    pub const ATTACK: BoardPanel = BoardPanel {
        order: 5,
        wanted: |app| app.panes().edge.report.attacks.iter().filter(|a| a.in_progress()).count().clamp(1, 4) as u16,
        minimum: 1,
        narrow: false,
        draw: attack,
    };
    /// Each web ACL's blocked requests per minute over the last hour.
    pub const BLOCKED: BoardPanel = BoardPanel {
        order: 35,
        wanted: |app| app.panes().edge.report.web_acls.len().clamp(1, 6) as u16,
        minimum: 1,
        narrow: false,
        draw: blocked,
    };

    fn attack(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
        let report = &app.panes().edge.report;
        let ongoing: Vec<_> = report.attacks.iter().filter(|a| a.in_progress()).collect();
        let width = area.width.saturating_sub(2) as usize;
        let lines: Vec<Line> = if ongoing.is_empty() {
            let last = report.attacks.iter().filter_map(|a| a.end).max();
            let text = match last {
                Some(end) => format!(" no attack going on · the last ended {} ago", compact_age(end, app.now())),
                None if app.pane(crate::pane::PaneId::Edge).status().last_success.is_none() => " loading…".into(),
                None => " no attack in the last 24 hours".into(),
            };
            vec![Line::from(muted(text, theme))]
        } else {
            ongoing
                .iter()
                .map(|a| {
                    let since = a.start.map(|s| compact_age(s, app.now())).unwrap_or_else(|| "?".into());
                    let mitigation = if a.mitigations.is_empty() { "no mitigation reported" } else { "mitigated" };
                    Line::from(vec![
                        Span::styled(
                            format!(" {} ", fit(&resource_name(&a.resource_arn), width / 2)),
                            Style::default().fg(theme.critical).add_modifier(Modifier::BOLD),
                        ),
                        Span::styled(
                            fit(&format!("for {since} · peak {} · {} · {mitigation}", a.peak.describe(), a.vectors.join(", ")), width),
                            Style::default().fg(theme.text),
                        ),
                    ])
                })
                .collect()
        };
        let title = if ongoing.is_empty() { "Attacks".to_string() } else { format!("ATTACK GOING ON ({})", ongoing.len()) };
        render(frame, area, title, lines, theme);
    }

    fn blocked(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
        let report = &app.panes().edge.report;
        let width = area.width.saturating_sub(2) as usize;
        let lines: Vec<Line> = report
            .web_acls
            .iter()
            .map(|w| {
                let head = format!(" {:<14} ", fit(&w.name, 14));
                let total = crate::model::panes::edge::si(w.blocked_last_hour() as f64);
                let tail = format!(" {}/h", total.trim_end());
                let room = width.saturating_sub(head.chars().count() + tail.chars().count());
                let series = &w.traffic.blocked;
                let shown = &series[series.len().saturating_sub(room)..];
                let tone = if w.traffic.block_rate_jumped() { theme.bad } else { theme.accent };
                Line::from(vec![
                    Span::styled(head, Style::default().fg(theme.text)),
                    Span::styled(bars(shown), Style::default().fg(tone)),
                    muted(tail, theme),
                ])
            })
            .collect();
        render(frame, area, "Blocked per minute, last hour".into(), lines, theme);
    }
}
