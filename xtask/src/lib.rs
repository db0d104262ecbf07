//! Maintainer tasks, as a library so that the drift check also runs as an ordinary test.

pub mod bench;
pub mod coverage;
pub mod drift;

use std::path::{Path, PathBuf};

/// The workspace root (the folder above `xtask/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Where the generated API modules of the client crate live.
pub fn apis_dir(root: &Path) -> PathBuf {
    root.join("generated-client/src/apis")
}

pub fn spec_dir(root: &Path) -> PathBuf {
    root.join("spec")
}

/// Where the generated table of example sites for the conformance test lives.
pub fn generated_tests_dir(root: &Path) -> PathBuf {
    root.join("tests/generated")
}

/// Every generated file of the workspace, grouped by the directory it belongs in: each such
/// directory holds exactly these files.
pub fn outputs(root: &Path) -> generator::Result<Vec<(PathBuf, generator::layout::Files)>> {
    let generated = generator::layout::client_apis(&spec_dir(root))?;
    Ok(vec![
        (apis_dir(root), generated.apis),
        (generated_tests_dir(root), generated.tests),
    ])
}
