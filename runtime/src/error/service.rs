//! What the service says of an error: its error body, and the error status that carries it.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};

use super::decode::excerpt;

/// The error body the platform's APIs send: `{"error": {"code", "message", "target", "details"}}`.
///
/// The API modules use it for their definitions' `ErrorResponse` schema, so that an error
/// example or a mocked error answer is this same type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceErrorResponse {
    /// The error.
    pub error: ServiceError,
}

impl ServiceErrorResponse {
    /// The envelope of `error`.
    pub fn new(error: ServiceError) -> Self {
        ServiceErrorResponse { error }
    }
}

/// What went wrong, as the service says it (the `Error` schema of the APIs' definitions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceError {
    /// One of a server-defined set of codes, such as `ItwinNotFound`.
    pub code: String,
    /// A human-readable description of the error.
    pub message: String,
    /// What the error is about, such as a parameter name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The individual problems behind the error, e.g. one per invalid property of a body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<ServiceErrorDetail>,
    /// Properties the platform sends beyond these.
    #[serde(flatten)]
    pub additional_properties: BTreeMap<String, serde_json::Value>,
}

impl ServiceError {
    /// An error with a code and a message, and nothing else.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ServiceError {
            code: code.into(),
            message: message.into(),
            target: None,
            details: Vec::new(),
            additional_properties: BTreeMap::new(),
        }
    }
}

/// One entry of [`ServiceError::details`], e.g. one invalid property of a request body (the
/// `ErrorDetails` schema of the APIs' definitions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceErrorDetail {
    /// One of a server-defined set of codes, such as `InvalidValue`.
    pub code: String,
    /// A human-readable description of the error.
    pub message: String,
    /// What the error is about, such as a property name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Properties the platform sends beyond these, such as the iModels API's `innerError`
    /// (see [`inner_code`](Self::inner_code)).
    #[serde(flatten)]
    pub additional_properties: BTreeMap<String, serde_json::Value>,
}

impl ServiceErrorDetail {
    /// A detail with a code and a message, and nothing else.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ServiceErrorDetail {
            code: code.into(),
            message: message.into(),
            target: None,
            additional_properties: BTreeMap::new(),
        }
    }

    /// The more specific code of `innerError.code`, which the iModels API sends.
    pub fn inner_code(&self) -> Option<&str> {
        self.additional_properties
            .get("innerError")?
            .get("code")?
            .as_str()
    }
}

/// An error status from the service, with what it said about it.
#[derive(Debug)]
pub struct ApiError {
    operation: &'static str,
    status: StatusCode,
    error: Option<ServiceError>,
    retry_after: Option<Duration>,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl ApiError {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
    ) -> Self {
        let error = serde_json::from_slice::<ServiceErrorResponse>(&body)
            .ok()
            .map(|e| e.error);
        let retry_after = headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| crate::retry_after::parse(v, std::time::SystemTime::now()));
        ApiError {
            operation,
            status,
            error,
            retry_after,
            headers,
            body,
        }
    }

    /// The operation id, such as `get-itwin-roles`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The answer's status, such as 404.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The decoded error body; `None` when the body was not in the platform's error format.
    pub fn error(&self) -> Option<&ServiceError> {
        self.error.as_ref()
    }

    /// The error body's code, such as `ItwinNotFound`, if the body was in the platform's error format.
    pub fn code(&self) -> Option<&str> {
        self.error.as_ref().map(|e| e.code.as_str())
    }

    /// The error body's message, if the body was in the platform's error format.
    pub fn message(&self) -> Option<&str> {
        self.error.as_ref().map(|e| e.message.as_str())
    }

    /// What the error is about (such as a parameter name), if the body says.
    pub fn target(&self) -> Option<&str> {
        self.error.as_ref().and_then(|e| e.target.as_deref())
    }

    /// The error body's details; empty when it has none.
    pub fn details(&self) -> &[ServiceErrorDetail] {
        self.error.as_ref().map_or(&[], |e| &e.details)
    }

    /// How long the service asked to wait before retrying (429 and some 503s).
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The id the platform gave the request (see [`Error::request_id`](crate::Error::request_id)).
    pub fn request_id(&self) -> Option<&str> {
        crate::response::request_id(&self.headers)
    }

    /// The answer's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw body, for what the error format does not cover.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation, self.status)?;
        match &self.error {
            Some(e) => {
                write!(f, ": {}: {}", e.code, e.message)?;
                if let Some(target) = &e.target {
                    write!(f, " (target: {target})")?;
                }
            }
            None if !self.body.is_empty() => write!(f, ": {}", excerpt(&self.body, 0))?,
            None => {}
        }
        if let Some(wait) = self.retry_after {
            write!(f, "; retry after {}s", wait.as_secs())?;
        }
        Ok(())
    }
}
