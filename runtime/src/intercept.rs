//! Interceptors: code of the caller's that runs around every attempt of every call, to add
//! headers, refuse a call, or measure.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::error::{Error, InterceptorError};
use super::request::HttpMethod;

/// Runs before and after each attempt of every call of a client (each retry is an attempt);
/// registered with [`ClientBuilder::interceptor`](super::ClientBuilder::interceptor), run in the
/// order registered.
///
/// An interceptor never sees the credentials: the `Authorization` header is added after
/// [`before_attempt`](Self::before_attempt) has run, and replaces any it set.
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use itwin_platform_runtime::{AttemptOutcome, AttemptRequest, Interceptor, InterceptorError};
///
/// /// Tags every request with the tenant, and counts the attempts that failed.
/// struct Tenant {
///     name: &'static str,
///     failures: AtomicU64,
/// }
///
/// impl Interceptor for Tenant {
///     fn before_attempt(&self, request: &mut AttemptRequest<'_>) -> Result<(), InterceptorError> {
///         if request.operation() == "delete-itwin" {
///             return Err(InterceptorError::new("this tool never deletes iTwins"));
///         }
///         request.insert_header("x-tenant", self.name)
///     }
///
///     fn after_attempt(&self, outcome: &AttemptOutcome<'_>) {
///         if outcome.error().is_some() {
///             self.failures.fetch_add(1, Ordering::Relaxed);
///         }
///     }
/// }
///
/// let client = itwin_platform_runtime::Client::builder()
///     .access_token("token")
///     .interceptor(Tenant { name: "contoso", failures: AtomicU64::new(0) })
///     .build()?;
/// # Ok::<(), itwin_platform_runtime::BuildError>(())
/// ```
pub trait Interceptor: Send + Sync {
    /// Before the attempt is sent: read or change its headers, or refuse it with an error that
    /// fails the call ([`Error::Interceptor`](super::Error::Interceptor), never retried).
    fn before_attempt(&self, request: &mut AttemptRequest<'_>) -> Result<(), InterceptorError> {
        let _ = request;
        Ok(())
    }

    /// After the attempt, whether it succeeded or not.
    fn after_attempt(&self, outcome: &AttemptOutcome<'_>) {
        let _ = outcome;
    }
}

/// A shared interceptor, so that the caller keeps a handle on what it records.
impl<T: Interceptor + ?Sized> Interceptor for std::sync::Arc<T> {
    fn before_attempt(&self, request: &mut AttemptRequest<'_>) -> Result<(), InterceptorError> {
        (**self).before_attempt(request)
    }

    fn after_attempt(&self, outcome: &AttemptOutcome<'_>) {
        (**self).after_attempt(outcome)
    }
}

/// An attempt about to be sent, as an [`Interceptor`] sees it: everything but the credentials.
#[derive(Debug)]
pub struct AttemptRequest<'a> {
    pub(super) operation: &'static str,
    pub(super) method: HttpMethod,
    pub(super) url: &'a str,
    pub(super) attempt: u32,
    pub(super) headers: &'a mut HeaderMap,
}

impl AttemptRequest<'_> {
    /// The operation id, such as `get-itwin-roles`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The operation's HTTP method.
    pub fn method(&self) -> HttpMethod {
        self.method
    }

    /// The full URL, query included.
    pub fn url(&self) -> &str {
        self.url
    }

    /// 1 for the first attempt, 2 for the first retry, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The request's headers.
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// The request's headers, to add or change some before it is sent.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.headers
    }

    /// Sets a header, replacing any of that name; a name or value that is not allowed in a
    /// header is an error that names the header.
    pub fn insert_header(&mut self, name: &str, value: &str) -> Result<(), InterceptorError> {
        let (name, value) =
            super::header::header_pair(name, value).map_err(InterceptorError::new)?;
        self.headers.insert(name, value);
        Ok(())
    }
}

/// How an attempt went, as an [`Interceptor`] sees it.
#[derive(Debug)]
pub struct AttemptOutcome<'a> {
    pub(super) operation: &'static str,
    pub(super) method: HttpMethod,
    pub(super) attempt: u32,
    pub(super) duration: Duration,
    pub(super) status: Option<StatusCode>,
    pub(super) headers: Option<&'a HeaderMap>,
    pub(super) error: Option<&'a Error>,
}

impl AttemptOutcome<'_> {
    /// The operation id, such as `get-itwin-roles`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The operation's HTTP method.
    pub fn method(&self) -> HttpMethod {
        self.method
    }

    /// 1 for the first attempt, 2 for the first retry, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// From sending to the end of the answer (or the failure), redirects included.
    pub fn duration(&self) -> Duration {
        self.duration
    }

    /// The status of the answer, if the service answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The headers of the answer, if the service answered with success or an error status.
    pub fn response_headers(&self) -> Option<&HeaderMap> {
        self.headers
    }

    /// The id the platform gave the request (see [`Error::request_id`]).
    pub fn request_id(&self) -> Option<&str> {
        self.headers.and_then(super::response::request_id)
    }

    /// Why the attempt failed; `None` when it succeeded. A failed attempt may be retried.
    pub fn error(&self) -> Option<&Error> {
        self.error
    }
}
