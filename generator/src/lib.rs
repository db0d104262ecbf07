//! Generates the `itwin-platform` client from OpenAPI definitions of the iTwin Platform APIs.
//!
//! The pipeline runs one way: [`load`](load::load) a definition → [`build`](build::build) the
//! intermediate [`model`] (every `$ref` resolved, every name chosen) → [`emit`] tokens →
//! `syn::File` → prettyplease; [`layout`] runs these steps and says where each file goes. The
//! same input always gives byte-identical output. Every step reports what it finds as a
//! [`diagnostics::Problem`] (file and JSON pointer); `--strict` acts in one place,
//! [`Diagnostics::report`].

pub mod build;
pub mod diagnostics;
pub mod emit;
pub mod layout;
pub mod load;
mod locate;
pub mod manifest;
mod mend;
pub mod model;
pub mod names;
pub mod openapi31;
mod parallel;
pub mod pointer;
pub mod refs;
pub mod servers;
pub mod swagger;

pub use build::{build, ApiSettings};
pub use diagnostics::{Diagnostics, Error, Problem, Result, Severity};
pub use load::{load, parse, Definition, Format};

/// Generates the `mod.rs` and `models.rs` of one definition given as text; `file` names it
/// in errors and in the generated header.
pub fn generate_module(
    file: &std::path::Path,
    text: &str,
    settings: &ApiSettings,
) -> Result<(String, String)> {
    let definition = parse(file, text)?;
    let api = build(&definition, settings)?;
    let source = file.display().to_string();
    Ok(emit::api_files(&api, &source))
}
