//! What a caller tells the generator: what to read ([`Input`]), what to make ([`Output`]) and
//! how strictly; of each API, what its definition does not say ([`ApiSettings`]), and, for an
//! API of a manifest, what the manifest says of it ([`Listing`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One run of the generator (see [`generate`](crate::generate)).
#[derive(Debug, Clone)]
pub struct Settings<'a> {
    /// The definition or manifest read.
    pub input: Input<'a>,
    /// What is made of it.
    pub output: Output<'a>,
    /// Constructs the generator reads leniently are errors instead of warnings.
    pub strict: bool,
}

/// What the generator reads.
#[derive(Debug, Clone)]
pub enum Input<'a> {
    /// One definition (OpenAPI 3.0 or 3.1, or Swagger 2.0; JSON or YAML by the file's
    /// extension), with what the caller knows of its API.
    Definition {
        /// The file: read from disk unless `text` is given; errors and generated headers name
        /// it, and `$ref`s to other files are read beside it.
        file: &'a Path,
        /// The file's text, when the caller has it already.
        text: Option<&'a str>,
        /// What the definition does not say.
        api: ApiSettings,
    },
    /// Every API of a manifest (`spec/manifest.toml`), with the settings it gives each, checked
    /// against the definitions.
    Manifest(&'a Path),
}

/// What the generator makes.
#[derive(Debug, Clone)]
pub enum Output<'a> {
    /// The models alone, for tools that read an API rather than its code (the change report,
    /// the coverage of the catalogues): no files.
    Models,
    /// Each API's module as plain Rust: `<module>/mod.rs`, and `<module>/models.rs` (only the
    /// header when the API has no types).
    Modules,
    /// The API modules of the client crate and the tables the conformance tests walk, by path
    /// relative to the workspace (see [`CLIENT_APIS`](crate::CLIENT_APIS) and
    /// [`TEST_TABLES`](crate::TEST_TABLES)); from a manifest.
    ClientCrate,
    /// A crate of its own for one definition, built against the runtime at `runtime`, by path
    /// relative to the crate's folder. Its description, version, default base URL and
    /// credentials come from the definition, and so does its name unless `crate_name` gives
    /// one.
    Standalone {
        /// The crate's name; by default the definition's title in kebab case (`Swagger
        /// Petstore` → `swagger-petstore`), with the prefix `itwin-` for an iTwin Platform API.
        crate_name: Option<&'a str>,
        /// The folder of the runtime crate the generated crate depends on.
        runtime: &'a Path,
    },
}

/// What the caller knows about an API beyond its definition (from the manifest or flags).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiSettings {
    /// Rust module name; defaults to the definition's title in snake case.
    pub module: Option<String>,
    /// The `Accept` media type; defaults to the enum of the definition's `Accept` header
    /// parameter, else the JSON media types of its answers, else `*/*`.
    pub accept: Option<String>,
    /// Component schemas (by key) that are types of the runtime (by name there): not
    /// generated, and referred to as the runtime's type.
    pub replacements: BTreeMap<String, String>,
}

/// An API as a manifest lists it: its settings, and what the build checks against its
/// definition and model, with errors located in the manifest.
#[derive(Debug, Clone)]
pub(crate) struct Listing {
    /// The manifest's file.
    pub manifest: PathBuf,
    /// The API's place among the manifest's `[[api]]` tables.
    pub index: usize,
    /// The API's name and definition file (relative to the manifest), for messages.
    pub name: String,
    pub file: PathBuf,
    pub settings: ApiSettings,
    /// The server the definition must name first.
    pub server: String,
    /// The schemas the runtime replaces, in the manifest's order: each must be a schema of the
    /// definition.
    pub replaced: Vec<String>,
    /// Jobs of the API whose start answer gets a method that polls until they end.
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiterDecl {
    /// The id of the operation that starts the job.
    pub start: String,
    /// The id of the operation that reads the job's state.
    pub poll: String,
    /// Each parameter of the poll operation, by JSON pointer of its value in the start answer.
    pub arguments: BTreeMap<String, String>,
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
