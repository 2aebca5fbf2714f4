//! What the live feed does to the state: events laid over the findings pane at once (alerts
//! included), the polls' lists corrected by the events they predate, the findings poll slowed to
//! the safety interval while the feed is healthy.

use super::{App, MessageLevel};
use crate::action::Effect;
use crate::model::live::{FeedState, Verdict, lay_over};
use crate::model::{Finding, PaneData, Timestamp};
use crate::pane::PaneId;
use crate::view::table::TableIndex;
use std::sync::Arc;

impl App {
    pub(super) fn live_state(&mut self, state: FeedState) -> Vec<Effect> {
        if self.live.state == state {
            return Vec::new();
        }
        tracing::info!(state = ?state, "live feed");
        self.live.state = state;
        // The interval as it is now the state changed.
        let every = crate::model::time::compact_duration(self.refresh_interval(PaneId::Findings).num_seconds());
        let message = match &self.live.state {
            FeedState::Listening { queue } => Some((
                MessageLevel::Info,
                format!("live: findings from queue {queue} as AWS sends them; polling every {every} as the safety net"),
            )),
            // Said once when it happens, not at each failed attempt; a source without a feed
            // (the demo) says nothing.
            // No queue is where every console starts before `vigil live setup`: said, not alarmed.
            FeedState::FellBack { short, why } => {
                let level = if short == "no queue" { MessageLevel::Info } else { MessageLevel::Error };
                Some((level, format!("live feed: {why}; findings are polled every {every}")))
            }
            FeedState::Idle => None,
        };
        if message.is_some() {
            self.modes.message = message;
        }
        Vec::new()
    }

    /// Lays a batch of events over the findings pane, at once.
    pub(super) fn live_events(&mut self, findings: Vec<Finding>, malformed: Vec<String>, at: Timestamp) -> Vec<Effect> {
        self.live.events += (findings.len() + malformed.len()) as u64;
        self.live.malformed += malformed.len() as u64;
        if let Some(why) = malformed.last() {
            self.live.last_malformed = Some(why.clone());
        }
        self.live.last_event = Some(at);
        self.live.ledger.prune(at);
        let mut fresh = Vec::new();
        for finding in findings {
            let finding = Arc::new(finding);
            match self.live.ledger.accept(Arc::clone(&finding), at) {
                Verdict::Fresh => fresh.push(finding),
                Verdict::Stale => self.live.stale += 1,
            }
        }
        // Before the first load the events wait in the ledger: they are laid over its result.
        if fresh.is_empty() || self.findings().table.status.last_success.is_none() {
            return Vec::new();
        }
        let keep_closed = self.fetch_options(PaneId::Findings).all_findings;
        let (mut list, laid) = lay_over(&self.findings().table.rows, &fresh, keep_closed);
        self.live.stale += laid.stale as u64;
        if !laid.changed() {
            return Vec::new();
        }
        crate::model::risk::rank(&mut list, at);
        // The index of the rows on screen, reused: a batch costs a lookup per row, not a rebuild.
        let table = &self.findings().table;
        let names = Arc::clone(&self.session.info.account_names);
        let ctx = self.cell_context_for(&names);
        let index = TableIndex::rebuild_from(&table.rows, &table.view.shared_index(), &list, &ctx, table.view.sort);
        self.install_live(PaneData::Findings(list), index, at)
    }

    fn install_live(&mut self, data: PaneData, index: TableIndex, at: Timestamp) -> Vec<Effect> {
        let names = Arc::clone(&self.session.info.account_names);
        let ctx = self.cell_context_for(&names);
        let mut effects = super::Panes::on_loaded(&data, &mut self.watch, &self.session.context, at, false);
        let (alerts, message) = self.watch.alerts(&data, at);
        effects.extend(alerts);
        if message.is_some() {
            self.modes.message = message;
        }
        self.panes.install(data, Some(index), &ctx);
        if PaneId::Findings.spec().uses(crate::pane::Hook::Due) {
            self.recount_due();
        }
        // A listing over the findings shows what the events changed, as after a poll.
        if self.modes.listing.as_ref().is_some_and(|l| l.kind.reads(PaneId::Findings)) {
            self.refresh_listing_for(PaneId::Findings);
        }
        if self.current == PaneId::Findings {
            self.keep_selection_visible();
        }
        effects
    }

    /// A poll's findings with the events of the last few minutes laid over them: a poll that
    /// started before an event can land after it, and a delta poll does not see every change
    /// (triage without a note) until the next full load. The index prepared for the poll's rows
    /// is brought up to the rows the events changed.
    pub(super) fn with_live_events(
        &mut self,
        data: PaneData,
        index: Option<TableIndex>,
    ) -> (PaneData, Option<TableIndex>) {
        let PaneData::Findings(rows) = data else { return (data, index) };
        self.live.ledger.prune(self.now);
        if self.live.ledger.is_empty() {
            return (PaneData::Findings(rows), index);
        }
        let keep_closed = self.fetch_options(PaneId::Findings).all_findings;
        let (mut list, laid) = lay_over(&rows, &self.live.ledger.findings(), keep_closed);
        if !laid.changed() {
            return (PaneData::Findings(rows), index);
        }
        crate::model::risk::rank(&mut list, self.now);
        let names = Arc::clone(&self.session.info.account_names);
        let ctx = self.cell_context_for(&names);
        let sort = self.findings().table.view.sort;
        let index = index.map(|index| TableIndex::rebuild_from(&rows, &index, &list, &ctx, sort));
        (PaneData::Findings(list), index)
    }

    /// How often `pane` is polled: findings at the safety interval while the feed is healthy.
    pub(super) fn refresh_interval(&self, pane: PaneId) -> chrono::Duration {
        let interval = self.refresh.interval(pane);
        if pane == PaneId::Findings && self.live.is_live() {
            interval.max(self.live_settings.safety_poll)
        } else {
            interval
        }
    }
}
