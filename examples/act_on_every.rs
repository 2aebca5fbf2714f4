//! Times what acting on every finding of an organisation costs the UI thread, in the build it is
//! run in (docs/performance.md, "Near the floor"): every row marked (`*`), then an action chosen
//! (`x`, `a`: archive in GuardDuty), which builds a target for each row the action applies to and
//! a reason for each it skips. The confirm dialog is cancelled and the marks cleared between runs.
//!
//!   cargo run --release --example act_on_every -- [FINDINGS] [ACCOUNTS] [REGIONS] [RUNS]
//!
//! Defaults: 160,000 findings over 500 accounts and 17 regions, 5 runs.

use chrono::{TimeZone, Utc};
use std::time::Instant;
use vigil::action::Action;
use vigil::app::{App, RefreshPolicy};
use vigil::pane::PaneId;
use vigil::source::demo::DemoSource;
use vigil::source::{PaneData, Source};

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let arg = |i: usize, default: usize| args.get(i).copied().unwrap_or(default);
    let (findings, accounts, regions, runs) = (arg(0, 160_000), arg(1, 500), arg(2, 17), arg(3, 5));
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).single().unwrap_or_default();
    let source = DemoSource::new(7, findings, now).with_organisation(accounts, regions);
    let data = source.generate(PaneId::Findings, now);
    let PaneData::Findings(rows) = &data else { return };
    let shown = rows.len();
    let mut app = App::new(source.info(), now, RefreshPolicy::demo());
    app.update(Action::Resize(120, 40));
    app.update(Action::Loaded {
        request: None,
        context: app.context().clone(),
        pane: PaneId::Findings,
        at: now,
        result: Ok(data.into()),
        index: None,
    });
    println!("{shown} findings over {accounts} accounts x {regions} regions");
    for run in 1..=runs {
        let started = Instant::now();
        app.update(Action::ToggleMarkVisible);
        let marked = started.elapsed();
        app.update(Action::OpenActionMenu);
        let chosen = Instant::now();
        app.update(Action::MenuChoice('a'));
        let built = chosen.elapsed();
        let (targets, skipped, places) =
            app.draft().map(|d| (d.targets.len(), d.refused.len(), d.places.len())).unwrap_or_default();
        app.update(Action::ConfirmNo);
        app.update(Action::ToggleMarkVisible);
        println!(
            "run {run}: marking {:.1} ms, building the targets {:.1} ms ({targets} targets, {skipped} skipped, {places} places)",
            marked.as_secs_f64() * 1e3,
            built.as_secs_f64() * 1e3
        );
    }
}
