//! An operation's method of the API's client: it takes the operation's required parameters and
//! body as arguments and returns the operation's request builder.

use super::bodies;
use super::docs::doc_lines;
use super::layout::expr::{Expr, FieldInit};
use super::layout::items::{push_fn, Param};
use super::layout::push_docs;
use super::rust::{push_argument_limit, Argument, MODELS};
use crate::model::Operation;

/// A required argument of a client method: its name, how it is taken, and its docs.
pub struct Required<'a> {
    pub name: &'a str,
    pub argument: Argument,
    pub description: Option<&'a str>,
}

/// The client method's arguments: the required parameters, then the media type of a binary
/// body and the body, if it is required.
///
/// Required parameters stay arguments, however many the definition has (Azure's paths hold
/// seven or more): a missing one is then a compile error, where a setter would make it one at
/// run time.
pub fn required_arguments(op: &Operation) -> Vec<Required<'_>> {
    let mut args: Vec<Required<'_>> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| Required {
            name: &p.rust_name,
            argument: Argument::of(&p.ty, MODELS),
            description: p.description.as_deref(),
        })
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        if let Some(content_type) = bodies::content_type(body) {
            args.push(Required {
                name: "content_type",
                argument: Argument::plain(content_type),
                description: Some("The media type of `body`."),
            });
        }
        args.push(Required {
            name: "body",
            argument: bodies::argument(body),
            description: body.description.as_deref(),
        });
    }
    args
}

/// The struct that holds the parameters of a builder whose answer has two shapes, so that
/// choosing the shape moves them as one value.
pub fn parameters_name(op: &Operation) -> String {
    format!("{}Parameters", op.builder_name)
}

/// Whether the operation has parameters or a body for its builder to hold.
pub fn has_parameters(op: &Operation) -> bool {
    !op.params.is_empty() || op.body.is_some()
}

/// `op`'s method of the API's client, an associated item of `impl Client`.
pub fn method(op: &Operation) -> String {
    let args = required_arguments(op);
    let mut out = String::new();
    push_docs(&mut out, 4, &docs(op, &args));
    if op.deprecated {
        out.push_str("    #[deprecated]\n");
    }
    push_argument_limit(
        &mut out,
        4,
        args.len() + 1,
        Some("one argument per required parameter of the operation"),
    );
    let params: Vec<Param<'_>> = std::iter::once(Param {
        name: "&self",
        ty: None,
    })
    .chain(args.iter().map(|a| Param {
        name: a.name,
        ty: Some(&a.argument.ty),
    }))
    .collect();
    let head = format!("pub fn {}", op.fn_name);
    let mut inits: Vec<FieldInit<'_>> = args
        .iter()
        .map(|a| FieldInit {
            name: a.name.into(),
            value: a.argument.converted.then(|| a.argument.value(a.name)),
        })
        .collect();
    let none = |name: &str| FieldInit {
        name: name.to_owned().into(),
        value: Some(Expr::word("None")),
    };
    inits.extend(
        op.params
            .iter()
            .filter(|p| !p.required)
            .map(|p| none(&p.rust_name)),
    );
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        if bodies::content_type(body).is_some() {
            inits.push(none("content_type"));
        }
        inits.push(none("body"));
    }
    let client = FieldInit {
        name: "client".into(),
        value: Some(Expr::word("self.client.clone()")),
    };
    let shape = || FieldInit {
        name: "shape".into(),
        value: Some(Expr::word("std::marker::PhantomData")),
    };
    let fields = match op.prefer {
        None => std::iter::once(client).chain(inits).collect(),
        Some(_) if !has_parameters(op) => vec![client, shape()],
        Some(_) => {
            let params = FieldInit {
                name: "params".into(),
                value: Some(Expr::structure(parameters_name(op), inits)),
            };
            vec![client, params, shape()]
        }
    };
    let builder = Expr::structure(op.builder_name.as_str(), fields);
    push_fn(&mut out, 4, &head, &params, &op.builder_name, &builder);
    out
}

/// The doc lines of an operation's client method: its summary and description, its route, its
/// required arguments and the answer headers it documents.
fn docs(op: &Operation, args: &[Required<'_>]) -> Vec<String> {
    let route = format!("`{} {}`", op.method.as_str(), op.path);
    let arguments: Vec<String> = args
        .iter()
        .filter_map(|arg| {
            arg.description.map(|d| {
                format!(
                    "- `{}`: {}",
                    arg.name,
                    d.split_whitespace().collect::<Vec<_>>().join(" ")
                )
            })
        })
        .collect();
    let arguments = (!arguments.is_empty()).then(|| arguments.join("\n"));
    let headers = (!op.response_headers.is_empty()).then(|| {
        let names: Vec<String> = op.response_headers.iter().map(|h| format!("`{h}`")).collect();
        format!(
            "The answer documents the header(s) {}: read them from [`send_with_response`]({}::send_with_response).",
            names.join(", "),
            op.builder_name
        )
    });
    doc_lines(&[
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(&route),
        arguments.as_deref(),
        headers.as_deref(),
    ])
}
