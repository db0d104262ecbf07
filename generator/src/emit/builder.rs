//! An operation's request builder: a struct of the request's parameters and body, setters of
//! the optional ones, and the methods that send it. A builder whose answer has two shapes is
//! `prefer`'s, from the same pieces.

use super::answers::push_status_enum;
use super::bodies;
use super::docs::doc_or;
use super::layout::expr::{Expr, Link};
use super::layout::items::{
    push_assign, push_field, push_header, push_impl_header, push_signature, Param,
};
use super::layout::{push_doc, push_docs};
use super::multipart::push_form_type;
use super::request::{expression, push_request_fn};
use super::rust::{type_text, Argument, MODELS};
use super::send::push_methods;
use crate::model::{Api, BodyKind, Operation, ParamLocation, Response};

/// `op`'s request builder: its struct and `impl` block, the enum of its answers by status, the
/// media types of its body and the struct of its parts, as they apply.
pub fn builder(api: &Api, op: &Operation) -> String {
    let mut out = String::new();
    push_struct_head(&mut out, api, op, "", &[]);
    push_fields(&mut out, op);
    out.push_str("}\n");
    push_impl_header(&mut out, 0, &[], None, &op.builder_name);
    push_setters(&mut out, op, Store::Builder);
    push_with_options(&mut out);
    push_methods(&mut out, api, &op.response);
    push_request_fn(&mut out, &expression(op, Vec::new()));
    out.push_str("}\n");
    if let Response::ByStatus { name, variants } = &op.response {
        push_status_enum(&mut out, op, name, variants);
    }
    push_body_types(&mut out, op);
    out
}

/// The struct of every builder up to its fields: its docs (then `notes`), its attributes, its
/// name with `generics`, and the client it sends with.
pub fn push_struct_head(
    out: &mut String,
    api: &Api,
    op: &Operation,
    notes: &str,
    generics: &[&str],
) {
    push_doc(out, 0, &builder_doc(api, op));
    out.push_str(notes);
    out.push_str("#[derive(Debug, Clone)]\n");
    // A builder does nothing until sent.
    out.push_str("#[must_use = \"a request does nothing until `send` is awaited\"]\n");
    push_header(
        out,
        0,
        &format!("pub struct {}", op.builder_name),
        generics,
        " {",
    );
    out.push_str("    client: Client,\n");
}

/// The doc line of an operation's request builder, which points to its client method.
fn builder_doc(api: &Api, op: &Operation) -> String {
    let has_options =
        op.params.iter().any(|p| !p.required) || op.body.as_ref().is_some_and(|b| !b.required);
    let next_step = if has_options {
        "set optional parameters, then call"
    } else {
        "call"
    };
    format!(
        " Request of [`{}::{}`]: {next_step} [`send`](Self::send).",
        api.client_name, op.fn_name
    )
}

/// The fields that hold the request's parameters and body (after the builder's `client`).
pub fn push_fields(out: &mut String, op: &Operation) {
    let optional = |ty: String, required: bool| {
        if required {
            ty
        } else {
            format!("Option<{ty}>")
        }
    };
    for param in &op.params {
        let ty = optional(type_text(&param.ty, MODELS), param.required);
        push_field(out, 4, &format!("{}: ", param.rust_name), &ty);
    }
    if let Some(body) = &op.body {
        if let Some(content_type) = bodies::content_type(body) {
            let ty = optional(content_type.to_owned(), body.required);
            push_field(out, 4, "content_type: ", &ty);
        }
        push_field(
            out,
            4,
            "body: ",
            &optional(bodies::field_type(body), body.required),
        );
    }
}

/// Where the setters store values.
#[derive(Clone, Copy)]
pub enum Store {
    /// The builder's own fields.
    Builder,
    /// The fields of the parameters of a builder whose answer has two shapes (`self.params`).
    Parameters,
}

/// The setters of the optional parameters and body.
pub fn push_setters(out: &mut String, op: &Operation, store: Store) {
    for param in op.params.iter().filter(|p| !p.required) {
        let location = match param.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        };
        let fallback = format!("Sets the optional {location} parameter `{}`.", param.name);
        push_docs(out, 4, &doc_or(param.description.as_deref(), &fallback));
        let field = param.rust_name.as_str();
        let argument = Argument::of(&param.ty, MODELS);
        let params = [
            receiver(),
            Param {
                name: field,
                ty: Some(&argument.ty),
            },
        ];
        push_signature(out, 4, &format!("pub fn {field}"), &params, "Self");
        push_store(out, store, field, argument.value(field));
        out.push_str("        self\n    }\n");
    }
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        let fallback = "Sets the request body, which this operation does not require.";
        push_docs(out, 4, &doc_or(body.description.as_deref(), fallback));
        let argument = bodies::argument(body);
        let content_type = bodies::content_type(body);
        let mut params = vec![receiver()];
        params.extend(content_type.map(|ty| Param {
            name: "content_type",
            ty: Some(ty),
        }));
        params.push(Param {
            name: "body",
            ty: Some(&argument.ty),
        });
        push_signature(out, 4, "pub fn body", &params, "Self");
        if content_type.is_some() {
            push_store(out, store, "content_type", Expr::word("content_type"));
        }
        push_store(out, store, "body", argument.value("body"));
        out.push_str("        self\n    }\n");
    }
}

fn receiver() -> Param<'static> {
    Param {
        name: "mut self",
        ty: None,
    }
}

/// `self.field = Some(value);` (or `self.params.field`).
fn push_store<'a>(out: &mut String, store: Store, field: &'a str, value: Expr<'a>) {
    let mut links = Vec::new();
    if let Store::Parameters = store {
        links.push(Link::Field("params".into()));
    }
    links.push(Link::Field(field.into()));
    push_assign(
        out,
        8,
        &Expr::chain(Expr::word("self"), links),
        &value.some(),
    );
}

/// The per-call options method every builder has: the options live in the builder's client
/// (see `Client::with_call_options`).
pub fn push_with_options(out: &mut String) {
    out.push_str(
        "    /// Extra headers, a timeout or a retry policy for this call only.
    pub fn with_options(mut self, options: crate::runtime::CallOptions) -> Self {
        self.client = self.client.with_call_options(options);
        self
    }
",
    );
}

/// The items beside a builder that its body needs: the media types of a binary body, the
/// struct of a form's parts.
pub fn push_body_types(out: &mut String, op: &Operation) {
    let Some(body) = &op.body else { return };
    bodies::push_content_types(out, body);
    if let BodyKind::Multipart(Some(form)) = &body.kind {
        push_form_type(out, form, &op.builder_name);
    }
}
