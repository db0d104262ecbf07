//! The client of every iTwin Platform API of this crate: the runtime's [`runtime::Client`],
//! with an accessor per API (`client.itwins()`), which the generated `apis` module adds.

use std::fmt;
use std::ops::Deref;
use std::time::Duration;

use crate::runtime::{self, BuildError, CallOptions, RetryPolicy};

/// A client for all iTwin Platform APIs. Cheap to clone: clones share connections and
/// credentials.
///
/// Each API is an accessor (`client.itwins()`, `client.imodels()`...). The runtime's client
/// underneath ([`runtime::Client`], which it dereferences to) has what every generated client
/// shares: [`execute_json`](runtime::Client::execute_json) and the other calls of a
/// hand-made [`Request`](runtime::Request), [`pages`](runtime::Client::pages),
/// [`base_url`](runtime::Client::base_url).
///
/// ```
/// use itwin_platform::{Client, Environment};
///
/// let client = Client::builder().environment(Environment::Qa).access_token("token").build()?;
/// assert_eq!(client.base_url(), "https://qa-api.bentley.com");
/// # Ok::<(), itwin_platform::runtime::BuildError>(())
/// ```
#[derive(Clone)]
pub struct Client {
    runtime: runtime::Client,
}

/// Configures a [`Client`] (the runtime's builder, making this crate's client).
pub type ClientBuilder = runtime::ClientBuilder<Client>;

impl Client {
    /// A builder: set credentials (and optionally a base URL, retries, timeouts), then `build`.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the process environment (see [`ClientBuilder::from_vars`]).
    ///
    /// ```no_run
    /// // ITWIN_CLIENT_ID=... ITWIN_CLIENT_SECRET=... ITWIN_ENV=qa cargo run
    /// let client = itwin_platform::Client::from_env()?;
    /// # Ok::<(), itwin_platform::runtime::BuildError>(())
    /// ```
    pub fn from_env() -> Result<Client, BuildError> {
        ClientBuilder::from_env()?.build()
    }

    /// This client with another retry policy, for the calls made through it; connections and
    /// credentials stay shared.
    ///
    /// ```no_run
    /// # async fn run(client: itwin_platform::Client) -> Result<(), itwin_platform::Error> {
    /// use itwin_platform::runtime::RetryPolicy;
    ///
    /// // A delete that must not wait: fail at the first 429.
    /// client
    ///     .with_retry_policy(RetryPolicy::none())
    ///     .itwins()
    ///     .delete_itwin("ae8f3a5c-2d1b-4b8e-9d47-1f2a3b4c5d6e")
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Client {
        self.runtime.with_retry_policy(policy).into()
    }

    /// This client with another per-attempt timeout (`None`: no timeout), for the calls made
    /// through it.
    pub fn with_timeout(&self, timeout: impl Into<Option<Duration>>) -> Client {
        self.runtime.with_timeout(timeout).into()
    }

    /// This client with `options` applied to the calls made through it (see
    /// [`runtime::Client::with_call_options`]).
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
    pub fn with_call_options(&self, options: CallOptions) -> Client {
        self.runtime.with_call_options(options).into()
    }

    /// The typed transfers through the pre-signed links of the APIs' answers: Storage files,
    /// iModel baseline files, checkpoints and changesets, Mesh Export results, comparison
    /// results (see [`transfers`](crate::transfers)). They never send the client's credentials
    /// to the blob-storage host.
    pub fn transfers(&self) -> crate::transfers::Transfers {
        crate::transfers::Transfers::new(self)
    }
}

impl Deref for Client {
    type Target = runtime::Client;

    fn deref(&self) -> &runtime::Client {
        &self.runtime
    }
}

impl From<runtime::Client> for Client {
    fn from(runtime: runtime::Client) -> Self {
        Client { runtime }
    }
}

/// The runtime's client underneath, for an API client generated apart from this crate (`cargo
/// xtask generate`) that should share this one's connections and credentials.
impl From<Client> for runtime::Client {
    fn from(client: Client) -> Self {
        client.runtime
    }
}

/// As `From<Client>`; the API accessors use it.
impl From<&Client> for runtime::Client {
    fn from(client: &Client) -> Self {
        client.runtime.clone()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.runtime.fmt(f)
    }
}
