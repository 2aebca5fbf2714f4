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

#[test]
fn every_fetch_names_the_context_shown() {
    let mut app = loaded_app(40, 80, 24);
    let effects = app.update(Action::Refresh);
    assert_eq!(effects, vec![Effect::Fetch { pane: PaneId::Findings, context: app.context().clone() }]);
    assert_eq!(app.context(), &demo_source(40).info().context());
}

#[test]
fn a_result_for_another_context_is_dropped() {
    let mut app = loaded_app(40, 80, 24);
    let old = app.context().clone();
    let shown_before = app.secrets().rows.len();
    assert!(shown_before > 0);

    let effects = app.update(Action::SwitchContext(other_account(&app)));
    let new = app.context().clone();
    assert_ne!(old, new);
    // What was shown belonged to the old account: it is gone, and every pane is asked for anew.
    assert!(app.secrets().rows.is_empty());
    assert!(app.findings().table.rows.is_empty() && app.users().pools.is_empty());
    assert_eq!(app.compliance().summary_score, None);
    for pane in PaneId::ALL {
        assert!(effects.contains(&Effect::Fetch { pane, context: new.clone() }), "{pane:?}");
    }

    // The old account's refresh lands late: dropped, the pane still waits for its own.
    let data = demo_source(40).generate(PaneId::Secrets, fixed_now());
    app.update(Action::Loaded {
        context: old,
        pane: PaneId::Secrets,
        at: fixed_now(),
        result: Ok(data.clone().into()),
        index: None,
    });
    assert!(app.secrets().rows.is_empty(), "another account's secrets were installed");
    assert!(app.pane(PaneId::Secrets).status().in_flight, "the new context's fetch is still awaited");

    // Its own arrives: installed.
    app.update(Action::Loaded {
        context: new,
        pane: PaneId::Secrets,
        at: fixed_now(),
        result: Ok(data.into()),
        index: None,
    });
    assert_eq!(app.secrets().rows.len(), shown_before);
    assert!(!app.pane(PaneId::Secrets).status().in_flight);
}

#[test]
fn an_action_result_from_another_context_is_shown_but_touches_nothing() {
    let mut app = loaded_app(40, 80, 24);
    let old = app.context().clone();
    app.update(Action::SwitchContext(other_account(&app)));
    let target = {
        let source = demo_source(40);
        let data = source.generate(PaneId::Secrets, fixed_now());
        let vigil::model::PaneData::Secrets(list) = data else { panic!() };
        vigil::model::triage::Target {
            id: list[0].arn.clone(),
            label: list[0].name.clone(),
            placement: vigil::model::Placement::from_arn(&list[0].arn, &old),
            product_arn: None,
            guardduty: None,
            user: None,
        }
    };
    let effects = app.update(Action::Applied {
        context: old.clone(),
        pane: PaneId::Secrets,
        outcomes: vec![TargetOutcome::ok(target)],
        audit_error: None,
    });
    // Nothing is lost: the outcome is on screen, labelled with where it happened.
    assert_eq!(app.mode(), Mode::Outcome);
    let outcome = app.outcome().unwrap();
    assert_eq!(outcome.outcomes.len(), 1);
    assert!(outcome.description.contains(&old.account), "{}", outcome.description);
    // But no refresh is asked of the view shown now.
    assert!(effects.is_empty(), "{effects:?}");
}

#[test]
fn the_same_context_again_changes_nothing() {
    let mut app = loaded_app(40, 80, 24);
    let before = app.secrets().rows.len();
    let effects = app.update(Action::SwitchContext(app.info().clone()));
    assert!(effects.is_empty());
    assert_eq!(app.secrets().rows.len(), before);
    let _: &Context = app.context();
}
