//! The console opens before AWS answers: on the cache of the account this profile last showed in
//! the region, marked unconfirmed, fetching nothing and offering no action until STS confirms who
//! we are; then the same account refreshes and another account replaces what was shown.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use common::{demo_source, fixed_now};
use vigil::action::{Action, Effect};
use vigil::app::{App, Connection, Mode, RefreshPolicy};
use vigil::pane::PaneId;
use vigil::source::{Source, SourceInfo, SourceKind};

fn cached_app() -> (App, SourceInfo) {
    let source = demo_source(40);
    let info = SourceInfo { kind: SourceKind::Aws, principal: None, ..source.info() };
    let mut app = App::new(info.clone(), fixed_now(), RefreshPolicy::aws()).connecting();
    app.update(Action::Resize(120, 30));
    for pane in PaneId::ALL {
        app.load_cached(pane, fixed_now(), source.generate(pane, fixed_now()));
    }
    (app, info)
}

fn fetched(effects: &[Effect]) -> Vec<PaneId> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { pane, .. } => Some(*pane),
            _ => None,
        })
        .collect()
}

#[test]
fn nothing_is_fetched_or_acted_on_until_the_identity_is_confirmed() {
    let (mut app, _) = cached_app();
    assert_eq!(app.connection(), &Connection::Connecting);
    assert!(!app.findings().table.rows.is_empty(), "the cache is on screen at once");
    assert!(fetched(&app.update(Action::Tick(fixed_now()))).is_empty());
    assert!(fetched(&app.update(Action::RefreshAll)).is_empty(), "R waits for the identity too");
    assert!(fetched(&app.update(Action::Refresh)).is_empty());
    app.update(Action::OpenActionMenu);
    assert_eq!(app.mode(), Mode::Normal, "no action on an unconfirmed account");
    assert!(app.message().is_some_and(|(_, m)| m.contains("not connected yet")));
}

#[test]
fn the_same_account_confirmed_refreshes_every_pane_and_keeps_the_cache_meanwhile() {
    let (mut app, info) = cached_app();
    let rows = app.findings().table.rows.len();
    let confirmed = SourceInfo { principal: Some("arn:aws:sts::1:assumed-role/OnCall/me".into()), ..info };
    let effects = app.update(Action::Connected { info: confirmed, notice: None });
    assert_eq!(fetched(&effects), PaneId::ALL.to_vec());
    assert_eq!(app.connection(), &Connection::Connected);
    assert_eq!(app.findings().table.rows.len(), rows, "cached rows stay until their refresh lands");
    assert!(app.info().principal.is_some());
}

#[test]
fn another_account_confirmed_replaces_the_cache() {
    let (mut app, info) = cached_app();
    let other = SourceInfo { account: "999999999999".into(), ..info };
    let effects = app.update(Action::Connected { info: other.clone(), notice: None });
    assert_eq!(fetched(&effects), PaneId::ALL.to_vec());
    assert!(app.findings().table.rows.is_empty(), "another account's cache is never shown as this one's");
    assert_eq!(app.context(), &other.context());
}

#[test]
fn a_failed_connection_keeps_the_cache_and_says_why() {
    let (mut app, _) = cached_app();
    app.update(Action::ConnectFailed("the SSO session has expired: run aws sso login".into()));
    assert!(matches!(app.connection(), Connection::Failed(why) if why.contains("sso login")));
    assert!(!app.findings().table.rows.is_empty());
    assert!(fetched(&app.update(Action::Tick(fixed_now() + chrono::Duration::minutes(10)))).is_empty());
}
