//! When panes are fetched, and what a fetch's result does to the state: install it, or keep the
//! last good data and schedule the retry. Results are keyed to the context they were asked for.

use super::{App, backoff};
use crate::action::Effect;
use crate::model::{Context, Timestamp};
use crate::pane::PaneId;
use crate::source::{Fetched, SourceError, SourceInfo};
use crate::view::table::TableIndex;

impl App {
    pub(super) fn request_refresh(&mut self, panes: impl IntoIterator<Item = PaneId>) -> Vec<Effect> {
        // Nothing is fetched for an identity AWS has not confirmed (`r` included).
        if self.session.connection != super::Connection::Connected {
            return Vec::new();
        }
        let now = self.now;
        let mut effects = Vec::new();
        for pane in panes {
            // Only the latest request per pane: one in flight is the refresh already asked for.
            if self.pane(pane).status().in_flight {
                continue;
            }
            let request = self.new_request();
            let status = self.pane_mut(pane).status_mut();
            status.in_flight = true;
            status.request = request;
            status.so_far = 0;
            status.last_attempt = Some(now);
            effects.push(Effect::Fetch { request, pane, context: self.session.context.clone() });
        }
        effects
    }

    pub(super) fn due_refreshes(&mut self) -> Vec<Effect> {
        let due: Vec<PaneId> = PaneId::ALL
            .into_iter()
            .filter(|&pane| {
                let status = self.pane(pane).status();
                match status.retry_at {
                    Some(at) => self.now >= at,
                    None => status.last_attempt.is_none_or(|t| self.now - t >= self.refresh_interval(pane)),
                }
            })
            .collect();
        self.request_refresh(due)
    }

    pub(super) fn loaded(
        &mut self,
        request: Option<u64>,
        pane: PaneId,
        context: &Context,
        at: Timestamp,
        result: Result<Fetched, SourceError>,
        index: Option<TableIndex>,
    ) -> Vec<Effect> {
        // Asked for another account, region or profile than the one shown: never install it here.
        if *context != self.session.context {
            return Vec::new();
        }
        // An answer to an older request (one sent before a context switch and back): the latest
        // request is still awaited, and only its answer counts.
        let status = self.pane(pane).status();
        let answers_latest = request.is_some_and(|r| status.in_flight && r == status.request);
        if request.is_some() && !answers_latest {
            return Vec::new();
        }
        // Data nobody asked for (the disk cache, read while the console starts) never replaces
        // what a refresh already brought, nor the pages of one streaming in.
        let from_disk = matches!(&result, Ok(Fetched { cached_at: Some(_), .. }));
        if request.is_none()
            && from_disk
            && ((status.last_success.is_some() && !status.from_cache) || status.preview_of.is_some())
        {
            return Vec::new();
        }
        let names = std::sync::Arc::clone(&self.session.info.account_names);
        let ctx = self.cell_context_for(&names);
        let mut effects = Vec::new();
        // The cache replacing the cache (its head, then the whole list): the baseline of new
        // findings is the whole list, not the head.
        if request.is_none() && from_disk && status.from_cache && pane == PaneId::Findings {
            self.panes.findings.forget_baseline();
        }
        match result {
            Ok(Fetched { data, warnings, cached_at, resynced_at }) => {
                let (data, index) =
                    if cached_at.is_none() { self.with_live_events(data, index) } else { (data, index) };
                let status = self.pane_mut(pane).status_mut();
                status.warnings = warnings;
                status.workflow_as_of = resynced_at;
                status.from_cache = cached_at.is_some();
                status.preview_of = None;
                effects.extend(super::Panes::on_loaded(
                    &data,
                    &mut self.watch,
                    &self.session.context,
                    at,
                    cached_at.is_some(),
                ));
                // What was cached rings nothing: the first load of this run is the baseline.
                if cached_at.is_none() {
                    let (alerts, message) = self.watch.alerts(&data, at);
                    effects.extend(alerts);
                    if message.is_some() {
                        self.modes.message = message;
                    }
                }
                self.panes.install(data, index, &ctx);
                if pane.spec().uses(crate::pane::Hook::Due) {
                    self.recount_due();
                }
                let status = self.pane_mut(pane).status_mut();
                status.last_success = Some(cached_at.unwrap_or(at));
                status.error = None;
                status.failures = 0;
                status.retry_at = None;
            }
            Err(error) => {
                let now = self.now;
                let interval = self.refresh.interval(pane);
                let status = self.pane_mut(pane).status_mut();
                status.failures += 1;
                // Throttling and network trouble back off (with jitter); other errors wait for the
                // normal interval: retrying sooner will not grant a permission.
                status.retry_at = Some(if backoff::is_transient(&error) {
                    now + backoff::retry_delay(status.failures, pane, now.timestamp())
                } else {
                    now + interval
                });
                status.error = Some(error.to_string());
            }
        }
        if answers_latest {
            let status = self.pane_mut(pane).status_mut();
            status.in_flight = false;
            status.so_far = 0;
        }
        if pane == self.current {
            self.keep_selection_visible();
        }
        // An action landed while this refresh was in flight: its data may predate the action.
        if std::mem::take(&mut self.pane_mut(pane).status_mut().refresh_again) {
            effects.extend(self.request_refresh([pane]));
        }
        effects
    }

    /// Rows of a first load, as they arrive: shown when the pane has nothing to show yet (or shows
    /// an earlier preview), otherwise only counted, so a refresh replaces what is on screen in one
    /// step and the screen never flickers between old and partial data.
    pub(super) fn partial(&mut self, request: u64, pane: PaneId, context: &Context, rows: crate::model::PaneData) {
        let status = self.pane(pane).status();
        if *context != self.session.context || !status.in_flight || status.request != request || rows.pane() != pane {
            return;
        }
        let show = status.last_success.is_none() || status.preview_of.is_some();
        let fresh = status.preview_of.is_some_and(|r| r != request);
        let names = std::sync::Arc::clone(&self.session.info.account_names);
        let ctx = self.cell_context_for(&names);
        let n = if show { self.panes.append_preview(rows, fresh, &ctx) } else { rows.record_count() };
        let status = self.pane_mut(pane).status_mut();
        status.so_far += n;
        if show {
            status.preview_of = Some(request);
            if pane.spec().uses(crate::pane::Hook::Due) {
                self.recount_due();
            }
        }
        if pane == self.current {
            self.keep_selection_visible();
        }
    }

    /// Shows cached data at once, marked with its age, before the first refresh.
    pub fn load_cached(&mut self, pane: PaneId, saved_at: Timestamp, data: crate::model::PaneData) -> Vec<Effect> {
        self.update(crate::action::Action::Loaded {
            request: None,
            pane,
            context: self.session.context.clone(),
            at: saved_at,
            result: Ok(Fetched { data, warnings: Vec::new(), cached_at: Some(saved_at), resynced_at: None }),
            index: None,
        })
    }

    /// AWS answered who we are. The same context keeps its cached rows (still marked cached until
    /// their refresh lands) and refreshes every pane now; another one is a context switch.
    pub(super) fn connected(&mut self, info: SourceInfo) -> Vec<Effect> {
        self.session.connection = super::Connection::Connected;
        if info.kind != self.session.info.kind {
            self.refresh = match info.kind {
                crate::source::SourceKind::Demo => super::RefreshPolicy::demo(),
                crate::source::SourceKind::Aws => self.refresh,
            };
        }
        if info.context() == self.session.context {
            self.session.info = info;
            return self.request_refresh(PaneId::ALL);
        }
        self.switch_context(info)
    }

    /// Another account, region or profile: forget what was shown (results still in flight for the
    /// old context will be dropped when they land) and fetch every pane for the new one.
    pub(super) fn switch_context(&mut self, info: SourceInfo) -> Vec<Effect> {
        let context = info.context();
        self.session.info = info;
        if context == self.session.context {
            return Vec::new();
        }
        self.session.context = context;
        let names = std::sync::Arc::clone(&self.session.info.account_names);
        let ctx = self.cell_context_for(&names);
        self.panes.clear_data(&ctx);
        // The board's trail and lists were another account's, and so is what alerts compare with:
        // the new account's first load is a baseline, not a flood of arrivals.
        self.watch.new_context();
        // Its feed is another queue's: the runner starts the new context's.
        self.live.reset();
        // An action still running keeps its pending result: it is shown when it lands, labelled
        // with the context it ran in.
        self.draft = None;
        self.modes.mode = super::Mode::Normal;
        let mut effects = self.history_left_behind();
        effects.extend(self.request_refresh(PaneId::ALL));
        effects
    }
}
