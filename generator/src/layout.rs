//! Where generated files go, for each kind of output. Nothing here reads a definition or writes
//! Rust: the pipeline hands over what emit wrote, and gets it back by path.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::Api;

/// Generated files by path relative to the folder they belong in, with their contents.
pub type Files = BTreeMap<PathBuf, String>;

/// The folder of the client crate's API modules, relative to the workspace.
pub const CLIENT_APIS: &str = "generated-client/src/apis";

/// The folder of the tables the conformance tests walk, relative to the workspace.
pub const TEST_TABLES: &str = "tests/generated";

/// The folder of the definitions and their manifest, relative to the workspace.
const SPEC: &str = "spec";

/// How the headers of generated files name a definition of a manifest: by its path from the
/// workspace, e.g. `spec/itwins.json`.
pub(crate) fn listed_source(file: &Path) -> String {
    format!("{SPEC}/{}", file.display())
}

/// How the headers name a definition outside a manifest: as the caller gave it for a module,
/// by its file name for a crate of its own (whose folder says nothing of where that was).
pub(crate) fn given_source(file: &Path, standalone: bool) -> String {
    match file.file_name() {
        Some(name) if standalone => name.to_string_lossy().into_owned(),
        _ => file.display().to_string(),
    }
}

/// What emit wrote for one API's module.
pub(crate) struct Module {
    /// The Rust module's name: its folder.
    name: String,
    module: String,
    models: String,
    /// Whether the API has types: the client crate and a crate of their own have no models
    /// file without.
    typed: bool,
    /// The mock module, of the client crate's modules alone.
    mock: Option<String>,
}

impl Module {
    /// The module of `api`, with the files emit wrote for it.
    pub(crate) fn new(api: &Api, module: String, models: String, mock: Option<String>) -> Self {
        Module {
            name: api.module.clone(),
            module,
            models,
            typed: !api.types.is_empty(),
            mock,
        }
    }

    /// Its files in `dir`; `models.rs` without types only if `always_models`.
    fn add_to(self, files: &mut Files, dir: &Path, always_models: bool) {
        let dir = dir.join(&self.name);
        files.insert(dir.join("mod.rs"), self.module);
        if self.typed || always_models {
            files.insert(dir.join("models.rs"), self.models);
        }
        if let Some(mock) = self.mock {
            files.insert(dir.join("mock.rs"), mock);
        }
    }
}

/// Each module in its folder, `models.rs` included (only the header for an API without types).
pub(crate) fn modules(modules: impl IntoIterator<Item = Module>) -> Files {
    let mut files = Files::new();
    for module in modules {
        module.add_to(&mut files, Path::new(""), true);
    }
    files
}

/// The client crate's API modules and their `mod.rs` under [`CLIENT_APIS`], and the tables of
/// example sites and operation calls under [`TEST_TABLES`].
pub(crate) fn client_crate(
    modules: Vec<Module>,
    apis_mod: String,
    (examples, calls): (String, String),
) -> Files {
    let apis = Path::new(CLIENT_APIS);
    let mut files = Files::new();
    for module in modules {
        module.add_to(&mut files, apis, false);
    }
    files.insert(apis.join("mod.rs"), apis_mod);
    let tables = Path::new(TEST_TABLES);
    files.insert(tables.join("examples.rs"), examples);
    files.insert(tables.join("calls.rs"), calls);
    files
}

/// A crate of its own: its manifest, its root module, and the API's module under `src/`.
pub(crate) fn standalone(module: Module, cargo_toml: String, lib: String) -> Files {
    let mut files = Files::new();
    module.add_to(&mut files, Path::new("src"), false);
    files.insert(PathBuf::from("src/lib.rs"), lib);
    files.insert(PathBuf::from("Cargo.toml"), cargo_toml);
    files
}
