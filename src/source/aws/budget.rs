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
    /// Tokens taken without waiting (retries the SDK already sent), paid back at the next refill.
    owed: std::sync::atomic::AtomicU32,
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
            owed: std::sync::atomic::AtomicU32::new(0),
        }
    }

    /// Takes a token that was spent already (a call that went out without waiting): no wait now,
    /// and the next request waits as if it had been taken.
    pub fn owe(&self) {
        self.owed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Waits (without blocking the runtime) until a request may go, and takes its token.
    pub async fn acquire(&self) {
        let mut state = self.state.lock().await;
        self.refill(&mut state);
        // A retry owed while waiting pushes the wait further: loop until a whole token is there
        // (a whole token up to the rounding of the clock arithmetic).
        while state.tokens < 1.0 - 1e-9 {
            let wait = Duration::from_secs_f64((1.0 - state.tokens) / self.rate);
            tokio::time::sleep(wait).await;
            self.refill(&mut state);
        }
        state.tokens -= 1.0;
    }

    fn refill(&self, state: &mut BucketState) {
        let now = Instant::now();
        let earned = now.saturating_duration_since(state.refilled).as_secs_f64() * self.rate;
        let owed = f64::from(self.owed.swap(0, std::sync::atomic::Ordering::Relaxed));
        // A debt can take the bucket below empty: the waits that follow pay it back.
        state.tokens = (state.tokens + earned).min(self.burst) - owed;
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

/// The share of each quota a console takes unless the config says otherwise (`[quotas] share`):
/// AWS's quotas are per account and region, shared with the shop's own traffic (Cognito's with
/// every sign-in, Security Hub's GetFindings with every other tool) and with every other console.
pub const DEFAULT_QUOTA_SHARE: f64 = 1.0 / 3.0;
/// The shares the config accepts.
pub const QUOTA_SHARES: std::ops::RangeInclusive<f64> = 0.05..=1.0;

/// Every bucket of every context, created on first use. Shared (an `Arc`) by every source that
/// talks to the same accounts, so two views of one account and region draw on one budget.
#[derive(Debug)]
pub struct Budgets {
    /// The share of each quota the buckets allow (rate and burst), 1 for the whole quota.
    share: f64,
    buckets: Mutex<HashMap<BucketKey, Arc<TokenBucket>>>,
    /// Member accounts read at once, across every pane and context that shares these budgets.
    member_slots: std::sync::OnceLock<Arc<tokio::sync::Semaphore>>,
}

impl Default for Budgets {
    /// The whole of each quota: for tests and tools that own the account. The console takes
    /// [`DEFAULT_QUOTA_SHARE`] unless its config says otherwise ([`Budgets::with_share`]).
    fn default() -> Self {
        Self { share: 1.0, buckets: Mutex::default(), member_slots: std::sync::OnceLock::new() }
    }
}

impl Budgets {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Budgets that allow `share` (0.05 to 1) of each quota's rate and burst (a burst of at least 1).
    pub fn with_share(share: f64) -> Arc<Self> {
        let share = share.clamp(*QUOTA_SHARES.start(), *QUOTA_SHARES.end());
        Arc::new(Self { share, ..Self::default() })
    }

    /// The share of each quota these budgets allow.
    pub fn share(&self) -> f64 {
        self.share
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
        let (rate, burst) = shared(quota, self.share);
        buckets.entry(key).or_insert_with(|| Arc::new(TokenBucket::new(rate, client_burst(burst)))).clone()
    }

    /// Counts a call the SDK sent again (a retry) against its budget: the retry has gone out
    /// already, so the token is owed and the next caller waits for it.
    pub fn charge_retry(&self, service: Service, operation: &str, account: &str, region: &str) {
        self.bucket(service, operation, account, region).owe();
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

/// A quota's rate and burst at `share` of it (the burst at least 2, so the reserve leaves one).
pub fn shared(quota: &Quota, share: f64) -> (f64, u32) {
    if share >= 1.0 {
        return (quota.rate, quota.burst);
    }
    let burst = ((f64::from(quota.burst) * share).floor() as u32).max(2).min(quota.burst);
    (quota.rate * share, burst)
}

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

    #[test]
    fn a_share_of_the_quota_scales_rate_and_burst() {
        let get_findings = quota_for(Service::SecurityHub, "GetFindings");
        assert_eq!(shared(get_findings, 1.0), (3.0, 6));
        let (rate, burst) = shared(get_findings, DEFAULT_QUOTA_SHARE);
        assert!((rate - 1.0).abs() < 1e-9 && burst == 2, "{rate} {burst}");
        let batch = quota_for(Service::SecurityHub, "BatchUpdateFindings");
        assert_eq!(shared(batch, 0.5), (5.0, 15));
        assert_eq!(Budgets::with_share(7.0).share(), 1.0, "clamped");
        assert_eq!(Budgets::new().share(), 1.0, "a library caller owns the whole quota unless it says");
    }

    #[tokio::test(start_paused = true)]
    async fn a_retry_the_sdk_sent_is_owed_and_the_next_call_waits_for_it() {
        // 1 a second, burst 2 (client burst 1).
        let bucket = TokenBucket::new(1.0, 1);
        let start = Instant::now();
        bucket.acquire().await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        bucket.owe();
        bucket.owe();
        bucket.acquire().await;
        // Empty after the first call, two owed: three seconds before a third token is whole.
        assert_eq!(start.elapsed().as_secs(), 3);
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
