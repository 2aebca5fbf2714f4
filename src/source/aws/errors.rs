//! SDK errors as errors a person can act on: which service, which IAM action, what to do.

use crate::source::SourceError;
use aws_sdk_sts::error::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// Who is asking: the service's display name and IAM prefix, and the profile for login hints.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    pub service: &'a str,
    pub iam_prefix: &'a str,
    pub profile: Option<&'a str>,
}

pub fn classify<E, R>(caller: Caller<'_>, operation: &str, err: &SdkError<E, R>) -> SourceError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    let code = err.code().unwrap_or_default();
    let message = err.message().unwrap_or_default().to_string();
    let detail = DisplayErrorContext(err).to_string();
    let service = caller.service.to_string();
    match code {
        "AccessDeniedException"
        | "AccessDenied"
        | "UnauthorizedOperation"
        | "UnauthorizedException"
        | "AuthorizationErrorException"
        | "NotAuthorizedException" => SourceError::AccessDenied {
            action: format!("{}:{operation}", caller.iam_prefix),
            message: if message.is_empty() { code.to_string() } else { message },
        },
        "InvalidAccessException" if caller.iam_prefix == "securityhub" => SourceError::NotEnabled {
            service,
            hint: "enable Security Hub in this region (console, or aws securityhub enable-security-hub)".into(),
        },
        "ThrottlingException"
        | "TooManyRequestsException"
        | "LimitExceededException"
        | "RequestLimitExceeded"
        | "Throttling"
        | "SlowDown" => SourceError::Throttled { service, message },
        "ExpiredTokenException"
        | "ExpiredToken"
        | "InvalidClientTokenId"
        | "UnrecognizedClientException"
        | "InvalidSignatureException"
        | "SignatureDoesNotMatch"
        | "RequestExpired" => SourceError::Credentials(login_hint(caller.profile, &format!("{code}: {message}"))),
        _ => classify_uncoded(caller, operation, err, code, &message, &detail),
    }
}

fn classify_uncoded<E, R>(
    caller: Caller<'_>,
    operation: &str,
    err: &SdkError<E, R>,
    code: &str,
    message: &str,
    detail: &str,
) -> SourceError {
    let lower = detail.to_lowercase();
    if lower.contains("no providers in chain")
        || lower.contains("credentialsnotloaded")
        || lower.contains("no credentials")
    {
        return SourceError::NoCredentials;
    }
    if lower.contains("sso") && (lower.contains("expired") || lower.contains("token")) {
        return SourceError::Credentials(login_hint(caller.profile, "the SSO session has expired"));
    }
    let service = caller.service.to_string();
    match err {
        SdkError::TimeoutError(_) => SourceError::Service { service, message: format!("{operation} timed out") },
        SdkError::DispatchFailure(_) => {
            SourceError::Service { service, message: format!("cannot reach the endpoint: {detail}") }
        }
        _ if !code.is_empty() => SourceError::Service { service, message: format!("{operation}: {code}: {message}") },
        _ => SourceError::Service { service, message: format!("{operation}: {detail}") },
    }
}

fn login_hint(profile: Option<&str>, what: &str) -> String {
    match profile {
        Some(p) => format!("{what}; run `aws sso login --profile {p}` (or refresh the profile's credentials)"),
        None => format!("{what}; refresh your credentials (for SSO: aws sso login)"),
    }
}
