//! SDK errors as errors a person can act on: which service, which IAM action, what to do.

use crate::source::{Fault, SourceError};
use aws_sdk_sts::config::http::HttpResponse;
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

pub fn classify<E>(caller: Caller<'_>, operation: &str, err: &SdkError<E, HttpResponse>) -> SourceError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
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

fn classify_uncoded<E>(
    caller: Caller<'_>,
    operation: &str,
    err: &SdkError<E, HttpResponse>,
    code: &str,
    message: &str,
    detail: &str,
) -> SourceError {
    // Timeouts and network failures are told by the error's type. Only what is left is read for
    // the credential chain's words, which say what to tell the user (configure, log in again).
    let network = match err {
        SdkError::TimeoutError(_) => true,
        SdkError::DispatchFailure(failure) => failure.is_timeout() || failure.is_io(),
        _ => false,
    };
    let lower = detail.to_lowercase();
    if !network
        && (lower.contains("no providers in chain")
            || lower.contains("credentialsnotloaded")
            || lower.contains("no credentials"))
    {
        return SourceError::NoCredentials;
    }
    if !network && lower.contains("sso") && (lower.contains("expired") || lower.contains("token")) {
        return SourceError::Credentials(login_hint(caller.profile, "the SSO session has expired"));
    }
    let service = caller.service.to_string();
    let status = err.raw_response().map(|r| r.status().as_u16());
    let (fault, message) = match err {
        SdkError::TimeoutError(_) => (Fault::Timeout, format!("{operation} timed out")),
        SdkError::DispatchFailure(failure) if failure.is_timeout() => {
            (Fault::Timeout, format!("{operation} timed out"))
        }
        SdkError::DispatchFailure(_) => (Fault::Unreachable, format!("cannot reach the endpoint: {detail}")),
        SdkError::ConstructionFailure(_) => (Fault::Local, format!("{operation}: {detail}")),
        _ if status == Some(429) => {
            return SourceError::Throttled { service, message: format!("{operation}: HTTP 429") };
        }
        _ => {
            let fault = match status {
                Some(s) if s >= 500 => Fault::ServerError,
                Some(s) if s >= 400 => Fault::Rejected,
                // A body that does not parse, or no response at all.
                _ => Fault::Local,
            };
            let text = match (code.is_empty(), status) {
                (false, _) => format!("{operation}: {code}: {message}"),
                (true, Some(s)) => format!("{operation}: HTTP {s}: {detail}"),
                (true, None) => format!("{operation}: {detail}"),
            };
            (fault, text)
        }
    };
    SourceError::Service { service, fault, message }
}

pub(super) fn login_hint(profile: Option<&str>, what: &str) -> String {
    match profile {
        Some(p) => format!("{what}; run `aws sso login --profile {p}` (or refresh the profile's credentials)"),
        None => format!("{what}; refresh your credentials (for SSO: aws sso login)"),
    }
}
