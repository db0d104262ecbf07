//! A successful answer with its status and headers.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// A decoded body together with the status and headers it came with (for `Location`,
/// request ids and the like).
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> ApiResponse<T> {
    pub(super) fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        ApiResponse {
            status,
            headers,
            body,
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// A header's value, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `Location` header, which 201 and 202 answers use to point at what was created or
    /// at where to follow progress.
    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }

    pub fn body(&self) -> &T {
        &self.body
    }

    pub fn into_body(self) -> T {
        self.body
    }
}

/// The answer of an operation whose definition documents no success answer (only `default`,
/// 1XX/3XX statuses, or none): whatever 2xx answer comes, as status, headers and bytes. A
/// status outside 2xx is an [`Error::Api`](super::Error::Api) like any other, and redirects
/// are followed before either.
pub type RawResponse = ApiResponse<Vec<u8>>;
