//! First contact: telling "nothing is configured" from "something configured is broken", before and
//! after the credential chain runs. The first opens the demo (the console) or says what to
//! configure (snapshot); the second says exactly what to fix.

use crate::source::SourceError;
use aws_credential_types::provider::error::CredentialsError;
use std::path::PathBuf;

/// What the environment and the shared files configure, read the way the AWS CLI reads them.
#[derive(Debug, Clone, Default)]
pub struct Setup {
    /// Keys in the environment, a web identity token file or a container credentials endpoint.
    pub environment: bool,
    /// The profile asked for (`--profile`, else `AWS_PROFILE`).
    pub profile: Option<String>,
    /// The shared config and credentials files that exist.
    pub files: Vec<PathBuf>,
    /// Profile names found in those files.
    pub profiles: Vec<String>,
}

impl Setup {
    pub fn read(profile: Option<&str>) -> Self {
        let var = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        let environment = var("AWS_ACCESS_KEY_ID")
            || var("AWS_WEB_IDENTITY_TOKEN_FILE")
            || var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
            || var("AWS_CONTAINER_CREDENTIALS_FULL_URI");
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
        let config = std::env::var_os("AWS_CONFIG_FILE").map(PathBuf::from).unwrap_or(home.join(".aws/config"));
        let credentials =
            std::env::var_os("AWS_SHARED_CREDENTIALS_FILE").map(PathBuf::from).unwrap_or(home.join(".aws/credentials"));
        let mut setup = Self {
            environment,
            profile: profile
                .map(str::to_string)
                .or_else(|| std::env::var("AWS_PROFILE").ok())
                .filter(|p| !p.is_empty()),
            ..Self::default()
        };
        for (path, prefixed) in [(config, true), (credentials, false)] {
            if let Ok(text) = std::fs::read_to_string(&path) {
                setup.profiles.extend(profile_names(&text, prefixed));
                setup.files.push(path);
            }
        }
        setup
    }

    /// Nothing at all is configured: whatever the chain tried beyond this (instance metadata,
    /// which answers only on AWS compute) failing means "no credentials", not a broken setup.
    pub fn is_empty(&self) -> bool {
        !self.environment && self.profile.is_none() && self.files.is_empty()
    }

    /// A profile asked for by name that no file defines: the chain would skip it silently and end
    /// in an instance-metadata error that says nothing about the typo.
    pub fn missing_profile(&self) -> Option<SourceError> {
        let profile = self.profile.as_deref()?;
        if self.profiles.iter().any(|p| p == profile) {
            return None;
        }
        let files = if self.files.is_empty() {
            "no ~/.aws/config or ~/.aws/credentials exists".to_string()
        } else {
            let names: Vec<String> = self.files.iter().map(|f| f.display().to_string()).collect();
            format!("it is not in {}", names.join(" or "))
        };
        Some(SourceError::Credentials(format!(
            "profile '{profile}' is not configured: {files}; check the name (aws configure list-profiles) or run aws configure sso --profile {profile}"
        )))
    }
}

/// `[profile NAME]` and `[default]` in the config file, `[NAME]` in the credentials file.
fn profile_names(text: &str, prefixed: bool) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.trim().strip_prefix('[')?.strip_suffix(']').map(str::trim))
        .filter_map(|section| {
            if !prefixed || section == "default" {
                return Some(section.to_string());
            }
            section.strip_prefix("profile").map(|name| name.trim().to_string())
        })
        .collect()
}

/// The credential chain's own error, found in an SDK error's sources.
pub fn credentials_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a CredentialsError> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<CredentialsError>() {
            return Some(found);
        }
        current = e.source();
    }
    None
}

/// A failure of the credential chain as the user can act on it. With nothing configured, any
/// failure (no provider, instance metadata absent, refusing or timing out) is "no credentials";
/// with a setup, it says which part failed, in one line.
pub fn classify(setup: &Setup, error: &CredentialsError, profile_hint: &str) -> SourceError {
    if setup.is_empty() || matches!(error, CredentialsError::CredentialsNotLoaded(_)) && setup.profile.is_none() {
        return SourceError::NoCredentials;
    }
    let what = match error {
        CredentialsError::CredentialsNotLoaded(_) => "no credentials were found for this profile".to_string(),
        CredentialsError::ProviderTimedOut(_) => "loading credentials timed out".to_string(),
        CredentialsError::InvalidConfiguration(_) => {
            format!("the credentials configuration is invalid: {}", first_line(error))
        }
        _ => format!("loading credentials failed: {}", first_line(error)),
    };
    SourceError::Credentials(format!("{what}; {profile_hint}"))
}

/// The innermost cause of an error, on one line: what the user needs, without the debug dump.
/// STS's code and message when assuming a role was refused (a member account's role missing, a
/// trust policy or external id that does not match); `None` for any other credential failure.
pub fn assume_role_refusal(error: &CredentialsError) -> Option<String> {
    use aws_sdk_sts::operation::assume_role::AssumeRoleError;
    use aws_smithy_types::error::metadata::ProvideErrorMetadata;
    type AssumeRoleFailure = aws_sdk_sts::error::SdkError<AssumeRoleError, aws_sdk_sts::config::http::HttpResponse>;
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(refused) = e.downcast_ref::<AssumeRoleFailure>()
            && let Some(code) = refused.code()
        {
            return Some(format!("sts:AssumeRole: {code}: {}", refused.message().unwrap_or_default()));
        }
        current = e.source();
    }
    None
}

/// The deepest cause of an error, in one line.
fn first_line(error: &dyn std::error::Error) -> String {
    let mut deepest = error.to_string();
    let mut current = error.source();
    while let Some(e) = current {
        deepest = e.to_string();
        current = e.source();
    }
    deepest.lines().next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_read_from_both_files() {
        let config = "[default]\nregion = us-east-1\n[profile prod]\nsso_session = x\n[sso-session x]\n";
        assert_eq!(profile_names(config, true), vec!["default", "prod"]);
        assert_eq!(profile_names("[ci]\naws_access_key_id = A\n", false), vec!["ci"]);
    }

    #[test]
    fn a_profile_no_file_defines_is_named_with_what_to_do() {
        let setup = Setup { profile: Some("prdo".into()), profiles: vec!["prod".into()], ..Setup::default() };
        let message = setup.missing_profile().unwrap().to_string();
        assert!(message.contains("profile 'prdo' is not configured") && message.contains("list-profiles"), "{message}");
        let setup = Setup { profile: Some("prod".into()), profiles: vec!["prod".into()], ..Setup::default() };
        assert!(setup.missing_profile().is_none());
    }

    #[test]
    fn with_nothing_configured_any_chain_failure_is_no_credentials() {
        let refused = CredentialsError::provider_error("failed to load IMDS session token: forbidden");
        assert_eq!(classify(&Setup::default(), &refused, "hint"), SourceError::NoCredentials);
        let configured = Setup { environment: true, ..Setup::default() };
        let message = classify(&configured, &refused, "refresh them").to_string();
        assert!(message.starts_with("credentials: loading credentials failed") && message.ends_with("refresh them"));
        assert!(!message.contains('\n'));
    }
}
