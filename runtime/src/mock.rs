//! A mock server for the tests of code that uses a generated client (feature `test-util`).
//!
//! [`MockServer`] is a local HTTP server ([wiremock](https://docs.rs/wiremock)) on which typed
//! mocks of a generated client's operations are mounted: each operation is a
//! [`MockOperation`], and [`MockServer::mock`] gives a [`MockCall`] whose answer is the
//! operation's model type and whose requests come back decoded into its request body type.
//! Generated crates give the server one accessor per API (`mock.itwins().delete_itwin()`: see
//! the `itwin-platform` crate's `mock` module) and the routes of their operations
//! (`mock::ROUTES`). [`MockServer::client`] is a [`Client`] that talks to it.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), itwin_platform_runtime::Error> {
//! use itwin_platform_runtime::mock::MockServer;
//! use itwin_platform_runtime::{HttpMethod, Request};
//!
//! let mock = MockServer::start(&[]).await;
//! let ping = Request::new("ping", HttpMethod::Get, "/ping", "application/json");
//! let error = mock.client().execute_empty(ping).await.unwrap_err();
//! assert_eq!(error.status().map(|s| s.as_u16()), Some(501));
//! # Ok(())
//! # }
//! ```
//!
//! A call that no mock matches is answered `501 Not Implemented` with a message naming the
//! operation whose method and path come nearest, so that a typo in a path is found at once.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wiremock::{Mock, Request as WireRequest, Respond, ResponseTemplate, Times};

pub use wiremock;

use super::{Client, ClientBuilder, HeaderMap, HttpMethod, RetryPolicy};

mod form;

/// The access token [`MockServer::client`] sends.
pub const TEST_TOKEN: &str = "itwin-platform-test-token";

/// Mocks are tried by priority (1 first): a mock for set parameters before a mock for any,
/// whatever the order they were mounted in, and the answer to unmocked calls last.
const SPECIFIC_PRIORITY: u8 = 3;
const GENERAL_PRIORITY: u8 = 5;
const UNMOCKED_PRIORITY: u8 = u8::MAX;

/// A local server that answers like the iTwin Platform, as its mocks say.
///
/// Expectations set with [`MockCall::times`] are verified when the server is dropped: a test
/// whose code made another number of calls panics.
#[derive(Debug)]
pub struct MockServer {
    server: wiremock::MockServer,
}

impl MockServer {
    /// Starts a server on a free local port, answering `501` to every call until mocks are
    /// mounted; the answer to a call no mock matches names the operation of `routes` (the
    /// generated clients' `mock::ROUTES`, one list per API) that comes nearest.
    pub async fn start(routes: &'static [&'static [OperationRoute]]) -> Self {
        let server = wiremock::MockServer::start().await;
        Mock::given(AnyRequest)
            .respond_with(Unmocked { routes })
            .with_priority(UNMOCKED_PRIORITY)
            .named("call no mock matches")
            .mount(&server)
            .await;
        MockServer { server }
    }

    /// The server's base URL, such as `http://127.0.0.1:41235`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client of this server, sending [`TEST_TOKEN`], retrying as by default but with
    /// backoffs of milliseconds so that tests of retries do not wait.
    ///
    /// # Panics
    ///
    /// Never in practice: the server's own URL is a valid base URL.
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("the mock server's URL is a valid base URL")
    }

    /// A [`ClientBuilder`] set up as for [`client`](Self::client), to change more settings;
    /// it makes a [`Client`], or a generated crate's own client that wraps one.
    pub fn client_builder<C: From<Client>>(&self) -> ClientBuilder<C> {
        ClientBuilder::default()
            .base_url(self.uri())
            .access_token(TEST_TOKEN)
            .retry_policy(
                RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(8)),
            )
    }

    /// A mock of the operation `Op`; generated API accessors such as
    /// `mock.access_control().get_itwin_roles()` call this.
    pub fn mock<Op: MockOperation>(&self) -> MockCall<'_, Op> {
        MockCall {
            server: self,
            route: Route::of::<Op>(),
            answers: Vec::new(),
            times: None,
            operation: PhantomData,
        }
    }

    /// Every request the server received, mocked or not, in the order they came.
    pub async fn received_requests(&self) -> Vec<WireRequest> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// Panics now, rather than when the server is dropped, if an expectation is not met.
    pub async fn verify(&self) {
        self.server.verify().await;
    }

    /// The underlying wiremock server, to mount mocks of your own.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }
}

/// An operation of an API, as the mock server knows it. Implemented by the generated marker
/// types of each API's `mock` module, such as `access_control::mock::GetITwinRoles`.
pub trait MockOperation {
    /// The request body decoded by [`MockCall::received`] (`()` when there is none).
    type Body;
    /// What the operation answers on success, given to [`MockCall::respond`].
    type Answer;
    /// The definition's operation id, such as `get-itwin-roles`.
    const OPERATION: &'static str;
    /// The operation's HTTP method.
    const METHOD: HttpMethod;
    /// The path template from the host root, such as `/accesscontrol/itwins/{id}/roles`.
    const PATH: &'static str;
    /// The lowest documented success status.
    const STATUS: u16;
    /// The definition's example of the success body, as JSON.
    const EXAMPLE: Option<&'static str>;

    /// The request body as the operation's type.
    fn decode_body(bytes: &[u8]) -> Result<Self::Body, String>;
    /// The answer as a response body.
    fn encode_answer(answer: &Self::Answer) -> AnswerBody;
}

/// A response body with its media type; `None` for none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerBody(Option<(&'static str, Vec<u8>)>);

impl AnswerBody {
    /// `value` as `application/json`.
    ///
    /// # Panics
    ///
    /// If `value` cannot be written as JSON (a map with keys that are not strings); the
    /// generated models always can.
    pub fn json(value: &impl Serialize) -> Self {
        let bytes = serde_json::to_vec(value).expect("a model serializes to JSON");
        AnswerBody(Some(("application/json", bytes)))
    }

    /// Bytes as they are, as `application/octet-stream`.
    pub fn bytes(bytes: &[u8]) -> Self {
        AnswerBody(Some(("application/octet-stream", bytes.to_vec())))
    }

    /// Text as `text/plain`.
    pub fn text(text: &str) -> Self {
        AnswerBody(Some(("text/plain", text.as_bytes().to_vec())))
    }

    /// No body.
    pub fn empty(_: &()) -> Self {
        AnswerBody(None)
    }

    fn template(self, status: u16) -> ResponseTemplate {
        let template = ResponseTemplate::new(status);
        match self.0 {
            Some((media_type, bytes)) => template.set_body_raw(bytes, media_type),
            None => template,
        }
    }
}

/// Decodes a JSON request body (for [`MockOperation::decode_body`]).
pub fn json_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    serde_json::from_slice(bytes).map_err(|e| e.to_string())
}

/// Decodes an HTML form request body (for [`MockOperation::decode_body`]): a name repeated in
/// the form (a list, as the client sends one) fills a sequence field.
pub fn form_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    form::decode(bytes).map_err(|e| e.to_string())
}

/// Takes a binary request body as it is (for [`MockOperation::decode_body`]).
pub fn bytes_body(bytes: &[u8]) -> Result<Vec<u8>, String> {
    Ok(bytes.to_vec())
}

/// Takes a text request body (for [`MockOperation::decode_body`]).
pub fn text_body(bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|e| e.to_string())
}

/// For operations without a request body (for [`MockOperation::decode_body`]).
pub fn no_body(bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the operation takes no body, but {} bytes were sent",
            bytes.len()
        ))
    }
}

/// A mock of one operation being set up: which calls it matches (by default every call of the
/// operation; the generated setters narrow it to path parameter values), what it answers, and
/// how often it expects to be called. Nothing happens until [`mount`](Self::mount).
///
/// Each `respond*` call adds an answer: answers are served in order, and the last one again
/// for every later call (a `429` then a `200`: the client's retry gets the `200`).
#[derive(Debug)]
#[must_use = "a mock does nothing until `mount` is awaited"]
pub struct MockCall<'a, Op> {
    server: &'a MockServer,
    route: Route,
    answers: Vec<ResponseTemplate>,
    times: Option<Times>,
    operation: PhantomData<fn() -> Op>,
}

impl<'a, Op: MockOperation> MockCall<'a, Op> {
    /// Matches only calls whose path parameter `name` is `value` (compared as the client
    /// encodes it). Generated setters such as `.id(...)` call this.
    pub fn path_param(mut self, name: &'static str, value: impl Display) -> Self {
        self.route.path_params.retain(|(n, _)| *n != name);
        self.route.path_params.push((name, value.to_string()));
        self
    }

    /// Matches only calls with `name=value` in their query (among other parameters).
    pub fn query_param(mut self, name: impl Into<String>, value: impl Display) -> Self {
        self.route.query.push((name.into(), value.to_string()));
        self
    }

    /// Answers with `answer` and the operation's documented success status.
    pub fn respond(self, answer: Op::Answer) -> Self {
        self.respond_with_status(Op::STATUS, answer)
    }

    /// Answers with `answer` and `status`, such as another documented success status.
    pub fn respond_with_status(self, status: u16, answer: Op::Answer) -> Self {
        self.respond_with(Op::encode_answer(&answer).template(status))
    }

    /// Answers with any JSON value and `status`: an answer the operation's type cannot hold,
    /// such as the full representation of an operation whose default answer is minimal.
    pub fn respond_json(self, status: u16, body: &impl Serialize) -> Self {
        self.respond_with(AnswerBody::json(body).template(status))
    }

    /// Answers with the definition's example of the success body and status.
    ///
    /// # Panics
    ///
    /// When the definition gives no example for the operation's success answer.
    pub fn respond_example(self) -> Self {
        let Some(example) = Op::EXAMPLE else {
            panic!(
                "the definition gives no example of the answer of `{}`: use `respond`",
                Op::OPERATION
            )
        };
        let template = ResponseTemplate::new(Op::STATUS)
            .set_body_raw(example.as_bytes().to_vec(), "application/json");
        self.respond_with(template)
    }

    /// Answers with an error status and the platform's error body,
    /// `{"error": {"code": code, "message": message}}`.
    pub fn respond_error(self, status: u16, code: &str, message: &str) -> Self {
        self.respond_with(error_template(status, code, message))
    }

    /// Answers `429 Too Many Requests` with `Retry-After: seconds`.
    pub fn respond_throttled(self, seconds: u64) -> Self {
        let template = error_template(429, "RateLimitExceeded", "Too many requests.")
            .insert_header("Retry-After", seconds.to_string().as_str());
        self.respond_with(template)
    }

    /// Answers as `template` says: any status, headers, body or delay.
    pub fn respond_with(mut self, template: ResponseTemplate) -> Self {
        self.answers.push(template);
        self
    }

    /// Adds a header to the last answer added.
    ///
    /// # Panics
    ///
    /// When no answer was added yet.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        let last = self
            .answers
            .pop()
            .expect("`with_header` applies to the last answer: add one first");
        self.answers.push(last.insert_header(name, value));
        self
    }

    /// Expects exactly `n` matching calls; checked when the server is dropped (or at
    /// [`MockServer::verify`]).
    pub fn times(self, n: u64) -> Self {
        self.expect(n)
    }

    /// Expects a number of matching calls in a range, such as `1..` or `..=3`.
    pub fn expect(mut self, times: impl Into<Times>) -> Self {
        self.times = Some(times.into());
        self
    }

    /// Puts the mock in place. Without a `respond*`, it answers the definition's example, or
    /// an empty body when there is none, with the documented success status.
    pub async fn mount(self) -> MountedMock<'a, Op> {
        let mut answers = self.answers;
        if answers.is_empty() {
            answers.push(match Op::EXAMPLE {
                Some(example) => ResponseTemplate::new(Op::STATUS)
                    .set_body_raw(example.as_bytes().to_vec(), "application/json"),
                None => ResponseTemplate::new(Op::STATUS),
            });
        }
        let priority = if self.route.path_params.is_empty() && self.route.query.is_empty() {
            GENERAL_PRIORITY
        } else {
            SPECIFIC_PRIORITY
        };
        let mut mock = Mock::given(self.route.clone())
            .respond_with(Sequence {
                answers,
                served: AtomicUsize::new(0),
            })
            .with_priority(priority)
            .named(Op::OPERATION);
        if let Some(times) = self.times {
            mock = mock.expect(times);
        }
        self.server.server.register(mock).await;
        MountedMock {
            server: self.server,
            route: self.route,
            operation: PhantomData,
        }
    }

    /// The calls received so far that this mock matches (mounted or not), decoded.
    pub async fn received(&self) -> Vec<Received<Op::Body>> {
        received::<Op>(self.server, &self.route).await
    }
}

/// A mounted mock, to read the calls it matched.
#[derive(Debug)]
pub struct MountedMock<'a, Op> {
    server: &'a MockServer,
    route: Route,
    operation: PhantomData<fn() -> Op>,
}

impl<Op: MockOperation> MountedMock<'_, Op> {
    /// The calls received so far that this mock matches, decoded.
    pub async fn received(&self) -> Vec<Received<Op::Body>> {
        received::<Op>(self.server, &self.route).await
    }
}

async fn received<Op: MockOperation>(
    server: &MockServer,
    route: &Route,
) -> Vec<Received<Op::Body>> {
    server
        .received_requests()
        .await
        .iter()
        .filter_map(|request| {
            let path_params = route.path_params_of(request)?;
            route
                .query_matches(request)
                .then(|| Received::new::<Op>(request, path_params))
        })
        .collect()
}

/// A call the mock server received, with its parts decoded.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Received<B> {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path as sent, percent-encoded.
    pub path: String,
    /// The path parameters by name, decoded.
    pub path_params: BTreeMap<String, String>,
    /// The query parameters in order, decoded.
    pub query: Vec<(String, String)>,
    /// The headers as sent.
    pub headers: HeaderMap,
    /// The body as the operation's request body type: `None` when no body was sent or it does
    /// not decode (then [`body_error`](Self::body_error) says why).
    pub body: Option<B>,
    /// Why the body does not decode as the operation's request body type, if it does not.
    pub body_error: Option<String>,
    /// The body as sent.
    pub raw_body: Vec<u8>,
}

impl<B> Received<B> {
    fn new<Op: MockOperation<Body = B>>(
        request: &WireRequest,
        path_params: BTreeMap<String, String>,
    ) -> Self {
        let (body, body_error) = if request.body.is_empty() {
            (None, None)
        } else {
            match Op::decode_body(&request.body) {
                Ok(body) => (Some(body), None),
                Err(e) => (None, Some(e)),
            }
        };
        Received {
            method: request.method.as_str().to_owned(),
            path: request.url.path().to_owned(),
            path_params,
            query: request.url.query_pairs().into_owned().collect(),
            headers: request.headers.clone(),
            body,
            body_error,
            raw_body: request.body.clone(),
        }
    }

    /// The decoded value of a path parameter.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path_params.get(name).map(String::as_str)
    }

    /// The first decoded value of a query parameter.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A header's value, when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The calls a mock matches: its operation's method and path template, with the parameter
/// values it was narrowed to.
#[derive(Debug, Clone)]
struct Route {
    method: &'static str,
    template: &'static str,
    path_params: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
}

impl Route {
    fn of<Op: MockOperation>() -> Self {
        Route {
            method: Op::METHOD.as_str(),
            template: Op::PATH,
            path_params: Vec::new(),
            query: Vec::new(),
        }
    }

    /// The path parameters of `request` if its method and path fit this route.
    fn path_params_of(&self, request: &WireRequest) -> Option<BTreeMap<String, String>> {
        if request.method.as_str() != self.method {
            return None;
        }
        let mut params = BTreeMap::new();
        let (mut templates, mut segments) =
            (self.template.split('/'), request.url.path().split('/'));
        loop {
            match (templates.next(), segments.next()) {
                (None, None) => return Some(params),
                (Some(template), Some(segment)) => {
                    let (name, value) = match_segment(template, segment)?;
                    if let Some(name) = name {
                        let wanted = self.path_params.iter().find(|(n, _)| *n == name);
                        if wanted.is_some_and(|(_, v)| *v != value) {
                            return None;
                        }
                        params.insert(name.to_owned(), value);
                    }
                }
                _ => return None,
            }
        }
    }

    fn query_matches(&self, request: &WireRequest) -> bool {
        let sent: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        self.query.iter().all(|wanted| sent.contains(wanted))
    }
}

/// Whether a path segment fits a template segment (`roles`, `{id}`, or `{name}.json`), with
/// the parameter it fills and its decoded value.
fn match_segment<'t>(template: &'t str, segment: &str) -> Option<(Option<&'t str>, String)> {
    let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
    let Some(open) = template.find('{') else {
        return (decode(template) == decode(segment)).then_some((None, String::new()));
    };
    let close = open + template[open..].find('}')?;
    let (prefix, suffix) = (&template[..open], &template[close + 1..]);
    let value = segment.strip_prefix(prefix)?.strip_suffix(suffix)?;
    if value.is_empty() {
        return None;
    }
    Some((Some(&template[open + 1..close]), decode(value)))
}

impl wiremock::Match for Route {
    fn matches(&self, request: &WireRequest) -> bool {
        self.path_params_of(request).is_some() && self.query_matches(request)
    }
}

/// Answers in order, the last one again for every later call.
struct Sequence {
    answers: Vec<ResponseTemplate>,
    served: AtomicUsize,
}

impl Respond for Sequence {
    fn respond(&self, _: &WireRequest) -> ResponseTemplate {
        let n = self.served.fetch_add(1, Ordering::SeqCst);
        self.answers[n.min(self.answers.len() - 1)].clone()
    }
}

fn error_template(status: u16, code: &str, message: &str) -> ResponseTemplate {
    let body = serde_json::json!({ "error": { "code": code, "message": message } });
    ResponseTemplate::new(status).set_body_json(body)
}

/// One operation of an API, for the answer to unmocked calls: the generated `ROUTES` table of
/// each API's `mock` module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationRoute {
    /// The definition's operation id.
    pub operation: &'static str,
    /// The HTTP method, such as `GET`.
    pub method: &'static str,
    /// The path template from the host root.
    pub path: &'static str,
}

struct AnyRequest;

impl wiremock::Match for AnyRequest {
    fn matches(&self, _: &WireRequest) -> bool {
        true
    }
}

/// The answer to a call no mock matches: `501` naming the nearest operation of `routes`.
struct Unmocked {
    routes: &'static [&'static [OperationRoute]],
}

impl Respond for Unmocked {
    fn respond(&self, request: &WireRequest) -> ResponseTemplate {
        let (method, path) = (request.method.as_str(), request.url.path());
        let routes = self.routes.iter().flat_map(|routes| routes.iter());
        let message = match nearest(method, path, routes) {
            Some(route) => format!(
                "no mock matches {method} {path}; nearest operation: {} ({} {})",
                route.operation, route.method, route.path
            ),
            None => format!("no mock matches {method} {path}"),
        };
        error_template(501, "NoMockMatches", &message)
    }
}

/// The route whose method and path template differ least from a call's.
fn nearest<'r>(
    method: &str,
    path: &str,
    routes: impl Iterator<Item = &'r OperationRoute>,
) -> Option<&'r OperationRoute> {
    routes.min_by_key(|route| {
        // A wrong method counts as much as a few wrong letters, so that a path typo of the
        // right method wins over the right path of another method.
        let method_cost = if route.method == method { 0 } else { 3 };
        method_cost + path_distance(route.path, path)
    })
}

/// Letters to change to turn `path` into a path of `template`, a parameter fitting any
/// non-empty segment; each missing or extra segment costs its length and one.
fn path_distance(template: &str, path: &str) -> usize {
    let templates: Vec<&str> = template.split('/').collect();
    let segments: Vec<&str> = path.split('/').collect();
    let mut cost = 0;
    for i in 0..templates.len().max(segments.len()) {
        cost += match (templates.get(i), segments.get(i)) {
            (Some(t), Some(s)) if t.contains('{') => usize::from(s.is_empty()),
            (Some(t), Some(s)) => edit_distance(t, s),
            (Some(only), None) | (None, Some(only)) => only.len() + 1,
            (None, None) => 0,
        };
    }
    cost
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTES: &[OperationRoute] = &[
        OperationRoute {
            operation: "get-itwin-roles",
            method: "GET",
            path: "/accesscontrol/itwins/{id}/roles",
        },
        OperationRoute {
            operation: "create-itwin-role",
            method: "POST",
            path: "/accesscontrol/itwins/{id}/roles",
        },
        OperationRoute {
            operation: "get-itwin",
            method: "GET",
            path: "/itwins/{id}",
        },
    ];

    fn nearest_id(method: &str, path: &str) -> &'static str {
        nearest(method, path, ROUTES.iter()).unwrap().operation
    }

    #[test]
    fn the_nearest_operation_weighs_method_and_path() {
        assert_eq!(
            nearest_id("POST", "/accesscontrol/itwins/x/rolez"),
            "create-itwin-role"
        );
        assert_eq!(
            nearest_id("GET", "/accesscontrol/itwins/x/role"),
            "get-itwin-roles"
        );
        assert_eq!(nearest_id("DELETE", "/itwins/x"), "get-itwin");
        assert_eq!(nearest_id("GET", "/itwins/x/y"), "get-itwin");
    }

    #[test]
    fn segments_fit_templates_with_decoded_values() {
        assert_eq!(
            match_segment("{id}", "a%2Fb"),
            Some((Some("id"), "a/b".to_owned()))
        );
        assert_eq!(match_segment("{id}", ""), None);
        assert_eq!(
            match_segment("{name}.json", "x.json"),
            Some((Some("name"), "x".to_owned()))
        );
        assert_eq!(match_segment("roles", "roles"), Some((None, String::new())));
        assert_eq!(match_segment("roles", "rolez"), None);
    }

    #[test]
    fn edit_distance_counts_letters() {
        assert_eq!(edit_distance("roles", "rolez"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
