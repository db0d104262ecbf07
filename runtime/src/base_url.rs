//! The base URL of a client, parsed once: every request's path and query is resolved against it,
//! so that a call parses its own path and query but not the scheme and host again.

use url::Url;

/// Where a client's requests go: scheme, host and an optional path prefix.
pub(crate) struct BaseUrl {
    /// As given (checked), without a trailing slash.
    text: String,
    /// `text` with a trailing slash, parsed: paths are resolved below its path.
    parsed: Url,
}

impl BaseUrl {
    /// `text`: an absolute URL without a trailing slash.
    pub(crate) fn new(text: String) -> Result<BaseUrl, url::ParseError> {
        let parsed = Url::parse(&format!("{text}/"))?;
        Ok(BaseUrl { text, parsed })
    }

    /// The base URL without a trailing slash.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The URL of `path` (a request's path and query) appended to the base URL. A path that
    /// starts with `/` (every operation's) is resolved as `./path` against the parsed base,
    /// which yields the URL that parsing the two joined as text yields, without parsing the
    /// scheme and host again; any other path is appended to the text and the whole parsed.
    pub(crate) fn url(&self, mut path: String) -> Result<Url, url::ParseError> {
        if path.starts_with('/') {
            // `./` keeps a first segment with a `:` from reading as a scheme.
            path.insert(0, '.');
            Url::options().base_url(Some(&self.parsed)).parse(&path)
        } else {
            Url::parse(&format!("{}{path}", self.text))
        }
    }

    /// Whether `url` has the base URL's origin (scheme, host and port), where the credentials
    /// are meant to go.
    pub(crate) fn has_origin_of(&self, url: &Url) -> bool {
        url.scheme() == self.parsed.scheme()
            && url.host() == self.parsed.host()
            && url.port_or_known_default() == self.parsed.port_or_known_default()
    }

    /// The base URL, parsed (with a trailing slash).
    pub(crate) fn parsed(&self) -> &Url {
        &self.parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the client did before the base URL was parsed once: the two joined, parsed whole.
    fn joined(base: &str, path: &str) -> String {
        Url::parse(&format!("{base}{path}")).unwrap().to_string()
    }

    #[test]
    fn a_path_resolves_as_the_joined_text_parses() {
        let bases = [
            "https://api.bentley.com",
            "http://127.0.0.1:8080/proxy",
            "http://127.0.0.1:8080/a%20b/c",
            "https://host.example:443/v1",
        ];
        let paths = [
            "/accesscontrol/itwins/ae8f3a5c/roles",
            "/itwins?$top=10&$skip=20",
            "/",
            "//double/slash",
            "/a/../../b",
            "/a/./b/%2e%2e/c",
            "/{odd}:action",
            "/sp ace/ünï?q=a b&r=ü#frag",
            "/a\\b",
            "/x?",
        ];
        for base in bases {
            let resolved = BaseUrl::new(base.to_owned()).unwrap();
            for path in paths {
                let url = resolved.url(path.to_owned()).unwrap();
                assert_eq!(url.as_str(), joined(base, path), "{base} + {path}");
                assert!(resolved.has_origin_of(&url), "{url}");
            }
        }
    }

    #[test]
    fn a_path_without_a_leading_slash_is_appended_as_text() {
        let base = BaseUrl::new("http://localhost".to_owned()).unwrap();
        let url = base.url(".example/x".to_owned()).unwrap();
        assert_eq!(url.as_str(), "http://localhost.example/x");
        assert!(!base.has_origin_of(&url));
    }
}
