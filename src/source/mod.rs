//! Where pane data comes from. The app talks to a [`Source`]; the demo, AWS and offline (cache)
//! backends implement it. Implementations map their service types into `model` types.

pub mod aws;
pub mod demo;
pub mod live;
pub mod merged;
pub mod offline;
pub mod service;

pub use crate::model::{AccountNames, Context, PaneData};
pub use service::Service;

use crate::model::Timestamp;
use crate::model::triage::{Target, TargetOutcome, TriageAction};
use crate::pane::PaneId;
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Demo,
    Aws,
}

/// Who and where the console is looking at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    pub kind: SourceKind,
    pub account: String,
    /// A friendly account name where one is known (the demo's "shop-prod", an alias).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    pub region: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    /// Findings come through AWS's aggregation: other regions (a Security Hub finding
    /// aggregator), other accounts (a delegated administrator's members).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregation: Option<Aggregation>,
    /// The names of the accounts whose rows this source shows (Organizations ListAccounts), by id.
    #[serde(default, skip_serializing_if = "no_names")]
    pub account_names: Arc<AccountNames>,
    /// Which accounts Security Hub and GuardDuty bring here (administrator, member or neither),
    /// as AWS said at connect; `None` where not asked (the demo, the all view, a member account
    /// read through the role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<crate::model::coverage::Coverage>,
}

fn no_names(names: &Arc<AccountNames>) -> bool {
    names.is_empty()
}

/// What AWS aggregates into the context's findings, as the header says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aggregation {
    /// The aggregation region (Security Hub's finding aggregator), when one is in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Which regions are linked to the aggregation region.
    pub linked: LinkedRegions,
    /// The accounts whose findings arrive (the administrator's members and itself), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accounts: Option<usize>,
}

/// Security Hub's `RegionLinkingMode` with its `Regions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", content = "regions", rename_all = "snake_case")]
pub enum LinkedRegions {
    All,
    AllExcept(Vec<String>),
    Only(Vec<String>),
    /// The aggregator links no region (`NO_REGIONS`): findings are the aggregation region's own.
    NoRegions,
}

impl Aggregation {
    /// "aggregated from all regions", "... from 3 regions, 40 accounts", for the header.
    pub fn describe(&self) -> String {
        let regions = match &self.linked {
            LinkedRegions::All => "all regions".to_string(),
            LinkedRegions::AllExcept(but) => format!("all regions but {}", but.join(", ")),
            // The aggregation region counts: its own findings are in the view too.
            LinkedRegions::Only(linked) => {
                let n = linked.len() + usize::from(self.region.as_ref().is_some_and(|r| !linked.contains(r)));
                if n == 1 { "1 region".to_string() } else { format!("{n} regions") }
            }
            LinkedRegions::NoRegions => "this region".to_string(),
        };
        match self.accounts {
            Some(n) if n > 1 => format!("aggregated: {regions}, {n} accounts"),
            _ => format!("aggregated: {regions}"),
        }
    }
}

impl SourceInfo {
    /// The context requests to this source are made for.
    pub fn context(&self) -> Context {
        Context { profile: self.profile.clone(), account: self.account.clone(), region: self.region.clone() }
    }
}

/// Why a pane could not be refreshed, in words the user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("{service} not enabled in this account and region: {hint}")]
    NotEnabled { service: Service, hint: String },
    #[error("access denied: {action} is not allowed for this principal ({message})")]
    AccessDenied { action: String, message: String },
    #[error("credentials: {0}")]
    Credentials(String),
    #[error(
        "no AWS credentials found (environment, ~/.aws/config, SSO, instance role): configure a profile or use --demo"
    )]
    NoCredentials,
    #[error("throttled by {service}: {message}")]
    Throttled { service: Service, message: String },
    #[error("{service}: {message}")]
    Service { service: Service, fault: Fault, message: String },
}

/// What went wrong with a call that reached no verdict on permissions: decided from the SDK's typed
/// error (timeout, dispatch failure, HTTP status), never from the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The call or one attempt ran past its timeout.
    Timeout,
    /// The endpoint could not be reached (DNS, connection refused or reset), or the connection
    /// broke off in the middle of the answer.
    Unreachable,
    /// The service answered 5xx.
    ServerError,
    /// The service rejected the request (4xx other than throttling and permissions).
    Rejected,
    /// The service answered something that does not parse (not its JSON or XML, an HTML page):
    /// waiting is unlikely to change it, so it is reported, not retried sooner.
    Malformed,
    /// Something on this side: configuration, the cache, a worker that failed.
    Local,
}

/// The kind of a [`SourceError`], which retry decisions read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Throttled,
    Timeout,
    Unreachable,
    ServerError,
    Denied,
    NotEnabled,
    Credentials,
    Rejected,
    Malformed,
    Local,
}

impl ErrorKind {
    /// Whether waiting a little can fix it: throttling and network or server trouble. Waiting does
    /// not grant a permission, enable a service or renew a login.
    pub fn is_transient(self) -> bool {
        matches!(self, Self::Throttled | Self::Timeout | Self::Unreachable | Self::ServerError)
    }
}

impl SourceError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::NotEnabled { .. } => ErrorKind::NotEnabled,
            Self::AccessDenied { .. } => ErrorKind::Denied,
            Self::Credentials(_) | Self::NoCredentials => ErrorKind::Credentials,
            Self::Throttled { .. } => ErrorKind::Throttled,
            Self::Service { fault, .. } => match fault {
                Fault::Timeout => ErrorKind::Timeout,
                Fault::Unreachable => ErrorKind::Unreachable,
                Fault::ServerError => ErrorKind::ServerError,
                Fault::Rejected => ErrorKind::Rejected,
                Fault::Malformed => ErrorKind::Malformed,
                Fault::Local => ErrorKind::Local,
            },
        }
    }

    /// An error on this side of the wire (configuration, the cache, a worker).
    pub fn local(service: Service, message: impl Into<String>) -> Self {
        Self::Service { service, fault: Fault::Local, message: message.into() }
    }
}

/// What the user asked to see, where it changes what is fetched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FetchOptions {
    /// Findings: also resolved, suppressed and archived ones.
    pub all_findings: bool,
}

/// One pane's data after a refresh, and what the user should know about how complete it is (a
/// service that failed while others answered, a cap, a sample).
#[derive(Debug, Clone)]
pub struct Fetched {
    pub data: PaneData,
    pub warnings: Vec<String>,
    /// Set when the data came from the disk cache: when it was saved.
    pub cached_at: Option<Timestamp>,
    /// Set when the data is a delta laid over an earlier full load: what the delta cannot see
    /// (triage without a note, deletions) is as of this time.
    pub resynced_at: Option<Timestamp>,
}

impl From<PaneData> for Fetched {
    fn from(data: PaneData) -> Self {
        Self { data, warnings: Vec::new(), cached_at: None, resynced_at: None }
    }
}

/// Several answers for one pane (member accounts, the contexts of the all view) joined into one:
/// every answer's rows together, its warnings under its name, each failure a warning. The pane
/// fails only when every answer failed, with the first error.
#[derive(Default)]
pub struct Joined {
    all: Option<Fetched>,
    warnings: Vec<String>,
    first_error: Option<SourceError>,
}

impl Joined {
    /// An answer from what `about` names ("account shop-prod (1111…)", a context).
    pub fn answered(&mut self, about: &str, mut fetched: Fetched) {
        self.warnings.extend(fetched.warnings.drain(..).map(|w| format!("{about}: {w}")));
        match &mut self.all {
            None => self.all = Some(fetched),
            Some(all) => {
                // Every answer is for the same pane.
                let _ = all.data.absorb(fetched.data);
                // The oldest answer is what the whole is as fresh as.
                all.cached_at = earliest(all.cached_at, fetched.cached_at);
                all.resynced_at = earliest(all.resynced_at, fetched.resynced_at);
            }
        }
    }

    /// A failure, said as `warning`.
    pub fn failed(&mut self, warning: String, error: SourceError) {
        self.warnings.push(warning);
        self.first_error.get_or_insert(error);
    }

    pub fn finish(self) -> Result<Fetched, SourceError> {
        match self.all {
            Some(mut all) => {
                all.warnings = self.warnings;
                Ok(all)
            }
            None => Err(self.first_error.unwrap_or_else(|| SourceError::local(Service::Vigil, "nothing answered"))),
        }
    }
}

fn earliest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Where a fetch reports rows as they arrive, before its result: pages of a first load, so a large
/// account shows its first rows one round trip after start. Each report is a chunk of *new* rows of
/// the pane being fetched (the same `PaneData` variant); the final [`Fetched`] still holds
/// everything, deduplicated, and replaces what was reported. Reports are a courtesy: a source may
/// send none, and a receiver may ignore them.
#[derive(Clone, Default)]
pub struct Progress(Option<Arc<dyn Fn(PaneData) + Send + Sync>>);

impl Progress {
    /// Nobody is listening: reports cost nothing.
    pub fn none() -> Self {
        Self(None)
    }

    pub fn new(report: impl Fn(PaneData) + Send + Sync + 'static) -> Self {
        Self(Some(Arc::new(report)))
    }

    /// Whether anyone listens; a source can skip building a chunk when not.
    pub fn is_wanted(&self) -> bool {
        self.0.is_some()
    }

    /// Reports a chunk of new rows.
    pub fn rows(&self, chunk: PaneData) {
        if let Some(report) = &self.0 {
            report(chunk);
        }
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_wanted() { "Progress(listening)" } else { "Progress(none)" })
    }
}

/// A backend that can fill every pane.
pub trait Source: Send + Sync {
    fn info(&self) -> SourceInfo;

    /// Fetches the current data of one pane. `now` anchors every age and expiry computed on the way.
    fn fetch(
        &self,
        pane: PaneId,
        now: Timestamp,
        options: FetchOptions,
    ) -> BoxFuture<'_, Result<Fetched, SourceError>> {
        self.fetch_with_progress(pane, now, options, Progress::none())
    }

    /// [`Source::fetch`], reporting rows to `progress` as they arrive. Sources that get their data
    /// in one piece need not override it.
    fn fetch_with_progress(
        &self,
        pane: PaneId,
        now: Timestamp,
        options: FetchOptions,
        progress: Progress,
    ) -> BoxFuture<'_, Result<Fetched, SourceError>>;

    /// Carries out a triage action on every target; the outcome of each target, never dropped.
    /// Sources that send targets through several callers (the all view's contexts, an
    /// organisation's member roles) say so in [`Source::routes`] and carry out each route in
    /// [`Source::apply_route`]; the runner audits each route as the caller it goes through.
    fn apply<'a>(&'a self, action: &'a TriageAction, targets: &'a [Target]) -> BoxFuture<'a, Vec<TargetOutcome>>;

    /// How `targets` would be sent: each caller (principal, profile, account and region the calls
    /// go to) with its targets, and the targets no caller can send, with why.
    fn routes(&self, _action: &TriageAction, targets: &[Target]) -> Routes {
        let mut routes = Routes::default();
        if !targets.is_empty() {
            routes.routes.push(Route { caller: self.info(), path: Vec::new(), targets: targets.to_vec() });
        }
        routes
    }

    /// Carries out the action on one route of [`Source::routes`] (its `path`).
    fn apply_route<'a>(
        &'a self,
        _path: &'a [usize],
        action: &'a TriageAction,
        targets: &'a [Target],
    ) -> BoxFuture<'a, Vec<TargetOutcome>> {
        self.apply(action, targets)
    }

    /// The Security Hub automation rules of the account and Region shown (`:rules`); `Err` says why
    /// there are none to list.
    fn automation_rules(&self) -> BoxFuture<'_, Result<Vec<crate::model::triage::AutomationRule>, String>> {
        Box::pin(async { Err("this source has no Security Hub automation rules".to_string()) })
    }

    /// The findings feed this source offers under `settings`, or why there is none (the console
    /// then polls, and says why).
    fn live_feed<'a>(
        &'a self,
        _settings: &'a crate::model::live::LiveSettings,
    ) -> BoxFuture<'a, Result<Arc<dyn live::LiveFeed>, live::Unavailable>> {
        Box::pin(async { Err(live::Unavailable::new("none", "this source has no live feed")) })
    }

    /// The service's own document of a record, as the service returns it, fetched when asked for
    /// (the raw view) rather than kept for every row: `None` where the source has none to give.
    fn document<'a>(&'a self, _pane: PaneId, _target: &'a Target) -> BoxFuture<'a, Result<Option<Document>, String>> {
        Box::pin(async { Ok(None) })
    }

    /// Finds where `question` is answered (`:history`) and what asking costs, asking nothing yet.
    fn history_prepare<'a>(
        &'a self,
        _question: &'a crate::model::lake::Question,
    ) -> BoxFuture<'a, Result<crate::model::lake::Prepared, String>> {
        Box::pin(async {
            Err("history asks Athena in one connected AWS account: not the cache, offline, or every context at once (:ctx N)"
                .to_string())
        })
    }

    /// Runs a prepared question, reporting its state to `progress`; `cancel` stops it.
    fn history_run<'a>(
        &'a self,
        _prepared: &'a crate::model::lake::Prepared,
        _cancel: &'a crate::model::lake::Cancel,
        _progress: &'a (dyn Fn(crate::model::lake::Progress) + Send + Sync),
    ) -> BoxFuture<'a, Result<crate::model::lake::Finished, String>> {
        Box::pin(async { Err("this source has no history".to_string()) })
    }
}

/// A record's document as its service returned it (the raw view, `J`).
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub json: serde_json::Value,
    /// Which document and call it is, as the raw view's title says it.
    pub about: &'static str,
}

/// One caller's share of an action's targets.
#[derive(Debug, Clone)]
pub struct Route {
    /// Who makes the calls and where they go (the audit log names it).
    pub caller: SourceInfo,
    /// Which part of the source carries it out, for [`Source::apply_route`].
    pub path: Vec<usize>,
    pub targets: Vec<Target>,
}

/// What [`Source::routes`] answers.
#[derive(Debug, Clone, Default)]
pub struct Routes {
    pub routes: Vec<Route>,
    /// Targets no caller can send, each failed with why (never guessed elsewhere).
    pub unsent: Vec<TargetOutcome>,
    /// Where each path's route is in `routes`: an organisation has hundreds of callers.
    index: std::collections::HashMap<Vec<usize>, usize>,
}

impl Routes {
    /// Adds `target` to the route of `path`, made with `caller` on first use.
    pub fn add(&mut self, path: Vec<usize>, caller: impl FnOnce() -> SourceInfo, target: Target) {
        match self.index.get(&path) {
            Some(&i) => self.routes[i].targets.push(target),
            None => {
                self.index.insert(path.clone(), self.routes.len());
                self.routes.push(Route { caller: caller(), path, targets: vec![target] });
            }
        }
    }

    /// Every route of `inner` (a part's routes) under `part`, and its unsent targets.
    pub fn extend_under(&mut self, part: usize, inner: Routes) {
        for route in inner.routes {
            let mut path = Vec::with_capacity(route.path.len() + 1);
            path.push(part);
            path.extend(route.path);
            self.index.insert(path.clone(), self.routes.len());
            self.routes.push(Route { path, ..route });
        }
        self.unsent.extend(inner.unsent);
    }
}
