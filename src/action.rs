//! Every change to the app's state is one of these: keys map to actions through the keymap, and
//! results of background work arrive as actions on the same channel.

use crate::model::triage::{Target, TargetOutcome, TriageAction};
use crate::model::{Context, Timestamp};
use crate::pane::PaneId;
use crate::source::{Fetched, SourceError, SourceInfo};
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
    /// Folds the rows into groups by the next key the pane offers (after the last, flat again).
    CycleGrouping,
    /// The war-room board instead of the panes, or the panes again.
    ToggleBoard,
    /// On wide screens, the selected row's detail beside the list, or not.
    ToggleSideDetail,
    /// The expiry radar: what falls due (certificates, secrets, ...) by days left.
    OpenRadar,
    /// A pane's lens (`PaneSpec::lens`): what to fix first in Compliance, the anti-fraud lens in
    /// Users.
    OpenLens(PaneId),
    /// Everything Vigil knows about the selected row's resource, across the panes.
    OpenRelated,
    /// Security Hub's automation rules of the context shown (`:rules`), listed when the source
    /// answers.
    OpenAutomationRules,
    /// The live feed of `context` started listening, or fell back to polling and why.
    LiveState {
        context: Context,
        state: crate::model::live::FeedState,
    },
    /// The live feed of `context` brought findings (mapped from their events) and messages it
    /// could not read, at `at`.
    LiveEvents {
        context: Context,
        findings: Vec<crate::model::Finding>,
        malformed: Vec<String>,
        at: Timestamp,
    },
    /// The source listed the automation rules of `context` (or could not).
    AutomationRulesArrived {
        context: Context,
        result: Result<Vec<crate::model::triage::AutomationRule>, String>,
    },
    /// Deletes the rule selected in the automation rules' listing (confirmed, audited).
    DeleteListedRule,
    /// Where the `:history` question `id` is asked and what it costs, or why it cannot be.
    HistoryPrepared {
        id: u64,
        result: Result<crate::model::lake::Prepared, String>,
    },
    /// The state of history query `id` while it runs.
    HistoryProgress {
        id: u64,
        progress: crate::model::lake::Progress,
    },
    /// History query `id` answered, failed or was stopped.
    HistoryFinished {
        id: u64,
        result: Result<crate::model::lake::Finished, String>,
    },
    /// Stops the running history query (StopQueryExecution).
    StopHistory,
    /// Asks the history question on screen anew.
    RerunHistory,
    /// Goes to the record the listing's selected row names, in its pane.
    Jump,
    /// Back to the record the last jump left.
    JumpBack,
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
    /// Run `aws sso login` for the profile in the terminal (the console steps aside while it
    /// runs), then refresh: an expired SSO session renewed without leaving the console.
    Login,
    /// The login command ended: how (its exit, or why it could not run).
    LoginEnded(Result<(), String>),
    Input(InputEdit),
    /// Text the terminal pasted (bracketed paste): typed into the input being edited, if any;
    /// it never confirms or chooses anything.
    Paste(String),
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
        /// The request the result answers ([`Effect::Apply`]'s).
        request: u64,
        pane: PaneId,
        /// The context the action was confirmed in.
        context: Context,
        action: TriageAction,
        outcomes: Vec<TargetOutcome>,
        audit_error: Option<String>,
    },
    /// The service's own document of the record `key` arrived (or could not be had).
    DocumentArrived {
        key: String,
        result: Result<Option<crate::source::Document>, String>,
    },
    Tick(Timestamp),
    Resize(u16, u16),
    /// A fetch finished. `index` is the table index prepared off the UI thread, if any. A result
    /// for another context than the one shown is dropped.
    Loaded {
        /// The request the result answers ([`Effect::Fetch`]'s); `None` for data nobody asked
        /// for (the disk cache drawn at start-up).
        request: Option<u64>,
        pane: PaneId,
        context: Context,
        at: Timestamp,
        result: Result<Fetched, SourceError>,
        index: Option<TableIndex>,
    },
    /// Rows a fetch reported before finishing (a first load streaming in page by page): shown at
    /// once when the pane has nothing else to show, counted otherwise. Dropped unless it belongs
    /// to the request in flight for the context shown.
    Partial {
        request: u64,
        pane: PaneId,
        context: Context,
        rows: crate::model::PaneData,
    },
    /// The console now looks at another account, region or profile: what was shown is forgotten
    /// and every pane is fetched anew.
    SwitchContext(SourceInfo),
    /// Context `index` of those named at start is connected and shown now (`info` says what it is).
    ContextSwitched {
        index: usize,
        info: SourceInfo,
        notice: Option<String>,
    },
    /// AWS confirmed who the console is looking at (the console opened on the cache before): the
    /// same account starts refreshing, another one replaces what was shown.
    Connected {
        info: SourceInfo,
        notice: Option<String>,
    },
    /// Connecting to AWS failed; the cached data stays, marked, and nothing is fetched.
    ConnectFailed(String),
}

/// Editing the filter or the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputEdit {
    Char(char),
    Backspace,
    DeleteWord,
    Submit,
    Cancel,
    /// Tab on the `:` line: completes the command's name (or, after `:view`, the view's).
    Complete,
}

/// Work the app asks its runner to do; the app itself never performs I/O.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Fetch a pane. `request` numbers it: only the answer to the latest request is installed.
    Fetch { request: u64, pane: PaneId, context: Context },
    /// Audit the attempt, carry the action out, audit the result, report `Action::Applied`.
    Apply { request: u64, pane: PaneId, context: Context, action: TriageAction, targets: Vec<Target> },
    /// Record an attempt that was refused before reaching AWS.
    AuditRefusal { context: Context, action: TriageAction, refused: Vec<(String, String)> },
    /// Copy to the terminal's clipboard (OSC 52: works over SSH and inside tmux).
    Clipboard(String),
    /// Hand the terminal to a command (the SSO login) and take it back when it ends.
    RunInTerminal(Vec<String>),
    /// Ring, notify and run the hook for new alerts, as the settings say.
    Alert { alerts: Vec<crate::model::alerts::Alert>, settings: crate::model::alerts::AlertSettings },
    /// Save the score history (the Compliance pane recorded new scores).
    SaveScoreHistory(crate::model::history::ScoreHistory),
    /// Fetch the service's own document of a record for the raw view; the runner answers with
    /// `Action::DocumentArrived`.
    FetchDocument { pane: PaneId, context: Context, key: String, target: Target },
    /// List the automation rules of `context`; the runner answers with
    /// `Action::AutomationRulesArrived`.
    FetchAutomationRules { context: Context },
    /// Find where a `:history` question is asked and estimate it; the runner answers with
    /// `Action::HistoryPrepared`.
    HistoryPrepare { id: u64, question: crate::model::lake::Question },
    /// Run a prepared history query; the runner answers with `Action::HistoryProgress` while it
    /// runs and `Action::HistoryFinished`.
    HistoryRun { id: u64, prepared: crate::model::lake::Prepared },
    /// Stop history query `id` at its next poll.
    HistoryStop { id: u64 },
    /// Connect context `index` of those named at start (if not yet connected) and switch to it;
    /// the runner answers with `Action::ContextSwitched` or a notice saying why not.
    SwitchTo { index: usize, choice: crate::model::ContextChoice },
}
