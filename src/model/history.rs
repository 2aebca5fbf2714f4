//! Security scores over time, kept locally: Security Hub keeps no history of the score, yet "are we
//! better than yesterday" is the first question in a review. Bounded: hourly samples for two weeks,
//! one a day after that, nothing older than [`KEEP_DAYS`], at most [`MAX_SERIES`] series.

use super::time::Timestamp;
use chrono::{Datelike, Duration, Timelike};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Samples older than this are dropped.
pub const KEEP_DAYS: i64 = 400;
/// Within this many days every hour keeps a sample; before, only the last of each day.
pub const HOURLY_DAYS: i64 = 14;
/// Series (account, region and standard) kept at most; the least recently updated go first.
pub const MAX_SERIES: usize = 500;
/// A change "since yesterday" needs a sample within this much of a day ago (and the same for a
/// week): after a month away there is no yesterday to compare with.
pub const COMPARE_WITHIN_HOURS: i64 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    pub at: Timestamp,
    pub score: u8,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreHistory {
    /// Series key ([`ScoreHistory::key`]) → samples, oldest first.
    pub series: BTreeMap<String, Vec<Sample>>,
}

/// A standard's score history as the Compliance pane shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trend {
    /// The last score of each of the last days, oldest first (`None`: no sample that day).
    pub daily: Vec<Option<u8>>,
    /// Change of the latest score against the score a day ago and a week ago.
    pub since_yesterday: Option<i16>,
    pub since_last_week: Option<i16>,
}

/// The moments the trend moves at: a day or a week after the next sample (the sample compared
/// against moves on), when the one compared against falls out of `within`, at the next sample
/// after `now` (the latest score), and at midnight (the days).
fn note_trend_changes(samples: &[Sample], now: Timestamp, within: Duration) {
    let note = |at: Timestamp| {
        if at > now {
            super::time::repaint::note(at);
        }
    };
    for ago in [Duration::days(1), Duration::days(7)] {
        let i = samples.partition_point(|s| s.at <= now - ago);
        if let Some(next) = samples.get(i) {
            note(next.at + ago);
        }
        if let Some(compared) = i.checked_sub(1).and_then(|i| samples.get(i)) {
            note(compared.at + within + ago + Duration::nanoseconds(1));
        }
    }
    if let Some(next) = samples.get(samples.partition_point(|s| s.at <= now)) {
        note(next.at);
    }
    // The days shown turn at midnight (UTC).
    if let Some(midnight) = (now.date_naive() + chrono::Days::new(1)).and_hms_opt(0, 0, 0) {
        note(midnight.and_utc());
    }
}

impl ScoreHistory {
    /// The series of one standard in one account and region.
    pub fn key(account: &str, region: &str, standard_arn: &str) -> String {
        format!("{account}/{region}/{standard_arn}")
    }

    /// Records a score: within the same hour the latest replaces the earlier one.
    pub fn record(&mut self, key: &str, at: Timestamp, score: u8) {
        let score = score.min(100);
        let samples = self.series.entry(key.to_string()).or_default();
        match samples.last_mut() {
            Some(last) if at < last.at => return,
            Some(last) if same_hour(last.at, at) => *last = Sample { at, score },
            _ => samples.push(Sample { at, score }),
        }
        thin(samples, at);
        if self.series.len() > MAX_SERIES {
            self.keep_freshest_series();
        }
    }

    /// The history as this module keeps it whatever a file held: every series thinned against
    /// `now` (nothing newer than it, nothing older than [`KEEP_DAYS`], hourly then daily), empty
    /// series gone, at most [`MAX_SERIES`]. A hand-edited or foreign file cannot make it large.
    pub fn bounded(mut self, now: Timestamp) -> Self {
        for samples in self.series.values_mut() {
            samples.retain(|s| s.at <= now);
            samples.sort_by_key(|s| s.at);
            samples.dedup_by(|later, earlier| {
                let same = same_hour(earlier.at, later.at);
                if same {
                    *earlier = *later;
                }
                same
            });
            thin(samples, now);
        }
        self.series.retain(|_, samples| !samples.is_empty());
        self.keep_freshest_series();
        self
    }

    /// Drops the least recently updated series beyond [`MAX_SERIES`], in one sort.
    fn keep_freshest_series(&mut self) {
        if self.series.len() <= MAX_SERIES {
            return;
        }
        let mut by_freshness: Vec<(Option<Timestamp>, String)> =
            self.series.iter().map(|(key, samples)| (samples.last().map(|s| s.at), key.clone())).collect();
        by_freshness.sort_unstable_by(|a, b| b.cmp(a));
        for (_, key) in by_freshness.into_iter().skip(MAX_SERIES) {
            self.series.remove(&key);
        }
    }

    /// The score at `at`: the last sample at or before it.
    pub fn score_at(&self, key: &str, at: Timestamp) -> Option<u8> {
        let samples = self.series.get(key)?;
        let i = samples.partition_point(|s| s.at <= at);
        i.checked_sub(1).map(|i| samples[i].score)
    }

    /// The sample at or before `at`, if it is no older than `within` before it.
    fn sample_near(&self, key: &str, at: Timestamp, within: Duration) -> Option<u8> {
        let samples = self.series.get(key)?;
        let i = samples.partition_point(|s| s.at <= at).checked_sub(1)?;
        (samples[i].at >= at - within).then_some(samples[i].score)
    }

    /// The trend of `key` over the last `days` calendar days (UTC) up to `now`. When it next
    /// changes as time passes (midnight, a sample a day or a week old) is noted for the screen
    /// (see [`super::time::repaint`]).
    pub fn trend(&self, key: &str, now: Timestamp, days: usize) -> Trend {
        let latest = self.score_at(key, now);
        let within = Duration::hours(COMPARE_WITHIN_HOURS);
        let change = |ago: Duration| Some(i16::from(latest?) - i16::from(self.sample_near(key, now - ago, within)?));
        let samples = self.series.get(key).map(Vec::as_slice).unwrap_or_default();
        let daily = (0..days)
            .rev()
            .map(|back| {
                let day = (now - Duration::days(back as i64)).date_naive();
                samples.iter().rev().find(|s| s.at <= now && s.at.date_naive() == day).map(|s| s.score)
            })
            .collect();
        note_trend_changes(samples, now, within);
        Trend { daily, since_yesterday: change(Duration::days(1)), since_last_week: change(Duration::days(7)) }
    }

    /// Takes in another copy's samples (the file another console saved meanwhile, or an older
    /// save landing late): every sample of both, one per hour, thinned as when recorded.
    pub fn merge(&mut self, other: &ScoreHistory) {
        for (key, theirs) in &other.series {
            let ours = self.series.entry(key.clone()).or_default();
            let mut all: Vec<Sample> = ours.iter().chain(theirs.iter()).copied().collect();
            all.sort_by_key(|s| s.at);
            // One per hour: the later of two in the same hour.
            let mut kept: Vec<Sample> = Vec::with_capacity(all.len());
            for sample in all {
                match kept.last_mut() {
                    Some(last) if same_hour(last.at, sample.at) => *last = sample,
                    _ => kept.push(sample),
                }
            }
            if let Some(now) = kept.last().map(|s| s.at) {
                thin(&mut kept, now);
            }
            *ours = kept;
        }
        self.keep_freshest_series();
    }
}

fn same_hour(a: Timestamp, b: Timestamp) -> bool {
    a.date_naive() == b.date_naive() && a.hour() == b.hour()
}

/// Drops what is too old, and keeps only each day's last sample before the hourly window.
fn thin(samples: &mut Vec<Sample>, now: Timestamp) {
    let oldest = now - Duration::days(KEEP_DAYS);
    let hourly_from = now - Duration::days(HOURLY_DAYS);
    samples.retain(|s| s.at >= oldest);
    let mut kept: Vec<Sample> = Vec::with_capacity(samples.len());
    for sample in samples.drain(..) {
        match kept.last_mut() {
            Some(last)
                if sample.at < hourly_from
                    && (last.at.year(), last.at.ordinal()) == (sample.at.year(), sample.at.ordinal()) =>
            {
                *last = sample;
            }
            _ => kept.push(sample),
        }
    }
    *samples = kept;
}

/// The smallest range of points a sparkline spans: a change of one point is not drawn as a cliff.
const SPARK_MIN_SPAN: u8 = 10;

/// Scores as a sparkline, one cell each, scaled to the values' own range (at least
/// [`SPARK_MIN_SPAN`] points): `▁` the lowest, `█` the highest; a space where none.
pub fn sparkline(values: &[Option<u8>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let known = values.iter().flatten().copied();
    let (Some(low), Some(high)) = (known.clone().min(), known.max()) else {
        return " ".repeat(values.len());
    };
    // Scores past 100 (a hand-edited file) count as 100.
    let (low, high) = (low.min(100), high.min(100));
    let span = (high - low).max(SPARK_MIN_SPAN);
    let base = low.min(100 - span);
    let bar = |score: u8| {
        let step = (usize::from(score.min(100).saturating_sub(base)) * (BARS.len() - 1) + usize::from(span) / 2)
            / usize::from(span);
        BARS[step.min(BARS.len() - 1)]
    };
    values.iter().map(|v| v.map_or(' ', bar)).collect()
}

/// A change in score points as the pane shows it: `+3`, `-1`, `±0`.
pub fn signed(change: i16) -> String {
    match change {
        0 => "±0".into(),
        c => format!("{c:+}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn at(day: u32, hour: u32, minute: u32) -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, day, hour, minute, 0).unwrap()
    }

    /// The trend on screen holds until the moment it names, walked over samples at odd minutes
    /// (moments the clock's minute does not catch).
    #[test]
    fn the_trend_holds_until_the_moment_it_names() {
        let mut h = ScoreHistory::default();
        let key = ScoreHistory::key("1", "eu-west-1", "arn:std");
        let start = at(10, 0, 0) + Duration::seconds(17);
        for hour in 0..(24 * 9) {
            // Every third hour missing: the compared sample falls out of its window at times.
            if hour % 3 != 2 {
                h.record(
                    &key,
                    start + Duration::hours(hour) + Duration::seconds(hour * 7 % 50),
                    (40 + hour % 37) as u8,
                );
            }
        }
        let mut now = at(18, 5, 0) + Duration::seconds(3);
        let mut moved = 0;
        for _ in 0..40 {
            super::super::time::repaint::take();
            let trend = h.trend(&key, now, 7);
            let Some(next) = super::super::time::repaint::take() else { panic!("no moment named at {now}") };
            assert!(next > now, "{next} at {now}");
            let before = next - Duration::nanoseconds(1);
            assert_eq!(h.trend(&key, before, 7), trend, "changed before {next} (drawn at {now})");
            if h.trend(&key, next, 7) != trend {
                moved += 1;
            }
            now = next;
        }
        assert!(moved > 10, "the moments named are moments it moves: {moved} of 40");
    }

    #[test]
    fn one_sample_an_hour_and_the_change_since_a_day_and_a_week() {
        let mut h = ScoreHistory::default();
        let key = ScoreHistory::key("1", "eu-west-1", "arn:std");
        h.record(&key, at(10, 9, 0), 50);
        h.record(&key, at(19, 9, 0), 55);
        h.record(&key, at(25, 9, 0), 60);
        h.record(&key, at(26, 9, 0), 61);
        h.record(&key, at(26, 9, 40), 63);
        h.record(&key, at(26, 8, 0), 10);
        assert_eq!(h.series[&key].len(), 4, "the same hour keeps its latest; an older one is refused");
        let trend = h.trend(&key, at(26, 10, 0), 7);
        assert_eq!(trend.since_yesterday, Some(3), "63 now, 60 at 10:00 yesterday");
        assert_eq!(trend.since_last_week, Some(8), "63 now, 55 on the 19th");
        assert_eq!(trend.daily, vec![None, None, None, None, None, Some(60), Some(63)]);
        assert_eq!(h.trend("other", at(26, 10, 0), 2).since_yesterday, None);
        assert_eq!(h.score_at(&key, at(10, 8, 59)), None, "before the first sample");
    }

    #[test]
    fn old_samples_thin_to_one_a_day_and_the_oldest_go() {
        let mut h = ScoreHistory::default();
        let start = at(1, 0, 0) - Duration::days(KEEP_DAYS + 5);
        // Every hour for the whole period.
        let hours = (KEEP_DAYS + 30) * 24;
        for i in 0..hours {
            h.record("k", start + Duration::hours(i), (i % 100) as u8);
        }
        let now = start + Duration::hours(hours - 1);
        let samples = &h.series["k"];
        assert!(samples.first().unwrap().at >= now - Duration::days(KEEP_DAYS));
        let hourly = samples.iter().filter(|s| s.at >= now - Duration::days(HOURLY_DAYS)).count();
        assert!((HOURLY_DAYS as usize * 24..=HOURLY_DAYS as usize * 24 + 1).contains(&hourly), "{hourly}");
        assert!(samples.len() <= (KEEP_DAYS + 1) as usize + hourly, "{}", samples.len());
        assert!(samples.windows(2).all(|w| w[0].at < w[1].at));
    }

    #[test]
    fn days_are_calendar_days_and_a_stale_comparison_is_none() {
        let mut h = ScoreHistory::default();
        h.record("k", at(25, 23, 0), 40);
        let trend = h.trend("k", at(26, 1, 0), 2);
        assert_eq!(trend.daily, vec![Some(40), None], "23:00 yesterday is yesterday's, not today's");
        // Three months away: no yesterday to compare with.
        let later = at(26, 1, 0) + Duration::days(90);
        h.record("k", later, 70);
        let trend = h.trend("k", later, 7);
        assert_eq!((trend.since_yesterday, trend.since_last_week), (None, None));
    }

    #[test]
    fn merging_keeps_both_copies_samples_one_an_hour() {
        let mut ours = ScoreHistory::default();
        ours.record("k", at(26, 9, 0), 50);
        ours.record("k", at(26, 11, 0), 52);
        let mut theirs = ScoreHistory::default();
        theirs.record("k", at(26, 10, 0), 51);
        theirs.record("k", at(26, 11, 30), 53);
        theirs.record("other", at(26, 11, 0), 9);
        ours.merge(&theirs);
        let scores: Vec<u8> = ours.series["k"].iter().map(|s| s.score).collect();
        assert_eq!(scores, [50, 51, 53], "11:00 and 11:30 are one hour: the later wins");
        assert_eq!(ours.series["other"].len(), 1);
    }

    #[test]
    fn a_huge_file_is_bounded_on_load_in_one_pass() {
        // 5,000 series of a sample a minute for three weeks: what a foreign tool could write.
        let now = at(21, 12, 0);
        let mut h = ScoreHistory::default();
        for s in 0..5_000 {
            let samples =
                (0..200).map(|m| Sample { at: now - Duration::minutes(m * 150 + s % 7), score: 50 }).rev().collect();
            h.series.insert(format!("k{s}"), samples);
        }
        h.series.insert("future".into(), vec![Sample { at: now + Duration::days(3), score: 1 }]);
        let bounded = h.bounded(now);
        assert_eq!(bounded.series.len(), MAX_SERIES);
        assert!(!bounded.series.contains_key("future"), "a sample from the future is no sample");
        for samples in bounded.series.values() {
            assert!(samples.windows(2).all(|w| w[0].at < w[1].at && !same_hour(w[0].at, w[1].at)));
            assert!(samples.len() <= (HOURLY_DAYS * 24 + KEEP_DAYS) as usize);
        }
        assert_eq!(bounded.clone().bounded(now), bounded, "bounding twice changes nothing");
    }

    #[test]
    fn series_are_bounded_the_stalest_first() {
        let mut h = ScoreHistory::default();
        for i in 0..=MAX_SERIES {
            h.record(&format!("s{i}"), at(1, 0, 0) + Duration::minutes(i as i64 * 61), 50);
        }
        assert_eq!(h.series.len(), MAX_SERIES);
        assert!(!h.series.contains_key("s0"));
    }

    #[test]
    fn sparkline_and_signs() {
        assert_eq!(sparkline(&[Some(0), Some(50), None, Some(100)]), "▁▅ █");
        // Scaled to the values' range, at least ten points wide.
        assert_eq!(sparkline(&[Some(60), Some(62), Some(70)]), "▁▂█");
        assert_eq!(sparkline(&[Some(61), Some(62)]), "▁▂");
        assert_eq!(sparkline(&[Some(99), Some(100)]), "▇█", "near the top the span reaches down");
        assert_eq!(sparkline(&[None, None]), "  ");
        assert_eq!(sparkline(&[Some(100), Some(105), Some(250)]), "███", "past 100 is 100, never a panic");
        assert_eq!((signed(3), signed(-2), signed(0)), ("+3".into(), "-2".into(), "±0".into()));
    }
}
