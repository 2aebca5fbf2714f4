//! Speed at war-room scale: 100k findings. What a keystroke costs (filter, sort), what new data
//! costs (rebuild), and what one frame costs to draw. Run: `cargo bench --bench views`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use vigil::action::Action;
use vigil::app::{App, RefreshPolicy};
use vigil::pane::PaneId;
use vigil::source::demo::DemoSource;
use vigil::source::{PaneData, Source};
use vigil::view::CellContext;
use vigil::view::table::{SortSpec, TableIndex, TableView};

const SCALE: usize = 100_000;

fn benches(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).single().unwrap();
    let source = DemoSource::new(7, SCALE, now);
    let PaneData::Findings(findings) = source.generate(PaneId::Findings, now) else { panic!() };
    let ctx = CellContext { now, reveal_pii: false };
    let mut group = c.benchmark_group("findings_100k");
    group.sample_size(10);

    group.bench_function("generate_demo", |b| b.iter(|| black_box(source.generate(PaneId::Findings, now))));
    group.bench_function("rebuild_view_on_new_data", |b| {
        b.iter(|| {
            let mut view = TableView::new(SortSpec { column: 0, descending: true });
            view.rebuild(&findings, &ctx, |f| f.is_open());
            black_box(view.len())
        })
    });
    let sort = SortSpec { column: 0, descending: true };
    group.bench_function("build_index_off_ui_thread", |b| {
        b.iter(|| black_box(TableIndex::build(&findings, &ctx, sort)))
    });
    let prepared = TableIndex::build(&findings, &ctx, sort);
    group.bench_function("install_index_on_ui_thread", |b| {
        b.iter_batched(
            || prepared.clone(),
            |index| {
                let mut view = TableView::new(sort);
                view.install(&findings, index, &ctx, |f| f.is_open());
                black_box(view.len())
            },
            BatchSize::LargeInput,
        )
    });
    let mut view = TableView::new(SortSpec { column: 0, descending: true });
    view.rebuild(&findings, &ctx, |f| f.is_open());
    group.bench_function("filter_first_keystroke", |b| {
        b.iter(|| {
            view.set_filter(&findings, "");
            view.set_filter(&findings, "s");
            black_box(view.len())
        })
    });
    group.bench_function("filter_typing_sshbrute", |b| {
        b.iter(|| {
            view.set_filter(&findings, "");
            let mut typed = String::new();
            for c in "sshbrute".chars() {
                typed.push(c);
                view.set_filter(&findings, &typed);
            }
            black_box(view.len())
        })
    });
    group.bench_function("filter_keystroke", |b| {
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            view.set_filter(&findings, if flip { "ssh" } else { "sshb" });
            black_box(view.len())
        })
    });
    view.set_filter(&findings, "");
    group.bench_function("sort_by_title", |b| {
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            view.set_sort(&findings, &ctx, SortSpec { column: 1, descending: flip });
            black_box(view.len())
        })
    });

    let mut app = App::new(source.info(), now, RefreshPolicy::demo());
    app.update(Action::Resize(160, 48));
    app.update(Action::Loaded {
        request: None,
        context: app.context().clone(),
        pane: PaneId::Findings,
        at: now,
        result: Ok(PaneData::Findings(findings.clone()).into()),
        index: None,
    });
    let theme = vigil::ui::theme::Theme::default();
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    group.bench_function("draw_frame_160x48", |b| {
        b.iter(|| {
            terminal.draw(|f| vigil::ui::draw(f, &app, &theme)).unwrap();
        })
    });
    group.finish();
}

criterion_group!(views, benches);
criterion_main!(views);
