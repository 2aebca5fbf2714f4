//! The event loop: one `select!` over terminal input, the clock, results from the sources and
//! signals. It never awaits I/O itself: fetches and actions run as tasks and report back as
//! actions. It sits above the app and the UI: it feeds the one and draws with the other.

pub mod alerts;
pub mod execute;
pub mod live;

use crate::action::{Action, Effect, InputEdit};
use crate::app::{App, Mode};
use crate::audit::AuditLog;
use crate::cache::Cache;
use crate::source::{Progress, Source, SourceError, SourceKind};
use crate::tui::{Term, TerminalGuard};
use crate::ui::{self, theme::Theme};
use crate::view::table::TableIndex;
use crate::view::{CellContext, build_index};
use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use crossterm::{execute, queue};
use execute::{audit_refusal, execute};
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt};
use ratatui::buffer::Buffer;
use std::sync::Arc;
use std::time::Duration;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

/// Why the loop ended; a hang-up means there is no terminal left to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    Quit,
    Signal(i32),
    /// Connecting to AWS failed and there was no cached data to keep showing.
    NotConnected(SourceError),
}

/// The connection still being made when the console opens: the source, and a notice to show
/// (why the demo opened instead).
pub type Connect = BoxFuture<'static, Result<(Arc<dyn Source>, Option<String>), SourceError>>;

/// Makes the start's connection (`true`: at the start, where no credentials at all opens the
/// demo; `false`: again, after a login renewed the session it failed on, where it never does).
pub type Reconnect = Box<dyn Fn(bool) -> Connect + Send>;

/// Connects one of the contexts named at start (`--profile a,b --region x,y`), when `:ctx` asks.
pub type Connector = Box<dyn Fn(crate::model::ContextChoice) -> Connect + Send>;

/// The contexts' sources: those connected so far (switching back is instant) and the one being
/// connected.
struct Contexts {
    connector: Option<Connector>,
    connected: Vec<(usize, Arc<dyn Source>)>,
    pending: Option<(usize, Connect)>,
}

/// What the app asked of the loop itself (not of a task): taken after the action that asked.
#[derive(Default)]
struct Requests {
    switch: Option<(usize, crate::model::ContextChoice)>,
    /// A command to run in the terminal (the SSO login).
    in_terminal: Option<Vec<String>>,
    /// The history queries running, by request: `x` stops one, quitting stops them all.
    history: std::collections::HashMap<u64, (crate::model::lake::Cancel, tokio::task::JoinHandle<()>)>,
}

/// Where the console gets its data: a connected source, or one being connected while the console
/// already shows the cache (`app` is then [`App::connecting`]).
pub enum Start {
    Ready(Arc<dyn Source>),
    /// `connect` makes the connection: at the start, and again after `:login` when it failed.
    Connecting {
        provisional: Box<crate::source::SourceInfo>,
        connect: Reconnect,
    },
}

pub async fn run(
    start: Start,
    mut app: App,
    theme: Theme,
    audit: AuditLog,
    cache: Option<Cache>,
    panic_drill: Option<Duration>,
    connector: Option<Connector>,
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
    preload(cache.as_ref(), &app, &tx);
    let (mut source, mut connect, reconnect): (Arc<dyn Source>, Option<Connect>, Option<Reconnect>) = match start {
        Start::Ready(source) => (source, None, None),
        Start::Connecting { provisional, connect } => {
            (Arc::new(Unconnected(*provisional)), Some(connect(true)), Some(connect))
        }
    };
    let mut contexts = Contexts { connector, connected: Vec::new(), pending: None };
    let mut requests = Requests::default();
    if connect.is_none() {
        contexts.connected.push((0, Arc::clone(&source)));
    }
    // The live feed's task, and which source and context it listens for.
    let mut live: Option<(usize, crate::model::Context, tokio::task::JoinHandle<()>)> = None;
    let mut exit = Exit::Quit;
    let mut dirty = true;
    let mut shown = None;
    // When the frame on screen stops being true as time passes (its clock, its ages).
    let mut repaint_at = None;
    let mut drawn_at = app.now();
    loop {
        if dirty {
            repaint_at = draw(&mut guard.terminal, &app, &theme, &mut shown)?;
            drawn_at = app.now();
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
            Some(connected) = async { match connect.as_mut() { Some(c) => Some(c.await), None => None } },
                if connect.is_some() => {
                connect = None;
                match connected {
                    Ok((connected, notice)) => {
                        source = connected;
                        contexts.connected.push((0, Arc::clone(&source)));
                        Some(Action::Connected { info: source.info(), notice })
                    }
                    Err(e) if !app.has_data() => { exit = Exit::NotConnected(e); break; }
                    Err(e) => Some(Action::ConnectFailed(e.to_string())),
                }
            }
            Some((index, switched)) = async {
                match contexts.pending.as_mut() { Some((index, c)) => Some((*index, c.await)), None => None }
            }, if contexts.pending.is_some() => {
                contexts.pending = None;
                match switched {
                    Ok((connected, notice)) => {
                        contexts.connected.push((index, Arc::clone(&connected)));
                        source = connected;
                        Some(Action::ContextSwitched { index, info: source.info(), notice })
                    }
                    Err(e) => Some(Action::Notice(format!("cannot switch context: {e}"))),
                }
            }
        };
        let switched = matches!(action, Some(Action::ContextSwitched { .. }));
        if let Some(action) = action {
            dispatch(&mut app, action, &source, &tx, &audit, cache.as_ref(), &mut requests);
            // A tick that changed only the time redraws only once a text of time on screen changes:
            // an idle console costs its clock, not a frame a second.
            // A clock set back redraws at once: the frame shows a later time.
            dirty = !app.only_time_passed() || app.now() < drawn_at || repaint_at.is_none_or(|at| app.now() >= at);
        }
        // Coalesce: apply whatever else is already queued, then draw once.
        while let Ok(action) = rx.try_recv() {
            dispatch(&mut app, action, &source, &tx, &audit, cache.as_ref(), &mut requests);
            dirty = true;
        }
        if switched {
            // The new context's last good data, while its first refresh runs.
            preload(cache.as_ref(), &app, &tx);
        }
        if let Some(command) = requests.in_terminal.take() {
            let ended = hand_over(&mut guard, &mut events, &command).await?;
            // A Ctrl-C typed to the command reached us too: it was the command's, not a quit.
            // (A SIGTERM or SIGHUP meanwhile still ends the console.)
            while let Some(Some(())) = sigint.recv().now_or_never() {}
            if let Ok(size) = guard.terminal.size() {
                dispatch(
                    &mut app,
                    Action::Resize(size.width, size.height),
                    &source,
                    &tx,
                    &audit,
                    cache.as_ref(),
                    &mut requests,
                );
            }
            let renewed = ended.is_ok();
            let failed = matches!(app.connection(), crate::app::Connection::Failed(_));
            dispatch(&mut app, Action::LoginEnded(ended), &source, &tx, &audit, cache.as_ref(), &mut requests);
            // The connection failed on the old session: make it again with the new one.
            if renewed && failed && connect.is_none() {
                connect = reconnect.as_ref().map(|again| again(false));
            }
            shown = None;
            dirty = true;
        }
        if let Some((index, choice)) = requests.switch.take() {
            if let Some((_, known)) = contexts.connected.iter().find(|(i, _)| *i == index) {
                // A connect still running for another context would switch away when it lands.
                contexts.pending = None;
                source = Arc::clone(known);
                let info = source.info();
                dispatch(
                    &mut app,
                    Action::ContextSwitched { index, info, notice: None },
                    &source,
                    &tx,
                    &audit,
                    cache.as_ref(),
                    &mut requests,
                );
                preload(cache.as_ref(), &app, &tx);
            } else if let Some(connector) = &contexts.connector {
                let connect = if index == app.contexts().0.len() {
                    connect_all(app.contexts().0, &contexts.connected, connector)
                } else {
                    connector(choice)
                };
                contexts.pending = Some((index, connect));
            } else {
                let why = "this console cannot switch contexts".to_string();
                dispatch(&mut app, Action::Notice(why), &source, &tx, &audit, cache.as_ref(), &mut requests);
            }
            dirty = true;
        }
        follow_live(&mut live, &app, &source, &tx);
        if app.should_quit() {
            break;
        }
    }
    if let Some((_, _, task)) = live {
        task.abort();
    }
    drop(guard);
    stop_history_queries(requests.history).await;
    Ok(exit)
}

/// History queries still running when the console quits are stopped in Athena (they would
/// otherwise scan on, and be billed, with nobody to read them): each is cancelled and given a few
/// seconds to send its StopQueryExecution. Said in the log, never on the terminal.
async fn stop_history_queries(
    running: std::collections::HashMap<u64, (crate::model::lake::Cancel, tokio::task::JoinHandle<()>)>,
) {
    let running: Vec<_> = running.into_values().filter(|(_, task)| !task.is_finished()).collect();
    if running.is_empty() {
        return;
    }
    let count = running.len();
    let tasks: Vec<_> = running
        .into_iter()
        .map(|(cancel, task)| {
            cancel.cancel();
            task
        })
        .collect();
    tracing::info!(count, "stopping the history queries still running in Athena");
    if tokio::time::timeout(std::time::Duration::from_secs(6), futures::future::join_all(tasks)).await.is_err() {
        tracing::warn!(count, "not every history query answered its stop: aws athena list-query-executions shows them");
    }
}

/// Keeps one live feed task, for the source and context shown once AWS confirmed who we are.
fn follow_live(
    live: &mut Option<(usize, crate::model::Context, tokio::task::JoinHandle<()>)>,
    app: &App,
    source: &Arc<dyn Source>,
    tx: &mpsc::UnboundedSender<Action>,
) {
    let wanted = (*app.connection() == crate::app::Connection::Connected)
        .then(|| (Arc::as_ptr(source).cast::<()>() as usize, app.info().context()));
    let current = live.as_ref().map(|(source, context, _)| (*source, context.clone()));
    if current == wanted {
        return;
    }
    if let Some((_, _, task)) = live.take() {
        task.abort();
    }
    if let Some((id, context)) = wanted {
        let task =
            tokio::spawn(live::listen(Arc::clone(source), app.live_settings().clone(), context.clone(), tx.clone()));
        *live = Some((id, context, task));
    }
}

/// Hands the terminal to `command` (the SSO login: it prints a code and may ask questions) and
/// takes it back when the command ends. The key reader is replaced first: the old one stops, and
/// the new one reads nothing until the loop polls it again, so what the person types goes to the
/// command.
///
/// The outer error is the screen that could not be taken back: the console cannot go on drawing
/// on a terminal in line mode, so it ends (and the guard restores what it can).
async fn hand_over(
    guard: &mut TerminalGuard,
    events: &mut EventStream,
    command: &[String],
) -> std::io::Result<Result<(), String>> {
    // Safe because `:login` comes from a key the loop has just read: the old reader is idle, so
    // the new one can be made before it goes.
    drop(std::mem::replace(events, EventStream::new()));
    let Some((program, args)) = command.split_first() else { return Ok(Err("no command".into())) };
    let shown = command.join(" ");
    guard.suspend();
    {
        use std::io::Write;
        // The terminal may be gone (an SSH link dropped): nothing to say then, no panic.
        let _ = writeln!(std::io::stdout(), "\nvigil: running `{shown}`; the console comes back when it ends.\n");
    }
    let status = tokio::process::Command::new(program).args(args).status().await;
    // Keys typed while the command ran and never read by it (it waits on a browser) stay in the
    // terminal's queue: they were meant for the command, not for the console (a `q` there must
    // not quit here). Discarded where they wait, before the console reads again.
    let _ = rustix::termios::tcflush(std::io::stdin(), rustix::termios::QueueSelector::IFlush);
    guard.resume()?;
    Ok(match status {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("`{shown}` ended with {status}")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(format!("cannot run `{program}`: not found on PATH (install the AWS CLI v2)"))
        }
        Err(e) => Err(format!("cannot run `{shown}`: {e}")),
    })
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
    requests: &mut Requests,
) {
    for effect in app.update(action) {
        match effect {
            Effect::SwitchTo { index, choice } => requests.switch = Some((index, choice)),
            Effect::RunInTerminal(command) => requests.in_terminal = Some(command),
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
            Effect::FetchDocument { pane, context, key, target } => {
                let source = Arc::clone(source);
                let tx = tx.clone();
                tokio::spawn(async move {
                    let result = if source.info().context() == context {
                        source.document(pane, &target).await
                    } else {
                        Err("the context changed: open the raw view again".into())
                    };
                    let _ = tx.send(Action::DocumentArrived { key, result });
                });
            }
            Effect::HistoryPrepare { id, question } => {
                let source = Arc::clone(source);
                let tx = tx.clone();
                tokio::spawn(async move {
                    let result = source.history_prepare(&question).await;
                    let _ = tx.send(Action::HistoryPrepared { id, result });
                });
            }
            Effect::HistoryRun { id, prepared } => {
                let source = Arc::clone(source);
                let tx = tx.clone();
                let cancel = crate::model::lake::Cancel::default();
                requests.history.retain(|_, (_, task)| !task.is_finished());
                let running = cancel.clone();
                let task = tokio::spawn(async move {
                    let progress_tx = tx.clone();
                    let progress = move |progress| {
                        let _ = progress_tx.send(Action::HistoryProgress { id, progress });
                    };
                    let result = source.history_run(&prepared, &cancel, &progress).await;
                    let _ = tx.send(Action::HistoryFinished { id, result });
                });
                requests.history.insert(id, (running, task));
            }
            Effect::HistoryStop { id } => {
                if let Some((cancel, _)) = requests.history.get(&id) {
                    cancel.cancel();
                }
            }
            Effect::FetchAutomationRules { context } => {
                let source = Arc::clone(source);
                let tx = tx.clone();
                tokio::spawn(async move {
                    let result = if source.info().context() == context {
                        source.automation_rules().await
                    } else {
                        Err("the context changed: list the rules again".into())
                    };
                    let _ = tx.send(Action::AutomationRulesArrived { context, result });
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
            Effect::Alert { alerts: list, settings } => {
                let bytes = alerts::terminal_bytes(&list, &settings, std::env::var_os("TMUX").is_some());
                if !bytes.is_empty() {
                    use std::io::Write;
                    let mut out = std::io::stdout();
                    if let Err(e) = out.write_all(bytes.as_bytes()).and_then(|()| out.flush()) {
                        let _ = tx.send(Action::Notice(format!("cannot ring the alert: {e}")));
                    }
                }
                if let Some(command) = settings.command {
                    let tx = tx.clone();
                    let pass_env = settings.command_env;
                    tokio::spawn(async move {
                        for alert in &list {
                            if let Err(why) = alerts::run_hook(&command, alert, &pass_env, alerts::HOOK_TIMEOUT).await {
                                let _ = tx.send(Action::Notice(format!("alert command failed: {why}")));
                            }
                        }
                    });
                }
            }
            Effect::SaveScoreHistory(history) => {
                let tx = tx.clone();
                tokio::task::spawn_blocking(move || {
                    if let Some(file) = crate::history_file::HistoryFile::default_location()
                        && let Err(e) = file.save(&history)
                    {
                        let _ = tx.send(Action::Notice(format!(
                            "cannot save the score history to {}: {e}",
                            file.path().display()
                        )));
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
                // What the findings pane shows now, shared (not copied): the next index reuses
                // every record the refresh did not change.
                let basis = (pane == crate::pane::PaneId::Findings && !app.findings().table.rows.is_empty())
                    .then(|| (Arc::clone(&app.findings().table.rows), app.findings().table.view.shared_index()));
                let reveal_pii = app.reveal_pii();
                let names = Arc::clone(&app.info().account_names);
                let options = app.fetch_options(pane);
                // Only real accounts are cached (the demo is generated anyway), and only the
                // default view, which is what a start shows first. The "all" view is its contexts'
                // data, each of which has its own cache.
                let cacheable = app.info().kind == SourceKind::Aws && context.account != crate::source::merged::ALL;
                let save_to = cache.filter(|_| cacheable && options == Default::default()).cloned();
                let progress = {
                    let (tx, context) = (tx.clone(), context.clone());
                    Progress::new(move |rows| {
                        let _ = tx.send(Action::Partial { request, pane, context: context.clone(), rows });
                    })
                };
                tokio::spawn(async move {
                    let result = if source.info().context() == context {
                        source.fetch_with_progress(pane, Utc::now(), options, progress).await
                    } else {
                        Err(SourceError::local(
                            crate::source::Service::Vigil,
                            format!("no source is connected for {context}"),
                        ))
                    };
                    let at = Utc::now();
                    let (result, index) = match result {
                        Ok(fetched) => {
                            let for_cache = context.clone();
                            let prepared = tokio::task::spawn_blocking(move || {
                                let ctx = CellContext { now: at, reveal_pii, accounts: &names };
                                let index = match (&fetched.data, basis) {
                                    (crate::model::PaneData::Findings(rows), Some((old, previous))) => {
                                        TableIndex::rebuild_from(&old, &previous, rows, &ctx, sort)
                                    }
                                    (data, _) => build_index(data, sort, &ctx),
                                };
                                // Saved under the context the request was made for, whatever is
                                // shown by the time it lands.
                                if let Some(cache) = save_to {
                                    let head = head_of(&fetched.data, &index);
                                    let saved = cache.save(&for_cache, pane, at, &fetched.data).and_then(|()| {
                                        head.map_or(Ok(()), |head| cache.save_head(&for_cache, at, &head))
                                    });
                                    if let Err(e) = saved {
                                        tracing::warn!(pane = pane.command(), error = %e, "cannot write the cache");
                                    }
                                }
                                (fetched, index)
                            })
                            .await;
                            match prepared {
                                Ok((fetched, index)) => (Ok(fetched), Some(index)),
                                Err(e) => (
                                    Err(SourceError::local(
                                        crate::source::Service::Vigil,
                                        format!("preparing data failed: {e}"),
                                    )),
                                    None,
                                ),
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

/// Rows of a large findings list shown first from the cache, before the whole list is read.
const CACHE_HEAD_ROWS: usize = 300;

/// The first [`CACHE_HEAD_ROWS`] findings in table order (in the default scope) when the list is
/// long enough for reading it whole to show.
pub fn head_of(data: &crate::model::PaneData, index: &TableIndex) -> Option<crate::model::PaneData> {
    use crate::view::Scoped;
    let crate::model::PaneData::Findings(rows) = data else { return None };
    if rows.len() <= CACHE_HEAD_ROWS * 10 {
        return None;
    }
    let head = index
        .order
        .iter()
        .filter_map(|&i| rows.get(i as usize))
        .filter(|f| f.in_default_scope())
        .take(CACHE_HEAD_ROWS)
        .cloned()
        .collect();
    Some(crate::model::PaneData::Findings(head))
}

/// The "all" view: every context named at start, those already connected reused, the others
/// connected at once; a context that cannot connect is named in the notice and left out.
fn connect_all(
    choices: &[crate::model::ContextChoice],
    connected: &[(usize, Arc<dyn Source>)],
    connector: &Connector,
) -> Connect {
    let parts: Vec<(String, Connect)> = choices
        .iter()
        .enumerate()
        .map(|(i, choice)| {
            let connect: Connect = match connected.iter().find(|(index, _)| *index == i) {
                Some((_, known)) => {
                    let known = Arc::clone(known);
                    Box::pin(async move { Ok((known, None)) })
                }
                None => connector(choice.clone()),
            };
            (choice.to_string(), connect)
        })
        .collect();
    Box::pin(async move {
        let (names, connects): (Vec<String>, Vec<Connect>) = parts.into_iter().unzip();
        let results = futures::future::join_all(connects).await;
        let mut sources = Vec::new();
        let mut notes = Vec::new();
        let mut first_error = None;
        for (name, result) in names.into_iter().zip(results) {
            match result {
                Ok((source, notice)) => {
                    sources.push(source);
                    notes.extend(notice.map(|n| format!("{name}: {n}")));
                }
                Err(e) => {
                    notes.push(format!("{name} is left out: {e}"));
                    first_error.get_or_insert(e);
                }
            }
        }
        let mut sources = sources.into_iter();
        match sources.next() {
            Some(first) => {
                let merged = crate::source::merged::MergedSource::new(first, sources.collect());
                Ok((Arc::new(merged) as Arc<dyn Source>, (!notes.is_empty()).then(|| notes.join("; "))))
            }
            None => {
                Err(first_error
                    .unwrap_or_else(|| SourceError::local(crate::source::Service::Vigil, "no context to show")))
            }
        }
    })
}

/// Reads the last good data of every pane from the disk cache on a worker, index built, and hands it
/// to the app as it comes: the first frame is drawn before the cache is read, whatever its size.
/// A large findings list shows its saved head first (the rows on screen), then the whole list.
/// A pane whose first refresh lands first keeps the fresher data (see `App::loaded`). Only real
/// accounts are cached.
fn preload(cache: Option<&Cache>, app: &App, tx: &mpsc::UnboundedSender<Action>) {
    let Some(cache) = cache.filter(|_| app.info().kind == SourceKind::Aws) else { return };
    let context = app.context().clone();
    let (now, reveal_pii) = (app.cell_context().now, app.reveal_pii());
    let names = Arc::clone(&app.info().account_names);
    let sorts: Vec<_> = crate::pane::PaneId::ALL.into_iter().map(|p| (p, app.pane(p).view().sort)).collect();
    let (cache, tx) = (cache.clone(), tx.clone());
    tokio::task::spawn_blocking(move || {
        let ctx = CellContext { now, reveal_pii, accounts: &names };
        let cached = |pane, saved_at, data: crate::model::PaneData, warnings, sort| {
            let index = build_index(&data, sort, &ctx);
            let fetched = crate::source::Fetched { data, warnings, cached_at: Some(saved_at), resynced_at: None };
            let result = Ok(fetched);
            Action::Loaded { request: None, pane, context: context.clone(), at: saved_at, result, index: Some(index) }
        };
        let findings = crate::pane::PaneId::Findings;
        if let Some((saved_at, head @ crate::model::PaneData::Findings(_))) = cache.load_head(&context, findings) {
            let note = format!("reading the cache: the first {} findings are shown", head_rows(&head));
            let sort = app_sort_of(&sorts, findings);
            if tx.send(cached(findings, saved_at, head, vec![note], sort)).is_err() {
                return;
            }
        }
        for (pane, sort) in sorts.iter().copied() {
            let Some((saved_at, data)) = cache.load(&context, pane) else { continue };
            if tx.send(cached(pane, saved_at, data, Vec::new(), sort)).is_err() {
                return;
            }
        }
    });
}

fn head_rows(head: &crate::model::PaneData) -> usize {
    match head {
        crate::model::PaneData::Findings(rows) => rows.len(),
        _ => 0,
    }
}

fn app_sort_of(
    sorts: &[(crate::pane::PaneId, crate::view::table::SortSpec)],
    pane: crate::pane::PaneId,
) -> crate::view::table::SortSpec {
    sorts.iter().find(|(p, _)| *p == pane).map_or_else(|| crate::view::default_sort(pane), |(_, sort)| *sort)
}

/// The stand-in while the connection is made. The app fetches nothing and offers no action until
/// connected; should anything reach it anyway, it fails and says why.
struct Unconnected(crate::source::SourceInfo);

impl Source for Unconnected {
    fn info(&self) -> crate::source::SourceInfo {
        self.0.clone()
    }

    fn fetch_with_progress(
        &self,
        _pane: crate::pane::PaneId,
        _now: crate::model::Timestamp,
        _options: crate::source::FetchOptions,
        _progress: Progress,
    ) -> BoxFuture<'_, Result<crate::source::Fetched, SourceError>> {
        Box::pin(async { Err(SourceError::local(crate::source::Service::Vigil, "not connected to AWS yet")) })
    }

    fn apply<'a>(
        &'a self,
        _action: &'a crate::model::triage::TriageAction,
        targets: &'a [crate::model::triage::Target],
    ) -> BoxFuture<'a, Vec<crate::model::triage::TargetOutcome>> {
        let why = "not sent: not connected to AWS yet";
        Box::pin(async move {
            targets.iter().map(|t| crate::model::triage::TargetOutcome::failed(t.clone(), why.to_string())).collect()
        })
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

/// Draws the frame, and writes nothing at all when it is the frame already on screen: an idle
/// console over SSH should cost no bytes. Returns when the frame's texts of time next change.
fn draw(
    terminal: &mut Term,
    app: &App,
    theme: &Theme,
    shown: &mut Option<Buffer>,
) -> std::io::Result<Option<chrono::DateTime<Utc>>> {
    terminal.autoresize()?;
    let mut frame = terminal.get_frame();
    let repaint_at = ui::draw_until(&mut frame, app, theme);
    if shown.as_ref() == Some(&*terminal.current_buffer_mut()) {
        // As the swap after a real draw would leave it: the next frame starts blank.
        terminal.current_buffer_mut().reset();
        return Ok(repaint_at);
    }
    *shown = Some(terminal.current_buffer_mut().clone());
    // Synchronized update: the terminal shows the frame whole, never half-drawn (matters over SSH).
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.apply_buffer()?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    Ok(repaint_at)
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
            KeyCode::Tab => Action::Input(InputEdit::Complete),
            _ => return None,
        });
    }
    app.keymap().action_for(app.key_context()?, key)
}
