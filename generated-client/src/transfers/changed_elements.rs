//! Changed Elements: a completed comparison job's `comparison.href`, a pre-signed URL of a JSON
//! document (`ChangedElementsResult`).

use super::Transfers;
use crate::changed_elements::models::{ChangedElementsResult, ComparisonJob};
use crate::runtime::{Error, PresignedDownload, StatusCode, TransferError};

impl Transfers {
    /// The download of a `Completed` comparison job's result (`comparison.href`), without the
    /// platform token; an [`Error::Transfer`] when the job has no result link yet.
    pub fn download_comparison(&self, job: &ComparisonJob) -> Result<PresignedDownload, Error> {
        let link = job.comparison.as_ref().ok_or_else(|| {
            TransferError::missing_link(
                "get-blob",
                format!(
                    "the comparison job's comparison.href (it comes once the job is Completed; it is {:?})",
                    job.status
                ),
            )
        })?;
        Ok(self.client.download_presigned(&link.href))
    }

    /// A `Completed` comparison job's result, read whole (up to the client's
    /// [`max_response_bytes`](crate::runtime::ClientBuilder::max_response_bytes)) and decoded.
    ///
    /// ```no_run
    /// # async fn run(client: itwin_platform::Client) -> Result<(), itwin_platform::Error> {
    /// use itwin_platform::changed_elements::models::ComparisonRequest;
    ///
    /// let job = client
    ///     .changed_elements()
    ///     .create_comparison_job(ComparisonRequest::new("ae8f3a5c-2d1b-4b8e-9d47-1f2a3b4c5d6e", "5e19bee0-3aea-4355-a9f0-c6df9989ee7d", "a1b2", "c3d4"))
    ///     .send()
    ///     .await?;
    /// let done = job.wait(&client).await?;
    /// let result = client.transfers().comparison_result(&done.comparison_job).await?;
    /// println!("{} elements changed", result.changed_elements.elements.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn comparison_result(
        &self,
        job: &ComparisonJob,
    ) -> Result<ChangedElementsResult, Error> {
        let bytes = self.download_comparison(job)?.bytes().await?;
        crate::runtime::__private::decode_json("get-blob", StatusCode::OK, &bytes)
    }
}
