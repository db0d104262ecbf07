//! Signing a person in from a desktop or command line program (the `interactive-auth` feature):
//! the OAuth 2.0 authorization code flow with PKCE (RFC 7636) through the system browser and a
//! loopback redirect (RFC 8252), as Bentley's own native clients (`@itwin/node-cli-authorization`,
//! `@itwin/electron-authorization`) do it; refresh tokens when `offline_access` is granted; a
//! token store on disk between runs.
//!
//! The order of a sign-in: the listener is bound (a port in use fails here, before the person
//! is asked anything); the browser is shown the identity service's authorize page with a PKCE
//! challenge and a random `state`; the one answer at the redirect URI is checked (state first)
//! and the listener closes; the code and the PKCE verifier are exchanged for tokens at the
//! token endpoint; the session is stored.

mod browser;
mod error;
mod loopback;
mod session;
mod store;

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use oauth2::basic::BasicErrorResponseType;
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, CsrfToken, EndpointSet, PkceCodeChallenge,
    RedirectUrl, RefreshToken, Scope, TokenUrl,
};

pub use browser::OpenBrowser;
pub use error::SignInError;
pub use session::SignedIn;
pub use store::TokenStore;

use super::auth::{AccessToken, AuthError, TokenProvider};
use super::environment::Environment;
use super::oauth::{DEFAULT_REFRESH_MARGIN, ITWIN_PLATFORM_SCOPE};
use super::single_flight::SingleFlight;
use super::token_endpoint::{self, TokenClient};
use loopback::{Listener, Redirect};
use session::{Session, TokenAnswer};

/// How long the listener waits for the browser by default: time to type a password and
/// approve a second factor.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// A person signed in with their browser: the sign-in of a desktop or command line program
/// registered as a "Desktop/Mobile" application, whose tokens act for that person.
///
/// [`sign_in`](Self::sign_in) runs the browser flow; as a [`TokenProvider`] it hands out the
/// access token, refreshed ahead of expiry with the refresh token when `offline_access` was
/// granted (one refresh however many requests wait for it), and never opens a browser itself;
/// [`signed_in`](Self::signed_in) says who is signed in and until when, without the network;
/// [`sign_out`](Self::sign_out) forgets the session. With a [`TokenStore`], the session
/// outlives the program. Clones share the session.
///
/// Debug output and logs show the settings, never a token.
///
/// ```no_run
/// use itwin_platform_runtime::{Client, Environment, InteractiveSignIn, TokenStore};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// // The client id and redirect URI of the application registered on developer.bentley.com.
/// let sign_in = InteractiveSignIn::new("native-2f1e9c", "http://localhost:3000/signin-callback")?
///     .environment(Environment::Production)
///     .token_store(TokenStore::for_app("my-tool")?);
///
/// // `login`: opens the browser, waits for the person to sign in, stores the tokens.
/// let me = sign_in.sign_in().await?;
/// println!("Signed in as {me}");
///
/// // `whoami`: what the store says, without the network (and without the token).
/// if let Some(me) = sign_in.signed_in().await? {
///     println!("{:?} until {:?}", me.email, me.expires_at);
/// }
///
/// // Calls act for the person; the token is refreshed as needed.
/// let client = Client::builder().token_provider(sign_in.clone()).build()?;
///
/// // `logout`: the stored tokens are removed.
/// sign_in.sign_out().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct InteractiveSignIn {
    client_id: String,
    redirect: Redirect,
    /// The identity service, without a trailing `/`.
    authority: String,
    scope: String,
    timeout: Duration,
    refresh_margin: Duration,
    store: Option<TokenStore>,
    browser: OpenBrowser,
    http: reqwest::Client,
    /// Shared by clones; one refresh at a time serves everyone waiting.
    session: SingleFlight<Session>,
}

impl InteractiveSignIn {
    /// The sign-in of the application registered with `client_id` and `redirect_uri` (the
    /// loopback address the identity service sends the browser back to, exactly as registered,
    /// e.g. `http://localhost:3000/signin-callback`), against production's identity service
    /// (`https://ims.bentley.com`) with the scopes `itwin-platform offline_access`; the session
    /// is kept in memory only until a [`TokenStore`] is given.
    ///
    /// # Errors
    /// [`SignInError::RedirectUri`] if the redirect URI is not `http` on `localhost` or
    /// `127.0.0.1` with a port.
    pub fn new(
        client_id: impl Into<String>,
        redirect_uri: impl AsRef<str>,
    ) -> Result<Self, SignInError> {
        Ok(InteractiveSignIn {
            client_id: client_id.into(),
            redirect: Redirect::parse(redirect_uri.as_ref())?,
            authority: Environment::Production.ims_authority().to_owned(),
            scope: format!("{ITWIN_PLATFORM_SCOPE} offline_access"),
            timeout: DEFAULT_TIMEOUT,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            store: None,
            browser: OpenBrowser::default(),
            http: token_endpoint::http_client(),
            session: SingleFlight::default(),
        })
    }

    /// The identity service of `environment` ([`Environment::ims_authority`]): QA's for dev and
    /// qa.
    pub fn environment(self, environment: Environment) -> Self {
        self.authority(environment.ims_authority())
    }

    /// Another identity service (a test's), by its address: its authorize and token endpoints
    /// are `/connect/authorize` and `/connect/token` under it, as IMS has them.
    pub fn authority(self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.changed(|s| s.authority = url.trim_end_matches('/').to_owned())
    }

    /// Other scopes, space-separated. Without `offline_access` no refresh token is granted, and
    /// the person signs in again when the access token runs out (after an hour at IMS).
    pub fn scope(self, scope: impl Into<String>) -> Self {
        let scope = scope.into();
        self.changed(|s| s.scope = scope)
    }

    /// How long the listener waits for the browser to come back (5 minutes by default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long before expiry the access token is refreshed (2 minutes by default).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// Keeps the session in `store` between runs.
    pub fn token_store(self, store: TokenStore) -> Self {
        self.changed(|s| s.store = Some(store))
    }

    /// Shows the sign-in page with `browser` ([`OpenBrowser::system`] by default).
    pub fn open_browser(mut self, browser: OpenBrowser) -> Self {
        self.browser = browser;
        self
    }

    /// Uses this HTTP client (proxies, TLS roots, timeouts) to reach the token endpoint. Build
    /// it with `.redirect(reqwest::redirect::Policy::none())`: a redirect must not carry a code
    /// or a refresh token to another host.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// The identity service's address, e.g. `https://ims.bentley.com`.
    pub fn authority_url(&self) -> &str {
        &self.authority
    }

    /// Other settings get a session of their own: tokens are only good for what they were
    /// issued for.
    fn changed(mut self, change: impl FnOnce(&mut Self)) -> Self {
        change(&mut self);
        self.session = SingleFlight::default();
        self
    }

    /// Signs the person in with their browser, whoever was signed in before: binds the loopback
    /// listener, opens the browser at the identity service's sign-in page, waits for its answer
    /// (at most the [`timeout`](Self::timeout)), exchanges the code for tokens and stores them.
    ///
    /// # Errors
    /// A [`SignInError`] saying which step failed; the listener is closed by then.
    pub async fn sign_in(&self) -> Result<SignedIn, SignInError> {
        let client = self.oauth_client()?;
        let listener = Listener::bind(&self.redirect).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(CsrfToken::new_random)
            .set_pkce_challenge(challenge);
        if !self.scope.is_empty() {
            request = request.add_scope(Scope::new(self.scope.clone()));
        }
        let (url, state) = request.url();
        tracing::info!(
            port = self.redirect.port,
            "signing in: waiting for the browser at the redirect URI"
        );
        self.browser
            .open(url.as_str())
            .map_err(SignInError::Browser)?;
        let code = listener.answer(state.into_secret(), self.timeout).await?;
        let answer = client
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| {
                SignInError::Token(token_endpoint::auth_error("the authorization code", e))
            })?;
        let session = Session::from_answer(&answer, &self.scope, None);
        if let Some(store) = &self.store {
            store
                .save(&self.authority, &self.client_id, &session)
                .await?;
        }
        let signed_in = session.signed_in.clone();
        self.session.set(Some(session)).await;
        tracing::info!("signed in");
        Ok(signed_in)
    }

    /// Who is signed in, and until when: from this sign-in's session, else from the token
    /// store; `None` if nobody is. Asks no server, and shows no token: a `whoami`.
    ///
    /// # Errors
    /// [`SignInError::Store`] or [`SignInError::StoreNotPrivate`] if the store cannot be read.
    pub async fn signed_in(&self) -> Result<Option<SignedIn>, SignInError> {
        let held = self
            .session
            .with(|held| held.map(|session| session.signed_in.clone()))
            .await;
        match held {
            Some(signed_in) => Ok(Some(signed_in)),
            None => Ok(self.load().await?.map(|session| session.signed_in)),
        }
    }

    /// Forgets the session, here and in the token store. The identity service is not told: its
    /// browser session stays signed in, and the next sign-in may not ask for a password.
    ///
    /// # Errors
    /// [`SignInError::Store`] if the stored file cannot be removed.
    pub async fn sign_out(&self) -> Result<(), SignInError> {
        self.session.set(None).await;
        if let Some(store) = &self.store {
            store.clear(&self.authority, &self.client_id).await?;
        }
        tracing::info!("signed out");
        Ok(())
    }

    fn oauth_client(&self) -> Result<TokenClient<TokenAnswer, EndpointSet>, SignInError> {
        let not_a_url = |_| SignInError::Authority {
            url: self.authority.clone(),
        };
        let authorize = AuthUrl::new(format!("{}/connect/authorize", self.authority));
        let token = TokenUrl::new(format!("{}/connect/token", self.authority));
        // Checked by `Redirect::parse`; kept as given, since IMS compares it as a string.
        let redirect =
            RedirectUrl::new(self.redirect.uri.clone()).map_err(|_| SignInError::RedirectUri {
                uri: self.redirect.uri.clone(),
                problem: "is no URL",
            })?;
        Ok(oauth2::Client::new(ClientId::new(self.client_id.clone()))
            // A public client: its id in the form, and no secret.
            .set_auth_type(AuthType::RequestBody)
            .set_auth_uri(authorize.map_err(not_a_url)?)
            .set_token_uri(token.map_err(not_a_url)?)
            .set_redirect_uri(redirect))
    }

    /// The stored session, if it was issued for this sign-in's scopes.
    async fn load(&self) -> Result<Option<Session>, SignInError> {
        let Some(store) = &self.store else {
            return Ok(None);
        };
        let stored = store.load(&self.authority, &self.client_id).await?;
        Ok(stored.filter(|session| session.scope == self.scope))
    }

    /// The session to hand out a token from, when the held one (if any) is not fresh: the
    /// stored one, or one refreshed with the refresh token.
    async fn renew(&self, held: Option<Session>) -> Result<Session, AuthError> {
        let session = match held {
            Some(session) => session,
            None => self
                .load()
                .await
                .map_err(|e| AuthError::with_source(e.to_string(), e))?
                .ok_or_else(|| AuthError::new("not signed in: sign in first"))?,
        };
        if session.fresh(self.refresh_margin) {
            return Ok(session);
        }
        let Some(refresh_token) = session.refresh_token() else {
            return if session.unexpired() {
                Ok(session)
            } else {
                Err(AuthError::new(
                    "the sign-in has expired, and without the offline_access scope there is no \
                     refresh token: sign in again",
                ))
            };
        };
        let client = self
            .oauth_client()
            .map_err(|e| AuthError::with_source(e.to_string(), e))?;
        let refreshed = client
            .exchange_refresh_token(&RefreshToken::new(refresh_token.to_owned()))
            .request_async(&self.http)
            .await;
        let answer = match refreshed {
            Ok(answer) => answer,
            Err(e) => {
                let spent =
                    token_endpoint::refusal_code(&e) == Some(&BasicErrorResponseType::InvalidGrant);
                let error = token_endpoint::auth_error("the refresh token", e);
                if !spent {
                    return Err(error);
                }
                // Expired or revoked: the stored session is of no more use.
                if let Some(store) = &self.store {
                    if let Err(error) = store.clear(&self.authority, &self.client_id).await {
                        tracing::warn!(%error, "the spent sign-in could not be removed");
                    }
                }
                return Err(AuthError::new(format!("{error}: sign in again")));
            }
        };
        let fresh = Session::from_answer(&answer, &self.scope, Some(refresh_token.to_owned()));
        if let Some(store) = &self.store {
            if let Err(error) = store.save(&self.authority, &self.client_id, &fresh).await {
                tracing::warn!(%error, "the refreshed sign-in could not be stored; this run goes on with it");
            }
        }
        tracing::debug!("access token refreshed");
        Ok(fresh)
    }
}

#[async_trait]
impl TokenProvider for InteractiveSignIn {
    async fn access_token(&self) -> Result<AccessToken, AuthError> {
        let margin = self.refresh_margin;
        self.session
            .get(
                |session| session.fresh(margin),
                Session::access_token,
                |held| self.renew(held),
            )
            .await
    }
}

impl fmt::Debug for InteractiveSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InteractiveSignIn")
            .field("client_id", &self.client_id)
            .field("redirect_uri", &self.redirect.uri)
            .field("authority", &self.authority)
            .field("scope", &self.scope)
            .field("timeout", &self.timeout)
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}
