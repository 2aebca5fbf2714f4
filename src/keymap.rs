//! The one keymap. Key handling, the help overlay and the key hints all read it, so they cannot
//! drift apart.

use crate::action::Action;
use crate::pane::{PaneId, REGISTRY};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::borrow::Cow;
use std::fmt;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere but text input.
    Global,
    /// In every pane's table.
    Table,
    /// Only in one pane.
    Pane(PaneId),
    Detail,
    Help,
    /// A list across the panes (the expiry radar, everything about a resource).
    Listing,
    /// The war-room board.
    Board,
}

impl Scope {
    pub fn heading(self) -> String {
        match self {
            Self::Global => "Global".into(),
            Self::Table => "Tables".into(),
            Self::Pane(p) => format!("{} pane", p.title()),
            Self::Detail => "Detail view".into(),
            Self::Help => "Help".into(),
            Self::Listing => "Radar and related lists".into(),
            Self::Board => "War-room board".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyChord {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl KeyChord {
    pub const fn plain(code: KeyCode) -> Self {
        Self { code, modifiers: KeyModifiers::NONE }
    }

    pub const fn ctrl(c: char) -> Self {
        Self { code: KeyCode::Char(c), modifiers: KeyModifiers::CONTROL }
    }

    pub const fn char(c: char) -> Self {
        Self::plain(KeyCode::Char(c))
    }

    /// Whether a terminal key event is this chord. Shift is part of the character for letters and
    /// symbols, so it is ignored there.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let relevant = KeyModifiers::CONTROL | KeyModifiers::ALT;
        let event_code = match event.code {
            // Some terminals report Shift-Tab as Tab with SHIFT.
            KeyCode::Tab if event.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            code => code,
        };
        event_code == self.code && (event.modifiers & relevant) == (self.modifiers & relevant)
    }
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Vec<KeyChord>,
    pub action: Action,
    pub scope: Scope,
    pub description: Cow<'static, str>,
    /// Shown in the one-line key hints at the bottom of the screen.
    pub hint: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

fn bind(scope: Scope, keys: &[KeyChord], action: Action, description: impl Into<Cow<'static, str>>) -> Binding {
    Binding { keys: keys.to_vec(), action, scope, description: description.into(), hint: None }
}

fn hinted(mut binding: Binding, hint: &'static str) -> Binding {
    binding.hint = Some(hint);
    binding
}

impl Default for Keymap {
    fn default() -> Self {
        use KeyCode::*;
        use Scope::*;
        let c = KeyChord::char;
        let p = KeyChord::plain;
        let pane_commands: Vec<String> = REGISTRY.iter().map(|s| format!(":{}", s.command)).collect();
        let mut bindings = vec![
            hinted(bind(Global, &[c('q'), KeyChord::ctrl('c')], Action::Quit, "quit"), "quit"),
            hinted(bind(Global, &[c('?')], Action::ToggleHelp, "help: every key"), "help"),
            bind(Global, &[p(Tab)], Action::NextPane, "next pane"),
            bind(Global, &[p(BackTab)], Action::PreviousPane, "previous pane"),
            hinted(
                bind(
                    Global,
                    &[c(':')],
                    Action::OpenCommandLine,
                    format!("command line ({}, :q)", pane_commands.join(", ")),
                ),
                "cmd",
            ),
            bind(Global, &[c('r')], Action::Refresh, "refresh this pane now"),
            bind(Global, &[c('R')], Action::RefreshAll, "refresh every pane now"),
        ];
        for spec in REGISTRY {
            bindings.push(bind(Global, &[c(spec.id.digit())], Action::ShowPane(spec.id), spec.title));
        }
        bindings.extend([
            bind(Table, &[c('j'), p(Down)], Action::MoveDown, "next row"),
            bind(Table, &[c('k'), p(Up)], Action::MoveUp, "previous row"),
            bind(Table, &[p(PageDown), KeyChord::ctrl('f')], Action::PageDown, "page down"),
            bind(Table, &[p(PageUp), KeyChord::ctrl('b')], Action::PageUp, "page up"),
            bind(Table, &[p(Home)], Action::First, "first row"),
            bind(
                Pane(PaneId::Findings),
                &[c('g')],
                Action::CycleGrouping,
                "group by type, resource, product, account, control, none (Enter opens a group)",
            ),
            bind(Table, &[c('G'), p(End)], Action::Last, "last row"),
            hinted(
                bind(Table, &[c('/')], Action::OpenFilter, "filter as you type (all words must match any column)"),
                "filter",
            ),
            bind(Table, &[p(Esc)], Action::ClearFilter, "clear the filter"),
            hinted(bind(Table, &[c('s')], Action::CycleSort, "sort by the next column"), "sort"),
            bind(Table, &[c('S')], Action::ReverseSort, "reverse the sort"),
            hinted(bind(Table, &[c('x')], Action::OpenActionMenu, "actions on the selected or marked rows"), "act"),
            bind(Table, &[c(' ')], Action::ToggleMark, "mark / unmark the row for a bulk action"),
            bind(Table, &[c('*')], Action::ToggleMarkVisible, "mark / unmark every row the filter shows"),
            hinted(bind(Table, &[p(Enter)], Action::OpenDetail, "detail of the selected row"), "detail"),
            bind(Table, &[c('e')], Action::OpenRadar, "expiry radar: certificates and secrets by days left"),
            bind(Table, &[c('B')], Action::ToggleBoard, "war-room board: the whole account on one screen"),
            bind(Table, &[c('v')], Action::ToggleSideDetail, "detail beside the list on wide screens (160+ columns)"),
            bind(Table, &[c('o')], Action::OpenRelated, "everything about the row's resource, across the panes"),
            bind(Table, &[p(Backspace)], Action::JumpBack, "back to where the last jump from a list came from"),
            hinted(
                bind(
                    Pane(PaneId::Users),
                    &[c('p')],
                    Action::TogglePii,
                    "reveal / mask e-mail addresses and phone numbers",
                ),
                "PII",
            ),
            bind(Detail, &[c('J')], Action::ToggleRawJson, "raw JSON record / fields"),
            bind(Detail, &[c('j'), p(Down)], Action::MoveDown, "scroll down"),
            bind(Detail, &[c('k'), p(Up)], Action::MoveUp, "scroll up"),
            bind(Detail, &[p(PageDown)], Action::PageDown, "page down"),
            bind(Detail, &[p(PageUp)], Action::PageUp, "page up"),
            bind(Detail, &[c('g')], Action::First, "top"),
            bind(Detail, &[c('G')], Action::Last, "bottom"),
            hinted(bind(Detail, &[p(Esc), c('q')], Action::Back, "close"), "close"),
            bind(Detail, &[KeyChord::ctrl('c')], Action::Quit, "quit"),
            bind(Detail, &[c('p')], Action::TogglePii, "reveal / mask PII"),
            bind(Listing, &[c('j'), p(Down)], Action::MoveDown, "next item"),
            bind(Listing, &[c('k'), p(Up)], Action::MoveUp, "previous item"),
            bind(Listing, &[p(PageDown)], Action::PageDown, "page down"),
            bind(Listing, &[p(PageUp)], Action::PageUp, "page up"),
            hinted(bind(Listing, &[p(Enter)], Action::Jump, "go to the item in its pane (Backspace comes back)"), "go"),
            hinted(bind(Listing, &[p(Esc), c('q')], Action::Back, "close the list"), "close"),
            bind(Listing, &[KeyChord::ctrl('c')], Action::Quit, "quit"),
            hinted(bind(Board, &[p(Esc), c('B')], Action::ToggleBoard, "back to the panes"), "panes"),
            hinted(bind(Board, &[c('q'), KeyChord::ctrl('c')], Action::Quit, "quit"), "quit"),
            hinted(bind(Board, &[c(':')], Action::OpenCommandLine, "command line"), "cmd"),
            bind(Board, &[c('R')], Action::RefreshAll, "refresh everything now"),
            hinted(bind(Board, &[c('?')], Action::ToggleHelp, "help: every key"), "help"),
            bind(Help, &[c('j'), p(Down)], Action::MoveDown, "scroll down"),
            bind(Help, &[c('k'), p(Up)], Action::MoveUp, "scroll up"),
            hinted(bind(Help, &[p(Esc), c('q'), c('?')], Action::Back, "close help"), "close"),
            bind(Help, &[KeyChord::ctrl('c')], Action::Quit, "quit"),
        ]);
        // Every pane with a narrower default scope widens it on the same key.
        for spec in REGISTRY {
            if let Some(scope) = spec.scope {
                bindings.push(hinted(bind(Pane(spec.id), &[c('a')], Action::ToggleScope, scope.help), "all"));
            }
        }
        bindings.push(hinted(
            bind(
                Pane(PaneId::Compliance),
                &[c('f')],
                Action::OpenAdvice,
                "what to fix first: controls that raise the scores most, trends, PCI DSS requirements",
            ),
            "fix first",
        ));
        bindings.push(hinted(
            bind(
                Pane(PaneId::Users),
                &[c('f')],
                Action::OpenFraudLens,
                "anti-fraud lens: sign-ups against each pool's usual rate, clusters, risky sign-ins",
            ),
            "fraud",
        ));
        bindings.push(bind(
            Pane(PaneId::Findings),
            &[c('n')],
            Action::MarkAllSeen,
            "mark every new finding (+) as seen",
        ));
        Self { bindings }
    }
}

/// What the keyboard is doing, which decides the bindings that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyContext {
    Table(PaneId),
    Detail,
    Help,
    Listing,
    Board,
}

impl Keymap {
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    fn scopes(context: KeyContext) -> Vec<Scope> {
        match context {
            KeyContext::Table(pane) => vec![Scope::Pane(pane), Scope::Table, Scope::Global],
            KeyContext::Detail => vec![Scope::Detail],
            KeyContext::Help => vec![Scope::Help],
            KeyContext::Listing => vec![Scope::Listing],
            KeyContext::Board => vec![Scope::Board],
        }
    }

    /// The action a key means in this context; the most specific scope wins.
    pub fn action_for(&self, context: KeyContext, key: &KeyEvent) -> Option<Action> {
        Self::scopes(context).into_iter().find_map(|scope| {
            self.bindings
                .iter()
                .filter(|b| b.scope == scope)
                .find(|b| b.keys.iter().any(|k| k.matches(key)))
                .map(|b| b.action.clone())
        })
    }

    /// The bindings that apply in a context, for the help overlay.
    pub fn applicable(&self, context: KeyContext) -> Vec<&Binding> {
        Self::scopes(context)
            .into_iter()
            .flat_map(|scope| self.bindings.iter().filter(move |b| b.scope == scope))
            .collect()
    }

    /// `key:hint` pairs for the bottom line.
    pub fn hints(&self, context: KeyContext) -> Vec<(String, &'static str)> {
        self.applicable(context).into_iter().filter_map(|b| Some((b.keys.first()?.to_string(), b.hint?))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn pane_bindings_win_over_table_and_global() {
        let km = Keymap::default();
        let a = key(KeyCode::Char('a'), KeyModifiers::NONE);
        assert!(matches!(km.action_for(KeyContext::Table(PaneId::Findings), &a), Some(Action::ToggleScope)));
        assert!(km.action_for(KeyContext::Table(PaneId::Secrets), &a).is_none());
        let p = key(KeyCode::Char('p'), KeyModifiers::NONE);
        assert!(matches!(km.action_for(KeyContext::Table(PaneId::Users), &p), Some(Action::TogglePii)));
    }

    #[test]
    fn ctrl_c_quits_everywhere_and_shift_letters_match() {
        let km = Keymap::default();
        let ctrl_c = key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for ctx in [KeyContext::Table(PaneId::Users), KeyContext::Detail, KeyContext::Help] {
            assert!(matches!(km.action_for(ctx, &ctrl_c), Some(Action::Quit)), "{ctx:?}");
        }
        let shift_g = key(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert!(matches!(km.action_for(KeyContext::Table(PaneId::Findings), &shift_g), Some(Action::Last)));
        let shift_tab = key(KeyCode::Tab, KeyModifiers::SHIFT);
        assert!(matches!(km.action_for(KeyContext::Table(PaneId::Findings), &shift_tab), Some(Action::PreviousPane)));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        let km = Keymap::default();
        let contexts = PaneId::ALL.map(KeyContext::Table).into_iter().chain([
            KeyContext::Detail,
            KeyContext::Help,
            KeyContext::Listing,
            KeyContext::Board,
        ]);
        for ctx in contexts {
            let mut seen = Vec::new();
            for b in km.applicable(ctx) {
                for k in &b.keys {
                    assert!(!seen.contains(k), "{k} bound twice in {ctx:?}");
                    seen.push(*k);
                }
            }
        }
    }
}
