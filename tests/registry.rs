//! The pane registry is the one place a pane is declared: every surface that names panes (keys,
//! `:` commands, `--pane`, config keys, help, docs, snapshot JSON, refresh defaults) must name
//! every pane in it. A pane added to the registry and forgotten anywhere fails here.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use clap::Parser;
use common::loaded_app;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use vigil::action::{Action, Effect};
use vigil::app::{App, RefreshPolicy};
use vigil::cli::{Cli, Command};
use vigil::config::Config;
use vigil::keymap::{KeyContext, Keymap};
use vigil::pane::{PaneId, REGISTRY};

fn doc(name: &str) -> String {
    std::fs::read_to_string(format!("{}/docs/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn the_registry_and_the_enum_agree() {
    assert_eq!(REGISTRY.len(), PaneId::ALL.len());
    for (i, spec) in REGISTRY.iter().enumerate() {
        assert_eq!(spec.id, PaneId::ALL[i]);
        assert_eq!(spec.id.index(), i);
        assert_eq!(spec.id.spec(), spec);
    }
}

#[test]
fn every_pane_has_a_digit_key_and_a_colon_command() {
    let keymap = Keymap::default();
    let table = KeyContext::Table(PaneId::Findings);
    for spec in REGISTRY {
        let digit = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(spec.id.digit().unwrap()));
        assert!(
            matches!(keymap.action_for(table, &digit), Some(Action::ShowPane(p)) if p == spec.id),
            "{} has no digit key",
            spec.title
        );
        let listed = vigil::command::find(spec.command).expect("the command table has the pane");
        assert!(matches!(listed.action, Some(Action::ShowPane(p)) if p == spec.id), ":{}", spec.command);
        assert!(
            vigil::command::complete(&spec.command[..2]).iter().any(|c| c == spec.command),
            "Tab completes :{}",
            spec.command
        );
        // The command itself works.
        let mut app = loaded_app(40, 80, 24);
        app.update(Action::OpenCommandLine);
        common::type_text(&mut app, spec.command);
        app.update(Action::Input(vigil::action::InputEdit::Submit));
        assert_eq!(app.current(), spec.id, ":{}", spec.command);
    }
}

#[test]
fn every_pane_is_a_pane_flag_value() {
    for spec in REGISTRY {
        for name in [spec.command].iter().chain(spec.aliases) {
            let cli = Cli::try_parse_from(["vigil", "snapshot", "--pane", name]).unwrap();
            let Some(Command::Snapshot(args)) = cli.command else { panic!("snapshot") };
            assert_eq!(args.panes, vec![spec.id], "--pane {name}");
        }
    }
    let err = Cli::try_parse_from(["vigil", "snapshot", "--pane", "nope"]).unwrap_err().to_string();
    for spec in REGISTRY {
        assert!(err.contains(spec.command), "the error lists {}: {err}", spec.command);
    }
}

#[test]
fn every_pane_has_a_config_key_and_refresh_defaults() {
    for spec in REGISTRY {
        let config = Config::parse(&format!("[refresh]\n{} = 42\n", spec.config_key), "c.toml").unwrap();
        let seconds = config.refresh_seconds();
        for other in PaneId::ALL {
            let expected = (other == spec.id).then_some(42);
            assert_eq!(seconds[other], expected, "{} sets only {}", spec.config_key, spec.title);
        }
        let policy = RefreshPolicy::aws().with_overrides(&seconds);
        assert_eq!(policy.interval(spec.id).num_seconds(), 42);
        assert!(RefreshPolicy::demo().interval(spec.id).num_seconds() > 0);
        assert!(RefreshPolicy::aws().interval(spec.id).num_seconds() >= 10);
    }
}

#[test]
fn a_fresh_app_fetches_every_pane_once() {
    let source = common::demo_source(40);
    let mut app = App::new(vigil::source::Source::info(&source), common::fixed_now(), RefreshPolicy::demo());
    let effects = app.update(Action::Tick(common::fixed_now()));
    for spec in REGISTRY {
        let fetches = effects.iter().filter(|e| matches!(e, Effect::Fetch { pane, .. } if *pane == spec.id)).count();
        assert_eq!(fetches, 1, "{}", spec.title);
    }
}

#[test]
fn help_names_every_pane_and_every_pane_draws() {
    for spec in REGISTRY {
        let mut app = loaded_app(40, 200, 80);
        app.update(Action::ShowPane(spec.id));
        let mut terminal = Terminal::new(TestBackend::new(200, 80)).unwrap();
        terminal.draw(|f| vigil::ui::draw(f, &app, &vigil::ui::theme::Theme::default())).unwrap();
        let screen = format!("{:?}", terminal.backend());
        assert!(screen.contains(&format!(" {} ", spec.title)), "{} draws its title line", spec.title);
        app.update(Action::ToggleHelp);
        terminal.draw(|f| vigil::ui::draw(f, &app, &vigil::ui::theme::Theme::default())).unwrap();
        let help = format!("{:?}", terminal.backend());
        for other in REGISTRY {
            assert!(help.contains(other.title), "help on {} names {}", spec.title, other.title);
        }
    }
}

#[test]
fn the_docs_name_every_pane() {
    let keys = doc("keybindings.md");
    let guide = doc("user-guide.md");
    let snapshot = doc("snapshot-format.md");
    for spec in REGISTRY {
        assert!(keys.contains(spec.title), "keybindings.md names {}", spec.title);
        assert!(keys.contains(&format!(":{}", spec.command)), "keybindings.md names :{}", spec.command);
        assert!(
            guide.contains(&format!("### {} {}", spec.id.digit().unwrap(), spec.title)),
            "user-guide.md has a section"
        );
        assert!(
            guide.contains(&format!("\n{} = ", spec.config_key)),
            "user-guide.md shows refresh.{}",
            spec.config_key
        );
        assert!(snapshot.contains(&format!("### `{}", spec.config_key)), "snapshot-format.md has {}", spec.config_key);
    }
}

#[test]
fn the_snapshot_json_has_a_key_per_pane() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["snapshot", "--demo", "--format", "json", "--scale", "40"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for spec in REGISTRY {
        assert!(json.get(spec.config_key).is_some(), "snapshot JSON lacks {}", spec.config_key);
        // Errors and NDJSON records name panes by the same key.
        assert_eq!(serde_json::to_value(spec.id).unwrap(), spec.config_key);
    }
}

/// Every pane says of every hook whether it uses it (`PaneSpec::hooks`), once; and what it says
/// holds on the demo's data: a pane that declares a hook does something through it, and one that
/// leaves it out does nothing through it.
#[test]
fn every_pane_declares_every_hook_once_and_the_declaration_holds() {
    use vigil::app::listing::Jump;
    use vigil::app::triage::{MenuCommand, menu};
    use vigil::model::SeverityLabel;
    use vigil::pane::Hook;
    let source = common::demo_source(400);
    let now = common::fixed_now();
    let app = loaded_app(400, 200, 60);
    let board = vigil::ui::panes::board_panels();
    for spec in REGISTRY {
        for hook in Hook::ALL {
            let said = spec.hooks.iter().filter(|d| d.hook() == hook).count();
            assert_eq!(said, 1, "{} declares {hook:?} {said} times", spec.title);
        }
        let data = source.generate(spec.id, now);
        let json = |d: &vigil::model::PaneData| serde_json::to_string(d).unwrap();
        let does = |hook: Hook| -> bool {
            match hook {
                Hook::Alerts => data.alerts(SeverityLabel::Informational, now).is_some(),
                Hook::Due => !data.due(now).is_empty(),
                Hook::Related => {
                    let key = app.pane(spec.id).view().visible.first().and_then(|_| app.pane(spec.id).selected_key());
                    key.is_some_and(|key| app.panes().subject(&Jump { pane: spec.id, key }).is_some())
                }
                Hook::BoardPanel => board.iter().any(|(pane, _)| *pane == spec.id),
                Hook::PaneKeys => spec.lens.is_some() || !spec.keys.is_empty(),
                Hook::Actions => menu(spec.id).iter().any(|e| matches!(e.command, MenuCommand::Triage(_))),
                Hook::PlaceInContext => {
                    let mut placed = data.clone();
                    // Rows that do not say their account; the demo's own say none.
                    let mut stripped: serde_json::Value = serde_json::to_value(&placed).unwrap();
                    strip_accounts(&mut stripped);
                    // A pane whose records must say their account keeps them (nothing to place).
                    placed = serde_json::from_value(stripped).unwrap_or(placed);
                    let before = json(&placed);
                    placed.place_in_context("999999999999", "eu-west-9");
                    json(&placed) != before
                }
                Hook::MergeDedupe => {
                    let mut marked = data.clone();
                    marked.mark_context("999999999999", "eu-west-9", true);
                    let mut twice = marked.clone();
                    twice.absorb(marked.clone()).unwrap();
                    twice.without_repeats(now);
                    json(&marked) != json(&data) || twice.record_count() != 2 * marked.record_count()
                }
            }
        };
        for hook in Hook::ALL {
            assert_eq!(spec.uses(hook), does(hook), "{}: declared {hook:?} {}", spec.title, spec.uses(hook));
        }
    }
}

/// Removes every `"account"` a record says, so placing rows in an account has work to do.
fn strip_accounts(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if map.get("account").is_some_and(|a| a.is_string()) {
                map.insert("account".into(), serde_json::Value::Null);
            }
            map.values_mut().for_each(strip_accounts);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_accounts),
        _ => {}
    }
}
