//! Every change to the app's state is one of these: keys map to actions through the keymap, and
//! results of background work arrive as actions on the same channel.

use crate::model::Timestamp;
use crate::model::triage::{Target, TargetOutcome, TriageAction};
use crate::pane::PaneId;
use crate::source::{Fetched, SourceError};
use crate::view::table::TableIndex;

#[derive(Debug, Clone)]
pub enum Action {
    Quit,
    ShowPane(PaneId),
    NextPane,
    PreviousPane,
    MoveDown,
    MoveUp,
    PageDown,
    PageUp,
    First,
    Last,
    OpenFilter,
    ClearFilter,
    OpenCommandLine,
    CycleSort,
    ReverseSort,
    OpenDetail,
    ToggleRawJson,
    /// Esc/q in an overlay: close it.
    Back,
    ToggleHelp,
    TogglePii,
    /// Findings: include resolved, suppressed and archived; Compliance: include passing controls.
    ToggleScope,
    Refresh,
    RefreshAll,
    Input(InputEdit),
    /// Marks or unmarks the selected row for a bulk action.
    ToggleMark,
    /// Marks every row the filter shows (or unmarks them when all are marked).
    ToggleMarkVisible,
    OpenActionMenu,
    /// Findings: forget which ones are new since the user last looked.
    MarkAllSeen,
    /// A key pressed in the action menu.
    MenuChoice(char),
    ConfirmYes,
    ConfirmNo,
    /// Something the runner needs the user to know (an audit write that failed).
    Notice(String),
    /// A triage action finished: the outcome per target, and whether the audit log could be written.
    Applied {
        pane: PaneId,
        outcomes: Vec<TargetOutcome>,
        audit_error: Option<String>,
    },
    Tick(Timestamp),
    Resize(u16, u16),
    /// A fetch finished. `index` is the table index prepared off the UI thread, if any.
    Loaded {
        pane: PaneId,
        at: Timestamp,
        result: Result<Fetched, SourceError>,
        index: Option<TableIndex>,
    },
}

/// Editing the filter or the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputEdit {
    Char(char),
    Backspace,
    DeleteWord,
    Submit,
    Cancel,
}

/// Work the app asks its runner to do; the app itself never performs I/O.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Fetch(PaneId),
    /// Audit the attempt, carry the action out, audit the result, report `Action::Applied`.
    Apply {
        pane: PaneId,
        action: TriageAction,
        targets: Vec<Target>,
    },
    /// Record an attempt that was refused before reaching AWS.
    AuditRefusal {
        action: TriageAction,
        refused: Vec<(String, String)>,
    },
    /// Copy to the terminal's clipboard (OSC 52: works over SSH and inside tmux).
    Clipboard(String),
}
