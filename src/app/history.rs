//! `:history` on the selected row: the question is made from the row (its resource, control or web
//! ACL, or the field named), asked of the source in two steps (where and what it costs, then the
//! query on Enter), shown in the listing overlay, and kept for the session.

use super::{App, Effect, MessageLevel, Mode, listing};
use crate::model::Context;
use crate::model::lake::{Finished, Prepared, Progress, Question, Scope, Subject, Window};
use crate::pane::PaneId;
use std::collections::HashMap;

/// The question on screen and where it stands.
#[derive(Debug, Clone)]
pub struct HistoryView {
    /// Numbers the question's requests: an answer for another one is dropped.
    pub id: u64,
    /// The account and region it is asked in: another context's answer is not this one's.
    pub context: Context,
    pub question: Question,
    pub state: HistoryState,
    /// Dollars per TB scanned, for the cost shown.
    pub price_per_tb: f64,
    /// `[history] max_scan`: an estimate over it is refused before anything runs.
    pub cap: u64,
}

#[derive(Debug, Clone)]
pub enum HistoryState {
    /// The source is finding the table and estimating the query.
    Preparing,
    /// Ready to run: Enter runs it.
    Ready(Prepared),
    Running(Prepared, Option<Progress>),
    Done(Prepared, Finished),
    Failed(Option<Prepared>, String),
}

impl HistoryState {
    /// Still on its way to an answer: asking the same again reopens it rather than restarting it.
    fn underway(&self) -> bool {
        matches!(self, HistoryState::Preparing | HistoryState::Ready(_) | HistoryState::Running(..))
    }
}

/// Answers kept for the session, by the context they were asked in and the question: asking the
/// same again shows its answer at once.
pub type Answers = HashMap<(Context, Question), (Prepared, Finished)>;

impl App {
    /// `:history [KIND] [WINDOW]`: the question about the selected row.
    pub(super) fn open_history(&mut self, words: &str) -> Vec<Effect> {
        let question = match self.history_question(words) {
            Ok(question) => question,
            Err(why) => {
                self.modes.message = Some((MessageLevel::Error, format!("history: {why}")));
                return Vec::new();
            }
        };
        let context = self.session.context.clone();
        if self
            .modes
            .history
            .as_ref()
            .is_some_and(|v| v.question == question && v.context == context && v.state.underway())
        {
            self.open_listing(listing::ListingKind::History);
            return Vec::new();
        }
        // Another question still running is stopped, not left to scan behind the new one.
        let mut effects = self.stop_running_history();
        self.next_request += 1;
        let id = self.next_request;
        let (price_per_tb, cap) = (self.history_price, self.history_cap);
        let key = (context.clone(), question.clone());
        let state = match self.answers.get(&key) {
            Some((prepared, finished)) => HistoryState::Done(prepared.clone(), finished.clone()),
            None => {
                effects.push(Effect::HistoryPrepare { id, question: question.clone() });
                HistoryState::Preparing
            }
        };
        self.modes.history = Some(HistoryView { id, context, question, state, price_per_tb, cap });
        self.open_listing(listing::ListingKind::History);
        effects
    }

    /// The stop of the question running, if one is; its view stays (a failure once stopped).
    pub(super) fn stop_running_history(&mut self) -> Vec<Effect> {
        match self.modes.history.as_ref() {
            Some(view) if matches!(view.state, HistoryState::Running(..)) => vec![Effect::HistoryStop { id: view.id }],
            _ => Vec::new(),
        }
    }

    /// Another context is shown: its question, and a query of the old one still running, go.
    pub(super) fn history_left_behind(&mut self) -> Vec<Effect> {
        let effects = self.stop_running_history();
        self.modes.history = None;
        effects
    }

    /// What `words` ask about the selected row: `KIND` and `WINDOW` in any order, each optional.
    fn history_question(&self, words: &str) -> Result<Question, String> {
        let mut subject = None;
        let mut window = None;
        for word in words.split_whitespace() {
            if let Ok(s) = Subject::parse(word) {
                subject = Some(s);
            } else if let Ok(w) = Window::parse(word) {
                window = Some(w);
            } else {
                let kinds: Vec<&str> = Subject::ALL.iter().map(|s| s.name()).collect();
                return Err(format!("{word:?}: expected a kind ({}) or a window (36h, 7d, 2w)", kinds.join(", ")));
            }
        }
        let (subject, value) = self.history_subject(subject)?;
        Question::new(subject, &value, window.unwrap_or(self.history_window), Scope::default())
    }

    /// The selected row's value for `wanted` (or what the row is, when nothing is named).
    fn history_subject(&self, wanted: Option<Subject>) -> Result<(Subject, String), String> {
        let key = self.pane(self.current).selected_key().ok_or("no row selected")?;
        if self.current == PaneId::Findings {
            let finding = self.panes.findings.table.selected().ok_or("no row selected")?;
            let detail = |names: &[&str]| {
                finding
                    .details
                    .iter()
                    .find(|(k, _)| names.iter().any(|n| k.eq_ignore_ascii_case(n)))
                    .map(|(_, v)| v.to_string())
            };
            let value = match wanted.unwrap_or(Subject::Resource) {
                Subject::Resource => Some(finding.resource.to_string()),
                Subject::Type => Some(finding.finding_type.to_string()),
                Subject::Control => finding.control_id.as_ref().map(|c| c.to_string()),
                Subject::Ip => detail(&["Source IP", "Remote IP", "IP"]),
                // An IAM finding's resource is the principal (its user, role or access key).
                Subject::Principal => detail(&["Principal", "User", "User name", "Access key user"]).or_else(|| {
                    finding.resource_type.to_ascii_lowercase().contains("iam").then(|| finding.resource.to_string())
                }),
                Subject::WafTop => None,
            };
            let subject = wanted.unwrap_or(Subject::Resource);
            return value
                .filter(|v| !v.is_empty())
                .map(|v| (subject, v))
                .ok_or_else(|| format!("this finding has no {subject} to ask about"));
        }
        let (natural, value) =
            match self.current {
                PaneId::Compliance => (Subject::Control, key.rsplit('/').next().unwrap_or(&key).to_string()),
                // The Edge pane's rows say what they are: an attacking address, a web ACL (its traffic),
                // an entry point (a resource); an attack, a protection or a subscription has nothing
                // of its own in the lake.
                PaneId::Edge => match key.split_once('/') {
                    Some(("ip", address)) => (Subject::Ip, address.to_string()),
                    Some(("acl", arn)) => (Subject::WafTop, arn.to_string()),
                    Some(("entry", arn)) => (Subject::Resource, arn.to_string()),
                    _ => {
                        return Err(
                            "this row has nothing history can ask about: an address, a web ACL or an entry point has"
                                .into(),
                        );
                    }
                },
                // Their keys are ARNs: the lake's findings name them as resources.
                PaneId::Certificates | PaneId::Secrets | PaneId::Keys => (Subject::Resource, key.clone()),
                _ => return Err(
                    "a row of this pane has nothing of its own in the lake (findings, controls, the edge, ARNs have)"
                        .into(),
                ),
            };
        match wanted {
            None => Ok((natural, value)),
            Some(s) if s == natural => Ok((natural, value)),
            Some(s) => Err(format!("a row of this pane has no {s}: {}", natural.name())),
        }
    }

    pub(super) fn history_prepared(&mut self, id: u64, result: Result<Prepared, String>) {
        let Some(view) = self.modes.history.as_mut().filter(|v| v.id == id) else { return };
        view.state = match result {
            Ok(prepared) => HistoryState::Ready(prepared),
            Err(why) => HistoryState::Failed(None, why),
        };
        self.refresh_listing();
    }

    /// Enter on the history listing: runs the prepared query; once answered or failed, asks anew
    /// (a plan's window ends when it was made: running it again would miss what came since).
    pub(super) fn run_history(&mut self) -> Vec<Effect> {
        let Some(view) = self.modes.history.as_mut() else { return Vec::new() };
        let prepared = match &view.state {
            HistoryState::Ready(p) => p.clone(),
            HistoryState::Done(..) | HistoryState::Failed(..) => return self.rerun_history(),
            HistoryState::Preparing | HistoryState::Running(..) => return Vec::new(),
        };
        if let Some(refused) = crate::model::lake::refusal(&prepared.estimate, view.cap) {
            self.modes.message = Some((MessageLevel::Error, refused));
            return Vec::new();
        }
        self.next_request += 1;
        view.id = self.next_request;
        view.state = HistoryState::Running(prepared.clone(), None);
        let id = view.id;
        self.refresh_listing();
        vec![Effect::HistoryRun { id, prepared }]
    }

    /// `r` on the history listing: the question asked anew (the table found and estimated again).
    pub(super) fn rerun_history(&mut self) -> Vec<Effect> {
        if !self.history_shown() {
            return Vec::new();
        }
        let Some(view) = self.modes.history.as_mut() else { return Vec::new() };
        if matches!(view.state, HistoryState::Running(..) | HistoryState::Preparing) {
            return Vec::new();
        }
        self.answers.remove(&(view.context.clone(), view.question.clone()));
        self.next_request += 1;
        view.id = self.next_request;
        view.state = HistoryState::Preparing;
        let (id, question) = (view.id, view.question.clone());
        self.refresh_listing();
        vec![Effect::HistoryPrepare { id, question }]
    }

    pub(super) fn history_progress(&mut self, id: u64, progress: Progress) {
        if let Some(view) = self.modes.history.as_mut().filter(|v| v.id == id)
            && let HistoryState::Running(_, latest) = &mut view.state
        {
            *latest = Some(progress);
            self.refresh_listing();
        }
    }

    /// The answer is kept for the session whether or not its question is still on screen.
    pub(super) fn history_finished(&mut self, id: u64, result: Result<Finished, String>) {
        let Some(view) = self.modes.history.as_mut().filter(|v| v.id == id) else { return };
        let HistoryState::Running(prepared, _) = &view.state else { return };
        let prepared = prepared.clone();
        let answered = result.is_ok();
        view.state = match result {
            Ok(finished) => {
                let key = (view.context.clone(), view.question.clone());
                self.answers.insert(key, (prepared.clone(), finished.clone()));
                HistoryState::Done(prepared, finished)
            }
            Err(why) => HistoryState::Failed(Some(prepared), why),
        };
        if self.modes.mode != Mode::Listing {
            let said = if answered { "history answered" } else { "history query ended without an answer" };
            self.modes.message = Some((MessageLevel::Info, format!("{said}: :history shows it")));
        }
        self.refresh_listing();
    }

    /// `x` on the history listing: the running query is stopped (StopQueryExecution).
    pub(super) fn stop_history(&mut self) -> Vec<Effect> {
        if !self.history_shown() {
            return Vec::new();
        }
        match self.modes.history.as_ref() {
            Some(view) if matches!(view.state, HistoryState::Running(..)) => {
                self.modes.message = Some((MessageLevel::Info, "stopping the history query…".into()));
                vec![Effect::HistoryStop { id: view.id }]
            }
            _ => Vec::new(),
        }
    }

    /// Whether `x` and `r` are history's: the history list is shown, or no list at all (`:stop-history`
    /// from a pane); in the radar or `:rules` they mean nothing.
    fn history_shown(&self) -> bool {
        self.modes.mode != Mode::Listing
            || self.modes.listing.as_ref().is_some_and(|l| l.kind == listing::ListingKind::History)
    }

    pub fn history(&self) -> Option<&HistoryView> {
        self.modes.history.as_ref()
    }
}
