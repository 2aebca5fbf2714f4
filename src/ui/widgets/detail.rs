//! The detail overlay: every field of the selected record, wrapped; or its JSON record.

use crate::sanitize::sanitize_lines;
use crate::text::{fit, width as text_width, wrap};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Label/value pairs as wrapped lines: the label column is as wide as the longest label (capped).
pub fn field_lines<'a>(fields: &[(String, String)], width: u16, theme: &Theme) -> Vec<Line<'a>> {
    let label_width = fields.iter().map(|(l, _)| width_of(l)).max().unwrap_or(0).min(18);
    let value_width = (width as usize).saturating_sub(label_width + 2).max(8);
    let mut lines = Vec::new();
    for (label, value) in fields {
        for (i, part) in wrap(value, value_width).into_iter().enumerate() {
            let label_text = if i == 0 { fit(label, label_width) } else { String::new() };
            let pad = label_width.saturating_sub(text_width(&label_text));
            lines.push(Line::from(vec![
                Span::styled(format!("{label_text}{}  ", " ".repeat(pad)), Style::default().fg(theme.muted)),
                Span::styled(part, Style::default().fg(theme.text)),
            ]));
        }
    }
    lines
}

fn width_of(text: &str) -> usize {
    text_width(&crate::sanitize::sanitize(text))
}

/// Pretty JSON, sanitised line by line (serde escapes control characters, not bidi overrides),
/// hard-wrapped to the width.
pub fn json_lines<'a>(value: &serde_json::Value, width: u16, theme: &Theme) -> Vec<Line<'a>> {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    sanitize_lines(&text)
        .into_iter()
        .flat_map(|line| {
            let chars: Vec<char> = line.chars().collect();
            let chunk = (width as usize).max(8);
            chars.chunks(chunk).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>()
        })
        .map(|l| Line::from(Span::styled(l, Style::default().fg(theme.text))))
        .collect()
}

pub fn draw(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line<'_>>, scroll: usize, theme: &Theme) {
    frame.render_widget(Clear, area);
    let block = Block::default().borders(Borders::ALL).border_style(Style::default().fg(theme.accent)).title(
        Span::styled(fit(title, area.width.saturating_sub(4) as usize), Style::default().add_modifier(Modifier::BOLD)),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let max_scroll = lines.len().saturating_sub(inner.height as usize);
    let scroll = scroll.min(max_scroll);
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(inner.height as usize).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}
