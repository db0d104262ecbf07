//! The `mock.rs` of an API in the client crate (feature `test-util`): a marker type per
//! operation telling the runtime's generic `MockCall` its types, method, path, success status
//! and example; typed setters of path parameters; the `MockServer` accessor; and the table of
//! operations for the answer to unmocked calls. The mock logic itself is in the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::inner_doc;
use super::syntax::{format_imports, ident, rust_type};
use crate::model::{Api, BodyKind, Operation, ParamLocation, Response, TypeRef};

/// The runtime `MockCall`'s own methods: a path parameter setter with one of these names
/// would collide with it, and gets `_param` added.
const MOCK_CALL_METHODS: &[&str] = &[
    "path_param",
    "query_param",
    "respond",
    "respond_with_status",
    "respond_json",
    "respond_example",
    "respond_error",
    "respond_throttled",
    "respond_with",
    "with_header",
    "times",
    "expect",
    "mount",
    "received",
];

/// The name of an API's mock accessor type: `AccessControlClient` → `AccessControlMock`.
fn mock_type_name(api: &Api) -> String {
    let base = api
        .client_name
        .strip_suffix("Client")
        .unwrap_or(&api.client_name);
    format!("{base}Mock")
}

/// The `mock.rs` of an API.
pub fn module(api: &Api) -> TokenStream {
    let intro = format!(
        "Mocks of the {} API's operations, for tests (feature `test-util`): see [`crate::mock`].",
        api.title
    );
    let module_doc = inner_doc(&[Some(&intro)]);
    let accessor = ident(&api.module);
    let mock_type = ident(&mock_type_name(api));
    let accessor_doc = format!(" Mocks of the {} API's operations.", api.title);
    let type_doc = format!(
        " Mocks of the {} API's operations: one constructor per operation, each a \
         [`MockCall`](crate::mock::MockCall) to narrow, answer and mount.",
        api.title
    );
    let constructors = api.operations.iter().map(|op| constructor(api, op));
    let markers = api.operations.iter().map(marker);
    let setters = api.operations.iter().map(setters);
    let routes = api.operations.iter().map(|op| {
        let (id, method, path) = (&op.id, op.method.as_str(), &op.path);
        quote! { crate::mock::OperationRoute { operation: #id, method: #method, path: #path }, }
    });
    let formats = format_imports(answer_and_body_types(api), &quote! { crate::runtime });
    quote! {
        #module_doc

        #formats

        impl crate::mock::MockServer {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #mock_type<'_> {
                #mock_type { server: self }
            }
        }

        #[doc = #type_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #mock_type<'a> {
            server: &'a crate::mock::MockServer,
        }

        impl<'a> #mock_type<'a> {
            #(#constructors)*
        }

        #(#markers)*

        #(#setters)*

        /// Every operation of the API, for the mock server's answer to a call no mock matches.
        pub const ROUTES: &[crate::mock::OperationRoute] = &[
            #(#routes)*
        ];
    }
}

fn answer_and_body_types(api: &Api) -> Vec<&TypeRef> {
    let mut types = Vec::new();
    for op in &api.operations {
        if let Response::Json(ty) = &op.response {
            types.push(ty);
        }
        if let Some(BodyKind::Json { ty, .. } | BodyKind::Form { ty, .. }) =
            op.body.as_ref().map(|b| &b.kind)
        {
            types.push(ty);
        }
        let path_dates = op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Path && p.ty == TypeRef::DateTime);
        types.extend(path_dates.map(|p| &p.ty));
    }
    types
}

fn constructor(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.fn_name);
    let marker = ident(&op.builder_name);
    let line = format!(
        " A mock of `{} {}`, which [`{}::{}`](super::{}::{}) calls.",
        op.method.as_str(),
        op.path,
        api.client_name,
        op.fn_name,
        api.client_name,
        op.fn_name
    );
    quote! {
        #[doc = #line]
        pub fn #name(&self) -> crate::mock::MockCall<'a, #marker> {
            self.server.mock()
        }
    }
}

fn marker(op: &Operation) -> TokenStream {
    let models = quote! { super::models:: };
    let name = ident(&op.builder_name);
    let doc_line = format!(" The operation `{}`, for mocks.", op.id);
    let (body, decode) = match op.body.as_ref().map(|b| &b.kind) {
        None => (quote! { () }, quote! { crate::mock::no_body(bytes) }),
        Some(BodyKind::Json { ty, .. }) => (
            rust_type(ty, &models),
            quote! { crate::mock::json_body(bytes) },
        ),
        Some(BodyKind::Form { ty, .. }) => (
            rust_type(ty, &models),
            quote! { crate::mock::form_body(bytes) },
        ),
        Some(BodyKind::Binary { .. } | BodyKind::Multipart(_)) => (
            quote! { Vec<u8> },
            quote! { crate::mock::bytes_body(bytes) },
        ),
        Some(BodyKind::Text { .. }) => {
            (quote! { String }, quote! { crate::mock::text_body(bytes) })
        }
    };
    // An answer by status has no one type: it is given as JSON.
    let (answer, encode) = match &op.response {
        Response::Json(ty) => (
            rust_type(ty, &models),
            quote! { crate::mock::AnswerBody::json(answer) },
        ),
        Response::ByStatus { .. } => (
            quote! { serde_json::Value },
            quote! { crate::mock::AnswerBody::json(answer) },
        ),
        // Whatever the service may answer: given as bytes.
        Response::Bytes | Response::Raw => (
            quote! { Vec<u8> },
            quote! { crate::mock::AnswerBody::bytes(answer) },
        ),
        Response::Text => (
            quote! { String },
            quote! { crate::mock::AnswerBody::text(answer) },
        ),
        Response::Empty => (
            quote! { () },
            quote! { crate::mock::AnswerBody::empty(answer) },
        ),
    };
    let (id, path) = (&op.id, &op.path);
    let method = ident(op.method.variant());
    let status = proc_macro2::Literal::u16_unsuffixed(op.success_status);
    let example = match &op.success_example {
        Some(example) => quote! { Some(#example) },
        None => quote! { None },
    };
    quote! {
        #[doc = #doc_line]
        #[derive(Debug)]
        pub enum #name {}

        impl crate::mock::MockOperation for #name {
            type Body = #body;
            type Answer = #answer;
            const OPERATION: &'static str = #id;
            const METHOD: crate::runtime::HttpMethod = crate::runtime::HttpMethod::#method;
            const PATH: &'static str = #path;
            const STATUS: u16 = #status;
            const EXAMPLE: Option<&'static str> = #example;

            fn decode_body(bytes: &[u8]) -> Result<Self::Body, String> {
                #decode
            }

            fn encode_answer(answer: &Self::Answer) -> crate::mock::AnswerBody {
                #encode
            }
        }
    }
}

/// `impl MockCall<'_, Marker> { pub fn id(self, id: ...) -> Self }` for each path parameter.
fn setters(op: &Operation) -> TokenStream {
    let marker = ident(&op.builder_name);
    let setters: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| {
            let setter = if MOCK_CALL_METHODS.contains(&p.rust_name.as_str()) {
                format!("{}_param", p.rust_name)
            } else {
                p.rust_name.clone()
            };
            let setter = ident(&setter);
            let value = ident(&p.rust_name);
            let wire = &p.name;
            let doc_line = format!(" Matches only calls whose `{wire}` is this value.");
            // Instants go in paths as RFC 3339, as the client sends them.
            let (ty, shown) = match &p.ty {
                TypeRef::DateTime => (
                    quote! { DateTime },
                    quote! { crate::runtime::__private::rfc3339(&#value) },
                ),
                _ => (quote! { impl std::fmt::Display }, quote! { #value }),
            };
            quote! {
                #[doc = #doc_line]
                pub fn #setter(self, #value: #ty) -> Self {
                    self.path_param(#wire, #shown)
                }
            }
        })
        .collect();
    if setters.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl crate::mock::MockCall<'_, #marker> {
            #(#setters)*
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::build::build;
    use crate::load::parse;
    use crate::settings::ApiSettings;

    const DEFINITION: &str = r#"
openapi: 3.0.1
info: {title: Things, version: "1"}
paths:
  /things/{times}/parts:
    post:
      operationId: create-part
      parameters:
        - {name: times, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        "202": {description: queued}
        "201":
          description: created
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
              examples:
                one: {value: {id: "p-1"}}
"#;

    fn mock_file() -> String {
        let definition = parse(Path::new("things.yaml"), DEFINITION).unwrap();
        let settings = ApiSettings {
            accept: Some("application/json".to_owned()),
            ..ApiSettings::default()
        };
        let api = build(&definition, &settings, false).unwrap();
        crate::emit::format(module(&api))
    }

    #[test]
    fn the_marker_carries_the_lowest_success_status_its_example_and_types() {
        let file = mock_file();
        assert!(file.contains("const STATUS: u16 = 201;"), "{file}");
        assert!(file.contains(r#"Some("{\"id\":\"p-1\"}")"#), "{file}");
        assert!(file.contains("crate::mock::json_body(bytes)"), "{file}");
        assert!(file.contains("operation: \"create-part\""), "{file}");
        assert!(file.contains("path: \"/things/{times}/parts\""), "{file}");
    }

    #[test]
    fn a_path_parameter_named_like_a_mock_method_gets_another_setter() {
        let file = mock_file();
        assert!(file.contains("pub fn times_param(self, times:"), "{file}");
        assert!(file.contains("self.path_param(\"times\", times)"), "{file}");
    }
}
