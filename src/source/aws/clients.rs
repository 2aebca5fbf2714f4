//! The SDK clients of one source, made on first use from its one `SdkConfig` (credentials, region,
//! endpoint, timeouts; retries as the user's profile says): every client of every pane is made
//! here, so none can be configured differently. A pane's AWS module names the SDK crates it uses
//! with [`sdk_client!`](crate::sdk_client).

use super::ClientSettings;
use crate::source::Service;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// An SDK client Vigil makes.
pub trait SdkClient: Clone + Send + Sync + 'static {
    const SERVICE: Service;
    /// The client, counting each retry the SDK sends against `budget` when there is one.
    fn build(config: &aws_config::SdkConfig, budget: Option<RetryBudget>) -> Self;
    fn settings(&self) -> ClientSettings;
}

/// Counts the SDK's retries against Vigil's rate budgets. The first attempt of a call waits for its
/// token in `AwsSource::paced`; a retry goes out from inside the SDK, where nothing can wait, so
/// it is owed to the budget of its operation (the next call there waits for it). Without this, the
/// user's retry settings (3 attempts by default) could triple what Vigil spends of a quota it
/// shares with production.
#[derive(Debug, Clone)]
pub struct RetryBudget {
    pub budgets: std::sync::Arc<crate::source::aws::budget::Budgets>,
    pub service: Service,
    pub account: String,
    pub region: String,
}

impl aws_smithy_runtime_api::client::interceptors::Intercept for RetryBudget {
    fn name(&self) -> &'static str {
        "VigilRetryBudget"
    }

    fn read_before_attempt(
        &self,
        _context: &aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        cfg: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        use aws_smithy_runtime_api::client::orchestrator::Metadata;
        use aws_smithy_runtime_api::client::retries::RequestAttempts;
        let attempt = cfg.load::<RequestAttempts>().map_or(1, RequestAttempts::attempts);
        if attempt > 1 {
            let operation = cfg.load::<Metadata>().map(|m| m.name().to_string()).unwrap_or_default();
            tracing::debug!(service = ?self.service, operation, attempt, "a retry counted against the budget");
            // As `AwsSource::paced` keys it: a global service's budget is its home region's.
            let region = match self.service.spec().reach {
                crate::pane::Reach::Global { home_region } => home_region,
                crate::pane::Reach::Regional => self.region.as_str(),
            };
            self.budgets.charge_retry(self.service, &operation, &self.account, region);
        }
        Ok(())
    }
}

/// Declares an SDK crate's client for the service of that name in the service table.
#[macro_export]
macro_rules! sdk_client {
    ($krate:ident, $service:ident) => {
        impl $crate::source::aws::clients::SdkClient for $krate::Client {
            const SERVICE: $crate::source::Service = $crate::source::Service::$service;
            fn build(
                config: &aws_config::SdkConfig,
                budget: Option<$crate::source::aws::clients::RetryBudget>,
            ) -> Self {
                let mut builder = $krate::config::Builder::from(config);
                if let Some(budget) = budget {
                    builder = builder.interceptor(budget);
                }
                $krate::Client::from_conf(builder.build())
            }
            fn settings(&self) -> $crate::source::aws::ClientSettings {
                $crate::source::aws::ClientSettings::of(
                    Self::SERVICE,
                    self.config().retry_config(),
                    self.config().timeout_config(),
                )
            }
        }
    };
}

sdk_client!(aws_sdk_securityhub, SecurityHub);
sdk_client!(aws_sdk_guardduty, GuardDuty);
sdk_client!(aws_sdk_acm, Acm);
sdk_client!(aws_sdk_secretsmanager, SecretsManager);
sdk_client!(aws_sdk_cognitoidentityprovider, Cognito);
sdk_client!(aws_sdk_sts, Sts);
sdk_client!(aws_sdk_organizations, Organizations);
sdk_client!(aws_sdk_account, Account);

/// A client by its type and the region it is made for (`None`: the source's).
type ClientKey = (TypeId, Option<String>);

/// The clients made so far.
pub struct Clients {
    config: aws_config::SdkConfig,
    made: Mutex<HashMap<ClientKey, Box<dyn Any + Send + Sync>>>,
    /// The budgets and account retries are counted against (`None`: not counted).
    retries: Option<(std::sync::Arc<crate::source::aws::budget::Budgets>, String)>,
}

impl Clients {
    pub fn new(config: &aws_config::SdkConfig) -> Self {
        Self { config: config.clone(), made: Mutex::default(), retries: None }
    }

    /// Clients whose retries are counted against `budgets` in `account`.
    pub fn counting_retries(
        config: &aws_config::SdkConfig,
        budgets: std::sync::Arc<crate::source::aws::budget::Budgets>,
        account: &str,
    ) -> Self {
        Self { retries: Some((budgets, account.to_string())), ..Self::new(config) }
    }

    /// The client of type `C` (a cheap clone of the one made on first use).
    pub fn get<C: SdkClient>(&self) -> C {
        self.get_in::<C>(None)
    }

    /// The client of type `C` for `region` (a global service's home region, CloudFront's web ACLs
    /// in us-east-1), or the source's region for `None`; the same configuration otherwise.
    pub fn get_in<C: SdkClient>(&self, region: Option<&str>) -> C {
        let region = region.filter(|r| self.config.region().is_none_or(|own| own.as_ref() != *r));
        let config = || match region {
            Some(r) => self.config.to_builder().region(aws_config::Region::new(r.to_string())).build(),
            None => self.config.clone(),
        };
        let budget = || {
            self.retries.as_ref().map(|(budgets, account)| RetryBudget {
                budgets: std::sync::Arc::clone(budgets),
                service: C::SERVICE,
                account: account.clone(),
                region: region
                    .map(str::to_string)
                    .or_else(|| self.config.region().map(|r| r.to_string()))
                    .unwrap_or_default(),
            })
        };
        let mut made = self.made.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (TypeId::of::<C>(), region.map(str::to_string));
        let entry = made.entry(key).or_insert_with(|| Box::new(C::build(&config(), budget())));
        match entry.downcast_ref::<C>() {
            Some(client) => client.clone(),
            // The map holds each type under its own id: never reached.
            None => C::build(&config(), budget()),
        }
    }

    /// The settings of every client made so far, by service.
    pub fn settings(&self, made_with: &[fn(&Clients) -> ClientSettings]) -> Vec<ClientSettings> {
        let mut settings: Vec<ClientSettings> = made_with.iter().map(|f| f(self)).collect();
        settings.sort_by_key(|s| s.service);
        settings.dedup_by_key(|s| s.service);
        settings
    }

    /// The configuration every client is made from.
    pub fn config(&self) -> &aws_config::SdkConfig {
        &self.config
    }
}

/// A function that makes (or finds) the client of `C` and reads its settings: what
/// `AwsSource::client_settings` lists.
pub fn settings_of<C: SdkClient>(clients: &Clients) -> ClientSettings {
    clients.get::<C>().settings()
}
