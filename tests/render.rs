//! Rendering with ratatui's TestBackend: every pane at 80x24 and 160x48 as insta snapshots, overlays,
//! tiny terminals, and hostile text that must never reach the screen raw.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use common::{fixed_now, loaded_app, type_text, without_tabs};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use vigil::action::{Action, InputEdit};
use vigil::app::App;
use vigil::pane::PaneId;
use vigil::ui::theme::Theme;

fn render(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(t) => t,
        Err(e) => panic!("test backend: {e}"),
    };
    if let Err(e) = terminal.draw(|f| vigil::ui::draw(f, app, &Theme::default())) {
        panic!("draw: {e}");
    }
    terminal
}

fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// The lines that name every pane (title and tab bars, the data ages and the hints), at 80 and 200
/// columns, on each pane.
#[test]
fn the_chrome_at_80_and_200_columns() {
    for width in [80, 200] {
        let mut lines = Vec::new();
        for pane in PaneId::ALL {
            let mut app = loaded_app(400, width, 24);
            app.update(Action::ShowPane(pane));
            let text = screen_text(&render(&app, width, 24));
            let all: Vec<&str> = text.lines().collect();
            lines.extend(all.iter().take(2).chain(all.iter().skip(all.len().saturating_sub(2))).map(|l| l.to_string()));
        }
        insta::assert_snapshot!(format!("chrome_{width}"), lines.join("\n"));
    }
}

#[test]
fn every_pane_at_80x24_and_160x48() {
    for (width, height) in [(80, 24), (160, 48)] {
        for pane in PaneId::ALL {
            let mut app = loaded_app(400, width, height);
            app.update(Action::ShowPane(pane));
            let terminal = render(&app, width, height);
            insta::assert_snapshot!(format!("{}_{width}x{height}", pane.command()), without_tabs(&terminal));
        }
    }
}

#[test]
fn detail_raw_json_help_and_filter_views() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::ShowPane(PaneId::Certificates));
    app.update(Action::OpenDetail);
    insta::assert_snapshot!("certificate_detail_80x24", without_tabs(&render(&app, 80, 24)));
    app.update(Action::ToggleRawJson);
    insta::assert_snapshot!("certificate_json_80x24", without_tabs(&render(&app, 80, 24)));
    app.update(Action::Back);
    app.update(Action::ToggleHelp);
    insta::assert_snapshot!("help_80x24", without_tabs(&render(&app, 80, 24)));
    app.update(Action::Back);
    app.update(Action::ShowPane(PaneId::Findings));
    app.update(Action::OpenFilter);
    type_text(&mut app, "ssh brute");
    insta::assert_snapshot!("findings_filtering_80x24", without_tabs(&render(&app, 80, 24)));
}

#[test]
fn help_lists_what_the_keymap_binds() {
    let mut app = loaded_app(400, 120, 60);
    app.update(Action::ShowPane(PaneId::Users));
    app.update(Action::ToggleHelp);
    // Everything the help holds, scrolled through.
    let mut text = screen_text(&render(&app, 120, 60));
    for _ in 0..40 {
        for _ in 0..10 {
            app.update(Action::MoveDown);
        }
        text.push_str(&screen_text(&render(&app, 120, 60)));
    }
    for binding in app.keymap().applicable(vigil::keymap::KeyContext::Table(PaneId::Users)) {
        assert!(text.contains(binding.description.as_ref()), "help lacks {:?}", binding.description);
    }
    for entry in vigil::app::triage::menu(PaneId::Users) {
        assert!(text.contains(entry.label.as_ref()), "help lacks the action {:?}", entry.label);
    }
}

#[test]
fn small_terminals_render_without_panicking() {
    for (width, height) in [(40, 10), (41, 11), (60, 15), (39, 10), (40, 9), (20, 5), (1, 1), (0, 0)] {
        for pane in PaneId::ALL {
            let mut app = loaded_app(400, width, height);
            app.update(Action::ShowPane(pane));
            let text = screen_text(&render(&app, width.max(1), height.max(1)));
            if width >= 40 && height >= 10 {
                assert!(text.contains("VIGIL"), "{width}x{height} {pane:?}:\n{text}");
            }
            app.update(Action::OpenDetail);
            render(&app, width.max(1), height.max(1));
            app.update(Action::Back);
            app.update(Action::ToggleHelp);
            render(&app, width.max(1), height.max(1));
        }
    }
    let app = loaded_app(400, 30, 8);
    assert!(screen_text(&render(&app, 30, 8)).contains("needs at least 40x10"));
    insta::assert_snapshot!("findings_40x10", without_tabs(&render(&loaded_app(400, 40, 10), 40, 10)));
}

#[test]
fn hostile_text_never_reaches_the_screen() {
    let mut app = loaded_app(400, 160, 48);
    let mut findings = app.findings().table.rows.to_vec();
    let hostile = "evil\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31mred\u{9b}1m\u{202e}exe.txt\u{0}\u{7f}";
    if let Some(first) = findings.first_mut().map(std::sync::Arc::make_mut) {
        first.title = hostile.into();
        first.resource = hostile.into();
        first.details.push(("User agent".into(), hostile.into()));
        first.severity = vigil::model::SeverityLabel::Critical;
        first.severity_score = 100;
    }
    app.update(Action::Loaded {
        request: common::answer(&app, PaneId::Findings),
        context: app.context().clone(),
        pane: PaneId::Findings,
        at: fixed_now(),
        result: Ok(vigil::source::PaneData::Findings(findings).into()),
        index: None,
    });
    common::select_where(&mut app, PaneId::Findings, |app| {
        app.findings().table.selected().is_some_and(|f| f.title.contains("evil"))
    });
    let no_controls = |text: &str| {
        assert!(text.contains("evil"), "the hostile row is on screen");
        for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{0}', '\u{7f}'] {
            assert!(!text.contains(bad), "{:?} reached the screen", bad);
        }
    };
    let check = |terminal: &Terminal<TestBackend>| {
        let text = screen_text(terminal);
        no_controls(&text);
        assert!(!text.contains("]0;pwned"), "OSC payload shown");
    };
    check(&render(&app, 160, 48));
    app.update(Action::OpenDetail);
    check(&render(&app, 160, 48));
    app.update(Action::ToggleRawJson);
    let raw = screen_text(&render(&app, 160, 48));
    assert!(raw.contains("record (JSON)"), "the raw JSON view is open:\n{raw}");
    // JSON escapes C0 controls as text (`\u001b` is harmless); C1, DEL and bidi must not arrive.
    no_controls(&raw);
    app.update(Action::Back);
    app.update(Action::OpenFilter);
    app.update(Action::Input(InputEdit::Char('\u{1b}')));
    type_text(&mut app, "evil");
    check(&render(&app, 160, 48));
    // A group's line shows the key itself: the resource, as AWS sent it.
    app.update(Action::Input(InputEdit::Submit));
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "group resource");
    app.update(Action::Input(InputEdit::Submit));
    assert!(app.findings().table.view.is_grouped());
    check(&render(&app, 160, 48));
}

#[test]
fn the_detail_view_scrolls_to_the_end_of_wrapped_text() {
    let mut app = loaded_app(400, 80, 24);
    let mut findings = app.findings().table.rows.to_vec();
    let long: String = (0..400).map(|i| format!("word{i} ")).collect::<String>() + "THE-END";
    for f in findings.iter_mut().map(std::sync::Arc::make_mut) {
        f.description = long.as_str().into();
    }
    app.update(Action::Loaded {
        request: None,
        context: app.context().clone(),
        pane: PaneId::Findings,
        at: fixed_now(),
        result: Ok(vigil::source::PaneData::Findings(findings).into()),
        index: None,
    });
    app.update(Action::OpenDetail);
    assert!(!screen_text(&render(&app, 80, 24)).contains("THE-END"));
    app.update(Action::Last);
    let text = screen_text(&render(&app, 80, 24));
    assert!(text.contains("THE-END"), "the last wrapped line is reachable:\n{text}");
}

#[test]
fn an_unreadable_timestamp_reads_as_unknown_not_1970() {
    let mut app = loaded_app(400, 160, 48);
    let mut findings = app.findings().table.rows.to_vec();
    for f in findings.iter_mut().map(std::sync::Arc::make_mut) {
        f.first_seen = vigil::model::time::UNKNOWN;
        f.last_seen = vigil::model::time::UNKNOWN;
        f.updated_at = vigil::model::time::UNKNOWN;
    }
    app.update(Action::Loaded {
        request: None,
        context: app.context().clone(),
        pane: PaneId::Findings,
        at: fixed_now(),
        result: Ok(vigil::source::PaneData::Findings(findings).into()),
        index: None,
    });
    let table = screen_text(&render(&app, 160, 48));
    app.update(Action::OpenDetail);
    let detail = screen_text(&render(&app, 160, 48));
    for text in [&table, &detail] {
        assert!(!text.contains("1970") && !text.contains("56y"), "{text}");
    }
    assert!(detail.contains("unknown"), "{detail}");
}

#[test]
fn the_demo_marker_is_in_the_header() {
    let text = screen_text(&render(&loaded_app(400, 80, 24), 80, 24));
    let header = text.lines().next().unwrap_or_default();
    assert!(
        header.contains("DEMO DATA") && header.contains("482913570246") && header.contains("us-east-1"),
        "{header}"
    );
}

/// The demo as an organisation: the header says what is aggregated, and account and region
/// columns appear because the findings span several; on one account they stay hidden.
#[test]
fn an_organisation_shows_account_and_region_columns_and_its_aggregation() {
    let source = vigil::source::demo::DemoSource::new(vigil::source::demo::DEFAULT_SEED, 400, common::fixed_now())
        .with_organisation(4, 3);
    let mut app = vigil::app::App::new(
        vigil::source::Source::info(&source),
        common::fixed_now(),
        vigil::app::RefreshPolicy::demo(),
    );
    app.update(Action::Resize(120, 24));
    let data = source.generate(PaneId::Findings, common::fixed_now());
    app.update(Action::Loaded {
        request: None,
        context: app.context().clone(),
        pane: PaneId::Findings,
        at: common::fixed_now(),
        result: Ok(data.into()),
        index: None,
    });
    let screen = screen_text(&render(&app, 120, 24));
    assert!(screen.contains("aggregated: 3 regions, 4 accounts"), "{screen}");
    let header = screen.lines().find(|l| l.starts_with("Risk")).unwrap_or_default();
    assert!(header.contains("Account") && header.contains("Region"), "{header}");
    // Accounts by name (the organisation's), not by id.
    assert!(screen.contains("eu-central-1") && screen.contains("shop-data"), "{screen}");
    assert!(!screen.contains("210000"), "{screen}");
    insta::assert_snapshot!("findings_organisation_120x24", without_tabs(&render(&app, 120, 24)));

    let single = screen_text(&render(&loaded_app(400, 120, 24), 120, 24));
    let header = single.lines().find(|l| l.starts_with("Risk")).unwrap_or_default();
    assert!(!header.contains("Account") && !header.contains("Region"), "{header}");
    assert!(!single.contains("aggregated"), "{single}");
}

#[test]
fn grouped_findings_at_80x24_and_200x60() {
    for (width, height) in [(80, 24), (200, 60)] {
        let mut app = loaded_app(400, width, height);
        app.update(Action::CycleGrouping);
        app.update(Action::MoveDown);
        app.update(Action::OpenDetail);
        insta::assert_snapshot!(
            format!("findings_grouped_{width}x{height}"),
            without_tabs(&render(&app, width, height))
        );
    }
}

#[test]
fn the_radar_and_related_lists_at_80x24() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::OpenRadar);
    insta::assert_snapshot!("radar_80x24", without_tabs(&render(&app, 80, 24)));
    app.update(Action::Back);
    app.update(Action::ShowPane(PaneId::Certificates));
    app.update(Action::OpenRelated);
    insta::assert_snapshot!("related_certificate_80x24", without_tabs(&render(&app, 80, 24)));
}

#[test]
fn what_to_fix_first_at_80x24() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::ShowPane(PaneId::Compliance));
    app.update(Action::OpenLens(vigil::pane::PaneId::Compliance));
    insta::assert_snapshot!("advice_80x24", without_tabs(&render(&app, 80, 24)));
}

#[test]
fn the_anti_fraud_lens_at_80x24() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::ShowPane(PaneId::Users));
    app.update(Action::OpenLens(vigil::pane::PaneId::Users));
    insta::assert_snapshot!("fraud_lens_80x24", without_tabs(&render(&app, 80, 24)));
}

#[test]
fn the_war_room_board_at_80x24_120x35_and_200x60() {
    for (width, height) in [(80, 24), (120, 35), (200, 60)] {
        let mut app = loaded_app(400, width, height).with_board(true).with_read_only(true);
        app.update(Action::Tick(fixed_now()));
        let terminal = render(&app, width, height);
        let text = screen_text(&terminal);
        for must in ["Open findings", "CRITICAL", "Critical and high: last 24h", "Security score", "Due within 7 days"]
        {
            assert!(text.contains(must), "{width}x{height} lacks {must}:\n{text}");
        }
        if width >= 100 {
            assert!(text.contains("Cognito sign-ups") && text.contains("Data age"), "{width}x{height}:\n{text}");
            // Every pane's age, none cut by a narrow column.
            assert!(text.contains("Keys <1m"), "{width}x{height}:\n{text}");
        }
        insta::assert_snapshot!(format!("board_{width}x{height}"), without_tabs(&terminal));
    }
}

#[test]
fn wide_screens_show_the_detail_beside_the_list_and_v_hides_it() {
    let mut app = loaded_app(400, 160, 48);
    let text = screen_text(&render(&app, 160, 48));
    assert!(text.contains("Findings detail — v hides it"), "{text}");
    let title = app.findings().table.selected().map(|f| f.title.to_string()).unwrap();
    assert!(text.contains(&title[..20]), "the selected finding's fields: {text}");
    app.update(Action::ToggleSideDetail);
    assert!(!screen_text(&render(&app, 160, 48)).contains("v hides it"));
    let narrow = loaded_app(400, 120, 40);
    assert!(!screen_text(&render(&narrow, 120, 40)).contains("v hides it"), "not below 160 columns");
}

#[test]
fn keys_set_in_the_config_are_the_ones_the_hints_help_and_titles_name() {
    let text = "[keys]\nhelp = \"h\"\nactions = \"X\"\nclose = [\"ctrl-q\", \"esc\"]\nshow-users = \"U\"\npii = \"P\"\n\n\
                [keys.tables]\ndetail = [\"l\", \"enter\"]\n";
    let config = vigil::config::Config::parse(text, "keys.toml").unwrap();
    let mut app = loaded_app(400, 120, 40).with_keymap(config.keymap());
    let hints = screen_text(&render(&app, 120, 40));
    let bottom = hints.lines().last().unwrap().to_string();
    assert!(bottom.contains("X act") && bottom.contains("l detail") && bottom.contains("h help"), "{bottom}");
    assert!(!bottom.contains("x act") && !bottom.contains("? help"), "{bottom}");

    app.update(Action::ToggleHelp);
    let help = screen_text(&render(&app, 120, 40));
    assert!(help.contains("Keys — j/k scroll · Ctrl-q close"), "{help}");
    assert!(help.contains("l/Enter") && help.contains("detail of the selected row"), "{help}");
    assert!(help.contains("move-down") && help.contains("[keys]"), "the help names actions for the config:\n{help}");
    let narrow = screen_text(&render(&app, 80, 24));
    assert!(!narrow.contains("move-down"), "no names at 80 columns:\n{narrow}");
    app.update(Action::Back);

    app.update(Action::OpenDetail);
    let detail = screen_text(&render(&app, 120, 40));
    assert!(detail.contains("J raw JSON · Ctrl-q close"), "{detail}");
    app.update(Action::Back);
    app.update(Action::OpenRadar);
    let radar = screen_text(&render(&app, 120, 40));
    assert!(radar.contains("Enter go to it · Ctrl-q close"), "{radar}");
    app.update(Action::Back);

    // The tabs name each pane's key; the Users pane says which key reveals PII, and so does the detail.
    common::select_where(&mut app, PaneId::Users, |app| {
        app.users().table.selected().is_some_and(|a| !a.username.is_empty())
    });
    let users = screen_text(&render(&app, 120, 40));
    assert!(users.contains(" U Users ") && users.contains(" 1 Findings "), "{users}");
    assert!(users.contains("PII masked (P)"), "{users}");
    app.update(Action::OpenDetail);
    let detail = screen_text(&render(&app, 120, 40));
    assert!(detail.contains("masked: press P to reveal"), "{detail}");
}

/// The xterm palette and the terminal's own colours: what a theme's colour looks like, so contrast
/// can be computed. The terminal's own foreground is taken as light grey on a black background for
/// dark themes, black on white for `light`.
mod contrast {
    use ratatui::style::Color;

    pub struct Terminal {
        pub foreground: (u8, u8, u8),
        pub background: (u8, u8, u8),
    }

    pub fn terminal_of(theme: &str) -> Terminal {
        if theme == "light" {
            Terminal { foreground: (0, 0, 0), background: (255, 255, 255) }
        } else {
            Terminal { foreground: (229, 229, 229), background: (0, 0, 0) }
        }
    }

    const ANSI: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 0, 0),
        (0, 205, 0),
        (205, 205, 0),
        (0, 0, 238),
        (205, 0, 205),
        (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127),
        (255, 0, 0),
        (0, 255, 0),
        (255, 255, 0),
        (92, 92, 255),
        (255, 0, 255),
        (0, 255, 255),
        (255, 255, 255),
    ];

    fn indexed(n: u8) -> (u8, u8, u8) {
        match n {
            0..=15 => ANSI[usize::from(n)],
            16..=231 => {
                let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
                let n = n - 16;
                (level(n / 36), level(n / 6 % 6), level(n % 6))
            }
            _ => {
                let grey = 8 + 10 * (n - 232);
                (grey, grey, grey)
            }
        }
    }

    /// The colour shown, `None` for the terminal's own (foreground or background by where it is).
    pub fn rgb(color: Color) -> Option<(u8, u8, u8)> {
        Some(match color {
            Color::Reset => return None,
            Color::Black => ANSI[0],
            Color::Red => ANSI[1],
            Color::Green => ANSI[2],
            Color::Yellow => ANSI[3],
            Color::Blue => ANSI[4],
            Color::Magenta => ANSI[5],
            Color::Cyan => ANSI[6],
            Color::Gray => ANSI[7],
            Color::DarkGray => ANSI[8],
            Color::LightRed => ANSI[9],
            Color::LightGreen => ANSI[10],
            Color::LightYellow => ANSI[11],
            Color::LightBlue => ANSI[12],
            Color::LightMagenta => ANSI[13],
            Color::LightCyan => ANSI[14],
            Color::White => ANSI[15],
            Color::Indexed(n) => indexed(n),
            Color::Rgb(r, g, b) => (r, g, b),
        })
    }

    fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    /// WCAG 2 contrast ratio, 1 to 21.
    pub fn ratio(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }
}

/// Every text cell drawn on a background the theme sets (the selected row, the title bar, the
/// active tab, the badges) reads at WCAG AA (4.5:1) in every theme, AAA (7:1) in `high-contrast`:
/// the selected row's severity and risk cells included.
#[test]
fn text_on_every_themed_background_meets_wcag_in_every_theme() {
    use ratatui::style::Modifier;
    let themes: Vec<(&str, Theme)> =
        Theme::built_in_names().into_iter().map(|n| (n, Theme::load(n).unwrap())).collect();
    let mut failures = Vec::new();
    let mut check = |screen: &str, app: &App| {
        for (name, theme) in &themes {
            let terminal = contrast::terminal_of(name);
            let needed = if *name == "high-contrast" { 7.0 } else { 4.5 };
            let mut backend = Terminal::new(TestBackend::new(120, 35)).unwrap();
            backend.draw(|f| vigil::ui::draw(f, app, theme)).unwrap();
            let buffer = backend.backend().buffer();
            let mut seen = std::collections::HashSet::new();
            for y in 0..buffer.area.height {
                for x in 0..buffer.area.width {
                    let cell = &buffer[(x, y)];
                    if cell.symbol().trim().is_empty() {
                        continue;
                    }
                    let reversed = cell.modifier.contains(Modifier::REVERSED);
                    let fg = contrast::rgb(cell.fg).unwrap_or(terminal.foreground);
                    let (fg, bg) = match (reversed, contrast::rgb(cell.bg)) {
                        (true, bg) => (bg.unwrap_or(terminal.background), fg),
                        (false, Some(bg)) => (fg, bg),
                        // On the terminal's own background: the theme chose no background.
                        (false, None) => continue,
                    };
                    let ratio = contrast::ratio(fg, bg);
                    if ratio < needed && seen.insert((cell.fg, cell.bg)) {
                        failures.push(format!(
                            "{name} · {screen} · ({x},{y}) {:?}: {:?} on {:?} is {ratio:.1}:1",
                            cell.symbol(),
                            cell.fg,
                            cell.bg
                        ));
                    }
                }
            }
        }
    };
    let mut app = loaded_app(400, 120, 35).with_read_only(true);
    check("findings", &app);
    app.update(Action::ToggleMarkVisible);
    app.update(Action::MoveDown);
    check("findings marked", &app);
    app.update(Action::ToggleMarkVisible);
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "group resource");
    app.update(Action::Input(InputEdit::Submit));
    check("findings grouped", &app);
    for pane in PaneId::ALL {
        app.update(Action::ShowPane(pane));
        check(pane.title(), &app);
    }
    app.update(Action::ShowPane(PaneId::Certificates));
    app.update(Action::OpenRadar);
    check("radar", &app);
    app.update(Action::Back);
    app.update(Action::ToggleHelp);
    check("help", &app);
    app.update(Action::ToggleHelp);
    app.update(Action::ToggleBoard);
    check("board", &app);
    assert!(failures.is_empty(), "{} colour pairs below contrast:\n{}", failures.len(), failures.join("\n"));
}

/// The badges the title bar shows in states the screens above do not reach.
#[test]
fn the_title_bar_badges_meet_wcag_in_every_theme() {
    for name in Theme::built_in_names() {
        let theme = Theme::load(name).unwrap();
        let terminal = contrast::terminal_of(name);
        let needed = if name == "high-contrast" { 7.0 } else { 4.5 };
        let rgb = |c| contrast::rgb(c).unwrap_or(terminal.foreground);
        let bg = |c| contrast::rgb(c).unwrap_or(terminal.background);
        for (badge, fg, background) in [
            ("title", theme.title_fg, theme.title_bg),
            ("demo / not connected", theme.demo_fg, theme.demo_bg),
            ("connecting / read-only / active tab", theme.tab_active_fg, theme.tab_active_bg),
            ("selection", theme.selection_fg, theme.selection_bg),
        ] {
            if theme.reverse_selection && background == ratatui::style::Color::Reset {
                continue;
            }
            let ratio = contrast::ratio(rgb(fg), bg(background));
            assert!(ratio >= needed, "{name}: the {badge} badge reads {ratio:.1}:1, below {needed}:1");
        }
    }
}

/// At 80 columns nothing that says what to do or where you are is cut: the title keeps the filter
/// and the position, the note prompt its keys, the read-only menu its labels, "what to fix first"
/// its gain; `s` sorts only by columns the width shows.
#[test]
fn nothing_a_person_needs_is_cut_at_80_columns() {
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "group resource");
    app.update(Action::Input(InputEdit::Submit));
    app.update(Action::OpenFilter);
    type_text(&mut app, "lambda");
    app.update(Action::Input(InputEdit::Submit));
    let screen = screen_text(&render(&app, 80, 24));
    let title = screen.lines().nth(2).unwrap();
    assert!(title.contains("filter: lambda") && title.contains("by resource"), "{title}");
    assert!(title.trim_end().ends_with(&format!("/{}", app.findings().table.view.len())), "the position: {title}");

    // The note prompt keeps its keys.
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::ToggleMarkVisible);
    app.update(Action::OpenActionMenu);
    app.update(Action::MenuChoice('r'));
    let prompt = screen_text(&render(&app, 80, 24)).lines().last().unwrap().to_string();
    assert!(prompt.contains("⏎ continue, Esc cancel"), "{prompt}");

    // Read-only is said once; the labels stay whole.
    let mut app = loaded_app(400, 80, 24).with_read_only(true);
    app.update(Action::OpenActionMenu);
    let menu = screen_text(&render(&app, 80, 24));
    assert!(menu.contains("read-only: × entries are off") && !menu.contains("(read-on"), "{menu}");
    assert!(menu.contains("ticket in Jira / ServiceNow"), "{menu}");

    // What to fix first keeps the gain in the other standard.
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::ShowPane(PaneId::Compliance));
    app.update(Action::OpenLens(PaneId::Compliance));
    let advice = screen_text(&render(&app, 80, 24));
    assert!(advice.contains(" in PCI)"), "{advice}");

    // `s` cycles through the columns shown at 80 columns only.
    let mut app = loaded_app(400, 80, 24);
    for pane in PaneId::ALL {
        app.update(Action::ShowPane(pane));
        let screen = screen_text(&render(&app, 80, 24));
        let header = screen.lines().find(|l| l.contains('▲') || l.contains('▼')).map(str::to_string);
        for _ in 0..12 {
            app.update(Action::CycleSort);
            let screen = screen_text(&render(&app, 80, 24));
            assert!(
                screen.lines().any(|l| l.contains('▲') || l.contains('▼')),
                "{pane:?}: the sorted column is on screen after s (was {header:?}):\n{screen}"
            );
        }
    }
}

/// The history answer draws at 80x24 and on a tiny terminal, and hostile text in what the lake
/// answered (an account, a severity, the table's description) never reaches the screen.
#[test]
fn the_history_answer_draws_and_strips_hostile_text() {
    use vigil::action::Effect;
    use vigil::model::lake::{self, Answer, DayCount, Estimate, FindingsHistory, Finished, Prepared};
    let mut app = loaded_app(400, 80, 24);
    app.update(Action::OpenCommandLine);
    type_text(&mut app, "history type 7d");
    let effects = app.update(Action::Input(InputEdit::Submit));
    let [Effect::HistoryPrepare { id, question }] = effects.as_slice() else { panic!("{effects:?}") };
    let table = lake::Table::security_lake("us-east-1", lake::LakeSource::SecurityHubFindings, "2.0").unwrap();
    let plan = lake::Plan::new(question, &table, chrono::Utc::now()).unwrap();
    let prepared = Prepared {
        plan,
        cutoff: Some(5_000_000_000),
        region: "us-east-1".into(),
        found: "lake \u{1b}]0;owned\u{7}".into(),
        estimate: Estimate::Explain { bytes: 1_200_000_000 },
    };
    let id = *id;
    app.update(Action::HistoryPrepared { id, result: Ok(prepared.clone()) });
    let Some(Effect::HistoryRun { id, .. }) = app.update(Action::Jump).into_iter().next() else { panic!() };
    let today = chrono::Utc::now().date_naive();
    let history = FindingsHistory {
        days: vec![DayCount { day: today, severity: "High\u{1b}[31m".into(), findings: 3 }],
        distinct: Some(3),
        first_seen: Some("2026-12-01T00:00:00Z".into()),
        last_seen: Some("2026-12-07T00:00:00Z\u{1b}[2J".into()),
        accounts: ["111122223333\u{1b}[2J".to_string()].into(),
        regions: ["us-east-1".to_string()].into(),
    };
    let finished = Finished {
        answer: Answer::Findings(history),
        query_id: "q-1\u{9b}31m".into(),
        scanned: 1_300_000_000,
        elapsed: std::time::Duration::from_secs(4),
        rows: 2,
        past_cap: false,
    };
    app.update(Action::HistoryFinished { id, result: Ok(finished) });
    for (width, height) in [(80, 24), (40, 12), (20, 6)] {
        let terminal = render(&app, width, height);
        let text = screen_text(&terminal);
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{9b}'), "{text}");
        if width == 80 {
            assert!(text.contains("Findings per day") && text.contains("█"), "{text}");
        }
    }
}

/// The console redraws an idle screen only when a text of time on it changes (`draw_until`). The
/// frame drawn at any moment before that must be the same frame: a clock, age or countdown that
/// changes without saying so would freeze on screen. Walked from moments just before the minute,
/// hour and day marks, on every pane and on the board.
#[test]
fn a_frame_holds_until_its_texts_of_time_change() {
    let draw = |app: &App, width, height| {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        let mut repaint_at = None;
        terminal.draw(|f| repaint_at = vigil::ui::draw_until(f, app, &Theme::default())).unwrap();
        (screen_text(&terminal), repaint_at)
    };
    let mut checked = 0;
    for (width, height, board) in [(200, 60, false), (80, 24, false), (200, 60, true)] {
        for pane in PaneId::ALL {
            if board && pane != PaneId::Findings {
                continue;
            }
            let mut app = loaded_app(400, width, height).with_board(board);
            app.update(Action::ShowPane(pane));
            for start in
                [chrono::Duration::seconds(50), chrono::Duration::seconds(3590), chrono::Duration::seconds(86_390)]
            {
                let mut now = fixed_now() + start;
                app.update(Action::Tick(now));
                let (mut frame, mut until) = draw(&app, width, height);
                for _ in 0..12 {
                    let until_now = until.expect("the clock at least changes at the next minute");
                    assert!(until_now >= now, "{pane:?}: a change noted in the past: {until_now} at {now}");
                    let just_before = until_now - chrono::Duration::milliseconds(1);
                    if just_before > now {
                        app.update(Action::Tick(just_before));
                        if app.only_time_passed() {
                            let (again, _) = draw(&app, width, height);
                            assert_eq!(
                                again, frame,
                                "{pane:?} {width}x{height} board {board}: the frame changed at {just_before} before the \
                                 moment it said ({until_now}), drawn at {now}"
                            );
                            checked += 1;
                        }
                    }
                    now = until_now.max(now + chrono::Duration::milliseconds(1));
                    app.update(Action::Tick(now));
                    (frame, until) = draw(&app, width, height);
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} moments checked");
}
