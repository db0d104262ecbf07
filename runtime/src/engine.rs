//! What every call runs through: the URL, credentials and headers of each attempt, retries,
//! redirects, interceptors, and the answer read into bytes or an error. [`Client`]'s methods
//! are this engine's front: they choose how an answer is read and decoded.
//!
//! [`Client`]: super::Client

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;
use url::Url;

use super::credentials::Credentials;
use super::download::ByteStream;
use super::error::{ApiError, DecodeError, Error};
use super::header::header_pair;
use super::intercept::{AttemptOutcome, AttemptRequest, Interceptor};
use super::multipart::FormError;
use super::redirect::{is_redirect, RedirectError, RedirectPolicy};
use super::request::{Body, Request};
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
    body: Vec<u8>,
    /// The answer whose body is still to be read, for [`Reading::Streamed`].
    unread: Option<reqwest::Response>,
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
        self.body.clone()
    }

    /// The body as text (a `text/plain` answer); a body that is not UTF-8 is a [`DecodeError`].
    pub fn text(&self) -> Result<String, Error> {
        String::from_utf8(self.body.clone()).map_err(|error| {
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
        std::mem::take(&mut self.body)
    }

    /// The body as a stream: as it arrives for an answer read with [`Reading::Streamed`], from
    /// memory for one read whole (a redirect that is the answer).
    pub(crate) fn take_stream(&mut self) -> ByteStream {
        let operation = self.operation;
        match self.unread.take() {
            Some(response) => ByteStream::new(operation, response),
            None => ByteStream::buffered(operation, std::mem::take(&mut self.body)),
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
    /// Scheme, host and optional path prefix, without a trailing slash.
    pub(crate) base_url: String,
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
        request: Request,
        reading: Reading,
    ) -> Result<Answer, Error> {
        let policy = &settings.retry;
        let started = Instant::now();
        // Made on the first failure: most calls succeed at once.
        let mut delays = None;
        let mut attempt = 1;
        loop {
            let outcome = self.attempt(settings, &request, attempt, reading).await;
            let error = match outcome {
                Ok(answer) => return Ok(answer),
                Err(error) => error,
            };
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
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One attempt: a fresh token, the request, its redirects, and its answer read up to the
    /// size limit; the interceptors run around it.
    async fn attempt(
        &self,
        settings: &CallSettings,
        request: &Request,
        attempt: u32,
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
        let started = Instant::now();
        let outcome = self
            .exchange(settings, request, attempt, reading)
            .instrument(span.clone())
            .await;
        let duration = started.elapsed();
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
        let mut url = Url::parse(&format!("{}{}", self.base_url, path))
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
        self.credentials
            .apply(operation, &mut headers, &mut url)
            .await?;

        let response = self
            .send_following_redirects(settings, request, url, headers)
            .await?;
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
    /// is not a followed redirect is returned.
    async fn send_following_redirects(
        &self,
        settings: &CallSettings,
        request: &Request,
        origin: Url,
        mut headers: HeaderMap,
    ) -> Result<reqwest::Response, Error> {
        let operation = request.operation_id;
        let policy = &self.redirects;
        let mut method = request.method;
        let mut url = origin.clone();
        let mut hops = 0;
        let mut keeps_body = request.body.is_some();
        loop {
            let mut builder = self.http.request(method.to_reqwest(), url.clone());
            if let Some(timeout) = settings.timeout {
                builder = builder.timeout(timeout);
            }
            if keeps_body {
                // A redirect that keeps the body (307, 308) sends it again: a one-shot body
                // that the first hop consumed cannot follow it.
                let Some(body) = self.body_for_send(request).await? else {
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
                builder = match body {
                    SendBody::Plain(AttemptBody { body, length }) => {
                        if let Some(length) = length {
                            // A stream is sent chunked unless its length is given.
                            headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
                        }
                        builder.body(body)
                    }
                    SendBody::Multipart(form) => builder.multipart(form),
                };
            }
            let response = builder
                .headers(headers.clone())
                .send()
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
            // without them.
            let hop = policy
                .next_hop(&origin, &url, method, response.status(), location, hops)
                .map_err(|problem| Error::Redirect { operation, problem })?;
            tracing::debug!(
                operation,
                status = response.status().as_u16(),
                host = hop.url.host_str(),
                "following a redirect"
            );
            if !hop.keeps_body {
                keeps_body = false;
                headers.remove(CONTENT_TYPE);
                headers.remove(CONTENT_LENGTH);
            }
            method = hop.method;
            url = hop.url;
            hops += 1;
        }
    }

    /// The answer of the last hop, its body read up to the size limit.
    async fn read_answer(
        &self,
        operation: &'static str,
        mut response: reqwest::Response,
        reading: Reading,
        redirects_as_answers: bool,
    ) -> Result<Answer, Error> {
        let transport = |source: reqwest::Error| Error::Transport {
            operation,
            source: source.without_url(),
        };
        let status = response.status();
        let headers = response.headers().clone();
        if status.is_success() && reading == Reading::Streamed {
            return Ok(Answer {
                operation,
                status,
                headers,
                body: Vec::new(),
                unread: Some(response),
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
        // Room for the announced length at once (within the limit): growing by doubling would
        // hold up to half as much again while it copies.
        // The length is within the limit, a `usize`, here.
        let capacity = length.map_or(0, |n| usize::try_from(n).unwrap_or(limit));
        let mut body = Vec::with_capacity(capacity);
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        let answered = status.is_success() || (redirects_as_answers && status.is_redirection());
        if !answered {
            return Err(Error::Api(Box::new(ApiError::new(
                operation, status, headers, body,
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
