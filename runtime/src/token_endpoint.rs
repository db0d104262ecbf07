//! What every grant shares at the token endpoint (RFC 6749 §3.2), whichever credential asks: an
//! HTTP client that follows no redirect, and a failure told without a secret.
//!
//! The requests themselves are the `oauth2` crate's: the forms, the answers and the refusals of
//! each grant as the RFCs define them.

use oauth2::basic::{
    BasicErrorResponse, BasicErrorResponseType, BasicRevocationErrorResponse,
    BasicTokenIntrospectionResponse,
};
use oauth2::{EndpointNotSet, EndpointSet, HttpClientError, RequestTokenError};
use oauth2::{StandardRevocableToken, TokenUrl};

use super::auth::AuthError;

/// An OAuth client of the token endpoint, whose answers are `TR`; `A` says whether it knows the
/// authorization endpoint too ([`EndpointSet`] or [`EndpointNotSet`]).
pub(crate) type TokenClient<TR, A = EndpointNotSet> = oauth2::Client<
    BasicErrorResponse,
    TR,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    A,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// Why a token request failed, as the `oauth2` crate says it.
pub(crate) type TokenRequestError =
    RequestTokenError<HttpClientError<reqwest::Error>, BasicErrorResponse>;

/// The default client for the token endpoint: one that follows no redirect, since reqwest would
/// re-send the form (client secret, authorization code or refresh token) to wherever a 307 or
/// 308 points.
pub(crate) fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        // Only a TLS backend that cannot start fails here, where `Client::new` would panic.
        .unwrap_or_default()
}

/// The token endpoint's address, checked.
pub(crate) fn token_url(url: &str) -> Result<TokenUrl, AuthError> {
    TokenUrl::new(url.to_owned())
        .map_err(|e| AuthError::with_source(format!("the token endpoint `{url}` is no URL"), e))
}

/// The OAuth error code of a refusal (`invalid_grant`, `invalid_client`...), if the endpoint
/// refused.
#[cfg_attr(
    not(feature = "interactive-auth"),
    expect(dead_code, reason = "sign-in only")
)]
pub(crate) fn refusal_code(error: &TokenRequestError) -> Option<&BasicErrorResponseType> {
    match error {
        RequestTokenError::ServerResponse(refusal) => Some(refusal.error()),
        _ => None,
    }
}

/// `error` as an [`AuthError`] whose message says what was refused (`what`: "the client
/// credentials", "the refresh token"...) or why the endpoint could not be read. It never quotes
/// the body of an answer, which may hold a token.
pub(crate) fn auth_error(what: &str, error: TokenRequestError) -> AuthError {
    match error {
        RequestTokenError::ServerResponse(refusal) => {
            let mut message = format!("the token endpoint refused {what}: {}", refusal.error());
            if let Some(description) = refusal.error_description() {
                message.push_str(": ");
                message.push_str(description);
            }
            AuthError::new(message)
        }
        RequestTokenError::Request(HttpClientError::Reqwest(e)) => {
            AuthError::with_source("the token endpoint did not answer", e.without_url())
        }
        RequestTokenError::Request(e) => {
            AuthError::with_source("the token endpoint did not answer", e)
        }
        RequestTokenError::Parse(e, _body) => AuthError::new(format!(
            "the token endpoint answered with neither a token nor an OAuth error (at `{}` of its \
             JSON)",
            e.path()
        )),
        RequestTokenError::Other(problem) => AuthError::new(format!(
            "the token endpoint's answer is not OAuth: {problem}"
        )),
    }
}
