//! Who and where a request is made for: every fetch and action carries a [`Context`], and every
//! result comes back with it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Who and where a request is made for: every fetch and action carries one, and every result
/// comes back with it, so a result is only ever installed into the view of its own context.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Context {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    pub account: String,
    pub region: String,
}

impl Context {
    /// No context: a record's own account and region only (its identity, whatever shows it).
    pub fn nowhere() -> Self {
        Self { profile: None, account: String::new(), region: String::new() }
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.account, self.region)?;
        if let Some(profile) = &self.profile {
            write!(f, " (profile {profile})")?;
        }
        Ok(())
    }
}

/// A profile and region to connect with, as named on the command line; `None` leaves it to the
/// credential chain (`AWS_PROFILE`, `AWS_REGION`, the profile's region).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContextChoice {
    pub profile: Option<String>,
    pub region: Option<String>,
}

impl fmt::Display for ContextChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            self.profile.as_deref().unwrap_or("default"),
            self.region.as_deref().unwrap_or("(its region)")
        )
    }
}
