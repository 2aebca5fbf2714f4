//! The five panes, by name: the vocabulary shared by the sources, the app and the UI.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaneId {
    Findings,
    Certificates,
    Secrets,
    Users,
    Compliance,
}

impl PaneId {
    pub const ALL: [PaneId; 5] = [Self::Findings, Self::Certificates, Self::Secrets, Self::Users, Self::Compliance];

    pub fn title(self) -> &'static str {
        match self {
            Self::Findings => "Findings",
            Self::Certificates => "Certificates",
            Self::Secrets => "Secrets",
            Self::Users => "Users",
            Self::Compliance => "Compliance",
        }
    }

    /// A short name for the tab bar.
    pub fn tab_label(self) -> &'static str {
        match self {
            Self::Certificates => "Certs",
            other => other.title(),
        }
    }

    /// The name used by the `:` command line, `--pane` and the snapshot JSON.
    pub fn command(self) -> &'static str {
        match self {
            Self::Findings => "findings",
            Self::Certificates => "certs",
            Self::Secrets => "secrets",
            Self::Users => "users",
            Self::Compliance => "compliance",
        }
    }

    /// Accepts the command name, the title and a few obvious aliases.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "findings" | "finding" | "f" => Some(Self::Findings),
            "certs" | "certificates" | "certificate" | "cert" | "acm" => Some(Self::Certificates),
            "secrets" | "secret" | "sm" => Some(Self::Secrets),
            "users" | "user" | "cognito" => Some(Self::Users),
            "compliance" | "standards" | "controls" => Some(Self::Compliance),
            _ => None,
        }
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    pub fn next(self) -> Self {
        Self::ALL[(self.index() + 1) % Self::ALL.len()]
    }

    pub fn previous(self) -> Self {
        Self::ALL[(self.index() + Self::ALL.len() - 1) % Self::ALL.len()]
    }
}

impl fmt::Display for PaneId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}
