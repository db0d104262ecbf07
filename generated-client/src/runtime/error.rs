//! What can go wrong with a call, as types a caller can match on.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};

use super::auth::AuthError;
use super::intercept::InterceptorError;
use super::paging::PagingError;
use super::redirect::RedirectError;

/// How much of a body an error message quotes.
const EXCERPT_BYTES: usize = 200;

/// Why a call failed.
///
/// ```no_run
/// # async fn run(client: itwin_platform::Client) -> Result<(), itwin_platform::Error> {
/// match client.itwins().delete_itwin_image("3fa85f64-5717-4562-b3fc-2c963f66afa6").send().await {
///     Ok(()) => println!("deleted"),
///     Err(e) if e.code() == Some("ImageNotFound") => println!("there was no image"),
///     Err(e) => return Err(e),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error status.
    Api(Box<ApiError>),
    /// The service answered with success, but the body is not what the definition documents.
    Decode(Box<DecodeError>),
    /// No answer: the connection failed or timed out.
    Transport {
        /// The operation id, such as `get-itwin-roles`.
        operation: &'static str,
        /// The HTTP client's error.
        source: reqwest::Error,
    },
    /// The token provider could not supply a token.
    Auth {
        /// The operation id, such as `get-itwin-roles`.
        operation: &'static str,
        /// The token provider's error.
        source: AuthError,
    },
    /// The request was refused before anything was sent.
    InvalidRequest {
        /// The operation id, such as `get-itwin-roles`.
        operation: &'static str,
        /// What is wrong with the request.
        reason: String,
    },
    /// The answer's body is larger than the client accepts
    /// ([`ClientBuilder::max_response_bytes`](super::ClientBuilder::max_response_bytes)).
    ResponseTooLarge {
        /// The operation id, such as `get-itwin-roles`.
        operation: &'static str,
        /// The answer's status.
        status: StatusCode,
        /// The most bytes the client reads of a body.
        limit: usize,
    },
    /// The service's paging links cannot be followed to an end: a next link repeats an earlier
    /// page, points to another resource, or the list goes on beyond
    /// [`ClientBuilder::max_pages`](super::ClientBuilder::max_pages). The pages before it were
    /// delivered.
    Paging {
        /// The operation id, such as `get-itwin-roles`.
        operation: &'static str,
        /// Which link could not be followed, and why.
        problem: PagingError,
    },
    /// The service redirected the call where the client does not follow
    /// ([`RedirectPolicy`](super::RedirectPolicy)): too many hops, a host not allowed, or plain
    /// HTTP.
    Redirect {
        /// The operation id, such as `get-itwin-roles`.
        operation: &'static str,
        /// Which redirect was not followed, and why.
        problem: RedirectError,
    },
    /// An [`Interceptor`](super::Interceptor) refused the call before anything was sent.
    Interceptor {
        /// The operation id, such as `get-itwin-roles`.
        operation: &'static str,
        /// The interceptor's error.
        source: InterceptorError,
    },
    /// A [`Waiter`](super::Waiter) ended without the job succeeding: it reached a failure
    /// state, or the wait timed out.
    Wait(Box<WaitError>),
    /// An attempt failed with `cause`, which the retry policy would try again, but the request's
    /// body is one-shot (a stream or an open file, see
    /// [`UploadBody`](super::UploadBody)) and that attempt consumed it: the request was not sent
    /// again. [`status`](Self::status) and [`api`](Self::api) are `cause`'s.
    BodyNotReplayable {
        /// The operation id, such as `update-itwin-image`.
        operation: &'static str,
        /// Why the attempt that consumed the body failed.
        cause: Box<Error>,
    },
    /// Reading the file of an upload (or of a multipart form's part), or writing a streamed
    /// answer to its destination, failed.
    Io {
        /// The operation id, such as `get-imodel-thumbnail`.
        operation: &'static str,
        /// The error of the file or writer.
        source: std::io::Error,
    },
}

impl Error {
    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::BodyNotReplayable { cause, .. } => cause.status(),
            _ => None,
        }
    }

    /// The service's error code, such as `ItwinNotFound`, when it sent one.
    pub fn code(&self) -> Option<&str> {
        self.api().and_then(ApiError::code)
    }

    /// The service's error code as the `ErrorCode` enum of an API module, so that a typo in a
    /// code is a compile error; a code the definition does not list is its `Unknown` variant.
    ///
    /// ```no_run
    /// # async fn run(client: itwin_platform::Client) -> Result<(), itwin_platform::Error> {
    /// use itwin_platform::itwins::models::ErrorCode;
    ///
    /// match client.itwins().get_itwin("3fa85f64-5717-4562-b3fc-2c963f66afa6").send().await {
    ///     Ok(itwin) => println!("{:?}", itwin.itwin.display_name),
    ///     Err(e) if e.code_as() == Some(ErrorCode::ITwinNotFound) => println!("no such iTwin"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn code_as<C: From<String>>(&self) -> Option<C> {
        self.code().map(|code| C::from(code.to_owned()))
    }

    /// The error answer of the service, if that is what this is.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            Error::BodyNotReplayable { cause, .. } => cause.api(),
            _ => None,
        }
    }

    /// The operation id of the call that failed, such as `get-itwin-roles`.
    pub fn operation(&self) -> &'static str {
        match self {
            Error::Api(e) => e.operation,
            Error::Decode(e) => e.operation,
            Error::Transport { operation, .. }
            | Error::Auth { operation, .. }
            | Error::InvalidRequest { operation, .. }
            | Error::ResponseTooLarge { operation, .. }
            | Error::Paging { operation, .. }
            | Error::Redirect { operation, .. }
            | Error::Interceptor { operation, .. }
            | Error::BodyNotReplayable { operation, .. }
            | Error::Io { operation, .. } => operation,
            Error::Wait(e) => e.operation,
        }
    }

    /// The id the platform gave the failed request (`X-Correlation-Id`, or `X-Request-Id` /
    /// `Request-Id`), to quote to Bentley support: of an error status or of an answer that did
    /// not decode; `None` when the service did not answer or sent none.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id(),
            Error::Decode(e) => e.request_id(),
            Error::BodyNotReplayable { cause, .. } => cause.request_id(),
            _ => None,
        }
    }

    /// Whether the failure is transient, so that the same request may succeed later: a 429, a
    /// 502, 503 or 504, or no answer. This is the classification the client's own
    /// [`RetryPolicy`](super::RetryPolicy) uses, which moreover repeats a POST or PATCH only when
    /// the service cannot have acted on it (a 429, or a connection never made).
    pub fn is_retryable(&self) -> bool {
        super::retry::transience(self) != super::retry::Transience::Permanent
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::Transport { operation, source } => {
                write!(f, "{operation}: no response: {source}")
            }
            Error::Auth { operation, source } => {
                write!(f, "{operation}: no access token: {source}")
            }
            Error::InvalidRequest { operation, reason } => {
                write!(f, "{operation}: request not sent: {reason}")
            }
            Error::ResponseTooLarge {
                operation,
                status,
                limit,
            } => write!(
                f,
                "{operation}: {status} response body is larger than the {limit} bytes this client accepts"
            ),
            Error::Paging { operation, problem } => write!(f, "{operation}: paging stopped: {problem}"),
            Error::Redirect { operation, problem } => {
                write!(f, "{operation}: redirect not followed: {problem}")
            }
            Error::Interceptor { operation, source } => {
                write!(f, "{operation}: request not sent: an interceptor refused it: {source}")
            }
            Error::Wait(e) => e.fmt(f),
            Error::BodyNotReplayable { operation, cause } => write!(
                f,
                "{operation}: not retried: the request body is a one-shot stream that the failed attempt consumed (send bytes or a path to allow retries); the attempt failed with: {cause}"
            ),
            Error::Io { operation, source } => write!(f, "{operation}: body not transferred: {source}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Auth { source, .. } => Some(source),
            Error::Interceptor { source, .. } => Some(source),
            Error::BodyNotReplayable { cause, .. } => Some(cause.as_ref()),
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Why a [`Waiter`](super::Waiter) ended without success.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WaitError {
    /// The operation id of the poll, such as `get-extraction-status`.
    pub operation: &'static str,
    /// What ended the wait.
    pub kind: WaitErrorKind,
    /// The state the last poll reported, if any.
    pub last_state: Option<String>,
}

/// What ended a wait.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WaitErrorKind {
    /// The job reached a failure state (in [`WaitError::last_state`]); `body` is the poll's
    /// answer as JSON, for what the state alone does not say.
    Failed {
        /// The poll's answer, if it was JSON.
        body: Option<serde_json::Value>,
    },
    /// The next poll would have started after the waiter's
    /// [`max_wait`](super::Waiter::max_wait): `waited` is the time it would have been.
    TimedOut {
        /// How long the wait would have been at the next poll.
        waited: Duration,
    },
    /// The answer that started the job has no value at this JSON pointer, which the poll needs
    /// as an argument.
    MissingArgument {
        /// The JSON pointer into the start answer.
        pointer: &'static str,
    },
}

impl fmt::Display for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operation = self.operation;
        let state = self.last_state.as_deref().unwrap_or("unknown");
        match &self.kind {
            WaitErrorKind::Failed { .. } => {
                write!(f, "{operation}: the job ended in the failure state `{state}`")
            }
            WaitErrorKind::TimedOut { waited } => write!(
                f,
                "{operation}: gave up waiting after {} s; the last state was `{state}`",
                waited.as_secs()
            ),
            WaitErrorKind::MissingArgument { pointer } => write!(
                f,
                "{operation}: cannot poll: the answer that started the job has no value at `{pointer}`"
            ),
        }
    }
}

/// The error body the platform's APIs send: `{"error": {"code", "message", "target", "details"}}`.
///
/// The API modules use it for their definitions' `ErrorResponse` schema, so that an error
/// example or a mocked error answer is this same type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceErrorResponse {
    /// The error.
    pub error: ServiceError,
}

impl ServiceErrorResponse {
    /// The envelope of `error`.
    pub fn new(error: ServiceError) -> Self {
        ServiceErrorResponse { error }
    }
}

/// What went wrong, as the service says it (the `Error` schema of the APIs' definitions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceError {
    /// One of a server-defined set of codes, such as `ItwinNotFound`.
    pub code: String,
    /// A human-readable description of the error.
    pub message: String,
    /// What the error is about, such as a parameter name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The individual problems behind the error, e.g. one per invalid property of a body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<ServiceErrorDetail>,
    /// Properties the platform sends beyond these.
    #[serde(flatten)]
    pub additional_properties: BTreeMap<String, serde_json::Value>,
}

impl ServiceError {
    /// An error with a code and a message, and nothing else.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ServiceError {
            code: code.into(),
            message: message.into(),
            target: None,
            details: Vec::new(),
            additional_properties: BTreeMap::new(),
        }
    }
}

/// One entry of [`ServiceError::details`], e.g. one invalid property of a request body (the
/// `ErrorDetails` schema of the APIs' definitions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceErrorDetail {
    /// One of a server-defined set of codes, such as `InvalidValue`.
    pub code: String,
    /// A human-readable description of the error.
    pub message: String,
    /// What the error is about, such as a property name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Properties the platform sends beyond these, such as the iModels API's `innerError`
    /// (see [`inner_code`](Self::inner_code)).
    #[serde(flatten)]
    pub additional_properties: BTreeMap<String, serde_json::Value>,
}

impl ServiceErrorDetail {
    /// A detail with a code and a message, and nothing else.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ServiceErrorDetail {
            code: code.into(),
            message: message.into(),
            target: None,
            additional_properties: BTreeMap::new(),
        }
    }

    /// The more specific code of `innerError.code`, which the iModels API sends.
    pub fn inner_code(&self) -> Option<&str> {
        self.additional_properties
            .get("innerError")?
            .get("code")?
            .as_str()
    }
}

/// An error status from the service, with what it said about it.
#[derive(Debug)]
pub struct ApiError {
    operation: &'static str,
    status: StatusCode,
    error: Option<ServiceError>,
    retry_after: Option<Duration>,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl ApiError {
    pub(super) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
    ) -> Self {
        let error = serde_json::from_slice::<ServiceErrorResponse>(&body)
            .ok()
            .map(|e| e.error);
        let retry_after = headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| super::retry_after::parse(v, std::time::SystemTime::now()));
        ApiError {
            operation,
            status,
            error,
            retry_after,
            headers,
            body,
        }
    }

    /// The operation id, such as `get-itwin-roles`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The answer's status, such as 404.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The decoded error body; `None` when the body was not in the platform's error format.
    pub fn error(&self) -> Option<&ServiceError> {
        self.error.as_ref()
    }

    /// The error body's code, such as `ItwinNotFound`, if the body was in the platform's error format.
    pub fn code(&self) -> Option<&str> {
        self.error.as_ref().map(|e| e.code.as_str())
    }

    /// The error body's message, if the body was in the platform's error format.
    pub fn message(&self) -> Option<&str> {
        self.error.as_ref().map(|e| e.message.as_str())
    }

    /// What the error is about (such as a parameter name), if the body says.
    pub fn target(&self) -> Option<&str> {
        self.error.as_ref().and_then(|e| e.target.as_deref())
    }

    /// The error body's details; empty when it has none.
    pub fn details(&self) -> &[ServiceErrorDetail] {
        self.error.as_ref().map_or(&[], |e| &e.details)
    }

    /// How long the service asked to wait before retrying (429 and some 503s).
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The id the platform gave the request (see [`Error::request_id`]).
    pub fn request_id(&self) -> Option<&str> {
        super::response::request_id(&self.headers)
    }

    /// The answer's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw body, for what the error format does not cover.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation, self.status)?;
        match &self.error {
            Some(e) => {
                write!(f, ": {}: {}", e.code, e.message)?;
                if let Some(target) = &e.target {
                    write!(f, " (target: {target})")?;
                }
            }
            None if !self.body.is_empty() => write!(f, ": {}", excerpt(&self.body, 0))?,
            None => {}
        }
        if let Some(wait) = self.retry_after {
            write!(f, "; retry after {}s", wait.as_secs())?;
        }
        Ok(())
    }
}

/// A success status whose body does not decode into the documented type.
#[derive(Debug)]
pub struct DecodeError {
    operation: &'static str,
    status: StatusCode,
    /// Where in the JSON the failure is, such as `roles[0].id`.
    path: String,
    line: usize,
    column: usize,
    message: String,
    excerpt: String,
    request_id: Option<String>,
}

impl DecodeError {
    pub(super) fn new(
        operation: &'static str,
        status: StatusCode,
        body: &[u8],
        path: String,
        inner: &serde_json::Error,
    ) -> Self {
        let offset = byte_offset(body, inner.line(), inner.column());
        DecodeError {
            operation,
            status,
            path,
            line: inner.line(),
            column: inner.column(),
            message: inner.to_string(),
            excerpt: excerpt(body, offset),
            request_id: None,
        }
    }

    /// A success status the definition does not document, so there is no type to decode into.
    pub(super) fn undocumented_status(
        operation: &'static str,
        status: StatusCode,
        body: &[u8],
    ) -> Self {
        let message = format!("the definition documents no {} answer", status.as_u16());
        Self::of_whole_body(operation, status, message, body, 0)
    }

    /// A text answer that is not UTF-8.
    pub(super) fn not_text(
        operation: &'static str,
        status: StatusCode,
        error: &std::string::FromUtf8Error,
    ) -> Self {
        let offset = error.utf8_error().valid_up_to();
        let message = format!("the text answer is not UTF-8 from byte {offset}");
        Self::of_whole_body(operation, status, message, error.as_bytes(), offset)
    }

    /// A failure of the body as a whole, not at a place in its JSON; the excerpt is taken
    /// around `offset`.
    fn of_whole_body(
        operation: &'static str,
        status: StatusCode,
        message: String,
        body: &[u8],
        offset: usize,
    ) -> Self {
        DecodeError {
            operation,
            status,
            path: String::new(),
            line: 1,
            column: 1,
            message,
            excerpt: excerpt(body, offset),
            request_id: None,
        }
    }

    /// The operation id, such as `get-itwin-roles`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The answer's status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The path of the failing value in the body, such as `roles[0].id`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Line and column (1-based) of the failure in the body.
    pub fn position(&self) -> (usize, usize) {
        (self.line, self.column)
    }

    /// The id the platform gave the request (see [`Error::request_id`]).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The same error, with the request id of the answer's headers.
    pub(super) fn with_request_id(mut self, headers: &HeaderMap) -> Self {
        self.request_id = super::response::request_id(headers).map(str::to_owned);
        self
    }

    /// Up to 200 bytes of the body around the failure.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} response does not match the definition at `{}` (line {}, column {}): {}; body near there: {}",
            self.operation, self.status, self.path, self.line, self.column, self.message, self.excerpt
        )
    }
}

fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let line_start: usize = body
        .split(|b| *b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    (line_start + column.saturating_sub(1)).min(body.len())
}

/// At most [`EXCERPT_BYTES`] of `body` around `offset`, as text.
fn excerpt(body: &[u8], offset: usize) -> String {
    let start = offset.saturating_sub(EXCERPT_BYTES / 2);
    let end = (start + EXCERPT_BYTES).min(body.len());
    let mut text = String::from_utf8_lossy(&body[start..end]).into_owned();
    text.retain(|c| !c.is_control() || c == ' ');
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < body.len() { "…" } else { "" };
    format!("{prefix}{text}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_bounded_and_centred() {
        let body = format!("{}X{}", "a".repeat(1000), "b".repeat(1000));
        let text = excerpt(body.as_bytes(), 1000);
        assert!(text.contains('X'));
        assert!(text.len() <= EXCERPT_BYTES + 2 * '…'.len_utf8());
        assert!(text.starts_with('…') && text.ends_with('…'));
    }

    #[test]
    fn offsets_follow_lines_and_columns() {
        assert_eq!(byte_offset(b"ab\ncd\nef", 3, 2), 7);
        assert_eq!(byte_offset(b"ab", 9, 9), 2);
    }
}
