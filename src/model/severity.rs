//! Severity on the ASFF scale, shared by Security Hub and GuardDuty findings and by controls.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The ASFF severity label. Ordered so that `Critical` is the greatest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SeverityLabel {
    Informational,
    Low,
    Medium,
    High,
    Critical,
}

impl SeverityLabel {
    pub const ALL: [SeverityLabel; 5] = [
        SeverityLabel::Critical,
        SeverityLabel::High,
        SeverityLabel::Medium,
        SeverityLabel::Low,
        SeverityLabel::Informational,
    ];

    /// The label whose `as u8` is `index` (how compact tables store it).
    pub fn from_index(index: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|&s| s as u8 == index)
    }

    /// ASFF normalized score bands: 0 / 1-39 / 40-69 / 70-89 / 90-100.
    pub fn from_normalized(score: u8) -> Self {
        match score {
            0 => Self::Informational,
            1..=39 => Self::Low,
            40..=69 => Self::Medium,
            70..=89 => Self::High,
            _ => Self::Critical,
        }
    }

    /// GuardDuty's 1.0-10.0 scale: Low 1.0-3.9, Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0.
    pub fn from_guardduty(score: f64) -> Self {
        if score >= 9.0 {
            Self::Critical
        } else if score >= 7.0 {
            Self::High
        } else if score >= 4.0 {
            Self::Medium
        } else if score >= 1.0 {
            Self::Low
        } else {
            Self::Informational
        }
    }

    /// Parses the ASFF label, case-insensitively, also accepting the short forms a user types.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "informational" | "info" => Some(Self::Informational),
            "low" => Some(Self::Low),
            "medium" | "med" => Some(Self::Medium),
            "high" => Some(Self::High),
            "critical" | "crit" => Some(Self::Critical),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Informational => "INFORMATIONAL",
            Self::Low => "LOW",
            Self::Medium => "MEDIUM",
            Self::High => "HIGH",
            Self::Critical => "CRITICAL",
        }
    }

    /// A fixed-width short form for narrow columns.
    pub fn short(self) -> &'static str {
        match self {
            Self::Informational => "INFO",
            Self::Low => "LOW",
            Self::Medium => "MED",
            Self::High => "HIGH",
            Self::Critical => "CRIT",
        }
    }
}

impl fmt::Display for SeverityLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One value per severity, indexed by the label (never by a position).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PerSeverity<T>([T; 5]);

impl<T: Copy> PerSeverity<T> {
    pub const fn splat(value: T) -> Self {
        Self([value; 5])
    }

    /// From the values of informational, low, medium, high and critical, in that order.
    pub const fn from_lowest_up(values: [T; 5]) -> Self {
        Self(values)
    }

    /// Each severity's value, the most severe first.
    pub fn iter(&self) -> impl Iterator<Item = (SeverityLabel, T)> + '_ {
        SeverityLabel::ALL.into_iter().map(|s| (s, self[s]))
    }

    pub fn map<U: Copy + Default>(&self, f: impl Fn(T) -> U) -> PerSeverity<U> {
        let mut out = PerSeverity::<U>::default();
        for s in SeverityLabel::ALL {
            out[s] = f(self[s]);
        }
        out
    }
}

impl<T> std::ops::Index<SeverityLabel> for PerSeverity<T> {
    type Output = T;
    fn index(&self, label: SeverityLabel) -> &T {
        &self.0[label as usize]
    }
}

impl<T> std::ops::IndexMut<SeverityLabel> for PerSeverity<T> {
    fn index_mut(&mut self, label: SeverityLabel) -> &mut T {
        &mut self.0[label as usize]
    }
}

/// How many records there are of each severity.
pub type SeverityCounts = PerSeverity<usize>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalized_bands_match_asff() {
        assert_eq!(SeverityLabel::from_normalized(0), SeverityLabel::Informational);
        assert_eq!(SeverityLabel::from_normalized(1), SeverityLabel::Low);
        assert_eq!(SeverityLabel::from_normalized(39), SeverityLabel::Low);
        assert_eq!(SeverityLabel::from_normalized(40), SeverityLabel::Medium);
        assert_eq!(SeverityLabel::from_normalized(69), SeverityLabel::Medium);
        assert_eq!(SeverityLabel::from_normalized(70), SeverityLabel::High);
        assert_eq!(SeverityLabel::from_normalized(89), SeverityLabel::High);
        assert_eq!(SeverityLabel::from_normalized(90), SeverityLabel::Critical);
        assert_eq!(SeverityLabel::from_normalized(100), SeverityLabel::Critical);
    }

    #[test]
    fn guardduty_bands() {
        assert_eq!(SeverityLabel::from_guardduty(2.0), SeverityLabel::Low);
        assert_eq!(SeverityLabel::from_guardduty(3.9), SeverityLabel::Low);
        assert_eq!(SeverityLabel::from_guardduty(4.0), SeverityLabel::Medium);
        assert_eq!(SeverityLabel::from_guardduty(8.9), SeverityLabel::High);
        assert_eq!(SeverityLabel::from_guardduty(9.0), SeverityLabel::Critical);
    }

    #[test]
    fn ordering_puts_critical_on_top() {
        assert!(SeverityLabel::Critical > SeverityLabel::High);
        assert!(SeverityLabel::Low > SeverityLabel::Informational);
        assert_eq!(SeverityLabel::parse("crit"), Some(SeverityLabel::Critical));
        assert_eq!(SeverityLabel::parse("bogus"), None);
    }
}
