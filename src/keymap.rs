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
    /// The scope's table in the config file: `[keys.detail-view]`.
    pub fn config_name(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::Table => "tables",
            Self::Pane(p) => p.spec().config_key,
            // Not "detail", "help" or "board": those are actions, and TOML cannot have `help`
            // both as a key of [keys] and as the table [keys.help].
            Self::Detail => "detail-view",
            Self::Help => "help-overlay",
            Self::Listing => "lists",
            Self::Board => "war-room",
        }
    }

    /// The place `[keys.PLACE]` names, or what is wrong with the name.
    pub fn from_config_name(name: &str) -> Result<Scope, String> {
        Self::all().into_iter().find(|s| s.config_name() == name).ok_or_else(|| {
            let known: Vec<&str> = Self::all().into_iter().map(Self::config_name).collect();
            format!("keys.{name}: unknown place, expected one of {}", known.join(", "))
        })
    }

    /// Every scope, in the order the help and the default config list them.
    pub fn all() -> Vec<Scope> {
        let mut scopes = vec![Self::Global, Self::Table];
        scopes.extend(PaneId::ALL.map(Self::Pane));
        scopes.extend([Self::Detail, Self::Listing, Self::Board, Self::Help]);
        scopes
    }

    /// The context whose keys a binding of this scope shares: where its conflicts would be.
    fn context(self) -> KeyContext {
        match self {
            Self::Global | Self::Table => KeyContext::Table(PaneId::ALL[0]),
            Self::Pane(p) => KeyContext::Table(p),
            Self::Detail => KeyContext::Detail,
            Self::Help => KeyContext::Help,
            Self::Listing => KeyContext::Listing,
            Self::Board => KeyContext::Board,
        }
    }

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

/// The named keys a config file can use, with how the help shows them. A name is matched without
/// regard to case; a single character is itself (`"G"` is Shift-g).
const NAMED_KEYS: &[(&str, KeyCode, &str)] = &[
    ("enter", KeyCode::Enter, "Enter"),
    ("esc", KeyCode::Esc, "Esc"),
    ("tab", KeyCode::Tab, "Tab"),
    ("shift-tab", KeyCode::BackTab, "Shift-Tab"),
    ("space", KeyCode::Char(' '), "Space"),
    ("backspace", KeyCode::Backspace, "Backspace"),
    ("delete", KeyCode::Delete, "Del"),
    ("insert", KeyCode::Insert, "Ins"),
    ("up", KeyCode::Up, "↑"),
    ("down", KeyCode::Down, "↓"),
    ("left", KeyCode::Left, "←"),
    ("right", KeyCode::Right, "→"),
    ("pageup", KeyCode::PageUp, "PgUp"),
    ("pagedown", KeyCode::PageDown, "PgDn"),
    ("home", KeyCode::Home, "Home"),
    ("end", KeyCode::End, "End"),
];

/// Other spellings people write for the same keys.
const KEY_ALIASES: &[(&str, &str)] = &[
    ("return", "enter"),
    ("escape", "esc"),
    ("backtab", "shift-tab"),
    ("del", "delete"),
    ("ins", "insert"),
    ("pgup", "pageup"),
    ("pgdn", "pagedown"),
    ("page-up", "pageup"),
    ("page-down", "pagedown"),
];

impl KeyChord {
    /// How the config file writes this key (`vigil config default` prints it; [`KeyChord::parse`]
    /// reads it back).
    pub fn config_name(&self) -> String {
        let mut out = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            out.push_str("ctrl-");
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            out.push_str("alt-");
        }
        match (self.code, NAMED_KEYS.iter().find(|(_, code, _)| *code == self.code)) {
            (_, Some((name, _, _))) => out.push_str(name),
            (KeyCode::F(n), None) => out.push_str(&format!("f{n}")),
            (KeyCode::Char(c), None) => out.push(c),
            (other, None) => out.push_str(&format!("{other:?}").to_lowercase()),
        }
        out
    }

    /// A key as the config file writes it: a character (`"x"`, `"G"`, `"?"`), a name (`"enter"`,
    /// `"pagedown"`, `"f5"`), either after `ctrl-` or `alt-`.
    pub fn parse(text: &str) -> Result<KeyChord, String> {
        let mut rest = text;
        let mut modifiers = KeyModifiers::NONE;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 1 && lower.starts_with("ctrl-") {
                modifiers |= KeyModifiers::CONTROL;
                rest = &rest["ctrl-".len()..];
            } else if rest.chars().count() > 1 && lower.starts_with("alt-") {
                modifiers |= KeyModifiers::ALT;
                rest = &rest["alt-".len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err(format!("{text:?} names no key")),
            (Some(c), None) if c.is_control() => {
                return Err(format!("{text:?} is a control character, not a key name"));
            }
            (Some(c), None) if modifiers.contains(KeyModifiers::CONTROL) => {
                // Ctrl with a letter arrives as the lower-case letter whatever Shift did.
                let c = c.to_ascii_lowercase();
                check_ctrl_character(text, c)?;
                KeyCode::Char(c)
            }
            (Some(c), None) => KeyCode::Char(c),
            _ => {
                let lower = rest.to_ascii_lowercase();
                let name = KEY_ALIASES.iter().find(|(alias, _)| *alias == lower).map_or(lower.as_str(), |(_, n)| n);
                let unsendable = |code: &KeyCode| {
                    modifiers.contains(KeyModifiers::CONTROL)
                        && matches!(
                            code,
                            KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab | KeyCode::Esc | KeyCode::Backspace
                        )
                };
                match NAMED_KEYS.iter().find(|(n, _, _)| *n == name) {
                    Some((_, code, _)) if unsendable(code) => {
                        return Err(format!(
                            "{text:?}: a terminal sends ctrl-{name} as plain {name}, another key (ctrl-h) or not at all; \
                             choose another key"
                        ));
                    }
                    Some((_, code, _)) => *code,
                    None => match name.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                        Some(n @ 1..=12) => KeyCode::F(n),
                        _ => {
                            return Err(format!(
                                "unknown key {text:?}: expected a character, f1-f12 or one of {}, \
                                 either after ctrl- or alt-",
                                NAMED_KEYS.iter().map(|(n, _, _)| *n).collect::<Vec<_>>().join(", ")
                            ));
                        }
                    },
                }
            }
        };
        // Alt is Esc before the key: Esc O and Esc [ begin the sequences other keys send.
        if modifiers.contains(KeyModifiers::ALT) && matches!(code, KeyCode::Char('O' | '[') | KeyCode::Esc) {
            return Err(format!(
                "{text:?}: a terminal sends it as the start of another key's escape sequence; choose another key"
            ));
        }
        Ok(KeyChord { code, modifiers })
    }
}

/// Whether a terminal can send Ctrl with this character as something a program tells apart.
/// Without the kitty keyboard protocol, Ctrl with a letter is a control byte: Ctrl-i is the byte Tab
/// sends and Ctrl-m the byte Enter sends, so those could never be told apart; Ctrl with most
/// digits and symbols sends nothing at all, or another key.
fn check_ctrl_character(text: &str, c: char) -> Result<(), String> {
    let same_as = match c {
        'i' => Some("tab"),
        'm' => Some("enter"),
        '[' | '3' => Some("esc"),
        '@' | '2' | '`' | '~' => Some("ctrl-space"),
        '?' | '8' => Some("backspace"),
        '\\' => Some("ctrl-4"),
        ']' => Some("ctrl-5"),
        '^' => Some("ctrl-6"),
        '_' | '/' => Some("ctrl-7"),
        _ => None,
    };
    if let Some(key) = same_as {
        return Err(format!("{text:?}: a terminal sends it as {key}; write {key:?} if that key is meant"));
    }
    if c.is_ascii_lowercase() || c == ' ' || ('4'..='7').contains(&c) {
        Ok(())
    } else {
        Err(format!("{text:?}: a terminal does not send Ctrl with {c:?}; choose another key"))
    }
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        match (self.code, NAMED_KEYS.iter().find(|(_, code, _)| *code == self.code)) {
            (_, Some((_, _, shown))) => f.write_str(shown),
            (KeyCode::F(n), None) => write!(f, "F{n}"),
            (KeyCode::Char(c), None) => write!(f, "{c}"),
            (other, None) => write!(f, "{other:?}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    /// The action's name in the config file's `[keys]`.
    pub name: Cow<'static, str>,
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
    Binding {
        name: action_name(&action),
        keys: keys.to_vec(),
        action,
        scope,
        description: description.into(),
        hint: None,
    }
}

/// The name the config file gives an action that has keys. One name for an action wherever it is
/// bound: `move-down` is the next row in a table and scrolling in the detail view.
fn action_name(action: &Action) -> Cow<'static, str> {
    match crate::command::name_of(action) {
        Some(name) => name.into(),
        None => format!("{action:?}").to_lowercase().into(),
    }
}

/// A word of the config file and where it is written (a byte offset), for an error that names
/// the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub text: String,
    pub offset: usize,
}

/// One line of the config's `[keys]`: an action's keys, everywhere it is bound or (`[keys.SCOPE]`)
/// in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySetting {
    pub scope: Option<Located>,
    pub action: Located,
    pub keys: Vec<Located>,
}

/// What is wrong with a key setting, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySettingError {
    pub offset: usize,
    pub message: String,
}

fn hinted(mut binding: Binding, hint: &'static str) -> Binding {
    binding.hint = Some(hint);
    binding
}

impl Default for Keymap {
    fn default() -> Self {
        let mut keymap = Self::unresolved();
        keymap.describe_keys();
        keymap
    }
}

impl Keymap {
    /// The default bindings, descriptions still naming other actions' keys as `{name}`.
    fn unresolved() -> Self {
        use KeyCode::*;
        use Scope::*;
        let c = KeyChord::char;
        let p = KeyChord::plain;
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
                    "command line: a pane's name, any command (Tab completes; the help lists them)",
                ),
                "cmd",
            ),
            bind(Global, &[c('r')], Action::Refresh, "refresh this pane now"),
            bind(Global, &[c('R')], Action::RefreshAll, "refresh every pane now"),
        ];
        for spec in REGISTRY {
            let digit: Vec<KeyChord> = spec.id.digit().map(c).into_iter().collect();
            bindings.push(bind(Global, &digit, Action::ShowPane(spec.id), spec.title));
        }
        bindings.extend([
            bind(Table, &[c('j'), p(Down)], Action::MoveDown, "next row"),
            bind(Table, &[c('k'), p(Up)], Action::MoveUp, "previous row"),
            bind(Table, &[p(PageDown), KeyChord::ctrl('f')], Action::PageDown, "page down"),
            bind(Table, &[p(PageUp), KeyChord::ctrl('b')], Action::PageUp, "page up"),
            bind(Table, &[c('g'), p(Home)], Action::First, "first row"),
            bind(Table, &[c('G'), p(End)], Action::Last, "last row"),
            hinted(
                bind(Table, &[c('/')], Action::OpenFilter, "filter as you type (all words must match any column)"),
                "filter",
            ),
            bind(Table, &[p(Esc)], Action::ClearFilter, "clear the filter"),
            hinted(bind(Table, &[c('s')], Action::CycleSort, "sort by the next column shown"), "sort"),
            bind(Table, &[c('S')], Action::ReverseSort, "reverse the sort"),
            hinted(bind(Table, &[c('x')], Action::OpenActionMenu, "actions on the selected or marked rows"), "act"),
            bind(Table, &[c(' ')], Action::ToggleMark, "mark / unmark the row for a bulk action"),
            bind(Table, &[c('*')], Action::ToggleMarkVisible, "mark / unmark every row the filter shows"),
            hinted(bind(Table, &[p(Enter)], Action::OpenDetail, "detail of the selected row"), "detail"),
            bind(Table, &[c('e')], Action::OpenRadar, "expiry radar: what falls due, by days left"),
            bind(Table, &[c('B')], Action::ToggleBoard, "war-room board: the whole account on one screen"),
            bind(Table, &[c('v')], Action::ToggleSideDetail, "detail beside the list on wide screens (160+ columns)"),
            bind(Table, &[c('o')], Action::OpenRelated, "everything about the row's resource, across the panes"),
            bind(Table, &[p(Backspace)], Action::JumpBack, "back to where the last jump from a list came from"),
            bind(Detail, &[c('J')], Action::ToggleRawJson, "raw JSON record / fields"),
            bind(Detail, &[c('j'), p(Down)], Action::MoveDown, "scroll down"),
            bind(Detail, &[c('k'), p(Up)], Action::MoveUp, "scroll up"),
            bind(Detail, &[p(PageDown)], Action::PageDown, "page down"),
            bind(Detail, &[p(PageUp)], Action::PageUp, "page up"),
            bind(Detail, &[c('g'), p(Home)], Action::First, "top"),
            bind(Detail, &[c('G'), p(End)], Action::Last, "bottom"),
            hinted(bind(Detail, &[p(Esc), c('q')], Action::Back, "close"), "close"),
            bind(Detail, &[KeyChord::ctrl('c')], Action::Quit, "quit"),
            bind(Detail, &[c('p')], Action::TogglePii, "reveal / mask PII"),
            bind(Listing, &[c('j'), p(Down)], Action::MoveDown, "next item"),
            bind(Listing, &[c('k'), p(Up)], Action::MoveUp, "previous item"),
            bind(Listing, &[p(PageDown)], Action::PageDown, "page down"),
            bind(Listing, &[p(PageUp)], Action::PageUp, "page up"),
            bind(Listing, &[c('g'), p(Home)], Action::First, "first item"),
            bind(Listing, &[c('G'), p(End)], Action::Last, "last item"),
            hinted(
                bind(Listing, &[p(Enter)], Action::Jump, "go to the item in its pane ({jump-back} comes back)"),
                "go",
            ),
            hinted(bind(Listing, &[p(Esc), c('q')], Action::Back, "close the list"), "close"),
            bind(Listing, &[c('d')], Action::DeleteListedRule, "delete the selected automation rule (:rules)"),
            bind(Listing, &[c('x')], Action::StopHistory, "stop the running history query (:history)"),
            bind(Listing, &[c('r')], Action::RerunHistory, "ask the history question again (:history)"),
            bind(Listing, &[KeyChord::ctrl('c')], Action::Quit, "quit"),
            hinted(bind(Board, &[p(Esc), c('B')], Action::ToggleBoard, "back to the panes"), "panes"),
            hinted(bind(Board, &[c('q'), KeyChord::ctrl('c')], Action::Quit, "quit"), "quit"),
            hinted(bind(Board, &[c(':')], Action::OpenCommandLine, "command line"), "cmd"),
            bind(Board, &[c('R')], Action::RefreshAll, "refresh everything now"),
            hinted(bind(Board, &[c('?')], Action::ToggleHelp, "help: every key"), "help"),
            bind(Help, &[c('j'), p(Down)], Action::MoveDown, "scroll down"),
            bind(Help, &[c('k'), p(Up)], Action::MoveUp, "scroll up"),
            bind(Help, &[p(PageDown)], Action::PageDown, "page down"),
            bind(Help, &[p(PageUp)], Action::PageUp, "page up"),
            bind(Help, &[c('g'), p(Home)], Action::First, "top"),
            bind(Help, &[c('G'), p(End)], Action::Last, "bottom"),
            hinted(bind(Help, &[p(Esc), c('q'), c('?')], Action::Back, "close help"), "close"),
            bind(Help, &[KeyChord::ctrl('c')], Action::Quit, "quit"),
        ]);
        // Every pane with a narrower default scope widens it on the same key.
        // A pane's key leaves the board for that pane.
        for spec in REGISTRY {
            let digit: Vec<KeyChord> = spec.id.digit().map(c).into_iter().collect();
            bindings.push(bind(Board, &digit, Action::ShowPane(spec.id), spec.title));
        }
        for spec in REGISTRY {
            if let Some(scope) = spec.scope {
                bindings.push(hinted(bind(Pane(spec.id), &[c('a')], Action::ToggleScope, scope.help), "all"));
            }
        }
        // Each pane's lens and its own keys, from its registry entry.
        for spec in REGISTRY {
            if let Some(lens) = spec.lens {
                let binding = bind(Pane(spec.id), &[c(lens.key)], Action::OpenLens(spec.id), lens.description);
                bindings.push(hinted(binding, lens.hint));
            }
            for key in spec.keys {
                let Some(action) = crate::command::action_named(key.command) else { continue };
                let binding = bind(Pane(spec.id), &[c(key.key)], action, key.description);
                bindings.push(match key.hint {
                    Some(hint) => hinted(binding, hint),
                    None => binding,
                });
            }
        }
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

impl KeyContext {
    fn all() -> Vec<KeyContext> {
        let mut contexts: Vec<KeyContext> = PaneId::ALL.map(Self::Table).into();
        contexts.extend([Self::Detail, Self::Help, Self::Listing, Self::Board]);
        contexts
    }

    fn named(self) -> String {
        match self {
            Self::Table(pane) => format!("the {} pane", pane.title()),
            Self::Detail => "the detail view".into(),
            Self::Help => "the help".into(),
            Self::Listing => "the radar and related lists".into(),
            Self::Board => "the war-room board".into(),
        }
    }
}

/// Text as `#` comment lines of at most 100 columns.
fn comment(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::from("#");
    for word in text.split_whitespace() {
        if line.len() + 1 + word.len() > 100 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

impl Keymap {
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The default keymap with the config's `[keys]` applied: first the settings for everywhere,
    /// then those for one scope. An unknown action, scope or key is an error where it is written;
    /// so is a key that would mean two actions in one place, naming both.
    pub fn remapped(settings: &[KeySetting]) -> Result<Self, KeySettingError> {
        let mut keymap = Self::unresolved();
        // Which setting last gave each binding its keys, to point at the line a conflict comes from.
        let mut set_by: Vec<Option<usize>> = vec![None; keymap.bindings.len()];
        // Checked in the file's order, so the first mistake in the file is the one reported.
        let mut checked: Vec<(Option<Scope>, Vec<KeyChord>)> = Vec::with_capacity(settings.len());
        for setting in settings {
            checked.push(keymap.check_setting(setting)?);
        }
        // Applied everywhere first, then in each place: a place's setting wins there.
        let everywhere_first = (0..settings.len()).filter(|&i| settings[i].scope.is_none());
        let order: Vec<usize> =
            everywhere_first.chain((0..settings.len()).filter(|&i| settings[i].scope.is_some())).collect();
        for index in order {
            let (scope, keys) = &checked[index];
            let action = settings[index].action.text.as_str();
            for (i, binding) in keymap.bindings.iter_mut().enumerate() {
                if binding.name == action && scope.is_none_or(|s| s == binding.scope) {
                    binding.keys = keys.clone();
                    set_by[i] = Some(index);
                }
            }
        }
        keymap.follow_mirrored_keys(settings, &mut set_by);
        // Ctrl-c quits while typing too (the runner's own key there), so it always quits.
        for binding in keymap.bindings.iter_mut().filter(|b| b.name == "quit") {
            if !binding.keys.contains(&KeyChord::ctrl('c')) {
                binding.keys.push(KeyChord::ctrl('c'));
            }
        }
        keymap.check_ctrl_c(settings, &set_by)?;
        keymap.check_conflicts(settings, &set_by)?;
        keymap.describe_keys();
        Ok(keymap)
    }

    /// One setting's place and keys, or what is wrong with it.
    fn check_setting(&self, setting: &KeySetting) -> Result<(Option<Scope>, Vec<KeyChord>), KeySettingError> {
        let error = |offset: usize, message: String| KeySettingError { offset, message };
        let action = setting.action.text.as_str();
        let qualified = match &setting.scope {
            Some(scope) => format!("keys.{}.{action}", scope.text),
            None => format!("keys.{action}"),
        };
        let scope = match &setting.scope {
            None => None,
            Some(place) => Some(Scope::from_config_name(&place.text).map_err(|why| error(place.offset, why))?),
        };
        let places: Vec<Scope> = self.bindings.iter().filter(|b| b.name == action).map(|b| b.scope).collect();
        if places.is_empty() {
            return Err(error(setting.action.offset, format!("{qualified}: {}", self.unknown_action(action))));
        }
        if let Some(scope) = scope
            && !places.contains(&scope)
        {
            let names: Vec<&str> = places.iter().map(|s| s.config_name()).collect();
            return Err(error(
                setting.action.offset,
                format!(
                    "{qualified}: {action} is not an action of [keys.{}]; it is one of [keys.{}]",
                    scope.config_name(),
                    names.join("], [keys.")
                ),
            ));
        }
        let mut keys = Vec::new();
        for key in &setting.keys {
            let chord = KeyChord::parse(&key.text).map_err(|why| error(key.offset, format!("{qualified}: {why}")))?;
            if !keys.contains(&chord) {
                keys.push(chord);
            }
        }
        if keys.is_empty() {
            return Err(error(setting.action.offset, format!("{qualified}: expected at least one key")));
        }
        Ok((scope, keys))
    }

    /// A key that opens something also closes it (`?` opens and closes the help, `B` the board):
    /// when the opening key changes and the closing binding was not set itself, it follows.
    fn follow_mirrored_keys(&mut self, settings: &[KeySetting], set_by: &mut [Option<usize>]) {
        // (the closing binding's place and action, the opening action and the places it opens from)
        const MIRRORS: [(Scope, &str, &str, &[Scope]); 2] = [
            (Scope::Help, "close", "help", &[Scope::Global, Scope::Board]),
            (Scope::Board, "board", "board", &[Scope::Table]),
        ];
        let defaults = Self::unresolved();
        let find = |scope: Scope, name: &str| self.bindings.iter().position(|b| b.scope == scope && b.name == name);
        let mut mirrored = Vec::new();
        for (closing_scope, closing, opening, opening_scopes) in MIRRORS {
            let Some(close) = find(closing_scope, closing) else {
                continue;
            };
            let opens: Vec<usize> = opening_scopes.iter().filter_map(|&scope| find(scope, opening)).collect();
            let Some(changed_by) = opens.iter().filter_map(|&o| set_by[o]).max() else {
                continue;
            };
            // A setting of the closer's own keeps them: one for its place, or one for its action
            // everywhere unless that action is the opener's too (`[keys] board = "W"` names both).
            let own = set_by[close].is_some_and(|i| settings[i].scope.is_some() || settings[i].action.text != opening);
            if own {
                continue;
            }
            let opened_by: Vec<KeyChord> = opens.iter().flat_map(|&o| defaults.bindings[o].keys.clone()).collect();
            let mut keys: Vec<KeyChord> =
                defaults.bindings[close].keys.iter().filter(|k| !opened_by.contains(k)).copied().collect();
            for key in opens.iter().flat_map(|&o| &self.bindings[o].keys) {
                if !keys.contains(key) {
                    keys.push(*key);
                }
            }
            mirrored.push((close, keys, changed_by));
        }
        for (close, keys, changed_by) in mirrored {
            self.bindings[close].keys = keys;
            set_by[close] = Some(changed_by);
        }
    }

    /// Ctrl-c quits in every mode, typing included (the runner's own keys): another action on it
    /// would work in some places and quit in others.
    fn check_ctrl_c(&self, settings: &[KeySetting], set_by: &[Option<usize>]) -> Result<(), KeySettingError> {
        let ctrl_c = KeyChord::ctrl('c');
        match self.bindings.iter().enumerate().find(|(_, b)| b.name != "quit" && b.keys.contains(&ctrl_c)) {
            Some((index, binding)) => Err(KeySettingError {
                offset: set_by[index].map_or(0, |i| settings[i].action.offset),
                message: format!(
                    "keys.{}: ctrl-c always quits (also while typing a filter or a note); give {} another key",
                    binding.name, binding.name
                ),
            }),
            None => Ok(()),
        }
    }

    fn unknown_action(&self, name: &str) -> String {
        match crate::text::closest(name, self.bindings.iter().map(|b| b.name.as_ref())) {
            Some(near) => {
                format!("unknown action {name:?} (did you mean {near}?); `vigil config default` lists them all")
            }
            None => format!("unknown action {name:?}; `vigil config default` lists them all"),
        }
    }

    /// A key that means two actions in one place is an error naming both; the line pointed at is
    /// the setting that made it so.
    fn check_conflicts(&self, settings: &[KeySetting], set_by: &[Option<usize>]) -> Result<(), KeySettingError> {
        for context in KeyContext::all() {
            let mut seen: Vec<(KeyChord, usize)> = Vec::new();
            for index in self.applicable_indices(context) {
                let binding = &self.bindings[index];
                for key in &binding.keys {
                    match seen.iter().find(|(k, _)| k == key) {
                        Some(&(_, other)) if self.bindings[other].name != binding.name => {
                            let other_binding = &self.bindings[other];
                            let culprit = set_by[index].max(set_by[other]);
                            let offset = culprit.map_or(0, |i| settings[i].action.offset);
                            return Err(KeySettingError {
                                offset,
                                message: format!(
                                    "keys: {:?} would be both {} ({}) and {} ({}) in {}; give one of them another key",
                                    key.config_name(),
                                    other_binding.name,
                                    other_binding.scope.heading(),
                                    binding.name,
                                    binding.scope.heading(),
                                    context.named(),
                                ),
                            });
                        }
                        Some(_) => {}
                        None => seen.push((*key, index)),
                    }
                }
            }
        }
        Ok(())
    }

    /// Descriptions that name another action's key (`{detail}`) say the key in effect.
    fn describe_keys(&mut self) {
        let resolved: Vec<Option<String>> = self
            .bindings
            .iter()
            .map(|b| {
                let template = b.description.as_ref();
                if !template.contains('{') {
                    return None;
                }
                let mut out = template.to_string();
                for other in &self.bindings {
                    let placeholder = format!("{{{}}}", other.name);
                    if out.contains(&placeholder) {
                        out = out.replace(&placeholder, &self.key_label(b.scope.context(), &other.name));
                    }
                }
                Some(out)
            })
            .collect();
        for (binding, description) in self.bindings.iter_mut().zip(resolved) {
            if let Some(description) = description {
                binding.description = description.into();
            }
        }
    }

    /// The first key of the named action in a context, as the help shows keys: for text that
    /// tells the user what to press.
    /// Another context's binding serves when the action has none here (a list's "Backspace comes
    /// back" is the tables' key).
    pub fn key_label(&self, context: KeyContext, name: &str) -> String {
        let here = self.applicable(context).into_iter().find(|b| b.name == name);
        here.or_else(|| self.bindings.iter().find(|b| b.name == name))
            .and_then(|b| b.keys.first())
            .map_or_else(|| name.to_string(), ToString::to_string)
    }

    /// The config file's `[keys]` section with every binding in effect, commented out: what
    /// `vigil config default` prints. Uncommenting a line changes nothing until its keys are edited.
    pub fn config_section(&self) -> String {
        let names = NAMED_KEYS.iter().map(|(n, _, _)| *n).collect::<Vec<_>>().join(", ");
        let places: Vec<&str> = Scope::all().into_iter().map(Scope::config_name).collect();
        let mut out = comment(&format!(
            "Keys. Under [keys] an action's keys apply wherever the action is bound (refresh = [\"f5\", \"r\"]); \
             under [keys.PLACE] they apply there only. The places: {}.",
            places.join(", ")
        ));
        out.push_str(&comment(&format!(
            "A key is a character (\"x\", \"G\", \"?\"), f1 to f12 or a name ({names}), either after ctrl- or \
             alt-. A key that would mean two actions in one place is an error naming both. Typing (the filter, the \
             command line, a note) and the action menu's letters keep their keys."
        )));
        out.push_str("[keys]\n");
        for scope in Scope::all() {
            out.push_str(&format!("\n[keys.{}]\n", scope.config_name()));
            for binding in self.bindings.iter().filter(|b| b.scope == scope) {
                let keys: Vec<String> = binding.keys.iter().map(|k| format!("{:?}", k.config_name())).collect();
                let setting = format!("{} = [{}]", binding.name, keys.join(", "));
                out.push_str(&format!("# {setting:<34} # {}\n", binding.description));
            }
        }
        out
    }

    fn applicable_indices(&self, context: KeyContext) -> Vec<usize> {
        Self::scopes(context)
            .into_iter()
            .flat_map(|scope| (0..self.bindings.len()).filter(move |&i| self.bindings[i].scope == scope))
            .collect()
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

    fn setting(scope: Option<&str>, action: &str, keys: &[&str], offset: usize) -> KeySetting {
        let located = |text: &str| Located { text: text.to_string(), offset };
        KeySetting {
            scope: scope.map(located),
            action: located(action),
            keys: keys.iter().map(|k| located(k)).collect(),
        }
    }

    fn plain(c: char) -> KeyEvent {
        key(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn every_default_key_is_written_as_the_config_reads_it() {
        for binding in Keymap::default().bindings() {
            for k in &binding.keys {
                assert_eq!(KeyChord::parse(&k.config_name()), Ok(*k), "{} ({})", k.config_name(), binding.name);
            }
        }
        assert_eq!(KeyChord::parse("Ctrl-F"), Ok(KeyChord::ctrl('f')));
        assert_eq!(KeyChord::parse("F5"), Ok(KeyChord::plain(KeyCode::F(5))));
        assert_eq!(KeyChord::parse("PgDn"), Ok(KeyChord::plain(KeyCode::PageDown)));
        assert_eq!(KeyChord::parse("-"), Ok(KeyChord::char('-')));
        assert_eq!(KeyChord::parse("alt-x").map(|k| k.to_string()), Ok("Alt-x".to_string()));
        for bad in ["", "ctrl-", "f13", "hyper-x", "\u{1b}", "enterr"] {
            assert!(KeyChord::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_setting_for_everywhere_changes_every_place_and_one_for_a_place_only_that() {
        let km = Keymap::remapped(&[
            setting(None, "move-down", &["n"], 0),
            setting(None, "mark-seen", &["N"], 1),
            setting(Some("detail-view"), "move-down", &["ctrl-n"], 2),
        ])
        .unwrap();
        let findings = KeyContext::Table(PaneId::Findings);
        assert!(matches!(km.action_for(findings, &plain('n')), Some(Action::MoveDown)));
        assert!(km.action_for(findings, &plain('j')).is_none(), "the default key is replaced");
        assert!(matches!(km.action_for(findings, &plain('N')), Some(Action::MarkAllSeen)));
        assert!(matches!(km.action_for(KeyContext::Listing, &plain('n')), Some(Action::MoveDown)));
        let ctrl_n = key(KeyCode::Char('n'), KeyModifiers::CONTROL);
        assert!(matches!(km.action_for(KeyContext::Detail, &ctrl_n), Some(Action::MoveDown)));
        assert!(km.action_for(KeyContext::Detail, &plain('n')).is_none());
        // The hints and the help say the keys in effect.
        assert!(km.hints(findings).iter().all(|(k, _)| k != "j"));
        assert_eq!(km.key_label(KeyContext::Detail, "move-down"), "Ctrl-n");
    }

    #[test]
    fn a_key_meaning_two_actions_is_an_error_naming_both_at_the_later_setting() {
        let err =
            Keymap::remapped(&[setting(None, "radar", &["e"], 10), setting(None, "refresh", &["j"], 40)]).unwrap_err();
        assert_eq!(err.offset, 40);
        assert!(err.message.contains("\"j\" would be both"), "{}", err.message);
        assert!(err.message.contains("refresh") && err.message.contains("move-down"), "{}", err.message);
        // Different places never conflict: j refreshes in the tables, and still scrolls the detail.
        let err = Keymap::remapped(&[setting(Some("global"), "refresh", &["f"], 5)]).unwrap_err();
        assert!(
            ["exposures", "fraud", "advice", "attacks"].iter().any(|lens| err.message.contains(lens)),
            "{}",
            err.message
        );
        assert!(Keymap::remapped(&[setting(Some("detail-view"), "raw-json", &["r"], 0)]).is_ok());
    }

    #[test]
    fn unknown_names_places_and_empty_lists_are_errors_where_written() {
        let unknown = Keymap::remapped(&[setting(None, "refesh", &["x"], 7)]).unwrap_err();
        assert_eq!(unknown.offset, 7);
        assert!(unknown.message.contains("did you mean refresh?"), "{}", unknown.message);
        let place = Keymap::remapped(&[setting(Some("nowhere"), "quit", &["q"], 3)]).unwrap_err();
        assert!(place.message.contains("unknown place"), "{}", place.message);
        let wrong_place = Keymap::remapped(&[setting(Some("detail-view"), "sort", &["s"], 3)]).unwrap_err();
        assert!(wrong_place.message.contains("[keys.tables]"), "{}", wrong_place.message);
        let empty = Keymap::remapped(&[setting(None, "quit", &[], 3)]).unwrap_err();
        assert!(empty.message.contains("at least one key"), "{}", empty.message);
        // Two mistakes: the first in the file is the one reported, whatever its kind.
        let first =
            Keymap::remapped(&[setting(Some("detail-view"), "sort", &["s"], 1), setting(None, "refesh", &["x"], 9)])
                .unwrap_err();
        assert_eq!(first.offset, 1, "{}", first.message);
    }

    #[test]
    fn place_names_are_never_action_names() {
        // TOML cannot hold `help = "h"` under [keys] beside a [keys.help] table.
        let km = Keymap::default();
        for place in Scope::all().into_iter().map(Scope::config_name) {
            assert!(km.bindings().iter().all(|b| b.name != place), "{place} is an action too");
        }
    }

    #[test]
    fn keys_a_terminal_cannot_send_as_written_are_refused_saying_what_it_sends() {
        for (text, says) in [
            ("ctrl-i", "sends it as tab"),
            ("ctrl-m", "sends it as enter"),
            ("ctrl-[", "sends it as esc"),
            ("ctrl-2", "sends it as ctrl-space"),
            ("ctrl-?", "sends it as backspace"),
            ("ctrl-enter", "as plain enter"),
            ("ctrl-tab", "as plain tab"),
            ("ctrl-1", "does not send Ctrl with '1'"),
            ("ctrl-,", "does not send Ctrl with ','"),
            ("ctrl-`", "sends it as ctrl-space"),
            ("alt-O", "escape sequence"),
            ("alt-[", "escape sequence"),
            ("alt-esc", "escape sequence"),
        ] {
            let err = KeyChord::parse(text).unwrap_err();
            assert!(err.contains(says), "{text}: {err}");
        }
        for fine in ["ctrl-space", "ctrl-4", "ctrl-up", "ctrl-pagedown", "ctrl-f5", "alt-enter", "ctrl-R"] {
            assert!(KeyChord::parse(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn ctrl_c_stays_with_quit() {
        let err =
            Keymap::remapped(&[setting(None, "quit", &["Q"], 1), setting(None, "mark", &["ctrl-c"], 9)]).unwrap_err();
        assert_eq!(err.offset, 9);
        assert!(err.message.contains("ctrl-c always quits"), "{}", err.message);
        let km = Keymap::remapped(&[setting(None, "quit", &["Q"], 1)]).unwrap();
        let ctrl_c = key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for context in KeyContext::all() {
            assert!(matches!(km.action_for(context, &ctrl_c), Some(Action::Quit)), "ctrl-c quits in {context:?}");
        }
        assert!(matches!(km.action_for(KeyContext::Board, &plain('Q')), Some(Action::Quit)));
    }

    #[test]
    fn the_key_that_opens_the_help_or_the_board_also_closes_it() {
        let km =
            Keymap::remapped(&[setting(None, "help", &["h"], 0), setting(Some("tables"), "board", &["W"], 1)]).unwrap();
        assert!(matches!(km.action_for(KeyContext::Help, &plain('h')), Some(Action::Back)));
        assert!(km.action_for(KeyContext::Help, &plain('?')).is_none());
        assert!(matches!(km.action_for(KeyContext::Help, &key(KeyCode::Esc, KeyModifiers::NONE)), Some(Action::Back)));
        assert!(matches!(km.action_for(KeyContext::Board, &plain('W')), Some(Action::ToggleBoard)));
        assert!(km.action_for(KeyContext::Board, &plain('B')).is_none());
        // One setting for everywhere sets the board's own binding too: Esc still leaves it.
        let km = Keymap::remapped(&[setting(None, "board", &["W"], 0)]).unwrap();
        let esc = key(KeyCode::Esc, KeyModifiers::NONE);
        assert!(matches!(km.action_for(KeyContext::Board, &esc), Some(Action::ToggleBoard)));
        assert!(matches!(km.action_for(KeyContext::Board, &plain('W')), Some(Action::ToggleBoard)));
        // The tables' own key for the board leaves it, whatever [keys] said.
        let km = Keymap::remapped(&[setting(None, "board", &["W"], 0), setting(Some("tables"), "board", &["X"], 1)])
            .unwrap();
        assert!(matches!(km.action_for(KeyContext::Board, &plain('X')), Some(Action::ToggleBoard)));
        assert!(matches!(km.action_for(KeyContext::Board, &esc), Some(Action::ToggleBoard)));
        // The help opened from the board closes with the board's help key.
        let km = Keymap::remapped(&[setting(Some("war-room"), "help", &["h"], 0)]).unwrap();
        assert!(matches!(km.action_for(KeyContext::Board, &plain('h')), Some(Action::ToggleHelp)));
        assert!(matches!(km.action_for(KeyContext::Help, &plain('h')), Some(Action::Back)));
        assert!(matches!(km.action_for(KeyContext::Help, &plain('?')), Some(Action::Back)), "the tables' ? too");
        // The closer's own setting wins.
        let km = Keymap::remapped(&[setting(None, "help", &["h"], 0), setting(None, "close", &["ctrl-q"], 1)]).unwrap();
        assert!(km.action_for(KeyContext::Help, &plain('h')).is_none());
    }

    #[test]
    fn descriptions_name_other_actions_keys_in_effect() {
        let default = Keymap::default();
        let group = default.bindings().iter().find(|b| b.name == "group").unwrap();
        assert!(group.description.contains("(Enter opens a group)"), "{}", group.description);
        let km = Keymap::remapped(&[setting(None, "detail", &["l"], 0)]).unwrap();
        let group = km.bindings().iter().find(|b| b.name == "group").unwrap();
        assert!(group.description.contains("(l opens a group)"), "{}", group.description);
        assert!(km.bindings().iter().all(|b| !b.description.contains('{')));
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
