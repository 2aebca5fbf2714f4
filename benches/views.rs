//! Speed at war-room scale, at 10k and 100k findings: what new data costs (merge of the two
//! services, index build, install, a refresh that changes a few rows, a first load streaming in),
//! what a keystroke costs (filter, sort) and what one frame costs to draw.
//!
//! Run: `cargo bench --bench views` (figures in docs/performance.md). CI runs every benchmark once
//! without timing it (`cargo bench --bench views -- --test`), so none can rot.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::sync::Arc;
use vigil::action::Action;
use vigil::app::{App, RefreshPolicy};
use vigil::model::dedupe::merge_findings;
use vigil::model::{Finding, FindingOrigin, Timestamp};
use vigil::pane::PaneId;
use vigil::source::demo::DemoSource;
use vigil::source::{PaneData, Source};
use vigil::view::CellContext;
use vigil::view::table::{SortSpec, TableIndex, TableView};

fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).single().unwrap()
}

fn demo_findings(scale: usize) -> (DemoSource, Vec<Arc<Finding>>) {
    let source = DemoSource::new(7, scale, now());
    let PaneData::Findings(findings) = source.generate(PaneId::Findings, now()) else { panic!() };
    (source, findings)
}

fn loaded_app(source: &DemoSource, findings: &[Arc<Finding>], width: u16, height: u16) -> App {
    let mut app = App::new(source.info(), now(), RefreshPolicy::demo());
    app.update(Action::Resize(width, height));
    app.update(Action::Loaded {
        request: None,
        context: app.context().clone(),
        pane: PaneId::Findings,
        at: now(),
        result: Ok(PaneData::Findings(findings.to_vec()).into()),
        index: None,
    });
    app
}

fn at_scale(c: &mut Criterion, scale: usize) {
    let (source, findings) = demo_findings(scale);
    let ctx = CellContext::plain(now());
    let sort = SortSpec { column: 0, descending: true };
    let mut group = c.benchmark_group(format!("findings_{}k", scale / 1000));
    group.sample_size(10);

    // Ingest: the two services' lists merged into one, GuardDuty copies deduplicated.
    let (gd, sh): (Vec<Finding>, Vec<Finding>) =
        findings.iter().map(|f| Finding::clone(f)).partition(|f| f.sources == [FindingOrigin::Guardduty]);
    group.bench_function("merge_services", |b| {
        b.iter_batched(|| (sh.clone(), gd.clone()), |(sh, gd)| black_box(merge_findings(sh, gd)), BatchSize::LargeInput)
    });
    // Priority: every finding ranked among the others (a refresh that changed nothing copies none).
    group.bench_function("rank_unchanged", |b| {
        b.iter_batched(
            || findings.clone(),
            |mut list| {
                vigil::model::risk::rank(&mut list, now());
                black_box(list)
            },
            BatchSize::LargeInput,
        )
    });
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
    // A refresh that changed ten findings: the whole of what it costs, worker and UI thread.
    let mut changed = findings.clone();
    for f in changed.iter_mut().step_by((scale / 10).max(1)).map(Arc::make_mut) {
        f.title = format!("{} (updated)", f.title).into();
    }
    let mut refreshed = TableView::new(sort);
    refreshed.rebuild(&findings, &ctx, |f| f.is_open());
    group.bench_function("refresh_with_ten_changes", |b| {
        b.iter(|| {
            let index = TableIndex::build(&changed, &ctx, sort);
            refreshed.install(&changed, index, &ctx, |f| f.is_open());
            black_box(refreshed.len())
        })
    });
    // The same refresh as the runner does it: the index built from the one on screen.
    let shown = TableIndex::build(&findings, &ctx, sort);
    group.bench_function("refresh_with_ten_changes_reusing_the_index", |b| {
        b.iter(|| {
            let index = TableIndex::rebuild_from(&findings, &shown, &changed, &ctx, sort);
            refreshed.install(&changed, index, &ctx, |f| f.is_open());
            black_box(refreshed.len())
        })
    });
    // A batch of ten live events (the feed's ReceiveMessage holds at most ten) laid over the
    // findings on the UI thread: lay over, rank, the shown index brought up to date, alerts.
    let mut live_app = loaded_app(&source, &findings, 120, 40);
    let mut minute = 0;
    group.bench_function("live_batch_of_ten_events", |b| {
        b.iter(|| {
            minute += 1;
            let batch: Vec<Finding> = findings
                .iter()
                .step_by((scale / 10).max(1))
                .map(|f| {
                    let mut f = Finding::clone(f);
                    f.updated_at = now() + chrono::Duration::minutes(minute);
                    f.title = format!("{} (live {minute})", f.title).into();
                    f
                })
                .collect();
            let at = now() + chrono::Duration::minutes(minute);
            live_app.update(Action::LiveEvents {
                context: live_app.context().clone(),
                findings: batch,
                malformed: vec![],
                at,
            });
            black_box(live_app.findings().table.view.len())
        })
    });
    // A first load arriving in pages of 100, each merged into the table on the UI thread.
    let first_pages = findings.len().min(5_000);
    group.bench_function("stream_5k_in_pages_of_100", |b| {
        b.iter(|| {
            let mut view = TableView::new(sort);
            let mut rows: Vec<Arc<Finding>> = Vec::with_capacity(first_pages);
            for page in findings[..first_pages].chunks(100) {
                let first_new = rows.len();
                rows.extend_from_slice(page);
                view.append(&rows, first_new, &ctx, |f| f.is_open());
            }
            black_box(view.len())
        })
    });

    let mut view = TableView::new(sort);
    view.rebuild(&findings, &ctx, |f| f.is_open());
    group.bench_function("filter_first_keystroke", |b| {
        b.iter(|| {
            view.set_filter(&findings, &ctx, "");
            view.set_filter(&findings, &ctx, "s");
            black_box(view.len())
        })
    });
    group.bench_function("filter_keystroke", |b| {
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            view.set_filter(&findings, &ctx, if flip { "ssh" } else { "sshb" });
            black_box(view.len())
        })
    });
    // A field term is checked against every record's field when it changes (no index to scan).
    group.bench_function("field_filter_keystroke", |b| {
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            view.set_filter(&findings, &ctx, if flip { "sev:crit,high type:*s3*" } else { "sev:crit,high type:*s3" });
            black_box(view.len())
        })
    });
    view.set_filter(&findings, &ctx, "");
    group.bench_function("sort_by_title", |b| {
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            view.set_sort(&findings, &ctx, SortSpec { column: 1, descending: flip });
            black_box(view.len())
        })
    });

    // Groups: worked out when data arrives (a label per record), laid out on every filter change.
    group.bench_function("group_by_type", |b| {
        b.iter(|| {
            view.group_records(&findings, |f| f.finding_type.to_string());
            black_box(view.len())
        })
    });
    group.bench_function("grouped_filter_keystroke", |b| {
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            view.set_filter(&findings, &ctx, if flip { "ssh" } else { "sshb" });
            black_box(view.len())
        })
    });
    view.ungroup(&findings);
    view.set_filter(&findings, &ctx, "");

    let theme = vigil::ui::theme::Theme::default();
    for (width, height) in [(80u16, 24u16), (200, 60)] {
        let app = loaded_app(&source, &findings, width, height);
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        group.bench_function(format!("draw_frame_{width}x{height}"), |b| {
            b.iter(|| {
                terminal.draw(|f| vigil::ui::draw(f, &app, &theme)).unwrap();
            })
        });
    }

    // A findings refresh of ten changes as the app takes it (its index prepared, as the runner
    // does off the UI thread), with "everything about" one finding's resource open and without:
    // the difference is what the open listing costs each refresh. The ten changes are on other
    // resources, none listed (the demo's findings crowd on a few hundred resources, so every tenth
    // thousand would hit the open one; a change that does rebuilds the listing).
    let mut probe = loaded_app(&source, &findings, 120, 40);
    probe.update(Action::OpenRelated);
    let anchor = probe.findings().table.selected().cloned().unwrap();
    let listed: std::collections::HashSet<String> =
        probe.listing().unwrap().rows.iter().filter_map(|r| r.jump.as_ref().map(|j| j.key.clone())).collect();
    let mut elsewhere = findings.clone();
    let mut edited = 0;
    for f in elsewhere.iter_mut().step_by(97) {
        let words = |r: &str| {
            r.rsplit(['/', ':']).next().unwrap_or_default().split('-').map(str::to_string).collect::<Vec<_>>()
        };
        let shares_a_word = words(&f.resource).iter().any(|w| words(&anchor.resource).contains(w));
        if edited < 10 && f.resource != anchor.resource && !shares_a_word && !listed.contains(&f.identity()) {
            Arc::make_mut(f).title = format!("{} (updated)", f.title).into();
            edited += 1;
        }
    }
    for (name, open) in [("app_refresh_with_ten_changes", false), ("app_refresh_with_ten_changes_related_open", true)] {
        let mut app = loaded_app(&source, &findings, 120, 40);
        if open {
            app.update(Action::OpenRelated);
            assert!(app.listing().is_some());
        }
        let (sort, ctx) = (app.findings().table.view.sort, app.cell_context());
        let changed = &elsewhere;
        let lists = [changed.clone(), findings.clone()];
        let indexes = [TableIndex::build(changed, &ctx, sort), TableIndex::build(&findings, &ctx, sort)];
        let mut turn = 0;
        group.bench_function(name, |b| {
            b.iter_batched(
                || {
                    turn ^= 1;
                    (lists[turn].clone(), indexes[turn].clone())
                },
                |(rows, index)| {
                    app.update(Action::Loaded {
                        request: None,
                        context: app.context().clone(),
                        pane: PaneId::Findings,
                        at: now(),
                        result: Ok(PaneData::Findings(rows).into()),
                        index: Some(index),
                    })
                },
                BatchSize::LargeInput,
            )
        });
    }

    // Everything about one resource: built when opened (on the UI thread).
    let mut app = loaded_app(&source, &findings, 120, 40);
    group.bench_function("related_listing_build", |b| {
        b.iter(|| {
            app.update(Action::OpenRelated);
            assert!(app.listing().is_some());
            app.update(Action::Back);
        })
    });

    // Acting on every row of an organisation (500 accounts, 17 regions): all marked, an action
    // chosen (its targets built) and its confirm dialog drawn; then its result shown and the
    // console left idle on it (one frame a second for the clock).
    let organisation = DemoSource::new(7, scale, now()).with_organisation(500, 17);
    let PaneData::Findings(spread) = organisation.generate(PaneId::Findings, now()) else { panic!() };
    let mut acting = loaded_app(&organisation, &spread, 120, 40);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    group.bench_function("act_on_every_row_marked", |b| {
        b.iter(|| {
            acting.update(Action::ToggleMarkVisible);
            acting.update(Action::OpenActionMenu);
            acting.update(Action::MenuChoice('a'));
            let targets = acting.draft().map(|d| d.targets.len());
            terminal.draw(|f| vigil::ui::draw(f, &acting, &theme)).unwrap();
            acting.update(Action::ConfirmNo);
            acting.update(Action::ToggleMarkVisible);
            black_box(targets)
        })
    });
    acting.update(Action::ToggleMarkVisible);
    acting.update(Action::OpenActionMenu);
    acting.update(Action::MenuChoice('a'));
    let effects = acting.update(Action::ConfirmYes);
    let Some(vigil::action::Effect::Apply { request, pane, context, action, targets }) =
        effects.into_iter().find(|e| matches!(e, vigil::action::Effect::Apply { .. }))
    else {
        panic!("no action to apply")
    };
    let outcomes = targets.into_iter().map(vigil::model::triage::TargetOutcome::ok).collect();
    acting.update(Action::Applied { request, pane, context, action, outcomes, audit_error: None });
    group.bench_function("idle_frame_over_every_rows_outcome", |b| {
        b.iter(|| {
            terminal.draw(|f| vigil::ui::draw(f, &acting, &theme)).unwrap();
        })
    });
    assert!(acting.outcome().is_some());
    group.finish();
}

fn benches(c: &mut Criterion) {
    c.bench_function("generate_demo_100k", |b| {
        let big = DemoSource::new(7, 100_000, now());
        b.iter(|| black_box(big.generate(PaneId::Findings, now())))
    });
    at_scale(c, 10_000);
    at_scale(c, 100_000);
}

criterion_group!(views, benches);
criterion_main!(views);
