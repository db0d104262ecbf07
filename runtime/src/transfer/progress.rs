//! Progress of a transfer, reported to a callback of the caller's.

use std::fmt;
use std::sync::Arc;

/// How far a transfer is: given to the callback of
/// [`PresignedUpload::on_progress`](crate::PresignedUpload::on_progress) and
/// [`PresignedDownload::on_progress`](crate::PresignedDownload::on_progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransferProgress {
    /// Bytes transferred so far: of an upload, those the host has accepted (each block as
    /// it is stored); of a download, those written to the destination. It goes back to 0 when
    /// a download starts over (see [`PresignedDownload`](crate::PresignedDownload)).
    pub done: u64,
    /// The whole content's size, when known: an upload of a path or of bytes, a stream whose
    /// length was given; a download once the host has said.
    pub total: Option<u64>,
}

impl TransferProgress {
    pub(crate) fn new(done: u64, total: Option<u64>) -> Self {
        TransferProgress { done, total }
    }

    /// `done` as a fraction of `total` (from 0.0 to 1.0), when the total is known.
    pub fn fraction(&self) -> Option<f64> {
        #[allow(clippy::cast_precision_loss, reason = "a fraction for display")]
        self.total.map(|total| match total {
            0 => 1.0,
            total => self.done as f64 / total as f64,
        })
    }
}

/// The caller's callback, shared by the tasks of one transfer.
#[derive(Clone, Default)]
pub(crate) struct Reporter(Option<Arc<dyn Fn(TransferProgress) + Send + Sync>>);

impl Reporter {
    pub(crate) fn new(callback: impl Fn(TransferProgress) + Send + Sync + 'static) -> Self {
        Reporter(Some(Arc::new(callback)))
    }

    pub(crate) fn report(&self, done: u64, total: Option<u64>) {
        if let Some(callback) = &self.0 {
            callback(TransferProgress::new(done, total));
        }
    }
}

impl fmt::Debug for Reporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Some(callback)"
        } else {
            "None"
        })
    }
}
