//! The committed client matches what the generator makes of spec/ today.
//!
//! Fails with a unified diff when a definition or the generator changed without
//! `cargo xtask regen`; run with `UPDATE_GENERATED=1` to rewrite the files instead.

use xtask::{apis_dir, drift, spec_dir, workspace_root};

#[test]
fn generated_client_is_up_to_date_with_spec() {
    let root = workspace_root();
    let files = generator::layout::client_apis(&spec_dir(&root)).unwrap_or_else(|e| panic!("{e}"));
    let dir = apis_dir(&root);
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        drift::apply(&dir, &files).expect("generated files can be written");
        return;
    }
    let drifts = drift::compare(&dir, &files).expect("generated files can be read");
    assert!(
        drifts.is_empty(),
        "generated-client/src/apis differs from what spec/ generates; run `cargo xtask regen`:\n{}",
        drift::report(&dir, &drifts)
    );
}

#[test]
fn regeneration_is_deterministic() {
    let spec = spec_dir(&workspace_root());
    let first = generator::layout::client_apis(&spec).unwrap();
    let second = generator::layout::client_apis(&spec).unwrap();
    assert_eq!(first, second);
}
