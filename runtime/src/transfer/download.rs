//! Downloads from a pre-signed URL, streamed to a file or any writer, resumed with `Range`
//! after a connection that dropped.

use std::path::Path;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_RANGE, ETAG, IF_MATCH, RANGE};
use reqwest::{Method, StatusCode};
use tokio::io::{AsyncSeekExt, AsyncWrite, AsyncWriteExt, BufWriter};

use super::host::{connection_error, timed_out, Budget, Host, Overrides};
use super::presigned::{self, PresignedUrl};
use super::progress::Reporter;
use super::TransferProgress;
use crate::error::{Error, TransferError, TransferErrorKind};
use crate::request::HttpMethod;
use crate::retry::RetryPolicy;
use crate::Client;

/// What a file download buffers before writing: few system calls, little memory.
const FILE_BUFFER: usize = 256 * 1024;
const OPERATION: &str = "get-blob";

/// A download from a pre-signed URL, made by [`Client::download_presigned`]: set what differs
/// from the defaults, then write it with [`to_path`](Self::to_path) or
/// [`to_writer`](Self::to_writer), or read it whole with [`bytes`](Self::bytes).
///
/// The body is streamed to its destination chunk by chunk: memory stays at a few chunks (and a
/// file's 256 KiB write buffer) whatever the size. When the connection drops, when the host
/// answers a retryable status (408, 429, 500, 502, 503, 504), or when no chunk comes within
/// the timeout, the download goes on where it stopped: a `GET` with
/// `Range: bytes=<bytes written>-` and `If-Match` with the blob's `ETag`, whose answer must be
/// `206 Partial Content` with a `Content-Range` that starts there and the same total length.
/// Failures are bounded by the client's [`RetryPolicy`] (or [`retry_policy`](Self::retry_policy)),
/// counted afresh once a retry has brought new bytes: a long download survives many drops as
/// long as each attempt makes progress.
///
/// A host that ignores the `Range` and answers `200` with the whole blob again: a file (and
/// [`bytes`](Self::bytes)) is rewound and written anew from byte 0 (progress goes back to 0);
/// a writer, which cannot be rewound, gets only what follows the bytes it already has (the
/// answer's first bytes are read and dropped), which is only done when the answer's `ETag`
/// and length are those of the first answer, and fails with [`TransferErrorKind::Resume`]
/// otherwise. A blob that changed since the download began (`412` to `If-Match`, another
/// `ETag` or length) fails with [`TransferErrorKind::Resume`] too.
///
/// The client's timeout applies to the wait for the answer's head and then to each wait for a
/// chunk (an idle timeout), never to the whole download. Like uploads, downloads send no
/// credentials: see [`PresignedUpload`](crate::PresignedUpload).
///
/// ```no_run
/// # async fn run(client: itwin_platform_runtime::Client, download_url: &str) -> Result<(), itwin_platform_runtime::Error> {
/// let downloaded = client
///     .download_presigned(download_url)
///     .on_progress(|p| eprintln!("{:.0} %", 100.0 * p.fraction().unwrap_or(0.0)))
///     .to_path("checkpoint.bim")
///     .await?;
/// println!("{} bytes, resumed {} times", downloaded.bytes, downloaded.resumed);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[must_use = "a download does nothing until `to_path`, `to_writer` or `bytes` is awaited"]
pub struct PresignedDownload {
    client: Client,
    url: Result<PresignedUrl, Error>,
    overrides: Overrides,
    progress: Reporter,
}

/// What a download received ([`PresignedDownload::to_path`] and
/// [`to_writer`](PresignedDownload::to_writer)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Downloaded {
    /// The blob's size in bytes, all written.
    pub bytes: u64,
    /// How many times the download went on after a failure from where it stopped.
    pub resumed: u32,
    /// How many times it began again from byte 0 (a host that ignored `Range`, into a
    /// destination that could be rewound).
    pub restarted: u32,
}

impl PresignedDownload {
    pub(crate) fn new(client: &Client, url: &str) -> Self {
        PresignedDownload {
            client: client.clone(),
            url: presigned::parse(url, OPERATION),
            overrides: Overrides::default(),
            progress: Reporter::default(),
        }
    }

    /// Sends this header on every request of the download. An `Authorization` header is
    /// refused with [`Error::InvalidRequest`].
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.overrides.headers.push((name.into(), value.into()));
        self
    }

    /// The idle timeout (for the answer's head, then for each chunk; `None`: none) instead of
    /// the client's.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.overrides.timeout = Some(timeout.into());
        self
    }

    /// How failures are retried and resumed, instead of as the client's policy says.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.overrides.retry = Some(policy);
        self
    }

    /// Calls `callback` after each chunk written.
    pub fn on_progress(
        mut self,
        callback: impl Fn(TransferProgress) + Send + Sync + 'static,
    ) -> Self {
        self.progress = Reporter::new(callback);
        self
    }

    /// Writes the blob to the file at `path`, created or truncated; the file can be rewound.
    /// On failure the file holds what was written.
    pub async fn to_path(self, path: impl AsRef<Path>) -> Result<Downloaded, Error> {
        let path = path.as_ref();
        let file = tokio::fs::File::create(path).await.map_err(|source| {
            let source = std::io::Error::new(
                source.kind(),
                format!("cannot create `{}`: {source}", path.display()),
            );
            Error::from(
                TransferError::new(OPERATION, self.shown(), TransferErrorKind::Io)
                    .with_source(source),
            )
        })?;
        let mut sink = Sink::File(BufWriter::with_capacity(FILE_BUFFER, file));
        self.run(&mut sink).await
    }

    /// Writes the blob to `writer` as it arrives, and flushes it. A writer cannot be rewound:
    /// see the type's documentation for a host that ignores `Range`.
    pub async fn to_writer<W>(self, writer: &mut W) -> Result<Downloaded, Error>
    where
        W: AsyncWrite + Unpin + Send,
    {
        let mut sink = Sink::Writer(writer);
        self.run(&mut sink).await
    }

    /// The blob read whole into memory, up to the client's
    /// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes): for small documents
    /// (a comparison's result, a tileset).
    pub async fn bytes(self) -> Result<Bytes, Error> {
        let limit = self.client.max_response_bytes();
        let mut sink = Sink::Memory(BytesMut::new(), limit);
        self.run(&mut sink).await?;
        match sink {
            Sink::Memory(bytes, _) => Ok(bytes.freeze()),
            _ => unreachable!("a memory sink stays one"),
        }
    }

    fn shown(&self) -> String {
        self.url
            .as_ref()
            .map(PresignedUrl::redacted)
            .unwrap_or_default()
    }

    async fn run(self, sink: &mut Sink<'_>) -> Result<Downloaded, Error> {
        let url = self.url?;
        let host = Host::new(&self.client, self.overrides, OPERATION)?;
        let mut download = Download {
            host: &host,
            url: &url,
            shown: url.redacted(),
            progress: &self.progress,
            written: 0,
            total: None,
            etag: None,
            resumed: 0,
            restarted: 0,
        };
        tracing::debug!(
            host = url.host(),
            path = url.url().path(),
            "downloading from a pre-signed URL"
        );
        let mut budget = Budget::new(&host.retry);
        let mut attempt = 1;
        loop {
            let before = download.written;
            let outcome = download.attempt(sink, attempt).await;
            let error = match outcome {
                Ok(()) => break,
                Err(error) => error,
            };
            if download.written > before {
                budget.renew();
            }
            let wait = budget.wait_after(HttpMethod::Get, &error).ok_or(error)?;
            tracing::debug!(
                written = download.written,
                total = download.total,
                "resuming the download"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
        sink.finish().await.map_err(|e| download.io(e))?;
        Ok(Downloaded {
            bytes: download.written,
            resumed: download.resumed,
            restarted: download.restarted,
        })
    }
}

/// One download under way: where it stands.
struct Download<'a> {
    host: &'a Host,
    url: &'a PresignedUrl,
    shown: String,
    progress: &'a Reporter,
    written: u64,
    total: Option<u64>,
    etag: Option<HeaderValue>,
    resumed: u32,
    restarted: u32,
}

impl Download<'_> {
    /// One `GET`, from where the download stands, its body written as it comes.
    async fn attempt(&mut self, sink: &mut Sink<'_>, attempt: u32) -> Result<(), Error> {
        let resuming = self.written > 0;
        let mut headers = HeaderMap::new();
        if resuming {
            let range = format!("bytes={}-", self.written);
            headers.insert(
                RANGE,
                HeaderValue::from_str(&range).expect("digits are a header value"),
            );
            if let Some(etag) = &self.etag {
                headers.insert(IF_MATCH, etag.clone());
            }
        }
        let sent = self
            .host
            .send(
                OPERATION,
                Method::GET,
                self.url.url(),
                headers,
                None,
                attempt,
                false,
            )
            .await;
        let mut response = match sent {
            Ok(response) => response,
            Err(error)
                if resuming
                    && error.status() == Some(StatusCode::RANGE_NOT_SATISFIABLE)
                    && self.total == Some(self.written) =>
            {
                // Everything had come; the connection dropped after the last byte.
                return Ok(());
            }
            Err(error) if error.status() == Some(StatusCode::PRECONDITION_FAILED) => {
                return Err(self.resume_error(
                    "the blob changed since the download began (its ETag no longer matches)".into(),
                ));
            }
            Err(error) => return Err(error),
        };
        let status = response.status();
        let etag = response.headers().get(ETAG).cloned();
        let mut skip = 0;
        match (resuming, status) {
            (false, StatusCode::OK) => {
                self.total = response.content_length();
                self.etag = etag;
            }
            (true, StatusCode::PARTIAL_CONTENT) => {
                let range = response
                    .headers()
                    .get(CONTENT_RANGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(content_range);
                let Some((start, total)) = range else {
                    return Err(self.resume_error(
                        "the 206 answer has no `Content-Range: bytes <start>-<end>/<total>`".into(),
                    ));
                };
                if start != self.written {
                    return Err(self.resume_error(format!(
                        "asked for the bytes from {}, the host sent them from {start}",
                        self.written
                    )));
                }
                self.check_same(total, etag.as_ref())?;
                self.total = self.total.or(total);
                self.resumed += 1;
            }
            (true, StatusCode::OK) => {
                // The host ignored the Range and sends the whole blob again.
                self.check_same(response.content_length(), etag.as_ref())?;
                if sink.rewind().await.map_err(|e| self.io(e))? {
                    self.written = 0;
                    self.restarted += 1;
                    self.progress.report(0, self.total);
                } else if self.etag.is_some() && etag.is_some() && self.total.is_some() {
                    skip = self.written;
                    self.resumed += 1;
                } else {
                    return Err(self.resume_error(format!(
                        "the host ignored the Range and sent the whole blob again, the destination cannot be rewound, and without an ETag and a length the {} bytes it has cannot be matched to the new answer",
                        self.written
                    )));
                }
            }
            (_, status) => {
                return Err(self.resume_error(format!("unexpected answer {status} to a GET")));
            }
        }
        loop {
            let chunk = match self.host.timeout {
                Some(limit) => tokio::time::timeout(limit, response.chunk())
                    .await
                    .map_err(|_| Error::from(timed_out(OPERATION, self.shown.clone(), limit)))?,
                None => response.chunk().await,
            }
            .map_err(|e| {
                Error::from(connection_error(
                    OPERATION,
                    self.shown.clone(),
                    e,
                    self.host.timeout,
                ))
            })?;
            let Some(mut chunk) = chunk else { break };
            if skip > 0 {
                let dropped = skip.min(chunk.len() as u64);
                skip -= dropped;
                chunk = chunk.slice(usize::try_from(dropped).unwrap_or(usize::MAX)..);
                if chunk.is_empty() {
                    continue;
                }
            }
            let len = chunk.len() as u64;
            if self.total.is_some_and(|total| self.written + len > total) {
                return Err(
                    self.resume_error("the host sent more bytes than the blob's length".into())
                );
            }
            sink.write(&chunk).await.map_err(|e| match e {
                SinkError::Io(e) => self.io(e),
                SinkError::TooLarge(limit) => Error::ResponseTooLarge {
                    operation: OPERATION,
                    status,
                    limit,
                },
            })?;
            self.written += len;
            self.progress.report(self.written, self.total);
        }
        match self.total {
            Some(total) if self.written < total => Err(TransferError::new(
                OPERATION,
                self.shown.clone(),
                TransferErrorKind::Connection {
                    reason: format!(
                        "the connection closed after {} of {total} bytes",
                        self.written
                    ),
                },
            )
            .into()),
            _ => Ok(()),
        }
    }

    /// A resumed answer must be of the blob the download began with.
    fn check_same(&self, total: Option<u64>, etag: Option<&HeaderValue>) -> Result<(), Error> {
        if let (Some(known), Some(total)) = (self.total, total) {
            if known != total {
                return Err(self.resume_error(format!(
                    "the blob's length changed from {known} to {total} bytes"
                )));
            }
        }
        if let (Some(known), Some(etag)) = (&self.etag, etag) {
            if known != etag {
                return Err(self.resume_error(
                    "the blob changed since the download began (another ETag)".into(),
                ));
            }
        }
        Ok(())
    }

    fn resume_error(&self, reason: String) -> Error {
        TransferError::new(
            OPERATION,
            self.shown.clone(),
            TransferErrorKind::Resume { reason },
        )
        .into()
    }

    fn io(&self, source: std::io::Error) -> Error {
        TransferError::new(OPERATION, self.shown.clone(), TransferErrorKind::Io)
            .with_source(source)
            .into()
    }
}

/// `bytes <start>-<end>/<total>` of a `Content-Range`: the start, and the total unless `*`.
fn content_range(value: &str) -> Option<(u64, Option<u64>)> {
    let range = value.trim().strip_prefix("bytes ")?;
    let (span, total) = range.split_once('/')?;
    let (start, end) = span.split_once('-')?;
    let start: u64 = start.trim().parse().ok()?;
    let end: u64 = end.trim().parse().ok()?;
    if end < start {
        return None;
    }
    let total = match total.trim() {
        "*" => None,
        total => Some(total.parse().ok()?),
    };
    Some((start, total))
}

/// Where a download goes.
enum Sink<'a> {
    File(BufWriter<tokio::fs::File>),
    Writer(&'a mut (dyn AsyncWrite + Unpin + Send)),
    /// Up to a limit.
    Memory(BytesMut, usize),
}

enum SinkError {
    Io(std::io::Error),
    TooLarge(usize),
}

impl Sink<'_> {
    async fn write(&mut self, chunk: &[u8]) -> Result<(), SinkError> {
        match self {
            Sink::File(file) => file.write_all(chunk).await.map_err(SinkError::Io),
            Sink::Writer(writer) => writer.write_all(chunk).await.map_err(SinkError::Io),
            Sink::Memory(bytes, limit) => {
                if bytes.len() + chunk.len() > *limit {
                    return Err(SinkError::TooLarge(*limit));
                }
                bytes.extend_from_slice(chunk);
                Ok(())
            }
        }
    }

    /// Empties the destination to write it anew; `false` if it cannot be.
    async fn rewind(&mut self) -> std::io::Result<bool> {
        match self {
            Sink::File(file) => {
                file.flush().await?;
                let file = file.get_mut();
                file.set_len(0).await?;
                file.seek(std::io::SeekFrom::Start(0)).await?;
                Ok(true)
            }
            Sink::Writer(_) => Ok(false),
            Sink::Memory(bytes, _) => {
                bytes.clear();
                Ok(true)
            }
        }
    }

    async fn finish(&mut self) -> std::io::Result<()> {
        match self {
            Sink::File(file) => file.flush().await,
            Sink::Writer(writer) => writer.flush().await,
            Sink::Memory(..) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges_are_read() {
        assert_eq!(content_range("bytes 100-199/1000"), Some((100, Some(1000))));
        assert_eq!(content_range("bytes 0-0/*"), Some((0, None)));
        for bad in ["bytes 5-1/9", "items 0-1/2", "bytes 0-1", "bytes a-1/2"] {
            assert_eq!(content_range(bad), None, "{bad}");
        }
    }
}
