//! Turns the model into Rust source: tokens with quote, formatted item by item by prettyplease,
//! and the most frequent items written straight as text in the same layout (`direct`).

mod calls;
mod direct;
mod docs;
mod examples;
mod facts;
mod mock;
mod multipart;
mod operations;
mod paging;
pub(crate) mod standalone;
mod syntax;
mod types;
mod unparse;
mod waiters;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Api;

pub use calls::table as call_table;
pub use examples::table as example_table;
pub use operations::{client_accessors, module as operations_module};
pub use syntax::{feature_name, format, format_parts, header, ident};
pub use types::models;

/// The generated `mod.rs` and `models.rs` of one API.
pub fn api_files(api: &Api, source: &str) -> (String, String) {
    let module = format_parts(&header(source), operations_module(api, false));
    let models = format_parts(&header(source), models(api));
    (module, models)
}

/// The generated `mod.rs`, `models.rs` and `mock.rs` of one API of the client crate, whose
/// `mod.rs` declares the mock module (feature `test-util`).
pub fn client_api_files(api: &Api, source: &str) -> (String, String, String) {
    let module = format_parts(&header(source), operations_module(api, true));
    let models = format_parts(&header(source), models(api));
    let mock = header(source) + &format(mock::module(api));
    (module, models, mock)
}

/// `MOCK_ROUTES` of the client crate's `apis/mod.rs`: the `ROUTES` of every API's mock module.
pub fn mock_routes(apis: &[Api]) -> TokenStream {
    mock::routes(apis)
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
    let modules = apis.iter().map(|api| {
        let module = ident(&api.module);
        let feature = feature_name(&api.module);
        let doc_line = format!(" The {} API (feature `{feature}`).", api.title);
        quote! {
            #[doc = #doc_line]
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    let accessors = client_accessors(apis);
    let mock_routes = mock_routes(apis);
    let tokens = quote! {
        #(#modules)*
        #accessors
        #mock_routes
    };
    header("spec/manifest.toml") + &format(tokens)
}
