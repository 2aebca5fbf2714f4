//! A triage action from menu to result: the menu choice, the note, the confirm dialog, and what
//! the result does to the pane it was confirmed in.

use super::triage::{Draft, MenuCommand, OutcomeView};
use super::{App, MessageLevel, Mode};
use crate::action::Effect;
use crate::model::Context;
use crate::model::triage::{TargetOutcome, TriageAction};
use crate::pane::PaneId;

/// A confirmed action whose result has not come back yet.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingAction {
    pub request: u64,
    pub description: String,
    /// Rows the action skipped, shown with its outcome.
    pub refused: Vec<(String, String)>,
}

impl App {
    /// Copies `text` and says what was copied, or says why there is nothing to copy.
    fn copy_or_say(&mut self, text: Option<String>, copied: &str, missing: &str) -> Vec<Effect> {
        match text {
            Some(text) => {
                self.modes.message = Some((MessageLevel::Info, format!("{copied}: {text}")));
                vec![Effect::Clipboard(text)]
            }
            None => {
                self.modes.message = Some((MessageLevel::Info, missing.to_string()));
                Vec::new()
            }
        }
    }

    /// The confirm dialog for deleting the rule selected in the `:rules` listing.
    pub(super) fn delete_listed_rule(&mut self) -> Vec<Effect> {
        let on_rules = self.modes.listing.as_ref().filter(|l| l.kind == super::listing::ListingKind::AutomationRules);
        let Some(selected) = on_rules.map(|l| l.selected) else { return Vec::new() };
        let Some(Ok(rules)) = &self.modes.rules else { return Vec::new() };
        let Some(rule) = rules.get(selected) else { return Vec::new() };
        if self.session.read_only {
            self.modes.message = Some((MessageLevel::Info, "read-only: deleting a rule is switched off".into()));
            return Vec::new();
        }
        let target = crate::model::triage::Target {
            id: rule.arn.clone(),
            label: rule.name.clone(),
            placement: crate::model::Placement::from_arn(&rule.arn, &self.session.context),
            product_arn: None,
            guardduty: None,
            ocsf_uid: None,
            user: None,
            likeness: None,
        };
        let chosen = TriageAction::Findings(crate::model::panes::findings::Action::DeleteAutomationRule);
        let warnings = if rule.made_here() {
            Vec::new()
        } else {
            vec![(rule.name.clone(), "not made by Vigil: someone's own rule, which others may count on".to_string())]
        };
        self.draft = Some(Draft::new(PaneId::Findings, chosen, vec![target], Vec::new(), warnings));
        self.modes.listing = None;
        self.modes.mode = Mode::Confirm;
        Vec::new()
    }

    pub(super) fn menu_choice(&mut self, key: char) -> Vec<Effect> {
        self.modes.mode = Mode::Normal;
        let Some(entry) = self.panes.menu(self.current).into_iter().find(|e| e.key == key) else {
            self.modes.message = Some((MessageLevel::Info, format!("no action on '{key}' here")));
            return Vec::new();
        };
        let pane = self.pane(self.current);
        match entry.command {
            MenuCommand::Yank => {
                let texts = pane.copy_texts(self.reveal_pii);
                self.modes.message =
                    Some((MessageLevel::Info, format!("copied {} id(s) to the clipboard", texts.len())));
                // One line of shell words: pasted into a shell, an id runs nothing and stays one id.
                let words: Vec<String> = texts.iter().map(|t| crate::text::shell_word(t)).collect();
                vec![Effect::Clipboard(words.join(" "))]
            }
            MenuCommand::CopyFix => self.copy_or_say(
                pane.fix_command(),
                "fix copied",
                "no one-line CLI fix for this finding: its detail links AWS's remediation page",
            ),
            MenuCommand::ConsoleLink => self.copy_or_say(
                pane.console_url(&self.session.context, self.reveal_pii),
                "console link copied",
                "no console link: nothing selected, or a partition without a public console",
            ),
            MenuCommand::Triage(chosen) => {
                if self.session.read_only {
                    self.modes.message =
                        Some((MessageLevel::Info, format!("read-only: \"{}\" is switched off", entry.label)));
                    return Vec::new();
                }
                let crate::app::pane_state::Targets { targets, refused, warnings } =
                    pane.targets_for(&chosen, &self.session.context);
                let needs_note = chosen.needs_note();
                let draft = Draft::new(self.current, chosen, targets, refused, warnings);
                if draft.targets.is_empty() {
                    let action = draft.action();
                    self.outcome = Some(OutcomeView::new(action.describe(), Vec::new(), draft.refused.clone(), None));
                    self.modes.mode = Mode::Outcome;
                    return vec![Effect::AuditRefusal {
                        context: self.session.context.clone(),
                        action,
                        refused: draft.refused,
                    }];
                }
                self.modes.mode = if needs_note { Mode::Note } else { Mode::Confirm };
                self.modes.input.clear();
                self.draft = Some(draft);
                Vec::new()
            }
        }
    }

    pub(super) fn confirm(&mut self) -> Vec<Effect> {
        self.modes.mode = Mode::Normal;
        let Some(draft) = self.draft.take() else { return Vec::new() };
        if self.session.read_only {
            return Vec::new();
        }
        // One at a time: a second result would take the first one's place and label.
        if let Some(running) = &self.pending {
            self.modes.message = Some((
                MessageLevel::Error,
                format!("not sent: \"{}\" is still running; wait for its result", running.description),
            ));
            return Vec::new();
        }
        let request = self.new_request();
        let action = draft.action();
        self.modes.message =
            Some((MessageLevel::Info, format!("{}: {} target(s)…", action.describe(), draft.targets.len())));
        self.pending = Some(PendingAction { request, description: action.describe(), refused: draft.refused });
        vec![Effect::Apply {
            request,
            pane: draft.pane,
            context: self.session.context.clone(),
            action,
            targets: draft.targets,
        }]
    }

    pub(super) fn applied(
        &mut self,
        request: u64,
        pane: PaneId,
        context: &Context,
        action: &TriageAction,
        outcomes: Vec<TargetOutcome>,
        audit_error: Option<String>,
    ) -> Vec<Effect> {
        let own = self.pending.as_ref().is_some_and(|p| p.request == request);
        let (mut description, refused) = match self.pending.take_if(|p| p.request == request) {
            Some(pending) => (pending.description, pending.refused),
            None => (action.describe(), Vec::new()),
        };
        if own {
            self.modes.message = None;
        }
        // The result is always shown: nothing is lost. But it belongs to the context it was
        // confirmed in, so it touches nothing of the view shown now.
        let same_context = *context == self.session.context;
        if !same_context {
            description = format!("{description} (in {context})");
        }
        self.outcome = Some(OutcomeView::new(description, outcomes, refused, audit_error));
        self.modes.mode = Mode::Outcome;
        if !own || !same_context {
            return Vec::new();
        }
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
