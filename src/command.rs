//! The one command table, in the spirit of gitui's `CommandInfo`: every command a person can give
//! has one row here with its name (the config's `[keys]` name and its `:` command), the other `:`
//! words for it, the argument it takes and what it does. The keymap names its bindings' actions
//! from it, `:` runs it, the help overlay lists it and docs/keybindings.md is checked against it;
//! a pane's own commands (its lens, its keys) come from its registry entry.

use crate::action::Action;
use crate::pane::{PaneId, REGISTRY};

/// One command.
#[derive(Debug, Clone)]
pub struct Command {
    /// Its name in the config's `[keys]` and as a `:` command.
    pub name: String,
    /// Other words `:` accepts for it.
    pub aliases: &'static [&'static str],
    /// What it takes after its name on the `:` line, if anything ("type|resource|…").
    pub argument: Option<&'static str>,
    /// What it does, for the help overlay and the `:` completion.
    pub description: String,
    /// What it does; `None` for commands of the `:` line only (an argument decides).
    pub action: Option<Action>,
}

fn command(name: &str, aliases: &'static [&'static str], action: Action, description: &str) -> Command {
    Command { name: name.into(), aliases, argument: None, description: description.into(), action: Some(action) }
}

fn with_argument(name: &str, aliases: &'static [&'static str], argument: &'static str, description: &str) -> Command {
    Command { name: name.into(), aliases, argument: Some(argument), description: description.into(), action: None }
}

/// Every command, in the order the help lists them.
pub fn commands() -> Vec<Command> {
    let mut all = vec![
        command("quit", &["q", "q!", "exit"], Action::Quit, "quit"),
        command("help", &["h"], Action::ToggleHelp, "every key and command"),
        command("refresh", &["r"], Action::Refresh, "refresh this pane now"),
        command("refresh-all", &[], Action::RefreshAll, "refresh every pane now"),
        Command {
            argument: Some("[PROFILE]"),
            ..command(
                "login",
                &["sso-login"],
                Action::Login,
                "run aws sso login for this profile here (an expired SSO session), then refresh",
            )
        },
        command("next-pane", &[], Action::NextPane, "next pane"),
        command("previous-pane", &[], Action::PreviousPane, "previous pane"),
        command("command-line", &[], Action::OpenCommandLine, "the : command line"),
        command("move-down", &[], Action::MoveDown, "next row (scroll down)"),
        command("move-up", &[], Action::MoveUp, "previous row (scroll up)"),
        command("page-down", &[], Action::PageDown, "page down"),
        command("page-up", &[], Action::PageUp, "page up"),
        command("first", &["top"], Action::First, "first row (top)"),
        command("last", &["bottom"], Action::Last, "last row (bottom)"),
        Command {
            argument: Some("WORDS"),
            ..command("filter", &[], Action::OpenFilter, "filter as you type (:filter WORDS sets it)")
        },
        command("clear-filter", &[], Action::ClearFilter, "clear the filter"),
        command("sort", &[], Action::CycleSort, "sort by the next column shown"),
        command("reverse-sort", &[], Action::ReverseSort, "reverse the sort"),
        Command {
            argument: Some("type|resource|product|account|control|off"),
            ..command("group", &["g"], Action::CycleGrouping, "group the rows by the next grouping, or by one key")
        },
        command("actions", &[], Action::OpenActionMenu, "actions on the selected or marked rows"),
        command("mark", &[], Action::ToggleMark, "mark / unmark the row for a bulk action"),
        command("mark-visible", &[], Action::ToggleMarkVisible, "mark / unmark every row the filter shows"),
        command("detail", &[], Action::OpenDetail, "detail of the selected row"),
        command("raw-json", &[], Action::ToggleRawJson, "raw JSON record / fields"),
        command("close", &[], Action::Back, "close the overlay"),
        command("radar", &["expiry", "due"], Action::OpenRadar, "expiry radar: what falls due, by days left"),
        command(
            "board",
            &["warroom", "war-room"],
            Action::ToggleBoard,
            "war-room board: the whole account on one screen",
        ),
        command("side-detail", &[], Action::ToggleSideDetail, "detail beside the list on wide screens"),
        command("related", &["pivot", "about"], Action::OpenRelated, "everything about the row's resource"),
        command("go", &[], Action::Jump, "go to the list's item in its pane"),
        command("jump-back", &[], Action::JumpBack, "back to where the last jump came from"),
        command(
            "rules",
            &["automation-rules"],
            Action::OpenAutomationRules,
            "Security Hub's automation rules here (those x R made among them); d deletes one",
        ),
        command("delete-rule", &[], Action::DeleteListedRule, "delete the automation rule selected in :rules"),
        with_argument(
            "history",
            &["since"],
            "[KIND] [WINDOW]",
            "the row's history in Security Lake through Athena (KIND resource|ip|principal|type|control|waf-top, WINDOW 36h|7d|2w)",
        ),
        command("stop-history", &[], Action::StopHistory, "stop the running :history query (StopQueryExecution)"),
        command(
            "rerun-history",
            &[],
            Action::RerunHistory,
            "ask the :history question again (Athena, not the session's answer)",
        ),
        command("pii", &[], Action::TogglePii, "reveal / mask e-mail addresses and phone numbers"),
        command("scope", &["all"], Action::ToggleScope, "widen / narrow the pane's scope"),
        command("mark-seen", &["seen"], Action::MarkAllSeen, "mark every new finding as seen"),
        with_argument("ctx", &["context"], "N|all|PROFILE REGION", "list or switch the contexts"),
        with_argument("view", &["v"], "NAME", "show a saved view ([views.NAME] in the config); lists them"),
        with_argument(
            "columns",
            &["cols"],
            "NAME…|all",
            "show only these columns of the pane (as the width allows); all shows every one; lists them",
        ),
    ];
    for spec in REGISTRY {
        let mut aliases: Vec<&'static str> = vec![spec.command];
        aliases.extend(spec.aliases);
        all.push(Command {
            name: format!("show-{}", spec.config_key),
            aliases: Box::leak(aliases.into_boxed_slice()),
            argument: None,
            description: format!("the {} pane", spec.title),
            action: Some(Action::ShowPane(spec.id)),
        });
        if let Some(lens) = spec.lens {
            all.push(Command {
                name: lens.name.into(),
                aliases: lens.aliases,
                argument: None,
                description: lens.description.into(),
                action: Some(Action::OpenLens(spec.id)),
            });
        }
    }
    all
}

/// The command a `:` word names: its name, an alias, or (for a pane) any of the pane's names.
pub fn find(word: &str) -> Option<Command> {
    let word = word.trim();
    if let Some(pane) = PaneId::parse(word) {
        return commands().into_iter().find(|c| matches!(c.action, Some(Action::ShowPane(p)) if p == pane));
    }
    commands().into_iter().find(|c| c.name == word || c.aliases.contains(&word))
}

/// The config name of a command's action (where a command has one).
pub fn name_of(action: &Action) -> Option<String> {
    commands().into_iter().find(|c| c.action.as_ref().is_some_and(|a| same(a, action))).map(|c| c.name)
}

/// The action a command name stands for.
pub fn action_named(name: &str) -> Option<Action> {
    commands().into_iter().find(|c| c.name == name).and_then(|c| c.action)
}

fn same(a: &Action, b: &Action) -> bool {
    match (a, b) {
        (Action::ShowPane(x), Action::ShowPane(y)) | (Action::OpenLens(x), Action::OpenLens(y)) => x == y,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// The `:` words that start with `prefix`, for completion: names first, then aliases.
pub fn complete(prefix: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in commands() {
        for word in std::iter::once(c.name.as_str()).chain(c.aliases.iter().copied()) {
            if word.starts_with(prefix) && !words.iter().any(|w| w == word) {
                words.push(word.to_string());
            }
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_names_one_command_and_names_come_back() {
        let all = commands();
        let mut seen: std::collections::HashMap<&str, &str> = Default::default();
        for c in &all {
            for word in std::iter::once(c.name.as_str()).chain(c.aliases.iter().copied()) {
                let owner = seen.entry(word).or_insert(c.name.as_str());
                assert_eq!(*owner, c.name.as_str(), "`{word}` names two commands");
            }
            if let Some(action) = &c.action {
                assert_eq!(name_of(action).as_deref(), Some(c.name.as_str()), "{c:?}");
            }
        }
        assert!(matches!(find("certs").and_then(|c| c.action), Some(Action::ShowPane(PaneId::Certificates))));
        assert!(matches!(find("q").and_then(|c| c.action), Some(Action::Quit)));
        assert!(complete("re").contains(&"refresh".to_string()));
    }
}
