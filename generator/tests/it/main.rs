//! The generator's integration tests, one module per area, in one test binary (one link).
//!
//! Run one area with `cargo test -p itwin-openapi-generator --test it <module>::`.

mod bounded_cost;
mod generator_snapshots;
