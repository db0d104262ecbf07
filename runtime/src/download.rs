//! Binary answers read as a stream of chunks, for downloads too large to hold in memory.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_util::stream::{BoxStream, Stream, StreamExt, TryStreamExt};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::error::Error;

/// The body of an answer, read as the caller polls it: what the `send_stream` method of an
/// operation with a binary answer returns, inside an [`ApiResponse`](super::ApiResponse).
///
/// It is a [`Stream`] of [`Bytes`] chunks, each shared with the connection's buffer rather than
/// copied; [`write_to`](Self::write_to) copies it into a file or any [`AsyncWrite`], and
/// [`collect`](Self::collect) gathers it in memory. Unlike `send`, nothing limits its size: the
/// caller decides where the bytes go.
///
/// ```no_run
/// # async fn run(client: itwin_platform_runtime::Client) -> Result<(), itwin_platform_runtime::Error> {
/// use itwin_platform_runtime::{HttpMethod, Request};
///
/// let thumbnail = Request::new("get-imodel-thumbnail", HttpMethod::Get, "/imodels/{id}/thumbnail", "image/png")
///     .path_param("id", &"5e19bee0-3aea-4355-a9f0-c6df9989ee7d");
/// let answer = client.execute_stream(thumbnail).await?;
/// let mut file = tokio::fs::File::create("thumbnail.png").await.expect("a writable file");
/// let written = answer.into_body().write_to(&mut file).await?;
/// println!("{written} bytes");
/// # Ok(())
/// # }
/// ```
pub struct ByteStream {
    operation: &'static str,
    length: Option<u64>,
    chunks: BoxStream<'static, Result<Bytes, Error>>,
}

impl ByteStream {
    pub(super) fn new(operation: &'static str, response: reqwest::Response) -> Self {
        let length = response.content_length();
        let chunks = response
            .bytes_stream()
            .map_err(move |source| Error::Transport {
                operation,
                source: source.without_url(),
            })
            .boxed();
        ByteStream {
            operation,
            length,
            chunks,
        }
    }

    /// A body already read whole (a redirect that is the answer of a streamed call).
    pub(super) fn buffered(operation: &'static str, body: Vec<u8>) -> Self {
        let length = Some(body.len() as u64);
        let chunks = futures_util::stream::once(async move { Ok(Bytes::from(body)) }).boxed();
        ByteStream {
            operation,
            length,
            chunks,
        }
    }

    /// The body's length from `Content-Length`, when the service sent one.
    pub fn content_length(&self) -> Option<u64> {
        self.length
    }

    /// Reads the whole body into memory.
    pub async fn collect(mut self) -> Result<Bytes, Error> {
        let capacity = self
            .length
            .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX));
        let mut body = BytesMut::with_capacity(capacity);
        while let Some(chunk) = self.chunks.next().await {
            body.extend_from_slice(&chunk?);
        }
        Ok(body.freeze())
    }

    /// Writes the body to `writer` as it arrives, flushes it, and returns how many bytes were
    /// written; a failure to write is [`Error::Io`].
    pub async fn write_to<W>(mut self, writer: &mut W) -> Result<u64, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let operation = self.operation;
        let io = |source| Error::Io { operation, source };
        let mut written = 0;
        while let Some(chunk) = self.chunks.next().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await.map_err(io)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(io)?;
        Ok(written)
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.poll_next_unpin(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.chunks.size_hint()
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.operation)
            .field("content_length", &self.length)
            .finish_non_exhaustive()
    }
}
