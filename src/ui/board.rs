//! The war-room board: the whole account on one screen for a wall, read from across a room. Calm:
//! nothing blinks, nothing moves unless the data did (ratatui writes only the cells that changed),
//! every figure says how old it is. 80x24 shows the essentials stacked; 120x35 two columns; from
//! 160 columns three.

use crate::app::App;
use crate::app::listing::{days_cell, days_tone, trend_text};
use crate::model::SeverityLabel;
use crate::model::time::{compact_age, compact_duration};
use crate::pane::PaneId;
use crate::text::fit;
use crate::ui::theme::Theme;
use crate::view::{Tone, short_arn};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Radar items the board shows: what falls due within a week.
const DUE_WITHIN_DAYS: i64 = 7;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let panels = Panels { app, theme };
    if area.width >= 160 {
        let [left, middle, right] =
            Layout::horizontal([Constraint::Percentage(30), Constraint::Percentage(40), Constraint::Percentage(30)])
                .areas(area);
        let [severity, compliance] = Layout::vertical([Constraint::Length(8), Constraint::Min(3)]).areas(left);
        panels.severity(frame, severity);
        panels.compliance(frame, compliance);
        panels.newest(frame, middle);
        let [due, users, sources] =
            Layout::vertical([Constraint::Percentage(45), Constraint::Min(5), Constraint::Length(8)]).areas(right);
        panels.due(frame, due);
        panels.users(frame, users);
        panels.sources(frame, sources);
    } else if area.width >= 100 {
        let [left, right] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(area);
        let [severity, compliance, due] =
            Layout::vertical([Constraint::Length(8), Constraint::Length(6), Constraint::Min(3)]).areas(left);
        panels.severity(frame, severity);
        panels.compliance(frame, compliance);
        panels.due(frame, due);
        let [newest, users, sources] =
            Layout::vertical([Constraint::Min(5), Constraint::Length(6), Constraint::Length(3)]).areas(right);
        panels.newest(frame, newest);
        panels.users(frame, users);
        panels.sources(frame, sources);
    } else {
        // 80x24: severities beside the compliance scores, then the newest findings, then what
        // falls due; the data age is the status line's.
        let [top, newest, due] =
            Layout::vertical([Constraint::Length(7), Constraint::Min(4), Constraint::Length(5)]).areas(area);
        let [severity, compliance] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(top);
        panels.severity(frame, severity);
        panels.compliance(frame, compliance);
        panels.newest(frame, newest);
        panels.due(frame, due);
    }
}

struct Panels<'a> {
    app: &'a App,
    theme: &'a Theme,
}

impl Panels<'_> {
    fn block(&self, title: String) -> Block<'static> {
        Block::default().borders(Borders::ALL).border_style(Style::default().fg(self.theme.border)).title(Span::styled(
            format!(" {title} "),
            Style::default().fg(self.theme.accent).add_modifier(Modifier::BOLD),
        ))
    }

    fn render(&self, frame: &mut Frame, area: Rect, title: String, lines: Vec<Line<'_>>) {
        let block = self.block(fit(&title, area.width.saturating_sub(4) as usize));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let lines: Vec<Line> = lines.into_iter().take(inner.height as usize).collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }

    fn muted(&self, text: String) -> Span<'static> {
        Span::styled(text, Style::default().fg(self.theme.muted))
    }

    /// Open findings per severity, big and in order, with the change over the last hour.
    fn severity(&self, frame: &mut Frame, area: Rect) {
        let board = self.app.board_state();
        let now = self.app.now();
        let change = board.change_over_the_hour(now);
        let title = match &change {
            Some((_, since)) if now - *since >= chrono::Duration::minutes(59) => {
                "Open findings · last hour".to_string()
            }
            Some((_, since)) => format!("Open findings · since {}", since.format("%H:%M")),
            None => "Open findings".to_string(),
        };
        let lines = match board.counts() {
            None => vec![Line::from(self.muted("loading…".into()))],
            Some(counts) => SeverityLabel::ALL
                .iter()
                .map(|&s| {
                    let delta = change.map(|(c, _)| c[s as usize]).unwrap_or(0);
                    let (arrow, tone) = match delta {
                        d if d > 0 => (format!("▲{d}"), Tone::Bad),
                        d if d < 0 => (format!("▼{}", -d), Tone::Good),
                        _ => ("·".to_string(), Tone::Muted),
                    };
                    let style = Style::default().fg(self.theme.tone(Tone::from(s)));
                    Line::from(vec![
                        Span::styled(format!(" {:<13}", s.as_str()), style.add_modifier(Modifier::BOLD)),
                        Span::styled(format!("{:>7}", counts[s as usize]), style.add_modifier(Modifier::BOLD)),
                        Span::styled(format!("  {arrow}"), Style::default().fg(self.theme.tone(tone))),
                    ])
                })
                .collect(),
        };
        self.render(frame, area, title, lines);
    }

    /// The newest open critical and high findings, newest first; `+` marks those that arrived
    /// since the console opened.
    fn newest(&self, frame: &mut Frame, area: Rect) {
        let app = self.app;
        let unseen = &app.findings().unseen;
        let width = area.width.saturating_sub(2) as usize;
        let lines: Vec<Line> = app
            .board_state()
            .newest
            .iter()
            .map(|f| {
                let new = if unseen.contains(&f.identity()) { "+" } else { " " };
                let head = format!("{new}{:>4} {:<4} ", compact_age(f.first_seen, app.now()), f.severity.short());
                let resource = short_arn(&f.resource);
                let room = width.saturating_sub(head.chars().count());
                let resource_room = (room / 3).min(28);
                let title_room = room.saturating_sub(resource_room + 1);
                let style = Style::default().fg(self.theme.tone(Tone::from(f.severity)));
                Line::from(vec![
                    Span::styled(head, style.add_modifier(Modifier::BOLD)),
                    Span::styled(
                        format!("{:<title_room$} ", fit(&f.title, title_room)),
                        Style::default().fg(self.theme.text),
                    ),
                    self.muted(fit(resource, resource_room)),
                ])
            })
            .collect();
        let lines = if lines.is_empty() && app.board_state().counts().is_some() {
            vec![Line::from(self.muted("no open critical or high finding".into()))]
        } else {
            lines
        };
        self.render(frame, area, "Newest critical and high".into(), lines);
    }

    /// Each standard's score, its last week and the change since yesterday and last week.
    fn compliance(&self, frame: &mut Frame, area: Rect) {
        let app = self.app;
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
                    Span::styled(
                        format!(" {:<5}", fit(&s.short, 5)),
                        Style::default().fg(self.theme.text).add_modifier(Modifier::BOLD),
                    ),
                    Span::styled(score, Style::default().fg(self.theme.tone(tone)).add_modifier(Modifier::BOLD)),
                    Span::styled(format!(" {trend}"), Style::default().fg(self.theme.accent)),
                ])
            })
            .collect();
        self.render(frame, area, title, lines);
    }

    /// Certificates and secrets that fall due within a week (or are past due).
    fn due(&self, frame: &mut Frame, area: Rect) {
        let app = self.app;
        let items = app.board_state().due();
        let width = area.width.saturating_sub(2) as usize;
        let soon: Vec<_> = items.iter().filter(|i| i.days_left.is_none_or(|d| d <= DUE_WITHIN_DAYS)).collect();
        let mut lines: Vec<Line> = soon
            .iter()
            .map(|i| {
                let head = format!(" {:>5} ", days_cell(i.days_left));
                let room = width.saturating_sub(head.len() + 29).max(12);
                Line::from(vec![
                    Span::styled(
                        head,
                        Style::default().fg(self.theme.tone(days_tone(i.days_left))).add_modifier(Modifier::BOLD),
                    ),
                    Span::styled(format!("{:<room$} ", fit(&i.name, room)), Style::default().fg(self.theme.text)),
                    self.muted(i.due.label().to_string()),
                ])
            })
            .collect();
        if lines.is_empty() {
            // Nothing due is only said of data that arrived.
            let waiting: Vec<&str> = [PaneId::Certificates, PaneId::Secrets]
                .into_iter()
                .filter(|&p| app.pane(p).status().last_success.is_none())
                .map(|p| p.title())
                .collect();
            let text = if waiting.is_empty() {
                format!(" nothing falls due within {DUE_WITHIN_DAYS} days")
            } else {
                format!(" nothing due so far: waiting for {}", waiting.join(" and "))
            };
            lines.push(Line::from(self.muted(text)));
        }
        self.render(frame, area, format!("Due within {DUE_WITHIN_DAYS} days ({})", soon.len()), lines);
    }

    /// Each Cognito pool's sign-ups against its usual rate, and its fraud signals.
    fn users(&self, frame: &mut Frame, area: Rect) {
        use crate::model::users::AnomalyKind;
        let users = self.app.users();
        let lines = users
            .pools
            .iter()
            .map(|p| {
                let r = p.signups;
                let count = |kinds: &[AnomalyKind]| {
                    users.table.rows.iter().filter(|a| a.pool_id == p.pool_id && kinds.contains(&a.kind)).count()
                };
                let surges = count(&[AnomalyKind::SignUpBurst, AnomalyKind::SignUpCluster]);
                let risky = count(&[AnomalyKind::CompromisedCredentials, AnomalyKind::HighRiskSignIn]);
                let hot = surges > 0 || risky > 0;
                let tone = if hot { Tone::Warning } else { Tone::Normal };
                Line::from(vec![
                    Span::styled(
                        format!(" {} ", fit(&p.pool_name, 24)),
                        Style::default().fg(self.theme.tone(tone)).add_modifier(Modifier::BOLD),
                    ),
                    Span::styled(
                        format!(
                            "{}/h (usual {:.1}) · {} surges · {} risky sign-ins",
                            r.last_window, r.usual_per_window, surges, risky
                        ),
                        Style::default().fg(self.theme.text),
                    ),
                ])
            })
            .collect();
        self.render(frame, area, "Cognito sign-ups and fraud signals".into(), lines);
    }

    /// How old each pane's data is, and which source fails.
    fn sources(&self, frame: &mut Frame, area: Rect) {
        let app = self.app;
        let spans: Vec<Span> = PaneId::ALL
            .iter()
            .flat_map(|&pane| {
                let status = app.pane(pane).status();
                let (text, tone) = match (&status.error, status.last_success) {
                    (Some(_), Some(t)) => {
                        (format!("stale {}", compact_duration((app.now() - t).num_seconds())), Tone::Bad)
                    }
                    (Some(_), None) => ("failing".to_string(), Tone::Bad),
                    // Minutes, not seconds: a wall screen that ticks every second is not calm.
                    (None, Some(t)) => match (app.now() - t).num_seconds() {
                        s if s < 60 => ("<1m".to_string(), Tone::Muted),
                        s => (compact_duration(s), Tone::Muted),
                    },
                    (None, None) => ("loading".to_string(), Tone::Muted),
                };
                [
                    Span::styled(format!(" {} ", pane.tab_label()), Style::default().fg(self.theme.text)),
                    Span::styled(format!("{text} "), Style::default().fg(self.theme.tone(tone))),
                ]
            })
            .collect();
        let context = fit(&format!(" {} │ {}", app.info().account, app.info().region), area.width as usize);
        self.render(frame, area, "Data age".into(), vec![Line::from(spans), Line::from(self.muted(context))]);
    }
}
