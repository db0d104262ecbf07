//! A mock iTwin Platform for the tests of code that uses this crate (feature `test-util`).
//!
//! [`MockServer`] is a local HTTP server ([wiremock](https://docs.rs/wiremock)) with one typed
//! mock builder per operation of every API: `mock.access_control().get_itwin_roles()` is a
//! [`MockCall`] whose answer is the operation's model type, and whose requests come back
//! decoded into the operation's request body type. [`MockServer::client`] is a [`Client`]
//! that talks to it.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), itwin_platform::Error> {
//! use itwin_platform::mock::MockServer;
//!
//! let mock = MockServer::start().await;
//! mock.itwins()
//!     .delete_itwin()
//!     .id("my-itwin")
//!     .respond_error(404, "iTwinNotFound", "Requested iTwin is not available.")
//!     .mount()
//!     .await;
//! let error = mock.client().itwins().delete_itwin("my-itwin").send().await.unwrap_err();
//! assert_eq!(error.code(), Some("iTwinNotFound"));
//! # Ok(())
//! # }
//! ```
//!
//! A call that no mock matches is answered `501 Not Implemented` with a message naming the
//! operation whose method and path come nearest, so that a typo in a path is found at once.
//! Everything but the server itself is the runtime's ([`runtime::mock`](crate::runtime::mock)).

use std::fmt::Display;
use std::ops::Deref;

use crate::runtime::mock::wiremock::{ResponseTemplate, Times};
pub use crate::runtime::mock::*;
use crate::{Client, ClientBuilder};

/// A local server that answers like the iTwin Platform, as its mocks say: the runtime's
/// [`MockServer`](crate::runtime::mock::MockServer) (which it dereferences to) with this crate's
/// operations, and an accessor per API (`mock.itwins()`).
///
/// Expectations set with [`MockCall::times`] are verified when the server is dropped: a test
/// whose code made another number of calls panics.
#[derive(Debug)]
pub struct MockServer {
    server: crate::runtime::mock::MockServer,
}

impl MockServer {
    /// A server whose answer to calls no mock matches names the nearest operation of `routes`;
    /// the generated `start` gives it the routes of every compiled API.
    pub(crate) async fn with_routes(routes: &'static [&'static [OperationRoute]]) -> Self {
        let server = crate::runtime::mock::MockServer::start(routes).await;
        MockServer { server }
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

    /// A [`ClientBuilder`] set up as for [`client`](Self::client), to change more settings.
    pub fn client_builder(&self) -> ClientBuilder {
        self.server.client_builder()
    }

    /// A mock of the operation `Op`; the API accessors such as
    /// `mock.access_control().get_itwin_roles()` call this.
    pub fn mock<Op: MockOperation>(&self) -> MockCall<'_, Op> {
        MockCall(self.server.mock())
    }
}

impl Deref for MockServer {
    type Target = crate::runtime::mock::MockServer;

    fn deref(&self) -> &Self::Target {
        &self.server
    }
}

/// A mock of one operation being set up: the runtime's
/// [`MockCall`](crate::runtime::mock::MockCall), with the operation's path parameters as
/// setters (`.id(...)`), which each API's `mock` module adds. Nothing happens until
/// [`mount`](Self::mount).
///
/// Each `respond*` call adds an answer: answers are served in order, and the last one again
/// for every later call (a `429` then a `200`: the client's retry gets the `200`).
#[derive(Debug)]
#[must_use = "a mock does nothing until `mount` is awaited"]
pub struct MockCall<'a, Op>(crate::runtime::mock::MockCall<'a, Op>);

impl<'a, Op: MockOperation> MockCall<'a, Op> {
    /// Matches only calls whose path parameter `name` is `value` (compared as the client
    /// encodes it). The generated setters such as `.id(...)` call this.
    pub fn path_param(self, name: &'static str, value: impl Display) -> Self {
        MockCall(self.0.path_param(name, value))
    }

    /// Matches only calls with `name=value` in their query (among other parameters).
    pub fn query_param(self, name: impl Into<String>, value: impl Display) -> Self {
        MockCall(self.0.query_param(name, value))
    }

    /// Answers with `answer` and the operation's documented success status.
    pub fn respond(self, answer: Op::Answer) -> Self {
        MockCall(self.0.respond(answer))
    }

    /// Answers with `answer` and `status`, such as another documented success status.
    pub fn respond_with_status(self, status: u16, answer: Op::Answer) -> Self {
        MockCall(self.0.respond_with_status(status, answer))
    }

    /// Answers with any JSON value and `status`: an answer the operation's type cannot hold.
    pub fn respond_json(self, status: u16, body: &impl serde::Serialize) -> Self {
        MockCall(self.0.respond_json(status, body))
    }

    /// Answers with the definition's example of the success body and status.
    ///
    /// # Panics
    ///
    /// When the definition gives no example for the operation's success answer.
    pub fn respond_example(self) -> Self {
        MockCall(self.0.respond_example())
    }

    /// Answers with an error status and the platform's error body,
    /// `{"error": {"code": code, "message": message}}`.
    pub fn respond_error(self, status: u16, code: &str, message: &str) -> Self {
        MockCall(self.0.respond_error(status, code, message))
    }

    /// Answers `429 Too Many Requests` with `Retry-After: seconds`.
    pub fn respond_throttled(self, seconds: u64) -> Self {
        MockCall(self.0.respond_throttled(seconds))
    }

    /// Answers as `template` says: any status, headers, body or delay.
    pub fn respond_with(self, template: ResponseTemplate) -> Self {
        MockCall(self.0.respond_with(template))
    }

    /// Adds a header to the last answer added.
    ///
    /// # Panics
    ///
    /// When no answer was added yet.
    pub fn with_header(self, name: &str, value: &str) -> Self {
        MockCall(self.0.with_header(name, value))
    }

    /// Expects exactly `n` matching calls; checked when the server is dropped.
    pub fn times(self, n: u64) -> Self {
        MockCall(self.0.times(n))
    }

    /// Expects a number of matching calls in a range, such as `1..` or `..=3`.
    pub fn expect(self, times: impl Into<Times>) -> Self {
        MockCall(self.0.expect(times))
    }

    /// Puts the mock in place. Without a `respond*`, it answers the definition's example, or
    /// an empty body when there is none, with the documented success status.
    pub async fn mount(self) -> MountedMock<'a, Op> {
        self.0.mount().await
    }

    /// The calls received so far that this mock matches (mounted or not), decoded.
    pub async fn received(&self) -> Vec<Received<Op::Body>> {
        self.0.received().await
    }
}
