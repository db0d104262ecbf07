//! iModels: an iModel created from a baseline file (create → `_links.upload` → complete), and
//! the `_links.download` of baseline files, checkpoints and changesets.

use super::{upload_setters, Transfers, UploadSettings};
use crate::imodels::models::{
    BaselineFile, BaselineFileSize, Changeset, Checkpoint, IModelCreate, IModelCreationMode,
    IModelResponse, StorageLink,
};
use crate::imodels::IModelsClient;
use crate::runtime::{self, Error, PresignedDownload, TransferError, UploadBody};

impl Transfers {
    /// Creates an iModel from a baseline file: Create iModel with `creationMode` `fromBaseline`
    /// and the content's size (read from a path, given by bytes or by a stream's length, which
    /// a stream must then have), the content uploaded to the answer's `_links.upload` (without
    /// the platform token), then Complete iModel Baseline File Upload. Gives Create iModel's
    /// answer, whose [`wait`](IModelResponse::wait) polls until the service has made the
    /// iModel from the file.
    ///
    /// ```no_run
    /// # async fn run(client: itwin_platform::Client) -> Result<(), itwin_platform::Error> {
    /// use itwin_platform::imodels::models::IModelCreate;
    /// use itwin_platform::runtime::UploadBody;
    ///
    /// let created = client
    ///     .transfers()
    ///     .create_imodel_from_baseline(IModelCreate::new("ae8f3a5c-2d1b-4b8e-9d47-1f2a3b4c5d6e", "Bridge"), UploadBody::path("bridge.bim"))
    ///     .send()
    ///     .await?;
    /// created.wait(&client).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn create_imodel_from_baseline(
        &self,
        imodel: IModelCreate,
        content: impl Into<UploadBody>,
    ) -> BaselineUpload {
        BaselineUpload {
            client: self.client.clone(),
            imodel,
            content: content.into(),
            settings: UploadSettings::default(),
        }
    }

    /// The download of a checkpoint's file (`_links.download` of Get … Checkpoint's answer),
    /// without the platform token; an [`Error::Transfer`] when the checkpoint has no link
    /// (not ready yet, or the caller lacks `imodels_read`).
    ///
    /// ```no_run
    /// # async fn run(client: itwin_platform::Client) -> Result<(), itwin_platform::Error> {
    /// let checkpoint = client
    ///     .imodels()
    ///     .get_changeset_checkpoint("5e19bee0-3aea-4355-a9f0-c6df9989ee7d", "12")
    ///     .send()
    ///     .await?
    ///     .checkpoint;
    /// client.transfers().download_checkpoint(&checkpoint)?.to_path("bridge.bim").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn download_checkpoint(&self, checkpoint: &Checkpoint) -> Result<PresignedDownload, Error> {
        self.download(
            checkpoint.links.download.as_ref(),
            "the checkpoint's _links.download (a checkpoint that is not ready has none)",
        )
    }

    /// The download of a changeset's file (`_links.download`), without the platform token; an
    /// [`Error::Transfer`] when the changeset has no link (the caller lacks `imodels_read`).
    pub fn download_changeset(&self, changeset: &Changeset) -> Result<PresignedDownload, Error> {
        self.download(
            changeset.links.download.as_ref(),
            "the changeset's _links.download (null without imodels_read)",
        )
    }

    /// The download of the file an iModel was created from (`_links.download` of Get iModel
    /// Baseline File details), without the platform token.
    pub fn download_baseline_file(
        &self,
        baseline: &BaselineFile,
    ) -> Result<PresignedDownload, Error> {
        self.download(
            baseline.links.download.as_ref(),
            "the baseline file's _links.download",
        )
    }

    fn download(
        &self,
        link: Option<&Option<StorageLink>>,
        what: &str,
    ) -> Result<PresignedDownload, Error> {
        let link = link
            .and_then(Option::as_ref)
            .ok_or_else(|| TransferError::missing_link("get-blob", what))?;
        Ok(self.client.download_presigned(&link.href))
    }
}

/// An iModel being created from a baseline file ([`Transfers::create_imodel_from_baseline`]):
/// set the upload's settings, then [`send`](Self::send).
#[derive(Debug)]
#[must_use = "an upload does nothing until `send` is awaited"]
pub struct BaselineUpload {
    client: runtime::Client,
    imodel: IModelCreate,
    content: UploadBody,
    settings: UploadSettings,
}

upload_setters!(BaselineUpload);

impl BaselineUpload {
    /// Makes the three steps; the first error ends them.
    pub async fn send(self) -> Result<IModelResponse, Error> {
        let size = self
            .content
            .content_length()
            .await
            .map_err(|source| Error::Io {
                operation: "create-imodel",
                source,
            })?
            .ok_or_else(|| Error::InvalidRequest {
                operation: "create-imodel",
                reason: "the iModels API needs the baseline file's size first: give the stream's length (UploadBody::stream) or a path".into(),
            })?;
        let mut imodel = self.imodel;
        imodel.creation_mode = Some(IModelCreationMode::FromBaseline);
        imodel.baseline_file = Some(BaselineFileSize::new(
            i64::try_from(size).unwrap_or(i64::MAX),
        ));
        let imodels = IModelsClient::new(self.client.clone());
        let created = imodels.create_imodel(imodel).send().await?;
        let upload = created
            .imodel
            .links
            .upload
            .as_ref()
            .and_then(Option::as_ref)
            .ok_or_else(|| {
                TransferError::missing_link("put-blob", "the new iModel's _links.upload")
            })?;
        let upload = self.client.upload_presigned(&upload.href, self.content);
        self.settings.apply(upload).send().await?;
        imodels
            .complete_imodel_baseline_file_upload(&created.imodel.id)
            .send()
            .await?;
        Ok(created)
    }
}
