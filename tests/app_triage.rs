//! Triage through the app's actions, headless: marks, the menu, the required note, the confirm
//! dialog (anything but y/Enter cancels), read-only, refusals with reasons, the outcome view, the
//! refresh that follows, and the confirm/outcome views as rendered.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use common::{loaded_app, type_text};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use vigil::action::{Action, Effect, InputEdit};
use vigil::app::Mode;
use vigil::model::triage::{TargetOutcome, TriageAction};
use vigil::model::{FindingOrigin, WorkflowStatus};
use vigil::pane::PaneId;
use vigil::source::Source;

fn render(app: &vigil::app::App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| vigil::ui::draw(f, app, &vigil::ui::theme::Theme::default())).unwrap();
    terminal
}

/// Selects the first open finding that has a Security Hub copy.
fn select_security_hub_finding(app: &mut vigil::app::App) {
    for _ in 0..50 {
        if app.findings().table.selected().is_some_and(|f| f.sources.contains(&FindingOrigin::Securityhub)) {
            return;
        }
        app.update(Action::MoveDown);
    }
    panic!("no Security Hub finding near the top");
}

#[test]
fn resolve_with_a_note_goes_through_confirm_to_one_apply() {
    let mut app = loaded_app(400, 80, 24);
    select_security_hub_finding(&mut app);
    let id = app.findings().table.selected().unwrap().id.clone();
    app.update(Action::OpenActionMenu);
    assert_eq!(app.mode(), Mode::ActionMenu);
    assert!(app.update(Action::MenuChoice('r')).is_empty());
    assert_eq!(app.mode(), Mode::Note);
    app.update(Action::Input(InputEdit::Submit));
    assert_eq!(app.mode(), Mode::Note, "an empty note is refused");
    assert!(app.message().as_ref().is_some_and(|(_, m)| m.contains("note is required")));
    type_text(&mut app, "false alarm, load test");
    app.update(Action::Input(InputEdit::Submit));
    assert_eq!(app.mode(), Mode::Confirm);
    insta::assert_snapshot!("confirm_resolve_80x24", common::without_tabs(&render(&app)));
    let effects = app.update(Action::ConfirmYes);
    let [Effect::Apply { pane, action, targets, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(*pane, PaneId::Findings);
    assert_eq!(
        *action,
        TriageAction::Findings(vigil::model::panes::findings::Action::SetWorkflow {
            status: WorkflowStatus::Resolved,
            note: "false alarm, load test".into()
        })
    );
    assert_eq!(targets.iter().map(|t| t.id.clone()).collect::<Vec<_>>(), vec![id]);
    assert!(targets[0].product_arn.is_some());
}

#[test]
fn anything_but_y_or_enter_cancels_the_confirm_dialog() {
    let mut app = loaded_app(400, 80, 24);
    common::select_where(&mut app, PaneId::Users, |app| {
        app.users().table.selected().is_some_and(|a| !a.username.is_empty())
    });
    app.update(Action::OpenActionMenu);
    app.update(Action::MenuChoice('g'));
    assert_eq!(app.mode(), Mode::Confirm);
    assert!(app.update(Action::ConfirmNo).is_empty());
    assert_eq!(app.mode(), Mode::Normal);
    assert!(app.draft().is_none());
}

#[test]
fn bulk_marks_every_filtered_row_and_the_dialog_says_how_many() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::OpenFilter);
    type_text(&mut app, "sshbrute");
    app.update(Action::Input(InputEdit::Submit));
    let shown = app.findings().table.view.len();
    app.update(Action::ToggleMarkVisible);
    assert_eq!(app.findings().table.marked.len(), shown);
    app.update(Action::OpenActionMenu);
    app.update(Action::MenuChoice('a'));
    let draft = app.draft().cloned().unwrap();
    assert_eq!(draft.targets.len(), shown, "every marked GuardDuty finding is a target");
    assert!(draft.targets.iter().all(|t| t.guardduty.is_some()));
    let effects = app.update(Action::ConfirmYes);
    assert!(matches!(effects.as_slice(), [Effect::Apply { targets, .. }] if targets.len() == shown));
}

#[test]
fn read_only_never_produces_a_write() {
    let mut app = loaded_app(400, 80, 24).with_read_only(true);
    for pane in PaneId::ALL {
        app.update(Action::ShowPane(pane));
        for entry in vigil::app::triage::menu(pane) {
            app.update(Action::OpenActionMenu);
            let effects = app.update(Action::MenuChoice(entry.key));
            assert!(effects.iter().all(|e| matches!(e, Effect::Clipboard(_))), "{pane:?} {}: {effects:?}", entry.label);
            assert_ne!(app.mode(), Mode::Confirm);
            assert!(app.update(Action::ConfirmYes).is_empty());
        }
    }
}

#[test]
fn refused_rows_are_named_with_their_reason_and_audited() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::ShowPane(PaneId::Secrets));
    // The rotation-off secret cannot be rotated.
    for _ in 0..30 {
        if app.secrets().selected().is_some_and(|s| !s.rotation_enabled && s.deleted_date.is_none()) {
            break;
        }
        app.update(Action::MoveDown);
    }
    app.update(Action::OpenActionMenu);
    let effects = app.update(Action::MenuChoice('r'));
    assert!(matches!(effects.as_slice(), [Effect::AuditRefusal { .. }]), "{effects:?}");
    assert_eq!(app.mode(), Mode::Outcome);
    let outcome = app.outcome().cloned().unwrap();
    assert!(outcome.refused[0].1.contains("rotation is not configured"), "{outcome:?}");
}

#[test]
fn the_outcome_lists_each_target_and_the_pane_refreshes() {
    let mut app = loaded_app(400, 80, 24);
    common::select_where(&mut app, PaneId::Users, |app| {
        app.users().table.selected().is_some_and(|a| !a.username.is_empty())
    });
    app.update(Action::OpenActionMenu);
    app.update(Action::MenuChoice('d'));
    let Some(draft) = app.draft().cloned() else { panic!("no draft") };
    let effects = app.update(Action::ConfirmYes);
    let [Effect::Apply { request, action, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    let outcomes = vec![TargetOutcome::failed(draft.targets[0].clone(), "NotAuthorizedException: no admin rights")];
    let effects = app.update(Action::Applied {
        request: *request,
        context: app.context().clone(),
        pane: PaneId::Users,
        action: action.clone(),
        outcomes,
        audit_error: None,
    });
    assert!(
        matches!(effects.as_slice(), [Effect::Fetch { pane: PaneId::Users, context, .. }] if context == app.context()),
        "AWS's state, not a guess: {effects:?}"
    );
    assert_eq!(app.mode(), Mode::Outcome);
    insta::assert_snapshot!("outcome_failed_80x24", common::without_tabs(&render(&app)));
    let text = format!("{:?}", render(&app).backend());
    assert!(text.contains("NotAuthorizedException"));
    for email in app.users().table.rows.iter().filter_map(|a| a.email.as_deref()) {
        assert!(!text.contains(email), "{email} shown unmasked");
    }
}

#[test]
fn an_audit_failure_is_shown_not_swallowed() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::Applied {
        request: 0,
        context: app.context().clone(),
        pane: PaneId::Secrets,
        action: vigil::model::triage::TriageAction::Secrets(vigil::model::panes::secrets::Action::RotateSecret),
        outcomes: vec![],
        audit_error: Some("cannot write the audit log /x: denied".into()),
    });
    let text = format!("{:?}", render(&app).backend());
    assert!(text.contains("cannot write the audit log"));
}

#[test]
fn findings_fold_into_groups_open_with_enter_and_a_group_is_one_bulk_target() {
    let mut app = loaded_app(400, 80, 24);
    let flat = app.findings().table.view.visible.len();
    app.update(Action::CycleGrouping);
    assert_eq!(app.findings().table.group_by, Some(vigil::model::grouping::GroupBy::Type));
    let view = &app.findings().table.view;
    let groups = view.group_headers().len();
    assert!(groups > 5 && view.len() == groups, "closed groups: one line each");
    assert_eq!(view.group_headers().iter().map(|g| g.members.len()).sum::<usize>(), flat, "every finding in a group");
    // The first group holds the finding the flat list put first.
    assert_eq!(app.findings().table.view.selected_group().map(|g| g.members[0]), {
        let mut flat_view = app.findings().table.view.clone();
        flat_view.ungroup(&app.findings().table.rows);
        flat_view.selected_index().map(|i| i as u32)
    });
    // Enter opens the group under the selection; Enter on a finding opens its detail.
    app.update(Action::OpenDetail);
    assert_eq!(app.mode(), Mode::Normal);
    let members = app.findings().table.view.selected_group().map(|g| g.members.len()).unwrap();
    assert_eq!(app.findings().table.view.len(), groups + members);
    app.update(Action::MoveDown);
    app.update(Action::OpenDetail);
    assert_eq!(app.mode(), Mode::Detail { raw: false });
    app.update(Action::Back);
    app.update(Action::MoveUp);
    // An action on a group's header acts on every finding of it.
    app.update(Action::OpenActionMenu);
    assert_eq!(app.mode(), Mode::ActionMenu);
    let effects = app.update(Action::MenuChoice('y'));
    let [Effect::Clipboard(ids)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(ids.split(' ').count(), members, "the whole group: {ids}");
    // Space marks the group; the cycle ends in the flat list with the marks kept.
    app.update(Action::ToggleMark);
    assert_eq!(app.findings().table.marked.len(), members);
    for _ in 0..5 {
        app.update(Action::CycleGrouping);
    }
    assert_eq!(app.findings().table.group_by, None);
    assert_eq!(app.findings().table.view.len(), flat);
    assert_eq!(app.findings().table.marked.len(), members);
}

#[test]
fn the_group_command_names_its_keys_and_refuses_others() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "group account");
    app.update(Action::Input(InputEdit::Submit));
    let view = &app.findings().table.view;
    assert_eq!(view.group_headers().len(), 1, "the demo is one account");
    assert!(view.group_headers()[0].label.contains("482913570246"), "{:?}", view.group_headers()[0].label);
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "group severity");
    app.update(Action::Input(InputEdit::Submit));
    let (_, text) = app.message().cloned().unwrap();
    assert!(text.contains("cannot group by 'severity'") && text.contains("type, resource"), "{text}");
    assert_eq!(app.findings().table.group_by, Some(vigil::model::grouping::GroupBy::Account), "unchanged");
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "group off");
    app.update(Action::Input(InputEdit::Submit));
    assert!(!app.findings().table.view.is_grouped());
    // A pane without groups says so.
    app.update(Action::ShowPane(PaneId::Certificates));
    app.update(Action::CycleGrouping);
    let (_, text) = app.message().cloned().unwrap();
    assert!(text.contains("no groups"), "{text}");
}

#[test]
fn the_radar_lists_what_falls_due_and_enter_goes_to_it_and_backspace_comes_back() {
    let mut app = loaded_app(400, 100, 30);
    let from = app.findings().table.selected().map(|f| f.id.clone()).unwrap();
    app.update(Action::OpenRadar);
    assert_eq!(app.mode(), Mode::Listing);
    let listing = app.listing().cloned().unwrap();
    let days: Vec<i64> = listing.rows.iter().map(|r| r.cells[0].trim_end_matches('d').parse().unwrap_or(0)).collect();
    // What is past due first (what breaks hardest first: an expired certificate in use before a
    // late rotation), then what falls due, the soonest first.
    let past = days.iter().take_while(|&&d| d <= 0).count();
    assert!(days[past..].iter().all(|&d| d > 0), "past due first: {days:?}");
    assert!(days[past..].windows(2).all(|w| w[0] <= w[1]), "then the soonest first: {days:?}");
    assert_eq!(listing.rows[0].cells[1], "expired, in use", "the hardest break first");
    let dues: Vec<&str> = listing.rows.iter().map(|r| r.cells[1].as_str()).collect();
    for due in [
        "expired, in use",
        "renewal failed",
        "renewal waits for validation",
        "imported: never renews",
        "expires soon",
        "rotation stuck",
        "rotation overdue",
        "deleted, was still read",
        "not eligible for renewal",
    ] {
        assert!(dues.contains(&due), "the demo shows every rule: {due} missing from {dues:?}");
    }
    // The first certificate on the radar, in the Certificates pane.
    let at = listing.rows.iter().position(|r| r.jump.as_ref().is_some_and(|j| j.pane == PaneId::Certificates)).unwrap();
    let target = listing.rows[at].jump.clone().unwrap();
    app.update(Action::MoveDown);
    let moved = app.listing().unwrap().selected;
    assert_eq!(moved, 1);
    app.update(Action::MoveUp);
    for _ in 0..at {
        app.update(Action::MoveDown);
    }
    app.update(Action::Jump);
    assert_eq!((app.mode(), app.current()), (Mode::Normal, PaneId::Certificates));
    assert_eq!(app.certificates().selected().map(|c| c.arn.clone()), Some(target.key.clone()));
    app.update(Action::JumpBack);
    assert_eq!(app.current(), PaneId::Findings);
    assert_eq!(app.findings().table.selected().map(|f| f.id.clone()), Some(from));
    app.update(Action::JumpBack);
    assert!(app.message().is_some_and(|(_, m)| m.contains("no jump")));
}

#[test]
fn related_lists_the_findings_controls_and_names_of_a_certificates_load_balancer() {
    let mut app = loaded_app(400, 100, 30);
    app.update(Action::ShowPane(PaneId::Certificates));
    app.update(Action::OpenFilter);
    type_text(&mut app, "legacy-api");
    app.update(Action::Input(InputEdit::Submit));
    app.update(Action::OpenRelated);
    let listing = app.listing().cloned().unwrap();
    assert!(listing.title.contains("legacy-api.shop.example.com"), "{}", listing.title);
    let headings: Vec<&str> = listing.rows.iter().filter(|r| r.heading).map(|r| r.cells[0].as_str()).collect();
    assert!(headings.iter().any(|h| h.starts_with("Findings on it")), "{headings:?}");
    assert!(headings.iter().any(|h| h.starts_with("Controls it fails")), "{headings:?}");
    assert!(headings.iter().any(|h| h.starts_with("Secrets")), "{headings:?}");
    assert!(
        listing.rows.iter().any(|r| r.cells.get(3).is_some_and(|why| why == "name: legacy")),
        "the legacy secret by name"
    );
    assert!(
        listing.rows.iter().all(|r| r.cells.get(1).is_none_or(|w| w != "legacy-api.shop.example.com")),
        "not itself"
    );
    // The first finding on the load balancer, then back to the certificate.
    assert_eq!(listing.rows[listing.selected].jump.as_ref().map(|j| j.pane), Some(PaneId::Findings));
    app.update(Action::Jump);
    assert_eq!(app.current(), PaneId::Findings);
    let finding = app.findings().table.selected().cloned().unwrap();
    assert!(finding.resource.contains("loadbalancer/app/legacy-api"), "{}", finding.resource);
    // From the finding, the certificate that serves its load balancer.
    app.update(Action::OpenRelated);
    let back = app.listing().cloned().unwrap();
    assert!(back.rows.iter().any(|r| r.cells.get(3).is_some_and(|w| w == "serves it")), "{:?}", back.rows);
    app.update(Action::Back);
    app.update(Action::JumpBack);
    assert_eq!(app.current(), PaneId::Certificates);
    assert_eq!(app.certificates().selected().map(|c| c.domain.as_str()), Some("legacy-api.shop.example.com"));
}

#[test]
fn what_to_fix_first_lists_each_standards_fixes_trend_and_pci_requirements() {
    let mut app = loaded_app(400, 120, 40);
    app.update(Action::ShowPane(PaneId::Compliance));
    // The demo makes up a past for its scores: each standard has a trend.
    let arn = app.compliance().standards[0].arn.clone();
    let trend = app.score_history().trend(&app.score_key(&arn), app.now(), 7);
    assert!(trend.since_yesterday.is_some() && trend.since_last_week.is_some(), "{trend:?}");
    app.update(Action::OpenLens(vigil::pane::PaneId::Compliance));
    let listing = app.listing().cloned().unwrap();
    let headings: Vec<&str> = listing.rows.iter().filter(|r| r.heading).map(|r| r.cells[0].as_str()).collect();
    for standard in &app.compliance().standards {
        assert!(headings.iter().any(|h| h.starts_with(&format!("{} ", standard.short))), "{headings:?}");
    }
    assert!(headings.iter().any(|h| h.contains("PCI DSS requirements at risk")), "{headings:?}");
    assert!(headings.iter().any(|h| h.contains("1d ") && h.contains("7d ")), "{headings:?}");
    // A control shared by two standards says what fixing it does for the other one.
    assert!(listing.rows.iter().any(|r| r.cells.get(3).is_some_and(|g| g.contains(" in PCI)"))), "{:?}", listing.rows);
    let requirement = listing.rows.iter().find(|r| r.cells[0].starts_with("Req. ")).unwrap();
    assert!(requirement.cells[3].contains("PCI."), "{requirement:?}");
    // Enter goes to the first fix's control in the table.
    let first = listing.rows[listing.selected].clone();
    app.update(Action::Jump);
    assert_eq!((app.mode(), app.current()), (Mode::Normal, PaneId::Compliance));
    assert_eq!(app.compliance().table.selected().map(|r| r.control.id.clone()), Some(first.cells[0].clone()));
}

#[test]
fn new_scores_are_recorded_and_saved_only_where_kept() {
    use vigil::source::Source;
    let source = common::demo_source(400);
    for keep in [false, true] {
        let mut app = vigil::app::App::new(source.info(), common::fixed_now(), vigil::app::RefreshPolicy::demo())
            .with_score_history(Default::default(), keep);
        let effects = app.update(Action::Loaded {
            request: None,
            context: app.context().clone(),
            pane: PaneId::Compliance,
            at: common::fixed_now(),
            result: Ok(source.generate(PaneId::Compliance, common::fixed_now()).into()),
            index: None,
        });
        let saved: Vec<_> = effects.iter().filter(|e| matches!(e, Effect::SaveScoreHistory(_))).collect();
        assert_eq!(saved.len(), usize::from(keep), "{effects:?}");
        let key = app.score_key(vigil::app::SUMMARY_SERIES);
        assert_eq!(app.score_history().score_at(&key, common::fixed_now()), app.compliance().summary_score);
    }
}

#[test]
fn the_anti_fraud_lens_shows_each_pools_rates_clusters_and_risky_sign_ins_masked() {
    let mut app = loaded_app(400, 120, 40);
    app.update(Action::ShowPane(PaneId::Users));
    app.update(Action::OpenLens(vigil::pane::PaneId::Users));
    let listing = app.listing().cloned().unwrap();
    let headings: Vec<&str> = listing.rows.iter().filter(|r| r.heading).map(|r| r.cells[0].as_str()).collect();
    assert_eq!(headings.len(), app.users().pools.len(), "{headings:?}");
    assert!(headings.iter().all(|h| h.contains("sign-ups last hour (usual ")), "{headings:?}");
    assert!(headings.iter().any(|h| h.ends_with("counted by CloudWatch")), "{headings:?}");
    assert!(
        headings.iter().any(|h| h.ends_with("from the users read")),
        "the partners' pool has no series: {headings:?}"
    );
    let signals: Vec<&str> = listing.rows.iter().filter(|r| !r.heading).map(|r| r.cells[0].as_str()).collect();
    for kind in
        ["SIGN-UP CLUSTER", "COMPROMISED CREDS", "HIGH-RISK SIGN-IN", "FAILED SIGN-INS", "RISKY SIGN-INS", "SIGN-INS"]
    {
        assert!(signals.contains(&kind), "{kind} missing from {signals:?}");
    }
    let text: String = listing.rows.iter().flat_map(|r| r.cells.iter()).cloned().collect::<Vec<_>>().join(" ");
    assert!(text.contains("@quickmail.example: 12 new accounts") && text.contains("+7900…"), "{text}");
    // The quickmail examples' local parts (deal12345) and the numbers past the prefix stay hidden.
    assert!(!text.contains("deal"), "e-mail examples masked: {text}");
    let raw_number =
        text.match_indices("+7900").any(|(at, _)| text[at + 5..].starts_with(|c: char| c.is_ascii_digit()));
    assert!(!raw_number, "phone examples masked: {text}");
    assert!(text.contains("***@example."), "users masked: {text}");
    // Enter goes to the signal in the Users table.
    app.update(Action::Jump);
    assert_eq!((app.mode(), app.current()), (Mode::Normal, PaneId::Users));
    assert!(app.users().table.selected().is_some());
}

#[test]
fn the_board_comes_and_goes_and_a_pane_key_leaves_it() {
    let mut app = loaded_app(400, 120, 35);
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "board");
    app.update(Action::Input(InputEdit::Submit));
    assert!(app.showing_board());
    assert_eq!(app.key_context(), Some(vigil::keymap::KeyContext::Board));
    let counts = app.board_state().counts().unwrap();
    assert_eq!(
        counts.iter().map(|(_, n)| n).sum::<usize>(),
        app.findings().table.view.total(),
        "open findings, every severity"
    );
    // The last day's by priority, then older ones newest first.
    let day_ago = common::fixed_now() - chrono::Duration::hours(vigil::app::board::NEWEST_WINDOW_HOURS);
    let newest = &app.board_state().newest;
    let (recent, older): (Vec<_>, Vec<_>) = newest.iter().partition(|f| f.first_seen >= day_ago);
    assert_eq!(newest.iter().take(recent.len()).filter(|f| f.first_seen >= day_ago).count(), recent.len());
    assert!(recent.windows(2).all(|w| w[0].risk.score >= w[1].risk.score), "by priority within the day");
    assert!(older.windows(2).all(|w| w[0].first_seen >= w[1].first_seen), "newest first after it");
    assert!(app.board_state().newest.iter().all(|f| f.severity >= vigil::model::SeverityLabel::High && f.is_open()));
    app.update(Action::ToggleBoard);
    assert!(!app.showing_board());
    app.update(Action::ToggleBoard);
    // Through the keymap, as the runner reads a key: 3 on the board shows the Secrets pane.
    let three = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('3'));
    let action = app.keymap().action_for(vigil::keymap::KeyContext::Board, &three).expect("3 is bound on the board");
    app.update(action);
    assert!(!app.showing_board(), "a pane key shows the pane");
    assert_eq!(app.current(), PaneId::Secrets);
}

/// A refresh that brings a finding ahead of the others keeps the selection on its record, flat
/// and grouped (the view's positions were the old rows').
#[test]
fn a_refresh_keeps_the_selection_on_its_record_flat_and_grouped() {
    for grouped in [false, true] {
        let mut app = loaded_app(400, 100, 30);
        if grouped {
            app.update(Action::OpenCommandLine);
            type_text(&mut app, "group resource");
            app.update(Action::Input(InputEdit::Submit));
            app.update(Action::MoveDown);
            app.update(Action::MoveDown);
            app.update(Action::OpenDetail);
            app.update(Action::MoveDown);
        } else {
            for _ in 0..5 {
                app.update(Action::MoveDown);
            }
        }
        let chosen = app.findings().table.selected().map(|f| f.identity()).unwrap();
        let mut findings = app.findings().table.rows.to_vec();
        let mut newcomer = (*findings[findings.len() / 2]).clone();
        newcomer.id = "arn:aws:securityhub:us-east-1:482913570246:finding/newcomer".into();
        newcomer.resource = "arn:aws:s3:::a-new-bucket".into();
        findings.insert(0, std::sync::Arc::new(newcomer));
        app.update(Action::Loaded {
            request: None,
            context: app.context().clone(),
            pane: PaneId::Findings,
            at: common::fixed_now(),
            result: Ok(vigil::source::PaneData::Findings(findings).into()),
            index: None,
        });
        assert_eq!(app.findings().table.selected().map(|f| f.identity()), Some(chosen), "grouped: {grouped}");
    }
}

#[test]
fn a_new_serious_finding_rings_once_and_what_was_there_rings_nothing() {
    use vigil::source::Source;
    let settings = vigil::config::Config::default().alert_settings(true);
    let source = common::demo_source(400);
    let mut app = vigil::app::App::new(source.info(), common::fixed_now(), vigil::app::RefreshPolicy::demo())
        .with_alerts(settings);
    let vigil::source::PaneData::Findings(mut findings) = source.generate(PaneId::Findings, common::fixed_now()) else {
        panic!()
    };
    let load = |app: &mut vigil::app::App, findings| alerts_of(reload(app, findings));
    assert!(load(&mut app, findings.clone()).is_empty(), "the first load is the baseline");
    let mut newcomer = (*findings[0]).clone();
    newcomer.id = "arn:aws:guardduty:us-east-1:482913570246:detector/d/finding/new-one".into();
    newcomer.severity = vigil::model::SeverityLabel::Critical;
    newcomer.title = "Brand new".into();
    findings.push(std::sync::Arc::new(newcomer));
    let rang = load(&mut app, findings.clone());
    assert_eq!(rang.len(), 1, "{rang:?}");
    assert!(rang[0].title.contains("CRITICAL finding: Brand new"), "{}", rang[0].title);
    assert!(load(&mut app, findings.clone()).is_empty(), "never twice for the same thing");
    // Another account: its first load is a baseline too, not every finding arriving at once.
    let other = vigil::source::SourceInfo { account: "999999999999".into(), ..app.info().clone() };
    app.update(Action::SwitchContext(other));
    let renamed: Vec<_> = findings
        .iter()
        .map(|f| {
            let mut f = (**f).clone();
            f.id = f.id.replace("482913570246", "999999999999");
            std::sync::Arc::new(f)
        })
        .collect();
    assert!(load(&mut app, renamed).is_empty(), "the new account's first load rang");
}

/// Every row of 100,000 findings marked and resolved at once: each is one target, built in one
/// pass (targets are deduplicated by their record key in a set, not by searching the list so far,
/// which at this size would take minutes).
#[test]
fn a_hundred_thousand_marked_findings_are_a_hundred_thousand_targets() {
    let mut app = loaded_app(100_000, 80, 24);
    let shown = app.findings().table.view.len();
    assert!(shown >= 70_000, "the open findings of 100,000: {shown}");
    app.update(Action::ToggleMarkVisible);
    app.update(Action::OpenActionMenu);
    app.update(Action::MenuChoice('r'));
    type_text(&mut app, "bulk close after the patch window");
    app.update(Action::Input(InputEdit::Submit));
    let draft = app.draft().cloned().unwrap();
    assert_eq!(draft.targets.len() + draft.refused.len(), shown, "every row a target or refused, once");
    let keys: std::collections::HashSet<String> = draft.targets.iter().map(|t| t.key()).collect();
    assert_eq!(keys.len(), draft.targets.len(), "no record twice");
}

/// `o` on a control lists the resources that fail it (its findings share its title: the resource
/// is what tells them apart), and every FAILED control has some.
#[test]
fn related_on_a_control_lists_the_resources_failing_it() {
    let mut app = loaded_app(400, 100, 30);
    app.update(Action::ShowPane(PaneId::Compliance));
    app.update(Action::First);
    let control = app.compliance().table.selected().map(|r| r.control.clone()).unwrap();
    assert_eq!(control.status, vigil::model::ControlStatus::Failed, "the default view lists failing controls first");
    app.update(Action::OpenRelated);
    let listing = app.listing().cloned().unwrap();
    let heading = listing.rows.iter().find(|r| r.heading).map(|r| r.cells[0].clone()).unwrap_or_default();
    assert!(heading.starts_with("Resources failing it"), "{heading}");
    let items: Vec<&vigil::app::listing::ListingRow> = listing.rows.iter().filter(|r| !r.heading).collect();
    assert!(!items.is_empty(), "a FAILED control has findings saying where");
    assert!(items.iter().all(|r| r.cells[0] != control.title), "resources, not the control's title: {items:?}");
}

/// "Suppress like this" on a control finding: one rule with the finding's product, account,
/// resource and control, shown in the confirm dialog; the demo makes it, `:rules` lists it and `d`
/// deletes it, each step confirmed.
#[test]
fn suppress_like_this_makes_a_rule_that_rules_lists_and_d_deletes() {
    use vigil::model::panes::findings::Action as FindingAction;
    use vigil::source::Source;
    let source = common::demo_source(400);
    let mut app = loaded_app(400, 120, 40);
    common::select_where(&mut app, PaneId::Findings, |app| {
        app.findings().table.selected().is_some_and(|f| f.control_id.as_deref() == Some("ELB.1"))
    });
    let finding = app.findings().table.selected().cloned().unwrap();
    app.update(Action::OpenActionMenu);
    app.update(Action::MenuChoice('R'));
    assert_eq!(app.mode(), Mode::Note);
    type_text(&mut app, "legacy balancer, retired in January");
    app.update(Action::Input(InputEdit::Submit));
    assert_eq!(app.mode(), Mode::Confirm);
    let dialog = common::without_tabs(&render(&app));
    assert!(dialog.contains("CreateAutomationRule"), "{dialog}");
    let effects = app.update(Action::ConfirmYes);
    let [Effect::Apply { request, action, targets, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    let like = targets[0].likeness.clone().expect("the rule's criteria");
    assert_eq!(like.control.as_deref(), Some("ELB.1"));
    assert_eq!((like.resource.as_str(), like.account.as_str()), (&*finding.resource, &*finding.account_id));
    assert_eq!(like.finding_type, None, "a control finding is matched by its control, not its type");
    let outcomes = common::runtime().block_on(source.apply(action, targets));
    assert!(
        outcomes[0].error.is_none() && outcomes[0].detail.as_deref().is_some_and(|d| d.contains("automation-rule/"))
    );
    let (request, action) = (*request, action.clone());
    app.update(Action::Applied {
        request,
        pane: PaneId::Findings,
        context: app.context().clone(),
        action,
        outcomes,
        audit_error: None,
    });
    app.update(Action::Back);

    let effects = app.update(Action::OpenAutomationRules);
    assert!(matches!(effects.as_slice(), [Effect::FetchAutomationRules { .. }]), "{effects:?}");
    assert!(app.listing().is_some_and(|l| l.rows.is_empty()), "asking");
    let rules = common::runtime().block_on(source.automation_rules()).unwrap();
    app.update(Action::AutomationRulesArrived { context: app.context().clone(), result: Ok(rules.clone()) });
    let listing = app.listing().cloned().unwrap();
    assert_eq!(listing.rows.len(), 1);
    assert!(listing.rows[0].cells[1].starts_with("vigil: suppress ELB.1 on "), "{:?}", listing.rows[0]);
    app.update(Action::DeleteListedRule);
    assert_eq!(app.mode(), Mode::Confirm);
    let effects = app.update(Action::ConfirmYes);
    let [Effect::Apply { action, targets, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(*action, TriageAction::Findings(FindingAction::DeleteAutomationRule));
    assert_eq!(targets[0].id, rules[0].arn);
    let outcomes = common::runtime().block_on(source.apply(action, targets));
    assert!(outcomes[0].error.is_none(), "{outcomes:?}");
    assert!(common::runtime().block_on(source.automation_rules()).unwrap().is_empty());
}

#[test]
fn a_serious_finding_from_the_live_feed_rings_at_once() {
    use vigil::source::Source;
    let settings = vigil::config::Config::default().alert_settings(true);
    let source = common::demo_source(400);
    let mut app = vigil::app::App::new(source.info(), common::fixed_now(), vigil::app::RefreshPolicy::demo())
        .with_alerts(settings);
    let vigil::source::PaneData::Findings(findings) = source.generate(PaneId::Findings, common::fixed_now()) else {
        panic!()
    };
    reload(&mut app, findings.clone());
    let mut newcomer = (*findings[0]).clone();
    newcomer.id = "arn:aws:securityhub:us-east-1:482913570246:finding/live-one".into();
    newcomer.guardduty_id = None;
    newcomer.sources = vec![vigil::model::FindingOrigin::Securityhub];
    newcomer.severity = vigil::model::SeverityLabel::Critical;
    newcomer.workflow_status = vigil::model::WorkflowStatus::New;
    newcomer.record_state = vigil::model::RecordState::Active;
    newcomer.title = "Arrived live".into();
    let at = common::fixed_now() + chrono::Duration::seconds(5);
    let effects = app.update(Action::LiveEvents {
        context: app.context().clone(),
        findings: vec![newcomer],
        malformed: vec![],
        at,
    });
    let rang = alerts_of(effects);
    assert_eq!(rang.len(), 1, "{rang:?}");
    assert!(rang[0].title.contains("Arrived live"), "{}", rang[0].title);
}

/// A findings refresh as the runner hands it over (no index prepared): its effects.
fn reload(app: &mut vigil::app::App, findings: Vec<std::sync::Arc<vigil::model::Finding>>) -> Vec<Effect> {
    app.update(Action::Loaded {
        request: None,
        context: app.context().clone(),
        pane: PaneId::Findings,
        at: common::fixed_now(),
        result: Ok(vigil::source::PaneData::Findings(findings).into()),
        index: None,
    })
}

/// The alerts among `effects`.
fn alerts_of(effects: Vec<Effect>) -> Vec<vigil::model::alerts::Alert> {
    effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Alert { alerts, .. } => Some(alerts),
            _ => None,
        })
        .flatten()
        .collect()
}

/// Marks belong to records, not positions: a refresh that reorders the rows keeps each mark on its
/// record, and a marked record that left takes its mark with it.
#[test]
fn marks_follow_their_records_through_a_refresh_that_reorders_them() {
    let mut app = loaded_app(400, 100, 30);
    let marked_keys = |app: &vigil::app::App| -> Vec<String> {
        let table = &app.findings().table;
        table.marked.indexes().map(|i| table.rows[i].identity()).collect()
    };
    app.update(Action::First);
    app.update(Action::ToggleMark);
    app.update(Action::MoveDown);
    app.update(Action::MoveDown);
    app.update(Action::ToggleMark);
    let [gone, kept] = <[String; 2]>::try_from(marked_keys(&app)).unwrap();
    let mut rows: Vec<_> = app.findings().table.rows.iter().filter(|f| f.identity() != gone).cloned().collect();
    rows.reverse();
    reload(&mut app, rows);
    assert_eq!(marked_keys(&app), std::slice::from_ref(&kept), "the mark on the record that left went with it");
    app.update(Action::OpenActionMenu);
    app.update(Action::MenuChoice('r'));
    type_text(&mut app, "reordered");
    app.update(Action::Input(InputEdit::Submit));
    let draft = app.draft().cloned().unwrap();
    assert_eq!(draft.targets.len() + draft.refused.len(), 1, "{draft:?}");
    if let Some(target) = draft.targets.first() {
        assert_eq!(target.key(), kept);
    }
}

/// An action on thousands of rows: the outcome view lists the failures first and as many as fit,
/// then says how many more there are, and is drawn at the cost of what fits (it is drawn every
/// second while open). Before, every outcome was wrapped on every frame.
#[test]
fn the_outcome_of_thousands_of_targets_lists_failures_first_and_what_fits() {
    let mut app = loaded_app(5_000, 80, 24);
    app.update(Action::ToggleMarkVisible);
    app.update(Action::OpenActionMenu);
    app.update(Action::MenuChoice('r'));
    type_text(&mut app, "bulk");
    app.update(Action::Input(InputEdit::Submit));
    let effects = app.update(Action::ConfirmYes);
    let Some(Effect::Apply { request, action, targets, .. }) =
        effects.into_iter().find(|e| matches!(e, Effect::Apply { .. }))
    else {
        panic!("nothing applied")
    };
    let total = targets.len();
    assert!(total > 1_000, "{total}");
    let last = targets.len() - 1;
    let outcomes = targets
        .into_iter()
        .enumerate()
        .map(
            |(i, t)| {
                if i == last { TargetOutcome::failed(t, "AccessDeniedException: no") } else { TargetOutcome::ok(t) }
            },
        )
        .collect();
    app.update(Action::Applied {
        request,
        pane: PaneId::Findings,
        context: app.context().clone(),
        action,
        outcomes,
        audit_error: None,
    });
    let screen = format!("{:?}", render(&app).backend().buffer());
    assert!(screen.contains("AccessDeniedException"), "the one failure comes first:\n{screen}");
    assert!(screen.contains(&format!("{} done, 1 failed", total - 1)), "{screen}");
    assert!(screen.contains("more: `vigil audit` lists every one"), "{screen}");
}

/// The confirm dialog of an action across an organisation names a few of the places it goes to
/// and counts the rest (before, it collected the places by searching the list so far for each
/// target, on every frame: a minute's freeze at 160k findings over 8,500 places).
#[test]
fn the_confirm_dialog_across_an_organisation_counts_its_places() {
    let now = common::fixed_now();
    let source = vigil::source::demo::DemoSource::new(7, 3_000, now).with_organisation(40, 3);
    let mut app = vigil::app::App::new(source.info(), now, vigil::app::RefreshPolicy::demo());
    app.update(Action::Resize(80, 24));
    let vigil::source::PaneData::Findings(findings) = source.generate(PaneId::Findings, now) else { panic!() };
    reload(&mut app, findings);
    app.update(Action::ToggleMarkVisible);
    app.update(Action::OpenActionMenu);
    app.update(Action::MenuChoice('a'));
    let draft = app.draft().cloned().unwrap();
    let elsewhere: std::collections::BTreeSet<&str> =
        draft.targets.iter().map(|t| t.placement.account.as_str()).filter(|a| *a != app.info().account).collect();
    assert!(elsewhere.len() > 3, "{elsewhere:?}");
    let screen = format!("{:?}", render(&app).backend().buffer());
    assert!(screen.contains(&format!("administrator of {} accounts:", elsewhere.len())), "{screen}");
}

/// An open "everything about" listing follows the findings on its subject through refreshes: a
/// finding that arrives on the resource is listed, one on another resource changes nothing, and
/// the anchor leaving says so. (A refresh that changes nothing the listing names leaves it as it
/// is, instead of four passes over every finding: `benches/views.rs`, `related_open_refresh`.)
#[test]
fn the_related_listing_follows_the_findings_on_its_subject() {
    let mut app = loaded_app(400, 120, 40);
    common::select_where(&mut app, PaneId::Findings, |app| {
        app.findings().table.selected().is_some_and(|f| f.resource.contains("instance/"))
    });
    let anchor = app.findings().table.selected().cloned().unwrap();
    app.update(Action::OpenRelated);
    let titles = |app: &vigil::app::App| -> Vec<String> {
        app.listing().unwrap().rows.iter().filter(|r| !r.heading).map(|r| r.cells[1].clone()).collect()
    };
    let before = titles(&app);

    let mut rows: Vec<_> = app.findings().table.rows.to_vec();
    let mut arrival = vigil::model::Finding::clone(&anchor);
    arrival.id = format!("{}-again", anchor.id);
    arrival.title = "A new finding on the same instance".into();
    rows.push(std::sync::Arc::new(arrival));
    reload(&mut app, rows.clone());
    assert!(titles(&app).contains(&"A new finding on the same instance".to_string()), "{:?}", titles(&app));

    let listed_keys: std::collections::HashSet<String> =
        app.listing().unwrap().rows.iter().filter_map(|r| r.jump.as_ref().map(|j| j.key.clone())).collect();
    let elsewhere = rows
        .iter()
        .position(|f| f.is_open() && f.resource != anchor.resource && !listed_keys.contains(&f.identity()))
        .unwrap();
    let mut changed = vigil::model::Finding::clone(&rows[elsewhere]);
    changed.title = format!("{} (changed)", changed.title).into();
    rows[elsewhere] = std::sync::Arc::new(changed);
    let listed = titles(&app);
    reload(&mut app, rows.clone());
    assert_eq!(titles(&app), listed, "a change elsewhere changes nothing here");
    assert_ne!(listed, before);

    rows.retain(|f| f.identity() != anchor.identity());
    reload(&mut app, rows);
    assert!(app.listing().unwrap().title.contains("gone since"), "{}", app.listing().unwrap().title);
}

/// The accounts the findings come from are counted from what each refresh changes: an account
/// whose last finding leaves stops counting, one that comes back counts again, and records handed
/// over again change nothing.
#[test]
fn the_accounts_seen_follow_the_findings_through_refreshes() {
    let source = vigil::source::demo::DemoSource::new(7, 2_000, common::fixed_now()).with_organisation(12, 2);
    let vigil::source::PaneData::Findings(all) = source.generate(PaneId::Findings, common::fixed_now()) else {
        panic!("findings")
    };
    let distinct = |list: &[std::sync::Arc<vigil::model::Finding>]| {
        list.iter().map(|f| f.account_id.to_string()).collect::<std::collections::HashSet<_>>().len()
    };
    let mut app = vigil::app::App::new(source.info(), common::fixed_now(), vigil::app::RefreshPolicy::demo());
    reload(&mut app, all.clone());
    assert_eq!(app.findings().accounts_seen, distinct(&all));
    assert!(distinct(&all) > 2, "the organisation spreads its findings");
    let gone = all[0].account_id.clone();
    let without: Vec<_> = all.iter().filter(|f| f.account_id != gone).cloned().collect();
    reload(&mut app, without.clone());
    assert_eq!(app.findings().accounts_seen, distinct(&all) - 1);
    reload(&mut app, without.clone());
    assert_eq!(app.findings().accounts_seen, distinct(&all) - 1, "the same records again");
    // The account back with a copy of one finding, the rest as they were.
    let mut back = without;
    back.push(std::sync::Arc::new((*all[0]).clone()));
    reload(&mut app, back);
    assert_eq!(app.findings().accounts_seen, distinct(&all));
}

/// One target per record: a record listed twice is acted on once, and a finding with the same id
/// in another account is another record, never merged with it.
#[test]
fn a_record_listed_twice_is_one_target_and_the_same_id_elsewhere_another() {
    let mut app = loaded_app(400, 100, 30);
    let record = app
        .findings()
        .table
        .rows
        .iter()
        .find(|f| f.guardduty_id.is_some() && f.is_open())
        .cloned()
        .expect("a GuardDuty finding");
    let again = std::sync::Arc::new((*record).clone());
    let mut elsewhere = (*record).clone();
    elsewhere.account_id = "210987654321".into();
    reload(&mut app, vec![record, again, std::sync::Arc::new(elsewhere)]);
    app.update(Action::ToggleMarkVisible);
    app.update(Action::OpenActionMenu);
    app.update(Action::MenuChoice('a'));
    let draft = app.draft().cloned().expect("a draft");
    assert_eq!(draft.targets.len(), 2, "{:?}", draft.targets);
    assert!(draft.refused.is_empty(), "{:?}", draft.refused);
    assert_ne!(draft.targets[0].placement.account, draft.targets[1].placement.account);
}
