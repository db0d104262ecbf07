//! Generates the `itwin-platform` client from OpenAPI definitions of the iTwin Platform APIs.
//!
//! One entry point, [`generate`], runs the pipeline one way for every input and output: load a
//! definition (OpenAPI 3.0 or 3.1, or Swagger 2.0, each read as 3.0) → build the intermediate
//! [`model`] (every `$ref` resolved, every name chosen, what a manifest says of the API checked
//! and added) → emit Rust from the model alone → lay the files out where they go. [`Settings`]
//! say what is read ([`Input`]: a definition or a manifest), what is made ([`Output`]) and how
//! strictly; the same input always gives byte-identical output. Every stage reports what it
//! finds as a [`Problem`] naming the file and the JSON pointer; a run that fails returns an
//! [`Error`] holding every problem, and `strict` makes a warning an error in one place.

mod build;
mod diagnostics;
mod emit;
mod layout;
mod load;
mod manifest;
pub mod model;
mod names;
mod parallel;
mod pipeline;
mod pointer;
mod refs;
mod servers;
mod settings;

pub use diagnostics::{Error, Problem, Result, Severity};
pub use emit::feature_name;
pub use layout::{Files, CLIENT_APIS, TEST_TABLES};
pub use manifest::{Manifest, ManifestApi, Replacement};
pub use pipeline::{generate, Generated};
pub use settings::{ApiSettings, Input, Output, Settings, WaiterDecl};

/// The guide's chapter on the generator (`docs/generator.md`), compiled as a doc test so that
/// its examples stay true.
#[cfg(doctest)]
#[doc = include_str!("../../docs/generator.md")]
pub struct GuideGenerator;
