//! Binary request bodies: bytes held in memory, a file, or a stream, sent without copying.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::stream::{BoxStream, Stream, StreamExt, TryStreamExt};
use tokio_util::io::ReaderStream;

/// The error type a body stream may yield.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Chunks read from a file at a time: large enough for few system calls, small enough that a
/// streamed upload holds a few of them at most.
const FILE_CHUNK: usize = 64 * 1024;

/// The body of a binary upload (an image, a file): what generated upload methods take as
/// `impl Into<UploadBody>`.
///
/// - In memory: from a `Vec<u8>`, a [`Bytes`], a `&'static [u8]` or a `String`. The bytes are
///   moved in, never copied, and every attempt sends them again, so the call can be retried.
/// - [`UploadBody::path`]: a file by name, opened when each attempt starts, so that it too can
///   be retried (a retry sends the file as it is then); its length is the `Content-Length`.
/// - [`UploadBody::file`] and [`UploadBody::stream`]: an open file or any stream of [`Bytes`],
///   read as it is sent. Such a body is **one-shot**: a failed attempt has consumed it, so the
///   client does not retry and returns [`Error::BodyNotReplayable`](super::Error::BodyNotReplayable).
///
/// Cloning shares the body: a one-shot body is still sent once, by whichever clone goes first.
///
/// ```no_run
/// use itwin_platform_runtime::UploadBody;
/// # async fn run() -> std::io::Result<()> {
/// let from_memory = UploadBody::from(vec![0x89, b'P', b'N', b'G']);
/// let from_path = UploadBody::path("logo.png");
/// let from_file = UploadBody::file(tokio::fs::File::open("logo.png").await?).await?;
/// # let _ = (from_memory, from_path, from_file);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct UploadBody {
    source: Source,
}

/// The chunks of a one-shot body, shared by the clones of a request until one sends them.
type SharedChunks = Arc<Mutex<Option<BoxStream<'static, Result<Bytes, BoxError>>>>>;

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    Path(Arc<Path>),
    OneShot {
        /// Taken by the attempt that sends it.
        stream: SharedChunks,
        length: Option<u64>,
    },
}

/// What an upload body holds, for a transfer that reads it block by block itself
/// ([`Client::upload_presigned`](super::Client::upload_presigned)).
pub(crate) enum Content {
    Bytes(Bytes),
    Path(Arc<Path>),
    Stream {
        chunks: BoxStream<'static, Result<Bytes, BoxError>>,
        length: Option<u64>,
    },
    /// A one-shot body that an earlier send took.
    Consumed,
}

/// A body ready for one attempt: the reqwest body and its length, when known.
pub(super) struct AttemptBody {
    pub body: reqwest::Body,
    pub length: Option<u64>,
}

impl UploadBody {
    /// The file at `path`, opened by each attempt (so the call can be retried) and sent with its
    /// length as `Content-Length`; a file that cannot be opened fails the call with
    /// [`Error::Io`](super::Error::Io).
    pub fn path(path: impl Into<PathBuf>) -> Self {
        UploadBody {
            source: Source::Path(Arc::from(path.into())),
        }
    }

    /// An open file, read from its current position to its end; its length (from its metadata,
    /// less the position) is sent as `Content-Length`. One-shot: see the type's documentation.
    pub async fn file(mut file: tokio::fs::File) -> std::io::Result<Self> {
        use tokio::io::AsyncSeekExt;
        let size = file.metadata().await?.len();
        let position = file.stream_position().await?;
        let length = size.saturating_sub(position);
        Ok(UploadBody::stream(file_chunks(file), Some(length)))
    }

    /// The chunks of `stream`, sent as they come; `length`, when given, is sent as
    /// `Content-Length` (and must be the stream's total length), else the body is sent chunked.
    /// One-shot: see the type's documentation.
    pub fn stream<S, E>(stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        UploadBody {
            source: Source::OneShot {
                stream: Arc::new(Mutex::new(Some(stream.map_err(Into::into).boxed()))),
                length,
            },
        }
    }

    /// The length sent as `Content-Length`, when known before sending (a path's is read when
    /// the file is opened).
    pub fn length(&self) -> Option<u64> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes.len() as u64),
            Source::Path(_) => None,
            Source::OneShot { length, .. } => *length,
        }
    }

    /// The body's length: as [`length`](Self::length), and a path's read from the file's
    /// metadata; `None` for a stream whose length was not given. For an API that asks for the
    /// size before the upload (such as an iModel created from a baseline file).
    pub async fn content_length(&self) -> std::io::Result<Option<u64>> {
        match &self.source {
            Source::Path(path) => tokio::fs::metadata(path)
                .await
                .map(|m| Some(m.len()))
                .map_err(|e| {
                    std::io::Error::new(e.kind(), format!("cannot read `{}`: {e}", path.display()))
                }),
            _ => Ok(self.length()),
        }
    }

    /// Whether the body can be sent more than once (bytes and paths), so that a failed call
    /// can be retried.
    pub fn is_replayable(&self) -> bool {
        !matches!(self.source, Source::OneShot { .. })
    }

    /// What the body holds; a one-shot body's stream is taken (a clone sent later finds it
    /// consumed).
    pub(crate) fn take_content(&self) -> Content {
        match &self.source {
            Source::Bytes(bytes) => Content::Bytes(bytes.clone()),
            Source::Path(path) => Content::Path(path.clone()),
            Source::OneShot { stream, length } => {
                match stream.lock().unwrap_or_else(|e| e.into_inner()).take() {
                    Some(chunks) => Content::Stream {
                        chunks,
                        length: *length,
                    },
                    None => Content::Consumed,
                }
            }
        }
    }

    /// The body for one attempt; `None` when it is one-shot and an earlier attempt took it.
    pub(super) async fn for_attempt(&self) -> std::io::Result<Option<AttemptBody>> {
        Ok(match &self.source {
            Source::Bytes(bytes) => Some(AttemptBody {
                length: Some(bytes.len() as u64),
                // A `Bytes` clone shares the buffer.
                body: reqwest::Body::from(bytes.clone()),
            }),
            Source::Path(path) => {
                let file = tokio::fs::File::open(path).await.map_err(|e| {
                    std::io::Error::new(e.kind(), format!("cannot open `{}`: {e}", path.display()))
                })?;
                let length = file.metadata().await?.len();
                Some(AttemptBody {
                    body: reqwest::Body::wrap_stream(file_chunks(file)),
                    length: Some(length),
                })
            }
            Source::OneShot { stream, length } => {
                let taken = stream.lock().unwrap_or_else(|e| e.into_inner()).take();
                taken.map(|stream| AttemptBody {
                    body: reqwest::Body::wrap_stream(stream),
                    length: *length,
                })
            }
        })
    }
}

fn file_chunks(file: tokio::fs::File) -> ReaderStream<tokio::fs::File> {
    ReaderStream::with_capacity(file, FILE_CHUNK)
}

impl fmt::Debug for UploadBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Bytes(bytes) => write!(f, "UploadBody::Bytes({} bytes)", bytes.len()),
            Source::Path(path) => write!(f, "UploadBody::Path({})", path.display()),
            Source::OneShot { length, .. } => match length {
                Some(length) => write!(f, "UploadBody::Stream({length} bytes)"),
                None => f.write_str("UploadBody::Stream"),
            },
        }
    }
}

impl From<Bytes> for UploadBody {
    fn from(bytes: Bytes) -> Self {
        UploadBody {
            source: Source::Bytes(bytes),
        }
    }
}

impl From<Vec<u8>> for UploadBody {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes::from(bytes).into()
    }
}

impl From<&'static [u8]> for UploadBody {
    fn from(bytes: &'static [u8]) -> Self {
        Bytes::from_static(bytes).into()
    }
}

impl<const N: usize> From<&'static [u8; N]> for UploadBody {
    fn from(bytes: &'static [u8; N]) -> Self {
        Bytes::from_static(bytes).into()
    }
}

impl From<String> for UploadBody {
    fn from(text: String) -> Self {
        Bytes::from(text).into()
    }
}

impl From<&'static str> for UploadBody {
    fn from(text: &'static str) -> Self {
        Bytes::from_static(text.as_bytes()).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stream_is_sent_once_and_bytes_every_time() {
        let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("ab"))]);
        let stream = UploadBody::stream(chunks, Some(2));
        assert!(!stream.is_replayable());
        assert!(stream.clone().for_attempt().await.unwrap().is_some());
        assert!(
            stream.for_attempt().await.unwrap().is_none(),
            "a clone shares the stream"
        );

        let bytes = UploadBody::from(vec![1, 2, 3]);
        assert!(bytes.is_replayable());
        for _ in 0..2 {
            let attempt = bytes.for_attempt().await.unwrap().unwrap();
            assert_eq!(attempt.length, Some(3));
        }
    }

    #[tokio::test]
    async fn a_missing_file_names_its_path() {
        let body = UploadBody::path("/no/such/dir/image.png");
        let error = body.for_attempt().await.err().unwrap();
        assert!(
            error.to_string().contains("/no/such/dir/image.png"),
            "{error}"
        );
    }
}
