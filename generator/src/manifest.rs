//! `spec/manifest.toml`: which definitions make up the crate, and what each is called there.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::build::ApiSettings;
use crate::error::{Error, Result};

/// The list of APIs the generated crate holds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The APIs, one `[[api]]` table each, in the order the crate lists them.
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

/// A job-style pair of operations: one starts a job, the other reads its state. Generates a
/// method on the start operation's answer that polls until the state is terminal:
///
/// ```toml
/// [[api.waiter]]
/// start = "run-extraction"           # the operation that starts the job
/// poll = "get-extraction-status"     # the operation that reads its state
/// arguments = { jobId = "/run/id" }  # each poll parameter, by JSON pointer into the start answer
/// state = "/status/state"            # JSON pointer of the state in the poll answer
/// success = ["Succeeded"]            # states that end the wait
/// failure = ["Failed"]               # states that end it with an error
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiterDecl {
    /// The id of the operation that starts the job.
    pub start: String,
    /// The id of the operation that reads the job's state.
    pub poll: String,
    /// Each parameter of the poll operation, by JSON pointer of its value in the start answer.
    pub arguments: std::collections::BTreeMap<String, String>,
    /// The JSON pointer of the state in the poll answer.
    pub state: String,
    /// The states that end the wait successfully.
    pub success: Vec<String>,
    /// The states that end the wait with an error.
    pub failure: Vec<String>,
    /// The generated method's name; `wait` unless set.
    #[serde(default = "default_wait_method")]
    pub method: String,
}

fn default_wait_method() -> String {
    "wait".to_owned()
}

impl ManifestApi {
    /// The generator's settings for this API.
    pub fn settings(&self) -> ApiSettings {
        ApiSettings {
            module: Some(self.module.clone()),
            accept: Some(self.accept.clone()),
            strict: false,
        }
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
