//! The app: owns all state and changes it only through [`App::update`]. It performs no I/O; work
//! it wants done comes back as [`Effect`]s for the runner.

pub mod layout;
pub mod pane_state;
pub mod run;

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
        Self {
            intervals: [s(10), s(30), s(30), s(15), s(60)],
        }
    }

    /// Real accounts: findings change often, certificates and standards rarely; API quotas matter.
    pub fn aws() -> Self {
        let s = Duration::seconds;
        Self {
            intervals: [s(60), s(900), s(300), s(300), s(900)],
        }
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
}

impl App {
    pub fn new(info: SourceInfo, now: Timestamp, refresh: RefreshPolicy) -> Self {
        use crate::view::{certificates, compliance, findings, secrets, users};
        let asc = |column| SortSpec {
            column,
            descending: false,
        };
        let desc = |column| SortSpec {
            column,
            descending: true,
        };
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
        }
    }

    /// What a fetch of `pane` should include, from what the user has asked to see.
    pub fn fetch_options(&self, pane: PaneId) -> FetchOptions {
        FetchOptions {
            all_findings: pane == PaneId::Findings && self.findings.show_all,
        }
    }

    pub fn cell_context(&self) -> CellContext {
        CellContext {
            now: self.now,
            reveal_pii: self.reveal_pii,
        }
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
            Mode::Filter | Mode::Command => None,
        }
    }

    fn table_rows(&self) -> usize {
        layout::table_rows(self, self.current, self.screen.1)
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        if !matches!(
            action,
            Action::Tick(_) | Action::Loaded { .. } | Action::Resize(..)
        ) {
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
            Action::Back => self.mode = Mode::Normal,
            Action::ToggleHelp => {
                self.mode = if self.mode == Mode::Help {
                    Mode::Normal
                } else {
                    Mode::Help
                };
                self.detail_scroll = 0;
            }
            Action::TogglePii => {
                self.reveal_pii = !self.reveal_pii;
                let ctx = self.cell_context();
                self.users.rebuild(&ctx);
                let state = if self.reveal_pii { "shown" } else { "masked" };
                self.message = Some((
                    MessageLevel::Info,
                    format!("e-mail addresses and phone numbers {state}"),
                ));
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
            Action::Loaded {
                pane,
                at,
                result,
                index,
            } => self.loaded(pane, at, result, index),
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
            let lines = self.keymap.bindings().len() + 8;
            self.detail_scroll = self.detail_scroll.saturating_add_signed(delta).min(lines);
            return;
        }
        if let Mode::Detail { raw } = self.mode {
            let lines = self.detail_line_count(raw);
            self.detail_scroll = self
                .detail_scroll
                .saturating_add_signed(delta)
                .min(lines.saturating_sub(1));
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
        self.pane_mut(self.current)
            .view_mut()
            .scroll_to_selection(height);
    }

    fn set_filter(&mut self, filter: String) {
        self.pane_mut(self.current).set_filter(&filter);
        self.keep_selection_visible();
    }

    fn cycle_sort(&mut self) {
        let pane = self.pane(self.current);
        let column = (pane.view().sort.column + 1) % pane.column_count().max(1);
        let sort = SortSpec {
            column,
            descending: pane.column_descending_first(column),
        };
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
                self.message = Some((
                    MessageLevel::Error,
                    format!("unknown command :{other} (try {known} :q)"),
                ));
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
                status
                    .last_attempt
                    .is_none_or(|t| self.now - t >= self.refresh.interval(pane))
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
    ) {
        let ctx = self.cell_context();
        match result {
            Ok(Fetched { data, warnings }) => {
                self.pane_mut(pane).status_mut().warnings = warnings;
                match data {
                    PaneData::Findings(rows) => self.findings.replace_rows(rows, index, &ctx),
                    PaneData::Certificates(rows) => {
                        self.certificates.replace_rows(rows, index, &ctx)
                    }
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
                        self.compliance
                            .replace_rows(control_rows(&standards), index, &ctx);
                    }
                }
                let status = self.pane_mut(pane).status_mut();
                status.last_success = Some(at);
                status.error = None;
            }
            Err(error) => self.pane_mut(pane).status_mut().error = Some(error.to_string()),
        }
        self.pane_mut(pane).status_mut().in_flight = false;
        if pane == self.current {
            self.keep_selection_visible();
        }
    }
}
