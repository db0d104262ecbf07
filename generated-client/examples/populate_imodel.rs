//! Populates an iModel from a local design file and exports it as a mesh, end to end: upload the
//! file to Storage (streamed from disk, in blocks), connect it to the iModel with a storage
//! connection (Synchronization), run the connection and wait for the run's result, start a mesh
//! export of the iModel, wait for it, and download every file of the result.
//!
//! ```sh
//! ITWIN_CLIENT_ID=... ITWIN_CLIENT_SECRET=... \
//!   cargo run -p itwin-platform --example populate_imodel -- site.dgn <storage folder id> <iModel id> [MSTN] [mesh-out]
//! ```
//!
//! The arguments may come from the environment instead: `POPULATE_FILE`, `POPULATE_FOLDER_ID`,
//! `POPULATE_IMODEL_ID`, `POPULATE_CONNECTOR` (by default from the file's extension) and
//! `POPULATE_OUT` (by default `mesh`). The client is configured from the usual `ITWIN_*`
//! variables (`Client::from_env`: a token or a service application's id and secret, an
//! environment or a base URL).
//!
//! The same `populate` runs in the test suite against the SDK's mock platform and a local blob
//! server (`tests/it/transfers/workflow.rs`, which includes this file).

use std::path::{Path, PathBuf};
use std::time::Duration;

use itwin_platform::mesh_export::models::{Export, ExportType, StartExport};
use itwin_platform::runtime::UploadBody;
use itwin_platform::storage::models::{File, FileCreate};
use itwin_platform::synchronization::models::{
    ConnectorType, ExecutionResult, StorageConnectionCreate, StorageFileCreate, StorageRun,
};
use itwin_platform::Client;

/// What to populate, and how.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The design file to upload.
    pub file: PathBuf,
    /// The Storage folder it goes into.
    pub folder_id: String,
    /// The iModel it populates.
    pub imodel_id: String,
    /// The connector that reads it.
    pub connector: ConnectorType,
    /// Where the mesh's files go.
    pub out_dir: PathBuf,
    /// The size of the upload's blocks.
    pub block_size: u64,
    /// The first wait between polls of the run and of the export.
    pub poll_interval: Duration,
    /// How long to wait for each of them at most.
    pub max_wait: Duration,
}

/// What `populate` did.
#[derive(Debug)]
pub struct Populated {
    /// The file in Storage.
    pub file: File,
    /// The storage connection made for it.
    pub connection_id: String,
    /// The run, once completed.
    pub run: StorageRun,
    /// The export, once complete.
    pub export: Export,
    /// The mesh's files, as written.
    pub mesh_files: Vec<PathBuf>,
}

/// Runs the workflow with `client`.
pub async fn populate(
    client: &Client,
    settings: &Settings,
) -> Result<Populated, Box<dyn std::error::Error + Send + Sync>> {
    // 1. The file into Storage: Create file, the content PUT to the pre-signed link in blocks
    //    (without the platform token), Complete file upload.
    let name = file_name(&settings.file);
    let file = client
        .transfers()
        .upload_storage_file(
            &settings.folder_id,
            FileCreate::new(name),
            UploadBody::path(&settings.file),
        )
        .block_size(settings.block_size)
        .on_progress(|p| eprintln!("uploaded {} of {:?} bytes", p.done, p.total))
        .send()
        .await?;
    eprintln!("file {} is in Storage", file.id);

    // 2. A storage connection from the file to the iModel.
    let source = StorageFileCreate::new(&file.id, settings.connector.clone());
    let connection = client
        .synchronization()
        .create_storage_connection(StorageConnectionCreate::new(
            &settings.imodel_id,
            vec![source],
        ))
        .send()
        .await?
        .connection;
    eprintln!("storage connection {}", connection.id);

    // 3. A run of it, waited for until its state is Completed; its result says how it went.
    let run = itwin_platform::jobs::start_storage_connection_run(client, &connection.id).await?;
    eprintln!("run {} started", run.run.id);
    let run = run
        .wait(client)
        .interval(settings.poll_interval)
        .max_wait(settings.max_wait)
        .await?
        .run;
    if run.result != Some(ExecutionResult::Success) {
        return Err(format!(
            "the run {} ended with {:?}: {:?}",
            run.id, run.result, run.error
        )
        .into());
    }
    eprintln!("run {} succeeded", run.id);

    // 4. A mesh export of the iModel, waited for until Complete.
    let started = client
        .mesh_export()
        .start_export(StartExport::new(&settings.imodel_id, ExportType::V3dTiles))
        .send()
        .await?;
    eprintln!("export {} started", started.export.id);
    let export = started
        .wait(client)
        .interval(settings.poll_interval)
        .max_wait(settings.max_wait)
        .await?
        .export;

    // 5. Every file of the export's container (pre-signed, without the platform token).
    let mesh_files = client
        .transfers()
        .mesh_export(&export)?
        .download_all(&settings.out_dir)
        .await?;
    eprintln!(
        "{} mesh files in {}",
        mesh_files.len(),
        settings.out_dir.display()
    );
    Ok(Populated {
        file,
        connection_id: connection.id,
        run,
        export,
        mesh_files,
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| "design".to_owned(), |n| n.to_string_lossy().into_owned())
}

/// The connector for a file, by its extension.
pub fn connector_for(path: &Path) -> ConnectorType {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "dwg" | "dxf" => ConnectorType::Dwg,
        "ifc" => ConnectorType::Ifc,
        "rvt" => ConnectorType::Revit,
        "nwd" | "nwc" => ConnectorType::Nwd,
        _ => ConnectorType::Mstn,
    }
}

/// The `index`-th argument, or the variable `name`.
fn argument(index: usize, name: &str) -> Option<String> {
    std::env::args()
        .nth(index)
        .or_else(|| std::env::var(name).ok())
        .filter(|v| !v.is_empty())
}

fn required(index: usize, name: &str) -> String {
    argument(index, name).unwrap_or_else(|| {
        eprintln!("usage: populate_imodel <file> <storage folder id> <iModel id> [connector] [output dir] (or set {name})");
        std::process::exit(2)
    })
}

#[tokio::main]
async fn main() {
    let file = PathBuf::from(required(1, "POPULATE_FILE"));
    let connector = match argument(4, "POPULATE_CONNECTOR") {
        Some(name) => ConnectorType::from(name),
        None => connector_for(&file),
    };
    let settings = Settings {
        folder_id: required(2, "POPULATE_FOLDER_ID"),
        imodel_id: required(3, "POPULATE_IMODEL_ID"),
        connector,
        out_dir: PathBuf::from(argument(5, "POPULATE_OUT").unwrap_or_else(|| "mesh".to_owned())),
        block_size: 8 * 1024 * 1024,
        poll_interval: Duration::from_secs(5),
        max_wait: Duration::from_secs(2 * 60 * 60),
        file,
    };
    let client = Client::from_env().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    match populate(&client, &settings).await {
        Ok(done) => println!(
            "iModel {} populated from {} (run {}); mesh of export {} in {}",
            settings.imodel_id,
            done.file.id,
            done.run.id,
            done.export.id,
            settings.out_dir.display()
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1)
        }
    }
}
