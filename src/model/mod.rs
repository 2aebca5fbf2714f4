//! The security domain, free of AWS SDK and terminal types: what the panes show and the rules that
//! classify it.

pub mod accounts;
pub mod advice;
pub mod alerts;
pub mod arn;
pub mod certificate;
pub mod compliance;
pub mod context;
pub mod coverage;
pub mod dedupe;
pub mod finding;
pub mod grouping;
pub mod history;
pub mod identity;
pub mod key;
pub mod lake;
pub mod live;
pub mod ocsf;
pub mod panes;
pub mod partition;
pub mod priority;
pub mod radar;
pub mod related;
pub mod risk;
pub mod secret;
pub mod severity;
pub mod shared;
pub mod time;
pub mod triage;
pub mod users;

pub use accounts::AccountNames;
pub use arn::Placement;
pub use certificate::{Certificate, CertificateHealth, CertificateKind, CertificateStatus, RenewalStatus};
pub use compliance::{Control, ControlStatus, Standard};
pub use context::{Context, ContextChoice};
pub use finding::{Finding, FindingOrigin, Product, RecordState, WorkflowStatus};
pub use panes::PaneData;
pub use secret::{RotationStatus, Secret, SecretVersion};
pub use severity::{PerSeverity, SeverityCounts, SeverityLabel};
pub use shared::{Interner, SharedStr};
pub use time::Timestamp;
pub use users::{UserAnomaly, UsersReport};
