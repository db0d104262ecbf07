//! The workspace's tests of the generated client and the maintainer tasks, one module per area,
//! gathered into one test binary so that the client and its dependencies are linked once.
//!
//! Run one area with `cargo test -p itwin-platform-tests --test it <module>::`.

/// Clients generated into tests/generated/ (see `multipart`) name the runtime
/// `crate::runtime`, as in the client crate.
pub use itwin_platform::runtime;

mod changes;
mod conformance;
mod coverage;
mod credentials;
mod drift;
mod features;
mod fixtures_compile;
mod generated_features;
mod generator_errors;
mod log_capture;
mod multipart;
mod parameter_styles;
mod prism_conformance;
mod robustness;
mod runtime_behaviour;
mod runtime_policies;
mod seed_examples;
mod seed_operations;
mod signin;
mod spec_validation;
mod standalone_crate;
mod streaming_bodies;
mod support;
mod swagger2;
mod transfers;
