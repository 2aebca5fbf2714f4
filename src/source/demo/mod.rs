//! The embedded demo account: "shop-prod" in us-east-1 during a promotion. Generated from a seed and a
//! scale, anchored at the moment the console started, and changing as time passes.

mod catalog;
mod history;
mod organisation;
mod overrides;
pub mod panes;
mod rng;
mod world;

pub use panes::{certificates, compliance, findings, secrets, users};

use super::{FetchOptions, Fetched, Progress, Source, SourceError, SourceInfo, SourceKind};
use crate::model::Timestamp;
use crate::model::triage::{Target, TargetOutcome, TriageAction};
use crate::pane::PaneId;
use futures::future::BoxFuture;
use organisation::DemoOrganisation;
use overrides::Overrides;
use std::sync::{Arc, Mutex, PoisonError};

pub const DEFAULT_SEED: u64 = 7;
pub const DEFAULT_SCALE: usize = 400;

#[derive(Debug, Clone)]
pub struct DemoSource {
    seed: u64,
    scale: usize,
    start: Timestamp,
    overrides: Overrides,
    /// The findings generated so far, kept up to date rather than regenerated (100k rows cost
    /// a second to build; a refresh changes a few of them).
    findings: Arc<Mutex<Option<findings::DemoFindings>>>,
    organisation: Arc<DemoOrganisation>,
    /// The organisation's account names, for the account columns.
    account_names: Arc<crate::model::AccountNames>,
}

impl DemoSource {
    /// `start` anchors every generated date: the account looks the same relative to it.
    pub fn new(seed: u64, scale: usize, start: Timestamp) -> Self {
        // Whole seconds: generated dates read cleanly in JSON and stay identical across runs.
        let start = chrono::DateTime::from_timestamp(start.timestamp(), 0).unwrap_or(start);
        Self {
            seed,
            scale,
            start,
            overrides: Overrides::default(),
            findings: Arc::default(),
            organisation: Arc::default(),
            account_names: Arc::default(),
        }
    }

    /// The demo as an organisation's delegated administrator: findings spread over `accounts`
    /// accounts and `regions` regions, aggregated into the first region (`--accounts`,
    /// `--regions`).
    pub fn with_organisation(mut self, accounts: usize, regions: usize) -> Self {
        self.organisation = Arc::new(DemoOrganisation::new(accounts, regions));
        self.account_names = Arc::new(if accounts > 1 { self.organisation.names() } else { Default::default() });
        self.findings = Arc::default();
        self
    }

    /// As an organisation, the demo reads like a delegated administrator's aggregation region.
    fn aggregation(&self) -> Option<super::Aggregation> {
        let org = &self.organisation;
        (!org.is_single()).then(|| super::Aggregation {
            region: org.regions.first().map(|r| (*r).to_string()),
            linked: super::LinkedRegions::Only(org.regions.iter().map(|r| (*r).to_string()).collect()),
            accounts: Some(org.accounts.len()),
        })
    }
}

impl DemoSource {
    /// The secrets, each in the account that owns it, with the triage applied.
    fn secrets(&self) -> Vec<crate::model::Secret> {
        let mut list = secrets::generate(self.seed, self.scale, self.start);
        for s in &mut list {
            s.arn = self.organisation.owned_arn(self.seed, &s.arn);
        }
        self.overrides.secrets(&mut list);
        list
    }

    /// The account's findings at `now`: the kept list brought up to date, built on first use (or
    /// again if asked about a moment before the arrivals it holds).
    fn findings_at(&self, now: Timestamp) -> Vec<Arc<crate::model::Finding>> {
        let mut kept = self.findings.lock().unwrap_or_else(PoisonError::into_inner);
        if !kept.as_mut().is_some_and(|account| account.advance(now)) {
            let mut account =
                findings::DemoFindings::new(Arc::clone(&self.organisation), self.seed, self.scale, self.start);
            account.advance(now);
            *kept = Some(account);
        }
        if let Some(account) = kept.as_mut() {
            account.rank(now);
        }
        kept.as_ref().map(findings::DemoFindings::findings).unwrap_or_default()
    }
}

impl Source for DemoSource {
    fn history_prepare<'a>(
        &'a self,
        question: &'a crate::model::lake::Question,
    ) -> BoxFuture<'a, Result<crate::model::lake::Prepared, String>> {
        Box::pin(async move { history::prepare(question, chrono::Utc::now()) })
    }

    /// Two steps of made-up progress a few hundred milliseconds apart, stopped by `cancel` as a
    /// real query is.
    fn history_run<'a>(
        &'a self,
        prepared: &'a crate::model::lake::Prepared,
        cancel: &'a crate::model::lake::Cancel,
        progress: &'a (dyn Fn(crate::model::lake::Progress) + Send + Sync),
    ) -> BoxFuture<'a, Result<crate::model::lake::Finished, String>> {
        Box::pin(async move {
            let total = prepared.estimate.bytes().unwrap_or(0);
            for step in 1..=2u64 {
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                if cancel.is_cancelled() {
                    return Err("stopped (the demo's query: nothing was scanned)".to_string());
                }
                let elapsed = std::time::Duration::from_millis(300 * step);
                progress(crate::model::lake::Progress { state: "RUNNING".into(), scanned: total * step / 3, elapsed });
            }
            Ok(history::answer(prepared, chrono::Utc::now()))
        })
    }

    fn info(&self) -> SourceInfo {
        SourceInfo {
            account_names: Arc::clone(&self.account_names),
            coverage: None,
            kind: SourceKind::Demo,
            account: catalog::ACCOUNT_ID.into(),
            account_name: Some(catalog::ACCOUNT_NAME.into()),
            region: catalog::REGION.into(),
            profile: None,
            principal: Some(format!("arn:aws:sts::{}:assumed-role/OnCall/demo", catalog::ACCOUNT_ID)),
            aggregation: self.aggregation(),
        }
    }

    fn fetch_with_progress(
        &self,
        pane: PaneId,
        now: Timestamp,
        _options: FetchOptions,
        _progress: Progress,
    ) -> BoxFuture<'_, Result<Fetched, SourceError>> {
        let this = self.clone();
        Box::pin(async move {
            // Generation at large scales is CPU work: keep it off the runtime's async workers.
            tokio::task::spawn_blocking(move || Fetched::from(this.generate(pane, now)))
                .await
                .map_err(|e| SourceError::local(crate::source::Service::Demo, e.to_string()))
        })
    }

    fn apply<'a>(&'a self, action: &'a TriageAction, targets: &'a [Target]) -> BoxFuture<'a, Vec<TargetOutcome>> {
        Box::pin(async move { self.apply_now(action, targets, chrono::Utc::now()) })
    }

    fn automation_rules(&self) -> BoxFuture<'_, Result<Vec<crate::model::triage::AutomationRule>, String>> {
        let rules = self.overrides.automation_rules();
        Box::pin(async move { Ok(rules) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PaneData;
    use crate::model::users::AnomalyKind;
    use crate::model::{CertificateHealth, RotationStatus};
    use chrono::{Duration, TimeZone, Utc};

    fn start() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).single().unwrap()
    }

    fn demo() -> DemoSource {
        DemoSource::new(DEFAULT_SEED, DEFAULT_SCALE, start())
    }

    #[test]
    fn same_seed_same_account() {
        let a = findings::generate(3, 200, start(), start());
        let b = findings::generate(3, 200, start(), start());
        assert_eq!(a, b);
        assert_ne!(a, findings::generate(4, 200, start(), start()));
    }

    #[test]
    fn an_empty_account_still_lists_its_failing_controls_from_the_start() {
        let d = DemoSource::new(5, 0, start());
        for seconds in [0, 16] {
            let now = start() + Duration::seconds(seconds);
            assert_eq!(d.findings_at(now), findings::generate(5, 0, start(), now), "at +{seconds}s");
        }
        assert!(!d.findings_at(start()).is_empty(), "the failing controls' findings, before any arrival");
    }

    #[test]
    fn a_control_has_one_active_finding_per_resource_as_in_aws() {
        let findings = findings::generate(DEFAULT_SEED, 2_000, start(), start() + Duration::hours(1));
        let mut seen = std::collections::HashSet::new();
        for f in findings.iter().filter(|f| f.record_state == crate::model::RecordState::Active) {
            if let Some(control) = &f.control_id {
                let key = (f.account_id.clone(), f.region.clone(), control.clone(), f.resource.clone());
                assert!(seen.insert(key), "two active {control} findings on {}", f.resource);
            }
        }
        assert!(seen.len() > 20);
    }

    #[test]
    fn the_kept_account_is_the_account_generated_afresh_at_every_moment() {
        let d = DemoSource::new(5, 300, start());
        // Forwards, within one arrival, across many, back before the arrivals it holds, and on past
        // the hour and day marks of the priority (ranked only where an age crossed one).
        for seconds in [0, 4, 14, 15, 16, 95, 600, 601, 120, 3_600, 3_661, 86_405, 90_000] {
            let now = start() + Duration::seconds(seconds);
            let kept = d.findings_at(now);
            assert_eq!(kept, findings::generate(5, 300, start(), now), "at +{seconds}s");
        }
    }

    /// One world: every control with an open control finding is FAILED in Compliance, and every
    /// FAILED control of every standard has an open finding saying where; the
    /// account's own controls (the root user's) are about the account, not a role.
    #[test]
    fn findings_and_compliance_tell_one_truth() {
        use crate::model::ControlStatus;
        use std::collections::{BTreeMap, BTreeSet};
        for (name, source) in [("one account", demo()), ("an organisation", demo().with_organisation(4, 2))] {
            let PaneData::Findings(findings) = source.generate(PaneId::Findings, start()) else { panic!() };
            let PaneData::Compliance(standards) = source.generate(PaneId::Compliance, start()) else { panic!() };
            // A control in two standards has one status: the world's.
            let status: BTreeMap<&str, ControlStatus> =
                standards.iter().flat_map(|s| &s.controls).map(|c| (c.id.as_str(), c.status)).collect();
            let open: BTreeSet<&str> = findings
                .iter()
                .filter(|f| f.is_open() && f.product == crate::model::Product::SecurityHubControls)
                .filter_map(|f| f.control_id.as_deref())
                .collect();
            for control in &open {
                assert_eq!(status.get(control), Some(&ControlStatus::Failed), "{name}: {control} has open findings");
            }
            let failed: BTreeSet<&str> =
                status.iter().filter(|(_, s)| **s == ControlStatus::Failed).map(|(id, _)| *id).collect();
            assert_eq!(failed, open, "{name}: every FAILED control has an open finding");
            assert!(!open.contains("GuardDuty.1"), "GuardDuty reports findings: it is enabled");
            for f in findings.iter().filter(|f| matches!(f.control_id.as_deref(), Some("IAM.4" | "PCI.IAM.1"))) {
                assert_eq!(f.resource_type.as_ref(), "AwsAccount", "the root user's key is the account's");
            }
        }
    }

    #[test]
    fn an_organisation_spreads_member_resources_names_its_accounts_and_scores_each() {
        let org = demo().with_organisation(4, 2);
        let info = org.info();
        assert_eq!(info.account_names.name(catalog::ACCOUNT_ID), Some(catalog::ACCOUNT_NAME));
        assert_eq!(info.account_names.len(), 4);
        let PaneData::Certificates(certificates) = org.generate(PaneId::Certificates, start()) else { panic!() };
        let owners: std::collections::BTreeSet<&str> =
            certificates.iter().map(|c| c.arn.split(':').nth(4).unwrap_or_default()).collect();
        assert!(owners.len() > 1 && owners.iter().all(|o| info.account_names.name(o).is_some()), "{owners:?}");
        let PaneData::Secrets(secrets) = org.generate(PaneId::Secrets, start()) else { panic!() };
        assert!(secrets.iter().any(|s| !s.arn.contains(catalog::ACCOUNT_ID)));
        let PaneData::Users(report) = org.generate(PaneId::Users, start()) else { panic!() };
        assert!(report.pools.iter().all(|p| p.account.is_some()), "{:?}", report.pools);
        assert!(report.anomalies.iter().all(|a| a.account.is_some()), "every anomaly says its account");
        let PaneData::Compliance(standards) = org.generate(PaneId::Compliance, start()) else { panic!() };
        assert!(standards.iter().all(|s| s.accounts.len() == 4), "every standard scored in every account");
        let PaneData::Compliance(single) = demo().generate(PaneId::Compliance, start()) else { panic!() };
        assert!(single.iter().all(|s| s.accounts.is_empty()), "one account: no per-account scores");
        assert_eq!(
            single.iter().map(|s| s.controls.len()).collect::<Vec<_>>(),
            standards.iter().map(|s| s.controls.len()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn an_organisation_moves_findings_whole_and_keeps_them_deduplicated() {
        let single = demo().generate(PaneId::Findings, start());
        let org = demo().with_organisation(5, 4);
        let (PaneData::Findings(single), PaneData::Findings(spread)) =
            (single, org.generate(PaneId::Findings, start()))
        else {
            panic!()
        };
        // Exposures are correlated per resource: where the organisation places a vulnerable
        // function and its public-access finding in different accounts, there is none. And more
        // accounts fail more controls: each has its one finding besides the numbered ones.
        let correlated = |list: &[std::sync::Arc<crate::model::Finding>], accounts: usize| {
            list.iter().filter(|f| f.product != crate::model::Product::Exposure).count()
                - world::failing_controls(DEFAULT_SEED, accounts).len()
        };
        assert_eq!(
            correlated(&single, 1),
            correlated(&spread, 5),
            "the same findings, placed elsewhere, none lost to dedupe"
        );
        let accounts: std::collections::BTreeSet<_> = spread.iter().map(|f| f.account_id.to_string()).collect();
        let regions: std::collections::BTreeSet<_> = spread.iter().map(|f| f.region.to_string()).collect();
        assert_eq!((accounts.len(), regions.len()), (5, 4));
        for f in spread.iter() {
            // Every ARN names the finding's own account and region.
            for text in [f.id.as_str(), &f.resource] {
                if text.starts_with("arn:") && !text.starts_with("arn:aws:s3:") && !text.starts_with("arn:aws:iam:") {
                    assert!(text.contains(&format!(":{}:{}:", f.region, f.account_id)), "{text} in {f:?}");
                }
            }
            assert!(!f.id.contains(catalog::ACCOUNT_ID) || *f.account_id == *catalog::ACCOUNT_ID, "{}", f.id);
        }
        let gd_sh = spread.iter().filter(|f| f.origin_label() == "GD+SH").count();
        assert_eq!(gd_sh, single.iter().filter(|f| f.origin_label() == "GD+SH").count(), "copies still merge");
        let info = org.info();
        assert_eq!(info.aggregation.map(|a| a.describe()).as_deref(), Some("aggregated: 4 regions, 5 accounts"));
        assert!(demo().info().aggregation.is_none());
    }

    #[test]
    fn the_demo_shows_every_reason_of_the_priority() {
        let PaneData::Findings(list) = demo().generate(PaneId::Findings, start()) else { panic!() };
        let missing: Vec<_> =
            crate::model::risk::Reason::ALL.into_iter().filter(|r| !list.iter().any(|f| f.risk.has(*r))).collect();
        assert!(missing.is_empty(), "no demo finding ranks for {missing:?}");
        // The list the console shows first is the most urgent: an attack sequence on top.
        let top = list.iter().max_by_key(|f| f.risk.score).unwrap();
        assert!(top.risk.score >= 90, "{top:?}");
    }

    #[test]
    fn findings_cover_every_origin_and_dedupe_happened() {
        let PaneData::Findings(list) = demo().generate(PaneId::Findings, start()) else {
            return;
        };
        assert!(list.iter().any(|f| f.origin_label() == "GD+SH"));
        assert!(list.iter().any(|f| f.origin_label() == "GD"));
        assert!(list.iter().any(|f| f.product == crate::model::Product::Inspector));
        let mut ids: Vec<_> = list.iter().map(|f| f.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), list.len(), "ids are unique");
    }

    #[test]
    fn the_account_changes_while_the_console_runs() {
        let d = demo();
        let later = start() + Duration::minutes(3);
        let (PaneData::Findings(before), PaneData::Findings(after)) =
            (d.generate(PaneId::Findings, start()), d.generate(PaneId::Findings, later))
        else {
            return;
        };
        assert!(after.len() > before.len(), "new findings arrive");

        let certs = certificates::generate(DEFAULT_SEED, DEFAULT_SCALE, start());
        let checkout = certs.iter().find(|c| c.domain == "checkout.shop.example.com");
        assert!(checkout.is_some_and(|c| c.health(start()) == CertificateHealth::Expiring));
        assert!(checkout.is_some_and(|c| c.health(later) == CertificateHealth::Critical));

        let PaneData::Users(calm) = d.generate(PaneId::Users, start()) else {
            return;
        };
        let PaneData::Users(burst) = d.generate(PaneId::Users, later) else {
            return;
        };
        let has_burst = |r: &crate::model::UsersReport| r.anomalies.iter().any(|a| a.kind == AnomalyKind::SignUpBurst);
        assert!(!has_burst(&calm) && has_burst(&burst));
    }

    #[test]
    fn every_state_each_pane_shows_is_present() {
        let now = start();
        let certs = certificates::generate(DEFAULT_SEED, DEFAULT_SCALE, now);
        for health in [
            CertificateHealth::Expired,
            CertificateHealth::Failed,
            CertificateHealth::Critical,
            CertificateHealth::Expiring,
            CertificateHealth::PendingValidation,
            CertificateHealth::Ok,
        ] {
            assert!(certs.iter().any(|c| c.health(now) == health), "{health:?}");
        }
        let secrets = secrets::generate(DEFAULT_SEED, DEFAULT_SCALE, now);
        for status in [
            RotationStatus::Stuck,
            RotationStatus::Overdue,
            RotationStatus::NeverRotated,
            RotationStatus::Off,
            RotationStatus::Rotating,
            RotationStatus::Healthy,
            RotationStatus::PendingDeletion,
        ] {
            assert!(secrets.iter().any(|s| s.rotation_status(now) == status), "{status:?}");
        }
        assert!(secrets.iter().any(|s| s.is_unused(now)));
        let PaneData::Users(report) = demo().generate(PaneId::Users, now + Duration::minutes(5)) else {
            return;
        };
        for kind in [
            AnomalyKind::CompromisedCredentials,
            AnomalyKind::HighRiskSignIn,
            AnomalyKind::RiskySignIns,
            AnomalyKind::FailedSignInSurge,
            AnomalyKind::SignUpBurst,
            AnomalyKind::SignUpCluster,
            AnomalyKind::StuckForceChangePassword,
            AnomalyKind::StuckUnconfirmed,
        ] {
            assert!(report.anomalies.iter().any(|a| a.kind == kind), "{kind:?}");
        }
        let standards = compliance::generate(DEFAULT_SEED, &[catalog::ACCOUNT_ID.to_string()]);
        assert_eq!(standards.len(), 3);
        assert!(standards.iter().all(|s| s.score().is_some()));
    }

    #[test]
    fn scale_sets_the_number_of_findings() {
        let list = findings::generate(1, 100_000, start(), start());
        assert!(list.len() > 80_000, "{}", list.len());
    }
}
