//! A first load streams in: rows appear page by page, the tab counts them, the selection stays on
//! its record, and the finished load replaces the preview in one step. A refresh over data already
//! shown only counts, so the screen never flickers between old and partial data.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use common::{demo_source, fixed_now};
use std::sync::Arc;
use vigil::action::{Action, Effect};
use vigil::app::{App, RefreshPolicy};
use vigil::model::{Finding, PaneData};
use vigil::pane::PaneId;
use vigil::source::Source;

fn started_app() -> (App, u64) {
    let source = demo_source(200);
    let mut app = App::new(source.info(), fixed_now(), RefreshPolicy::demo());
    app.update(Action::Resize(120, 30));
    let request = findings_request(&app.update(Action::Tick(fixed_now())));
    (app, request)
}

fn findings_request(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { request, pane: PaneId::Findings, .. } => Some(*request),
            _ => None,
        })
        .expect("a findings fetch")
}

fn all_findings() -> Vec<Arc<Finding>> {
    match demo_source(200).generate(PaneId::Findings, fixed_now()) {
        PaneData::Findings(rows) => rows,
        other => panic!("{other:?}"),
    }
}

fn partial(app: &App, request: u64, rows: Vec<Arc<Finding>>) -> Action {
    Action::Partial { request, pane: PaneId::Findings, context: app.context().clone(), rows: PaneData::Findings(rows) }
}

/// The findings load answering `request` (`None`: data nobody asked for, the cache) finished.
fn finished(
    app: &App,
    request: Option<u64>,
    result: Result<vigil::source::Fetched, vigil::source::SourceError>,
) -> Action {
    Action::Loaded {
        request,
        pane: PaneId::Findings,
        context: app.context().clone(),
        at: fixed_now(),
        result,
        index: None,
    }
}

fn selected_id(app: &App) -> Option<String> {
    app.findings().table.selected().map(|f| f.id.clone())
}

#[test]
fn a_first_load_shows_its_pages_as_they_arrive_and_the_result_replaces_them() {
    let (mut app, request) = started_app();
    let all = all_findings();
    assert!(all.len() > 150);
    let pages: Vec<Vec<Arc<Finding>>> = all.chunks(100).map(<[Arc<Finding>]>::to_vec).collect();

    app.update(partial(&app, request, pages[0].clone()));
    assert_eq!(app.findings().table.rows.len(), 100, "the first page is on screen");
    assert_eq!(app.panes().tab_figure(PaneId::Findings), "100 so far");
    app.update(Action::MoveDown);
    app.update(Action::MoveDown);
    let chosen = selected_id(&app);

    app.update(partial(&app, request, pages[1].clone()));
    assert_eq!(app.findings().table.rows.len(), all.len().min(200));
    assert_eq!(selected_id(&app), chosen, "the selection the user moved stays on its record as the table grows");
    let shown: Vec<String> =
        app.findings().table.view.visible.iter().map(|&i| app.findings().table.rows[i as usize].id.clone()).collect();

    app.update(finished(&app, Some(request), Ok(PaneData::Findings(all.clone()).into())));
    assert_eq!(app.findings().table.rows.len(), all.len(), "the result replaces the preview, no duplicates");
    assert_eq!(selected_id(&app), chosen);
    assert_eq!(app.panes().tab_figure(PaneId::Findings), app.findings().table.view.total().to_string());
    // The preview was ordered as the full load orders the same rows.
    let full: Vec<String> = app
        .findings()
        .table
        .view
        .visible
        .iter()
        .map(|&i| app.findings().table.rows[i as usize].id.clone())
        .filter(|id| shown.contains(id))
        .collect();
    assert_eq!(full, shown);
}

#[test]
fn an_untouched_selection_stays_at_the_top_as_pages_arrive() {
    let (mut app, request) = started_app();
    let all = all_findings();
    for page in all.chunks(50) {
        app.update(partial(&app, request, page.to_vec()));
        assert_eq!(app.findings().table.view.selected, 0, "the top row is selected, whatever arrived");
        assert_eq!(app.findings().table.view.offset, 0);
    }
}

#[test]
fn a_refresh_over_shown_data_only_counts_its_pages() {
    let (mut app, request) = started_app();
    let all = all_findings();
    app.update(finished(&app, Some(request), Ok(PaneData::Findings(all.clone()).into())));
    let again = findings_request(&app.update(Action::Refresh));
    app.update(partial(&app, again, all[..50].to_vec()));
    assert_eq!(app.findings().table.rows.len(), all.len(), "no partial data replaces what is shown");
    assert_eq!(app.panes().tab_figure(PaneId::Findings), "50 so far");
}

#[test]
fn pages_of_an_older_request_or_another_context_are_dropped() {
    let (mut app, request) = started_app();
    let all = all_findings();
    app.update(partial(&app, request + 1000, all[..10].to_vec()));
    let mut elsewhere = app.context().clone();
    elsewhere.account = "999999999999".into();
    app.update(Action::Partial {
        request,
        pane: PaneId::Findings,
        context: elsewhere,
        rows: PaneData::Findings(all[..10].to_vec()),
    });
    assert!(app.findings().table.rows.is_empty());
    assert_eq!(app.panes().tab_figure(PaneId::Findings), "…");
}

#[test]
fn a_failed_load_keeps_its_preview_and_the_next_load_starts_it_again() {
    let (mut app, request) = started_app();
    let all = all_findings();
    app.update(partial(&app, request, all[..30].to_vec()));
    app.update(finished(
        &app,
        Some(request),
        Err(vigil::source::SourceError::local(vigil::source::Service::SecurityHub, "connection reset")),
    ));
    assert_eq!(app.findings().table.rows.len(), 30, "what arrived stays on screen with the error");
    let again = findings_request(&app.update(Action::Refresh));
    app.update(partial(&app, again, all[..20].to_vec()));
    assert_eq!(app.findings().table.rows.len(), 20, "the new load's pages replace the old preview, never add to it");
}

#[test]
fn the_cache_read_after_a_refresh_landed_is_dropped() {
    let (mut app, request) = started_app();
    let all = all_findings();
    app.update(finished(&app, Some(request), Ok(PaneData::Findings(all.clone()).into())));
    let stale = vigil::source::Fetched {
        data: PaneData::Findings(all[..3].to_vec()),
        warnings: Vec::new(),
        cached_at: Some(fixed_now() - chrono::Duration::hours(5)),
        resynced_at: None,
    };
    app.update(finished(&app, None, Ok(stale)));
    assert_eq!(app.findings().table.rows.len(), all.len(), "fresh data is never replaced by the cache");
    assert!(!app.findings().table.status.from_cache);
}

/// The cache's head, then its whole list (a start on a large account): the whole list is the
/// baseline of new findings, not the head, and a refresh bringing the same findings adds none.
#[test]
fn the_cache_head_then_the_whole_list_marks_nothing_new() {
    let (mut app, request) = started_app();
    let all = all_findings();
    let cached = |rows: Vec<Arc<Finding>>| {
        Ok(vigil::source::Fetched {
            data: PaneData::Findings(rows),
            warnings: Vec::new(),
            cached_at: Some(fixed_now()),
            resynced_at: None,
        })
    };
    app.update(finished(&app, None, cached(all[..30].to_vec())));
    // The whole list is read from disk again: other records, equal content.
    let reread: Vec<Arc<Finding>> = all.iter().map(|f| Arc::new(Finding::clone(f))).collect();
    app.update(finished(&app, None, cached(reread)));
    assert_eq!(app.findings().table.rows.len(), all.len());
    assert!(app.findings().unseen.is_empty(), "{} findings wrongly new", app.findings().unseen.len());
    app.update(finished(&app, Some(request), Ok(PaneData::Findings(all.clone()).into())));
    assert!(app.findings().unseen.is_empty(), "the refresh brought nothing new");
}

fn live_finding(id: &str, minutes: i64, workflow: vigil::model::WorkflowStatus) -> Finding {
    let mut f = all_findings()[0].as_ref().clone();
    f.id = id.into();
    f.title = format!("live {id}").into();
    f.updated_at = fixed_now() + chrono::Duration::minutes(minutes);
    f.workflow_status = workflow;
    f.sources = vec![vigil::model::FindingOrigin::Securityhub];
    f.guardduty_id = None;
    f
}

fn live(app: &App, findings: Vec<Finding>, malformed: Vec<String>, minutes: i64) -> Action {
    Action::LiveEvents {
        context: app.context().clone(),
        findings,
        malformed,
        at: fixed_now() + chrono::Duration::minutes(minutes),
    }
}

/// A findings poll answering `request`, with the index the runner prepares for its rows.
fn polled(app: &App, request: u64) -> Action {
    let data = PaneData::Findings(all_findings());
    let index = vigil::view::build_index(&data, app.pane(PaneId::Findings).view().sort, &app.cell_context());
    Action::Loaded {
        request: Some(request),
        pane: PaneId::Findings,
        context: app.context().clone(),
        at: fixed_now(),
        result: Ok(data.into()),
        index: Some(index),
    }
}

fn listed(app: &App, id: &str) -> Option<Arc<Finding>> {
    app.findings().table.rows.iter().find(|f| f.id == id).cloned()
}

#[test]
fn live_events_show_at_once_and_a_poll_that_predates_them_does_not_undo_them() {
    use vigil::model::WorkflowStatus::{New, Resolved};
    let (mut app, request) = started_app();
    // Before the first load: kept, and laid over it when it lands.
    app.update(live(&app, vec![live_finding("early", 1, New)], vec![], 1));
    app.update(polled(&app, request));
    assert!(listed(&app, "early").is_some(), "an event that came before the first load");
    let before = app.findings().table.rows.len();
    // What the table shows is the rows with the events, not the poll's index of its own rows.
    let shown = app.findings().table.view.len();
    assert_eq!(shown, all_findings().iter().filter(|f| f.is_open()).count() + 1);

    app.update(live(&app, vec![live_finding("new", 2, New)], vec!["not JSON (expected value)".into()], 2));
    assert_eq!(app.findings().table.rows.len(), before + 1);
    assert_eq!(app.live().malformed, 1, "counted, never fatal");
    // The same event again (SQS is at-least-once), and an older version of it: nothing changes.
    app.update(live(&app, vec![live_finding("new", 2, New)], vec![], 3));
    app.update(live(&app, vec![live_finding("new", 1, Resolved)], vec![], 3));
    assert_eq!(app.findings().table.rows.len(), before + 1);
    assert!(app.live().stale >= 1);

    // A poll that started before the events lands after them: they are laid over it again.
    let request = findings_request(&app.update(Action::Refresh));
    app.update(polled(&app, request));
    assert!(listed(&app, "new").is_some() && listed(&app, "early").is_some());
    assert_eq!(app.findings().table.view.len(), shown + 1, "both events shown, not the poll's index");

    // Resolved elsewhere: the row leaves at once.
    app.update(live(&app, vec![live_finding("new", 5, Resolved)], vec![], 5));
    assert!(listed(&app, "new").is_none());
}

#[test]
fn a_healthy_feed_slows_the_findings_poll_to_the_safety_interval() {
    use vigil::model::live::FeedState;
    let (mut app, request) = started_app();
    app.update(finished(&app, Some(request), Ok(PaneData::Findings(all_findings()).into())));
    let listening = FeedState::Listening { queue: "vigil-live-console".into() };
    app.update(Action::LiveState { context: app.context().clone(), state: listening });
    assert_eq!(app.live().cell(app.now(), false).as_deref(), Some("live"));
    let said = app.message().map(|(_, text)| text.to_string()).unwrap_or_default();
    assert!(said.contains("polling every 10m as the safety net"), "{said}");
    let demo_interval = vigil::pane::PaneId::Findings.spec().refresh.demo_seconds;
    let later = fixed_now() + chrono::Duration::seconds(i64::from(demo_interval) + 1);
    let fetches = app.update(Action::Tick(later));
    assert!(
        !fetches.iter().any(|e| matches!(e, Effect::Fetch { pane: PaneId::Findings, .. })),
        "findings wait for the safety interval"
    );
    let fell_back = FeedState::FellBack { short: "denied".into(), why: "access denied: sqs:ReceiveMessage".into() };
    app.update(Action::LiveState { context: app.context().clone(), state: fell_back });
    assert_eq!(app.live().cell(app.now(), false).as_deref(), Some("polling: denied"));
    assert_eq!(app.live().cell(app.now(), true).as_deref(), Some("polling"), "at 80 columns");
    let fetches = app.update(Action::Tick(later + chrono::Duration::seconds(1)));
    assert!(
        fetches.iter().any(|e| matches!(e, Effect::Fetch { pane: PaneId::Findings, .. })),
        "polling again at its own interval"
    );
}

#[test]
fn a_poll_lands_with_its_index_after_an_event_changed_one_of_its_rows() {
    let (mut app, request) = started_app();
    app.update(polled(&app, request));
    let target = all_findings().into_iter().find(|f| f.is_open()).unwrap();
    let mut renamed = target.as_ref().clone();
    renamed.title = "renamed-by-the-feed".into();
    renamed.updated_at = target.updated_at + chrono::Duration::minutes(1);
    app.update(live(&app, vec![renamed], vec![], 1));
    // The poll predates the event; the index the runner made for its rows has the old title.
    let request = findings_request(&app.update(Action::Refresh));
    app.update(polled(&app, request));
    app.update(Action::OpenFilter);
    common::type_text(&mut app, "renamed-by-the-feed");
    app.update(Action::Input(vigil::action::InputEdit::Submit));
    assert_eq!(app.findings().table.view.len(), 1, "the filter reads the row the feed changed");
}
