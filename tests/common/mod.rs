//! Shared helpers: a demo-backed app at a fixed instant, loaded the way the runner loads it.
#![allow(dead_code)]

pub mod tmux;

use chrono::{TimeZone, Utc};
use vigil::action::Action;
use vigil::app::pane_state::build_index;
use vigil::app::{App, RefreshPolicy};
use vigil::model::Timestamp;
use vigil::pane::PaneId;
use vigil::source::Source;
use vigil::source::demo::{DEFAULT_SEED, DemoSource};

pub fn fixed_now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).single().unwrap_or_default()
}

pub fn demo_source(scale: usize) -> DemoSource {
    DemoSource::new(DEFAULT_SEED, scale, fixed_now())
}

/// An app with every pane loaded from the demo at `fixed_now()`, sized `width`x`height`.
pub fn loaded_app(scale: usize, width: u16, height: u16) -> App {
    let source = demo_source(scale);
    let mut app = App::new(source.info(), fixed_now(), RefreshPolicy::demo());
    app.update(Action::Resize(width, height));
    for pane in PaneId::ALL {
        // As the runner does it: the index is prepared before the data reaches the app.
        let data = source.generate(pane, fixed_now());
        let index = build_index(&data, app.pane(pane).view().sort, &app.cell_context());
        app.update(Action::Loaded { pane, at: fixed_now(), result: Ok(data.into()), index: Some(index) });
    }
    app
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
