//! Which files the generator writes: the API modules of the client crate, or a standalone crate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quote::quote;

use crate::build::{build, ApiSettings};
use crate::emit;
use crate::emit::ident;
use crate::error::{Error, Result};
use crate::load::load;
use crate::manifest::Manifest;
use crate::model::{Api, Warning};
use crate::standalone;

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
    pub warnings: Vec<(String, Warning)>,
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
        let server = definition.document.servers.first().map(|s| s.url.as_str());
        if server != Some(entry.server.as_str()) {
            let message = format!(
                "the manifest gives the server `{}` but {} has {}",
                entry.server,
                entry.file.display(),
                server.map_or("none".to_owned(), |s| format!("`{s}`"))
            );
            return Err(Error::new(
                &manifest_path,
                format!("/api/{i}/server"),
                message,
            ));
        }
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
    files.insert(PathBuf::from("mod.rs"), apis_mod(&apis));
    let sites: Vec<(String, &Api)> = definitions.iter().cloned().zip(&apis).collect();
    let header = emit::header("spec/manifest.toml");
    let examples = header.clone() + &emit::format(emit::example_table(&sites));
    let calls = header + &emit::format(emit::call_table(&sites));
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
/// come from the definition (see [`default_crate_name`] for its name).
pub fn standalone_crate(
    definition: &Path,
    settings: &ApiSettings,
    crate_name: &str,
    runtime_path: &Path,
) -> Result<(Files, Vec<Warning>)> {
    if let Some(reason) = standalone::check_crate_name(crate_name) {
        return Err(Error::new(definition, "", reason));
    }
    let loaded = load(definition)?;
    let api = build(&loaded, settings)?;
    let source = definition.file_name().map_or_else(
        || definition.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let (manifest, lib, mut warnings) =
        standalone::crate_files(&loaded.document, &api, crate_name, runtime_path, &source);
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
    Ok((files, warnings))
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

/// The Cargo feature that compiles an API's module: `access_control` → `access-control`.
pub fn feature_name(module: &str) -> String {
    module.replace('_', "-")
}

fn apis_mod(apis: &[Api]) -> String {
    let modules = apis.iter().map(|api| {
        let module = ident(&api.module);
        let feature = feature_name(&api.module);
        let doc_line = format!(" The {} API (feature `{feature}`).", api.title);
        quote! {
            #[doc = #doc_line]
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    let accessors = emit::client_accessors(apis);
    let mock_routes = emit::mock_routes(apis);
    let tokens = quote! {
        #(#modules)*
        #accessors
        #mock_routes
    };
    emit::header("spec/manifest.toml") + &emit::format(tokens)
}
