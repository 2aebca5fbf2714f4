//! The app driven through its actions with no terminal: navigation, filter, sort, detail, command
//! line, refresh bookkeeping and error handling.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use chrono::Duration;
use common::{fixed_now, loaded_app, type_text};
use vigil::action::{Action, InputEdit};
use vigil::app::Mode;
use vigil::pane::PaneId;
use vigil::source::SourceError;

#[test]
fn panes_switch_by_number_tab_and_command_line() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::ShowPane(PaneId::Secrets));
    assert_eq!(app.current(), PaneId::Secrets);
    app.update(Action::NextPane);
    assert_eq!(app.current(), PaneId::Users);
    app.update(Action::PreviousPane);
    app.update(Action::PreviousPane);
    assert_eq!(app.current(), PaneId::Certificates);
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "compliance");
    app.update(Action::Input(InputEdit::Submit));
    assert_eq!(app.current(), PaneId::Compliance);
    assert_eq!(app.mode(), Mode::Normal);
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "bogus");
    app.update(Action::Input(InputEdit::Submit));
    assert!(app.message().as_ref().is_some_and(|(_, m)| m.contains("unknown command :bogus")));
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "q");
    app.update(Action::Input(InputEdit::Submit));
    assert!(app.should_quit());
}

#[test]
fn filter_follows_each_key_and_esc_clears_it() {
    let mut app = loaded_app(400, 80, 24);
    let total = app.findings().table.view.len();
    app.update(Action::OpenFilter);
    type_text(&mut app, "sshbrute");
    let filtered = app.findings().table.view.len();
    assert!(filtered > 0 && filtered < total, "{filtered} of {total}");
    for &i in &app.findings().table.view.visible {
        assert_eq!(app.findings().table.rows[i as usize].finding_type, "UnauthorizedAccess:EC2/SSHBruteForce");
    }
    app.update(Action::Input(InputEdit::Submit));
    assert_eq!(app.mode(), Mode::Normal);
    assert_eq!(app.findings().table.view.filter, "sshbrute", "Enter keeps the filter");
    app.update(Action::ClearFilter);
    assert_eq!(app.findings().table.view.len(), total);
}

#[test]
fn filter_words_all_have_to_match_any_column() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::OpenFilter);
    type_text(&mut app, "crit guardduty");
    assert!(!app.findings().table.view.is_empty());
    for &i in &app.findings().table.view.visible {
        let f = &app.findings().table.rows[i as usize];
        assert_eq!(f.severity, vigil::model::SeverityLabel::Critical);
        assert_eq!(f.product, vigil::model::Product::GuardDuty);
    }
}

#[test]
fn sort_cycles_columns_and_reverses() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::ShowPane(PaneId::Certificates));
    let days: Vec<Option<i64>> = app
        .certificates()
        .view
        .visible
        .iter()
        .map(|&i| app.certificates().rows[i as usize].days_to_expiry(fixed_now()))
        .collect();
    let dated: Vec<i64> = days.iter().flatten().copied().collect();
    assert!(dated.windows(2).all(|w| w[0] <= w[1]), "soonest expiry first: {dated:?}");
    assert!(days.first().is_some_and(|d| d.is_some()) && days.last().is_some_and(|d| d.is_none()), "undated last");
    app.update(Action::ReverseSort);
    assert!(app.certificates().view.sort.descending);
    app.update(Action::CycleSort);
    assert_eq!(app.certificates().view.sort.column, 2);
}

#[test]
fn selection_follows_the_record_across_refreshes() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::MoveDown);
    app.update(Action::MoveDown);
    let chosen = app.findings().table.selected().map(|f| f.id.clone());
    let source = common::demo_source(400);
    let later = fixed_now() + Duration::seconds(120);
    let data = source.generate(PaneId::Findings, later);
    app.update(Action::Loaded {
        request: common::answer(&app, PaneId::Findings),
        context: app.context().clone(),
        pane: PaneId::Findings,
        at: later,
        result: Ok(data.into()),
        index: None,
    });
    assert_eq!(app.findings().table.selected().map(|f| f.id.clone()), chosen);
}

#[test]
fn paging_and_ends_stay_within_the_table() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::Last);
    assert_eq!(app.findings().table.view.selected, app.findings().table.view.len() - 1);
    let table_rows = vigil::app::layout::table_rows(&app, PaneId::Findings, 24);
    assert_eq!(app.findings().table.view.offset + table_rows, app.findings().table.view.len(), "last page is full");
    app.update(Action::PageDown);
    assert_eq!(app.findings().table.view.selected, app.findings().table.view.len() - 1);
    app.update(Action::First);
    assert_eq!((app.findings().table.view.selected, app.findings().table.view.offset), (0, 0));
    app.update(Action::PageDown);
    assert!(app.findings().table.view.selected > 5);
}

#[test]
fn detail_opens_on_a_row_and_toggles_raw_json() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::OpenDetail);
    assert_eq!(app.mode(), Mode::Detail { raw: false });
    app.update(Action::ToggleRawJson);
    assert_eq!(app.mode(), Mode::Detail { raw: true });
    app.update(Action::Back);
    assert_eq!(app.mode(), Mode::Normal);
    app.update(Action::OpenFilter);
    type_text(&mut app, "no such thing anywhere");
    app.update(Action::Input(InputEdit::Submit));
    app.update(Action::OpenDetail);
    assert_eq!(app.mode(), Mode::Normal, "no row, no detail");
}

#[test]
fn the_raw_view_of_a_finding_the_new_security_hub_reported_fetches_its_ocsf_document() {
    use vigil::action::Effect;
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::OpenFilter);
    type_text(&mut app, "Exposure/Potential");
    app.update(Action::Input(InputEdit::Submit));
    app.update(Action::OpenDetail);
    let effects = app.update(Action::ToggleRawJson);
    let Some(Effect::FetchDocument { pane, key, target, .. }) = effects.into_iter().next() else {
        panic!("the raw view asks for AWS's document")
    };
    assert_eq!(pane, PaneId::Findings);
    assert!(target.ocsf_uid.is_some());
    let raw = |app: &vigil::app::App| app.raw_view(&app.cell_context()).unwrap();
    let (_, what) = raw(&app);
    assert!(what.contains("fetching"), "{what}");
    // An answer for another record changes nothing; its own is shown as AWS returned it.
    let document = serde_json::json!({"metadata": {"uid": "m-1"}, "class_uid": 2004});
    let about = "OCSF document as AWS returned it (GetFindingsV2)";
    let arrived = |json: serde_json::Value| Ok(Some(vigil::source::Document { json, about }));
    app.update(Action::DocumentArrived { key: "another".into(), result: arrived(serde_json::json!({})) });
    assert!(raw(&app).1.contains("fetching"));
    app.update(Action::DocumentArrived { key: key.clone(), result: arrived(document.clone()) });
    let (json, what) = raw(&app);
    assert_eq!(json, document);
    assert!(what.contains("OCSF document as AWS returned it"), "{what}");
    // A failure says why and keeps Vigil's record on screen.
    app.update(Action::ToggleRawJson);
    app.update(Action::ToggleRawJson);
    app.update(Action::DocumentArrived { key, result: Err("throttled".into()) });
    assert!(app.message().as_ref().is_some_and(|(_, m)| m.contains("throttled")), "{:?}", app.message());
    assert!(raw(&app).1.contains("failed"));
    // A record no service document stands behind asks for nothing.
    app.update(Action::Back);
    app.update(Action::ClearFilter);
    app.update(Action::ShowPane(PaneId::Certificates));
    app.update(Action::OpenDetail);
    assert!(app.update(Action::ToggleRawJson).is_empty());
}

#[test]
fn scope_toggle_shows_resolved_and_archived_findings() {
    let mut app = loaded_app(400, 80, 24);
    let open = app.findings().table.view.len();
    assert!(app.findings().table.view.visible.iter().all(|&i| app.findings().table.rows[i as usize].is_open()));
    app.update(Action::ToggleScope);
    assert!(app.findings().table.view.len() > open);
    assert_eq!(app.findings().table.view.len(), app.findings().table.rows.len());
}

#[test]
fn pii_is_masked_until_revealed_and_the_filter_cannot_see_it() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::ShowPane(PaneId::Users));
    let ctx = app.cell_context();
    let emails: Vec<String> = app.users().table.rows.iter().filter_map(|a| a.email.clone()).collect();
    let first = emails.first().cloned().unwrap();
    let local_part = first.split('@').next().unwrap().to_string();
    assert!(app.users().table.rows.iter().all(|a| !vigil::view::Tabular::search_text(a, &ctx).contains(&local_part)));
    app.update(Action::OpenFilter);
    type_text(&mut app, &local_part);
    assert_eq!(app.users().table.view.len(), 0, "masked addresses cannot be searched for");
    app.update(Action::Input(InputEdit::Cancel));
    app.update(Action::TogglePii);
    app.update(Action::OpenFilter);
    type_text(&mut app, &local_part);
    assert!(!app.users().table.view.is_empty());
}

#[test]
fn a_failed_refresh_keeps_the_last_good_data_and_says_why() {
    let mut app = loaded_app(400, 80, 24);
    let before = app.secrets().rows.len();
    let error =
        SourceError::AccessDenied { action: "secretsmanager:ListSecrets".into(), message: "not authorized".into() };
    app.update(Action::Loaded {
        request: common::answer(&app, PaneId::Secrets),
        context: app.context().clone(),
        pane: PaneId::Secrets,
        at: fixed_now(),
        result: Err(error),
        index: None,
    });
    assert_eq!(app.secrets().rows.len(), before);
    assert!(app.secrets().status.error.as_deref().is_some_and(|e| e.contains("secretsmanager:ListSecrets")));
    assert_eq!(app.secrets().status.last_success, Some(fixed_now()));
}

#[test]
fn refreshes_are_due_per_pane_and_never_doubled() {
    let mut app = loaded_app(400, 80, 24);
    let first = app.update(Action::Tick(fixed_now()));
    assert_eq!(first.len(), PaneId::COUNT, "nothing attempted yet: every pane is due");
    assert!(app.update(Action::Tick(fixed_now() + Duration::seconds(11))).is_empty(), "all still in flight");
    let data = common::demo_source(400).generate(PaneId::Findings, fixed_now());
    app.update(Action::Loaded {
        request: common::answer(&app, PaneId::Findings),
        context: app.context().clone(),
        pane: PaneId::Findings,
        at: fixed_now(),
        result: Ok(data.into()),
        index: None,
    });
    let due = app.update(Action::Tick(fixed_now() + Duration::seconds(11)));
    assert_eq!(common::fetched(&app, &due), vec![PaneId::Findings]);
    assert!(app.update(Action::Refresh).is_empty(), "a refresh already in flight is not asked again");
}

#[test]
fn throttling_backs_off_with_jitter_keeps_the_data_and_recovers() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::Tick(fixed_now()));
    let before = app.certificates().rows.len();
    let throttled = || SourceError::Throttled { service: vigil::source::Service::Acm, message: "Rate exceeded".into() };
    let mut now = fixed_now();
    let mut waits = Vec::new();
    for _ in 0..4 {
        app.update(Action::Loaded {
            request: common::answer(&app, PaneId::Certificates),
            context: app.context().clone(),
            pane: PaneId::Certificates,
            at: now,
            result: Err(throttled()),
            index: None,
        });
        let retry_at = app.certificates().status.retry_at.expect("a retry is scheduled");
        waits.push((retry_at - now).num_milliseconds());
        let early = app.update(Action::Tick(retry_at - Duration::milliseconds(1)));
        assert!(!common::fetched(&app, &early).contains(&PaneId::Certificates));
        now = retry_at;
        let due = app.update(Action::Tick(now));
        assert!(common::fetched(&app, &due).contains(&PaneId::Certificates), "retried at {retry_at}");
    }
    assert!(waits.windows(2).all(|w| w[1] > w[0]), "each wait is longer: {waits:?}");
    assert!((4_000..=6_000).contains(&waits[0]), "first retry after about 5 s: {waits:?}");
    assert_eq!(app.certificates().rows.len(), before, "the last good data stays on screen");
    let text = app.certificates().status.error.clone().unwrap();
    assert!(text.contains("throttled by ACM"), "{text}");

    let data = common::demo_source(400).generate(PaneId::Certificates, now);
    app.update(Action::Loaded {
        request: common::answer(&app, PaneId::Certificates),
        context: app.context().clone(),
        pane: PaneId::Certificates,
        at: now,
        result: Ok(data.into()),
        index: None,
    });
    assert_eq!((app.certificates().status.failures, app.certificates().status.retry_at), (0, None), "recovered");
    assert!(app.certificates().status.error.is_none());
}

#[test]
fn errors_that_waiting_cannot_fix_wait_for_the_normal_interval() {
    let mut app = loaded_app(400, 80, 24);
    let denied = SourceError::AccessDenied { action: "acm:ListCertificates".into(), message: "no".into() };
    app.update(Action::Loaded {
        request: common::answer(&app, PaneId::Certificates),
        context: app.context().clone(),
        pane: PaneId::Certificates,
        at: fixed_now(),
        result: Err(denied),
        index: None,
    });
    let retry_at = app.certificates().status.retry_at.unwrap();
    assert_eq!(retry_at - fixed_now(), app.refresh_policy().interval(PaneId::Certificates));
}

#[test]
fn findings_that_arrive_later_are_new_until_seen() {
    let mut app = loaded_app(400, 80, 24);
    assert!(app.findings().unseen.is_empty(), "the first load is the baseline");
    let later = fixed_now() + Duration::seconds(60);
    let data = common::demo_source(400).generate(PaneId::Findings, later);
    app.update(Action::Loaded {
        request: common::answer(&app, PaneId::Findings),
        context: app.context().clone(),
        pane: PaneId::Findings,
        at: later,
        result: Ok(data.into()),
        index: None,
    });
    assert_eq!(app.findings().unseen.len(), 4, "one arrives every 15 s in the demo");
    // Walk the selection down to the first new finding in table order: it alone becomes seen.
    app.update(Action::ToggleScope);
    let pos = app
        .findings()
        .table
        .view
        .visible
        .iter()
        .position(|&i| app.findings().unseen.contains(&app.findings().table.rows[i as usize].identity()))
        .unwrap();
    let first_new = app.findings().table.rows[app.findings().table.view.visible[pos] as usize].identity();
    app.update(Action::First);
    for _ in 0..pos {
        app.update(Action::MoveDown);
    }
    assert!(!app.findings().unseen.contains(&first_new));
    assert_eq!(app.findings().unseen.len(), 3);
    app.update(Action::MarkAllSeen);
    assert!(app.findings().unseen.is_empty());
}

/// `:login` asks the runner to hand the terminal to `aws sso login` for the profile shown; the
/// demo has nothing to log in to.
#[test]
fn login_runs_the_profiles_sso_login_and_the_demo_says_it_has_none() {
    let mut app = loaded_app(40, 80, 24);
    assert!(app.update(vigil::action::Action::Login).is_empty());
    assert!(app.message().is_some_and(|(_, m)| m.contains("demo has no AWS session")), "{:?}", app.message());
    assert_eq!(vigil::app::login_command(Some("oncall")), ["aws", "sso", "login", "--profile", "oncall"]);
    assert_eq!(vigil::app::login_command(None), ["aws", "sso", "login"]);
}

/// In the all-contexts view no one profile is shown: `:login` logs in the contexts' one profile,
/// or says which there are and `:login PROFILE` chooses (only one of them: the word goes to a
/// program's arguments, never a shell).
#[test]
fn login_in_the_all_contexts_view_names_the_profile() {
    use vigil::action::{Action, Effect, InputEdit};
    use vigil::source::{Source, SourceInfo, SourceKind};
    let source = common::demo_source(40);
    let info = SourceInfo { kind: SourceKind::Aws, profile: None, ..source.info() };
    let choice = |profile: &str| vigil::model::ContextChoice { profile: Some(profile.into()), region: None };
    let mut app = vigil::app::App::new(info, common::fixed_now(), vigil::app::RefreshPolicy::aws())
        .with_contexts(vec![(choice("prod"), false), (choice("payments"), false)]);
    assert!(app.update(Action::Login).is_empty());
    assert!(app.message().is_some_and(|(_, m)| m == "several profiles here: :login PROFILE (payments, prod)"));
    let command = |app: &mut vigil::app::App, text: &str| {
        app.update(Action::OpenCommandLine);
        type_text(app, text);
        app.update(Action::Input(InputEdit::Submit))
    };
    let effects = command(&mut app, "login prod");
    assert!(
        matches!(effects.as_slice(), [Effect::RunInTerminal(c)] if c == &["aws", "sso", "login", "--profile", "prod"]),
        "{effects:?}"
    );
    assert!(command(&mut app, "login staging").is_empty());
    assert!(app.message().is_some_and(|(_, m)| m.starts_with("no profile 'staging' among the contexts")));
}

/// `:history` asks about the selected row: what it costs first, Enter runs it, `x` stops it, the
/// answer is kept for the session (the demo source answers as AWS's would be shown).
#[test]
fn history_asks_about_the_row_shows_the_cost_first_and_keeps_the_answer() {
    use vigil::action::Effect;
    use vigil::model::lake::{Subject, Window};
    use vigil::source::Source;
    let mut app = loaded_app(400, 100, 30);
    let source = common::demo_source(400);
    let runtime = common::runtime();
    let texts = |app: &vigil::app::App| -> String {
        let listing = app.listing().expect("the history listing is open");
        let rows: Vec<String> = listing.rows.iter().map(|r| r.cells.join(" | ")).collect();
        format!("{}\n{}\n{}", listing.title, listing.empty, rows.join("\n"))
    };
    let command = |app: &mut vigil::app::App, line: &str| {
        app.update(Action::OpenCommandLine);
        type_text(app, line);
        app.update(Action::Input(InputEdit::Submit))
    };
    let effects = command(&mut app, "history type 30d");
    let [Effect::HistoryPrepare { id, question }] = effects.as_slice() else { panic!("{effects:?}") };
    let (id, question) = (*id, question.clone());
    assert_eq!((question.subject, question.window), (Subject::Type, Window::days(30)));
    assert_eq!(app.mode(), Mode::Listing);
    assert!(texts(&app).contains("finding the table"), "{}", texts(&app));

    let prepared = runtime.block_on(source.history_prepare(&question)).unwrap();
    app.update(Action::HistoryPrepared { id: id + 1000, result: Err("an older question".into()) });
    assert!(texts(&app).contains("finding the table"), "another question's answer changes nothing");
    app.update(Action::HistoryPrepared { id, result: Ok(prepared) });
    let shown = texts(&app);
    assert!(shown.contains("Enter runs it") && shown.contains("Scans | about") && shown.contains('$'), "{shown}");

    let effects = app.update(Action::Jump);
    let [Effect::HistoryRun { id, prepared }] = effects.as_slice() else { panic!("{effects:?}") };
    let (id, prepared) = (*id, prepared.clone());
    assert_eq!(app.update(Action::StopHistory), vec![Effect::HistoryStop { id }]);
    // Asking the same while it runs reopens it; `x` in another list is not history's.
    app.update(Action::Back);
    assert!(command(&mut app, "history type 30d").is_empty(), "reopened, not restarted");
    app.update(Action::OpenRadar);
    assert!(app.update(Action::StopHistory).is_empty() && app.update(Action::RerunHistory).is_empty());
    app.update(Action::Back);
    assert!(command(&mut app, "history type 30d").is_empty());
    let seen = std::sync::Mutex::new(Vec::new());
    let cancel = vigil::model::lake::Cancel::default();
    let finished = runtime.block_on(source.history_run(&prepared, &cancel, &|p| seen.lock().unwrap().push(p))).unwrap();
    let progress = seen.lock().unwrap()[0].clone();
    app.update(Action::HistoryProgress { id, progress });
    assert!(texts(&app).contains("Running: RUNNING"), "{}", texts(&app));
    app.update(Action::HistoryFinished { id, result: Ok(finished) });
    let shown = texts(&app);
    assert!(shown.contains("Findings per day") && shown.contains("First seen") && shown.contains("Scanned"), "{shown}");

    // Asked again: the session's answer, at once; `r` asks Athena anew.
    app.update(Action::Back);
    assert!(command(&mut app, "history 30d type").is_empty());
    assert!(texts(&app).contains("Findings per day"));
    assert!(matches!(app.update(Action::RerunHistory).as_slice(), [Effect::HistoryPrepare { .. }]));

    // What cannot be asked is said.
    app.update(Action::Back);
    assert!(command(&mut app, "history sometime").is_empty());
    assert!(app.message().as_ref().is_some_and(|(_, m)| m.contains("expected a kind")), "{:?}", app.message());
    app.update(Action::ShowPane(PaneId::Certificates));
    assert!(command(&mut app, "history ip").is_empty());
    assert!(app.message().as_ref().is_some_and(|(_, m)| m.contains("no ip")), "{:?}", app.message());
    let effects = command(&mut app, "history");
    assert!(
        matches!(effects.as_slice(), [Effect::HistoryPrepare { question, .. }] if question.subject == Subject::Resource)
    );
}
