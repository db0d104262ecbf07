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

/// Every operation names its evidence (spec/README.md): `x-source` with the portal page or the
/// client code that calls it, and for an operation of the API's catalogue, the page the
/// catalogue gives for its method and path (or, where the catalogue lists two slugs for one
/// route, one of them).
#[test]
fn every_operation_names_its_page_in_x_source() {
    let spec = spec_dir(&workspace_root());
    let manifest = Manifest::load(&spec.join("manifest.toml")).unwrap_or_else(|e| panic!("{e}"));
    let mut problems = Vec::new();
    for api in &manifest.apis {
        let text = std::fs::read_to_string(spec.join(&api.file)).unwrap();
        let definition: serde_json::Value = serde_json::from_str(&text).unwrap();
        let catalogue: toml::Value = match &api.catalogue {
            Some(path) => toml::from_str(&std::fs::read_to_string(spec.join(path)).unwrap())
                .unwrap_or_else(|e| panic!("{path}: {e}")),
            None => toml::Value::Table(Default::default()),
        };
        let base = url::Url::parse(&api.server)
            .unwrap()
            .path()
            .trim_end_matches('/')
            .to_owned();
        let pages_of = |method: &str, path: &str| -> Vec<String> {
            catalogue
                .get("operation")
                .and_then(|o| o.as_array())
                .into_iter()
                .flatten()
                .filter(|op| {
                    op["method"].as_str() == Some(method)
                        && op["path"].as_str() == Some(&format!("{base}{path}"))
                })
                .filter_map(|op| op["page"].as_str().map(str::to_owned))
                .collect()
        };
        for (path, item) in definition["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let Some(id) = operation.get("operationId").and_then(|v| v.as_str()) else {
                    continue;
                };
                let page = operation.pointer("/x-source/page").and_then(|v| v.as_str());
                let client = operation
                    .pointer("/x-source/client")
                    .and_then(|v| v.as_str());
                let catalogued = pages_of(&method.to_uppercase(), path);
                match page {
                    None if !catalogued.is_empty() || client.is_none() => problems.push(format!(
                        "{}: {id}: no x-source.page (catalogue: {catalogued:?})",
                        api.file.display()
                    )),
                    None => {}
                    Some(page)
                        if !catalogued.is_empty() && !catalogued.iter().any(|p| p == page) =>
                    {
                        problems.push(format!(
                            "{}: {id}: x-source.page {page} is not the catalogue's {catalogued:?}",
                            api.file.display()
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
