//! Time as the panes show it: compact ages and whole days.

use chrono::{DateTime, Utc};

pub type Timestamp = DateTime<Utc>;

/// What a service's missing or unreadable timestamp becomes (the Unix epoch, `Timestamp`'s
/// default): shown as unknown, never as 1970.
pub const UNKNOWN: Timestamp = DateTime::UNIX_EPOCH;

/// Whether `t` is a real time rather than [`UNKNOWN`].
pub fn is_known(t: Timestamp) -> bool {
    t != UNKNOWN
}

/// A compact age such as `45s`, `12m`, `5h`, `3d`, `2y` for narrow columns; `?` when unknown.
pub fn compact_age(from: Timestamp, now: Timestamp) -> String {
    if !is_known(from) {
        return "?".into();
    }
    let seconds = (now - from).num_seconds().max(0);
    repaint::note(from + chrono::Duration::seconds(unit_end(seconds)));
    compact_duration(seconds)
}

/// An age to the minute: `<1m`, then as [`compact_age`] in whole minutes and above. For what a
/// calm screen shows of its data: an age counting seconds would redraw it every second.
pub fn rough_age(from: Timestamp, now: Timestamp) -> String {
    let seconds = (now - from).num_seconds();
    if is_known(from) && seconds < 60 {
        repaint::note(from + chrono::Duration::seconds(60));
        return "<1m".into();
    }
    compact_age(from, now)
}

/// Time left until `at`, as [`compact_duration`] says it (`0s` once it has passed).
pub fn compact_until(at: Timestamp, now: Timestamp) -> String {
    let seconds = (at - now).num_seconds().max(0);
    if seconds > 0 {
        repaint::note(at - chrono::Duration::seconds(unit_start(seconds)));
    }
    compact_duration(seconds)
}

/// Whether `at` has passed: a state that turns as a moment passes (a rotation overdue) says so,
/// so the screen showing it is redrawn then (see [`repaint`]).
pub fn is_past(at: Timestamp, now: Timestamp) -> bool {
    if at >= now {
        repaint::note(at);
    }
    at < now
}

/// Whether `at` has come (`at <= now`); noted as [`is_past`] is.
pub fn reached(at: Timestamp, now: Timestamp) -> bool {
    if at > now {
        repaint::note(at);
    }
    at <= now
}

/// The time of day to the minute, as the title bar's clock shows it: `14:03 UTC`.
pub fn wall_clock(now: Timestamp) -> String {
    let minute = chrono::DurationRound::duration_trunc(now, chrono::Duration::minutes(1)).unwrap_or(now);
    repaint::note(minute + chrono::Duration::minutes(1));
    now.format("%H:%M UTC").to_string()
}

/// Where the span of `seconds` that [`compact_duration`] says alike ends (exclusive).
fn unit_end(seconds: i64) -> i64 {
    let unit = duration_unit(seconds);
    (seconds / unit + 1) * unit
}

/// Where the span of `seconds` that [`compact_duration`] says alike starts.
fn unit_start(seconds: i64) -> i64 {
    let unit = duration_unit(seconds);
    seconds / unit * unit
}

fn duration_unit(seconds: i64) -> i64 {
    match seconds {
        ..=59 => 1,
        60..=3_599 => 60,
        3_600..=86_399 => 3_600,
        86_400..=31_535_999 => 86_400,
        _ => 31_536_000,
    }
}

/// When the frame on screen stops being true as time passes: the helpers above, which turn the
/// time into text, note the moment their text changes, and the console redraws only then (or when
/// anything else changes), not at every tick of its clock. Per thread: the UI draws on one.
pub mod repaint {
    use super::Timestamp;
    use std::cell::Cell;

    thread_local! {
        static NEXT: Cell<Option<Timestamp>> = const { Cell::new(None) };
    }

    /// A text drawn now changes at `at`.
    pub fn note(at: Timestamp) {
        NEXT.with(|next| next.set(Some(next.get().map_or(at, |n| n.min(at)))));
    }

    /// The earliest moment noted since the last call, and a fresh start.
    pub fn take() -> Option<Timestamp> {
        NEXT.with(Cell::take)
    }
}

/// `seconds` as the largest whole unit; negative spans (clock skew) read as `0s`.
pub fn compact_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..=59 => format!("{s}s"),
        60..=3_599 => format!("{}m", s / 60),
        3_600..=86_399 => format!("{}h", s / 3_600),
        86_400..=31_535_999 => format!("{}d", s / 86_400),
        _ => format!("{}y", s / 31_536_000),
    }
}

/// Whole days from `now` until `then`, rounded down; negative once `then` has passed.
pub fn days_until(then: Timestamp, now: Timestamp) -> i64 {
    let days = (then - now).num_seconds().div_euclid(86_400);
    // Whole seconds round a span toward zero: a moment just past `then` still counts 0 days, and
    // the change is due at once.
    repaint::note((then - chrono::Duration::days(days)).max(now));
    days
}

/// Whole days since `then`, rounded down.
pub fn days_since(then: Timestamp, now: Timestamp) -> i64 {
    let days = (now - then).num_seconds().div_euclid(86_400);
    repaint::note((then + chrono::Duration::days(days + 1)).max(now));
    days
}

/// A date for tables: `2026-11-25`; `unknown` when the service gave none that parses.
pub fn short_date(t: Timestamp) -> String {
    if !is_known(t) {
        return "unknown".into();
    }
    t.format("%Y-%m-%d").to_string()
}

/// A full timestamp for detail views: `2026-11-25 14:03:11 UTC`; `unknown` when there is none.
pub fn long_time(t: Timestamp) -> String {
    if !is_known(t) {
        return "unknown".into();
    }
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn an_unknown_time_reads_as_unknown_not_1970() {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).single().unwrap();
        assert_eq!(short_date(UNKNOWN), "unknown");
        assert_eq!(long_time(UNKNOWN), "unknown");
        assert_eq!(compact_age(UNKNOWN, now), "?");
        assert_eq!(Timestamp::default(), UNKNOWN, "what unwrap_or_default gives is unknown");
        assert!(!long_time(Timestamp::default()).contains("1970"));
    }

    fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).single().unwrap()
    }

    #[test]
    fn compact_age_picks_the_largest_unit() {
        assert_eq!(compact_age(now() - Duration::seconds(5), now()), "5s");
        assert_eq!(compact_age(now() - Duration::minutes(12), now()), "12m");
        assert_eq!(compact_age(now() - Duration::hours(5), now()), "5h");
        assert_eq!(compact_age(now() - Duration::days(3), now()), "3d");
        assert_eq!(compact_age(now() - Duration::days(800), now()), "2y");
        assert_eq!(compact_age(now() + Duration::seconds(30), now()), "0s");
    }

    #[test]
    fn days_round_down_and_go_negative_after_expiry() {
        assert_eq!(days_until(now() + Duration::hours(47), now()), 1);
        assert_eq!(days_until(now() + Duration::days(14), now()), 14);
        assert_eq!(days_until(now() - Duration::hours(1), now()), -1);
        assert_eq!(days_since(now() - Duration::days(91), now()), 91);
    }
}
