//! Each definition in spec/ passes an independent validator, openapi-spec-validator (PyPI),
//! installed on first use into a virtual environment under target/ from tests/requirements.txt.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use generator::Manifest;
use xtask::{spec_dir, workspace_root};

use crate::support::DirectoryLock;

/// The virtual environment's python, created or updated when tests/requirements.txt changes.
fn python_with_validator() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(install_validator)
}

fn install_validator() -> PathBuf {
    let root = workspace_root();
    let requirements = root.join("tests/requirements.txt");
    let venv = root.join("target/python-tools");
    let python = venv.join("bin/python");
    let stamp = venv.join("installed-requirements.txt");
    // Another process of this test binary may be installing the same environment.
    let _lock = DirectoryLock::acquire("python-tools");
    let wanted = std::fs::read_to_string(&requirements).expect("tests/requirements.txt exists");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) && python.exists() {
        return python;
    }
    run(
        Command::new("python3").args(["-m", "venv"]).arg(&venv),
        "create a Python virtual environment",
    );
    run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&requirements),
        "install tests/requirements.txt",
    );
    std::fs::write(&stamp, wanted).expect("stamp can be written");
    python
}

fn run(command: &mut Command, what: &str) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot {what}: {e}"));
    assert!(
        output.status.success(),
        "cannot {what}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn validate(python: &Path, definition: &Path) -> Output {
    Command::new(python)
        .args(["-m", "openapi_spec_validator"])
        .arg(definition)
        .output()
        .expect("the validator runs")
}

#[test]
fn every_definition_passes_openapi_spec_validator() {
    let python = python_with_validator();
    let spec = spec_dir(&workspace_root());
    let manifest = Manifest::load(&spec.join("manifest.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert!(!manifest.apis.is_empty());
    for api in &manifest.apis {
        let output = validate(python, &spec.join(&api.file));
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.trim_end().ends_with("OK"),
            "{} fails validation:\n{stdout}{}",
            api.file.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn the_validator_rejects_a_broken_definition() {
    let python = python_with_validator();
    let broken = workspace_root().join("tests/fixtures/invalid/undeclared_path_param.yaml");
    let output = validate(python, &broken);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{stdout}");
    assert!(
        stdout.contains("thingId"),
        "the validator should name the unresolved parameter: {stdout}"
    );
}
