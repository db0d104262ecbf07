//! Redirects, followed by the client itself rather than by reqwest: only to hosts the token is
//! meant for, only over HTTPS, and only a few hops.
//!
//! reqwest's own redirects are turned off because it decides with nothing but the URL: it
//! drops the `Authorization` header at any other host (so a redirect between the platform's
//! own hosts loses the token) and follows anything else blindly.
//!
//! The federated repositories of the iTwins API answer with 302s to other platform hosts;
//! Bentley's TypeScript iTwins client follows those itself too, with the token, over HTTPS
//! only, to Bentley hosts only, at most 5 hops.

use std::fmt;
use std::net::IpAddr;

use reqwest::StatusCode;
use url::Url;

use super::request::HttpMethod;

/// How many redirects one attempt follows by default.
const DEFAULT_MAX_REDIRECTS: usize = 5;

/// The platform's hosts: production, and every `<environment>-api` host (`dev-`, `qa-`).
const PLATFORM_HOSTS: [&str; 2] = ["api.bentley.com", "*-api.bentley.com"];

/// Which redirects the client follows: set with
/// [`ClientBuilder::redirect_policy`](super::ClientBuilder::redirect_policy).
///
/// A redirect is followed, with the same credentials, when it stays on the origin of the
/// client's base URL, or goes over HTTPS to an allowed host: by default `api.bentley.com` and
/// `*-api.bentley.com` (`dev-api`, `qa-api`, ...). Plain HTTP to another origin is only
/// followed to a loopback address, for local tests, and only if that host is allowed too.
/// Anything else fails with [`Error::Redirect`](super::Error::Redirect) rather than being
/// followed without the token: the answer at the end would not be the one the call asked for.
///
/// Methods change as browsers change them: a 303 becomes a `GET` without body; a 301 or 302
/// turns a `POST` into a `GET` without body (what browsers do, and what RFC 9110 §15.4.2
/// allows) and keeps any other method; a 307 or 308 keeps the method and the body.
///
/// ```
/// use itwin_platform_runtime::RedirectPolicy;
///
/// // Also follow redirects to a company proxy, at most 3 hops.
/// let policy = RedirectPolicy::default().allow_host("itwin-proxy.example.com").max_redirects(3);
/// // Never follow: a 3xx answer is an `Error::Api` with its status and `Location` header.
/// let never = RedirectPolicy::none();
/// # let _ = (policy, never);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectPolicy {
    max_redirects: usize,
    /// Exact host names, or `*` followed by a suffix: `*-api.bentley.com` matches one label
    /// ending in `-api` under `bentley.com`, never a dot in place of the star.
    allowed_hosts: Vec<String>,
}

impl Default for RedirectPolicy {
    /// Up to 5 redirects, to the platform's hosts.
    fn default() -> Self {
        RedirectPolicy {
            max_redirects: DEFAULT_MAX_REDIRECTS,
            allowed_hosts: PLATFORM_HOSTS.iter().map(|h| (*h).to_owned()).collect(),
        }
    }
}

impl RedirectPolicy {
    /// Follows no redirect.
    pub fn none() -> Self {
        RedirectPolicy::default().max_redirects(0)
    }

    /// Redirects followed in one attempt at most; the one after fails with
    /// [`RedirectError::TooMany`].
    pub fn max_redirects(mut self, hops: usize) -> Self {
        self.max_redirects = hops;
        self
    }

    /// Also follows redirects to `host`: a name such as `proxy.example.com` or `127.0.0.1`,
    /// or `*` and a suffix, such as `*.example.com` (one label in place of the star).
    pub fn allow_host(mut self, host: impl Into<String>) -> Self {
        self.allowed_hosts.push(host.into().to_ascii_lowercase());
        self
    }

    /// Follows redirects to these hosts only (patterns as in [`allow_host`](Self::allow_host)),
    /// instead of the platform's.
    pub fn only_hosts<H: Into<String>>(mut self, hosts: impl IntoIterator<Item = H>) -> Self {
        self.allowed_hosts.clear();
        for host in hosts {
            self = self.allow_host(host);
        }
        self
    }

    /// Whether any redirect is followed; with [`none`](Self::none), a 3xx is the answer.
    pub(super) fn follows(&self) -> bool {
        self.max_redirects > 0
    }

    fn allows(&self, host: &str) -> bool {
        self.allowed_hosts
            .iter()
            .any(|pattern| match pattern.strip_prefix('*') {
                Some(suffix) => host
                    .strip_suffix(suffix)
                    .is_some_and(|label| !label.is_empty() && !label.contains('.')),
                None => pattern == host,
            })
    }

    /// Where a redirect of the request to `from` goes, and with which method; `origin` is the
    /// client's base URL, where the credentials are meant to go.
    pub(super) fn next_hop(
        &self,
        origin: &Url,
        from: &Url,
        method: HttpMethod,
        status: StatusCode,
        location: &str,
        hops_done: usize,
    ) -> Result<Hop, RedirectError> {
        if hops_done >= self.max_redirects {
            return Err(RedirectError::TooMany {
                limit: self.max_redirects,
            });
        }
        let mut url = from
            .join(location)
            .map_err(|_| RedirectError::InvalidLocation {
                location: without_query(location),
            })?;
        url.set_fragment(None);
        if url.origin() != origin.origin() {
            let host = url.host_str().unwrap_or_default().to_owned();
            let secure = match url.scheme() {
                "https" => true,
                "http" => is_loopback(&url),
                _ => false,
            };
            if !secure {
                return Err(RedirectError::Insecure {
                    url: without_query(url.as_str()),
                });
            }
            if !self.allows(&host) {
                return Err(RedirectError::HostNotAllowed { host });
            }
        }
        let becomes_get = status == StatusCode::SEE_OTHER
            || (matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND)
                && method == HttpMethod::Post);
        Ok(if becomes_get {
            Hop {
                url,
                method: HttpMethod::Get,
                keeps_body: false,
            }
        } else {
            Hop {
                url,
                method,
                keeps_body: true,
            }
        })
    }
}

/// Whether `status` is a redirect the client may follow (one that comes with a `Location`).
pub(super) fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// The next request of a redirect chain.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Hop {
    pub(super) url: Url,
    pub(super) method: HttpMethod,
    /// Whether the body (and its `Content-Type`) goes along.
    pub(super) keeps_body: bool,
}

/// Why a redirect was not followed ([`Error::Redirect`](super::Error::Redirect)). URLs are
/// quoted without their query, which may carry a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectError {
    /// More redirects than [`RedirectPolicy::max_redirects`] in one attempt.
    TooMany {
        /// The most redirects the policy follows.
        limit: usize,
    },
    /// A redirect to a host the policy does not allow (see [`RedirectPolicy::allow_host`]).
    HostNotAllowed {
        /// The host redirected to.
        host: String,
    },
    /// A redirect to plain HTTP (or another scheme) on a host that is not loopback.
    Insecure {
        /// The URL redirected to.
        url: String,
    },
    /// The `Location` header is not a URL.
    InvalidLocation {
        /// The header's value.
        location: String,
    },
    /// A redirect that keeps the body (307, 308) of a one-shot body (a stream or an open file,
    /// see [`UploadBody`](super::UploadBody)), which the first request consumed.
    BodyNotReplayable,
}

impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RedirectError::TooMany { limit } => {
                write!(
                    f,
                    "more than {limit} redirects (RedirectPolicy::max_redirects)"
                )
            }
            RedirectError::HostNotAllowed { host } => write!(
                f,
                "`{host}` is not a host the credentials may go to (RedirectPolicy::allow_host)"
            ),
            RedirectError::Insecure { url } => {
                write!(f, "`{url}` is not HTTPS")
            }
            RedirectError::InvalidLocation { location } => {
                write!(f, "the Location `{location}` is not a URL")
            }
            RedirectError::BodyNotReplayable => f.write_str(
                "it asks for the body again, which was a one-shot stream the first request consumed",
            ),
        }
    }
}

pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    }
}

/// A URL for messages: without query or fragment, at most 100 characters.
fn without_query(url: &str) -> String {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let url = &url[..end];
    match url.char_indices().nth(100) {
        Some((cut, _)) => format!("{}…", &url[..cut]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    fn hop(
        policy: &RedirectPolicy,
        method: HttpMethod,
        status: u16,
        location: &str,
    ) -> Result<Hop, RedirectError> {
        let origin = url("https://api.bentley.com");
        let from = url("https://api.bentley.com/itwins/repositories?x=1");
        let status = StatusCode::from_u16(status).unwrap();
        policy.next_hop(&origin, &from, method, status, location, 0)
    }

    #[test]
    fn the_platform_hosts_are_allowed_and_lookalikes_are_not() {
        let policy = RedirectPolicy::default();
        for host in [
            "api.bentley.com",
            "dev-api.bentley.com",
            "qa-api.bentley.com",
        ] {
            assert!(policy.allows(host), "{host}");
        }
        for host in [
            "bentley.com",
            "-api.bentley.com",
            "x.dev-api.bentley.com",
            "evil-api.bentley.com.example",
            "api.bentley.com.example",
            "evilapi.bentley.com",
            "127.0.0.1",
        ] {
            assert!(!policy.allows(host), "{host}");
        }
        assert!(policy.clone().allow_host("127.0.0.1").allows("127.0.0.1"));
        let only = policy.only_hosts(["*.example.com"]);
        assert!(only.allows("a.example.com") && !only.allows("api.bentley.com"));
    }

    #[test]
    fn methods_change_as_browsers_change_them() {
        let policy = RedirectPolicy::default();
        let to = "https://qa-api.bentley.com/next";
        let cases = [
            (HttpMethod::Post, 303, HttpMethod::Get, false),
            (HttpMethod::Put, 303, HttpMethod::Get, false),
            (HttpMethod::Post, 302, HttpMethod::Get, false),
            (HttpMethod::Post, 301, HttpMethod::Get, false),
            (HttpMethod::Patch, 302, HttpMethod::Patch, true),
            (HttpMethod::Post, 307, HttpMethod::Post, true),
            (HttpMethod::Put, 308, HttpMethod::Put, true),
            (HttpMethod::Get, 302, HttpMethod::Get, true),
        ];
        for (method, status, expected, keeps_body) in cases {
            let next = hop(&policy, method, status, to).unwrap();
            assert_eq!(
                (next.method, next.keeps_body),
                (expected, keeps_body),
                "{method} {status}"
            );
            assert_eq!(next.url.as_str(), to);
        }
    }

    #[test]
    fn relative_locations_stay_on_the_origin_whatever_the_allow_list() {
        let policy = RedirectPolicy::default().only_hosts(Vec::<String>::new());
        let next = hop(&policy, HttpMethod::Get, 302, "/itwins/other#frag").unwrap();
        assert_eq!(next.url.as_str(), "https://api.bentley.com/itwins/other");
    }

    #[test]
    fn insecure_unknown_and_endless_redirects_are_refused() {
        let policy = RedirectPolicy::default();
        let insecure = hop(
            &policy,
            HttpMethod::Get,
            302,
            "http://dev-api.bentley.com/x?sig=s3cr3t",
        );
        assert_eq!(
            insecure.unwrap_err(),
            RedirectError::Insecure {
                url: "http://dev-api.bentley.com/x".into()
            }
        );
        let other = hop(&policy, HttpMethod::Get, 307, "https://collector.example/x");
        assert_eq!(
            other.unwrap_err(),
            RedirectError::HostNotAllowed {
                host: "collector.example".into()
            }
        );
        let scheme = hop(&policy, HttpMethod::Get, 302, "file:///etc/passwd");
        assert!(matches!(scheme, Err(RedirectError::Insecure { .. })));
        let loopback_not_listed = hop(&policy, HttpMethod::Get, 302, "http://127.0.0.1:9/x");
        assert!(matches!(
            loopback_not_listed,
            Err(RedirectError::HostNotAllowed { .. })
        ));
        let origin = url("https://api.bentley.com");
        let far = policy.next_hop(
            &origin,
            &origin,
            HttpMethod::Get,
            StatusCode::FOUND,
            "/x",
            5,
        );
        assert_eq!(far.unwrap_err(), RedirectError::TooMany { limit: 5 });
    }
}
