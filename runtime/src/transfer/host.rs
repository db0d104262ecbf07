//! Requests to a storage host: through the client's connection pool, with none of its
//! credentials, call headers or interceptors; retried as the client's retry policy says; an
//! error status read into a [`TransferError`] that quotes no query.

use std::future::Future;
use std::time::Duration;

use reqwest::header::{HeaderMap, AUTHORIZATION, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use tokio::time::Instant;
use tracing::Instrument;
use url::Url;

use super::presigned::{redact_signatures, redacted};
use crate::error::{Error, TransferError, TransferErrorKind};
use crate::header::header_pair;
use crate::request::HttpMethod;
use crate::retry::RetryPolicy;
use crate::Client;

/// The most of an error answer's body read for its code and message.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// What a transfer takes of the client: its connection pool and its retry policy and timeout
/// (or the transfer's own), never its credentials.
#[derive(Clone)]
pub(crate) struct Host {
    http: reqwest::Client,
    pub(crate) retry: RetryPolicy,
    /// Of each request to the end of its answer (uploads), or of the answer's head and then of
    /// each wait for a chunk (downloads).
    pub(crate) timeout: Option<Duration>,
    /// The transfer's own extra headers.
    headers: HeaderMap,
    pub(crate) max_response_bytes: usize,
    pub(crate) max_pages: usize,
}

/// A transfer's own settings, given by its builder.
#[derive(Debug, Clone, Default)]
pub(crate) struct Overrides {
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) timeout: Option<Option<Duration>>,
    pub(crate) headers: Vec<(String, String)>,
}

impl Host {
    /// The host settings of a transfer through `client`; a header that cannot be sent (or an
    /// `Authorization` header, which a pre-signed URL must never get) is refused here.
    pub(crate) fn new(
        client: &Client,
        overrides: Overrides,
        operation: &'static str,
    ) -> Result<Host, Error> {
        let settings = client.call_settings();
        let invalid = |reason: String| Error::InvalidRequest { operation, reason };
        let mut headers = HeaderMap::new();
        for (name, value) in &overrides.headers {
            let (name, value) = header_pair(name, value).map_err(invalid)?;
            if name == AUTHORIZATION {
                return Err(invalid(
                    "a pre-signed URL carries its own authorization: no Authorization header is sent to it".into(),
                ));
            }
            headers.append(name, value);
        }
        Ok(Host {
            http: client.http().clone(),
            retry: overrides.retry.unwrap_or_else(|| settings.retry.clone()),
            timeout: overrides.timeout.unwrap_or(settings.timeout),
            headers,
            max_response_bytes: client.max_response_bytes(),
            max_pages: client.max_pages(),
        })
    }

    /// Runs `attempt` (given the attempt number, from 1) until it succeeds or the retry policy
    /// gives up; the last error is returned.
    pub(crate) async fn retrying<T, F, Fut>(
        &self,
        method: HttpMethod,
        mut attempt: F,
    ) -> Result<T, Error>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let mut budget = Budget::new(&self.retry);
        let mut number = 1;
        loop {
            match attempt(number).await {
                Ok(done) => return Ok(done),
                Err(error) => {
                    let wait = budget.wait_after(method, &error).ok_or(error)?;
                    tokio::time::sleep(wait).await;
                    number += 1;
                }
            }
        }
    }

    /// Sends one request and returns its answer if its status is a success. With
    /// `whole_timeout`, the timeout covers the whole exchange (an upload); without, only the
    /// wait for the answer's head (a download, whose body is timed chunk by chunk).
    #[allow(clippy::too_many_arguments, reason = "one request's parts, all needed")]
    pub(crate) async fn send(
        &self,
        operation: &'static str,
        method: Method,
        url: &Url,
        mut headers: HeaderMap,
        body: Option<reqwest::Body>,
        attempt: u32,
        whole_timeout: bool,
    ) -> Result<reqwest::Response, Error> {
        let shown = redacted(url);
        let span = tracing::info_span!(
            "itwin_transfer",
            operation,
            method = method.as_str(),
            host = url.host_str().unwrap_or_default(),
            path = url.path(),
            attempt,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        for (name, value) in &self.headers {
            headers.append(name, value.clone());
        }
        let mut builder = self.http.request(method, url.clone()).headers(headers);
        if let Some(body) = body {
            builder = builder.body(body);
        }
        let timeout = self.timeout;
        if let (true, Some(timeout)) = (whole_timeout, timeout) {
            builder = builder.timeout(timeout);
        }
        let sent = async {
            let sending = builder.send();
            match (whole_timeout, timeout) {
                (false, Some(limit)) => match tokio::time::timeout(limit, sending).await {
                    Ok(sent) => {
                        sent.map_err(|e| connection_error(operation, shown.clone(), e, timeout))
                    }
                    Err(_) => Err(timed_out(operation, shown.clone(), limit)),
                },
                _ => sending
                    .await
                    .map_err(|e| connection_error(operation, shown.clone(), e, timeout)),
            }
        }
        .instrument(span.clone())
        .await;
        span.record(
            "duration_ms",
            u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        );
        let response = match sent {
            Ok(response) => response,
            Err(error) => {
                span.record("status", "none");
                span.in_scope(|| tracing::info!("done"));
                return Err(error.into());
            }
        };
        span.record("status", response.status().as_u16());
        span.in_scope(|| tracing::info!("done"));
        if response.status().is_success() {
            return Ok(response);
        }
        Err(status_error(operation, shown, response).await.into())
    }

    /// An answer's body read whole, up to the client's size limit (a listing page).
    pub(crate) async fn read_body(
        &self,
        operation: &'static str,
        url: &Url,
        mut response: reqwest::Response,
    ) -> Result<Vec<u8>, Error> {
        let mut body = Vec::new();
        loop {
            let chunk = response.chunk().await.map_err(|error| {
                Error::from(connection_error(
                    operation,
                    redacted(url),
                    error,
                    self.timeout,
                ))
            })?;
            let Some(chunk) = chunk else { return Ok(body) };
            if body.len() + chunk.len() > self.max_response_bytes {
                return Err(Error::ResponseTooLarge {
                    operation,
                    status: StatusCode::OK,
                    limit: self.max_response_bytes,
                });
            }
            body.extend_from_slice(&chunk);
        }
    }
}

/// The retries left to a request, or to a download between two chunks that arrived.
pub(crate) struct Budget<'a> {
    policy: &'a RetryPolicy,
    started: Instant,
    delays: Option<Box<dyn Iterator<Item = Duration> + Send>>,
    /// Attempts since the budget was made or renewed.
    attempts: u32,
}

impl<'a> Budget<'a> {
    pub(crate) fn new(policy: &'a RetryPolicy) -> Self {
        Budget {
            policy,
            started: Instant::now(),
            delays: None,
            attempts: 0,
        }
    }

    /// A budget as new: the download made progress since the last failure.
    pub(crate) fn renew(&mut self) {
        *self = Budget::new(self.policy);
    }

    /// How long to wait before the next attempt after `error`, or `None` to give up.
    pub(crate) fn wait_after(&mut self, method: HttpMethod, error: &Error) -> Option<Duration> {
        self.attempts += 1;
        if self.attempts >= self.policy.attempts() {
            return None;
        }
        let policy = self.policy;
        let delays = self.delays.get_or_insert_with(|| policy.delays());
        let wait = policy.wait_after(method, error, &mut **delays)?;
        let within = self.started.elapsed() + wait <= policy.elapsed_budget();
        if within {
            tracing::debug!(
                operation = error.operation(),
                attempt = self.attempts,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                error = %error,
                "retrying"
            );
        }
        within.then_some(wait)
    }
}

/// No answer (or no next chunk) within the transfer's timeout: retried like a connection that
/// dropped.
pub(crate) fn timed_out(operation: &'static str, url: String, limit: Duration) -> TransferError {
    TransferError::new(
        operation,
        url,
        TransferErrorKind::Connection {
            reason: format!(
                "nothing received for {} s (the transfer's timeout)",
                limit.as_secs_f64()
            ),
        },
    )
}

/// A failed exchange as a [`TransferError`]: retried like any connection that dropped, or as
/// not sent when the connection was never made.
pub(crate) fn connection_error(
    operation: &'static str,
    url: String,
    error: reqwest::Error,
    timeout: Option<Duration>,
) -> TransferError {
    let error = error.without_url();
    let reason = if error.is_timeout() {
        match timeout {
            Some(limit) => format!(
                "no complete answer within {} s (the transfer's timeout)",
                limit.as_secs_f64()
            ),
            None => "timed out".to_owned(),
        }
    } else if error.is_connect() {
        "the connection could not be made".to_owned()
    } else if error.is_body() || error.is_decode() {
        "the connection dropped during the body".to_owned()
    } else {
        "the request failed".to_owned()
    };
    let connect = error.is_connect();
    let transfer = TransferError::new(operation, url, TransferErrorKind::Connection { reason });
    let transfer = transfer.with_source(error);
    if connect {
        transfer.not_sent()
    } else {
        transfer
    }
}

/// An error answer as a [`TransferError`]: Azure's code (`x-ms-error-code`, or `<Code>` of the
/// XML body), the first line of its `<Message>` with any `sig=` blanked, and its request id.
async fn status_error(
    operation: &'static str,
    url: String,
    mut response: reqwest::Response,
) -> TransferError {
    let status = response.status();
    let headers = response.headers().clone();
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        body.extend_from_slice(&chunk[..chunk.len().min(ERROR_BODY_LIMIT - body.len())]);
        if body.len() >= ERROR_BODY_LIMIT {
            break;
        }
    }
    let body = String::from_utf8_lossy(&body);
    let code = text("x-ms-error-code").or_else(|| xml_element(&body, "Code"));
    let message = xml_element(&body, "Message")
        .and_then(|m| m.lines().next().map(str::to_owned))
        .map(|m| redact_signatures(&m));
    let retry_after = headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| crate::retry_after::parse(v, std::time::SystemTime::now()));
    TransferError::new(
        operation,
        url,
        TransferErrorKind::Status {
            status,
            code: code.map(|c| redact_signatures(&c)),
            message,
            request_id: text("x-ms-request-id"),
        },
    )
    .with_retry_after(retry_after)
}

/// The text of the first `<name>` element of `xml`, entities decoded.
pub(crate) fn xml_element(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&close)?;
    Some(xml_unescape(xml[start..end].trim()))
}

/// `text` with XML's entities decoded (the five named ones and numeric ones).
pub(crate) fn xml_unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_error_bodies_give_their_code_and_message() {
        let body = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.\nRequestId:1\nTime:2026</Message><AuthenticationErrorDetail>sig=abc</AuthenticationErrorDetail></Error>";
        assert_eq!(
            xml_element(body, "Code").as_deref(),
            Some("AuthenticationFailed")
        );
        assert!(xml_element(body, "Message")
            .unwrap()
            .starts_with("Server failed"));
        assert_eq!(xml_element(body, "Missing"), None);
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            xml_unescape("a &amp; b &lt;c&gt; &#65;&#x42; &bogus; &"),
            "a & b <c> AB &bogus; &"
        );
    }
}
