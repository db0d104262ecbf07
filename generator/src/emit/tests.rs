//! Every generated file is in prettyplease's layout: prettyplease prints the code of each file
//! generated from `spec/` (each API's module, models and mocks, `apis/mod.rs`, the test
//! tables), from every fixture of `tests/fixtures/` (as the client crate's files and as test
//! tables) and for the standalone crates of a few fixtures exactly as it is written.
//!
//! prettyplease reads a file back as the same code, with one known exception that no file here
//! has: a closure body too long for its line is printed in braces, which then read back as a
//! block (see `layout::oracle`).

use std::path::{Path, PathBuf};

use super::layout::oracle::assert_file_laid_out;
use crate::settings::{ApiSettings, Input, Output, Settings};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_files_generated_from_spec_are_in_prettypleases_layout() {
    let generated = crate::generate(&Settings {
        input: Input::Manifest(&workspace().join("spec/manifest.toml")),
        output: Output::ClientCrate,
        strict: false,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        generated.files.len() > 20,
        "every API's files, apis/mod.rs, the tables"
    );
    for (path, text) in &generated.files {
        assert_file_laid_out(&path.display().to_string(), text);
    }
}

#[test]
fn the_files_generated_from_every_fixture_are_in_prettypleases_layout() {
    let dir = workspace().join("tests/fixtures");
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures exists")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() > 30, "{fixtures:?}");
    for path in fixtures {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let definition = crate::load::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let api = crate::build::build(&definition, &ApiSettings::default(), false)
            .unwrap_or_else(|e| panic!("{e}"));
        let (module, models, mock) = super::client_api_files(&api, &name);
        let (examples, calls) = super::test_tables(&[(name.clone(), &api)]);
        let apis = super::apis_mod(std::slice::from_ref(&api));
        for (file, text) in [
            ("mod.rs", module),
            ("models.rs", models),
            ("mock.rs", mock),
            ("examples.rs", examples),
            ("calls.rs", calls),
            ("apis/mod.rs", apis),
        ] {
            assert_file_laid_out(&format!("{name}: {file}"), &text);
        }
    }
}

#[test]
fn standalone_crates_are_in_prettypleases_layout() {
    let runtime = workspace().join("runtime");
    for fixture in [
        "standalone/secured_pets.yaml",
        "paged_list.yaml",
        "prefer_shapes.yaml",
        "multipart.yaml",
    ] {
        let path = workspace().join("tests/fixtures").join(fixture);
        let generated = crate::generate(&Settings {
            input: Input::Definition {
                file: &path,
                text: None,
                api: ApiSettings::default(),
            },
            output: Output::Standalone {
                crate_name: None,
                runtime: &runtime,
            },
            strict: false,
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let rust = generated
            .files
            .iter()
            .filter(|(file, _)| file.extension().is_some_and(|e| e == "rs"));
        for (file, text) in rust {
            assert_file_laid_out(&format!("{fixture}: {}", file.display()), text);
        }
    }
}
