//! Client-side rate budgets: every SDK call waits for a token from the bucket of its quota before it
//! is sent, so Vigil's panes and actions together stay under the rates AWS publishes instead of
//! learning them from throttling errors. One bucket per (service, account, region, quota row),
//! shared by everything that calls that service there: the Findings and Compliance panes page
//! Security Hub GetFindings from the same 3 requests a second.
//!
//! The quotas are the service table's (`crate::source::service`); docs/performance.md prints them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::time::{Duration, Instant};

pub use crate::source::service::{Quota, Service};

/// The row that budgets `operation` of `service`: the one naming it, else the service's catch-all.
pub fn quota_for(service: Service, operation: &str) -> &'static Quota {
    service.quota_for(operation).unwrap_or(&FALLBACK)
}

/// Never used while every service has a catch-all row (a unit test checks); one request a second
/// keeps a forgotten row safe rather than fast.
const FALLBACK: Quota = Quota { class: "fallback", operations: &[], rate: 1.0, burst: 1, source: "Vigil" };

/// A token bucket: `burst` tokens to start, refilled at `rate` a second, one taken per request.
/// Waiters are served in arrival order (the lock is tokio's fair mutex, held while waiting), and a
/// waiter that is dropped takes no token.
#[derive(Debug)]
pub struct TokenBucket {
    rate: f64,
    burst: f64,
    state: tokio::sync::Mutex<BucketState>,
}

#[derive(Debug)]
struct BucketState {
    tokens: f64,
    refilled: Instant,
}

impl TokenBucket {
    pub fn new(rate: f64, burst: u32) -> Self {
        let burst = f64::from(burst.max(1));
        Self {
            rate: rate.max(0.001),
            burst,
            state: tokio::sync::Mutex::new(BucketState { tokens: burst, refilled: Instant::now() }),
        }
    }

    /// Waits (without blocking the runtime) until a request may go, and takes its token.
    pub async fn acquire(&self) {
        let mut state = self.state.lock().await;
        self.refill(&mut state);
        if state.tokens < 1.0 {
            let wait = Duration::from_secs_f64((1.0 - state.tokens) / self.rate);
            tokio::time::sleep(wait).await;
            self.refill(&mut state);
        }
        state.tokens = (state.tokens - 1.0).max(0.0);
    }

    fn refill(&self, state: &mut BucketState) {
        let now = Instant::now();
        let earned = now.saturating_duration_since(state.refilled).as_secs_f64() * self.rate;
        state.tokens = (state.tokens + earned).min(self.burst);
        state.refilled = now;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct BucketKey {
    service: Service,
    class: &'static str,
    account: String,
    region: String,
}

/// Every bucket of every context, created on first use. Shared (an `Arc`) by every source that
/// talks to the same accounts, so two views of one account and region draw on one budget.
#[derive(Debug, Default)]
pub struct Budgets {
    buckets: Mutex<HashMap<BucketKey, Arc<TokenBucket>>>,
    /// Member accounts read at once, across every pane and context that shares these budgets.
    member_slots: std::sync::OnceLock<Arc<tokio::sync::Semaphore>>,
}

impl Budgets {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// The slots member-account reads take one of each (`accounts_in_flight`): the first caller's
    /// number holds for every source sharing these budgets, so `:ctx all` over many regions reads
    /// no more accounts at once than one context does.
    pub fn member_slots(&self, accounts_in_flight: usize) -> Arc<tokio::sync::Semaphore> {
        Arc::clone(self.member_slots.get_or_init(|| Arc::new(tokio::sync::Semaphore::new(accounts_in_flight.max(1)))))
    }

    /// The bucket for `operation` of `service` in `account` and `region`.
    pub fn bucket(&self, service: Service, operation: &str, account: &str, region: &str) -> Arc<TokenBucket> {
        let quota = quota_for(service, operation);
        let key = BucketKey { service, class: quota.class, account: account.to_string(), region: region.to_string() };
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        buckets.entry(key).or_insert_with(|| Arc::new(TokenBucket::new(quota.rate, client_burst(quota.burst)))).clone()
    }

    /// Waits for a token for one call.
    pub async fn acquire(&self, service: Service, operation: &str, account: &str, region: &str) {
        let bucket = self.bucket(service, operation, account, region);
        bucket.acquire().await;
    }
}

/// Tokens of a quota's burst that Vigil's bucket holds back. The service counts a call when it
/// arrives, Vigil when it sends it, and arrivals do not keep the spacing of the sends: a call that
/// travels faster than an earlier one (the first call of a run opens the connection, later ones
/// reuse it; a loaded network or proxy) reaches the service closer to its predecessor than Vigil
/// spaced them. At full pace both buckets are empty, so that closer call would be throttled. One
/// token of slack absorbs any such difference up to one token's time (333 ms at 3 a second), at
/// the cost of one call of the first burst; the sustained rate stays the quota's.
pub const BURST_RESERVE: u32 = 1;

/// The burst Vigil's bucket allows for a quota's `burst`: [`BURST_RESERVE`] less, at least 1.
pub fn client_burst(burst: u32) -> u32 {
    burst.saturating_sub(BURST_RESERVE).max(1)
}

/// Calls a budget of `rate` a second and `burst` allows in one minute: what docs/performance.md
/// quotes as the bound on one service's calls per minute.
pub fn calls_per_minute(rate: f64, burst: u32) -> u64 {
    (rate * 60.0).floor() as u64 + u64::from(burst)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn member_slots_are_one_bound_for_everyone_sharing_the_budgets() {
        let budgets = Budgets::new();
        let first = budgets.member_slots(3);
        let second = budgets.member_slots(30);
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(second.available_permits(), 3, "the first caller's number holds");
        assert_eq!(Budgets::new().member_slots(0).available_permits(), 1, "never none");
    }

    #[test]
    fn every_service_has_a_catch_all_and_the_named_quotas_are_the_published_ones() {
        for service in Service::ALL.into_iter().filter(|s| s.is_aws()) {
            assert_ne!(quota_for(service, "SomethingElse").class, "fallback", "{service:?}");
        }
        let get_findings = quota_for(Service::SecurityHub, "GetFindings");
        assert_eq!((get_findings.rate, get_findings.burst), (3.0, 6));
        let batch = quota_for(Service::SecurityHub, "BatchUpdateFindings");
        assert_eq!((batch.rate, batch.burst), (10.0, 30));
        assert_eq!(quota_for(Service::Cognito, "ListUsers").class, "UserList");
        assert_eq!(quota_for(Service::Cognito, "ListUsers").rate, 30.0);
        assert_eq!(quota_for(Service::Acm, "DescribeCertificate").rate, 10.0);
    }

    #[test]
    fn one_bucket_per_service_account_region_and_row() {
        let budgets = Budgets::default();
        let a = budgets.bucket(Service::SecurityHub, "GetFindings", "111", "us-east-1");
        let b = budgets.bucket(Service::SecurityHub, "GetFindings", "111", "us-east-1");
        assert!(Arc::ptr_eq(&a, &b), "the Findings and Compliance panes share GetFindings");
        let other_row = budgets.bucket(Service::SecurityHub, "DescribeStandards", "111", "us-east-1");
        let other_region = budgets.bucket(Service::SecurityHub, "GetFindings", "111", "eu-west-1");
        let other_account = budgets.bucket(Service::SecurityHub, "GetFindings", "222", "us-east-1");
        assert!(!Arc::ptr_eq(&a, &other_row) && !Arc::ptr_eq(&a, &other_region) && !Arc::ptr_eq(&a, &other_account));
        // Operations of one row share it.
        let list = budgets.bucket(Service::Cognito, "ListUsers", "111", "us-east-1");
        let in_group = budgets.bucket(Service::Cognito, "ListUsersInGroup", "111", "us-east-1");
        assert!(Arc::ptr_eq(&list, &in_group));
    }

    /// Lets every runnable task run, with time paused.
    async fn settle() {
        for _ in 0..20 {
            tokio::task::yield_now().await;
        }
    }

    /// Moves paused time on in steps of 50 ms, letting the waiters run at each, as a clock would.
    async fn run_for(duration: Duration) {
        let step = Duration::from_millis(50);
        let mut left = duration;
        while !left.is_zero() {
            let now = step.min(left);
            tokio::time::advance(now).await;
            settle().await;
            left -= now;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_goes_at_once_then_the_steady_rate() {
        let bucket = Arc::new(TokenBucket::new(3.0, 6));
        let done = Arc::new(AtomicUsize::new(0));
        let worker = {
            let (bucket, done) = (bucket.clone(), done.clone());
            tokio::spawn(async move {
                for _ in 0..30 {
                    bucket.acquire().await;
                    done.fetch_add(1, Ordering::SeqCst);
                }
            })
        };
        settle().await;
        assert_eq!(done.load(Ordering::SeqCst), 6, "the burst");
        // One token every 1/3 s after that.
        tokio::time::advance(Duration::from_millis(340)).await;
        settle().await;
        assert_eq!(done.load(Ordering::SeqCst), 7);
        tokio::time::advance(Duration::from_millis(660)).await;
        settle().await;
        assert_eq!(done.load(Ordering::SeqCst), 9, "3 a second");
        run_for(Duration::from_secs(2)).await;
        assert_eq!(done.load(Ordering::SeqCst), 15);
        // A waiter never lets the bucket fill: the rate holds however long the demand lasts.
        run_for(Duration::from_secs(5)).await;
        assert_eq!(done.load(Ordering::SeqCst), 30);
        worker.await.unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn a_quiet_bucket_refills_to_its_burst_and_no_more() {
        let bucket = TokenBucket::new(10.0, 30);
        let start = Instant::now();
        for _ in 0..30 {
            bucket.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO, "30 at once");
        tokio::time::advance(Duration::from_secs(60)).await;
        let start = Instant::now();
        for _ in 0..31 {
            bucket.acquire().await;
        }
        let waited = start.elapsed();
        assert!(waited >= Duration::from_millis(99) && waited <= Duration::from_millis(101), "{waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn two_tasks_sharing_a_bucket_take_turns() {
        let bucket = Arc::new(TokenBucket::new(3.0, 6));
        // The burst goes to whoever comes first; fairness is between waiters.
        for _ in 0..6 {
            bucket.acquire().await;
        }
        let counts = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
        let mut tasks = Vec::new();
        for who in 0..2 {
            let (bucket, counts) = (bucket.clone(), counts.clone());
            tasks.push(tokio::spawn(async move {
                loop {
                    bucket.acquire().await;
                    counts[who].fetch_add(1, Ordering::SeqCst);
                }
            }));
        }
        run_for(Duration::from_secs(30)).await;
        let (a, b) = (counts[0].load(Ordering::SeqCst), counts[1].load(Ordering::SeqCst));
        // 30 s at 3 a second between them; neither starves.
        assert!((89..=91).contains(&(a + b)), "{a} + {b}");
        assert!(a.abs_diff(b) <= 1, "fair shares: {a} and {b}");
        for task in tasks {
            task.abort();
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_waiter_that_gives_up_takes_no_token() {
        let bucket = Arc::new(TokenBucket::new(1.0, 1));
        bucket.acquire().await;
        let waiting = {
            let bucket = bucket.clone();
            tokio::spawn(async move { bucket.acquire().await })
        };
        settle().await;
        waiting.abort();
        tokio::time::advance(Duration::from_secs(1)).await;
        let start = Instant::now();
        bucket.acquire().await;
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[test]
    fn vigil_holds_one_token_of_each_burst_back() {
        assert_eq!(client_burst(6), 5);
        assert_eq!(client_burst(30), 29);
        assert_eq!(client_burst(1), 1, "a burst of one cannot spare a token");
    }

    #[test]
    fn a_budget_bounds_calls_per_minute() {
        assert_eq!(calls_per_minute(3.0, 6), 186);
        assert_eq!(calls_per_minute(30.0, 30), 1830);
    }
}
