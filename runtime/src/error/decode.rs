//! A success answer whose body is not what the definition documents.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// How much of a body an error message quotes.
const EXCERPT_BYTES: usize = 200;

/// A success status whose body does not decode into the documented type.
#[derive(Debug)]
pub struct DecodeError {
    operation: &'static str,
    status: StatusCode,
    /// Where in the JSON the failure is, such as `roles[0].id`.
    path: String,
    line: usize,
    column: usize,
    message: String,
    excerpt: String,
    request_id: Option<String>,
}

impl DecodeError {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        body: &[u8],
        path: String,
        inner: &serde_json::Error,
    ) -> Self {
        let offset = byte_offset(body, inner.line(), inner.column());
        DecodeError {
            operation,
            status,
            path,
            line: inner.line(),
            column: inner.column(),
            message: inner.to_string(),
            excerpt: excerpt(body, offset),
            request_id: None,
        }
    }

    /// A success status the definition does not document, so there is no type to decode into.
    pub(crate) fn undocumented_status(
        operation: &'static str,
        status: StatusCode,
        body: &[u8],
    ) -> Self {
        let message = format!("the definition documents no {} answer", status.as_u16());
        Self::of_whole_body(operation, status, message, body, 0)
    }

    /// A text answer that is not UTF-8.
    pub(crate) fn not_text(
        operation: &'static str,
        status: StatusCode,
        error: &std::string::FromUtf8Error,
    ) -> Self {
        let offset = error.utf8_error().valid_up_to();
        let message = format!("the text answer is not UTF-8 from byte {offset}");
        Self::of_whole_body(operation, status, message, error.as_bytes(), offset)
    }

    /// A failure of the body as a whole, not at a place in its JSON; the excerpt is taken
    /// around `offset`.
    fn of_whole_body(
        operation: &'static str,
        status: StatusCode,
        message: String,
        body: &[u8],
        offset: usize,
    ) -> Self {
        DecodeError {
            operation,
            status,
            path: String::new(),
            line: 1,
            column: 1,
            message,
            excerpt: excerpt(body, offset),
            request_id: None,
        }
    }

    /// The operation id, such as `get-itwin-roles`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The answer's status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The path of the failing value in the body, such as `roles[0].id`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Line and column (1-based) of the failure in the body.
    pub fn position(&self) -> (usize, usize) {
        (self.line, self.column)
    }

    /// The id the platform gave the request (see [`Error::request_id`](crate::Error::request_id)).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The same error, with the request id of the answer's headers.
    pub(crate) fn with_request_id(mut self, headers: &HeaderMap) -> Self {
        self.request_id = crate::response::request_id(headers).map(str::to_owned);
        self
    }

    /// Up to 200 bytes of the body around the failure.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} response does not match the definition at `{}` (line {}, column {}): {}; body near there: {}",
            self.operation, self.status, self.path, self.line, self.column, self.message, self.excerpt
        )
    }
}

fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let line_start: usize = body
        .split(|b| *b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    (line_start + column.saturating_sub(1)).min(body.len())
}

/// At most [`EXCERPT_BYTES`] of `body` around `offset`, as text.
pub(super) fn excerpt(body: &[u8], offset: usize) -> String {
    let start = offset.saturating_sub(EXCERPT_BYTES / 2);
    let end = (start + EXCERPT_BYTES).min(body.len());
    let mut text = String::from_utf8_lossy(&body[start..end]).into_owned();
    text.retain(|c| !c.is_control() || c == ' ');
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < body.len() { "…" } else { "" };
    format!("{prefix}{text}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_bounded_and_centred() {
        let body = format!("{}X{}", "a".repeat(1000), "b".repeat(1000));
        let text = excerpt(body.as_bytes(), 1000);
        assert!(text.contains('X'));
        assert!(text.len() <= EXCERPT_BYTES + 2 * '…'.len_utf8());
        assert!(text.starts_with('…') && text.ends_with('…'));
    }

    #[test]
    fn offsets_follow_lines_and_columns() {
        assert_eq!(byte_offset(b"ab\ncd\nef", 3, 2), 7);
        assert_eq!(byte_offset(b"ab", 9, 9), 2);
    }
}
