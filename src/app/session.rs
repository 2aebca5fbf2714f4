//! The session: which contexts (profiles and regions) were named at start, which one is shown and
//! whether it may act.

use super::{App, Connection, MessageLevel};
use crate::action::Effect;
use crate::model::{Context, ContextChoice};
use crate::source::SourceInfo;

/// Who and where the console is looking at, and what it may do there.
#[derive(Debug, Clone)]
pub struct Session {
    pub info: SourceInfo,
    /// The context requests are made for and results must match.
    pub context: Context,
    /// Whether AWS has confirmed who and where the console is looking at.
    pub connection: Connection,
    /// The profiles and regions named at start (`--profile a,b --region x,y`), one context each.
    pub contexts: Vec<ContextChoice>,
    /// Per context, whether it is read-only (`--read-only`, or its profile's config).
    pub contexts_read_only: Vec<bool>,
    /// Which of them is shown (the first until `:ctx` switches).
    pub current_context: usize,
    /// No state-changing action is offered (`--read-only`, or the profile's config).
    pub read_only: bool,
}

impl Session {
    pub fn new(info: SourceInfo) -> Self {
        Self {
            context: info.context(),
            info,
            connection: Connection::Connected,
            contexts: Vec::new(),
            contexts_read_only: Vec::new(),
            current_context: 0,
            read_only: false,
        }
    }
}

impl App {
    /// `:ctx` lists the contexts; `:ctx N` (or a profile and region, or a unique part of them)
    /// asks the runner to switch to one. The view switches when the new context has connected.
    pub(super) fn choose_context(&mut self, which: &str) -> Vec<Effect> {
        if self.session.contexts.len() < 2 {
            self.modes.message = Some((
                MessageLevel::Info,
                "one context: name several with --profile a,b and --region x,y to switch with :ctx".into(),
            ));
            return Vec::new();
        }
        let all = self.session.contexts.len();
        let listing = || {
            let mut items: Vec<String> = self
                .session
                .contexts
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{}{} {c}", if i == self.session.current_context { "*" } else { "" }, i + 1))
                .collect();
            items.push(format!("{}all", if self.session.current_context == all { "*" } else { "" }));
            items.join("  ")
        };
        if which.is_empty() {
            self.modes.message = Some((MessageLevel::Info, format!("contexts: {}  (:ctx N switches)", listing())));
            return Vec::new();
        }
        // The first context is still being confirmed: a switch now would race its answer.
        if self.session.connection == Connection::Connecting {
            self.modes.message =
                Some((MessageLevel::Info, "still connecting: :ctx switches once AWS has answered".into()));
            return Vec::new();
        }
        let chosen = match which.parse::<usize>() {
            _ if which == "all" => Some(all),
            Ok(n) if (1..=self.session.contexts.len()).contains(&n) => Some(n - 1),
            Ok(_) => None,
            Err(_) => {
                let matching: Vec<usize> = (0..self.session.contexts.len())
                    .filter(|&i| {
                        self.session.contexts[i].to_string() == which
                            || self.session.contexts[i].to_string().contains(which)
                    })
                    .collect();
                match matching.as_slice() {
                    [one] => Some(*one),
                    _ => self.session.contexts.iter().position(|c| c.to_string() == which),
                }
            }
        };
        let Some(index) = chosen else {
            self.modes.message =
                Some((MessageLevel::Error, format!("no single context matches '{which}': {}", listing())));
            return Vec::new();
        };
        let name = |index: usize| match self.session.contexts.get(index) {
            Some(choice) => choice.to_string(),
            None => format!("all {} contexts", self.session.contexts.len()),
        };
        if index == self.session.current_context {
            self.modes.message = Some((MessageLevel::Info, format!("already showing {}", name(index))));
            return Vec::new();
        }
        self.modes.message = Some((MessageLevel::Info, format!("connecting to {}…", name(index))));
        // The "all" view is asked for with the first context's choice; the runner connects them all.
        let choice = self.session.contexts.get(index).or(self.session.contexts.first()).cloned().unwrap_or_default();
        vec![Effect::SwitchTo { index, choice }]
    }

    /// The runner connected context `index` (the number of contexts: the "all" view) and switched
    /// to it.
    pub(crate) fn context_switched(&mut self, index: usize) {
        // Only a connected context is switched to (a first connection that failed is left).
        self.session.connection = Connection::Connected;
        self.session.current_context = index.min(self.session.contexts.len());
        self.session.read_only = match self.session.contexts_read_only.get(self.session.current_context) {
            Some(&read_only) => read_only,
            // The "all" view acts in every context: read-only if any of them is.
            None => self.session.contexts_read_only.iter().any(|&r| r),
        };
    }

    /// Whether the "all" view of every context is shown.
    pub fn showing_all_contexts(&self) -> bool {
        self.session.contexts.len() > 1 && self.session.current_context == self.session.contexts.len()
    }
}
