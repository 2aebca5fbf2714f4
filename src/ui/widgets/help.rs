//! The help overlay, generated from the keymap: what it lists is what the keys do.

use crate::keymap::{KeyContext, Keymap, Scope};
use crate::text::fit;
use crate::ui::theme::Theme;
use crate::ui::widgets::detail;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

/// From this inner width (a 96-column terminal) the help names each action for the config file.
const NAMES_FROM_WIDTH: u16 = 94;
const NAME_WIDTH: usize = 19;

/// One line of the help: the keys, what they do, the action's name in the config.
type HelpEntry<'k> = (String, &'k str, &'k str);

pub fn lines<'a>(keymap: &Keymap, context: KeyContext, width: u16, theme: &Theme) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    let mut sections: Vec<(Scope, Vec<HelpEntry>)> = Vec::new();
    let mut bindings = keymap.applicable(context);
    bindings.extend(keymap.applicable(KeyContext::Detail));
    bindings.extend(keymap.applicable(KeyContext::Listing));
    bindings.extend(keymap.applicable(KeyContext::Board));
    bindings.extend(keymap.applicable(KeyContext::Help));
    for b in bindings {
        let keys = b.keys.iter().map(|k| k.to_string()).collect::<Vec<_>>().join("/");
        let entry = (keys, b.description.as_ref(), b.name.as_ref());
        match sections.iter_mut().find(|(s, _)| *s == b.scope) {
            Some((_, entries)) => entries.push(entry),
            None => sections.push((b.scope, vec![entry])),
        }
    }
    let key_width = 12usize;
    // Wide enough, each line also gives the action's name in the config's [keys].
    let name_width = if width >= NAMES_FROM_WIDTH { NAME_WIDTH } else { 0 };
    if name_width > 0 {
        out.push(Line::from(Span::styled(
            fit(
                "Keys are set in the config's [keys] by the names on the right (vigil config default lists them).",
                width as usize,
            ),
            Style::default().fg(theme.muted),
        )));
    }
    for (scope, entries) in sections {
        out.push(Line::from(Span::styled(
            scope.heading(),
            Style::default().fg(theme.accent).add_modifier(Modifier::BOLD),
        )));
        for (keys, description, name) in entries {
            let desc_width = (width as usize).saturating_sub(key_width + 3 + name_width);
            let mut spans = vec![
                Span::styled(
                    format!("  {:<key_width$} ", fit(&keys, key_width)),
                    Style::default().fg(theme.text).add_modifier(Modifier::BOLD),
                ),
                Span::styled(
                    format!("{:<desc_width$}", fit(description, desc_width)),
                    Style::default().fg(theme.muted),
                ),
            ];
            if name_width > 0 {
                spans.push(Span::styled(format!(" {}", fit(name, name_width - 1)), Style::default().fg(theme.accent)));
            }
            out.push(Line::from(spans));
        }
    }
    // Every `:` command, from the one command table.
    out.push(Line::from(Span::styled(
        "Commands (: then the name, Tab completes)",
        Style::default().fg(theme.accent).add_modifier(Modifier::BOLD),
    )));
    for command in crate::command::commands() {
        let mut words = format!(":{}", command.name);
        if let Some(argument) = command.argument {
            words.push_str(&format!(" [{argument}]"));
        }
        let aliases: Vec<String> = command.aliases.iter().map(|a| format!(":{a}")).collect();
        let description = if aliases.is_empty() {
            command.description.clone()
        } else {
            format!("{} (also {})", command.description, aliases.join(" "))
        };
        let words_width = 24usize;
        let desc_width = (width as usize).saturating_sub(words_width + 3);
        out.push(Line::from(vec![
            Span::styled(
                format!("  {:<words_width$} ", fit(&words, words_width)),
                Style::default().fg(theme.text).add_modifier(Modifier::BOLD),
            ),
            Span::styled(fit(&description, desc_width), Style::default().fg(theme.muted)),
        ]));
    }
    // The pane's action menu, from the same list the menu is drawn from.
    if let KeyContext::Table(pane) = context {
        let menu_key = keymap.key_label(context, "actions");
        out.push(Line::from(Span::styled(
            format!("Actions ({menu_key}) in {}", pane.title()),
            Style::default().fg(theme.accent).add_modifier(Modifier::BOLD),
        )));
        for entry in crate::app::triage::menu(pane) {
            let desc_width = (width as usize).saturating_sub(key_width + 3);
            out.push(Line::from(vec![
                Span::styled(
                    format!("  {:<key_width$} ", format!("{menu_key} {}", entry.key)),
                    Style::default().fg(theme.text).add_modifier(Modifier::BOLD),
                ),
                Span::styled(fit(&entry.label, desc_width), Style::default().fg(theme.muted)),
            ]));
        }
    }
    if context == KeyContext::Table(crate::pane::PaneId::Findings) {
        out.extend(risk_letters(width, theme));
    }
    out
}

/// What the letters of the Risk column mean: the reasons that come from the findings around one
/// (severity, state and age have their columns), with their weights.
fn risk_letters<'a>(width: u16, theme: &Theme) -> Vec<Line<'a>> {
    use crate::model::priority::Reason;
    let mut out = vec![Line::from(Span::styled(
        "Risk letters (the priority is the sum of the weights; Enter on a finding lists its reasons)",
        Style::default().fg(theme.accent).add_modifier(Modifier::BOLD),
    ))];
    let mut seen = Vec::new();
    for reason in Reason::ALL {
        let Some(letter) = reason.marker() else { continue };
        if seen.contains(&letter) {
            continue;
        }
        seen.push(letter);
        let weights: Vec<String> =
            Reason::ALL.iter().filter(|r| r.marker() == Some(letter)).map(|r| format!("{:+}", r.weight())).collect();
        let text = format!("{} ({})", reason.describe(), weights.join(" or "));
        out.push(Line::from(vec![
            Span::styled(format!("  {letter:<12} "), Style::default().fg(theme.text).add_modifier(Modifier::BOLD)),
            Span::styled(fit(&text, (width as usize).saturating_sub(15)), Style::default().fg(theme.muted)),
        ]));
    }
    out
}

pub fn draw(frame: &mut Frame, area: Rect, keymap: &Keymap, context: KeyContext, scroll: usize, theme: &Theme) {
    let content = lines(keymap, context, area.width.saturating_sub(2), theme);
    let key = |name| keymap.key_label(KeyContext::Help, name);
    let title = format!("Keys — {}/{} scroll · {} close", key("move-down"), key("move-up"), key("close"));
    detail::draw(frame, area, &title, content, scroll, theme);
}
