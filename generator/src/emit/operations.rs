//! The API module: its client type, one method per operation, and one request builder each.
//!
//! Everything that is the same for every operation (URL building, auth, errors, decoding) is in
//! the runtime; a builder only describes its request.

use std::sync::Arc;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{api_name, doc, doc_attributes, doc_or, inner_doc};
use super::facts::{
    argument, body_argument, builder_doc, client_method_docs, required_args, setter_fallback_doc,
    BODY_SETTER_DOC, CLIPPY_MAX_ARGUMENTS, MODELS,
};
use super::syntax::{display_value, format_imports, ident, models_path, rust_type, tokens};
use super::unparse::Part;
use crate::model::{
    Api, Body, BodyKind, FormEncoding, MultipartForm, Operation, Param, ParamLocation, Response,
    StatusVariant, Style, TypeRef,
};

/// The `mod.rs` of an API; `with_mock` declares its `mock` module (feature `test-util`), which
/// only the client crate has.
pub fn module(api: &Api, with_mock: bool) -> Vec<Part<'_>> {
    let mut parts = vec![Part::Items(Box::new(move || prelude(api, with_mock)))];
    if has_client(api) {
        let header: Arc<str> = Arc::from(format!("impl {}", api.client_name));
        parts.push(Part::ImplOpen(header.clone()));
        parts.push(Part::ImplItems(
            header.clone(),
            Box::new(|| {
                quote! {
                    /// Uses `client` (its base URL, credentials and HTTP settings) for this API.
                    pub fn new(client: Client) -> Self {
                        Self { client }
                    }
                }
            }),
        ));
        for op in &api.operations {
            parts.push(Part::DirectImplItems(
                header.clone(),
                Box::new(move || super::direct::operations::client_method(op)),
                Box::new(move || client_method(op)),
            ));
        }
        parts.push(Part::ImplClose);
    }
    for op in &api.operations {
        parts.push(Part::DirectItems(
            Box::new(move || super::direct::operations::builder(api, op)),
            Box::new(move || builder(api, op)),
        ));
    }
    parts.push(Part::Items(Box::new(move || super::waiters::impls(api))));
    parts
}

/// The module's docs, its `use`s and constants, and the API's client type; its methods and
/// the operations' builders follow.
fn prelude(api: &Api, with_mock: bool) -> TokenStream {
    let intro = if has_client(api) {
        format!("Client for the {}.", api_name(&api.title))
    } else {
        format!(
            "The {}, whose definition has no operations: its types, and no client.",
            api_name(&api.title)
        )
    };
    let module_doc = inner_doc(&[Some(&intro), api.description.as_deref()]);
    let accept = &api.accept;
    let client = ident(&api.client_name);
    // A definition without operations (only schemas, or nothing at all) gets no client type nor
    // `ACCEPT`: the type would have nothing to call, and its unread `Client` is a dead-code
    // warning.
    let runtime_imports = has_client(api)
        .then(|| quote! { use crate::runtime::{ApiResponse, Client, Error, HttpMethod, Request}; });
    let accept_const = has_client(api).then(|| {
        quote! {
            /// The media type this module sends as `Accept`: the API version it was generated for.
            pub const ACCEPT: &str = #accept;
        }
    });
    let client_type = has_client(api).then(|| {
        let client_doc = format!(
            " Operations of the {}. Cheap to clone: it shares the [`Client`]'s connections.",
            api_name(&api.title)
        );
        quote! {
            #[doc = #client_doc]
            #[derive(Debug, Clone)]
            pub struct #client {
                client: Client,
            }
        }
    });
    let uses_models = !api.types.is_empty();
    let models_mod = uses_models.then(|| quote! { pub mod models; });
    let mock_mod = with_mock.then(|| {
        quote! {
            #[cfg(feature = "test-util")]
            pub mod mock;
        }
    });
    let shapes = api
        .operations
        .iter()
        .any(|op| op.prefer.is_some())
        .then(|| quote! { use crate::runtime::{Minimal, Representation, ResponseShape}; });
    let answers = api
        .operations
        .iter()
        .any(has_status_enum)
        .then(|| quote! { use crate::runtime::Answer; });
    let raw = api
        .operations
        .iter()
        .any(|op| op.response == Response::Raw)
        .then(|| quote! { use crate::runtime::RawResponse; });
    let lists = api
        .operations
        .iter()
        .flat_map(|op| {
            std::iter::once(&op.response).chain(op.prefer.as_ref().map(|p| &p.representation))
        })
        .any(|r| matches!(r, Response::Json(ty) if api.page(ty).is_some()))
        .then(|| quote! { use crate::runtime::BoxStream; });
    let styles = style_imports(api);
    let forms: Vec<Option<&MultipartForm>> = api
        .operations
        .iter()
        .filter_map(|op| match &op.body.as_ref()?.kind {
            BodyKind::Multipart(form) => Some(form.as_ref()),
            _ => None,
        })
        .collect();
    // Parameters, bodies, parts and answers may each be a bare `DateTime` or `Uuid`.
    let used = api.operations.iter().flat_map(Operation::types);
    let formats = format_imports(used, &quote! { crate::runtime });
    let multipart = (!forms.is_empty()).then(|| {
        if super::multipart::has_files(forms.iter().flatten().copied()) {
            quote! { use crate::runtime::{FilePart, MultipartForm}; }
        } else {
            quote! { use crate::runtime::MultipartForm; }
        }
    });
    let waiter_imports = super::waiters::imports(api);
    quote! {
        #module_doc

        #models_mod
        #mock_mod

        #runtime_imports
        #styles
        #answers
        #raw
        #shapes
        #lists
        #formats
        #multipart
        #waiter_imports

        #accept_const

        #client_type
    }
}

/// `impl Client { pub fn access_control(&self) -> ... }` for the crate that holds all APIs.
pub fn client_accessors(apis: &[Api]) -> TokenStream {
    let accessors = apis.iter().filter(|api| has_client(api)).map(|api| {
        let module = ident(&api.module);
        let client = ident(&api.client_name);
        let doc_line = format!(" The {} API.", api.title);
        let feature = super::feature_name(&api.module);
        quote! {
            #[doc = #doc_line]
            #[cfg(feature = #feature)]
            pub fn #module(&self) -> #module::#client {
                #module::#client::new(self.into())
            }
        }
    });
    quote! {
        impl crate::Client {
            #(#accessors)*
        }
    }
}

/// Whether the API's module has a client type: only an API with operations has one.
pub(super) fn has_client(api: &Api) -> bool {
    !api.operations.is_empty()
}

fn has_status_enum(op: &Operation) -> bool {
    let by_status = |r: &Response| matches!(r, Response::ByStatus { .. });
    by_status(&op.response)
        || op
            .prefer
            .as_ref()
            .is_some_and(|p| by_status(&p.representation))
}

/// The content type a caller gives with a body: an enum of the definition's media types for
/// binary bodies.
struct ContentTypeArgument {
    field: TokenStream,
    argument: TokenStream,
    init: TokenStream,
}

fn content_type_of(kind: &BodyKind) -> Option<ContentTypeArgument> {
    match kind {
        BodyKind::Binary { enum_name, .. } => {
            let enum_name = ident(enum_name);
            Some(ContentTypeArgument {
                field: quote! { #enum_name },
                argument: quote! { #enum_name },
                init: quote! { content_type },
            })
        }
        _ => None,
    }
}

fn body_field_type(body: &Body) -> TokenStream {
    match &body.kind {
        BodyKind::Json { ty, .. } | BodyKind::Form { ty, .. } => rust_type(ty, &models_path()),
        BodyKind::Binary { .. } => quote! { crate::runtime::UploadBody },
        BodyKind::Multipart(Some(form)) => {
            let name = ident(&form.type_name);
            quote! { #name }
        }
        BodyKind::Multipart(None) => quote! { MultipartForm },
        BodyKind::Text { .. } => quote! { String },
    }
}

fn client_method(op: &Operation) -> TokenStream {
    let name = ident(&op.fn_name);
    let builder = ident(&op.builder_name);
    let args = required_args(op);
    let described: Vec<(&str, Option<&str>)> =
        args.iter().map(|arg| (arg.name, arg.description)).collect();
    let docs = doc_attributes(&client_method_docs(op, &described));
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    // Required parameters stay arguments, however many the definition has (Azure's paths
    // hold seven or more): a missing one is then a compile error, where a setter would make
    // it one at run time.
    let allow = (args.len() + 1 > CLIPPY_MAX_ARGUMENTS).then(|| {
        quote! {
            #[allow(clippy::too_many_arguments, reason = "one argument per required parameter of the operation")]
        }
    });
    let params = args.iter().map(|arg| {
        let (name, ty) = (ident(arg.name), tokens(&arg.ty));
        quote! { #name: #ty }
    });
    let mut inits: Vec<TokenStream> = Vec::new();
    inits.extend(args.iter().map(|arg| {
        let field = ident(arg.name);
        if arg.init == arg.name {
            quote! { #field }
        } else {
            let init = tokens(&arg.init);
            quote! { #field: #init }
        }
    }));
    for param in op.params.iter().filter(|p| !p.required) {
        let field = ident(&param.rust_name);
        inits.push(quote! { #field: None });
    }
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        if content_type_of(&body.kind).is_some() {
            inits.push(quote! { content_type: None });
        }
        inits.push(quote! { body: None });
    }
    let value = match op.prefer {
        None => quote! { #builder { client: self.client.clone(), #(#inits),* } },
        Some(_) if !has_parameters(op) => quote! {
            #builder { client: self.client.clone(), shape: std::marker::PhantomData }
        },
        Some(_) => {
            let parameters = ident(&parameters_name(op));
            quote! {
                #builder {
                    client: self.client.clone(),
                    params: #parameters { #(#inits),* },
                    shape: std::marker::PhantomData,
                }
            }
        }
    };
    quote! {
        #docs
        #deprecated
        #allow
        pub fn #name(&self, #(#params),*) -> #builder {
            #value
        }
    }
}

/// The struct that holds the parameters of a builder whose answer has two shapes, so that
/// choosing the shape moves them as one value.
fn parameters_name(op: &Operation) -> String {
    format!("{}Parameters", op.builder_name)
}

fn has_parameters(op: &Operation) -> bool {
    !op.params.is_empty() || op.body.is_some()
}

fn builder(api: &Api, op: &Operation) -> TokenStream {
    let models = models_path();
    let builder = ident(&op.builder_name);
    let builder_doc = builder_doc(api, op);
    let mut fields: Vec<TokenStream> = Vec::new();
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
        let ty = body_field_type(body);
        if let Some(content_type) = content_type_of(&body.kind) {
            let field = content_type.field;
            fields.push(if body.required {
                quote! { content_type: #field }
            } else {
                quote! { content_type: Option<#field> }
            });
        }
        fields.push(if body.required {
            quote! { body: #ty }
        } else {
            quote! { body: Option<#ty> }
        });
    }
    // Where the setters store values: the builder, or the parameters of a two-shape builder.
    let store = match op.prefer {
        Some(_) if has_parameters(op) => quote! { self.params },
        _ => quote! { self },
    };
    let setters = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| setter(p, &store));
    let body_setter = op
        .body
        .iter()
        .filter(|b| !b.required)
        .map(|b| body_setter(b, &store));
    let request = request_expression(op);
    let content_types = op.body.as_ref().map(content_type_enum);
    let form_type = op.body.as_ref().and_then(|body| match &body.kind {
        BodyKind::Multipart(Some(form)) => {
            Some(super::multipart::form_type(form, &op.builder_name))
        }
        _ => None,
    });
    let must_use = quote! { #[must_use = "a request does nothing until `send` is awaited"] };
    let with_options = with_options();

    let Some(prefer) = &op.prefer else {
        let (send, status_enum) = send_methods(api, op, &op.response);
        return quote! {
            #[doc = #builder_doc]
            #[derive(Debug, Clone)]
            #must_use
            pub struct #builder {
                client: Client,
                #(#fields),*
            }

            impl #builder {
                #(#setters)*
                #(#body_setter)*
                #with_options
                #send

                fn request(&self) -> Request {
                    #request
                }
            }

            #status_enum
            #content_types
            #form_type
        };
    };

    // The answer's shape is chosen by a type parameter that sends the `Prefer` header.
    let header = &prefer.header;
    let (minimal_send, minimal_def) = send_methods(api, op, &op.response);
    let (full_send, full_def) = send_methods(api, op, &prefer.representation);
    // The parameters live in a struct of their own, so that choosing the shape moves them as
    // one value.
    let (parameters_field, parameters, request, moved) = if has_parameters(op) {
        let name = ident(&parameters_name(op));
        let doc_line = format!(
            " The parameters of [`{}`], whichever answer shape it asks for.",
            op.builder_name
        );
        let parameters = quote! {
            #[doc = #doc_line]
            #[derive(Debug, Clone)]
            struct #name {
                #(#fields),*
            }

            impl #name {
                fn request(&self) -> Request {
                    #request
                }
            }
        };
        (
            quote! { params: #name, },
            parameters,
            quote! { self.params.request() },
            quote! { params: self.params, },
        )
    } else {
        (
            TokenStream::new(),
            TokenStream::new(),
            request,
            TokenStream::new(),
        )
    };
    quote! {
        #[doc = #builder_doc]
        ///
        /// The service answers with the minimal shape unless [`representation`](Self::representation)
        /// asks for the full one.
        #[derive(Debug, Clone)]
        #must_use
        pub struct #builder<Shape = Minimal> {
            client: Client,
            #parameters_field
            shape: std::marker::PhantomData<Shape>,
        }

        #parameters

        impl<Shape: ResponseShape> #builder<Shape> {
            #(#setters)*
            #(#body_setter)*
            #with_options

            fn request(&self) -> Request {
                #request.header(#header, Some(&Shape::PREFER))
            }
        }

        impl #builder<Minimal> {
            /// Asks for the full representation (`Prefer: return=representation`) instead of the
            /// minimal one.
            pub fn representation(self) -> #builder<Representation> {
                #builder {
                    client: self.client,
                    #moved
                    shape: std::marker::PhantomData,
                }
            }

            #minimal_send
        }

        impl #builder<Representation> {
            #full_send
        }

        #minimal_def
        #full_def
        #content_types
        #form_type
    }
}

/// The per-call options method every builder has: the options live in the builder's client
/// (see `Client::with_call_options`), so this is all that is emitted for them.
fn with_options() -> TokenStream {
    quote! {
        /// Extra headers, a timeout or a retry policy for this call only.
        pub fn with_options(mut self, options: crate::runtime::CallOptions) -> Self {
            self.client = self.client.with_call_options(options);
            self
        }
    }
}

/// The Rust type a response decodes into, and the enum it needs, if any.
fn output(op: &Operation, response: &Response) -> (TokenStream, TokenStream) {
    match response {
        Response::ByStatus { name, variants } => {
            let name_ident = ident(name);
            (quote! { #name_ident }, status_enum(op, name, variants))
        }
        other => (plain_output(other), TokenStream::new()),
    }
}

fn plain_output(response: &Response) -> TokenStream {
    match response {
        Response::Json(ty) => rust_type(ty, &models_path()),
        Response::Bytes => quote! { Vec<u8> },
        Response::Text => quote! { String },
        Response::Empty => quote! { () },
        Response::Raw => quote! { RawResponse },
        Response::ByStatus { name, .. } => {
            let name = ident(name);
            quote! { #name }
        }
    }
}

/// `send` and `send_with_response` for one answer shape (and `into_stream` and `into_pages`
/// when the answer is a page of a list), with the status enum the shape needs, if any.
fn send_methods(api: &Api, op: &Operation, response: &Response) -> (TokenStream, TokenStream) {
    let (output, status_enum) = output(op, response);
    let request = quote! { self.request() };
    let streams = match response {
        Response::Json(ty) => api.page(ty).map(super::paging::stream_methods),
        Response::Bytes => Some(quote! {
            /// Sends the request and returns the status and headers with the body as a
            /// [`ByteStream`](crate::runtime::ByteStream), read as it arrives: for answers too
            /// large to hold in memory, which [`send`](Self::send) reads whole (up to the
            /// client's size limit).
            pub async fn send_stream(
                self,
            ) -> Result<ApiResponse<crate::runtime::ByteStream>, Error> {
                self.client.execute_stream(#request).await
            }
        }),
        _ => None,
    };
    let execute = match response {
        Response::Json(_) => quote! { self.client.execute_json(#request).await },
        Response::Bytes | Response::Raw => quote! { self.client.execute_bytes(#request).await },
        Response::Text => quote! { self.client.execute_text(#request).await },
        Response::Empty => quote! { self.client.execute_empty(#request).await },
        Response::ByStatus { name, .. } => {
            let name = ident(name);
            quote! { self.client.execute_by_status(#request, #name::from_answer).await }
        }
    };
    if *response == Response::Raw {
        let methods = quote! {
            /// Sends the request and returns the answer's status, headers and bytes: the
            /// definition documents no success answer to decode.
            pub async fn send(self) -> Result<RawResponse, Error> {
                self.send_with_response().await
            }

            /// The same as [`send`](Self::send).
            pub async fn send_with_response(self) -> Result<ApiResponse<Vec<u8>>, Error> {
                #execute
            }
        };
        return (methods, TokenStream::new());
    }
    let methods = quote! {
        /// Sends the request and returns the decoded response body.
        pub async fn send(self) -> Result<#output, Error> {
            self.send_with_response().await.map(ApiResponse::into_body)
        }

        /// Sends the request and returns the status and headers along with the decoded body.
        pub async fn send_with_response(self) -> Result<ApiResponse<#output>, Error> {
            #execute
        }

        #streams
    };
    (methods, status_enum)
}

/// An enum with one variant per documented success status, and how an answer picks one.
fn status_enum(op: &Operation, name: &str, variants: &[StatusVariant]) -> TokenStream {
    let name = ident(name);
    let doc_line = format!(" What [`{}`] answers, by status.", op.builder_name);
    let members = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let line = match &v.description {
            Some(description) => format!("{}: {}", v.status, description.trim()),
            None => format!("{}.", v.status),
        };
        let docs = doc(&[Some(&line)]);
        match &v.body {
            Response::Empty => quote! { #docs #variant, },
            body => {
                let ty = plain_output(body);
                quote! { #docs #variant(#ty), }
            }
        }
    });
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let status = proc_macro2::Literal::u16_unsuffixed(v.status);
        match &v.body {
            Response::Empty => quote! { #status => Ok(Self::#variant), },
            Response::Bytes => quote! { #status => Ok(Self::#variant(answer.bytes())), },
            Response::Text => quote! { #status => answer.text().map(Self::#variant), },
            _ => quote! { #status => answer.json().map(Self::#variant), },
        }
    });
    // A model can be far larger than a status without body; the answer is matched once,
    // so boxing it would only add a deref to every use.
    let allow = variants
        .iter()
        .any(|v| matches!(v.body, Response::Json(_)))
        .then(|| {
            quote! {
                #[allow(clippy::large_enum_variant, reason = "an answer is matched once, not stored in bulk")]
            }
        });
    quote! {
        #[doc = #doc_line]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #allow
        pub enum #name {
            #(#members)*
        }

        impl #name {
            fn from_answer(answer: &Answer) -> Result<Self, Error> {
                match answer.status() {
                    #(#arms)*
                    _ => Err(answer.undocumented_status()),
                }
            }
        }
    }
}

/// The media types a binary body may be sent as.
fn content_type_enum(body: &Body) -> TokenStream {
    let BodyKind::Binary {
        content_types,
        enum_name,
    } = &body.kind
    else {
        return TokenStream::new();
    };
    let name = ident(enum_name);
    let variants: Vec<_> = content_types.iter().map(|c| ident(&c.rust_name)).collect();
    let values: Vec<&str> = content_types.iter().map(|c| c.value.as_str()).collect();
    let docs = values.iter().map(|v| format!(" `{v}`"));
    quote! {
        /// The media types the body may be sent as.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #[doc = #docs] #variants, )*
        }

        impl #name {
            /// The media type as sent in `Content-Type`.
            pub fn as_str(self) -> &'static str {
                match self {
                    #( Self::#variants => #values, )*
                }
            }
        }
    }
}

/// A setter of an optional parameter; `store` is where the parameter's field is (`self`, or
/// `self.params`).
fn setter(param: &Param, store: &TokenStream) -> TokenStream {
    let field = ident(&param.rust_name);
    let (arg_ty, value) = argument(&param.ty, &param.rust_name, MODELS);
    let (arg_ty, value) = (tokens(&arg_ty), tokens(&value));
    let docs = doc_or(param.description.as_deref(), &setter_fallback_doc(param));
    quote! {
        #docs
        pub fn #field(mut self, #field: #arg_ty) -> Self {
            #store.#field = Some(#value);
            self
        }
    }
}

fn body_setter(body: &Body, store: &TokenStream) -> TokenStream {
    let docs = doc_or(body.description.as_deref(), BODY_SETTER_DOC);
    let (arg_ty, value) = body_argument(body);
    let (arg_ty, value) = (tokens(&arg_ty), tokens(&value));
    match content_type_of(&body.kind) {
        None => quote! {
            #docs
            pub fn body(mut self, body: #arg_ty) -> Self {
                #store.body = Some(#value);
                self
            }
        },
        Some(content_type) => {
            let (argument, init) = (content_type.argument, content_type.init);
            quote! {
                #docs
                pub fn body(mut self, content_type: #argument, body: #arg_ty) -> Self {
                    #store.content_type = Some(#init);
                    #store.body = Some(#value);
                    self
                }
            }
        }
    }
}

fn request_expression(op: &Operation) -> TokenStream {
    let id = &op.id;
    let method = ident(op.method.variant());
    let path = &op.path;
    let mut calls: Vec<TokenStream> = op.params.iter().map(param_call).collect();
    if let Some(body) = &op.body {
        calls.push(match (&body.kind, body.required) {
            (BodyKind::Json { content_type, .. }, true) => {
                quote! { .json_body(#content_type, Some(&self.body)) }
            }
            (BodyKind::Json { content_type, .. }, false) => {
                quote! { .json_body(#content_type, self.body.as_ref()) }
            }
            (BodyKind::Form { encodings, .. }, required) => {
                let value = if required {
                    quote! { Some(&self.body) }
                } else {
                    quote! { self.body.as_ref() }
                };
                form_body_call(value, encodings)
            }
            // Cloning an upload shares its bytes or its stream: nothing is copied.
            (BodyKind::Binary { .. }, true) => {
                quote! { .binary_body(self.content_type.as_str(), self.body.clone()) }
            }
            (BodyKind::Binary { .. }, false) => quote! {
                .optional_binary_body(self.content_type.map(|c| c.as_str()), self.body.clone())
            },
            (BodyKind::Text { content_type }, true) => {
                quote! { .binary_body(#content_type, self.body.clone()) }
            }
            (BodyKind::Text { content_type }, false) => quote! {
                .optional_binary_body(self.body.as_ref().map(|_| #content_type), self.body.clone())
            },
            (BodyKind::Multipart(Some(_)), true) => {
                quote! { .multipart_body(Some(self.body.to_form())) }
            }
            (BodyKind::Multipart(Some(form)), false) => {
                let name = ident(&form.type_name);
                quote! { .multipart_body(self.body.as_ref().map(#name::to_form)) }
            }
            (BodyKind::Multipart(None), true) => {
                quote! { .multipart_body(Some(self.body.clone())) }
            }
            (BodyKind::Multipart(None), false) => {
                quote! { .multipart_body(self.body.clone()) }
            }
        });
    }
    if op.redirects_as_answers {
        calls.push(quote! { .redirects_as_answers() });
    }
    let accept = match &op.accept {
        Some(own) => quote! { #own },
        None => quote! { ACCEPT },
    };
    quote! {
        Request::new(#id, HttpMethod::#method, #path, #accept) #(#calls)*
    }
}

fn param_call(param: &Param) -> TokenStream {
    let name = &param.name;
    let field = ident(&param.rust_name);
    let value = display_value(&quote! { self.#field }, &param.ty, param.required);
    let path_value = match &param.ty {
        TypeRef::DateTime => quote! { &crate::runtime::__private::rfc3339(&self.#field) },
        _ => quote! { &self.#field },
    };
    // The common case, each location's default style, keeps the short call.
    if param.style == Style::default_for(param.location) {
        return match param.location {
            ParamLocation::Path => quote! { .path_param(#name, #path_value) },
            ParamLocation::Query => quote! { .query(#name, #value) },
            ParamLocation::Header => quote! { .header(#name, #value) },
        };
    }
    match (param.location, param.style) {
        (
            ParamLocation::Path,
            Style::Label { explode } | Style::Matrix { explode } | Style::Simple { explode },
        ) => {
            let style = path_style(param.style);
            quote! { .path_param_styled(#name, #style, #explode, #path_value) }
        }
        (ParamLocation::Header, Style::Simple { explode }) => {
            quote! { .header_styled(#name, #explode, #value) }
        }
        (ParamLocation::Query, style) => match query_style(style) {
            Some((style, explode)) => quote! { .query_styled(#name, #style, #explode, #value) },
            None => quote! { .query(#name, #value) },
        },
        // A style the location does not have (the loader admits none): the default.
        (ParamLocation::Path, _) => quote! { .path_param(#name, #path_value) },
        (ParamLocation::Header, _) => quote! { .header(#name, #value) },
    }
}

/// `use` of the runtime's `QueryStyle` and `PathStyle` where a parameter or form property of
/// another style than its default names them.
fn style_imports(api: &Api) -> TokenStream {
    let styled = |location: ParamLocation| {
        api.operations.iter().any(|op| {
            op.params
                .iter()
                .any(|p| p.location == location && p.style != Style::default_for(location))
        })
    };
    let styled_forms = api.operations.iter().any(|op| {
        matches!(&op.body, Some(Body { kind: BodyKind::Form { encodings, .. }, .. }) if !encodings.is_empty())
    });
    let mut names = Vec::new();
    if styled(ParamLocation::Path) {
        names.push(quote! { PathStyle });
    }
    if styled(ParamLocation::Query) || styled_forms {
        names.push(quote! { QueryStyle });
    }
    match names.as_slice() {
        [] => TokenStream::new(),
        [one] => quote! { use crate::runtime::#one; },
        _ => quote! { use crate::runtime::{#(#names),*}; },
    }
}

/// The runtime's `PathStyle` of a path style.
fn path_style(style: Style) -> TokenStream {
    match style {
        Style::Label { .. } => quote! { PathStyle::Label },
        Style::Matrix { .. } => quote! { PathStyle::Matrix },
        _ => quote! { PathStyle::Simple },
    }
}

/// The runtime's `QueryStyle` and `explode` of a query or form style; `None` for the styles of
/// paths and headers.
fn query_style(style: Style) -> Option<(TokenStream, bool)> {
    Some(match style {
        Style::Form { explode } => (quote! { QueryStyle::Form }, explode),
        Style::SpaceDelimited => (quote! { QueryStyle::SpaceDelimited }, false),
        Style::PipeDelimited => (quote! { QueryStyle::PipeDelimited }, false),
        Style::TabDelimited => (quote! { QueryStyle::TabDelimited }, false),
        Style::DeepObject => (quote! { QueryStyle::DeepObject }, true),
        Style::Simple { .. } | Style::Label { .. } | Style::Matrix { .. } => return None,
    })
}

/// `.form_body(...)`, or `.form_body_styled(...)` with the properties not in the default style.
fn form_body_call(value: TokenStream, encodings: &[FormEncoding]) -> TokenStream {
    let encodings: Vec<TokenStream> = encodings
        .iter()
        .filter_map(|encoding| {
            let property = &encoding.property;
            let (style, explode) = query_style(encoding.style)?;
            Some(quote! { (#property, #style, #explode) })
        })
        .collect();
    if encodings.is_empty() {
        quote! { .form_body(#value) }
    } else {
        quote! { .form_body_styled(#value, &[#(#encodings),*]) }
    }
}

#[cfg(test)]
mod direct_text_tests {
    use quote::quote;

    use super::super::direct::operations as direct;
    use super::super::unparse::by_item;
    use super::{builder, client_method};

    /// Operations whose names, parameters and types put the lines the writer measures on
    /// either side of the margin, with each kind of answer and body the writer takes.
    fn definition() -> String {
        let answers = [
            r##"{"200": {"description": "a", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SCHEMA"}}}}}"##,
            r#"{"200": {"description": "a", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}"#,
            r#"{"200": {"description": "a", "content": {"text/plain": {"schema": {"type": "string"}}}}}"#,
            r#"{"204": {"description": "none"}}"#,
        ];
        let mut paths = Vec::new();
        let mut schemas = Vec::new();
        for n in 0..72 {
            let long = "x".repeat(n);
            let schema = format!("Thing{}", "Y".repeat(n));
            schemas.push(format!(
                r#""{schema}": {{"type": "object", "properties": {{"a": {{"type": "string"}}}}}}"#
            ));
            let answer = answers[n % answers.len()].replace("SCHEMA", &schema);
            let body = match n % 3 {
                0 => format!(r##", "requestBody": {{"required": {}, "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/{schema}"}}}}}}}}"##, n % 2 == 0),
                1 => r#", "requestBody": {"required": true, "content": {"text/plain": {"schema": {"type": "string"}}}}"#.to_owned(),
                _ => String::new(),
            };
            let method = if body.is_empty() { "get" } else { "post" };
            paths.push(format!(
                r##""/things{n}/{{id{long}}}": {{"{method}": {{"operationId": "op{long}", "summary": "Op {n}", "parameters": [
                    {{"name": "id{long}", "in": "path", "required": true, "schema": {{"type": "string"}}, "description": "The id."}},
                    {{"name": "count{long}", "in": "query", "required": {required}, "schema": {{"type": "integer"}}}},
                    {{"name": "$select{long}", "in": "query", "style": "form", "explode": false, "schema": {{"type": "array", "items": {{"$ref": "#/components/schemas/{schema}"}}}}}},
                    {{"name": "when{long}", "in": "header", "schema": {{"type": "string", "format": "date-time"}}}}
                ]{body}, "responses": {answer}}}}}"##,
                required = n % 4 == 1,
            ));
        }
        format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "Widths", "version": "1"}}, "paths": {{{}}}, "components": {{"schemas": {{{}}}}}}}"#,
            paths.join(", "),
            schemas.join(", ")
        )
    }

    #[test]
    fn the_written_text_is_prettypleases_layout_at_every_width() {
        let settings = crate::settings::ApiSettings {
            accept: Some("application/json".to_owned()),
            ..Default::default()
        };
        let definition =
            crate::load::parse(std::path::Path::new("widths.json"), &definition()).unwrap();
        let api = crate::build::build(&definition, &settings, false).unwrap();
        let mut written = 0;
        for op in &api.operations {
            if let Some(text) = direct::builder(&api, op) {
                let formatted = by_item(builder(&api, op));
                assert_eq!(text, formatted, "builder of {}", op.id);
                written += 1;
            }
            if let Some(text) = direct::client_method(op) {
                let tokens = client_method(op);
                let formatted = by_item(quote! { impl Client { #tokens } });
                assert_eq!(
                    format!("impl Client {{\n{text}}}\n"),
                    formatted,
                    "method {}",
                    op.id
                );
                written += 1;
            }
        }
        // Only names far longer than real ones (a field of 60 characters and more) leave the
        // layout to prettyplease.
        assert!(
            written * 100 >= api.operations.len() * 2 * 85,
            "{written} of {}",
            api.operations.len() * 2
        );
    }
}
