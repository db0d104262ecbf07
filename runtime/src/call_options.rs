//! Settings of one call: extra headers, a timeout and a retry policy that apply to it alone.

use std::time::Duration;

use super::engine::CallSettings;
use super::retry::RetryPolicy;

/// What one call changes of the client's settings, given to the `with_options` method of any
/// generated request builder (or to [`Client::with_call_options`](super::Client::with_call_options)
/// for every call made through the client it returns).
///
/// ```no_run
/// # async fn run(client: itwin_platform_runtime::Client) -> Result<(), itwin_platform_runtime::Error> {
/// use std::time::Duration;
/// use itwin_platform_runtime::{CallOptions, HttpMethod, Request, RetryPolicy};
///
/// let audited = client.with_call_options(
///     CallOptions::new()
///         .header("x-trace-tag", "nightly-audit")
///         .timeout(Duration::from_secs(5))
///         .retry_policy(RetryPolicy::none()),
/// );
/// let request = Request::new("get-itwin-roles", HttpMethod::Get, "/accesscontrol/itwins/{id}/roles", "application/json")
///     .path_param("id", &"ae8f3a5c-2d1b-4b8e-9d47-1f2a3b4c5d6e");
/// let roles = audited.execute_json::<serde_json::Value>(request).await?;
/// # let _ = roles;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct CallOptions {
    headers: Vec<(String, String)>,
    timeout: Option<Option<Duration>>,
    retry: Option<RetryPolicy>,
}

impl CallOptions {
    /// Options that change nothing.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// Sends this header on every attempt of the call, after the operation's own headers (a
    /// name the operation sets too is sent twice). `Authorization` is the client's: a value
    /// given here is replaced by the credentials. A name or value that is not allowed in a
    /// header fails the call with [`Error::InvalidRequest`](super::Error::InvalidRequest).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Another per-attempt timeout (`None`: no timeout).
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = Some(timeout.into());
        self
    }

    /// Another retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
}

impl CallOptions {
    /// Applies these options to `settings`: headers are added to any given before, a timeout
    /// or retry policy replaces the one there.
    pub(crate) fn apply_to(self, settings: &mut CallSettings) {
        if !self.headers.is_empty() {
            let mut headers = settings.headers.to_vec();
            headers.extend(self.headers);
            settings.headers = headers.into();
        }
        if let Some(timeout) = self.timeout {
            settings.timeout = timeout;
        }
        if let Some(retry) = self.retry {
            settings.retry = retry;
        }
    }
}
