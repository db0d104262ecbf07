//! The one way through the generator: load → build → emit → files, in this order whatever the
//! input and the output. Each definition is loaded and built in turn, and dropped once its
//! model is built (a large document weighs as much as its model and its code together); emit
//! reads the models alone; layout says where each file goes.

use std::path::{Path, PathBuf};

use crate::build::{build, build_listed};
use crate::diagnostics::{Error, Problem, Result};
use crate::emit;
use crate::layout::{self, Files};
use crate::load;
use crate::manifest::Manifest;
use crate::model::Api;
use crate::settings::{Input, Output, Settings};

/// What a run makes.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// The files, by path relative to the output's folder (see [`Output`]).
    pub files: Files,
    /// Constructs of the definitions read leniently, each with the fallback it got: by
    /// definition in the order read, then by JSON pointer.
    pub warnings: Vec<Problem>,
    /// The model of each API, in the order read (their warnings are in `warnings`).
    pub apis: Vec<Api>,
    /// The crate's name, for [`Output::Standalone`].
    pub crate_name: Option<String>,
}

/// Runs the generator: reads the input, builds the model of each API, and writes the output's
/// files. A definition that cannot be read or turned into Rust, a manifest that does not fit
/// its definitions, or, with `strict`, any construct read leniently, is an error naming the
/// file and the JSON pointer of each problem.
pub fn generate(settings: &Settings) -> Result<Generated> {
    refuse_early(settings)?;
    let Read { mut apis, sources } = read(&settings.input, &settings.output, settings.strict)?;
    let warnings = apis
        .iter_mut()
        .flat_map(|api| std::mem::take(&mut api.warnings))
        .collect();
    let (files, crate_name) = files(&settings.output, &apis, &sources);
    Ok(Generated {
        files,
        warnings,
        apis,
        crate_name,
    })
}

/// The models of the input's APIs, each with where its definition is.
struct Read {
    apis: Vec<Api>,
    sources: Vec<Source>,
}

/// Where an API's definition is: its file, as the manifest lists it or as given, and how
/// generated headers name it.
struct Source {
    file: PathBuf,
    header: String,
}

/// Load and build, a definition at a time: each is dropped as soon as its model is built.
fn read(input: &Input, output: &Output, strict: bool) -> Result<Read> {
    let mut read = Read {
        apis: Vec::new(),
        sources: Vec::new(),
    };
    match input {
        Input::Definition { file, text, api } => {
            let definition = match text {
                Some(text) => load::parse(file, text)?,
                None => load::load(file)?,
            };
            read.apis.push(build(&definition, api, strict)?);
            let standalone = matches!(output, Output::Standalone { .. });
            read.sources.push(Source {
                file: file.to_path_buf(),
                header: layout::given_source(file, standalone),
            });
        }
        Input::Manifest(path) => {
            let manifest = Manifest::load(path)?;
            let folder = path.parent().unwrap_or(Path::new(""));
            for (i, entry) in manifest.apis.iter().enumerate() {
                let definition = load::load(&folder.join(&entry.file))?;
                let listing = manifest.listing(path, i);
                read.apis.push(build_listed(&definition, &listing, strict)?);
                read.sources.push(Source {
                    file: entry.file.clone(),
                    header: layout::listed_source(&entry.file),
                });
            }
        }
    }
    Ok(read)
}

/// The refusals that need no definition: an output the input cannot make, and a crate name
/// Cargo would refuse.
fn refuse_early(settings: &Settings) -> Result<()> {
    let refuse = |file: &Path, message: &str| Err(Error::new(file, "", message));
    match (&settings.input, &settings.output) {
        (Input::Manifest(path), Output::Standalone { .. }) => refuse(
            path,
            "a crate of its own is made of one definition, not of a manifest",
        ),
        (Input::Definition { file, .. }, Output::ClientCrate) => refuse(
            file,
            "the client crate's modules are made of a manifest, which gives each API its settings",
        ),
        (
            Input::Definition { file, .. },
            Output::Standalone {
                crate_name: Some(name),
                ..
            },
        ) => match emit::standalone::check_crate_name(name) {
            Some(reason) => refuse(file, &reason),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// The output's files, emitted from the models, and the crate's name for a crate of its own.
fn files(output: &Output, apis: &[Api], sources: &[Source]) -> (Files, Option<String>) {
    let each = apis.iter().zip(sources);
    match output {
        Output::Models => (Files::new(), None),
        Output::Modules => {
            let modules = each.map(|(api, source)| {
                let (module, models) = emit::api_files(api, &source.header);
                layout::Module::new(api, module, models, None)
            });
            (layout::modules(modules), None)
        }
        Output::ClientCrate => {
            let modules = each.map(|(api, source)| {
                let (module, models, mock) = emit::client_api_files(api, &source.header);
                layout::Module::new(api, module, models, Some(mock))
            });
            let modules: Vec<_> = modules.collect();
            let sites: Vec<(String, &Api)> = sources
                .iter()
                .map(|s| s.file.display().to_string())
                .zip(apis)
                .collect();
            let tables = emit::test_tables(&sites);
            (
                layout::client_crate(modules, emit::apis_mod(apis), tables),
                None,
            )
        }
        Output::Standalone {
            crate_name,
            runtime,
        } => {
            let (api, source) = (&apis[0], &sources[0]);
            let name = crate_name.map_or_else(|| emit::standalone::crate_name(api), str::to_owned);
            let (cargo_toml, lib) =
                emit::standalone::crate_files(api, &name, runtime, &source.header);
            let (module, models) = emit::api_files(api, &source.header);
            let module = layout::Module::new(api, module, models, None);
            (layout::standalone(module, cargo_toml, lib), Some(name))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::ApiSettings;

    const DEFINITION: &str = r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"},
        "paths": {}}"#;

    fn definition(output: Output) -> Result<Generated> {
        generate(&Settings {
            input: Input::Definition {
                file: Path::new("t.json"),
                text: Some(DEFINITION),
                api: ApiSettings::default(),
            },
            output,
            strict: false,
        })
    }

    #[test]
    fn an_output_the_input_cannot_make_is_refused_before_reading() {
        let error = definition(Output::ClientCrate).unwrap_err();
        assert_eq!(error.file, Path::new("t.json"));
        assert!(error.message.contains("made of a manifest"), "{error}");
        let manifest = generate(&Settings {
            input: Input::Manifest(Path::new("missing/manifest.toml")),
            output: Output::Standalone {
                crate_name: None,
                runtime: Path::new("runtime"),
            },
            strict: false,
        })
        .unwrap_err();
        assert!(manifest.message.contains("one definition"), "{manifest}");
        let named = definition(Output::Standalone {
            crate_name: Some("has space"),
            runtime: Path::new("runtime"),
        })
        .unwrap_err();
        assert!(named.message.contains("not a valid crate name"), "{named}");
    }

    #[test]
    fn every_output_comes_from_the_same_models() {
        let models = definition(Output::Models).unwrap();
        assert!(models.files.is_empty());
        let modules = definition(Output::Modules).unwrap();
        assert_eq!(modules.apis, models.apis);
        let names: Vec<_> = modules
            .files
            .keys()
            .map(|p| p.display().to_string())
            .collect();
        assert_eq!(names, ["t/mod.rs", "t/models.rs"]);
        let standalone = definition(Output::Standalone {
            crate_name: None,
            runtime: Path::new("runtime"),
        })
        .unwrap();
        assert_eq!(standalone.apis, models.apis);
        assert_eq!(standalone.crate_name.as_deref(), Some("t"));
        let names: Vec<_> = standalone
            .files
            .keys()
            .map(|p| p.display().to_string())
            .collect();
        // No types: no models file in a crate.
        assert_eq!(names, ["Cargo.toml", "src/lib.rs", "src/t/mod.rs"]);
    }
}
