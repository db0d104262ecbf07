//! The production runtime against a real HTTP server on loopback: retries and their delays
//! (on tokio's paused clock, so that waiting costs no real time), client-credentials tokens,
//! timeouts, paging streams, tracing, and hostile input.

use std::sync::Mutex;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use itwin_platform::itwins::models::ITwinQueryScope;
use itwin_platform::{Client, ClientCredentials, Error, RetryPolicy};
use serde_json::{json, Value};
use tokio::time::Instant;
use wiremock::matchers::{
    any, body_string_contains, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::log_capture::LogCapture;

const ITWIN: &str = "ae8f3a5c-2d1b-4b8e-9d47-1f2a3b4c5d6e";

/// A client without timers of its own: on the paused clock, time jumps to the next timer while
/// the (real) server answers, so a timeout or the connection pool's idle timer would fire.
fn client_for(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.uri())
        .access_token("test-token")
        .retry_policy(retry)
        .timeout(None)
        .http_client(http_without_timers())
        .build()
        .expect("valid settings")
}

fn http_without_timers() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(None)
        .build()
        .expect("an HTTP client")
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .backoff(Duration::from_secs(1), Duration::from_secs(8))
        .without_jitter()
}

/// Answers with each of `responses` in turn, then with the last one again.
struct InTurn(Mutex<Vec<ResponseTemplate>>);

impl InTurn {
    fn new(responses: Vec<ResponseTemplate>) -> Self {
        InTurn(Mutex::new(responses.into_iter().rev().collect()))
    }
}

impl Respond for InTurn {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut pending = self.0.lock().unwrap();
        if pending.len() > 1 {
            pending.pop().unwrap()
        } else {
            pending[0].clone()
        }
    }
}

fn rate_limited(retry_after: &str) -> ResponseTemplate {
    ResponseTemplate::new(429)
        .insert_header("retry-after", retry_after)
        .set_body_json(json!({"error": {"code": "RateLimitExceeded", "message": "Slow down."}}))
}

fn roles() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"roles": [{"id": "r1"}]}))
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

/// The query of each request the server received, in order.
async fn queries(server: &MockServer) -> Vec<String> {
    requests(server)
        .await
        .iter()
        .map(|r| r.url.query().unwrap_or("").to_owned())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_429_waits_for_retry_after_in_seconds_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(InTurn::new(vec![
            rate_limited("7"),
            rate_limited("3"),
            roles(),
        ]))
        .mount(&server)
        .await;
    let started = Instant::now();
    let answer = client_for(&server, quick_retries())
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect("the third attempt succeeds");
    assert_eq!(answer.roles[0].id, "r1");
    assert_eq!(requests(&server).await.len(), 3);
    assert!(
        started.elapsed() >= Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(
        started.elapsed() < Duration::from_secs(11),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn a_429_with_an_http_date_waits_until_then_even_for_a_post() {
    let server = MockServer::start().await;
    let in_five_seconds =
        httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(5));
    Mock::given(any())
        .respond_with(InTurn::new(vec![
            rate_limited(&in_five_seconds),
            ResponseTemplate::new(201).set_body_json(json!({"role": {"id": "new"}})),
        ]))
        .mount(&server)
        .await;
    let started = Instant::now();
    let role = itwin_platform::access_control::models::RoleCreate::new("Reader", "Reads");
    client_for(&server, quick_retries())
        .access_control()
        .create_itwin_role(ITWIN, role)
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(requests(&server).await.len(), 2);
    // The date has a resolution of a second.
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn a_503_is_retried_with_backoff_for_get_and_the_last_answer_is_kept() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_string("down for maintenance"))
        .mount(&server)
        .await;
    let started = Instant::now();
    let error = client_for(&server, quick_retries().max_attempts(4))
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect_err("every attempt fails");
    assert_eq!(requests(&server).await.len(), 4);
    // Backoff without jitter: 1 s, 2 s, 4 s.
    assert!(
        started.elapsed() >= Duration::from_secs(7),
        "{:?}",
        started.elapsed()
    );
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    let api = error.api().expect("the last answer");
    assert_eq!(api.status().as_u16(), 503);
    assert_eq!(api.body(), b"down for maintenance");
}

#[tokio::test(start_paused = true)]
async fn a_503_is_not_retried_for_post_or_patch() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client_for(&server, quick_retries());
    let role = itwin_platform::access_control::models::RoleCreate::new("Reader", "Reads");
    let error = client
        .access_control()
        .create_itwin_role(ITWIN, role)
        .send()
        .await;
    assert_eq!(error.unwrap_err().status().map(|s| s.as_u16()), Some(503));
    let update = itwin_platform::access_control::models::RoleUpdate::default();
    let error = client
        .access_control()
        .update_itwin_role(ITWIN, "r1", update)
        .send()
        .await;
    assert_eq!(error.unwrap_err().status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests(&server).await.len(), 2, "one attempt each");
}

#[tokio::test(start_paused = true)]
async fn retries_stop_at_the_attempt_and_time_bounds_and_at_long_retry_afters() {
    let server = MockServer::start().await;
    Mock::given(path("/long"))
        .respond_with(rate_limited("3600"))
        .mount(&server)
        .await;
    Mock::given(path("/busy"))
        .respond_with(rate_limited("10"))
        .mount(&server)
        .await;
    let client = client_for(
        &server,
        quick_retries().max_elapsed(Duration::from_secs(25)),
    );
    let call = |route: &'static str| {
        let request = itwin_platform::runtime::Request::new(
            "get-itwin-roles",
            itwin_platform::runtime::HttpMethod::Get,
            route,
            "application/json",
        );
        client.execute_empty(request)
    };
    let started = Instant::now();
    let error = call("/long")
        .await
        .expect_err("an hour is too long to wait");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert!(started.elapsed() < Duration::from_secs(1));
    let error = call("/busy").await.expect_err("the time budget runs out");
    assert_eq!(
        error.api().and_then(|a| a.retry_after()),
        Some(Duration::from_secs(10))
    );
    let busy = requests(&server)
        .await
        .iter()
        .filter(|r| r.url.path() == "/busy")
        .count();
    assert_eq!(
        busy, 3,
        "attempts at 0 s, 10 s and 20 s; a fourth would end after 25 s"
    );
}

#[tokio::test(start_paused = true)]
async fn a_call_can_override_the_clients_policy() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(rate_limited("1"))
        .mount(&server)
        .await;
    let client = client_for(&server, quick_retries());
    let error = client
        .with_retry_policy(RetryPolicy::none())
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect_err("no retry");
    assert_eq!(error.code(), Some("RateLimitExceeded"));
    assert_eq!(requests(&server).await.len(), 1);
    let _ = client.access_control().get_itwin_roles(ITWIN).send().await;
    assert_eq!(
        requests(&server).await.len(),
        1 + 4,
        "the client keeps its own policy"
    );
}

#[tokio::test(start_paused = true)]
async fn a_refused_connection_is_retried_with_backoff() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .access_token("t")
        .retry_policy(quick_retries().max_attempts(3))
        .timeout(None)
        .http_client(http_without_timers())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client
        .itwins()
        .delete_itwin(ITWIN)
        .send()
        .await
        .expect_err("nobody answers");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    // 1 s + 2 s of backoff between three attempts.
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

fn token_answer(token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": token, "expires_in": expires_in, "token_type": "Bearer"
    }))
}

#[tokio::test(start_paused = true)]
async fn client_credentials_fetch_one_token_for_many_requests_and_refresh_before_expiry() {
    let identity = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/connect/token"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("client_id=service-app"))
        .and(body_string_contains("scope=itwin-platform"))
        .respond_with(InTurn::new(vec![
            token_answer("first", 3600),
            token_answer("second", 3600),
        ]))
        .mount(&identity)
        .await;
    let api = MockServer::start().await;
    Mock::given(any()).respond_with(roles()).mount(&api).await;
    let credentials = ClientCredentials::new("service-app", "s3cr3t-value")
        .token_url(format!("{}/connect/token", identity.uri()))
        .http_client(http_without_timers());
    let client = Client::builder()
        .base_url(api.uri())
        .token_provider(credentials.clone())
        .timeout(None)
        .http_client(http_without_timers())
        .build()
        .unwrap();

    let calls = (0..20).map(|_| client.access_control().get_itwin_roles(ITWIN).send());
    for result in futures::future::join_all(calls).await {
        result.expect("every call succeeds");
    }
    assert_eq!(
        requests(&identity).await.len(),
        1,
        "one fetch served all 20 requests"
    );
    let bearer = |r: &Request| {
        r.headers
            .get("authorization")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert!(requests(&api)
        .await
        .iter()
        .all(|r| bearer(r) == "Bearer first"));

    // Within the refresh margin (2 minutes) of the expiry, the next request gets a new token.
    tokio::time::advance(Duration::from_secs(3600 - 119)).await;
    client
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .unwrap();
    assert_eq!(requests(&identity).await.len(), 2);
    assert_eq!(
        bearer(requests(&api).await.last().unwrap()),
        "Bearer second"
    );

    assert!(!format!("{credentials:?}").contains("s3cr3t-value"));
}

#[tokio::test]
async fn a_refused_token_request_is_an_auth_error_without_the_secret() {
    let identity = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_client"})))
        .mount(&identity)
        .await;
    let client = Client::builder()
        .base_url(identity.uri())
        .token_provider(ClientCredentials::new("app", "s3cr3t-value").token_url(identity.uri()))
        .build()
        .unwrap();
    let error = client
        .itwins()
        .get_itwin(ITWIN)
        .send()
        .await
        .expect_err("no token");
    assert!(matches!(error, Error::Auth { .. }), "{error:?}");
    let text = format!("{error} {error:?}");
    assert!(text.contains("invalid_client"), "{text}");
    assert!(!text.contains("s3cr3t-value"), "{text}");
}

#[tokio::test]
async fn a_slow_answer_times_out_and_a_dropped_call_is_cancelled() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(roles().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = client
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect_err("too slow");
    match &error {
        Error::Transport { source, .. } => assert!(source.is_timeout(), "{source:?}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    // Without a timeout, dropping the future is how a caller gives up: it returns at once.
    let patient = client.with_timeout(None);
    let call = patient.access_control().get_itwin_roles(ITWIN).send();
    let gave_up = tokio::time::timeout(Duration::from_millis(200), call).await;
    assert!(
        gave_up.is_err(),
        "the call was still running and is now dropped"
    );
}

/// Answers list pages: page `n` of `pages`, each with `per_page` items and a next link built
/// the way the platform builds it (an absolute URL on the production host).
struct Pages {
    pages: usize,
    per_page: usize,
    items_key: &'static str,
    next: fn(usize) -> String,
}

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let page: usize = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "$skip" || k == "$continuationToken")
            .map(|(_, v)| v.trim_start_matches("token-").parse::<usize>().unwrap() / self.per_page)
            .unwrap_or(0);
        let items: Vec<Value> = (0..self.per_page)
            .map(|i| json!({"id": format!("item-{}", page * self.per_page + i)}))
            .collect();
        let mut links = json!({"self": {"href": "https://api.bentley.com/self"}});
        if page + 1 < self.pages {
            links["next"] = json!({"href": (self.next)((page + 1) * self.per_page)});
        }
        ResponseTemplate::new(200).set_body_json(json!({self.items_key: items, "_links": links}))
    }
}

#[tokio::test]
async fn a_skip_paged_list_streams_every_item_and_stops() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(Pages {
            pages: 3,
            per_page: 2,
            items_key: "members",
            next: |skip| {
                format!("https://api.bentley.com/accesscontrol/itwins/{ITWIN}/members/users?$skip={skip}&$top=2")
            },
        })
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::none());
    let members: Vec<String> = client
        .access_control()
        .get_itwin_user_members(ITWIN)
        .top(2)
        .into_stream()
        .map_ok(|member| member.id)
        .try_collect()
        .await
        .expect("every page decodes");
    assert_eq!(
        members,
        ["item-0", "item-1", "item-2", "item-3", "item-4", "item-5"]
    );
    let seen = queries(&server).await;
    assert_eq!(seen, ["$top=2", "$skip=2&$top=2", "$skip=4&$top=2"]);
}

#[tokio::test]
async fn a_page_that_does_not_decode_ends_the_stream_with_its_error() {
    let server = MockServer::start().await;
    let imodel = "70a3d6d3-5385-4bc3-87c4-b6bf106e1c0a";
    Mock::given(method("GET"))
        .respond_with(Pages {
            pages: 2,
            per_page: 3,
            items_key: "mappings",
            next: |n| {
                format!("https://api.bentley.com/insights/reporting/datasources/imodels/70a3d6d3-5385-4bc3-87c4-b6bf106e1c0a/mappings/?$top=3&$continuationToken=token-{n}")
            },
        })
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::none());
    // Pages of mappings need every Mapping field; the page form shows the links and statuses.
    let pages: Vec<_> = client
        .insights()
        .get_mappings(imodel)
        .top(3)
        .into_pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 1, "a page that fails ends the stream");
    let error = pages[0]
        .as_ref()
        .expect_err("the test items are not whole mappings");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    let seen = queries(&server).await;
    assert_eq!(seen, ["$top=3"]);
}

#[tokio::test]
async fn a_continuation_token_page_stream_yields_pages_with_their_links() {
    let server = MockServer::start().await;
    let imodel = "70a3d6d3-5385-4bc3-87c4-b6bf106e1c0a";
    let mapping = |id: &str| {
        json!({
            "id": id, "mappingName": "m", "createdOn": "2021-09-03T10:48:45+00:00", "createdBy": "a",
            "modifiedOn": "2021-09-03T10:48:45+00:00", "modifiedBy": "a",
            "_links": {"imodel": {"href": "https://api.bentley.com/imodels/x"}}
        })
    };
    let base = format!(
        "https://api.bentley.com/insights/reporting/datasources/imodels/{imodel}/mappings/"
    );
    Mock::given(query_param_is_missing("$continuationToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "mappings": [mapping("a"), mapping("b")],
            "_links": {"self": {"href": base.clone()}, "next": {"href": format!("{base}?$top=2&$continuationToken=abc%3D%3D")}}
        })))
        .mount(&server)
        .await;
    Mock::given(query_param("$continuationToken", "abc=="))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "mappings": [mapping("c")], "_links": {"self": {"href": base.clone()}}
        })))
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::none());
    let pages: Vec<_> = client
        .insights()
        .get_mappings(imodel)
        .top(2)
        .into_pages()
        .try_collect()
        .await
        .expect("both pages decode");
    let ids: Vec<Vec<&str>> = pages
        .iter()
        .map(|p| p.body().mappings.iter().map(|m| m.id.as_str()).collect())
        .collect();
    assert_eq!(ids, [vec!["a", "b"], vec!["c"]]);
    assert!(pages[0].body().links.next.is_some() && pages[1].body().links.next.is_none());
}

#[tokio::test]
async fn a_next_link_to_another_resource_is_not_followed() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "members": [{"id": "m1"}],
            "_links": {"self": {"href": "x"}, "next": {"href": "https://evil.example/collect?token=1"}}
        })))
        .mount(&server)
        .await;
    let items: Vec<_> = client_for(&server, RetryPolicy::none())
        .access_control()
        .get_itwin_user_members(ITWIN)
        .into_stream()
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().id, "m1");
    let error = items[1].as_ref().unwrap_err();
    assert!(
        error.to_string().contains("points to another resource"),
        "{error}"
    );
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn every_attempt_is_traced_with_its_operation_status_and_attempt_but_no_token() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(InTurn::new(vec![rate_limited("0"), roles()]))
        .mount(&server)
        .await;
    // The client runs on this thread (a current-thread runtime), so its events are captured.
    let log = LogCapture::start();
    let client = Client::builder()
        .base_url(server.uri())
        .access_token("secret-token-value")
        .build()
        .unwrap();
    client
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .unwrap();
    let log = log.text();
    for expected in [
        "operation=\"get-itwin-roles\"",
        "method=\"GET\"",
        "path=\"/accesscontrol/itwins/{id}/roles\"",
        "attempt=1",
        "attempt=2",
        "status=429",
        "status=200",
        "duration_ms=",
    ] {
        assert!(log.contains(expected), "missing {expected} in:\n{log}");
    }
    assert!(!log.contains("secret-token-value"), "{log}");
    assert!(
        !log.contains(ITWIN),
        "ids stay out of the path template: {log}"
    );
}

#[tokio::test]
async fn hostile_ids_land_in_exactly_one_path_segment() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(roles())
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::none());
    let hostile = [
        "a/b",
        "../../admin",
        "%2F",
        "x?y=1",
        "#frag",
        "sp ace",
        "cr\r\nlf",
        "ünï©ødé",
        "..%2F..",
    ];
    for id in hostile {
        client
            .access_control()
            .get_itwin_roles(id)
            .send()
            .await
            .expect("sent");
    }
    let received = requests(&server).await;
    assert_eq!(received.len(), hostile.len());
    for (id, request) in hostile.iter().zip(&received) {
        let segments: Vec<&str> = request.url.path().split('/').collect();
        assert_eq!(segments.len(), 5, "{id}: {}", request.url.path());
        assert_eq!(
            (segments[1], segments[2], segments[4]),
            ("accesscontrol", "itwins", "roles")
        );
        let decoded = percent_encoding::percent_decode_str(segments[3])
            .decode_utf8()
            .unwrap();
        assert_eq!(decoded, *id);
        assert_eq!(request.url.query(), None, "{id}");
    }
}

#[tokio::test]
async fn header_values_and_tokens_with_line_breaks_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(roles())
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::none());
    let error = client
        .itwins()
        .get_my_itwins()
        .x_itwin_query_scope(ITwinQueryScope::from("all\r\nX-Injected: yes".to_owned()))
        .send()
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert!(error.to_string().contains("X-iTwin-Query-Scope"), "{error}");

    let bad_token = Client::builder()
        .base_url(server.uri())
        .access_token("token\r\nX-Injected: yes")
        .build()
        .unwrap();
    let error = bad_token
        .itwins()
        .get_itwin(ITWIN)
        .send()
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert!(
        !error.to_string().contains("X-Injected"),
        "the token is not quoted: {error}"
    );
    assert!(requests(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn an_answer_larger_than_the_limit_fails_cleanly() {
    let server = MockServer::start().await;
    let big =
        json!({"roles": (0..2000).map(|i| json!({"id": format!("role-{i}")})).collect::<Vec<_>>()});
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(&big))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .access_token("t")
        .max_response_bytes(16 * 1024)
        .build()
        .unwrap();
    let error = client
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect_err("too big");
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 16384, .. }),
        "{error:?}"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    let roomy = client_for(&server, RetryPolicy::none());
    let all = roomy
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .unwrap();
    assert_eq!(all.roles.len(), 2000);
}
