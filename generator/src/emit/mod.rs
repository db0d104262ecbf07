//! Turns the model into Rust source, written as text in prettyplease's layout (`layout`).
//! Mocks, the test tables and the standalone crate's `lib.rs` are still tokens with quote,
//! formatted item by item by prettyplease.

mod answers;
mod apis;
mod bodies;
mod builder;
mod calls;
mod client;
mod docs;
mod examples;
mod file;
mod layout;
mod mock;
mod models;
mod module;
mod multipart;
mod paging;
mod prefer;
mod request;
mod rust;
mod send;
pub(crate) mod standalone;
mod syntax;
mod unparse;
mod waiters;

use crate::model::Api;

pub use calls::table as call_table;
pub use examples::table as example_table;
pub use file::header;
pub use rust::feature_name;
pub use syntax::format;

/// The generated `mod.rs` and `models.rs` of one API.
pub fn api_files(api: &Api, source: &str) -> (String, String) {
    let module = file::file_of_parts(&header(source), module::parts(api, false));
    let models = file::file_of_parts(&header(source), models::parts(api));
    (module, models)
}

/// The generated `mod.rs`, `models.rs` and `mock.rs` of one API of the client crate, whose
/// `mod.rs` declares the mock module (feature `test-util`).
pub fn client_api_files(api: &Api, source: &str) -> (String, String, String) {
    let module = file::file_of_parts(&header(source), module::parts(api, true));
    let models = file::file_of_parts(&header(source), models::parts(api));
    let mock = header(source) + &format(mock::module(api));
    (module, models, mock)
}

/// The `examples.rs` and `calls.rs` of `tests/generated/`: the example sites of every API
/// (`(definition file, API)`), and a call of every operation, for the conformance tests.
pub fn test_tables(sites: &[(String, &Api)]) -> (String, String) {
    let header = header("spec/manifest.toml");
    let examples = header.clone() + &format(example_table(sites));
    let calls = header + &format(call_table(sites));
    (examples, calls)
}

/// The client crate's `apis/mod.rs`: a module per API behind its feature, the API clients'
/// accessors, and the mock routes of every API.
pub fn apis_mod(apis: &[Api]) -> String {
    file::file(&header("spec/manifest.toml"), &apis::module(apis))
}
