//! The title bar, the pane tabs, the refresh status line and the bottom line (hints or input).

use crate::app::{App, Connection, MessageLevel, Mode};
use crate::model::time::{compact_age, compact_until, rough_age, wall_clock};
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
    // Badges in colour pairs every theme keeps readable (tests/render.rs checks them at WCAG AA):
    // data that is not live (demo, cached) in the demo colours, a state of the console in the
    // active tab's.
    let not_live = Style::default().fg(theme.demo_fg).bg(theme.demo_bg).add_modifier(Modifier::BOLD);
    let state_badge = Style::default().fg(theme.tab_active_fg).bg(theme.tab_active_bg).add_modifier(Modifier::BOLD);
    if info.kind == SourceKind::Demo {
        spans.push(Span::styled(" DEMO DATA ", not_live));
    }
    match app.connection() {
        Connection::Connected => {}
        Connection::Connecting => spans.push(Span::styled(" CONNECTING: cached, account unconfirmed ", state_badge)),
        Connection::Failed(_) => spans.push(Span::styled(" NOT CONNECTED: cached data ", not_live)),
    }
    if app.read_only() {
        spans.push(Span::styled(" READ-ONLY ", state_badge));
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
    let clock = format!("{} ", wall_clock(app.now()));
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

/// How much a tab says, from everything to its key alone; the current pane's tab always says
/// everything.
const TAB_DETAIL_LEVELS: usize = 4;

fn tab_label(app: &App, pane: PaneId, level: usize) -> String {
    let alert = if app.pane(pane).status().error.is_some() { "!" } else { "" };
    let key = app.table_key(&format!("show-{}", pane.spec().config_key));
    let key = if key.is_empty() { String::new() } else { format!("{key} ") };
    let level = if pane == app.current() { 0 } else { level };
    match level {
        0 => format!(" {key}{} {}{alert} ", pane.tab_label(), app.panes().tab_figure(pane)),
        1 => format!(" {key}{} {}{alert} ", pane.spec().short_label, app.panes().tab_figure(pane)),
        2 => format!(" {key}{}{alert} ", pane.spec().short_label),
        _ => format!(" {}{alert} ", key.trim_end()),
    }
}

/// Which tabs are drawn: every one, at the most detailed level that fits `width`; when not even
/// keys alone fit, a window of them around the current one (`first..end`) with arrows for the rest.
pub fn choose_tabs(labels: &[Vec<String>], current: usize, width: usize) -> (usize, std::ops::Range<usize>) {
    let line = |labels: &[String]| labels.iter().map(|l| crate::text::width(l) + 1).sum::<usize>();
    for (level, set) in labels.iter().enumerate() {
        if line(set) <= width {
            return (level, 0..set.len());
        }
    }
    let level = labels.len().saturating_sub(1);
    let set = &labels[level];
    // Two cells for the arrows; grow the window around the current tab while it fits.
    let room = width.saturating_sub(4);
    let (mut first, mut end) = (current, current + 1);
    let used = |first: usize, end: usize| line(&set[first..end]);
    loop {
        let grew_right = end < set.len() && used(first, end + 1) <= room;
        if grew_right {
            end += 1;
        }
        let grew_left = first > 0 && used(first - 1, end) <= room;
        if grew_left {
            first -= 1;
        }
        if !grew_left && !grew_right {
            break;
        }
    }
    (level, first..end)
}

pub fn tabs(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let labels: Vec<Vec<String>> =
        (0..TAB_DETAIL_LEVELS).map(|level| PaneId::ALL.iter().map(|&p| tab_label(app, p, level)).collect()).collect();
    let current = app.current().index();
    let (level, shown) = choose_tabs(&labels, current, area.width as usize);
    let mut spans = Vec::new();
    if shown.start > 0 {
        spans.push(Span::styled("‹ ", Style::default().fg(theme.muted)));
    }
    for i in shown.clone() {
        let pane = PaneId::ALL[i];
        let style = if pane == app.current() {
            Style::default().fg(theme.tab_active_fg).bg(theme.tab_active_bg).add_modifier(Modifier::BOLD)
        } else if app.pane(pane).status().error.is_some() {
            Style::default().fg(theme.error)
        } else {
            Style::default().fg(theme.muted)
        };
        spans.push(Span::styled(labels[level][i].clone(), style));
        spans.push(Span::raw(" "));
    }
    if shown.end < PaneId::COUNT {
        spans.push(Span::styled("›", Style::default().fg(theme.muted)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Each pane's data age, and the current pane's error if it has one.
pub fn refresh_line(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let current = app.pane(app.current()).status();
    if let Some(error) = &current.error {
        let age = current
            .last_success
            .map(|t| format!(" Stale: data from {} ago.", compact_age(t, app.now())))
            .unwrap_or_default();
        let retry = current
            .retry_at
            .filter(|_| !current.in_flight)
            .map(|t| format!(" Retry in {}.", compact_until(t, app.now())))
            .unwrap_or_else(|| if current.in_flight { " Retrying…".into() } else { String::new() });
        let text = format!(" ⚠ {}: {error}.{age}{retry}", app.current().title());
        let line = Line::from(Span::styled(fit(&text, area.width as usize), Style::default().fg(theme.error)));
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    // First: on a wall screen whether findings arrive within seconds or at the next poll matters
    // more than any pane's age.
    if let Some(cell) = app.live().cell(app.now(), area.width < 100) {
        let colour = if app.live().is_live() { theme.good } else { theme.warning };
        spans.push(Span::styled(cell, Style::default().fg(colour)));
        spans.push(Span::styled(" │ ", Style::default().fg(theme.muted)));
    }
    for pane in PaneId::ALL {
        let status = app.pane(pane).status();
        let age = match (status.last_success, status.in_flight) {
            (Some(t), _) => rough_age(t, app.now()),
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
            // The marker's cell is kept: the line does not shift each time a refresh starts.
            " "
        };
        let style =
            if status.error.is_some() { Style::default().fg(theme.error) } else { Style::default().fg(theme.muted) };
        let name = if area.width < 100 { pane.spec().short_label } else { pane.title() };
        spans.push(Span::styled(format!("{name} {age}{marker} "), style));
    }
    // Said where the data age is: what a delta refresh cannot see waits for the next full load.
    if let Some(at) = current.workflow_as_of {
        let text = format!("workflow as of {}", at.format("%H:%M"));
        spans.push(Span::styled(text, Style::default().fg(theme.muted)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Columns the note prompt leaves for the note being typed, at the least.
const NOTE_ROOM: usize = 24;

pub fn bottom_line(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let w = area.width as usize;
    let line = match app.mode() {
        Mode::Filter | Mode::Command => {
            let prompt = if app.mode() == Mode::Filter { "/" } else { ":" };
            // Show the end of long input: that is where the cursor is.
            let shown = crate::text::fit_tail(app.input(), w.saturating_sub(3));
            let used = width(&shown) + 2;
            let mut spans = vec![
                Span::styled(prompt, Style::default().fg(theme.accent).add_modifier(Modifier::BOLD)),
                Span::styled(shown, Style::default().fg(theme.text)),
                Span::styled("█", Style::default().fg(theme.accent)),
            ];
            // What Tab found (the candidates, or that none starts so), beside what is typed.
            if let Some((level, text)) = app.message().as_ref().filter(|_| app.mode() == Mode::Command)
                && w > used + 4
            {
                let color = if *level == MessageLevel::Error { theme.error } else { theme.muted };
                spans.push(Span::styled(fit(&format!("   {text}"), w - used), Style::default().fg(color)));
            }
            Line::from(spans)
        }
        Mode::Note => {
            let count = app.draft().as_ref().map(|d| d.targets.len()).unwrap_or(0);
            // The keys are never cut: the label gives way first, then to a shorter one.
            let keys = " (⏎ continue, Esc cancel): ";
            let room = w.saturating_sub(width(keys) + NOTE_ROOM);
            let long = format!("note for {count} finding(s), required");
            let label = if width(&long) <= room { long } else { fit(&format!("note ({count}), required"), room) };
            let prompt = format!("{label}{keys}");
            let shown = crate::text::fit_tail(app.input(), w.saturating_sub(width(&prompt) + 1));
            Line::from(vec![
                Span::styled(prompt, Style::default().fg(theme.accent).add_modifier(Modifier::BOLD)),
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

#[cfg(test)]
mod tests {
    use super::choose_tabs;

    fn labels(n: usize) -> Vec<Vec<String>> {
        let names =
            ["Findings", "Certificates", "Secrets", "Users", "Compliance", "Edge", "Keys", "Exposures", "History"];
        (0..4)
            .map(|level| {
                (0..n)
                    .map(|i| match level {
                        0 => format!(" {} {} 12,345 ", i + 1, names[i]),
                        1 => format!(" {} {} 12,345 ", i + 1, &names[i][..4]),
                        2 => format!(" {} {} ", i + 1, &names[i][..4]),
                        _ => format!(" {} ", i + 1),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn nine_tabs_fit_80_columns_saying_less_about_the_others() {
        let mut all = labels(9);
        // The current pane (the sixth) says everything at every level, as the console draws it.
        for level in &mut all {
            level[5] = " 6 Edge 12,345 ".into();
        }
        let (level, shown) = choose_tabs(&all, 5, 80);
        assert_eq!(shown, 0..9, "every tab shown");
        assert!(level >= 1);
        let line: usize = shown.map(|i| all[level][i].chars().count() + 1).sum();
        assert!(line <= 80, "{line}");
        // Wide screens say everything.
        assert_eq!(choose_tabs(&all, 5, 200), (0, 0..9));
    }

    #[test]
    fn when_not_even_keys_fit_a_window_around_the_current_tab_scrolls() {
        let all = labels(9);
        let (_, shown) = choose_tabs(&all, 7, 20);
        assert!(shown.contains(&7) && shown.len() < 9, "{shown:?}");
    }
}
