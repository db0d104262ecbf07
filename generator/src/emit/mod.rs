//! Turns the model into Rust source: one function per piece of output writes it as text, in
//! prettyplease's layout (`layout`), so that the files read as formatted code.
//!
//! A file is its pieces in order (`file`): the API module (`module`, with `client`, `builder`,
//! `prefer`, `send`, `request`, `answers`, `bodies`, `multipart`, `paging` and `waiters`), its
//! models (`models`), its mocks (`mock`), the client crate's `apis/mod.rs` (`apis`), the test
//! tables (`calls`, `examples`), and a standalone crate's `lib.rs` (`standalone`). Each writes
//! with `layout`, `rust` (the syntax they share) and `docs`; `tests` holds every generated file
//! against prettyplease, the oracle of the layout.

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
#[cfg(test)]
mod tests;
mod waiters;

use crate::model::Api;

use file::header;
pub use rust::feature_name;

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
    let mock = file::file(&header(source), &mock::module(api));
    (module, models, mock)
}

/// The `examples.rs` and `calls.rs` of `tests/generated/`: the example sites of every API
/// (`(definition file, API)`), and a call of every operation, for the conformance tests.
pub fn test_tables(sites: &[(String, &Api)]) -> (String, String) {
    let header = header("spec/manifest.toml");
    let examples = file::file(&header, &examples::table(sites));
    let calls = file::file(&header, &calls::table(sites));
    (examples, calls)
}

/// The client crate's `apis/mod.rs`: a module per API behind its feature, the API clients'
/// accessors, and the mock routes of every API.
pub fn apis_mod(apis: &[Api]) -> String {
    file::file(&header("spec/manifest.toml"), &apis::module(apis))
}
