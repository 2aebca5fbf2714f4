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
    compact_duration((now - from).num_seconds())
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
    (then - now).num_seconds().div_euclid(86_400)
}

/// Whole days since `then`, rounded down.
pub fn days_since(then: Timestamp, now: Timestamp) -> i64 {
    (now - then).num_seconds().div_euclid(86_400)
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
