//! What every call runs through: the URL, credentials and headers of each attempt, retries,
//! redirects, interceptors, and the answer read into bytes or an error. [`Client`]'s methods
//! are this engine's front: they choose how an answer is read and decoded.
//!
//! [`Client`]: super::Client

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;
use url::Url;

use super::base_url::BaseUrl;
use super::credentials::{Credential, Credentials};
use super::download::ByteStream;
use super::error::{ApiError, DecodeError, Error};
use super::header::header_pair;
use super::intercept::{AttemptOutcome, AttemptRequest, Interceptor};
use super::multipart::FormError;
use super::redirect::{is_redirect, RedirectError, RedirectPolicy};
use super::request::{Body, HttpMethod, Request};
use super::response::ApiResponse;
use super::retry::RetryPolicy;
use super::upload::AttemptBody;

/// How a success answer's body is read: whole, up to the client's size limit, or left to the
/// caller as a stream. Error answers are always read whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    Buffered,
    Streamed,
}

/// An answer with a success status, body not yet decoded.
///
/// Operations whose success statuses carry different bodies pick how to decode it by
/// [`status`](Self::status), in [`Client::execute_by_status`](super::Client::execute_by_status).
#[derive(Debug)]
pub struct Answer {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    /// As received: shared with the connection's buffer when it came in one chunk.
    body: Bytes,
    /// The answer whose body is still to be read, for [`Reading::Streamed`]; boxed, so that
    /// the `Answer` every call returns (and moves through each layer of the send) stays small.
    unread: Option<Box<reqwest::Response>>,
}

impl Answer {
    /// The answer's status code.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// The body decoded from JSON; the error says where it does not fit `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        decode_json(self.operation, self.status, &self.body).map_err(|error| match error {
            Error::Decode(decode) => Error::Decode(Box::new(decode.with_request_id(&self.headers))),
            other => other,
        })
    }

    /// The body as received.
    pub fn bytes(&self) -> Vec<u8> {
        self.body.to_vec()
    }

    /// The body as text (a `text/plain` answer); a body that is not UTF-8 is a [`DecodeError`].
    pub fn text(&self) -> Result<String, Error> {
        String::from_utf8(self.body.to_vec()).map_err(|error| {
            let error = DecodeError::not_text(self.operation, self.status, &error)
                .with_request_id(&self.headers);
            Error::Decode(Box::new(error))
        })
    }

    /// The error for a success status the definition does not document.
    pub fn undocumented_status(&self) -> Error {
        let error = DecodeError::undocumented_status(self.operation, self.status, &self.body)
            .with_request_id(&self.headers);
        Error::Decode(Box::new(error))
    }

    pub(crate) fn into_response<T>(self, body: T) -> ApiResponse<T> {
        ApiResponse::new(self.status, self.headers, body)
    }

    /// The body read whole, leaving the answer's status and headers.
    pub(crate) fn take_body(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.body).into()
    }

    /// The body as a stream: as it arrives for an answer read with [`Reading::Streamed`], from
    /// memory for one read whole (a redirect that is the answer).
    pub(crate) fn take_stream(&mut self) -> ByteStream {
        let operation = self.operation;
        match self.unread.take() {
            Some(response) => ByteStream::new(operation, *response),
            None => ByteStream::buffered(operation, std::mem::take(&mut self.body).into()),
        }
    }
}

/// Decodes a JSON answer of `operation` the way the client does: into `T`, or a
/// [`DecodeError`] that gives the path, line and column where the body does not fit.
pub fn decode_json<T: DeserializeOwned>(
    operation: &'static str,
    status: StatusCode,
    body: &[u8],
) -> Result<T, Error> {
    // Tracking the path costs as much as decoding: only a body that fails is decoded again
    // with it, to say where it fails.
    if let Ok(decoded) = serde_json::from_slice(body) {
        return Ok(decoded);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| (e.path().to_string(), e.into_inner()))
        .and_then(|decoded| {
            deserializer
                .end()
                .map(|()| decoded)
                .map_err(|e| (String::new(), e))
        })
        .map_err(|(path, error)| {
            Error::Decode(Box::new(DecodeError::new(
                operation, status, body, path, &error,
            )))
        })
}

/// How long to wait before trying `request` again after `attempt` failed with `error`, as
/// the retry policy says; `error` itself (or, for a body that cannot be sent again, an error
/// that says so) when the call ends with it.
fn retry_wait(
    settings: &CallSettings,
    request: &Request,
    attempt: u32,
    error: Error,
    delays: &mut Option<Box<dyn Iterator<Item = Duration> + Send>>,
    started: Instant,
) -> Result<Duration, Error> {
    let policy = &settings.retry;
    let wait = (attempt < policy.attempts())
        .then(|| {
            let delays = delays.get_or_insert_with(|| policy.delays());
            policy.wait_after(request.method, &error, &mut **delays)
        })
        .flatten()
        .filter(|wait| started.elapsed() + *wait <= policy.elapsed_budget());
    let Some(wait) = wait else {
        return Err(error);
    };
    if !request.is_replayable() {
        return Err(Error::BodyNotReplayable {
            operation: request.operation_id,
            cause: Box::new(error),
        });
    }
    tracing::debug!(
        operation = request.operation_id,
        attempt,
        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
        error = %error,
        "retrying"
    );
    Ok(wait)
}

/// A request body as one send (an attempt or a redirect hop) sends it, made anew each time.
enum SendBody {
    /// Bytes or an upload, with its length when known (a stream goes chunked without one).
    Plain(AttemptBody),
    /// A multipart form: reqwest sets its content type, whose boundary is the form's own.
    Multipart(reqwest::multipart::Form),
}

/// What a client holds for all its clones: where calls go, how they are authorised and how
/// answers are read.
pub(crate) struct Engine {
    /// Scheme, host and optional path prefix.
    pub(crate) base: BaseUrl,
    pub(crate) http: reqwest::Client,
    pub(crate) credentials: Credentials,
    pub(crate) max_response_bytes: usize,
    /// The most pages one list stream reads.
    pub(crate) max_pages: usize,
    pub(crate) redirects: RedirectPolicy,
    pub(crate) interceptors: Vec<Arc<dyn Interceptor>>,
}

/// What a call may override: the client's settings unless `with_*` changed them.
#[derive(Debug, Clone)]
pub(crate) struct CallSettings {
    pub(crate) retry: RetryPolicy,
    /// Per attempt, from sending the request to the end of the answer.
    pub(crate) timeout: Option<Duration>,
    /// Headers added to every attempt, from [`CallOptions`](super::CallOptions).
    pub(crate) headers: Arc<[(String, String)]>,
}

impl Engine {
    /// Sends `request`, trying again as the retry policy allows; the error of the last attempt
    /// is returned when none succeeds.
    pub(crate) async fn send(
        &self,
        settings: &CallSettings,
        request: &Request,
        reading: Reading,
    ) -> Result<Answer, Error> {
        // The call's start, and its first attempt's.
        let first = Instant::now();
        let mut started = first;
        // Made on the first failure: most calls succeed at once.
        let mut delays = None;
        let mut attempt = 1;
        loop {
            let outcome = self.attempt(settings, request, attempt, started, reading);
            let error = match outcome.await {
                Ok(answer) => return Ok(answer),
                Err(error) => error,
            };
            let wait = retry_wait(settings, request, attempt, error, &mut delays, first)?;
            // A timer fires at the earliest on the next millisecond tick: a wait of zero (a
            // `Retry-After: 0`, a zero backoff) goes on at once.
            if !wait.is_zero() {
                // Boxed, as a rare state of the call's future that would make it larger.
                Box::pin(tokio::time::sleep(wait)).await;
            }
            attempt += 1;
            started = Instant::now();
        }
    }

    /// One attempt, which started at `started`: a fresh token, the request, its redirects, and
    /// its answer read up to the size limit; the interceptors run around it.
    async fn attempt(
        &self,
        settings: &CallSettings,
        request: &Request,
        attempt: u32,
        started: Instant,
        reading: Reading,
    ) -> Result<Answer, Error> {
        let span = tracing::info_span!(
            "itwin_request",
            operation = request.operation_id,
            method = request.method.as_str(),
            path = request.path_template,
            attempt,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let outcome = self
            .exchange(settings, request, attempt, reading)
            .instrument(span.clone())
            .await;
        // The duration is the span's and the interceptors' to see: the clock is not read
        // again when there are neither.
        let observed = !span.is_disabled() || !self.interceptors.is_empty();
        let duration = if observed {
            started.elapsed()
        } else {
            Duration::ZERO
        };
        span.record(
            "duration_ms",
            u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
        );
        let (status, headers) = match &outcome {
            Ok(answer) => (Some(answer.status), Some(&answer.headers)),
            Err(error) => (error.status(), error.api().map(ApiError::headers)),
        };
        match status {
            Some(status) => span.record("status", status.as_u16()),
            None => span.record("status", "none"),
        };
        span.in_scope(|| tracing::info!("done"));
        let report = AttemptOutcome {
            operation: request.operation_id,
            method: request.method,
            attempt,
            duration,
            status,
            headers,
            error: outcome.as_ref().err(),
        };
        for interceptor in &self.interceptors {
            interceptor.after_attempt(&report);
        }
        outcome
    }

    async fn exchange(
        &self,
        settings: &CallSettings,
        request: &Request,
        attempt: u32,
        reading: Reading,
    ) -> Result<Answer, Error> {
        let operation = request.operation_id;
        let invalid = |reason: String| Error::InvalidRequest { operation, reason };
        let path = request.path_and_query().map_err(invalid)?;
        let mut url = self
            .base
            .url(path)
            .map_err(|e| invalid(format!("the URL is not valid: {e}")))?;
        let mut headers = self.headers(settings, request)?;

        // Interceptors see the request before the credentials are added, so they never hold
        // a token or key.
        for interceptor in &self.interceptors {
            let mut view = AttemptRequest {
                operation,
                method: request.method,
                url: url.as_str(),
                attempt,
                headers: &mut headers,
            };
            interceptor
                .before_attempt(&mut view)
                .map_err(|source| Error::Interceptor { operation, source })?;
        }
        let credential = self.credentials.for_attempt(operation).await?;
        credential.add_query(&mut url);

        let response = self
            .send_following_redirects(settings, request, url, headers, &credential)
            .await?;
        // Not kept while the answer is read.
        drop(credential);
        let reading = match reading {
            // A redirect that is the answer has nothing to stream.
            Reading::Streamed if response.status().is_redirection() => Reading::Buffered,
            reading => reading,
        };
        self.read_answer(operation, response, reading, request.redirects_as_answers)
            .await
    }

    /// The headers of a request: `Accept`, its own, the call's, and its body's `Content-Type`.
    fn headers(&self, settings: &CallSettings, request: &Request) -> Result<HeaderMap, Error> {
        let operation = request.operation_id;
        let invalid = |reason: String| Error::InvalidRequest { operation, reason };
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(request.accept));
        let own = request.headers.iter().map(|(n, v)| (*n, v.as_str()));
        let call = settings
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()));
        for (name, value) in own.chain(call) {
            let (name, value) = header_pair(name, value).map_err(invalid)?;
            headers.append(name, value);
        }
        let content_type = match &request.body {
            Some(Body::Bytes { content_type, .. }) => Some(content_type.as_ref()),
            Some(Body::Upload { content_type, .. }) => Some(*content_type),
            // Set by reqwest as it encodes the form, boundary included.
            Some(Body::Multipart(_)) => None,
            Some(Body::Invalid(reason)) => {
                return Err(invalid(format!("the body cannot be serialized: {reason}")))
            }
            None => None,
        };
        if let Some(content_type) = content_type {
            let value = HeaderValue::from_str(content_type).map_err(|_| {
                invalid(
                    "the content type contains characters that are not allowed in a header".into(),
                )
            })?;
            headers.insert(CONTENT_TYPE, value);
        }
        Ok(headers)
    }

    /// The body of one send, made anew for each attempt and redirect hop; `None` for a one-shot
    /// body (or a form with a one-shot part) an earlier send consumed.
    async fn body_for_send(&self, request: &Request) -> Result<Option<SendBody>, Error> {
        let operation = request.operation_id;
        match &request.body {
            Some(Body::Bytes { bytes, .. }) => Ok(Some(SendBody::Plain(AttemptBody {
                length: Some(bytes.len() as u64),
                // A `Bytes` clone shares the buffer.
                body: reqwest::Body::from(bytes.clone()),
            }))),
            Some(Body::Upload { body, .. }) => body
                .for_attempt()
                .await
                .map(|body| body.map(SendBody::Plain))
                .map_err(|source| Error::Io { operation, source }),
            Some(Body::Multipart(form)) => match form.encode().await {
                Ok(form) => Ok(Some(SendBody::Multipart(form))),
                Err(FormError::Consumed) => Ok(None),
                Err(FormError::Io(source)) => Err(Error::Io { operation, source }),
                Err(FormError::Invalid(reason)) => Err(Error::InvalidRequest {
                    operation,
                    reason: format!("the body cannot be encoded: {reason}"),
                }),
            },
            Some(Body::Invalid(_)) | None => Ok(None),
        }
    }

    /// Sends the request, and again wherever the redirect policy follows it; the answer that
    /// is not a followed redirect is returned. `headers` are those of the first send, without
    /// the credential, which every send gets.
    ///
    /// A plain function returning an `async` block: an `async fn` would keep its arguments
    /// twice in its future (as given, and as its variables), and the future of every call
    /// holds this one.
    #[allow(clippy::manual_async_fn)] // See above: not an `async fn` on purpose.
    fn send_following_redirects<'a>(
        &'a self,
        settings: &'a CallSettings,
        request: &'a Request,
        mut url: Url,
        mut headers: HeaderMap,
        credential: &'a Credential<'a>,
    ) -> impl Future<Output = Result<reqwest::Response, Error>> + 'a {
        async move {
            let operation = request.operation_id;
            let policy = &self.redirects;
            // Where the credentials are meant to go: the base URL's origin, which the request's
            // URL has unless its path does not start with `/`.
            // (Boxed when it is the URL's own, so that the future of every call stays small.)
            let own_origin = (!self.base.has_origin_of(&url)).then(|| Box::new(url.clone()));
            let origin = own_origin.as_deref().unwrap_or(self.base.parsed());
            // A redirect hop sends the first send's headers again. They are made again from the
            // request, unless interceptors changed them: then they are kept before the first send.
            // Most calls follow no redirect and pay for neither.
            let kept = (policy.follows() && !self.interceptors.is_empty())
                .then(|| Box::new(headers.clone()));
            let mut method = request.method;
            let mut hops = 0;
            let mut keeps_body = request.body.is_some();
            // Whether a hop has left the body behind, and its `Content-Type` with it.
            let mut body_dropped = false;
            loop {
                credential.add_header(&mut headers);
                let body = if keeps_body {
                    // A redirect that keeps the body (307, 308) sends it again: a one-shot body
                    // that the first hop consumed cannot follow it. Boxed: the future of a body
                    // (a file, a form) would otherwise make the future of every call larger,
                    // bodiless ones included, and each is moved as it starts.
                    let Some(body) = Box::pin(self.body_for_send(request)).await? else {
                        return Err(match hops {
                            // A clone of this request (a builder sent twice) sent it already.
                            0 => Error::InvalidRequest {
                                operation,
                                reason: "its one-shot body (a stream or an open file, or a form part made of one) was sent by an earlier call".into(),
                            },
                            _ => Error::Redirect {
                                operation,
                                problem: RedirectError::BodyNotReplayable,
                            },
                        });
                    };
                    Some(body)
                } else {
                    None
                };
                let outgoing = self.outgoing(settings, operation, method, url, headers, body)?;
                let response =
                    self.http
                        .execute(outgoing)
                        .await
                        .map_err(|source| Error::Transport {
                            operation,
                            source: source.without_url(),
                        })?;
                if request.redirects_as_answers {
                    return Ok(response);
                }
                let location = response
                    .headers()
                    .get(LOCATION)
                    .and_then(|value| value.to_str().ok());
                let (true, Some(location)) =
                    (is_redirect(response.status()) && policy.follows(), location)
                else {
                    return Ok(response);
                };
                // Every host a hop may reach is one the credentials are meant for: the origin of
                // the first request, or an allowed host; anything else is refused, not followed
                // without them. A relative `Location` is resolved against the URL that answered.
                let hop = policy
                    .next_hop(
                        origin,
                        response.url(),
                        method,
                        response.status(),
                        location,
                        hops,
                    )
                    .map_err(|problem| Error::Redirect { operation, problem })?;
                tracing::debug!(
                    operation,
                    status = response.status().as_u16(),
                    host = hop.url.host_str(),
                    "following a redirect"
                );
                if !hop.keeps_body {
                    keeps_body = false;
                    body_dropped = true;
                }
                headers = match &kept {
                    Some(kept) => HeaderMap::clone(kept),
                    None => self.headers(settings, request)?,
                };
                if body_dropped {
                    headers.remove(CONTENT_TYPE);
                }
                method = hop.method;
                url = hop.url;
                hops += 1;
            }
        }
    }

    /// One send of the request as reqwest takes it: `headers` (the request's, with the
    /// credential) and the body, if it goes along.
    fn outgoing(
        &self,
        settings: &CallSettings,
        operation: &'static str,
        method: HttpMethod,
        url: Url,
        mut headers: HeaderMap,
        body: Option<SendBody>,
    ) -> Result<reqwest::Request, Error> {
        if let Some(SendBody::Plain(AttemptBody {
            length: Some(length),
            ..
        })) = &body
        {
            // A stream is sent chunked unless its length is given.
            headers.insert(CONTENT_LENGTH, HeaderValue::from(*length));
        }
        // The request is made as reqwest's builder makes it, without the builder's moves, when
        // the builder would add nothing: no user info in the URL to turn into a header, no form.
        let plain = url.has_host()
            && url.username().is_empty()
            && url.password().is_none()
            && !matches!(body, Some(SendBody::Multipart(_)));
        if plain {
            let mut outgoing = reqwest::Request::new(method.to_reqwest(), url);
            *outgoing.headers_mut() = headers;
            if let Some(timeout) = settings.timeout {
                *outgoing.timeout_mut() = Some(timeout);
            }
            if let Some(SendBody::Plain(AttemptBody { body, .. })) = body {
                *outgoing.body_mut() = Some(body);
            }
            return Ok(outgoing);
        }
        let mut builder = self.http.request(method.to_reqwest(), url);
        if let Some(timeout) = settings.timeout {
            builder = builder.timeout(timeout);
        }
        builder = match body {
            Some(SendBody::Plain(AttemptBody { body, .. })) => builder.body(body),
            Some(SendBody::Multipart(form)) => builder.multipart(form),
            None => builder,
        };
        // Headers the builder set (a form's content type and length, the user info of a URL)
        // give way to the request's, as `RequestBuilder::headers` has them.
        builder
            .headers(headers)
            .build()
            .map_err(|source| Error::Transport {
                operation,
                source: source.without_url(),
            })
    }

    /// The answer of the last hop, its body read up to the size limit.
    ///
    /// A plain function returning an `async` block, as
    /// [`send_following_redirects`](Self::send_following_redirects).
    #[allow(clippy::manual_async_fn)] // See above: not an `async fn` on purpose.
    fn read_answer(
        &self,
        operation: &'static str,
        mut response: reqwest::Response,
        reading: Reading,
        redirects_as_answers: bool,
    ) -> impl Future<Output = Result<Answer, Error>> + '_ {
        async move {
            let transport = |source: reqwest::Error| Error::Transport {
                operation,
                source: source.without_url(),
            };
            let status = response.status();
            if status.is_success() && reading == Reading::Streamed {
                return Ok(Answer {
                    operation,
                    status,
                    headers: std::mem::take(response.headers_mut()),
                    body: Bytes::new(),
                    unread: Some(Box::new(response)),
                });
            }
            let limit = self.max_response_bytes;
            let too_large = || Error::ResponseTooLarge {
                operation,
                status,
                limit,
            };
            let length = response.content_length();
            if length.is_some_and(|n| n > limit as u64) {
                return Err(too_large());
            }
            // A body that comes in one chunk (most answers but large lists) is kept as it came,
            // uncopied; chunks after the first are gathered in a vector with room for the
            // announced length at once (within the limit): growing by doubling would hold up to
            // half as much again while it copies.
            let mut first = Bytes::new();
            let mut gathered: Option<Vec<u8>> = None;
            while let Some(chunk) = response.chunk().await.map_err(transport)? {
                let read = gathered.as_ref().map_or(first.len(), Vec::len);
                if read + chunk.len() > limit {
                    return Err(too_large());
                }
                match &mut gathered {
                    Some(body) => body.extend_from_slice(&chunk),
                    None if first.is_empty() => first = chunk,
                    None => {
                        // The length is within the limit, a `usize`, here.
                        let announced = length.map_or(0, |n| usize::try_from(n).unwrap_or(limit));
                        let mut body = Vec::with_capacity(announced.max(read + chunk.len()));
                        body.extend_from_slice(&first);
                        body.extend_from_slice(&chunk);
                        first = Bytes::new();
                        gathered = Some(body);
                    }
                }
            }
            let body = gathered.map_or(first, Bytes::from);
            // The answer's headers move to the `Answer` (taken only now, so that the future
            // does not hold them apart while it reads).
            let headers = std::mem::take(response.headers_mut());
            let answered = status.is_success() || (redirects_as_answers && status.is_redirection());
            if !answered {
                return Err(Error::Api(Box::new(ApiError::new(
                    operation,
                    status,
                    headers,
                    body.into(),
                ))));
            }
            Ok(Answer {
                operation,
                status,
                headers,
                body,
                unread: None,
            })
        }
    }
}
