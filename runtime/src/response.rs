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

    /// The answer's status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The answer's headers.
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

    /// The id the platform gave the request (`X-Correlation-Id`, or `X-Request-Id` /
    /// `Request-Id`), to quote to Bentley support.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, taken out of the answer.
    pub fn into_body(self) -> T {
        self.body
    }
}

/// The answer of an operation whose definition documents no success answer (only `default`,
/// 1XX/3XX statuses, or none): whatever 2xx answer comes, as status, headers and bytes. A
/// status outside 2xx is an [`Error::Api`](super::Error::Api) like any other, and redirects
/// are followed before either.
pub type RawResponse = ApiResponse<Vec<u8>>;

/// The headers that carry the id of a request, most specific first: the platform answers with
/// `X-Correlation-Id` (the name Bentley's own clients read); the others are what gateways in
/// front of a service commonly add.
const REQUEST_ID_HEADERS: [&str; 3] = ["x-correlation-id", "x-request-id", "request-id"];

/// The request id of an answer with these headers, if it has one that is text.
pub(super) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|value| value.to_str().ok())
        .filter(|id| !id.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn the_correlation_id_comes_first_then_the_gateway_ids() {
        let mut headers = HeaderMap::new();
        assert_eq!(request_id(&headers), None);
        headers.insert("request-id", HeaderValue::from_static("gateway"));
        assert_eq!(request_id(&headers), Some("gateway"));
        headers.insert("X-Correlation-Id", HeaderValue::from_static("platform"));
        assert_eq!(request_id(&headers), Some("platform"));
    }
}
