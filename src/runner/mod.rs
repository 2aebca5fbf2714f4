//! The event loop: one `select!` over terminal input, the clock, results from the sources and
//! signals. It never awaits I/O itself: fetches and actions run as tasks and report back as
//! actions. It sits above the app and the UI: it feeds the one and draws with the other.

pub mod execute;

use crate::action::{Action, Effect, InputEdit};
use crate::app::{App, Mode};
use crate::audit::AuditLog;
use crate::cache::Cache;
use crate::source::{Source, SourceError, SourceKind};
use crate::tui::{Term, TerminalGuard};
use crate::ui::{self, theme::Theme};
use crate::view::{CellContext, build_index};
use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use crossterm::{execute, queue};
use execute::{audit_refusal, execute};
use futures::StreamExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

/// Why the loop ended; a hang-up means there is no terminal left to talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Quit,
    Signal(i32),
}

pub async fn run(
    source: Arc<dyn Source>,
    mut app: App,
    theme: Theme,
    audit: AuditLog,
    cache: Option<Cache>,
    panic_drill: Option<Duration>,
) -> anyhow::Result<Exit> {
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut guard = TerminalGuard::enter()?;
    let (tx, mut rx) = mpsc::unbounded_channel::<Action>();
    let mut events = EventStream::new();
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);

    let size = guard.terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    let drill = tokio::time::sleep(panic_drill.unwrap_or(Duration::MAX / 4));
    tokio::pin!(drill);
    let mut exit = Exit::Quit;
    let mut dirty = true;
    loop {
        if dirty {
            draw(&mut guard.terminal, &app, &theme)?;
            dirty = false;
        }
        let action = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => translate(&app, event),
                Some(Err(e)) => return Err(e.into()),
                // Input is gone (terminal closed): nothing more can be asked of us.
                None => Some(Action::Quit),
            },
            Some(action) = rx.recv() => Some(action),
            _ = ticker.tick() => Some(Action::Tick(Utc::now())),
            _ = sigterm.recv() => { exit = Exit::Signal(15); Some(Action::Quit) }
            _ = sighup.recv() => { exit = Exit::Signal(1); Some(Action::Quit) }
            _ = sigint.recv() => { exit = Exit::Signal(2); Some(Action::Quit) }
            _ = &mut drill, if panic_drill.is_some() => panic_drill_now(),
        };
        if let Some(action) = action {
            dispatch(&mut app, action, &source, &tx, &audit, cache.as_ref());
            dirty = true;
        }
        // Coalesce: apply whatever else is already queued, then draw once.
        while let Ok(action) = rx.try_recv() {
            dispatch(&mut app, action, &source, &tx, &audit, cache.as_ref());
        }
        if app.should_quit() {
            break;
        }
    }
    drop(guard);
    Ok(exit)
}

#[allow(clippy::panic)] // Deliberate: the --debug-panic-after-ms drill.
fn panic_drill_now() -> Option<Action> {
    panic!("panic drill requested with --debug-panic-after-ms");
}

fn dispatch(
    app: &mut App,
    action: Action,
    source: &Arc<dyn Source>,
    tx: &mpsc::UnboundedSender<Action>,
    audit: &AuditLog,
    cache: Option<&Cache>,
) {
    for effect in app.update(action) {
        match effect {
            Effect::Apply { request, pane, context, action, targets } => {
                let source = Arc::clone(source);
                let tx = tx.clone();
                let audit = audit.clone();
                let info = info_for(app, &context);
                tokio::spawn(async move {
                    let (outcomes, audit_error) = if source.info().context() == context {
                        execute(source.as_ref(), &audit, &info, &action, &targets).await
                    } else {
                        not_this_source(&targets, &context)
                    };
                    let _ = tx.send(Action::Applied { request, pane, context, action, outcomes, audit_error });
                });
            }
            Effect::AuditRefusal { context, action, refused } => {
                let tx = tx.clone();
                let audit = audit.clone();
                let info = info_for(app, &context);
                tokio::spawn(async move {
                    if let Err(e) = audit_refusal(&audit, &info, &action, &refused).await {
                        let _ = tx.send(Action::Notice(e));
                    }
                });
            }
            Effect::Clipboard(text) => {
                if let Err(e) = crate::clipboard::copy(&text) {
                    let _ = tx.send(Action::Notice(format!("cannot copy: {e}")));
                }
            }
            Effect::Fetch { request, pane, context } => {
                let source = Arc::clone(source);
                let tx = tx.clone();
                let sort = app.pane(pane).view().sort;
                let reveal_pii = app.reveal_pii();
                let options = app.fetch_options(pane);
                // Only real accounts are cached (the demo is generated anyway), and only the
                // default view, which is what a start shows first.
                let save_to =
                    cache.filter(|_| app.info().kind == SourceKind::Aws && options == Default::default()).cloned();
                tokio::spawn(async move {
                    let result = if source.info().context() == context {
                        source.fetch(pane, Utc::now(), options).await
                    } else {
                        Err(SourceError::local("vigil", format!("no source is connected for {context}")))
                    };
                    let at = Utc::now();
                    let (result, index) = match result {
                        Ok(fetched) => {
                            let ctx = CellContext { now: at, reveal_pii };
                            let for_cache = context.clone();
                            let prepared = tokio::task::spawn_blocking(move || {
                                let index = build_index(&fetched.data, sort, &ctx);
                                // Saved under the context the request was made for, whatever is
                                // shown by the time it lands.
                                if let Some(cache) = save_to
                                    && let Err(e) = cache.save(&for_cache, pane, at, &fetched.data)
                                {
                                    tracing::warn!(pane = pane.command(), error = %e, "cannot write the cache");
                                }
                                (fetched, index)
                            })
                            .await;
                            match prepared {
                                Ok((fetched, index)) => (Ok(fetched), Some(index)),
                                Err(e) => {
                                    (Err(SourceError::local("vigil", format!("preparing data failed: {e}"))), None)
                                }
                            }
                        }
                        Err(e) => {
                            tracing::warn!(pane = pane.command(), error = %e, "refresh failed");
                            (Err(e), None)
                        }
                    };
                    let _ = tx.send(Action::Loaded { request: Some(request), pane, context, at, result, index });
                });
            }
        }
    }
}

/// Who the audit record names: the context the action was confirmed in, with the principal known.
fn info_for(app: &App, context: &crate::model::Context) -> crate::source::SourceInfo {
    crate::source::SourceInfo {
        account: context.account.clone(),
        region: context.region.clone(),
        profile: context.profile.clone(),
        ..app.info().clone()
    }
}

/// An action confirmed for a context no connected source serves: nothing is sent, and each target
/// says why.
fn not_this_source(
    targets: &[crate::model::triage::Target],
    context: &crate::model::Context,
) -> (Vec<crate::model::triage::TargetOutcome>, Option<String>) {
    let why = format!("not sent: no source is connected for {context}");
    (targets.iter().map(|t| crate::model::triage::TargetOutcome::failed(t.clone(), why.clone())).collect(), None)
}

fn draw(terminal: &mut Term, app: &App, theme: &Theme) -> std::io::Result<()> {
    // Synchronized update: the terminal shows the frame whole, never half-drawn (matters over SSH).
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|frame| ui::draw(frame, app, theme))?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)
}

/// A terminal event as an action, or `None` for events that change nothing.
pub fn translate(app: &App, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => translate_key(app, &key),
        Event::Resize(width, height) => Some(Action::Resize(width, height)),
        Event::Paste(text) => Some(Action::Paste(text)),
        _ => None,
    }
}

fn translate_key(app: &App, key: &KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match app.mode() {
        Mode::ActionMenu => {
            return Some(match key.code {
                KeyCode::Char('c') if ctrl => Action::Quit,
                KeyCode::Char(c) => Action::MenuChoice(c),
                _ => Action::Back,
            });
        }
        // y (or Enter, unless a note was just submitted with it) confirms; anything else cancels.
        Mode::Confirm => {
            return match key.code {
                KeyCode::Char('c') if ctrl => Some(Action::Quit),
                KeyCode::Char('y') | KeyCode::Char('Y') => Some(Action::ConfirmYes),
                KeyCode::Enter if app.enter_confirms() => Some(Action::ConfirmYes),
                KeyCode::Enter => None,
                _ => Some(Action::ConfirmNo),
            };
        }
        Mode::Outcome => {
            return match key.code {
                KeyCode::Char('c') if ctrl => Some(Action::Quit),
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => Some(Action::Back),
                _ => None,
            };
        }
        _ => {}
    }
    if matches!(app.mode(), Mode::Filter | Mode::Command | Mode::Note) {
        return Some(match key.code {
            KeyCode::Char('c') if ctrl => Action::Quit,
            KeyCode::Char('w') if ctrl => Action::Input(InputEdit::DeleteWord),
            KeyCode::Char('u') if ctrl => Action::Input(InputEdit::Cancel),
            KeyCode::Char(c) if !ctrl => Action::Input(InputEdit::Char(c)),
            KeyCode::Backspace => Action::Input(InputEdit::Backspace),
            KeyCode::Enter => Action::Input(InputEdit::Submit),
            KeyCode::Esc => Action::Input(InputEdit::Cancel),
            _ => return None,
        });
    }
    app.keymap().action_for(app.key_context()?, key)
}
