//! Where a definition says its API is served: the URL of its first server, with the server's
//! variables filled in.

use openapiv3::{OpenAPI, Server};

/// The server's URL with each `{variable}` replaced by the variable's default; a variable the
/// server does not declare is left as it is.
pub fn filled_url(server: &Server) -> String {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url
}

/// The first server's URL, filled in.
pub fn first_url(document: &OpenAPI) -> Option<String> {
    document.servers.first().map(filled_url)
}

/// Scheme, host and port of an absolute `http`/`https` URL without placeholders left: what
/// operation paths (which carry the server's path) are appended to. `None` for a relative URL
/// or one that is not a valid base.
pub fn origin(url: &str) -> Option<String> {
    if url.contains(['{', '}']) {
        return None;
    }
    let parsed = url::Url::parse(url).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return None;
    }
    Some(parsed.origin().ascii_serialization())
}

/// The hosts of the iTwin Platform's environments.
const PLATFORM_HOSTS: &[&str] = &[
    "api.bentley.com",
    "dev-api.bentley.com",
    "qa-api.bentley.com",
];

/// Whether the definition is an API of the iTwin Platform: its first server is on one of the
/// platform's hosts, which the runtime's `Environment` chooses between.
pub fn is_itwin_platform(document: &OpenAPI) -> bool {
    first_url(document)
        .and_then(|url| url::Url::parse(&url).ok())
        .and_then(|url| url.host_str().map(str::to_owned))
        .is_some_and(|host| PLATFORM_HOSTS.contains(&host.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(json: &str) -> Server {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn variables_take_their_defaults() {
        let s = server(
            r#"{"url": "https://{account}.example.com:{port}/{base}", "variables": {
                "account": {"default": "demo"}, "port": {"default": "8443", "enum": ["8443", "443"]},
                "base": {"default": "v2"}}}"#,
        );
        assert_eq!(filled_url(&s), "https://demo.example.com:8443/v2");
        assert_eq!(
            origin(&filled_url(&s)).as_deref(),
            Some("https://demo.example.com:8443")
        );
    }

    #[test]
    fn relative_or_unfilled_urls_have_no_origin() {
        assert_eq!(origin("/api/v3"), None);
        assert_eq!(origin("https://{region}.example.com"), None);
        assert_eq!(origin("ftp://example.com"), None);
        assert_eq!(origin("//example.com/v1"), None);
        assert_eq!(
            origin("https://api.example.com/v1/").as_deref(),
            Some("https://api.example.com")
        );
        assert_eq!(
            origin("http://localhost:8080").as_deref(),
            Some("http://localhost:8080")
        );
    }
}
