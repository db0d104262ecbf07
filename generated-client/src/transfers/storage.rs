//! Storage files: create (or update) → upload to `_links.uploadUrl` → complete; and the
//! download whose 302 is read, not followed.

use std::path::Path;

use tokio::io::AsyncWrite;

use super::{upload_setters, Transfers, UploadSettings};
use crate::runtime::{
    self, Downloaded, Error, PresignedDownload, PresignedUrl, TransferError, UploadBody,
};
use crate::storage::models::{File, FileCreate, FileUploadResponse};
use crate::storage::StorageClient;

impl Transfers {
    /// Adds a file to a Storage folder: Create file (with `file`'s name and description), the
    /// content uploaded to the answer's pre-signed `uploadUrl` (in blocks when larger than one,
    /// without the platform token), then Complete file upload. Gives the completed file.
    ///
    /// ```no_run
    /// # async fn run(client: itwin_platform::Client) -> Result<(), itwin_platform::Error> {
    /// use itwin_platform::runtime::UploadBody;
    /// use itwin_platform::storage::models::FileCreate;
    ///
    /// let file = client
    ///     .transfers()
    ///     .upload_storage_file("pKPiAMZ-VUSm5QK3l9j54ppPsuxGaEBOpLuWNJYpSYg", FileCreate::new("site.dgn"), UploadBody::path("site.dgn"))
    ///     .on_progress(|p| eprintln!("{} of {:?} bytes", p.done, p.total))
    ///     .send()
    ///     .await?;
    /// println!("uploaded {}", file.id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn upload_storage_file(
        &self,
        folder_id: impl Into<String>,
        file: FileCreate,
        content: impl Into<UploadBody>,
    ) -> StorageFileUpload {
        StorageFileUpload {
            client: self.client.clone(),
            target: Target::Create {
                folder_id: folder_id.into(),
                file,
            },
            content: content.into(),
            settings: UploadSettings::default(),
        }
    }

    /// Replaces the content of a Storage file: Update file content, the upload to its
    /// `uploadUrl`, then Complete file upload. Gives the completed file.
    pub fn update_storage_file_content(
        &self,
        file_id: impl Into<String>,
        content: impl Into<UploadBody>,
    ) -> StorageFileUpload {
        StorageFileUpload {
            client: self.client.clone(),
            target: Target::Update {
                file_id: file_id.into(),
            },
            content: content.into(),
            settings: UploadSettings::default(),
        }
    }

    /// Downloads a Storage file's content: Download file, whose `302` is its answer (the
    /// generated operation does not follow it: the link is for the blob-storage host, never
    /// for the token), then the pre-signed link in its `Location`, streamed and resumed after a
    /// dropped connection.
    ///
    /// ```no_run
    /// # async fn run(client: itwin_platform::Client) -> Result<(), itwin_platform::Error> {
    /// let downloaded = client
    ///     .transfers()
    ///     .download_storage_file("TYJsPN0xtkWId0yUrXkS5pN5AQzuullIkxz5aDnDJSI")
    ///     .to_path("site.dgn")
    ///     .await?;
    /// println!("{} bytes", downloaded.bytes);
    /// # Ok(())
    /// # }
    /// ```
    pub fn download_storage_file(&self, file_id: impl Into<String>) -> StorageFileDownload {
        StorageFileDownload {
            client: self.client.clone(),
            file_id: file_id.into(),
        }
    }
}

/// Which Storage call gives the upload links.
#[derive(Debug, Clone)]
enum Target {
    Create { folder_id: String, file: FileCreate },
    Update { file_id: String },
}

/// An upload of a Storage file's content ([`Transfers::upload_storage_file`],
/// [`Transfers::update_storage_file_content`]): set the upload's settings, then
/// [`send`](Self::send).
#[derive(Debug)]
#[must_use = "an upload does nothing until `send` is awaited"]
pub struct StorageFileUpload {
    client: runtime::Client,
    target: Target,
    content: UploadBody,
    settings: UploadSettings,
}

upload_setters!(StorageFileUpload);

impl StorageFileUpload {
    /// Makes the three steps; the first error ends them (a created file whose upload failed
    /// stays in the folder, empty, as the service leaves it).
    pub async fn send(self) -> Result<File, Error> {
        let storage = StorageClient::new(self.client.clone());
        let links: FileUploadResponse = match self.target {
            Target::Create { folder_id, file } => {
                storage.create_file(folder_id, file).send().await?
            }
            Target::Update { file_id } => storage.update_file_content(file_id).send().await?,
        };
        let links = links.links;
        let upload = self
            .client
            .upload_presigned(&links.upload_url.href, self.content);
        self.settings.apply(upload).send().await?;
        // The completion link is the platform's Complete file upload: called by its operation,
        // on the client's own base URL, rather than at a URL taken from an answer.
        let file_id = file_id_of(&links.complete_url.href).ok_or_else(|| {
            TransferError::missing_link(
                "complete-file-creation",
                "the file id in _links.completeUrl.href (`.../files/{fileId}/complete`)",
            )
        })?;
        Ok(storage.complete_file_creation(file_id).send().await?.file)
    }
}

/// `{fileId}` of `.../files/{fileId}/complete`.
fn file_id_of(complete_url: &str) -> Option<&str> {
    let path = complete_url.split(['?', '#']).next()?;
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [.., "files", id, "complete"] => Some(id),
        _ => None,
    }
}

/// A download of a Storage file's content ([`Transfers::download_storage_file`]).
#[derive(Debug)]
#[must_use = "a download does nothing until `to_path`, `to_writer` or `link` is awaited"]
pub struct StorageFileDownload {
    client: runtime::Client,
    file_id: String,
}

impl StorageFileDownload {
    /// The pre-signed link of the content: the `Location` of Download file's redirect, which
    /// the generated operation returns as its answer rather than following it.
    pub async fn link(&self) -> Result<PresignedUrl, Error> {
        let answer = StorageClient::new(self.client.clone())
            .download_file(&self.file_id)
            .send_with_response()
            .await?;
        match answer.location() {
            Some(location) if answer.status().is_redirection() => PresignedUrl::parse(location),
            _ => Err(TransferError::missing_link(
                "download-file",
                format!(
                    "the Location of Download file's redirect (it answered {} without one)",
                    answer.status()
                ),
            )
            .into()),
        }
    }

    /// The download of the content, to configure ([`PresignedDownload`]) before writing it.
    pub async fn presigned(&self) -> Result<PresignedDownload, Error> {
        Ok(self.client.download_presigned(self.link().await?))
    }

    /// Writes the content to the file at `path` (created or truncated).
    pub async fn to_path(self, path: impl AsRef<Path>) -> Result<Downloaded, Error> {
        self.presigned().await?.to_path(path).await
    }

    /// Writes the content to `writer`.
    pub async fn to_writer<W>(self, writer: &mut W) -> Result<Downloaded, Error>
    where
        W: AsyncWrite + Unpin + Send,
    {
        self.presigned().await?.to_writer(writer).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_id_comes_from_the_completion_link() {
        assert_eq!(
            file_id_of("https://api.bentley.com/storage/files/TYJs-PN0x/complete"),
            Some("TYJs-PN0x")
        );
        assert_eq!(
            file_id_of("https://api.bentley.com/storage/files/f1/complete/?a=b"),
            Some("f1")
        );
        assert_eq!(
            file_id_of("https://api.bentley.com/storage/folders/f1"),
            None
        );
    }
}
