//! SDK errors as errors a person can act on: which service, which IAM action, what to do.

use crate::source::{Fault, Service, SourceError};
use aws_sdk_sts::config::http::HttpResponse;
use aws_sdk_sts::error::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// Who is asking: the service (its name and IAM prefix come from the service table), and the
/// profile for login hints.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    pub service: Service,
    pub profile: Option<&'a str>,
}

pub fn classify<E>(caller: Caller<'_>, operation: &str, err: &SdkError<E, HttpResponse>) -> SourceError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let code = err.code().unwrap_or_default();
    let message = one_line(err.message().unwrap_or_default());
    // The SDK's full account of the error (every cause, the raw response) is for the log file; the
    // screen and stderr get one line.
    let detail = DisplayErrorContext(err).to_string();
    tracing::debug!(service = caller.service.name(), operation, detail = %detail, "AWS call failed");
    let service = caller.service;
    if let Some(hint) = service.not_enabled_hint(code, operation) {
        return SourceError::NotEnabled { service, hint: hint.into() };
    }
    match code {
        "AccessDeniedException"
        | "AccessDenied"
        | "UnauthorizedOperation"
        | "UnauthorizedException"
        | "AuthorizationErrorException"
        | "NotAuthorizedException" => SourceError::AccessDenied {
            action: format!("{}:{operation}", service.iam_prefix()),
            message: if message.is_empty() { code.to_string() } else { message },
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
) -> SourceError
where
    E: std::error::Error + 'static,
{
    // A role STS refused to hand out (a member account's role missing, a trust policy or external
    // id that does not match) is not the network's fault, and waiting does not fix it. Other
    // credential failures (an expired SSO session, a provider that timed out) go on below.
    if let Some(refused) = super::credentials::credentials_error(err).and_then(super::credentials::assume_role_refusal)
    {
        return SourceError::Credentials(format!("{operation}: no credentials: {}", one_line(&refused)));
    }
    // Timeouts and network failures are told by the error's type. Only what is left is read for
    // the credential chain's words, which say what to tell the user (configure, log in again).
    // Only an error with no response is read at all: a response's body and headers are the
    // server's (or a proxy's) words, and must never make an error read as a credentials problem.
    let skip_text = match err {
        SdkError::TimeoutError(_) => true,
        SdkError::DispatchFailure(failure) => failure.is_timeout() || failure.is_io(),
        _ => err.raw_response().is_some(),
    };
    let lower = detail.to_lowercase();
    if !skip_text
        && (lower.contains("no providers in chain")
            || lower.contains("credentialsnotloaded")
            || lower.contains("no credentials"))
    {
        return SourceError::NoCredentials;
    }
    if !skip_text && lower.contains("sso") && (lower.contains("expired") || lower.contains("token")) {
        return SourceError::Credentials(login_hint(caller.profile, "the SSO session has expired"));
    }
    let service = caller.service;
    let raw = err.raw_response();
    let status = raw.map(|r| r.status().as_u16());
    // Where the service answered: the status and its request id, for a support case.
    let answered = raw.map(|r| match request_id(r) {
        Some(id) => format!("HTTP {}, request id {id}", r.status().as_u16()),
        None => format!("HTTP {}", r.status().as_u16()),
    });
    let (fault, text) = match err {
        SdkError::TimeoutError(_) => (Fault::Timeout, format!("{operation} timed out")),
        SdkError::DispatchFailure(failure) if failure.is_timeout() => {
            (Fault::Timeout, format!("{operation} timed out"))
        }
        SdkError::DispatchFailure(_) => {
            (Fault::Unreachable, format!("{operation}: cannot reach the endpoint ({})", io_cause(err)))
        }
        SdkError::ConstructionFailure(_) => (Fault::Local, format!("{operation}: {}", root_cause(err))),
        _ if status == Some(429) => {
            return SourceError::Throttled { service, message: format!("{operation}: HTTP 429") };
        }
        _ if !code.is_empty() => {
            let fault = match status {
                Some(s) if s >= 500 => Fault::ServerError,
                Some(s) if s >= 400 => Fault::Rejected,
                _ => Fault::Malformed,
            };
            let mut text = format!("{operation}: {code}");
            if !message.is_empty() {
                text = format!("{text}: {message}");
            }
            (fault, format!("{text} ({})", answered.unwrap_or_else(|| "no response".into())))
        }
        // No error code: the answer was cut off, or it is not the service's (an HTML error page,
        // a body that does not parse).
        _ => {
            let answered = answered.unwrap_or_else(|| "no response".into());
            let what = match raw.and_then(|r| r.headers().get("content-type")) {
                Some(t) if t.starts_with("text/html") => "an HTML page instead of the service's answer",
                _ => "an answer that does not parse",
            };
            let (fault, what) = match status {
                _ if has_io_cause(err) => (Fault::Unreachable, "the connection broke off mid-answer"),
                Some(s) if s >= 500 => (Fault::ServerError, what),
                Some(s) if s >= 400 => (Fault::Rejected, what),
                _ => (Fault::Malformed, what),
            };
            tracing::warn!(service = caller.service.name(), operation, detail = %detail, "unexpected response");
            (fault, format!("{operation}: {what} ({answered})"))
        }
    };
    SourceError::Service { service, fault, message: text }
}

/// The request id AWS gives every answer (`x-amzn-RequestId`; `x-amz-request-id` on S3-style
/// services).
fn request_id(response: &HttpResponse) -> Option<String> {
    let headers = response.headers();
    headers.get("x-amzn-requestid").or_else(|| headers.get("x-amz-request-id")).map(one_line)
}

/// The causes of an error, outermost first.
fn causes<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(err), |e| e.source())
}

fn has_io_cause(err: &(dyn std::error::Error + 'static)) -> bool {
    causes(err).any(|e| e.is::<std::io::Error>())
}

/// What the network said, in a few words: the I/O error's kind when there is one.
fn io_cause(err: &(dyn std::error::Error + 'static)) -> String {
    match causes(err).find_map(|e| e.downcast_ref::<std::io::Error>()) {
        Some(io) => match io.kind() {
            std::io::ErrorKind::ConnectionReset => "connection reset".into(),
            std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
            std::io::ErrorKind::ConnectionAborted => "connection aborted".into(),
            std::io::ErrorKind::UnexpectedEof => "connection closed early".into(),
            _ => one_line(&io.to_string()),
        },
        None => root_cause(err),
    }
}

/// The innermost cause's own words: the one line that says most.
fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    causes(err).last().map(|e| one_line(&e.to_string())).unwrap_or_default()
}

/// Text from a service or a library as one short line: line breaks and runs of spaces collapsed,
/// cut at 200 characters.
pub(crate) fn one_line(text: &str) -> String {
    let mut line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((cut, _)) = line.char_indices().nth(200) {
        line.truncate(cut);
        line.push('…');
    }
    line
}

pub(super) fn login_hint(profile: Option<&str>, what: &str) -> String {
    match profile {
        Some(p) => {
            format!("{what}; :login runs `aws sso login --profile {p}` here (or refresh the profile's credentials)")
        }
        None => format!("{what}; refresh your credentials (for SSO, :login runs aws sso login here)"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::source::ErrorKind;
    use aws_sdk_sts::error::{ConnectorError, ErrorMetadata};
    use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError;
    use aws_smithy_types::body::SdkBody;

    type Error = SdkError<GetCallerIdentityError, HttpResponse>;
    const HUB: Caller<'static> = Caller { service: Service::SecurityHub, profile: None };

    fn response(status: u16, content_type: &'static str, body: &'static str) -> HttpResponse {
        let mut response = HttpResponse::new(status.try_into().unwrap(), SdkBody::from(body));
        response.headers_mut().insert("content-type", content_type);
        response.headers_mut().insert("x-amzn-RequestId", "req-7f3a");
        response
    }

    /// What the SDK makes of a body its parser rejects.
    fn unparsable(status: u16, content_type: &'static str, body: &'static str) -> Error {
        SdkError::response_error(
            "malformed JSON error body:\nError at offset 0: unexpected token '<'",
            response(status, content_type, body),
        )
    }

    fn assert_one_line(error: &SourceError) {
        let text = error.to_string();
        assert!(!text.contains('\n') && text.len() < 300, "one short line: {text}");
        assert!(!text.contains("ResponseError") && !text.contains("SdkBody"), "no debug dump: {text}");
    }

    #[test]
    fn an_html_error_page_is_one_line_with_status_and_request_id() {
        let page = "<html>\n<body><h1>500 Internal Server Error</h1></body>\n</html>";
        let error = classify(HUB, "GetFindings", &unparsable(500, "text/html", page));
        assert_eq!(
            error.to_string(),
            "Security Hub: GetFindings: an HTML page instead of the service's answer (HTTP 500, request id req-7f3a)"
        );
        assert_eq!(error.kind(), ErrorKind::ServerError);
        assert_one_line(&error);
    }

    #[test]
    fn a_body_that_does_not_parse_is_reported_not_retried_sooner() {
        let error = classify(HUB, "GetFindings", &unparsable(200, "application/json", "not json"));
        assert_eq!(
            error.to_string(),
            "Security Hub: GetFindings: an answer that does not parse (HTTP 200, request id req-7f3a)"
        );
        assert_eq!(error.kind(), ErrorKind::Malformed);
        assert!(!error.kind().is_transient());
    }

    #[test]
    fn a_body_cut_off_by_the_network_is_transient() {
        let eof = std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "end of file before message length reached");
        let err: Error = SdkError::response_error(eof, response(200, "application/json", "{"));
        let error = classify(HUB, "GetFindings", &err);
        assert_eq!(error.kind(), ErrorKind::Unreachable);
        assert!(error.to_string().contains("broke off mid-answer (HTTP 200, request id req-7f3a)"), "{error}");
    }

    #[test]
    fn a_reset_connection_names_the_reset_only() {
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        let err: Error = SdkError::dispatch_failure(ConnectorError::io(Box::new(reset)));
        let error = classify(HUB, "GetFindings", &err);
        assert_eq!(error.to_string(), "Security Hub: GetFindings: cannot reach the endpoint (connection reset)");
        assert_eq!(error.kind(), ErrorKind::Unreachable);
    }

    #[test]
    fn a_coded_server_error_keeps_its_code_and_gains_status_and_request_id() {
        let meta = ErrorMetadata::builder().code("InternalFailure").message("We\nfailed").build();
        let err: Error =
            SdkError::service_error(GetCallerIdentityError::generic(meta), response(500, "application/json", "{}"));
        let error = classify(HUB, "GetFindings", &err);
        assert_eq!(
            error.to_string(),
            "Security Hub: GetFindings: InternalFailure: We failed (HTTP 500, request id req-7f3a)"
        );
        assert_eq!(error.kind(), ErrorKind::ServerError);
    }

    #[test]
    fn long_service_text_is_cut() {
        let long = "x".repeat(1000);
        assert_eq!(one_line(&long).chars().count(), 201);
        assert_eq!(one_line("a\r\n\tb  c"), "a b c");
    }
}
