//! The help overlay, generated from the keymap: what it lists is what the keys do.

use crate::keymap::{KeyContext, Keymap, Scope};
use crate::text::fit;
use crate::ui::theme::Theme;
use crate::ui::widgets::detail;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

pub fn lines<'a>(keymap: &Keymap, context: KeyContext, width: u16, theme: &Theme) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    let mut sections: Vec<(Scope, Vec<(String, &str)>)> = Vec::new();
    let mut bindings = keymap.applicable(context);
    bindings.extend(keymap.applicable(KeyContext::Detail));
    bindings.extend(keymap.applicable(KeyContext::Listing));
    bindings.extend(keymap.applicable(KeyContext::Board));
    for b in bindings {
        let keys = b.keys.iter().map(|k| k.to_string()).collect::<Vec<_>>().join("/");
        match sections.iter_mut().find(|(s, _)| *s == b.scope) {
            Some((_, entries)) => entries.push((keys, b.description.as_ref())),
            None => sections.push((b.scope, vec![(keys, b.description.as_ref())])),
        }
    }
    let key_width = 12usize;
    for (scope, entries) in sections {
        out.push(Line::from(Span::styled(
            scope.heading(),
            Style::default().fg(theme.accent).add_modifier(Modifier::BOLD),
        )));
        for (keys, description) in entries {
            let desc_width = (width as usize).saturating_sub(key_width + 3);
            out.push(Line::from(vec![
                Span::styled(
                    format!("  {:<key_width$} ", fit(&keys, key_width)),
                    Style::default().fg(theme.text).add_modifier(Modifier::BOLD),
                ),
                Span::styled(fit(description, desc_width), Style::default().fg(theme.muted)),
            ]));
        }
    }
    // The pane's action menu, from the same list the menu is drawn from.
    if let KeyContext::Table(pane) = context {
        out.push(Line::from(Span::styled(
            format!("Actions (x) in {}", pane.title()),
            Style::default().fg(theme.accent).add_modifier(Modifier::BOLD),
        )));
        for entry in crate::app::triage::menu(pane) {
            let desc_width = (width as usize).saturating_sub(key_width + 3);
            out.push(Line::from(vec![
                Span::styled(
                    format!("  {:<key_width$} ", format!("x {}", entry.key)),
                    Style::default().fg(theme.text).add_modifier(Modifier::BOLD),
                ),
                Span::styled(fit(entry.label, desc_width), Style::default().fg(theme.muted)),
            ]));
        }
    }
    out
}

pub fn draw(frame: &mut Frame, area: Rect, keymap: &Keymap, context: KeyContext, scroll: usize, theme: &Theme) {
    let content = lines(keymap, context, area.width.saturating_sub(2), theme);
    detail::draw(frame, area, "Keys — j/k scroll · Esc close", content, scroll, theme);
}
