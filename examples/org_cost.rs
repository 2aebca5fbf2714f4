//! What a refresh of an organisation costs in API calls per minute, against the quotas Vigil
//! budgets for (`src/source/aws/budget.rs`) and at the refresh intervals it uses
//! (`RefreshPolicy::aws`). The benchmark figure of docs/performance.md ("organisation scale").
//!
//!     cargo run --release --example org_cost -- 500 17 100000
//!
//! Arguments: accounts, regions, findings (defaults 500, 17, 100000). The findings are read as an
//! administrator reads them: Security Hub once, in the aggregation region; GuardDuty per region
//! through the administrator's detector. Certificates, secrets and Cognito pools are per account
//! and region, read through the member role (`[organisation] member_role`), with the per-account
//! counts assumed below.

use vigil::app::RefreshPolicy;
use vigil::pane::PaneId;
use vigil::source::aws::budget::Service;

/// Security Hub answers at most this many findings per load (Vigil's cap) and 100 per page.
const CAP: usize = 10_000;
const PAGE: usize = 100;
/// A full load replaces the deltas this often (`source/aws/delta.rs`).
const FULL_RESYNC_MINUTES: f64 = 15.0;
/// Per account and region, assumed: certificates, user pools.
const CERTIFICATES: usize = 5;
const POOLS: usize = 1;
/// A call's round trip, for how long a sweep takes at a given concurrency.
const ROUND_TRIP_SECONDS: f64 = 0.15;

fn per_second(service: Service, operation: &str) -> f64 {
    service.quota_for(operation).map_or(f64::NAN, |q| q.rate)
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let accounts = args.first().copied().unwrap_or(500);
    let regions = args.get(1).copied().unwrap_or(17);
    let findings = args.get(2).copied().unwrap_or(100_000);
    let policy = RefreshPolicy::aws();
    let minutes = |pane: PaneId| policy.interval(pane).num_seconds() as f64 / 60.0;
    let pairs = (accounts * regions) as f64;

    println!("Organisation: {accounts} accounts x {regions} regions, {findings} findings\n");
    println!(
        "| calls | per refresh | refresh every | per minute, all | per minute, one account and region | its quota |"
    );
    println!("|---|---|---|---|---|---|");
    // `buckets`: how many (account, region) quota buckets the calls spread over.
    let row = |what: &str, calls: f64, every: f64, buckets: f64, quota: String| {
        let per_minute = calls / every;
        println!("| {what} | {calls:.0} | {every:.0} min | {per_minute:.1} | {:.2} | {quota} |", per_minute / buckets);
    };
    // Findings, read by the administrator.
    let sh_rate = per_second(Service::SecurityHub, "GetFindings");
    let delta = 2.0;
    row(
        "Security Hub GetFindings, delta (UpdatedAt, Note.UpdatedAt), aggregation region",
        delta,
        minutes(PaneId::Findings),
        1.0,
        format!("{:.0}/min", sh_rate * 60.0),
    );
    let full = (findings.min(CAP)).div_ceil(PAGE) as f64;
    row(
        "Security Hub GetFindings, full resync (10,000 cap, 100 a page)",
        full,
        FULL_RESYNC_MINUTES,
        1.0,
        format!("{:.0}/min; the load itself takes {:.0} s at the quota", sh_rate * 60.0, full / sh_rate),
    );
    let gd = 3.0 * regions as f64;
    row(
        "GuardDuty ListDetectors, ListFindings, GetFindings, per region (administrator's detector)",
        gd,
        minutes(PaneId::Findings),
        regions as f64,
        format!("{:.0}/min in each region", per_second(Service::GuardDuty, "ListFindings") * 60.0),
    );
    // Per-account panes, through the member role.
    let acm = pairs * (1 + CERTIFICATES) as f64;
    row(
        "ACM ListCertificates + DescribeCertificate (5 a region), every account and region",
        acm,
        minutes(PaneId::Certificates),
        pairs,
        format!("{:.0}/min DescribeCertificate", per_second(Service::Acm, "DescribeCertificate") * 60.0),
    );
    let secrets = pairs;
    row(
        "Secrets Manager ListSecrets, every account and region",
        secrets,
        minutes(PaneId::Secrets),
        pairs,
        format!("{:.0}/min", per_second(Service::SecretsManager, "ListSecrets") * 60.0),
    );
    let cognito = pairs * (1 + 2 * POOLS) as f64;
    row(
        "Cognito ListUserPools + DescribeUserPool + ListUsers (1 pool), every account and region",
        cognito,
        minutes(PaneId::Users),
        pairs,
        format!("{:.0}/min UserPoolRead", per_second(Service::Cognito, "ListUserPools") * 60.0),
    );
    // Each region is a context with its own member sources, each assuming its role.
    let assume = pairs;
    row(
        "STS AssumeRole, once an hour per member account and region (context)",
        assume,
        60.0,
        accounts as f64,
        "-".into(),
    );
    println!();
    println!("No quota bucket (one account and region) comes near its limit. What limits an organisation");
    println!("of this size is the time one sweep of a per-account pane takes in one region (each region is");
    println!("a context of its own and sweeps beside the others), {ROUND_TRIP_SECONDS} s a call, one call at a");
    println!("time within an account, `accounts_in_flight` accounts at once:");
    println!();
    println!("| pane | calls a sweep, one region | refresh every | 4 accounts in flight (default) | 16 | 32 (most) |");
    println!("|---|---|---|---|---|---|");
    let regions = regions as f64;
    for (pane, calls) in [(PaneId::Certificates, acm), (PaneId::Secrets, secrets), (PaneId::Users, cognito)] {
        let per_region = calls / regions;
        let sweep = |in_flight: f64| per_region * ROUND_TRIP_SECONDS / in_flight;
        println!(
            "| {} | {per_region:.0} | {:.0} s | {:.0} s | {:.0} s | {:.0} s |",
            pane.title(),
            minutes(pane) * 60.0,
            sweep(4.0),
            sweep(16.0),
            sweep(32.0)
        );
    }
}
