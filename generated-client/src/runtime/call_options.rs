//! Settings of one call: extra headers, a timeout and a retry policy that apply to it alone.

use std::time::Duration;

use super::client::Client;
use super::retry::RetryPolicy;

/// What one call changes of the client's settings, given to the `with_options` method of any
/// request builder (or to [`Client::with_call_options`] for every call made through the
/// client it returns).
///
/// ```no_run
/// # async fn run(client: itwin_platform::Client) -> Result<(), itwin_platform::Error> {
/// use std::time::Duration;
/// use itwin_platform::runtime::{CallOptions, RetryPolicy};
///
/// let roles = client
///     .access_control()
///     .get_itwin_roles("ae8f3a5c-2d1b-4b8e-9d47-1f2a3b4c5d6e")
///     .with_options(
///         CallOptions::new()
///             .header("x-trace-tag", "nightly-audit")
///             .timeout(Duration::from_secs(5))
///             .retry_policy(RetryPolicy::none()),
///     )
///     .send()
///     .await?;
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

impl Client {
    /// This client with `options` applied to the calls made through it: headers are added to
    /// any given before, a timeout or retry policy replaces the client's. Connections and
    /// credentials stay shared.
    pub fn with_call_options(&self, options: CallOptions) -> Client {
        let mut client = self.clone();
        let settings = &mut client.settings;
        if !options.headers.is_empty() {
            let mut headers = settings.headers.to_vec();
            headers.extend(options.headers);
            settings.headers = headers.into();
        }
        if let Some(timeout) = options.timeout {
            settings.timeout = timeout;
        }
        if let Some(retry) = options.retry {
            settings.retry = retry;
        }
        client
    }
}
