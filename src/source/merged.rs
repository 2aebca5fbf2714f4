//! The "all" view: several connected contexts (profiles × regions) read as one. Every pane asks
//! every context at once and shows their rows together, each row keeping its own account and
//! region; a context that fails is a warning naming it and never hides the others. Actions go to
//! the context the record lives in.

use super::{AccountNames, FetchOptions, Fetched, Joined, PaneData, Progress, Routes, Source, SourceError, SourceInfo};
use crate::model::Timestamp;
use crate::model::triage::{Target, TargetOutcome, TriageAction};
use crate::pane::PaneId;
use futures::future::BoxFuture;
use std::sync::Arc;

/// The account and region the "all" view's context is known by (its cache and audit records).
pub const ALL: &str = "all";

pub struct MergedSource {
    parts: Vec<Arc<dyn Source>>,
    info: SourceInfo,
    /// Per pane, which part showed each record an action can name (by its record key: account,
    /// region, product and id), from the latest fetch of that pane: the first part to return a
    /// record is the one whose copy the all view keeps, and an action on it goes back there,
    /// never to a context that returned a look-alike or merely shares its account or region.
    origins: std::sync::Mutex<std::collections::HashMap<PaneId, std::collections::HashMap<String, usize>>>,
}

impl MergedSource {
    /// `first` and the `others`, in the order named.
    pub fn new(first: Arc<dyn Source>, others: Vec<Arc<dyn Source>>) -> Self {
        let mut parts = vec![first];
        parts.extend(others);
        let first = parts[0].info();
        let mut names = AccountNames::default();
        for part in &parts {
            let info = part.info();
            for (id, name) in info.account_names.iter() {
                names.insert(id, name);
            }
            if let Some(name) = &info.account_name {
                names.insert(info.account.clone(), name.clone());
            }
        }
        let info = SourceInfo {
            kind: first.kind,
            account: ALL.into(),
            account_name: Some(format!("{} contexts", parts.len())),
            region: ALL.into(),
            profile: None,
            principal: None,
            aggregation: None,
            account_names: Arc::new(names.settled()),
            coverage: None,
        };
        Self { parts, info, origins: Default::default() }
    }

    /// "111122223333 eu-west-1 (profile prod)", for a warning about one context.
    fn label(part: &dyn Source) -> String {
        part.info().context().to_string()
    }

    /// Remembers which part showed each record of a pane's latest fetch: the first to return it.
    fn note_origins(&self, pane: PaneId, answered: &[(usize, &PaneData)]) {
        let mut shown = std::collections::HashMap::new();
        for (part, data) in answered {
            for key in data.action_keys() {
                shown.entry(key).or_insert(*part);
            }
        }
        self.origins.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(pane, shown);
    }
}

/// Rows that do not say their account themselves (a context's own Cognito pools) get the part's,
/// and rows the pane marks with their context (standards, whose ARN can be the same in every
/// region) get it: the all view never shows "all" as a place.
fn placed(data: &mut PaneData, info: &SourceInfo, several: bool) {
    data.place_in_context(&info.account, &info.region);
    data.mark_context(&info.account, &info.region, several);
}

impl Source for MergedSource {
    fn info(&self) -> SourceInfo {
        self.info.clone()
    }

    fn fetch_with_progress(
        &self,
        pane: PaneId,
        now: Timestamp,
        options: FetchOptions,
        progress: Progress,
    ) -> BoxFuture<'_, Result<Fetched, SourceError>> {
        Box::pin(async move {
            let results = futures::future::join_all(
                self.parts.iter().map(|part| part.fetch_with_progress(pane, now, options, progress.clone())),
            )
            .await;
            let mut joined = Joined::default();
            let several = self.parts.len() > 1;
            let mut answered = Vec::new();
            for (index, (part, result)) in self.parts.iter().zip(results).enumerate() {
                let label = Self::label(part.as_ref());
                match result {
                    Ok(mut fetched) => {
                        placed(&mut fetched.data, &part.info(), several);
                        answered.push((index, label, fetched));
                    }
                    Err(e) => joined.failed(format!("{label}: {e}"), e),
                }
            }
            // When nothing answers the app keeps showing the last good rows: their origins stay.
            if !answered.is_empty() {
                self.note_origins(pane, &answered.iter().map(|(i, _, f)| (*i, &f.data)).collect::<Vec<_>>());
            }
            for (_, label, fetched) in answered {
                joined.answered(&label, fetched);
            }
            let mut all = joined.finish()?;
            all.data.without_repeats(now);
            Ok(all)
        })
    }

    fn apply<'a>(&'a self, action: &'a TriageAction, targets: &'a [Target]) -> BoxFuture<'a, Vec<TargetOutcome>> {
        Box::pin(async move {
            let routes = self.routes(action, targets);
            let mut outcomes = routes.unsent;
            for route in routes.routes {
                outcomes.extend(self.apply_route(&route.path, action, &route.targets).await);
            }
            outcomes
        })
    }

    /// Each target through the context that showed it (and, within it, its own route: a member
    /// role), named as that context's caller, never "all".
    fn routes(&self, action: &TriageAction, targets: &[Target]) -> Routes {
        let mut by_part: Vec<Vec<Target>> = vec![Vec::new(); self.parts.len()];
        let mut routes = Routes::default();
        {
            let origins = self.origins.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let shown = origins.get(&action.pane());
            for target in targets {
                match shown.and_then(|shown| shown.get(&target.key())) {
                    Some(&part) => by_part[part].push(target.clone()),
                    // Never guessed: a record no context has shown is not sent anywhere.
                    None => routes.unsent.push(TargetOutcome::failed(
                        target.clone(),
                        "not sent: no context of the all view showed this record (refresh and try again)",
                    )),
                }
            }
        }
        for (part, group) in by_part.into_iter().enumerate().filter(|(_, g)| !g.is_empty()) {
            routes.extend_under(part, self.parts[part].routes(action, &group));
        }
        routes
    }

    fn automation_rules(&self) -> BoxFuture<'_, Result<Vec<crate::model::triage::AutomationRule>, String>> {
        Box::pin(async {
            Err("automation rules belong to one account and Region: switch to one context (:ctx N) to list them".into())
        })
    }

    /// Asked of the context that showed the record.
    fn document<'a>(
        &'a self,
        pane: PaneId,
        target: &'a Target,
    ) -> BoxFuture<'a, Result<Option<super::Document>, String>> {
        let part = {
            let origins = self.origins.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            origins.get(&pane).and_then(|shown| shown.get(&target.key())).copied()
        };
        match part.and_then(|part| self.parts.get(part)) {
            Some(source) => source.document(pane, target),
            None => Box::pin(async { Ok(None) }),
        }
    }

    fn apply_route<'a>(
        &'a self,
        path: &'a [usize],
        action: &'a TriageAction,
        targets: &'a [Target],
    ) -> BoxFuture<'a, Vec<TargetOutcome>> {
        Box::pin(async move {
            match path.split_first() {
                Some((&part, rest)) if part < self.parts.len() => {
                    self.parts[part].apply_route(rest, action, targets).await
                }
                _ => targets.iter().map(|t| TargetOutcome::failed(t.clone(), "not sent: no such context")).collect(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Certificate, CertificateKind, CertificateStatus, Placement};
    use crate::source::SourceKind;
    use std::sync::Mutex;

    /// A context that answers with fixed rows (or an error) and records what it is asked to do.
    struct Fixed {
        info: SourceInfo,
        rows: Mutex<Result<Vec<Certificate>, SourceError>>,
        applied: Mutex<Vec<String>>,
    }

    fn certificate(account: &str, region: &str, name: &str) -> Certificate {
        Certificate {
            arn: format!("arn:aws:acm:{region}:{account}:certificate/{name}"),
            domain: format!("{name}.example.com"),
            alternative_names: Vec::new(),
            kind: CertificateKind::AmazonIssued,
            status: CertificateStatus::Issued,
            not_after: None,
            in_use_by: Vec::new(),
            renewal_eligible: true,
            exportable: false,
            renewal_status: None,
            failure_reason: None,
            key_algorithm: "RSA-2048".into(),
            issuer: None,
        }
    }

    fn context(account: &str, region: &str, rows: Result<Vec<Certificate>, SourceError>) -> Arc<Fixed> {
        let info = SourceInfo {
            kind: SourceKind::Aws,
            account: account.into(),
            account_name: None,
            region: region.into(),
            profile: None,
            principal: None,
            aggregation: None,
            account_names: Arc::new([(account.to_string(), format!("name-{account}"))].into_iter().collect()),
            coverage: None,
        };
        Arc::new(Fixed { info, rows: Mutex::new(rows), applied: Mutex::new(Vec::new()) })
    }

    impl Source for Fixed {
        fn info(&self) -> SourceInfo {
            self.info.clone()
        }
        fn fetch_with_progress(
            &self,
            _pane: PaneId,
            _now: Timestamp,
            _options: FetchOptions,
            _progress: Progress,
        ) -> BoxFuture<'_, Result<Fetched, SourceError>> {
            let rows = self.rows.lock().unwrap_or_else(|e| e.into_inner()).clone();
            Box::pin(async move { rows.map(|rows| PaneData::Certificates(rows).into()) })
        }
        fn apply<'a>(&'a self, _action: &'a TriageAction, targets: &'a [Target]) -> BoxFuture<'a, Vec<TargetOutcome>> {
            self.applied.lock().unwrap_or_else(|e| e.into_inner()).extend(targets.iter().map(|t| t.id.clone()));
            Box::pin(async move { targets.iter().cloned().map(TargetOutcome::ok).collect() })
        }
    }

    fn target(id: &str, account: &str, region: &str) -> Target {
        Target {
            likeness: None,
            id: id.into(),
            label: id.into(),
            placement: Placement { account: account.into(), region: region.into() },
            product_arn: None,
            guardduty: None,
            ocsf_uid: None,
            user: None,
        }
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
    }

    #[test]
    fn every_context_answers_and_one_failing_is_named_without_hiding_the_others() {
        let a = context("111111111111", "eu-west-1", Ok(vec![certificate("111111111111", "eu-west-1", "a")]));
        let b = context("111111111111", "us-east-1", Ok(vec![certificate("111111111111", "us-east-1", "b")]));
        let denied = SourceError::AccessDenied { action: "acm:ListCertificates".into(), message: "no".into() };
        let c = context("222222222222", "eu-west-1", Err(denied.clone()));
        let merged = MergedSource::new(a, vec![b, c]);
        assert_eq!((merged.info().account.as_str(), merged.info().region.as_str()), (ALL, ALL));
        assert_eq!(merged.info().account_names.name("222222222222"), Some("name-222222222222"));

        let fetched =
            block_on(merged.fetch(PaneId::Certificates, chrono::Utc::now(), FetchOptions::default())).unwrap();
        let PaneData::Certificates(rows) = fetched.data else { panic!("certificates") };
        assert_eq!(rows.len(), 2);
        assert_eq!(fetched.warnings.len(), 1, "{:?}", fetched.warnings);
        assert!(fetched.warnings[0].starts_with("222222222222 eu-west-1: access denied"), "{:?}", fetched.warnings);

        let only_failing =
            MergedSource::new(context("3", "r", Err(denied.clone())), vec![context("4", "r", Err(denied))]);
        let error = block_on(only_failing.fetch(PaneId::Certificates, chrono::Utc::now(), FetchOptions::default()));
        assert!(matches!(error, Err(SourceError::AccessDenied { .. })));
    }

    const RENEW: TriageAction = TriageAction::Certificates(crate::model::panes::certificates::Action::RenewCertificate);

    #[test]
    fn an_action_goes_to_the_context_that_showed_its_record() {
        // c shows a record of 111111111111 (a member it reads through its role): the action on it
        // goes to c, not to b, which is that account's own context in the region.
        let a = context("111111111111", "eu-west-1", Ok(vec![certificate("111111111111", "eu-west-1", "in-a")]));
        let b = context("111111111111", "us-east-1", Ok(vec![certificate("111111111111", "us-east-1", "in-b")]));
        let c = context("222222222222", "us-east-1", Ok(vec![certificate("111111111111", "us-east-1", "in-c")]));
        let merged = MergedSource::new(a.clone(), vec![b.clone(), c.clone()]);
        let arn = |account: &str, region: &str, name: &str| certificate(account, region, name).arn;
        let targets = [
            target(&arn("111111111111", "us-east-1", "in-b"), "111111111111", "us-east-1"),
            target(&arn("111111111111", "us-east-1", "in-c"), "111111111111", "us-east-1"),
            target(&arn("111111111111", "eu-west-1", "in-a"), "111111111111", "eu-west-1"),
        ];
        // Nothing was fetched yet: no context showed the records, nothing is sent.
        let outcomes = block_on(merged.apply(&RENEW, &targets));
        assert!(outcomes.iter().all(|o| o.error.as_deref().is_some_and(|e| e.starts_with("not sent"))));
        assert!(a.applied.lock().unwrap().is_empty());
        block_on(merged.fetch(PaneId::Certificates, chrono::Utc::now(), FetchOptions::default())).unwrap();
        let outcomes = block_on(merged.apply(&RENEW, &targets));
        assert_eq!(outcomes.len(), 3);
        assert!(outcomes.iter().all(|o| o.error.is_none()), "{outcomes:?}");
        let applied = |s: &Fixed| s.applied.lock().unwrap().clone();
        assert_eq!(applied(&a), [targets[2].id.clone()]);
        assert_eq!(applied(&b), [targets[0].id.clone()]);
        assert_eq!(applied(&c), [targets[1].id.clone()]);
    }

    #[test]
    fn a_record_two_contexts_show_goes_to_the_one_whose_copy_is_shown_as_of_the_latest_fetch() {
        let shared = || Ok(vec![certificate("111111111111", "eu-west-1", "shared")]);
        let a = context("111111111111", "eu-west-1", shared());
        let b = context("111111111111", "eu-west-1", shared());
        let merged = MergedSource::new(a.clone(), vec![b.clone()]);
        let now = chrono::Utc::now();
        let fetched = block_on(merged.fetch(PaneId::Certificates, now, FetchOptions::default())).unwrap();
        assert_eq!(fetched.data.record_count(), 2, "certificates are each context's own: no dedupe here");
        let target = [target(&certificate("111111111111", "eu-west-1", "shared").arn, "111111111111", "eu-west-1")];
        block_on(merged.apply(&RENEW, &target));
        assert_eq!((a.applied.lock().unwrap().len(), b.applied.lock().unwrap().len()), (1, 0), "the first context's");

        // a stops answering: b's copy is the one shown now, and the action follows it.
        let denied = SourceError::AccessDenied { action: "acm:ListCertificates".into(), message: "no".into() };
        *a.rows.lock().unwrap() = Err(denied.clone());
        block_on(merged.fetch(PaneId::Certificates, now, FetchOptions::default())).unwrap();
        block_on(merged.apply(&RENEW, &target));
        assert_eq!((a.applied.lock().unwrap().len(), b.applied.lock().unwrap().len()), (1, 1));

        // Nobody answers: the app keeps the last rows, and their origins stay.
        *b.rows.lock().unwrap() = Err(denied);
        assert!(block_on(merged.fetch(PaneId::Certificates, now, FetchOptions::default())).is_err());
        block_on(merged.apply(&RENEW, &target));
        assert_eq!(b.applied.lock().unwrap().len(), 2);

        // Another pane's records are not this pane's: a secret action on the same key is not sent.
        let rotate = TriageAction::Secrets(crate::model::panes::secrets::Action::RotateSecret);
        let outcomes = block_on(merged.apply(&rotate, &target));
        assert!(outcomes[0].error.as_deref().is_some_and(|e| e.starts_with("not sent")), "{outcomes:?}");
    }
}
