//! Tokens for service applications: the OAuth 2.0 client-credentials grant against the
//! platform's token endpoint, cached and refreshed before they expire.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::auth::{AccessToken, AuthError, TokenProvider};

/// The platform's token endpoint.
pub const IMS_TOKEN_URL: &str = "https://ims.bentley.com/connect/token";
/// The scope of the iTwin Platform APIs.
pub const ITWIN_PLATFORM_SCOPE: &str = "itwin-platform";

/// How long before it expires a token is replaced: the answer to a request that starts with
/// it must not arrive after it has run out.
const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(120);

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
    /// Shared by clones; locked while a token is fetched, so that one fetch serves everyone
    /// waiting.
    cached: Arc<Mutex<Option<Cached>>>,
}

struct Cached {
    token: AccessToken,
    refresh_at: Instant,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    /// Seconds; absent means the endpoint does not say, and the token is refetched each time.
    expires_in: Option<u64>,
}

/// What an OAuth endpoint says when it refuses (RFC 6749 §5.2); no secret is in it.
#[derive(Deserialize)]
struct TokenRefusal {
    error: String,
    error_description: Option<String>,
}

/// The default client for the token endpoint: one that follows no redirect, since reqwest would
/// re-send the form (client secret included) to wherever a 307 or 308 points.
fn token_http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        // Only a TLS backend that cannot start fails here, where `Client::new` would panic.
        .unwrap_or_default()
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
            http: token_http_client(),
            cached: Arc::default(),
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
        self.cached = Arc::default();
        self
    }

    async fn fetch(&self) -> Result<Cached, AuthError> {
        let form = {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            form.append_pair("grant_type", "client_credentials")
                .append_pair("client_id", &self.client_id)
                .append_pair("client_secret", &self.client_secret);
            // An empty scope asks for the endpoint's default scopes (RFC 6749 §3.3).
            if !self.scope.is_empty() {
                form.append_pair("scope", &self.scope);
            }
            form.finish()
        };
        let requested_at = Instant::now();
        let response = self
            .http
            .post(&self.token_url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form)
            .send()
            .await
            .map_err(|e| {
                AuthError::with_source("the token endpoint did not answer", e.without_url())
            })?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| {
            AuthError::with_source("the token endpoint's answer was cut", e.without_url())
        })?;
        if !status.is_success() {
            let reason = match serde_json::from_slice::<TokenRefusal>(&body) {
                Ok(refusal) => match refusal.error_description {
                    Some(description) => format!("{}: {description}", refusal.error),
                    None => refusal.error,
                },
                Err(_) => "no OAuth error in the body".to_owned(),
            };
            return Err(AuthError::new(format!(
                "the token endpoint refused the client credentials ({status}): {reason}"
            )));
        }
        let answer: TokenAnswer = serde_json::from_slice(&body).map_err(|e| {
            AuthError::with_source("the token endpoint's answer has no access_token", e)
        })?;
        let lifetime = Duration::from_secs(answer.expires_in.unwrap_or(0));
        Ok(Cached {
            token: AccessToken::new(answer.access_token),
            refresh_at: requested_at + lifetime.saturating_sub(self.refresh_margin),
        })
    }
}

#[async_trait]
impl TokenProvider for ClientCredentials {
    async fn access_token(&self) -> Result<AccessToken, AuthError> {
        let mut cached = self.cached.lock().await;
        if let Some(current) = cached.as_ref().filter(|c| Instant::now() < c.refresh_at) {
            return Ok(current.token.clone());
        }
        let fresh = self.fetch().await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
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
