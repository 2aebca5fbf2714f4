//! Where pane data comes from. The app talks to a [`Source`]; the demo backend implements it today
//! and the AWS backend next. Implementations map their service types into `model` types.

pub mod aws;
pub mod demo;
pub mod offline;

use crate::model::triage::{Target, TargetOutcome, TriageAction};
use crate::model::{Certificate, Finding, Secret, Standard, Timestamp, UsersReport};
use crate::pane::PaneId;
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

/// The data of one pane after one successful refresh.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "pane", content = "data", rename_all = "lowercase")]
pub enum PaneData {
    Findings(Vec<Finding>),
    Certificates(Vec<Certificate>),
    Secrets(Vec<Secret>),
    Users(UsersReport),
    Compliance(Vec<Standard>),
}

impl PaneData {
    pub fn pane(&self) -> PaneId {
        match self {
            Self::Findings(_) => PaneId::Findings,
            Self::Certificates(_) => PaneId::Certificates,
            Self::Secrets(_) => PaneId::Secrets,
            Self::Users(_) => PaneId::Users,
            Self::Compliance(_) => PaneId::Compliance,
        }
    }
}

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
}

/// Why a pane could not be refreshed, in words the user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("{service} not enabled in this account and region: {hint}")]
    NotEnabled { service: String, hint: String },
    #[error("access denied: {action} is not allowed for this principal ({message})")]
    AccessDenied { action: String, message: String },
    #[error("credentials: {0}")]
    Credentials(String),
    #[error(
        "no AWS credentials found (environment, ~/.aws/config, SSO, instance role): configure a profile or use --demo"
    )]
    NoCredentials,
    #[error("throttled by {service}: {message}")]
    Throttled { service: String, message: String },
    #[error("{service}: {message}")]
    Service { service: String, message: String },
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
}

impl From<PaneData> for Fetched {
    fn from(data: PaneData) -> Self {
        Self { data, warnings: Vec::new(), cached_at: None }
    }
}

/// A backend that can fill every pane.
pub trait Source: Send + Sync {
    fn info(&self) -> SourceInfo;

    /// Fetches the current data of one pane. `now` anchors every age and expiry computed on the way.
    fn fetch(&self, pane: PaneId, now: Timestamp, options: FetchOptions)
    -> BoxFuture<'_, Result<Fetched, SourceError>>;

    /// Carries out a triage action on every target; the outcome of each target, never dropped.
    fn apply<'a>(&'a self, action: &'a TriageAction, targets: &'a [Target]) -> BoxFuture<'a, Vec<TargetOutcome>>;
}
