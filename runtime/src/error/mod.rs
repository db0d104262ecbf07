//! What can go wrong with a call, as types a caller can match on.

//!
//! [`Error`] is here; what it carries (an error answer, a body that did not decode, a wait
//! that failed, a list that could not be followed, a hook that refused) has a module each.

mod decode;
mod interceptor;
mod paging;
mod service;
mod transfer;
mod wait;

use std::fmt;

use reqwest::StatusCode;

use super::auth::AuthError;
use super::redirect::RedirectError;

pub use decode::DecodeError;
pub use interceptor::InterceptorError;
pub use paging::PagingError;
pub use service::{ApiError, ServiceError, ServiceErrorDetail, ServiceErrorResponse};
pub use transfer::{TransferError, TransferErrorKind};
pub use wait::{WaitError, WaitErrorKind};

/// Why a call failed.
///
/// ```no_run
/// # async fn run(client: itwin_platform_runtime::Client) -> Result<(), itwin_platform_runtime::Error> {
/// use itwin_platform_runtime::{HttpMethod, Request};
///
/// let delete = Request::new("delete-itwin-image", HttpMethod::Delete, "/itwins/{id}/image", "application/json")
///     .path_param("id", &"3fa85f64-5717-4562-b3fc-2c963f66afa6");
/// match client.execute_empty(delete).await {
///     Ok(_) => println!("deleted"),
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
    /// A transfer through a pre-signed URL, to or from a host outside the platform (blob
    /// storage), failed: [`Client::upload_presigned`](super::Client::upload_presigned),
    /// [`Client::download_presigned`](super::Client::download_presigned) and the helpers built
    /// on them. It never quotes the URL's query, which holds the signature.
    Transfer(Box<TransferError>),
}

impl From<TransferError> for Error {
    fn from(error: TransferError) -> Self {
        Error::Transfer(Box::new(error))
    }
}

impl Error {
    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::Decode(e) => Some(e.status()),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::BodyNotReplayable { cause, .. } => cause.status(),
            Error::Transfer(e) => e.status(),
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
    /// # async fn run(client: itwin_platform_runtime::Client) -> Result<(), itwin_platform_runtime::Error> {
    /// use itwin_platform_runtime::{HttpMethod, Request};
    ///
    /// // As a generated `models::ErrorCode` is: an enum of the documented codes.
    /// #[derive(PartialEq)]
    /// enum ErrorCode { ITwinNotFound, Unknown(String) }
    /// impl From<String> for ErrorCode {
    ///     fn from(code: String) -> Self {
    ///         if code == "iTwinNotFound" { ErrorCode::ITwinNotFound } else { ErrorCode::Unknown(code) }
    ///     }
    /// }
    ///
    /// let get = Request::new("get-itwin", HttpMethod::Get, "/itwins/{id}", "application/json")
    ///     .path_param("id", &"3fa85f64-5717-4562-b3fc-2c963f66afa6");
    /// match client.execute_json::<serde_json::Value>(get).await {
    ///     Ok(itwin) => println!("{}", itwin.body()["iTwin"]["displayName"]),
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
            Error::Api(e) => e.operation(),
            Error::Decode(e) => e.operation(),
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
            Error::Transfer(e) => e.operation(),
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
    /// 502, 503 or 504, or no answer (of a storage host: also a 408 or 500, as Azure asks). This is the classification the client's own
    /// [`RetryPolicy`](super::RetryPolicy) uses, which moreover repeats a POST or PATCH only when
    /// the service cannot have acted on it (a 429, or a connection never made).
    pub fn is_retryable(&self) -> bool {
        self.transience() != Transience::Permanent
    }

    /// Whether this failure may go away if the request is repeated, and whether the service
    /// may have acted on it.
    pub(crate) fn transience(&self) -> Transience {
        match self {
            Error::Api(api) if api.status() == StatusCode::TOO_MANY_REQUESTS => {
                Transience::RateLimited
            }
            Error::Api(api) if is_transient(api.status()) => Transience::MaybeApplied,
            Error::Transport { source, .. } if source.is_connect() => Transience::NotSent,
            Error::Transport { .. } => Transience::MaybeApplied,
            Error::Transfer(e) => e.transience(),
            _ => Transience::Permanent,
        }
    }

    /// How long the service (or storage host) asked to wait before the request is repeated.
    pub(crate) fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Error::Transfer(e) => e.retry_after(),
            other => other.api().and_then(ApiError::retry_after),
        }
    }
}

/// Whether a failure may go away if the request is repeated, and whether the service may have
/// acted on it: the one classification behind both the retry policy and
/// [`Error::is_retryable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transience {
    /// 429: the service refused the request without acting on it.
    RateLimited,
    /// The connection was never made, so nothing reached the service.
    NotSent,
    /// 502, 503, 504, or no answer after sending: the service may have acted on it.
    MaybeApplied,
    /// Repeating the same request gives the same answer.
    Permanent,
}

fn is_transient(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT
    )
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
            Error::Transfer(e) => e.fmt(f),
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
            Error::Transfer(e) => std::error::Error::source(e.as_ref()),
            _ => None,
        }
    }
}
