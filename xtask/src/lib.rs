//! Maintainer tasks, as a library so that the drift check also runs as an ordinary test.

pub mod bench;
pub mod changes;
pub mod corpus;
pub mod coverage;
pub mod drift;

use std::path::{Path, PathBuf};

use generator::Files;

/// The workspace root (the folder above `xtask/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set (relative to the workspace root if
/// relative), else `target/` of the workspace. Benchmarks leave their results there.
pub fn target_dir() -> PathBuf {
    let root = workspace_root();
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
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
pub fn outputs(root: &Path) -> generator::Result<Outputs> {
    outputs_with(root, false).map(|(outputs, _)| outputs)
}

/// The generated files, and the warnings about constructs the generator does not support
/// (errors instead, with `strict`).
pub fn outputs_with(root: &Path, strict: bool) -> generator::Result<(Outputs, Vec<String>)> {
    let manifest = spec_dir(root).join("manifest.toml");
    let generated = generator::generate(&generator::Settings {
        input: generator::Input::Manifest(&manifest),
        output: generator::Output::ClientCrate,
        strict,
    })?;
    let warnings = generated
        .warnings
        .iter()
        .map(|w| {
            let file = w.file.strip_prefix(root).unwrap_or(&w.file);
            format!(
                "warning: {}: at {}: {}",
                file.display(),
                w.pointer,
                w.message
            )
        })
        .collect();
    let mut apis = Files::new();
    let mut tests = fixture_clients(root)?;
    // The client crate's files are in one of its two folders, each of which holds only them.
    for (path, text) in generated.files {
        if let Ok(inside) = path.strip_prefix(generator::CLIENT_APIS) {
            apis.insert(inside.to_path_buf(), text);
        } else if let Ok(inside) = path.strip_prefix(generator::TEST_TABLES) {
            tests.insert(inside.to_path_buf(), text);
        } else {
            let message = "a file of the client crate outside its two folders";
            return Err(generator::Error::new(&path, "", message));
        }
    }
    let outputs = vec![(apis_dir(root), apis), (generated_tests_dir(root), tests)];
    Ok((outputs, warnings))
}

/// Fixtures whose generated client the end-to-end tests call (`tests/multipart.rs`), because no
/// API of spec/ has the construct: each a module of `tests/generated/`.
const FIXTURE_CLIENTS: &[(&str, &str)] = &[("multipart.yaml", "uploads")];

fn fixture_clients(root: &Path) -> generator::Result<Files> {
    let mut files = Files::new();
    for (fixture, module) in FIXTURE_CLIENTS {
        let relative = Path::new("tests/fixtures").join(fixture);
        let text = std::fs::read_to_string(root.join(&relative))
            .map_err(|e| generator::Error::new(&relative, "", e.to_string()))?;
        let api = generator::ApiSettings {
            module: Some((*module).to_owned()),
            ..Default::default()
        };
        let generated = generator::generate(&generator::Settings {
            input: generator::Input::Definition {
                file: &relative,
                text: Some(&text),
                api,
            },
            output: generator::Output::Modules,
            strict: false,
        })?;
        files.extend(generated.files);
    }
    Ok(files)
}

/// Generated files grouped by the directory they belong in.
pub type Outputs = Vec<(PathBuf, Files)>;
