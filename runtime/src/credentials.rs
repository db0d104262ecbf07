//! What proves who is calling, and how it goes on a request: a bearer token, an API key in a
//! header or the query, or HTTP basic credentials, as the API's security schemes declare.
//!
//! Secrets never appear in `Debug` output or in errors, and they go only where the client's
//! redirect policy lets credentials go (the base URL's origin, or hosts allowed there).

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
use url::Url;

use super::auth::{AccessToken, TokenProvider};
use super::error::Error;

/// A secret string: its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
struct Secret(Arc<str>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Where an API key goes on each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyPlacement {
    /// A request header of this name.
    Header,
    /// A query parameter of this name.
    Query,
}

/// An API key (OpenAPI security scheme `type: apiKey`) and where it goes. Its `Debug` output
/// shows where, never the key.
///
/// ```
/// use itwin_platform_runtime::ApiKey;
///
/// let key = ApiKey::header("X-API-Key", "k-123");
/// assert!(!format!("{key:?}").contains("k-123"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    name: String,
    placement: KeyPlacement,
    value: Secret,
}

impl ApiKey {
    /// A key sent in the header `name`.
    pub fn header(name: impl Into<String>, key: impl Into<String>) -> Self {
        Self::new(name.into(), KeyPlacement::Header, key.into())
    }

    /// A key sent as the query parameter `name`.
    pub fn query(name: impl Into<String>, key: impl Into<String>) -> Self {
        Self::new(name.into(), KeyPlacement::Query, key.into())
    }

    fn new(name: String, placement: KeyPlacement, key: String) -> Self {
        ApiKey {
            name,
            placement,
            value: Secret(Arc::from(key)),
        }
    }

    /// The header or query parameter name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the key goes in a header or in the query.
    pub fn placement(&self) -> KeyPlacement {
        self.placement
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("name", &self.name)
            .field("placement", &self.placement)
            .field("value", &self.value)
            .finish()
    }
}

/// HTTP basic credentials (`type: http, scheme: basic`). Its `Debug` output shows the user
/// name, never the password.
#[derive(Clone, PartialEq, Eq)]
pub struct BasicAuth {
    username: String,
    password: Secret,
}

impl BasicAuth {
    /// Credentials of `username` and `password`.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        BasicAuth {
            username: username.into(),
            password: Secret(Arc::from(password.into())),
        }
    }

    /// The `Authorization` header value: `Basic` and base64 of `user:password` (RFC 7617).
    fn header_value(&self) -> String {
        let pair = format!("{}:{}", self.username, &*self.password.0);
        format!("Basic {}", STANDARD.encode(pair))
    }
}

impl fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuth")
            .field("username", &self.username)
            .field("password", &self.password)
            .finish()
    }
}

/// The credentials a client sends.
#[derive(Clone)]
pub(super) enum Credentials {
    /// Requests go without credentials (an API whose definition requires none).
    Anonymous,
    /// `Authorization: Bearer` with a token from the provider, asked before each request.
    Bearer(Bearer),
    ApiKey(ApiKey),
    Basic(BasicAuth),
}

/// A token provider, and the `Authorization` value of the token it gave last: a provider hands
/// out the same token until it expires, and its header is made once, not on every request.
#[derive(Clone)]
pub(super) struct Bearer {
    provider: Arc<dyn TokenProvider>,
    /// Shared by the client's clones.
    last: Arc<Mutex<Option<(AccessToken, HeaderValue)>>>,
}

impl Bearer {
    pub(super) fn new(provider: Arc<dyn TokenProvider>) -> Self {
        Bearer {
            provider,
            last: Arc::default(),
        }
    }

    /// The `Authorization` value of `token`, or `None` if it cannot be a header value.
    fn header(&self, token: AccessToken) -> Option<HeaderValue> {
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((known, value)) = last.as_ref() {
            if *known == token {
                return Some(value.clone());
            }
        }
        let value = sensitive(format!("Bearer {}", token.secret()))?;
        *last = Some((token, value.clone()));
        Some(value)
    }
}

/// The credentials of one attempt, asked for once and put on each request it sends: the first,
/// and those that follow a redirect.
pub(super) enum Credential<'a> {
    None,
    Header(HeaderName, HeaderValue),
    /// An API key that goes in the query of the first request; a redirect's `Location` is
    /// followed as given.
    Query(&'a ApiKey),
}

impl Credential<'_> {
    /// Puts a header credential on `headers`, replacing any of its name.
    pub(super) fn add_header(&self, headers: &mut HeaderMap) {
        if let Credential::Header(name, value) = self {
            headers.insert(name.clone(), value.clone());
        }
    }

    /// Appends a query credential to `url`.
    pub(super) fn add_query(&self, url: &mut Url) {
        if let Credential::Query(key) = self {
            url.query_pairs_mut().append_pair(&key.name, &key.value.0);
        }
    }
}

impl Credentials {
    /// The credentials, if every part can go on a request: a value with a line break (or
    /// another control character) could end a header and start another one, so it is refused
    /// here rather than on each request. The reason names the part, never the value.
    pub(super) fn checked(self) -> Result<Self, String> {
        match &self {
            Credentials::ApiKey(key) => {
                if key.placement == KeyPlacement::Header
                    && HeaderName::from_bytes(key.name.as_bytes()).is_err()
                {
                    return Err(format!("`{}` is not a valid header name", key.name));
                }
                if key.name.is_empty() {
                    return Err("the API key's parameter name is empty".to_owned());
                }
                if has_control(&key.value.0) {
                    return Err(
                        "the API key contains a control character (such as CR or LF)".to_owned(),
                    );
                }
            }
            Credentials::Basic(basic) => {
                if basic.username.contains(':') {
                    return Err("a basic-auth user name cannot contain `:`".to_owned());
                }
                if has_control(&basic.username) || has_control(&basic.password.0) {
                    return Err(
                        "the basic-auth credentials contain a control character (such as CR or LF)"
                            .to_owned(),
                    );
                }
            }
            Credentials::Anonymous | Credentials::Bearer(_) => {}
        }
        Ok(self)
    }

    /// The credentials of an attempt: for a bearer token, the provider is asked for one.
    pub(super) async fn for_attempt(
        &self,
        operation: &'static str,
    ) -> Result<Credential<'_>, Error> {
        let invalid = |reason: &str| Error::InvalidRequest {
            operation,
            reason: reason.to_owned(),
        };
        Ok(match self {
            Credentials::Anonymous => Credential::None,
            Credentials::Bearer(bearer) => {
                let token = bearer
                    .provider
                    .access_token()
                    .await
                    .map_err(|source| Error::Auth { operation, source })?;
                // Never echo the token: a rejected value is described, not quoted.
                let value = bearer.header(token).ok_or_else(|| {
                    invalid("the access token contains characters that are not allowed in a header")
                })?;
                Credential::Header(AUTHORIZATION, value)
            }
            Credentials::ApiKey(key) => match key.placement {
                KeyPlacement::Header => {
                    let name = HeaderName::from_bytes(key.name.as_bytes())
                        .map_err(|_| invalid("the API key's header name is not valid"))?;
                    let value = sensitive(key.value.0.to_string()).ok_or_else(|| {
                        invalid("the API key contains characters that are not allowed in a header")
                    })?;
                    Credential::Header(name, value)
                }
                KeyPlacement::Query => Credential::Query(key),
            },
            Credentials::Basic(basic) => {
                let value = sensitive(basic.header_value()).ok_or_else(|| {
                    invalid("the basic-auth credentials are not allowed in a header")
                })?;
                Credential::Header(AUTHORIZATION, value)
            }
        })
    }

    /// Puts the credentials on a request to `url` (the client's base URL and the request's
    /// path and query): a header in `headers`, or a query parameter appended to `url`.
    #[cfg(test)]
    pub(super) async fn apply(
        &self,
        operation: &'static str,
        headers: &mut HeaderMap,
        url: &mut Url,
    ) -> Result<(), Error> {
        let credential = self.for_attempt(operation).await?;
        credential.add_header(headers);
        credential.add_query(url);
        Ok(())
    }
}

/// A header value marked sensitive (left out of reqwest's `Debug` and of HTTP/2 header
/// compression tables), or `None` if it cannot be a header value.
fn sensitive(value: String) -> Option<HeaderValue> {
    let mut value = HeaderValue::try_from(value).ok()?;
    value.set_sensitive(true);
    Some(value)
}

fn has_control(value: &str) -> bool {
    value.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StaticToken;

    async fn applied(credentials: &Credentials) -> (HeaderMap, String) {
        let mut headers = HeaderMap::new();
        let mut url = Url::parse("https://api.example.com/v1/pets?limit=2").unwrap();
        credentials
            .apply("listPets", &mut headers, &mut url)
            .await
            .unwrap();
        (headers, url.to_string())
    }

    #[test]
    fn debug_output_hides_every_secret() {
        let key = ApiKey::query("api_key", "key-s3cret");
        let basic = BasicAuth::new("ada", "pw-s3cret");
        let debug = format!("{key:?} {basic:?}");
        assert!(!debug.contains("s3cret"), "{debug}");
        assert!(debug.contains("api_key") && debug.contains("Query") && debug.contains("ada"));
    }

    #[tokio::test]
    async fn a_header_key_goes_in_its_header_and_nowhere_else() {
        let (headers, url) = applied(&Credentials::ApiKey(ApiKey::header("X-API-Key", "k1"))).await;
        assert_eq!(headers["x-api-key"], "k1");
        assert!(headers["x-api-key"].is_sensitive());
        assert!(!headers.contains_key(AUTHORIZATION));
        assert_eq!(url, "https://api.example.com/v1/pets?limit=2");
    }

    #[tokio::test]
    async fn a_query_key_is_appended_percent_encoded() {
        let key = ApiKey::query("api key", "a&b=c d");
        let (headers, url) = applied(&Credentials::ApiKey(key)).await;
        assert!(headers.is_empty());
        assert_eq!(
            url,
            "https://api.example.com/v1/pets?limit=2&api+key=a%26b%3Dc+d"
        );
        let mut bare = Url::parse("https://api.example.com/v1/pets").unwrap();
        Credentials::ApiKey(ApiKey::query("key", "k"))
            .apply("listPets", &mut HeaderMap::new(), &mut bare)
            .await
            .unwrap();
        assert_eq!(bare.as_str(), "https://api.example.com/v1/pets?key=k");
    }

    #[tokio::test]
    async fn basic_credentials_are_base64_in_authorization() {
        // RFC 7617 §2's example.
        let basic = BasicAuth::new("Aladdin", "open sesame");
        let (headers, _) = applied(&Credentials::Basic(basic)).await;
        assert_eq!(headers[AUTHORIZATION], "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert!(headers[AUTHORIZATION].is_sensitive());
    }

    #[tokio::test]
    async fn bearer_tokens_and_anonymous_requests() {
        let bearer = Credentials::Bearer(Bearer::new(Arc::new(StaticToken::new("tok"))));
        assert_eq!(applied(&bearer).await.0[AUTHORIZATION], "Bearer tok");
        assert!(applied(&Credentials::Anonymous).await.0.is_empty());
    }

    #[tokio::test]
    async fn the_header_of_a_token_is_made_again_when_the_token_changes() {
        let turn = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let tokens = crate::TokenFn::new(move || {
            let n = turn.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            async move { Ok(AccessToken::new(["a", "a", "b", "bad\n"][n.min(3)])) }
        });
        let bearer = Credentials::Bearer(Bearer::new(Arc::new(tokens)));
        for expected in ["Bearer a", "Bearer a", "Bearer b"] {
            let (headers, _) = applied(&bearer).await;
            assert_eq!(headers[AUTHORIZATION], expected);
            assert!(headers[AUTHORIZATION].is_sensitive());
        }
        let mut headers = HeaderMap::new();
        let mut url = Url::parse("https://api.example.com/").unwrap();
        let refused = bearer.apply("listPets", &mut headers, &mut url).await;
        assert!(matches!(refused, Err(Error::InvalidRequest { .. })));
    }

    #[test]
    fn line_breaks_and_bad_names_are_refused_without_quoting_the_secret() {
        let refused = [
            Credentials::ApiKey(ApiKey::header("X-Key", "k\r\nX-Evil: 1")),
            Credentials::ApiKey(ApiKey::query("key", "k\nv")),
            Credentials::ApiKey(ApiKey::header("X Key", "k")),
            Credentials::ApiKey(ApiKey::query("", "k")),
            Credentials::Basic(BasicAuth::new("ada", "pw\r\n")),
            Credentials::Basic(BasicAuth::new("a:da", "pw")),
        ];
        for credentials in refused {
            let reason = credentials.checked().err().expect("refused");
            assert!(
                !reason.contains("Evil") && !reason.contains("pw"),
                "{reason}"
            );
        }
        assert!(Credentials::ApiKey(ApiKey::header("X-Key", "k-1"))
            .checked()
            .is_ok());
    }
}
