//! `:history` on the selected row: the question is made from the row (its resource, control or web
//! ACL, or the field named), asked of the source in two steps (where and what it costs, then the
//! query on Enter), shown in the listing overlay, and kept for the session.

use super::{App, Effect, MessageLevel, Mode, listing};
use crate::model::lake::{Finished, Prepared, Progress, Question, Scope, Subject, Window};
use crate::pane::PaneId;
use std::collections::HashMap;

/// The question on screen and where it stands.
#[derive(Debug, Clone)]
pub struct HistoryView {
    /// Numbers the question's requests: an answer for another one is dropped.
    pub id: u64,
    pub question: Question,
    pub state: HistoryState,
    /// Dollars per TB scanned, for the cost shown.
    pub price_per_tb: f64,
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

/// Answers kept for the session: asking the same question again shows its answer at once.
pub type Answers = HashMap<Question, (Prepared, Finished)>;

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
        let mut effects = Vec::new();
        // A question still running is stopped, not left to scan behind the new one.
        if let Some(old) = self.modes.history.as_ref().filter(|v| matches!(v.state, HistoryState::Running(..))) {
            effects.push(Effect::HistoryStop { id: old.id });
        }
        self.next_request += 1;
        let id = self.next_request;
        let price_per_tb = self.history_price;
        if let Some((prepared, finished)) = self.answers.get(&question) {
            let state = HistoryState::Done(prepared.clone(), finished.clone());
            self.modes.history = Some(HistoryView { id, question, state, price_per_tb });
            self.open_listing(listing::ListingKind::History);
            return effects;
        }
        self.modes.history =
            Some(HistoryView { id, question: question.clone(), state: HistoryState::Preparing, price_per_tb });
        self.open_listing(listing::ListingKind::History);
        effects.push(Effect::HistoryPrepare { id, question });
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
        let (natural, value) = match self.current {
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
            _ => (Subject::Resource, key.clone()),
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

    /// Enter on the history listing: runs the prepared query (again, once it has an answer).
    pub(super) fn run_history(&mut self) -> Vec<Effect> {
        let Some(view) = self.modes.history.as_mut() else { return Vec::new() };
        let prepared = match &view.state {
            HistoryState::Ready(p) | HistoryState::Done(p, _) | HistoryState::Failed(Some(p), _) => p.clone(),
            HistoryState::Preparing | HistoryState::Running(..) | HistoryState::Failed(None, _) => return Vec::new(),
        };
        self.next_request += 1;
        view.id = self.next_request;
        view.state = HistoryState::Running(prepared.clone(), None);
        let id = view.id;
        self.refresh_listing();
        vec![Effect::HistoryRun { id, prepared }]
    }

    /// `r` on the history listing: the question asked anew (the table found and estimated again).
    pub(super) fn rerun_history(&mut self) -> Vec<Effect> {
        let Some(view) = self.modes.history.as_mut() else { return Vec::new() };
        if matches!(view.state, HistoryState::Running(..) | HistoryState::Preparing) {
            return Vec::new();
        }
        self.answers.remove(&view.question);
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
        view.state = match result {
            Ok(finished) => {
                self.answers.insert(view.question.clone(), (prepared.clone(), finished.clone()));
                HistoryState::Done(prepared, finished)
            }
            Err(why) => HistoryState::Failed(Some(prepared), why),
        };
        if self.modes.mode != Mode::Listing {
            self.modes.message = Some((MessageLevel::Info, "history answered: :history shows it".into()));
        }
        self.refresh_listing();
    }

    /// `x` on the history listing: the running query is stopped (StopQueryExecution).
    pub(super) fn stop_history(&mut self) -> Vec<Effect> {
        match self.modes.history.as_ref() {
            Some(view) if matches!(view.state, HistoryState::Running(..)) => {
                self.modes.message = Some((MessageLevel::Info, "stopping the history query…".into()));
                vec![Effect::HistoryStop { id: view.id }]
            }
            _ => Vec::new(),
        }
    }

    pub fn history(&self) -> Option<&HistoryView> {
        self.modes.history.as_ref()
    }
}
