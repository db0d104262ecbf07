//! Uploads to a pre-signed Azure Blob Storage URL: one Put Blob up to a limit, Put Block for
//! each block and Put Block List beyond it.

use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use bytes::Bytes;
use futures_util::future::BoxFuture;
use futures_util::stream::{FuturesUnordered, StreamExt};
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::Method;

use super::blocks::{block_id, block_list, MAX_BLOCKS, MAX_BLOCK_SIZE};
use super::host::{Host, Overrides};
use super::presigned::{self, PresignedUrl};
use super::progress::Reporter;
use super::source::{Block, Blocks, ReadError};
use super::TransferProgress;
use crate::error::{Error, TransferError, TransferErrorKind};
use crate::request::HttpMethod;
use crate::retry::RetryPolicy;
use crate::upload::UploadBody;
use crate::Client;

const MIB: u64 = 1024 * 1024;
/// The block size by default: what a stream's upload holds in memory at most, per block in
/// flight.
pub(crate) const DEFAULT_BLOCK_SIZE: u64 = 8 * MIB;
/// The largest Put Blob Azure takes (5000 MiB; the Storage API's pages say 256 MiB).
const MAX_SINGLE_PUT: u64 = 5000 * MIB;
/// The most blocks in flight at once.
const MAX_CONCURRENCY: usize = 64;

/// An upload of content to a pre-signed URL of Azure Blob Storage, made by
/// [`Client::upload_presigned`]: set what differs from the defaults, then [`send`](Self::send).
///
/// - Content up to [`single_put_limit`](Self::single_put_limit) (the block size by default)
///   goes in one **Put Blob**: a `PUT` with `x-ms-blob-type: BlockBlob` and its
///   `Content-Length`.
/// - Larger content goes in **blocks** of [`block_size`](Self::block_size) (8 MiB by
///   default): a Put Block (`?comp=block&blockid=...`) for each block, then a Put Block List
///   (`?comp=blocklist`) that commits them in order. Each request is retried on its own as the
///   client's [`RetryPolicy`] says (a 408, 429, 500, 502, 503 or 504 of the host, or a
///   connection that failed or dropped), so that a failure costs one block, not the upload.
///
/// Memory stays bounded whatever the size: a path is read a range at a time for each attempt
/// (never held: a retried block is read again from the file, which must not change during the
/// upload); bytes in memory are sent as slices, not copied; a stream or open file is read
/// **once**, a block at a time, and each block is held until the host has stored it, so that
/// it can be sent again. Peak memory is then about one block per block in flight
/// ([`concurrency`](Self::concurrency), 1 by default). A stream that ends within its first
/// block (and within the single-put limit) goes in one Put Blob, from memory.
///
/// The requests go through the client's connection pool with **no credentials**: no
/// `Authorization` header, no API key, none of the client's interceptors or call headers. The
/// URL must be `https` (plain `http` only to a loopback host, for tests; see
/// [`PresignedUrl`]). An HTTP client given with
/// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client) must not carry default
/// credentials of its own. Each request's timeout is the client's per-attempt timeout unless
/// [`timeout`](Self::timeout) says otherwise.
///
/// ```no_run
/// # async fn run(client: itwin_platform_runtime::Client, upload_url: &str) -> Result<(), itwin_platform_runtime::Error> {
/// use itwin_platform_runtime::UploadBody;
///
/// let uploaded = client
///     .upload_presigned(upload_url, UploadBody::path("site.dgn"))
///     .block_size(16 * 1024 * 1024)
///     .on_progress(|p| eprintln!("{} of {:?} bytes", p.done, p.total))
///     .send()
///     .await?;
/// println!("{} bytes in {} blocks", uploaded.bytes, uploaded.blocks);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[must_use = "an upload does nothing until `send` is awaited"]
pub struct PresignedUpload {
    client: Client,
    url: Result<PresignedUrl, Error>,
    content: UploadBody,
    block_size: u64,
    /// `None`: the block size.
    single_put_limit: Option<u64>,
    concurrency: usize,
    content_type: Option<String>,
    overrides: Overrides,
    progress: Reporter,
}

/// What an upload sent ([`PresignedUpload::send`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Uploaded {
    /// The content's size in bytes.
    pub bytes: u64,
    /// How many blocks it went in; 0 for one Put Blob.
    pub blocks: u64,
}

impl PresignedUpload {
    pub(crate) fn new(client: &Client, url: &str, content: UploadBody) -> Self {
        PresignedUpload {
            client: client.clone(),
            url: presigned::parse(url, "put-blob"),
            content,
            block_size: DEFAULT_BLOCK_SIZE,
            single_put_limit: None,
            concurrency: 1,
            content_type: None,
            overrides: Overrides::default(),
            progress: Reporter::default(),
        }
    }

    /// The size of each block but the last, in bytes (8 MiB by default; from 1 byte to Azure's
    /// 4000 MiB). A blob has at most 50,000 blocks: a path's or bytes' content that would need
    /// more gets larger blocks; a stream's fails with [`TransferErrorKind::Content`].
    pub fn block_size(mut self, bytes: u64) -> Self {
        self.block_size = bytes.clamp(1, MAX_BLOCK_SIZE);
        self
    }

    /// Content up to this size, in bytes, goes in one Put Blob (by default the block size; at
    /// most Azure's 5000 MiB, though the Storage API's pages say 256 MiB); `0` sends every
    /// content in blocks. A stream goes in one Put Blob only if it also ends within its first
    /// block.
    pub fn single_put_limit(mut self, bytes: u64) -> Self {
        self.single_put_limit = Some(bytes.min(MAX_SINGLE_PUT));
        self
    }

    /// How many blocks are sent at once (1 by default, at most 64): more is faster on a
    /// long-distance link, and holds that many blocks of a stream in memory.
    pub fn concurrency(mut self, blocks: usize) -> Self {
        self.concurrency = blocks.clamp(1, MAX_CONCURRENCY);
        self
    }

    /// The blob's media type (`x-ms-blob-content-type`), returned to whoever downloads it.
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }

    /// Sends this header on every request of the upload (such as `x-ms-version`). An
    /// `Authorization` header is refused: [`send`](Self::send) fails with
    /// [`Error::InvalidRequest`].
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.overrides.headers.push((name.into(), value.into()));
        self
    }

    /// The timeout of each request (each block; `None`: none) instead of the client's.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.overrides.timeout = Some(timeout.into());
        self
    }

    /// How each request is retried, instead of as the client's policy says.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.overrides.retry = Some(policy);
        self
    }

    /// Calls `callback` as the upload goes: after each block the host stored, and at the end.
    pub fn on_progress(
        mut self,
        callback: impl Fn(TransferProgress) + Send + Sync + 'static,
    ) -> Self {
        self.progress = Reporter::new(callback);
        self
    }

    /// Uploads the content; the error of a request is returned once its retries are spent.
    pub async fn send(self) -> Result<Uploaded, Error> {
        let url = self.url?;
        let host = Host::new(&self.client, self.overrides, "put-blob")?;
        let mut content_headers = HeaderMap::new();
        if let Some(media_type) = &self.content_type {
            let value = HeaderValue::from_str(media_type).map_err(|_| Error::InvalidRequest {
                operation: "put-blob",
                reason: "the content type contains characters that are not allowed in a header"
                    .into(),
            })?;
            content_headers.insert("x-ms-blob-content-type", value);
        }
        let single_put_limit = self.single_put_limit.unwrap_or(self.block_size);
        let shown = url.redacted();
        let read_error = |error| read_error("put-blob", &shown, error);
        let mut blocks = Blocks::open(self.content.take_content(), self.block_size)
            .await
            .map_err(read_error)?;
        let upload = Upload {
            host,
            url,
            content_headers,
            progress: self.progress,
            total: blocks.total(),
        };
        tracing::debug!(
            host = upload.url.host(),
            path = upload.url.url().path(),
            total = upload.total,
            "uploading to a pre-signed URL"
        );
        if let (Some(total), Some(whole)) = (upload.total, blocks.whole()) {
            if total <= single_put_limit {
                upload.put_blob(whole).await?;
                return Ok(Uploaded {
                    bytes: total,
                    blocks: 0,
                });
            }
        }
        let first = blocks.next().await.map_err(read_error)?;
        let first_len = first.as_ref().map_or(0, Block::len);
        if blocks.is_done().await.map_err(read_error)? && first_len <= single_put_limit {
            upload
                .put_blob(first.unwrap_or(Block::Bytes(Bytes::new())))
                .await?;
            return Ok(Uploaded {
                bytes: first_len,
                blocks: 0,
            });
        }
        upload.put_blocks(first, blocks, self.concurrency).await
    }
}

/// One upload under way.
struct Upload {
    host: Host,
    url: PresignedUrl,
    /// `x-ms-blob-content-type`, when given.
    content_headers: HeaderMap,
    progress: Reporter,
    total: Option<u64>,
}

impl Upload {
    /// The whole content in one Put Blob.
    async fn put_blob(&self, block: Block) -> Result<(), Error> {
        let len = block.len();
        self.put("put-blob", self.url.url().clone(), &block, true)
            .await?;
        self.progress.report(len, self.total);
        Ok(())
    }

    /// One block, stored under `id`; its length once stored.
    async fn put_block(&self, id: String, block: Block) -> Result<u64, Error> {
        let url = self.url.with_query(&[("comp", "block"), ("blockid", &id)]);
        self.put("put-block", url, &block, false).await?;
        Ok(block.len())
    }

    /// Every block read from `blocks` (after `first`), `concurrency` at a time, then the list
    /// that commits them.
    async fn put_blocks(
        &self,
        first: Option<Block>,
        mut blocks: Blocks,
        concurrency: usize,
    ) -> Result<Uploaded, Error> {
        let shown = self.url.redacted();
        let mut ids: Vec<String> = Vec::new();
        let mut in_flight: FuturesUnordered<BoxFuture<'_, Result<u64, Error>>> =
            FuturesUnordered::new();
        let mut done = 0;
        let mut pending = first;
        let mut exhausted = false;
        loop {
            while in_flight.len() < concurrency && (pending.is_some() || !exhausted) {
                let block = match pending.take() {
                    Some(block) => block,
                    None => {
                        // The next block is read while those in flight go on.
                        let mut read = pin!(blocks.next());
                        let next = std::future::poll_fn(|cx| {
                            while let Poll::Ready(Some(finished)) = in_flight.poll_next_unpin(cx) {
                                match finished {
                                    Ok(len) => {
                                        done += len;
                                        self.progress.report(done, self.total);
                                    }
                                    Err(error) => return Poll::Ready(Err(error)),
                                }
                            }
                            read.as_mut()
                                .poll(cx)
                                .map(|r| r.map_err(|e| read_error("put-block", &shown, e)))
                        })
                        .await?;
                        match next {
                            Some(block) => block,
                            None => {
                                exhausted = true;
                                break;
                            }
                        }
                    }
                };
                let index = ids.len() as u64;
                if index >= MAX_BLOCKS {
                    return Err(TransferError::new(
                        "put-block",
                        shown,
                        TransferErrorKind::Content {
                            reason: format!(
                                "the content needs more than the {MAX_BLOCKS} blocks a blob can have: give a larger block size"
                            ),
                        },
                    )
                    .into());
                }
                let id = block_id(index);
                ids.push(id.clone());
                in_flight.push(Box::pin(self.put_block(id, block)));
            }
            match in_flight.next().await {
                Some(finished) => {
                    done += finished?;
                    self.progress.report(done, self.total);
                }
                None => break,
            }
        }
        self.put_block_list(&ids).await?;
        Ok(Uploaded {
            bytes: done,
            blocks: ids.len() as u64,
        })
    }

    /// Commits the blocks, in order.
    async fn put_block_list(&self, ids: &[String]) -> Result<(), Error> {
        let url = self.url.with_query(&[("comp", "blocklist")]);
        let list = Block::Bytes(Bytes::from(block_list(ids)));
        self.put("put-block-list", url, &list, false).await
    }

    /// A `PUT` of `block` to `url`, retried as the policy says.
    async fn put(
        &self,
        operation: &'static str,
        url: ::url::Url,
        block: &Block,
        is_blob: bool,
    ) -> Result<(), Error> {
        let is_list = operation == "put-block-list";
        self.host
            .retrying(HttpMethod::Put, |attempt| {
                let url = &url;
                async move {
                    let body = block.body().await.map_err(|source| {
                        Error::from(
                            TransferError::new(
                                operation,
                                self.url.redacted(),
                                TransferErrorKind::Io,
                            )
                            .with_source(source),
                        )
                    })?;
                    let mut headers = HeaderMap::new();
                    headers.insert(CONTENT_LENGTH, HeaderValue::from(block.len()));
                    if is_blob {
                        headers.insert("x-ms-blob-type", HeaderValue::from_static("BlockBlob"));
                    }
                    if is_list {
                        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/xml"));
                    }
                    if is_blob || is_list {
                        headers.extend(self.content_headers.clone());
                    }
                    self.host
                        .send(
                            operation,
                            Method::PUT,
                            url,
                            headers,
                            Some(body),
                            attempt,
                            true,
                        )
                        .await
                        .map(drop)
                }
            })
            .await
    }
}

fn read_error(operation: &'static str, url: &str, error: ReadError) -> Error {
    let error = match error {
        ReadError::Source(source) => {
            TransferError::new(operation, url.to_owned(), TransferErrorKind::Io)
                .with_boxed_source(source)
        }
        ReadError::Content(reason) => TransferError::new(
            operation,
            url.to_owned(),
            TransferErrorKind::Content { reason },
        ),
    };
    error.into()
}
