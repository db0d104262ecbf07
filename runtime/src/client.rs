//! The client, configured once with the environment, credentials and HTTP settings, and its
//! builder: the face of every call. What a call does on the wire is the [`Engine`]'s; a
//! list's pages are [`paging`](super::paging)'s.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::BoxStream;
use serde::de::DeserializeOwned;

use super::auth::{AccessToken, AuthError, StaticToken, TokenFn, TokenProvider};
use super::base_url::BaseUrl;
use super::call_options::CallOptions;
use super::credentials::{ApiKey, BasicAuth, Bearer, Credentials};
use super::download::ByteStream;
use super::engine::{Answer, CallSettings, Engine, Reading};
use super::env::{EnvError, Resolved, Settings};
use super::environment::Environment;
use super::error::Error;
use super::intercept::Interceptor;
use super::paging::{self, Page};
use super::redirect::RedirectPolicy;
use super::request::Request;
use super::response::ApiResponse;
use super::retry::RetryPolicy;

/// How long to wait for a connection by default.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one attempt may take by default, answer included.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest answer read by default: far above any page of the APIs, far below memory trouble.
const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
/// How many pages a stream reads at most by default: 10,000 pages of the APIs' largest page
/// size are millions of items, far beyond any real list, yet a server whose links never end
/// is stopped.
const DEFAULT_MAX_PAGES: usize = 10_000;

/// A client of an API, or of all the iTwin Platform's: generated API clients send their
/// requests through it. Cheap to clone: clones share connections and credentials.
///
/// ```
/// use itwin_platform_runtime::{Client, Environment};
///
/// let client = Client::builder().environment(Environment::Qa).access_token("token").build()?;
/// assert_eq!(client.base_url(), "https://qa-api.bentley.com");
/// # Ok::<(), itwin_platform_runtime::BuildError>(())
/// ```
#[derive(Clone)]
pub struct Client {
    engine: Arc<Engine>,
    /// What a call may override: the client's settings unless `with_*` changed them.
    settings: CallSettings,
}

impl Client {
    /// A builder: set credentials (and optionally a base URL, retries, timeouts), then `build`.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the process environment (see [`ClientBuilder::from_vars`]).
    ///
    /// ```no_run
    /// // ITWIN_CLIENT_ID=... ITWIN_CLIENT_SECRET=... ITWIN_ENV=qa cargo run
    /// let client = itwin_platform_runtime::Client::from_env()?;
    /// # Ok::<(), itwin_platform_runtime::BuildError>(())
    /// ```
    pub fn from_env() -> Result<Client, BuildError> {
        ClientBuilder::from_env()?.build()
    }

    /// The URL that operation paths are appended to.
    pub fn base_url(&self) -> &str {
        self.engine.base.as_str()
    }

    /// This client with another retry policy, for the calls made through it; connections and
    /// credentials stay shared.
    ///
    /// ```no_run
    /// # async fn run(client: itwin_platform_runtime::Client) -> Result<(), itwin_platform_runtime::Error> {
    /// use itwin_platform_runtime::{HttpMethod, Request, RetryPolicy};
    ///
    /// // A delete that must not wait: fail at the first 429.
    /// let request = Request::new("delete-itwin", HttpMethod::Delete, "/itwins/{id}", "application/json")
    ///     .path_param("id", &"ae8f3a5c-2d1b-4b8e-9d47-1f2a3b4c5d6e");
    /// client.with_retry_policy(RetryPolicy::none()).execute_empty(request).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Client {
        let mut client = self.clone();
        client.settings.retry = policy;
        client
    }

    /// This client with another per-attempt timeout (`None`: no timeout), for the calls made
    /// through it.
    pub fn with_timeout(&self, timeout: impl Into<Option<Duration>>) -> Client {
        let mut client = self.clone();
        client.settings.timeout = timeout.into();
        client
    }

    /// This client with `options` applied to the calls made through it: headers are added to
    /// any given before, a timeout or retry policy replaces the client's. Connections and
    /// credentials stay shared.
    pub fn with_call_options(&self, options: CallOptions) -> Client {
        let mut client = self.clone();
        options.apply_to(&mut client.settings);
        client
    }

    // Most `execute` methods return an `async` block rather than being `async fn`s: an `async
    // fn` keeps a by-value argument twice in its future (as given, and as its variable), and
    // the future of every call of a generated client holds this one. (`execute_by_status`
    // stays one: as a block it would need its `T` to outlive the borrow of the client.)

    /// Sends `request` and decodes its JSON answer into `T`.
    #[allow(clippy::manual_async_fn)] // See above: not an `async fn` on purpose.
    pub fn execute_json<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<ApiResponse<T>, Error>> + '_ {
        async move {
            let answer = self.send(&request, Reading::Buffered).await?;
            let body = answer.json()?;
            Ok(answer.into_response(body))
        }
    }

    /// Sends `request`, whose answer has no body worth decoding (such as 204 No Content).
    #[allow(clippy::manual_async_fn)] // See above: not an `async fn` on purpose.
    pub fn execute_empty(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<ApiResponse<()>, Error>> + '_ {
        async move {
            let answer = self.send(&request, Reading::Buffered).await?;
            Ok(answer.into_response(()))
        }
    }

    /// Sends `request` and returns its answer's body as bytes (an image, say).
    #[allow(clippy::manual_async_fn)] // See above: not an `async fn` on purpose.
    pub fn execute_bytes(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<ApiResponse<Vec<u8>>, Error>> + '_ {
        async move {
            let mut answer = self.send(&request, Reading::Buffered).await?;
            let body = answer.take_body();
            Ok(answer.into_response(body))
        }
    }

    /// Sends `request` and returns its answer's body as text: a `text/plain` answer. A body
    /// that is not UTF-8 is a [`DecodeError`](super::DecodeError).
    #[allow(clippy::manual_async_fn)] // See above: not an `async fn` on purpose.
    pub fn execute_text(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<ApiResponse<String>, Error>> + '_ {
        async move {
            let answer = self.send(&request, Reading::Buffered).await?;
            let text = answer.text()?;
            Ok(answer.into_response(text))
        }
    }

    /// Sends `request` and returns its answer's body as a [`ByteStream`], read as the caller
    /// consumes it, with no size limit: for large downloads. An error status is read whole and
    /// returned as an error, as by the other `execute` methods; the call's timeout covers the
    /// whole body.
    #[allow(clippy::manual_async_fn)] // See above: not an `async fn` on purpose.
    pub fn execute_stream(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<ApiResponse<ByteStream>, Error>> + '_ {
        async move {
            let mut answer = self.send(&request, Reading::Streamed).await?;
            let stream = answer.take_stream();
            Ok(answer.into_response(stream))
        }
    }

    /// Sends `request` and decodes its answer with `decode`, which looks at the status to
    /// choose the body's type.
    pub async fn execute_by_status<T>(
        &self,
        request: Request,
        decode: fn(&Answer) -> Result<T, Error>,
    ) -> Result<ApiResponse<T>, Error> {
        let answer = self.send(&request, Reading::Buffered).await?;
        let body = decode(&answer)?;
        Ok(answer.into_response(body))
    }

    /// Every page of a list, starting with `first` and following `_links.next`; a page is
    /// fetched when the stream is polled for it, with the client's retries.
    ///
    /// The next link is followed on this client's base URL, and only if it names the same
    /// resource as `first`: a link can change the query, never where the token goes.
    ///
    /// The stream always ends. A next link to a page already read, to another resource, or
    /// past [`ClientBuilder::max_pages`] pages yields an [`Error::Paging`] after the last good
    /// page. A page without items ends the stream even if it links on: for `$skip` lists an
    /// empty page means the skip is past the end, so every later page is empty too, and a
    /// server that links on from it is describing nothing; ending there keeps a complete list
    /// from turning into an error.
    ///
    /// The stream is boxed, so that it is `Unpin` and has a name: `try_next().await` works on it
    /// as it is.
    pub fn pages<P: Page>(
        &self,
        first: Request,
    ) -> BoxStream<'static, Result<ApiResponse<P>, Error>> {
        let client = self.clone();
        let fetch = move |request| {
            let client = client.clone();
            async move { client.execute_json(request).await }
        };
        paging::pages(fetch, self.engine.max_pages, first)
    }

    /// Every item of every page of a list, in order (see [`pages`](Self::pages)).
    pub fn items<P: Page>(&self, first: Request) -> BoxStream<'static, Result<P::Item, Error>> {
        paging::items(self.pages::<P>(first))
    }

    /// The engine's send with this client's settings: a plain function, so that a call makes
    /// and moves one future less.
    fn send<'a>(
        &'a self,
        request: &'a Request,
        reading: Reading,
    ) -> impl Future<Output = Result<Answer, Error>> + 'a {
        self.engine.send(&self.settings, request, reading)
    }

    /// The HTTP client, for transfers that share its connections but not its credentials.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.engine.http
    }

    /// The retry policy, timeout and headers of calls made through this client.
    pub(crate) fn call_settings(&self) -> &CallSettings {
        &self.settings
    }

    /// The largest answer body read whole.
    pub(crate) fn max_response_bytes(&self) -> usize {
        self.engine.max_response_bytes
    }

    /// The most pages one list reads.
    pub(crate) fn max_pages(&self) -> usize {
        self.engine.max_pages
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.engine.base.as_str())
            .field("retry", &self.settings.retry)
            .field("timeout", &self.settings.timeout)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]; `build` makes it.
///
/// The type it makes, `C`, is [`Client`] itself, or a crate's own client that wraps one (an
/// SDK of several APIs gives its client accessors for them): [`build`](Self::build) turns the
/// client into `C` with `From`.
pub struct ClientBuilder<C = Client> {
    base_url: Option<String>,
    /// `None` for an API outside the platform's environments: a base URL must then be given.
    environment: Option<Environment>,
    credentials: Option<Credentials>,
    /// Whether `build` may go without credentials (an API that requires none).
    credentials_optional: bool,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_response_bytes: usize,
    max_pages: usize,
    redirects: RedirectPolicy,
    interceptors: Vec<Arc<dyn Interceptor>>,
    made: PhantomData<fn() -> C>,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            environment: Some(Environment::default()),
            credentials: None,
            credentials_optional: false,
            http: None,
            retry: RetryPolicy::default(),
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_pages: DEFAULT_MAX_PAGES,
            redirects: RedirectPolicy::default(),
            interceptors: Vec::new(),
            made: PhantomData,
        }
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder configured from the process environment; see
    /// [`from_vars`](Self::from_vars) for the variables. Other settings can follow before
    /// [`build`](Self::build).
    pub fn from_env() -> Result<Self, EnvError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// A builder configured from variables that `lookup` gives by name (`None`: not set; an
    /// empty value counts as not set, except for `IMJS_URL_PREFIX`, where it means production):
    ///
    /// | variable | meaning |
    /// |---|---|
    /// | `ITWIN_ACCESS_TOKEN` | a token sent as it is, or: |
    /// | `ITWIN_CLIENT_ID` and `ITWIN_CLIENT_SECRET` | a service application's credentials ([`ClientCredentials`](crate::ClientCredentials)) |
    /// | `ITWIN_SCOPE`, `ITWIN_TOKEN_URL` | optional, with a client id: scopes, token endpoint |
    /// | `ITWIN_ENV` | `prod` (default), `dev` or `qa` |
    /// | `IMJS_URL_PREFIX` | Bentley's convention for the same: `""`, `dev-` or `qa-` |
    /// | `ITWIN_BASE_URL` | another URL (a proxy, a test server) instead of an environment |
    ///
    /// For dev and qa, tokens come from `https://qa-ims.bentley.com/connect/token`, as for
    /// Bentley's own clients, unless `ITWIN_TOKEN_URL` says otherwise. A variable missing,
    /// unknown or contradicting another is an [`EnvError`] that names them; a secret's value is
    /// never in it.
    ///
    /// ```
    /// use itwin_platform_runtime::ClientBuilder;
    ///
    /// let vars = [("ITWIN_ACCESS_TOKEN", "eyJ0eXAi..."), ("IMJS_URL_PREFIX", "qa-")];
    /// let lookup = |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string());
    /// let client = ClientBuilder::<itwin_platform_runtime::Client>::from_vars(lookup)?.build()?;
    /// assert_eq!(client.base_url(), "https://qa-api.bentley.com");
    ///
    /// let only_id = |name: &str| (name == "ITWIN_CLIENT_ID").then(|| "app".to_owned());
    /// let error = ClientBuilder::<itwin_platform_runtime::Client>::from_vars(only_id)
    ///     .err()
    ///     .expect("the secret is missing");
    /// assert_eq!(error.variables(), ["ITWIN_CLIENT_SECRET"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, EnvError> {
        let settings = Settings::read(&lookup)?;
        let mut builder = Self::default();
        if let Some(environment) = settings.environment {
            builder = builder.environment(environment);
        }
        if let Some(url) = settings.base_url {
            builder = builder.base_url(url);
        }
        Ok(match settings.credentials.resolve(settings.environment) {
            Resolved::Token(token) => builder.access_token(token),
            Resolved::Service(credentials) => builder.token_provider(credentials),
        })
    }

    /// Talks to one of the platform's environments (production by default).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// For an API outside the platform's environments: no default base URL, so that
    /// [`build`](Self::build) fails with [`BuildError::MissingBaseUrl`] unless
    /// [`base_url`](Self::base_url) gives one. Generated crates of other APIs start with it.
    pub fn without_environment(mut self) -> Self {
        self.environment = None;
        self
    }

    /// Lets [`build`](Self::build) succeed without credentials: requests then carry none.
    /// Generated crates of APIs whose definition requires no credentials start with it.
    pub fn credentials_optional(mut self) -> Self {
        self.credentials_optional = true;
        self
    }

    /// Sends this API key on every request, in the header or query parameter it names
    /// (security schemes of `type: apiKey`).
    pub fn api_key(mut self, key: ApiKey) -> Self {
        self.credentials = Some(Credentials::ApiKey(key));
        self
    }

    /// Sends HTTP basic credentials on every request (security schemes of `type: http`,
    /// `scheme: basic`).
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Basic(BasicAuth::new(username, password)));
        self
    }

    /// Talks to another URL, such as a proxy or a local test server; overrides the environment.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sends this token on every request.
    pub fn access_token(self, token: impl Into<String>) -> Self {
        self.token_provider(StaticToken::new(token))
    }

    /// Asks `provider` for the token of each request (see
    /// [`ClientCredentials`](super::ClientCredentials) for service applications).
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.credentials = Some(Credentials::Bearer(Bearer::new(Arc::new(provider))));
        self
    }

    /// Calls `fetch` for the token of each request: an async closure that reads it from your
    /// own cache or vault.
    ///
    /// ```
    /// use itwin_platform_runtime::{AccessToken, Client};
    ///
    /// let client = Client::builder()
    ///     .token_fn(|| async { Ok(AccessToken::new(std::env::var("ITWIN_TOKEN").unwrap_or_default())) })
    ///     .build()?;
    /// # Ok::<(), itwin_platform_runtime::BuildError>(())
    /// ```
    pub fn token_fn<F, Fut>(self, fetch: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<AccessToken, AuthError>> + Send + 'static,
    {
        self.token_provider(TokenFn::new(fetch))
    }

    /// Uses this HTTP client (proxies, TLS roots) instead of a default one; its own connect
    /// timeout then applies instead of [`connect_timeout`](Self::connect_timeout).
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`: otherwise reqwest follows
    /// redirects itself, before the client's [`RedirectPolicy`] sees them.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// How the client retries rate-limited and failed calls ([`RetryPolicy::default`] unless set).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How long one attempt may take, answer included (60 s by default; `None`: no limit).
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// How long to wait for a connection (10 s by default; `None`: no limit).
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeout.into();
        self
    }

    /// The largest answer body read (64 MiB by default); a larger one fails with
    /// [`Error::ResponseTooLarge`](super::Error::ResponseTooLarge).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Which redirects are followed, and where the credentials may go
    /// ([`RedirectPolicy::default`] unless set: up to 5, to the platform's hosts).
    pub fn redirect_policy(mut self, policy: RedirectPolicy) -> Self {
        self.redirects = policy;
        self
    }

    /// The most pages one list stream reads (10,000 by default, at least 1); a list that goes
    /// on fails with [`Error::Paging`](super::Error::Paging) after that many pages.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    /// Runs `interceptor` around every attempt of every call, after those registered before.
    pub fn interceptor(mut self, interceptor: impl Interceptor + 'static) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// Checks the settings and makes the client.
    pub fn build(self) -> Result<C, BuildError> {
        let credentials = match self.credentials {
            Some(credentials) => credentials
                .checked()
                .map_err(BuildError::InvalidCredentials)?,
            None if self.credentials_optional => Credentials::Anonymous,
            None => return Err(BuildError::MissingCredentials),
        };
        let base_url = match (self.base_url, self.environment) {
            (Some(url), _) => checked_base_url(&url)?,
            (None, Some(environment)) => environment.base_url().to_owned(),
            (None, None) => return Err(BuildError::MissingBaseUrl),
        };
        let base = BaseUrl::new(base_url.clone()).map_err(|e| BuildError::InvalidBaseUrl {
            url: base_url,
            reason: e.to_string(),
        })?;
        let http = match self.http {
            Some(http) => http,
            None => {
                // Redirects are the client's to follow (see RedirectPolicy).
                let mut http = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .user_agent(concat!("itwin-platform-rust/", env!("CARGO_PKG_VERSION")));
                if let Some(timeout) = self.connect_timeout {
                    http = http.connect_timeout(timeout);
                }
                http.build().map_err(BuildError::Http)?
            }
        };
        let client = Client {
            engine: Arc::new(Engine {
                base,
                http,
                credentials,
                max_response_bytes: self.max_response_bytes,
                max_pages: self.max_pages,
                redirects: self.redirects,
                interceptors: self.interceptors,
            }),
            settings: CallSettings {
                retry: self.retry,
                timeout: self.timeout,
                headers: Arc::new([]),
            },
        };
        Ok(C::from(client))
    }
}

fn checked_base_url(url: &str) -> Result<String, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidBaseUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let parsed = url::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("a base URL cannot have a query or fragment"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid(
            "credentials belong in a token provider, not in the URL",
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

/// A [`ClientBuilder`] setting that cannot work.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// No credentials were given (`access_token`, `token_provider`, `api_key`, `basic_auth`).
    MissingCredentials,
    /// The API has no default base URL (its definition names no absolute server): set one
    /// with `base_url`.
    MissingBaseUrl,
    /// Credentials that cannot go on a request; the reason never quotes a secret.
    InvalidCredentials(String),
    /// The base URL is not an absolute `http`/`https` URL.
    InvalidBaseUrl {
        /// The base URL given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The default HTTP client could not be created.
    Http(reqwest::Error),
    /// The environment variables read by [`Client::from_env`] are missing or contradict
    /// each other.
    Env(EnvError),
}

impl From<EnvError> for BuildError {
    fn from(error: EnvError) -> Self {
        BuildError::Env(error)
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingCredentials => f.write_str(
                "no credentials: call access_token, token_provider, api_key or basic_auth",
            ),
            BuildError::MissingBaseUrl => f.write_str(
                "no base URL: the API's definition names no absolute server, so call base_url with where the API is served",
            ),
            BuildError::InvalidCredentials(reason) => write!(f, "invalid credentials: {reason}"),
            BuildError::InvalidBaseUrl { url, reason } => {
                write!(f, "invalid base URL `{url}`: {reason}")
            }
            BuildError::Http(e) => write!(f, "cannot create the HTTP client: {e}"),
            BuildError::Env(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(e) => Some(e),
            BuildError::Env(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_map_to_their_hosts() {
        let url = |env| {
            Client::builder()
                .environment(env)
                .access_token("t")
                .build()
                .unwrap()
                .base_url()
                .to_owned()
        };
        assert_eq!(url(Environment::Production), "https://api.bentley.com");
        assert_eq!(url(Environment::Dev), "https://dev-api.bentley.com");
        assert_eq!(url(Environment::Qa), "https://qa-api.bentley.com");
    }

    #[test]
    fn a_custom_base_url_overrides_the_environment_and_loses_its_trailing_slash() {
        let client = Client::builder()
            .environment(Environment::Dev)
            .base_url("http://127.0.0.1:8080/proxy/")
            .access_token("t")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:8080/proxy");
    }

    #[test]
    fn bad_settings_are_refused() {
        assert!(matches!(
            Client::builder().build(),
            Err(BuildError::MissingCredentials)
        ));
        for url in [
            "ftp://host",
            "not a url",
            "https://host/?a=b",
            "https://user:pw@host",
        ] {
            let result = Client::builder().base_url(url).access_token("t").build();
            assert!(
                matches!(result, Err(BuildError::InvalidBaseUrl { .. })),
                "{url} was accepted"
            );
        }
    }

    #[test]
    fn debug_output_shows_no_credentials() {
        let client = Client::builder()
            .access_token("super-secret")
            .build()
            .unwrap();
        let debug = format!("{client:?}");
        assert!(debug.contains("https://api.bentley.com"));
        assert!(!debug.contains("super-secret"));
    }
}
