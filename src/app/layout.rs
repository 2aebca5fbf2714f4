//! Screen geometry both the app (for paging and scrolling) and the UI (for drawing) agree on.

use super::App;
use crate::pane::PaneId;

pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;
/// Title bar and pane tabs.
pub const TOP_ROWS: u16 = 2;
/// Refresh status and the key hints / input line.
pub const BOTTOM_ROWS: u16 = 2;

/// Summary lines a pane draws above its table (its title line included).
pub fn preamble_rows(app: &App, pane: PaneId, height: u16) -> u16 {
    // On short terminals the table matters more than the per-pool / per-standard lines.
    let roomy = height >= 20;
    let extra = if roomy { app.panes().summary_lines(pane) as u16 } else { 0 };
    1 + extra
}

/// Rows of table body (without its header) that fit on a terminal of `height`.
pub fn table_rows(app: &App, pane: PaneId, height: u16) -> usize {
    height.saturating_sub(TOP_ROWS + BOTTOM_ROWS + preamble_rows(app, pane, height) + 1).max(1) as usize
}

/// From this many columns the selected row's detail shows beside the list (`v` toggles it).
pub const SIDE_DETAIL_MIN_WIDTH: u16 = 160;
/// The list's share of a wide screen; the detail takes the rest.
pub const SIDE_DETAIL_LIST_PERCENT: u16 = 60;

/// Whether the detail shows beside the list at this width.
pub fn side_detail(app: &App, width: u16) -> bool {
    width >= SIDE_DETAIL_MIN_WIDTH && app.side_detail() && !app.showing_board()
}

/// How wide the current pane's table is on a screen `width` wide (the detail beside it takes the
/// rest on wide screens).
pub fn table_width(app: &App, width: u16) -> u16 {
    if side_detail(app, width) { width * SIDE_DETAIL_LIST_PERCENT / 100 } else { width }
}

pub fn too_small(width: u16, height: u16) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// Columns of text inside the detail overlay (the body, less its border).
pub fn detail_text_width(screen_width: u16) -> usize {
    screen_width.saturating_sub(2) as usize
}

/// Lines of text inside the detail overlay on a terminal of `height`.
pub fn detail_text_height(screen_height: u16) -> usize {
    screen_height.saturating_sub(TOP_ROWS + BOTTOM_ROWS + 2).max(1) as usize
}
