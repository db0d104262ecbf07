//! Mesh Export: `_links.mesh.href` is a pre-signed URL of a blob container, not of a file;
//! each file is at the container's path plus `/<name>`, with the same query.

use std::path::{Path, PathBuf};

use super::Transfers;
use crate::mesh_export::models::Export;
use crate::runtime::{self, BlobItem, Error, PresignedDownload, PresignedUrl, TransferError};

impl Transfers {
    /// The files of a `Complete` export (`_links.mesh.href`, a pre-signed container URL valid
    /// for an hour), without the platform token; an [`Error::Transfer`] when the export has no
    /// mesh link yet.
    ///
    /// ```no_run
    /// # async fn run(client: itwin_platform::Client) -> Result<(), itwin_platform::Error> {
    /// use itwin_platform::mesh_export::models::{ExportType, StartExport};
    ///
    /// let started = client
    ///     .mesh_export()
    ///     .start_export(StartExport::new("5e19bee0-3aea-4355-a9f0-c6df9989ee7d", ExportType::V3dTiles))
    ///     .send()
    ///     .await?;
    /// let done = started.wait(&client).await?;
    /// let files = client.transfers().mesh_export(&done.export)?;
    /// // One file by name, or all of them.
    /// let tileset = files.file("tileset.json")?.bytes().await?;
    /// let written = files.download_all("mesh").await?;
    /// println!("{} bytes of tileset, {} files", tileset.len(), written.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn mesh_export(&self, export: &Export) -> Result<MeshExportFiles, Error> {
        let href = export
            .links
            .as_ref()
            .and_then(|links| links.mesh.as_ref())
            .and_then(|mesh| mesh.href.as_deref())
            .ok_or_else(|| {
                TransferError::missing_link(
                    "list-blobs",
                    format!(
                        "the export's _links.mesh.href (it comes once the export is Complete; it is {:?})",
                        export.status
                    ),
                )
            })?;
        Ok(MeshExportFiles {
            client: self.client.clone(),
            container: PresignedUrl::parse(href)?,
        })
    }
}

/// The files of a mesh export ([`Transfers::mesh_export`]): listed from the container, and
/// each downloaded from the container's path plus its name, with the container's query.
#[derive(Debug, Clone)]
pub struct MeshExportFiles {
    client: runtime::Client,
    container: PresignedUrl,
}

impl MeshExportFiles {
    /// The container's pre-signed URL (shown without its query).
    pub fn container(&self) -> &PresignedUrl {
        &self.container
    }

    /// The download of the file `name` (such as `tileset.json`, or `Export.gltf` of a glTF
    /// export), whether or not a listing names it.
    pub fn file(&self, name: &str) -> Result<PresignedDownload, Error> {
        Ok(self.client.download_presigned(self.container.file(name)?))
    }

    /// The tileset of a 3D Tiles (or `CESIUM`, `IMODEL`) export: `tileset.json` at the
    /// container's root, whose tiles are files of the same container.
    pub fn tileset(&self) -> Result<PresignedDownload, Error> {
        self.file("tileset.json")
    }

    /// Every file of the container (Azure's List Blobs, page by page).
    pub async fn list(&self) -> Result<Vec<BlobItem>, Error> {
        self.client.list_presigned_container(&self.container).await
    }

    /// Downloads every file of the container into `dir`, keeping the names' folders (created
    /// as needed), one file after another, each streamed and resumed after a dropped
    /// connection; gives the paths written, in the listing's order. A name with an empty,
    /// `.` or `..` segment is refused, so that nothing is written outside `dir`.
    pub async fn download_all(&self, dir: impl AsRef<Path>) -> Result<Vec<PathBuf>, Error> {
        let dir = dir.as_ref();
        let io = |source| Error::Io {
            operation: "get-blob",
            source,
        };
        let mut written = Vec::new();
        for item in self.list().await? {
            let url = self.container.file(&item.name)?;
            let path = item
                .name
                .split('/')
                .fold(dir.to_path_buf(), |path, segment| path.join(segment));
            if let Some(parent) = path.parent() {
                tokio::fs::create_dir_all(parent).await.map_err(io)?;
            }
            self.client.download_presigned(&url).to_path(&path).await?;
            written.push(path);
        }
        Ok(written)
    }
}
