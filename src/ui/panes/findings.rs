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
    let scope = format!("{} ", crate::ui::scope_name(crate::pane::PaneId::Findings, pane.show_all));
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
    if let Some(coverage) = &app.info().coverage {
        facts.extend(crate::ui::coverage_facts(
            &[("SH", &coverage.security_hub), ("GD", &coverage.guardduty)],
            Some(app.findings().accounts_seen),
            theme,
        ));
    }
    crate::ui::title_line(frame, title, app, &pane.view, facts, theme);
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

pub struct Pane;

impl super::UiPane for Pane {
    fn draw(frame: &mut Frame, areas: super::PaneAreas, app: &App, theme: &Theme) {
        draw(frame, areas.title, areas.table, app, theme);
    }

    fn board_panels() -> Vec<crate::ui::board::BoardPanel> {
        vec![board::SEVERITY, board::NEWEST]
    }
}

/// The Findings pane's panels on the war-room board.
mod board {
    use crate::app::App;
    use crate::model::SeverityLabel;
    use crate::model::time::compact_age;
    use crate::text::fit;
    use crate::ui::board::{BoardPanel, muted, render};
    use crate::ui::theme::Theme;
    use crate::view::{Tone, short_arn};
    use ratatui::Frame;
    use ratatui::layout::Rect;
    use ratatui::style::{Modifier, Style};
    use ratatui::text::{Line, Span};

    /// Open findings per severity, in order, with the change over the last hour; on a tall wall
    /// the critical and high counts in large figures above them.
    pub const SEVERITY: BoardPanel =
        BoardPanel { order: 10, wanted: severity_wanted, minimum: 5, narrow: true, draw: severity };

    /// Screens this tall have the room for the large figures (a 24- or 35-line terminal gives its
    /// lines to the lists instead).
    const LARGE_FIGURES_FROM_HEIGHT: u16 = 40;
    /// Lines the large figures take: three of digits and one apart.
    const LARGE_FIGURES_LINES: u16 = 4;

    fn severity_wanted(app: &App) -> u16 {
        if app.screen().1 >= LARGE_FIGURES_FROM_HEIGHT { 5 + LARGE_FIGURES_LINES } else { 5 }
    }

    /// Digits three cells wide and three lines tall, of half blocks.
    const DIGITS: [[&str; 3]; 10] = [
        ["█▀█", "█ █", "▀▀▀"],
        ["▀█ ", " █ ", "▀▀▀"],
        ["▀▀█", "█▀▀", "▀▀▀"],
        ["▀▀█", " ▀█", "▀▀▀"],
        ["█ █", "▀▀█", "  ▀"],
        ["█▀▀", "▀▀█", "▀▀▀"],
        ["█▀▀", "█▀█", "▀▀▀"],
        ["▀▀█", "  █", "  ▀"],
        ["█▀█", "█▀█", "▀▀▀"],
        ["█▀█", "▀▀█", "▀▀▀"],
    ];

    /// `n` in large figures: three lines, each digit three cells and a space (a thousands group
    /// one space more).
    pub fn large_figures(n: usize) -> [String; 3] {
        let digits: Vec<usize> = n.to_string().bytes().map(|b| usize::from(b - b'0')).collect();
        let mut lines = [String::new(), String::new(), String::new()];
        for (i, &d) in digits.iter().enumerate() {
            for (line, row) in lines.iter_mut().zip(DIGITS[d]) {
                line.push_str(row);
                line.push(' ');
                if (digits.len() - i - 1).is_multiple_of(3) && i + 1 < digits.len() {
                    line.push(' ');
                }
            }
        }
        lines
    }

    /// The critical and high counts in large figures, each with its name, side by side where the
    /// width allows (critical alone where it does not).
    fn large_lines(counts: &crate::model::SeverityCounts, width: usize, theme: &Theme) -> Vec<Line<'static>> {
        let part = |s: SeverityLabel| {
            let figures = large_figures(counts[s]);
            let label = format!(" {}", s.as_str());
            let wide = figures[0].chars().count().max(1) + label.len();
            (figures, label, wide, Style::default().fg(theme.tone(Tone::from(s))).add_modifier(Modifier::BOLD))
        };
        let parts: Vec<_> = [SeverityLabel::Critical, SeverityLabel::High].into_iter().map(part).collect();
        let together: usize = parts.iter().map(|p| p.2 + 3).sum();
        let shown = if together < width { 2 } else { 1 };
        if parts[0].2 >= width {
            return Vec::new();
        }
        let mut lines: Vec<Line<'static>> = (0..3)
            .map(|row| {
                let mut spans = vec![Span::raw(" ")];
                for (figures, label, wide, style) in parts.iter().take(shown) {
                    spans.push(Span::styled(figures[row].clone(), *style));
                    let text = if row == 1 { label.clone() } else { " ".repeat(label.len()) };
                    spans.push(Span::styled(text, *style));
                    let used = figures[row].chars().count() + label.len();
                    spans.push(Span::raw(" ".repeat(wide.saturating_sub(used) + 3)));
                }
                Line::from(spans)
            })
            .collect();
        lines.push(Line::default());
        lines
    }
    /// The newest open critical and high findings.
    pub const NEWEST: BoardPanel = BoardPanel {
        order: 20,
        wanted: |app| app.board_state().newest.len().clamp(1, 40) as u16,
        minimum: 3,
        narrow: false,
        draw: newest,
    };

    fn severity(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
        let board = app.board_state();
        let now = app.now();
        let change = board.change_over_the_hour(now);
        let title = match &change {
            Some((_, since)) if crate::model::time::reached(*since + chrono::Duration::minutes(59), now) => {
                "Open findings · last hour".to_string()
            }
            Some((_, since)) => format!("Open findings · since {}", since.format("%H:%M")),
            None => "Open findings".to_string(),
        };
        let large = area.height >= 2 + 5 + LARGE_FIGURES_LINES && app.screen().1 >= LARGE_FIGURES_FROM_HEIGHT;
        let mut lines = match (board.counts(), large) {
            (Some(counts), true) => large_lines(&counts, area.width.saturating_sub(2) as usize, theme),
            _ => Vec::new(),
        };
        lines.extend(match board.counts() {
            None => vec![Line::from(muted("loading…".into(), theme))],
            Some(counts) => SeverityLabel::ALL
                .iter()
                .map(|&s| {
                    let delta = change.map(|(c, _)| c[s]).unwrap_or(0);
                    let (arrow, tone) = match delta {
                        d if d > 0 => (format!("▲{d}"), Tone::Bad),
                        d if d < 0 => (format!("▼{}", -d), Tone::Good),
                        _ => ("·".to_string(), Tone::Muted),
                    };
                    let style = Style::default().fg(theme.tone(Tone::from(s)));
                    Line::from(vec![
                        Span::styled(format!(" {:<13}", s.as_str()), style.add_modifier(Modifier::BOLD)),
                        Span::styled(
                            format!("{:>7}", crate::app::panes::thousands(counts[s])),
                            style.add_modifier(Modifier::BOLD),
                        ),
                        Span::styled(format!("  {arrow}"), Style::default().fg(theme.tone(tone))),
                    ])
                })
                .collect::<Vec<_>>(),
        });
        render(frame, area, title, lines, theme);
    }

    /// The open critical and high findings of the last day by priority (its figure first, as in
    /// the Findings pane), then older ones newest first; `+` marks those that arrived since the
    /// console opened.
    fn newest(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
        let unseen = &app.findings().unseen;
        let width = area.width.saturating_sub(2) as usize;
        let lines: Vec<Line> = app
            .board_state()
            .newest
            .iter()
            .map(|f| {
                let new = if unseen.contains(&f.identity()) { "+" } else { " " };
                let head = format!(
                    "{new}{:>3} {:>4} {:<4} ",
                    f.risk.score,
                    compact_age(f.first_seen, app.now()),
                    f.severity.short()
                );
                let resource = short_arn(&f.resource);
                let room = width.saturating_sub(head.chars().count());
                let resource_room = (room / 3).min(28);
                let title_room = room.saturating_sub(resource_room + 1);
                let style = Style::default().fg(theme.tone(Tone::from(f.severity)));
                Line::from(vec![
                    Span::styled(head, style.add_modifier(Modifier::BOLD)),
                    Span::styled(format!("{:<title_room$} ", fit(&f.title, title_room)), Style::default().fg(theme.text)),
                    muted(fit(resource, resource_room), theme),
                ])
            })
            .collect();
        let lines = if lines.is_empty() && app.board_state().counts().is_some() {
            vec![Line::from(muted("no open critical or high finding".into(), theme))]
        } else {
            lines
        };
        let title = format!(
            "Critical and high: last {}h by priority, then newest",
            crate::app::board::NEWEST_WINDOW_HOURS
        );
        render(frame, area, title, lines, theme);
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn large_figures_are_three_lines_of_three_cell_digits_grouped_by_thousands() {
            assert_eq!(super::large_figures(42), ["█ █ ▀▀█ ", "▀▀█ █▀▀ ", "  ▀ ▀▀▀ "]);
            let [top, ..] = super::large_figures(1_234);
            assert_eq!(top, "▀█   ▀▀█ ▀▀█ █ █ ", "a space more after the thousands");
        }
    }
}
