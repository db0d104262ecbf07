//! Tokens for service applications: the OAuth 2.0 client-credentials grant against the
//! platform's token endpoint, cached and refreshed before they expire.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use oauth2::basic::BasicTokenResponse;
use oauth2::{AuthType, ClientId, ClientSecret, Scope, TokenResponse};
use tokio::time::Instant;

use super::auth::{AccessToken, AuthError, TokenProvider};
use super::single_flight::SingleFlight;
use super::token_endpoint::{self, TokenClient};

/// The platform's token endpoint.
pub const IMS_TOKEN_URL: &str = "https://ims.bentley.com/connect/token";
/// The scope of the iTwin Platform APIs.
pub const ITWIN_PLATFORM_SCOPE: &str = "itwin-platform";

/// How long before it expires a token is replaced: the answer to a request that starts with
/// it must not arrive after it has run out.
pub(crate) const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(120);

/// Tokens of a service application (client id and secret), fetched with the client-credentials
/// grant, cached, and refreshed shortly before they expire. When many requests need a new token
/// at once, one fetch runs and they all use its token.
///
/// ```no_run
/// use itwin_platform_runtime::{Client, ClientCredentials};
///
/// let credentials = ClientCredentials::new("service-app-id", std::env::var("ITWIN_CLIENT_SECRET").unwrap());
/// let client = Client::builder().token_provider(credentials).build()?;
/// # Ok::<(), itwin_platform_runtime::BuildError>(())
/// ```
#[derive(Clone)]
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: String,
    scope: String,
    refresh_margin: Duration,
    http: reqwest::Client,
    /// Shared by clones; one fetch at a time serves everyone waiting.
    cached: SingleFlight<Cached>,
}

struct Cached {
    token: AccessToken,
    refresh_at: Instant,
}

impl ClientCredentials {
    /// Credentials for `https://ims.bentley.com/connect/token` with the `itwin-platform` scope.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        ClientCredentials {
            token_url: IMS_TOKEN_URL.to_owned(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scope: ITWIN_PLATFORM_SCOPE.to_owned(),
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            http: token_endpoint::http_client(),
            cached: SingleFlight::default(),
        }
    }

    /// Another token endpoint (a test server, or a dev/qa identity service).
    pub fn token_url(self, url: impl Into<String>) -> Self {
        let token_url = url.into();
        self.changed(|c| c.token_url = token_url)
    }

    /// Other scopes, space-separated; empty for the token endpoint's default scopes.
    pub fn scope(self, scope: impl Into<String>) -> Self {
        let scope = scope.into();
        self.changed(|c| c.scope = scope)
    }

    /// Uses this HTTP client (proxies, TLS roots, timeouts) to reach the token endpoint. Build
    /// it with `.redirect(reqwest::redirect::Policy::none())`: a redirect must not carry the
    /// client secret to another host.
    pub fn http_client(self, http: reqwest::Client) -> Self {
        self.changed(|c| c.http = http)
    }

    /// How long before expiry a token is replaced (2 minutes by default).
    pub fn refresh_margin(self, margin: Duration) -> Self {
        self.changed(|c| c.refresh_margin = margin)
    }

    /// Other settings get a cache of their own: a token is only good for what it was fetched for.
    fn changed(mut self, change: impl FnOnce(&mut Self)) -> Self {
        change(&mut self);
        self.cached = SingleFlight::default();
        self
    }

    async fn fetch(&self) -> Result<Cached, AuthError> {
        let client: TokenClient<BasicTokenResponse> =
            oauth2::Client::new(ClientId::new(self.client_id.clone()))
                .set_client_secret(ClientSecret::new(self.client_secret.clone()))
                // In the form, as IMS documents it, rather than in an Authorization header.
                .set_auth_type(AuthType::RequestBody)
                .set_token_uri(token_endpoint::token_url(&self.token_url)?);
        let mut request = client.exchange_client_credentials();
        // An empty scope asks for the endpoint's default scopes (RFC 6749 §3.3).
        if !self.scope.is_empty() {
            request = request.add_scope(Scope::new(self.scope.clone()));
        }
        let requested_at = Instant::now();
        let answer = request
            .request_async(&self.http)
            .await
            .map_err(|e| token_endpoint::auth_error("the client credentials", e))?;
        // Absent means the endpoint does not say, and the token is refetched each time.
        let lifetime = answer.expires_in().unwrap_or_default();
        Ok(Cached {
            token: AccessToken::new(answer.access_token().secret().as_str()),
            refresh_at: requested_at + lifetime.saturating_sub(self.refresh_margin),
        })
    }
}

#[async_trait]
impl TokenProvider for ClientCredentials {
    async fn access_token(&self) -> Result<AccessToken, AuthError> {
        self.cached
            .get(
                |held| Instant::now() < held.refresh_at,
                |held| held.token.clone(),
                |_| self.fetch(),
            )
            .await
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("scope", &self.scope)
            .finish()
    }
}
