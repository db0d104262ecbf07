//! The API module: its client type, one method per operation, and one request builder each.
//!
//! Everything that is the same for every operation (URL building, auth, errors, decoding) is in
//! the runtime; a builder only describes its request.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc, inner_doc};
use super::types::{argument, ident, rust_type};
use crate::model::{Api, Operation, Param, ParamLocation, Response, TypeRef};

/// The `mod.rs` of an API.
pub fn module(api: &Api) -> TokenStream {
    let intro = format!("Client for the {} API.", api.title);
    let module_doc = inner_doc(&[Some(&intro), api.description.as_deref()]);
    let accept = &api.accept;
    let client = ident(&api.client_name);
    let client_doc = format!(
        " Operations of the {} API. Cheap to clone: it shares the [`Client`]'s connections.",
        api.title
    );
    let methods = api.operations.iter().map(client_method);
    let builders = api.operations.iter().map(|op| builder(api, op));
    let uses_models = !api.types.is_empty();
    let models_mod = uses_models.then(|| quote! { pub mod models; });
    quote! {
        #module_doc

        #models_mod

        use crate::runtime::{ApiResponse, Client, Error, HttpMethod, Request};

        /// The media type this module sends as `Accept`: the API version it was generated for.
        pub const ACCEPT: &str = #accept;

        #[doc = #client_doc]
        #[derive(Debug, Clone)]
        pub struct #client {
            client: Client,
        }

        impl #client {
            /// Uses `client` (its base URL, credentials and HTTP settings) for this API.
            pub fn new(client: Client) -> Self {
                Self { client }
            }

            #(#methods)*
        }

        #(#builders)*
    }
}

/// `impl Client { pub fn access_control(&self) -> ... }` for the crate that holds all APIs.
pub fn client_accessors(apis: &[Api]) -> TokenStream {
    let accessors = apis.iter().map(|api| {
        let module = ident(&api.module);
        let client = ident(&api.client_name);
        let doc_line = format!(" The {} API.", api.title);
        quote! {
            #[doc = #doc_line]
            pub fn #module(&self) -> #module::#client {
                #module::#client::new(self.clone())
            }
        }
    });
    quote! {
        impl crate::Client {
            #(#accessors)*
        }
    }
}

fn models_path() -> TokenStream {
    quote! { models:: }
}

fn required_args(op: &Operation) -> Vec<(&str, &TypeRef, Option<&str>)> {
    let params = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| (p.rust_name.as_str(), &p.ty, p.description.as_deref()));
    let body = op
        .body
        .iter()
        .filter(|b| b.required)
        .map(|b| ("body", &b.ty, b.description.as_deref()));
    params.chain(body).collect()
}

fn client_method(op: &Operation) -> TokenStream {
    let models = models_path();
    let name = ident(&op.fn_name);
    let builder = ident(&op.builder_name);
    let route = format!("`{} {}`", op.method.as_str(), op.path);
    let args = required_args(op);
    let arguments: Vec<String> = args
        .iter()
        .filter_map(|(arg, _, description)| {
            description.map(|d| {
                format!(
                    "- `{arg}`: {}",
                    d.split_whitespace().collect::<Vec<_>>().join(" ")
                )
            })
        })
        .collect();
    let arguments = (!arguments.is_empty()).then(|| arguments.join("\n"));
    let docs = doc(&[
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(&route),
        arguments.as_deref(),
    ]);
    let params = args.iter().map(|(arg, ty, _)| {
        let arg = ident(arg);
        let (ty, _) = argument(ty, &arg, &models);
        quote! { #arg: #ty }
    });
    let mut inits: Vec<TokenStream> = vec![quote! { client: self.client.clone() }];
    for param in &op.params {
        let field = ident(&param.rust_name);
        inits.push(match (param.required, &param.ty) {
            (false, _) => quote! { #field: None },
            (true, TypeRef::String) => quote! { #field: #field.into() },
            (true, _) => quote! { #field },
        });
    }
    if let Some(body) = &op.body {
        inits.push(if body.required {
            quote! { body }
        } else {
            quote! { body: None }
        });
    }
    quote! {
        #docs
        pub fn #name(&self, #(#params),*) -> #builder {
            #builder { #(#inits),* }
        }
    }
}

fn builder(api: &Api, op: &Operation) -> TokenStream {
    let models = models_path();
    let builder = ident(&op.builder_name);
    let client = &api.client_name;
    let has_options =
        op.params.iter().any(|p| !p.required) || op.body.as_ref().is_some_and(|b| !b.required);
    let next_step = if has_options {
        "set optional parameters, then call"
    } else {
        "call"
    };
    let builder_doc = format!(
        " Request of [`{client}::{}`]: {next_step} [`send`](Self::send).",
        op.fn_name
    );
    let mut fields: Vec<TokenStream> = vec![quote! { client: Client }];
    for param in &op.params {
        let field = ident(&param.rust_name);
        let ty = rust_type(&param.ty, &models);
        fields.push(if param.required {
            quote! { #field: #ty }
        } else {
            quote! { #field: Option<#ty> }
        });
    }
    if let Some(body) = &op.body {
        let ty = rust_type(&body.ty, &models);
        fields.push(if body.required {
            quote! { body: #ty }
        } else {
            quote! { body: Option<#ty> }
        });
    }
    let setters = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| setter(p.rust_name.as_str(), &p.ty, p.description.as_deref()));
    let body_setter = op
        .body
        .iter()
        .filter(|b| !b.required)
        .map(|b| setter("body", &b.ty, b.description.as_deref()));
    let (output, execute) = match &op.response {
        Response::Json(ty) => (rust_type(ty, &models), quote! { execute_json }),
        Response::Empty => (quote! { () }, quote! { execute_empty }),
    };
    let request = request_expression(op);
    quote! {
        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `send` is awaited"]
        pub struct #builder {
            #(#fields),*
        }

        impl #builder {
            #(#setters)*
            #(#body_setter)*

            /// Sends the request and returns the decoded response body.
            pub async fn send(self) -> Result<#output, Error> {
                self.send_with_response().await.map(ApiResponse::into_body)
            }

            /// Sends the request and returns the status and headers along with the decoded body.
            pub async fn send_with_response(self) -> Result<ApiResponse<#output>, Error> {
                let request = #request;
                self.client.#execute(request).await
            }
        }
    }
}

fn setter(name: &str, ty: &TypeRef, description: Option<&str>) -> TokenStream {
    let models = models_path();
    let field = ident(name);
    let (arg_ty, value) = argument(ty, &field, &models);
    let docs = doc(&[description]);
    quote! {
        #docs
        pub fn #field(mut self, #field: #arg_ty) -> Self {
            self.#field = Some(#value);
            self
        }
    }
}

fn request_expression(op: &Operation) -> TokenStream {
    let id = &op.id;
    let method = ident(op.method.variant());
    let path = &op.path;
    let mut calls: Vec<TokenStream> = Vec::new();
    for param in &op.params {
        calls.push(param_call(param));
    }
    if let Some(body) = &op.body {
        let content_type = &body.content_type;
        let value = if body.required {
            quote! { Some(&self.body) }
        } else {
            quote! { self.body.as_ref() }
        };
        calls.push(quote! { .json_body(#content_type, #value) });
    }
    quote! {
        Request::new(#id, HttpMethod::#method, #path, ACCEPT) #(#calls)*
    }
}

fn param_call(param: &Param) -> TokenStream {
    let name = &param.name;
    let field = ident(&param.rust_name);
    let value = if param.required {
        quote! { Some(&self.#field) }
    } else {
        quote! { self.#field.as_ref() }
    };
    match (param.location, &param.ty) {
        (ParamLocation::Path, _) => quote! { .path_param(#name, &self.#field) },
        (ParamLocation::Query, TypeRef::Array(_)) => quote! { .query_each(#name, #value) },
        (ParamLocation::Query, _) => quote! { .query(#name, #value) },
        (ParamLocation::Header, _) => quote! { .header(#name, #value) },
    }
}
