//! The `mod.rs` of an API: its docs and imports, its client type with one method per
//! operation, one request builder each, and the waiters of its start answers.
//!
//! Everything that is the same for every operation (URL building, auth, errors, decoding) is in
//! the runtime; a builder only describes its request.

use super::docs::{api_name, doc_lines};
use super::file::Part;
use super::layout::expr::Expr;
use super::layout::items::{push_const, push_header, push_use};
use super::layout::literal;
use super::layout::{push_doc, push_inner_doc};
use super::rust::push_format_imports;
use crate::model::{Api, Body, BodyKind, MultipartForm, Operation, ParamLocation, Response, Style};

/// The `mod.rs` of an API in parts; `with_mock` declares its `mock` module (feature
/// `test-util`), which only the client crate has.
pub fn parts(api: &Api, with_mock: bool) -> Vec<Part<'_>> {
    let mut parts: Vec<Part<'_>> = vec![Box::new(move || prelude(api, with_mock))];
    if has_client(api) {
        parts.push(Box::new(move || {
            format!(
                "impl {} {{\n    /// Uses `client` (its base URL, credentials and HTTP settings) for this API.\n    pub fn new(client: Client) -> Self {{\n        Self {{ client }}\n    }}\n",
                api.client_name
            )
        }));
        for op in &api.operations {
            parts.push(Box::new(move || super::client::method(op)));
        }
        parts.push(Box::new(|| "}\n".to_owned()));
    }
    for op in &api.operations {
        parts.push(Box::new(move || match &op.prefer {
            None => super::builder::builder(api, op),
            Some(prefer) => super::prefer::builder(api, op, prefer),
        }));
    }
    parts.push(Box::new(move || super::waiters::impls(api)));
    parts
}

/// Whether the API's module has a client type: only an API with operations has one.
pub fn has_client(api: &Api) -> bool {
    !api.operations.is_empty()
}

/// The module's docs, its `use`s and constants, and the API's client type; its methods and the
/// operations' builders follow.
fn prelude(api: &Api, with_mock: bool) -> String {
    let mut out = String::new();
    let intro = if has_client(api) {
        format!("Client for the {}.", api_name(&api.title))
    } else {
        format!(
            "The {}, whose definition has no operations: its types, and no client.",
            api_name(&api.title)
        )
    };
    for line in doc_lines(&[Some(&intro), api.description.as_deref()]) {
        push_inner_doc(&mut out, 0, &line);
    }
    if !api.types.is_empty() {
        out.push_str("pub mod models;\n");
    }
    if with_mock {
        out.push_str("#[cfg(feature = \"test-util\")]\npub mod mock;\n");
    }
    // A definition without operations (only schemas, or nothing at all) gets no client type
    // nor `ACCEPT`: the type would have nothing to call, and its unread `Client` is a dead-code
    // warning.
    if has_client(api) {
        out.push_str("use crate::runtime::{ApiResponse, Client, Error, HttpMethod, Request};\n");
    }
    push_style_imports(&mut out, api);
    let operations = || api.operations.iter();
    if operations().any(has_status_enum) {
        out.push_str("use crate::runtime::Answer;\n");
    }
    if operations().any(|op| op.response == Response::Raw) {
        out.push_str("use crate::runtime::RawResponse;\n");
    }
    if operations().any(|op| op.prefer.is_some()) {
        out.push_str("use crate::runtime::{Minimal, Representation, ResponseShape};\n");
    }
    let lists = operations()
        .flat_map(|op| {
            std::iter::once(&op.response).chain(op.prefer.as_ref().map(|p| &p.representation))
        })
        .any(|r| matches!(r, Response::Json(ty) if api.page(ty).is_some()));
    if lists {
        out.push_str("use crate::runtime::BoxStream;\n");
    }
    // Parameters, bodies, parts and answers may each be a bare `DateTime` or `Uuid`.
    push_format_imports(
        &mut out,
        operations().flat_map(Operation::types),
        "crate::runtime",
    );
    let forms: Vec<Option<&MultipartForm>> = operations()
        .filter_map(|op| match &op.body.as_ref()?.kind {
            BodyKind::Multipart(form) => Some(form.as_ref()),
            _ => None,
        })
        .collect();
    if !forms.is_empty() {
        if super::multipart::has_files(forms.iter().flatten().copied()) {
            out.push_str("use crate::runtime::{FilePart, MultipartForm};\n");
        } else {
            out.push_str("use crate::runtime::MultipartForm;\n");
        }
    }
    super::waiters::push_imports(&mut out, api);
    if has_client(api) {
        out.push_str(
            "/// The media type this module sends as `Accept`: the API version it was generated for.\n",
        );
        push_const(
            &mut out,
            0,
            "pub const ACCEPT: &str = ",
            &Expr::word(literal(&api.accept)),
        );
        push_doc(
            &mut out,
            0,
            &format!(
                " Operations of the {}. Cheap to clone: it shares the [`Client`]'s connections.",
                api_name(&api.title)
            ),
        );
        out.push_str("#[derive(Debug, Clone)]\n");
        push_header(
            &mut out,
            0,
            &format!("pub struct {}", api.client_name),
            &[],
            " {",
        );
        out.push_str("    client: Client,\n}\n");
    }
    out
}

fn has_status_enum(op: &Operation) -> bool {
    let by_status = |r: &Response| matches!(r, Response::ByStatus { .. });
    by_status(&op.response)
        || op
            .prefer
            .as_ref()
            .is_some_and(|p| by_status(&p.representation))
}

/// `use` of the runtime's `QueryStyle` and `PathStyle` where a parameter or form property of
/// another style than its default names them.
fn push_style_imports(out: &mut String, api: &Api) {
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
        names.push("PathStyle");
    }
    if styled(ParamLocation::Query) || styled_forms {
        names.push("QueryStyle");
    }
    if !names.is_empty() {
        push_use(out, 0, "use crate::runtime::", &names);
    }
}
