//! Alerts: what is worth interrupting someone for, found when data arrives. A new finding at or
//! above the threshold, a certificate crossing seven days, a secret turning overdue, a sign-up
//! burst or cluster. Each source's first load is the baseline (what is already there when the
//! console opens rings nothing); after it, a thing rings once, when it appears, never again while
//! it stays (nor for a day after it went, so a flapping one does not ring each refresh), and no
//! more than a set number a minute.

use super::severity::SeverityLabel;
use super::time::Timestamp;
use crate::pane::PaneId;
use chrono::Duration;
use serde::Serialize;
use std::collections::{HashMap, HashSet, VecDeque};

/// Where an alert comes from, as the hook's JSON names it (`finding`, `certificate`, ...). Each
/// pane names its own; a source's first load is its baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct AlertSource(pub &'static str);

impl AlertSource {
    pub const FINDING: AlertSource = AlertSource("finding");
    pub const CERTIFICATE: AlertSource = AlertSource("certificate");
    pub const SECRET: AlertSource = AlertSource("secret");
    pub const SIGN_UPS: AlertSource = AlertSource("sign_ups");
    pub const SIGN_INS: AlertSource = AlertSource("sign_ins");
    pub const KEY: AlertSource = AlertSource("key");
}

/// One thing worth ringing for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub source: AlertSource,
    /// What it is about, stable across refreshes (a finding's identity, an ARN, a pool and kind).
    pub key: String,
    /// One line for a notification's title.
    pub title: String,
    /// One line of detail.
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<SeverityLabel>,
    /// The account and region it is in, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub at: Timestamp,
}

/// A thing that went stays quiet this long: one that flaps does not ring on every refresh.
const QUIET_AFTER_GONE_HOURS: i64 = 24;
/// Keys remembered per source at most (a war room runs for days; 100k findings come and go).
const MAX_REMEMBERED: usize = 200_000;

/// What the alerting remembers between loads.
#[derive(Debug, Clone, Default)]
pub struct AlertState {
    /// Per pane, the keys present at its last load; absent until its first load (the baseline).
    present: HashMap<PaneId, HashSet<String>>,
    /// Keys that went, and when: quiet for a day.
    gone: HashMap<String, Timestamp>,
    /// When the alerts of the last minute went out.
    sent: VecDeque<Timestamp>,
    /// Alerts held back by the rate limit since the last one sent.
    pub held_back: usize,
}

impl AlertState {
    /// Another account is shown: each source's next load is a baseline again. What went and the
    /// rate limit stay.
    pub fn new_baseline(&mut self) {
        self.present.clear();
    }

    /// The alerts of one load of `pane`: the candidates (everything that would ring now, by key)
    /// that were not there at the previous load. The first load of a pane is its baseline.
    pub fn arrivals(&mut self, pane: PaneId, candidates: Vec<Alert>, now: Timestamp) -> Vec<Alert> {
        let keys: HashSet<String> = candidates.iter().map(|a| a.key.clone()).collect();
        let previous = self.present.insert(pane, keys);
        let Some(previous) = previous else { return Vec::new() };
        let current = &self.present[&pane];
        for key in previous.difference(current) {
            self.gone.insert(key.clone(), now);
        }
        let quiet_since = now - Duration::hours(QUIET_AFTER_GONE_HOURS);
        self.gone.retain(|_, at| *at >= quiet_since);
        if self.gone.len() > MAX_REMEMBERED {
            self.gone.clear();
        }
        candidates.into_iter().filter(|a| !previous.contains(&a.key) && !self.gone.contains_key(&a.key)).collect()
    }

    /// What the rate limit lets out of `alerts` now (`per_minute` at most in any minute); the
    /// rest is counted in [`AlertState::held_back`] and said with the next alert that goes.
    pub fn admit(&mut self, alerts: Vec<Alert>, per_minute: usize, now: Timestamp) -> Vec<Alert> {
        while self.sent.front().is_some_and(|t| *t <= now - Duration::minutes(1)) {
            self.sent.pop_front();
        }
        let room = per_minute.saturating_sub(self.sent.len());
        let held_before = self.held_back;
        let mut out: Vec<Alert> = Vec::new();
        for (i, alert) in alerts.into_iter().enumerate() {
            if i < room {
                self.sent.push_back(now);
                out.push(alert);
            } else {
                self.held_back += 1;
            }
        }
        // The first that goes says how many were held back before it: none is dropped unsaid.
        if let Some(first) = out.first_mut()
            && held_before > 0
        {
            first.detail.push_str(&format!(" (+{held_before} more held back by the rate limit)"));
            self.held_back -= held_before;
        }
        out
    }
}

/// How alerts reach people, as the config and the flags settle it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSettings {
    pub enabled: bool,
    /// New findings at or above this ring.
    pub min_severity: SeverityLabel,
    /// The terminal bell.
    pub bell: bool,
    /// Desktop notifications through the terminal.
    pub notify: Notify,
    /// Run with each alert's JSON on stdin.
    pub command: Option<String>,
    /// Environment variables the command gets beyond the basic ones (none of `AWS_*` otherwise).
    pub command_env: Vec<String>,
    /// Alerts sent in any minute at most.
    pub per_minute: usize,
}

/// The desktop notification escape sequence the terminal understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notify {
    None,
    /// `OSC 9` (iTerm2, Windows Terminal, WezTerm, Ghostty, foot, kitty).
    Osc9,
    /// `OSC 777;notify` (rxvt-unicode, foot, Ghostty, WezTerm, VTE terminals).
    Osc777,
    Both,
}

/// A certificate rings when it comes within this many days of expiry.
pub const CERTIFICATE_DAYS: i64 = 7;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn alert(key: &str) -> Alert {
        Alert {
            source: AlertSource::FINDING,
            key: key.into(),
            title: key.into(),
            detail: String::new(),
            severity: Some(SeverityLabel::High),
            account: None,
            region: None,
            at: now(),
        }
    }

    fn now() -> Timestamp {
        chrono::Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
    }

    fn keys(alerts: &[Alert]) -> Vec<&str> {
        alerts.iter().map(|a| a.key.as_str()).collect()
    }

    #[test]
    fn the_first_load_is_the_baseline_and_a_thing_rings_once() {
        let mut state = AlertState::default();
        let f = PaneId::Findings;
        assert!(state.arrivals(f, vec![alert("a"), alert("b")], now()).is_empty(), "baseline");
        let out = state.arrivals(f, vec![alert("a"), alert("b"), alert("c")], now());
        assert_eq!(keys(&out), ["c"]);
        assert!(state.arrivals(f, vec![alert("a"), alert("b"), alert("c")], now()).is_empty(), "never twice");
        // c goes and comes back within the day: quiet; after a day it may ring again.
        assert!(state.arrivals(f, vec![alert("a")], now()).is_empty());
        assert!(state.arrivals(f, vec![alert("a"), alert("c")], now() + Duration::hours(1)).is_empty());
        state.arrivals(f, vec![alert("a")], now() + Duration::hours(2));
        let out = state.arrivals(f, vec![alert("a"), alert("c")], now() + Duration::hours(27));
        assert_eq!(keys(&out), ["c"]);
        // Each source has its own baseline.
        assert!(state.arrivals(PaneId::Secrets, vec![alert("s")], now()).is_empty());
    }

    #[test]
    fn the_rate_limit_holds_back_and_says_so_with_the_next_alert() {
        let mut state = AlertState::default();
        let out = state.admit(vec![alert("1"), alert("2"), alert("3")], 2, now());
        assert_eq!(keys(&out), ["1", "2"]);
        assert_eq!(state.held_back, 1);
        assert!(state.admit(vec![alert("4")], 2, now() + Duration::seconds(30)).is_empty(), "the minute is full");
        let out = state.admit(vec![alert("5")], 2, now() + Duration::seconds(61));
        assert_eq!(keys(&out), ["5"]);
        assert!(out[0].detail.contains("+2 more held back"), "{}", out[0].detail);
        assert_eq!(state.held_back, 0);
    }
}
