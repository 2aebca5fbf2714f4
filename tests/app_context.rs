//! Every fetch and action carries the context (profile, account, region) it was made for, and a
//! result for a context that is no longer shown is dropped, never installed into another
//! account's view.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use common::{demo_source, fixed_now, loaded_app};
use vigil::action::{Action, Effect};
use vigil::app::Mode;
use vigil::model::Context;
use vigil::model::triage::TargetOutcome;
use vigil::pane::PaneId;
use vigil::source::{Source, SourceInfo};

fn other_account(app: &vigil::app::App) -> SourceInfo {
    SourceInfo { account: "999999999999".into(), region: "eu-central-1".into(), ..app.info().clone() }
}

fn fetch_request(effects: &[Effect], wanted: PaneId) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { request, pane, .. } if *pane == wanted => Some(*request),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fetch of {wanted:?} in {effects:?}"))
}

fn loaded(request: u64, context: &Context, data: vigil::model::PaneData) -> Action {
    Action::Loaded {
        request: Some(request),
        context: context.clone(),
        pane: data.pane(),
        at: fixed_now(),
        result: Ok(data.into()),
        index: None,
    }
}

#[test]
fn every_fetch_names_the_context_shown() {
    let mut app = loaded_app(40, 80, 24);
    let effects = app.update(Action::Refresh);
    assert!(
        matches!(effects.as_slice(), [Effect::Fetch { pane: PaneId::Findings, context, .. }] if context == app.context()),
        "{effects:?}"
    );
    assert_eq!(app.context(), &demo_source(40).info().context());
}

#[test]
fn a_result_for_another_context_is_dropped() {
    let mut app = loaded_app(40, 80, 24);
    let old = app.context().clone();
    let shown_before = app.secrets().rows.len();
    assert!(shown_before > 0);
    app.update(Action::ShowPane(PaneId::Secrets));
    let first = fetch_request(&app.update(Action::Refresh), PaneId::Secrets);

    assert!(app.board_state().counts().is_some() && !app.board_state().due().is_empty());
    let effects = app.update(Action::SwitchContext(other_account(&app)));
    let new = app.context().clone();
    assert_ne!(old, new);
    // What was shown belonged to the old account: it is gone, and every pane is asked for anew.
    assert!(app.secrets().rows.is_empty());
    // So is the board's: its hour's change would compare two accounts.
    assert!(app.board_state().counts().is_none() && app.board_state().due().is_empty());
    assert!(app.board_state().newest.is_empty());
    assert!(app.findings().table.rows.is_empty() && app.users().pools.is_empty());
    assert_eq!(app.compliance().summary_score, None);
    for pane in PaneId::ALL {
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::Fetch { pane: p, context, .. } if *p == pane && *context == new)),
            "{pane:?}"
        );
    }
    let second = fetch_request(&effects, PaneId::Secrets);

    // The old account's refresh lands late: dropped, the pane still waits for its own.
    let data = demo_source(40).generate(PaneId::Secrets, fixed_now());
    app.update(loaded(first, &old, data.clone()));
    assert!(app.secrets().rows.is_empty(), "another account's secrets were installed");
    assert!(app.pane(PaneId::Secrets).status().in_flight, "the new context's fetch is still awaited");

    // Its own arrives: installed.
    app.update(loaded(second, &new, data.clone()));
    assert_eq!(app.secrets().rows.len(), shown_before);
    assert!(!app.pane(PaneId::Secrets).status().in_flight);
}

#[test]
fn after_switching_away_and_back_only_the_latest_request_counts() {
    let mut app = loaded_app(40, 80, 24);
    let home = app.context().clone();
    app.update(Action::ShowPane(PaneId::Secrets));
    let first = fetch_request(&app.update(Action::Refresh), PaneId::Secrets);
    app.update(Action::SwitchContext(other_account(&app)));
    let back = app.update(Action::SwitchContext(demo_source(40).info()));
    let latest = fetch_request(&back, PaneId::Secrets);
    assert_ne!(first, latest);

    // The first request answers for the right context, but it is not the one awaited.
    let data = demo_source(40).generate(PaneId::Secrets, fixed_now());
    app.update(loaded(first, &home, data.clone()));
    assert!(app.secrets().rows.is_empty());
    assert!(app.pane(PaneId::Secrets).status().in_flight, "one refresh per pane in flight, still");
    assert!(app.update(Action::Refresh).is_empty(), "no second fetch while the latest is in flight");

    app.update(loaded(latest, &home, data));
    assert!(!app.secrets().rows.is_empty());
}

#[test]
fn an_action_result_from_another_context_is_shown_but_touches_nothing() {
    let mut app = loaded_app(40, 80, 24);
    let old = app.context().clone();
    common::select_a_user(&mut app);
    app.update(Action::OpenActionMenu);
    app.update(Action::MenuChoice('d'));
    let effects = app.update(Action::ConfirmYes);
    let [Effect::Apply { request, action, targets, context, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(context, &old);
    assert!(app.applying());

    app.update(Action::SwitchContext(other_account(&app)));
    // A second action cannot start while the first runs: its result would take the first's place.
    app.update(Action::ShowPane(PaneId::Users));
    let second = app.update(Action::ConfirmYes);
    assert!(second.is_empty());

    let effects = app.update(Action::Applied {
        request: *request,
        context: old.clone(),
        pane: PaneId::Users,
        action: action.clone(),
        outcomes: vec![TargetOutcome::ok(targets[0].clone())],
        audit_error: None,
    });
    // Nothing is lost: the outcome is on screen, labelled with where it happened.
    assert_eq!(app.mode(), Mode::Outcome);
    assert!(!app.applying());
    let outcome = app.outcome().unwrap();
    assert_eq!(outcome.outcomes.len(), 1);
    assert!(outcome.description.contains("disable user"), "{}", outcome.description);
    assert!(outcome.description.contains(&old.account), "{}", outcome.description);
    // But no refresh is asked of the view shown now.
    assert!(effects.is_empty(), "{effects:?}");
}

#[test]
fn a_second_action_waits_for_the_first() {
    let mut app = loaded_app(40, 80, 24);
    common::select_a_user(&mut app);
    app.update(Action::OpenActionMenu);
    app.update(Action::MenuChoice('d'));
    assert_eq!(app.update(Action::ConfirmYes).len(), 1);
    app.update(Action::OpenActionMenu);
    app.update(Action::MenuChoice('d'));
    assert_eq!(app.mode(), Mode::Confirm);
    assert!(app.update(Action::ConfirmYes).is_empty(), "not sent while the first runs");
    assert!(app.message().is_some_and(|(_, m)| m.contains("still running")), "{:?}", app.message());
}

#[test]
fn the_same_context_again_changes_nothing() {
    let mut app = loaded_app(40, 80, 24);
    let before = app.secrets().rows.len();
    let effects = app.update(Action::SwitchContext(app.info().clone()));
    assert!(effects.is_empty());
    assert_eq!(app.secrets().rows.len(), before);
}

fn command(app: &mut vigil::app::App, text: &str) -> Vec<Effect> {
    app.update(Action::OpenCommandLine);
    common::type_text(app, text);
    app.update(Action::Input(vigil::action::InputEdit::Submit))
}

fn choice(profile: &str, region: &str) -> vigil::model::ContextChoice {
    vigil::model::ContextChoice { profile: Some(profile.into()), region: Some(region.into()) }
}

#[test]
fn ctx_lists_the_contexts_switches_when_connected_and_keeps_each_profiles_read_only() {
    let contexts = vec![
        (choice("dev", "eu-west-1"), false),
        (choice("dev", "us-east-1"), false),
        (choice("prod", "eu-west-1"), true),
    ];
    let mut app = loaded_app(40, 120, 30).with_contexts(contexts);
    assert!(command(&mut app, "ctx").is_empty());
    let listed = app.message().unwrap().1.clone();
    assert!(listed.contains("*1 dev eu-west-1") && listed.contains("3 prod eu-west-1"), "{listed}");

    // By number or by a unique part of its name; nothing changes until the runner has connected.
    let effects = command(&mut app, "ctx prod");
    assert!(matches!(effects.as_slice(), [Effect::SwitchTo { index: 2, .. }]), "{effects:?}");
    assert!(app.message().unwrap().1.contains("connecting to prod eu-west-1"));
    assert!(!app.findings().table.rows.is_empty(), "the shown context stays until the new one is ready");
    assert!(command(&mut app, "ctx eu-west-1").is_empty(), "two contexts match: none is chosen");
    assert!(app.message().unwrap().1.contains("no single context matches"));
    assert!(command(&mut app, "ctx 9").is_empty());

    // The runner connected it: the view switches, drops the other account's rows, refreshes.
    let info = other_account(&app);
    let effects = app.update(Action::ContextSwitched { index: 2, info: info.clone(), notice: None });
    assert_eq!(app.context(), &info.context());
    assert!(app.findings().table.rows.is_empty(), "no row of the old account is shown as the new one's");
    assert!(effects.iter().any(|e| matches!(e, Effect::Fetch { .. })), "{effects:?}");
    assert!(app.read_only(), "prod is read-only by its profile's config");
    assert_eq!(app.contexts().1, 2);
    app.update(Action::ContextSwitched { index: 0, info: demo_source(40).info(), notice: None });
    assert!(!app.read_only());
    assert!(command(&mut app, "ctx 1").is_empty(), "already shown");
}

#[test]
fn ctx_waits_for_the_first_connection() {
    let contexts = vec![(choice("dev", "eu-west-1"), false), (choice("prod", "eu-west-1"), true)];
    let mut app = loaded_app(40, 120, 30).with_contexts(contexts).connecting();
    assert!(command(&mut app, "ctx 2").is_empty(), "no switch races the first connection's answer");
    assert!(app.message().unwrap().1.contains("still connecting"));
}

#[test]
fn ctx_with_one_context_says_how_to_name_several() {
    let mut app = loaded_app(40, 120, 30);
    assert!(command(&mut app, "ctx 2").is_empty());
    assert!(app.message().unwrap().1.contains("--profile a,b and --region x,y"));
}

#[test]
fn ctx_all_shows_every_context_as_one_and_is_read_only_if_any_is() {
    let contexts = vec![(choice("dev", "eu-west-1"), false), (choice("prod", "eu-west-1"), true)];
    let mut app = loaded_app(40, 120, 30).with_contexts(contexts);
    command(&mut app, "ctx");
    assert!(app.message().unwrap().1.ends_with("all  (:ctx N switches)"), "{:?}", app.message());
    let effects = command(&mut app, "ctx all");
    assert!(matches!(effects.as_slice(), [Effect::SwitchTo { index: 2, .. }]), "{effects:?}");
    assert!(app.message().unwrap().1.contains("connecting to all 2 contexts"));

    let all = SourceInfo { account: "all".into(), region: "all".into(), ..app.info().clone() };
    app.update(Action::ContextSwitched { index: 2, info: all.clone(), notice: None });
    assert!(app.showing_all_contexts());
    assert_eq!(app.context(), &all.context());
    assert!(app.read_only(), "prod is read-only, and the all view acts in prod too");
    command(&mut app, "ctx");
    assert!(app.message().unwrap().1.contains("*all"), "{:?}", app.message());
    assert!(command(&mut app, "ctx all").is_empty(), "already shown");
    command(&mut app, "ctx 3");
    assert!(app.message().unwrap().1.contains("no single context matches"), "N is 1 to 2; the all view is 'all'");
}
