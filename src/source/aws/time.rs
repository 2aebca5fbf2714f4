//! AWS timestamps (ISO strings in Security Hub and GuardDuty, smithy DateTime elsewhere) as chrono.

use crate::model::Timestamp;
use chrono::DateTime;

pub fn parse_iso(text: Option<&str>) -> Option<Timestamp> {
    text.and_then(|t| DateTime::parse_from_rfc3339(t).ok()).map(|t| t.to_utc())
}

pub fn from_smithy(t: Option<&aws_smithy_types::DateTime>) -> Option<Timestamp> {
    t.and_then(|t| DateTime::from_timestamp(t.secs(), t.subsec_nanos()))
}
