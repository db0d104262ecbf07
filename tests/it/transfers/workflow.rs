//! The populate-an-iModel workflow end to end: `generated-client/examples/populate_imodel.rs`
//! (included here, so that the example is what is tested) against the SDK's mock platform,
//! whose answers hand out pre-signed links of the tests' blob server. The design file is larger
//! than one block, so the block upload is exercised; the blob server refuses any request with
//! an `Authorization` header and the test checks every byte it stored and served.

use std::time::Duration;

use itwin_platform::mesh_export::models::ExportResponse;
use itwin_platform::mock::MockServer;
use itwin_platform::storage::models::{
    File, FileResponse, FileUploadResponse, Link, PresignedLink, UploadLinks,
};
use itwin_platform::synchronization::models::{ConnectorType, StorageConnectionResponse};
use serde_json::json;
use wiremock::ResponseTemplate;

use super::blob_server::BlobServer;
use crate::support::scratch_dir;

#[allow(
    dead_code,
    reason = "the example's `main` and argument parsing are not called here"
)]
#[path = "../../../generated-client/examples/populate_imodel.rs"]
mod populate_imodel;

const KIB: usize = 1024;
const FOLDER: &str = "folder-7";
const IMODEL: &str = "5e19bee0-3aea-4355-a9f0-c6df9989ee7d";

fn content(len: usize, seed: usize) -> Vec<u8> {
    (0..len)
        .map(|i| ((i * 13 + seed + i / 509) % 249) as u8)
        .collect()
}

#[tokio::test]
async fn a_design_file_becomes_an_imodel_and_its_mesh_is_downloaded() {
    let platform = MockServer::start().await;
    let blobs = BlobServer::start().await;

    // Storage: the file's links point at the blob server; completion gives the file.
    let links = UploadLinks::new(
        PresignedLink::new(blobs.url("storage/file-1")),
        Link::new("https://api.bentley.com/storage/files/file-1/complete"),
    );
    let create_file = platform
        .storage()
        .create_file()
        .folder_id(FOLDER)
        .respond(FileUploadResponse::new(links))
        .times(1)
        .mount()
        .await;
    platform
        .storage()
        .complete_file_creation()
        .file_id("file-1")
        .respond(FileResponse::new(File::new("file-1")))
        .times(1)
        .mount()
        .await;

    // Synchronization: a connection, a run started with 202 and Location, polled until
    // Completed.
    let connection: StorageConnectionResponse = serde_json::from_value(json!({
        "connection": { "id": "conn-1", "displayName": "site.dgn", "iModelId": IMODEL, "authenticationType": "Service" }
    }))
    .unwrap();
    let create_connection = platform
        .synchronization()
        .create_storage_connection()
        .respond(connection)
        .times(1)
        .mount()
        .await;
    let run_location = format!(
        "{}/synchronization/imodels/storageconnections/conn-1/runs/run-1",
        platform.uri()
    );
    platform
        .synchronization()
        .run_storage_connection()
        .connection_id("conn-1")
        .respond_with(ResponseTemplate::new(202).insert_header("location", run_location.as_str()))
        .times(1)
        .mount()
        .await;
    let run = |state: &str, result: &str| json!({ "run": { "id": "run-1", "connectionId": "conn-1", "state": state, "result": result } });
    let polls = platform
        .synchronization()
        .get_storage_connection_run()
        .connection_id("conn-1")
        .run_id("run-1")
        .respond_json(200, &run("NotStarted", "Undetermined"))
        .respond_json(200, &run("Executing", "Undetermined"))
        .respond_json(200, &run("Completed", "Success"))
        .mount()
        .await;

    // Mesh Export: started, polled until Complete, with the blob server's container.
    let export = |status: &str, mesh: Option<String>| -> ExportResponse {
        let links = mesh.map(|href| json!({ "mesh": { "href": href } }));
        serde_json::from_value(
            json!({ "export": { "id": "export-1", "status": status, "_links": links } }),
        )
        .unwrap()
    };
    let start = platform
        .mesh_export()
        .start_export()
        .respond(export("NotStarted", None))
        .times(1)
        .mount()
        .await;
    let export_polls = platform
        .mesh_export()
        .get_export()
        .id("export-1")
        .respond(export("InProgress", None))
        .respond(export("Complete", Some(blobs.url("exports/export-1"))))
        .mount()
        .await;
    let mesh = [
        (
            "tileset.json",
            br#"{"asset":{"version":"1.1"},"root":{"content":{"uri":"tiles/0.glb"}}}"#.to_vec(),
        ),
        ("tiles/0.glb", content(300 * KIB, 1)),
        ("tiles/1.glb", content(5 * KIB, 2)),
    ];
    for (name, bytes) in &mesh {
        blobs.put(&format!("exports/export-1/{name}"), bytes.clone());
    }
    blobs.put("exports/another-export/tileset.json", b"{}".to_vec());

    // A design file of 2.5 blocks of 512 KiB.
    let dir = scratch_dir();
    let design = dir.path().join("site.dgn");
    let design_bytes = content(1280 * KIB, 0);
    std::fs::write(&design, &design_bytes).unwrap();
    let settings = populate_imodel::Settings {
        file: design.clone(),
        folder_id: FOLDER.to_owned(),
        imodel_id: IMODEL.to_owned(),
        connector: populate_imodel::connector_for(&design),
        out_dir: dir.path().join("mesh"),
        block_size: 512 * KIB as u64,
        poll_interval: Duration::from_millis(5),
        max_wait: Duration::from_secs(30),
    };
    let done = populate_imodel::populate(&platform.client(), &settings)
        .await
        .unwrap();

    // What the workflow did.
    assert_eq!(done.file.id, "file-1");
    assert_eq!(done.connection_id, "conn-1");
    assert_eq!(done.run.id, "run-1");
    assert_eq!(done.export.id, "export-1");
    assert_eq!(polls.received().await.len(), 3, "polled until Completed");
    assert_eq!(
        export_polls.received().await.len(),
        2,
        "polled until Complete"
    );

    // What the platform received.
    let file = create_file.received().await;
    assert_eq!(file[0].body.as_ref().unwrap().display_name, "site.dgn");
    let sent = create_connection.received().await;
    let sent = serde_json::from_slice::<serde_json::Value>(&sent[0].raw_body).unwrap();
    assert_eq!(sent["iModelId"], IMODEL);
    assert_eq!(sent["sourceFiles"][0]["storageFileId"], "file-1");
    assert_eq!(sent["sourceFiles"][0]["connectorType"], "MSTN");
    assert_eq!(settings.connector, ConnectorType::Mstn);
    let started = start.received().await;
    let started = serde_json::from_slice::<serde_json::Value>(&started[0].raw_body).unwrap();
    assert_eq!(
        (started["iModelId"].as_str(), started["exportType"].as_str()),
        (Some(IMODEL), Some("3DTiles"))
    );

    // What the blob server stored and served: every byte, and never a token.
    assert_eq!(
        blobs.blob("storage/file-1").unwrap(),
        design_bytes,
        "the design file arrived whole"
    );
    let requests = blobs.requests();
    assert!(requests
        .iter()
        .all(|r| r.header("authorization").is_none() && r.status != 401));
    let blocks: Vec<_> = requests
        .iter()
        .filter(|r| r.comp() == Some("block"))
        .collect();
    assert_eq!(blocks.len(), 3, "the upload went in blocks");
    assert!(requests.iter().any(|r| r.comp() == Some("blocklist")));
    let mut written: Vec<String> = done
        .mesh_files
        .iter()
        .map(|p| {
            p.strip_prefix(&settings.out_dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    written.sort();
    assert_eq!(written, ["tiles/0.glb", "tiles/1.glb", "tileset.json"]);
    for (name, bytes) in &mesh {
        assert_eq!(
            &std::fs::read(settings.out_dir.join(name)).unwrap(),
            bytes,
            "{name}"
        );
    }
}
