//! Property tests: whatever text AWS sends (escape sequences, controls, bidi and invisible
//! characters, CJK, emoji, combining floods), nothing panics, nothing unsafe reaches the screen or
//! a snapshot, and fitted text stays within its width.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use common::{demo_source, fixed_now};
use futures::future::BoxFuture;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use vigil::action::Action;
use vigil::app::{App, RefreshPolicy};
use vigil::cli::{SnapshotArgs, SnapshotFormat};
use vigil::model::PaneData;
use vigil::model::triage::{Target, TargetOutcome, TriageAction};
use vigil::pane::PaneId;
use vigil::sanitize::{is_unsafe_raw, sanitize};
use vigil::source::{FetchOptions, Fetched, Source, SourceError, SourceInfo};
use vigil::text::{fit, width, wrap};

/// Text an attacker could put in a finding: printable pieces mixed with every kind of trouble.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z0-9 ./:=+@-]{0,12}",
        Just("\u{1b}[31m".to_string()),
        Just("\u{1b}]0;title\u{7}".to_string()),
        Just("\u{1b}]52;c;ZXZpbA==\u{1b}\\".to_string()),
        Just("\u{9b}2J".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{200b}\u{200d}\u{2060}\u{feff}".to_string()),
        Just("\u{e0001}\u{e0041}".to_string()),
        Just("\u{7f}\u{85}\u{0}\r\n\t".to_string()),
        Just("日本語テキスト".to_string()),
        Just("👩‍👩‍👧‍👦🏳️‍🌈".to_string()),
        Just("e\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}".to_string()),
        Just("=cmd|' /C calc'!A0".to_string()),
        Just("[x](https://evil) @team <img>".to_string()),
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

fn clean(text: &str) -> bool {
    !text.chars().any(|c| is_unsafe_raw(c) && c != '\n')
}

/// The demo account with attacker text in every field a row or a detail shows.
#[derive(Clone)]
struct HostileSource {
    text: String,
}

impl HostileSource {
    fn data(&self, pane: PaneId) -> PaneData {
        let t = &self.text;
        let mut data = demo_source(40).generate(pane, fixed_now());
        match &mut data {
            PaneData::Findings(list) => {
                for f in list.iter_mut().take(5).map(std::sync::Arc::make_mut) {
                    f.title = t.as_str().into();
                    f.resource = t.as_str().into();
                    f.description = t.as_str().into();
                    f.details.push((t.as_str().into(), t.as_str().into()));
                }
            }
            PaneData::Certificates(list) => list.iter_mut().take(3).for_each(|c| c.domain = t.clone()),
            PaneData::Secrets(list) => list.iter_mut().take(3).for_each(|s| s.name = t.clone()),
            PaneData::Users(report) => {
                for a in report.anomalies.iter_mut().take(3) {
                    a.pool_name = t.clone();
                    a.username = t.clone();
                    a.detail = t.clone();
                }
            }
            PaneData::Compliance(standards) => {
                for s in standards.iter_mut() {
                    s.name = t.clone();
                    if let Some(c) = s.controls.first_mut() {
                        c.title = t.clone();
                    }
                }
            }
            // Attackers choose their user agents, URLs and what a sampled request carries.
            PaneData::Edge(report) => {
                for a in report.attacks.iter_mut() {
                    a.resource_arn = t.clone();
                    a.vectors.push(t.clone());
                    for c in a.top_contributors.iter_mut() {
                        c.name = t.clone();
                    }
                    a.mitigations.push(t.clone());
                }
                for w in report.web_acls.iter_mut() {
                    w.name = t.clone();
                    w.resources.push(t.clone());
                }
                for o in report.offenders.iter_mut() {
                    o.address = t.clone();
                    o.seen.push(t.clone());
                    o.country = Some(t.clone());
                }
                for e in report.entry_points.iter_mut() {
                    e.resource_arn = t.clone();
                    e.seen_in = t.clone();
                }
            }
            // Whoever may create a key chooses its alias and description, and a secret's name.
            PaneData::Keys(report) => {
                for k in report.keys.iter_mut().take(3) {
                    k.alias = Some(t.clone());
                    k.description = Some(t.clone());
                    for d in k.dependents.iter_mut() {
                        d.name = t.clone();
                    }
                }
                for ca in report.authorities.iter_mut() {
                    ca.name = t.clone();
                    ca.status = t.clone();
                }
                for c in report.clusters.iter_mut() {
                    c.id = t.clone();
                    c.hsm_zones.push(t.clone());
                }
            }
        }
        data
    }
}

impl Source for HostileSource {
    fn info(&self) -> SourceInfo {
        SourceInfo { account_name: Some(self.text.clone()), ..demo_source(40).info() }
    }
    fn fetch_with_progress(
        &self,
        pane: PaneId,
        _now: vigil::model::Timestamp,
        _o: FetchOptions,
        _p: vigil::source::Progress,
    ) -> BoxFuture<'_, Result<Fetched, SourceError>> {
        let data = self.data(pane);
        Box::pin(async move { Ok(data.into()) })
    }
    fn apply<'a>(&'a self, _a: &'a TriageAction, t: &'a [Target]) -> BoxFuture<'a, Vec<TargetOutcome>> {
        Box::pin(async move { t.iter().map(|t| TargetOutcome::ok(t.clone())).collect() })
    }
}

fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| vigil::ui::draw(f, app, &vigil::ui::theme::Theme::default())).unwrap();
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn sanitized_text_is_safe_and_stable(text in hostile()) {
        let once = sanitize(&text);
        prop_assert!(once.chars().all(|c| !is_unsafe_raw(c)), "{once:?}");
        prop_assert_eq!(sanitize(&once), once.clone());
    }

    #[test]
    fn fitted_and_wrapped_text_stays_within_its_width(text in hostile(), w in 2usize..60) {
        let fitted = fit(&text, w);
        prop_assert!(width(&fitted) <= w, "{fitted:?} is wider than {w}");
        prop_assert!(clean(&fitted));
        for line in wrap(&text, w) {
            prop_assert!(width(&line) <= w, "{line:?} is wider than {w}");
            prop_assert!(clean(&line));
        }
    }

    #[test]
    fn every_pane_renders_hostile_text_safely(text in hostile()) {
        let source = HostileSource { text };
        let mut app = App::new(source.info(), fixed_now(), RefreshPolicy::demo());
        for pane in PaneId::ALL {
            app.update(Action::Loaded {
                request: None,
                context: app.context().clone(),
                pane,
                at: fixed_now(),
                result: Ok(source.data(pane).into()),
                index: None,
            });
        }
        for pane in PaneId::ALL {
            app.update(Action::ShowPane(pane));
            app.update(Action::First);
            for (w, h) in [(80, 24), (160, 48), (40, 10)] {
                app.update(Action::Resize(w, h));
                let text = screen(&app, w, h);
                prop_assert!(clean(&text), "{pane:?} {w}x{h}: {text:?}");
            }
            app.update(Action::OpenDetail);
            prop_assert!(clean(&screen(&app, 80, 24)));
            app.update(Action::ToggleRawJson);
            prop_assert!(clean(&screen(&app, 80, 24)));
            app.update(Action::Back);
            // The lists across the panes, the pane's lens and its action menu show its text too.
            app.update(Action::OpenRelated);
            prop_assert!(clean(&screen(&app, 80, 24)), "{pane:?} related");
            app.update(Action::Back);
            if pane.spec().lens.is_some() {
                app.update(Action::OpenLens(pane));
                prop_assert!(clean(&screen(&app, 80, 24)), "{pane:?} lens");
                app.update(Action::Back);
            }
            app.update(Action::OpenActionMenu);
            prop_assert!(clean(&screen(&app, 80, 24)), "{pane:?} menu");
            app.update(Action::Back);
        }
        // The war-room board draws every pane's panels.
        app.update(Action::ToggleBoard);
        for (w, h) in [(80, 24), (120, 35), (200, 60)] {
            app.update(Action::Resize(w, h));
            let text = screen(&app, w, h);
            prop_assert!(clean(&text), "board {w}x{h}: {text:?}");
        }
    }

    #[test]
    fn every_snapshot_format_carries_hostile_text_safely(text in hostile()) {
        let source = HostileSource { text };
        let runtime = common::runtime();
        let formats = [SnapshotFormat::Json, SnapshotFormat::Ndjson, SnapshotFormat::Table, SnapshotFormat::Markdown, SnapshotFormat::Csv];
        // Group keys are AWS text too (a type, a resource).
        let groupings = [None, Some(vigil::model::grouping::GroupBy::Type), Some(vigil::model::grouping::GroupBy::Resource)];
        for (format, group_by) in formats.into_iter().flat_map(|f| groupings.map(|g| (f, g))) {
            let args = SnapshotArgs {
                format,
                panes: if format == SnapshotFormat::Csv { vec![PaneId::Findings] } else { vec![] },
                all: true,
                reveal_pii: false,
                min_severity: None,
                filter: None,
                group_by,
            };
            let (snapshot, data) = runtime.block_on(vigil::snapshot::collect(&source, &args, fixed_now()));
            let out = vigil::snapshot::render(&snapshot, &data, &args).unwrap();
            prop_assert!(clean(&out), "{format:?}: {out:?}");
            match format {
                SnapshotFormat::Json => {
                    serde_json::from_str::<serde_json::Value>(&out).unwrap();
                }
                SnapshotFormat::Ndjson => {
                    for line in out.lines() {
                        serde_json::from_str::<serde_json::Value>(line).unwrap();
                    }
                }
                SnapshotFormat::Csv => {
                    let mut reader = csv::ReaderBuilder::new().from_reader(out.as_bytes());
                    for record in reader.records() {
                        for cell in record.unwrap().iter() {
                            let first = cell.trim_start_matches(' ').chars().next();
                            let risky = matches!(first, Some('=' | '+' | '@' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff20}'));
                            prop_assert!(!risky, "formula cell {cell:?}");
                        }
                    }
                }
                SnapshotFormat::Table | SnapshotFormat::Markdown => {}
            }
        }
    }
}
