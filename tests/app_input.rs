//! Typed and pasted input: pasted text only ever types (it never confirms or chooses), a line
//! break in it is a space, inputs are capped, and the Enter that submits a note does not also
//! confirm the action.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use common::{loaded_app, type_text};
use crossterm::event::{Event, KeyCode, KeyEvent};
use vigil::action::{Action, Effect, InputEdit};
use vigil::app::{MAX_INPUT_CHARS, MAX_NOTE_CHARS, Mode};
use vigil::model::FindingOrigin;
use vigil::runner::translate;

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::from(code))
}

fn to_note(app: &mut vigil::app::App) {
    for _ in 0..50 {
        if app.findings().table.selected().is_some_and(|f| f.sources.contains(&FindingOrigin::Securityhub)) {
            break;
        }
        app.update(Action::MoveDown);
    }
    app.update(Action::OpenActionMenu);
    app.update(Action::MenuChoice('r'));
    assert_eq!(app.mode(), Mode::Note);
}

#[test]
fn pasted_text_never_confirms_or_chooses() {
    let mut app = loaded_app(40, 80, 24);
    // In the table, a paste is not a key: "x" and "q" in it open nothing and quit nothing.
    assert!(app.update(Action::Paste("xq\ny".into())).is_empty());
    assert_eq!(app.mode(), Mode::Normal);
    assert!(!app.should_quit());
    // In the confirm dialog it is ignored: neither confirms nor cancels.
    common::select_a_user(&mut app);
    app.update(Action::OpenActionMenu);
    app.update(Action::MenuChoice('d'));
    assert_eq!(app.mode(), Mode::Confirm);
    assert!(app.update(Action::Paste("y\r\n".into())).is_empty());
    assert_eq!(app.mode(), Mode::Confirm, "a paste of y does not confirm");
    // The runner turns the terminal's paste event into that action, never into keys.
    assert!(matches!(translate(&app, Event::Paste("y\n".into())), Some(Action::Paste(_))));
}

#[test]
fn a_pasted_note_is_one_line_and_does_not_submit() {
    let mut app = loaded_app(40, 80, 24);
    to_note(&mut app);
    app.update(Action::Paste("checked with the owner\ny\n\u{1b}[201~".into()));
    assert_eq!(app.mode(), Mode::Note, "the line breaks in a paste are not Enter");
    assert_eq!(app.input(), "checked with the owner y ", "the escape sequence is gone whole");
}

#[test]
fn the_enter_that_submits_a_note_does_not_confirm() {
    let mut app = loaded_app(40, 80, 24);
    to_note(&mut app);
    type_text(&mut app, "false positive: load test");
    app.update(Action::Input(InputEdit::Submit));
    assert_eq!(app.mode(), Mode::Confirm);
    // A second Enter (held key, key repeat) after the note: nothing happens.
    assert!(translate(&app, key(KeyCode::Enter)).is_none());
    assert!(!app.enter_confirms());
    // y confirms.
    let Some(action) = translate(&app, key(KeyCode::Char('y'))) else { panic!("y confirms") };
    let effects = app.update(action);
    assert!(matches!(effects.as_slice(), [Effect::Apply { .. }]), "{effects:?}");
}

#[test]
fn without_a_note_enter_still_confirms() {
    let mut app = loaded_app(40, 80, 24);
    common::select_a_user(&mut app);
    app.update(Action::OpenActionMenu);
    app.update(Action::MenuChoice('d'));
    assert!(app.enter_confirms());
    assert!(matches!(translate(&app, key(KeyCode::Enter)), Some(Action::ConfirmYes)));
}

#[test]
fn inputs_are_capped_with_a_message() {
    let mut app = loaded_app(40, 80, 24);
    app.update(Action::OpenFilter);
    app.update(Action::Paste("a".repeat(3_000)));
    assert_eq!(app.input().chars().count(), MAX_INPUT_CHARS);
    assert!(app.message().is_some_and(|(_, m)| m.contains("limited to 256")), "{:?}", app.message());
    app.update(Action::Input(InputEdit::Cancel));

    let mut app = loaded_app(40, 80, 24);
    to_note(&mut app);
    type_text(&mut app, &"n".repeat(MAX_NOTE_CHARS + 10));
    assert_eq!(app.input().chars().count(), MAX_NOTE_CHARS, "Security Hub's note limit");
}

/// `g`/`G` (and Home/End) are the top and the bottom of every list, as in vim and k9s; `Esc` and
/// `q` close what is open over the panes; grouping is on `z`.
#[test]
fn g_and_shift_g_go_to_the_top_and_bottom_everywhere_and_q_closes_overlays() {
    let mut app = loaded_app(400, 80, 24);
    let ends = |app: &vigil::app::App, context: &str| {
        for (code, action) in [
            (KeyCode::Char('g'), Action::First),
            (KeyCode::Home, Action::First),
            (KeyCode::Char('G'), Action::Last),
            (KeyCode::End, Action::Last),
        ] {
            assert_eq!(
                format!("{:?}", translate(app, key(code))),
                format!("{:?}", Some(action)),
                "{context}: {code:?}"
            );
        }
    };
    ends(&app, "a table");
    assert_eq!(format!("{:?}", translate(&app, key(KeyCode::Char('z')))), format!("{:?}", Some(Action::CycleGrouping)));
    app.update(Action::OpenDetail);
    ends(&app, "the detail view");
    assert_eq!(format!("{:?}", translate(&app, key(KeyCode::Char('q')))), format!("{:?}", Some(Action::Back)));
    app.update(Action::Back);
    app.update(Action::OpenRadar);
    ends(&app, "the radar");
    assert_eq!(format!("{:?}", translate(&app, key(KeyCode::Char('q')))), format!("{:?}", Some(Action::Back)));
    // G then g in the list: the selection goes to its last item and back to its first.
    app.update(Action::Last);
    let last = app.listing().unwrap().selected;
    app.update(Action::First);
    assert!(app.listing().unwrap().selected < last, "the list moved");
    app.update(Action::Back);
    app.update(Action::ToggleHelp);
    ends(&app, "the help");
    assert_eq!(format!("{:?}", translate(&app, key(KeyCode::Char('q')))), format!("{:?}", Some(Action::Back)));
    app.update(Action::Back);
    assert_eq!(
        format!("{:?}", translate(&app, key(KeyCode::Char('q')))),
        format!("{:?}", Some(Action::Quit)),
        "q in a table quits"
    );
}

#[test]
fn field_terms_filter_by_field_and_a_saved_view_sets_pane_filter_sort_and_grouping() {
    use vigil::model::SeverityLabel;
    use vigil::pane::PaneId;
    let mut app = loaded_app(400, 120, 40);
    app.update(Action::ShowPane(PaneId::Findings));
    app.update(Action::OpenFilter);
    type_text(&mut app, "sev:crit,high -product:guardduty");
    app.update(Action::Input(InputEdit::Submit));
    let table = &app.findings().table;
    let shown: Vec<_> = table.view.visible.iter().map(|&i| &table.rows[i as usize]).collect();
    assert!(!shown.is_empty());
    assert!(shown.iter().all(|f| matches!(f.severity, SeverityLabel::Critical | SeverityLabel::High)));
    assert!(shown.iter().all(|f| f.product.id() != "guardduty"), "a negated term keeps the others");
    let by_hand = table
        .rows
        .iter()
        .filter(|f| f.is_open())
        .filter(|f| {
            matches!(f.severity, SeverityLabel::Critical | SeverityLabel::High) && f.product.id() != "guardduty"
        })
        .count();
    assert_eq!(shown.len(), by_hand);

    let config = vigil::config::Config::parse(
        "[views.sale-night]\npane = \"findings\"\nfilter = \"product:guardduty\"\nsort = \"age\"\ngroup = \"account\"\n",
        "c.toml",
    )
    .unwrap();
    let mut app = loaded_app(400, 120, 40).with_views(config.saved_views().to_vec());
    app.update(Action::ShowPane(PaneId::Certificates));
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "view sale");
    app.update(Action::Input(InputEdit::Complete));
    assert_eq!(app.input(), "view sale-night");
    app.update(Action::Input(InputEdit::Submit));
    assert_eq!(app.current(), PaneId::Findings);
    let table = &app.findings().table;
    assert_eq!(table.view.filter, "product:guardduty");
    assert_eq!(table.view.sort.column, vigil::view::findings::AGE);
    assert_eq!(table.group_by, Some(vigil::view::GroupBy::Account));
    assert!(table.view.visible.iter().all(|&i| table.rows[i as usize].product.id() == "guardduty"));
    // A column chooser: only the columns named, by field name or a unique prefix; all again.
    use vigil::view::findings::{AGE, SEVERITY, TITLE};
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "columns ti sev age");
    app.update(Action::Input(InputEdit::Submit));
    assert_eq!(app.pane(PaneId::Findings).visible_columns(120, false), [SEVERITY, TITLE, AGE]);
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "columns r");
    app.update(Action::Input(InputEdit::Submit));
    assert!(app.message().is_some_and(|(_, m)| m.starts_with("no column 'r' here (or several start so)")));
    assert_eq!(app.pane(PaneId::Findings).visible_columns(120, false), [SEVERITY, TITLE, AGE], "unchanged");
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "columns all");
    app.update(Action::Input(InputEdit::Submit));
    assert!(app.pane(PaneId::Findings).visible_columns(200, false).len() > 3);
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "view nope");
    app.update(Action::Input(InputEdit::Submit));
    let (_, said) = app.message().unwrap();
    assert_eq!(said, "no view 'nope'; views: sale-night");
}
