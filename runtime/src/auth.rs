//! Credentials: where the bearer token of each request comes from.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;

/// An OAuth access token. Its `Debug` and `Display` never show the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(Arc<str>);

impl AccessToken {
    /// Wraps a token as issued (without the `Bearer ` prefix).
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken(Arc::from(token.into()))
    }

    /// The token itself, for the `Authorization` header.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// Supplies the access token for each request.
///
/// Implement it to refresh tokens yourself; the client asks before every request, so cache
/// the token and hand out the cached one until it is about to expire.
///
/// ```
/// use itwin_platform_runtime::{AccessToken, AuthError, TokenProvider};
///
/// struct FromEnvironment;
///
/// #[async_trait::async_trait]
/// impl TokenProvider for FromEnvironment {
///     async fn access_token(&self) -> Result<AccessToken, AuthError> {
///         std::env::var("ITWIN_TOKEN")
///             .map(AccessToken::new)
///             .map_err(|_| AuthError::new("ITWIN_TOKEN is not set"))
///     }
/// }
/// ```
#[async_trait]
pub trait TokenProvider: Send + Sync {
    /// A token for the next request: a cached one while it is valid, else a fresh one.
    async fn access_token(&self) -> Result<AccessToken, AuthError>;
}

/// A token that never changes: for scripts and tests with a token obtained elsewhere.
#[derive(Debug, Clone)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// The token to send on every request.
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(AccessToken::new(token))
    }
}

#[async_trait]
impl TokenProvider for StaticToken {
    async fn access_token(&self) -> Result<AccessToken, AuthError> {
        Ok(self.0.clone())
    }
}

/// Tokens from an async closure, for callers that keep tokens in a cache or vault of their own.
pub struct TokenFn<F>(F);

impl<F> TokenFn<F> {
    /// Tokens from `fetch`, called before each request.
    pub fn new(fetch: F) -> Self {
        TokenFn(fetch)
    }
}

impl<F> fmt::Debug for TokenFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenFn(..)")
    }
}

#[async_trait]
impl<F, Fut> TokenProvider for TokenFn<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: std::future::Future<Output = Result<AccessToken, AuthError>> + Send,
{
    async fn access_token(&self) -> Result<AccessToken, AuthError> {
        (self.0)().await
    }
}

super::message_error::message_error!(
    /// A token provider could not supply a token.
    AuthError,
    "An error with a message; it must not contain secrets."
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_token() {
        let token = StaticToken::new("very-secret-token");
        assert!(!format!("{token:?}").contains("very-secret-token"));
        assert!(!format!("{:?}", AccessToken::new("very-secret-token")).contains("secret-token"));
    }
}
