//! The UI's part of each pane: how it draws itself below the tab bar and the panels it puts on the
//! war-room board. One module per pane implements [`UiPane`]; the dispatch is generated from the
//! registry.

use super::board::BoardPanel;
use super::theme::Theme;
use crate::app::App;
use crate::pane::PaneId;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::declare_pane_modules;
crate::for_each_pane!(declare_pane_modules);

/// Where a pane draws: its one-line title, the summary lines above its table (pools, standards;
/// `AppPane::summary_lines` high) and its table.
#[derive(Debug, Clone, Copy)]
pub struct PaneAreas {
    pub title: Rect,
    pub summary: Rect,
    pub table: Rect,
}

/// What the UI knows of a pane.
pub trait UiPane {
    fn draw(frame: &mut Frame, areas: PaneAreas, app: &App, theme: &Theme);

    /// [`crate::pane::Hook::BoardPanel`]: its panels on the war-room board.
    fn board_panels() -> Vec<BoardPanel> {
        Vec::new()
    }
}

macro_rules! ui_dispatch {
    ($($variant:ident $module:ident),+ $(,)?) => {
        /// Draws `pane`.
        pub fn draw(pane: PaneId, frame: &mut Frame, areas: PaneAreas, app: &App, theme: &Theme) {
            match pane {
                $(PaneId::$variant => <$module::Pane as UiPane>::draw(frame, areas, app, theme)),+
            }
        }

        /// Every pane's board panels, with the pane they come from.
        pub fn board_panels() -> Vec<(PaneId, BoardPanel)> {
            let mut panels = Vec::new();
            $(panels.extend(<$module::Pane as UiPane>::board_panels().into_iter().map(|p| (PaneId::$variant, p)));)+
            panels
        }
    };
}

crate::for_each_pane!(ui_dispatch);
