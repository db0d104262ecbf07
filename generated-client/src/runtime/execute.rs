//! Sending a request: URL, credentials, headers, and turning the answer into a body or an error.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;

use super::client::Client;
use super::error::{ApiError, DecodeError, Error};
use super::request::{Body, Request};
use super::response::ApiResponse;

/// An answer with a success status, body not yet decoded.
///
/// Operations whose success statuses carry different bodies pick how to decode it by
/// [`status`](Self::status), in [`Client::execute_by_status`].
#[derive(Debug)]
pub struct Answer {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// The body decoded from JSON; the error says where it does not fit `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        decode_json(self.operation, self.status, &self.body)
    }

    pub fn bytes(&self) -> Vec<u8> {
        self.body.clone()
    }

    /// The error for a success status the definition does not document.
    pub fn undocumented_status(&self) -> Error {
        let error = DecodeError::undocumented_status(self.operation, self.status, &self.body);
        Error::Decode(Box::new(error))
    }

    fn into_response<T>(self, body: T) -> ApiResponse<T> {
        ApiResponse::new(self.status, self.headers, body)
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

impl Client {
    /// Sends `request` and decodes its JSON answer into `T`.
    pub async fn execute_json<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<ApiResponse<T>, Error> {
        let answer = self.send(request).await?;
        let body = answer.json()?;
        Ok(answer.into_response(body))
    }

    /// Sends `request`, whose answer has no body worth decoding (such as 204 No Content).
    pub async fn execute_empty(&self, request: Request) -> Result<ApiResponse<()>, Error> {
        let answer = self.send(request).await?;
        Ok(answer.into_response(()))
    }

    /// Sends `request` and returns its answer's body as bytes (an image, say).
    pub async fn execute_bytes(&self, request: Request) -> Result<ApiResponse<Vec<u8>>, Error> {
        let mut answer = self.send(request).await?;
        let body = std::mem::take(&mut answer.body);
        Ok(answer.into_response(body))
    }

    /// Sends `request` and decodes its answer with `decode`, which looks at the status to
    /// choose the body's type.
    pub async fn execute_by_status<T>(
        &self,
        request: Request,
        decode: fn(&Answer) -> Result<T, Error>,
    ) -> Result<ApiResponse<T>, Error> {
        let answer = self.send(request).await?;
        let body = decode(&answer)?;
        Ok(answer.into_response(body))
    }

    /// Sends `request`, trying again as the retry policy allows; the error of the last attempt
    /// is returned when none succeeds.
    pub(super) async fn send(&self, request: Request) -> Result<Answer, Error> {
        let policy = &self.settings.retry;
        let started = Instant::now();
        // Made on the first failure: most calls succeed at once.
        let mut delays = None;
        let mut attempt = 1;
        loop {
            let outcome = self.attempt(&request, attempt).await;
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
            tracing::debug!(
                operation = request.operation_id,
                attempt,
                wait_ms = wait.as_millis() as u64,
                error = %error,
                "retrying"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One attempt: a fresh token, the request, and its answer read up to the size limit.
    async fn attempt(&self, request: &Request, attempt: u32) -> Result<Answer, Error> {
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
        let outcome = self.exchange(request).instrument(span.clone()).await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        match &outcome {
            Ok(answer) => span.record("status", answer.status.as_u16()),
            Err(error) => match error.status() {
                Some(status) => span.record("status", status.as_u16()),
                None => span.record("status", "none"),
            },
        };
        span.in_scope(|| tracing::info!("done"));
        outcome
    }

    async fn exchange(&self, request: &Request) -> Result<Answer, Error> {
        let operation = request.operation_id;
        let invalid = |reason: String| Error::InvalidRequest { operation, reason };
        let path = request.path_and_query().map_err(invalid)?;
        let mut url = format!("{}{}", self.inner.base_url, path);

        let mut headers = HeaderMap::new();
        self.inner
            .credentials
            .apply(operation, &mut headers, &mut url)
            .await?;
        headers.insert(ACCEPT, HeaderValue::from_static(request.accept));
        for (name, value) in &request.headers {
            let header_name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid(format!("`{name}` is not a valid header name")))?;
            let header_value = HeaderValue::try_from(value.as_str())
                .map_err(|_| invalid(format!("the value of the `{name}` header contains characters that are not allowed in a header")))?;
            headers.append(header_name, header_value);
        }

        let mut builder = self.inner.http.request(request.method.to_reqwest(), url);
        if let Some(timeout) = self.settings.timeout {
            builder = builder.timeout(timeout);
        }
        match &request.body {
            Some(Body::Bytes {
                content_type,
                bytes,
            }) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
                builder = builder.body(bytes.clone());
            }
            Some(Body::Invalid(reason)) => {
                return Err(invalid(format!("the body cannot be serialized: {reason}")))
            }
            None => {}
        }

        let transport = |source: reqwest::Error| Error::Transport {
            operation,
            source: source.without_url(),
        };
        let mut response = builder.headers(headers).send().await.map_err(transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let limit = self.inner.max_response_bytes;
        let too_large = || Error::ResponseTooLarge {
            operation,
            status,
            limit,
        };
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        if !status.is_success() {
            return Err(Error::Api(Box::new(ApiError::new(
                operation, status, headers, body,
            ))));
        }
        Ok(Answer {
            operation,
            status,
            headers,
            body,
        })
    }
}
