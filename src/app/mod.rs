//! The app: owns all state and changes it only through [`App::update`]. It performs no I/O; work
//! it wants done comes back as [`Effect`]s for the runner.

pub mod backoff;
pub mod execute;
pub mod layout;
pub mod pane_state;
pub mod run;
pub mod triage;

use crate::action::{Action, Effect, InputEdit};
use crate::keymap::{KeyContext, Keymap};
use crate::model::compliance::{ControlTally, summary_score};
use crate::model::users::PoolSummary;
use crate::model::{Certificate, Finding, Secret, Timestamp, UserAnomaly};
use crate::pane::PaneId;
use crate::source::{FetchOptions, Fetched, PaneData, SourceError, SourceInfo};
use crate::view::CellContext;
use crate::view::compliance::{ControlRow, control_rows, standard_short_name};
use crate::view::table::{SortSpec, TableIndex};
use chrono::Duration;
use pane_state::{PaneState, TablePane};
use std::collections::HashSet;
use triage::{Draft, MenuCommand, OutcomeView, menu};

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
}

/// A standard's score line above the Compliance table.
#[derive(Debug, Clone, PartialEq)]
pub struct StandardSummary {
    pub name: String,
    pub short: String,
    pub score: Option<u8>,
    pub tally: ControlTally,
}

/// How often each pane refreshes by itself.
#[derive(Debug, Clone, Copy)]
pub struct RefreshPolicy {
    pub intervals: [Duration; 5],
}

impl RefreshPolicy {
    /// The demo changes every few seconds; refresh often enough to show it.
    pub fn demo() -> Self {
        let s = Duration::seconds;
        Self { intervals: [s(10), s(30), s(30), s(15), s(60)] }
    }

    /// Real accounts: findings change often, certificates and standards rarely; API quotas matter.
    pub fn aws() -> Self {
        let s = Duration::seconds;
        Self { intervals: [s(60), s(900), s(300), s(300), s(900)] }
    }

    pub fn interval(&self, pane: PaneId) -> Duration {
        self.intervals[pane.index()]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageLevel {
    Info,
    Error,
}

pub struct App {
    pub info: SourceInfo,
    pub now: Timestamp,
    pub current: PaneId,
    pub mode: Mode,
    pub findings: PaneState<Finding>,
    pub certificates: PaneState<Certificate>,
    pub secrets: PaneState<Secret>,
    pub users: PaneState<UserAnomaly>,
    pub pools: Vec<PoolSummary>,
    pub compliance: PaneState<ControlRow>,
    pub standards: Vec<StandardSummary>,
    pub summary_score: Option<u8>,
    pub reveal_pii: bool,
    /// The text being typed on the filter or command line.
    pub input: String,
    pub message: Option<(MessageLevel, String)>,
    pub detail_scroll: usize,
    pub keymap: Keymap,
    pub screen: (u16, u16),
    pub refresh: RefreshPolicy,
    pub should_quit: bool,
    /// No state-changing action is offered (`--read-only`, or the profile's config).
    pub read_only: bool,
    pub draft: Option<Draft>,
    pub outcome: Option<OutcomeView>,
    /// An action is being carried out.
    pub applying: bool,
    /// Finding ids that arrived after the first load and the user has not looked at yet.
    pub unseen_findings: HashSet<String>,
    known_findings: HashSet<String>,
}

impl App {
    pub fn new(info: SourceInfo, now: Timestamp, refresh: RefreshPolicy) -> Self {
        use crate::view::{certificates, compliance, findings, secrets, users};
        let asc = |column| SortSpec { column, descending: false };
        let desc = |column| SortSpec { column, descending: true };
        Self {
            info,
            now,
            current: PaneId::Findings,
            mode: Mode::Normal,
            findings: PaneState::new(desc(findings::SEVERITY)),
            certificates: PaneState::new(asc(certificates::EXPIRES)),
            secrets: PaneState::new(asc(secrets::ROTATION)),
            users: PaneState::new(asc(users::KIND)),
            pools: Vec::new(),
            compliance: PaneState::new(desc(compliance::SEVERITY)),
            standards: Vec::new(),
            summary_score: None,
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
            applying: false,
            unseen_findings: HashSet::new(),
            known_findings: HashSet::new(),
        }
    }

    /// What a fetch of `pane` should include, from what the user has asked to see.
    pub fn fetch_options(&self, pane: PaneId) -> FetchOptions {
        FetchOptions { all_findings: pane == PaneId::Findings && self.findings.show_all }
    }

    pub fn cell_context(&self) -> CellContext {
        CellContext { now: self.now, reveal_pii: self.reveal_pii }
    }

    pub fn pane(&self, pane: PaneId) -> &dyn TablePane {
        match pane {
            PaneId::Findings => &self.findings,
            PaneId::Certificates => &self.certificates,
            PaneId::Secrets => &self.secrets,
            PaneId::Users => &self.users,
            PaneId::Compliance => &self.compliance,
        }
    }

    fn pane_mut(&mut self, pane: PaneId) -> &mut dyn TablePane {
        match pane {
            PaneId::Findings => &mut self.findings,
            PaneId::Certificates => &mut self.certificates,
            PaneId::Secrets => &mut self.secrets,
            PaneId::Users => &mut self.users,
            PaneId::Compliance => &mut self.compliance,
        }
    }

    /// What the keyboard means right now; `None` while text is being typed.
    pub fn key_context(&self) -> Option<KeyContext> {
        match self.mode {
            Mode::Normal => Some(KeyContext::Table(self.current)),
            Mode::Detail { .. } => Some(KeyContext::Detail),
            Mode::Help => Some(KeyContext::Help),
            Mode::Filter | Mode::Command | Mode::ActionMenu | Mode::Note | Mode::Confirm | Mode::Outcome => None,
        }
    }

    fn table_rows(&self) -> usize {
        layout::table_rows(self, self.current, self.screen.1)
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let effects = self.apply_action(action);
        // A finding counts as seen once the selection has been on it.
        if self.current == PaneId::Findings
            && !self.unseen_findings.is_empty()
            && let Some(id) = self.findings.selected().map(|f| f.id.clone())
        {
            self.unseen_findings.remove(&id);
        }
        effects
    }

    fn apply_action(&mut self, action: Action) -> Vec<Effect> {
        if !matches!(action, Action::Tick(_) | Action::Loaded { .. } | Action::Resize(..)) {
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
            Action::ReverseSort => {
                let mut sort = self.pane(self.current).view().sort;
                sort.descending = !sort.descending;
                let ctx = self.cell_context();
                self.pane_mut(self.current).set_sort(sort, &ctx);
                self.keep_selection_visible();
            }
            Action::OpenDetail => {
                if self.pane(self.current).view().selected_index().is_some() {
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
            }
            Action::ToggleHelp => {
                self.mode = if self.mode == Mode::Help { Mode::Normal } else { Mode::Help };
                self.detail_scroll = 0;
            }
            Action::TogglePii => {
                self.reveal_pii = !self.reveal_pii;
                let ctx = self.cell_context();
                self.users.rebuild(&ctx);
                let state = if self.reveal_pii { "shown" } else { "masked" };
                self.message = Some((MessageLevel::Info, format!("e-mail addresses and phone numbers {state}")));
            }
            Action::ToggleScope => {
                let ctx = self.cell_context();
                self.pane_mut(self.current).toggle_scope(&ctx);
                self.keep_selection_visible();
                // Closed findings may not have been fetched at all: ask the source again.
                if self.current == PaneId::Findings {
                    return self.request_refresh([PaneId::Findings]);
                }
            }
            Action::Refresh => return self.request_refresh([self.current]),
            Action::RefreshAll => return self.request_refresh(PaneId::ALL),
            Action::Input(edit) => return self.edit_input(edit),
            Action::Tick(now) => {
                self.now = now;
                return self.due_refreshes();
            }
            Action::Resize(width, height) => {
                self.screen = (width, height);
                self.keep_selection_visible();
            }
            Action::Loaded { pane, at, result, index } => return self.loaded(pane, at, result, index),
            Action::ToggleMark => {
                self.pane_mut(self.current).toggle_mark();
                self.move_by(1);
            }
            Action::ToggleMarkVisible => self.pane_mut(self.current).toggle_mark_visible(),
            Action::MarkAllSeen => self.unseen_findings.clear(),
            Action::OpenActionMenu => {
                if self.pane(self.current).view().selected_index().is_some() {
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
            Action::Applied { pane, outcomes, audit_error } => return self.applied(pane, outcomes, audit_error),
        }
        Vec::new()
    }

    fn show_pane(&mut self, pane: PaneId) {
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
        if let Mode::Detail { raw } = self.mode {
            let lines = self.detail_line_count(raw);
            self.detail_scroll = self.detail_scroll.saturating_add_signed(delta).min(lines.saturating_sub(1));
            return;
        }
        self.pane_mut(self.current).view_mut().move_by(delta);
        self.keep_selection_visible();
    }

    /// Unwrapped line count of the detail view: an upper bound for scrolling.
    fn detail_line_count(&self, raw: bool) -> usize {
        let ctx = self.cell_context();
        let pane = self.pane(self.current);
        if raw {
            pane.record_json(&ctx)
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
                .map(|s| s.lines().count())
                .unwrap_or(0)
        } else {
            pane.detail(&ctx).map(|d| d.len() * 2).unwrap_or(0)
        }
    }

    fn keep_selection_visible(&mut self) {
        let height = self.table_rows();
        self.pane_mut(self.current).view_mut().scroll_to_selection(height);
    }

    fn set_filter(&mut self, filter: String) {
        self.pane_mut(self.current).set_filter(&filter);
        self.keep_selection_visible();
    }

    fn cycle_sort(&mut self) {
        let pane = self.pane(self.current);
        let column = (pane.view().sort.column + 1) % pane.column_count().max(1);
        let sort = SortSpec { column, descending: pane.column_descending_first(column) };
        let ctx = self.cell_context();
        self.pane_mut(self.current).set_sort(sort, &ctx);
        self.keep_selection_visible();
    }

    fn edit_input(&mut self, edit: InputEdit) -> Vec<Effect> {
        match edit {
            InputEdit::Char(c) if !c.is_control() => self.input.push(c),
            InputEdit::Char(_) => {}
            InputEdit::Backspace => {
                self.input.pop();
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

    fn run_command(&mut self, command: &str) -> Vec<Effect> {
        let (verb, rest) = command.split_once(' ').unwrap_or((command, ""));
        if let Some(pane) = PaneId::parse(verb) {
            self.show_pane(pane);
            return Vec::new();
        }
        match verb {
            "" => Vec::new(),
            "q" | "q!" | "quit" | "exit" => self.update(Action::Quit),
            "help" | "h" => self.update(Action::ToggleHelp),
            "refresh" | "r" => self.update(Action::Refresh),
            "pii" => self.update(Action::TogglePii),
            "filter" => {
                self.set_filter(rest.trim().to_string());
                Vec::new()
            }
            other => {
                let known = PaneId::ALL.map(|p| format!(":{}", p.command())).join(" ");
                self.message = Some((MessageLevel::Error, format!("unknown command :{other} (try {known} :q)")));
                Vec::new()
            }
        }
    }

    fn request_refresh(&mut self, panes: impl IntoIterator<Item = PaneId>) -> Vec<Effect> {
        let now = self.now;
        let mut effects = Vec::new();
        for pane in panes {
            let status = self.pane_mut(pane).status_mut();
            // Only the latest request per pane: one in flight is the refresh already asked for.
            if !status.in_flight {
                status.in_flight = true;
                status.last_attempt = Some(now);
                effects.push(Effect::Fetch(pane));
            }
        }
        effects
    }

    fn due_refreshes(&mut self) -> Vec<Effect> {
        let due: Vec<PaneId> = PaneId::ALL
            .into_iter()
            .filter(|&pane| {
                let status = self.pane(pane).status();
                match status.retry_at {
                    Some(at) => self.now >= at,
                    None => status.last_attempt.is_none_or(|t| self.now - t >= self.refresh.interval(pane)),
                }
            })
            .collect();
        self.request_refresh(due)
    }

    fn loaded(
        &mut self,
        pane: PaneId,
        at: Timestamp,
        result: Result<Fetched, SourceError>,
        index: Option<TableIndex>,
    ) -> Vec<Effect> {
        let ctx = self.cell_context();
        match result {
            Ok(Fetched { data, warnings, cached_at }) => {
                let status = self.pane_mut(pane).status_mut();
                status.warnings = warnings;
                status.from_cache = cached_at.is_some();
                match data {
                    PaneData::Findings(rows) => {
                        self.note_new_findings(&rows);
                        self.findings.replace_rows(rows, index, &ctx)
                    }
                    PaneData::Certificates(rows) => self.certificates.replace_rows(rows, index, &ctx),
                    PaneData::Secrets(rows) => self.secrets.replace_rows(rows, index, &ctx),
                    PaneData::Users(report) => {
                        self.pools = report.pools;
                        self.users.replace_rows(report.anomalies, index, &ctx);
                    }
                    PaneData::Compliance(standards) => {
                        self.summary_score = summary_score(&standards);
                        self.standards = standards
                            .iter()
                            .map(|s| StandardSummary {
                                name: s.name.clone(),
                                short: standard_short_name(&s.name),
                                score: s.score(),
                                tally: s.tally(),
                            })
                            .collect();
                        self.compliance.replace_rows(control_rows(&standards), index, &ctx);
                    }
                }
                let status = self.pane_mut(pane).status_mut();
                status.last_success = Some(cached_at.unwrap_or(at));
                status.error = None;
                status.failures = 0;
                status.retry_at = None;
            }
            Err(error) => {
                let now = self.now;
                let interval = self.refresh.interval(pane);
                let status = self.pane_mut(pane).status_mut();
                status.failures += 1;
                // Throttling and network trouble back off (with jitter); other errors wait for the
                // normal interval: retrying sooner will not grant a permission.
                status.retry_at = Some(if backoff::is_transient(&error) {
                    now + backoff::retry_delay(status.failures, pane, now.timestamp())
                } else {
                    now + interval
                });
                status.error = Some(error.to_string());
            }
        }
        self.pane_mut(pane).status_mut().in_flight = false;
        if pane == self.current {
            self.keep_selection_visible();
        }
        // An action landed while this refresh was in flight: its data may predate the action.
        if std::mem::take(&mut self.pane_mut(pane).status_mut().refresh_again) {
            return self.request_refresh([pane]);
        }
        Vec::new()
    }

    /// The first load is the baseline; anything after it that was never seen before is new.
    fn note_new_findings(&mut self, rows: &[Finding]) {
        let baseline = self.known_findings.is_empty();
        for f in rows {
            if self.known_findings.insert(f.id.clone()) && !baseline {
                self.unseen_findings.insert(f.id.clone());
            }
        }
        if !self.unseen_findings.is_empty() {
            let present: HashSet<&str> = rows.iter().map(|f| f.id.as_str()).collect();
            self.unseen_findings.retain(|id| present.contains(id.as_str()));
        }
    }

    /// Shows cached data at once, marked with its age, before the first refresh.
    pub fn load_cached(&mut self, pane: PaneId, saved_at: Timestamp, data: PaneData) {
        self.loaded(pane, saved_at, Ok(Fetched { data, warnings: Vec::new(), cached_at: Some(saved_at) }), None);
    }

    fn menu_choice(&mut self, key: char) -> Vec<Effect> {
        self.mode = Mode::Normal;
        let Some(entry) = menu(self.current).iter().find(|e| e.key == key) else {
            self.message = Some((MessageLevel::Info, format!("no action on '{key}' here")));
            return Vec::new();
        };
        let pane = self.pane(self.current);
        match entry.command {
            MenuCommand::Yank => {
                let texts = pane.copy_texts();
                self.message = Some((MessageLevel::Info, format!("copied {} id(s) to the clipboard", texts.len())));
                vec![Effect::Clipboard(texts.join("\n"))]
            }
            MenuCommand::ConsoleLink => match pane.console_url(&self.info.region) {
                Some(url) => {
                    self.message = Some((MessageLevel::Info, format!("console link copied: {url}")));
                    vec![Effect::Clipboard(url)]
                }
                None => Vec::new(),
            },
            MenuCommand::Triage(kind) => {
                if self.read_only {
                    self.message =
                        Some((MessageLevel::Info, format!("read-only: \"{}\" is switched off", entry.label)));
                    return Vec::new();
                }
                let (targets, refused) = pane.targets_for(&kind.with_note(String::new()));
                let draft = Draft { pane: self.current, kind, targets, refused, note: String::new() };
                if draft.targets.is_empty() {
                    let action = draft.action();
                    self.outcome = Some(OutcomeView {
                        description: action.describe(),
                        outcomes: Vec::new(),
                        refused: draft.refused.clone(),
                        audit_error: None,
                    });
                    self.mode = Mode::Outcome;
                    return vec![Effect::AuditRefusal { action, refused: draft.refused }];
                }
                self.mode = if kind.needs_note() { Mode::Note } else { Mode::Confirm };
                self.input.clear();
                self.draft = Some(draft);
                Vec::new()
            }
        }
    }

    fn confirm(&mut self) -> Vec<Effect> {
        self.mode = Mode::Normal;
        let Some(draft) = self.draft.take() else { return Vec::new() };
        if self.read_only {
            return Vec::new();
        }
        self.applying = true;
        let action = draft.action();
        self.message = Some((MessageLevel::Info, format!("{}: {} target(s)…", action.describe(), draft.targets.len())));
        // The refusals are shown with the outcome.
        self.outcome = Some(OutcomeView {
            description: action.describe(),
            outcomes: Vec::new(),
            refused: draft.refused,
            audit_error: None,
        });
        vec![Effect::Apply { pane: draft.pane, action, targets: draft.targets }]
    }

    fn applied(
        &mut self,
        pane: PaneId,
        outcomes: Vec<crate::model::triage::TargetOutcome>,
        audit_error: Option<String>,
    ) -> Vec<Effect> {
        self.applying = false;
        self.message = None;
        let previous = self.outcome.take();
        let (description, refused) = previous.map(|o| (o.description, o.refused)).unwrap_or_default();
        self.outcome = Some(OutcomeView { description, outcomes, refused, audit_error });
        self.mode = Mode::Outcome;
        self.pane_mut(pane).clear_marks();
        // Show AWS's state, not a guess: refresh the pane (once more if a refresh is already running).
        let status = self.pane_mut(pane).status_mut();
        if status.in_flight {
            status.refresh_again = true;
            return Vec::new();
        }
        self.request_refresh([pane])
    }
}
