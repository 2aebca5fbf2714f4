//! Typing: the filter line, the `:` line (its commands from `crate::command`, Tab completion) and
//! the note a Security Hub update needs.

use super::{App, MAX_INPUT_CHARS, MAX_NOTE_CHARS, MessageLevel, Mode};
use crate::action::{Effect, InputEdit};
use crate::keymap::KeyContext;
use crate::view::GroupBy;

impl App {
    pub(super) fn edit_input(&mut self, edit: InputEdit) -> Vec<Effect> {
        match edit {
            InputEdit::Char(c) => {
                self.type_char(c);
            }
            InputEdit::Backspace => {
                self.modes.input.pop();
            }
            InputEdit::Complete => {
                if self.modes.mode == Mode::Command {
                    self.complete_command();
                }
                return Vec::new();
            }
            InputEdit::DeleteWord => {
                let trimmed = self.modes.input.trim_end().len();
                let cut = self.modes.input[..trimmed].rfind(' ').map(|i| i + 1).unwrap_or(0);
                self.modes.input.truncate(cut);
            }
            InputEdit::Submit if self.modes.mode == Mode::Note => {
                if self.modes.input.trim().is_empty() {
                    self.modes.message =
                        Some((MessageLevel::Error, "a note is required: it becomes the finding's Note".into()));
                    return Vec::new();
                }
                if let Some(draft) = &mut self.draft {
                    draft.note = std::mem::take(&mut self.modes.input).trim().to_string();
                }
                self.modes.mode = Mode::Confirm;
                return Vec::new();
            }
            InputEdit::Submit => {
                let text = std::mem::take(&mut self.modes.input);
                let mode = std::mem::replace(&mut self.modes.mode, Mode::Normal);
                if mode == Mode::Command {
                    return self.run_command(text.trim());
                }
                return Vec::new();
            }
            InputEdit::Cancel => {
                if self.modes.mode == Mode::Filter {
                    self.set_filter(String::new());
                }
                if self.modes.mode == Mode::Note {
                    self.draft = None;
                    self.modes.message = Some((MessageLevel::Info, "cancelled: nothing was changed".into()));
                }
                self.modes.input.clear();
                self.modes.mode = Mode::Normal;
                return Vec::new();
            }
        }
        if self.modes.mode == Mode::Filter {
            self.set_filter(self.modes.input.clone());
        }
        Vec::new()
    }

    /// Completes the `:` line's command name: to the one command it can be, else to what every
    /// candidate shares, and says the candidates.
    pub(super) fn complete_command(&mut self) {
        if let Some(prefix) = self.modes.input.strip_prefix("view ") {
            let names: Vec<String> =
                self.views.iter().map(|v| v.name.clone()).filter(|n| n.starts_with(prefix.trim_start())).collect();
            match names.as_slice() {
                [] => self.modes.message = Some((MessageLevel::Info, format!("no view starts with '{prefix}'"))),
                [one] => self.modes.input = format!("view {one}"),
                several => self.modes.message = Some((MessageLevel::Info, format!("views: {}", several.join("  ")))),
            }
            return;
        }
        if self.modes.input.contains(' ') {
            return;
        }
        let words = crate::command::complete(&self.modes.input);
        match words.as_slice() {
            [] => {
                self.modes.message =
                    Some((MessageLevel::Info, format!("no command starts with '{}'", self.modes.input)))
            }
            [one] => self.modes.input = format!("{one} "),
            several => {
                let shared = several.iter().skip(1).fold(several[0].clone(), |common, w| {
                    common.chars().zip(w.chars()).take_while(|(a, b)| a == b).map(|(a, _)| a).collect()
                });
                if shared.len() > self.modes.input.len() {
                    self.modes.input = shared;
                }
                self.modes.message = Some((MessageLevel::Info, format!(":{}", several.join("  :"))));
            }
        }
    }

    /// Adds one typed character to the input, within its cap; false once the cap is reached.
    pub(super) fn type_char(&mut self, c: char) -> bool {
        if c.is_control() {
            return true;
        }
        let (cap, what) = match self.modes.mode {
            Mode::Note => (MAX_NOTE_CHARS, "a note"),
            _ => (MAX_INPUT_CHARS, "the input line"),
        };
        if self.modes.input.chars().count() >= cap {
            self.modes.message = Some((MessageLevel::Error, format!("{what} is limited to {cap} characters")));
            return false;
        }
        self.modes.input.push(c);
        true
    }

    /// Whether Enter confirms the dialog shown now. After a note it does not: the Enter that
    /// submitted the note (or a repeat of it) must not also send the action; `y` does.
    pub fn enter_confirms(&self) -> bool {
        self.draft.as_ref().is_some_and(|d| d.note.is_empty())
    }

    /// A `:` command, from the one command table (`crate::command`): a command's name or alias,
    /// with its argument for those that take one.
    pub(super) fn run_command(&mut self, line: &str) -> Vec<Effect> {
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
            self.modes.message =
                Some((MessageLevel::Error, format!("unknown command :{verb} ({hint}{help} lists every command)")));
            return Vec::new();
        };
        match command.name.as_str() {
            "filter" if !rest.is_empty() => {
                self.set_filter(rest.to_string());
                Vec::new()
            }
            "ctx" => self.choose_context(rest),
            "history" => self.open_history(rest),
            "view" => self.apply_view(rest),
            "login" if !rest.is_empty() => self.login(Some(rest)),
            "columns" => {
                self.choose_columns(rest);
                Vec::new()
            }
            "group" => {
                let offered = self.pane(self.current).groupings();
                match rest {
                    "off" | "none" | "flat" => self.group(None),
                    "" => {
                        let now = self.pane(self.current).grouping().map_or("nothing", |g| g.name());
                        self.modes.message =
                            Some((MessageLevel::Info, format!("grouped by {now}; :group {} or off", GroupBy::list())));
                    }
                    key => match GroupBy::parse(key) {
                        Some(by) if offered.contains(&by) => self.group(Some(by)),
                        _ => {
                            self.modes.message = Some((
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
