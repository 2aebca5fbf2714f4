//! Shared helpers: a demo-backed app at a fixed instant, loaded the way the runner loads it.
#![allow(dead_code)]

pub mod fault_proxy;
pub mod tmux;

use chrono::{TimeZone, Utc};
use vigil::action::Action;
use vigil::app::{App, RefreshPolicy};
use vigil::model::Timestamp;
use vigil::pane::PaneId;
use vigil::source::Source;
use vigil::source::demo::{DEFAULT_SEED, DemoSource};
use vigil::view::build_index;

pub fn fixed_now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).single().unwrap_or_default()
}

pub fn demo_source(scale: usize) -> DemoSource {
    DemoSource::new(DEFAULT_SEED, scale, fixed_now())
}

/// An app with every pane loaded from the demo at `fixed_now()`, sized `width`x`height`.
pub fn loaded_app(scale: usize, width: u16, height: u16) -> App {
    let source = demo_source(scale);
    let mut app = App::new(source.info(), fixed_now(), RefreshPolicy::demo())
        .with_made_up_past(vigil::source::demo::compliance::history_before);
    app.update(Action::Resize(width, height));
    for pane in PaneId::ALL {
        // As the runner does it: the index is prepared before the data reaches the app.
        let data = source.generate(pane, fixed_now());
        let index = build_index(&data, app.pane(pane).view().sort, &app.cell_context());
        app.update(Action::Loaded {
            request: None,
            context: app.context().clone(),
            pane,
            at: fixed_now(),
            result: Ok(data.into()),
            index: Some(index),
        });
    }
    app
}

/// Moves the selection down to the first row `wanted` accepts: tests say which row they act on
/// rather than trusting an order the ranking may change.
#[allow(dead_code)]
pub fn select_where(app: &mut App, pane: PaneId, wanted: impl Fn(&App) -> bool) {
    app.update(Action::ShowPane(pane));
    app.update(Action::First);
    for _ in 0..10_000 {
        if wanted(app) {
            return;
        }
        app.update(Action::MoveDown);
    }
    panic!("no row on {pane:?} is the one the test wants");
}

/// Selects the first anomaly that names a user (the Users pane's actions act on users; pool-wide
/// rows may come first).
#[allow(dead_code)]
pub fn select_a_user(app: &mut App) {
    select_where(app, PaneId::Users, |app| app.users().table.selected().is_some_and(|a| !a.username.is_empty()));
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::Input(vigil::action::InputEdit::Char(c)));
    }
}

/// The runtime AWS-backed tests drive the SDK on: large worker stacks, as the binary has.
#[allow(clippy::expect_used)]
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(16 << 20)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Runs `f` to completion on a thread with a worker's stack: `block_on` polls on the calling
/// thread, and a test thread's 2 MB are less than the binary's workers have for the SDK's
/// deserialisers (unoptimised in the test profile).
#[allow(clippy::expect_used, dead_code)]
pub fn block_on_big_stack<F: std::future::Future + Send>(f: F) -> F::Output
where
    F::Output: Send,
{
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(16 << 20)
            .spawn_scoped(scope, || runtime().block_on(f))
            .expect("a thread")
            .join()
            .expect("the test's future")
    })
}

/// A test whose server or tool is missing: under CI (where `tests/run` provides both) that is a
/// failure, never a silent pass; on a developer's machine the test is skipped with a note.
#[allow(clippy::panic)]
pub fn skip_or_fail(why: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{why}; CI is set, so a test that cannot run fails instead of passing");
    }
    eprintln!("{why}: skipping");
}

/// The moto endpoint `tests/run` started, or `None` (after [`skip_or_fail`]) when there is none.
pub fn moto_endpoint() -> Option<String> {
    let endpoint = std::env::var("VIGIL_MOTO_ENDPOINT").ok();
    if endpoint.is_none() {
        skip_or_fail("VIGIL_MOTO_ENDPOINT is not set: run tests/run to test against moto");
    }
    endpoint
}

/// Waits, without blocking the runtime, until `ready` holds; fails after `timeout`.
#[allow(clippy::panic)]
pub async fn wait_until(timeout: std::time::Duration, mut ready: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + timeout;
    while !ready() {
        if tokio::time::Instant::now() >= deadline {
            panic!("condition not met within {timeout:?}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// The request a result for `pane` answers: the one in flight, or none (data nobody asked for,
/// like the cache at start-up).
pub fn answer(app: &App, pane: PaneId) -> Option<u64> {
    let status = app.pane(pane).status();
    status.in_flight.then_some(status.request)
}

/// The panes the effects fetch, for the context shown.
pub fn fetched(app: &App, effects: &[vigil::action::Effect]) -> Vec<PaneId> {
    effects
        .iter()
        .filter_map(|e| match e {
            vigil::action::Effect::Fetch { pane, context, .. } if context == app.context() => Some(*pane),
            _ => None,
        })
        .collect()
}

/// The screen's text with the lines that name every pane left out: the tab bar (the second row)
/// and the data ages (the second to last). They are tested once (`the_chrome_at_80_and_200_columns`
/// in tests/render.rs), so a new pane changes no other screen's snapshot.
pub fn without_tabs(terminal: &ratatui::Terminal<ratatui::backend::TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let mut lines = Vec::new();
    for y in 0..buffer.area.height {
        if y == 1 {
            lines.push("[tab bar: see the chrome snapshots]".to_string());
            continue;
        }
        if y + 2 == buffer.area.height && buffer.area.height > 3 {
            lines.push("[data ages: see the chrome snapshots]".to_string());
            continue;
        }
        let mut line = String::new();
        for x in 0..buffer.area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        lines.push(line);
    }
    lines.join("\n")
}
