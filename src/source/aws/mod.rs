//! The real AWS backend: the official SDK, one client per service, each pane fetched independently.
//! This module maps SDK types into `model` types; nothing above it sees an SDK type.

pub(crate) mod actions;
mod aggregation;
mod automation;
pub mod budget;
pub mod clients;
mod coverage;
mod credentials;
pub mod delta;
mod documents;
mod errors;
pub mod history;
pub mod live;
pub mod local;
mod metrics;
pub mod names;
pub mod organisation;
mod pagination;
pub mod panes;
pub mod partitions;
pub mod regions;
pub(crate) mod securityhub_v2;
mod time;

use super::{FetchOptions, Fetched, Joined, Progress, Source, SourceError, SourceInfo, SourceKind};
use crate::model::Timestamp;
use crate::model::triage::{Target, TargetOutcome, TriageAction};
use crate::pane::PaneId;
use aws_config::BehaviorVersion;
use aws_config::timeout::TimeoutConfig;
use budget::{Budgets, Service};
use errors::Caller;
use futures::future::BoxFuture;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// The ARN partition of a region.
pub fn partition(region: &str) -> &'static str {
    crate::model::partition::partition_of(region)
}

/// How to reach AWS, as the AWS CLI takes it; unset fields fall back to the environment and the
/// shared config files exactly as the CLI does.
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// How far a delta refresh of findings looks back; `None` for [`delta::DEFAULT_LOOK_BACK`].
    pub look_back: Option<chrono::Duration>,
    /// The role to assume in each member account for its certificates, secrets and pools.
    pub member_role: Option<organisation::MemberRole>,
    /// Rate budgets shared with every other context of the console (the same account reached
    /// through two profiles, or the all view); `None`: this source's own.
    pub budgets: Option<Arc<Budgets>>,
    /// Panes' settings from the config (`[panes.edge] block_ip_set = "arn:..."`): (pane, name) → value.
    pub settings: std::collections::BTreeMap<(crate::pane::PaneId, String), String>,
    /// `[history]`: where Athena runs, the byte cap and the price.
    pub history: crate::model::lake::HistorySettings,
}

/// Bounds that keep one refresh's cost independent of the account's size. What a bound cut off is
/// said on screen.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub securityhub_findings: usize,
    pub guardduty_findings: usize,
    pub control_findings: usize,
    pub users_per_pool: usize,
    /// Users whose sign-in events are read per pool (one call each).
    pub auth_event_users_per_pool: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            securityhub_findings: 10_000,
            guardduty_findings: 5_000,
            control_findings: 20_000,
            users_per_pool: 5_000,
            auth_event_users_per_pool: 100,
        }
    }
}

pub struct AwsSource {
    info: SourceInfo,
    profile: Option<String>,
    /// Every SDK client, made from one configuration on first use.
    clients: clients::Clients,
    limits: Limits,
    /// The rate budgets every call draws on, shared with any other source of the same accounts.
    budgets: Arc<Budgets>,
    /// Security Hub loads cut short by a failure, kept to resume from their NextToken.
    resume: pagination::ResumeMemory,
    /// The findings of the last refresh, for delta refreshes.
    findings_memory: std::sync::Mutex<Option<delta::FindingsMemory>>,
    /// Tickets this console opened (CreateTicketV2), by the finding's `metadata.uid`: nothing on the
    /// finding says it has one, so each refresh shows them on their rows from here.
    tickets: std::sync::Mutex<std::collections::HashMap<String, String>>,
    /// What the account's certificates serve (domain, resources using it) as the last read of
    /// them found, and when: the Edge pane's entry points reuse it instead of describing every
    /// certificate at each of its one-minute refreshes.
    certificate_uses: std::sync::Mutex<Option<(std::time::Instant, CertificateUses)>>,
    /// How far each delta refresh of findings looks back.
    look_back: chrono::Duration,
    /// What the user should know about this connection (a finding aggregator elsewhere).
    notice: Option<String>,
    /// Panes' settings from the config (pane, name) → value.
    settings: std::collections::BTreeMap<(crate::pane::PaneId, String), String>,
    history: crate::model::lake::HistorySettings,
    /// The organisation's other accounts, each read through the member role: their certificates,
    /// secrets and pools join this account's. Empty without `member_role`.
    members: Vec<AwsSource>,
    member_role: Option<organisation::MemberRole>,
}

/// The SDK's configuration for `options`: the credential chain, profile, region and endpoint as the
/// AWS CLI takes them, with `timeouts` on every client made from it (STS included). Retries are
/// left to the user's AWS_RETRY_MODE / AWS_MAX_ATTEMPTS / profile settings, which `defaults`
/// reads; Vigil sets none.
fn loader(options: &AwsOptions, timeouts: Timeouts) -> aws_config::ConfigLoader {
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(
        TimeoutConfig::builder()
            .connect_timeout(timeouts.attempt.min(Duration::from_secs(5)))
            .operation_attempt_timeout(timeouts.attempt)
            .operation_timeout(timeouts.operation)
            .build(),
    );
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &options.region {
        loader = loader.region(aws_config::Region::new(region.clone()));
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader
}

/// How long one call may take. A call that hangs ends as a timeout (transient: the pane backs off)
/// instead of holding its pane's refresh forever.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timeouts {
    /// One attempt (connect, send, the whole answer).
    pub attempt: Duration,
    /// All attempts of one call together, the SDK's retries included.
    pub operation: Duration,
}

/// Overrides the attempt timeout, in seconds (fractions allowed); the operation timeout is three
/// times it. For tests that make a call hang; users have no reason to set it.
pub const TIMEOUT_ENV: &str = "VIGIL_AWS_TIMEOUT_SECS";

impl Default for Timeouts {
    fn default() -> Self {
        Self { attempt: Duration::from_secs(20), operation: Duration::from_secs(60) }
    }
}

impl Timeouts {
    /// The defaults, or [`TIMEOUT_ENV`] when it holds a positive number of seconds. The one place
    /// the variable is read.
    pub fn from_env() -> Self {
        let seconds = std::env::var(TIMEOUT_ENV).ok().and_then(|v| v.trim().parse::<f64>().ok());
        match seconds.filter(|s| s.is_finite() && *s > 0.0) {
            Some(s) => {
                let attempt = Duration::from_secs_f64(s);
                Self { attempt, operation: attempt * 3 }
            }
            None => Self::default(),
        }
    }
}

impl AwsSource {
    /// Loads the configuration (credential chain, profile, region, endpoint) and asks STS who we
    /// are, so the header shows the real account. Timeouts are [`Timeouts::from_env`].
    pub async fn connect(options: &AwsOptions) -> Result<Self, SourceError> {
        Self::connect_with(options, Timeouts::from_env()).await
    }

    /// As [`AwsSource::connect`], with the given timeouts.
    pub async fn connect_with(options: &AwsOptions, timeouts: Timeouts) -> Result<Self, SourceError> {
        let budgets = options.budgets.clone().unwrap_or_default();
        Self::connect_sharing(options, timeouts, budgets).await
    }

    /// As [`AwsSource::connect_with`], drawing on `budgets`, which other sources may share: the
    /// budgets are per account and region, so sources of one account never exceed its quotas
    /// together.
    pub async fn connect_sharing(
        options: &AwsOptions,
        timeouts: Timeouts,
        budgets: Arc<Budgets>,
    ) -> Result<Self, SourceError> {
        let loader = loader(options, timeouts);
        // A profile asked for by name that no file defines is a typo to name, not a chain to run.
        let setup = credentials::Setup::read(options.profile.as_deref());
        if let Some(error) = setup.missing_profile() {
            return Err(error);
        }
        let config = loader.load().await;
        let region = match config.region() {
            Some(region) => region.to_string(),
            // Nothing configured at all: that is "no credentials", whatever else is missing.
            None if setup.is_empty() => return Err(SourceError::NoCredentials),
            None => {
                return Err(SourceError::local(
                    Service::Configuration,
                    "no AWS region: pass --region, set AWS_REGION or set region in the profile",
                ));
            }
        };
        // --region and the environment are checked before this; the profile's region is here.
        if let Err(e) = names::check_region(&region) {
            return Err(SourceError::local(Service::Configuration, format!("the profile's region: {e}")));
        }
        let profile = options.profile.clone().or_else(|| std::env::var("AWS_PROFILE").ok());
        let caller = Caller { service: Service::Sts, profile: profile.as_deref() };
        let sts = aws_sdk_sts::Client::new(&config);
        // The account is what this call finds out: its budget is keyed by the region alone.
        budgets.acquire(Service::Sts, "GetCallerIdentity", "", &region).await;
        let securityhub = aws_sdk_securityhub::Client::new(&config);
        let organizations = aws_sdk_organizations::Client::new(&config);
        // Who we are, what Security Hub aggregates and which accounts the organisation has, side
        // by side: no round trip added.
        let (identity, aggregation, accounts, coverage) = tokio::join!(
            sts.get_caller_identity().send(),
            async {
                // Bounded: a Security Hub that hangs must not hold the connection (nor an STS error).
                let detect = aggregation::detect(&securityhub, &budgets, &region);
                tokio::time::timeout(Duration::from_secs(5), detect)
                    .await
                    .unwrap_or_else(|_| Err("no answer in 5 s".into()))
            },
            organisation::list_accounts(&organizations, &budgets),
            async {
                // Which accounts findings and compliance cover: asked, never assumed; bounded too.
                let detect = coverage::detect(&config, &budgets, &region);
                tokio::time::timeout(Duration::from_secs(5), detect).await.ok()
            }
        );
        let aggregation = aggregation.unwrap_or_else(|e| {
            tracing::info!(error = %e, "no finding aggregator could be read");
            None
        });
        let identity = identity.map_err(|e| match credentials::credentials_error(&e) {
            Some(chain) => {
                let hint = errors::login_hint(profile.as_deref(), "check the profile's credentials");
                credentials::classify(&setup, chain, &hint)
            }
            None => errors::classify(caller, "GetCallerIdentity", &e),
        })?;
        let mut notices: Vec<String> =
            aggregation.as_ref().and_then(|a| aggregation::elsewhere_notice(a, &region)).into_iter().collect();
        notices.extend(coverage.as_ref().and_then(crate::model::coverage::Coverage::warning));
        // Only the aggregation region's view is wider than its own region.
        let aggregation = aggregation.filter(|a| a.region.as_deref() == Some(region.as_str()));
        let account = identity.account().unwrap_or("unknown").to_string();
        let listed = accounts.unwrap_or_else(|e| {
            tracing::info!(error = %e, "the organisation's accounts could not be listed");
            if options.member_role.is_some() {
                notices.push(format!(
                    "member_role is set, but the organisation's accounts could not be listed (organizations:ListAccounts: {e}): only this account's certificates, secrets and pools are shown"
                ));
            }
            organisation::Listed::default()
        });
        if listed.cut {
            notices.push(format!(
                "the organisation's account list was cut short after {} accounts ({} s): the rest show as ids{}",
                listed.accounts.len(),
                organisation::LIST_TIMEOUT.as_secs(),
                if options.member_role.is_some() { " and their resources are not read" } else { "" }
            ));
        }
        let accounts = listed.accounts;
        let account_names = Arc::new(organisation::names(&accounts));
        let info = SourceInfo {
            kind: SourceKind::Aws,
            account_name: account_names.name(&account).map(str::to_string),
            account,
            region,
            profile: profile.clone(),
            principal: identity.arn().map(str::to_string),
            aggregation,
            account_names,
            coverage,
        };
        let look_back = options.look_back.unwrap_or(delta::DEFAULT_LOOK_BACK);
        let mut members = Vec::new();
        if let Some(role) = &options.member_role {
            let partition = partition(&info.region);
            for member in accounts.iter().filter(|a| a.active && a.id != info.account) {
                let mut provider = aws_config::sts::AssumeRoleProvider::builder(role.arn(partition, &member.id))
                    .session_name(organisation::session_name(identity.arn()))
                    .configure(&config);
                if let Some(id) = &role.external_id {
                    provider = provider.external_id(id);
                }
                let credentials =
                    aws_credential_types::provider::SharedCredentialsProvider::new(provider.build().await);
                let member_config = config.clone().into_builder().credentials_provider(credentials).build();
                let member_info = SourceInfo {
                    account: member.id.clone(),
                    account_name: Some(member.name.clone()).filter(|n| !n.is_empty()),
                    // The audit log names who acts in the member: the role's session.
                    principal: Some(role.session_arn(partition, &member.id, identity.arn())),
                    aggregation: None,
                    coverage: None,
                    ..info.clone()
                };
                let mut source = Self::assemble(&member_config, member_info, Arc::clone(&budgets), look_back);
                source.profile = profile.clone();
                source.settings = options.settings.clone();
                members.push(source);
            }
        }
        let mut source = Self::assemble(&config, info, budgets, look_back);
        source.profile = profile;
        source.settings = options.settings.clone();
        source.history = options.history.clone();
        source.notice = (!notices.is_empty()).then(|| notices.join("; "));
        source.members = members;
        source.member_role = options.member_role.clone();
        Ok(source)
    }

    /// A source on `config` for the account and region `info` names, its clients made, nothing
    /// called yet.
    fn assemble(
        config: &aws_config::SdkConfig,
        info: SourceInfo,
        budgets: Arc<Budgets>,
        look_back: chrono::Duration,
    ) -> Self {
        let clients = clients::Clients::counting_retries(config, Arc::clone(&budgets), &info.account);
        Self {
            info,
            profile: None,
            notice: None,
            clients,
            settings: Default::default(),
            history: Default::default(),
            limits: Limits::default(),
            budgets,
            resume: pagination::ResumeMemory::default(),
            findings_memory: std::sync::Mutex::new(None),
            tickets: std::sync::Mutex::default(),
            certificate_uses: std::sync::Mutex::new(None),
            look_back,
            members: Vec::new(),
            member_role: None,
        }
    }

    /// The member accounts read through the member role, as sources of their own.
    #[doc(hidden)]
    pub fn members(&self) -> &[AwsSource] {
        &self.members
    }

    /// Whose credentials an action on `target` is sent with: the administrator's (this source)
    /// for findings, which it updates for its members; the account's own for a secret, a
    /// certificate or a user (a member's, through the member role). Never a guess: a record of an
    /// account this source does not reach, or a GuardDuty finding of another region (archived
    /// through that region's detector), is refused with why.
    fn route(&self, action: &TriageAction, target: &Target, members: &MemberIndex<'_>) -> Result<usize, String> {
        let place = &target.placement;
        if action.in_record_region() && !place.region.is_empty() && place.region != self.info.region {
            return Err(format!(
                "not sent: a GuardDuty finding of {} is archived through the detector there: switch to that region (:ctx)",
                place.region
            ));
        }
        if action.goes_through_administrator() || place.account.is_empty() || place.account == self.info.account {
            return Ok(0);
        }
        members.get(place.account.as_str()).copied().ok_or_else(|| {
            format!(
                "not sent: account {} is not reachable from {} (no member role for it)",
                place.account, self.info.account
            )
        })
    }

    /// Each member account's number for [`AwsSource::account_source`].
    fn member_index(&self) -> MemberIndex<'_> {
        self.members.iter().enumerate().map(|(i, m)| (m.info.account.as_str(), i + 1)).collect()
    }

    /// This account (0) and its members (1 on), as [`AwsSource::each_account`] numbers them.
    pub(crate) fn account_source(&self, i: usize) -> &AwsSource {
        i.checked_sub(1).and_then(|m| self.members.get(m)).unwrap_or(self)
    }

    /// Runs `fetch` on this account and on every member account (`fetch(i)` reads
    /// [`AwsSource::account_source`]`(i)`), a few accounts at a time, and joins their rows. A
    /// member's failure is a warning naming the account and never stops the others; only when
    /// every account fails is the pane's refresh a failure.
    pub(crate) async fn each_account<F, Fut>(&self, fetch: F) -> Result<Fetched, SourceError>
    where
        F: Fn(usize) -> Fut,
        Fut: Future<Output = Result<Fetched, SourceError>>,
    {
        use futures::StreamExt;
        let Some(role) = self.member_role.as_ref().filter(|_| !self.members.is_empty()) else {
            return fetch(0).await;
        };
        let slots = self.budgets.member_slots(role.accounts_in_flight);
        let mut results: Vec<(usize, Result<Fetched, SourceError>)> = futures::stream::iter(0..=self.members.len())
            .map(|i| {
                let fetched = fetch(i);
                let slots = Arc::clone(&slots);
                async move {
                    // Closed never: the semaphore lives as long as the budgets.
                    let _slot = slots.acquire_owned().await.ok();
                    (i, fetched.await)
                }
            })
            .buffer_unordered(role.accounts_in_flight.max(1))
            .collect()
            .await;
        results.sort_by_key(|(i, _)| *i);
        let names = &self.info.account_names;
        let mut joined = Joined::default();
        for (i, result) in results {
            let (account, region) = (&self.account_source(i).info.account, &self.account_source(i).info.region);
            let about = organisation::describe_account(names, account);
            match result {
                Ok(mut fetched) => {
                    // Every row says its account once several accounts are shown.
                    fetched.data.place_in_context(account, region);
                    joined.answered(&about, fetched);
                }
                Err(e) => {
                    let warning = match i {
                        0 => format!("{about}: {e}"),
                        _ => organisation::member_failure(names, account, &role.name, &e),
                    };
                    joined.failed(warning, e);
                }
            }
        }
        joined.finish()
    }

    /// Remembers what the certificates just read serve.
    pub(crate) fn remember_certificate_uses(&self, certificates: &[crate::model::Certificate]) {
        let uses = certificates.iter().map(|c| (c.domain.clone(), c.in_use_by.clone())).collect();
        *self.certificate_uses.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some((std::time::Instant::now(), Arc::new(uses)));
    }

    /// What the certificates serve, as read less than `max_age` ago.
    pub(crate) fn certificate_uses(&self, max_age: Duration) -> Option<CertificateUses> {
        let memo = self.certificate_uses.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        memo.as_ref().filter(|(at, _)| at.elapsed() < max_age).map(|(_, uses)| Arc::clone(uses))
    }

    /// The effective retry and timeout settings of each client every pane calls (made now if not
    /// yet), and STS's, for tests and the log.
    #[doc(hidden)]
    pub fn client_settings(&self) -> Vec<ClientSettings> {
        let every: Vec<fn(&clients::Clients) -> ClientSettings> = panes::CLIENTS
            .iter()
            .flat_map(|clients| clients.iter().copied())
            .chain([clients::settings_of::<aws_sdk_sts::Client> as fn(&clients::Clients) -> ClientSettings])
            .collect();
        self.clients.settings(&every)
    }

    /// The SDK client of type `C`.
    pub(crate) fn client<C: clients::SdkClient>(&self) -> C {
        self.clients.get::<C>()
    }

    /// The SDK client of type `C` in `region` (a global service's home region).
    pub(crate) fn client_in<C: clients::SdkClient>(&self, region: &str) -> C {
        self.clients.get_in::<C>(Some(region))
    }

    /// The account and region this source reads.
    pub(crate) fn place(&self) -> (&str, &str) {
        (&self.info.account, &self.info.region)
    }

    /// A pane's setting from the config (`[panes.edge] block_ip_set`), when it was given.
    pub(crate) fn pane_setting(&self, pane: crate::pane::PaneId, name: &str) -> Option<&str> {
        self.settings.get(&(pane, name.to_string())).map(String::as_str)
    }

    /// Sends `call` once its budget allows: every SDK call, each page included, goes through here.
    /// `call` is the SDK's lazy `send()` (or a paginator's `next()`): nothing goes out before the
    /// token is taken.
    pub(crate) async fn paced<F: Future>(&self, service: Service, operation: &str, call: F) -> F::Output {
        // A global service's quota is the account's, whatever region asks: one bucket, its home's.
        let region = match service.spec().reach {
            crate::pane::Reach::Global { home_region } => home_region,
            crate::pane::Reach::Regional => &self.info.region,
        };
        self.budgets.acquire(service, operation, &self.info.account, region).await;
        call.await
    }

    /// As [`AwsSource::paced`], for a regional service called in another region (CloudFront's web
    /// ACLs and metrics in us-east-1): that region's budget.
    pub(crate) async fn paced_in<F: Future>(
        &self,
        service: Service,
        operation: &str,
        region: &str,
        call: F,
    ) -> F::Output {
        self.budgets.acquire(service, operation, &self.info.account, region).await;
        call.await
    }

    /// What the user should know about this connection, for the console's bottom line.
    pub fn notice(&self) -> Option<String> {
        self.notice.clone()
    }

    pub(crate) fn caller(&self, service: Service) -> Caller<'_> {
        Caller { service, profile: self.profile.as_deref() }
    }
}

/// Member accounts by id: their number for [`AwsSource::account_source`].
type MemberIndex<'a> = std::collections::HashMap<&'a str, usize>;

/// Each certificate's domain with the resources that use it.
pub type CertificateUses = Arc<Vec<(String, Vec<String>)>>;

/// One client's effective settings; see [`AwsSource::client_settings`].
#[derive(Debug, Clone, PartialEq)]
pub struct ClientSettings {
    pub service: Service,
    pub retry_mode: Option<String>,
    pub max_attempts: Option<u32>,
    pub attempt_timeout: Option<Duration>,
    pub operation_timeout: Option<Duration>,
}

impl ClientSettings {
    pub fn of(
        service: Service,
        retry: Option<&aws_config::retry::RetryConfig>,
        timeout: Option<&TimeoutConfig>,
    ) -> Self {
        Self {
            service,
            retry_mode: retry.map(|r| format!("{:?}", r.mode())),
            max_attempts: retry.map(|r| r.max_attempts()),
            attempt_timeout: timeout.and_then(|t| t.operation_attempt_timeout()),
            operation_timeout: timeout.and_then(|t| t.operation_timeout()),
        }
    }
}

impl Source for AwsSource {
    fn info(&self) -> SourceInfo {
        self.info.clone()
    }

    fn automation_rules(&self) -> BoxFuture<'_, Result<Vec<crate::model::triage::AutomationRule>, String>> {
        Box::pin(automation::list(self))
    }

    fn history_prepare<'a>(
        &'a self,
        question: &'a crate::model::lake::Question,
    ) -> BoxFuture<'a, Result<crate::model::lake::Prepared, String>> {
        Box::pin(async move {
            let table = match self.history.table_for(question.subject) {
                Some(text) => {
                    let fallback = match question.subject.is_waf() {
                        true => crate::model::lake::Layout::WafLogs,
                        false => crate::model::lake::Layout::LakeFindings,
                    };
                    Some(crate::model::lake::Table::parse(text, fallback)?)
                }
                None => None,
            };
            let memory = history::load_scan_memory(history::scan_memory_path().as_deref());
            history::prepare(self, &self.history, question, table, &memory).await
        })
    }

    fn history_run<'a>(
        &'a self,
        prepared: &'a crate::model::lake::Prepared,
        cancel: &'a crate::model::lake::Cancel,
        progress: &'a (dyn Fn(crate::model::lake::Progress) + Send + Sync),
    ) -> BoxFuture<'a, Result<crate::model::lake::Finished, String>> {
        Box::pin(async move {
            let finished = history::run(self, &self.history, prepared, cancel, progress).await?;
            if let Err(e) =
                history::remember_scan(history::scan_memory_path().as_deref(), &prepared.plan.shape, finished.scanned)
            {
                tracing::warn!(error = %e, "could not keep what a history query scanned");
            }
            Ok(finished)
        })
    }

    fn live_feed<'a>(
        &'a self,
        settings: &'a crate::model::live::LiveSettings,
    ) -> BoxFuture<'a, Result<Arc<dyn crate::source::live::LiveFeed>, crate::source::live::Unavailable>> {
        self.live_feed_of(settings)
    }

    /// A finding's document as its service returned it: the new Security Hub's OCSF document
    /// (GetFindingsV2 by its `metadata.uid`), GuardDuty's (GetFindings through the caller's own
    /// detector), or CSPM's ASFF (GetFindings by Id and ProductArn), in that order of preference.
    fn document<'a>(
        &'a self,
        pane: PaneId,
        target: &'a Target,
    ) -> BoxFuture<'a, Result<Option<super::Document>, String>> {
        Box::pin(async move {
            if pane != PaneId::Findings {
                return Ok(None);
            }
            if let Some(uid) = target.ocsf_uid.as_deref() {
                let json = securityhub_v2::document(self, uid).await?;
                return Ok(json
                    .map(|json| super::Document { json, about: "OCSF document as AWS returned it (GetFindingsV2)" }));
            }
            if let Some(finding) = &target.guardduty {
                return documents::guardduty(self, &finding.finding_id).await;
            }
            match target.product_arn.as_deref() {
                Some(product) => documents::securityhub(self, &target.id, product).await,
                None => Ok(None),
            }
        })
    }

    fn fetch_with_progress(
        &self,
        pane: PaneId,
        now: Timestamp,
        options: FetchOptions,
        progress: Progress,
    ) -> BoxFuture<'_, Result<Fetched, SourceError>> {
        Box::pin(async move { panes::fetch(self, pane, now, options, &progress).await })
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

    /// This account's calls go through this source (path `[0]`), a member's through its role
    /// (`[1 + member]`), each named as the principal that makes them.
    fn routes(&self, action: &TriageAction, targets: &[Target]) -> super::Routes {
        let mut routes = super::Routes::default();
        let members = self.member_index();
        for target in targets {
            match self.route(action, target, &members) {
                Ok(i) => routes.add(vec![i], || self.account_source(i).info.clone(), target.clone()),
                Err(why) => routes.unsent.push(TargetOutcome::failed(target.clone(), why)),
            }
        }
        routes
    }

    fn apply_route<'a>(
        &'a self,
        path: &'a [usize],
        action: &'a TriageAction,
        targets: &'a [Target],
    ) -> BoxFuture<'a, Vec<TargetOutcome>> {
        Box::pin(panes::apply(self.account_source(path.first().copied().unwrap_or(0)), action, targets))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Placement;

    fn source(account: &str, region: &str) -> AwsSource {
        let config = aws_config::SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(aws_config::Region::new(region.to_string()))
            .build();
        let info = SourceInfo {
            kind: SourceKind::Aws,
            account: account.into(),
            account_name: None,
            region: region.into(),
            profile: None,
            principal: None,
            aggregation: None,
            account_names: Arc::default(),
            coverage: None,
        };
        AwsSource::assemble(&config, info, Budgets::new(), delta::DEFAULT_LOOK_BACK)
    }

    fn target(account: &str, region: &str) -> Target {
        Target {
            likeness: None,
            id: "x".into(),
            label: "x".into(),
            placement: Placement { account: account.into(), region: region.into() },
            product_arn: None,
            guardduty: None,
            ocsf_uid: None,
            user: None,
        }
    }

    #[test]
    fn an_action_goes_to_the_account_that_owns_the_record_or_is_refused() {
        let mut admin = source("111111111111", "eu-west-1");
        admin.members = vec![source("222222222222", "eu-west-1")];
        let members = admin.member_index();
        let routed = |action: &TriageAction, t: &Target| {
            admin.route(action, t, &members).map(|i| admin.account_source(i).info.account.clone())
        };
        let rotate = TriageAction::Secrets(crate::model::panes::secrets::Action::RotateSecret);
        assert_eq!(routed(&rotate, &target("111111111111", "eu-west-1")).unwrap(), "111111111111");
        assert_eq!(routed(&rotate, &target("222222222222", "eu-west-1")).unwrap(), "222222222222", "member role");
        let refused = routed(&rotate, &target("333333333333", "eu-west-1")).unwrap_err();
        assert!(refused.starts_with("not sent: account 333333333333 is not reachable"), "{refused}");
        // Findings go through the administrator, whatever account they are about.
        let resolve = TriageAction::Findings(crate::model::panes::findings::Action::SetWorkflow {
            status: crate::model::WorkflowStatus::Resolved,
            note: "n".into(),
        });
        assert_eq!(routed(&resolve, &target("333333333333", "us-east-1")).unwrap(), "111111111111");
        // GuardDuty archives through the detector of the finding's own region.
        let archive = TriageAction::Findings(crate::model::panes::findings::Action::ArchiveGuardDuty);
        assert_eq!(routed(&archive, &target("222222222222", "eu-west-1")).unwrap(), "111111111111");
        let elsewhere = routed(&archive, &target("222222222222", "us-east-1")).unwrap_err();
        assert!(elsewhere.contains("detector there"), "{elsewhere}");
    }
}
