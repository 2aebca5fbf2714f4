//! What the war-room board shows that the panes do not keep: the open findings per severity over
//! the last hours (for "the change over the last hour"), the newest critical and high findings and
//! what falls due. Worked out when data arrives (and what falls due once a minute, as days pass), so
//! a frame only reads them.

use crate::model::radar::{RadarItem, radar};
use crate::model::{Finding, SeverityLabel, Timestamp};
use chrono::Duration;
use std::collections::VecDeque;
use std::sync::Arc;

/// Counts kept: two hours of samples, at most this many.
const TRAIL_SPAN_HOURS: i64 = 2;
const TRAIL_MAX: usize = 1_440;
/// The newest critical and high findings the board lists at most.
pub const NEWEST_SHOWN: usize = 40;
/// What counts as new on the board: first seen within this many hours. Within it, what matters
/// most comes first; older findings follow, newest first, only when the window has room.
pub const NEWEST_WINDOW_HOURS: i64 = 24;

pub use crate::model::SeverityCounts;

#[derive(Debug, Clone, Default)]
pub struct BoardState {
    /// (when, open findings per severity), oldest first.
    trail: VecDeque<(Timestamp, SeverityCounts)>,
    /// Open critical and high findings: those first seen within [`NEWEST_WINDOW_HOURS`] by
    /// priority (the attack sequence before a stale control), then older ones, newest first.
    pub newest: Vec<Arc<Finding>>,
    /// Certificates and secrets on the expiry radar, soonest first, and when they were worked out.
    due: Vec<RadarItem>,
    due_as_of: Option<Timestamp>,
}

/// How often what falls due is worked out again when nothing new arrived: days left change by
/// the clock, and a minute is finer than a day needs.
const DUE_RECOUNT_SECONDS: i64 = 60;

impl BoardState {
    /// New findings: counts them and picks the newest critical and high ones.
    pub fn findings_arrived(&mut self, findings: &[Arc<Finding>], at: Timestamp) {
        let mut counts = SeverityCounts::default();
        let mut serious: Vec<&Arc<Finding>> = Vec::new();
        for f in findings.iter().filter(|f| f.is_open()) {
            counts[f.severity] += 1;
            if f.severity >= SeverityLabel::High {
                serious.push(f);
            }
        }
        let since = at - Duration::hours(NEWEST_WINDOW_HOURS);
        let order = |a: &&Arc<Finding>, b: &&Arc<Finding>| {
            let (a_new, b_new) = (a.first_seen >= since, b.first_seen >= since);
            b_new
                .cmp(&a_new)
                .then_with(|| if a_new { b.risk.score.cmp(&a.risk.score) } else { std::cmp::Ordering::Equal })
                .then_with(|| b.first_seen.cmp(&a.first_seen))
                .then_with(|| a.id.cmp(&b.id))
        };
        let keep = NEWEST_SHOWN.min(serious.len());
        if keep > 0 && keep < serious.len() {
            serious.select_nth_unstable_by(keep - 1, order);
        }
        serious.truncate(keep);
        serious.sort_by(order);
        self.newest = serious.into_iter().cloned().collect();
        self.record(at, counts);
    }

    /// What falls due arrived (or the clock moved on): the panes' due items, soonest first.
    /// Whether the list changed.
    pub fn recount_due(&mut self, items: Vec<RadarItem>, now: Timestamp) -> bool {
        let due = radar(items);
        self.due_as_of = Some(now);
        let changed = due != self.due;
        self.due = due;
        changed
    }

    /// Whether what falls due was worked out long enough ago that days left may have changed.
    pub fn due_is_stale(&self, now: Timestamp) -> bool {
        // Either way: a clock stepped back must not hold the list for the time it stepped.
        self.due_as_of.is_none_or(|at| (now - at).num_seconds().abs() >= DUE_RECOUNT_SECONDS)
    }

    /// What falls due, soonest first (the radar's horizon; the board shows the first week).
    pub fn due(&self) -> &[RadarItem] {
        &self.due
    }

    fn record(&mut self, at: Timestamp, counts: SeverityCounts) {
        if self.trail.back().is_some_and(|(last, _)| at < *last) {
            return;
        }
        self.trail.push_back((at, counts));
        while self.trail.len() > TRAIL_MAX
            || self.trail.front().is_some_and(|(t, _)| *t < at - Duration::hours(TRAIL_SPAN_HOURS))
        {
            self.trail.pop_front();
        }
    }

    /// The open findings per severity now.
    pub fn counts(&self) -> Option<SeverityCounts> {
        self.trail.back().map(|(_, c)| *c)
    }

    /// The change per severity against an hour ago (or the oldest sample, when the console has
    /// not been open an hour), and the time compared with.
    pub fn change_over_the_hour(&self, now: Timestamp) -> Option<(crate::model::PerSeverity<i64>, Timestamp)> {
        let (_, latest) = self.trail.back()?;
        let hour_ago = now - Duration::hours(1);
        // The sample compared against moves on when the next one is an hour old.
        if let Some((next, _)) = self.trail.iter().find(|(t, _)| *t > hour_ago) {
            crate::model::time::repaint::note(*next + Duration::hours(1));
        }
        let (then, before) = self.trail.iter().rev().find(|(t, _)| *t <= hour_ago).or(self.trail.front())?;
        let mut change = crate::model::PerSeverity::<i64>::default();
        for s in SeverityLabel::ALL {
            change[s] = latest[s] as i64 - before[s] as i64;
        }
        Some((change, *then))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn the_change_is_against_an_hour_ago_or_the_first_sample() {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap();
        let mut board = BoardState::default();
        board.record(t0, SeverityCounts::from_lowest_up([1, 2, 3, 4, 5]));
        board.record(t0 + Duration::minutes(30), SeverityCounts::from_lowest_up([1, 2, 3, 4, 9]));
        let (change, since) = board.change_over_the_hour(t0 + Duration::minutes(30)).unwrap();
        assert_eq!(
            (change, since),
            (crate::model::PerSeverity::from_lowest_up([0, 0, 0, 0, 4]), t0),
            "open half an hour: since the start"
        );
        board.record(t0 + Duration::minutes(70), SeverityCounts::from_lowest_up([0, 2, 3, 4, 12]));
        let (change, since) = board.change_over_the_hour(t0 + Duration::minutes(70)).unwrap();
        assert_eq!(
            (change, since),
            (crate::model::PerSeverity::from_lowest_up([-1, 0, 0, 0, 7]), t0),
            "the newest sample an hour old or more"
        );
        board.record(t0 + Duration::minutes(95), SeverityCounts::from_lowest_up([0, 2, 3, 4, 12]));
        let (_, since) = board.change_over_the_hour(t0 + Duration::minutes(95)).unwrap();
        assert_eq!(since, t0 + Duration::minutes(30));
        board.record(t0 + Duration::hours(5), SeverityCounts::default());
        assert_eq!(board.trail.len(), 1, "older than two hours: gone");
        board.record(t0, SeverityCounts::splat(9));
        assert_eq!(board.counts(), Some(SeverityCounts::default()), "an older sample is refused");
    }

    #[test]
    fn the_newest_are_ranked_by_priority_within_the_day_then_by_age() {
        use crate::model::priority::{Reason, Risk};
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap();
        let finding = |id: &str, hours_ago: i64, reasons: &[Reason]| {
            let mut f = crate::model::finding::tests::sample(id);
            f.severity = SeverityLabel::High;
            f.first_seen = now - Duration::hours(hours_ago);
            f.risk = Risk::from_reasons(reasons.iter().copied());
            Arc::new(f)
        };
        let findings = vec![
            finding("stale-control", 1, &[Reason::High]),
            finding("attack-sequence", 20, &[Reason::High, Reason::AttackSequence]),
            finding("old-but-serious", 30, &[Reason::High, Reason::AttackSequence, Reason::KnownExploit]),
            finding("older", 50, &[Reason::High]),
        ];
        let mut board = BoardState::default();
        board.findings_arrived(&findings, now);
        let order: Vec<&str> = board.newest.iter().map(|f| f.id.as_ref()).collect();
        assert_eq!(order, ["attack-sequence", "stale-control", "old-but-serious", "older"]);
    }

    #[test]
    fn what_falls_due_is_worked_out_again_a_minute_on() {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap();
        let mut board = BoardState::default();
        assert!(board.due_is_stale(t0), "never worked out");
        board.recount_due(Vec::new(), t0);
        assert!(!board.due_is_stale(t0 + Duration::seconds(59)));
        assert!(board.due_is_stale(t0 + Duration::seconds(60)));
    }
}
