//! The runtime's policies against real HTTP servers on loopback: page streams that always end,
//! redirects followed only where the token may go, interceptors and per-call options, errors
//! that say whether to retry and which request failed, and a client from environment variables.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use itwin_platform::runtime::{
    AttemptOutcome, AttemptRequest, CallOptions, Interceptor, InterceptorError, PagingError,
    RedirectError, RedirectPolicy,
};
use itwin_platform::{Client, ClientBuilder, Error, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::{any, body_string_contains, method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const ITWIN: &str = "ae8f3a5c-2d1b-4b8e-9d47-1f2a3b4c5d6e";
const TOKEN: &str = "test-token-7f3e";

/// An HTTP client as the default one is made (no redirects of its own), without the pool's
/// idle timer, which would fire on tokio's paused clock.
fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(None)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

fn builder_for(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .access_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .timeout(None)
        .http_client(http())
}

fn client_for(server: &MockServer) -> Client {
    builder_for(server).build().expect("valid settings")
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

fn roles() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"roles": [{"id": "r1"}]}))
}

// ---------------------------------------------------------------------------------------------
// Paging that always ends
// ---------------------------------------------------------------------------------------------

/// A members page: `count` items from `first`, and a next link to `$skip=next` if given.
fn members_page(first: usize, count: usize, next: Option<usize>) -> Value {
    let members: Vec<Value> = (first..first + count)
        .map(|i| json!({"id": format!("m{i}")}))
        .collect();
    let mut links = json!({"self": {"href": "x"}});
    if let Some(skip) = next {
        links["next"] = json!({"href": format!(
            "https://api.bentley.com/accesscontrol/itwins/{ITWIN}/members/users?$skip={skip}"
        )});
    }
    json!({"members": members, "_links": links})
}

/// Answers `$skip=n` (absent: 0) with `page(n)`.
struct BySkip(fn(usize) -> Value);

impl Respond for BySkip {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let skip = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "$skip")
            .map_or(0, |(_, v)| v.parse().unwrap());
        ResponseTemplate::new(200).set_body_json((self.0)(skip))
    }
}

async fn list_members(client: &Client) -> Vec<Result<String, Error>> {
    client
        .access_control()
        .get_itwin_user_members(ITWIN)
        .into_stream()
        .map_ok(|member| member.id)
        .collect()
        .await
}

#[tokio::test]
async fn a_next_link_back_to_an_earlier_page_ends_the_stream_with_an_error_naming_it() {
    let server = MockServer::start().await;
    // 0 → 2 → 4 → back to 2.
    Mock::given(method("GET"))
        .respond_with(BySkip(|skip| {
            let next = if skip == 4 { 2 } else { skip + 2 };
            members_page(skip, 2, Some(next))
        }))
        .mount(&server)
        .await;
    let items = list_members(&client_for(&server)).await;
    let ids: Vec<&str> = items.iter().filter_map(|i| i.as_deref().ok()).collect();
    assert_eq!(ids, ["m0", "m1", "m2", "m3", "m4", "m5"]);
    let error = items.last().unwrap().as_ref().unwrap_err();
    match error {
        Error::Paging {
            operation,
            problem: PagingError::RepeatedLink { link },
        } => {
            assert_eq!(*operation, "get-itwin-user-members");
            assert!(link.ends_with("/members/users?$skip=2"), "{link}");
        }
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("$skip=2"), "{error}");
    assert!(!error.is_retryable());
    assert_eq!(
        requests(&server).await.len(),
        3,
        "the repeated page is not fetched"
    );
}

#[tokio::test]
async fn a_next_link_to_the_page_itself_is_a_repeat() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(BySkip(|skip| members_page(skip, 1, Some(skip.max(1)))))
        .mount(&server)
        .await;
    let items = list_members(&client_for(&server)).await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(matches!(
        items[2],
        Err(Error::Paging {
            problem: PagingError::RepeatedLink { .. },
            ..
        })
    ));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn links_that_never_end_stop_at_the_page_cap_with_an_error_saying_so() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(BySkip(|skip| members_page(skip, 1, Some(skip + 1))))
        .mount(&server)
        .await;
    let client = builder_for(&server).max_pages(5).build().unwrap();
    let pages: Vec<_> = client
        .access_control()
        .get_itwin_user_members(ITWIN)
        .into_pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 6, "five pages, then the error");
    assert!(pages[..5].iter().all(Result::is_ok));
    let error = pages[5].as_ref().unwrap_err();
    assert!(
        matches!(
            error,
            Error::Paging {
                problem: PagingError::TooManyPages { limit: 5 },
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("more than 5 pages"), "{error}");
    assert_eq!(requests(&server).await.len(), 5);
}

#[tokio::test]
async fn an_empty_page_that_links_on_ends_the_stream_without_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(BySkip(|skip| match skip {
            0 => members_page(0, 2, Some(2)),
            _ => members_page(skip, 0, Some(skip + 2)),
        }))
        .mount(&server)
        .await;
    let items = list_members(&client_for(&server)).await;
    let ids: Vec<String> = items
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("no error");
    assert_eq!(ids, ["m0", "m1"]);
    assert_eq!(requests(&server).await.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------------------------

fn roles_path() -> String {
    format!("/accesscontrol/itwins/{ITWIN}/roles")
}

/// `server` answers everything with `status` and a `Location` of `target`.
async fn redirect_all(server: &MockServer, status: u16, target: &str) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).insert_header("location", target))
        .mount(server)
        .await;
}

/// The host of a mock server ("127.0.0.1"), to allow it explicitly.
fn host_of(server: &MockServer) -> String {
    url::Url::parse(&server.uri())
        .unwrap()
        .host_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_302_to_an_allowed_host_keeps_the_token() {
    let (first, second) = (MockServer::start().await, MockServer::start().await);
    redirect_all(&first, 302, &format!("{}{}", second.uri(), roles_path())).await;
    Mock::given(method("GET"))
        .and(path(roles_path()))
        .respond_with(roles())
        .mount(&second)
        .await;
    let client = builder_for(&first)
        .redirect_policy(RedirectPolicy::default().allow_host(host_of(&second)))
        .build()
        .unwrap();
    let answer = client
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect("the redirect is followed");
    assert_eq!(answer.roles[0].id, "r1");
    let reached = requests(&second).await;
    assert_eq!(reached.len(), 1);
    assert_eq!(
        header(&reached[0], "authorization"),
        Some(format!("Bearer {TOKEN}").as_str()),
        "the token goes along to an allowed host"
    );
}

#[tokio::test]
async fn a_redirect_to_a_host_not_allowed_fails_and_nothing_reaches_it() {
    let (first, second) = (MockServer::start().await, MockServer::start().await);
    redirect_all(&first, 302, &format!("{}/collect?sig=abc", second.uri())).await;
    Mock::given(any())
        .respond_with(roles())
        .mount(&second)
        .await;
    // Loopback is not on the default list: a test must allow it by name.
    let error = client_for(&first)
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect_err("the host is not allowed");
    match &error {
        Error::Redirect {
            problem: RedirectError::HostNotAllowed { host },
            ..
        } => assert_eq!(host, "127.0.0.1"),
        other => panic!("{other:?}"),
    }
    let message = format!("{error} {error:?}");
    assert!(
        !message.contains(TOKEN) && !message.contains("sig=abc"),
        "{message}"
    );
    assert!(requests(&second).await.is_empty());
}

#[tokio::test]
async fn a_redirect_documented_as_the_answer_is_returned_with_its_location() {
    let (first, second) = (MockServer::start().await, MockServer::start().await);
    let link = format!("{}/blob?sig=abc", second.uri());
    redirect_all(&first, 302, &link).await;
    Mock::given(any())
        .respond_with(roles())
        .mount(&second)
        .await;
    let client = builder_for(&first)
        // Even a host the credentials may reach: the definition says the redirect is the answer.
        .redirect_policy(RedirectPolicy::default().allow_host(host_of(&second)))
        .build()
        .unwrap();
    let request = || {
        itwin_platform::runtime::Request::new(
            "download-file",
            itwin_platform::runtime::HttpMethod::Get,
            "/storage/files/{fileId}/download",
            "application/json",
        )
        .path_param("fileId", &"f1")
        .redirects_as_answers()
    };
    let answer = client
        .execute_bytes(request())
        .await
        .expect("the 302 is the answer");
    assert_eq!(answer.status().as_u16(), 302);
    let location = answer
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok());
    assert_eq!(location, Some(link.as_str()));
    // A streamed call gets the same answer, its (empty) body read already.
    let streamed = client
        .execute_stream(request())
        .await
        .expect("the 302 again");
    assert_eq!(streamed.status().as_u16(), 302);
    assert!(streamed.into_body().collect().await.unwrap().is_empty());
    assert!(
        requests(&second).await.is_empty(),
        "the link was not followed"
    );
}

#[tokio::test]
async fn a_303_after_a_post_becomes_a_get_without_body_and_a_307_keeps_both() {
    for (status, method_after, body_after) in [(303, "GET", false), (307, "POST", true)] {
        let (first, second) = (MockServer::start().await, MockServer::start().await);
        redirect_all(&first, status, &format!("{}/created", second.uri())).await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({"role": {"id": "new"}})))
            .mount(&second)
            .await;
        let client = builder_for(&first)
            .redirect_policy(RedirectPolicy::default().allow_host(host_of(&second)))
            .build()
            .unwrap();
        let role = itwin_platform::access_control::models::RoleCreate::new("Reader", "Reads");
        client
            .access_control()
            .create_itwin_role(ITWIN, role)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{status}: {e}"));
        let reached = requests(&second).await;
        assert_eq!(reached.len(), 1);
        assert_eq!(reached[0].method.as_str(), method_after, "{status}");
        assert_eq!(!reached[0].body.is_empty(), body_after, "{status}");
        assert_eq!(header(&reached[0], "content-type").is_some(), body_after);
        assert!(header(&reached[0], "authorization").is_some());
    }
}

#[tokio::test]
async fn redirects_stop_after_the_hop_limit() {
    let server = MockServer::start().await;
    redirect_all(&server, 302, "/again").await;
    let client = builder_for(&server)
        .redirect_policy(RedirectPolicy::default().max_redirects(3))
        .build()
        .unwrap();
    let error = client
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect_err("an endless loop");
    assert!(
        matches!(
            error,
            Error::Redirect {
                problem: RedirectError::TooMany { limit: 3 },
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        requests(&server).await.len(),
        4,
        "the first request and 3 hops"
    );
}

#[tokio::test]
async fn a_redirect_to_plain_http_elsewhere_is_refused_and_none_returns_the_3xx() {
    let server = MockServer::start().await;
    redirect_all(&server, 301, "http://dev-api.bentley.com/itwins").await;
    let error = client_for(&server)
        .itwins()
        .get_my_itwins()
        .send()
        .await
        .expect_err("not HTTPS");
    assert!(
        matches!(
            error,
            Error::Redirect {
                problem: RedirectError::Insecure { .. },
                ..
            }
        ),
        "{error:?}"
    );
    let unfollowed = builder_for(&server)
        .redirect_policy(RedirectPolicy::none())
        .build()
        .unwrap()
        .itwins()
        .get_my_itwins()
        .send()
        .await
        .expect_err("a 301 is not a success");
    let api = unfollowed.api().expect("the redirect answer");
    assert_eq!(api.status().as_u16(), 301);
    assert_eq!(
        api.headers().get("location").unwrap(),
        "http://dev-api.bentley.com/itwins"
    );
}

// ---------------------------------------------------------------------------------------------
// Interceptors and per-call options
// ---------------------------------------------------------------------------------------------

/// Adds `x-attempt` to every attempt, remembers the headers it saw and how attempts went.
#[derive(Default)]
struct Recorder {
    seen_headers: Mutex<Vec<Vec<String>>>,
    outcomes: Mutex<Vec<(&'static str, u32, Option<u16>)>>,
}

impl Interceptor for Recorder {
    fn before_attempt(&self, request: &mut AttemptRequest<'_>) -> Result<(), InterceptorError> {
        let names = request
            .headers()
            .iter()
            .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap()))
            .collect();
        self.seen_headers.lock().unwrap().push(names);
        request.insert_header("x-attempt", &request.attempt().to_string())
    }

    fn after_attempt(&self, outcome: &AttemptOutcome<'_>) {
        let status = outcome.status().map(|s| s.as_u16());
        self.outcomes
            .lock()
            .unwrap()
            .push((outcome.operation(), outcome.attempt(), status));
    }
}

#[tokio::test(start_paused = true)]
async fn an_interceptor_adds_a_header_to_every_attempt_and_never_sees_the_token() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(roles())
        .mount(&server)
        .await;
    let recorder = Arc::new(Recorder::default());
    let client = builder_for(&server)
        .retry_policy(RetryPolicy::default().without_jitter())
        .interceptor(recorder.clone())
        .build()
        .unwrap();
    client
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect("the retry succeeds");
    let reached = requests(&server).await;
    let attempts: Vec<_> = reached.iter().map(|r| header(r, "x-attempt")).collect();
    assert_eq!(attempts, [Some("1"), Some("2")]);
    assert!(reached
        .iter()
        .all(|r| header(r, "authorization") == Some(&format!("Bearer {TOKEN}"))));
    let seen = recorder.seen_headers.lock().unwrap().concat().join("\n");
    assert!(seen.contains("accept: application/vnd.bentley"), "{seen}");
    assert!(
        !seen.contains(TOKEN) && !seen.contains("authorization"),
        "{seen}"
    );
    assert_eq!(
        *recorder.outcomes.lock().unwrap(),
        [
            ("get-itwin-roles", 1, Some(503)),
            ("get-itwin-roles", 2, Some(200))
        ]
    );
}

struct Refuse;

impl Interceptor for Refuse {
    fn before_attempt(&self, request: &mut AttemptRequest<'_>) -> Result<(), InterceptorError> {
        Err(InterceptorError::new(format!(
            "{} is not allowed here",
            request.operation()
        )))
    }
}

#[tokio::test]
async fn an_interceptor_error_fails_the_call_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(roles())
        .mount(&server)
        .await;
    let client = builder_for(&server)
        .retry_policy(RetryPolicy::default())
        .interceptor(Refuse)
        .build()
        .unwrap();
    let error = client
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::Interceptor { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("get-itwin-roles is not allowed here"),
        "{error}"
    );
    assert!(!error.is_retryable());
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn per_call_options_apply_to_that_call_only() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = builder_for(&server)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(2)
                .backoff(Duration::ZERO, Duration::ZERO),
        )
        .build()
        .unwrap();
    let roles = client.access_control();
    let tagged = roles
        .get_itwin_roles(ITWIN)
        .with_options(
            CallOptions::new()
                .header("x-audit", "nightly")
                .retry_policy(RetryPolicy::none()),
        )
        .send()
        .await;
    assert_eq!(tagged.unwrap_err().status().map(|s| s.as_u16()), Some(503));
    let plain = roles.get_itwin_roles(ITWIN).send().await;
    assert!(plain.unwrap_err().is_retryable());
    let audits: Vec<_> = requests(&server)
        .await
        .iter()
        .map(|r| header(r, "x-audit").map(str::to_owned))
        .collect();
    // One attempt with the header (its own retry policy), then two without.
    assert_eq!(audits, [Some("nightly".to_owned()), None, None]);
}

#[tokio::test]
async fn a_per_call_timeout_applies_to_a_client_without_one() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(roles().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let error = client_for(&server)
        .access_control()
        .get_itwin_roles(ITWIN)
        .with_options(CallOptions::new().timeout(Duration::from_millis(200)))
        .send()
        .await
        .expect_err("too slow for this call");
    match &error {
        Error::Transport { source, .. } => assert!(source.is_timeout(), "{source:?}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_per_call_header_that_is_not_a_header_is_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(roles())
        .mount(&server)
        .await;
    let error = client_for(&server)
        .access_control()
        .get_itwin_roles(ITWIN)
        .with_options(CallOptions::new().header("x-note", "a\r\nInjected: yes"))
        .send()
        .await
        .expect_err("a line break in a header");
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert!(error.to_string().contains("`x-note`"), "{error}");
    assert!(requests(&server).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Errors users can match
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn errors_carry_the_request_id_and_say_whether_a_retry_may_help() {
    let server = MockServer::start().await;
    let error_body = |code: &str| json!({"error": {"code": code, "message": "m"}});
    Mock::given(query_param("case", "404"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-correlation-id", "c0ffee-1")
                .set_body_json(error_body("ItwinNotFound")),
        )
        .mount(&server)
        .await;
    Mock::given(query_param("case", "429"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("request-id", "gw-2")
                .insert_header("retry-after", "1")
                .set_body_json(error_body("RateLimitExceeded")),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);
    // The case travels in the query of a hand-made request, so that one server serves both.
    let request = |case: &'static str| {
        itwin_platform::runtime::Request::new(
            "get-my-itwins",
            itwin_platform::runtime::HttpMethod::Get,
            "/itwins",
            itwin_platform::itwins::ACCEPT,
        )
        .query("case", Some(&case))
    };
    let not_found = client
        .execute_json::<Value>(request("404"))
        .await
        .unwrap_err();
    assert_eq!(not_found.request_id(), Some("c0ffee-1"));
    assert_eq!(not_found.code(), Some("ItwinNotFound"));
    assert!(!not_found.is_retryable());
    let limited = client
        .execute_json::<Value>(request("429"))
        .await
        .unwrap_err();
    assert_eq!(limited.request_id(), Some("gw-2"));
    assert!(limited.is_retryable());
    let unreachable = Client::builder()
        .base_url("http://127.0.0.1:1")
        .access_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
        .execute_json::<Value>(request("404"))
        .await
        .unwrap_err();
    assert!(unreachable.is_retryable() && unreachable.request_id().is_none());
}

#[tokio::test]
async fn an_answer_that_does_not_decode_keeps_its_request_id() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-correlation-id", "c0ffee-3")
                .set_body_json(json!({"roles": "not a list"})),
        )
        .mount(&server)
        .await;
    let error = client_for(&server)
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect_err("roles is not a list");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert_eq!(error.request_id(), Some("c0ffee-3"));
    assert!(!error.is_retryable());
}

// ---------------------------------------------------------------------------------------------
// A client from environment variables
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_client_from_variables_fetches_its_token_and_calls_the_base_url() {
    let identity = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/connect/token"))
        .and(body_string_contains("client_id=env-app"))
        .and(body_string_contains("scope=itwin-platform+imodels%3Aread"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "from-env-token", "expires_in": 3600, "token_type": "Bearer"
        })))
        .mount(&identity)
        .await;
    let api = MockServer::start().await;
    Mock::given(any()).respond_with(roles()).mount(&api).await;
    let vars = [
        ("ITWIN_CLIENT_ID", "env-app".to_owned()),
        ("ITWIN_CLIENT_SECRET", "env-s3cret".to_owned()),
        ("ITWIN_SCOPE", "itwin-platform imodels:read".to_owned()),
        (
            "ITWIN_TOKEN_URL",
            format!("{}/connect/token", identity.uri()),
        ),
        ("ITWIN_BASE_URL", api.uri()),
    ];
    let client = ClientBuilder::from_vars(|name| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    })
    .expect("complete variables")
    .http_client(http())
    .build()
    .expect("valid settings");
    client
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect("the call succeeds");
    let reached = requests(&api).await;
    assert_eq!(
        header(&reached[0], "authorization"),
        Some("Bearer from-env-token")
    );
}

#[test]
fn contradictory_variables_name_both_and_hide_the_secret() {
    let vars = [
        ("ITWIN_ACCESS_TOKEN", "tok-s3cret"),
        ("ITWIN_CLIENT_SECRET", "cs-s3cret"),
    ];
    let error = ClientBuilder::from_vars(|name| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| (*v).to_owned())
    })
    .err()
    .expect("a token and a secret contradict each other");
    assert_eq!(
        error.variables(),
        ["ITWIN_ACCESS_TOKEN", "ITWIN_CLIENT_SECRET"]
    );
    let message = format!("{error} {error:?}");
    assert!(!message.contains("s3cret"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// The client secret stays with the token endpoint
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_token_endpoint_that_redirects_does_not_get_the_secret_sent_elsewhere() {
    let (identity, elsewhere) = (MockServer::start().await, MockServer::start().await);
    redirect_all(
        &identity,
        307,
        &format!("{}/connect/token", elsewhere.uri()),
    )
    .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "stolen", "expires_in": 3600, "token_type": "Bearer"
        })))
        .mount(&elsewhere)
        .await;
    let api = MockServer::start().await;
    Mock::given(any()).respond_with(roles()).mount(&api).await;
    let credentials = itwin_platform::ClientCredentials::new("service-app", "s3cr3t-value")
        .token_url(format!("{}/connect/token", identity.uri()));
    let error = Client::builder()
        .base_url(api.uri())
        .token_provider(credentials)
        .retry_policy(RetryPolicy::none())
        .http_client(http())
        .build()
        .unwrap()
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect_err("no token from a redirect");
    assert!(matches!(error, Error::Auth { .. }), "{error:?}");
    assert!(!error.to_string().contains("s3cr3t-value"), "{error}");
    assert!(
        requests(&elsewhere).await.is_empty(),
        "the secret went to another host"
    );
    assert!(requests(&api).await.is_empty());
}
