//! `spec/manifest.toml`: which definitions make up the crate, and what each is called there.

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use crate::build::waiters::WaiterDecl;
use crate::build::ApiSettings;
use crate::diagnostics::{Error, Result};

/// The list of APIs the generated crate holds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[serde(rename = "api")]
    pub apis: Vec<ManifestApi>,
}

/// One API of the manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestApi {
    /// Human name, e.g. "Access Control".
    pub name: String,
    /// The definition file, relative to the manifest.
    pub file: PathBuf,
    /// The server URL of the production environment.
    pub server: String,
    /// The versioned media type sent as `Accept`.
    pub accept: String,
    /// Rust module name in the generated crate.
    pub module: String,
    /// Where on the developer portal the definition comes from.
    pub source: String,
    /// The API's reference index (a TOML list of operations and their portal pages), relative
    /// to the manifest, which `cargo xtask coverage` compares the definition with.
    #[serde(default)]
    pub catalogue: Option<String>,
    /// Jobs of the API that a generated `wait` method polls until they end.
    #[serde(default, rename = "waiter")]
    pub waiters: Vec<WaiterDecl>,
}

impl ManifestApi {
    pub fn settings(&self) -> ApiSettings {
        ApiSettings {
            module: Some(self.module.clone()),
            accept: Some(self.accept.clone()),
            strict: false,
        }
    }

    /// An error unless the definition's first server is the one the manifest gives; `index`
    /// is the entry's place in the manifest at `manifest_path`.
    pub fn check_server(
        &self,
        document: &openapiv3::OpenAPI,
        manifest_path: &Path,
        index: usize,
    ) -> Result<()> {
        let server = document.servers.first().map(|s| s.url.as_str());
        if server != Some(self.server.as_str()) {
            let message = format!(
                "the manifest gives the server `{}` but {} has {}",
                self.server,
                self.file.display(),
                server.map_or("none".to_owned(), |s| format!("`{s}`"))
            );
            return Err(Error::new(
                manifest_path,
                format!("/api/{index}/server"),
                message,
            ));
        }
        Ok(())
    }
}

impl Manifest {
    /// Reads and checks a manifest.
    pub fn load(path: &Path) -> Result<Manifest> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::new(path, "", format!("cannot read the manifest: {e}")))?;
        Manifest::parse(path, &text)
    }

    /// Reads and checks a manifest given as text (e.g. as committed at some revision); `path`
    /// names it in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Manifest> {
        let manifest: Manifest =
            toml::from_str(text).map_err(|e| Error::new(path, "", e.to_string()))?;
        for (i, api) in manifest.apis.iter().enumerate() {
            let at = format!("/api/{i}");
            let valid_module = !api.module.is_empty()
                && api
                    .module
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && !api.module.starts_with(|c: char| c.is_ascii_digit());
            if !valid_module {
                return Err(Error::new(
                    path,
                    format!("{at}/module"),
                    format!("`{}` is not a snake_case module name", api.module),
                ));
            }
            if manifest.apis[..i]
                .iter()
                .any(|other| other.module == api.module)
            {
                return Err(Error::new(
                    path,
                    format!("{at}/module"),
                    format!("module `{}` is listed twice", api.module),
                ));
            }
        }
        Ok(manifest)
    }
}
