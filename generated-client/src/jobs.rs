//! Starting jobs whose start answer the generated waiters cannot read (hand-written).
//!
//! Create StorageConnection Run answers `202 Accepted` with no body, or `303 See Other` when a
//! run is already active for the iModel; either way only its `Location` names the run. The
//! generated waiter of a run starts from a Get StorageConnection Run answer, so these helpers
//! start the run, find its id, and read the run once: `.wait(&client)` on what they give polls
//! it to its end.

use crate::runtime::{Error, WaitError, WaitErrorKind};
use crate::synchronization::models::{ManifestRunCreate, ManifestRunResponse, StorageRunResponse};
use crate::synchronization::SynchronizationClient;
use crate::transfers::last_segment;

/// Starts a run of a storage connection (or finds the one already active) and gives its first
/// read, whose [`wait`](StorageRunResponse::wait) polls until its state is `Completed`; its
/// `result` then says how it ended.
///
/// The run id is the last segment of the answer's `Location` (the generated operation returns
/// a 303 as its answer rather than following it); without one, of `_links.lastRun` of Get StorageConnection (what Bentley's
/// `itwin-cli` reads). Neither: an [`Error::Wait`] of kind
/// [`MissingArgument`](WaitErrorKind::MissingArgument).
///
/// ```no_run
/// # async fn run(client: itwin_platform::Client) -> Result<(), itwin_platform::Error> {
/// use itwin_platform::synchronization::models::ExecutionResult;
///
/// let run = itwin_platform::jobs::start_storage_connection_run(&client, "0bXe8MnUlECQHkRn2fSg9Q").await?;
/// let done = run.wait(&client).await?;
/// assert_eq!(done.run.result, Some(ExecutionResult::Success));
/// # Ok(())
/// # }
/// ```
pub async fn start_storage_connection_run(
    client: &crate::runtime::Client,
    connection_id: &str,
) -> Result<StorageRunResponse, Error> {
    let api = SynchronizationClient::new(client.clone());
    let started = api
        .run_storage_connection(connection_id)
        .send_with_response()
        .await?;
    let run_id = match started.location().and_then(last_segment) {
        Some(run_id) => run_id.to_owned(),
        None => {
            let connection = api.get_storage_connection(connection_id).send().await?;
            let last_run = connection
                .connection
                .links
                .and_then(|links| links.last_run)
                .and_then(|link| link.href);
            last_run
                .as_deref()
                .and_then(last_segment)
                .map(str::to_owned)
                .ok_or_else(|| {
                    missing(
                        "get-storage-connection-run",
                        "/connection/_links/lastRun/href",
                    )
                })?
        }
    };
    api.get_storage_connection_run(connection_id, run_id)
        .send()
        .await
}

/// As [`start_storage_connection_run`], for a manifest connection: Create ManifestConnection
/// Run with `run` (the files to synchronize); the run id from `Location`, else from
/// `_links.lastRun` of Get ManifestConnection.
pub async fn start_manifest_connection_run(
    client: &crate::runtime::Client,
    connection_id: &str,
    run: ManifestRunCreate,
) -> Result<ManifestRunResponse, Error> {
    let api = SynchronizationClient::new(client.clone());
    let started = api
        .create_manifest_connection_run(connection_id, run)
        .send_with_response()
        .await?;
    let run_id = match started.location().and_then(last_segment) {
        Some(run_id) => run_id.to_owned(),
        None => {
            let connection = api.get_manifest_connection(connection_id).send().await?;
            connection
                .connection
                .links
                .and_then(|links| links.last_run)
                .and_then(|link| link.href)
                .as_deref()
                .and_then(last_segment)
                .map(str::to_owned)
                .ok_or_else(|| {
                    missing(
                        "get-manifest-connection-run",
                        "/connection/_links/lastRun/href",
                    )
                })?
        }
    };
    api.get_manifest_connection_run(connection_id, run_id)
        .send()
        .await
}

fn missing(operation: &'static str, pointer: &'static str) -> Error {
    Error::Wait(Box::new(WaitError::new(
        operation,
        WaitErrorKind::MissingArgument { pointer },
        None,
    )))
}
