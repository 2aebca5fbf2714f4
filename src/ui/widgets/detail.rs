//! The detail overlay: every field of the selected record, wrapped; or its JSON record.

use crate::text::{field_layout, fit, json_layout, width as text_width};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Label/value pairs as wrapped lines: the label column is as wide as the longest label (capped).
pub fn field_lines<'a>(fields: &[(String, String)], width: u16, theme: &Theme) -> Vec<Line<'a>> {
    let (label_width, layout) = field_layout(fields, width as usize);
    layout
        .into_iter()
        .map(|(label_text, part)| {
            let pad = label_width.saturating_sub(text_width(&label_text));
            Line::from(vec![
                Span::styled(format!("{label_text}{}  ", " ".repeat(pad)), Style::default().fg(theme.muted)),
                Span::styled(part, Style::default().fg(theme.text)),
            ])
        })
        .collect()
}

/// Pretty JSON, sanitised and hard-wrapped to the width.
pub fn json_lines<'a>(value: &serde_json::Value, width: u16, theme: &Theme) -> Vec<Line<'a>> {
    json_layout(value, width as usize)
        .into_iter()
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
