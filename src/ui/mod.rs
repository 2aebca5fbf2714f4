//! Drawing. Every function here only reads the app's state; nothing is mutated while drawing.

pub mod board;
pub mod panes;
pub mod theme;
pub mod widgets;

use crate::app::layout::{self, BOTTOM_ROWS, TOP_ROWS};
use crate::app::{App, Mode};
use crate::keymap::KeyContext;
use crate::pane::PaneId;
use crate::text::{self, fit, thousands};
use crate::view::table::TableView;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use theme::Theme;
use widgets::{detail, help, status};

/// Draws the frame, and says when its texts of time (the clock, ages, countdowns) next change:
/// until then, and unless the state changes, the same frame would be drawn again.
pub fn draw_until(frame: &mut Frame, app: &App, theme: &Theme) -> Option<crate::model::Timestamp> {
    crate::model::time::repaint::take();
    draw(frame, app, theme);
    crate::model::time::repaint::take()
}

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    if layout::too_small(area.width, area.height) {
        let message = format!(
            "Vigil needs at least {}x{} (this is {}x{}). {} quits.",
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT,
            area.width,
            area.height,
            app.key_context().map_or_else(|| "Ctrl-c".into(), |c| app.keymap().key_label(c, "quit")),
        );
        let lines: Vec<Line> = text::wrap(&message, area.width as usize).into_iter().map(Line::from).collect();
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let row = |y: u16, height: u16| Rect { x: area.x, y: area.y + y, width: area.width, height };
    status::title_bar(frame, row(0, 1), app, theme);
    status::tabs(frame, row(1, 1), app, theme);
    let body_height = area.height - TOP_ROWS - BOTTOM_ROWS;
    let full_body = row(TOP_ROWS, body_height);
    // Wide screens: the list on the left, the selected row's detail beside it.
    let (body, side) = if layout::side_detail(app, area.width) {
        let list_width = area.width * layout::SIDE_DETAIL_LIST_PERCENT / 100;
        (
            Rect { width: list_width, ..full_body },
            Some(Rect { x: full_body.x + list_width, width: area.width - list_width, ..full_body }),
        )
    } else {
        (full_body, None)
    };
    let preamble = layout::preamble_rows(app, app.current(), area.height).min(body_height);
    let title_area = Rect { height: 1, ..body };
    let extra_area = Rect { y: body.y + 1, height: preamble.saturating_sub(1), ..body };
    let table_area = Rect { y: body.y + preamble, height: body_height - preamble, ..body };
    if let Some(side) = side {
        draw_side_detail(frame, side, app, theme);
    }
    if app.showing_board() {
        board::draw(frame, full_body, app, theme);
    } else {
        let areas = panes::PaneAreas { title: title_area, summary: extra_area, table: table_area };
        panes::draw(app.current(), frame, areas, app, theme);
    }
    status::refresh_line(frame, row(area.height - 2, 1), app, theme);
    status::bottom_line(frame, row(area.height - 1, 1), app, theme);

    match app.mode() {
        Mode::Detail { raw } => draw_detail(frame, full_body, app, raw, theme),
        Mode::Help => {
            if let Some(context) = Some(crate::keymap::KeyContext::Table(app.current())) {
                help::draw(frame, full_body, app.keymap(), context, app.detail_scroll(), theme);
            }
        }
        Mode::ActionMenu => widgets::triage::draw_menu(frame, full_body, app, theme),
        Mode::Listing => widgets::listing::draw(frame, full_body, app, theme),
        Mode::Confirm => widgets::triage::draw_confirm(frame, full_body, app, theme),
        Mode::Outcome => widgets::triage::draw_outcome(frame, full_body, app, theme),
        _ => {}
    }
}

/// The selected row's fields beside the list (wide screens); a group's header says what it holds.
fn draw_side_detail(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let ctx = app.cell_context();
    let pane = app.pane(app.current());
    let inner_width = area.width.saturating_sub(2);
    let lines = match (pane.detail(&ctx), pane.view().selected_group()) {
        (Some(fields), _) => {
            let fields = say_how_to_reveal(fields, &app.table_key("pii"));
            detail::field_lines(&fields, inner_width, theme)
        }
        (None, Some(group)) => vec![Line::from(Span::styled(
            fit(
                &format!("{} findings: {} opens the group", group.members.len(), app.table_key("detail")),
                inner_width as usize,
            ),
            Style::default().fg(theme.muted),
        ))],
        (None, None) => Vec::new(),
    };
    let title = format!("{} detail — {} hides it", app.current().title(), app.table_key("side-detail"));
    detail::draw(frame, area, &title, lines, 0, theme);
}

/// The masked-PII line says which key reveals it (the keys are the user's to choose).
fn say_how_to_reveal(mut fields: Vec<(String, String)>, key: &str) -> Vec<(String, String)> {
    for (name, value) in &mut fields {
        if name == "PII" && value == crate::view::users::PII_MASKED {
            *value = format!("{PII_MASKED}: press {key} to reveal", PII_MASKED = crate::view::users::PII_MASKED);
        }
    }
    fields
}

fn draw_detail(frame: &mut Frame, area: Rect, app: &App, raw: bool, theme: &Theme) {
    let ctx = app.cell_context();
    let pane = app.pane(app.current());
    let inner_width = area.width.saturating_sub(2);
    let key = |name| app.keymap().key_label(KeyContext::Detail, name);
    let (json_key, close_key) = (key("raw-json"), key("close"));
    let (title, lines) = if raw {
        let Some((json, what)) = app.raw_view(&ctx) else {
            return;
        };
        let what = crate::sanitize::sanitize(&what);
        (
            format!("{} {what} — {json_key} fields · {close_key} close", app.current().title()),
            detail::json_lines(&json, inner_width, theme),
        )
    } else {
        let Some(fields) = pane.detail(&ctx) else {
            return;
        };
        let fields = say_how_to_reveal(fields, &key("pii"));
        (
            format!("{} detail — {json_key} raw JSON · {close_key} close", app.current().title()),
            detail::field_lines(&fields, inner_width, theme),
        )
    };
    detail::draw(frame, area, &title, lines, app.detail_scroll(), theme);
}

/// The pane's one-line title: name, counts, grouping, then pane-specific facts, the filter and the
/// position. The name, counts, filter and position always show: the facts (and then the warnings)
/// give way when the line is short, never the other way round.
pub fn title_line(frame: &mut Frame, area: Rect, app: &App, view: &TableView, facts: Vec<Span<'_>>, theme: &Theme) {
    let width = area.width as usize;
    let mut head = vec![Span::styled(
        format!(" {} ", app.current().title()),
        Style::default().fg(theme.accent).add_modifier(Modifier::BOLD),
    )];
    let shown = if view.visible.len() == view.total() {
        format!("{} ", thousands(view.total()))
    } else {
        format!("{}/{} ", thousands(view.visible.len()), thousands(view.total()))
    };
    head.push(Span::styled(shown, Style::default().fg(theme.text)));
    if let Some(by) = app.pane(app.current()).grouping() {
        let groups = view.group_headers().len();
        head.push(Span::styled(
            format!("in {} by {} ", thousands(groups), by.name()),
            Style::default().fg(theme.accent),
        ));
    }
    let mut tail = Vec::new();
    if !view.filter.is_empty() {
        tail.push(Span::styled(format!(" filter: {}", fit(&view.filter, 24)), Style::default().fg(theme.warning)));
    }
    if !view.is_empty() {
        tail.push(Span::styled(
            format!("  {}/{}", thousands(view.selected + 1), thousands(view.len())),
            Style::default().fg(theme.muted),
        ));
    }
    let spans_width = |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>();
    let mut room = width.saturating_sub(spans_width(&head) + spans_width(&tail));
    // Sanitised like everything else: warnings carry AWS error messages, a pane's facts AWS text
    // (the resource an attack hits).
    let warnings = &app.pane(app.current()).status().warnings;
    let warning = (!warnings.is_empty()).then(|| format!("  ⚠ {}", warnings.join(" · ")));
    let warning_room = warning.as_ref().map_or(0, |w| text::width(w).min(room / 2));
    let mut facts_room = room - warning_room;
    let mut line = head;
    for fact in facts {
        let content = crate::sanitize::sanitize(&fact.content).into_owned();
        if facts_room == 0 {
            break;
        }
        let shown = fit(&content, facts_room);
        facts_room -= text::width(&shown);
        room -= text::width(&shown);
        line.push(Span::styled(shown, fact.style));
    }
    line.extend(tail);
    if let Some(warning) = warning {
        line.push(Span::styled(fit(&warning, room), Style::default().fg(theme.warning)));
    }
    frame.render_widget(Paragraph::new(Line::from(line)), area);
}

/// Which accounts a pane's records cover, from what Security Hub and GuardDuty said at connect:
/// "  SH admin of 41: 38 accounts seen", a member account in the warning colour, an unknown one
/// muted. `seen` is how many accounts the rows come from, where the pane knows.
pub fn coverage_facts<'a>(
    services: &[(&str, &crate::model::coverage::Administration)],
    seen: Option<usize>,
    theme: &Theme,
) -> Vec<Span<'a>> {
    use crate::model::coverage::Administration;
    let mut facts = Vec::new();
    for (name, administration) in services {
        let (text, colour) = match administration {
            Administration::Administrator { members } => {
                let seen = seen.map(|n| format!(": {n} of {} accounts seen", members + 1)).unwrap_or_default();
                (format!("  {name} admin of {members}{seen}"), theme.muted)
            }
            Administration::Member { administrator } => {
                (format!("  {name} member of {administrator}: this account only"), theme.warning)
            }
            Administration::Alone => continue,
            Administration::Unknown { .. } => (format!("  {name} coverage unknown"), theme.muted),
        };
        facts.push(Span::styled(text, Style::default().fg(colour)));
    }
    facts
}

/// The pane's scope as its registry entry names it ("open" / "all"), empty for panes without one.
pub fn scope_name(pane: PaneId, show_all: bool) -> &'static str {
    match pane.spec().scope {
        Some(scope) if show_all => scope.widened,
        Some(scope) => scope.default,
        None => "",
    }
}
