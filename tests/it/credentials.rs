//! The credentials of APIs outside the iTwin Platform on the wire, against local HTTP servers:
//! an API key in a header or the query, HTTP basic, no credentials at all, and a redirect to
//! another origin that must not carry a key along.

use itwin_platform::runtime::{ApiKey, BuildError, HttpMethod, Request};
use itwin_platform::{Client, Error};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn ping() -> Request {
    Request::new("ping", HttpMethod::Get, "/v1/ping", "application/json")
}

fn builder(server: &MockServer) -> itwin_platform::ClientBuilder {
    Client::builder()
        .without_environment()
        .base_url(server.uri())
}

async fn answers_204(server: &MockServer, matcher: impl wiremock::Match + 'static) {
    Mock::given(method("GET"))
        .and(path("/v1/ping"))
        .and(matcher)
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn an_api_key_goes_in_the_header_it_names() {
    let server = MockServer::start().await;
    answers_204(&server, header("X-API-Key", "k-123")).await;
    let client = builder(&server)
        .api_key(ApiKey::header("X-API-Key", "k-123"))
        .build()
        .unwrap();
    client.execute_empty(ping()).await.unwrap();
    let received = &server.received_requests().await.unwrap()[0];
    assert!(!received.headers.contains_key("authorization"));
}

#[tokio::test]
async fn an_api_key_goes_in_the_query_parameter_it_names() {
    let server = MockServer::start().await;
    answers_204(&server, query_param("api_key", "k 1&2")).await;
    let client = builder(&server)
        .api_key(ApiKey::query("api_key", "k 1&2"))
        .build()
        .unwrap();
    client.execute_empty(ping()).await.unwrap();
}

#[tokio::test]
async fn basic_credentials_go_in_authorization() {
    let server = MockServer::start().await;
    answers_204(&server, header("Authorization", "Basic YWRhOnB3")).await;
    let client = builder(&server).basic_auth("ada", "pw").build().unwrap();
    client.execute_empty(ping()).await.unwrap();
}

#[tokio::test]
async fn an_api_that_needs_no_credentials_gets_requests_without_any() {
    let server = MockServer::start().await;
    answers_204(&server, method("GET")).await;
    let client = builder(&server).credentials_optional().build().unwrap();
    client.execute_empty(ping()).await.unwrap();
    let received = &server.received_requests().await.unwrap()[0];
    assert!(!received.headers.contains_key("authorization"));
}

#[tokio::test]
async fn a_header_key_is_not_carried_to_another_origin_by_a_redirect() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/ping"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("Location", format!("{}/v1/ping", elsewhere.uri())),
        )
        .mount(&server)
        .await;
    let client = builder(&server)
        .api_key(ApiKey::header("X-API-Key", "k-123"))
        .build()
        .unwrap();
    let error = client.execute_empty(ping()).await.unwrap_err();
    // The client's redirect policy refuses other origins: the key never leaves for there.
    assert!(matches!(error, Error::Redirect { .. }), "{error:?}");
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
    assert!(!format!("{error:?} {error}").contains("k-123"));
}

#[test]
fn builders_without_a_base_url_or_with_a_broken_key_say_why() {
    let missing = Client::builder()
        .without_environment()
        .credentials_optional()
        .build()
        .unwrap_err();
    assert!(matches!(missing, BuildError::MissingBaseUrl));
    assert!(missing.to_string().contains("base_url"), "{missing}");
    let refused = Client::builder()
        .base_url("https://api.example.com")
        .api_key(ApiKey::header("X-API-Key", "k\r\nX-Evil: 1"))
        .build()
        .unwrap_err();
    assert!(matches!(refused, BuildError::InvalidCredentials(_)));
    assert!(!format!("{refused} {refused:?}").contains("Evil"));
    assert!(matches!(
        Client::builder()
            .without_environment()
            .base_url("https://api.example.com")
            .build(),
        Err(BuildError::MissingCredentials)
    ));
}
