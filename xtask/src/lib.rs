//! Maintainer tasks, as a library so that the drift check also runs as an ordinary test.

pub mod bench;
pub mod changes;
pub mod corpus;
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
    outputs_with(root, false).map(|(outputs, _)| outputs)
}

/// The generated files, and the warnings about constructs the generator does not support
/// (errors instead, with `strict`).
pub fn outputs_with(root: &Path, strict: bool) -> generator::Result<(Outputs, Vec<String>)> {
    let generated = generator::layout::client_apis(&spec_dir(root), strict)?;
    let warnings = generated
        .warnings
        .iter()
        .map(|(file, w)| format!("warning: spec/{file}: at {}: {}", w.pointer, w.message))
        .collect();
    let outputs = vec![
        (apis_dir(root), generated.apis),
        (generated_tests_dir(root), generated.tests),
    ];
    Ok((outputs, warnings))
}

/// Generated files grouped by the directory they belong in.
pub type Outputs = Vec<(PathBuf, generator::layout::Files)>;
