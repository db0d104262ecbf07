//! What a definition says of its API beyond the operations: its version and where it is served
//! (the model's [`ApiIdentity`]), and the credentials its security schemes declare that a client
//! can offer ([`Security`]), with a warning for each scheme it cannot.

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityScheme as Declared};

use crate::model::{ApiIdentity, Security, SecurityScheme};
use crate::pointer::Pointer;
use crate::servers;

/// The API's version, and whether and where it is served.
pub(super) fn identity(document: &OpenAPI) -> ApiIdentity {
    ApiIdentity {
        version: document.info.version.trim().to_owned(),
        itwin_platform: servers::is_itwin_platform(document),
        origin: servers::first_url(document).and_then(|url| servers::origin(&url)),
    }
}

/// The credentials a client can offer; `unsupported` is told of each scheme it cannot (an API
/// key in a cookie, an HTTP scheme other than basic and bearer). An iTwin Platform API's client
/// offers the platform's credentials, so its schemes are not read.
pub(super) fn security(
    document: &OpenAPI,
    identity: &ApiIdentity,
    mut unsupported: impl FnMut(&Pointer, &str),
) -> Security {
    let schemes = if identity.itwin_platform {
        Vec::new()
    } else {
        schemes(document, &mut unsupported)
    };
    Security {
        schemes,
        required: requires_credentials(document),
    }
}

fn schemes(
    document: &OpenAPI,
    unsupported: &mut impl FnMut(&Pointer, &str),
) -> Vec<SecurityScheme> {
    let mut schemes = Vec::new();
    let declared = document.components.iter().flat_map(|c| &c.security_schemes);
    for (key, scheme) in declared {
        let at = Pointer::root()
            .push("components")
            .push("securitySchemes")
            .push(key);
        let mut unsupported = |message: &str| unsupported(&at, message);
        let key = key.clone();
        let ReferenceOr::Item(scheme) = scheme else {
            unsupported("a security scheme by $ref is not supported; it is left out");
            continue;
        };
        match scheme {
            Declared::APIKey { location, name, .. } => match location {
                APIKeyLocation::Header | APIKeyLocation::Query => {
                    schemes.push(SecurityScheme::ApiKey {
                        key,
                        name: name.clone(),
                        query: *location == APIKeyLocation::Query,
                    })
                }
                APIKeyLocation::Cookie => unsupported(
                    "an API key in a cookie is not supported: send it with your own HTTP client (`http_client`)",
                ),
            },
            Declared::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
                schemes.push(SecurityScheme::Basic { key })
            }
            Declared::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                schemes.push(SecurityScheme::Bearer {
                    key,
                    what: "a bearer token".to_owned(),
                })
            }
            Declared::HTTP { scheme, .. } => unsupported(&format!(
                "the HTTP authentication scheme `{scheme}` is not supported; only basic and bearer are"
            )),
            Declared::OAuth2 { flows, .. } => match &flows.client_credentials {
                Some(flow) if servers::origin(&flow.token_url).is_some() => {
                    schemes.push(SecurityScheme::ClientCredentials {
                        key,
                        token_url: flow.token_url.clone(),
                        scopes: flow.scopes.keys().cloned().collect(),
                    })
                }
                _ => schemes.push(SecurityScheme::Bearer {
                    key,
                    what: "an OAuth 2.0 access token".to_owned(),
                }),
            },
            Declared::OpenIDConnect { .. } => schemes.push(SecurityScheme::Bearer {
                key,
                what: "an OpenID Connect access token".to_owned(),
            }),
        }
    }
    schemes
}

/// Whether every request needs credentials: the definition's top-level `security` names at
/// least one scheme and offers no anonymous alternative (`{}`).
fn requires_credentials(document: &OpenAPI) -> bool {
    document.security.as_ref().is_some_and(|alternatives| {
        !alternatives.is_empty() && alternatives.iter().all(|r| !r.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(json: &str) -> OpenAPI {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn credentials_are_required_only_without_an_anonymous_alternative() {
        let with = |security: &str| {
            requires_credentials(&document(&format!(
                r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{}}{security}}}"#
            )))
        };
        assert!(!with(""));
        assert!(!with(r#", "security": []"#));
        assert!(with(r#", "security": [{"key": []}]"#));
        assert!(!with(r#", "security": [{"key": []}, {}]"#));
    }

    #[test]
    fn schemes_a_client_cannot_offer_are_told() {
        let document = document(
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": " 2.0.1 "}, "paths": {},
                "servers": [{"url": "https://api.example.com/v2"}],
                "components": {"securitySchemes": {
                    "key": {"type": "apiKey", "in": "query", "name": "k"},
                    "cookie": {"type": "apiKey", "in": "cookie", "name": "c"},
                    "digest": {"type": "http", "scheme": "digest"}}}}"#,
        );
        let identity = identity(&document);
        assert_eq!(identity.version, "2.0.1");
        assert_eq!(identity.origin.as_deref(), Some("https://api.example.com"));
        let mut told = Vec::new();
        let security = security(&document, &identity, |at, _| told.push(at.to_string()));
        assert_eq!(
            security.schemes,
            [SecurityScheme::ApiKey {
                key: "key".to_owned(),
                name: "k".to_owned(),
                query: true
            }]
        );
        assert_eq!(
            told,
            [
                "/components/securitySchemes/cookie",
                "/components/securitySchemes/digest"
            ]
        );
    }
}
