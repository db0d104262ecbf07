//! Transfers through pre-signed URLs: content uploaded to and downloaded from hosts outside the
//! platform (Azure Blob Storage), whose links the platform's answers give.
//!
//! The platform hands out links that carry their own time-limited authorization in their query
//! (a shared access signature): Storage's `uploadUrl` and the `Location` of Download file,
//! iModels' `_links.upload` of a baseline file and `_links.download` of checkpoints and
//! changesets, Mesh Export's `_links.mesh` (a container), Changed Elements' `comparison`. Such a
//! host must never receive the platform's token, so these transfers go through the client's
//! connection pool (its proxies, TLS settings and open connections) but take **none of its
//! credentials, call headers or interceptors**, and go only to `https` URLs (plain `http` only
//! to a loopback host, for tests). See [`PresignedUrl`] for the rule and for how URLs are shown
//! (never with their query, in messages, `Debug` or traces).
//!
//! - [`Client::upload_presigned`]: one Put Blob, or Put Block for each block and Put Block List,
//!   each request retried on its own, in bounded memory ([`PresignedUpload`]).
//! - [`Client::download_presigned`]: streamed to a file or any writer, resumed with `Range`
//!   after a dropped connection ([`PresignedDownload`]).
//! - [`Client::list_presigned_container`]: the files of a container URL ([`BlobItem`]).
//!
//! Progress goes to a callback ([`TransferProgress`]); failures are [`Error::Transfer`] with a
//! [`TransferError`](crate::TransferError).
//!
//! Files: `presigned` (the URL rule and redaction), `host` (one request, retries, error answers),
//! `source` (content read a block at a time), `blocks` (block ids and the block list),
//! `upload`, `download`, `listing`, `progress`.

mod blocks;
mod download;
mod host;
mod listing;
mod presigned;
mod progress;
mod source;
mod upload;

pub use download::{Downloaded, PresignedDownload};
pub use listing::BlobItem;
pub use presigned::PresignedUrl;
pub use progress::TransferProgress;
pub use upload::{PresignedUpload, Uploaded};

use crate::error::Error;
use crate::upload::UploadBody;
use crate::Client;

impl Client {
    /// An upload of `content` (bytes, a path, an open file or a stream: see [`UploadBody`]) to
    /// the pre-signed Azure Blob Storage URL `url`, without the client's credentials: see
    /// [`PresignedUpload`]. A URL that breaks the rule of [`PresignedUrl`] fails the upload
    /// when it is sent.
    ///
    /// ```no_run
    /// # async fn run(client: itwin_platform_runtime::Client) -> Result<(), itwin_platform_runtime::Error> {
    /// use itwin_platform_runtime::UploadBody;
    ///
    /// let upload_url = "https://account.blob.core.windows.net/files/5f2c?sv=2021-08-06&sig=...";
    /// client.upload_presigned(upload_url, UploadBody::path("site.dgn")).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn upload_presigned(
        &self,
        url: impl AsRef<str>,
        content: impl Into<UploadBody>,
    ) -> PresignedUpload {
        PresignedUpload::new(self, url.as_ref(), content.into())
    }

    /// A download from the pre-signed URL `url` (text, or a [`PresignedUrl`]), without the
    /// client's credentials: see [`PresignedDownload`].
    ///
    /// ```no_run
    /// # async fn run(client: itwin_platform_runtime::Client) -> Result<(), itwin_platform_runtime::Error> {
    /// let download_url = "https://account.blob.core.windows.net/checkpoints/5f2c.bim?sv=2021-08-06&sig=...";
    /// let mut out = tokio::io::sink();
    /// let downloaded = client.download_presigned(download_url).to_writer(&mut out).await?;
    /// # let _ = downloaded;
    /// # Ok(())
    /// # }
    /// ```
    pub fn download_presigned(&self, url: impl AsRef<str>) -> PresignedDownload {
        PresignedDownload::new(self, url.as_ref())
    }

    /// The files under the pre-signed container URL `url` (a container, or a folder of one:
    /// the names are then those below it), every page of Azure's List Blobs
    /// (`restype=container&comp=list`), without the client's credentials. Each page is retried
    /// as the client's policy says; the listing stops with an error after
    /// [`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages) pages.
    ///
    /// ```no_run
    /// # async fn run(client: itwin_platform_runtime::Client) -> Result<(), itwin_platform_runtime::Error> {
    /// use itwin_platform_runtime::PresignedUrl;
    ///
    /// let mesh = PresignedUrl::parse("https://account.blob.core.windows.net/exports/5f2c?sv=2021-08-06&sig=...")?;
    /// for item in client.list_presigned_container(&mesh).await? {
    ///     let file = mesh.file(&item.name)?;
    ///     client.download_presigned(&file).to_path(item.name.replace('/', "_")).await?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_presigned_container(
        &self,
        url: impl AsRef<str>,
    ) -> Result<Vec<BlobItem>, Error> {
        listing::list(self, url.as_ref()).await
    }
}
