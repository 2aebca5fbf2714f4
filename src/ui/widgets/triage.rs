//! The triage overlays: the pane's action menu, the confirm dialog and the outcome per target.

use crate::app::App;
use crate::app::triage::MenuCommand;
use crate::text::fit;
use crate::ui::theme::Theme;
use crate::ui::widgets::detail;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

/// Targets listed in the confirm dialog (title, then the call it makes) before "and N more".
const LISTED_TARGETS: usize = 4;
/// Accounts (or accounts and regions) named in the confirm dialog before "and N more".
const NAMED_PLACES: usize = 3;

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height }
}

pub fn draw_menu(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let entries = app.panes().menu(app.current());
    let scope = app.pane(app.current()).selection().describe();
    // Two columns when one would not fit the height (an 80x24 terminal).
    let two_columns = entries.len() + 3 > area.height as usize && area.width >= 70;
    let column_width = if two_columns { (area.width.saturating_sub(4) / 2).min(40) } else { 52 } as usize;
    // Read-only is said once, in the first line: a "(read-only)" after each label would cut the
    // labels at 80 columns. The entries it turns off are marked × and dimmed (the mark for mono).
    let cell = |e: &crate::app::triage::MenuEntry| -> Vec<Span<'static>> {
        let off = matches!(e.command, MenuCommand::Triage(_)) && app.read_only();
        let (label, key_color, color) = if off {
            (format!("× {}", e.label), theme.muted, theme.muted)
        } else {
            (e.label.to_string(), theme.accent, theme.text)
        };
        let label = fit(&label, column_width.saturating_sub(4));
        let pad = column_width.saturating_sub(3 + crate::text::width(&label));
        vec![
            Span::styled(format!(" {} ", e.key), Style::default().fg(key_color).add_modifier(Modifier::BOLD)),
            Span::styled(format!("{label}{}", " ".repeat(pad)), Style::default().fg(color)),
        ]
    };
    let first =
        if app.read_only() { format!("on {scope} · read-only: × entries are off") } else { format!("on {scope}:") };
    let mut lines = vec![Line::from(Span::styled(fit(&first, column_width * 2), Style::default().fg(theme.muted)))];
    if two_columns {
        let half = entries.len().div_ceil(2);
        for row in 0..half {
            let mut spans = cell(&entries[row]);
            if let Some(right) = entries.get(row + half) {
                spans.extend(cell(right));
            }
            lines.push(Line::from(spans));
        }
    } else {
        lines.extend(entries.iter().map(|e| Line::from(cell(e))));
    }
    let width = if two_columns { column_width as u16 * 2 + 2 } else { column_width as u16 + 2 };
    let rect = centered(area, width, lines.len() as u16 + 2);
    detail::draw(frame, rect, "Actions — key to choose · Esc close", lines, 0, theme);
}

pub fn draw_confirm(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(draft) = &app.draft() else { return };
    let action = draft.action();
    let width = area.width.saturating_sub(4).min(90);
    let inner = width.saturating_sub(2) as usize;
    let info = app.info();
    let here = match &info.account_name {
        Some(name) => format!("{} ({name}) {}", info.account, info.region),
        None => format!("{} {}", info.account, info.region),
    };
    // The accounts the records live in, where they are not this one (a member account's).
    let elsewhere: Vec<&str> = draft.accounts().filter(|a| *a != info.account).collect();
    // Counted first, so an 80-column dialog still says how many; named up to a few.
    let named = |ids: &[&str]| {
        let names = ids.iter().take(NAMED_PLACES).map(|id| info.account_names.long(id)).collect::<Vec<_>>().join(", ");
        match ids.len() {
            n if n > NAMED_PLACES => format!("{n} accounts: {names}, …"),
            _ => names,
        }
    };
    let account = if info.account == crate::source::merged::ALL {
        // The all view: each record goes to the context that showed it; name where they live.
        let names = draft
            .places
            .iter()
            .take(NAMED_PLACES)
            .map(|(account, region)| format!("{} {region}", info.account_names.long(account)))
            .collect::<Vec<_>>()
            .join(", ");
        if draft.places.len() > NAMED_PLACES {
            let regions = draft.places.iter().map(|(_, region)| region).collect::<std::collections::BTreeSet<_>>();
            format!("{} accounts in {} regions: {names}, …", draft.accounts().count(), regions.len())
        } else {
            names
        }
    } else if elsewhere.is_empty() {
        here
    } else if action.goes_through_administrator() {
        format!("{here}, administrator of {}", named(&elsewhere))
    } else if draft.accounts().all(|a| a != info.account) {
        format!("{} {} (member role)", named(&elsewhere), info.region)
    } else {
        format!("{here} and {} (member role)", named(&elsewhere))
    };
    let bold = Style::default().fg(theme.text).add_modifier(Modifier::BOLD);
    let mut lines = vec![
        Line::from(Span::styled(
            fit(&format!("{} on {} target(s)", action.describe(), draft.targets.len()), inner),
            bold,
        )),
        Line::from(Span::styled(fit(&format!("account {account}"), inner), Style::default().fg(theme.warning))),
    ];
    if let Some(note) = action.note() {
        lines.push(Line::from(Span::styled(fit(&format!("note: {note}"), inner), Style::default().fg(theme.text))));
    }
    // What the chosen rows are, where it matters before confirming (an attack sequence's step).
    if !draft.warnings.is_empty() {
        let (label, warning) = &draft.warnings[0];
        let label = label.trim_end_matches('.');
        let text = match draft.warnings.len() {
            1 => format!("{label}: {warning}"),
            n => format!("{n} of these, such as {label}: {warning}"),
        };
        for part in crate::text::wrap(&text, inner.saturating_sub(2)) {
            lines.push(Line::from(Span::styled(fit(&format!("! {part}"), inner), Style::default().fg(theme.bad))));
        }
    }
    // What AWS will not do, said before anything is sent (wrapped: it must be read whole).
    if let Some(caveat) = action.caveat() {
        for part in crate::text::wrap(caveat, inner.saturating_sub(2)) {
            lines.push(Line::from(Span::styled(fit(&format!("! {part}"), inner), Style::default().fg(theme.warning))));
        }
    }
    // Each target: its title, then the call it makes and on what (the title is the record
    // author's text; the call is what AWS will act on). As many as fit, then "and N more".
    let refused_lines = if draft.refused.is_empty() { 0 } else { 1 + draft.refused.len().min(3) };
    // Borders, the blank line and the key line, and the skipped rows are drawn whatever happens.
    let budget = (area.height as usize).saturating_sub(2 + 2 + refused_lines);
    let mut listed = 0;
    for t in draft.targets.iter().take(LISTED_TARGETS) {
        let call = crate::text::wrap(&action.describe_call(t), inner.saturating_sub(6));
        let call = &call[..call.len().min(4)];
        let more_after = draft.targets.len() > listed + 1;
        if listed > 0 && lines.len() + 1 + call.len() + usize::from(more_after) > budget {
            break;
        }
        lines.push(Line::from(Span::styled(fit(&format!("  · {}", t.label), inner), Style::default().fg(theme.text))));
        for (i, part) in call.iter().enumerate() {
            let prefix = if i == 0 { "    → " } else { "      " };
            lines.push(Line::from(Span::styled(
                fit(&format!("{prefix}{part}"), inner),
                Style::default().fg(theme.muted),
            )));
        }
        listed += 1;
    }
    if draft.targets.len() > listed {
        lines.push(Line::from(Span::styled(
            format!("  and {} more", draft.targets.len() - listed),
            Style::default().fg(theme.muted),
        )));
    }
    if !draft.refused.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("skipped {} row(s):", draft.refused.len()),
            Style::default().fg(theme.muted),
        )));
        for (label, reason) in draft.refused.iter().take(3) {
            lines.push(Line::from(Span::styled(
                fit(&format!("  – {label}: {reason}"), inner),
                Style::default().fg(theme.muted),
            )));
        }
    }
    lines.push(Line::default());
    let confirm_keys = if app.enter_confirms() { " y/Enter " } else { " y " };
    lines.push(Line::from(vec![
        Span::styled(confirm_keys, Style::default().fg(theme.bad).add_modifier(Modifier::BOLD)),
        Span::styled("confirm   ", Style::default().fg(theme.text)),
        Span::styled(" any other key ", Style::default().fg(theme.accent).add_modifier(Modifier::BOLD)),
        Span::styled("cancel", Style::default().fg(theme.text)),
    ]));
    let rect = centered(area, width, lines.len() as u16 + 2);
    detail::draw(frame, rect, "Confirm", lines, 0, theme);
}

pub fn draw_outcome(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(outcome) = &app.outcome() else { return };
    let width = area.width.saturating_sub(4).min(100);
    let inner = width.saturating_sub(2) as usize;
    // Only what fits is built: the view is drawn at every change (a refresh, a key), and an action
    // on every finding of an organisation has a hundred thousand outcomes (failures first; the
    // audit log has all).
    let room = (area.height as usize).saturating_sub(2);
    let mut lines = Vec::new();
    if app.applying() {
        lines.push(Line::from(Span::styled("in progress…", Style::default().fg(theme.muted))));
    }
    if let Some(e) = &outcome.audit_error {
        lines.push(Line::from(Span::styled(fit(&format!("⚠ {e}"), inner), Style::default().fg(theme.error))));
    }
    let total = outcome.outcomes.len() + outcome.refused.len();
    let mut shown = 0;
    'outcomes: for o in &outcome.outcomes {
        let (mark, text, color) = match &o.error {
            None => match &o.detail {
                Some(detail) => ("✓", format!("{}: {detail}", o.target.label), theme.good),
                None => ("✓", o.target.label.clone(), theme.good),
            },
            Some(e) => ("✗", format!("{}: {e}", o.target.label), theme.bad),
        };
        let parts = crate::text::wrap(&text, inner.saturating_sub(3));
        // The last line is kept for "and N more" while more follow.
        if shown > 0 && lines.len() + parts.len() + usize::from(shown + 1 < total) > room {
            break 'outcomes;
        }
        for (i, part) in parts.into_iter().enumerate() {
            let prefix = if i == 0 { format!(" {mark} ") } else { "   ".into() };
            lines.push(Line::from(Span::styled(format!("{prefix}{part}"), Style::default().fg(color))));
        }
        shown += 1;
    }
    if shown == outcome.outcomes.len() {
        for (label, reason) in &outcome.refused {
            if lines.len() + usize::from(shown + 1 < total) >= room {
                break;
            }
            lines.push(Line::from(Span::styled(
                fit(&format!(" – {label}: {reason}"), inner),
                Style::default().fg(theme.muted),
            )));
            shown += 1;
        }
    }
    if shown < total {
        lines.push(Line::from(Span::styled(
            fit(&format!("   and {} more: `vigil audit` lists every one", total - shown), inner),
            Style::default().fg(theme.muted),
        )));
    }
    let title = format!(
        "{}: {} done, {} failed, {} skipped — Esc close",
        outcome.description,
        outcome.succeeded(),
        outcome.failed,
        outcome.refused.len()
    );
    let rect = centered(area, width, (lines.len() as u16 + 2).max(4));
    detail::draw(frame, rect, &title, lines, 0, theme);
}
