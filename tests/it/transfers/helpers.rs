//! The SDK's typed transfer helpers against the mock platform (typed mocks of the calls) and the
//! tests' blob server (the links those calls answer with): the platform calls they make, with
//! the token, and the blob requests, without it; the bytes stored and received.

use itwin_platform::changed_elements::models::ComparisonJob;
use itwin_platform::imodels::models::{
    BaselineFileResponse, Changeset, Checkpoint, IModelCreate, IModelResponse,
};
use itwin_platform::mock::{MockServer, TEST_TOKEN};
use itwin_platform::runtime::{Error, TransferErrorKind, UploadBody};
use itwin_platform::storage::models::{
    File, FileCreate, FileResponse, FileUploadResponse, Link, PresignedLink, UploadLinks,
};
use serde_json::json;
use wiremock::ResponseTemplate;

use super::blob_server::{BlobServer, Logged};
use crate::support::scratch_dir;

const KIB: usize = 1024;

fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| ((i * 7 + i / 997) % 253) as u8).collect()
}

fn assert_no_authorization(requests: &[Logged]) {
    assert!(!requests.is_empty());
    for request in requests {
        assert_eq!(request.header("authorization"), None, "{request:?}");
    }
}

#[tokio::test]
async fn a_storage_file_is_created_uploaded_in_blocks_and_completed() {
    let platform = MockServer::start().await;
    let blobs = BlobServer::start().await;
    let links = UploadLinks::new(
        PresignedLink::new(blobs.url("storage/f1")),
        Link::new("https://api.bentley.com/storage/files/f1/complete"),
    );
    let create = platform
        .storage()
        .create_file()
        .folder_id("folder-1")
        .respond(FileUploadResponse::new(links))
        .times(1)
        .mount()
        .await;
    let mut completed = File::new("f1");
    completed.size = Some(1536 * KIB as i64);
    let complete = platform
        .storage()
        .complete_file_creation()
        .file_id("f1")
        .respond(FileResponse::new(completed))
        .times(1)
        .mount()
        .await;

    let dir = scratch_dir();
    let path = dir.path().join("site.dgn");
    let bytes = content(1536 * KIB);
    std::fs::write(&path, &bytes).unwrap();
    let file = platform
        .client()
        .transfers()
        .upload_storage_file(
            "folder-1",
            FileCreate::new("site.dgn"),
            UploadBody::path(&path),
        )
        .block_size(512 * KIB as u64)
        .send()
        .await
        .unwrap();
    assert_eq!(file.id, "f1");
    assert_eq!(blobs.blob("storage/f1").unwrap(), bytes);
    let requests = blobs.requests();
    assert_no_authorization(&requests);
    assert_eq!(
        requests
            .iter()
            .filter(|r| r.comp() == Some("block"))
            .count(),
        3
    );

    let sent = create.received().await;
    assert_eq!(
        sent[0].body.as_ref().map(|b| b.display_name.as_str()),
        Some("site.dgn")
    );
    let bearer = format!("Bearer {TEST_TOKEN}");
    assert_eq!(
        sent[0].headers.get("authorization").unwrap(),
        bearer.as_str(),
        "the platform gets the token"
    );
    assert_eq!(complete.received().await.len(), 1);
}

#[tokio::test]
async fn a_storage_download_reads_the_redirect_and_follows_it_without_the_token() {
    let platform = MockServer::start().await;
    let blobs = BlobServer::start().await;
    let bytes = content(700 * KIB);
    blobs.put("storage/f2", bytes.clone());
    blobs.drop_next_download_after(100 * KIB as u64);
    platform
        .storage()
        .download_file()
        .file_id("f2")
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", blobs.url("storage/f2").as_str()),
        )
        .times(2)
        .mount()
        .await;
    let transfers = platform.client().transfers();
    let link = transfers.download_storage_file("f2").link().await.unwrap();
    assert_eq!(link.as_str(), blobs.url("storage/f2"));
    let mut written = Vec::new();
    let downloaded = transfers
        .download_storage_file("f2")
        .to_writer(&mut written)
        .await
        .unwrap();
    assert_eq!(written, bytes);
    assert_eq!(downloaded.resumed, 1, "the dropped connection was resumed");
    assert_no_authorization(&blobs.requests());
}

#[tokio::test]
async fn a_storage_download_that_is_not_a_redirect_is_an_error() {
    let platform = MockServer::start().await;
    platform
        .storage()
        .download_file()
        .file_id("f3")
        .respond_with(ResponseTemplate::new(200))
        .mount()
        .await;
    let error = platform
        .client()
        .transfers()
        .download_storage_file("f3")
        .to_path("never-written")
        .await
        .unwrap_err();
    let Error::Transfer(transfer) = &error else {
        panic!("{error:?}")
    };
    assert!(
        matches!(transfer.kind(), TransferErrorKind::MissingLink { .. }),
        "{error}"
    );
    assert!(!std::path::Path::new("never-written").exists());
}

#[tokio::test]
async fn an_imodel_is_created_from_a_baseline_uploaded_to_its_link() {
    let platform = MockServer::start().await;
    let blobs = BlobServer::start().await;
    let created: IModelResponse = serde_json::from_value(json!({
        "iModel": {
            "id": "im-1", "displayName": "Bridge", "name": "Bridge", "description": null,
            "state": "notInitialized", "createdDateTime": "2026-11-20T10:00:00Z",
            "iTwinId": "tw-1", "extent": null,
            "_links": {
                "upload": { "href": blobs.url("baselines/im-1.bim"), "storageType": "azure" },
                "complete": { "href": "https://api.bentley.com/imodels/im-1/baselinefile" }
            }
        }
    }))
    .unwrap();
    let create = platform
        .imodels()
        .create_imodel()
        .respond(created)
        .times(1)
        .mount()
        .await;
    let baseline: BaselineFileResponse = serde_json::from_value(json!({
        "baselineFile": { "id": "b-1", "displayName": "bridge.bim", "fileSize": 300 * KIB, "state": "waitingForFile", "_links": {} }
    }))
    .unwrap();
    let complete = platform
        .imodels()
        .complete_imodel_baseline_file_upload()
        .id("im-1")
        .respond(baseline)
        .times(1)
        .mount()
        .await;
    let bytes = content(300 * KIB);
    let answer = platform
        .client()
        .transfers()
        .create_imodel_from_baseline(IModelCreate::new("tw-1", "Bridge"), bytes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.imodel.id, "im-1");
    assert_eq!(blobs.blob("baselines/im-1.bim").unwrap(), bytes);
    assert_no_authorization(&blobs.requests());
    let sent = create.received().await;
    let body = serde_json::from_slice::<serde_json::Value>(&sent[0].raw_body).unwrap();
    assert_eq!(body["creationMode"], "fromBaseline");
    assert_eq!(body["baselineFile"]["size"], 300 * KIB);
    assert_eq!(complete.received().await.len(), 1);

    // A stream of unknown length cannot say its size first.
    let chunks = futures::stream::iter([Ok::<_, std::io::Error>(
        itwin_platform::runtime::Bytes::from_static(b"x"),
    )]);
    let error = platform
        .client()
        .transfers()
        .create_imodel_from_baseline(
            IModelCreate::new("tw-1", "Other"),
            UploadBody::stream(chunks, None),
        )
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
}

#[tokio::test]
async fn checkpoints_and_changesets_download_from_their_links() {
    let platform = MockServer::start().await;
    let blobs = BlobServer::start().await;
    let checkpoint_bytes = content(400 * KIB);
    let changeset_bytes = content(3 * KIB);
    blobs.put("checkpoints/cp-12.bim", checkpoint_bytes.clone());
    blobs.put("changesets/cs-12.cs", changeset_bytes.clone());
    let checkpoint: Checkpoint = serde_json::from_value(json!({
        "changesetId": "cs-12", "changesetIndex": 12, "state": "successful",
        "_links": { "download": { "href": blobs.url("checkpoints/cp-12.bim"), "storageType": "azure" } }
    }))
    .unwrap();
    let changeset: Changeset = serde_json::from_value(json!({
        "id": "cs-12", "displayName": "12", "description": "", "index": 12, "parentId": "cs-11",
        "creatorId": "u", "pushDateTime": "2026-11-20T10:00:00Z", "state": "fileUploaded",
        "containingChanges": 0, "fileSize": 3072, "briefcaseId": 2, "groupId": null,
        "synchronizationInfo": null, "application": null,
        "_links": { "download": { "href": blobs.url("changesets/cs-12.cs") } }
    }))
    .unwrap();
    let transfers = platform.client().transfers();
    let dir = scratch_dir();
    let target = dir.path().join("cp-12.bim");
    transfers
        .download_checkpoint(&checkpoint)
        .unwrap()
        .to_path(&target)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), checkpoint_bytes);
    let changeset_file = transfers
        .download_changeset(&changeset)
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(changeset_file.as_ref(), changeset_bytes.as_slice());
    assert_no_authorization(&blobs.requests());

    let not_ready: Checkpoint = serde_json::from_value(json!({
        "changesetId": "cs-13", "changesetIndex": 13, "state": "scheduled", "_links": { "download": null }
    }))
    .unwrap();
    let error = transfers.download_checkpoint(&not_ready).unwrap_err();
    assert!(error.to_string().contains("_links.download"), "{error}");
}

#[tokio::test]
async fn a_comparison_result_is_read_and_decoded() {
    let platform = MockServer::start().await;
    let blobs = BlobServer::start().await;
    let document = json!({
        "changedElements": {
            "elements": ["0x20000000001", "0x20000000002"],
            "classIds": ["0x1a", "0x1b"],
            "opcodes": [23, 18],
            "type": [1, 2]
        }
    });
    blobs.put(
        "comparisons/job-1.json",
        serde_json::to_vec(&document).unwrap(),
    );
    let job: ComparisonJob = serde_json::from_value(json!({
        "status": "Completed", "jobId": "a-b", "iTwinId": "tw-1", "iModelId": "im-1",
        "comparison": { "href": blobs.url("comparisons/job-1.json") }
    }))
    .unwrap();
    let result = platform
        .client()
        .transfers()
        .comparison_result(&job)
        .await
        .unwrap();
    assert_eq!(
        result.changed_elements.elements,
        ["0x20000000001", "0x20000000002"]
    );
    assert_eq!(result.changed_elements.opcodes, [23, 18]);
    assert_no_authorization(&blobs.requests());
}

#[tokio::test]
async fn a_run_already_active_is_found_through_the_303_without_following_it() {
    let platform = MockServer::start().await;
    platform
        .synchronization()
        .run_storage_connection()
        .connection_id("c-1")
        .respond_with(
            ResponseTemplate::new(303).insert_header(
                "location",
                format!(
                    "{}/synchronization/imodels/storageconnections/c-1/runs/r-7",
                    platform.uri()
                )
                .as_str(),
            ),
        )
        .times(1)
        .mount()
        .await;
    let run = platform
        .synchronization()
        .get_storage_connection_run()
        .connection_id("c-1")
        .run_id("r-7")
        .respond_json(
            200,
            &json!({ "run": { "id": "r-7", "connectionId": "c-1", "state": "Executing" } }),
        )
        .times(1)
        .mount()
        .await;
    let client = platform.client();
    let started = itwin_platform::jobs::start_storage_connection_run(&client, "c-1")
        .await
        .unwrap();
    assert_eq!(started.run.id, "r-7");
    assert_eq!(
        run.received().await.len(),
        1,
        "read once, as the redirect named it"
    );
}

/// Every transfer's future can be spawned on a multi-threaded runtime.
#[test]
fn transfer_futures_are_send() {
    fn send<T: Send>(_: &T) {}
    let client = itwin_platform::Client::builder()
        .access_token("t")
        .build()
        .unwrap();
    let url = "https://account.blob.core.windows.net/c/b?sig=s";
    let mut writer = Vec::new();
    send(&client.upload_presigned(url, UploadBody::path("x")).send());
    send(&client.download_presigned(url).to_path("x"));
    send(&client.download_presigned(url).to_writer(&mut writer));
    send(&client.download_presigned(url).bytes());
    send(&client.list_presigned_container(url));
    let transfers = client.transfers();
    send(
        &transfers
            .upload_storage_file("f", FileCreate::new("x"), UploadBody::path("x"))
            .send(),
    );
    send(&transfers.download_storage_file("f").to_path("x"));
    send(
        &transfers
            .create_imodel_from_baseline(IModelCreate::new("t", "m"), UploadBody::path("x"))
            .send(),
    );
    let job: ComparisonJob = serde_json::from_value(
        json!({ "status": "Completed", "jobId": "j", "iTwinId": "t", "iModelId": "m" }),
    )
    .unwrap();
    send(&transfers.comparison_result(&job));
    let export: itwin_platform::mesh_export::models::Export = serde_json::from_value(
        json!({ "id": "e", "status": "Complete", "_links": { "mesh": { "href": url } } }),
    )
    .unwrap();
    let files = transfers.mesh_export(&export).unwrap();
    send(&files.download_all("x"));
    send(&itwin_platform::jobs::start_storage_connection_run(
        &client, "c",
    ));
}

#[tokio::test]
async fn without_a_location_the_run_is_the_connection_s_last_run() {
    let platform = MockServer::start().await;
    platform
        .synchronization()
        .run_storage_connection()
        .connection_id("c-2")
        .respond_with(ResponseTemplate::new(202))
        .mount()
        .await;
    platform
        .synchronization()
        .get_storage_connection()
        .connection_id("c-2")
        .respond_json(
            200,
            &json!({ "connection": { "id": "c-2", "_links": { "lastRun": {
                "href": "https://api.bentley.com/synchronization/imodels/storageconnections/c-2/runs/r-3"
            } } } }),
        )
        .mount()
        .await;
    platform
        .synchronization()
        .get_storage_connection_run()
        .connection_id("c-2")
        .run_id("r-3")
        .respond_json(
            200,
            &json!({ "run": { "id": "r-3", "connectionId": "c-2", "state": "Queued" } }),
        )
        .mount()
        .await;
    let client = platform.client();
    let run = itwin_platform::jobs::start_storage_connection_run(&client, "c-2")
        .await
        .unwrap();
    assert_eq!(run.run.id, "r-3");

    // Neither a Location nor a last run: the waiter's argument is missing.
    platform
        .synchronization()
        .run_storage_connection()
        .connection_id("c-3")
        .respond_with(ResponseTemplate::new(202))
        .mount()
        .await;
    platform
        .synchronization()
        .get_storage_connection()
        .connection_id("c-3")
        .respond_json(200, &json!({ "connection": { "id": "c-3" } }))
        .mount()
        .await;
    let error = itwin_platform::jobs::start_storage_connection_run(&client, "c-3")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Wait(wait) if matches!(wait.kind, itwin_platform::runtime::WaitErrorKind::MissingArgument { .. })),
        "{error:?}"
    );
}
