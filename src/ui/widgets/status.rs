//! The title bar, the pane tabs, the refresh status line and the bottom line (hints or input).

use crate::app::{App, Connection, MessageLevel, Mode};
use crate::model::time::compact_duration;
use crate::pane::PaneId;
use crate::source::SourceKind;
use crate::text::{fit, width};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn title_bar(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let base = Style::default().fg(theme.title_fg).bg(theme.title_bg);
    let info = &app.info();
    let account = match &info.account_name {
        // The "all" view is no account: its name says how many contexts it joins.
        Some(name) if info.account == crate::source::merged::ALL => name.clone(),
        Some(name) => format!("{name} ({})", info.account),
        None => info.account.clone(),
    };
    let mut spans = vec![Span::styled(" VIGIL ", base.add_modifier(Modifier::BOLD))];
    if info.kind == SourceKind::Demo {
        spans.push(Span::styled(
            " DEMO DATA ",
            Style::default().fg(theme.demo_fg).bg(theme.demo_bg).add_modifier(Modifier::BOLD),
        ));
    }
    match app.connection() {
        Connection::Connected => {}
        Connection::Connecting => spans.push(Span::styled(
            " CONNECTING: cached, account unconfirmed ",
            Style::default().fg(theme.demo_fg).bg(theme.accent).add_modifier(Modifier::BOLD),
        )),
        Connection::Failed(_) => spans.push(Span::styled(
            " NOT CONNECTED: cached data ",
            Style::default().fg(theme.demo_fg).bg(theme.error).add_modifier(Modifier::BOLD),
        )),
    }
    if app.read_only() {
        spans.push(Span::styled(
            " READ-ONLY ",
            Style::default().fg(theme.demo_fg).bg(theme.accent).add_modifier(Modifier::BOLD),
        ));
    }
    let profile = info.profile.as_deref().unwrap_or("-");
    // The aggregation says the view is wider than the account and region named.
    let aggregation = info.aggregation.as_ref().map(|a| format!("{} │ ", a.describe())).unwrap_or_default();
    let (contexts, current) = app.contexts();
    let position = if app.showing_all_contexts() {
        format!(" │ ctx all {}", contexts.len())
    } else if contexts.len() > 1 {
        format!(" │ ctx {}/{}", current + 1, contexts.len())
    } else {
        String::new()
    };
    let rest = format!(" {account} │ {} │ {aggregation}profile {profile}{position} ", info.region);
    // Minutes: a clock that changes every second costs an idle console a write every second.
    let clock = format!("{} ", app.now().format("%H:%M UTC"));
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let room = (area.width as usize).saturating_sub(used);
    let show_clock = room >= width(&rest) + width(&clock);
    let rest = fit(&rest, room);
    let fill = room.saturating_sub(width(&rest) + if show_clock { width(&clock) } else { 0 });
    spans.push(Span::styled(rest, base));
    spans.push(Span::styled(" ".repeat(fill), base));
    if show_clock {
        spans.push(Span::styled(clock, base));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn tabs(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let labels = |short: bool| -> Vec<String> {
        PaneId::ALL
            .iter()
            .map(|&p| {
                let name = if short { &p.tab_label()[..4.min(p.tab_label().len())] } else { p.tab_label() };
                let alert = if app.pane(p).status().error.is_some() { "!" } else { "" };
                let key = app.table_key(&format!("show-{}", p.spec().config_key));
                format!(" {key} {name} {}{alert} ", app.panes().tab_figure(p))
            })
            .collect()
    };
    let full = labels(false);
    let total: usize = full.iter().map(|l| width(l) + 1).sum();
    let chosen = if total <= area.width as usize { full } else { labels(true) };
    let mut spans = Vec::new();
    for (pane, label) in PaneId::ALL.iter().zip(chosen) {
        let style = if *pane == app.current() {
            Style::default().fg(theme.tab_active_fg).bg(theme.tab_active_bg).add_modifier(Modifier::BOLD)
        } else if app.pane(*pane).status().error.is_some() {
            Style::default().fg(theme.error)
        } else {
            Style::default().fg(theme.muted)
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Each pane's data age, and the current pane's error if it has one.
pub fn refresh_line(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let current = app.pane(app.current()).status();
    if let Some(error) = &current.error {
        let age = current
            .last_success
            .map(|t| format!(" Stale: data from {} ago.", compact_duration((app.now() - t).num_seconds())))
            .unwrap_or_default();
        let retry = current
            .retry_at
            .filter(|_| !current.in_flight)
            .map(|t| format!(" Retry in {}.", compact_duration((t - app.now()).num_seconds())))
            .unwrap_or_else(|| if current.in_flight { " Retrying…".into() } else { String::new() });
        let text = format!(" ⚠ {}: {error}.{age}{retry}", app.current().title());
        let line = Line::from(Span::styled(fit(&text, area.width as usize), Style::default().fg(theme.error)));
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    for pane in PaneId::ALL {
        let status = app.pane(pane).status();
        let age = match (status.last_success, status.in_flight) {
            (Some(t), _) => data_age((app.now() - t).num_seconds()),
            (None, true) => "loading".into(),
            (None, false) => "-".into(),
        };
        let marker = if status.error.is_some() {
            "!"
        } else if status.in_flight {
            "↻"
        } else if status.from_cache {
            " cached"
        } else {
            ""
        };
        let style =
            if status.error.is_some() { Style::default().fg(theme.error) } else { Style::default().fg(theme.muted) };
        let name = if area.width < 100 { &pane.title()[..4] } else { pane.title() };
        spans.push(Span::styled(format!("{name} {age}{marker}  "), style));
    }
    // Said where the data age is: what a delta refresh cannot see waits for the next full load.
    if let Some(at) = current.workflow_as_of {
        let text = format!("workflow as of {}", at.format("%H:%M"));
        spans.push(Span::styled(text, Style::default().fg(theme.muted)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn bottom_line(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let w = area.width as usize;
    let line = match app.mode() {
        Mode::Filter | Mode::Command => {
            let prompt = if app.mode() == Mode::Filter { "/" } else { ":" };
            // Show the end of long input: that is where the cursor is.
            let shown = crate::text::fit_tail(app.input(), w.saturating_sub(3));
            Line::from(vec![
                Span::styled(prompt, Style::default().fg(theme.accent).add_modifier(Modifier::BOLD)),
                Span::styled(shown, Style::default().fg(theme.text)),
                Span::styled("█", Style::default().fg(theme.accent)),
            ])
        }
        Mode::Note => {
            let count = app.draft().as_ref().map(|d| d.targets.len()).unwrap_or(0);
            let prompt = format!("note for {count} finding(s), required (Enter: continue, Esc: cancel): ");
            let shown = crate::text::fit_tail(app.input(), w.saturating_sub(width(&prompt) + 2));
            Line::from(vec![
                Span::styled(fit(&prompt, w / 2), Style::default().fg(theme.accent).add_modifier(Modifier::BOLD)),
                Span::styled(shown, Style::default().fg(theme.text)),
                Span::styled("█", Style::default().fg(theme.accent)),
            ])
        }
        _ => match &app.message() {
            Some((level, text)) => {
                let color = if *level == MessageLevel::Error { theme.error } else { theme.accent };
                Line::from(Span::styled(fit(&format!(" {text}"), w), Style::default().fg(color)))
            }
            None => hints(app, w, theme),
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn hints<'a>(app: &App, w: usize, theme: &Theme) -> Line<'a> {
    let Some(context) = app.key_context() else {
        return Line::default();
    };
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (key, hint) in app.keymap().hints(context) {
        let key = if key == "Enter" { "⏎".to_string() } else { key };
        let entry = width(&key) + 1 + width(hint) + 2;
        if used + entry > w {
            break;
        }
        used += entry;
        spans.push(Span::styled(key, Style::default().fg(theme.accent).add_modifier(Modifier::BOLD)));
        spans.push(Span::styled(format!(" {hint}  "), Style::default().fg(theme.muted)));
    }
    Line::from(spans)
}

/// How old a pane's data is, to the minute: panes refresh every minute or so, and an age counting
/// seconds would redraw the line (and write to the terminal) every second of an idle console.
fn data_age(seconds: i64) -> String {
    if seconds < 60 { "<1m".into() } else { compact_duration(seconds) }
}
