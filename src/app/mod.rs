//! The app: owns all state and changes it only through [`App::update`]. It performs no I/O; work
//! it wants done comes back as [`Effect`]s for the runner.

pub mod backoff;
pub mod board;
mod confirm;
pub mod history;
mod input;
pub mod layout;
pub mod listing;
mod live;
mod navigate;
pub mod pane_state;
pub mod panes;
mod refresh;
mod session;
pub mod triage;
pub mod watch;

use crate::action::{Action, Effect};
use crate::keymap::{KeyContext, Keymap};
use crate::model::{AccountNames, Context, Timestamp};
use crate::pane::{PaneId, PaneMap};
use crate::source::{FetchOptions, SourceInfo};
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

/// What the screen is doing: the mode, what is being typed, the message on the bottom line and
/// the overlays' state.
#[derive(Debug, Clone)]
pub struct Modes {
    pub mode: Mode,
    /// The text being typed on the filter or command line.
    pub input: String,
    pub message: Option<(MessageLevel, String)>,
    pub detail_scroll: usize,
    /// The list across panes shown in [`Mode::Listing`].
    pub listing: Option<listing::Listing>,
    /// What an "everything about" listing on screen is about: a findings refresh that changed
    /// nothing it names leaves the listing as it is.
    pub related_subject: Option<panes::Subject>,
    /// Where each jump from a listing came from, the latest last (`Backspace` goes back).
    pub jumps: Vec<listing::Jump>,
    /// The war-room board is shown instead of the panes (`--war-room`, `:board`, `B`).
    pub board: bool,
    /// On wide screens, the selected row's detail beside the list (`v` toggles it).
    pub side_detail: bool,
    /// The service's own document of the record in the raw view, fetched when the raw view opened.
    pub document: Option<RawDocument>,
    /// The automation rules the `:rules` listing shows: `None` while the source is asked.
    pub rules: Option<Result<Vec<crate::model::triage::AutomationRule>, String>>,
    /// The `:history` question the history listing shows.
    pub history: Option<history::HistoryView>,
}

/// The service's own document of one record (the new Security Hub's OCSF document of a finding),
/// fetched for the raw view instead of kept for every row.
#[derive(Debug, Clone)]
pub struct RawDocument {
    /// The record's key.
    pub key: String,
    pub state: DocumentState,
}

#[derive(Debug, Clone)]
pub enum DocumentState {
    Fetching,
    Ready(crate::source::Document),
    Failed(String),
}

impl Default for Modes {
    fn default() -> Self {
        Self {
            mode: Mode::Normal,
            input: String::new(),
            message: None,
            detail_scroll: 0,
            listing: None,
            related_subject: None,
            jumps: Vec::new(),
            board: false,
            side_detail: true,
            document: None,
            rules: None,
            history: None,
        }
    }
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

/// The command that renews the profile's SSO session, as a person would type it.
pub fn login_command(profile: Option<&str>) -> Vec<String> {
    let mut command: Vec<String> = ["aws", "sso", "login"].map(String::from).into();
    if let Some(profile) = profile {
        command.extend(["--profile".to_string(), profile.to_string()]);
    }
    command
}

/// The console's state. Fields are private: only [`App::update`] changes them, the rest of the
/// program reads them through the accessors below.
pub struct App {
    /// Who and where the console is looking at, and what it may do there.
    session: session::Session,
    /// What the screen is doing: the mode, the typing, the message, the overlays.
    modes: Modes,
    now: Timestamp,
    /// The last action was a tick that changed nothing but the time (see [`App::only_time_passed`]).
    only_time_passed: bool,
    current: PaneId,
    panes: Panes,
    reveal_pii: bool,
    keymap: Keymap,
    screen: (u16, u16),
    refresh: RefreshPolicy,
    should_quit: bool,
    draft: Option<Draft>,
    outcome: Option<OutcomeView>,
    /// The action being carried out, with what its result view needs.
    pending: Option<confirm::PendingAction>,
    /// Numbers every fetch and action, so a result answers exactly one request.
    next_request: u64,
    /// The board, the score history and the alerts' memory.
    watch: watch::Watch,
    /// The config's `[views.NAME]`, for `:view NAME`.
    views: Vec<crate::view::SavedView>,
    /// The findings feed: its settings, state and the events it brought.
    live_settings: crate::model::live::LiveSettings,
    live: crate::model::live::LiveStatus,
    /// `:history` answers of this session, by question.
    answers: history::Answers,
    /// `[history]`: the window of a question that names none, and the price shown.
    history_window: crate::model::lake::Window,
    history_price: f64,
    history_cap: u64,
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
            session: session::Session::new(info),
            modes: Modes::default(),
            now,
            only_time_passed: false,
            current: PaneId::ALL[0],
            panes: Panes::default(),
            reveal_pii: false,
            keymap: Keymap::default(),
            screen: (80, 24),
            refresh,
            should_quit: false,
            draft: None,
            outcome: None,
            pending: None,
            next_request: 0,
            watch: Default::default(),
            views: Vec::new(),
            live_settings: crate::model::live::LiveSettings::default(),
            answers: history::Answers::default(),
            history_window: crate::model::lake::HistorySettings::default().window,
            history_price: crate::model::lake::PRICE_PER_TB,
            history_cap: crate::model::lake::DEFAULT_MAX_SCAN,
            live: crate::model::live::LiveStatus::default(),
        }
    }

    /// `aws sso login` for the profile shown, or for `named` (one of the contexts' profiles). In
    /// the all-contexts view no one profile is shown: the contexts' one profile, or say which.
    pub(super) fn login(&mut self, named: Option<&str>) -> Vec<Effect> {
        if self.session.info.kind != crate::source::SourceKind::Aws {
            self.modes.message = Some((MessageLevel::Info, "the demo has no AWS session to log in to".into()));
            return Vec::new();
        }
        let mut profiles: Vec<&str> =
            self.session.contexts.iter().filter_map(|c| c.profile.as_deref()).collect::<Vec<_>>();
        profiles.sort_unstable();
        profiles.dedup();
        let profile = match (named, self.session.info.profile.as_deref()) {
            (Some(name), _) if profiles.contains(&name) || self.session.info.profile.as_deref() == Some(name) => {
                Some(name.to_string())
            }
            (Some(name), _) => {
                let known = if profiles.is_empty() { "none named at start".to_string() } else { profiles.join(", ") };
                self.modes.message =
                    Some((MessageLevel::Error, format!("no profile '{name}' among the contexts ({known})")));
                return Vec::new();
            }
            (None, Some(shown)) => Some(shown.to_string()),
            (None, None) => match profiles.as_slice() {
                [] => None,
                [one] => Some(one.to_string()),
                several => {
                    self.modes.message = Some((
                        MessageLevel::Info,
                        format!("several profiles here: :login PROFILE ({})", several.join(", ")),
                    ));
                    return Vec::new();
                }
            },
        };
        vec![Effect::RunInTerminal(login_command(profile.as_deref()))]
    }

    /// Start-up setting: the config's named views (`:view NAME`).
    pub fn with_live(mut self, settings: crate::model::live::LiveSettings) -> Self {
        self.live_settings = settings;
        self
    }

    /// Start-up setting: `[history]`'s window and price for `:history`.
    pub fn with_history(mut self, settings: &crate::model::lake::HistorySettings) -> Self {
        self.history_window = settings.window;
        self.history_price = settings.price_per_tb;
        self.history_cap = settings.max_scan;
        self
    }

    pub fn live_settings(&self) -> &crate::model::live::LiveSettings {
        &self.live_settings
    }

    pub fn live(&self) -> &crate::model::live::LiveStatus {
        &self.live
    }

    pub fn with_views(mut self, views: Vec<crate::view::SavedView>) -> Self {
        self.views = views;
        self
    }

    /// Start-up setting: open on this view (one of [`App::with_views`]'s). What it asks to fetch
    /// (a widened scope) the first refresh fetches anyway.
    pub fn opening_view(mut self, name: &str) -> Self {
        let _ = self.apply_view(name);
        self
    }

    pub fn views(&self) -> &[crate::view::SavedView] {
        &self.views
    }

    /// Start-up setting: what rings for new alerts (nothing unless enabled).
    pub fn with_alerts(mut self, settings: crate::model::alerts::AlertSettings) -> Self {
        self.watch.alert_settings = settings.enabled.then_some(settings);
        self
    }

    /// Start-up setting: open on the war-room board.
    pub fn with_board(mut self, board: bool) -> Self {
        self.modes.board = board;
        self
    }

    /// Whether the war-room board is shown instead of the panes.
    pub fn showing_board(&self) -> bool {
        self.modes.board
    }

    /// Whether wide screens show the selected row's detail beside the list.
    pub fn side_detail(&self) -> bool {
        self.modes.side_detail
    }

    /// Whether what falls due changed.
    fn recount_due(&mut self) -> bool {
        let items = self.panes.due(self.now);
        self.watch.board.recount_due(items, self.now)
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
        (self.session.contexts, self.session.contexts_read_only) = contexts.into_iter().unzip();
        self
    }

    /// The contexts named at start and which one is shown.
    pub fn contexts(&self) -> (&[crate::model::ContextChoice], usize) {
        (&self.session.contexts, self.session.current_context)
    }

    /// Start-up setting: the identity is still being confirmed (see [`Connection`]).
    pub fn connecting(mut self) -> Self {
        self.session.connection = Connection::Connecting;
        self
    }

    pub fn connection(&self) -> &Connection {
        &self.session.connection
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
        self.session.read_only = read_only;
        self
    }

    /// Start-up setting: a notice shown until the first key (why the demo opened, offline mode).
    pub fn with_notice(mut self, notice: Option<String>) -> Self {
        self.modes.message = notice.map(|text| (MessageLevel::Info, text));
        self
    }

    pub fn info(&self) -> &SourceInfo {
        &self.session.info
    }
    pub fn context(&self) -> &Context {
        &self.session.context
    }
    pub fn now(&self) -> Timestamp {
        self.now
    }
    /// Whether the last action was a clock tick that changed nothing but the time: no refresh fell
    /// due and nothing was recounted. The frame on screen then still holds, up to the moment its
    /// texts of time change (`model::time::repaint`), and an idle console need not draw it.
    pub fn only_time_passed(&self) -> bool {
        self.only_time_passed
    }
    pub fn current(&self) -> PaneId {
        self.current
    }
    pub fn mode(&self) -> Mode {
        self.modes.mode
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
    pub fn keys(&self) -> &pane_state::PaneState<crate::view::keys::KeyRow> {
        &self.panes.keys
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
        &self.modes.input
    }
    pub fn message(&self) -> Option<&(MessageLevel, String)> {
        self.modes.message.as_ref()
    }
    pub fn detail_scroll(&self) -> usize {
        self.modes.detail_scroll
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
        self.session.read_only
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
        crate::model::history::ScoreHistory::key(
            &self.session.context.account,
            &self.session.context.region,
            standard_arn,
        )
    }

    pub fn listing(&self) -> Option<&listing::Listing> {
        self.modes.listing.as_ref()
    }
    /// Where `Backspace` goes: the record the last jump left.
    pub fn jumps(&self) -> &[listing::Jump] {
        &self.modes.jumps
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
        self.cell_context_for(&self.session.info.account_names)
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
        match self.modes.mode {
            Mode::Normal if self.modes.board => Some(KeyContext::Board),
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

    /// Asks the source for the selected record's own document, where it names one (a finding the
    /// new Security Hub reported): the raw view shows it once it arrives.
    fn fetch_document(&mut self) -> Vec<Effect> {
        let pane = self.pane(self.current);
        let (Some(key), Some(target)) = (pane.selected_key(), pane.selected_target(&self.session.context)) else {
            return Vec::new();
        };
        // A finding has a service's document behind it (OCSF, GuardDuty's, ASFF); other records
        // show Vigil's.
        let has_document = target.ocsf_uid.is_some() || target.guardduty.is_some() || target.product_arn.is_some();
        if self.current != PaneId::Findings || !has_document {
            self.modes.document = None;
            return Vec::new();
        }
        if self.modes.document.as_ref().is_some_and(|d| d.key == key && !matches!(d.state, DocumentState::Failed(_))) {
            return Vec::new();
        }
        self.modes.document = Some(RawDocument { key: key.clone(), state: DocumentState::Fetching });
        vec![Effect::FetchDocument { pane: self.current, context: self.session.context.clone(), key, target }]
    }

    /// What the raw view shows of the selected record, and what it is: the service's own document
    /// once fetched, else Vigil's record.
    pub fn raw_view(&self, ctx: &CellContext) -> Option<(serde_json::Value, String)> {
        let pane = self.pane(self.current);
        let record = pane.record_json(ctx)?;
        let key = pane.selected_key();
        let document = self.modes.document.as_ref().filter(|d| Some(&d.key) == key.as_ref());
        Some(match document.map(|d| &d.state) {
            Some(DocumentState::Ready(document)) => (document.json.clone(), document.about.into()),
            Some(DocumentState::Fetching) => (record, "record (JSON); fetching AWS's document…".into()),
            Some(DocumentState::Failed(_)) => (record, "record (JSON); AWS's document failed (status line)".into()),
            None => (record, "record (JSON)".into()),
        })
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
        self.only_time_passed = false;
        if !matches!(action, Action::Tick(_) | Action::Loaded { .. } | Action::Partial { .. } | Action::Resize(..)) {
            self.modes.message = None;
        }
        match action {
            Action::Tick(_)
            | Action::Resize(..)
            | Action::Loaded { .. }
            | Action::Partial { .. }
            | Action::SwitchContext(_)
            | Action::ContextSwitched { .. }
            | Action::Connected { .. }
            | Action::ConnectFailed(_)
            | Action::Refresh
            | Action::Login
            | Action::LoginEnded(_)
            | Action::RefreshAll => self.world_action(action),
            Action::ToggleMark
            | Action::ToggleMarkVisible
            | Action::MarkAllSeen
            | Action::OpenActionMenu
            | Action::MenuChoice(_)
            | Action::Notice(_)
            | Action::ConfirmYes
            | Action::ConfirmNo
            | Action::Applied { .. } => self.triage_action(action),
            _ => self.view_action(action),
        }
    }

    /// The world changing: time, the screen's size, data arriving, the context and its connection.
    fn world_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Refresh => return self.request_refresh([self.current]),
            Action::RefreshAll => return self.request_refresh(PaneId::ALL),
            Action::Login => {
                if self.session.info.kind != crate::source::SourceKind::Aws {
                    self.modes.message = Some((MessageLevel::Info, "the demo has no AWS session to log in to".into()));
                    return Vec::new();
                }
                return self.login(None);
            }
            Action::LoginEnded(Ok(())) => {
                if matches!(self.session.connection, Connection::Failed(_)) {
                    // The runner connects again with the new session; the panes refresh once it has.
                    self.session.connection = Connection::Connecting;
                    self.modes.message = Some((MessageLevel::Info, "logged in: connecting again".into()));
                    return Vec::new();
                }
                self.modes.message = Some((MessageLevel::Info, "logged in: refreshing every pane".into()));
                return self.request_refresh(PaneId::ALL);
            }
            Action::LoginEnded(Err(why)) => {
                self.modes.message = Some((MessageLevel::Error, format!("login: {why}")));
                return Vec::new();
            }
            Action::Tick(now) => {
                self.now = now;
                // Worked out again every minute: a list that came out the same draws nothing.
                let recounted = self.watch.board.due_is_stale(now) && self.recount_due();
                let effects = self.due_refreshes();
                self.only_time_passed = !recounted && effects.is_empty();
                return effects;
            }
            Action::Resize(width, height) => {
                self.screen = (width, height);
                self.keep_selection_visible();
            }
            Action::Loaded { request, pane, context, at, result, index } => {
                let effects = self.loaded(request, pane, &context, at, result, index);
                if self.modes.listing.as_ref().is_some_and(|l| l.kind.reads(pane)) {
                    self.refresh_listing_for(pane);
                }
                return effects;
            }
            Action::Partial { request, pane, context, rows } => self.partial(request, pane, &context, rows),
            Action::SwitchContext(info) => return self.switch_context(info),
            Action::ContextSwitched { index, info, notice } => {
                self.context_switched(index);
                let label = self.session.contexts.get(index).map(ToString::to_string).unwrap_or_default();
                let effects = self.switch_context(info);
                self.modes.message = Some((MessageLevel::Info, notice.unwrap_or_else(|| format!("showing {label}"))));
                return effects;
            }
            Action::Connected { info, notice } => {
                let effects = self.connected(info);
                self.modes.message = notice.map(|text| (MessageLevel::Info, text));
                return effects;
            }
            Action::ConnectFailed(why) => {
                self.session.connection = Connection::Failed(why.clone());
                self.modes.message = Some((MessageLevel::Error, format!("cannot connect to AWS: {why}")));
            }
            _ => {}
        }
        Vec::new()
    }

    /// Acting on records: marks, the action menu, the confirmation and the result.
    fn triage_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::ToggleMark => {
                self.pane_mut(self.current).toggle_mark();
                self.move_by(1);
            }
            Action::ToggleMarkVisible => self.pane_mut(self.current).toggle_mark_visible(),
            Action::MarkAllSeen => self.panes.findings.mark_all_seen(),
            Action::OpenActionMenu if self.session.connection != Connection::Connected => {
                self.modes.message = Some((
                    MessageLevel::Info,
                    "not connected yet: actions wait until AWS confirms the account (cached data is shown)".into(),
                ));
            }
            Action::OpenActionMenu => {
                if self.pane(self.current).has_selection() {
                    self.modes.mode = Mode::ActionMenu;
                } else {
                    self.modes.message = Some((MessageLevel::Info, "no row selected".into()));
                }
            }
            Action::MenuChoice(key) => return self.menu_choice(key),
            Action::Notice(text) => self.modes.message = Some((MessageLevel::Error, text)),
            Action::ConfirmYes => return self.confirm(),
            Action::ConfirmNo => {
                self.draft = None;
                self.modes.mode = Mode::Normal;
                self.modes.message = Some((MessageLevel::Info, "cancelled: nothing was changed".into()));
            }
            Action::Applied { request, pane, context, action, outcomes, audit_error } => {
                return self.applied(request, pane, &context, &action, outcomes, audit_error);
            }
            _ => {}
        }
        Vec::new()
    }

    /// Looking around: panes, rows, the filter and sorts, overlays and lists, typing.
    fn view_action(&mut self, action: Action) -> Vec<Effect> {
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
                self.modes.input = self.pane(self.current).view().filter.clone();
                self.modes.mode = Mode::Filter;
            }
            Action::ClearFilter => self.set_filter(String::new()),
            Action::OpenCommandLine => {
                self.modes.input.clear();
                self.modes.mode = Mode::Command;
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
                let names = Arc::clone(&self.session.info.account_names);
                let ctx = self.cell_context_for(&names);
                self.pane_mut(self.current).set_sort(sort, &ctx);
                self.keep_selection_visible();
            }
            Action::OpenDetail => {
                if self.pane_mut(self.current).toggle_group() {
                    self.keep_selection_visible();
                } else if self.pane(self.current).view().selected_index().is_some() {
                    self.modes.mode = Mode::Detail { raw: false };
                    self.modes.detail_scroll = 0;
                }
            }
            Action::ToggleRawJson => {
                if let Mode::Detail { raw } = self.modes.mode {
                    self.modes.mode = Mode::Detail { raw: !raw };
                    self.modes.detail_scroll = 0;
                    if !raw {
                        return self.fetch_document();
                    }
                }
            }
            Action::DocumentArrived { key, result } => {
                if let Some(document) = self.modes.document.as_mut().filter(|d| d.key == key) {
                    match result {
                        Ok(Some(found)) => document.state = DocumentState::Ready(found),
                        Ok(None) => self.modes.document = None,
                        Err(why) => {
                            document.state = DocumentState::Failed(why.clone());
                            self.modes.message = Some((MessageLevel::Error, format!("AWS's document: {why}")));
                        }
                    }
                }
            }
            Action::Back => {
                self.modes.mode = Mode::Normal;
                self.draft = None;
                self.modes.listing = None;
            }
            Action::ToggleSideDetail => {
                self.modes.side_detail = !self.modes.side_detail;
                let state = if self.modes.side_detail { "beside the list" } else { "off" };
                let note = if self.screen.0 < layout::SIDE_DETAIL_MIN_WIDTH {
                    format!(" (shown from {} columns)", layout::SIDE_DETAIL_MIN_WIDTH)
                } else {
                    String::new()
                };
                self.modes.message = Some((MessageLevel::Info, format!("detail {state}{note}")));
            }
            Action::ToggleBoard => {
                self.modes.board = !self.modes.board;
                self.modes.mode = Mode::Normal;
            }
            Action::OpenRadar => self.open_listing(listing::ListingKind::Radar),
            Action::OpenLens(pane) => self.open_listing(listing::ListingKind::Lens(pane)),
            Action::OpenRelated => match self.anchor() {
                Some(anchor) => self.open_listing(listing::ListingKind::Related(anchor)),
                None => self.modes.message = Some((MessageLevel::Info, "no row selected".into())),
            },
            Action::OpenAutomationRules => {
                self.modes.rules = None;
                self.open_listing(listing::ListingKind::AutomationRules);
                return vec![Effect::FetchAutomationRules { context: self.session.context.clone() }];
            }
            Action::LiveState { context, state } if context == self.session.context => return self.live_state(state),
            Action::LiveEvents { context, findings, malformed, at } if context == self.session.context => {
                return self.live_events(findings, malformed, at);
            }
            Action::AutomationRulesArrived { context, result } if context == self.session.context => {
                self.modes.rules = Some(result);
                self.refresh_listing();
            }
            Action::DeleteListedRule => return self.delete_listed_rule(),
            Action::HistoryPrepared { id, result } => self.history_prepared(id, result),
            Action::HistoryProgress { id, progress } => self.history_progress(id, progress),
            Action::HistoryFinished { id, result } => self.history_finished(id, result),
            Action::StopHistory => return self.stop_history(),
            Action::RerunHistory => return self.rerun_history(),
            Action::Jump if self.modes.listing.as_ref().is_some_and(|l| l.kind == listing::ListingKind::History) => {
                return self.run_history();
            }
            Action::Jump
                if self.modes.listing.as_ref().is_some_and(|l| l.kind == listing::ListingKind::AutomationRules) =>
            {
                let selected = self.modes.listing.as_ref().map_or(0, |l| l.selected);
                if let Some(Ok(rules)) = &self.modes.rules
                    && let Some(rule) = rules.get(selected)
                {
                    let by = if rule.created_by.is_empty() {
                        String::new()
                    } else {
                        format!(", made by {}", rule.created_by)
                    };
                    self.modes.message = Some((MessageLevel::Info, format!("{}: {}{by}", rule.name, rule.description)));
                }
            }
            Action::Jump => {
                if let Some(jump) = self.modes.listing.as_ref().and_then(|l| l.selected_jump()).cloned() {
                    if let Some(origin) = self.anchor() {
                        self.modes.jumps.push(origin);
                        if self.modes.jumps.len() > MAX_JUMPS {
                            self.modes.jumps.remove(0);
                        }
                    }
                    self.modes.listing = None;
                    self.modes.mode = Mode::Normal;
                    self.go_to(&jump);
                }
            }
            Action::JumpBack => match self.modes.jumps.pop() {
                Some(jump) => self.go_to(&jump),
                None => self.modes.message = Some((MessageLevel::Info, "no jump to go back from".into())),
            },
            Action::ToggleHelp => {
                self.modes.mode = if self.modes.mode == Mode::Help { Mode::Normal } else { Mode::Help };
                self.modes.detail_scroll = 0;
            }
            Action::TogglePii => {
                self.reveal_pii = !self.reveal_pii;
                let names = Arc::clone(&self.session.info.account_names);
                let ctx = self.cell_context_for(&names);
                self.panes.users.table.rebuild(&ctx);
                let state = if self.reveal_pii { "shown" } else { "masked" };
                self.modes.message = Some((MessageLevel::Info, format!("e-mail addresses and phone numbers {state}")));
            }
            Action::ToggleScope => {
                let names = Arc::clone(&self.session.info.account_names);
                let ctx = self.cell_context_for(&names);
                self.pane_mut(self.current).toggle_scope(&ctx);
                self.keep_selection_visible();
                // Records outside the default scope may not have been fetched at all: ask again.
                if self.current.spec().scope.is_some_and(|s| s.refetch) {
                    return self.request_refresh([self.current]);
                }
            }
            Action::Input(edit) => return self.edit_input(edit),
            Action::Paste(text) => {
                if matches!(self.modes.mode, Mode::Filter | Mode::Command | Mode::Note) {
                    // One line: a pasted line break types a space, never an Enter.
                    for c in crate::text::one_line(&text).chars() {
                        if !self.type_char(c) {
                            break;
                        }
                    }
                    if self.modes.mode == Mode::Filter {
                        self.set_filter(self.modes.input.clone());
                    }
                }
            }
            _ => {}
        }
        Vec::new()
    }
}
