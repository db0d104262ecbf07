//! The pipeline, and where its files go: load → build → emit → files, for the API modules of
//! the client crate or for a standalone crate. Nothing here reads a definition or writes a
//! token: each step is its module's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::build::{build, ApiSettings};
use crate::diagnostics::{Diagnostics, Error, Problem, Result};
use crate::emit;
pub use crate::emit::feature_name;
use crate::emit::standalone;
use crate::load::load;
use crate::manifest::Manifest;
use crate::model::Api;

/// Generated files by path relative to the directory they belong in, with their contents.
pub type Files = BTreeMap<PathBuf, String>;

/// What `cargo xtask regen` writes for the APIs of `spec/manifest.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The files of `generated-client/src/apis/`.
    pub apis: Files,
    /// The files of `tests/generated/`: the tables the conformance tests walk (example sites,
    /// and a call of every operation).
    pub tests: Files,
    /// Unsupported constructs met, with the definition they are in.
    pub warnings: Vec<(String, Problem)>,
}

/// The generated files for every API in `spec_dir/manifest.toml`; with `strict`, unsupported
/// constructs are errors.
pub fn client_apis(spec_dir: &Path, strict: bool) -> Result<Generated> {
    let manifest_path = spec_dir.join("manifest.toml");
    let manifest = Manifest::load(&manifest_path)?;
    let mut files = Files::new();
    let mut apis = Vec::new();
    let mut definitions = Vec::new();
    for (i, entry) in manifest.apis.iter().enumerate() {
        let definition = load(&spec_dir.join(&entry.file))?;
        manifest.check_replaced_schemas(&manifest_path, i, &definition)?;
        entry.check_server(&definition.document, &manifest_path, i)?;
        let settings = ApiSettings {
            strict,
            ..entry.settings()
        };
        let mut api = build(&definition, &settings)?;
        let at = format!("/api/{i}/waiter");
        api.waiters = crate::build::waiters::resolve(&api, &entry.waiters, &manifest_path, &at)?;
        let source = format!("spec/{}", entry.file.display());
        add_client_api_files(&mut files, Path::new(&api.module), &api, &source);
        definitions.push(entry.file.display().to_string());
        apis.push(api);
    }
    files.insert(PathBuf::from("mod.rs"), emit::apis_mod(&apis));
    let sites: Vec<(String, &Api)> = definitions.iter().cloned().zip(&apis).collect();
    let (examples, calls) = emit::test_tables(&sites);
    let warnings = definitions
        .iter()
        .zip(&apis)
        .flat_map(|(file, api)| api.warnings.iter().map(move |w| (file.clone(), w.clone())))
        .collect();
    Ok(Generated {
        warnings,
        apis: files,
        tests: Files::from([
            (PathBuf::from("examples.rs"), examples),
            (PathBuf::from("calls.rs"), calls),
        ]),
    })
}

/// A crate of its own for one definition, built against the `itwin-platform` runtime at
/// `runtime_path` (without the platform's API modules), so that users can call any API, or an
/// iTwin Platform API before it joins the manifest; with the warnings about constructs the
/// generator does not support. Its description, version, default base URL and credentials
/// come from the definition, and so does its name unless `crate_name` gives one (see
/// [`default_crate_name`]).
pub fn standalone_crate(
    definition: &Path,
    settings: &ApiSettings,
    crate_name: Option<&str>,
    runtime_path: &Path,
) -> Result<Standalone> {
    if let Some(reason) = crate_name.and_then(standalone::check_crate_name) {
        return Err(Error::new(definition, "", reason));
    }
    let loaded = load(definition)?;
    let crate_name =
        crate_name.map_or_else(|| standalone::crate_name(&loaded.document), str::to_owned);
    let api = build(&loaded, settings)?;
    let source = definition.file_name().map_or_else(
        || definition.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let (manifest, lib, scheme_warnings) =
        standalone::crate_files(&loaded.document, &api, &crate_name, runtime_path, &source);
    let mut diagnostics = Diagnostics::new(settings.strict);
    for warning in scheme_warnings {
        diagnostics.report(warning.in_file(definition));
    }
    diagnostics.relocate(|pointer| loaded.source_pointer(pointer));
    let mut warnings = diagnostics.finish()?;
    // The document is as large as the model and the tokens emitted from it together; emitting
    // needs only the model.
    drop(loaded);
    let mut files = Files::new();
    add_api_files(
        &mut files,
        &Path::new("src").join(&api.module),
        &api,
        &source,
    );
    files.insert(PathBuf::from("src/lib.rs"), lib);
    files.insert(PathBuf::from("Cargo.toml"), manifest);
    warnings.extend(api.warnings);
    Ok(Standalone {
        name: crate_name,
        files,
        warnings,
    })
}

/// What [`standalone_crate`] makes.
#[derive(Debug, Clone)]
pub struct Standalone {
    /// The crate's name.
    pub name: String,
    /// Its files, by path relative to the crate's folder.
    pub files: Files,
    /// Constructs of the definition the generator read leniently or left out.
    pub warnings: Vec<Problem>,
}

/// The crate name of a definition's standalone crate: its title in kebab case (`Swagger
/// Petstore` → `swagger-petstore`), with the prefix `itwin-` for an iTwin Platform API.
pub fn default_crate_name(definition: &Path) -> Result<String> {
    Ok(standalone::crate_name(&load(definition)?.document))
}

fn add_api_files(files: &mut Files, dir: &Path, api: &Api, source: &str) {
    let (module, models) = emit::api_files(api, source);
    files.insert(dir.join("mod.rs"), module);
    if !api.types.is_empty() {
        files.insert(dir.join("models.rs"), models);
    }
}

/// As [`add_api_files`], with the API's mock module (feature `test-util` of the client crate).
fn add_client_api_files(files: &mut Files, dir: &Path, api: &Api, source: &str) {
    let (module, models, mock) = emit::client_api_files(api, source);
    files.insert(dir.join("mod.rs"), module);
    if !api.types.is_empty() {
        files.insert(dir.join("models.rs"), models);
    }
    files.insert(dir.join("mock.rs"), mock);
}
