//! The content of an upload, read a block at a time: slices of bytes in memory (no copy),
//! ranges of a file (read again by each attempt, never held in memory), or blocks filled from
//! a stream (read once: each block is held until the host has stored it).

use std::io::SeekFrom;
use std::path::Path;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use futures_util::stream::{BoxStream, StreamExt};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

use super::blocks::MAX_BLOCKS;
use crate::upload::{BoxError, Content};

/// Chunks read from a file at a time, as for the client's own uploads.
const FILE_CHUNK: usize = 64 * 1024;

/// One block (or the whole content of a single Put Blob), able to give its body again for
/// each attempt.
#[derive(Clone)]
pub(crate) enum Block {
    /// In memory: a slice of the bytes given, or a block read from a stream.
    Bytes(Bytes),
    /// A range of a file, opened and read by each attempt.
    File {
        path: Arc<Path>,
        offset: u64,
        len: u64,
    },
}

impl Block {
    pub(crate) fn len(&self) -> u64 {
        match self {
            Block::Bytes(bytes) => bytes.len() as u64,
            Block::File { len, .. } => *len,
        }
    }

    /// The body of one attempt.
    pub(crate) async fn body(&self) -> std::io::Result<reqwest::Body> {
        match self {
            // A clone shares the buffer.
            Block::Bytes(bytes) => Ok(reqwest::Body::from(bytes.clone())),
            Block::File { path, offset, len } => {
                let mut file = tokio::fs::File::open(path).await.map_err(|e| {
                    std::io::Error::new(e.kind(), format!("cannot open `{}`: {e}", path.display()))
                })?;
                file.seek(SeekFrom::Start(*offset)).await?;
                let range = file.take(*len);
                Ok(reqwest::Body::wrap_stream(ReaderStream::with_capacity(
                    range, FILE_CHUNK,
                )))
            }
        }
    }
}

/// Why the content could not be read.
pub(crate) enum ReadError {
    /// The file or stream failed.
    Source(BoxError),
    /// The content does not fit the upload: what is wrong.
    Content(String),
}

/// The content of an upload, read a block at a time.
pub(crate) struct Blocks {
    source: Source,
    size: u64,
    /// Bytes given out so far.
    read: u64,
}

enum Source {
    Bytes(Bytes),
    File { path: Arc<Path>, len: u64 },
    Stream(ChunkReader),
}

impl Blocks {
    /// Opens `content` for blocks of `size` bytes. A path's or bytes' content that would take
    /// more than 50,000 blocks gets larger blocks (they cost no memory); a stream's cannot.
    pub(crate) async fn open(content: Content, size: u64) -> Result<Blocks, ReadError> {
        let source =
            match content {
                Content::Bytes(bytes) => Source::Bytes(bytes),
                Content::Path(path) => {
                    let len = tokio::fs::metadata(&path)
                        .await
                        .map_err(|e| {
                            ReadError::Source(Box::new(std::io::Error::new(
                                e.kind(),
                                format!("cannot read `{}`: {e}", path.display()),
                            )))
                        })?
                        .len();
                    Source::File { path, len }
                }
                Content::Stream { chunks, length } => Source::Stream(ChunkReader {
                    chunks,
                    carry: None,
                    length,
                }),
                Content::Consumed => return Err(ReadError::Content(
                    "the content is a one-shot stream (or open file) that an earlier send consumed"
                        .into(),
                )),
            };
        let mut blocks = Blocks {
            source,
            size,
            read: 0,
        };
        if let Some(total) = blocks.total() {
            if total.div_ceil(size) > MAX_BLOCKS {
                match blocks.source {
                    Source::Stream(_) => {
                        return Err(ReadError::Content(format!(
                            "{total} bytes in blocks of {size} bytes are more than the {MAX_BLOCKS} blocks a blob can have: give a larger block size"
                        )))
                    }
                    _ => blocks.size = total.div_ceil(MAX_BLOCKS),
                }
            }
        }
        Ok(blocks)
    }

    /// The content's size, when known before reading it.
    pub(crate) fn total(&self) -> Option<u64> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes.len() as u64),
            Source::File { len, .. } => Some(*len),
            Source::Stream(reader) => reader.length,
        }
    }

    /// The whole content as one block, when it can be sent again without holding it in
    /// memory: bytes and a file.
    pub(crate) fn whole(&self) -> Option<Block> {
        match &self.source {
            Source::Bytes(bytes) => Some(Block::Bytes(bytes.clone())),
            Source::File { path, len } => Some(Block::File {
                path: path.clone(),
                offset: 0,
                len: *len,
            }),
            Source::Stream(_) => None,
        }
    }

    /// The next block; `None` after the last.
    pub(crate) async fn next(&mut self) -> Result<Option<Block>, ReadError> {
        let size = self.size;
        let block = match &mut self.source {
            Source::Bytes(bytes) => {
                let start = usize::try_from(self.read)
                    .unwrap_or(usize::MAX)
                    .min(bytes.len());
                let end = start
                    .saturating_add(usize::try_from(size).unwrap_or(usize::MAX))
                    .min(bytes.len());
                (end > start).then(|| Block::Bytes(bytes.slice(start..end)))
            }
            Source::File { path, len } => {
                let left = len.saturating_sub(self.read);
                (left > 0).then(|| Block::File {
                    path: path.clone(),
                    offset: self.read,
                    len: left.min(size),
                })
            }
            Source::Stream(reader) => reader
                .fill(usize::try_from(size).unwrap_or(usize::MAX))
                .await
                .map_err(ReadError::Source)?
                .map(Block::Bytes),
        };
        if let Some(block) = &block {
            self.read += block.len();
        }
        if block.is_none() {
            self.check_length()?;
        }
        Ok(block)
    }

    /// Whether every byte has been given out (a stream is asked for one more chunk, kept for
    /// the next block).
    pub(crate) async fn is_done(&mut self) -> Result<bool, ReadError> {
        let done = match &mut self.source {
            Source::Bytes(bytes) => self.read >= bytes.len() as u64,
            Source::File { len, .. } => self.read >= *len,
            Source::Stream(reader) => reader.at_end().await.map_err(ReadError::Source)?,
        };
        if done {
            self.check_length()?;
        }
        Ok(done)
    }

    /// A stream whose length was given must have given that many bytes.
    fn check_length(&self) -> Result<(), ReadError> {
        match self.total() {
            Some(total) if total != self.read => Err(ReadError::Content(format!(
                "the content gave {} bytes, not the {total} its length said",
                self.read
            ))),
            _ => Ok(()),
        }
    }
}

/// A stream of chunks, regrouped into blocks.
struct ChunkReader {
    chunks: BoxStream<'static, Result<Bytes, BoxError>>,
    /// What the last chunk had beyond the block it completed.
    carry: Option<Bytes>,
    length: Option<u64>,
}

impl ChunkReader {
    /// The next `size` bytes (fewer at the end); `None` at the end. A chunk that holds them all
    /// (or the last, short one) is given as it is; otherwise they are copied into one buffer of
    /// `size` bytes, allocated once a second chunk shows that one is needed.
    async fn fill(&mut self, size: usize) -> Result<Option<Bytes>, BoxError> {
        let mut first: Option<Bytes> = None;
        let mut block = BytesMut::new();
        loop {
            let chunk = match self.carry.take() {
                Some(chunk) => chunk,
                None => match self.chunks.next().await {
                    Some(chunk) => chunk?,
                    None => break,
                },
            };
            if chunk.is_empty() {
                continue;
            }
            if first.is_none() && block.is_empty() {
                if chunk.len() >= size {
                    // One chunk holds the block: no copy.
                    if chunk.len() > size {
                        self.carry = Some(chunk.slice(size..));
                    }
                    return Ok(Some(chunk.slice(..size)));
                }
                first = Some(chunk);
                continue;
            }
            if let Some(first) = first.take() {
                block.reserve(size);
                block.extend_from_slice(&first);
            }
            let room = size - block.len();
            if chunk.len() >= room {
                block.extend_from_slice(&chunk[..room]);
                if chunk.len() > room {
                    self.carry = Some(chunk.slice(room..));
                }
                break;
            }
            block.extend_from_slice(&chunk);
        }
        Ok(match first {
            Some(only) => Some(only),
            None => (!block.is_empty()).then(|| block.freeze()),
        })
    }

    async fn at_end(&mut self) -> Result<bool, BoxError> {
        while self.carry.is_none() {
            match self.chunks.next().await {
                Some(chunk) => {
                    let chunk = chunk?;
                    if !chunk.is_empty() {
                        self.carry = Some(chunk);
                    }
                }
                None => return Ok(true),
            }
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(chunks: &[&'static [u8]], length: Option<u64>) -> Content {
        let chunks: Vec<Result<Bytes, BoxError>> =
            chunks.iter().map(|c| Ok(Bytes::from_static(c))).collect();
        Content::Stream {
            chunks: futures_util::stream::iter(chunks).boxed(),
            length,
        }
    }

    async fn all(mut blocks: Blocks) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(Ok(Some(block))) = Some(blocks.next().await) {
            match block {
                Block::Bytes(bytes) => out.push(bytes.to_vec()),
                Block::File { .. } => unreachable!(),
            }
        }
        out
    }

    #[tokio::test]
    async fn chunks_are_regrouped_into_blocks() {
        let blocks = Blocks::open(stream(&[b"ab", b"cdefg", b"", b"h"], None), 3)
            .await
            .ok()
            .unwrap();
        assert_eq!(
            all(blocks).await,
            [b"abc".to_vec(), b"def".to_vec(), b"gh".to_vec()]
        );
        let whole = Blocks::open(Content::Bytes(Bytes::from_static(b"abcdefg")), 3)
            .await
            .ok()
            .unwrap();
        assert_eq!(
            all(whole).await,
            [b"abc".to_vec(), b"def".to_vec(), b"g".to_vec()]
        );
    }

    #[tokio::test]
    async fn the_end_of_a_stream_is_seen_without_losing_a_chunk() {
        let mut blocks = Blocks::open(stream(&[b"abc", b"d"], None), 3)
            .await
            .ok()
            .unwrap();
        assert!(blocks.next().await.ok().unwrap().is_some());
        assert!(!blocks.is_done().await.ok().unwrap());
        assert!(matches!(blocks.next().await, Ok(Some(Block::Bytes(b))) if b == "d"));
        assert!(blocks.is_done().await.ok().unwrap());
    }

    #[tokio::test]
    async fn a_stream_shorter_than_its_length_is_refused() {
        let mut blocks = Blocks::open(stream(&[b"abc"], Some(5)), 8)
            .await
            .ok()
            .unwrap();
        assert!(blocks.next().await.ok().unwrap().is_some());
        assert!(matches!(blocks.next().await, Err(ReadError::Content(_))));
    }

    #[tokio::test]
    async fn large_files_get_larger_blocks_and_streams_an_error() {
        let bytes = Content::Bytes(Bytes::from(vec![0u8; 100_001]));
        let blocks = Blocks::open(bytes, 1).await.ok().unwrap();
        assert_eq!(blocks.size, 3);
        let long = stream(&[], Some(100_001));
        assert!(matches!(
            Blocks::open(long, 1).await,
            Err(ReadError::Content(_))
        ));
    }
}
