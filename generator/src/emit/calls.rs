//! A call of every operation with placeholder arguments, for the conformance run against a mock
//! server (`tests/prism_conformance.rs`): `tests/generated/calls.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::syntax::{ident, rust_type};
use crate::model::{Api, BodyKind, MultipartForm, Operation, PartKind, TypeRef};

/// `CALLS`: every operation (twice where `Prefer` selects the shape) of every API, given with
/// its definition file, as a function from a client and inputs to the answer's status.
pub fn table(apis: &[(String, &Api)]) -> TokenStream {
    let entries = apis.iter().flat_map(|(file, api)| {
        api.operations.iter().flat_map(move |op| {
            let plain = entry(file, api, op, false);
            let full = op.prefer.as_ref().map(|_| entry(file, api, op, true));
            std::iter::once(plain).chain(full)
        })
    });
    quote! {
        //! Every operation of every API called through the generated client, with placeholder
        //! path values and the body the conformance harness gives.

        use futures::future::BoxFuture;
        use itwin_platform::{Client, Error};

        use super::CallInput;

        /// One operation call: definition file, operation id (`#representation` for the full
        /// shape of a `Prefer` operation), and the call itself, returning the answer's status.
        pub struct Call {
            pub file: &'static str,
            pub operation: &'static str,
            pub run: fn(Client, CallInput) -> BoxFuture<'static, Result<u16, Error>>,
        }

        pub const CALLS: &[Call] = &[
            #(#entries)*
        ];
    }
}

fn entry(file: &str, api: &Api, op: &Operation, representation: bool) -> TokenStream {
    let module = ident(&api.module);
    let method = ident(&op.fn_name);
    let models = quote! { itwin_platform::#module::models:: };
    let args: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| placeholder(&p.ty))
        .chain(
            op.body
                .iter()
                .filter(|b| b.required)
                .flat_map(|body| match &body.kind {
                    BodyKind::Json { ty, .. } | BodyKind::Form { ty, .. } => {
                        let ty = rust_type(ty, &models);
                        vec![quote! { input.body::<#ty>() }]
                    }
                    BodyKind::Text { .. } => vec![quote! { String::from("text") }],
                    BodyKind::Multipart(form) => {
                        vec![form_placeholder(&quote! { #module }, form.as_ref())]
                    }
                    BodyKind::Binary {
                        enum_name,
                        content_types,
                    } => {
                        let enum_name = ident(enum_name);
                        let first = ident(&content_types[0].rust_name);
                        vec![
                            quote! { itwin_platform::#module::#enum_name::#first },
                            quote! { input.bytes() },
                        ]
                    }
                }),
        )
        .collect();
    let input = if args.is_empty() {
        quote! { _input }
    } else {
        quote! { input }
    };
    let shape = representation.then(|| quote! { .representation() });
    let id = if representation {
        format!("{}#representation", op.id)
    } else {
        op.id.clone()
    };
    quote! {
        Call {
            file: #file,
            operation: #id,
            run: |client, #input| {
                #[allow(deprecated)]
                let request = client.#module().#method(#(#args),*) #shape;
                Box::pin(async move {
                    request.send_with_response().await.map(|answer| answer.status().as_u16())
                })
            },
        },
    }
}

/// A multipart body with the harness's bytes in each required file and its JSON body in each
/// other required field; optional fields left out.
fn form_placeholder(module: &TokenStream, form: Option<&MultipartForm>) -> TokenStream {
    let Some(form) = form else {
        return quote! { itwin_platform::runtime::MultipartForm::new() };
    };
    let name = ident(&form.type_name);
    let file = quote! { itwin_platform::runtime::FilePart::from(input.bytes()) };
    let fields = form.parts.iter().flat_map(|part| {
        let value = match (&part.kind, part.required) {
            (_, false) => quote! { None },
            (PartKind::File, true) => file.clone(),
            (PartKind::Files, true) => quote! { vec![#file] },
            (_, true) => quote! { input.body() },
        };
        let field = ident(&part.rust_name);
        let headers = part.headers.iter().map(move |header| {
            let field = ident(&header.rust_name);
            let value = if part.required && header.required {
                quote! { input.body() }
            } else {
                quote! { None }
            };
            quote! { #field: #value }
        });
        std::iter::once(quote! { #field: #value }).chain(headers)
    });
    quote! { itwin_platform::#module::#name { #(#fields),* } }
}

/// A value for a required parameter: the harness's placeholder id for strings.
fn placeholder(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Boolean => quote! { true },
        TypeRef::I32 | TypeRef::I64 => quote! { 1 },
        TypeRef::F32 | TypeRef::F64 => quote! { 1.0 },
        TypeRef::Uuid => quote! { input.uuid() },
        TypeRef::DateTime => quote! { input.date_time() },
        _ => quote! { input.id() },
    }
}
