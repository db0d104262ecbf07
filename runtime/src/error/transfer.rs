//! Why a transfer through a pre-signed URL failed: the storage host's error status, a
//! connection that dropped, a file that could not be read or written, a resume the host did
//! not honour.
//!
//! A pre-signed URL carries its credential in its query (an Azure SAS `sig=`): nothing here
//! ever holds the query. The URL is kept as scheme, host and path, and what the host says is
//! kept with any `sig=` value blanked.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

use super::Transience;

/// A transfer to or from a host outside the platform failed
/// ([`Error::Transfer`](crate::Error::Transfer)); see
/// [`Client::upload_presigned`](crate::Client::upload_presigned) and
/// [`Client::download_presigned`](crate::Client::download_presigned).
///
/// Its URL is [`url`](Self::url) without the query, which holds the signature; neither
/// `Display` nor `Debug` shows the query.
#[derive(Debug)]
pub struct TransferError {
    operation: &'static str,
    url: String,
    kind: TransferErrorKind,
    transience: Transience,
    retry_after: Option<Duration>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// What went wrong in a transfer ([`TransferError::kind`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransferErrorKind {
    /// The URL cannot be used: not a URL, not `https` (plain `http` is only for loopback
    /// hosts), or with a user name or password in it.
    InvalidUrl {
        /// What is wrong with it.
        reason: String,
    },
    /// The platform gave no link where one was expected, such as a checkpoint that is not
    /// ready yet, or whose `_links.download` the caller may not see.
    MissingLink {
        /// Which link is missing, such as `the checkpoint's _links.download`.
        what: String,
    },
    /// The storage host answered with an error status.
    Status {
        /// The status, such as 403.
        status: StatusCode,
        /// The host's error code (Azure's `x-ms-error-code` or `<Code>`), such as
        /// `AuthenticationFailed`.
        code: Option<String>,
        /// The first line of the host's message, `sig=` values blanked.
        message: Option<String>,
        /// The host's id of the request (Azure's `x-ms-request-id`).
        request_id: Option<String>,
    },
    /// No answer, or the answer's body stopped before its end: the connection failed, was
    /// dropped, or was idle longer than the timeout.
    Connection {
        /// What happened, such as `the connection closed after 1048576 of 4194304 bytes`.
        reason: String,
    },
    /// Reading the content to upload, or writing the download, failed.
    Io,
    /// The host's answer to a resumed download does not continue the download: another
    /// range, another length, a blob that changed since the download began, or a whole blob
    /// again that the destination cannot take back (see
    /// [`PresignedDownload`](crate::PresignedDownload)).
    Resume {
        /// What did not fit.
        reason: String,
    },
    /// The content cannot be uploaded as asked: more blocks than Azure Blob Storage takes
    /// (50,000), or a one-shot body that an earlier call consumed.
    Content {
        /// What is wrong with it.
        reason: String,
    },
    /// The container listing is not the XML that Azure's List Blobs answers.
    Listing {
        /// What is wrong with it.
        reason: String,
    },
}

impl TransferError {
    pub(crate) fn new(operation: &'static str, url: String, kind: TransferErrorKind) -> Self {
        let transience = match &kind {
            TransferErrorKind::Status { status, .. } => status_transience(*status),
            TransferErrorKind::Connection { .. } => Transience::MaybeApplied,
            _ => Transience::Permanent,
        };
        TransferError {
            operation,
            url,
            kind,
            transience,
            retry_after: None,
            source: None,
        }
    }

    /// An error for a link the platform did not give: `what` names it, such as `the
    /// checkpoint's _links.download`; `operation` is the transfer that needed it, such as
    /// `get-blob`. For helpers that follow the links of the platform's answers.
    pub fn missing_link(operation: &'static str, what: impl Into<String>) -> Self {
        TransferError::new(
            operation,
            String::new(),
            TransferErrorKind::MissingLink { what: what.into() },
        )
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    pub(crate) fn with_boxed_source(
        mut self,
        source: Box<dyn std::error::Error + Send + Sync>,
    ) -> Self {
        self.source = Some(source);
        self
    }

    /// A connection that was never made: nothing reached the host.
    pub(crate) fn not_sent(mut self) -> Self {
        self.transience = Transience::NotSent;
        self
    }

    pub(crate) fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        self.retry_after = wait;
        self
    }

    /// The transfer's step, such as `put-block` or `get-blob`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The URL, without its query (which holds the signature); empty for a missing link.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// What went wrong.
    pub fn kind(&self) -> &TransferErrorKind {
        &self.kind
    }

    /// The storage host's status, when it answered with an error.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.kind {
            TransferErrorKind::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// How long the host asked to wait before trying again, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    pub(crate) fn transience(&self) -> Transience {
        self.transience
    }
}

/// Azure Blob Storage asks clients to retry 408, 429 (rate limits) and 5xx answers
/// (`InternalError`, `ServerBusy`, `OperationTimedOut`); pre-signed requests are `PUT`s and
/// `GET`s, which may be repeated.
fn status_transience(status: StatusCode) -> Transience {
    match status.as_u16() {
        429 => Transience::RateLimited,
        408 | 500 | 502 | 503 | 504 => Transience::MaybeApplied,
        _ => Transience::Permanent,
    }
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.url {
            url if url.is_empty() => write!(f, "{}: ", self.operation)?,
            url => write!(f, "{} {url}: ", self.operation)?,
        }
        match &self.kind {
            TransferErrorKind::InvalidUrl { reason } => {
                write!(f, "the URL cannot be used: {reason}")
            }
            TransferErrorKind::MissingLink { what } => {
                write!(f, "no link to follow: {what} is missing")
            }
            TransferErrorKind::Status {
                status,
                code,
                message,
                request_id,
            } => {
                write!(f, "{status}")?;
                if let Some(code) = code {
                    write!(f, " {code}")?;
                }
                if let Some(message) = message {
                    write!(f, ": {message}")?;
                }
                if let Some(id) = request_id {
                    write!(f, " (request id {id})")?;
                }
                Ok(())
            }
            TransferErrorKind::Connection { reason } => write!(f, "no complete answer: {reason}"),
            TransferErrorKind::Io => match &self.source {
                Some(source) => write!(f, "content not transferred: {source}"),
                None => f.write_str("content not transferred"),
            },
            TransferErrorKind::Resume { reason } => write!(f, "cannot resume: {reason}"),
            TransferErrorKind::Content { reason } => write!(f, "cannot upload: {reason}"),
            TransferErrorKind::Listing { reason } => write!(f, "unexpected listing: {reason}"),
        }
    }
}

impl std::error::Error for TransferError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_errors_are_retried_as_azure_asks() {
        let status = |code: u16| {
            TransferError::new(
                "put-block",
                "https://account.blob.core.windows.net/c/b?<redacted>".into(),
                TransferErrorKind::Status {
                    status: StatusCode::from_u16(code).unwrap(),
                    code: None,
                    message: None,
                    request_id: None,
                },
            )
            .transience()
        };
        assert_eq!(status(503), Transience::MaybeApplied);
        assert_eq!(status(500), Transience::MaybeApplied);
        assert_eq!(status(429), Transience::RateLimited);
        assert_eq!(status(403), Transience::Permanent);
        assert_eq!(status(404), Transience::Permanent);
    }

    #[test]
    fn a_message_names_the_step_the_url_and_the_code() {
        let error = TransferError::new(
            "put-block-list",
            "https://account.blob.core.windows.net/c/b?<redacted>".into(),
            TransferErrorKind::Status {
                status: StatusCode::FORBIDDEN,
                code: Some("AuthenticationFailed".into()),
                message: Some("Signature did not match.".into()),
                request_id: Some("r-1".into()),
            },
        );
        assert_eq!(
            error.to_string(),
            "put-block-list https://account.blob.core.windows.net/c/b?<redacted>: 403 Forbidden AuthenticationFailed: Signature did not match. (request id r-1)"
        );
        let missing = TransferError::missing_link("get-blob", "the checkpoint's _links.download");
        assert_eq!(
            missing.to_string(),
            "get-blob: no link to follow: the checkpoint's _links.download is missing"
        );
    }
}
