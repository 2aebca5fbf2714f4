//! The war-room board: the whole account on one screen for a wall, read from across a room. Calm:
//! nothing blinks, nothing moves unless the data did (ratatui writes only the cells that changed),
//! every figure says how old it is. Each pane puts its panels on it (`UiPane::board_panels`); the
//! board adds what crosses the panes (what falls due, the data's age) and lays them all out for the
//! space it has: one column below 100 columns, two below 160, three from there, each panel as tall
//! as what it has to say, the space left over going to the panels that have more.

use crate::app::App;
use crate::app::listing::{days_cell, days_tone};
use crate::model::time::{compact_age, rough_age};
use crate::pane::{Hook, PaneId};
use crate::text::fit;
use crate::ui::theme::Theme;
use crate::view::Tone;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Radar items the board shows: what falls due within a week.
const DUE_WITHIN_DAYS: i64 = 7;

/// One panel of the board.
#[derive(Clone, Copy)]
pub struct BoardPanel {
    /// Where it comes on the wall, lower first (and last to go when space runs out).
    pub order: u8,
    /// Lines of content it has to say everything now (its border not counted).
    pub wanted: fn(&App) -> u16,
    /// Lines of content below which it is not worth showing.
    pub minimum: u16,
    /// Says all it has to say in half a column of 40 cells or more: two such panels in a row
    /// share a line of panels when columns are scarce.
    pub narrow: bool,
    pub draw: fn(&mut Frame, Rect, &App, &Theme),
}

impl std::fmt::Debug for BoardPanel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BoardPanel").field("order", &self.order).field("minimum", &self.minimum).finish()
    }
}

/// What falls due within a week, from every pane that says so.
const DUE: BoardPanel = BoardPanel { order: 30, wanted: due_wanted, minimum: 2, narrow: false, draw: due };
/// How old each pane's data is.
const SOURCES: BoardPanel = BoardPanel { order: 90, wanted: |_| 2, minimum: 2, narrow: false, draw: sources };

/// Every panel, in wall order.
pub fn panels() -> Vec<BoardPanel> {
    let mut panels: Vec<BoardPanel> = super::panes::board_panels().into_iter().map(|(_, p)| p).collect();
    panels.extend([DUE, SOURCES]);
    panels.sort_by_key(|p| p.order);
    panels
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let columns = match area.width {
        w if w >= 160 => 3,
        w if w >= 100 => 2,
        _ => 1,
    };
    for (rect, panel) in layout(area, columns, &panels(), app) {
        (panel.draw)(frame, rect, app, theme);
    }
}

/// Places the panels: each column takes the next panels in wall order up to its share of what
/// they want, then shares its spare lines among them up to what each wants (the rest to its last
/// panel, so columns reach the bottom). Panels whose minimum does not fit are left out, the last in
/// wall order first. In a single column of 80 cells or more, two narrow panels in a row share a
/// line (the severities beside the scores).
pub fn layout(area: Rect, columns: u16, panels: &[BoardPanel], app: &App) -> Vec<(Rect, BoardPanel)> {
    let columns = columns.max(1);
    let width = area.width / columns;
    // Lines of panels: a narrow panel waits for the next narrow one when a column is wide enough.
    let mut lines: Vec<Vec<BoardPanel>> = Vec::new();
    for panel in panels {
        let pairs = columns == 1 && width >= 80;
        match lines.last_mut() {
            Some(line) if pairs && panel.narrow && line.len() == 1 && line[0].narrow => line.push(*panel),
            _ => lines.push(vec![*panel]),
        }
    }
    let wanted: Vec<u16> =
        lines.iter().map(|l| l.iter().map(|p| (p.wanted)(app).max(p.minimum)).max().unwrap_or(0)).collect();
    let minimum: Vec<u16> = lines.iter().map(|l| l.iter().map(|p| p.minimum).max().unwrap_or(0)).collect();
    // Columns in wall order: of every way to cut the lines into `columns` runs, the one that leaves
    // least unsaid (lines short of what they want, panels left out).
    let height = u32::from(area.height);
    let groups = best_split(&wanted, &minimum, usize::from(columns), height);
    let mut placed = Vec::new();
    let used = groups.iter().filter(|g| !g.is_empty()).count().max(1) as u16;
    let width = area.width / used;
    for (c, group) in groups.iter().filter(|g| !g.is_empty()).enumerate() {
        let x = area.x + width * c as u16;
        let column_width = if c + 1 == usize::from(used) { area.width - width * c as u16 } else { width };
        let mut y = area.y;
        for (i, height) in column_heights(group, &wanted, &minimum, height) {
            let height = height.min(area.y + area.height - y);
            if height < 3 {
                break;
            }
            let line = &lines[i];
            let part = column_width / line.len() as u16;
            for (n, panel) in line.iter().enumerate() {
                let px = x + part * n as u16;
                let pw = if n + 1 == line.len() { column_width - part * n as u16 } else { part };
                placed.push((Rect { x: px, y, width: pw, height }, *panel));
            }
            y += height;
        }
    }
    placed
}

/// The heights a column gives its lines: each its minimum (lines whose minimum does not fit left
/// out from the end), then spare lines one at a time to those short of what they want.
fn column_heights(members: &[usize], wanted: &[u16], minimum: &[u16], height: u32) -> Vec<(usize, u16)> {
    let mut members = members.to_vec();
    while members.len() > 1 && members.iter().map(|&i| u32::from(minimum[i]) + 2).sum::<u32>() > height {
        members.pop();
    }
    let mut heights: Vec<u16> = members.iter().map(|&i| minimum[i] + 2).collect();
    let mut spare = (height as u16).saturating_sub(heights.iter().sum());
    while spare > 0 {
        let mut gave = false;
        for (k, &i) in members.iter().enumerate() {
            if spare > 0 && heights[k] < wanted[i] + 2 {
                heights[k] += 1;
                spare -= 1;
                gave = true;
            }
        }
        if !gave {
            break;
        }
    }
    if let Some(last) = heights.last_mut() {
        *last += spare;
    }
    members.into_iter().zip(heights).collect()
}

/// What a column leaves unsaid: lines of panels short of what they want, and whole panels left out.
fn unsaid(members: &[usize], wanted: &[u16], minimum: &[u16], height: u32) -> u32 {
    let placed = column_heights(members, wanted, minimum, height);
    let short: u32 = placed.iter().map(|&(i, h)| u32::from(wanted[i] + 2).saturating_sub(u32::from(h))).sum();
    let left_out: u32 = members.iter().skip(placed.len()).map(|&i| u32::from(wanted[i]) + 100).sum();
    short + left_out
}

/// What a split leaves unsaid, how many columns it leaves empty, and its tallest column's wish
/// (balanced columns: not one panel alone in a column of empty rows beside one that truncates).
type SplitScore = (u32, usize, u32);

/// Cuts lines `0..n` into at most `columns` runs in order, leaving least unsaid (ties: more of the
/// columns used, so the wall is filled; then the most even columns; then the earlier cut).
fn best_split(wanted: &[u16], minimum: &[u16], columns: usize, height: u32) -> Vec<Vec<usize>> {
    let n = wanted.len();
    let mut best: Option<(SplitScore, Vec<Vec<usize>>)> = None;
    // Every choice of cut points: `columns - 1` increasing positions in 1..n (or fewer cuts).
    let mut cuts: Vec<usize> = Vec::new();
    fn visit(start: usize, left: usize, n: usize, cuts: &mut Vec<usize>, score: &mut dyn FnMut(&[usize])) {
        score(cuts);
        if left == 0 {
            return;
        }
        for at in start..n {
            cuts.push(at);
            visit(at + 1, left - 1, n, cuts, score);
            cuts.pop();
        }
    }
    let mut score = |cuts: &[usize]| {
        let mut groups = Vec::new();
        let mut from = 0;
        for &at in cuts.iter().chain(std::iter::once(&n)) {
            groups.push((from..at).collect::<Vec<usize>>());
            from = at;
        }
        let total: u32 = groups.iter().map(|g| unsaid(g, wanted, minimum, height)).sum();
        let tallest =
            groups.iter().map(|g| g.iter().map(|&i| u32::from(wanted[i]) + 2).sum::<u32>()).max().unwrap_or(0);
        let key = (total, columns - groups.len(), tallest);
        if best.as_ref().is_none_or(|(b, _)| key < *b) {
            best = Some((key, groups));
        }
    };
    visit(1, columns.saturating_sub(1), n, &mut cuts, &mut score);
    best.map(|(_, groups)| groups).unwrap_or_default()
}

fn block(title: String, theme: &Theme) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(theme.border))
        .title(Span::styled(format!(" {title} "), Style::default().fg(theme.accent).add_modifier(Modifier::BOLD)))
}

/// A panel's border with its title, and its lines inside (as many as fit).
pub fn render(frame: &mut Frame, area: Rect, title: String, lines: Vec<Line<'_>>, theme: &Theme) {
    let block = block(fit(&title, area.width.saturating_sub(4) as usize), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines: Vec<Line> = lines.into_iter().take(inner.height as usize).collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn muted(text: String, theme: &Theme) -> Span<'static> {
    Span::styled(text, Style::default().fg(theme.muted))
}

fn due_wanted(app: &App) -> u16 {
    let soon = app.board_state().due().iter().filter(|i| i.days_left.is_none_or(|d| d <= DUE_WITHIN_DAYS)).count();
    soon.clamp(1, 20) as u16
}

/// What falls due within a week (or is past due), what breaks first first; the rest counted.
fn due(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let items = app.board_state().due();
    let width = area.width.saturating_sub(2) as usize;
    let room_lines = area.height.saturating_sub(2) as usize;
    let soon: Vec<_> = items.iter().filter(|i| i.days_left.is_none_or(|d| d <= DUE_WITHIN_DAYS)).collect();
    // The list is in radar order (past due and in use first): what does not fit is said, not hidden.
    let shown = if soon.len() > room_lines { room_lines.saturating_sub(1) } else { soon.len() };
    let mut lines: Vec<Line> = soon
        .iter()
        .take(shown)
        .map(|i| {
            let head = format!(" {:>5} ", days_cell(i.days_left));
            let room = width.saturating_sub(head.len() + 29).max(12);
            Line::from(vec![
                Span::styled(
                    head,
                    Style::default().fg(theme.tone(days_tone(i.days_left))).add_modifier(Modifier::BOLD),
                ),
                Span::styled(format!("{:<room$} ", fit(&i.name, room)), Style::default().fg(theme.text)),
                muted(i.due.label().to_string(), theme),
            ])
        })
        .collect();
    if shown < soon.len() {
        let key = app.keymap().key_label(crate::keymap::KeyContext::Table(app.current()), "radar");
        lines.push(Line::from(muted(format!(" +{} more ({key}: the radar)", soon.len() - shown), theme)));
    }
    if lines.is_empty() {
        // Nothing due is only said of data that arrived.
        let waiting: Vec<&str> = PaneId::ALL
            .into_iter()
            .filter(|p| p.spec().uses(Hook::Due) && app.pane(*p).status().last_success.is_none())
            .map(|p| p.title())
            .collect();
        let text = if waiting.is_empty() {
            format!(" nothing falls due within {DUE_WITHIN_DAYS} days")
        } else {
            format!(" nothing due so far: waiting for {}", waiting.join(" and "))
        };
        lines.push(Line::from(muted(text, theme)));
    }
    render(frame, area, format!("Due within {DUE_WITHIN_DAYS} days ({})", soon.len()), lines, theme);
}

/// How old each pane's data is, and which source fails; the ages flow onto the next line where a
/// column is narrow (none is cut), and the account follows where a line is left.
fn sources(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let items: Vec<[Span; 2]> = PaneId::ALL
        .iter()
        .map(|&pane| {
            let status = app.pane(pane).status();
            let (text, tone) = match (&status.error, status.last_success) {
                (Some(_), Some(t)) => (format!("stale {}", compact_age(t, app.now())), Tone::Bad),
                (Some(_), None) => ("failing".to_string(), Tone::Bad),
                // Minutes, not seconds: a wall screen that ticks every second is not calm.
                (None, Some(t)) => (rough_age(t, app.now()), Tone::Muted),
                (None, None) => ("loading".to_string(), Tone::Muted),
            };
            [
                Span::styled(format!(" {} ", pane.spec().short_label), Style::default().fg(theme.text)),
                Span::styled(format!("{text} "), Style::default().fg(theme.tone(tone))),
            ]
        })
        .collect();
    let width = area.width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = vec![Line::default()];
    for item in items {
        let item_width: usize = item.iter().map(Span::width).sum();
        let used = lines.last().map_or(0, Line::width);
        if used > 0 && used + item_width > width {
            lines.push(Line::default());
        }
        if let Some(line) = lines.last_mut() {
            line.spans.extend(item);
        }
    }
    let context = fit(&format!(" {} │ {}", app.info().account, app.info().region), width);
    lines.push(Line::from(muted(context, theme)));
    render(frame, area, "Data age".into(), lines, theme);
}
