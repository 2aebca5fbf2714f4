//! When to retry a pane whose refresh failed. Throttling and transient failures back off
//! exponentially with jitter, per pane, so a throttled service is not hammered and several panes do
//! not retry in step; errors that waiting will not fix (access denied, not enabled) wait for the
//! pane's normal interval.

use crate::pane::PaneId;
use crate::source::SourceError;
use chrono::Duration;

const FIRST_RETRY_SECONDS: i64 = 5;
const MAX_RETRY_SECONDS: i64 = 300;

/// Whether waiting a little can fix the error: read from its typed kind, never its text.
pub fn is_transient(error: &SourceError) -> bool {
    error.kind().is_transient()
}

/// The wait before retry number `failures` (1 for the first failure): 5 s, 10 s, 20 s, ... up to
/// 5 minutes, each within ±20 % so panes drift apart. `seed` varies the jitter (pane, time).
pub fn retry_delay(failures: u32, pane: PaneId, seed: i64) -> Duration {
    let exponent = failures.saturating_sub(1).min(10);
    let base = (FIRST_RETRY_SECONDS << exponent).min(MAX_RETRY_SECONDS);
    // A small deterministic hash: tests can predict it, panes still differ.
    let mut h = (seed as u64) ^ (pane.index() as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ u64::from(failures);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    let jitter_permille = 800 + (h % 401) as i64; // 0.8 .. 1.2
    Duration::milliseconds(base * 1000 * jitter_permille / 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_within_jitter_and_caps() {
        for (failures, base) in [(1, 5), (2, 10), (3, 20), (4, 40), (10, 300), (30, 300)] {
            let d = retry_delay(failures, PaneId::Findings, 1_764_000_000).num_milliseconds();
            assert!((base * 800..=base * 1200).contains(&d), "{failures}: {d}");
        }
    }

    #[test]
    fn panes_do_not_retry_in_step() {
        let a = retry_delay(3, PaneId::Findings, 42);
        let b = retry_delay(3, PaneId::Secrets, 42);
        assert_ne!(a, b);
    }

    #[test]
    fn only_waiting_kinds_of_error_back_off() {
        use crate::source::Fault;
        let service = |fault, message: &str| SourceError::Service {
            service: crate::source::Service::Acm,
            fault,
            message: message.into(),
        };
        assert!(is_transient(&SourceError::Throttled {
            service: crate::source::Service::SecurityHub,
            message: "Rate".into()
        }));
        assert!(is_transient(&service(Fault::Timeout, "ListCertificates timed out")));
        assert!(is_transient(&service(Fault::Unreachable, "cannot reach the endpoint")));
        assert!(is_transient(&service(Fault::ServerError, "InternalFailure")));
        // The text does not decide: a rejected request that mentions 500 or "timed out" waits.
        assert!(!is_transient(&service(Fault::Rejected, "bad filter: 500 timed out")));
        assert!(!is_transient(&service(Fault::Local, "503 in the message")));
        assert!(!is_transient(&SourceError::AccessDenied {
            action: "acm:ListCertificates".into(),
            message: "no".into()
        }));
        assert!(!is_transient(&SourceError::NotEnabled {
            service: crate::source::Service::GuardDuty,
            hint: "enable".into()
        }));
        assert!(!is_transient(&SourceError::Credentials("expired".into())));
    }
}
