//! The generator's integration tests, one module per area, in one test binary (one link).
//!
//! Run one area with `cargo test -p itwin-openapi-generator --test it <module>::`.

mod bounded_cost;
mod generator_snapshots;

use std::path::Path;

use generator::{ApiSettings, Generated, Input, Output, Settings};

/// What the generator makes of a definition given as text (read from `file` when `None`).
fn generate(
    file: &Path,
    text: Option<&str>,
    api: ApiSettings,
    output: Output,
    strict: bool,
) -> generator::Result<Generated> {
    generator::generate(&Settings {
        input: Input::Definition { file, text, api },
        output,
        strict,
    })
}

/// The `mod.rs` and `models.rs` of the one API of `generated` (`Output::Modules`).
fn module_files(generated: &Generated) -> (&str, &str) {
    let mut files = generated.files.iter();
    let mut next = |name: &str| {
        let (path, text) = files.next().expect("a module has two files");
        assert_eq!(path.file_name().unwrap(), name);
        text.as_str()
    };
    (next("mod.rs"), next("models.rs"))
}
