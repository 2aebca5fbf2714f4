//! The app: owns all state and changes it only through [`App::update`]. It performs no I/O; work
//! it wants done comes back as [`Effect`]s for the runner.

pub mod backoff;
pub mod board;
mod confirm;
pub mod layout;
pub mod listing;
pub mod pane_state;
pub mod panes;
mod refresh;
pub mod triage;
pub mod watch;

use crate::action::{Action, Effect, InputEdit};
use crate::keymap::{KeyContext, Keymap};
use crate::model::{AccountNames, Context, Timestamp};
use crate::pane::{PaneId, PaneMap};
use crate::source::{FetchOptions, SourceInfo};
use crate::view::table::SortSpec;
use crate::view::{CellContext, GroupBy};
use chrono::Duration;
use pane_state::TablePane;
pub use panes::{CompliancePane, FindingsPane, Panes, StandardSummary, UsersPane};
use std::sync::Arc;
use triage::{Draft, OutcomeView};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing a `/` filter; the table follows each key.
    Filter,
    /// Typing a `:` command.
    Command,
    Detail {
        raw: bool,
    },
    Help,
    /// The pane's action menu (`x`).
    ActionMenu,
    /// Typing the note a Security Hub update requires.
    Note,
    /// The confirm dialog of a state-changing action.
    Confirm,
    /// What the last action did, per target.
    Outcome,
    /// A list across the panes (the expiry radar, everything about one resource).
    Listing,
}

/// How often each pane refreshes by itself.
#[derive(Debug, Clone, Copy)]
pub struct RefreshPolicy {
    pub intervals: PaneMap<Duration>,
}

impl RefreshPolicy {
    /// The demo changes every few seconds; each pane's registry entry says how often to look.
    pub fn demo() -> Self {
        Self { intervals: PaneMap::from_fn(|p| Duration::seconds(i64::from(p.spec().refresh.demo_seconds))) }
    }

    /// Real accounts: findings change often, certificates and standards rarely; API quotas matter.
    pub fn aws() -> Self {
        Self { intervals: PaneMap::from_fn(|p| Duration::seconds(i64::from(p.spec().refresh.aws_seconds))) }
    }

    /// The configured seconds where given, the defaults elsewhere.
    pub fn with_overrides(mut self, seconds: &PaneMap<Option<u32>>) -> Self {
        for (pane, value) in seconds.iter() {
            if let Some(s) = value {
                self.intervals[pane] = Duration::seconds(i64::from(*s));
            }
        }
        self
    }

    pub fn interval(&self, pane: PaneId) -> Duration {
        self.intervals[pane]
    }
}

/// The longest filter or command line: a longer one is a paste gone wrong, not a search.
pub const MAX_INPUT_CHARS: usize = 256;
/// Security Hub's limit for `Note.Text`.
pub const MAX_NOTE_CHARS: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageLevel {
    Info,
    Error,
}

/// The console's state. Fields are private: only [`App::update`] changes them, the rest of the
/// program reads them through the accessors below.
pub struct App {
    info: SourceInfo,
    /// The context requests are made for and results must match.
    context: Context,
    now: Timestamp,
    current: PaneId,
    mode: Mode,
    panes: Panes,
    reveal_pii: bool,
    /// The text being typed on the filter or command line.
    input: String,
    message: Option<(MessageLevel, String)>,
    detail_scroll: usize,
    keymap: Keymap,
    screen: (u16, u16),
    refresh: RefreshPolicy,
    should_quit: bool,
    /// No state-changing action is offered (`--read-only`, or the profile's config).
    read_only: bool,
    draft: Option<Draft>,
    outcome: Option<OutcomeView>,
    /// The action being carried out, with what its result view needs.
    pending: Option<confirm::PendingAction>,
    /// Numbers every fetch and action, so a result answers exactly one request.
    next_request: u64,
    /// Whether AWS has confirmed who and where the console is looking at.
    connection: Connection,
    /// The profiles and regions named at start (`--profile a,b --region x,y`), one context each.
    contexts: Vec<crate::model::ContextChoice>,
    /// Per context, whether it is read-only (`--read-only`, or its profile's config).
    contexts_read_only: Vec<bool>,
    /// Which of them is shown (the first until `:ctx` switches).
    current_context: usize,
    /// The list across panes shown in [`Mode::Listing`].
    listing: Option<listing::Listing>,
    /// Where each jump from a listing came from, the latest last (`Backspace` goes back).
    jumps: Vec<listing::Jump>,
    /// The board, the score history and the alerts' memory.
    watch: watch::Watch,
    /// The war-room board is shown instead of the panes (`--war-room`, `:board`, `B`).
    board: bool,
    /// On wide screens, the selected row's detail beside the list (`v` toggles it).
    side_detail: bool,
}

pub use watch::SUMMARY_SERIES;

/// Jumps remembered: enough to walk back a pivot chain, bounded for a long war-room session.
const MAX_JUMPS: usize = 64;

/// The console opens before AWS answers (the first frame never waits for the network): until STS
/// confirms the identity, the cache of the account last seen with this profile and region is shown,
/// nothing is fetched and no action is offered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    Connected,
    /// Credentials and STS are being resolved; what is shown is the cache, identity unconfirmed.
    Connecting,
    /// The connection failed: the cache stays on screen, with the reason.
    Failed(String),
}

impl App {
    pub fn new(info: SourceInfo, now: Timestamp, refresh: RefreshPolicy) -> Self {
        Self {
            context: info.context(),
            info,
            now,
            current: PaneId::Findings,
            mode: Mode::Normal,
            panes: Panes::default(),
            reveal_pii: false,
            input: String::new(),
            message: None,
            detail_scroll: 0,
            keymap: Keymap::default(),
            screen: (80, 24),
            refresh,
            should_quit: false,
            read_only: false,
            draft: None,
            outcome: None,
            pending: None,
            next_request: 0,
            connection: Connection::Connected,
            contexts: Vec::new(),
            contexts_read_only: Vec::new(),
            current_context: 0,
            listing: None,
            jumps: Vec::new(),
            watch: Default::default(),
            board: false,
            side_detail: true,
        }
    }

    /// Start-up setting: what rings for new alerts (nothing unless enabled).
    pub fn with_alerts(mut self, settings: crate::model::alerts::AlertSettings) -> Self {
        self.watch.alert_settings = settings.enabled.then_some(settings);
        self
    }

    /// Start-up setting: open on the war-room board.
    pub fn with_board(mut self, board: bool) -> Self {
        self.board = board;
        self
    }

    /// Whether the war-room board is shown instead of the panes.
    pub fn showing_board(&self) -> bool {
        self.board
    }

    /// Whether wide screens show the selected row's detail beside the list.
    pub fn side_detail(&self) -> bool {
        self.side_detail
    }

    fn recount_due(&mut self) {
        let items = self.panes.due(self.now);
        self.watch.board.recount_due(items, self.now);
    }

    pub fn board_state(&self) -> &board::BoardState {
        &self.watch.board
    }

    /// Start-up setting: the score history read from disk, and whether to save new scores to it.
    pub fn with_score_history(mut self, history: crate::model::history::ScoreHistory, keep: bool) -> Self {
        self.watch.score_history = history;
        self.watch.keep_score_history = keep;
        self
    }

    /// Start-up setting: how a new score series gets a past (the demo's made-up one).
    pub fn with_made_up_past(mut self, past: watch::MadeUpPast) -> Self {
        self.watch.made_up_past = Some(past);
        self
    }

    /// Start-up setting: the contexts `:ctx` switches between, each with whether it is read-only
    /// (a profile configured read-only stays so when switched to); the first one is shown.
    pub fn with_contexts(mut self, contexts: Vec<(crate::model::ContextChoice, bool)>) -> Self {
        (self.contexts, self.contexts_read_only) = contexts.into_iter().unzip();
        self
    }

    /// The contexts named at start and which one is shown.
    pub fn contexts(&self) -> (&[crate::model::ContextChoice], usize) {
        (&self.contexts, self.current_context)
    }

    /// Start-up setting: the identity is still being confirmed (see [`Connection`]).
    pub fn connecting(mut self) -> Self {
        self.connection = Connection::Connecting;
        self
    }

    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    /// Whether any pane has data to show (from a refresh or the cache).
    pub fn has_data(&self) -> bool {
        PaneId::ALL.into_iter().any(|p| self.pane(p).status().last_success.is_some())
    }

    /// Start-up setting: the keys the config file sets.
    pub fn with_keymap(mut self, keymap: Keymap) -> Self {
        self.keymap = keymap;
        self
    }

    /// Start-up setting: no state-changing action is offered.
    pub fn with_read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    /// Start-up setting: a notice shown until the first key (why the demo opened, offline mode).
    pub fn with_notice(mut self, notice: Option<String>) -> Self {
        self.message = notice.map(|text| (MessageLevel::Info, text));
        self
    }

    pub fn info(&self) -> &SourceInfo {
        &self.info
    }
    pub fn context(&self) -> &Context {
        &self.context
    }
    pub fn now(&self) -> Timestamp {
        self.now
    }
    pub fn current(&self) -> PaneId {
        self.current
    }
    pub fn mode(&self) -> Mode {
        self.mode
    }
    pub fn panes(&self) -> &Panes {
        &self.panes
    }
    pub fn findings(&self) -> &FindingsPane {
        &self.panes.findings
    }
    pub fn certificates(&self) -> &pane_state::PaneState<crate::model::Certificate> {
        &self.panes.certificates
    }
    pub fn secrets(&self) -> &pane_state::PaneState<crate::model::Secret> {
        &self.panes.secrets
    }
    pub fn users(&self) -> &UsersPane {
        &self.panes.users
    }
    pub fn compliance(&self) -> &CompliancePane {
        &self.panes.compliance
    }
    pub fn reveal_pii(&self) -> bool {
        self.reveal_pii
    }
    pub fn input(&self) -> &str {
        &self.input
    }
    pub fn message(&self) -> Option<&(MessageLevel, String)> {
        self.message.as_ref()
    }
    pub fn detail_scroll(&self) -> usize {
        self.detail_scroll
    }
    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }

    /// The key in effect for a table action of the current pane, for text that says what to press.
    pub fn table_key(&self, name: &str) -> String {
        self.keymap.key_label(KeyContext::Table(self.current), name)
    }
    pub fn screen(&self) -> (u16, u16) {
        self.screen
    }
    pub fn refresh_policy(&self) -> &RefreshPolicy {
        &self.refresh
    }
    pub fn should_quit(&self) -> bool {
        self.should_quit
    }
    pub fn read_only(&self) -> bool {
        self.read_only
    }
    pub fn draft(&self) -> Option<&Draft> {
        self.draft.as_ref()
    }
    pub fn outcome(&self) -> Option<&OutcomeView> {
        self.outcome.as_ref()
    }
    pub fn applying(&self) -> bool {
        self.pending.is_some()
    }
    pub fn score_history(&self) -> &crate::model::history::ScoreHistory {
        &self.watch.score_history
    }

    /// The series key of a standard's score in the context shown (`summary` for the summary).
    pub fn score_key(&self, standard_arn: &str) -> String {
        crate::model::history::ScoreHistory::key(&self.context.account, &self.context.region, standard_arn)
    }

    pub fn listing(&self) -> Option<&listing::Listing> {
        self.listing.as_ref()
    }
    /// Where `Backspace` goes: the record the last jump left.
    pub fn jumps(&self) -> &[listing::Jump] {
        &self.jumps
    }

    fn new_request(&mut self) -> u64 {
        self.next_request += 1;
        self.next_request
    }

    /// What a fetch of `pane` should include, from what the user has asked to see.
    pub fn fetch_options(&self, pane: PaneId) -> FetchOptions {
        let widened = self.pane(pane).show_all() && pane.spec().scope.is_some_and(|s| s.refetch);
        FetchOptions { all_findings: pane == PaneId::Findings && widened }
    }

    pub fn cell_context(&self) -> CellContext<'_> {
        self.cell_context_for(&self.info.account_names)
    }

    /// As [`App::cell_context`] with the names given, so that it borrows them and not the app (a
    /// pane can then be changed with it at hand).
    fn cell_context_for<'a>(&self, accounts: &'a AccountNames) -> CellContext<'a> {
        CellContext { now: self.now, reveal_pii: self.reveal_pii, accounts }
    }

    pub fn pane(&self, pane: PaneId) -> &dyn TablePane {
        self.panes.table(pane)
    }

    fn pane_mut(&mut self, pane: PaneId) -> &mut dyn TablePane {
        self.panes.table_mut(pane)
    }

    /// What the keyboard means right now; `None` while text is being typed.
    pub fn key_context(&self) -> Option<KeyContext> {
        match self.mode {
            Mode::Normal if self.board => Some(KeyContext::Board),
            Mode::Normal => Some(KeyContext::Table(self.current)),
            Mode::Detail { .. } => Some(KeyContext::Detail),
            Mode::Help => Some(KeyContext::Help),
            Mode::Listing => Some(KeyContext::Listing),
            Mode::Filter | Mode::Command | Mode::ActionMenu | Mode::Note | Mode::Confirm | Mode::Outcome => None,
        }
    }

    fn table_rows(&self) -> usize {
        layout::table_rows(self, self.current, self.screen.1)
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let effects = self.apply_action(action);
        if self.current == PaneId::Findings {
            self.panes.findings.see_selected();
        }
        self.panes.findings.count_severities();
        effects
    }

    fn apply_action(&mut self, action: Action) -> Vec<Effect> {
        if !matches!(action, Action::Tick(_) | Action::Loaded { .. } | Action::Partial { .. } | Action::Resize(..)) {
            self.message = None;
        }
        match action {
            Action::Quit => self.should_quit = true,
            Action::ShowPane(pane) => self.show_pane(pane),
            Action::NextPane => self.show_pane(self.current.next()),
            Action::PreviousPane => self.show_pane(self.current.previous()),
            Action::MoveDown => self.move_by(1),
            Action::MoveUp => self.move_by(-1),
            Action::PageDown => self.move_by(self.page()),
            Action::PageUp => self.move_by(-self.page()),
            Action::First => self.move_by(isize::MIN / 2),
            Action::Last => self.move_by(isize::MAX / 2),
            Action::OpenFilter => {
                self.input = self.pane(self.current).view().filter.clone();
                self.mode = Mode::Filter;
            }
            Action::ClearFilter => self.set_filter(String::new()),
            Action::OpenCommandLine => {
                self.input.clear();
                self.mode = Mode::Command;
            }
            Action::CycleSort => self.cycle_sort(),
            Action::CycleGrouping => {
                let pane = self.pane(self.current);
                let offered = pane.groupings();
                let mut next = GroupBy::cycle(pane.grouping());
                while next.is_some_and(|g| !offered.contains(&g)) {
                    next = GroupBy::cycle(next);
                }
                self.group(next);
            }
            Action::ReverseSort => {
                let mut sort = self.pane(self.current).view().sort;
                sort.descending = !sort.descending;
                let names = Arc::clone(&self.info.account_names);
                let ctx = self.cell_context_for(&names);
                self.pane_mut(self.current).set_sort(sort, &ctx);
                self.keep_selection_visible();
            }
            Action::OpenDetail => {
                if self.pane_mut(self.current).toggle_group() {
                    self.keep_selection_visible();
                } else if self.pane(self.current).view().selected_index().is_some() {
                    self.mode = Mode::Detail { raw: false };
                    self.detail_scroll = 0;
                }
            }
            Action::ToggleRawJson => {
                if let Mode::Detail { raw } = self.mode {
                    self.mode = Mode::Detail { raw: !raw };
                    self.detail_scroll = 0;
                }
            }
            Action::Back => {
                self.mode = Mode::Normal;
                self.draft = None;
                self.listing = None;
            }
            Action::ToggleSideDetail => {
                self.side_detail = !self.side_detail;
                let state = if self.side_detail { "beside the list" } else { "off" };
                let note = if self.screen.0 < layout::SIDE_DETAIL_MIN_WIDTH {
                    format!(" (shown from {} columns)", layout::SIDE_DETAIL_MIN_WIDTH)
                } else {
                    String::new()
                };
                self.message = Some((MessageLevel::Info, format!("detail {state}{note}")));
            }
            Action::ToggleBoard => {
                self.board = !self.board;
                self.mode = Mode::Normal;
            }
            Action::OpenRadar => self.open_listing(listing::ListingKind::Radar),
            Action::OpenLens(pane) => self.open_listing(listing::ListingKind::Lens(pane)),
            Action::OpenRelated => match self.anchor() {
                Some(anchor) => self.open_listing(listing::ListingKind::Related(anchor)),
                None => self.message = Some((MessageLevel::Info, "no row selected".into())),
            },
            Action::Jump => {
                if let Some(jump) = self.listing.as_ref().and_then(|l| l.selected_jump()).cloned() {
                    if let Some(origin) = self.anchor() {
                        self.jumps.push(origin);
                        if self.jumps.len() > MAX_JUMPS {
                            self.jumps.remove(0);
                        }
                    }
                    self.listing = None;
                    self.mode = Mode::Normal;
                    self.go_to(&jump);
                }
            }
            Action::JumpBack => match self.jumps.pop() {
                Some(jump) => self.go_to(&jump),
                None => self.message = Some((MessageLevel::Info, "no jump to go back from".into())),
            },
            Action::ToggleHelp => {
                self.mode = if self.mode == Mode::Help { Mode::Normal } else { Mode::Help };
                self.detail_scroll = 0;
            }
            Action::TogglePii => {
                self.reveal_pii = !self.reveal_pii;
                let names = Arc::clone(&self.info.account_names);
                let ctx = self.cell_context_for(&names);
                self.panes.users.table.rebuild(&ctx);
                let state = if self.reveal_pii { "shown" } else { "masked" };
                self.message = Some((MessageLevel::Info, format!("e-mail addresses and phone numbers {state}")));
            }
            Action::ToggleScope => {
                let names = Arc::clone(&self.info.account_names);
                let ctx = self.cell_context_for(&names);
                self.pane_mut(self.current).toggle_scope(&ctx);
                self.keep_selection_visible();
                // Records outside the default scope may not have been fetched at all: ask again.
                if self.current.spec().scope.is_some_and(|s| s.refetch) {
                    return self.request_refresh([self.current]);
                }
            }
            Action::Refresh => return self.request_refresh([self.current]),
            Action::RefreshAll => return self.request_refresh(PaneId::ALL),
            Action::Input(edit) => return self.edit_input(edit),
            Action::Paste(text) => {
                if matches!(self.mode, Mode::Filter | Mode::Command | Mode::Note) {
                    // One line: a pasted line break types a space, never an Enter.
                    for c in crate::text::one_line(&text).chars() {
                        if !self.type_char(c) {
                            break;
                        }
                    }
                    if self.mode == Mode::Filter {
                        self.set_filter(self.input.clone());
                    }
                }
            }
            Action::Tick(now) => {
                self.now = now;
                if self.watch.board.due_is_stale(now) {
                    self.recount_due();
                }
                return self.due_refreshes();
            }
            Action::Resize(width, height) => {
                self.screen = (width, height);
                self.keep_selection_visible();
            }
            Action::Loaded { request, pane, context, at, result, index } => {
                let effects = self.loaded(request, pane, &context, at, result, index);
                if self.listing.as_ref().is_some_and(|l| l.kind.reads(pane)) {
                    self.refresh_listing();
                }
                return effects;
            }
            Action::Partial { request, pane, context, rows } => self.partial(request, pane, &context, rows),
            Action::SwitchContext(info) => return self.switch_context(info),
            Action::ContextSwitched { index, info, notice } => {
                self.context_switched(index);
                let label = self.contexts.get(index).map(ToString::to_string).unwrap_or_default();
                let effects = self.switch_context(info);
                self.message = Some((MessageLevel::Info, notice.unwrap_or_else(|| format!("showing {label}"))));
                return effects;
            }
            Action::Connected { info, notice } => {
                let effects = self.connected(info);
                self.message = notice.map(|text| (MessageLevel::Info, text));
                return effects;
            }
            Action::ConnectFailed(why) => {
                self.connection = Connection::Failed(why.clone());
                self.message = Some((MessageLevel::Error, format!("cannot connect to AWS: {why}")));
            }
            Action::ToggleMark => {
                self.pane_mut(self.current).toggle_mark();
                self.move_by(1);
            }
            Action::ToggleMarkVisible => self.pane_mut(self.current).toggle_mark_visible(),
            Action::MarkAllSeen => self.panes.findings.mark_all_seen(),
            Action::OpenActionMenu if self.connection != Connection::Connected => {
                self.message = Some((
                    MessageLevel::Info,
                    "not connected yet: actions wait until AWS confirms the account (cached data is shown)".into(),
                ));
            }
            Action::OpenActionMenu => {
                if self.pane(self.current).has_selection() {
                    self.mode = Mode::ActionMenu;
                } else {
                    self.message = Some((MessageLevel::Info, "no row selected".into()));
                }
            }
            Action::MenuChoice(key) => return self.menu_choice(key),
            Action::Notice(text) => self.message = Some((MessageLevel::Error, text)),
            Action::ConfirmYes => return self.confirm(),
            Action::ConfirmNo => {
                self.draft = None;
                self.mode = Mode::Normal;
                self.message = Some((MessageLevel::Info, "cancelled: nothing was changed".into()));
            }
            Action::Applied { request, pane, context, action, outcomes, audit_error } => {
                return self.applied(request, pane, &context, &action, outcomes, audit_error);
            }
        }
        Vec::new()
    }

    fn show_pane(&mut self, pane: PaneId) {
        self.board = false;
        self.current = pane;
        self.mode = Mode::Normal;
        self.keep_selection_visible();
    }

    fn page(&self) -> isize {
        match self.mode {
            Mode::Detail { .. } => self.screen.1.saturating_sub(6).max(1) as isize,
            _ => self.table_rows().saturating_sub(1).max(1) as isize,
        }
    }

    fn move_by(&mut self, delta: isize) {
        if self.mode == Mode::Help {
            let lines = self.keymap.bindings().len() + triage::menu(self.current).len() + 9;
            self.detail_scroll = self.detail_scroll.saturating_add_signed(delta).min(lines);
            return;
        }
        if self.mode == Mode::Listing {
            if let Some(listing) = self.listing.as_mut() {
                listing.move_by(delta);
            }
            return;
        }
        if let Mode::Detail { raw } = self.mode {
            // The last scroll position shows the last line at the bottom of the overlay.
            let lines = self.detail_line_count(raw);
            let visible = layout::detail_text_height(self.screen.1);
            self.detail_scroll = self.detail_scroll.saturating_add_signed(delta).min(lines.saturating_sub(visible));
            return;
        }
        self.pane_mut(self.current).view_mut().move_by(delta);
        self.keep_selection_visible();
    }

    /// Lines of the detail view as drawn (wrapped at the overlay's width), for the scroll range.
    fn detail_line_count(&self, raw: bool) -> usize {
        let names = Arc::clone(&self.info.account_names);
        let ctx = self.cell_context_for(&names);
        let pane = self.pane(self.current);
        let width = layout::detail_text_width(self.screen.0);
        let lines = if raw {
            pane.record_json(&ctx).map(|v| crate::text::json_layout(&v, width).len())
        } else {
            pane.detail(&ctx).map(|d| crate::text::field_layout(&d, width).1.len())
        };
        lines.unwrap_or(0)
    }

    fn keep_selection_visible(&mut self) {
        let height = self.table_rows();
        self.pane_mut(self.current).view_mut().scroll_to_selection(height);
    }

    fn set_filter(&mut self, filter: String) {
        self.pane_mut(self.current).set_filter(&filter);
        self.keep_selection_visible();
    }

    /// The selected record of the current pane, as a jump would come back to it.
    fn anchor(&self) -> Option<listing::Jump> {
        let key = self.pane(self.current).selected_key()?;
        Some(listing::Jump { pane: self.current, key })
    }

    fn open_listing(&mut self, kind: listing::ListingKind) {
        self.listing = Some(self.build_listing(kind, None));
        self.mode = Mode::Listing;
    }

    /// The listing of `kind` over the data on screen; `previous` keeps its selection.
    fn build_listing(&self, kind: listing::ListingKind, previous: Option<listing::Listing>) -> listing::Listing {
        let ctx = self.cell_context();
        let mut fresh = match &kind {
            listing::ListingKind::Radar => listing::radar_listing(self.panes.due(self.now), &ctx),
            listing::ListingKind::Related(anchor) => listing::related_listing(anchor, &self.panes, &ctx),
            listing::ListingKind::Lens(pane) => self
                .panes
                .lens(*pane, &self.watch, &self.context, &ctx)
                .unwrap_or_else(|| listing::Listing::empty(kind.clone())),
        };
        match previous {
            Some(previous) if previous.kind == kind => {
                let rows = std::mem::take(&mut fresh.rows);
                listing::Listing { selected: previous.selected, rows: previous.rows, ..fresh }.refreshed(rows)
            }
            _ => {
                fresh.move_by(0);
                fresh
            }
        }
    }

    /// New data reached a pane: the listing on screen shows it.
    pub(crate) fn refresh_listing(&mut self) {
        if let Some(previous) = self.listing.take() {
            let kind = previous.kind.clone();
            self.listing = Some(self.build_listing(kind, Some(previous)));
        }
    }

    /// Shows `jump`'s pane with its record selected (the filter cleared if it hid it).
    fn go_to(&mut self, jump: &listing::Jump) {
        self.show_pane(jump.pane);
        if !self.pane_mut(jump.pane).select_key(&jump.key) {
            if !self.pane(jump.pane).view().filter.is_empty() {
                self.set_filter(String::new());
            }
            if !self.pane_mut(jump.pane).select_key(&jump.key) {
                self.message = Some((
                    MessageLevel::Info,
                    format!(
                        "not in the {} list now ({} shows every record where the pane has a scope)",
                        jump.pane,
                        self.keymap.key_label(KeyContext::Table(jump.pane), "scope")
                    ),
                ));
                return;
            }
        }
        self.keep_selection_visible();
    }

    /// Folds the current pane's rows into groups by `by`, or shows them flat.
    fn group(&mut self, by: Option<GroupBy>) {
        if self.pane(self.current).groupings().is_empty() {
            self.message = Some((MessageLevel::Info, format!("the {} pane has no groups", self.current)));
            return;
        }
        let names = Arc::clone(&self.info.account_names);
        let ctx = self.cell_context_for(&names);
        self.pane_mut(self.current).set_grouping(by, &ctx);
        self.keep_selection_visible();
        let text = match by {
            Some(by) => {
                let groups = self.pane(self.current).view().group_headers().len();
                format!(
                    "grouped by {}: {groups} groups ({} opens one, {} the next grouping)",
                    by.name(),
                    self.table_key("detail"),
                    self.table_key("group")
                )
            }
            None => "groups off: every row".to_string(),
        };
        self.message = Some((MessageLevel::Info, text));
    }

    fn cycle_sort(&mut self) {
        let pane = self.pane(self.current);
        let column = (pane.view().sort.column + 1) % pane.column_count().max(1);
        let sort = SortSpec { column, descending: pane.column_descending_first(column) };
        let names = Arc::clone(&self.info.account_names);
        let ctx = self.cell_context_for(&names);
        self.pane_mut(self.current).set_sort(sort, &ctx);
        self.keep_selection_visible();
    }

    fn edit_input(&mut self, edit: InputEdit) -> Vec<Effect> {
        match edit {
            InputEdit::Char(c) => {
                self.type_char(c);
            }
            InputEdit::Backspace => {
                self.input.pop();
            }
            InputEdit::Complete => {
                if self.mode == Mode::Command {
                    self.complete_command();
                }
                return Vec::new();
            }
            InputEdit::DeleteWord => {
                let trimmed = self.input.trim_end().len();
                let cut = self.input[..trimmed].rfind(' ').map(|i| i + 1).unwrap_or(0);
                self.input.truncate(cut);
            }
            InputEdit::Submit if self.mode == Mode::Note => {
                if self.input.trim().is_empty() {
                    self.message =
                        Some((MessageLevel::Error, "a note is required: it becomes the finding's Note".into()));
                    return Vec::new();
                }
                if let Some(draft) = &mut self.draft {
                    draft.note = std::mem::take(&mut self.input).trim().to_string();
                }
                self.mode = Mode::Confirm;
                return Vec::new();
            }
            InputEdit::Submit => {
                let text = std::mem::take(&mut self.input);
                let mode = std::mem::replace(&mut self.mode, Mode::Normal);
                if mode == Mode::Command {
                    return self.run_command(text.trim());
                }
                return Vec::new();
            }
            InputEdit::Cancel => {
                if self.mode == Mode::Filter {
                    self.set_filter(String::new());
                }
                if self.mode == Mode::Note {
                    self.draft = None;
                    self.message = Some((MessageLevel::Info, "cancelled: nothing was changed".into()));
                }
                self.input.clear();
                self.mode = Mode::Normal;
                return Vec::new();
            }
        }
        if self.mode == Mode::Filter {
            self.set_filter(self.input.clone());
        }
        Vec::new()
    }

    /// Completes the `:` line's command name: to the one command it can be, else to what every
    /// candidate shares, and says the candidates.
    fn complete_command(&mut self) {
        if self.input.contains(' ') {
            return;
        }
        let words = crate::command::complete(&self.input);
        match words.as_slice() {
            [] => self.message = Some((MessageLevel::Info, format!("no command starts with '{}'", self.input))),
            [one] => self.input = format!("{one} "),
            several => {
                let shared = several.iter().skip(1).fold(several[0].clone(), |common, w| {
                    common.chars().zip(w.chars()).take_while(|(a, b)| a == b).map(|(a, _)| a).collect()
                });
                if shared.len() > self.input.len() {
                    self.input = shared;
                }
                self.message = Some((MessageLevel::Info, format!(":{}", several.join("  :"))));
            }
        }
    }

    /// Adds one typed character to the input, within its cap; false once the cap is reached.
    fn type_char(&mut self, c: char) -> bool {
        if c.is_control() {
            return true;
        }
        let (cap, what) = match self.mode {
            Mode::Note => (MAX_NOTE_CHARS, "a note"),
            _ => (MAX_INPUT_CHARS, "the input line"),
        };
        if self.input.chars().count() >= cap {
            self.message = Some((MessageLevel::Error, format!("{what} is limited to {cap} characters")));
            return false;
        }
        self.input.push(c);
        true
    }

    /// Whether Enter confirms the dialog shown now. After a note it does not: the Enter that
    /// submitted the note (or a repeat of it) must not also send the action; `y` does.
    pub fn enter_confirms(&self) -> bool {
        self.draft.as_ref().is_some_and(|d| d.note.is_empty())
    }

    /// `:ctx` lists the contexts; `:ctx N` (or a profile and region, or a unique part of them)
    /// asks the runner to switch to one. The view switches when the new context has connected.
    fn choose_context(&mut self, which: &str) -> Vec<Effect> {
        if self.contexts.len() < 2 {
            self.message = Some((
                MessageLevel::Info,
                "one context: name several with --profile a,b and --region x,y to switch with :ctx".into(),
            ));
            return Vec::new();
        }
        let all = self.contexts.len();
        let listing = || {
            let mut items: Vec<String> = self
                .contexts
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{}{} {c}", if i == self.current_context { "*" } else { "" }, i + 1))
                .collect();
            items.push(format!("{}all", if self.current_context == all { "*" } else { "" }));
            items.join("  ")
        };
        if which.is_empty() {
            self.message = Some((MessageLevel::Info, format!("contexts: {}  (:ctx N switches)", listing())));
            return Vec::new();
        }
        // The first context is still being confirmed: a switch now would race its answer.
        if self.connection == Connection::Connecting {
            self.message = Some((MessageLevel::Info, "still connecting: :ctx switches once AWS has answered".into()));
            return Vec::new();
        }
        let chosen = match which.parse::<usize>() {
            _ if which == "all" => Some(all),
            Ok(n) if (1..=self.contexts.len()).contains(&n) => Some(n - 1),
            Ok(_) => None,
            Err(_) => {
                let matching: Vec<usize> = (0..self.contexts.len())
                    .filter(|&i| self.contexts[i].to_string() == which || self.contexts[i].to_string().contains(which))
                    .collect();
                match matching.as_slice() {
                    [one] => Some(*one),
                    _ => self.contexts.iter().position(|c| c.to_string() == which),
                }
            }
        };
        let Some(index) = chosen else {
            self.message = Some((MessageLevel::Error, format!("no single context matches '{which}': {}", listing())));
            return Vec::new();
        };
        let name = |index: usize| match self.contexts.get(index) {
            Some(choice) => choice.to_string(),
            None => format!("all {} contexts", self.contexts.len()),
        };
        if index == self.current_context {
            self.message = Some((MessageLevel::Info, format!("already showing {}", name(index))));
            return Vec::new();
        }
        self.message = Some((MessageLevel::Info, format!("connecting to {}…", name(index))));
        // The "all" view is asked for with the first context's choice; the runner connects them all.
        let choice = self.contexts.get(index).or(self.contexts.first()).cloned().unwrap_or_default();
        vec![Effect::SwitchTo { index, choice }]
    }

    /// The runner connected context `index` (the number of contexts: the "all" view) and switched
    /// to it.
    pub(crate) fn context_switched(&mut self, index: usize) {
        // Only a connected context is switched to (a first connection that failed is left).
        self.connection = Connection::Connected;
        self.current_context = index.min(self.contexts.len());
        self.read_only = match self.contexts_read_only.get(self.current_context) {
            Some(&read_only) => read_only,
            // The "all" view acts in every context: read-only if any of them is.
            None => self.contexts_read_only.iter().any(|&r| r),
        };
    }

    /// Whether the "all" view of every context is shown.
    pub fn showing_all_contexts(&self) -> bool {
        self.contexts.len() > 1 && self.current_context == self.contexts.len()
    }

    /// A `:` command, from the one command table (`crate::command`): a command's name or alias,
    /// with its argument for those that take one.
    fn run_command(&mut self, line: &str) -> Vec<Effect> {
        let (verb, rest) = line.split_once(' ').unwrap_or((line, ""));
        let rest = rest.trim();
        if verb.is_empty() {
            return Vec::new();
        }
        let Some(command) = crate::command::find(verb) else {
            let words = crate::command::complete("");
            let hint = match crate::text::closest(verb, words.iter().map(String::as_str)) {
                Some(near) => format!("did you mean :{near}? "),
                None => String::new(),
            };
            let help = self.keymap.key_label(KeyContext::Help, "help");
            self.message =
                Some((MessageLevel::Error, format!("unknown command :{verb} ({hint}{help} lists every command)")));
            return Vec::new();
        };
        match command.name.as_str() {
            "filter" if !rest.is_empty() => {
                self.set_filter(rest.to_string());
                Vec::new()
            }
            "ctx" => self.choose_context(rest),
            "group" => {
                let offered = self.pane(self.current).groupings();
                match rest {
                    "off" | "none" | "flat" => self.group(None),
                    "" => {
                        let now = self.pane(self.current).grouping().map_or("nothing", |g| g.name());
                        self.message =
                            Some((MessageLevel::Info, format!("grouped by {now}; :group {} or off", GroupBy::list())));
                    }
                    key => match GroupBy::parse(key) {
                        Some(by) if offered.contains(&by) => self.group(Some(by)),
                        _ => {
                            self.message = Some((
                                MessageLevel::Error,
                                format!("cannot group by '{key}': :group {} or off", GroupBy::list()),
                            ))
                        }
                    },
                }
                Vec::new()
            }
            _ => match command.action {
                Some(action) => self.update(action),
                None => Vec::new(),
            },
        }
    }
}
