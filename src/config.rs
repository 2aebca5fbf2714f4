//! The optional config file, `~/.config/vigil/config.toml` (or `--config`). A bad file is an error
//! naming the file, line and what was expected; a missing default file is fine.
//!
//! ```toml
//! read_only = false          # for every profile
//! theme = "ansi16"
//!
//! [profiles.prod]            # per AWS profile
//! read_only = true
//! ```

use crate::location::line_col;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub read_only: bool,
    pub theme: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, ProfileConfig>,
    /// Seconds between refreshes per pane, on real accounts.
    #[serde(default)]
    pub refresh: RefreshConfig,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefreshConfig {
    pub findings: Option<toml::Spanned<u32>>,
    pub certificates: Option<toml::Spanned<u32>>,
    pub secrets: Option<toml::Spanned<u32>>,
    pub users: Option<toml::Spanned<u32>>,
    pub compliance: Option<toml::Spanned<u32>>,
}

/// Below this a refresh loop would mostly spend API quota.
pub const MIN_REFRESH_SECONDS: u32 = 10;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileConfig {
    pub read_only: Option<bool>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{path}:{line}:{column}: {message}")]
    Invalid { path: String, line: usize, column: usize, message: String },
    #[error("{path}: {message}")]
    Unreadable { path: String, message: String },
}

impl RefreshConfig {
    fn entries(&self) -> [(&'static str, &Option<toml::Spanned<u32>>); 5] {
        [
            ("findings", &self.findings),
            ("certificates", &self.certificates),
            ("secrets", &self.secrets),
            ("users", &self.users),
            ("compliance", &self.compliance),
        ]
    }
}

impl Config {
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "vigil").map(|d| d.config_dir().join("config.toml"))
    }

    pub fn parse(text: &str, path: &str) -> Result<Self, ConfigError> {
        let config: Self = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            ConfigError::Invalid { path: path.to_string(), line, column, message: e.message().to_string() }
        })?;
        for (name, value) in config.refresh.entries() {
            if let Some(v) = value
                && *v.get_ref() < MIN_REFRESH_SECONDS
            {
                let (line, column) = line_col(text, v.span().start);
                return Err(ConfigError::Invalid {
                    path: path.to_string(),
                    line,
                    column,
                    message: format!(
                        "refresh.{name}: expected at least {MIN_REFRESH_SECONDS} seconds, found {}",
                        v.get_ref()
                    ),
                });
            }
        }
        Ok(config)
    }

    /// Seconds per pane where the file sets them, in `PaneId::ALL` order.
    pub fn refresh_seconds(&self) -> [Option<u32>; 5] {
        self.refresh.entries().map(|(_, v)| v.as_ref().map(|s| *s.get_ref()))
    }

    /// Loads `path`; a missing file is an empty config only when it was not asked for by name.
    pub fn load(path: &Path, explicit: bool) -> Result<Self, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => Ok(Self::default()),
            Err(e) => Err(ConfigError::Unreadable { path: path.display().to_string(), message: e.to_string() }),
        }
    }

    /// Read-only for this profile: the profile's own setting, else the global one.
    pub fn read_only_for(&self, profile: Option<&str>) -> bool {
        profile.and_then(|p| self.profiles.get(p)).and_then(|p| p.read_only).unwrap_or(self.read_only)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_override_the_global_read_only() {
        let config =
            Config::parse("read_only = false\n[profiles.prod]\nread_only = true\n", "c.toml").unwrap_or_default();
        assert!(config.read_only_for(Some("prod")));
        assert!(!config.read_only_for(Some("dev")));
        assert!(!config.read_only_for(None));
    }

    #[test]
    fn refresh_intervals_are_checked() {
        let config = Config::parse("[refresh]\nfindings = 30\n", "c.toml").unwrap_or_default();
        assert_eq!(config.refresh_seconds()[0], Some(30));
        let err = Config::parse("[refresh]\nsecrets = 2\n", "c.toml").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.starts_with("c.toml:2:11: refresh.secrets: expected at least 10 seconds"), "{err}");
    }

    #[test]
    fn errors_name_file_line_and_expectation() {
        let err = Config::parse("read_only = \"yes\"\n", "c.toml").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.starts_with("c.toml:1:13:") && err.contains("bool"), "{err}");
        let err = Config::parse("[profiles.prod]\nreadonly = true\n", "c.toml")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("c.toml:2:1:") && err.contains("readonly"), "{err}");
    }
}
