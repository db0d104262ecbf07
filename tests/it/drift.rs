//! The committed client matches what the generator makes of spec/ today.
//!
//! Fails with a unified diff when a definition or the generator changed without
//! `cargo xtask regen`; run with `UPDATE_GENERATED=1` to rewrite the files instead.

use xtask::{drift, outputs, spec_dir, workspace_root};

#[test]
fn generated_files_are_up_to_date_with_spec() {
    let root = workspace_root();
    let outputs = outputs(&root).unwrap_or_else(|e| panic!("{e}"));
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        drift::apply_all(&outputs).expect("generated files can be written");
        return;
    }
    let (_, report) = drift::compare_all(&outputs).expect("generated files can be read");
    assert!(
        report.is_empty(),
        "generated files differ from what spec/ generates; run `cargo xtask regen`:\n{report}"
    );
}

#[test]
fn regeneration_is_deterministic() {
    let manifest = spec_dir(&workspace_root()).join("manifest.toml");
    let settings = generator::Settings {
        input: generator::Input::Manifest(&manifest),
        output: generator::Output::ClientCrate,
        strict: false,
    };
    let first = generator::generate(&settings).unwrap();
    let second = generator::generate(&settings).unwrap();
    assert_eq!(first, second);
}
