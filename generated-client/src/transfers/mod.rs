//! Typed transfers through the pre-signed links of the platform's answers (hand-written): a
//! Storage file uploaded and downloaded, an iModel created from a baseline file, checkpoints
//! and changesets downloaded, the files of a Mesh Export, the result of a Changed Elements
//! comparison. Reach them with [`Client::transfers`](crate::Client::transfers).
//!
//! Each helper makes the platform calls of its workflow with the client (and its token), and
//! follows the links they answer with the runtime's
//! [`upload_presigned`](crate::runtime::Client::upload_presigned) and
//! [`download_presigned`](crate::runtime::Client::download_presigned), which send **no
//! credentials** to the blob-storage host, stream in bounded memory, upload in blocks each
//! retried on its own, and resume a dropped download with `Range`. A link the platform did not
//! give (a checkpoint not ready yet) is an
//! [`Error::Transfer`](crate::Error::Transfer) whose kind is
//! [`MissingLink`](crate::runtime::TransferErrorKind::MissingLink).
//!
//! | helper | platform calls | link followed |
//! |---|---|---|
//! | [`upload_storage_file`](Transfers::upload_storage_file) | Create file, Complete file upload | `_links.uploadUrl` (upload) |
//! | [`update_storage_file_content`](Transfers::update_storage_file_content) | Update file content, Complete file upload | `_links.uploadUrl` (upload) |
//! | [`download_storage_file`](Transfers::download_storage_file) | Download file (its 302 read, not followed) | `Location` (download) |
//! | [`create_imodel_from_baseline`](Transfers::create_imodel_from_baseline) | Create iModel (`fromBaseline`), Complete iModel Baseline File Upload | `_links.upload` (upload) |
//! | [`download_checkpoint`](Transfers::download_checkpoint), [`download_changeset`](Transfers::download_changeset), [`download_baseline_file`](Transfers::download_baseline_file) | none (give the answer of a Get) | `_links.download` |
//! | [`mesh_export`](Transfers::mesh_export) | none (give a `Complete` export) | `_links.mesh.href`, a container: listed, then each file |
//! | [`download_comparison`](Transfers::download_comparison), [`comparison_result`](Transfers::comparison_result) | none (give a `Completed` job) | `comparison.href` |

#[cfg(feature = "changed-elements")]
mod changed_elements;
#[cfg(feature = "imodels")]
mod imodels;
#[cfg(feature = "mesh-export")]
mod mesh_export;
#[cfg(feature = "storage")]
mod storage;

#[cfg(feature = "imodels")]
pub use imodels::BaselineUpload;
#[cfg(feature = "mesh-export")]
pub use mesh_export::MeshExportFiles;
#[cfg(feature = "storage")]
pub use storage::{StorageFileDownload, StorageFileUpload};

use crate::runtime;

/// The typed transfers of the APIs this crate was built with: see the [module](self).
/// Cheap to clone: it shares the client's connections.
#[derive(Debug, Clone)]
pub struct Transfers {
    #[cfg_attr(
        not(any(
            feature = "storage",
            feature = "imodels",
            feature = "mesh-export",
            feature = "changed-elements"
        )),
        allow(dead_code, reason = "no helper without their APIs")
    )]
    client: runtime::Client,
}

impl Transfers {
    /// The transfers of `client`.
    pub fn new(client: impl Into<runtime::Client>) -> Self {
        Transfers {
            client: client.into(),
        }
    }
}

/// The settings of an upload that a helper passes on to
/// [`PresignedUpload`](runtime::PresignedUpload).
#[cfg(any(feature = "storage", feature = "imodels"))]
#[derive(Clone, Default)]
pub(crate) struct UploadSettings {
    block_size: Option<u64>,
    concurrency: Option<usize>,
    progress: Option<std::sync::Arc<dyn Fn(runtime::TransferProgress) + Send + Sync>>,
}

#[cfg(any(feature = "storage", feature = "imodels"))]
impl UploadSettings {
    pub(crate) fn apply(&self, mut upload: runtime::PresignedUpload) -> runtime::PresignedUpload {
        if let Some(size) = self.block_size {
            upload = upload.block_size(size);
        }
        if let Some(blocks) = self.concurrency {
            upload = upload.concurrency(blocks);
        }
        if let Some(progress) = &self.progress {
            let progress = progress.clone();
            upload = upload.on_progress(move |p| progress(p));
        }
        upload
    }
}

#[cfg(any(feature = "storage", feature = "imodels"))]
impl std::fmt::Debug for UploadSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadSettings")
            .field("block_size", &self.block_size)
            .field("concurrency", &self.concurrency)
            .field("progress", &self.progress.as_ref().map(|_| "callback"))
            .finish()
    }
}

/// The last non-empty segment of a URL's path, such as the run id of
/// `.../storageconnections/{id}/runs/{runId}`.
#[cfg(feature = "synchronization")]
pub(crate) fn last_segment(url: &str) -> Option<&str> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    path.rsplit('/').find(|s| !s.is_empty())
}

/// Implements the setters that every upload helper passes on to its [`UploadSettings`].
#[cfg(any(feature = "storage", feature = "imodels"))]
macro_rules! upload_setters {
    ($helper:ty) => {
        impl $helper {
            /// The size of each block of the upload (see
            /// [`PresignedUpload::block_size`](crate::runtime::PresignedUpload::block_size)).
            pub fn block_size(mut self, bytes: u64) -> Self {
                self.settings.block_size = Some(bytes);
                self
            }

            /// How many blocks are sent at once (see
            /// [`PresignedUpload::concurrency`](crate::runtime::PresignedUpload::concurrency)).
            pub fn concurrency(mut self, blocks: usize) -> Self {
                self.settings.concurrency = Some(blocks);
                self
            }

            /// Calls `callback` as the content is uploaded (see
            /// [`PresignedUpload::on_progress`](crate::runtime::PresignedUpload::on_progress)).
            pub fn on_progress(
                mut self,
                callback: impl Fn(crate::runtime::TransferProgress) + Send + Sync + 'static,
            ) -> Self {
                self.settings.progress = Some(std::sync::Arc::new(callback));
                self
            }
        }
    };
}
#[cfg(any(feature = "storage", feature = "imodels"))]
pub(crate) use upload_setters;

#[cfg(all(test, feature = "synchronization"))]
mod tests {
    use super::*;

    #[test]
    fn the_last_segment_ignores_the_query_and_a_trailing_slash() {
        let run =
            "https://api.bentley.com/synchronization/imodels/storageconnections/c1/runs/r9?x=1";
        assert_eq!(last_segment(run), Some("r9"));
        assert_eq!(last_segment("/files/f1/complete/"), Some("complete"));
        assert_eq!(last_segment(""), None);
    }
}
