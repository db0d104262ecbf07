//! Waiting for a job to end: poll an operation until the state it reports is terminal.
//!
//! Jobs of the platform (an Insights extraction run, an Access Control job, an iTwins export)
//! are started by one call and read by another. A [`Waiter`] does the poll loop every caller
//! would otherwise write: the first poll at once, then waits that grow from
//! [`interval`](Waiter::interval) up to [`max_interval`](Waiter::max_interval), a `Retry-After`
//! of the service honoured (on an answer or on a 429 that outlived the client's retries), and
//! an end after [`max_wait`](Waiter::max_wait). The generated `wait` methods of the start
//! operations' answers build one from a [`WaitSpec`].

use std::future::{Future, IntoFuture};
use std::time::{Duration, SystemTime};

use futures_util::future::BoxFuture;
use futures_util::stream::{self, BoxStream, StreamExt};
use futures_util::FutureExt;
use reqwest::StatusCode;
use serde::Serialize;
use serde_json::Value;
use tokio::time::Instant;

use super::error::{Error, WaitError, WaitErrorKind};
use super::response::ApiResponse;

/// The first wait between polls, by default.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(1);
/// The longest wait between polls, by default.
const DEFAULT_MAX_INTERVAL: Duration = Duration::from_secs(30);
/// How long a waiter polls before it gives up, by default.
const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(15 * 60);

/// How to wait for one kind of job: which operation reads its state, where the state is in
/// that operation's answer, and which states end the wait.
///
/// `N` is the number of arguments the poll operation takes, each read from the answer that
/// started the job by a JSON pointer.
///
/// ```
/// use itwin_platform_runtime::WaitSpec;
///
/// // An extraction run: `run.id` of the start answer is the job id; `status.state` of the
/// // status answer says where it is.
/// const EXTRACTION: WaitSpec<1> = WaitSpec {
///     operation: "get-extraction-status",
///     arguments: ["/run/id"],
///     state: "/status/state",
///     success: &["Succeeded"],
///     failure: &["Failed"],
/// };
/// # let _ = EXTRACTION;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitSpec<const N: usize> {
    /// The operation id of the poll, for errors and traces.
    pub operation: &'static str,
    /// JSON pointers into the start answer of the poll operation's arguments, in order.
    pub arguments: [&'static str; N],
    /// JSON pointer of the state in the poll answer; the state is a string.
    pub state: &'static str,
    /// States that end the wait successfully.
    pub success: &'static [&'static str],
    /// States that end the wait with [`WaitErrorKind::Failed`].
    pub failure: &'static [&'static str],
}

/// One poll of a [`Waiter`]: the answer and the state read from it.
#[derive(Debug, Clone)]
pub struct Polled<T> {
    /// The state at the spec's pointer; `None` if the answer has none there.
    pub state: Option<String>,
    /// The poll's answer, with its status and headers.
    pub response: ApiResponse<T>,
}

type Poll<T> = Box<dyn FnMut() -> BoxFuture<'static, Result<ApiResponse<T>, Error>> + Send>;

/// Polls a job until it ends: `.await` it for the last answer, or read every poll with
/// [`into_stream`](Self::into_stream).
///
/// ```no_run
/// # use itwin_platform_runtime::{Error, Waiter};
/// // A generated client's answer that starts a job gives its waiter: `run.wait(&client)`.
/// async fn finish(waiter: Waiter<serde_json::Value>) -> Result<(), Error> {
///     use std::time::Duration;
///
///     let status = waiter
///         .interval(Duration::from_secs(5))
///         .max_wait(Duration::from_secs(30 * 60))
///         .await?;
///     println!("{}", status["status"]["state"]);
///     Ok(())
/// }
/// ```
#[must_use = "a waiter does nothing until it is awaited or streamed"]
pub struct Waiter<T> {
    operation: &'static str,
    state: &'static str,
    success: &'static [&'static str],
    failure: &'static [&'static str],
    /// The poll, or why there can be none (an argument missing from the start answer).
    poll: Result<Poll<T>, Error>,
    interval: Duration,
    max_interval: Duration,
    max_wait: Duration,
}

impl<T> std::fmt::Debug for Waiter<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waiter")
            .field("operation", &self.operation)
            .field("state", &self.state)
            .field("success", &self.success)
            .field("failure", &self.failure)
            .field("interval", &self.interval)
            .field("max_interval", &self.max_interval)
            .field("max_wait", &self.max_wait)
            .finish_non_exhaustive()
    }
}

impl<T: Serialize + Send + 'static> Waiter<T> {
    /// A waiter for the job `start` describes (the answer of the call that started it):
    /// `poll` is called with the arguments `spec` reads from `start`, once per poll.
    pub fn new<S, const N: usize, F, Fut>(start: &S, spec: &WaitSpec<N>, poll: F) -> Self
    where
        S: Serialize,
        F: Fn([String; N]) -> Fut + Send + 'static,
        Fut: Future<Output = Result<ApiResponse<T>, Error>> + Send + 'static,
    {
        let poll = arguments(start, spec)
            .map(|arguments| Box::new(move || poll(arguments.clone()).boxed()) as Poll<T>);
        Waiter {
            operation: spec.operation,
            state: spec.state,
            success: spec.success,
            failure: spec.failure,
            poll,
            interval: DEFAULT_INTERVAL,
            max_interval: DEFAULT_MAX_INTERVAL,
            max_wait: DEFAULT_MAX_WAIT,
        }
    }

    /// The first wait between polls (1 s by default); each later wait is twice the one before,
    /// up to [`max_interval`](Self::max_interval).
    pub fn interval(mut self, first: Duration) -> Self {
        self.interval = first;
        self
    }

    /// The longest wait between polls (30 s by default).
    pub fn max_interval(mut self, max: Duration) -> Self {
        self.max_interval = max;
        self
    }

    /// How long to poll before giving up with [`WaitErrorKind::TimedOut`] (15 minutes by
    /// default). No poll starts after this much time has passed since the first.
    pub fn max_wait(mut self, max: Duration) -> Self {
        self.max_wait = max;
        self
    }

    /// Every poll's answer with its state, in order; the stream ends after a success state, or
    /// with an error item: a failure state, the wait timed out, or a poll failed.
    pub fn into_stream(self) -> BoxStream<'static, Result<Polled<T>, Error>> {
        let rules = Rules {
            operation: self.operation,
            state: self.state,
            success: self.success,
            failure: self.failure,
            max_interval: self.max_interval,
            max_wait: self.max_wait,
        };
        let progress = match self.poll {
            Ok(poll) => Progress {
                poll,
                started: Instant::now(),
                next_wait: None,
                interval: self.interval,
                last_state: None,
            },
            Err(error) => return stream::once(async { Err(error) }).boxed(),
        };
        stream::unfold(Some(progress), move |progress| async move {
            rules.next(progress?).await
        })
        .boxed()
    }
}

/// What a waiter does with each answer; fixed for the whole wait.
#[derive(Clone, Copy)]
struct Rules {
    operation: &'static str,
    state: &'static str,
    success: &'static [&'static str],
    failure: &'static [&'static str],
    max_interval: Duration,
    max_wait: Duration,
}

impl Rules {
    /// The next item of the stream, and where the wait stands after it (`None`: it ended).
    async fn next<T: Serialize>(
        self,
        mut progress: Progress<T>,
    ) -> Option<(Result<Polled<T>, Error>, Option<Progress<T>>)> {
        loop {
            if let Some(wait) = progress.next_wait.take() {
                let waited = progress.started.elapsed() + wait;
                if waited > self.max_wait {
                    let kind = WaitErrorKind::TimedOut { waited };
                    let error = wait_error(self.operation, kind, progress.last_state.take());
                    return Some((Err(error), None));
                }
                tokio::time::sleep(wait).await;
            }
            let response = match (progress.poll)().await {
                Ok(response) => response,
                // A 429 that outlived the client's retries: the job goes on, so wait as asked
                // and poll again, without an item for this poll.
                Err(error) if error.status() == Some(StatusCode::TOO_MANY_REQUESTS) => {
                    match error.api().and_then(|api| api.retry_after()) {
                        Some(asked) => {
                            progress.next_wait = Some(asked);
                            continue;
                        }
                        None => return Some((Err(error), None)),
                    }
                }
                Err(error) => return Some((Err(error), None)),
            };
            let state = state_at(response.body(), self.state);
            let is_in = |states: &[&str]| state.as_deref().is_some_and(|s| states.contains(&s));
            if is_in(self.success) {
                return Some((Ok(Polled { state, response }), None));
            }
            if is_in(self.failure) {
                let kind = WaitErrorKind::Failed {
                    body: serde_json::to_value(response.body()).ok(),
                };
                return Some((Err(wait_error(self.operation, kind, state)), None));
            }
            let asked = response
                .header("retry-after")
                .and_then(|v| super::retry_after::parse(v, SystemTime::now()));
            progress.next_wait = Some(asked.unwrap_or(progress.interval));
            progress.interval = (progress.interval * 2).min(self.max_interval);
            progress.last_state.clone_from(&state);
            return Some((Ok(Polled { state, response }), Some(progress)));
        }
    }
}

impl<T: Serialize + Send + 'static> IntoFuture for Waiter<T> {
    type Output = Result<T, Error>;
    type IntoFuture = BoxFuture<'static, Result<T, Error>>;

    /// The answer of the poll that reported a success state.
    fn into_future(self) -> Self::IntoFuture {
        let mut polls = self.into_stream();
        async move {
            let mut last = None;
            while let Some(polled) = polls.next().await {
                last = Some(polled?);
            }
            let polled = last.expect("a wait stream ends with a success or an error");
            Ok(polled.response.into_body())
        }
        .boxed()
    }
}

/// Where a waiter stands between polls.
struct Progress<T> {
    poll: Poll<T>,
    started: Instant,
    /// How long to wait before the next poll; `None` before the first.
    next_wait: Option<Duration>,
    /// The backoff wait after the next poll.
    interval: Duration,
    last_state: Option<String>,
}

fn wait_error(operation: &'static str, kind: WaitErrorKind, state: Option<String>) -> Error {
    Error::Wait(Box::new(WaitError {
        operation,
        kind,
        last_state: state,
    }))
}

/// The poll arguments of `spec`, read from the start answer.
fn arguments<S: Serialize, const N: usize>(
    start: &S,
    spec: &WaitSpec<N>,
) -> Result<[String; N], Error> {
    let start = serde_json::to_value(start).unwrap_or(Value::Null);
    let mut values = Vec::with_capacity(N);
    for pointer in spec.arguments {
        match start.pointer(pointer).and_then(scalar_text) {
            Some(value) => values.push(value),
            None => {
                let kind = WaitErrorKind::MissingArgument { pointer };
                return Err(wait_error(spec.operation, kind, None));
            }
        }
    }
    Ok(values
        .try_into()
        .unwrap_or_else(|_| unreachable!("one value per pointer")))
}

/// The state at `pointer` of a poll answer.
fn state_at<T: Serialize>(body: &T, pointer: &str) -> Option<String> {
    serde_json::to_value(body)
        .ok()?
        .pointer(pointer)
        .and_then(scalar_text)
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
    use serde_json::json;

    use super::super::error::ApiError;
    use super::*;

    const SPEC: WaitSpec<1> = WaitSpec {
        operation: "get-job",
        arguments: ["/job/id"],
        state: "/state",
        success: &["Done"],
        failure: &["Failed"],
    };

    fn start() -> Value {
        json!({"job": {"id": "j-1"}})
    }

    /// What one poll answers.
    enum Answer {
        State(&'static str),
        StateAfter(&'static str, &'static str),
        RateLimited(&'static str),
    }

    /// A waiter over scripted answers, the last repeated; counts polls and records arguments.
    fn scripted(
        answers: Vec<Answer>,
    ) -> (Waiter<Value>, Arc<AtomicUsize>, Arc<Mutex<Vec<String>>>) {
        let polls = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let answers = Arc::new(answers);
        let (counter, arguments) = (polls.clone(), seen.clone());
        let waiter = Waiter::new(&start(), &SPEC, move |[id]: [String; 1]| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            arguments.lock().unwrap().push(id);
            let answers = answers.clone();
            async move {
                let mut headers = HeaderMap::new();
                match &answers[n.min(answers.len() - 1)] {
                    Answer::State(state) => Ok(ApiResponse::new(
                        StatusCode::OK,
                        headers,
                        json!({"state": state, "poll": n}),
                    )),
                    Answer::StateAfter(state, retry_after) => {
                        headers.insert(RETRY_AFTER, HeaderValue::from_static(retry_after));
                        Ok(ApiResponse::new(
                            StatusCode::OK,
                            headers,
                            json!({"state": state}),
                        ))
                    }
                    Answer::RateLimited(retry_after) => {
                        headers.insert(RETRY_AFTER, HeaderValue::from_static(retry_after));
                        let error = ApiError::new(
                            "get-job",
                            StatusCode::TOO_MANY_REQUESTS,
                            headers,
                            b"{}".to_vec(),
                        );
                        Err(Error::Api(Box::new(error)))
                    }
                }
            }
        });
        (waiter, polls, seen)
    }

    #[tokio::test(start_paused = true)]
    async fn success_after_several_polls_gives_the_last_answer_with_growing_waits() {
        use Answer::State;
        let (waiter, polls, arguments) = scripted(vec![
            State("Queued"),
            State("Running"),
            State("Running"),
            State("Done"),
        ]);
        let started = Instant::now();
        let done = waiter.await.unwrap();
        assert_eq!(done, json!({"state": "Done", "poll": 3}));
        assert_eq!(polls.load(Ordering::SeqCst), 4);
        assert_eq!(*arguments.lock().unwrap(), ["j-1"; 4]);
        // At once, then after 1, 2 and 4 seconds.
        assert_eq!(started.elapsed(), Duration::from_secs(7));
    }

    #[tokio::test(start_paused = true)]
    async fn the_stream_yields_every_state_and_ends_after_success() {
        use Answer::State;
        let (waiter, _, _) = scripted(vec![State("Queued"), State("Running"), State("Done")]);
        let states: Vec<Option<String>> = waiter
            .into_stream()
            .map(|polled| polled.unwrap().state)
            .collect()
            .await;
        let states: Vec<Option<&str>> = states.iter().map(Option::as_deref).collect();
        assert_eq!(states, [Some("Queued"), Some("Running"), Some("Done")]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_state_is_an_error_naming_the_state_with_the_answer() {
        use Answer::State;
        let (waiter, polls, _) = scripted(vec![State("Running"), State("Failed"), State("Done")]);
        let error = waiter.await.unwrap_err();
        let Error::Wait(wait) = &error else {
            panic!("not a wait error: {error}");
        };
        assert_eq!(wait.last_state.as_deref(), Some("Failed"));
        assert_eq!(
            wait.kind,
            WaitErrorKind::Failed {
                body: Some(json!({"state": "Failed", "poll": 1}))
            }
        );
        assert_eq!(polls.load(Ordering::SeqCst), 2);
        assert_eq!(
            error.to_string(),
            "get-job: the job ended in the failure state `Failed`"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_that_would_pass_max_wait_times_out_with_the_last_state() {
        let (waiter, polls, _) = scripted(vec![Answer::State("Running")]);
        let started = Instant::now();
        let error = waiter
            .max_wait(Duration::from_secs(10))
            .max_interval(Duration::from_secs(4))
            .await
            .unwrap_err();
        // Polls at 0, 1, 3 and 7 s; the next, at 11 s, would be past the limit.
        assert_eq!(polls.load(Ordering::SeqCst), 4);
        assert_eq!(started.elapsed(), Duration::from_secs(7));
        let Error::Wait(wait) = error else {
            panic!("not a wait error");
        };
        assert_eq!(
            wait.kind,
            WaitErrorKind::TimedOut {
                waited: Duration::from_secs(11)
            }
        );
        assert_eq!(wait.last_state.as_deref(), Some("Running"));
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_during_polling_waits_its_retry_after_and_polls_again() {
        use Answer::{RateLimited, State};
        let (waiter, polls, _) = scripted(vec![State("Running"), RateLimited("20"), State("Done")]);
        let started = Instant::now();
        let states: Vec<Option<String>> = waiter
            .into_stream()
            .map(|polled| polled.unwrap().state)
            .collect()
            .await;
        assert_eq!(
            states.len(),
            2,
            "the rate-limited poll yields nothing: {states:?}"
        );
        assert_eq!(polls.load(Ordering::SeqCst), 3);
        // 1 s of backoff after the first poll, then the 20 s the service asked for.
        assert_eq!(started.elapsed(), Duration::from_secs(21));
    }

    #[tokio::test(start_paused = true)]
    async fn a_retry_after_on_an_answer_sets_the_next_wait() {
        use Answer::{State, StateAfter};
        let (waiter, _, _) = scripted(vec![StateAfter("Running", "12"), State("Done")]);
        let started = Instant::now();
        waiter.await.unwrap();
        assert_eq!(started.elapsed(), Duration::from_secs(12));
    }

    #[tokio::test(start_paused = true)]
    async fn a_start_answer_without_the_argument_fails_before_any_poll() {
        let polls = Arc::new(AtomicUsize::new(0));
        let counter = polls.clone();
        let waiter = Waiter::new(&json!({"job": {}}), &SPEC, move |_: [String; 1]| {
            counter.fetch_add(1, Ordering::SeqCst);
            async {
                Ok(ApiResponse::new(
                    StatusCode::OK,
                    HeaderMap::new(),
                    json!({}),
                ))
            }
        });
        let error = waiter.await.unwrap_err();
        assert_eq!(polls.load(Ordering::SeqCst), 0);
        assert!(
            error.to_string().contains("has no value at `/job/id`"),
            "{error}"
        );
    }
}
